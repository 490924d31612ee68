//! Kaplan-Meier survival of communities by type, with 95% bands (survival.csv, pooled over
//! replicates): one figure per point for a few points, else the curve pooled over all points
//! and, per type, every point's curve.

use super::plot::{chart, colour, numeric_mesh, svg, Drawn, SMALL, WIDE};
use crate::experiment::survival::{KmRow, SurvivalCounts};
use crate::params::TYPES;
use plotters::prelude::*;

/// At most this many point curves in one figure (evenly spaced by point).
pub const MAX_CURVES: usize = 100;

const X_DESC: &str = "months since the community entered observation";
const Y_DESC: &str = "surviving (share of communities)";

/// Curves of every type with their bands, in one figure; the caption is the legend (colours in
/// `TYPES` order), so no box hides a curve.
pub fn by_type(counts: &SurvivalCounts) -> Drawn {
    let curves: Vec<Vec<KmRow>> = (0..TYPES.len()).map(|g| counts.curve(g)).collect();
    let months = curves.iter().map(Vec::len).max().unwrap_or(1).max(2);
    let x = 0.0..(months - 1) as f64;
    let y = y_range(
        curves
            .iter()
            .flatten()
            .filter(|r| r.at_risk > 0)
            .map(|r| r.ci95_low),
    );
    svg(WIDE, |area| {
        let mut c = chart(area, x.clone(), y.clone())?;
        numeric_mesh(&mut c, &x, &y, X_DESC, Y_DESC)?;
        for (g, curve) in curves.iter().enumerate() {
            let rows: Vec<&KmRow> = curve.iter().filter(|r| r.at_risk > 0).collect();
            if rows.is_empty() {
                continue;
            }
            let colour = colour(g);
            c.draw_series(std::iter::once(band(&rows, colour)))?;
            c.draw_series(std::iter::once(curve_line(&rows, colour)))?;
        }
        Ok(())
    })
}

/// Communities observed of each type (the curve's n), in `TYPES` order.
pub fn observed(counts: &SurvivalCounts) -> Vec<u64> {
    (0..TYPES.len())
        .map(|g| counts.events[g].iter().sum::<u64>() + counts.censored[g].iter().sum::<u64>())
        .collect()
}

/// One type's curve at every point (thin) and pooled over all points (thick, with its band).
/// The caption is the legend: no box hides a curve.
pub fn spaghetti(points: &[SurvivalCounts], pooled: &SurvivalCounts, group: usize) -> Drawn {
    let stride = points.len().div_ceil(MAX_CURVES).max(1);
    let curves: Vec<Vec<KmRow>> = points
        .iter()
        .step_by(stride)
        .map(|p| p.curve(group))
        .collect();
    let pooled = pooled.curve(group);
    let months = pooled.len().max(2);
    let x = 0.0..(months - 1) as f64;
    let live = |curve: &[KmRow]| -> Vec<KmRow> {
        curve.iter().filter(|r| r.at_risk > 0).cloned().collect()
    };
    let y = y_range(
        curves
            .iter()
            .flat_map(|c| live(c))
            .map(|r| r.survival)
            .chain(live(&pooled).iter().map(|r| r.ci95_low)),
    );
    let colour = colour(group);
    svg(SMALL, |area| {
        let mut c = chart(area, x.clone(), y.clone())?;
        numeric_mesh(&mut c, &x, &y, X_DESC, Y_DESC)?;
        for curve in &curves {
            let rows = live(curve);
            let rows: Vec<&KmRow> = rows.iter().collect();
            c.draw_series(std::iter::once(PathElement::new(
                steps(&rows, |r| r.survival),
                colour.mix(0.25).stroke_width(1),
            )))?;
        }
        let rows = live(&pooled);
        let rows: Vec<&KmRow> = rows.iter().collect();
        if !rows.is_empty() {
            c.draw_series(std::iter::once(band(&rows, BLACK)))?;
            c.draw_series(std::iter::once(curve_line(&rows, BLACK)))?;
        }
        Ok(())
    })
}

/// The 95% band of a curve, as a translucent polygon.
fn band(rows: &[&KmRow], colour: RGBColor) -> Polygon<(f64, f64)> {
    let mut outline = steps(rows, |r| r.ci95_high);
    outline.extend(steps(rows, |r| r.ci95_low).into_iter().rev());
    Polygon::new(outline, colour.mix(0.15).filled())
}

/// The curve itself.
fn curve_line(rows: &[&KmRow], colour: RGBColor) -> PathElement<(f64, f64)> {
    PathElement::new(steps(rows, |r| r.survival), colour.stroke_width(2))
}

/// A step function through the rows: the value holds from a month until the next.
fn steps(rows: &[&KmRow], value: impl Fn(&KmRow) -> f64) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(rows.len() * 2);
    for (i, r) in rows.iter().enumerate() {
        if i > 0 {
            out.push((r.time as f64, value(rows[i - 1])));
        }
        out.push((r.time as f64, value(r)));
    }
    out
}

/// From a little below the lowest value to a little above 1.
fn y_range(lows: impl Iterator<Item = f64>) -> std::ops::Range<f64> {
    let low = lows.filter(|v| v.is_finite()).fold(1.0, f64::min);
    let span = (1.0 - low).max(0.02);
    (low - 0.05 * span).max(0.0)..1.0 + 0.03 * span
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_hold_each_value_until_the_next_month() {
        let rows: Vec<KmRow> = [(0, 1.0), (2, 0.5)]
            .iter()
            .map(|&(time, survival)| KmRow {
                time,
                at_risk: 1,
                events: 0,
                censored: 0,
                survival,
                ci95_low: survival,
                ci95_high: survival,
            })
            .collect();
        let refs: Vec<&KmRow> = rows.iter().collect();
        assert_eq!(
            steps(&refs, |r| r.survival),
            [(0.0, 1.0), (2.0, 1.0), (2.0, 0.5)]
        );
    }
}
