//! The HTML around the figures: escaping, numbers, sections with a table of contents, figures
//! with a title and a caption, tables, and the style sheet. The page loads nothing: no script,
//! no font, no image from outside it.

use std::fmt::Write;

/// Text made safe for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // A control character is shown by its symbol (U+2400 block), never raw.
            c if c.is_control() && c != '\n' && c != '\t' => out.push(
                char::from_u32(0x2400 + u32::from(c))
                    .filter(|_| u32::from(c) < 0x20)
                    .unwrap_or('\u{fffd}'),
            ),
            c => out.push(c),
        }
    }
    out
}

/// A number with four significant digits (integers as they are), or an en dash when missing.
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    if x.fract() == 0.0 && x.abs() < 1e15 {
        return format!("{}", x as i64);
    }
    let magnitude = x.abs().log10().floor() as i32;
    let decimals = (3 - magnitude).clamp(0, 12) as usize;
    let text = format!("{x:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// A figure: an id for links and tests, a kind (`data-figure`), a title, the SVG and a caption
/// (HTML, already escaped).
pub fn figure(id: &str, kind: &str, title: &str, svg: &str, caption: &str) -> String {
    format!(
        "<figure id=\"{}\" data-figure=\"{}\">\n<h4>{}</h4>\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
        escape(id),
        escape(kind),
        escape(title),
        svg.trim(),
        caption
    )
}

/// `n` with the singular or plural noun: "1 design point", "4 replicates".
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A figure that could not be drawn says so where it would have been.
pub fn missing(id: &str, title: &str, why: &str) -> String {
    format!(
        "<figure id=\"{}\" data-figure=\"missing\">\n<h4>{}</h4>\n<p class=\"note\">not drawn: {}</p>\n</figure>\n",
        escape(id),
        escape(title),
        escape(why)
    )
}

/// A table from a header and rows of cells (HTML, already escaped).
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    // A table wider than the page scrolls inside its box instead of widening the page.
    let mut out = String::from("<div class=\"table\">\n<table>\n<thead><tr>");
    for h in header {
        // Long parameter keys may break after a dot.
        let _ = write!(out, "<th>{}</th>", escape(h).replace('.', ".<wbr>"));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{cell}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
    out
}

/// A colour swatch for legends written in HTML.
pub fn swatch(rgb: (u8, u8, u8)) -> String {
    format!(
        "<span class=\"swatch\" style=\"background:rgb({},{},{})\"></span>",
        rgb.0, rgb.1, rgb.2
    )
}

/// One section of the page.
pub struct Section {
    pub id: &'static str,
    pub title: String,
    pub body: String,
}

/// The whole page: a header, a table of contents and the sections in order.
pub fn page(title: &str, subtitle: &str, sections: &[Section]) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{}</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n<p>{}</p>\n</header>\n<nav>\n<h2>Contents</h2>\n<ol>\n",
        escape(title),
        STYLE,
        escape(title),
        subtitle
    );
    for s in sections {
        let _ = writeln!(
            out,
            "<li><a href=\"#{}\">{}</a></li>",
            s.id,
            escape(&s.title)
        );
    }
    out.push_str("</ol>\n</nav>\n<main>\n");
    for (i, s) in sections.iter().enumerate() {
        let _ = write!(
            out,
            "<section id=\"{}\">\n<h2>{}. {}</h2>\n{}</section>\n",
            s.id,
            i + 1,
            escape(&s.title),
            s.body
        );
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

const STYLE: &str = "\
body { font-family: sans-serif; color: #222; margin: 0 auto; max-width: 1320px; padding: 0 16px 48px; line-height: 1.4; }
h1 { font-size: 1.6em; margin: 24px 0 4px; }
h2 { font-size: 1.3em; border-bottom: 1px solid #ccc; padding-bottom: 4px; margin-top: 36px; }
h3 { font-size: 1.1em; margin: 20px 0 8px; }
h4 { font-size: 0.95em; margin: 0 0 4px; font-family: monospace; font-weight: bold; }
nav ol { columns: 2; }
details { margin: 12px 0; }
summary { font-weight: bold; cursor: pointer; font-size: 1.05em; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(430px, 1fr)); gap: 18px; }
#sweep .grid { grid-template-columns: 1fr; }
figure { margin: 0; padding: 8px; border: 1px solid #e3e3e3; border-radius: 4px; background: #fff; break-inside: avoid; }
figure svg { display: block; width: 100%; height: auto; }
figcaption { font-size: 0.85em; color: #444; margin-top: 4px; }
div.table { max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.9em; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.holds { background: #d8f0d8; }
.fails { background: #f6d0d0; }
.cannot { background: #f6ecc8; }
.note { color: #555; font-size: 0.9em; }
.warning { background: #fff3cd; border-left: 4px solid #e69f00; padding: 4px 10px; margin: 8px 0; }
.swatch { display: inline-block; width: 14px; height: 10px; margin: 0 4px 0 8px; vertical-align: middle; }
pre { background: #f7f7f7; padding: 8px; overflow-x: auto; font-size: 0.85em; }
code { font-size: 0.95em; }
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_control_characters() {
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert!(!escape("x\u{1b}y").contains('\u{1b}'));
    }

    #[test]
    fn numbers_have_four_significant_digits() {
        assert_eq!(number(0.054321), "0.05432");
        assert_eq!(number(12.0), "12");
        assert_eq!(number(1234.5678), "1235");
        assert_eq!(number(f64::NAN), "–");
    }
}
