//! `commsim analyze DIR`: Sobol indices of a `sobol` sweep into DIR/sensitivity.csv, under the
//! folder's lock (as `commsim report`); no file is read or written through a symbolic link.

use super::BadArgument;
use anyhow::{Context, Result};
use commsim::experiment::sensitivity::{sensitivity, SweepRuns};
use commsim::output::{lock_existing, read_text, write_atomic, OutputError};
use commsim::scenario::{parse_str, Design};
use std::path::Path;
use std::process::ExitCode;

pub fn run(dir: &Path, quiet: bool) -> Result<ExitCode> {
    if !dir.is_dir() {
        return Err(BadArgument(format!(
            "{}: no such folder; allowed: the folder of a finished sobol sweep",
            dir.display()
        ))
        .into());
    }
    let _lock = lock_existing(dir)?;
    let manifest_path = dir.join("manifest.json");
    let text = read_text(&manifest_path).map_err(|e| match e {
        OutputError::Read { source, .. } => anyhow::Error::from(BadArgument(format!(
            "{}: {source}; allowed: the folder of a finished run",
            manifest_path.display()
        ))),
        other => other.into(),
    })?;
    let manifest: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not valid JSON", manifest_path.display()))?;
    let resolved = manifest["resolved_scenario"]
        .as_str()
        .ok_or_else(|| BadArgument(format!("{}: no resolved_scenario", manifest_path.display())))?;
    let scenario = parse_str(
        resolved,
        &format!("{} (resolved_scenario)", manifest_path.display()),
    )?;
    let sweep = match &scenario.sweep {
        Some(s) if s.design == Design::Sobol => s,
        _ => {
            return Err(BadArgument(format!(
            "{}: the run is not a sweep with design sobol; allowed: the folder of a sobol sweep",
            dir.display()
        ))
            .into())
        }
    };
    let parameters: Vec<String> = sweep.parameters.iter().map(|(k, _)| k.clone()).collect();
    let runs_text = read_text(&dir.join("runs.csv"))?;
    let runs = SweepRuns::from_csv(&runs_text, parameters.len()).map_err(BadArgument)?;
    let seed = scenario.values.whole("run.seed");
    let (rows, skipped) =
        sensitivity(&runs, &parameters, sweep.second_order, seed).map_err(BadArgument)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "outcome",
        "parameter",
        "S1",
        "S1_conf",
        "ST",
        "ST_conf",
        "S2",
        "S2_conf",
        "replicate_noise",
        "base_points",
    ])?;
    let cell = |x: f64| {
        if x.is_finite() {
            format!("{x}")
        } else {
            String::new()
        }
    };
    for r in &rows {
        w.write_record([
            r.outcome.clone(),
            r.parameter.clone(),
            cell(r.s1),
            cell(r.s1_conf),
            cell(r.st),
            cell(r.st_conf),
            cell(r.s2),
            cell(r.s2_conf),
            cell(r.replicate_noise),
            r.base_points.to_string(),
        ])?;
    }
    let path = dir.join("sensitivity.csv");
    write_atomic(&path, &w.into_inner()?)?;
    if !quiet {
        eprintln!(
            "{} indices of {} outcomes -> {}",
            rows.len(),
            rows.len() / parameters.len().max(1),
            path.display()
        );
        if !skipped.is_empty() {
            eprintln!("skipped (undefined in some runs): {}", skipped.join(", "));
        }
    }
    Ok(ExitCode::SUCCESS)
}
