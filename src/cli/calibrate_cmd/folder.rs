//! A calibration's folder: the saved generations it resumes from, and what it refuses to write
//! over.

use super::{GENERATIONS_DIR, GENERATIONS_FILE, MANIFEST_FILE, PLAN_FILE, POSTERIOR_FILE};
use crate::cli::BadArgument;
use anyhow::{Context, Result};
use commsim::experiment::abc::{read_generation, Generation};
use commsim::output::{read_text, write_atomic, OutputError};
use std::path::{Path, PathBuf};
pub(super) fn generation_path(out: &Path, t: usize) -> PathBuf {
    out.join(GENERATIONS_DIR).join(format!("{t}.csv"))
}

pub(super) fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

fn read_one(out: &Path, names: &[String], t: usize) -> Result<Generation> {
    let path = generation_path(out, t);
    let text = read_text(&path)?;
    let g = read_generation(text.as_bytes(), names).map_err(|e| {
        BadArgument(format!(
            "{}: {e}; allowed: a generation table this calibration wrote (remove the folder, or use --force, to start again)",
            path.display()
        ))
    })?;
    if g.index != t {
        return Err(BadArgument(format!(
            "{} holds generation {}; allowed: generation {t} in {t}.csv",
            path.display(),
            g.index
        ))
        .into());
    }
    Ok(g)
}

/// Every generation saved, 0, 1, ... up to the first missing.
pub(super) fn read_saved(out: &Path, names: &[String]) -> Result<Vec<Generation>> {
    let mut all = Vec::new();
    while exists(&generation_path(out, all.len())) {
        all.push(read_one(out, names, all.len())?);
    }
    Ok(all)
}

/// Checks the folder against this calibration: a folder of another calibration, or one holding
/// a run's results, is refused unless `--force`, which clears this command's files from it.
pub(super) fn prepare(out: &Path, fingerprint: &str, force: bool) -> Result<()> {
    let plan = out.join(PLAN_FILE);
    let ours = [GENERATIONS_FILE, POSTERIOR_FILE, MANIFEST_FILE];
    let same = exists(&plan) && read_text(&plan)? == fingerprint;
    if same {
        return Ok(());
    }
    let has_generations = std::fs::read_dir(out.join(GENERATIONS_DIR))
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    let occupied = exists(&plan)
        || has_generations
        || ours.iter().any(|f| exists(&out.join(f)))
        || commsim::output::RESULT_FILES
            .iter()
            .any(|f| exists(&out.join(f)));
    if occupied && !force {
        return Err(OutputError::Exists {
            dir: out.to_path_buf(),
            file: if exists(&plan) {
                format!("{PLAN_FILE}, of a calibration of another scenario, seed or settings")
            } else {
                "other results".into()
            },
        }
        .into());
    }
    if force {
        for f in ours.iter().chain([&PLAN_FILE, &"report.html"]) {
            remove_file(&out.join(f))?;
        }
        for entry in std::fs::read_dir(out.join(GENERATIONS_DIR))
            .with_context(|| format!("cannot read {}", out.join(GENERATIONS_DIR).display()))?
        {
            let path = entry?.path();
            if path
                .extension()
                .is_some_and(|e| e == "csv" || e == "partial")
            {
                remove_file(&path)?;
            }
        }
    }
    write_atomic(&plan, fingerprint.as_bytes())?;
    Ok(())
}

fn remove_file(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(anyhow::Error::from(e).context(format!("cannot remove {}", path.display())))
        }
        _ => Ok(()),
    }
}

/// Refuses an `--out` that is a file or lies below one.
pub(super) fn check_out(out: &Path) -> Result<()> {
    let refuse = |why: String| -> Result<()> {
        Err(BadArgument(format!(
            "--out {}: {why}; allowed: a folder, new or holding this calibration",
            out.display()
        ))
        .into())
    };
    if let Ok(m) = std::fs::metadata(out) {
        if !m.is_dir() {
            return refuse("it is a file".into());
        }
        return Ok(());
    }
    for ancestor in out.ancestors().skip(1) {
        if ancestor.as_os_str().is_empty() {
            break;
        }
        if let Ok(m) = std::fs::metadata(ancestor) {
            if !m.is_dir() {
                return refuse(format!("{} is a file, not a folder", ancestor.display()));
            }
            break;
        }
    }
    Ok(())
}
