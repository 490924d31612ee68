//! What an error says about a key nobody knows: the nearest known key, by edit distance.

use crate::params::registry;

/// A helpful message for an unknown key, with the nearest known key when one is close.
pub(super) fn unknown_key_message(key: &str) -> String {
    let nearest = registry()
        .iter()
        .map(|spec| (edit_distance(key, &spec.key), spec.key.as_str()))
        .min()
        .filter(|(d, _)| *d <= 3);
    match nearest {
        Some((_, near)) => {
            format!("unknown key; did you mean `{near}`? (`commsim params` lists every key)")
        }
        None => "unknown key; allowed: the keys listed by `commsim params`".to_string(),
    }
}

pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}
