//! A run's CSV files as texts in memory, for callers that want the tables without an output
//! folder (the Python package). The rows, cells and headers are made by the same writer as the
//! files, so each text is byte for byte the file `commsim run` writes (uncompressed, CSV).

use super::csvfmt::Rows;
use super::writer::{Closed, PushRun};
use super::{read_result, table_of_file, Columns, Counts, Format, OutputError, OutputWriter};
use crate::experiment::{RunId, RunOutput};
use crate::params::Value;
use std::path::Path;

/// The texts of a run's CSV files, each `None` when the `output.*` keys do not ask for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tables {
    pub runs: String,
    pub summary: Option<String>,
    pub survival: Option<String>,
    pub timeseries: Option<String>,
    pub points: Option<String>,
    /// The record tables written (`output.communities`, `output.territories`), in the model's
    /// order: each table's name (`communities`) and its text (communities.csv's).
    pub records: Vec<(String, String)>,
}

/// The tables of [`Tables`]' fields, by their CSV names, in the order a run writes them.
const FIXED: [&str; 5] = [
    "runs.csv",
    "summary.csv",
    "survival.csv",
    "timeseries.csv",
    "points.csv",
];

impl Tables {
    /// The tables as (file name, text) pairs, in the order a run writes them.
    pub fn files(&self) -> Vec<(String, &str)> {
        let mut files = vec![("runs.csv".to_string(), self.runs.as_str())];
        for (name, text) in FIXED[1..].iter().zip([
            &self.summary,
            &self.survival,
            &self.timeseries,
            &self.points,
        ]) {
            if let Some(text) = text {
                files.push((name.to_string(), text.as_str()));
            }
        }
        for (name, text) in &self.records {
            files.push((format!("{name}.csv"), text.as_str()));
        }
        files
    }

    /// The tables from (CSV name, text) pairs with `runs.csv` among them; a record table is any
    /// name but those of the fixed fields.
    fn from_texts(mut texts: Vec<(String, String)>) -> Tables {
        let mut take = |csv: &str| {
            let i = texts.iter().position(|(name, _)| name == csv)?;
            Some(texts.remove(i).1)
        };
        Tables {
            runs: take("runs.csv").expect("runs.csv is written"),
            summary: take("summary.csv"),
            survival: take("survival.csv"),
            timeseries: take("timeseries.csv"),
            points: take("points.csv"),
            records: texts
                .into_iter()
                .map(|(csv, text)| {
                    let name = csv.strip_suffix(".csv").unwrap_or(&csv).to_string();
                    (name, text)
                })
                .collect(),
        }
    }

    /// The tables of a finished run in `dir` that wrote `files` (the manifest's
    /// `outputs.files`: `runs.csv`, `runs.csv.gz` or `runs.parquet`, ...), as CSV text.
    pub fn read(dir: &Path, files: &[String]) -> Result<Tables, OutputError> {
        let mut texts = Vec::new();
        for file in files {
            let csv = table_of_file(file);
            let text = read_result(dir, &csv)?.ok_or_else(|| OutputError::Read {
                path: dir.join(file),
                source: std::io::ErrorKind::NotFound.into(),
            })?;
            texts.push((csv, text));
        }
        if !texts.iter().any(|(csv, _)| csv == "runs.csv") {
            return Err(OutputError::Read {
                path: dir.join("runs.csv"),
                source: std::io::ErrorKind::NotFound.into(),
            });
        }
        Ok(Tables::from_texts(texts))
    }
}

/// An [`OutputWriter`] whose rows stay in memory: no folder, no lock, never compressed, CSV.
pub struct MemoryWriter(OutputWriter);

impl MemoryWriter {
    /// A writer of `columns` (`compress` and `format` are ignored: the texts are plain CSV).
    pub fn new(mut columns: Columns) -> Result<MemoryWriter, OutputError> {
        columns.compress = false;
        columns.format = Format::Csv;
        let memory = |name: &str| Ok::<_, OutputError>(Rows::memory(name));
        OutputWriter::start(columns, memory, memory).map(MemoryWriter)
    }

    /// Every run written so far and the work they did.
    pub fn total(&self) -> &Counts {
        &self.0.total
    }

    /// Closes the last design point and gives the texts.
    pub fn finish(self) -> Result<Tables, OutputError> {
        let Closed { tables, .. } = self.0.close()?;
        let mut texts = Vec::new();
        for (csv, rows) in tables {
            texts.push((csv, rows.into_text()?.expect("rows in memory")));
        }
        Ok(Tables::from_texts(texts))
    }
}

