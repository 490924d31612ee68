//! The sections of a sweep: each outcome against each swept parameter, and the sensitivity
//! estimates of a sobol or morris sweep (computed as `commsim analyze` computes them): the
//! Sobol indices here, the Morris screening in `screening`.

use super::page::{escape, figure, missing, number, swatch, table, Section};
use super::sections::by_family;
use super::{labels, plot, sobol, sweep, Run};
use crate::experiment::design::method;
use crate::experiment::sensitivity::{self as indices, NoisyOutcome, SensitivityRow};
use crate::experiment::sobol::{S1, S2, S2_CONF, ST};
use crate::scenario::{Design, Sweep};
use rayon::prelude::*;
use std::fmt::Write;

/// The swept parameters drawn for each outcome of a sweep of more than `sweep::MAX_PANELS`:
/// in a morris sweep, those of largest mu* for the outcome, largest first; none for an outcome
/// without elementary effects (the first parameters are drawn).
fn ranked_panels(run: &Run) -> std::collections::HashMap<String, Vec<usize>> {
    let Some(sweep) = run
        .scenario
        .sweep
        .as_ref()
        .filter(|s| s.design == Design::Morris)
    else {
        return Default::default();
    };
    let Ok(Estimates { rows, .. }) = estimates(run, sweep) else {
        return Default::default();
    };
    let k = run.runs.swept_keys.len().max(1);
    rows.chunks(k)
        .map(|chunk| {
            let refs: Vec<&SensitivityRow> = chunk.iter().collect();
            let mut order = super::morris::ranked(&refs);
            order.truncate(sweep::MAX_PANELS);
            (chunk[0].outcome.clone(), order)
        })
        .collect()
}

pub fn sweep(run: &Run) -> Section {
    let design = run.scenario.sweep.as_ref().map(|s| s.design);
    let grid = design == Some(Design::Grid);
    let morris = design == Some(Design::Morris);
    let all_keys = &run.runs.swept_keys;
    let shown = all_keys.len().min(sweep::MAX_PANELS);
    let ranked = if all_keys.len() > shown {
        ranked_panels(run)
    } else {
        Default::default()
    };
    let x: Vec<Vec<f64>> = (0..run.runs.points())
        .map(|p| {
            (0..all_keys.len())
                .map(|k| run.runs.swept_number(p, k))
                .collect()
        })
        .collect();
    let caption = if grid && all_keys.len() == 2 {
        "Each dot: one design point's mean over its replicates; one line per value of the other \
             parameter (legend at the right of each panel)."
    } else {
        "Each dot: one design point's mean over its replicates; black line: the main effect."
    };
    let per_panel = sweep::dots_per_panel(shown);
    let caption = if run.runs.points() > per_panel && !(grid && all_keys.len() == 2) {
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
        let first: Vec<usize> = (0..shown).collect();
        let panels = ranked.get(name).unwrap_or(&first);
        let (keys, x, caption) = if panels.len() == all_keys.len() {
            (all_keys.clone(), x.clone(), caption.clone())
        } else {
            let which = if ranked.contains_key(name) {
                format!(
                    "the {shown} of the {} parameters with the largest μ* for this outcome, \
                     largest first (the screening section ranks them all)",
                    all_keys.len()
                )
            } else {
                format!(
                    "the first {shown} of the {} swept parameters",
                    all_keys.len()
                )
            };
            (
                panels.iter().map(|&i| all_keys[i].clone()).collect(),
                x.iter()
                    .map(|p| panels.iter().map(|&i| p[i]).collect())
                    .collect(),
                format!("{caption} Panels: {which}."),
            )
        };
        let data = sweep::SweepData {
            keys: &keys,
            x: &x,
            y: run.runs.table.values[o]
                .iter()
                .map(|r| sweep::mean(r))
                .collect(),
            grid,
            levels: morris,
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
    let intro = if grid && all_keys.len() == 2 {
        "A grid of two parameters: each panel puts one parameter on the x axis and draws one line \
             per value of the other (legend at the right); each point is a design point's mean over \
             its replicates."
    } else if grid {
        "Each dot is a design point's mean over its replicates; the black line joins the means \
             over all points at each value of the parameter (its main effect)."
    } else if morris {
        "Each dot is a design point's mean over its replicates; the black line joins the means \
             over all points at each level of the parameter (its main effect; a Morris design puts \
             each parameter on a grid of levels)."
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
                    .map(|r| format!("{} ± {}", number(r.values[S2]), number(r.values[S2_CONF]))),
            );
            row
        })
        .collect();
    format!(
        "<details>\n<summary>Second-order indices S2 (interactions of two parameters)</summary>\n{}</details>\n",
        table(&header, &table_rows)
    )
}

