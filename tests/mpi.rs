//! The MPI backend (`cargo test --features mpi --test mpi`; needs Open MPI's `mpirun`): outputs of
//! 2 and 3 ranks, the record files included, are byte-identical to a single-process run, and a
//! run whose rank is killed resumes, under MPI, to the same files; the same for a calibration,
//! whose job killed after its first generation continues, under MPI, to the files of one
//! uninterrupted process.
#![cfg(feature = "mpi")]

mod common;

use common::calibration::{calibrate_args, same_calibration, CALIBRATION};
use std::path::Path;
use std::process::{Command, Output};

const SWEEP: &[&str] = &[
    "--quiet",
    "--set",
    "region.villages=3",
    "--set",
    "region.small_towns=1",
    "--set",
    "region.large_cities=0",
    "--set",
    "output.timeseries=true",
    "--set",
    "output.communities=true",
    "--set",
    "output.territories=true",
];

fn scenario() -> String {
    format!(
        "{}/scenarios/sweep-grants-turnover.toml",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// `commsim ARGS` on `ranks` MPI ranks (oversubscribed: more ranks than cores is fine here).
fn mpirun_with(dir: &Path, ranks: usize, args: &[&str]) -> Command {
    let mut c = Command::new("mpirun");
    c.args(["--oversubscribe", "-np", &ranks.to_string()])
        .arg(env!("CARGO_BIN_EXE_commsim"))
        .args(args)
        .env("OMPI_ALLOW_RUN_AS_ROOT", "1")
        .env("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
        .current_dir(dir);
    c
}

/// `commsim run` of the sweep on `ranks` MPI ranks.
fn mpirun(dir: &Path, ranks: usize, out: &str, replicates: &str, extra: &[&str]) -> Command {
    let scenario = scenario();
    let mut args = vec!["run", &scenario, "--out", out, "--replicates", replicates];
    args.extend_from_slice(SWEEP);
    args.extend_from_slice(extra);
    mpirun_with(dir, ranks, &args)
}

fn single(dir: &Path, out: &str, replicates: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_commsim"))
        .args(["run", &scenario(), "--out", out, "--replicates", replicates])
        .args(SWEEP)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn same_files(dir: &Path, a: &str, b: &str) {
    for f in [
        "runs.csv",
        "summary.csv",
        "survival.csv",
        "timeseries.csv",
        "communities.csv",
        "territories.csv",
    ] {
        let left = std::fs::read(dir.join(a).join(f)).unwrap();
        let right = std::fs::read(dir.join(b).join(f)).unwrap();
        assert!(left == right, "{f} differs: {a} vs {b}");
    }
}

#[test]
fn two_and_three_ranks_write_the_files_of_one_process() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(single(tmp.path(), "one", "12").status.success());
    for ranks in [2, 3] {
        let out = format!("np{ranks}");
        let o = mpirun(tmp.path(), ranks, &out, "12", &[]).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        same_files(tmp.path(), "one", &out);
    }
}

#[test]
fn a_killed_rank_fails_the_job_and_resume_finishes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let mut job = mpirun(tmp.path(), 3, "cut", "60", &[]).spawn().unwrap();
    // Wait until rank 0 has started writing, then kill one worker rank.
    let staging = tmp.path().join("cut/.commsim-partial/plan.txt");
    let start = std::time::Instant::now();
    while !staging.exists() && start.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    // The ranks are mpirun's children; kill -9 the last one (a worker).
    let children = Command::new("pgrep")
        .args(["-P", &job.id().to_string()])
        .output()
        .unwrap();
    let pids: Vec<String> = String::from_utf8_lossy(&children.stdout)
        .split_whitespace()
        .map(String::from)
        .collect();
    assert!(pids.len() >= 3, "three ranks: {pids:?}");
    let killed = Command::new("kill")
        .args(["-9", pids.last().unwrap()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = job.wait().unwrap();
    assert!(!status.success(), "the killed job fails");
    let o = mpirun(tmp.path(), 3, "cut", "60", &["--resume"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(single(tmp.path(), "full", "60").status.success());
    same_files(tmp.path(), "full", "cut");
}

/// `calibrate_args` as `&str`s, for `Command::args`.
fn args_of(a: &[String]) -> Vec<&str> {
    a.iter().map(String::as_str).collect()
}

fn calibrate_single(dir: &Path, file: &str, out: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_commsim"))
        .args(calibrate_args(file, out, &[]))
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn a_calibration_on_two_and_three_ranks_writes_the_files_of_one_process() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("c.toml"), CALIBRATION).unwrap();
    let one = calibrate_single(dir, "c.toml", "one");
    assert!(
        one.status.success(),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    for ranks in [2, 3] {
        let out = format!("np{ranks}");
        let o = mpirun_with(dir, ranks, &args_of(&calibrate_args("c.toml", &out, &[])))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        same_calibration(dir, "one", &out, "MPI against one process");
    }
    // A third key whose low values leave the region without territories: those candidates are
    // refused before simulating (distance NaN), on the ranks as in one process.
    let refusing = CALIBRATION.replace(
        "\n[calibrate.outcomes]",
        "\"region.villages\" = { min = 0.0, max = 2.0 }\n\n[calibrate.outcomes]",
    );
    std::fs::write(dir.join("r.toml"), refusing).unwrap();
    let alone = [
        "--set",
        "region.small_towns=0",
        "--set",
        "region.large_cities=0",
    ];
    let args = calibrate_args("r.toml", "r-one", &alone);
    let o = Command::new(env!("CARGO_BIN_EXE_commsim"))
        .args(&args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let generation_0 = std::fs::read_to_string(dir.join("r-one/generations.csv")).unwrap();
    let row: Vec<&str> = generation_0.lines().nth(1).unwrap().split(',').collect();
    // Generation 0 accepts every candidate not refused (its tolerance is +inf): more draws than
    // its 12 particles means some were refused.
    assert!(row[3].parse::<u64>().unwrap() > 12, "{generation_0}");
    let args = calibrate_args("r.toml", "r-np2", &alone);
    let o = mpirun_with(dir, 2, &args_of(&args)).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    same_calibration(dir, "r-one", "r-np2", "MPI against one process");
    // A scenario without [calibrate] is the same located input error, and no rank waits on.
    let bad = common::command::scenario("pandemic-2020.toml");
    let o = mpirun_with(dir, 3, &args_of(&calibrate_args(&bad, "bad", &[])))
        .output()
        .unwrap();
    assert!(!o.status.success());
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("no [calibrate] table"), "{e}");
}

/// Whether process `pid` is still running (a zombie, dead but not yet reaped, is not).
fn alive(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(") ")
            .is_some_and(|(_, rest)| !rest.starts_with('Z'))
    })
}

#[test]
fn a_calibration_job_killed_after_a_generation_continues_to_the_same_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("c.toml"), CALIBRATION).unwrap();
    let mut job = mpirun_with(dir, 3, &args_of(&calibrate_args("c.toml", "cut", &[])))
        .spawn()
        .unwrap();
    let first = dir.join("cut/generations/0.csv");
    let start = std::time::Instant::now();
    while !first.exists() && start.elapsed().as_secs() < 120 {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(first.exists(), "no generation 0 in 120 s");
    // The whole job killed at once, as a scheduler ends it: mpirun and its ranks (its children,
    // in process groups of their own), kill -9.
    let children = Command::new("pgrep")
        .args(["-P", &job.id().to_string()])
        .output()
        .unwrap();
    let mut pids: Vec<String> = String::from_utf8_lossy(&children.stdout)
        .split_whitespace()
        .map(String::from)
        .collect();
    assert!(pids.len() >= 3, "three ranks: {pids:?}");
    pids.push(job.id().to_string());
    let killed = Command::new("kill").arg("-9").args(&pids).status().unwrap();
    assert!(killed.success());
    assert!(!job.wait().unwrap().success(), "the killed job fails");
    // The ranks are gone (and their lock on the folder with them) before the job runs again.
    while pids.iter().any(|p| alive(p)) && start.elapsed().as_secs() < 180 {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let o = mpirun_with(dir, 3, &args_of(&calibrate_args("c.toml", "cut", &[])))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let manifest = std::fs::read_to_string(dir.join("cut/manifest.json")).unwrap();
    assert!(
        !manifest.contains("\"resumed_after_generation\": null"),
        "it continued a calibration: {manifest}"
    );
    let full = calibrate_single(dir, "c.toml", "full");
    assert!(
        full.status.success(),
        "{}",
        String::from_utf8_lossy(&full.stderr)
    );
    same_calibration(dir, "full", "cut", "MPI against one process");
}
