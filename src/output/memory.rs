//! A run's CSV files as texts in memory, for callers that want the tables without an output
//! folder (the Python package). The rows, cells and headers are made by the same writer as the
//! files, so each text is byte for byte the file `commsim run` writes (uncompressed).

use super::csvfmt::Rows;
use super::{read_result, Columns, Counts, OutputError, OutputWriter, COUNTS};
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
}

impl Tables {
    /// The tables as (file name, text) pairs, in the order a run writes them.
    pub fn files(&self) -> Vec<(&'static str, &str)> {
        let mut files = vec![("runs.csv", self.runs.as_str())];
        for (name, text) in [
            ("summary.csv", &self.summary),
            ("survival.csv", &self.survival),
            ("timeseries.csv", &self.timeseries),
            ("points.csv", &self.points),
        ] {
            if let Some(text) = text {
                files.push((name, text.as_str()));
            }
        }
        files
    }

    /// The tables of a finished run in `dir` that wrote `files` (the manifest's
    /// `outputs.files`: `runs.csv` or `runs.csv.gz`, ...).
    pub fn read(dir: &Path, files: &[String]) -> Result<Tables, OutputError> {
        let file = |name: &str| -> Result<String, OutputError> {
            read_result(dir, name)?.ok_or_else(|| OutputError::Read {
                path: dir.join(name),
                source: std::io::ErrorKind::NotFound.into(),
            })
        };
        let optional = |name: &str| {
            let written = files
                .iter()
                .any(|f| f == name || f.strip_suffix(".gz") == Some(name));
            written.then(|| file(name)).transpose()
        };
        Ok(Tables {
            runs: file("runs.csv")?,
            summary: optional("summary.csv")?,
            survival: optional("survival.csv")?,
            timeseries: optional("timeseries.csv")?,
            points: optional("points.csv")?,
        })
    }
}

/// An [`OutputWriter`] whose rows stay in memory: no folder, no lock, never compressed.
pub struct MemoryWriter(OutputWriter);

impl MemoryWriter {
    /// A writer of `columns` (`compress` is ignored: the texts are plain).
    pub fn new(mut columns: Columns) -> Result<MemoryWriter, OutputError> {
        columns.compress = false;
        OutputWriter::start(columns, |csv| Ok(Rows::memory(csv)), Rows::memory(COUNTS))
            .map(MemoryWriter)
    }

    /// [`OutputWriter::push`]: one finished run, in (point, replicate) order.
    pub fn push(
        &mut self,
        id: RunId,
        point_values: &[Value],
        parameters: impl FnOnce() -> Vec<String>,
        output: RunOutput,
    ) -> Result<(), OutputError> {
        self.0.push(id, point_values, parameters, output)
    }

    /// Every run written so far and the work they did.
    pub fn total(&self) -> &Counts {
        &self.0.total
    }

    /// Closes the last design point and gives the texts.
    pub fn finish(self) -> Result<Tables, OutputError> {
        let mut w = self.0;
        w.close_point()?;
        let text = |rows: Option<Rows>| -> Result<Option<String>, OutputError> {
            match rows {
                Some(rows) => rows.into_text(),
                None => Ok(None),
            }
        };
        Ok(Tables {
            runs: text(Some(w.runs))?.expect("rows in memory"),
            summary: text(w.summary)?,
            survival: text(w.survival)?,
            timeseries: text(w.timeseries)?,
            points: text(w.points)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::SurvivalCounts;
    use crate::output::{Layout, Manifest};

    const MONTHS: usize = 3;
    const REPLICATES: u64 = 2;

    fn columns(compress: bool) -> Columns {
        Columns {
            swept_keys: vec!["x".into()],
            outcomes: vec!["a".into(), "b".into()],
            outcome_index: vec![0, 2],
            groups: vec!["g".into()],
            series: Some(vec!["s".into()]),
            work: vec!["w".into()],
            parameters: Some(vec!["x".into(), "y".into()]),
            summary: true,
            survival: true,
            compress,
            // Small members: a compressed file of many of them.
            member_bytes: 100,
            records: Vec::new(),
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
            records: Vec::new(),
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
                    .push(id, &values, || parameters.clone(), output.clone())
                    .unwrap();
                files.push(id, &values, || parameters, output).unwrap();
            }
            assert_eq!(memory.total().runs, 5 * REPLICATES);
            let written = files.columns().files();
            assert_eq!(written.len(), 5);
            assert_eq!(written[0].ends_with(".gz"), compress);
            let dir = files.finish(&Manifest::default()).unwrap();
            let tables = memory.finish().unwrap();
            assert_eq!(tables, Tables::read(&dir, &written).unwrap());
            assert!(tables
                .runs
                .starts_with("point,replicate,seed,x,a,b\n0,0,0,0,0,0\n"));
            assert_eq!(tables.runs.lines().count(), 1 + 5 * REPLICATES as usize);
            assert_eq!(tables.files().len(), 5);
            // Nothing of the memory writer reached the folder.
            assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 6);
        }
    }

    #[test]
    fn tables_the_options_turn_off_are_none() {
        let mut c = columns(false);
        c.summary = false;
        c.survival = false;
        c.series = None;
        c.parameters = None;
        let mut memory = MemoryWriter::new(c).unwrap();
        let (id, values, parameters, output) = run(0);
        memory.push(id, &values, || parameters, output).unwrap();
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
        assert_eq!(tables.runs, "point,replicate,seed,x,a,b\n0,0,0,0,0,0\n");
    }
}
