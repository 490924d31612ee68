//! The files of a run. Everything is written into a staging folder inside the output folder and
//! moved into place only when the run succeeds, manifest.json last: a failed run never leaves a
//! result that looks complete and never touches earlier results.
//!
//! runs.csv and timeseries.csv are streamed row by row as runs finish, in run order; summary.csv
//! and survival.csv are written point by point, so memory holds one point's values at a time.
//!
//! No entry of the folder is reached through a symbolic link (`files`), and one process writes
//! into a folder at a time (`lock`).

mod csvfmt;
mod differences;
mod files;
mod lock;
mod manifest;
mod resume;

pub use differences::{differences_csv, DIFFERENCES_HEADER};
pub use files::{read_text, write_atomic};
pub use lock::{lock_existing, DirLock, LOCK as LOCK_FILE};
pub use manifest::{
    fingerprint, identity, sha256, Comparison, Manifest, PosteriorDraws, Throughput,
};

use crate::experiment::stats::summarize;
use crate::experiment::{Model, RunId, RunOutput, SurvivalCounts};
use crate::params::Value;
use csvfmt::{cell, Rows};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Every file commsim may leave in an output folder: the files of a run, those `commsim report`
/// and `commsim analyze` add, and their temporary files. A run refuses a folder that holds any of
/// them unless `--force`.
pub const RESULT_FILES: [&str; 11] = [
    "runs.csv",
    "differences.csv",
    "summary.csv",
    "survival.csv",
    "timeseries.csv",
    "manifest.json",
    "report.html",
    "sensitivity.csv",
    "report.partial",
    "sensitivity.partial",
    "posterior-summary.csv",
];
const STAGING: &str = ".commsim-partial";
/// The fingerprint of the run being written, in the staging folder.
const PLAN: &str = "plan.txt";
/// The result files a `--force` run found in the folder when it started, one a line, in the
/// staging folder: the only ones it may replace or delete when it finishes.
const REPLACES: &str = "replaces.txt";
/// Runs and agent-months of each closed design point, in the staging folder, so that a resumed
/// run's manifest counts the whole run.
const COUNTS: &str = "counts.csv";

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
    #[error("{dir} holds a finished run of another scenario, seed or replicates, so there is nothing to resume; allowed: --resume with the scenario and options of that run, another --out, or --force to replace it")]
    FinishedMismatch { dir: PathBuf },
    #[error("another commsim process is writing into {dir}; wait for it to finish, or choose another --out")]
    Busy { dir: PathBuf },
    #[error("{file} appeared in {dir} while the run was under way; it is not this run's to replace, so the results wait in {dir}/.commsim-partial: move {file} away and run again with --resume, or use --force")]
    Appeared { dir: PathBuf, file: String },
    #[error("{path} is {found}; commsim reads and writes only regular files in an output folder and never follows a link there; allowed: remove it, or choose another --out")]
    NotRegular { path: PathBuf, found: &'static str },
    /// The cause is the error's source (printed after it in the error chain).
    #[error("cannot write {path}")]
    Io { path: PathBuf, source: io::Error },
    #[error("cannot read {path}")]
    Read { path: PathBuf, source: io::Error },
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
    /// Names of the work counts (counts.csv's columns after `runs`).
    pub work: Vec<String>,
}

impl Columns {
    /// The columns of `model`'s outputs for a design over `swept_keys`, with timeseries.csv's
    /// when `timeseries`.
    pub fn of(model: &impl Model, swept_keys: &[String], timeseries: bool) -> Columns {
        Columns {
            swept_keys: swept_keys.to_vec(),
            outcomes: model.outcome_names(),
            groups: model.group_names(),
            series: timeseries.then(|| model.series_names()),
            work: model.work_names(),
        }
    }
}

/// What a resumed run must match, and how many rows each design point has in each file.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Identifies the run ([`fingerprint`]: version and resolved scenario, seed and replicates
    /// included); a resumed run must match it.
    pub fingerprint: String,
    pub replicates: u64,
    /// Rows per group in survival.csv (months + 1).
    pub survival_rows: usize,
    /// Rows per run in timeseries.csv (months).
    pub series_rows: usize,
}

