//! The sections of a sweep: each outcome against each swept parameter, and the Sobol indices of
//! a sobol sweep (computed as `commsim analyze` computes them).

use super::page::{escape, figure, missing, number, swatch, table, Section};
use super::sections::by_family;
use super::{labels, plot, sobol, sweep, Run};
use crate::experiment::sensitivity::{self as indices, SensitivityRow};
use crate::scenario::Design;
use rayon::prelude::*;
use std::fmt::Write;

pub fn sweep(run: &Run) -> Section {
    let grid = matches!(
        run.scenario.sweep.as_ref().map(|s| s.design),
        Some(Design::Grid)
    );
    let keys = &run.runs.swept_keys;
    let x: Vec<Vec<f64>> = (0..run.runs.points())
        .map(|p| {
            (0..keys.len())
                .map(|k| run.runs.swept_number(p, k))
                .collect()
        })
        .collect();
    let caption = if grid && keys.len() == 2 {
        "Each dot: one design point's mean over its replicates; one line per value of the other \
             parameter (legend at the right of each panel)."
    } else {
        "Each dot: one design point's mean over its replicates; black line: the main effect."
    };
    let per_panel = sweep::dots_per_panel(keys.len());
    let caption = if run.runs.points() > per_panel && !(grid && keys.len() == 2) {
        let stride = run.runs.points().div_ceil(per_panel);
        format!(
            "{caption} {} of the {} points are drawn as dots (every {stride}th); the lines use all \
             of them.",
            run.runs.points().div_ceil(stride),
            run.runs.points()
        )
    } else {
        caption.to_string()
    };
    let draw = |o: usize| -> String {
        let name = &run.runs.table.outcomes[o];
        let id = format!("sweep-{name}");
        let data = sweep::SweepData {
            keys,
            x: &x,
            y: run.runs.table.values[o]
                .iter()
                .map(|r| sweep::mean(r))
                .collect(),
            grid,
        };
        // The title names the outcome and the caption says the dots are point means: the axis
        // gives the unit, which is short enough for a panel's height.
        let axis = match labels::outcome(name).1 {
            "" => "mean",
            unit => unit,
        };
        match sweep::figure(&data, axis) {
            Ok(svg) => figure(&id, "sweep", name, &svg, &caption),
            Err(e) => missing(&id, name, &e),
        }
    };
    let intro = if grid && keys.len() == 2 {
        "A grid of two parameters: each panel puts one parameter on the x axis and draws one line \
             per value of the other (legend at the right); each point is a design point's mean over \
             its replicates."
    } else if grid {
        "Each dot is a design point's mean over its replicates; the black line joins the means \
             over all points at each value of the parameter (its main effect)."
    } else {
        "Each dot is a design point's mean over its replicates; the black line joins the means of \
             ten bins of equal counts along the parameter (its main effect, averaged over the other \
             parameters)."
    };
    Section {
        id: "sweep",
        title: "Outcomes against the swept parameters".into(),
        body: format!(
            "<p class=\"note\">{}</p>\n{}",
            escape(intro),
            by_family(run, &draw)
        ),
    }
}

/// The second-order indices of a sweep with `sweep.second_order = true`, folded away: one row
/// per outcome, one column per pair of parameters, with the 95% interval's half-width.
fn second_order(rows: &[SensitivityRow]) -> String {
    // Pair rows are named `a:b`; every outcome has the same pairs, in the same order.
    let pairs: Vec<&SensitivityRow> = rows.iter().filter(|r| r.parameter.contains(':')).collect();
    let Some(first) = pairs.first() else {
        return String::new();
    };
    let names: Vec<&str> = pairs
        .iter()
        .take_while(|r| r.outcome == first.outcome)
        .map(|r| r.parameter.as_str())
        .collect();
    let mut header = vec!["outcome (S2 ± 95%)"];
    header.extend(names.iter().copied());
    let table_rows: Vec<Vec<String>> = pairs
        .chunk_by(|a, b| a.outcome == b.outcome)
        .map(|chunk| {
            let mut row = vec![format!("<code>{}</code>", escape(&chunk[0].outcome))];
            row.extend(
                chunk
                    .iter()
                    .map(|r| format!("{} ± {}", number(r.s2), number(r.s2_conf))),
            );
            row
        })
        .collect();
    format!(
        "<details>\n<summary>Second-order indices S2 (interactions of two parameters)</summary>\n{}</details>\n",
        table(&header, &table_rows)
    )
}

