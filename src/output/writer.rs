//! [`OutputWriter`]: a run's files written into the staging folder as the runs arrive, and moved
//! into place when the run succeeds, manifest last. runs.csv, timeseries.csv and the record
//! files are streamed row by row; summary.csv, survival.csv and points.csv point by point. In
//! Parquet (`output.format`), the staged CSV text of each table becomes its Parquet file when
//! the run ends, so that resuming an interrupted run works alike in every format.

use super::csvfmt::{cell, Rows};
use super::records::{self, RecordFiles};
use super::{
    file_name, files, gz, io_err, lock, parquet, value_cell, Columns, Counts, DirLock, Format,
    Layout, Manifest, OutputError, COUNTS, PLAN, REPLACES, RESULT_FILES, STAGING,
};
use crate::experiment::stats::summarize;
use crate::experiment::{ColumnType, RunId, RunOutput, SurvivalCounts};
use crate::params::Value;
use std::fs;
use std::path::{Path, PathBuf};

/// Where a run's outputs go, one run at a time in (point, replicate) order: an output folder's
/// [`OutputWriter`] or a [`super::MemoryWriter`].
pub trait PushRun {
    /// Writes one finished run; `parameters` gives the point's row of points.csv (every
    /// resolved parameter, as cells), asked for once per point when its first run arrives.
    fn push_run(
        &mut self,
        id: RunId,
        point_values: &[Value],
        parameters: impl FnOnce() -> Vec<String>,
        output: RunOutput,
    ) -> Result<(), OutputError>;
}

/// A file a run derives from its complete staged files (a comparison's differences.csv, a
/// posterior run's posterior-summary.csv), written and moved with the rest.
pub struct Derived {
    /// Its table's CSV name, one of [`RESULT_FILES`].
    pub table: &'static str,
    /// Its CSV text.
    pub text: String,
    /// The type of each of its columns, for a Parquet file.
    pub types: Vec<ColumnType>,
}

pub struct OutputWriter {
    /// The output folder being filled; `None` only inside a [`super::MemoryWriter`], whose rows
    /// stay in memory.
    pub(super) folder: Option<Folder>,
    pub(super) columns: Columns,
    pub(super) runs: Rows,
    pub(super) summary: Option<Rows>,
    pub(super) survival: Option<Rows>,
    pub(super) timeseries: Option<Rows>,
    pub(super) points: Option<Rows>,
    pub(super) records: RecordFiles,
    pub(super) counts: Rows,
    pub(super) current_point: Option<OpenPoint>,
    pub(super) values: Vec<Vec<Option<f64>>>,
    pub(super) survival_counts: Option<SurvivalCounts>,
    pub(super) point_counts: Counts,
    /// Every run written so far, those of the points an interrupted process closed included.
    pub total: Counts,
    /// The runs this process wrote.
    pub simulated: Counts,
}

/// The output folder a writer fills, through its staging folder.
pub(super) struct Folder {
    pub dir: PathBuf,
    pub staging: PathBuf,
    /// Result files this writer may replace or delete when it finishes.
    pub replaceable: Vec<String>,
    /// Held for the writer's life: one writer per output folder.
    pub _lock: DirLock,
}

/// The design point whose runs are arriving: its number, swept cells and points.csv row.
pub(super) struct OpenPoint {
    point: usize,
    swept: Vec<String>,
    parameters: Vec<String>,
}

