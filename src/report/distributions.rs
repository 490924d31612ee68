//! An outcome's distribution across replicates: a histogram for one design point, box plots with
//! every run shown for a few points, and for many points each point's median and quantile
//! ranges, ordered by median. Quantiles are those of summary.csv (`experiment::stats`). The
//! captions are the legends, so no legend box hides data.

use super::plot::{self, chart, colour, numeric_mesh, svg, Drawn, GREY, SMALL};
use crate::experiment::stats::{summarize, Summary};
use plotters::prelude::*;

/// Up to this many points get a box each; beyond, points are ordered by median.
pub const MAX_BOXES: usize = 24;
/// At most this many points are drawn in an ordered plot (evenly spaced by rank).
pub const MAX_RANKED: usize = 1000;
/// Beyond this many points the ordered plot draws ribbons instead of a line per point.
pub const MAX_RANGES: usize = 150;

/// The figure of one outcome: `points[p]` holds the replicate values of point p.
pub fn figure(points: &[Vec<Option<f64>>], axis: &str) -> Drawn {
    match points.len() {
        1 => histogram(points[0].iter().flatten().copied().collect(), axis),
        n if n <= MAX_BOXES => boxes(points, axis),
        _ => ranked(points, axis),
    }
}

fn histogram(values: Vec<f64>, axis: &str) -> Drawn {
    let s = summarize(&values.iter().map(|v| Some(*v)).collect::<Vec<_>>()).ok_or("no values")?;
    let integers = values.iter().all(|v| v.fract() == 0.0);
    let (start, width, bins) = bins(&values, &s, integers);
    let mut counts = vec![0u32; bins];
    for v in &values {
        let b = (((v - start) / width).floor() as usize).min(bins - 1);
        counts[b] += 1;
    }
    // The mean's interval is drawn whole, even where it reaches past the runs.
    let x = (start - 0.5 * width).min(s.ci95_low - 0.5 * width)
        ..(start + (bins as f64 + 0.5) * width).max(s.ci95_high + 0.5 * width);
    let highest = f64::from(*counts.iter().max().unwrap_or(&1));
    let (ci_at, top) = (highest * 1.12, highest * 1.25);
    let y = 0.0..top;
    svg(SMALL, |area| {
        let mut c = chart(area, x.clone(), y.clone())?;
        let xs = x.end - x.start;
        // Runs are counted: whole numbers only on that axis.
        plot::mesh(
            &mut c,
            axis,
            "runs",
            &|v| plot::tick(*v, xs),
            &|v| plot::integer_tick(*v),
            6,
        )?;
        c.draw_series(counts.iter().enumerate().map(|(b, n)| {
            let x0 = start + b as f64 * width;
            Rectangle::new(
                [(x0, 0.0), (x0 + width, f64::from(*n))],
                colour(0).mix(0.55).filled(),
            )
        }))?;
        c.draw_series(std::iter::once(PathElement::new(
            vec![(s.median, 0.0), (s.median, top)],
            BLACK.stroke_width(2),
        )))?;
        let ci = colour(3);
        c.draw_series(std::iter::once(PathElement::new(
            vec![(s.ci95_low, ci_at), (s.ci95_high, ci_at)],
            ci.stroke_width(3),
        )))?;
        c.draw_series(std::iter::once(Circle::new(
            (s.mean, ci_at),
            5,
            ci.filled(),
        )))?;
        Ok(())
    })
}

/// Bins of a histogram: start, width and count. Integer data gets bins of whole numbers.
fn bins(values: &[f64], s: &Summary, integers: bool) -> (f64, f64, usize) {
    let target = ((values.len() as f64).sqrt().ceil() as usize).clamp(5, 30);
    let span = s.max - s.min;
    if span == 0.0 {
        return (s.min - 0.5, 1.0, 1);
    }
    let mut width = span / target as f64;
    if integers {
        width = width.ceil().max(1.0);
        let start = s.min - 0.5;
        let bins = ((s.max + 0.5 - start) / width).ceil() as usize;
        return (start, width, bins.max(1));
    }
    width *= 1.0 + 1e-9;
    (s.min, width, target)
}

