//! What the `output.*` keys choose ([`OutputOptions`]) and what follows for the writer
//! ([`Columns`]): the outcome columns kept, the files written, their names, and each file's
//! columns with the type of their cells (the schema a Parquet file declares, never guessed from
//! the values).

use super::gz;
use super::records::{self, RecordColumns};
use crate::experiment::{ColumnType, Model};
use crate::params::ParamValues;

/// The format of a run's files (`output.format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// CSV text (gzipped with `output.compress`).
    #[default]
    Csv,
    /// Apache Parquet: typed columns, compressed inside (`output::parquet`).
    Parquet,
}

impl Format {
    /// The values `output.format` allows, in this order.
    pub const NAMES: [&'static str; 2] = ["csv", "parquet"];

    /// The format `output.format` names, if it names one.
    pub fn of(name: &str) -> Option<Format> {
        match name {
            "csv" => Some(Format::Csv),
            "parquet" => Some(Format::Parquet),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
        }
    }
}

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
    /// `output.format`.
    pub format: Format,
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
            // Validated with the scenario (`Scenario::validate`).
            format: Format::of(values.text("output.format")).unwrap_or_default(),
            records: records::chosen(values),
        }
    }

    /// The name of a table's file as this run writes it: `runs.csv`, `runs.csv.gz` compressed,
    /// `runs.parquet` in Parquet.
    pub fn file(&self, csv: &str) -> String {
        result_name(csv, self.format, self.compress)
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

/// The name of the file that holds table `csv` (`runs.csv`) in a run of `format`: `runs.csv`,
/// `runs.csv.gz` with `compress`, or `runs.parquet`.
pub fn result_name(csv: &str, format: Format, compress: bool) -> String {
    match format {
        Format::Csv => file_name(csv, compress),
        Format::Parquet => format!("{}.parquet", csv.strip_suffix(".csv").unwrap_or(csv)),
    }
}

/// The table (`runs.csv`) a result file (`runs.csv`, `runs.csv.gz`, `runs.parquet`) holds.
pub fn table_of_file(file: &str) -> String {
    if let Some(csv) = file.strip_suffix(".gz") {
        return csv.to_string();
    }
    match file.strip_suffix(".parquet") {
        Some(stem) => format!("{stem}.csv"),
        None => file.to_string(),
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

/// Names of the columns a writer needs, the types of their cells, and which files it writes.
pub struct Columns {
    pub swept_keys: Vec<String>,
    /// The type of each swept key's cells, in `swept_keys` order.
    pub swept_types: Vec<ColumnType>,
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
    /// The type of each of points.csv's parameter columns, in their order.
    pub parameter_types: Vec<ColumnType>,
    pub summary: bool,
    pub survival: bool,
    /// The record files written, in the model's order of its tables.
    pub records: Vec<RecordColumns>,
    pub compress: bool,
    pub format: Format,
    /// With `compress`: text a gzip member holds before it ends at a point boundary
    /// ([`gz::MEMBER_BYTES`]; smaller in tests).
    pub member_bytes: usize,
}

/// The columns of summary.csv after `point` and the swept keys.
const SUMMARY_COLUMNS: [&str; 13] = [
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
];

/// The columns of survival.csv after `point` and the swept keys.
const SURVIVAL_COLUMNS: [&str; 8] = [
    "type",
    "month",
    "at_risk",
    "events",
    "censored",
    "survival",
    "ci95_low",
    "ci95_high",
];

/// A table's columns: each name with the type of its cells.
pub type Schema = Vec<(String, ColumnType)>;

impl Columns {
    /// The columns of `model`'s outputs for a design over `swept` keys (each with the type of
    /// its values) with `options`; `parameters` are points.csv's columns after `point`.
    pub fn of(
        model: &impl Model,
        swept: &[(String, ColumnType)],
        options: &OutputOptions,
        parameters: Vec<(String, ColumnType)>,
    ) -> Columns {
        let all = model.outcome_names();
        let outcome_index = kept_outcomes(&all, &options.outcomes);
        let (parameter_names, parameter_types): (Vec<String>, Vec<ColumnType>) =
            parameters.into_iter().unzip();
        Columns {
            swept_keys: swept.iter().map(|(k, _)| k.clone()).collect(),
            swept_types: swept.iter().map(|(_, t)| *t).collect(),
            outcomes: outcome_index.iter().map(|&i| all[i].clone()).collect(),
            outcome_index,
            groups: model.group_names(),
            series: options.timeseries.then(|| model.series_names()),
            work: model.work_names(),
            parameters: options.points.then_some(parameter_names),
            parameter_types,
            summary: options.summary,
            survival: options.survival,
            records: records::columns_of(model, &options.records),
            compress: options.compress,
            format: options.format,
            member_bytes: gz::MEMBER_BYTES,
        }
    }

    /// The name of table `csv`'s file in the finished folder (`runs.csv`, `runs.csv.gz`,
    /// `runs.parquet`).
    pub fn file(&self, csv: &str) -> String {
        result_name(csv, self.format, self.compress)
    }

    /// The name of table `csv`'s file in the staging folder while the run is under way: its CSV
    /// text, gzipped with `output.compress` (a Parquet file is made from it when the run ends).
    pub fn staged(&self, csv: &str) -> String {
        file_name(csv, self.compress)
    }

    /// The tables a run with these columns writes, by their CSV names (`runs.csv`, ...), in the
    /// order they are moved into place (manifest.json and derived files apart).
    pub fn tables(&self) -> Vec<String> {
        let mut tables = vec!["runs.csv".to_string()];
        if self.summary {
            tables.push("summary.csv".into());
        }
        if self.survival {
            tables.push("survival.csv".into());
        }
        if self.series.is_some() {
            tables.push("timeseries.csv".into());
        }
        if self.parameters.is_some() {
            tables.push("points.csv".into());
        }
        tables.extend(self.records.iter().map(RecordColumns::csv));
        tables
    }

    /// The result files a run with these columns writes, in [`Columns::tables`] order.
    pub fn files(&self) -> Vec<String> {
        self.tables().iter().map(|t| self.file(t)).collect()
    }

    /// The swept keys and their types, which follow the identity columns of every table but
    /// points.csv.
    fn swept(&self) -> impl Iterator<Item = (String, ColumnType)> + '_ {
        self.swept_keys
            .iter()
            .cloned()
            .zip(self.swept_types.iter().copied())
    }

    /// The columns of table `csv` (one of [`Columns::tables`]), in order, with their types;
    /// `None` for a table these columns do not write.
    pub fn schema(&self, csv: &str) -> Option<Schema> {
        use ColumnType::{Int, Real, Text, Unsigned};
        let named = |names: &[&str], t: ColumnType| -> Schema {
            names.iter().map(|n| (n.to_string(), t)).collect()
        };
        let mut schema: Schema;
        match csv {
            "runs.csv" => {
                schema = named(&["point", "replicate"], Int);
                schema.push(("seed".into(), Unsigned));
                schema.extend(self.swept());
                schema.extend(self.outcomes.iter().map(|o| (o.clone(), Real)));
            }
            "summary.csv" if self.summary => {
                schema = named(&["point"], Int);
                schema.extend(self.swept());
                schema.push((SUMMARY_COLUMNS[0].into(), Text));
                schema.push((SUMMARY_COLUMNS[1].into(), Int));
                schema.extend(named(&SUMMARY_COLUMNS[2..], Real));
            }
            "survival.csv" if self.survival => {
                schema = named(&["point"], Int);
                schema.extend(self.swept());
                schema.push((SURVIVAL_COLUMNS[0].into(), Text));
                schema.extend(named(&SURVIVAL_COLUMNS[1..5], Int));
                schema.extend(named(&SURVIVAL_COLUMNS[5..], Real));
            }
            "timeseries.csv" => {
                let series = self.series.as_ref()?;
                schema = named(&["point", "replicate"], Int);
                schema.extend(self.swept());
                schema.push(("month".into(), Int));
                schema.extend(series.iter().map(|s| (s.clone(), Real)));
            }
            "points.csv" => {
                let names = self.parameters.as_ref()?;
                schema = named(&["point"], Int);
                schema.extend(
                    names
                        .iter()
                        .cloned()
                        .zip(self.parameter_types.iter().copied()),
                );
            }
            _ => {
                let table = self.records.iter().find(|r| r.csv() == csv)?;
                schema = named(&["point", "replicate"], Int);
                schema.push(("seed".into(), Unsigned));
                schema.extend(self.swept());
                schema.extend(
                    table
                        .columns
                        .iter()
                        .cloned()
                        .zip(table.types.iter().copied()),
                );
            }
        }
        Some(schema)
    }

    /// The header of table `csv`: its column names.
    pub fn header(&self, csv: &str) -> Vec<String> {
        self.schema(csv)
            .map(|s| s.into_iter().map(|(name, _)| name).collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_s_file_is_named_by_format_and_compression_and_named_back() {
        for (format, compress, file) in [
            (Format::Csv, false, "runs.csv"),
            (Format::Csv, true, "runs.csv.gz"),
            (Format::Parquet, false, "runs.parquet"),
        ] {
            assert_eq!(result_name("runs.csv", format, compress), file);
            assert_eq!(table_of_file(file), "runs.csv");
        }
        assert_eq!(
            result_name("posterior-summary.csv", Format::Parquet, false),
            "posterior-summary.parquet"
        );
        for name in Format::NAMES {
            assert_eq!(Format::of(name).map(Format::name), Some(name));
        }
        assert_eq!(Format::of("CSV"), None);
    }
}
