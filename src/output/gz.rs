//! Compressed files (`output.compress = true`): a file is a series of gzip members, which
//! concatenated are one valid gzip file (RFC 1952, section 2.2) that gzip, zcat, Python's gzip
//! module, pandas and R read whole.
//!
//! A member is compressed whole from its text, so its bytes depend on nothing but that text (not
//! on how the rows reached the writer), and members end only where a design point ends: the
//! header is a member of its own, and a member ends at the first point boundary where it holds
//! at least [`MEMBER_BYTES`] of text, and at the end of the file. The boundaries are therefore a
//! function of the file's text alone, the same at any thread count and after `--resume`: an
//! interrupted file is read back member by member (a torn last member is dropped), cut at the
//! last point kept, and the kept text of the member that held the cut is compressed again, with
//! the rows that follow, as the member an uninterrupted run writes.

use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::{self, Read, Write};
use std::ops::Range;

/// Text a member holds before it ends at the next design point's end. Deflate looks back
/// 32 KiB, so members this large compress as well as one stream (within about 0.1%); an
/// interruption loses at most this much text of each file (resume runs those points again).
pub const MEMBER_BYTES: usize = 1 << 20;

/// One member of a gzip file: where it lies in the file and the text it holds.
pub struct Member {
    pub bytes: Range<usize>,
    pub text: String,
}

/// The whole members at the start of `data`, in order, up to the first that cannot be read (a
/// torn or damaged tail is not an error: the caller keeps what it can read), and the text of
/// all of them. A member that is not UTF-8 is damage too.
pub fn members(data: &[u8]) -> Vec<Member> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < data.len() {
        let mut rest = &data[at..];
        let mut decoder = flate2::bufread::GzDecoder::new(&mut rest);
        let mut bytes = Vec::new();
        if decoder.read_to_end(&mut bytes).is_err() {
            break;
        }
        drop(decoder);
        let Ok(text) = String::from_utf8(bytes) else {
            break;
        };
        let end = data.len() - rest.len();
        if end == at {
            break;
        }
        out.push(Member {
            bytes: at..end,
            text,
        });
        at = end;
    }
    out
}

/// The text of a whole gzip file (every member); an error if any part cannot be read.
pub fn decompress(data: &[u8]) -> io::Result<String> {
    let mut text = String::new();
    flate2::read::MultiGzDecoder::new(data).read_to_string(&mut text)?;
    Ok(text)
}

/// One gzip member holding `text`.
pub fn compress(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    write_member(&mut out, text).expect("writing to memory cannot fail");
    out
}

/// Writes one gzip member holding `text` to `to`. The header has no name and no time, so the
/// bytes depend only on the text.
fn write_member(to: &mut impl Write, text: &[u8]) -> io::Result<()> {
    let mut encoder = GzEncoder::new(to, Compression::default());
    encoder.write_all(text)?;
    encoder.finish()?;
    Ok(())
}

/// A writer of gzip members into `inner`: text is held until [`boundary`](Self::boundary) or
/// [`end_member`](Self::end_member) ends the member, then compressed whole and written.
pub struct Members<W: Write> {
    inner: W,
    /// The text a member holds before it ends at a boundary ([`MEMBER_BYTES`]).
    member_bytes: usize,
    pending: Vec<u8>,
}

impl<W: Write> Members<W> {
    /// A writer of members of `member_bytes` of text or more, whose open member already holds
    /// `pending` (the kept text of a member cut by resume).
    pub fn new(inner: W, member_bytes: usize, pending: Vec<u8>) -> Members<W> {
        Members {
            inner,
            member_bytes,
            pending,
        }
    }

    /// A design point ends here: the member ends if it holds at least `member_bytes`.
    pub fn boundary(&mut self) -> io::Result<()> {
        if self.pending.len() >= self.member_bytes {
            self.end_member()?;
        }
        Ok(())
    }

    /// Ends the open member, if it holds anything, and flushes it to `inner`.
    pub fn end_member(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            write_member(&mut self.inner, &self.pending)?;
            self.pending.clear();
        }
        self.inner.flush()
    }

    /// Ends the open member and gives back `inner`.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.end_member()?;
        Ok(self.inner)
    }
}

impl<W: Write> Write for Members<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        Ok(buf.len())
    }

    /// Text reaches the file only when its member ends (a member is compressed whole).
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_read_back_one_by_one_and_a_torn_tail_is_dropped() {
        let mut file = Vec::new();
        let mut w = Members::new(&mut file, 6, Vec::new());
        w.write_all(b"h\n").unwrap();
        w.end_member().unwrap();
        w.write_all(b"0,a\n").unwrap();
        w.boundary().unwrap();
        w.write_all(b"1,b\n").unwrap();
        w.end_member().unwrap();
        w.write_all(b"2,c\n").unwrap();
        w.into_inner().unwrap();
        assert_eq!(decompress(&file).unwrap(), "h\n0,a\n1,b\n2,c\n");
        let read = members(&file);
        let texts: Vec<&str> = read.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(texts, ["h\n", "0,a\n1,b\n", "2,c\n"]);
        assert_eq!(read[2].bytes.end, file.len());
        assert_eq!(read[1].bytes.start, read[0].bytes.end);
        // Every cut inside the last member drops it and keeps the others.
        for cut in read[2].bytes.start + 1..file.len() {
            let kept = members(&file[..cut]);
            assert_eq!(kept.len(), 2, "cut at {cut}");
        }
        assert!(decompress(&file[..file.len() - 1]).is_err());
    }

    #[test]
    fn a_member_depends_only_on_its_text() {
        let text: String = (0..20_000).map(|i| format!("{i},{}\n", i * 7)).collect();
        let whole = compress(text.as_bytes());
        let mut pieces = Vec::new();
        let mut w = Members::new(&mut pieces, MEMBER_BYTES, Vec::new());
        for chunk in text.as_bytes().chunks(777) {
            w.write_all(chunk).unwrap();
        }
        w.into_inner().unwrap();
        assert_eq!(whole, pieces);
        assert!(
            whole.len() * 2 < text.len(),
            "{} of {}",
            whole.len(),
            text.len()
        );
    }
}
