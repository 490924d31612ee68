//! What commsim may do to an output folder, and to files outside it: a scenario name cannot lead
//! it elsewhere, a run deletes only what it may replace, a planted link is never followed, an
//! error never echoes a file's line, a resumed run's manifest counts the whole run, and no lock
//! file stays behind.

mod common;

use common::command::*;
use std::path::Path;

/// A run of the small grid sweep (16 points of 2 replicates), with `extra` arguments.
fn sweep(dir: &Path, out: &str, extra: &[&str]) -> std::process::Output {
    grid_sweep(dir, out, "2", extra)
}

/// The seed of point 2, replicate 1 of the sweep, from a finished run of it in `full`.
fn seed_of_point_2(dir: &Path, full: &str) -> String {
    let runs = read(&dir.join(full).join("runs.csv"));
    let row = runs.lines().find(|l| l.starts_with("2,1,")).unwrap();
    row.split(',').nth(2).unwrap().to_string()
}

#[test]
fn a_name_that_is_not_one_folder_name_exits_2_naming_file_line_and_key() {
    let tmp = tempfile::tempdir().unwrap();
    let long = "x".repeat(300);
    for name in [
        "../../x",
        "/tmp/commsim-absolute",
        "..",
        ".",
        "",
        "a\\nb",
        "a\\u0000b",
        "a\\\\b",
        long.as_str(),
    ] {
        std::fs::write(tmp.path().join("bad.toml"), format!("name = \"{name}\"\n")).unwrap();
        let out = commsim(&["run", "bad.toml", "--quiet"], tmp.path());
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name:?}: {err}");
        for expect in [
            "bad.toml:1:1",
            "key `name`",
            "allowed: a folder name of 1 to 100",
        ] {
            assert!(
                err.contains(expect),
                "{name:?}: expected `{expect}` in {err}"
            );
        }
        assert!(!err.contains(&long), "the long name is not echoed whole");
        assert_eq!(listing(tmp.path()), ["bad.toml"], "{name:?}");
    }
    assert!(!Path::new("/tmp/commsim-absolute").exists());
    for set in ["name=../../x", "name=/tmp/commsim-absolute", "name=.."] {
        let out = run_small(tmp.path(), "out", &["--set", set]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{set}: {err}");
        assert!(err.contains(set) && err.contains("key `name`"), "{err}");
        assert_eq!(listing(tmp.path()), ["bad.toml"], "{set}");
    }
}

#[test]
fn a_plain_run_keeps_a_report_or_sensitivity_csv_it_did_not_write() {
    let tmp = tempfile::tempdir().unwrap();
    for file in [
        "report.html",
        "sensitivity.csv",
        "report.partial",
        "sensitivity.partial",
    ] {
        let out = tmp.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join(file), "mine").unwrap();
        let o = run_small(tmp.path(), "out", &[]);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{file}: {err}");
        assert!(err.contains(file) && err.contains("--force"), "{err}");
        assert_eq!(read(&out.join(file)), "mine");
        assert_eq!(listing(&out), [file], "a refused run leaves nothing");
        // With --force the older file no longer matches the results: it goes.
        let o = run_small(tmp.path(), "out", &["--force"]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert!(!out.join(file).exists(), "{file} left beside new results");
        std::fs::remove_dir_all(&out).unwrap();
    }
}