/// The sensitivity section of a sobol or morris sweep; none for other designs.
pub fn sensitivity(run: &Run) -> Result<Option<Section>, String> {
    let Some(sweep) = run.scenario.sweep.as_ref() else {
        return Ok(None);
    };
    match sweep.design {
        Design::Sobol => sobol_section(run, sweep).map(Some),
        Design::Morris => super::screening::section(run, sweep).map(Some),
        Design::Grid | Design::Lhs | Design::File => Ok(None),
    }
}

/// The estimates of a sweep by its design's method, as `commsim analyze` computes them.
pub(super) struct Estimates {
    pub rows: Vec<SensitivityRow>,
    /// Outcomes undefined in some runs, without estimates.
    pub skipped: Vec<String>,
    /// Outcomes whose estimates cannot be told from noise.
    pub noisy: Vec<NoisyOutcome>,
}

/// The estimates of a sweep by its design's method, as `commsim analyze` computes them.
pub(super) fn estimates(run: &Run, sweep: &Sweep) -> Result<Estimates, String> {
    let method = method(sweep).ok_or("not a sensitivity design")?;
    let seed = run.scenario.values.whole("run.seed");
    let (rows, skipped) =
        indices::sensitivity(&run.runs.table, &run.runs.swept_keys, method.as_ref(), seed)?;
    let noisy = indices::noisy_outcomes(&rows, method.as_ref());
    Ok(Estimates {
        rows,
        skipped,
        noisy,
    })
}

/// The list items of the outcomes that cannot be told from noise, and why.
pub(super) fn noisy_items(noisy: &[NoisyOutcome]) -> String {
    noisy
        .iter()
        .map(|n| {
            format!(
                "<li><code>{}</code>: {}</li>",
                escape(&n.outcome),
                escape(&n.why)
            )
        })
        .collect::<Vec<_>>()
        .concat()
}

/// Sobol indices of a sobol sweep, computed as `commsim analyze` computes them.
fn sobol_section(run: &Run, sweep: &Sweep) -> Result<Section, String> {
    let parameters = &run.runs.swept_keys;
    let Estimates {
        rows,
        skipped,
        noisy,
    } = estimates(run, sweep)?;
    let single: Vec<&SensitivityRow> = rows
        .iter()
        .filter(|r| r.values[S1].is_finite() || r.values[ST].is_finite())
        .collect();
    let mut body = format!(
        "<p class=\"note\">Saltelli estimates of the first-order (S1) and total (ST) Sobol \
             indices of each outcome's point means, with 95% bootstrap intervals ({} base points; the \
             same numbers as <code>commsim analyze</code> writes to sensitivity.csv). \"noise\" is \
             the share of the run-to-run variance that is replicate noise: near 1, the point means \
             are mostly noise and their indices say little about the parameters (more replicates \
             help). Indices are shares of variance: estimates below 0 or above 1 come from too few \
             base points.</p>\n",
        rows.first().map(|r| r.units).unwrap_or(0)
    );
    if !noisy.is_empty() {
        let _ = write!(
            body,
            "<div class=\"warning\"><p><strong>Warning:</strong> the indices of {} of the outcomes \
             cannot be told from noise (too few base points, replicate noise above {} of the point means' variance, a total index above 1, or \
             intervals wider than the indices). Read them as undetermined, not as small or large; \
             add base points (<code>sweep.samples</code>) or replicates.</p>\n<details>\n<summary>\
             Which, and why</summary>\n<ul>\n{}</ul>\n</details>\n</div>\n",
            noisy.len(),
            indices::NOISE_WARNING,
            noisy_items(&noisy)
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
                let st = r.values[ST];
                let alpha = if st.is_finite() {
                    st.clamp(0.0, 1.0) * 0.75
                } else {
                    0.0
                };
                format!(
                    "<span style=\"background:rgba(230,159,0,{alpha:.2})\">{}</span>",
                    number(st)
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
    Ok(sensitivity_section(
        body,
        &figures,
        "No indices",
        &skipped,
        "Sensitivity (Sobol indices)",
    ))
}

/// The sensitivity section of a method: its text, its figures in a grid, and a note naming the
/// outcomes it skipped (undefined in some runs) under `none`.
pub(super) fn sensitivity_section(
    mut body: String,
    figures: &[String],
    none: &str,
    skipped: &[String],
    title: &str,
) -> Section {
    let _ = write!(body, "<div class=\"grid\">\n{}</div>\n", figures.concat());
    if !skipped.is_empty() {
        let _ = writeln!(
            body,
            "<p class=\"note\">{none} (undefined in some runs): {}.</p>",
            escape(&skipped.join(", "))
        );
    }
    Section {
        id: "sensitivity",
        title: title.into(),
        body,
    }
}
