//! Parquet files (`output.format = "parquet"`): each table's CSV text, as the writer staged it,
//! made into a Parquet file with one column per CSV column, typed as the writer declares it
//! (`Columns::schema`; never guessed from the values): `Int` as INT64, `Unsigned` (a run's seed)
//! as INT64 annotated UINT_64, `Real` as DOUBLE, `Flag` as BOOLEAN, `Text` as UTF-8 strings; an
//! empty cell is a null. Every column is optional, pages are Snappy-compressed and
//! dictionary-encoded where that is smaller, and the rows are streamed in row groups of about
//! [`ROW_GROUP_CELLS`] cells, so memory holds one row group whatever the file's size.
//!
//! A file's bytes are a function of its CSV text (row groups end after a fixed number of rows,
//! and nothing else varies), so they are the same at any thread count and after `--resume`.
//! Read back ([`read_as_csv`]) a file gives the CSV text it was made from, byte for byte: reals
//! were written as the shortest decimal that reads back to them and are printed so again.

use super::csvfmt::cell;
use super::files;
use super::OutputError;
use crate::experiment::ColumnType;
use parquet::basic::{
    Compression, ConvertedType, IntType, LogicalType, Repetition, Type as Physical,
};
use parquet::column::reader::{ColumnReader, ColumnReaderImpl};
use parquet::column::writer::ColumnWriter;
use parquet::data_type::{ByteArray, DataType};
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use std::io::{self, BufReader, BufWriter, Read};
use std::path::Path;
use std::sync::Arc;

/// Cells a row group holds (at least one row): 2^20 cells, about 10 MB of values in memory.
pub const ROW_GROUP_CELLS: usize = 1 << 20;

/// Whether `cell` is a cell of type `t` as the writer writes it (an empty cell is any type's).
pub fn cell_is(cell: &str, t: ColumnType) -> bool {
    cell.is_empty()
        || match t {
            ColumnType::Int => cell.parse::<i64>().is_ok(),
            ColumnType::Unsigned => cell.parse::<u64>().is_ok(),
            ColumnType::Real => cell.parse::<f64>().is_ok_and(f64::is_finite),
            ColumnType::Flag => cell == "true" || cell == "false",
            ColumnType::Text => true,
        }
}

/// Makes the Parquet file `to` from the staged CSV file `csv` (plain, or gzip members when its
/// name ends in `.gz`), whose columns have `types`; `to` is created anew and synced.
pub fn write_file(csv: &Path, types: &[ColumnType], to: &Path) -> Result<(), OutputError> {
    let file =
        files::open_existing(csv, std::fs::OpenOptions::new().read(true)).map_err(|e| match e {
            OutputError::Io { path, source } => OutputError::Read { path, source },
            other => other,
        })?;
    let text: Box<dyn Read> = match csv.extension().is_some_and(|e| e == "gz") {
        true => Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(file))),
        false => Box::new(file),
    };
    write(text, types, to).map_err(|source| OutputError::Io {
        path: to.to_path_buf(),
        source: io::Error::new(source.kind(), format!("from {}: {source}", csv.display())),
    })
}