#[test]
fn a_file_planted_during_an_interrupted_run_is_kept_and_stale_files_of_a_forced_run_go() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(sweep(tmp.path(), "full", &[]).status.success());
    let seed = seed_of_point_2(tmp.path(), "full");
    let cut = tmp.path().join("cut");
    assert_eq!(
        sweep(tmp.path(), "cut", &["--fail-on-seed", &seed])
            .status
            .code(),
        Some(1)
    );
    std::fs::write(cut.join("report.html"), "mine").unwrap();
    let o = sweep(tmp.path(), "cut", &["--resume"]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("report.html appeared"), "{err}");
    assert_eq!(read(&cut.join("report.html")), "mine");
    assert!(
        cut.join(".commsim-partial/plan.txt").exists(),
        "still resumable"
    );
    std::fs::rename(cut.join("report.html"), tmp.path().join("kept.html")).unwrap();
    assert!(sweep(tmp.path(), "cut", &["--resume"]).status.success());

    // A forced run over a finished one with a report, interrupted, then resumed: the report of
    // the older run is kept until the new run ends, then goes.
    assert!(commsim(&["report", "full", "--quiet"], tmp.path())
        .status
        .success());
    let o = sweep(tmp.path(), "full", &["--force", "--fail-on-seed", &seed]);
    assert_eq!(o.status.code(), Some(1));
    assert!(tmp.path().join("full/report.html").exists());
    let o = sweep(tmp.path(), "full", &["--resume"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(!tmp.path().join("full/report.html").exists());
}

#[cfg(unix)]
mod links {
    use super::*;
    use std::os::unix::fs::symlink;

    fn victim(dir: &Path) -> std::path::PathBuf {
        let v = dir.join("victim.txt");
        std::fs::write(&v, "precious").unwrap();
        v
    }

    fn assert_refused_link(o: &std::process::Output) {
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains("is a symbolic link"), "{err}");
    }

    #[test]
    fn report_and_analyze_replace_a_planted_partial_link_and_never_write_through_it() {
        let tmp = tempfile::tempdir().unwrap();
        let v = victim(tmp.path());
        let o = run_reduced(
            tmp.path(),
            &scenario("sweep-sobol.toml"),
            "out",
            "1",
            &["--set", "sweep.samples=2"],
        );
        assert!(o.status.success(), "{}", text(&o.stderr));
        let out = tmp.path().join("out");
        for (command, partial, written) in [
            ("report", "report.partial", "report.html"),
            ("analyze", "sensitivity.partial", "sensitivity.csv"),
        ] {
            symlink(&v, out.join(partial)).unwrap();
            symlink(&v, out.join(written)).unwrap();
            let o = commsim(&[command, "out", "--quiet"], tmp.path());
            assert!(o.status.success(), "{command}: {}", text(&o.stderr));
            assert_eq!(read(&v), "precious", "{command} wrote through a link");
            let meta = std::fs::symlink_metadata(out.join(written)).unwrap();
            assert!(meta.file_type().is_file(), "{written} is a file now");
            assert!(!out.join(partial).exists());
        }
        // Reading: a run's file that is a link is refused, not read.
        std::fs::rename(out.join("runs.csv"), tmp.path().join("runs.csv")).unwrap();
        symlink(tmp.path().join("runs.csv"), out.join("runs.csv")).unwrap();
        for command in ["report", "analyze"] {
            assert_refused_link(&commsim(&[command, "out", "--quiet"], tmp.path()));
        }
        assert_eq!(
            listing(&out)
                .iter()
                .filter(|n| n.ends_with(".partial"))
                .count(),
            0
        );
    }

    #[test]
    fn resume_refuses_links_in_or_at_the_staging_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let v = victim(tmp.path());
        assert!(sweep(tmp.path(), "full", &[]).status.success());
        let seed = seed_of_point_2(tmp.path(), "full");
        let cut = tmp.path().join("cut");
        let staging = cut.join(".commsim-partial");
        for file in ["summary.csv", "runs.csv", "counts.csv"] {
            let o = sweep(tmp.path(), "cut", &["--force", "--fail-on-seed", &seed]);
            assert_eq!(o.status.code(), Some(1));
            std::fs::remove_file(staging.join(file)).unwrap();
            symlink(&v, staging.join(file)).unwrap();
            assert_refused_link(&sweep(tmp.path(), "cut", &["--resume"]));
            assert_eq!(read(&v), "precious", "{file}: the victim was truncated");
        }

        // The staging folder itself a link to a folder elsewhere: neither followed nor emptied.
        let elsewhere = tmp.path().join("elsewhere");
        std::fs::rename(&staging, &elsewhere).unwrap();
        symlink(&elsewhere, &staging).unwrap();
        let before = listing(&elsewhere);
        assert_refused_link(&sweep(tmp.path(), "cut", &["--resume"]));
        let o = sweep(tmp.path(), "cut", &[]);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
        assert_eq!(listing(&elsewhere), before);
        let o = sweep(tmp.path(), "cut", &["--force"]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert_eq!(listing(&elsewhere), before, "--force removed the link only");
        assert_eq!(read(&v), "precious");
    }

    #[test]
    fn a_planted_lock_link_is_refused_and_nothing_is_created_at_its_target() {
        let tmp = tempfile::tempdir().unwrap();
        let v = victim(tmp.path());
        let out = tmp.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let target = tmp.path().join("created-by-commsim");
        for to in [&target, &v] {
            let lock = out.join(".commsim-lock");
            let _ = std::fs::remove_file(&lock);
            symlink(to, &lock).unwrap();
            assert_refused_link(&run_small(tmp.path(), "out", &[]));
            assert!(!target.exists());
            assert_eq!(read(&v), "precious");
        }
    }
}

