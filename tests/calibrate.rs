//! `commsim calibrate` end to end on the small crisis region: located errors, the same files on
//! one thread and two, resuming after kill -9 (and after a break at a generation's end) to the
//! files of an uninterrupted calibration, and `commsim run --posterior` on the result. The
//! calibrations are tiny (two keys, a dozen particles, two replicates): they check the
//! machinery, not a posterior; the posterior itself is checked against closed forms in
//! crates/experiment/tests/abc.rs and against pyabc by tests/abc/pyabc_check.py.

mod common;

use common::calibration::{calibrate_args, generation_files, same_calibration, CALIBRATION};
use common::command::{commsim, scenario, text, SMALL};
use std::path::Path;
use std::process::{Command, Output};

fn write_scenario(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn calibrate(dir: &Path, file: &str, out: &str, extra: &[&str]) -> Output {
    let args = calibrate_args(file, out, extra);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    commsim(&args, dir)
}

#[test]
fn bad_calibrations_are_located_input_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // A bad prior: its file, line and key, and what is allowed.
    let bad = CALIBRATION.replace("min = 0.05, max = 0.6", "min = 0.05, max = 1.6");
    let file = write_scenario(dir, "bad.toml", &bad);
    let o = calibrate(dir, &file, "out", &[]);
    assert_eq!(o.status.code(), Some(2));
    let e = text(&o.stderr);
    assert!(
        e.contains("bad.toml:26:1: key `calibrate.parameters.\"horizon.recovery_rate\"`")
            && e.contains("from 0 to 1"),
        "{e}"
    );
    // A sweep with the calibration.
    let swept = format!(
        "{CALIBRATION}\n[sweep]\ndesign = \"grid\"\n[sweep.parameters]\n\"grants.budget\" = [10, 20]\n"
    );
    let file = write_scenario(dir, "swept.toml", &swept);
    let o = calibrate(dir, &file, "out", &[]);
    assert_eq!(o.status.code(), Some(2));
    let e = text(&o.stderr);
    assert!(
        e.contains("swept.toml:31:") && e.contains("key `sweep`") && e.contains("no [sweep]"),
        "{e}"
    );
    // No [calibrate] table.
    let o = calibrate(dir, &scenario("pandemic-2020.toml"), "out", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("no [calibrate] table"),
        "{}",
        text(&o.stderr)
    );
    // A bad --set of a calibrate key.
    let file = write_scenario(dir, "good.toml", CALIBRATION);
    let o = calibrate(dir, &file, "out", &["--set", "calibrate.quantile=2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("at most 1"), "{}", text(&o.stderr));
    // The shipped calibration scenario is valid.
    let o = commsim(&["check", &scenario("calibrate-default.toml")], dir);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

#[test]
fn a_calibration_is_the_same_on_one_thread_and_two_and_resumes_to_the_same_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let file = write_scenario(dir, "c.toml", CALIBRATION);
    let one = calibrate(dir, &file, "one", &["--threads", "1"]);
    assert!(one.status.success(), "{}", text(&one.stderr));
    let two = calibrate(dir, &file, "two", &["--threads", "2"]);
    assert!(two.status.success(), "{}", text(&two.stderr));
    same_calibration(dir, "one", "two", "1 and 2 threads");
    let manifest = std::fs::read_to_string(dir.join("one/manifest.json")).unwrap();
    assert!(
        manifest.contains("\"kind\": \"calibration\"") && manifest.contains("Beaumont"),
        "{manifest}"
    );
    let posterior = std::fs::read_to_string(dir.join("one/posterior.csv")).unwrap();
    assert!(posterior.starts_with(
        "particle,horizon.stress_sensitivity,horizon.recovery_rate,weight,distance\n"
    ));
    assert_eq!(posterior.lines().count(), 1 + 12);
    let generations = std::fs::read_to_string(dir.join("one/generations.csv")).unwrap();
    assert!(generations
        .starts_with("generation,tolerance,accepted,draws,simulations,runs,acceptance_rate,ess,"));
    assert_eq!(
        generations.lines().count(),
        1 + generation_files(dir, "one").len()
    );
    // The report of a calibration: a marginal per key against its prior, and the pair.
    let report = commsim(&["report", "one", "--quiet"], dir);
    assert!(report.status.success(), "{}", text(&report.stderr));
    let html = std::fs::read_to_string(dir.join("one/report.html")).unwrap();
    assert_eq!(html.matches("data-figure=\"marginal\"").count(), 2);
    assert_eq!(html.matches("data-figure=\"pair\"").count(), 1);
    assert!(html.contains("Marginal posteriors against priors"));

    // A break after generation 1 (the later generations and the final files lost): the same
    // command continues from generation 1.
    std::fs::create_dir_all(dir.join("cut")).unwrap();
    for entry in std::fs::read_dir(dir.join("one")).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, dir.join("cut").join(p.file_name().unwrap())).unwrap();
        }
    }
    std::fs::create_dir_all(dir.join("cut/generations")).unwrap();
    for t in 0..2 {
        std::fs::copy(
            dir.join(format!("one/generations/{t}.csv")),
            dir.join(format!("cut/generations/{t}.csv")),
        )
        .unwrap();
    }
    for f in ["posterior.csv", "manifest.json"] {
        std::fs::remove_file(dir.join("cut").join(f)).unwrap();
    }
    let resumed = calibrate(dir, &file, "cut", &[]);
    assert!(resumed.status.success(), "{}", text(&resumed.stderr));
    same_calibration(dir, "one", "cut", "resumed after generation 1");
    let manifest = std::fs::read_to_string(dir.join("cut/manifest.json")).unwrap();
    assert!(
        manifest.contains("\"resumed_after_generation\": 1"),
        "{manifest}"
    );

    // A finished calibration run again is left as it is.
    let again = calibrate(dir, &file, "one", &[]);
    assert!(again.status.success());
    same_calibration(dir, "one", "two", "run again when finished");
    // Another seed in the same folder is refused (exit 2) unless --force.
    let other = calibrate(dir, &file, "one", &["--set", "calibrate.seed=6"]);
    assert_eq!(other.status.code(), Some(2), "{}", text(&other.stderr));
    let forced = calibrate(dir, &file, "one", &["--set", "calibrate.seed=6", "--force"]);
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    let reseeded = std::fs::read(dir.join("one/posterior.csv")).unwrap();
    assert_ne!(
        reseeded,
        std::fs::read(dir.join("two/posterior.csv")).unwrap()
    );
}

