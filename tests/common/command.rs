//! The `commsim` binary as the command-line tests run it: in a given folder, on a small version
//! of the shipped crisis region.

use std::path::Path;
use std::process::{Command, Output};

pub fn commsim(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_commsim"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("commsim starts")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn scenario(name: &str) -> String {
    format!("{}/scenarios/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// A small version of the shipped crisis region, for runs that take a second.
pub const SMALL: &[&str] = &[
    "--set",
    "region.villages=3",
    "--set",
    "region.small_towns=1",
    "--set",
    "territory.small_town.population=2000",
    "--set",
    "territory.large_city.population=5000",
    "--set",
    "territory.large_city.communities=4",
    "--set",
    "run.burn_in=6",
];

pub fn run_small(dir: &Path, out: &str, extra: &[&str]) -> Output {
    run_small_n(dir, out, "4", extra)
}

pub fn run_small_n(dir: &Path, out: &str, replicates: &str, extra: &[&str]) -> Output {
    run_reduced(dir, &scenario("pandemic-2020.toml"), out, replicates, extra)
}

/// Runs a scenario file on the small region, quietly.
pub fn run_reduced(dir: &Path, file: &str, out: &str, replicates: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "run",
        file,
        "--out",
        out,
        "--replicates",
        replicates,
        "--quiet",
    ];
    args.extend_from_slice(SMALL);
    args.extend_from_slice(extra);
    commsim(&args, dir)
}

/// A text file's contents, or a panic naming the file.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A finished run's manifest.json.
pub fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&read(&dir.join("manifest.json"))).unwrap()
}

/// Entries of a folder, sorted, hidden ones included.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A run of the small grid sweep (`scenarios/sweep-grants-turnover.toml`, 16 points) on the
/// small region, `replicates` a point, with `extra` arguments.
pub fn grid_sweep(dir: &Path, out: &str, replicates: &str, extra: &[&str]) -> Output {
    run_reduced(
        dir,
        &scenario("sweep-grants-turnover.toml"),
        out,
        replicates,
        extra,
    )
}

/// `commsim check` and `commsim run` of a scenario whose `[output]` table is `body` both exit 2
/// with an error containing `expect` (the scenario is written to `dir/bad.toml`).
pub fn refuses_output_table(dir: &Path, body: &str, expect: &str) {
    std::fs::write(
        dir.join("bad.toml"),
        format!("name = \"bad\"\n[output]\n{body}\n"),
    )
    .unwrap();
    for args in [
        &["check", "bad.toml"][..],
        &["run", "bad.toml", "--out", "never"],
    ] {
        let o = commsim(args, dir);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{body}: {err}");
        assert!(err.contains(expect), "{body}: {err}");
    }
}