#[test]
fn a_design_file_naming_any_file_does_not_echo_its_first_line() {
    let tmp = tempfile::tempdir().unwrap();
    let secret = "aws_secret_access_key=wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEYs3cr3t";
    std::fs::write(tmp.path().join("credentials"), format!("{secret}\n1\n")).unwrap();
    for (header, extra) in [
        (secret.to_string(), ""),
        (format!("shocks.{secret}.x"), ""),
        (format!("sweep.{secret}"), ""),
        (format!("shocks.0.{secret}"), ""),
        ("shocks.0.kind".to_string(), secret),
    ] {
        let design = if extra.is_empty() {
            format!("{header}\n1\n")
        } else {
            format!("{header}\n{extra}\n")
        };
        let file = if header == secret {
            "credentials".to_string()
        } else {
            std::fs::write(tmp.path().join("points.csv"), design).unwrap();
            "points.csv".to_string()
        };
        std::fs::write(
            tmp.path().join("s.toml"),
            // One shock, so that a shock field of shock 0 reaches the field's own checks.
            format!("[[shocks]]\nstart_month = 3\nduration_months = 2\nseverity = 0.5\n[sweep]\ndesign = \"file\"\nfile = \"{file}\"\n"),
        )
        .unwrap();
        let o = commsim(&["check", "s.toml"], tmp.path());
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{header}: {err}");
        assert!(err.contains("s.toml:7:1"), "{err}");
        assert!(!err.contains("wJalr"), "the secret is echoed: {err}");
        assert!(err.contains('…'), "an excerpt: {err}");
    }
}

#[test]
fn a_resumed_run_counts_the_whole_run_in_its_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(sweep(tmp.path(), "full", &[]).status.success());
    let seed = seed_of_point_2(tmp.path(), "full");
    assert_eq!(
        sweep(tmp.path(), "cut", &["--fail-on-seed", &seed])
            .status
            .code(),
        Some(1)
    );
    let o = sweep(tmp.path(), "cut", &["--resume"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let (full, cut) = (
        manifest(&tmp.path().join("full")),
        manifest(&tmp.path().join("cut")),
    );
    assert_eq!(cut["runs"], 32);
    for key in ["runs_simulated", "resident_months", "community_months"] {
        assert_eq!(cut["throughput"][key], full["throughput"][key], "{key}");
    }
    assert_eq!(full["throughput"]["runs_simulated"], 32);
}

#[test]
fn resuming_a_finished_run_with_other_options_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(run_small(tmp.path(), "out", &[]).status.success());
    let before = read(&tmp.path().join("out/runs.csv"));
    let same = run_small(tmp.path(), "out", &["--resume"]);
    assert_eq!(same.status.code(), Some(0), "{}", text(&same.stderr));
    let other = run_small(tmp.path(), "out", &["--resume", "--seed", "7"]);
    let err = text(&other.stderr);
    assert_eq!(other.status.code(), Some(2), "{err}");
    assert!(err.contains("finished run of another scenario"), "{err}");
    let more = run_small_n(tmp.path(), "out", "5", &["--resume"]);
    assert_eq!(more.status.code(), Some(2), "{}", text(&more.stderr));
    assert_eq!(read(&tmp.path().join("out/runs.csv")), before);
}