/// A writer's files once its last point is closed.
pub(super) struct Closed {
    /// Each table's rows, by its CSV name, in [`Columns::tables`] order.
    pub tables: Vec<(String, Rows)>,
    /// The staging folder's own files (counts.csv, and records.csv with record files).
    pub bookkeeping: Vec<Rows>,
    pub folder: Option<Folder>,
    pub columns: Columns,
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
        let writer = OutputWriter::start(
            columns,
            |csv| Rows::create(&staging.join(file_name(csv, compress)), gzip),
            |name| Rows::create(&staging.join(name), None),
        )?;
        files::write_synced(&staging.join(PLAN), layout.fingerprint.as_bytes())?;
        Ok(OutputWriter {
            folder: Some(Folder {
                dir: dir.to_path_buf(),
                staging,
                replaceable,
                _lock: lock,
            }),
            ..writer
        })
    }

    /// A writer of `columns` into the rows `create` makes for each table (given its CSV name)
    /// and `plain` for the staging folder's own files (counts.csv, records.csv), with every
    /// header written and ended; its folder is for the caller to set.
    pub(super) fn start(
        columns: Columns,
        create: impl Fn(&str) -> Result<Rows, OutputError>,
        plain: impl Fn(&str) -> Result<Rows, OutputError>,
    ) -> Result<OutputWriter, OutputError> {
        let table = |wanted: bool, csv: &str| -> Result<Option<Rows>, OutputError> {
            if !wanted {
                return Ok(None);
            }
            let mut rows = create(csv)?;
            rows.write(&columns.header(csv))?;
            Ok(Some(rows))
        };
        let mut runs = table(true, "runs.csv")?.expect("runs.csv is written");
        let mut summary = table(columns.summary, "summary.csv")?;
        let mut survival = table(columns.survival, "survival.csv")?;
        let mut timeseries = table(columns.series.is_some(), "timeseries.csv")?;
        let mut points = table(columns.parameters.is_some(), "points.csv")?;
        let mut counts = plain(COUNTS)?;
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
        let records = RecordFiles::create(&columns, &create, &plain)?;
        let n_outcomes = columns.outcomes.len();
        Ok(OutputWriter {
            folder: None,
            columns,
            runs,
            summary,
            survival,
            timeseries,
            points,
            records,
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

    /// Closes the last design point and hands over every file's rows: the tables by CSV name
    /// in [`Columns::tables`] order, then the staging folder's own.
    pub(super) fn close(mut self) -> Result<Closed, OutputError> {
        self.close_point()?;
        let mut tables = vec![("runs.csv".to_string(), self.runs)];
        for (csv, rows) in [
            ("summary.csv", self.summary),
            ("survival.csv", self.survival),
            ("timeseries.csv", self.timeseries),
            ("points.csv", self.points),
        ] {
            if let Some(rows) = rows {
                tables.push((csv.to_string(), rows));
            }
        }
        let (record_files, index) = self.records.into_parts();
        tables.extend(
            self.columns
                .records
                .iter()
                .map(|r| r.csv())
                .zip(record_files),
        );
        debug_assert!(tables.iter().map(|(t, _)| t).eq(&self.columns.tables()));
        let mut bookkeeping = vec![self.counts];
        bookkeeping.extend(index);
        Ok(Closed {
            tables,
            bookkeeping,
            folder: self.folder,
            columns: self.columns,
        })
    }

    /// Closes every file, writes the manifest and moves the results into place, manifest last.
    /// Only the result files this writer may replace are replaced or deleted; one that appeared
    /// in the folder during the run stops it before anything is moved.
    pub fn finish(self, manifest: &Manifest) -> Result<PathBuf, OutputError> {
        self.finish_with(manifest, |_| Ok(Vec::new()))
    }

    /// [`finish`](Self::finish), adding the files `derive` makes from the complete staged files
    /// (it gets the staging folder, where each table is CSV text, gzipped with
    /// `output.compress`): each is written as this run writes a table (`NAME.csv`, `NAME.csv.gz`
    /// or `NAME.parquet`) and moved with the rest, so a derived file never outlives or predates
    /// its run.
    pub fn finish_with(
        self,
        manifest: &Manifest,
        derive: impl FnOnce(&Path) -> Result<Vec<Derived>, OutputError>,
    ) -> Result<PathBuf, OutputError> {
        let Closed {
            tables,
            bookkeeping,
            folder,
            columns,
        } = self.close()?;
        for rows in tables.into_iter().map(|(_, rows)| rows).chain(bookkeeping) {
            rows.finish()?;
        }
        let folder = folder.expect("create and resume give a writer its folder");
        let staging = &folder.staging;
        let mut moved = Vec::new();
        // With Parquet, the staged CSV text of each table is read back after its file is made,
        // and removed after the run is in place.
        let mut staged_text = Vec::new();
        for csv in columns.tables() {
            let name = columns.file(&csv);
            if columns.format == Format::Parquet {
                let types: Vec<ColumnType> = columns
                    .schema(&csv)
                    .expect("a table of these columns")
                    .into_iter()
                    .map(|(_, t)| t)
                    .collect();
                let text = staging.join(columns.staged(&csv));
                parquet::write_file(&text, &types, &staging.join(&name))?;
                staged_text.push(columns.staged(&csv));
            }
            moved.push(name);
        }
        for d in derive(staging)? {
            let name = columns.file(d.table);
            debug_assert!(
                RESULT_FILES.contains(&name.as_str()),
                "{name} is a result file"
            );
            let path = staging.join(&name);
            match columns.format {
                Format::Parquet => parquet::write_text(&d.text, &d.types, &path)?,
                Format::Csv if columns.compress => {
                    files::write_synced(&path, &gz::compress(d.text.as_bytes()))?
                }
                Format::Csv => files::write_synced(&path, d.text.as_bytes())?,
            }
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
        let manifest_path = staging.join("manifest.json");
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
            fs::rename(staging.join(&f), &to).map_err(io_err(&to))?;
        }
        // The plan goes first: without it the staging folder is no longer resumable.
        for f in [PLAN, COUNTS, REPLACES, records::INDEX]
            .into_iter()
            .map(String::from)
            .chain(staged_text)
        {
            files::remove_entry(&staging.join(f))?;
        }
        fs::remove_dir(staging).map_err(io_err(staging))?;
        Ok(folder.dir.clone())
    }
}

impl PushRun for OutputWriter {
    fn push_run(
        &mut self,
        id: RunId,
        point_values: &[Value],
        parameters: impl FnOnce() -> Vec<String>,
        output: RunOutput,
    ) -> Result<(), OutputError> {
        self.push(id, point_values, parameters, output)
    }
}
