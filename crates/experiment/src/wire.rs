//! A flat encoding of run outputs as `u64` words, for sending a batch of runs between processes
//! (the MPI backend). Floating-point values travel as their bits, so a decoded output is
//! bit-identical to the encoded one and the files written from it are byte-identical.

use crate::{Records, RunOutput, SurvivalCounts};

/// Bytes of text a word carries.
const WORD_BYTES: usize = 8;

/// Appends one run's output to `words`.
pub fn encode(out: &RunOutput, words: &mut Vec<u64>) {
    words.push(out.outcomes.len() as u64);
    for v in &out.outcomes {
        match v {
            Some(x) => words.extend([1, x.to_bits()]),
            None => words.extend([0, 0]),
        }
    }
    let groups = out.survival.events.len();
    let times = out.survival.events.first().map_or(0, Vec::len);
    words.extend([groups as u64, times as u64]);
    for g in 0..groups {
        words.extend(&out.survival.events[g]);
        words.extend(&out.survival.censored[g]);
    }
    let cols = out.series.first().map_or(0, Vec::len);
    words.extend([out.series.len() as u64, cols as u64]);
    for row in &out.series {
        words.extend(row.iter().map(|x| x.to_bits()));
    }
    words.push(out.work.len() as u64);
    words.extend(&out.work);
    words.push(out.records.len() as u64);
    for table in &out.records {
        words.push(table.len() as u64);
        for row in table {
            words.push(row.len() as u64);
            for cell in row {
                encode_text(cell, words);
            }
        }
    }
}

/// A text as its length in bytes, then its bytes eight to a word (little-endian, the last word
/// padded with zeros).
fn encode_text(text: &str, words: &mut Vec<u64>) {
    let bytes = text.as_bytes();
    words.push(bytes.len() as u64);
    for chunk in bytes.chunks(WORD_BYTES) {
        let mut word = [0u8; WORD_BYTES];
        word[..chunk.len()].copy_from_slice(chunk);
        words.push(u64::from_le_bytes(word));
    }
}

/// The text [`encode_text`] wrote at the front of `take`'s words; `None` if malformed.
fn decode_text<'a>(take: &mut impl FnMut(usize) -> Option<&'a [u64]>) -> Option<String> {
    let len = usize::try_from(take(1)?[0]).ok()?;
    let mut bytes: Vec<u8> = take(len.div_ceil(WORD_BYTES))?
        .iter()
        .flat_map(|w| w.to_le_bytes())
        .collect();
    bytes.truncate(len);
    String::from_utf8(bytes).ok()
}

/// Reads one run's output from the front of `words`, advancing it; `None` if malformed.
pub fn decode<'a>(words: &mut &'a [u64]) -> Option<RunOutput> {
    let mut take = |n: usize| -> Option<&'a [u64]> {
        let (head, rest) = (words.get(..n)?, words.get(n..)?);
        *words = rest;
        Some(head)
    };
    let n = usize::try_from(take(1)?[0]).ok()?;
    let outcomes = take(2 * n)?
        .chunks(2)
        .map(|c| (c[0] == 1).then(|| f64::from_bits(c[1])))
        .collect();
    let dims = take(2)?;
    let (groups, times) = (dims[0] as usize, dims[1] as usize);
    let mut survival = SurvivalCounts::new(groups, times);
    for g in 0..groups {
        survival.events[g] = take(times)?.to_vec();
        survival.censored[g] = take(times)?.to_vec();
    }
    let dims = take(2)?;
    let (rows, cols) = (dims[0] as usize, dims[1] as usize);
    let mut series = Vec::with_capacity(rows);
    for _ in 0..rows {
        series.push(take(cols)?.iter().map(|&b| f64::from_bits(b)).collect());
    }
    let n = usize::try_from(take(1)?[0]).ok()?;
    let work = take(n)?.to_vec();
    let tables = usize::try_from(take(1)?[0]).ok()?;
    let mut records = Vec::new();
    for _ in 0..tables {
        let rows = usize::try_from(take(1)?[0]).ok()?;
        let mut table: Records = Vec::new();
        for _ in 0..rows {
            let cells = usize::try_from(take(1)?[0]).ok()?;
            let mut row = Vec::new();
            for _ in 0..cells {
                row.push(decode_text(&mut take)?);
            }
            table.push(row);
        }
        records.push(table);
    }
    Some(RunOutput {
        outcomes,
        survival,
        series,
        work,
        records,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_round_trip_bit_for_bit() {
        let mut survival = SurvivalCounts::new(2, 3);
        survival.add_event(1, 2);
        survival.add_censored(0, 1);
        let a = RunOutput {
            outcomes: vec![Some(0.1), None, Some(-0.0), Some(f64::MAX)],
            survival,
            series: vec![vec![1.5, 2.5], vec![f64::MIN_POSITIVE, 3.0]],
            work: vec![12, 7],
            records: vec![
                vec![
                    vec!["".into(), "12345678".into(), "dissolved".into()],
                    vec!["é, \"quoted\"".into(), "123456789".into(), "-0.5".into()],
                ],
                Vec::new(),
            ],
        };
        let b = RunOutput {
            outcomes: vec![],
            survival: SurvivalCounts::new(0, 0),
            series: vec![],
            work: vec![],
            records: vec![],
        };
        let mut words = Vec::new();
        encode(&a, &mut words);
        encode(&b, &mut words);
        let mut rest = &words[..];
        for want in [&a, &b] {
            let got = decode(&mut rest).unwrap();
            assert_eq!(format!("{want:?}"), format!("{got:?}"));
            let bits = |o: &RunOutput| -> Vec<u64> {
                o.outcomes.iter().flatten().map(|x| x.to_bits()).collect()
            };
            assert_eq!(bits(want), bits(&got));
        }
        assert!(rest.is_empty());
        assert!(
            decode(&mut &words[..3]).is_none(),
            "a truncated message is refused"
        );
    }
}
