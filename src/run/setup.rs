//! What a plan's files hold: their columns, their layout for `--resume`, and the manifest.

use crate::experiment::Model;
use crate::model::{CommunityModel, COMMUNITY_MONTHS, RESIDENT_MONTHS};
use crate::output::{
    fingerprint, sha256, Columns, Counts, Layout, Manifest, OutputOptions, Outputs,
};
use crate::plan::Plan;
use std::time::SystemTime;

/// The files of a plan's run.
pub struct Files {
    /// The columns of every file, and which files are written (the `output.*` keys).
    pub columns: Columns,
    /// The manifest's record of them.
    pub outputs: Outputs,
    /// What identifies the run for `--resume`, and the rows per design point.
    pub layout: Layout,
}

/// The files `plan`'s run writes.
pub fn files(plan: &Plan) -> Files {
    let config = plan.config(0);
    let options = OutputOptions::of(&plan.scenario.values);
    debug_assert_eq!(options.timeseries, config.timeseries);
    let columns = Columns::of(
        &CommunityModel,
        &plan.swept_schema(),
        &options,
        plan.parameter_schema(),
    );
    let outputs = Outputs {
        files: columns.files(),
        format: columns.format.name().to_string(),
        compressed: columns.compress,
        chosen_outcomes: options.outcomes.clone(),
        outcome_columns: columns.outcomes.clone(),
    };
    let layout = Layout {
        fingerprint: fingerprint(
            env!("CARGO_PKG_VERSION"),
            &plan.design_sha256(),
            &plan.identity(),
        ),
        replicates: plan.replicates,
        survival_rows: config.months as usize + 1,
        series_rows: config.months as usize,
    };
    Files {
        columns,
        outputs,
        layout,
    }
}

/// When a run started and ended, how long it took and on how many threads: read by the caller
/// (the library reads no clock).
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub start: SystemTime,
    pub end: SystemTime,
    /// Wall-clock seconds, above 0.
    pub elapsed_seconds: f64,
    pub threads: usize,
}

/// The manifest of `plan`'s finished run, read from `scenario_file`, that wrote `outputs`: `total`
/// counts every run of it, `simulated` those this process ran (fewer after `--resume`). A
/// comparison or a run of posterior draws adds its own entry.
pub fn manifest(
    plan: &Plan,
    scenario_file: &str,
    outputs: Outputs,
    total: &Counts,
    simulated: &Counts,
    timing: Timing,
) -> Manifest {
    let resolved = plan.scenario.to_toml();
    let elapsed = timing.elapsed_seconds;
    let per_second = |x: u64| x as f64 / elapsed;
    let work = CommunityModel.work_names();
    let all = |name: &str| total.work_named(&work, name);
    let run = |name: &str| simulated.work_named(&work, name);
    Manifest {
        program: "commsim".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        scenario_name: plan.scenario.name().to_string(),
        scenario_file: scenario_file.to_string(),
        scenario_sha256: sha256(&resolved),
        design_sha256: plan.design_sha256(),
        resolved_scenario: resolved,
        master_seed: plan.seed,
        threads: timing.threads,
        points: plan.points.len(),
        replicates: plan.replicates,
        runs: total.runs,
        start_time: humantime::format_rfc3339_seconds(timing.start).to_string(),
        end_time: humantime::format_rfc3339_seconds(timing.end).to_string(),
        elapsed_seconds: elapsed,
        // Counts of the whole run; rates of this process (what it simulated over its time).
        throughput: crate::output::Throughput {
            runs_simulated: total.runs,
            resident_months: all(RESIDENT_MONTHS),
            community_months: all(COMMUNITY_MONTHS),
            resident_months_per_thread_second: per_second(run(RESIDENT_MONTHS))
                / timing.threads as f64,
            runs_per_second: per_second(simulated.runs),
            community_months_per_second: per_second(run(COMMUNITY_MONTHS)),
            resident_months_per_second: per_second(run(RESIDENT_MONTHS)),
        },
        outputs,
        comparison: None,
        posterior: None,
    }
}
