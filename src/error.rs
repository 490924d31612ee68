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

/// The most characters of a file's text an error message quotes.
pub const EXCERPT_CHARS: usize = 40;

/// A short, printable excerpt of text read from a file, to quote in an error message: at most
/// [`EXCERPT_CHARS`] characters, control characters shown as `?`, and `…` where it was cut. A
/// scenario may name any readable file (a design file), so a message never echoes a line whole.
pub fn excerpt(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(EXCERPT_CHARS)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if text.chars().nth(EXCERPT_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// An excerpt of text that should be a key (a design file's header cell, a shock kind): as
/// [`excerpt`], but cut at the first character no key has (keys are made of ASCII letters,
/// digits, `_`, `.` and `-`), so that a line such as `password=...` is quoted as `password…`.
pub fn key_excerpt(text: &str) -> String {
    let keyish = |c: char| c.is_ascii_alphanumeric() || "_.-".contains(c);
    let end = text.find(|c: char| !keyish(c)).unwrap_or(text.len());
    let mut out = excerpt(&text[..end]);
    if end < text.len() && !out.ends_with('…') {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_is_short_and_printable() {
        assert_eq!(excerpt("grants.budget"), "grants.budget");
        assert_eq!(excerpt("a\u{0}b\nc\u{1b}[31m"), "a?b?c?[31m");
        let long = "x".repeat(100);
        let e = excerpt(&long);
        assert_eq!(e, format!("{}…", "x".repeat(EXCERPT_CHARS)));
        assert_eq!(
            excerpt(&"é".repeat(EXCERPT_CHARS)),
            "é".repeat(EXCERPT_CHARS)
        );
        assert_eq!(key_excerpt("grants.budget"), "grants.budget");
        assert_eq!(key_excerpt("password=hunter2"), "password…");
        assert_eq!(key_excerpt("root:x:0:0:root"), "root…");
        assert_eq!(key_excerpt(&long), e);
    }
}
