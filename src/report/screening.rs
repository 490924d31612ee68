//! The section of a morris sweep: Morris elementary effects of every outcome (computed as
//! `commsim analyze` computes them), a table of the parameters of largest mu* per outcome and a
//! mu*-sigma figure per outcome.

use super::page::{escape, figure, missing, number, table, Section};
use super::sweep_sections::{estimates, noisy_items, sensitivity_section, Estimates};
use super::{labels, morris, Run};
use crate::experiment::morris::{MU_STAR, MU_STAR_CONF, SIGMA};
use crate::experiment::sensitivity::{SensitivityRow, NOISE_WARNING};
use crate::scenario::Sweep;
use rayon::prelude::*;
use std::fmt::Write;

/// Parameters of largest mu* shown per outcome in the table.
const IN_TABLE: usize = 3;

pub fn section(run: &Run, sweep: &Sweep) -> Result<Section, String> {
    let parameters = &run.runs.swept_keys;
    let Estimates {
        rows,
        skipped,
        noisy,
    } = estimates(run, sweep)?;
    let design = match sweep.candidates {
        Some(m) => format!(
            "{} trajectories, the most spread of {m} drawn, on a grid of {} levels",
            sweep.trajectories, sweep.levels
        ),
        None => format!(
            "{} trajectories on a grid of {} levels",
            sweep.trajectories, sweep.levels
        ),
    };
    let mut body = format!(
        "<p class=\"note\">Morris elementary effects of each outcome's point means ({}; the same \
         numbers as <code>commsim analyze</code> writes to sensitivity.csv). An elementary effect \
         is the change of the outcome when one parameter moves one step, divided by the step as \
         a share of that parameter's range, so μ, μ* and σ are in the outcome's unit per the \
         parameter's whole range. μ* (mean absolute effect, with its 95% bootstrap interval) \
         ranks the parameters by influence; σ (standard deviation of the effects) as large as μ* \
         or larger means the effect depends on the other parameters or on the parameter's own \
         value (interactions, non-linearity); μ well below μ* means effects of both signs. \
         \"noise\" is the share of the run-to-run variance that is replicate noise. Screening \
         ranks parameters; it does not apportion variance (a sobol sweep of the few that matter \
         does).</p>\n",
        escape(&design)
    );
    if !noisy.is_empty() {
        let _ = write!(
            body,
            "<div class=\"warning\"><p><strong>Warning:</strong> the elementary effects of {} of \
             the outcomes cannot be told from noise (too few trajectories, replicate noise above \
             {NOISE_WARNING} of the point means' variance, or every μ* within its interval of zero). Read their ranking as \
             undetermined; add trajectories (<code>sweep.trajectories</code>) or replicates.</p>\n\
             <details>\n<summary>Which, and why</summary>\n<ul>\n{}</ul>\n</details>\n</div>\n",
            noisy.len(),
            noisy_items(&noisy)
        );
    }
    let by_outcome: Vec<&[SensitivityRow]> = rows.chunks(parameters.len().max(1)).collect();
    let ordinal = ["1st by μ* (± 95%; σ)", "2nd", "3rd"];
    let mut header = vec!["outcome"];
    header.extend(ordinal.iter().take(IN_TABLE.min(parameters.len())));
    header.push("noise");
    let table_rows: Vec<Vec<String>> = by_outcome
        .iter()
        .map(|chunk| {
            let refs: Vec<&SensitivityRow> = chunk.iter().collect();
            let mut row = vec![format!(
                "<a href=\"#morris-{0}\"><code>{0}</code></a>",
                escape(&chunk[0].outcome)
            )];
            row.extend(morris::ranked(&refs).iter().take(IN_TABLE).map(|&i| {
                let r = refs[i];
                format!(
                    "<code>{}</code><br>{} ± {} (σ {})",
                    escape(&r.parameter),
                    number(r.values[MU_STAR]),
                    number(r.values[MU_STAR_CONF]),
                    number(r.values[SIGMA])
                )
            }));
            row.push(number(chunk[0].replicate_noise));
            row
        })
        .collect();
    body.push_str(&table(&header, &table_rows));
    let figures: Vec<String> = by_outcome
        .par_iter()
        .map(|chunk| {
            let refs: Vec<&SensitivityRow> = chunk.iter().collect();
            let name = &chunk[0].outcome;
            let id = format!("morris-{name}");
            let numbered: Vec<String> = morris::ranked(&refs)
                .iter()
                .take(morris::NUMBERED)
                .enumerate()
                .map(|(n, &i)| format!("{} <code>{}</code>", n + 1, escape(&refs[i].parameter)))
                .collect();
            let unit = labels::outcome(name).1;
            let caption = format!(
                "Each dot: one swept parameter's μ* (mean absolute elementary effect) and σ \
                 (standard deviation of its effects) over {} trajectories, in {} per the \
                 parameter's range; grey line: σ = μ*. Numbered by μ*: {}.",
                chunk[0].units,
                escape(if unit.is_empty() {
                    "the outcome's unit"
                } else {
                    unit
                }),
                numbered.join(", ")
            );
            match morris::figure(&refs, unit) {
                Ok(svg) => figure(&id, "morris", name, &svg, &caption),
                Err(e) => missing(&id, name, &e),
            }
        })
        .collect();
    Ok(sensitivity_section(
        body,
        &figures,
        "No elementary effects",
        &skipped,
        "Screening (Morris elementary effects)",
    ))
}
