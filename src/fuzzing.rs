//! Entry points of the fuzz targets (`fuzz/`, run with `cargo +nightly fuzz run TARGET`) and of
//! the test that replays their corpus on stable Rust (`tests/fuzz_corpus.rs`). Each takes
//! arbitrary bytes and must return, never panic: bad input is a clean error. Where the input is
//! valid, stronger properties are asserted.

use crate::experiment::design;
use crate::plan::Plan;
use crate::scenario::{apply_set, parse_str, Design, Scenario};

/// The largest design the plan target builds. Larger designs are skipped so that one input
/// cannot spend the fuzzer's time on millions of points; building a design is linear in its
/// points, and large designs are tested apart (`plan.rs`, `tests/input_limits.rs`).
pub const FUZZ_MAX_POINTS: u64 = 10_000;

/// The most pairs of points a Morris selection of the plan target compares.
const FUZZ_MAX_SELECTION_PAIRS: u64 = 1 << 20;

/// Design points whose configuration the plan target builds.
const FUZZ_CONFIGS: usize = 16;

/// A scenario file: parsed and validated, or a clean error. A valid scenario renders to TOML
/// (what `commsim check` prints) that parses back to the same scenario.
pub fn scenario(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    if let Ok(s) = parse_str(text, "fuzz.toml") {
        let rendered = s.to_toml();
        let again = parse_str(&rendered, "rendered.toml")
            .unwrap_or_else(|e| panic!("the rendered scenario does not parse: {e}\n{rendered}"));
        assert_eq!(again.to_toml(), rendered, "rendering is not a fixed point");
    }
}

/// A scenario file through to its design (`Plan::new`: grid, Latin hypercube, Sobol or Morris sample,
/// every point validated): a plan or a clean error. A plan has the points its sweep asks for,
/// and its first points build a model configuration. Design files are the `design_file`
/// target's (reading a path named by fuzzed text could block on a device).
pub fn plan(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let Ok(scenario) = parse_str(text, "fuzz.toml") else {
        return;
    };
    let planned = match &scenario.sweep {
        Some(sweep) if sweep.design == Design::File => return,
        Some(sweep) => design::planned_points(sweep),
        None => 1,
    };
    // Selecting Morris trajectories compares every pair of candidates: bounded apart, and too
    // slow to fuzz near its bound.
    let selection = scenario.sweep.as_ref().and_then(|s| {
        s.candidates
            .filter(|_| s.design == Design::Morris)
            .map(|m| crate::experiment::selection::selection_pairs(m, s.parameters.len()))
    });
    if planned > FUZZ_MAX_POINTS || selection.is_some_and(|p| p > FUZZ_MAX_SELECTION_PAIRS) {
        return;
    }
    if let Ok(plan) = Plan::new(scenario) {
        assert_eq!(plan.points.len() as u64, planned, "points of the design");
        for i in 0..plan.points.len().min(FUZZ_CONFIGS) {
            let _ = plan.config(i);
        }
    }
}

/// A design file (`design = "file"`): points, or a clean error naming file and line.
pub fn design_file(bytes: &[u8]) {
    if let Ok(text) = std::str::from_utf8(bytes) {
        let _ = design::from_csv(text, "fuzz.csv");
    }
}

/// A `--set KEY=VALUE` argument applied to the default scenario, then validated.
pub fn set(bytes: &[u8]) {
    if let Ok(text) = std::str::from_utf8(bytes) {
        let mut s = Scenario::default();
        if apply_set(&mut s, text).is_ok() {
            let _ = s.validate();
        }
    }
}
