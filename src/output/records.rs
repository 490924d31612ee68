//! The files of a model's records (communities.csv, territories.csv): a row per entity of every
//! run, streamed in run order like runs.csv. Each `output.<table>` key of [`RECORD_KEYS`] writes
//! `<table>.csv` of the model's table of that name (`Model::record_tables`): `point`,
//! `replicate`, `seed`, the swept keys, then the table's columns.
//!
//! A run has as many rows as it has entities, so a design point's rows are not known in
//! advance: the staging folder's `records.csv` lists, for each closed point, the rows it has in
//! each record file, written after the point's rows, so that `--resume` knows where each point
//! ends (`resume`).

use super::csvfmt::Rows;
use super::{Columns, OutputError};
use crate::experiment::{ColumnType, Model, RunId};

/// The registry keys that choose the record files, `output.<table>`.
pub const RECORD_KEYS: [&str; 2] = ["output.communities", "output.territories"];

/// The rows of each record file of each closed design point, in the staging folder.
pub(super) const INDEX: &str = "records.csv";

/// The tables chosen by the `output.<table>` keys that are true, in [`RECORD_KEYS`] order.
pub fn chosen(values: &crate::params::ParamValues) -> Vec<String> {
    RECORD_KEYS
        .iter()
        .filter(|key| values.flag(key))
        .map(|key| table_of(key).to_string())
        .collect()
}

/// The table a key of [`RECORD_KEYS`] chooses.
fn table_of(key: &str) -> &str {
    key.strip_prefix("output.").unwrap_or(key)
}

/// One record file a run writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordColumns {
    /// The table's name, and so the file's: `communities` writes `communities.csv`.
    pub name: String,
    /// Its position among the model's tables (`RunOutput::records`).
    pub index: usize,
    /// Its columns after those of the run.
    pub columns: Vec<String>,
    /// The type of each of them.
    pub types: Vec<ColumnType>,
}

impl RecordColumns {
    /// The file's CSV name.
    pub fn csv(&self) -> String {
        format!("{}.csv", self.name)
    }
}

/// The model's tables among `chosen`, in the model's order.
pub fn columns_of(model: &impl Model, chosen: &[String]) -> Vec<RecordColumns> {
    model
        .record_tables()
        .into_iter()
        .enumerate()
        .filter(|(_, t)| chosen.contains(&t.name))
        .map(|(index, t)| RecordColumns {
            name: t.name,
            index,
            columns: t.columns,
            types: t.types,
        })
        .collect()
}

/// The record files being written, and the rows the open design point has in each.
pub(super) struct RecordFiles {
    files: Vec<Rows>,
    rows: Vec<u64>,
    /// records.csv of the staging folder; `None` without record files.
    index: Option<Rows>,
}

impl RecordFiles {
    /// Creates the record files of `columns` with their headers, each by `create` (given its
    /// CSV name), and the index by `plain` (given [`INDEX`]).
    pub fn create(
        columns: &Columns,
        create: &impl Fn(&str) -> Result<Rows, OutputError>,
        plain: &impl Fn(&str) -> Result<Rows, OutputError>,
    ) -> Result<RecordFiles, OutputError> {
        if columns.records.is_empty() {
            return Ok(RecordFiles::none());
        }
        let mut files = Vec::new();
        for table in &columns.records {
            let mut rows = create(&table.csv())?;
            rows.write(&columns.header(&table.csv()))?;
            files.push(rows);
        }
        let mut index = plain(INDEX)?;
        let mut header = vec!["point".to_string()];
        header.extend(columns.records.iter().map(RecordColumns::csv));
        index.write(&header)?;
        // Headers reach the disk before the plan that makes the folder resumable.
        for rows in files.iter_mut().chain([&mut index]) {
            rows.end_header()?;
        }
        Ok(RecordFiles::reopened(files, Some(index)))
    }

    pub fn none() -> RecordFiles {
        RecordFiles::reopened(Vec::new(), None)
    }

