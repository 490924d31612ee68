//! The files of a run. Everything is written into a staging folder inside the output folder and
//! moved into place only when the run succeeds, manifest.json last: a failed run never leaves a
//! result that looks complete and never touches earlier results.
//!
//! runs.csv, timeseries.csv and the record files (`records`: communities.csv, territories.csv)
//! are streamed row by row as runs finish, in run order; summary.csv,
//! survival.csv and points.csv are written point by point, so memory holds one point's values at
//! a time. The `output.*` keys choose the outcome columns and which files are written
//! ([`OutputOptions`]); with `output.compress` every CSV is gzip members (`gz`).
//!
//! No entry of the folder is reached through a symbolic link (`files`), and one process writes
//! into a folder at a time (`lock`).

mod csvfmt;
mod differences;
mod files;
pub mod gz;
mod lock;
mod manifest;
mod memory;
mod records;
mod resume;

pub use csvfmt::cell;
pub use differences::{differences_csv, DIFFERENCES_HEADER};
pub use files::{read_result, read_text, write_atomic};
pub use lock::{lock_existing, DirLock, LOCK as LOCK_FILE};
pub use manifest::{
    fingerprint, identity, sha256, Comparison, Manifest, Outputs, PosteriorDraws, Throughput,
};
pub use memory::{MemoryWriter, Tables};
pub use records::{RecordColumns, RECORD_KEYS};

use crate::experiment::stats::summarize;
use crate::experiment::{Model, RunId, RunOutput, SurvivalCounts};
use crate::params::{ParamValues, Value};
use csvfmt::Rows;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Every file commsim may leave in an output folder: the files of a run (plain or compressed),
/// those `commsim report` and `commsim analyze` add, and their temporary files. A run refuses a
/// folder that holds any of them unless `--force`.
pub const RESULT_FILES: [&str; 22] = [
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
];

/// The registry keys that choose what a run writes without changing what it simulates.
pub const FILE_CHOICE_KEYS: [&str; 5] = [
    "output.outcomes",
    "output.summary",
    "output.survival",
    "output.points",
    "output.compress",
];

/// What a run writes, from the `output.*` keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputOptions {
    /// `output.outcomes`: the outcomes chosen; empty for every outcome.
    pub outcomes: Vec<String>,
    pub summary: bool,
    pub survival: bool,
    pub points: bool,
    pub timeseries: bool,
    pub compress: bool,
    /// The record tables written (`output.communities`, `output.territories`).
    pub records: Vec<String>,
}

impl OutputOptions {
    pub fn of(values: &ParamValues) -> OutputOptions {
        OutputOptions {
            outcomes: values.list("output.outcomes").to_vec(),
            summary: values.flag("output.summary"),
            survival: values.flag("output.survival"),
            points: values.flag("output.points"),
            timeseries: values.flag("output.timeseries"),
            compress: values.flag("output.compress"),
            records: records::chosen(values),
        }
    }

    /// The name of a CSV file as this run writes it: `runs.csv`, or `runs.csv.gz` compressed.
    pub fn file(&self, csv: &str) -> String {
        file_name(csv, self.compress)
    }
}

/// `csv`, or `csv.gz` when `compress`.
pub fn file_name(csv: &str, compress: bool) -> String {
    if compress {
        format!("{csv}.gz")
    } else {
        csv.to_string()
    }
}

/// The positions, among `all` outcome names, of the columns a run keeps when `chosen` are named:
/// every outcome when none is; else each chosen outcome and the `_excess` twin of a chosen crisis
/// outcome (an `_excess` name alone keeps only the excess), in `all`'s order.
pub fn kept_outcomes(all: &[String], chosen: &[String]) -> Vec<usize> {
    all.iter()
        .enumerate()
        .filter(|(_, name)| {
            chosen.is_empty()
                || chosen.contains(name)
                || name
                    .strip_suffix("_excess")
                    .is_some_and(|base| chosen.iter().any(|c| c == base))
        })
        .map(|(i, _)| i)
        .collect()
}

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