/// [`OutputWriter::push`]: one finished run, in (point, replicate) order.
impl PushRun for MemoryWriter {
    fn push_run(
        &mut self,
        id: RunId,
        point_values: &[Value],
        parameters: impl FnOnce() -> Vec<String>,
        output: RunOutput,
    ) -> Result<(), OutputError> {
        self.0.push(id, point_values, parameters, output)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::{ColumnType, SurvivalCounts};
    use crate::output::{Layout, Manifest, RecordColumns};

    const MONTHS: usize = 3;
    const REPLICATES: u64 = 2;

    fn columns(compress: bool) -> Columns {
        Columns {
            swept_keys: vec!["x".into()],
            swept_types: vec![ColumnType::Real],
            outcomes: vec!["a".into(), "b".into()],
            outcome_index: vec![0, 2],
            groups: vec!["g".into()],
            series: Some(vec!["s".into()]),
            work: vec!["w".into()],
            parameters: Some(vec!["x".into(), "y".into()]),
            parameter_types: vec![ColumnType::Int, ColumnType::Real],
            summary: true,
            survival: true,
            compress,
            format: Format::Csv,
            // Small members: a compressed file of many of them.
            member_bytes: 100,
            // The second of two tables a run returns.
            records: vec![RecordColumns {
                name: "things".into(),
                index: 1,
                columns: vec!["thing".into(), "kind".into()],
                types: vec![ColumnType::Int, ColumnType::Text],
            }],
        }
    }

    /// Run `k` of a fake sweep of 5 points: values that differ from run to run, some empty.
    fn run(k: u64) -> (RunId, [Value; 1], Vec<String>, RunOutput) {
        let point = (k / REPLICATES) as usize;
        let x = k as f64 * 0.37;
        let mut survival = SurvivalCounts::new(1, MONTHS + 1);
        survival.add_event(0, (k % 4) as usize);
        let output = RunOutput {
            outcomes: vec![Some(x), Some(-1.0), k.is_multiple_of(3).then_some(x / 3.0)],
            survival,
            series: (0..MONTHS).map(|m| vec![x + m as f64]).collect(),
            work: vec![k],
            // A table the run does not write, and `k % 3` things (none in some runs).
            records: vec![
                vec![vec!["ignored".into()]],
                (0..k % 3)
                    .map(|i| vec![i.to_string(), ["a", "b,c"][i as usize % 2].into()])
                    .collect(),
            ],
        };
        let id = RunId {
            point,
            replicate: k % REPLICATES,
            seed: k * 11,
        };
        let parameters = vec![point.to_string(), format!("{}", point as f64 / 7.0)];
        (id, [Value::Real(point as f64 / 3.0)], parameters, output)
    }

    #[test]
    fn the_texts_in_memory_are_the_files_byte_for_byte() {
        for compress in [false, true] {
            let tmp = tempfile::tempdir().unwrap();
            let layout = Layout {
                fingerprint: "test".into(),
                replicates: REPLICATES,
                survival_rows: MONTHS + 1,
                series_rows: MONTHS,
            };
            let mut files =
                OutputWriter::create(tmp.path(), columns(compress), layout, false).unwrap();
            let mut memory = MemoryWriter::new(columns(compress)).unwrap();
            for k in 0..5 * REPLICATES {
                let (id, values, parameters, output) = run(k);
                memory
                    .push_run(id, &values, || parameters.clone(), output.clone())
                    .unwrap();
                files.push(id, &values, || parameters, output).unwrap();
            }
            assert_eq!(memory.total().runs, 5 * REPLICATES);
            let written = files.columns().files();
            assert_eq!(written.len(), 6);
            assert_eq!(written[0].ends_with(".gz"), compress);
            let dir = files.finish(&Manifest::default()).unwrap();
            let tables = memory.finish().unwrap();
            assert_eq!(tables, Tables::read(&dir, &written).unwrap());
            assert!(tables
                .runs
                .starts_with("point,replicate,seed,x,a,b\n0,0,0,0,0,0\n"));
            assert_eq!(tables.runs.lines().count(), 1 + 5 * REPLICATES as usize);
            assert_eq!(tables.files().len(), 6);
            // The record table, byte for byte the file (Tables::read above), rows of each run.
            let (name, things) = &tables.records[0];
            assert_eq!(name, "things");
            assert!(things.starts_with("point,replicate,seed,x,thing,kind\n0,1,11,0,0,a\n"));
            assert!(things.contains(",1,\"b,c\"\n"));
            assert_eq!(
                things.lines().count(),
                1 + (0..10).map(|k| k % 3).sum::<usize>()
            );
            // Nothing of the memory writer reached the folder.
            assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 7);
        }
    }

    #[test]
    fn tables_the_options_turn_off_are_none() {
        let mut c = columns(false);
        c.summary = false;
        c.survival = false;
        c.series = None;
        c.parameters = None;
        c.records.clear();
        let mut memory = MemoryWriter::new(c).unwrap();
        let (id, values, parameters, output) = run(0);
        memory.push_run(id, &values, || parameters, output).unwrap();
        let tables = memory.finish().unwrap();
        assert_eq!(
            (
                tables.summary,
                tables.survival,
                tables.timeseries,
                tables.points
            ),
            (None, None, None, None)
        );
        assert!(tables.records.is_empty());
        assert_eq!(tables.runs, "point,replicate,seed,x,a,b\n0,0,0,0,0,0\n");
    }
}