#[test]
fn kill_9_at_any_moment_then_the_same_command_gives_the_files_of_an_uninterrupted_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let file = write_scenario(dir, "c.toml", CALIBRATION);
    let full = calibrate(dir, &file, "full", &[]);
    assert!(full.status.success(), "{}", text(&full.stderr));
    // Kills at pseudo-random moments, 50 to 1000 ms after each start, each run continuing the
    // one before; some land mid-generation, some mid-write, some before anything is written.
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let args = calibrate_args(&file, "cut", &[]);
    for _ in 0..12 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let delay = 50 + state % 950;
        let mut child = Command::new(env!("CARGO_BIN_EXE_commsim"))
            .args(&args)
            .current_dir(dir)
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
    }
    let last = calibrate(dir, &file, "cut", &[]);
    assert!(last.status.success(), "{}", text(&last.stderr));
    same_calibration(dir, "full", "cut", "kill -9 and the same command");
}

#[test]
fn a_run_at_posterior_draws_has_one_point_per_draw_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let file = write_scenario(dir, "c.toml", CALIBRATION);
    let cal = calibrate(dir, &file, "cal", &[]);
    assert!(cal.status.success(), "{}", text(&cal.stderr));
    let mut args = vec![
        "run",
        file.as_str(),
        "--posterior",
        "cal",
        "--out",
        "what-if",
        "--quiet",
    ];
    args.extend_from_slice(SMALL);
    let run = commsim(&args, dir);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let runs = std::fs::read_to_string(dir.join("what-if/runs.csv")).unwrap();
    assert!(
        runs.starts_with("point,replicate,seed,horizon.stress_sensitivity,horizon.recovery_rate,")
    );
    // posterior_draws = 6 draws, run.replicates = 2 each.
    assert_eq!(runs.lines().count(), 1 + 6 * 2);
    let manifest = std::fs::read_to_string(dir.join("what-if/manifest.json")).unwrap();
    assert!(
        manifest.contains("\"points_are\": \"posterior draws\"")
            && manifest.contains("\"draws\": 6"),
        "{manifest}"
    );
    let pooled = std::fs::read_to_string(dir.join("what-if/posterior-summary.csv")).unwrap();
    assert!(
        pooled.starts_with("points,draws,replicates,outcome,n,mean,"),
        "{pooled}"
    );
    assert!(
        pooled.contains("\nposterior draws,6,2,survival,12,"),
        "{pooled}"
    );
    // Every drawn value is a particle of posterior.csv.
    let posterior = std::fs::read_to_string(dir.join("cal/posterior.csv")).unwrap();
    let particles: Vec<&str> = posterior
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    for line in runs.lines().skip(1) {
        let value = line.split(',').nth(3).unwrap();
        assert!(particles.contains(&value), "{value}");
    }
    // A documented count from the command line; none from a folder without a posterior.
    let mut more = args.clone();
    more.extend_from_slice(&["--posterior-draws", "3", "--force"]);
    let run = commsim(&more, dir);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let runs = std::fs::read_to_string(dir.join("what-if/runs.csv")).unwrap();
    assert_eq!(runs.lines().count(), 1 + 3 * 2);
    // Compressed or in Parquet, the pooled summary is derived from the staged runs all the same
    // and is one of the folder's result files (a plain run refuses the folder without --force).
    for (choice, summary) in [
        ("output.compress=true", "posterior-summary.csv.gz"),
        ("output.format=\"parquet\"", "posterior-summary.parquet"),
    ] {
        let out = format!("what-if-{}", &summary[18..]);
        let mut chosen = args.clone();
        chosen.extend_from_slice(&["--set", choice]);
        let k = chosen.iter().position(|a| *a == "what-if").unwrap();
        chosen[k] = &out;
        let run = commsim(&chosen, dir);
        assert!(run.status.success(), "{choice}: {}", text(&run.stderr));
        assert!(dir.join(&out).join(summary).is_file(), "{choice}");
        // A folder holding only that file is refused by a plain run without --force.
        let planted = format!("planted-{}", &summary[18..]);
        std::fs::create_dir(dir.join(&planted)).unwrap();
        std::fs::copy(
            dir.join(&out).join(summary),
            dir.join(&planted).join(summary),
        )
        .unwrap();
        chosen.truncate(chosen.len() - 2);
        chosen[k] = &planted;
        let again = commsim(&chosen, dir);
        assert_eq!(
            again.status.code(),
            Some(2),
            "{choice}: {}",
            text(&again.stderr)
        );
        assert!(
            text(&again.stderr).contains(summary),
            "{}",
            text(&again.stderr)
        );
    }
    let mut none = vec![
        "run",
        file.as_str(),
        "--posterior",
        "what-if",
        "--out",
        "x",
        "--quiet",
    ];
    none.extend_from_slice(SMALL);
    let o = commsim(&none, dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("no posterior.csv"),
        "{}",
        text(&o.stderr)
    );
}