/// Names of the columns a writer needs, and which files it writes.
pub struct Columns {
    pub swept_keys: Vec<String>,
    /// The outcome columns kept (`output.outcomes`), in the model's order.
    pub outcomes: Vec<String>,
    /// Their positions among the model's outcomes.
    pub outcome_index: Vec<usize>,
    pub groups: Vec<String>,
    pub series: Option<Vec<String>>,
    /// Names of the work counts (counts.csv's columns after `runs`).
    pub work: Vec<String>,
    /// points.csv's columns after `point` (every resolved parameter), if it is written.
    pub parameters: Option<Vec<String>>,
    pub summary: bool,
    pub survival: bool,
    /// The record files written, in the model's order of its tables.
    pub records: Vec<RecordColumns>,
    pub compress: bool,
    /// With `compress`: text a gzip member holds before it ends at a point boundary
    /// ([`gz::MEMBER_BYTES`]; smaller in tests).
    pub member_bytes: usize,
}

impl Columns {
    /// The columns of `model`'s outputs for a design over `swept_keys` with `options`;
    /// `parameters` names points.csv's columns.
    pub fn of(
        model: &impl Model,
        swept_keys: &[String],
        options: &OutputOptions,
        parameters: Vec<String>,
    ) -> Columns {
        let all = model.outcome_names();
        let outcome_index = kept_outcomes(&all, &options.outcomes);
        Columns {
            swept_keys: swept_keys.to_vec(),
            outcomes: outcome_index.iter().map(|&i| all[i].clone()).collect(),
            outcome_index,
            groups: model.group_names(),
            series: options.timeseries.then(|| model.series_names()),
            work: model.work_names(),
            parameters: options.points.then_some(parameters),
            summary: options.summary,
            survival: options.survival,
            records: records::columns_of(model, &options.records),
            compress: options.compress,
            member_bytes: gz::MEMBER_BYTES,
        }
    }

    fn file(&self, csv: &str) -> String {
        file_name(csv, self.compress)
    }

    /// The result files a run with these columns writes, in the order they are moved into
    /// place (manifest.json and derived files apart).
    pub fn files(&self) -> Vec<String> {
        let mut files = vec![self.file("runs.csv")];
        if self.summary {
            files.push(self.file("summary.csv"));
        }
        if self.survival {
            files.push(self.file("survival.csv"));
        }
        if self.series.is_some() {
            files.push(self.file("timeseries.csv"));
        }
        if self.parameters.is_some() {
            files.push(self.file("points.csv"));
        }
        files.extend(self.records.iter().map(|r| self.file(&r.csv())));
        files
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
    /// The output folder being filled; `None` only inside a [`MemoryWriter`], whose rows stay
    /// in memory.
    folder: Option<Folder>,
    columns: Columns,
    runs: Rows,
    summary: Option<Rows>,
    survival: Option<Rows>,
    timeseries: Option<Rows>,
    points: Option<Rows>,
    records: records::RecordFiles,
    counts: Rows,
    current_point: Option<OpenPoint>,
    values: Vec<Vec<Option<f64>>>,
    survival_counts: Option<SurvivalCounts>,
    point_counts: Counts,
    /// Every run written so far, those of the points an interrupted process closed included.
    pub total: Counts,
    /// The runs this process wrote.
    pub simulated: Counts,
}

/// The output folder a writer fills, through its staging folder.
struct Folder {
    dir: PathBuf,
    staging: PathBuf,
    /// Result files this writer may replace or delete when it finishes.
    replaceable: Vec<String>,
    /// Held for the writer's life: one writer per output folder.
    _lock: DirLock,
}

/// The design point whose runs are arriving: its number, swept cells and points.csv row.
struct OpenPoint {
    point: usize,
    swept: Vec<String>,
    parameters: Vec<String>,
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
        let gzip = columns.compress.then_some(columns.member_bytes);
        let compress = columns.compress;
        let counts = Rows::create(&staging.join(COUNTS), None)?;
        let writer = OutputWriter::start(
            columns,
            |csv| Rows::create(&staging.join(file_name(csv, compress)), gzip),
            counts,
        )?;
        let records = records::RecordFiles::create(&staging, &writer.columns)?;
        files::write_synced(&staging.join(PLAN), layout.fingerprint.as_bytes())?;
        Ok(OutputWriter {
            records,
            folder: Some(Folder {
                dir: dir.to_path_buf(),
                staging,
                replaceable,
                _lock: lock,
            }),
            ..writer
        })
    }