    /// The files of a resumed run, reopened after their kept rows.
    pub fn reopened(files: Vec<Rows>, index: Option<Rows>) -> RecordFiles {
        RecordFiles {
            rows: vec![0; files.len()],
            files,
            index,
        }
    }

    /// Writes one run's records: `records` holds every table of the model, `swept` the point's
    /// swept cells.
    pub fn push(
        &mut self,
        columns: &Columns,
        id: RunId,
        swept: &[String],
        records: &[Vec<Vec<String>>],
    ) -> Result<(), OutputError> {
        if self.files.is_empty() {
            return Ok(());
        }
        let mut row = vec![
            id.point.to_string(),
            id.replicate.to_string(),
            id.seed.to_string(),
        ];
        row.extend(swept.iter().cloned());
        let prefix = row.len();
        for ((table, file), n) in columns
            .records
            .iter()
            .zip(&mut self.files)
            .zip(&mut self.rows)
        {
            for cells in records.get(table.index).map_or(&[][..], Vec::as_slice) {
                row.truncate(prefix);
                row.extend(cells.iter().cloned());
                file.write(&row)?;
                *n += 1;
            }
        }
        Ok(())
    }

    /// Design point `point` is closed: its rows reach the files, then the index lists them.
    pub fn close_point(&mut self, point: usize) -> Result<(), OutputError> {
        let Some(index) = &mut self.index else {
            return Ok(());
        };
        let mut row = vec![point.to_string()];
        row.extend(self.rows.iter().map(u64::to_string));
        index.write(&row)?;
        self.rows.iter_mut().for_each(|n| *n = 0);
        for file in &mut self.files {
            file.flush()?;
        }
        index.flush()
    }

    /// The record files' rows, in the order of `Columns::records`, and the index's, for the
    /// writer to finish (a file's last member, compressed, ends and it is synced; the index
    /// stays in the staging folder until the run is moved into place) or to read (in memory).
    pub fn into_parts(self) -> (Vec<Rows>, Option<Rows>) {
        (self.files, self.index)
    }
}

/// The rows of each record file of each point listed in the index's text (its complete lines
/// after the header), one list per record file; `None` when a line is damaged.
pub(super) fn listed_rows(text: &str, files: usize) -> Option<Vec<Vec<usize>>> {
    let end = text.rfind('\n').map_or(0, |i| i + 1);
    let mut listed = vec![Vec::new(); files];
    for (i, line) in text[..end].lines().skip(1).enumerate() {
        let cells: Vec<usize> = line
            .split(',')
            .map(str::parse)
            .collect::<Result<_, _>>()
            .ok()?;
        if cells.len() != 1 + files || cells[0] != i {
            return None;
        }
        for (list, &n) in listed.iter_mut().zip(&cells[1..]) {
            list.push(n);
        }
    }
    Some(listed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_lists_rows_per_point_and_a_damaged_one_is_refused() {
        let text = "point,a.csv,b.csv\n0,3,1\n1,0,1\n2,5";
        assert_eq!(listed_rows(text, 2), Some(vec![vec![3, 0], vec![1, 1]]));
        assert_eq!(listed_rows("point,a.csv\n", 1), Some(vec![vec![]]));
        assert_eq!(listed_rows("point,a.csv\n1,2\n", 1), None, "out of order");
        assert_eq!(listed_rows("point,a.csv\n0,x\n", 1), None);
        assert_eq!(listed_rows("point,a.csv\n0,1,2\n", 1), None);
    }

    #[test]
    fn a_key_chooses_the_table_of_its_name() {
        assert_eq!(table_of("output.communities"), "communities");
        let mut values = crate::params::ParamValues::default();
        assert!(chosen(&values).is_empty(), "off by default");
        values
            .set("output.territories", crate::params::Value::Flag(true))
            .unwrap();
        assert_eq!(chosen(&values), ["territories"]);
    }
}
