//! The files of a run. Everything is written into a staging folder inside the output folder and
//! moved into place only when the run succeeds, manifest.json last: a failed run never leaves a
//! result that looks complete and never touches earlier results.
//!
//! runs.csv and timeseries.csv are streamed row by row as runs finish, in run order; summary.csv
//! and survival.csv are written point by point, so memory holds one point's values at a time.

mod csvfmt;
mod manifest;
mod resume;

pub use manifest::{sha256, Manifest, Throughput};

use crate::experiment::stats::summarize;
use crate::experiment::{RunId, RunOutput, SurvivalCounts};
use crate::params::Value;
use csvfmt::{cell, Rows};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Files a finished run leaves in the output folder.
pub const RESULT_FILES: [&str; 5] = [
    "runs.csv",
    "summary.csv",
    "survival.csv",
    "timeseries.csv",
    "manifest.json",
];
const STAGING: &str = ".commsim-partial";
/// The fingerprint of the run being written, in the staging folder.
const PLAN: &str = "plan.txt";

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{dir} already holds results ({file}); use --force to replace them")]
    Exists { dir: PathBuf, file: String },
    #[error(
        "{dir} holds an interrupted run; use --resume to continue it or --force to start again"
    )]
    Interrupted { dir: PathBuf },
    #[error("{dir} holds no interrupted run to resume")]
    NothingToResume { dir: PathBuf },
    #[error("{dir} holds a finished run; nothing to resume")]
    AlreadyComplete { dir: PathBuf },
    #[error("{dir} holds an interrupted run of another scenario, seed or replicates; allowed: --resume with the same scenario and options, or --force")]
    Mismatch { dir: PathBuf },
    #[error("another commsim process is writing into {dir}; wait for it to finish, or choose another --out")]
    Busy { dir: PathBuf },
    /// The cause is the error's source (printed after it in the error chain).
    #[error("cannot write {path}")]
    Io { path: PathBuf, source: io::Error },
}

/// The lock file of an output folder. It stays after the run (removing it could let two
/// processes lock two different files); the lock itself is the kernel's and ends with the
/// process, however it ends.
const LOCK: &str = ".commsim-lock";

/// Takes the output folder's exclusive lock, creating the folder if needed; refuses when another
/// process holds it.
fn lock_dir(dir: &Path) -> Result<fs::File, OutputError> {
    fs::create_dir_all(dir).map_err(io_err(dir))?;
    let path = dir.join(LOCK);
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io_err(&path))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(OutputError::Busy {
            dir: dir.to_path_buf(),
        }),
        Err(fs::TryLockError::Error(e)) => Err(OutputError::Io { path, source: e }),
    }
}

/// Takes the exclusive lock of an existing output folder, for commands that read a finished
/// run and add a file to it (`commsim report`): refuses while a run writes into the folder.
pub fn lock_existing(dir: &Path) -> Result<fs::File, OutputError> {
    if !dir.is_dir() {
        return Err(OutputError::Io {
            path: dir.to_path_buf(),
            source: io::Error::new(io::ErrorKind::NotFound, "no such folder"),
        });
    }
    lock_dir(dir)
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Names of the columns a writer needs.
pub struct Columns {
    pub swept_keys: Vec<String>,
    pub outcomes: Vec<String>,
    pub groups: Vec<String>,
    pub series: Option<Vec<String>>,
}

/// What a resumed run must match, and how many rows each design point has in each file.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Identifies the run: resolved scenario, seed, replicates; a resumed run must match it.
    pub fingerprint: String,
    pub replicates: u64,
    /// Rows per group in survival.csv (months + 1).
    pub survival_rows: usize,
    /// Rows per run in timeseries.csv (months).
    pub series_rows: usize,
}

pub struct OutputWriter {
    dir: PathBuf,
    staging: PathBuf,
    columns: Columns,
    runs: Rows,
    summary: Rows,
    survival: Rows,
    timeseries: Option<Rows>,
    current_point: Option<(usize, Vec<String>)>,
    values: Vec<Vec<Option<f64>>>,
    survival_counts: Option<SurvivalCounts>,
    pub agent_months: (u64, u64),
    pub runs_written: u64,
    /// Held for the writer's life: one writer per output folder.
    _lock: fs::File,
}

