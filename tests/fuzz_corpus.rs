//! Replays the fuzz corpus (`fuzz/corpus/TARGET/`) through the fuzz targets' entry points on
//! stable Rust: every input the fuzzer kept, and every shipped scenario, must give a clean result
//! or a clean error, never a panic. New finds are added by `cargo +nightly fuzz run TARGET`.

use std::path::Path;

fn replay(target: &str, entry: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut n = 0;
    for file in std::fs::read_dir(&dir).unwrap() {
        let path = file.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let result = std::panic::catch_unwind(|| entry(&bytes));
        assert!(result.is_ok(), "{} panics", path.display());
        n += 1;
    }
    assert!(n >= 3, "the {target} corpus has {n} inputs");
}

#[test]
fn scenario_corpus() {
    replay("scenario", commsim::fuzzing::scenario);
}

#[test]
fn plan_corpus() {
    replay("plan", commsim::fuzzing::plan);
    // Every scenario the scenario target kept is also planned.
    replay("scenario", commsim::fuzzing::plan);
}

#[test]
fn design_file_corpus() {
    replay("design_file", commsim::fuzzing::design_file);
}

#[test]
fn set_corpus() {
    replay("set", commsim::fuzzing::set);
}