    /// A writer of `columns` into the rows `create` makes for each CSV file (and `counts`), with
    /// every header written and ended; its folder is for the caller to set.
    fn start(
        columns: Columns,
        create: impl Fn(&str) -> Result<Rows, OutputError>,
        mut counts: Rows,
    ) -> Result<OutputWriter, OutputError> {
        let mut runs = create("runs.csv")?;
        let mut header = vec!["point".to_string(), "replicate".into(), "seed".into()];
        header.extend(columns.swept_keys.iter().cloned());
        header.extend(columns.outcomes.iter().cloned());
        runs.write(&header)?;
        let mut summary = match columns.summary {
            true => Some(create("summary.csv")?),
            false => None,
        };
        if let Some(rows) = &mut summary {
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
            rows.write(&header)?;
        }
        let mut survival = match columns.survival {
            true => Some(create("survival.csv")?),
            false => None,
        };
        if let Some(rows) = &mut survival {
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
            rows.write(&header)?;
        }
        let mut timeseries = match &columns.series {
            Some(names) => {
                let mut rows = create("timeseries.csv")?;
                let mut header = vec!["point".to_string(), "replicate".into()];
                header.extend(columns.swept_keys.iter().cloned());
                header.push("month".into());
                header.extend(names.iter().cloned());
                rows.write(&header)?;
                Some(rows)
            }
            None => None,
        };
        let mut points = match &columns.parameters {
            Some(names) => {
                let mut rows = create("points.csv")?;
                let mut header = vec!["point".to_string()];
                header.extend(names.iter().cloned());
                rows.write(&header)?;
                Some(rows)
            }
            None => None,
        };
        let mut header = vec!["point".to_string(), "runs".into()];
        header.extend(columns.work.iter().cloned());
        counts.write(&header)?;
        // Headers reach the disk before the plan that makes the folder resumable (in a
        // compressed file, as a member of their own).
        runs.end_header()?;
        for rows in [&mut summary, &mut survival, &mut timeseries, &mut points]
            .into_iter()
            .flatten()
        {
            rows.end_header()?;
        }
        counts.end_header()?;
        let n_outcomes = columns.outcomes.len();
        Ok(OutputWriter {
            folder: None,
            columns,
            runs,
            summary,
            survival,
            timeseries,
            points,
            records: records::RecordFiles::none(),
            counts,
            current_point: None,
            values: vec![Vec::new(); n_outcomes],
            survival_counts: None,
            point_counts: Counts::default(),
            total: Counts::default(),
            simulated: Counts::default(),
        })
    }

    /// The columns this writer writes.
    pub fn columns(&self) -> &Columns {
        &self.columns
    }

    /// Writes one finished run; runs must arrive in (point, replicate) order. `parameters`
    /// gives the point's row of points.csv (every resolved parameter, as cells), asked for once
    /// per point when its first run arrives.
    pub fn push(
        &mut self,
        id: RunId,
        point_values: &[Value],
        parameters: impl FnOnce() -> Vec<String>,
        output: RunOutput,
    ) -> Result<(), OutputError> {
        if self.current_point.as_ref().map(|p| p.point) != Some(id.point) {
            self.close_point()?;
            self.current_point = Some(OpenPoint {
                point: id.point,
                swept: point_values.iter().map(value_cell).collect(),
                parameters: match self.points {
                    Some(_) => parameters(),
                    None => Vec::new(),
                },
            });
        }
        let swept = &self.current_point.as_ref().expect("opened above").swept;
        let kept = || {
            self.columns
                .outcome_index
                .iter()
                .map(|&i| output.outcomes[i])
        };
        let mut row = vec![
            id.point.to_string(),
            id.replicate.to_string(),
            id.seed.to_string(),
        ];
        row.extend(swept.iter().cloned());
        row.extend(kept().map(|v| v.map(cell).unwrap_or_default()));
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
        self.records
            .push(&self.columns, id, swept, &output.records)?;
        if self.summary.is_some() {
            for (column, value) in self.values.iter_mut().zip(kept()) {
                column.push(value);
            }
        }
        if self.survival.is_some() {
            match &mut self.survival_counts {
                Some(s) => s.merge(&output.survival),
                None => self.survival_counts = Some(output.survival),
            }
        }
        self.point_counts.add(1, &output.work);
        self.total.add(1, &output.work);
        self.simulated.add(1, &output.work);
        Ok(())
    }

