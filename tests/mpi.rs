//! The MPI backend (`cargo test --features mpi --test mpi`; needs Open MPI's `mpirun`): outputs of
//! 2 and 3 ranks, the record files included, are byte-identical to a single-process run, and a
//! run whose rank is killed resumes, under MPI, to the same files.
#![cfg(feature = "mpi")]

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

/// `commsim run` on `ranks` MPI ranks (oversubscribed: more ranks than cores is fine here).
fn mpirun(dir: &Path, ranks: usize, out: &str, replicates: &str, extra: &[&str]) -> Command {
    let mut c = Command::new("mpirun");
    c.args(["--oversubscribe", "-np", &ranks.to_string()])
        .arg(env!("CARGO_BIN_EXE_commsim"))
        .args(["run", &scenario(), "--out", out, "--replicates", replicates])
        .args(SWEEP)
        .args(extra)
        .env("OMPI_ALLOW_RUN_AS_ROOT", "1")
        .env("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
        .current_dir(dir);
    c
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