/// Runs and the work they did, one count per name of [`Columns::work`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub runs: u64,
    pub work: Vec<u64>,
}

impl Counts {
    fn add(&mut self, runs: u64, work: &[u64]) {
        self.runs += runs;
        if self.work.len() < work.len() {
            self.work.resize(work.len(), 0);
        }
        for (total, w) in self.work.iter_mut().zip(work) {
            *total += w;
        }
    }

    /// The count named `name` among `names` (the model's work names); 0 if it has none.
    pub fn work_named(&self, names: &[String], name: &str) -> u64 {
        names
            .iter()
            .position(|n| n == name)
            .and_then(|i| self.work.get(i).copied())
            .unwrap_or(0)
    }
}

pub struct OutputWriter {
    dir: PathBuf,
    staging: PathBuf,
    columns: Columns,
    runs: Rows,
    summary: Rows,
    survival: Rows,
    timeseries: Option<Rows>,
    counts: Rows,
    current_point: Option<(usize, Vec<String>)>,
    values: Vec<Vec<Option<f64>>>,
    survival_counts: Option<SurvivalCounts>,
    point_counts: Counts,
    /// Every run written so far, those of the points an interrupted process closed included.
    pub total: Counts,
    /// The runs this process wrote.
    pub simulated: Counts,
    /// Result files this writer may replace or delete when it finishes.
    replaceable: Vec<String>,
    /// Held for the writer's life: one writer per output folder.
    _lock: DirLock,
}

/// Refuses a folder that holds results or an interrupted run, for a run without `--force`.
fn refuse_unforced(dir: &Path) -> Result<(), OutputError> {
    if let Some(file) = RESULT_FILES.iter().find(|f| files::exists(&dir.join(f))) {
        return Err(OutputError::Exists {
            dir: dir.to_path_buf(),
            file: file.to_string(),
        });
    }
    if files::exists(&dir.join(STAGING)) {
        return Err(OutputError::Interrupted {
            dir: dir.to_path_buf(),
        });
    }
    Ok(())
}

impl OutputWriter {
    /// Prepares the output folder for a fresh run: refuses one that holds results or an
    /// interrupted run unless `force`. A refused run leaves nothing behind: the folder existed
    /// (it holds what made the run refuse), and the lock file goes with the lock.
    pub fn create(
        dir: &Path,
        columns: Columns,
        layout: Layout,
        force: bool,
    ) -> Result<OutputWriter, OutputError> {
        let lock = lock::lock_dir(dir)?;
        let replaceable: Vec<String> = if force {
            let found: Vec<String> = RESULT_FILES
                .iter()
                .filter(|f| files::exists(&dir.join(f)))
                .map(|f| f.to_string())
                .collect();
            // A folder where a result file goes cannot be replaced by a file: refuse it before
            // anything of the earlier results is touched.
            for f in &found {
                let path = dir.join(f);
                if let Some(t) = files::entry(&path)?.filter(|t| t.is_dir()) {
                    return Err(files::not_regular(&path, t));
                }
            }
            found
        } else {
            refuse_unforced(dir)?;
            Vec::new()
        };
        let staging = dir.join(STAGING);
        match files::entry(&staging)? {
            Some(t) if t.is_dir() => fs::remove_dir_all(&staging).map_err(io_err(&staging))?,
            // A link is removed itself; what it points to is left alone.
            Some(_) => fs::remove_file(&staging).map_err(io_err(&staging))?,
            None => {}
        }
        fs::create_dir(&staging).map_err(io_err(&staging))?;
        let mut listed = String::new();
        for f in &replaceable {
            listed.push_str(f);
            listed.push('\n');
        }
        files::write_synced(&staging.join(REPLACES), listed.as_bytes())?;
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
        let mut counts = Rows::create(&staging.join(COUNTS))?;
        let mut header = vec!["point".to_string(), "runs".into()];
        header.extend(columns.work.iter().cloned());
        counts.write(&header)?;
        // Headers reach the disk before the plan that makes the folder resumable.
        runs.flush()?;
        summary.flush()?;
        survival.flush()?;
        if let Some(ts) = &mut timeseries {
            ts.flush()?;
        }
        counts.flush()?;
        files::write_synced(&staging.join(PLAN), layout.fingerprint.as_bytes())?;
        let n_outcomes = columns.outcomes.len();
        Ok(OutputWriter {
            dir: dir.to_path_buf(),
            staging,
            columns,
            runs,
            summary,
            survival,
            timeseries,
            counts,
            current_point: None,
            values: vec![Vec::new(); n_outcomes],
            survival_counts: None,
            point_counts: Counts::default(),
            total: Counts::default(),
            simulated: Counts::default(),
            replaceable,
            _lock: lock,
        })
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
        self.point_counts.add(1, &output.work);
        self.total.add(1, &output.work);
        self.simulated.add(1, &output.work);
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
        let c = std::mem::take(&mut self.point_counts);
        let mut row = vec![point.to_string(), c.runs.to_string()];
        row.extend((0..self.columns.work.len()).map(|i| c.work.get(i).unwrap_or(&0).to_string()));
        self.counts.write(&row)?;
        // Each closed point reaches the disk whole, so an interruption loses at most one point.
        self.runs.flush()?;
        self.summary.flush()?;
        self.survival.flush()?;
        if let Some(ts) = &mut self.timeseries {
            ts.flush()?;
        }
        self.counts.flush()?;
        Ok(())
    }

