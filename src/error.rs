//! Errors of the library. Input errors carry the file, line and key, and say what is allowed.

use std::fmt;
use std::path::PathBuf;

/// Where in a scenario something was said.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// The scenario file, or `--set` for a command-line override.
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// Bad input: a scenario file, a `--set`, a design file. The binary maps it to exit status 2.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{location}: key `{key}`: {message}")]
    Key {
        location: Location,
        key: String,
        message: String,
    },
    #[error("{location}: {message}")]
    Syntax { location: Location, message: String },
    #[error("cannot read scenario {path}: {message}")]
    Read { path: PathBuf, message: String },
    #[error("--set `{text}`: {message}")]
    Set { text: String, message: String },
}

impl InputError {
    pub fn key(location: Location, key: impl Into<String>, message: impl Into<String>) -> Self {
        InputError::Key {
            location,
            key: key.into(),
            message: message.into(),
        }
    }
}
