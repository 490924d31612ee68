//! `commsim analyze DIR`: the sensitivity estimates of a `sobol` or `morris` sweep (the design's
//! method, `experiment::design::method`) into DIR/sensitivity.csv, under the folder's lock (as
//! `commsim report`); no file is read or written through a symbolic link.

use super::read_run_file;
use super::BadArgument;
use anyhow::Result;
use commsim::experiment::design::method;
use commsim::experiment::sensitivity::{noisy_outcomes, sensitivity, SweepRuns, NOISE_WARNING};
use commsim::output::{lock_existing, write_atomic};
use commsim::scenario::{parse_str, Design};
use std::path::Path;
use std::process::ExitCode;

pub fn run(dir: &Path, quiet: bool) -> Result<ExitCode> {
    if !dir.is_dir() {
        return Err(BadArgument(format!(
            "{}: no such folder; allowed: the folder of a finished sobol or morris sweep",
            dir.display()
        ))
        .into());
    }
    let _lock = lock_existing(dir)?;
    let manifest_path = dir.join("manifest.json");
    const ALLOWED: &str = "the folder of a finished sobol or morris sweep";
    let text = read_run_file(dir, "manifest.json", ALLOWED)?;
    let manifest: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        BadArgument(format!(
            "{} is not valid JSON ({e}); allowed: the manifest of a finished run",
            manifest_path.display()
        ))
    })?;
    let resolved = manifest["resolved_scenario"]
        .as_str()
        .ok_or_else(|| BadArgument(format!("{}: no resolved_scenario", manifest_path.display())))?;
    let scenario = parse_str(
        resolved,
        &format!("{} (resolved_scenario)", manifest_path.display()),
    )?;
    let Some((sweep, method)) = scenario
        .sweep
        .as_ref()
        .and_then(|s| method(s).map(|m| (s, m)))
    else {
        return Err(BadArgument(format!(
            "{}: the run is not a sweep with design sobol or morris; allowed: the folder of a sobol or morris sweep",
            dir.display()
        ))
        .into());
    };
    let parameters: Vec<String> = sweep.parameters.iter().map(|(k, _)| k.clone()).collect();
    let runs_text = read_run_file(dir, "runs.csv", ALLOWED)?;
    let runs = SweepRuns::from_csv(&runs_text, parameters.len()).map_err(BadArgument)?;
    let seed = scenario.values.whole("run.seed");
    let (rows, skipped) =
        sensitivity(&runs, &parameters, method.as_ref(), seed).map_err(BadArgument)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["outcome", "parameter"];
    header.extend(method.columns());
    header.extend(["replicate_noise", method.unit()]);
    w.write_record(&header)?;
    let cell = |x: f64| {
        if x.is_finite() {
            format!("{x}")
        } else {
            String::new()
        }
    };
    for r in &rows {
        let mut record = vec![r.outcome.clone(), r.parameter.clone()];
        record.extend(r.values.iter().map(|&x| cell(x)));
        record.extend([cell(r.replicate_noise), r.units.to_string()]);
        w.write_record(&record)?;
    }
    let path = dir.join("sensitivity.csv");
    write_atomic(&path, &w.into_inner()?)?;
    if !quiet {
        eprintln!(
            "{} {} of {} outcomes -> {}",
            rows.len(),
            if sweep.design == Design::Morris {
                "rows of elementary effects"
            } else {
                "indices"
            },
            rows.len() / parameters.len().max(1),
            path.display()
        );
        if !skipped.is_empty() {
            eprintln!("skipped (undefined in some runs): {}", skipped.join(", "));
        }
    }
    // A warning even with --quiet: indices that cannot be told from noise must not pass unseen.
    let noisy = noisy_outcomes(&rows, method.as_ref());
    if !noisy.is_empty() {
        let outcomes = rows
            .iter()
            .map(|r| r.outcome.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let n = noisy.len();
        if sweep.design == Design::Morris {
            eprintln!(
                "warning: the elementary effects of {n} of {outcomes} outcomes cannot be told from noise (too few trajectories, replicate noise above {NOISE_WARNING} of the point means' variance, or every mu* within its interval of zero); add trajectories (sweep.trajectories) or replicates:"
            );
        } else {
            eprintln!(
                "warning: the indices of {n} of {outcomes} outcomes cannot be told from noise (too few base points, replicate noise above {NOISE_WARNING} of the point means' variance, a total index above 1, or intervals wider than the indices); add base points (sweep.samples) or replicates:"
            );
        }
        for n in &noisy {
            eprintln!("  {}: {}", n.outcome, n.why);
        }
    }
    Ok(ExitCode::SUCCESS)
}