#[test]
fn no_lock_file_stays_and_a_refused_run_creates_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(run_small(tmp.path(), "out", &["--report"]).status.success());
    let files = [
        "manifest.json",
        "points.csv",
        "report.html",
        "runs.csv",
        "summary.csv",
        "survival.csv",
    ];
    assert_eq!(listing(&tmp.path().join("out")), files);
    // A shipped results folder holds summary.csv alone: a refused run adds nothing to it.
    let shipped = tmp.path().join("results/pandemic-2020");
    std::fs::create_dir_all(&shipped).unwrap();
    std::fs::write(shipped.join("summary.csv"), "committed").unwrap();
    let o = run_small(tmp.path(), "results/pandemic-2020", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(listing(&shipped), ["summary.csv"]);
    // Resuming into a folder that does not exist does not create it.
    let o = run_small(tmp.path(), "nowhere", &["--resume"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!tmp.path().join("nowhere").exists());
    // A failed run leaves its staging folder for --resume, and no lock file.
    let runs = read(&tmp.path().join("out/runs.csv"));
    let seed = runs.lines().nth(1).unwrap().split(',').nth(2).unwrap();
    let o = run_small(tmp.path(), "failed", &["--fail-on-seed", seed]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert_eq!(listing(&tmp.path().join("failed")), [".commsim-partial"]);
}

#[test]
fn a_file_as_out_or_a_folder_that_is_not_a_run_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("afile"), "mine").unwrap();
    let o = run_small(tmp.path(), "afile", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("it is a file"));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("afile")).unwrap(),
        "mine"
    );
    let not_run = tmp.path().join("notrun");
    std::fs::create_dir(&not_run).unwrap();
    std::fs::write(not_run.join("manifest.json"), "garbage").unwrap();
    for command in ["report", "analyze"] {
        let o = commsim(&[command, "notrun"], tmp.path());
        assert_eq!(o.status.code(), Some(2), "{command}: {}", text(&o.stderr));
        assert!(text(&o.stderr).contains("allowed:"), "{}", text(&o.stderr));
    }
    std::fs::write(
        not_run.join("manifest.json"),
        "{\"resolved_scenario\": \"\"}",
    )
    .unwrap();
    let o = commsim(&["report", "notrun"], tmp.path());
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("has no runs.csv"));
}

#[test]
fn a_damaged_folder_is_refused_before_anything_is_touched() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(run_small(tmp.path(), "done", &[]).status.success());
    let done = tmp.path().join("done");
    // A report of a folder that lost survival.csv would pass for whole without its section.
    let survival = std::fs::read(done.join("survival.csv")).unwrap();
    std::fs::remove_file(done.join("survival.csv")).unwrap();
    let o = commsim(&["report", "done"], tmp.path());
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("has no survival.csv"));
    std::fs::write(done.join("survival.csv"), &survival).unwrap();
    // A folder where --force must put a file: refused, the earlier results kept whole.
    let before: Vec<Vec<u8>> = ["runs.csv", "manifest.json"]
        .iter()
        .map(|f| std::fs::read(done.join(f)).unwrap())
        .collect();
    std::fs::remove_file(done.join("summary.csv")).unwrap();
    std::fs::create_dir(done.join("summary.csv")).unwrap();
    let o = run_small(tmp.path(), "done", &["--force", "--seed", "5"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("is a folder"),
        "{}",
        text(&o.stderr)
    );
    for (f, bytes) in ["runs.csv", "manifest.json"].iter().zip(&before) {
        assert_eq!(&std::fs::read(done.join(f)).unwrap(), bytes, "{f}");
    }
}
