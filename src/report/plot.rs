//! What every figure of the report shares: drawing into an SVG string with plotters, the sizes,
//! fonts and colours, axis ranges with a margin, and tick labels that read as numbers.

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::ops::Range;

/// The result of drawing one figure: its SVG text, or what went wrong.
pub type Drawn = Result<String, String>;

/// Errors inside a drawing closure.
pub type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// The area a figure draws on.
pub type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Width and height of a small figure (one of a grid) and of a wide one, in CSS pixels: a
/// page 1320 pixels wide shows them at about their own size, so text reads at its font size.
pub const SMALL: (u32, u32) = (600, 390);
pub const WIDE: (u32, u32) = (1240, 440);

pub const FONT: &str = "sans-serif";
/// Font sizes as plotters takes them; its SVG writes them divided by 1.24 (12.9 and 13.7 px).
pub const TICK_SIZE: u32 = 16;
pub const DESC_SIZE: u32 = 17;

/// Colour-blind safe colours (Okabe and Ito 2008), in the order of `params::TYPES` first.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(240, 228, 66),
    RGBColor(0, 0, 0),
];

pub const GREY: RGBColor = RGBColor(110, 110, 110);
/// The shock windows: `SHADE` at `SHADE_ALPHA` over white.
pub const SHADE: RGBColor = RGBColor(200, 60, 60);
pub const SHADE_ALPHA: f64 = 0.1;

/// A colour at `alpha` over white, as the page shows a translucent fill: for HTML swatches.
pub fn over_white(c: RGBColor, alpha: f64) -> (u8, u8, u8) {
    let mix = |v: u8| (255.0 - (255.0 - f64::from(v)) * alpha).round() as u8;
    (mix(c.0), mix(c.1), mix(c.2))
}

pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Draws a figure of `size` into an SVG string; the drawing closure gets the whole area, filled
/// white. The SVG keeps its viewBox so that the page can scale it.
pub fn svg(size: (u32, u32), draw: impl FnOnce(&Area) -> DrawResult) -> Drawn {
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, size).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        draw(&root).map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(text)
}

/// The range of finite values widened by 5% on each side (or by a unit around a constant).
pub fn padded(values: impl IntoIterator<Item = f64>) -> Range<f64> {
    let (lo, hi) = values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if !lo.is_finite() {
        return 0.0..1.0;
    }
    let span = hi - lo;
    if span <= f64::EPSILON * hi.abs().max(1.0) {
        let half = (hi.abs() * 0.05).max(0.5);
        return lo - half..hi + half;
    }
    lo - 0.05 * span..hi + 0.05 * span
}

/// A tick label: as many decimals as the axis span needs, no trailing zeros, and no "-0".
pub fn tick(v: f64, span: f64) -> String {
    let decimals = if span > 0.0 {
        (2.0 - span.log10().floor()).clamp(0.0, 6.0) as usize
    } else {
        2
    };
    let text = format!("{v:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    if text == "-0" {
        "0".into()
    } else {
        text
    }
}

/// A label for integer positions of a categorical axis drawn over reals, blank elsewhere.
pub fn integer_tick(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        String::new()
    }
}

/// Draws the mesh of a chart: axis descriptions with units, readable ticks (at most `x_labels`
/// on the x axis), a light grid.
pub fn mesh<'a, 'b>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    x_desc: &str,
    y_desc: &str,
    x_format: &dyn Fn(&f64) -> String,
    y_format: &dyn Fn(&f64) -> String,
    x_labels: usize,
) -> DrawResult {
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_label_formatter(x_format)
        .y_label_formatter(y_format)
        .x_labels(x_labels)
        .y_labels(6)
        .label_style((FONT, TICK_SIZE))
        .axis_desc_style((FONT, DESC_SIZE))
        .bold_line_style(BLACK.mix(0.08))
        .light_line_style(TRANSPARENT)
        .draw()?;
    Ok(())
}

/// A chart over real axes with room for tick labels and axis descriptions.
pub fn chart<'a, 'b>(
    area: &'a Area<'b>,
    x: Range<f64>,
    y: Range<f64>,
) -> Result<
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    Box<dyn std::error::Error>,
> {
    Ok(ChartBuilder::on(area)
        .margin_top(12)
        .margin_right(18)
        .margin_left(6)
        .margin_bottom(6)
        .x_label_area_size(44)
        .y_label_area_size(80)
        .build_cartesian_2d(x, y)?)
}

/// Mesh with numeric ticks on both axes, formatted for the axes' spans.
pub fn numeric_mesh<'a, 'b>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    x: &Range<f64>,
    y: &Range<f64>,
    x_desc: &str,
    y_desc: &str,
) -> DrawResult {
    let (xs, ys) = (x.end - x.start, y.end - y.start);
    mesh(
        chart,
        x_desc,
        y_desc,
        &|v| tick(*v, xs),
        &|v| tick(*v, ys),
        6,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_read_as_numbers() {
        assert_eq!(tick(0.30000000000000004, 1.0), "0.3");
        assert_eq!(tick(133275.0, 20000.0), "133275");
        assert_eq!(tick(-0.0001, 1.0), "0");
        assert_eq!(tick(0.0125, 0.05), "0.0125");
        assert_eq!(integer_tick(3.0), "3");
        assert_eq!(integer_tick(2.5), "");
    }

    #[test]
    fn ranges_are_padded_and_never_empty() {
        let r = padded([1.0, 3.0]);
        assert!((r.start - 0.9).abs() < 1e-12 && (r.end - 3.1).abs() < 1e-12);
        let c = padded([2.0, 2.0]);
        assert!(c.start < 2.0 && c.end > 2.0);
        assert_eq!(padded([f64::NAN]), 0.0..1.0);
    }
}
