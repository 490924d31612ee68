//! `commsim report DIR` (and `commsim run ... --report`): reads a finished run's files and
//! writes DIR/report.html whole, under the folder's lock; no file is read or written through a
//! symbolic link.

use super::read_run_file;
use super::BadArgument;
use anyhow::Result;
use commsim::output::{lock_existing, write_atomic};
use commsim::report::{render, Inputs};
use std::path::Path;
use std::process::ExitCode;

pub fn run(dir: &Path, quiet: bool) -> Result<ExitCode> {
    if !dir.is_dir() {
        return Err(BadArgument(format!(
            "{}: no such folder; allowed: the folder of a finished run",
            dir.display()
        ))
        .into());
    }
    let _lock = lock_existing(dir)?;
    let manifest_path = dir.join("manifest.json");
    if !manifest_path.exists() {
        let why = if dir.join(".commsim-partial").exists() {
            "holds an interrupted run; finish it with `commsim run ... --resume` first"
        } else {
            "has no manifest.json; allowed: the folder of a finished run"
        };
        return Err(BadArgument(format!("{} {why}", dir.display())).into());
    }
    let read =
        |name: &str| -> Result<String> { read_run_file(dir, name, "the folder of a finished run") };
    let optional = |name: &str| super::read_optional_run_file(dir, name);
    let manifest = read("manifest.json")?;
    if is_calibration(&manifest) {
        let html = commsim::report::calibration::render(
            &dir.display().to_string(),
            &manifest,
            &read("posterior.csv")?,
            &read("generations.csv")?,
        )
        .map_err(|e| BadArgument(format!("{}: {e}", dir.display())))?;
        return write_page(dir, &html, quiet);
    }
    let runs = read("runs.csv")?;
    // Every run writes survival.csv unless output.survival = false: `render` refuses a folder
    // without it when the run wrote it (a report without its section would pass for whole), as
    // it refuses a missing timeseries.csv.
    let survival = optional("survival.csv")?;
    let timeseries = optional("timeseries.csv")?;
    let differences = optional("differences.csv")?;
    let communities = optional("communities.csv")?;
    let folder = dir.display().to_string();
    let html = render(&Inputs {
        folder: &folder,
        manifest: &manifest,
        runs: &runs,
        survival: survival.as_deref(),
        timeseries: timeseries.as_deref(),
        differences: differences.as_deref(),
        communities: communities.as_deref(),
    })
    .map_err(|e| BadArgument(format!("{}: {e}", dir.display())))?;
    write_page(dir, &html, quiet)
}

/// Whether a manifest is that of `commsim calibrate` (`"kind": "calibration"`).
fn is_calibration(manifest: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(manifest).is_ok_and(|m| m["kind"] == "calibration")
}

fn write_page(dir: &Path, html: &str, quiet: bool) -> Result<ExitCode> {
    let path = dir.join("report.html");
    write_atomic(&path, html.as_bytes())?;
    if !quiet {
        eprintln!(
            "report: {} figures, {:.1} MB -> {}",
            html.matches("<figure").count(),
            html.len() as f64 / 1e6,
            path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
