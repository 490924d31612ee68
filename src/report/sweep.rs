//! An outcome against each swept parameter, one panel per parameter. Each dot is a design
//! point's mean over its replicates; the black line is the main effect: the mean over the
//! points at each value of a grid or level of a Morris design, or over ten equal-count bins of
//! a sampled design. A grid of
//! two parameters draws one line per value of the other parameter instead, with a legend.

use super::labels;
use super::plot::{
    self, chart, colour, numeric_mesh, svg, Area, DrawResult, Drawn, FONT, TICK_SIZE, WIDE,
};
use plotters::prelude::*;
use std::collections::BTreeMap;

/// At most this many dots in one figure, shared by its panels (evenly spaced by point), which
/// bounds the page's size; the lines use every point.
pub const MAX_DOTS: usize = 1000;

/// At most this many panels (swept parameters) in one figure, which bounds the page's size
/// however many parameters a sweep varies.
pub const MAX_PANELS: usize = 12;

/// Dots per panel of a figure with `k` panels: every point, or the figure's share of the budget.
pub fn dots_per_panel(k: usize) -> usize {
    (MAX_DOTS / k.max(1)).max(100)
}
/// A figure is as wide as `plot::WIDE` (so its text shows at the same size as the others'),
/// with up to three panels a row, each this high.
const PANEL_HEIGHT: u32 = 300;
const LEGEND_WIDTH: u32 = 120;

/// The swept values and one outcome's point means of a sweep.
pub struct SweepData<'a> {
    pub keys: &'a [String],
    /// `x[point][key]`.
    pub x: &'a [Vec<f64>],
    /// The mean of the outcome's defined replicate values at each point (NaN when none).
    pub y: Vec<f64>,
    pub grid: bool,
    /// The values lie on a few levels (a Morris design): the main effect is the mean at each.
    pub levels: bool,
}

/// The mean of the defined values, NaN when there are none.
pub fn mean(values: &[Option<f64>]) -> f64 {
    let defined: Vec<f64> = values.iter().flatten().copied().collect();
    if defined.is_empty() {
        f64::NAN
    } else {
        defined.iter().sum::<f64>() / defined.len() as f64
    }
}

pub fn figure(data: &SweepData, axis: &str) -> Drawn {
    let k = data.keys.len();
    let cols = k.clamp(1, 3);
    let rows = k.div_ceil(cols);
    let size = (WIDE.0, PANEL_HEIGHT * rows as u32);
    let y = plot::padded(data.y.iter().copied());
    svg(size, |area| {
        let panels = area.split_evenly((rows, cols));
        for (j, panel) in panels.iter().enumerate().take(k) {
            if data.grid && k == 2 {
                grid_lines(panel, data, j, 1 - j, &y, axis)?;
            } else {
                dots(panel, data, j, &y, axis)?;
            }
        }
        Ok(())
    })
}

fn x_desc(key: &str) -> String {
    labels::axis(key, labels::parameter(key))
}

fn dots(
    panel: &Area,
    data: &SweepData,
    j: usize,
    y: &std::ops::Range<f64>,
    axis: &str,
) -> DrawResult {
    let pairs: Vec<(f64, f64)> = data
        .x
        .iter()
        .zip(&data.y)
        .map(|(x, y)| (x[j], *y))
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    let x = plot::padded(pairs.iter().map(|p| p.0));
    let mut c = chart(panel, x.clone(), y.clone())?;
    numeric_mesh(&mut c, &x, y, &x_desc(&data.keys[j]), axis)?;
    let stride = pairs.len().div_ceil(dots_per_panel(data.keys.len())).max(1);
    c.draw_series(
        pairs
            .iter()
            .step_by(stride)
            .map(|&p| Circle::new(p, 2, colour(0).mix(0.45).filled())),
    )?;
    c.draw_series(LineSeries::new(
        main_effect(&pairs, data.grid || data.levels),
        BLACK.stroke_width(2),
    ))?;
    Ok(())
}

/// Means of y at each distinct x (grid, levels) or in ten bins of equal counts along x.
pub fn main_effect(pairs: &[(f64, f64)], grid: bool) -> Vec<(f64, f64)> {
    let mut sorted = pairs.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let groups: Vec<&[(f64, f64)]> = if grid {
        sorted.chunk_by(|a, b| a.0 == b.0).collect()
    } else {
        let size = sorted.len().div_ceil(10).max(1);
        sorted.chunks(size).collect()
    };
    groups
        .iter()
        .map(|g| {
            let n = g.len() as f64;
            (
                g.iter().map(|p| p.0).sum::<f64>() / n,
                g.iter().map(|p| p.1).sum::<f64>() / n,
            )
        })
        .collect()
}

/// A grid of two parameters: y against parameter `j`, one line per value of parameter `other`.
fn grid_lines(
    panel: &Area,
    data: &SweepData,
    j: usize,
    other: usize,
    y: &std::ops::Range<f64>,
    axis: &str,
) -> DrawResult {
    let mut lines: BTreeMap<u64, Vec<(f64, f64)>> = BTreeMap::new();
    for (x, v) in data.x.iter().zip(&data.y) {
        if v.is_finite() {
            lines
                .entry(x[other].to_bits())
                .or_default()
                .push((x[j], *v));
        }
    }
    let mut lines: Vec<(f64, Vec<(f64, f64)>)> = lines
        .into_iter()
        .map(|(bits, mut line)| {
            line.sort_by(|a, b| a.0.total_cmp(&b.0));
            (f64::from_bits(bits), line)
        })
        .collect();
    lines.sort_by(|a, b| a.0.total_cmp(&b.0));
    let width = panel.dim_in_pixel().0;
    let (plot_area, legend_area) = panel.split_horizontally(width - LEGEND_WIDTH);
    let x = plot::padded(data.x.iter().map(|x| x[j]));
    let mut c = chart(&plot_area, x.clone(), y.clone())?;
    numeric_mesh(&mut c, &x, y, &x_desc(&data.keys[j]), axis)?;
    for (i, (_, line)) in lines.iter().enumerate() {
        let colour = colour(i);
        c.draw_series(LineSeries::new(line.clone(), colour.stroke_width(2)))?;
        c.draw_series(line.iter().map(|&p| Circle::new(p, 3, colour.filled())))?;
    }
    let short = data.keys[other].rsplit('.').next().unwrap_or("");
    let style = (FONT, TICK_SIZE).into_font().color(&BLACK);
    legend_area.draw(&Text::new(format!("{short} ="), (4, 20), style.clone()))?;
    for (i, (value, _)) in lines.iter().enumerate() {
        let top = 40 + 18 * i as i32;
        let colour = colour(i);
        legend_area.draw(&PathElement::new(
            vec![(4, top + 6), (22, top + 6)],
            colour.stroke_width(2),
        ))?;
        let label = plot::tick(*value, value.abs().max(1.0));
        legend_area.draw(&Text::new(label, (28, top), style.clone()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn main_effect_averages_each_grid_value_and_bins_of_a_sample() {
        let pairs = [(1.0, 2.0), (1.0, 4.0), (2.0, 6.0)];
        assert_eq!(main_effect(&pairs, true), [(1.0, 3.0), (2.0, 6.0)]);
        let sample: Vec<(f64, f64)> = (0..100).map(|i| (f64::from(i), f64::from(2 * i))).collect();
        let bins = main_effect(&sample, false);
        assert_eq!(bins.len(), 10);
        assert_eq!(bins[0], (4.5, 9.0));
    }
}
