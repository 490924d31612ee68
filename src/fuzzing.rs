//! Entry points of the fuzz targets (`fuzz/`, run with `cargo +nightly fuzz run TARGET`) and of
//! the test that replays their corpus on stable Rust (`tests/fuzz_corpus.rs`). Each takes
//! arbitrary bytes and must return, never panic: bad input is a clean error. Where the input is
//! valid, stronger properties are asserted.

use crate::experiment::design;
use crate::scenario::{apply_set, parse_str, Scenario};

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
