//! CSV rows and number formatting: shortest round-trip decimal for floats, so a value read back
//! is the value written, and the same value always prints the same way.

use super::gz::Members;
use super::{io_err, OutputError};
use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// A float as the shortest decimal that reads back to the same value; non-finite as empty.
pub fn cell(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        String::new()
    }
}

/// Where rows go: the file, gzip members into it (`output.compress`), or memory (the text of the
/// file, never compressed: `MemoryWriter`). The csv writer flushes it where a design point ends:
/// a compressed file's member may end there (`Members::boundary`), and ends for certain when
/// `end` is set (after the header).
enum Sink {
    Plain(BufWriter<File>),
    Gzip {
        members: Members<BufWriter<File>>,
        end: Cell<bool>,
    },
    Memory(Vec<u8>),
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Plain(w) => w.write(buf),
            Sink::Gzip { members, .. } => members.write(buf),
            Sink::Memory(bytes) => bytes.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Plain(w) => w.flush(),
            Sink::Gzip { members, end } if end.replace(false) => members.end_member(),
            Sink::Gzip { members, .. } => members.boundary(),
            Sink::Memory(_) => Ok(()),
        }
    }
}

pub struct Rows {
    path: PathBuf,
    writer: csv::Writer<Sink>,
}

impl Rows {
    /// Creates the file anew (never through a link); gzip members of `gzip` bytes of text (at
    /// least) when given.
    pub fn create(path: &Path, gzip: Option<usize>) -> Result<Rows, OutputError> {
        let file = super::files::create_fresh(path)?;
        Ok(Rows::over(
            path,
            file,
            gzip.map(|bytes| (bytes, Vec::new())),
        ))
    }

    /// Opens an existing file to add rows after those it holds (never through a link); a
    /// compressed file has members of (at least) the bytes given, and its open member already
    /// holds the text given.
    pub fn append(path: &Path, gzip: Option<(usize, Vec<u8>)>) -> Result<Rows, OutputError> {
        let file = super::files::open_existing(path, std::fs::OpenOptions::new().append(true))?;
        Ok(Rows::over(path, file, gzip))
    }

    /// Rows kept in memory, as the file `name` would hold them (plain text).
    pub fn memory(name: &str) -> Rows {
        Rows {
            path: PathBuf::from(name),
            writer: csv::Writer::from_writer(Sink::Memory(Vec::new())),
        }
    }

    fn over(path: &Path, file: File, gzip: Option<(usize, Vec<u8>)>) -> Rows {
        let file = BufWriter::new(file);
        let sink = match gzip {
            Some((bytes, pending)) => Sink::Gzip {
                members: Members::new(file, bytes, pending),
                end: Cell::new(false),
            },
            None => Sink::Plain(file),
        };
        Rows {
            path: path.to_path_buf(),
            writer: csv::Writer::from_writer(sink),
        }
    }

    fn csv_err(&self) -> impl FnOnce(csv::Error) -> OutputError + '_ {
        move |e| OutputError::Io {
            path: self.path.clone(),
            source: e.into(),
        }
    }

    /// A design point ends here: its rows reach the file (in a compressed file, when the member
    /// they are in ends).
    pub fn flush(&mut self) -> Result<(), OutputError> {
        self.writer.flush().map_err(io_err(&self.path))
    }

    /// The header ends here: in a compressed file it is a member of its own.
    pub fn end_header(&mut self) -> Result<(), OutputError> {
        if let Sink::Gzip { end, .. } = self.writer.get_ref() {
            end.set(true);
        }
        self.flush()
    }

    pub fn write(&mut self, row: &[String]) -> Result<(), OutputError> {
        let result = self.writer.write_record(row);
        result.map_err(self.csv_err())
    }

    /// Flushes and syncs the file (ending its last member); rows in memory are dropped.
    pub fn finish(self) -> Result<(), OutputError> {
        let path = self.path.clone();
        let buffered = match self.into_sink()? {
            Sink::Plain(w) => w,
            Sink::Gzip { members, .. } => members.into_inner().map_err(io_err(&path))?,
            Sink::Memory(_) => return Ok(()),
        };
        let file = buffered.into_inner().map_err(|e| OutputError::Io {
            path: path.clone(),
            source: e.into_error(),
        })?;
        file.sync_all().map_err(io_err(&path))
    }

    /// The text of rows made by [`Rows::memory`]; `None` for rows written to a file.
    pub fn into_text(self) -> Result<Option<String>, OutputError> {
        let path = self.path.clone();
        match self.into_sink()? {
            Sink::Memory(bytes) => {
                String::from_utf8(bytes)
                    .map(Some)
                    .map_err(|e| OutputError::Io {
                        path,
                        source: io::Error::new(io::ErrorKind::InvalidData, e),
                    })
            }
            _ => Ok(None),
        }
    }

    /// The sink with every row written into it.
    fn into_sink(self) -> Result<Sink, OutputError> {
        let path = self.path;
        self.writer.into_inner().map_err(|e| OutputError::Io {
            path,
            source: e.into_error(),
        })
    }
}