/// Sobol indices of a sobol sweep, computed as `commsim analyze` computes them.
pub fn sensitivity(run: &Run) -> Result<Option<Section>, String> {
    let Some(sweep) = run
        .scenario
        .sweep
        .as_ref()
        .filter(|s| s.design == Design::Sobol)
    else {
        return Ok(None);
    };
    let parameters = &run.runs.swept_keys;
    let seed = run.scenario.values.whole("run.seed");
    let (rows, skipped) =
        indices::sensitivity(&run.runs.table, parameters, sweep.second_order, seed)?;
    let single: Vec<&SensitivityRow> = rows
        .iter()
        .filter(|r| r.s1.is_finite() || r.st.is_finite())
        .collect();
    let mut body = format!(
        "<p class=\"note\">Saltelli estimates of the first-order (S1) and total (ST) Sobol \
             indices of each outcome's point means, with 95% bootstrap intervals ({} base points; the \
             same numbers as <code>commsim analyze</code> writes to sensitivity.csv). \"noise\" is \
             the share of the run-to-run variance that is replicate noise: near 1, the point means \
             are mostly noise and their indices say little about the parameters (more replicates \
             help). Indices are shares of variance: estimates below 0 or above 1 come from too few \
             base points.</p>\n",
        rows.first().map(|r| r.base_points).unwrap_or(0)
    );
    let noisy = indices::noisy_outcomes(&rows);
    if !noisy.is_empty() {
        let items: Vec<String> = noisy
            .iter()
            .map(|n| {
                format!(
                    "<li><code>{}</code>: {}</li>",
                    escape(&n.outcome),
                    escape(&n.why)
                )
            })
            .collect();
        let _ = write!(
            body,
            "<div class=\"warning\"><p><strong>Warning:</strong> the indices of {} of the outcomes \
             cannot be told from noise (too few base points, replicate noise above {}, a total index above 1, or \
             intervals wider than the indices). Read them as undetermined, not as small or large; \
             add base points (<code>sweep.samples</code>) or replicates.</p>\n<details>\n<summary>\
             Which, and why</summary>\n<ul>\n{}</ul>\n</details>\n</div>\n",
            noisy.len(),
            indices::NOISE_WARNING,
            items.concat()
        );
    }
    let mut header: Vec<&str> = vec!["outcome (ST)"];
    header.extend(parameters.iter().map(String::as_str));
    header.push("noise");
    let table_rows: Vec<Vec<String>> = single
        .chunks(parameters.len().max(1))
        .map(|chunk| {
            let mut row = vec![format!(
                "<a href=\"#sobol-{0}\"><code>{0}</code></a>",
                escape(&chunk[0].outcome)
            )];
            row.extend(chunk.iter().map(|r| {
                let alpha = if r.st.is_finite() {
                    r.st.clamp(0.0, 1.0) * 0.75
                } else {
                    0.0
                };
                format!(
                    "<span style=\"background:rgba(230,159,0,{alpha:.2})\">{}</span>",
                    number(r.st)
                )
            }));
            row.push(number(chunk[0].replicate_noise));
            row
        })
        .collect();
    body.push_str(&table(&header, &table_rows));
    body.push_str(&second_order(&rows));
    let (s1, st) = (plot::colour(0), plot::colour(1));
    let sobol_caption = format!(
        "{}S1 (first order) {}ST (total); black lines: 95% bootstrap intervals.",
        swatch((s1.0, s1.1, s1.2)),
        swatch((st.0, st.1, st.2))
    );
    let figures: Vec<String> = single
        .chunks(parameters.len().max(1))
        .collect::<Vec<_>>()
        .par_iter()
        .map(|chunk| {
            let name = &chunk[0].outcome;
            let id = format!("sobol-{name}");
            match sobol::figure(chunk) {
                Ok(svg) => figure(&id, "sobol", name, &svg, &sobol_caption),
                Err(e) => missing(&id, name, &e),
            }
        })
        .collect();
    let _ = write!(body, "<div class=\"grid\">\n{}</div>\n", figures.concat());
    if !skipped.is_empty() {
        let _ = writeln!(
            body,
            "<p class=\"note\">No indices (undefined in some runs): {}.</p>",
            escape(&skipped.join(", "))
        );
    }
    Ok(Some(Section {
        id: "sensitivity",
        title: "Sensitivity (Sobol indices)".into(),
        body,
    }))
}
