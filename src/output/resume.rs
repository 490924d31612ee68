//! Recovering an interrupted run. Rows of every file are grouped by design point, in order; a
//! point is complete in a file when it has all its rows (as many as the layout says, or for a
//! record file as many as the staging folder's records.csv lists, `records`). The run resumes after the last point
//! complete in every file: each file is cut back to that point and the rest is run again. Runs are
//! deterministic, so the files end identical to those of an uninterrupted run, and counts.csv
//! gives back the runs and agent-months of the kept points for the manifest.

use super::csvfmt::Rows;
use super::files::{self, read_text};
use super::gz::{self, Member};
use super::records::{self, RecordFiles};
use super::writer::Folder;
use super::{
    fingerprint, io_err, lock, Columns, Counts, Layout, OutputError, OutputWriter, COUNTS, PLAN,
    REPLACES, RESULT_FILES, STAGING,
};
use std::fs;
use std::io;
use std::path::Path;

impl OutputWriter {
    /// Reopens an interrupted run: checks that it is the same run, cuts every file back to the
    /// last design point complete in all of them, and returns the writer and the number of the
    /// first run still to do. A folder that does not exist is not created.
    pub fn resume(
        dir: &Path,
        columns: Columns,
        layout: Layout,
    ) -> Result<(OutputWriter, u64), OutputError> {
        if !dir.is_dir() {
            return Err(OutputError::NothingToResume {
                dir: dir.to_path_buf(),
            });
        }
        let lock = lock::lock_dir(dir)?;
        let staging = dir.join(STAGING);
        match files::entry(&staging)? {
            Some(t) if t.is_dir() => {}
            Some(t) => return Err(files::not_regular(&staging, t)),
            None => return Err(finished_or_nothing(dir, &layout)),
        }
        let plan_path = staging.join(PLAN);
        if !files::exists(&plan_path) {
            return Err(finished_or_nothing(dir, &layout));
        }
        if read_text(&plan_path)? != layout.fingerprint {
            return Err(OutputError::Mismatch {
                dir: dir.to_path_buf(),
            });
        }
        let replaces = staging.join(REPLACES);
        let mut replaceable: Vec<String> = if files::exists(&replaces) {
            let text = read_text(&replaces)?;
            RESULT_FILES
                .iter()
                .filter(|f| text.lines().any(|l| l == **f))
                .map(|f| f.to_string())
                .collect()
        } else {
            Vec::new()
        };
        let fixed = |rows: usize| PerPoint::Fixed(rows);
        // Each table's staged file (its CSV text, gzipped with output.compress) and its rows
        // per point.
        let mut placed_files: Vec<(String, PerPoint)> = vec![(
            columns.staged("runs.csv"),
            fixed(layout.replicates as usize),
        )];
        if columns.summary {
            placed_files.push((columns.staged("summary.csv"), fixed(columns.outcomes.len())));
        }
        if columns.survival {
            placed_files.push((
                columns.staged("survival.csv"),
                fixed(columns.groups.len() * layout.survival_rows),
            ));
        }
        if columns.series.is_some() {
            placed_files.push((
                columns.staged("timeseries.csv"),
                fixed(layout.replicates as usize * layout.series_rows),
            ));
        }
        if columns.parameters.is_some() {
            placed_files.push((columns.staged("points.csv"), fixed(1)));
        }
        // A record file's points have the rows the index lists (none listed: none complete).
        let index_path = staging.join(records::INDEX);
        let listed = match columns.records.is_empty() {
            true => Vec::new(),
            false => {
                let text = match files::exists(&index_path) {
                    true => read_text(&index_path)?,
                    false => String::new(),
                };
                records::listed_rows(&text, columns.records.len()).ok_or_else(|| {
                    OutputError::Read {
                        path: index_path.clone(),
                        source: io::Error::new(
                            io::ErrorKind::InvalidData,
                            "expected a line point,rows... for each closed point, in order",
                        ),
                    }
                })?
            }
        };
        for (table, rows) in columns.records.iter().zip(listed) {
            placed_files.push((columns.staged(&table.csv()), PerPoint::Listed(rows)));
        }
        // A run killed while moving its files into place: take the moved ones back (in CSV,
        // the staged files themselves; in Parquet, the files made from them, made again when
        // the run ends). It had removed any older manifest before moving the first, so a
        // manifest in the folder is its own.
        let mut taken_back = false;
        for f in columns.files() {
            let (staged, placed) = (staging.join(&f), dir.join(&f));
            let regular = files::entry(&placed)?.is_some_and(|t| t.is_file());
            if !files::exists(&staged) && regular {
                fs::rename(&placed, &staged).map_err(io_err(&staged))?;
                taken_back = true;
            }
        }
        if taken_back && !replaceable.iter().any(|f| f == "manifest.json") {
            replaceable.push("manifest.json".to_string());
        }
        let compressed = placed_files.len();
        let mut staged_files = placed_files;
        staged_files.push((COUNTS.to_string(), fixed(1)));
        if !columns.records.is_empty() {
            staged_files.push((records::INDEX.to_string(), fixed(1)));
        }
        let mut staged = Vec::new();
        let mut points = usize::MAX;
        for (i, (f, rows)) in staged_files.iter().enumerate() {
            let path = staging.join(f);
            let file = if columns.compress && i < compressed {
                Staged::compressed(&files::read_bytes(&path)?)
            } else {
                Staged::plain(read_text(&path)?)
            };
            points = points.min(complete_points(&file.text, rows));
            staged.push(file);
        }
        let mut pending = Vec::new();
        for ((f, rows), file) in staged_files.iter().zip(&staged) {
            pending.push(file.truncate_to(&staging.join(f), rows, points)?);
        }
        let counts_path = staging.join(COUNTS);
        let counts_text = &staged[compressed].text;
        let total = kept_counts(counts_text, points, &columns.work).map_err(|source| {
            OutputError::Read {
                path: counts_path.clone(),
                source,
            }
        })?;
        let n_outcomes = columns.outcomes.len();
        let first_run = points as u64 * layout.replicates;
        let mut pending = pending.into_iter();
        let mut reopen = |wanted: bool, csv: &str| -> Result<Option<Rows>, OutputError> {
            if !wanted {
                return Ok(None);
            }
            let path = staging.join(columns.staged(csv));
            let gzip = pending
                .next()
                .expect("one cut per file")
                .map(|text| (columns.member_bytes, text));
            Rows::append(&path, gzip).map(Some)
        };
        let runs = reopen(true, "runs.csv")?.expect("runs.csv is written");
        let summary = reopen(columns.summary, "summary.csv")?;
        let survival = reopen(columns.survival, "survival.csv")?;
        let timeseries = reopen(columns.series.is_some(), "timeseries.csv")?;
        let points = reopen(columns.parameters.is_some(), "points.csv")?;
        let mut record_files = Vec::new();
        for table in &columns.records {
            record_files.push(reopen(true, &table.csv())?.expect("wanted"));
        }
        let index = match columns.records.is_empty() {
            true => None,
            false => Some(Rows::append(&index_path, None)?),
        };
        let writer = OutputWriter {
            folder: Some(Folder {
                dir: dir.to_path_buf(),
                staging,
                replaceable,
                _lock: lock,
            }),
            runs,
            summary,
            survival,
            timeseries,
            points,
            records: RecordFiles::reopened(record_files, index),
            counts: Rows::append(&counts_path, None)?,
            columns,
            current_point: None,
            values: vec![Vec::new(); n_outcomes],
            survival_counts: None,
            point_counts: Counts::default(),
            total,
            simulated: Counts::default(),
        };
        Ok((writer, first_run))
    }
}