    /// Closes every file, writes the manifest and moves the results into place, manifest last.
    /// Only the result files this writer may replace are replaced or deleted; one that appeared
    /// in the folder during the run stops it before anything is moved.
    pub fn finish(self, manifest: &Manifest) -> Result<PathBuf, OutputError> {
        self.finish_with(manifest, |_| Ok(Vec::new()))
    }

    /// [`finish`](Self::finish), adding the files `derive` makes from the complete staged files
    /// (it gets the staging folder): each is a (name of [`RESULT_FILES`], text) pair, written
    /// and moved with the rest, so a derived file never outlives or predates its run.
    pub fn finish_with(
        mut self,
        manifest: &Manifest,
        derive: impl FnOnce(&Path) -> Result<Vec<(&'static str, String)>, OutputError>,
    ) -> Result<PathBuf, OutputError> {
        self.close_point()?;
        self.runs.finish()?;
        self.summary.finish()?;
        self.survival.finish()?;
        self.counts.finish()?;
        let mut moved = vec!["runs.csv", "summary.csv", "survival.csv"];
        if let Some(ts) = self.timeseries.take() {
            ts.finish()?;
            moved.push("timeseries.csv");
        }
        for (name, text) in derive(&self.staging)? {
            debug_assert!(RESULT_FILES.contains(&name), "{name} is a result file");
            files::write_synced(&self.staging.join(name), text.as_bytes())?;
            moved.push(name);
        }
        for f in RESULT_FILES {
            if files::exists(&self.dir.join(f)) && !self.replaceable.iter().any(|r| r == f) {
                return Err(OutputError::Appeared {
                    dir: self.dir.clone(),
                    file: f.to_string(),
                });
            }
        }
        let manifest_path = self.staging.join("manifest.json");
        let text = serde_json::to_string_pretty(manifest).expect("manifest serializes");
        files::write_synced(&manifest_path, text.as_bytes())?;
        // Replaced files this run does not write (an older timeseries.csv, report or
        // sensitivity.csv would not belong to it) go, and the old manifest before anything is
        // moved, so that old and new files never look like one finished run.
        for f in &self.replaceable {
            if !moved.contains(&f.as_str()) {
                files::remove_entry(&self.dir.join(f))?;
            }
        }
        moved.push("manifest.json");
        for f in moved {
            let to = self.dir.join(f);
            fs::rename(self.staging.join(f), &to).map_err(io_err(&to))?;
        }
        // The plan goes first: without it the staging folder is no longer resumable.
        for f in [PLAN, COUNTS, REPLACES] {
            files::remove_entry(&self.staging.join(f))?;
        }
        fs::remove_dir(&self.staging).map_err(io_err(&self.staging))?;
        Ok(self.dir)
    }
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
