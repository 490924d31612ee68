//! Sobol indices of one outcome: first-order (S1) and total (ST) index of every swept parameter
//! as bars with their 95% bootstrap intervals (`experiment::sensitivity`). The caption is the
//! legend.

use super::plot::{self, svg, Drawn, DESC_SIZE, FONT, TICK_SIZE};
use crate::experiment::sensitivity::SensitivityRow;
use crate::experiment::sobol::{S1, S1_CONF, ST, ST_CONF};
use plotters::prelude::*;

/// The figure of one outcome's rows (single-parameter rows, in parameter order).
pub fn figure(rows: &[&SensitivityRow]) -> Drawn {
    let k = rows.len();
    let names: Vec<String> = rows.iter().map(|r| r.parameter.clone()).collect();
    let longest = names.iter().map(|n| n.chars().count()).max().unwrap_or(8);
    // Plotters writes fonts at 1/1.24 of their size; sans-serif letters average about 0.6 em.
    let label_width = (longest as f64 * f64::from(TICK_SIZE) / 1.24 * 0.62) as u32 + 20;
    let extremes = rows.iter().flat_map(|r| {
        [
            r.values[S1] - r.values[S1_CONF],
            r.values[S1] + r.values[S1_CONF],
            r.values[ST] - r.values[ST_CONF],
            r.values[ST] + r.values[ST_CONF],
            0.0,
            1.0,
        ]
    });
    let x = plot::padded(extremes);
    let y = -0.6..k as f64 - 0.4;
    let height = 90 + 44 * k as u32;
    svg((label_width + 400, height), |area| {
        let mut c = ChartBuilder::on(area)
            .margin_top(12)
            .margin_right(18)
            .margin_left(6)
            .margin_bottom(6)
            .x_label_area_size(44)
            .y_label_area_size(label_width)
            .build_cartesian_2d(x.clone(), y.clone())?;
        let xs = x.end - x.start;
        let name_of = |v: &f64| -> String {
            let i = v.round();
            if (v - i).abs() < 1e-9 && i >= 0.0 && (i as usize) < k {
                // Parameter 0 at the top.
                names[k - 1 - i as usize].clone()
            } else {
                String::new()
            }
        };
        c.configure_mesh()
            .x_desc("Sobol index (share of variance)")
            .x_label_formatter(&|v| plot::tick(*v, xs))
            .y_label_formatter(&name_of)
            .x_labels(6)
            .y_labels(k + 2)
            .label_style((FONT, TICK_SIZE))
            .axis_desc_style((FONT, DESC_SIZE))
            .bold_line_style(BLACK.mix(0.08))
            .light_line_style(TRANSPARENT)
            .disable_y_mesh()
            .draw()?;
        let bar = |value: f64, conf: f64, row: usize, offset: f64, colour: RGBColor| {
            let yc = (k - 1 - row) as f64 + offset;
            let mut elements: Vec<DynElement<SVGBackend, (f64, f64)>> = Vec::new();
            if value.is_finite() {
                elements.push(
                    Rectangle::new([(0.0, yc - 0.16), (value, yc + 0.16)], colour.filled())
                        .into_dyn(),
                );
                if conf.is_finite() {
                    elements.push(
                        PathElement::new(
                            vec![(value - conf, yc), (value + conf, yc)],
                            BLACK.stroke_width(1),
                        )
                        .into_dyn(),
                    );
                }
            }
            elements
        };
        let s1 = plot::colour(0);
        let st = plot::colour(1);
        c.draw_series(
            rows.iter()
                .enumerate()
                .flat_map(|(i, r)| bar(r.values[S1], r.values[S1_CONF], i, 0.18, s1)),
        )?;
        c.draw_series(
            rows.iter()
                .enumerate()
                .flat_map(|(i, r)| bar(r.values[ST], r.values[ST_CONF], i, -0.18, st)),
        )?;
        c.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, y.start), (0.0, y.end)],
            BLACK.mix(0.6).stroke_width(1),
        )))?;
        Ok(())
    })
}