    fn close_point(&mut self) -> Result<(), OutputError> {
        let Some(OpenPoint {
            point,
            swept,
            parameters,
        }) = self.current_point.take()
        else {
            return Ok(());
        };
        if let Some(summary) = &mut self.summary {
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
                summary.write(&row)?;
            }
        }
        if let (Some(survival), Some(counts)) = (&mut self.survival, self.survival_counts.take()) {
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
                    survival.write(&row)?;
                }
            }
        }
        if let Some(points) = &mut self.points {
            let mut row = vec![point.to_string()];
            row.extend(parameters);
            points.write(&row)?;
        }
        for column in &mut self.values {
            column.clear();
        }
        let c = std::mem::take(&mut self.point_counts);
        let mut row = vec![point.to_string(), c.runs.to_string()];
        row.extend((0..self.columns.work.len()).map(|i| c.work.get(i).unwrap_or(&0).to_string()));
        self.counts.write(&row)?;
        // Each closed point reaches the disk whole (in a compressed file, when its member
        // ends), so an interruption loses at most one point (or one member).
        self.runs.flush()?;
        for rows in [
            &mut self.summary,
            &mut self.survival,
            &mut self.timeseries,
            &mut self.points,
        ]
        .into_iter()
        .flatten()
        {
            rows.flush()?;
        }
        self.records.close_point(point)?;
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
    /// (it gets the staging folder): each is a (CSV name of [`RESULT_FILES`], text) pair,
    /// written (compressed with `output.compress`, as `NAME.gz`) and moved with the rest, so a
    /// derived file never outlives or predates its run.
    pub fn finish_with(
        mut self,
        manifest: &Manifest,
        derive: impl FnOnce(&Path) -> Result<Vec<(&'static str, String)>, OutputError>,
    ) -> Result<PathBuf, OutputError> {
        self.close_point()?;
        self.runs.finish()?;
        for rows in [
            self.summary.take(),
            self.survival.take(),
            self.timeseries.take(),
            self.points.take(),
        ]
        .into_iter()
        .flatten()
        {
            rows.finish()?;
        }
        std::mem::replace(&mut self.records, records::RecordFiles::none()).finish()?;
        self.counts.finish()?;
        let folder = self
            .folder
            .take()
            .expect("create and resume give a writer its folder");
        let mut moved = self.columns.files();
        for (name, text) in derive(&folder.staging)? {
            let name = self.columns.file(name);
            debug_assert!(
                RESULT_FILES.contains(&name.as_str()),
                "{name} is a result file"
            );
            let bytes = match self.columns.compress {
                true => gz::compress(text.as_bytes()),
                false => text.into_bytes(),
            };
            files::write_synced(&folder.staging.join(&name), &bytes)?;
            moved.push(name);
        }
        for f in RESULT_FILES {
            if files::exists(&folder.dir.join(f)) && !folder.replaceable.iter().any(|r| r == f) {
                return Err(OutputError::Appeared {
                    dir: folder.dir.clone(),
                    file: f.to_string(),
                });
            }
        }
        let manifest_path = folder.staging.join("manifest.json");
        let text = serde_json::to_string_pretty(manifest).expect("manifest serializes");
        files::write_synced(&manifest_path, text.as_bytes())?;
        // Replaced files this run does not write (an older timeseries.csv, report or
        // sensitivity.csv would not belong to it) go, and the old manifest before anything is
        // moved, so that old and new files never look like one finished run.
        for f in &folder.replaceable {
            if !moved.contains(f) {
                files::remove_entry(&folder.dir.join(f))?;
            }
        }
        moved.push("manifest.json".to_string());
        for f in moved {
            let to = folder.dir.join(&f);
            fs::rename(folder.staging.join(&f), &to).map_err(io_err(&to))?;
        }
        // The plan goes first: without it the staging folder is no longer resumable.
        for f in [PLAN, COUNTS, REPLACES, records::INDEX] {
            files::remove_entry(&folder.staging.join(f))?;
        }
        fs::remove_dir(&folder.staging).map_err(io_err(&folder.staging))?;
        Ok(folder.dir.clone())
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