fn boxes(points: &[Vec<Option<f64>>], axis: &str) -> Drawn {
    let summaries: Vec<Option<Summary>> = points.iter().map(|p| summarize(p)).collect();
    let x = -0.6..points.len() as f64 - 0.4;
    let y = plot::padded(points.iter().flatten().flatten().copied());
    svg(SMALL, |area| {
        let mut c = chart(area, x.clone(), y.clone())?;
        let ys = y.end - y.start;
        plot::mesh(
            &mut c,
            "design point",
            axis,
            &|v| plot::integer_tick(*v),
            &|v| plot::tick(*v, ys),
            // Every point numbered.
            points.len() + 2,
        )?;
        for (p, s) in summaries.iter().enumerate() {
            let Some(s) = s else { continue };
            let x0 = p as f64;
            c.draw_series(std::iter::once(PathElement::new(
                vec![(x0, s.p05), (x0, s.p95)],
                GREY.stroke_width(1),
            )))?;
            c.draw_series(std::iter::once(Rectangle::new(
                [(x0 - 0.3, s.p25), (x0 + 0.3, s.p75)],
                colour(0).mix(0.35).filled(),
            )))?;
            c.draw_series(std::iter::once(PathElement::new(
                vec![(x0 - 0.3, s.median), (x0 + 0.3, s.median)],
                BLACK.stroke_width(2),
            )))?;
            c.draw_series(points[p].iter().enumerate().filter_map(|(r, v)| {
                let jitter = ((r as f64 * 0.618_034).fract() - 0.5) * 0.5;
                v.map(|v| Circle::new((x0 + jitter, v), 2, colour(3).mix(0.6).filled()))
            }))?;
        }
        Ok(())
    })
}

fn ranked(points: &[Vec<Option<f64>>], axis: &str) -> Drawn {
    let mut summaries: Vec<Summary> = points.iter().filter_map(|p| summarize(p)).collect();
    summaries.sort_by(|a, b| a.median.total_cmp(&b.median));
    let stride = summaries.len().div_ceil(MAX_RANKED).max(1);
    let shown: Vec<(usize, &Summary)> = summaries.iter().enumerate().step_by(stride).collect();
    let x = -0.5..summaries.len() as f64 - 0.5;
    let y = plot::padded(shown.iter().flat_map(|(_, s)| [s.p05, s.p95]));
    let range_line = GREY.mix(0.6).stroke_width(1);
    svg(SMALL, |area| {
        let mut c = chart(area, x.clone(), y.clone())?;
        numeric_mesh(&mut c, &x, &y, "design points ordered by median", axis)?;
        if shown.len() > MAX_RANGES {
            // Ranges side by side would merge: draw them as ribbons, one vertex per point.
            let line = |q: fn(&Summary) -> f64| -> Vec<(f64, f64)> {
                shown.iter().map(|(i, s)| (*i as f64, q(s))).collect()
            };
            for (low, high, style) in [
                (line(|s| s.p05), line(|s| s.p95), GREY.mix(0.3).filled()),
                (
                    line(|s| s.p25),
                    line(|s| s.p75),
                    colour(0).mix(0.5).filled(),
                ),
            ] {
                let mut ribbon = high;
                ribbon.extend(low.into_iter().rev());
                c.draw_series(std::iter::once(Polygon::new(ribbon, style)))?;
            }
            c.draw_series(std::iter::once(PathElement::new(
                line(|s| s.median),
                BLACK.stroke_width(2),
            )))?;
            return Ok(());
        }
        c.draw_series(shown.iter().map(|(i, s)| {
            PathElement::new(vec![(*i as f64, s.p05), (*i as f64, s.p95)], range_line)
        }))?;
        c.draw_series(shown.iter().map(|(i, s)| {
            PathElement::new(
                vec![(*i as f64, s.p25), (*i as f64, s.p75)],
                colour(0).stroke_width(3),
            )
        }))?;
        c.draw_series(
            shown
                .iter()
                .map(|(i, s)| Circle::new((*i as f64, s.median), 2, BLACK.filled())),
        )?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_bins_are_whole_numbers_and_hold_every_value() {
        let values: Vec<f64> = (0..50).map(|i| f64::from(100 + i % 13)).collect();
        let s = summarize(&values.iter().map(|v| Some(*v)).collect::<Vec<_>>()).unwrap();
        let (start, width, bins) = bins(&values, &s, true);
        assert_eq!(width.fract(), 0.0);
        assert!(start < s.min && start + width * bins as f64 > s.max);
    }

    #[test]
    fn each_number_of_points_gets_a_figure() {
        for n in [1, 3, 40] {
            let points: Vec<Vec<Option<f64>>> = (0..n)
                .map(|p| (0..5).map(|r| Some(f64::from(p * 5 + r) / 7.0)).collect())
                .collect();
            let svg = figure(&points, "survival (share of communities)").unwrap();
            assert!(svg.starts_with("<svg") && svg.contains("survival (share of communities)"));
        }
    }
}
