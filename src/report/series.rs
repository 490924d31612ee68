//! A monthly series across replicates: the median with bands holding the middle 50% and 90% of
//! runs each month, one colour per group (a design point, or all points pooled), and the shock
//! windows shaded. The legend is the page's (the caption), so it never hides a band.

use super::plot::{self, chart, colour, numeric_mesh, svg, Drawn, SHADE, SHADE_ALPHA, SMALL};
use crate::experiment::stats::quantile;
use plotters::prelude::*;

/// Quantiles 5, 25, 50, 75 and 95% of each month's values (NaN for a month without values).
pub fn bands(months: &[Vec<f64>]) -> Vec<[f64; 5]> {
    months
        .iter()
        .map(|v| {
            let mut sorted: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
            if sorted.is_empty() {
                return [f64::NAN; 5];
            }
            sorted.sort_by(f64::total_cmp);
            [5, 25, 50, 75, 95].map(|q| quantile(&sorted, q))
        })
        .collect()
}

/// The figure of one series; `shocks` are windows `[start, end)` in months.
pub fn figure(groups: &[&[Vec<f64>]], axis: &str, shocks: &[(f64, f64)]) -> Drawn {
    let all: Vec<Vec<[f64; 5]>> = groups.iter().map(|g| bands(g)).collect();
    let months = groups.iter().map(|g| g.len()).max().unwrap_or(1).max(2);
    let x = 0.0..(months - 1) as f64;
    let y = plot::padded(all.iter().flatten().flat_map(|q| [q[0], q[4]]));
    svg(SMALL, |area| {
        let mut c = chart(area, x.clone(), y.clone())?;
        numeric_mesh(&mut c, &x, &y, "month of observation", axis)?;
        for &(start, end) in shocks {
            let window = Rectangle::new(
                [(start.max(x.start), y.start), (end.min(x.end), y.end)],
                SHADE.mix(SHADE_ALPHA).filled(),
            );
            c.draw_series(std::iter::once(window))?;
        }
        for (g, q) in all.iter().enumerate() {
            let colour = colour(g);
            let line = |k: usize| -> Vec<(f64, f64)> {
                q.iter()
                    .enumerate()
                    .filter(|(_, v)| v[k].is_finite())
                    .map(|(m, v)| (m as f64, v[k]))
                    .collect()
            };
            for (low, high, alpha) in [(0, 4, 0.12), (1, 3, 0.22)] {
                let mut band = line(high);
                band.extend(line(low).into_iter().rev());
                c.draw_series(std::iter::once(Polygon::new(
                    band,
                    colour.mix(alpha).filled(),
                )))?;
            }
            c.draw_series(std::iter::once(PathElement::new(
                line(2),
                colour.stroke_width(2),
            )))?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_are_ordered_quantiles_of_each_month() {
        let months = vec![(0..=100).map(f64::from).collect::<Vec<_>>(), Vec::new()];
        let q = bands(&months);
        assert_eq!(q[0], [5.0, 25.0, 50.0, 75.0, 95.0]);
        assert!(q[1][2].is_nan());
    }
}