/// Makes the Parquet file `to` from CSV `text` whose columns have `types`.
pub fn write_text(text: &str, types: &[ColumnType], to: &Path) -> Result<(), OutputError> {
    write(text.as_bytes(), types, to).map_err(|source| OutputError::Io {
        path: to.to_path_buf(),
        source,
    })
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

fn parquet_err(e: parquet::errors::ParquetError) -> io::Error {
    match e {
        parquet::errors::ParquetError::External(inner) => match inner.downcast::<io::Error>() {
            Ok(io) => *io,
            Err(other) => invalid(other.to_string()),
        },
        other => invalid(other.to_string()),
    }
}

/// The Parquet schema of columns `names` of `types`: each optional.
fn schema(names: &[String], types: &[ColumnType]) -> io::Result<Arc<Type>> {
    let fields = names
        .iter()
        .zip(types)
        .map(|(name, t)| {
            let (physical, logical) = match t {
                ColumnType::Int => (Physical::INT64, None),
                ColumnType::Unsigned => (
                    Physical::INT64,
                    Some(LogicalType::Integer(IntType {
                        bit_width: 64,
                        is_signed: false,
                    })),
                ),
                ColumnType::Real => (Physical::DOUBLE, None),
                ColumnType::Flag => (Physical::BOOLEAN, None),
                ColumnType::Text => (Physical::BYTE_ARRAY, Some(LogicalType::String)),
            };
            Type::primitive_type_builder(name, physical)
                .with_repetition(Repetition::OPTIONAL)
                .with_logical_type(logical)
                .build()
                .map(Arc::new)
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(parquet_err)?;
    Type::group_type_builder("schema")
        .with_fields(fields)
        .build()
        .map(Arc::new)
        .map_err(parquet_err)
}

/// One column's cells of the open row group: present values and a definition level per row.
enum Values {
    Int(Vec<i64>),
    Real(Vec<f64>),
    Flag(Vec<bool>),
    Text(Vec<ByteArray>),
}

struct Column {
    t: ColumnType,
    levels: Vec<i16>,
    values: Values,
}

impl Column {
    fn new(t: ColumnType) -> Column {
        let values = match t {
            ColumnType::Int | ColumnType::Unsigned => Values::Int(Vec::new()),
            ColumnType::Real => Values::Real(Vec::new()),
            ColumnType::Flag => Values::Flag(Vec::new()),
            ColumnType::Text => Values::Text(Vec::new()),
        };
        Column {
            t,
            levels: Vec::new(),
            values,
        }
    }

    /// Adds a row's cell; `false` if it is not of the column's type.
    fn push(&mut self, cell: &str) -> bool {
        if cell.is_empty() {
            self.levels.push(0);
            return true;
        }
        let pushed = match (&mut self.values, self.t) {
            (Values::Int(v), ColumnType::Unsigned) => {
                // INT64 holds a UINT_64 as its two's complement bits (the format's convention).
                cell.parse::<u64>().map(|n| v.push(n as i64)).is_ok()
            }
            (Values::Int(v), _) => cell.parse::<i64>().map(|n| v.push(n)).is_ok(),
            (Values::Real(v), _) => cell
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .map(|x| v.push(x))
                .is_some(),
            (Values::Flag(v), _) => match cell {
                "true" => {
                    v.push(true);
                    true
                }
                "false" => {
                    v.push(false);
                    true
                }
                _ => false,
            },
            (Values::Text(v), _) => {
                v.push(ByteArray::from(cell.as_bytes().to_vec()));
                true
            }
        };
        self.levels.push(1);
        pushed
    }

    /// Writes the open row group's cells into `writer` and empties the column.
    fn write(&mut self, writer: &mut ColumnWriter<'_>) -> parquet::errors::Result<()> {
        let levels = Some(&self.levels[..]);
        match (&mut self.values, writer) {
            (Values::Int(v), ColumnWriter::Int64ColumnWriter(w)) => {
                w.write_batch(v, levels, None)?;
                v.clear();
            }
            (Values::Real(v), ColumnWriter::DoubleColumnWriter(w)) => {
                w.write_batch(v, levels, None)?;
                v.clear();
            }
            (Values::Flag(v), ColumnWriter::BoolColumnWriter(w)) => {
                w.write_batch(v, levels, None)?;
                v.clear();
            }
            (Values::Text(v), ColumnWriter::ByteArrayColumnWriter(w)) => {
                w.write_batch(v, levels, None)?;
                v.clear();
            }
            _ => unreachable!("the schema is made from the columns' types"),
        }
        self.levels.clear();
        Ok(())
    }
}

/// Reads CSV from `csv` (a header, then rows) and writes it to the new file `to` as Parquet.
fn write(csv: impl Read, types: &[ColumnType], to: &Path) -> io::Result<()> {
    let mut reader = csv::Reader::from_reader(csv);
    let names: Vec<String> = reader
        .headers()
        .map_err(|e| invalid(e.to_string()))?
        .iter()
        .map(String::from)
        .collect();
    if names.len() != types.len() {
        return Err(invalid(format!(
            "{} columns in the header, {} declared",
            names.len(),
            types.len()
        )));
    }
    let properties = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let file = files::create_fresh(to).map_err(|e| match e {
        OutputError::Io { source, .. } | OutputError::Read { source, .. } => source,
        other => io::Error::other(other.to_string()),
    })?;
    let mut writer = SerializedFileWriter::new(
        BufWriter::new(file),
        schema(&names, types)?,
        Arc::new(properties),
    )
    .map_err(parquet_err)?;
    let mut columns: Vec<Column> = types.iter().map(|&t| Column::new(t)).collect();
    let rows_per_group = (ROW_GROUP_CELLS / types.len().max(1)).max(1);
    let mut rows = 0;
    let mut record = csv::StringRecord::new();
    let mut line = 1;
    loop {
        let more = reader
            .read_record(&mut record)
            .map_err(|e| invalid(e.to_string()))?;
        if more {
            line += 1;
            for ((cell, column), name) in record.iter().zip(&mut columns).zip(&names) {
                if !column.push(cell) {
                    return Err(invalid(format!(
                        "line {line}, column {name}: `{}` is not of type {:?}",
                        crate::error::excerpt(cell),
                        column.t
                    )));
                }
            }
            rows += 1;
        }
        if rows > 0 && (rows == rows_per_group || !more) {
            let mut group = writer.next_row_group().map_err(parquet_err)?;
            for column in &mut columns {
                let mut w = group
                    .next_column()
                    .map_err(parquet_err)?
                    .expect("a column writer per column of the schema");
                column.write(w.untyped()).map_err(parquet_err)?;
                w.close().map_err(parquet_err)?;
            }
            group.close().map_err(parquet_err)?;
            rows = 0;
        }
        if !more {
            break;
        }
    }
    let file = writer
        .into_inner()
        .map_err(parquet_err)?
        .into_inner()
        .map_err(|e| e.into_error())?;
    file.sync_all()
}

/// Every row of one column of a row group: `None` where null.
fn read_column<T: DataType>(
    mut reader: ColumnReaderImpl<T>,
    rows: usize,
    nullable: bool,
) -> io::Result<Vec<Option<T::T>>> {
    let (mut levels, mut values) = (Vec::with_capacity(rows), Vec::with_capacity(rows));
    let mut read = 0;
    while read < rows {
        let (records, _, _) = reader
            .read_records(
                rows - read,
                nullable.then_some(&mut levels),
                None,
                &mut values,
            )
            .map_err(parquet_err)?;
        if records == 0 {
            return Err(invalid(format!(
                "a column ends after {read} of {rows} rows"
            )));
        }
        read += records;
    }
    if !nullable {
        return Ok(values.into_iter().map(Some).collect());
    }
    let mut values = values.into_iter();
    levels
        .iter()
        .map(|&l| match l {
            0 => Ok(None),
            _ => values
                .next()
                .map(Some)
                .ok_or_else(|| invalid("fewer values than levels".into())),
        })
        .collect()
}

/// The CSV text of the Parquet file at `path` (read without following a link): its column
/// names as the header, then its rows, each cell as commsim's CSV files write it (a null as an
/// empty cell). For a file commsim wrote, the text it was made from, byte for byte.
pub fn read_as_csv(path: &Path) -> Result<String, OutputError> {
    let read_err = |source: io::Error| OutputError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file =
        files::open_existing(path, std::fs::OpenOptions::new().read(true)).map_err(
            |e| match e {
                OutputError::Io { path, source } => OutputError::Read { path, source },
                other => other,
            },
        )?;
    let reader = SerializedFileReader::new(file)
        .map_err(parquet_err)
        .map_err(read_err)?;
    to_csv(&reader).map_err(read_err)
}

fn to_csv(reader: &SerializedFileReader<std::fs::File>) -> io::Result<String> {
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let mut out = csv::Writer::from_writer(Vec::new());
    let header: Vec<&str> = schema.columns().iter().map(|c| c.name()).collect();
    out.write_record(&header).map_err(io::Error::from)?;
    for g in 0..reader.num_row_groups() {
        let group = reader.get_row_group(g).map_err(parquet_err)?;
        let rows = usize::try_from(group.metadata().num_rows())
            .map_err(|_| invalid("a negative row count".into()))?;
        let mut cells: Vec<Vec<String>> = Vec::with_capacity(schema.num_columns());
        for (c, descr) in schema.columns().iter().enumerate() {
            let nullable = descr.max_def_level() > 0;
            let unsigned = descr.converted_type() == ConvertedType::UINT_64;
            let text = |x: Option<String>| x.unwrap_or_default();
            let column: Vec<String> = match group.get_column_reader(c).map_err(parquet_err)? {
                ColumnReader::Int64ColumnReader(r) => read_column(r, rows, nullable)?
                    .into_iter()
                    .map(|v| {
                        text(v.map(|n| match unsigned {
                            true => (n as u64).to_string(),
                            false => n.to_string(),
                        }))
                    })
                    .collect(),
                ColumnReader::Int32ColumnReader(r) => read_column(r, rows, nullable)?
                    .into_iter()
                    .map(|v| text(v.map(|n| n.to_string())))
                    .collect(),
                ColumnReader::DoubleColumnReader(r) => read_column(r, rows, nullable)?
                    .into_iter()
                    .map(|v| text(v.map(cell)))
                    .collect(),
                ColumnReader::BoolColumnReader(r) => read_column(r, rows, nullable)?
                    .into_iter()
                    .map(|v| text(v.map(|b| b.to_string())))
                    .collect(),
                ColumnReader::ByteArrayColumnReader(r) => read_column(r, rows, nullable)?
                    .into_iter()
                    .map(|v| match v {
                        Some(bytes) => String::from_utf8(bytes.data().to_vec())
                            .map_err(|_| invalid(format!("column {}: not UTF-8", descr.name()))),
                        None => Ok(String::new()),
                    })
                    .collect::<io::Result<_>>()?,
                _ => {
                    return Err(invalid(format!(
                        "column {} is of a type commsim does not write ({})",
                        descr.name(),
                        descr.physical_type()
                    )))
                }
            };
            cells.push(column);
        }
        for r in 0..rows {
            out.write_record(cells.iter().map(|column| column[r].as_str()))
                .map_err(io::Error::from)?;
        }
    }
    let bytes = out.into_inner().map_err(|e| e.into_error())?;
    String::from_utf8(bytes).map_err(|_| invalid("not UTF-8".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ColumnType::{Flag, Int, Real, Text, Unsigned};

    const TYPES: [ColumnType; 5] = [Int, Unsigned, Real, Flag, Text];

    /// A table with every type, nulls in each, quoting, and reals that are whole.
    fn table(rows: usize) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["point", "seed", "x", "flag", "name"])
            .unwrap();
        for i in 0..rows {
            let seed = u64::MAX - i as u64;
            let x = [1.0, 0.1 + i as f64, -0.0, 1e300, 5e-324][i % 5];
            w.write_record([
                if i % 7 == 3 {
                    String::new()
                } else {
                    format!("{}", i as i64 - 2)
                },
                if i % 11 == 5 {
                    String::new()
                } else {
                    seed.to_string()
                },
                if i % 3 == 1 { String::new() } else { cell(x) },
                ["true", "false", ""][i % 3].to_string(),
                ["a,b", "\"q\"", "", "é"][i % 4].to_string(),
            ])
            .unwrap();
        }
        String::from_utf8(w.into_inner().unwrap()).unwrap()
    }

    #[test]
    fn a_file_reads_back_as_the_text_it_was_made_from() {
        let tmp = tempfile::tempdir().unwrap();
        // Several row groups (5 columns: 209,715 rows each), a last one short, and none.
        for rows in [0, 1, 40, 2 * ROW_GROUP_CELLS / 5 + 17] {
            let text = table(rows);
            let path = tmp.path().join("t.parquet");
            write_text(&text, &TYPES, &path).unwrap();
            assert_eq!(read_as_csv(&path).unwrap(), text, "{rows} rows");
            let reader = SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
            let groups = reader.num_row_groups();
            assert_eq!(groups, rows.div_ceil((ROW_GROUP_CELLS / 5).max(1)));
            // The same text, the same bytes.
            let again = tmp.path().join("u.parquet");
            write_text(&text, &TYPES, &again).unwrap();
            assert_eq!(
                std::fs::read(&path).unwrap(),
                std::fs::read(&again).unwrap()
            );
        }
    }

    #[test]
    fn the_schema_is_the_declared_types_whatever_the_values() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("t.parquet");
        // Reals that are all whole stay reals; a text of digits stays text.
        write_text("x,name\n1,7\n2,8\n", &[Real, Text], &path).unwrap();
        let reader = SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
        let schema = reader.metadata().file_metadata().schema_descr_ptr();
        let physical: Vec<Physical> = schema.columns().iter().map(|c| c.physical_type()).collect();
        assert_eq!(physical, [Physical::DOUBLE, Physical::BYTE_ARRAY]);
        assert_eq!(schema.column(1).converted_type(), ConvertedType::UTF8);
        assert_eq!(read_as_csv(&path).unwrap(), "x,name\n1,7\n2,8\n");
        write_text("seed\n1\n", &[Unsigned], &path).unwrap();
        let reader = SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
        let schema = reader.metadata().file_metadata().schema_descr_ptr();
        assert_eq!(schema.column(0).converted_type(), ConvertedType::UINT_64);
    }

    #[test]
    fn a_cell_not_of_its_column_s_type_is_an_error_naming_it() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("t.parquet");
        for (text, types, expect) in [
            (
                "n\n1\n0.5\n",
                vec![Int],
                "line 3, column n: `0.5` is not of type Int",
            ),
            ("b\nyes\n", vec![Flag], "`yes` is not of type Flag"),
            ("s\n-1\n", vec![Unsigned], "`-1` is not of type Unsigned"),
            (
                "a,b\n1,2\n",
                vec![Int],
                "2 columns in the header, 1 declared",
            ),
        ] {
            let e = write_text(text, &types, &path).unwrap_err();
            let message = format!("{e}: {}", std::error::Error::source(&e).unwrap());
            assert!(message.contains(expect), "{message}");
        }
        assert!(cell_is("", Int) && cell_is("-3", Int) && !cell_is("1.5", Int));
        assert!(cell_is("1e-3", Real) && !cell_is("inf", Real) && !cell_is("x", Real));
    }
}