/// A staged file read back: its text, and for a compressed file its whole members.
struct Staged {
    text: String,
    members: Option<Vec<Member>>,
}

impl Staged {
    fn plain(text: String) -> Staged {
        Staged {
            text,
            members: None,
        }
    }

    /// The whole members of a compressed file; a torn last member is left out.
    fn compressed(bytes: &[u8]) -> Staged {
        let members = gz::members(bytes);
        Staged {
            text: members.iter().map(|m| m.text.as_str()).collect(),
            members: Some(members),
        }
    }

    /// Cuts the file at `path` back to its header and the rows of the first `points` points (it
    /// is reopened without following a link). A compressed file is cut after the last whole
    /// member before the cut; the text of the member that held it is given back, to be the open
    /// member of the writer, which compresses it again with the rows that follow, so the member
    /// ends as it would have.
    fn truncate_to(
        &self,
        path: &Path,
        rows_per_point: &PerPoint,
        points: usize,
    ) -> Result<Option<Vec<u8>>, OutputError> {
        let keep = prefix_len(&self.text, rows_per_point, points);
        let (len, pending) = match &self.members {
            None => (keep, None),
            Some(members) => {
                let (mut text_at, mut len) = (0, 0);
                let mut pending = Vec::new();
                for m in members {
                    let end = text_at + m.text.len();
                    if end <= keep {
                        len = m.bytes.end;
                    } else {
                        pending = m.text.as_bytes()[..keep - text_at].to_vec();
                        break;
                    }
                    text_at = end;
                }
                (len, Some(pending))
            }
        };
        let file = files::open_existing(path, fs::OpenOptions::new().write(true))?;
        file.set_len(len as u64).map_err(io_err(path))?;
        file.sync_all().map_err(io_err(path))?;
        Ok(pending)
    }
}

