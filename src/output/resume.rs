//! Recovering an interrupted run. Rows of every file are grouped by design point, in order; a
//! point is complete in a file when it has all its rows. The run resumes after the last point
//! complete in every file: each file is cut back to that point and the rest is run again. Runs are
//! deterministic, so the files end identical to those of an uninterrupted run, and counts.csv
//! gives back the runs and agent-months of the kept points for the manifest.

use super::csvfmt::Rows;
use super::files::{self, read_text};
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
        let mut placed_files: Vec<(&str, usize)> = vec![
            ("runs.csv", layout.replicates as usize),
            ("summary.csv", columns.outcomes.len()),
            ("survival.csv", columns.groups.len() * layout.survival_rows),
        ];
        if columns.series.is_some() {
            placed_files.push((
                "timeseries.csv",
                layout.replicates as usize * layout.series_rows,
            ));
        }
        // A run killed while moving its files into place: take the moved ones back. It had
        // removed any older manifest before moving the first, so a manifest in the folder is its
        // own.
        let mut taken_back = false;
        for (f, _) in &placed_files {
            let (staged, placed) = (staging.join(f), dir.join(f));
            let regular = files::entry(&placed)?.is_some_and(|t| t.is_file());
            if !files::exists(&staged) && regular {
                fs::rename(&placed, &staged).map_err(io_err(&staged))?;
                taken_back = true;
            }
        }
        if taken_back && !replaceable.iter().any(|f| f == "manifest.json") {
            replaceable.push("manifest.json".to_string());
        }
        let mut staged_files = placed_files;
        staged_files.push((COUNTS, 1));
        let mut texts = Vec::new();
        let mut points = usize::MAX;
        for (f, rows) in &staged_files {
            let text = read_text(&staging.join(f))?;
            points = points.min(complete_points(&text, *rows));
            texts.push(text);
        }
        for ((f, rows), text) in staged_files.iter().zip(&texts) {
            truncate_to(&staging.join(f), text, *rows, points)?;
        }
        let counts_path = staging.join(COUNTS);
        let total = kept_counts(
            texts.last().expect("counts.csv is read"),
            points,
            &columns.work,
        )
        .map_err(|source| OutputError::Read {
            path: counts_path.clone(),
            source,
        })?;
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
            counts: Rows::append(&counts_path)?,
            staging,
            columns,
            current_point: None,
            values: vec![Vec::new(); n_outcomes],
            survival_counts: None,
            point_counts: Counts::default(),
            total,
            simulated: Counts::default(),
            replaceable,
            _lock: lock,
        };
        Ok((writer, first_run))
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

/// Design points at the start of `text` (a CSV whose first column is the point) that have all
/// `rows_per_point` rows, counting only lines ended by a newline.
fn complete_points(text: &str, rows_per_point: usize) -> usize {
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
fn prefix_len(text: &str, rows_per_point: usize, points: usize) -> usize {
    let keep_lines = 1 + points * rows_per_point;
    let mut len = 0;
    for line in text.split_inclusive('\n').take(keep_lines) {
        len += line.len();
    }
    len
}

/// Cuts `path`, whose content is `text`, back to its header and the rows of the first `points`
/// points. The file is reopened without following a link.
fn truncate_to(
    path: &Path,
    text: &str,
    rows_per_point: usize,
    points: usize,
) -> Result<(), OutputError> {
    let len = prefix_len(text, rows_per_point, points);
    let file = files::open_existing(path, fs::OpenOptions::new().write(true))?;
    file.set_len(len as u64).map_err(io_err(path))?;
    file.sync_all().map_err(io_err(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complete_points_ignore_a_torn_last_line_and_a_short_point() {
        let text = "point,x\n0,a\n0,b\n1,a\n1,b\n2,a\n2,";
        assert_eq!(complete_points(text, 2), 2);
        assert_eq!(
            prefix_len(text, 2, 2),
            "point,x\n0,a\n0,b\n1,a\n1,b\n".len()
        );
        assert_eq!(complete_points("point,x\n0,a\n0,b\n", 2), 1);
        assert_eq!(complete_points("point,x\n", 2), 0);
        assert_eq!(complete_points("point,x\n0,a\n1,a\n", 2), 0);
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
