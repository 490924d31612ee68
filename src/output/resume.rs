//! Recovering an interrupted run. Rows of every file are grouped by design point, in order; a
//! point is complete in a file when it has all its rows. The run resumes after the last point
//! complete in every file: each file is cut back to that point and the rest is run again. Runs are
//! deterministic, so the files end identical to those of an uninterrupted run.

use super::{io_err, OutputError};
use std::fs;
use std::path::Path;

/// Design points at the start of `text` (a CSV whose first column is the point) that have all
/// `rows_per_point` rows, counting only lines ended by a newline.
pub fn complete_points(text: &str, rows_per_point: usize) -> usize {
    let mut complete = 0;
    let mut current: Option<(&str, usize)> = None;
    for line in complete_lines(text).skip(1) {
        let point = line.split(',').next().unwrap_or("");
        match current {
            Some((p, n)) if p == point => current = Some((p, n + 1)),
            Some((_, n)) => {
                if n != rows_per_point {
                    return complete;
                }
                complete += 1;
                current = Some((point, 1));
            }
            None => current = Some((point, 1)),
        }
    }
    match current {
        Some((_, n)) if n == rows_per_point => complete + 1,
        _ => complete,
    }
}

fn complete_lines(text: &str) -> impl Iterator<Item = &str> {
    let end = text.rfind('\n').map_or(0, |i| i + 1);
    text[..end].lines()
}

/// Byte length of the header and the rows of the first `points` points.
fn prefix_len(text: &str, rows_per_point: usize, points: usize) -> usize {
    let keep_lines = 1 + points * rows_per_point;
    let mut len = 0;
    for line in text.split_inclusive('\n').take(keep_lines) {
        len += line.len();
    }
    len
}

/// Cuts `path` back to its header and the rows of the first `points` points.
pub fn truncate_to(path: &Path, rows_per_point: usize, points: usize) -> Result<(), OutputError> {
    let text = fs::read_to_string(path).map_err(io_err(path))?;
    let len = prefix_len(&text, rows_per_point, points);
    let file = fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(io_err(path))?;
    file.set_len(len as u64).map_err(io_err(path))?;
    file.sync_all().map_err(io_err(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complete_points_ignore_a_torn_last_line_and_a_short_point() {
        let text = "point,x\n0,a\n0,b\n1,a\n1,b\n2,a\n2,";
        assert_eq!(complete_points(text, 2), 2);
        assert_eq!(
            prefix_len(text, 2, 2),
            "point,x\n0,a\n0,b\n1,a\n1,b\n".len()
        );
        assert_eq!(complete_points("point,x\n0,a\n0,b\n", 2), 1);
        assert_eq!(complete_points("point,x\n", 2), 0);
        assert_eq!(complete_points("point,x\n0,a\n1,a\n", 2), 0);
    }
}