/// The share of rows of `patterns --format csv` output whose pattern `k` column holds.
fn share_holding(csv: &str, k: usize) -> (usize, f64) {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = header
        .iter()
        .position(|h| *h == format!("pattern_{k}"))
        .unwrap_or_else(|| panic!("no pattern_{k}: {csv}"));
    let verdicts: Vec<&str> = lines.map(|l| l.split(',').nth(column).unwrap()).collect();
    let holds = verdicts.iter().filter(|v| **v == "holds").count();
    (verdicts.len(), holds as f64 / verdicts.len() as f64)
}

#[test]
fn the_posterior_holds_its_target_pattern_more_often_than_the_prior() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let file = write_scenario(dir, "c.toml", CALIBRATION);
    let cal = calibrate(dir, &file, "cal", &[]);
    assert!(cal.status.success(), "{}", text(&cal.stderr));
    let verdicts = |points: &[&str]| {
        let mut args = vec![
            "patterns",
            file.as_str(),
            "--format",
            "csv",
            "--replicates",
            "16",
        ];
        args.extend_from_slice(points);
        args.extend_from_slice(SMALL);
        let o = commsim(&args, dir);
        // Exit 1 where some draw fails a pattern: the verdicts are the output either way. A
        // verdict needs more replicates than the calibration used for its means.
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "{}",
            text(&o.stderr)
        );
        text(&o.stdout)
    };
    let posterior = verdicts(&["--posterior", "cal", "--posterior-draws", "12"]);
    let prior = verdicts(&["--prior", "12"]);
    assert!(
        posterior.starts_with("point,horizon.stress_sensitivity,horizon.recovery_rate,pattern_1,"),
        "{posterior}"
    );
    let (n_post, post) = share_holding(&posterior, 4);
    let (n_prior, pri) = share_holding(&prior, 4);
    assert_eq!((n_post, n_prior), (12, 12));
    assert!(
        post > pri,
        "pattern 4 holds at {post} of posterior draws, {pri} of prior draws"
    );
    // Without a [calibrate] table there is no prior to draw from.
    let o = commsim(
        &["patterns", &scenario("pandemic-2020.toml"), "--prior", "3"],
        dir,
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("[calibrate]"),
        "{}",
        text(&o.stderr)
    );
}
