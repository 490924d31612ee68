//! Morris screening of one outcome: each swept parameter as a dot at its mu* (mean absolute
//! elementary effect, x) and sigma (standard deviation of the effects, y), the largest mu*
//! numbered by rank, and the line sigma = mu*. The caption is the legend.

use super::plot::{self, chart, colour, numeric_mesh, svg, FONT, GREY, SMALL, TICK_SIZE};
use crate::experiment::morris::{MU_STAR, SIGMA};
use crate::experiment::sensitivity::SensitivityRow;
use plotters::prelude::*;

/// Parameters numbered on a figure, by rank of mu*.
pub const NUMBERED: usize = 5;

/// The box a rank number takes, in pixels (plotters writes a TICK_SIZE font at 12.9 px: a digit
/// is about 7 px wide), with room to spare.
const LABEL_BOX: (i32, i32) = (12, 16);

/// Where a number may go from its dot, in pixels, in order of preference: above right, below
/// right, above left, below left, then farther out.
const LABEL_OFFSETS: [(i32, i32); 8] = [
    (5, -17),
    (5, 3),
    (-17, -17),
    (-17, 3),
    (5, -33),
    (5, 19),
    (-17, -33),
    (-17, 19),
];

/// The top-left corner of each label (one per dot, in order), in pixels: the first offset whose
/// box stays in `area` and clear of the labels placed before it (the last offset if none is).
fn place(
    dots: &[(i32, i32)],
    area: (std::ops::Range<i32>, std::ops::Range<i32>),
) -> Vec<(i32, i32)> {
    let mut placed: Vec<(i32, i32)> = Vec::new();
    for &(x, y) in dots {
        let fits = |(lx, ly): (i32, i32)| {
            let inside = lx >= area.0.start
                && lx + LABEL_BOX.0 <= area.0.end
                && ly >= area.1.start
                && ly + LABEL_BOX.1 <= area.1.end;
            inside
                && placed.iter().all(|&(px, py)| {
                    lx + LABEL_BOX.0 <= px
                        || px + LABEL_BOX.0 <= lx
                        || ly + LABEL_BOX.1 <= py
                        || py + LABEL_BOX.1 <= ly
                })
        };
        let candidates = LABEL_OFFSETS.iter().map(|&(dx, dy)| (x + dx, y + dy));
        let (dx, dy) = LABEL_OFFSETS[LABEL_OFFSETS.len() - 1];
        let chosen = candidates
            .clone()
            .find(|&c| fits(c))
            .unwrap_or((x + dx, y + dy));
        placed.push(chosen);
    }
    placed
}

/// The positions in `rows` of the parameters by decreasing mu* (ties: in parameter order).
pub fn ranked(rows: &[&SensitivityRow]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| {
        rows[b].values[MU_STAR]
            .total_cmp(&rows[a].values[MU_STAR])
            .then(a.cmp(&b))
    });
    order
}

/// The figure of one outcome's rows (one per parameter); `unit` is the outcome's.
pub fn figure(rows: &[&SensitivityRow], unit: &str) -> plot::Drawn {
    let at = |r: &SensitivityRow| (r.values[MU_STAR], r.values[SIGMA]);
    let points: Vec<(f64, f64)> = rows.iter().map(|r| at(r)).collect();
    let finite = |v: &f64| v.is_finite();
    let top = points
        .iter()
        .flat_map(|p| [p.0, p.1])
        .filter(finite)
        .fold(0.0_f64, f64::max);
    let x = plot::padded(points.iter().map(|p| p.0).chain([0.0]));
    let y = plot::padded(points.iter().map(|p| p.1).chain([0.0]));
    let per_range = |q: &str| {
        if unit.is_empty() {
            format!("{q} (per range of the parameter)")
        } else {
            format!("{q} ({unit} per range)")
        }
    };
    let rank = ranked(rows);
    svg(SMALL, |area| {
        let mut c = chart(area, x.clone(), y.clone())?;
        numeric_mesh(
            &mut c,
            &x,
            &y,
            &per_range("μ*, mean |effect|"),
            &per_range("σ of effects"),
        )?;
        c.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, 0.0), (top, top)],
            GREY.mix(0.7).stroke_width(1),
        )))?;
        c.draw_series(
            points
                .iter()
                .filter(|p| finite(&p.0) && finite(&p.1))
                .map(|&p| Circle::new(p, 3, colour(0).mix(0.6).filled())),
        )?;
        let numbered: Vec<(usize, (i32, i32))> = rank
            .iter()
            .take(NUMBERED)
            .enumerate()
            .filter(|(_, &i)| finite(&points[i].0) && finite(&points[i].1))
            .map(|(n, &i)| (n + 1, c.backend_coord(&points[i])))
            .collect();
        let dots: Vec<(i32, i32)> = numbered.iter().map(|d| d.1).collect();
        let corners = place(&dots, c.plotting_area().get_pixel_range());
        for ((n, _), corner) in numbered.iter().zip(corners) {
            area.draw(&Text::new(n.to_string(), corner, (FONT, TICK_SIZE)))?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_of_close_dots_do_not_overlap_and_stay_in_the_area() {
        let dots = [(100, 100), (102, 101), (101, 99), (300, 20), (590, 200)];
        let area = (0..600, 0..400);
        let at = place(&dots, area.clone());
        for (i, a) in at.iter().enumerate() {
            assert!(a.0 >= 0 && a.0 + LABEL_BOX.0 <= 600 && a.1 >= 0 && a.1 + LABEL_BOX.1 <= 400);
            for b in &at[i + 1..] {
                let apart = a.0 + LABEL_BOX.0 <= b.0
                    || b.0 + LABEL_BOX.0 <= a.0
                    || a.1 + LABEL_BOX.1 <= b.1
                    || b.1 + LABEL_BOX.1 <= a.1;
                assert!(apart, "{a:?} {b:?}");
            }
        }
    }
}