/// Why a folder without a resumable staging folder cannot be resumed: it holds a finished run
/// of the same options (nothing to do), a finished run of other options, or nothing.
fn finished_or_nothing(dir: &Path, layout: &Layout) -> OutputError {
    let path = dir.join("manifest.json");
    if !files::exists(&path) {
        return OutputError::NothingToResume {
            dir: dir.to_path_buf(),
        };
    }
    let manifest: Option<serde_json::Value> = read_text(&path)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok());
    let same = manifest.is_some_and(|m| {
        match (
            m["version"].as_str(),
            m["design_sha256"].as_str(),
            m["resolved_scenario"].as_str(),
        ) {
            (Some(version), Some(design), Some(resolved)) => {
                let b = m["comparison"]["b_resolved_scenario"].as_str();
                fingerprint(version, design, &super::identity(resolved, b)) == layout.fingerprint
            }
            _ => false,
        }
    });
    if same {
        OutputError::AlreadyComplete {
            dir: dir.to_path_buf(),
        }
    } else {
        OutputError::FinishedMismatch {
            dir: dir.to_path_buf(),
        }
    }
}

/// The sums of the first `points` rows of counts.csv (point, runs, then one column per work
/// name).
fn kept_counts(text: &str, points: usize, work: &[String]) -> Result<Counts, io::Error> {
    let mut total = Counts {
        runs: 0,
        work: vec![0; work.len()],
    };
    for (i, line) in text.lines().skip(1).take(points).enumerate() {
        let bad = || {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("line {}: expected point,runs,{}", i + 2, work.join(",")),
            )
        };
        let cells: Vec<u64> = line
            .split(',')
            .map(|c| c.parse().map_err(|_| bad()))
            .collect::<Result<_, _>>()?;
        if cells.len() != 2 + work.len() {
            return Err(bad());
        }
        total.add(cells[1], &cells[2..]);
    }
    Ok(total)
}

/// How many rows each design point has in a file.
enum PerPoint {
    /// The same for every point (the layout's).
    Fixed(usize),
    /// Those the index lists, point by point; a point beyond the list is not complete.
    Listed(Vec<usize>),
}

/// Design points at the start of `text` (a CSV whose first column is the point) that have all
/// their rows, counting only lines ended by a newline.
fn complete_points(text: &str, rows: &PerPoint) -> usize {
    let rows_per_point = match rows {
        PerPoint::Fixed(n) => *n,
        PerPoint::Listed(listed) => {
            let lines = complete_lines(text).skip(1).count();
            let mut through = 0;
            return listed
                .iter()
                .take_while(|&&n| {
                    through += n;
                    through <= lines
                })
                .count();
        }
    };
    let mut complete = 0;
    let mut current: Option<(&str, usize)> = None;
    for line in complete_lines(text).skip(1) {
        let point = line.split(',').next().unwrap_or("");
        match current {
            Some((p, n)) if p == point => current = Some((p, n + 1)),
            Some((_, n)) => {
                if n != rows_per_point {
                    return complete;
                }
                complete += 1;
                current = Some((point, 1));
            }
            None => current = Some((point, 1)),
        }
    }
    match current {
        Some((_, n)) if n == rows_per_point => complete + 1,
        _ => complete,
    }
}

