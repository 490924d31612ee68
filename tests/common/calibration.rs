//! The tiny calibration the calibration tests share (tests/calibrate.rs, tests/mpi.rs): two keys
//! against pattern 4 (the time pit) and a survival range, 12 particles, at most 4 generations of
//! batches of 8 candidates, 2 replicates each, on the small crisis region. It checks the
//! machinery, not a posterior.

use super::command::SMALL;
use std::path::Path;

pub const CALIBRATION: &str = r#"name = "tiny-calibration"

[run]
months = 48
replicates = 2
seed = 5

[[shocks]]
start_month = 15
duration_months = 12
severity = 0.85
kind = "pandemic"
profile = [1.0, 0.9, 0.6, 0.35, 0.3, 0.4, 0.7, 0.9, 1.0, 0.9, 0.7, 0.5]

[calibrate]
population = 12
generations = 4
replicates = 2
batch = 8
min_acceptance = 0.0
posterior_draws = 6
patterns = [4]

[calibrate.parameters]
"horizon.stress_sensitivity" = { min = 1.0, max = 30.0, scale = "log" }
"horizon.recovery_rate" = { min = 0.05, max = 0.6 }

[calibrate.outcomes]
"survival" = { min = 0.5, max = 0.99 }
"#;

/// The files a calibration leaves beside its generations, every one but the manifest (which
/// holds times).
pub const FILES: &[&str] = &["generations.csv", "posterior.csv"];

/// The arguments of `commsim calibrate FILE --out OUT` on the small region, quietly, then `extra`.
pub fn calibrate_args(file: &str, out: &str, extra: &[&str]) -> Vec<String> {
    ["calibrate", file, "--out", out, "--quiet"]
        .iter()
        .chain(SMALL)
        .chain(extra)
        .map(|s| s.to_string())
        .collect()
}

/// The generation files of calibration folder `out`, sorted: how many there are depends on
/// where the tolerance stops, not on a test.
pub fn generation_files(dir: &Path, out: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join(out).join("generations"))
        .unwrap_or_else(|e| panic!("{out}/generations: {e}"))
        .map(|e| format!("generations/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    names.sort();
    names
}

/// Calibration folders `a` and `b` hold the same generations, generations.csv and posterior.csv,
/// byte for byte (`why` says what should have made them so).
pub fn same_calibration(dir: &Path, a: &str, b: &str, why: &str) {
    let generations = generation_files(dir, a);
    assert!(generations.len() >= 2, "{a}: {generations:?}");
    assert_eq!(generations, generation_files(dir, b), "{why}");
    for f in FILES.iter().map(|f| f.to_string()).chain(generations) {
        let left = std::fs::read(dir.join(a).join(&f)).unwrap_or_else(|e| panic!("{a}/{f}: {e}"));
        let right = std::fs::read(dir.join(b).join(&f)).unwrap_or_else(|e| panic!("{b}/{f}: {e}"));
        assert!(left == right, "{f} differs ({why}): {a} vs {b}");
    }
}
