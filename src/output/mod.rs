//! The files of a run. Everything is written into a staging folder inside the output folder and
//! moved into place only when the run succeeds, manifest.json last: a failed run never leaves a
//! result that looks complete and never touches earlier results.
//!
//! runs.csv, timeseries.csv and the record files (`records`: communities.csv, territories.csv)
//! are streamed row by row as runs finish, in run order; summary.csv,
//! survival.csv and points.csv are written point by point, so memory holds one point's values at
//! a time (`writer`). The `output.*` keys choose the outcome columns and which files are written
//! ([`OutputOptions`], `columns`); with `output.compress` every CSV is gzip members (`gz`), and
//! with `output.format = "parquet"` every table is made a Parquet file (`parquet`) from its
//! staged CSV text when the run ends.
//!
//! No entry of the folder is reached through a symbolic link (`files`), and one process writes
//! into a folder at a time (`lock`).

mod columns;
mod csvfmt;
mod differences;
mod files;
pub mod gz;
mod lock;
mod manifest;
mod memory;
pub mod parquet;
mod records;
mod resume;
mod writer;

pub use columns::{
    file_name, kept_outcomes, result_name, table_of_file, Columns, Format, OutputOptions, Schema,
};
pub use csvfmt::cell;
pub use differences::{differences_csv, DIFFERENCES_HEADER, DIFFERENCES_TYPES};
pub use files::{read_result, read_text, write_atomic};
pub use lock::{lock_existing, DirLock, LOCK as LOCK_FILE};
pub use manifest::{
    fingerprint, identity, sha256, Comparison, Manifest, Outputs, PosteriorDraws, Throughput,
};
pub use memory::{MemoryWriter, Tables};
pub use parquet::cell_is;
pub use records::{RecordColumns, RECORD_KEYS};
pub use writer::{Derived, OutputWriter, PushRun};

use crate::params::Value;
use std::io;
use std::path::{Path, PathBuf};

/// Every file commsim may leave in an output folder: the files of a run (plain, compressed or
/// Parquet), those `commsim report` and `commsim analyze` add, and their temporary files. A run
/// refuses a folder that holds any of them unless `--force`.
pub const RESULT_FILES: [&str; 32] = [
    "runs.csv",
    "differences.csv",
    "summary.csv",
    "survival.csv",
    "timeseries.csv",
    "points.csv",
    "runs.csv.gz",
    "differences.csv.gz",
    "summary.csv.gz",
    "survival.csv.gz",
    "timeseries.csv.gz",
    "points.csv.gz",
    "communities.csv",
    "territories.csv",
    "communities.csv.gz",
    "territories.csv.gz",
    "manifest.json",
    "report.html",
    "sensitivity.csv",
    "report.partial",
    "sensitivity.partial",
    "posterior-summary.csv",
    "posterior-summary.csv.gz",
    "runs.parquet",
    "differences.parquet",
    "summary.parquet",
    "survival.parquet",
    "timeseries.parquet",
    "points.parquet",
    "communities.parquet",
    "territories.parquet",
    "posterior-summary.parquet",
];

/// The registry keys that choose what a run writes without changing what it simulates.
pub const FILE_CHOICE_KEYS: [&str; 6] = [
    "output.outcomes",
    "output.summary",
    "output.survival",
    "output.points",
    "output.compress",
    "output.format",
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

impl OutputError {
    /// Whether the error is the caller's to fix (the command line's exit status 2): a folder that
    /// holds other results, an interrupted or another run, or an entry commsim does not touch.
    pub fn is_input(&self) -> bool {
        matches!(
            self,
            OutputError::Exists { .. }
                | OutputError::Interrupted { .. }
                | OutputError::NothingToResume { .. }
                | OutputError::Mismatch { .. }
                | OutputError::FinishedMismatch { .. }
                | OutputError::Busy { .. }
                | OutputError::Appeared { .. }
                | OutputError::NotRegular { .. }
        )
    }
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
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

/// A swept value as a CSV cell, the same in every file: reals as the shortest round-trip decimal.
pub fn value_cell(v: &Value) -> String {
    match v {
        Value::Real(x) => cell(*x),
        Value::Whole(n) => n.to_string(),
        Value::Flag(b) => b.to_string(),
        Value::Text(s) => s.clone(),
        Value::List(names) => names.join(" "),
    }
}
