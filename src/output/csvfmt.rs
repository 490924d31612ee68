//! CSV rows and number formatting: shortest round-trip decimal for floats, so a value read back
//! is the value written, and the same value always prints the same way.

use super::{io_err, OutputError};
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// A float as the shortest decimal that reads back to the same value; non-finite as empty.
pub fn cell(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        String::new()
    }
}

pub struct Rows {
    path: PathBuf,
    writer: csv::Writer<BufWriter<File>>,
}

impl Rows {
    /// Creates the file anew (never through a link).
    pub fn create(path: &Path) -> Result<Rows, OutputError> {
        let file = super::files::create_fresh(path)?;
        Ok(Rows {
            path: path.to_path_buf(),
            writer: csv::Writer::from_writer(BufWriter::new(file)),
        })
    }

    /// Opens an existing file to add rows after those it holds (never through a link).
    pub fn append(path: &Path) -> Result<Rows, OutputError> {
        let file = super::files::open_existing(path, std::fs::OpenOptions::new().append(true))?;
        Ok(Rows {
            path: path.to_path_buf(),
            writer: csv::Writer::from_writer(BufWriter::new(file)),
        })
    }

    pub fn flush(&mut self) -> Result<(), OutputError> {
        self.writer.flush().map_err(io_err(&self.path))
    }

    pub fn write(&mut self, row: &[String]) -> Result<(), OutputError> {
        self.writer.write_record(row).map_err(|e| OutputError::Io {
            path: self.path.clone(),
            source: e.into(),
        })
    }

    /// Flushes and syncs the file.
    pub fn finish(self) -> Result<(), OutputError> {
        let path = self.path.clone();
        let inner = self.writer.into_inner().map_err(|e| OutputError::Io {
            path: path.clone(),
            source: e.into_error(),
        })?;
        let file = inner.into_inner().map_err(|e| OutputError::Io {
            path: path.clone(),
            source: e.into_error(),
        })?;
        file.sync_all().map_err(io_err(&path))
    }
}