fn complete_lines(text: &str) -> impl Iterator<Item = &str> {
    let end = text.rfind('\n').map_or(0, |i| i + 1);
    text[..end].lines()
}

/// Byte length of the header and the rows of the first `points` points.
fn prefix_len(text: &str, rows: &PerPoint, points: usize) -> usize {
    let keep_lines = 1 + match rows {
        PerPoint::Fixed(n) => points * n,
        PerPoint::Listed(listed) => listed[..points].iter().sum(),
    };
    let mut len = 0;
    for line in text.split_inclusive('\n').take(keep_lines) {
        len += line.len();
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::{ColumnType, RunId, RunOutput, SurvivalCounts};
    use crate::output::{Format, Manifest};
    use crate::params::Value;

    const MONTHS: usize = 3;
    const REPLICATES: u64 = 3;
    const POINTS: usize = 12;

    fn columns(compress: bool, member_bytes: usize) -> Columns {
        Columns {
            swept_keys: vec!["x".into()],
            swept_types: vec![ColumnType::Int],
            outcomes: vec!["a".into(), "b".into()],
            outcome_index: vec![0, 2],
            groups: vec!["g".into()],
            series: Some(vec!["s".into()]),
            work: vec!["w".into()],
            parameters: Some(vec!["x".into(), "y".into()]),
            parameter_types: vec![ColumnType::Int, ColumnType::Real],
            summary: true,
            survival: true,
            // The model's second table: the first is not written.
            records: vec![crate::output::RecordColumns {
                name: "entities".into(),
                index: 1,
                columns: vec!["e".into(), "f".into()],
                types: vec![ColumnType::Int, ColumnType::Real],
            }],
            compress,
            format: Format::Csv,
            member_bytes,
        }
    }

    fn parquet_columns() -> Columns {
        Columns {
            format: Format::Parquet,
            ..columns(false, 150)
        }
    }

    fn layout() -> Layout {
        Layout {
            fingerprint: "test".into(),
            replicates: REPLICATES,
            survival_rows: MONTHS + 1,
            series_rows: MONTHS,
        }
    }

    /// Run `k` of the fake sweep: values that differ from run to run.
    fn push(writer: &mut OutputWriter, k: u64) {
        let (point, replicate) = ((k / REPLICATES) as usize, k % REPLICATES);
        let x = k as f64 * 0.37;
        let mut survival = SurvivalCounts::new(1, MONTHS + 1);
        survival.add_event(0, (k % 4) as usize);
        let output = RunOutput {
            outcomes: vec![Some(x), Some(-1.0), k.is_multiple_of(2).then_some(x * x)],
            survival,
            series: (0..MONTHS).map(|m| vec![x + m as f64]).collect(),
            work: vec![k],
            // A varying number of records a run, none at all in point 4.
            records: vec![
                vec![vec!["not written".into()]],
                (0..if point == 4 { 0 } else { k % 4 })
                    .map(|e| vec![e.to_string(), format!("{}", x * e as f64)])
                    .collect(),
            ],
        };
        let id = RunId {
            point,
            replicate,
            seed: k * 11,
        };
        let values = [Value::Whole(point as u64)];
        let parameters = || vec![point.to_string(), format!("{}", point as f64 / 7.0)];
        writer.push(id, &values, parameters, output).unwrap();
    }

    fn run(dir: &Path, compress: bool, member_bytes: usize) {
        let mut writer =
            OutputWriter::create(dir, columns(compress, member_bytes), layout(), false).unwrap();
        for k in 0..POINTS as u64 * REPLICATES {
            push(&mut writer, k);
        }
        writer.finish(&Manifest::default()).unwrap();
    }

    const FILES: [&str; 6] = [
        "runs",
        "summary",
        "survival",
        "timeseries",
        "points",
        "entities",
    ];

    #[test]
    fn a_compressed_run_cut_anywhere_resumes_to_the_same_bytes() {
        let tmp = tempfile::tempdir().unwrap();
        let full = tmp.path().join("full");
        let plain = tmp.path().join("plain");
        fs::create_dir(&full).unwrap();
        fs::create_dir(&plain).unwrap();
        // Members of 150 bytes of text: several per file, boundaries in every file apart.
        run(&full, true, 150);
        run(&plain, false, 150);
        for f in FILES {
            let bytes = fs::read(full.join(format!("{f}.csv.gz"))).unwrap();
            let text = fs::read_to_string(plain.join(format!("{f}.csv"))).unwrap();
            assert_eq!(gz::decompress(&bytes).unwrap(), text, "{f}");
            if f != "points" {
                assert!(gz::members(&bytes).len() > 2, "{f} has several members");
            }
        }
        let mut cases = 0;
        for stop in [0, 1, 4, 7, 13, 20, 29, 35] {
            for torn in [0, 1, 9, 40] {
                let cut = tmp.path().join(format!("cut-{stop}-{torn}"));
                fs::create_dir(&cut).unwrap();
                let mut writer =
                    OutputWriter::create(&cut, columns(true, 150), layout(), false).unwrap();
                for k in 0..stop {
                    push(&mut writer, k);
                }
                drop(writer);
                // A kill during a write tears the end of a file (after its header, which is
                // on disk before the plan).
                for f in FILES {
                    let path = cut.join(STAGING).join(format!("{f}.csv.gz"));
                    let bytes = fs::read(&path).unwrap();
                    let header = gz::members(&bytes)[0].bytes.end as u64;
                    let len = (bytes.len() as u64).saturating_sub(torn).max(header);
                    let file = fs::OpenOptions::new().write(true).open(&path).unwrap();
                    file.set_len(len).unwrap();
                }
                let (mut writer, first) =
                    OutputWriter::resume(&cut, columns(true, 150), layout()).unwrap();
                assert!(first <= stop, "{first} > {stop}");
                for k in first..POINTS as u64 * REPLICATES {
                    push(&mut writer, k);
                }
                writer.finish(&Manifest::default()).unwrap();
                for f in FILES {
                    let name = format!("{f}.csv.gz");
                    assert!(
                        fs::read(cut.join(&name)).unwrap() == fs::read(full.join(&name)).unwrap(),
                        "{name} after stopping at run {stop}, {torn} bytes torn"
                    );
                }
                cases += 1;
            }
        }
        assert_eq!(cases, 32);
    }

    #[test]
    fn a_parquet_run_cut_anywhere_or_while_moving_resumes_to_the_same_bytes() {
        let tmp = tempfile::tempdir().unwrap();
        let (full, plain) = (tmp.path().join("full"), tmp.path().join("plain"));
        fs::create_dir(&full).unwrap();
        fs::create_dir(&plain).unwrap();
        let finish = |mut writer: OutputWriter, from: u64| {
            for k in from..POINTS as u64 * REPLICATES {
                push(&mut writer, k);
            }
            writer.finish(&Manifest::default()).unwrap();
        };
        finish(
            OutputWriter::create(&full, parquet_columns(), layout(), false).unwrap(),
            0,
        );
        run(&plain, false, 150);
        let mut names: Vec<String> = FILES.iter().map(|f| format!("{f}.parquet")).collect();
        names.push("manifest.json".into());
        let mut listing: Vec<String> = fs::read_dir(&full)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        listing.sort();
        names.sort();
        assert_eq!(
            listing, names,
            "the Parquet files and the manifest, nothing staged"
        );
        for f in FILES {
            let text = super::super::parquet::read_as_csv(&full.join(format!("{f}.parquet")));
            let csv = fs::read_to_string(plain.join(format!("{f}.csv"))).unwrap();
            assert_eq!(text.unwrap(), csv, "{f}.parquet holds {f}.csv");
        }
        let same = |cut: &Path, what: &str| {
            for f in FILES {
                let name = format!("{f}.parquet");
                assert!(
                    fs::read(cut.join(&name)).unwrap() == fs::read(full.join(&name)).unwrap(),
                    "{name} {what}"
                );
            }
        };
        for stop in [0, 1, 4, 13, 29, 35, 36] {
            for torn in [0, 9] {
                let cut = tmp.path().join(format!("cut-{stop}-{torn}"));
                fs::create_dir(&cut).unwrap();
                let mut writer =
                    OutputWriter::create(&cut, parquet_columns(), layout(), false).unwrap();
                for k in 0..stop {
                    push(&mut writer, k);
                }
                drop(writer);
                for f in FILES {
                    let path = cut.join(STAGING).join(format!("{f}.csv"));
                    let len = fs::metadata(&path).unwrap().len();
                    let header = fs::read_to_string(&path).unwrap().find('\n').unwrap() + 1;
                    let file = fs::OpenOptions::new().write(true).open(&path).unwrap();
                    file.set_len(len.saturating_sub(torn).max(header as u64))
                        .unwrap();
                }
                let (writer, first) =
                    OutputWriter::resume(&cut, parquet_columns(), layout()).unwrap();
                assert!(first <= stop, "{first} > {stop}");
                finish(writer, first);
                same(
                    &cut,
                    &format!("after stopping at run {stop}, {torn} bytes torn"),
                );
            }
        }
        // Killed while moving the files into place: two Parquet files (one of them torn) and
        // the manifest are in the folder; the rest waits in the staging folder with the text.
        let moving = tmp.path().join("moving");
        fs::create_dir(&moving).unwrap();
        let mut writer = OutputWriter::create(&moving, parquet_columns(), layout(), false).unwrap();
        for k in 0..POINTS as u64 * REPLICATES {
            push(&mut writer, k);
        }
        drop(writer);
        fs::write(moving.join("runs.parquet"), b"PAR1 torn").unwrap();
        fs::copy(full.join("summary.parquet"), moving.join("summary.parquet")).unwrap();
        fs::write(moving.join("manifest.json"), b"{}").unwrap();
        let (writer, first) = OutputWriter::resume(&moving, parquet_columns(), layout()).unwrap();
        // The last point was never closed (a writer closes a point when the next begins).
        assert_eq!(first, (POINTS as u64 - 1) * REPLICATES);
        finish(writer, first);
        same(&moving, "after a kill while moving");
        assert!(!moving.join(STAGING).exists());
    }

    #[test]
    fn complete_points_ignore_a_torn_last_line_and_a_short_point() {
        let text = "point,x\n0,a\n0,b\n1,a\n1,b\n2,a\n2,";
        let two = PerPoint::Fixed(2);
        assert_eq!(complete_points(text, &two), 2);
        assert_eq!(
            prefix_len(text, &two, 2),
            "point,x\n0,a\n0,b\n1,a\n1,b\n".len()
        );
        assert_eq!(complete_points("point,x\n0,a\n0,b\n", &two), 1);
        assert_eq!(complete_points("point,x\n", &two), 0);
        assert_eq!(complete_points("point,x\n0,a\n1,a\n", &two), 0);
        // Rows listed point by point: a point of no rows is complete as soon as it is listed.
        let listed = PerPoint::Listed(vec![2, 0, 2, 2]);
        assert_eq!(complete_points(text, &listed), 3);
        assert_eq!(complete_points("point,x\n0,a\n0,b\n", &listed), 2);
        assert_eq!(complete_points("point,x\n0,a\n", &listed), 0);
        assert_eq!(
            prefix_len(text, &listed, 3),
            "point,x\n0,a\n0,b\n1,a\n1,b\n".len()
        );
    }

    #[test]
    fn kept_counts_sum_the_kept_points_and_refuse_a_damaged_row() {
        let work = ["resident_months".to_string(), "community_months".into()];
        let text = "point,runs,resident_months,community_months\n0,2,100,10\n1,2,50,5\n2,2,";
        let kept = kept_counts(text, 2, &work).unwrap();
        assert_eq!(
            kept,
            Counts {
                runs: 4,
                work: vec![150, 15]
            }
        );
        let none = kept_counts(text, 0, &work).unwrap();
        assert_eq!((none.runs, none.work), (0, vec![0, 0]));
        assert!(kept_counts("h\n0,2,x,1\n", 1, &work).is_err());
        assert!(kept_counts("h\n0,2\n", 1, &work).is_err());
    }
}
