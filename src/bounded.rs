//! Input read with a bound on its size, so that a huge file or a device such as `/dev/zero`
//! stops with a clear error instead of filling memory.

use std::io::{self, Read};
use std::path::Path;

/// One mebibyte, the unit the limits are stated in.
pub const MIB: u64 = 1 << 20;

/// A size limit as people read it: `4 MiB (4194304 bytes)`.
pub fn describe(limit: u64) -> String {
    if limit >= 1 << 30 && limit.is_multiple_of(1 << 30) {
        format!("{} GiB ({limit} bytes)", limit >> 30)
    } else if limit.is_multiple_of(MIB) {
        format!("{} MiB ({limit} bytes)", limit / MIB)
    } else {
        format!("{limit} bytes")
    }
}

/// The whole of a file of at most `limit` bytes, or `None` if it is longer. At most
/// `limit + 1` bytes are read, so an endless device stops there.
pub fn read_at_most(path: &Path, limit: u64) -> io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// Which bound a [`Bounded`] reader hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exceeded {
    /// More than the total limit.
    Total,
    /// A line longer than the line limit; the 1-based number of that line.
    Line(u64),
}

/// A reader that fails once more than `limit` bytes, or a line of more than `line_limit`
/// bytes, have come through. The failure is an I/O error for whoever reads (a CSV reader);
/// [`Bounded::exceeded`] says which bound it was.
pub struct Bounded<R> {
    inner: R,
    limit: u64,
    line_limit: u64,
    read: u64,
    line: u64,
    line_length: u64,
    exceeded: Option<Exceeded>,
}

impl<R: Read> Bounded<R> {
    pub fn new(inner: R, limit: u64, line_limit: u64) -> Self {
        Bounded {
            inner,
            limit,
            line_limit,
            read: 0,
            line: 1,
            line_length: 0,
            exceeded: None,
        }
    }

    pub fn exceeded(&self) -> Option<Exceeded> {
        self.exceeded
    }

    fn failure() -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, "the input is too large")
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.exceeded.is_some() {
            return Err(Self::failure());
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        let mut segments = buf[..n].split(|&b| b == b'\n');
        if let Some(first) = segments.next() {
            self.line_length += first.len() as u64;
        }
        for segment in segments {
            if self.line_length > self.line_limit {
                break;
            }
            self.line += 1;
            self.line_length = segment.len() as u64;
        }
        if self.line_length > self.line_limit {
            self.exceeded = Some(Exceeded::Line(self.line));
        } else if self.read > self.limit {
            self.exceeded = Some(Exceeded::Total);
        }
        match self.exceeded {
            Some(_) => Err(Self::failure()),
            None => Ok(n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(input: &[u8], limit: u64, line_limit: u64) -> Option<Exceeded> {
        let mut reader = Bounded::new(input, limit, line_limit);
        let mut sink = Vec::new();
        let result = reader.read_to_end(&mut sink);
        assert_eq!(result.is_err(), reader.exceeded().is_some());
        reader.exceeded()
    }

    #[test]
    fn bounds_stop_long_input_and_long_lines() {
        assert_eq!(drain(b"ab\ncd\n", 6, 2), None);
        assert_eq!(drain(b"ab\ncd\n", 5, 2), Some(Exceeded::Total));
        assert_eq!(drain(b"ab\ncde\nf", 100, 2), Some(Exceeded::Line(2)));
        assert_eq!(
            drain(&[0u8; 10_000], u64::MAX, 100),
            Some(Exceeded::Line(1))
        );
    }

    #[test]
    fn an_endless_device_is_read_only_up_to_the_limit() {
        let zero = Path::new("/dev/zero");
        if zero.exists() {
            assert_eq!(read_at_most(zero, 1000).unwrap(), None);
        }
        assert_eq!(describe(4 * MIB), "4 MiB (4194304 bytes)");
        assert_eq!(describe(1 << 30), "1 GiB (1073741824 bytes)");
    }
}
