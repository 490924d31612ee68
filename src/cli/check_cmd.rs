//! `commsim check`: validates a scenario and prints it resolved as TOML, after the number of runs
//! and what they will cost on this machine (`estimate`).

use super::estimate::{estimate, megabytes, Basis};
use super::{emit, human_seconds, load, plural, ScenarioArgs};
use anyhow::Result;
use std::process::ExitCode;

pub fn run(args: &ScenarioArgs) -> Result<ExitCode> {
    let plan = super::plan(args, load(args)?)?;
    let e = estimate(&plan);
    let mut text = format!("# scenario: {}\n", args.scenario.display());
    for warning in plan.warnings() {
        eprintln!("warning: {warning}");
        text.push_str(&format!("# warning: {warning}\n"));
    }
    text.push_str(&format!(
        "# runs: {} ({} x {})\n",
        plan.runs(),
        plural(plan.points.len() as u64, "design point", "design points"),
        plural(plan.replicates, "replicate", "replicates")
    ));
    let files: Vec<String> = e
        .files
        .iter()
        .map(|(name, bytes)| format!("{name} {}", megabytes(*bytes)))
        .collect();
    text.push_str(&format!(
        "# cost: about {} resident-months (burn-in included); about {} on {} cores (simulating {}, writing {}); about {} of output ({})\n",
        e.resident_months,
        human_seconds(e.compute_seconds + e.write_seconds),
        e.cores,
        human_seconds(e.compute_seconds),
        human_seconds(e.write_seconds),
        megabytes(e.bytes()),
        files.join(", ")
    ));
    text.push_str(&match e.basis {
        Basis::Probe {
            runs,
            seconds,
            write_seconds,
        } => format!(
            "# estimate: from a probe of {runs} {} of design point 0 taking {seconds:.2} s on one core (writing {} {write_seconds:.3} s), scaled by each point's resident-months\n",
            if runs == 1 { "run" } else { "runs" },
            if runs == 1 { "it" } else { "them" },
        ),
        Basis::Reference { one_run_seconds } => format!(
            "# estimate: no probe (one run of design point 0 would take about {}): from the reference rates of {:.1e} resident-months per core-second and {:.0e} s per territory-month\n",
            human_seconds(one_run_seconds),
            super::estimate::RESIDENT_MONTHS_PER_CORE_SECOND,
            super::estimate::TERRITORY_MONTH_SECONDS
        ),
    });
    text.push_str(&plan.scenario.to_toml());
    emit(&text)?;
    Ok(ExitCode::SUCCESS)
}