impl OutputWriter {
    /// Prepares the output folder for a fresh run: refuses one that holds results or an
    /// interrupted run unless `force`.
    pub fn create(
        dir: &Path,
        columns: Columns,
        layout: Layout,
        force: bool,
    ) -> Result<OutputWriter, OutputError> {
        let lock = lock_dir(dir)?;
        let staging = dir.join(STAGING);
        if !force {
            if let Some(file) = RESULT_FILES.iter().find(|f| dir.join(f).exists()) {
                return Err(OutputError::Exists {
                    dir: dir.to_path_buf(),
                    file: file.to_string(),
                });
            }
            if staging.exists() {
                return Err(OutputError::Interrupted {
                    dir: dir.to_path_buf(),
                });
            }
        }
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(io_err(&staging))?;
        }
        fs::create_dir_all(&staging).map_err(io_err(&staging))?;
        let mut runs = Rows::create(&staging.join("runs.csv"))?;
        let mut header = vec!["point".to_string(), "replicate".into(), "seed".into()];
        header.extend(columns.swept_keys.iter().cloned());
        header.extend(columns.outcomes.iter().cloned());
        runs.write(&header)?;
        let mut summary = Rows::create(&staging.join("summary.csv"))?;
        let mut header = vec!["point".to_string()];
        header.extend(columns.swept_keys.iter().cloned());
        for c in [
            "outcome",
            "n",
            "mean",
            "sd",
            "ci95_low",
            "ci95_high",
            "min",
            "p05",
            "p25",
            "median",
            "p75",
            "p95",
            "max",
        ] {
            header.push(c.into());
        }
        summary.write(&header)?;
        let mut survival = Rows::create(&staging.join("survival.csv"))?;
        let mut header = vec!["point".to_string()];
        header.extend(columns.swept_keys.iter().cloned());
        for c in [
            "type",
            "month",
            "at_risk",
            "events",
            "censored",
            "survival",
            "ci95_low",
            "ci95_high",
        ] {
            header.push(c.into());
        }
        survival.write(&header)?;
        let mut timeseries = match &columns.series {
            Some(names) => {
                let mut rows = Rows::create(&staging.join("timeseries.csv"))?;
                let mut header = vec!["point".to_string(), "replicate".into()];
                header.extend(columns.swept_keys.iter().cloned());
                header.push("month".into());
                header.extend(names.iter().cloned());
                rows.write(&header)?;
                Some(rows)
            }
            None => None,
        };
        // Headers reach the disk before the plan that makes the folder resumable.
        runs.flush()?;
        summary.flush()?;
        survival.flush()?;
        if let Some(ts) = &mut timeseries {
            ts.flush()?;
        }
        write_synced(&staging.join(PLAN), layout.fingerprint.as_bytes())?;
        let n_outcomes = columns.outcomes.len();
        Ok(OutputWriter {
            dir: dir.to_path_buf(),
            staging,
            columns,
            runs,
            summary,
            survival,
            timeseries,
            current_point: None,
            values: vec![Vec::new(); n_outcomes],
            survival_counts: None,
            agent_months: (0, 0),
            runs_written: 0,
            _lock: lock,
        })
    }

    /// Reopens an interrupted run: checks that it is the same run, cuts every file back to the
    /// last design point complete in all of them, and returns the writer and the number of the
    /// first run still to do.
    pub fn resume(
        dir: &Path,
        columns: Columns,
        layout: Layout,
    ) -> Result<(OutputWriter, u64), OutputError> {
        let lock = lock_dir(dir)?;
        let staging = dir.join(STAGING);
        if !staging.join(PLAN).exists() {
            if dir.join("manifest.json").exists() {
                return Err(OutputError::AlreadyComplete {
                    dir: dir.to_path_buf(),
                });
            }
            return Err(OutputError::NothingToResume {
                dir: dir.to_path_buf(),
            });
        }
        let plan_path = staging.join(PLAN);
        if fs::read_to_string(&plan_path).map_err(io_err(&plan_path))? != layout.fingerprint {
            return Err(OutputError::Mismatch {
                dir: dir.to_path_buf(),
            });
        }
        let mut files: Vec<(&str, usize)> = vec![
            ("runs.csv", layout.replicates as usize),
            ("summary.csv", columns.outcomes.len()),
            ("survival.csv", columns.groups.len() * layout.survival_rows),
        ];
        if columns.series.is_some() {
            files.push((
                "timeseries.csv",
                layout.replicates as usize * layout.series_rows,
            ));
        }
        // A run killed while moving its files into place: take the moved ones back.
        for (f, _) in &files {
            let (staged, placed) = (staging.join(f), dir.join(f));
            if !staged.exists() && placed.exists() {
                fs::rename(&placed, &staged).map_err(io_err(&staged))?;
            }
        }
        let mut points = usize::MAX;
        for (f, rows) in &files {
            let path = staging.join(f);
            let text = fs::read_to_string(&path).map_err(io_err(&path))?;
            points = points.min(resume::complete_points(&text, *rows));
        }
        for (f, rows) in &files {
            resume::truncate_to(&staging.join(f), *rows, points)?;
        }
        let n_outcomes = columns.outcomes.len();
        let first_run = points as u64 * layout.replicates;
        let writer = OutputWriter {
            dir: dir.to_path_buf(),
            runs: Rows::append(&staging.join("runs.csv"))?,
            summary: Rows::append(&staging.join("summary.csv"))?,
            survival: Rows::append(&staging.join("survival.csv"))?,
            timeseries: match columns.series {
                Some(_) => Some(Rows::append(&staging.join("timeseries.csv"))?),
                None => None,
            },
            staging,
            columns,
            current_point: None,
            values: vec![Vec::new(); n_outcomes],
            survival_counts: None,
            agent_months: (0, 0),
            runs_written: first_run,
            _lock: lock,
        };
        Ok((writer, first_run))
    }

    /// Writes one finished run; runs must arrive in (point, replicate) order.
    pub fn push(
        &mut self,
        id: RunId,
        point_values: &[Value],
        output: RunOutput,
    ) -> Result<(), OutputError> {
        let swept: Vec<String> = point_values.iter().map(value_cell).collect();
        if self.current_point.as_ref().map(|(p, _)| *p) != Some(id.point) {
            self.close_point()?;
            self.current_point = Some((id.point, swept.clone()));
        }
        let mut row = vec![
            id.point.to_string(),
            id.replicate.to_string(),
            id.seed.to_string(),
        ];
        row.extend(swept.iter().cloned());
        row.extend(
            output
                .outcomes
                .iter()
                .map(|v| v.map(cell).unwrap_or_default()),
        );
        self.runs.write(&row)?;
        if let Some(ts) = &mut self.timeseries {
            for (month, values) in output.series.iter().enumerate() {
                let mut row = vec![id.point.to_string(), id.replicate.to_string()];
                row.extend(swept.iter().cloned());
                row.push(month.to_string());
                row.extend(values.iter().map(|x| cell(*x)));
                ts.write(&row)?;
            }
        }
        for (column, value) in self.values.iter_mut().zip(&output.outcomes) {
            column.push(*value);
        }
        match &mut self.survival_counts {
            Some(s) => s.merge(&output.survival),
            None => self.survival_counts = Some(output.survival),
        }
        self.agent_months.0 += output.agent_months.0;
        self.agent_months.1 += output.agent_months.1;
        self.runs_written += 1;
        Ok(())
    }

    fn close_point(&mut self) -> Result<(), OutputError> {
        let Some((point, swept)) = self.current_point.take() else {
            return Ok(());
        };
        for (name, values) in self.columns.outcomes.iter().zip(&self.values) {
            let mut row = vec![point.to_string()];
            row.extend(swept.iter().cloned());
            row.push(name.clone());
            match summarize(values) {
                Some(s) => {
                    row.push(s.n.to_string());
                    for x in [
                        s.mean,
                        s.sd,
                        s.ci95_low,
                        s.ci95_high,
                        s.min,
                        s.p05,
                        s.p25,
                        s.median,
                        s.p75,
                        s.p95,
                        s.max,
                    ] {
                        row.push(cell(x));
                    }
                }
                None => {
                    row.push("0".into());
                    row.extend(std::iter::repeat_n(String::new(), 11));
                }
            }
            self.summary.write(&row)?;
        }
        if let Some(counts) = self.survival_counts.take() {
            for (g, group) in self.columns.groups.iter().enumerate() {
                for r in counts.curve(g) {
                    let mut row = vec![point.to_string()];
                    row.extend(swept.iter().cloned());
                    row.push(group.clone());
                    row.extend([
                        r.time.to_string(),
                        r.at_risk.to_string(),
                        r.events.to_string(),
                        r.censored.to_string(),
                    ]);
                    row.extend([cell(r.survival), cell(r.ci95_low), cell(r.ci95_high)]);
                    self.survival.write(&row)?;
                }
            }
        }
        for column in &mut self.values {
            column.clear();
        }
        // Each closed point reaches the disk whole, so an interruption loses at most one point.
        self.runs.flush()?;
        self.summary.flush()?;
        self.survival.flush()?;
        if let Some(ts) = &mut self.timeseries {
            ts.flush()?;
        }
        Ok(())
    }

    /// Closes every file, writes the manifest and moves the results into place, manifest last.
    pub fn finish(mut self, manifest: &Manifest) -> Result<PathBuf, OutputError> {
        self.close_point()?;
        self.runs.finish()?;
        self.summary.finish()?;
        self.survival.finish()?;
        let mut files = vec!["runs.csv", "summary.csv", "survival.csv"];
        if let Some(ts) = self.timeseries.take() {
            ts.finish()?;
            files.push("timeseries.csv");
        }
        let manifest_path = self.staging.join("manifest.json");
        let text = serde_json::to_string_pretty(manifest).expect("manifest serializes");
        write_synced(&manifest_path, text.as_bytes())?;
        // An older timeseries.csv, report or sensitivity.csv would not belong to this run.
        for derived in ["timeseries.csv", "report.html", "sensitivity.csv"] {
            let stale = self.dir.join(derived);
            if !files.contains(&derived) && stale.exists() {
                fs::remove_file(&stale).map_err(io_err(&stale))?;
            }
        }
        let old_manifest = self.dir.join("manifest.json");
        if old_manifest.exists() {
            fs::remove_file(&old_manifest).map_err(io_err(&old_manifest))?;
        }
        files.push("manifest.json");
        for f in files {
            let to = self.dir.join(f);
            fs::rename(self.staging.join(f), &to).map_err(io_err(&to))?;
        }
        let plan = self.staging.join(PLAN);
        fs::remove_file(&plan).map_err(io_err(&plan))?;
        fs::remove_dir(&self.staging).map_err(io_err(&self.staging))?;
        Ok(self.dir)
    }
}

/// Writes a file whole or not at all: a temporary file beside it, synced, then renamed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let tmp = path.with_extension("partial");
    write_synced(&tmp, bytes)?;
    fs::rename(&tmp, path).map_err(io_err(path))
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    use std::io::Write;
    let mut f = fs::File::create(path).map_err(io_err(path))?;
    f.write_all(bytes).map_err(io_err(path))?;
    f.sync_all().map_err(io_err(path))
}

/// A swept value as a CSV cell, the same in every file: reals as the shortest round-trip decimal.
pub fn value_cell(v: &Value) -> String {
    match v {
        Value::Real(x) => cell(*x),
        Value::Whole(n) => n.to_string(),
        Value::Flag(b) => b.to_string(),
        Value::Text(s) => s.clone(),
    }
}
