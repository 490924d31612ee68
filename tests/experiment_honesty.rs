//! An experiment is what it says it is: cases where a run used to exit 0 with results that
//! misstated the experiment (a resumed run mixing two designs, a swept shock field lost, a shock
//! added by a sweep, swept keys ignored, wrapped shock months, zero-width intervals from one
//! replicate, zeros for undefined values, keys given twice), and the messages that go with them.

mod common;

use common::command::*;
use std::path::Path;

/// The shipped crisis scenario with `extra` appended, written as `s.toml` in `dir`.
fn crisis_with(dir: &Path, extra: &str) -> String {
    let base = std::fs::read_to_string(scenario("pandemic-2020.toml")).unwrap();
    std::fs::write(dir.join("s.toml"), format!("{base}\n{extra}")).unwrap();
    "s.toml".into()
}

fn check_fails_with(dir: &Path, file: &str, extra: &[&str], expect: &str) {
    let mut args = vec!["check", file];
    args.extend_from_slice(extra);
    let o = commsim(&args, dir);
    assert_eq!(o.status.code(), Some(2), "{extra:?}: {}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains(expect),
        "expected `{expect}` in: {}",
        text(&o.stderr)
    );
}

#[test]
fn resuming_after_the_design_file_changed_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("points.csv"), "grants.budget\n10\n20\n30\n").unwrap();
    let file = crisis_with(dir, "[sweep]\ndesign = \"file\"\nfile = \"points.csv\"\n");
    assert!(run_reduced(dir, &file, "full", "2", &[]).status.success());
    let runs = std::fs::read_to_string(dir.join("full/runs.csv")).unwrap();
    let seed = runs
        .lines()
        .find(|l| l.starts_with("2,0,"))
        .and_then(|l| l.split(',').nth(2))
        .unwrap()
        .to_string();
    let cut = run_reduced(dir, &file, "cut", "2", &["--fail-on-seed", &seed]);
    assert_eq!(cut.status.code(), Some(1), "{}", text(&cut.stderr));
    std::fs::write(dir.join("points.csv"), "grants.budget\n10\n25\n30\n").unwrap();
    let resumed = run_reduced(dir, &file, "cut", "2", &["--resume"]);
    assert_eq!(resumed.status.code(), Some(2), "{}", text(&resumed.stderr));
    assert!(text(&resumed.stderr).contains("interrupted run of another scenario"));
    // With the design as it was, the resumed run ends as the uninterrupted one.
    std::fs::write(dir.join("points.csv"), "grants.budget\n10\n20\n30\n").unwrap();
    assert!(run_reduced(dir, &file, "cut", "2", &["--resume"])
        .status
        .success());
    for f in ["runs.csv", "summary.csv", "survival.csv"] {
        assert_eq!(
            std::fs::read(dir.join("full").join(f)).unwrap(),
            std::fs::read(dir.join("cut").join(f)).unwrap(),
            "{f}"
        );
    }
    let manifest = std::fs::read_to_string(dir.join("cut/manifest.json")).unwrap();
    assert!(manifest.contains("\"design_sha256\""), "{manifest}");
}

#[test]
fn a_swept_shock_field_is_a_swept_parameter_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let file = crisis_with(
        dir,
        "[sweep]\ndesign = \"grid\"\n[sweep.parameters]\n\"shocks.0.severity\" = [0.3, 0.9]\n\"grants.budget\" = [10.0, 40.0]\n",
    );
    let o = run_reduced(dir, &file, "grid", "2", &["--report"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let html = std::fs::read_to_string(dir.join("grid/report.html")).unwrap();
    assert!(html.contains("grid over 2 parameters"), "the design line");
    assert!(html.contains("<code>shocks.0.severity</code>"));
    assert!(html.contains("id=\"sweep-survival\""));
    let series = std::fs::read_to_string(dir.join("grid/runs.csv")).unwrap();
    assert!(series.starts_with("point,replicate,seed,shocks.0.severity,grants.budget,"));

    let file = crisis_with(
        dir,
        "[sweep]\ndesign = \"sobol\"\nsamples = 4\n[sweep.parameters]\n\"grants.budget\" = { min = 5.0, max = 50.0 }\n\"shocks.0.severity\" = { min = 0.2, max = 0.9 }\n",
    );
    let o = run_reduced(dir, &file, "sobol", "1", &["--report"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let html = std::fs::read_to_string(dir.join("sobol/report.html")).unwrap();
    assert!(html.contains("id=\"sobol-survival\""));
}

#[test]
fn a_sweep_never_adds_a_shock_and_experiment_wide_keys_cannot_be_swept() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let file = crisis_with(
        dir,
        "[sweep]\n[sweep.parameters]\n\"shocks.1.severity\" = [0.3, 0.9]\n",
    );
    check_fails_with(dir, &file, &[], "shock 1 does not exist");
    std::fs::write(dir.join("points.csv"), "shocks.3.start_month\n2\n").unwrap();
    let file = crisis_with(dir, "[sweep]\ndesign = \"file\"\nfile = \"points.csv\"\n");
    check_fails_with(dir, &file, &[], "shock 3 does not exist");
    for (key, values) in [
        ("run.replicates", "[2, 4]"),
        ("run.seed", "[1, 2]"),
        ("output.timeseries", "[true, false]"),
        ("run.months", "[24, 36]"),
        ("name", "[\"a\", \"b\"]"),
    ] {
        let file = crisis_with(
            dir,
            &format!("[sweep]\n[sweep.parameters]\n\"{key}\" = {values}\n"),
        );
        check_fails_with(dir, &file, &[], "cannot be swept");
        std::fs::write(dir.join("points.csv"), format!("{key}\n2\n")).unwrap();
        let file = crisis_with(dir, "[sweep]\ndesign = \"file\"\nfile = \"points.csv\"\n");
        check_fails_with(dir, &file, &[], "cannot be swept");
    }
}

#[test]
fn shock_months_are_bounded_and_overruns_are_said() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let crisis = scenario("pandemic-2020.toml");
    check_fails_with(
        dir,
        &crisis,
        &["--set", "shocks.0.duration_months=4294967296"],
        "from 1 to 1200",
    );
    std::fs::write(
        dir.join("points.csv"),
        "shocks.0.duration_months\n18446744073709551610\n",
    )
    .unwrap();
    let file = crisis_with(dir, "[sweep]\ndesign = \"file\"\nfile = \"points.csv\"\n");
    check_fails_with(dir, &file, &[], "from 1 to 1200");
    // A shock past the end of the run is allowed, and said on stderr and in check's output.
    let o = commsim(
        &["check", &crisis, "--set", "shocks.0.duration_months=60"],
        dir,
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("warning: shocks.0 runs to month 74"));
    assert!(text(&o.stdout).contains("# warning: shocks.0 runs to month 74"));
    let o = run_small(dir, "long", &["--set", "shocks.0.duration_months=60"]);
    assert!(o.status.success());
    assert!(
        text(&o.stderr).contains("warning: shocks.0"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn one_replicate_leaves_sd_and_interval_empty() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(run_small_n(tmp.path(), "one", "1", &[]).status.success());
    let summary = std::fs::read_to_string(tmp.path().join("one/summary.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(summary.as_bytes());
    let header = rows.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = rows
        .records()
        .map(|r| r.unwrap())
        .find(|r| &r[col("outcome")] == "survival")
        .unwrap();
    assert_eq!(&row[col("n")], "1");
    assert!(!row[col("mean")].is_empty());
    for c in ["sd", "ci95_low", "ci95_high"] {
        assert_eq!(&row[col(c)], "", "{c}");
    }
}

#[test]
fn timeseries_carry_the_swept_keys_and_leave_undefined_values_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let file = crisis_with(
        dir,
        "[output]\ntimeseries = true\n[sweep]\n[sweep.parameters]\n\"grants.budget\" = [10.0, 40.0]\n",
    );
    let o = run_reduced(
        dir,
        &file,
        "ts",
        "2",
        &["--set", "region.villages=0", "--report"],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let series = std::fs::read_to_string(dir.join("ts/timeseries.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(series.as_bytes());
    let header = rows.headers().unwrap().clone();
    assert!(series.starts_with("point,replicate,grants.budget,month,communities,"));
    let village = header.iter().position(|h| h == "economy_village").unwrap();
    let town = header
        .iter()
        .position(|h| h == "economy_small_town")
        .unwrap();
    let records: Vec<csv::StringRecord> = rows.records().map(|r| r.unwrap()).collect();
    assert!(records.iter().all(|r| r[village].is_empty()));
    assert!(records.iter().all(|r| !r[town].is_empty()));
    let html = std::fs::read_to_string(dir.join("ts/report.html")).unwrap();
    let at = html.find("id=\"series-economy_village\"").unwrap();
    assert!(html[at..at + 300].contains("not drawn: undefined"));
}

#[test]
fn a_key_given_twice_is_an_error_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("twice.toml"),
        "\"run.months\" = 12\n[run]\nmonths = 30\n",
    )
    .unwrap();
    check_fails_with(
        dir,
        "twice.toml",
        &[],
        "twice.toml:3:1: key `run.months`: given twice",
    );
    std::fs::write(dir.join("points.csv"), "grants.budget,grants.budget\n1,2\n").unwrap();
    let file = crisis_with(dir, "[sweep]\ndesign = \"file\"\nfile = \"points.csv\"\n");
    check_fails_with(dir, &file, &[], "points.csv:1: column 2 repeats the key");
    let crisis = scenario("pandemic-2020.toml");
    check_fails_with(
        dir,
        &crisis,
        &["--set", "run.months=12\nrun.seed=5"],
        "control character",
    );
}

#[test]
fn a_sobol_design_that_cannot_be_told_from_noise_is_warned_of() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let file = crisis_with(
        dir,
        "[sweep]\ndesign = \"sobol\"\nsamples = 4\n[sweep.parameters]\n\"grants.budget\" = { min = 5.0, max = 50.0 }\n\"community.recognition\" = { min = 0.2, max = 0.6 }\n",
    );
    let o = run_reduced(dir, &file, "noisy", "3", &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let analyzed = commsim(&["analyze", "noisy", "--quiet"], dir);
    assert!(analyzed.status.success(), "{}", text(&analyzed.stderr));
    assert!(
        text(&analyzed.stderr).contains("cannot be told from noise"),
        "{}",
        text(&analyzed.stderr)
    );
    assert!(commsim(&["report", "noisy", "--quiet"], dir)
        .status
        .success());
    let html = std::fs::read_to_string(dir.join("noisy/report.html")).unwrap();
    assert!(html.contains("cannot be told from noise"));
}

#[test]
fn the_scorecard_is_a_calibration_check_only_on_the_reference() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let what_if = scenario("grants-none.toml");
    let o = run_reduced(dir, &what_if, "whatif", "2", &["--report"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let html = std::fs::read_to_string(dir.join("whatif/report.html")).unwrap();
    assert!(html.contains("Not a validation."));
    assert!(html.contains("under this scenario (not a validation)"));
}

#[test]
fn check_speaks_in_singular_and_plural() {
    let tmp = tempfile::tempdir().unwrap();
    let o = commsim(
        &[
            "check",
            &scenario("pandemic-2020.toml"),
            "--set",
            "run.replicates=1",
        ],
        tmp.path(),
    );
    assert!(
        text(&o.stdout).contains("(1 design point x 1 replicate)"),
        "{}",
        text(&o.stdout)
    );
    let o = commsim(
        &[
            "check",
            &scenario("pandemic-2020.toml"),
            "--set",
            "community.type_mix.civic=0.75",
        ],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    let sum = err
        .split("sum to ")
        .nth(1)
        .and_then(|t| t.split(';').next())
        .unwrap();
    assert!(sum.len() <= 11 && sum.parse::<f64>().is_ok(), "{err}");
}

#[test]
fn a_signal_ends_a_run_saying_how_to_resume_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let sweep = scenario("sweep-grants-turnover.toml");
    let mut args: Vec<&str> = vec![
        "run",
        &sweep,
        "--out",
        "full",
        "--replicates",
        "30",
        "--quiet",
    ];
    args.extend_from_slice(SMALL);
    assert!(commsim(&args, dir).status.success());
    for (signal, code) in [("TERM", 143), ("INT", 130), ("HUP", 129)] {
        let out = format!("cut-{signal}");
        let mut args: Vec<String> = [
            "run",
            &sweep,
            "--out",
            &out,
            "--replicates",
            "30",
            "--quiet",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.extend(SMALL.iter().map(|s| s.to_string()));
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_commsim"))
            .args(&args)
            .current_dir(dir)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Signal once the first design point is on disk: the run is under way.
        let staged = dir.join(&out).join(".commsim-partial/runs.csv");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        while std::fs::read_to_string(&staged).map_or(true, |t| t.lines().count() < 31) {
            assert!(
                std::time::Instant::now() < deadline,
                "the run never started"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let killed = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let o = child.wait_with_output().unwrap();
        // 480 runs: the signal comes after the first 30, long before the last.
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(code), "{err}");
        assert!(
            err.contains(&format!("interrupted by SIG{signal}")),
            "{err}"
        );
        assert!(err.contains(".commsim-partial"), "{err}");
        assert!(
            !dir.join(&out).join(".commsim-lock").exists(),
            "the lock file goes"
        );
        let command = err
            .lines()
            .find(|l| l.trim_end().ends_with("--resume"))
            .unwrap_or_else(|| panic!("no resume command in {err}"));
        let words: Vec<&str> = command.split_whitespace().collect();
        let resumed = std::process::Command::new(words[0])
            .args(&words[1..])
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(resumed.status.success(), "{}", text(&resumed.stderr));
        for f in ["runs.csv", "summary.csv", "survival.csv"] {
            assert_eq!(
                std::fs::read(dir.join("full").join(f)).unwrap(),
                std::fs::read(dir.join(&out).join(f)).unwrap(),
                "{signal}: {f}"
            );
        }
    }
}

#[test]
fn sweep_options_the_design_would_ignore_are_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("points.csv"), "grants.budget\n10\n").unwrap();
    for (sweep, expect) in [
        (
            "design = \"file\"\nfile = \"points.csv\"\n[sweep.parameters]\n\"grants.budget\" = { min = 0.0, max = 1.0 }\n",
            "no [sweep.parameters] with design file",
        ),
        (
            "design = \"grid\"\nfile = \"points.csv\"\n[sweep.parameters]\n\"grants.budget\" = [1.0]\n",
            "only design file reads a file",
        ),
        (
            "design = \"lhs\"\nsecond_order = true\n[sweep.parameters]\n\"grants.budget\" = { min = 0.0, max = 1.0 }\n",
            "second-order terms belong to design sobol",
        ),
    ] {
        let file = crisis_with(dir, &format!("[sweep]\n{sweep}"));
        check_fails_with(dir, &file, &[], expect);
    }
}

#[test]
fn one_field_has_one_key_and_a_set_never_hides_under_a_sweep() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let crisis = scenario("pandemic-2020.toml");
    for key in ["shocks.00.severity", "shocks.+0.severity"] {
        check_fails_with(
            dir,
            &crisis,
            &["--set", &format!("{key}=0.5")],
            "is not a shock number",
        );
    }
    std::fs::write(
        dir.join("points.csv"),
        "shocks.0.severity,shocks.00.severity\n0.1,1\n",
    )
    .unwrap();
    let file = crisis_with(dir, "[sweep]\ndesign = \"file\"\nfile = \"points.csv\"\n");
    check_fails_with(dir, &file, &[], "is not a shock number");
    let grid = scenario("sweep-grants-turnover.toml");
    check_fails_with(
        dir,
        &grid,
        &["--set", "grants.budget=5"],
        "the sweep varies `grants.budget`",
    );
    check_fails_with(
        dir,
        &grid,
        &["--set", "sweep.samples=5"],
        "design grid has no samples",
    );
    check_fails_with(
        dir,
        &crisis,
        &["--set", "grants.budget=1e400"],
        "not a finite number",
    );
    let o = commsim(&["check", &crisis, "--set", "grants.budget=.5"], dir);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

#[test]
fn patterns_over_a_sweep_give_a_verdict_per_point_and_the_share_holding() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let file = crisis_with(
        dir,
        "[sweep]\ndesign = \"grid\"\n[sweep.parameters]\n\"crisis.pressing_tasks\" = [0.0, 0.35]\n",
    );
    let mut args = vec!["patterns", &file, "--replicates", "6", "--format", "csv"];
    args.extend_from_slice(SMALL);
    let o = commsim(&args, dir);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}",
        text(&o.stderr)
    );
    let out = text(&o.stdout);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "point,crisis.pressing_tasks,pattern_1,pattern_2,pattern_3,pattern_4,pattern_5,pattern_6"
    );
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[1].starts_with("0,0,") && lines[2].starts_with("1,0.35,"),
        "{out}"
    );
    let mut args = vec!["patterns", &file, "--replicates", "6"];
    args.extend_from_slice(SMALL);
    let table = text(&commsim(&args, dir).stdout);
    assert!(table.contains("of 2 points"), "{table}");
    assert!(table.contains("all 6 hold together at"), "{table}");
}

#[test]
fn a_sweep_says_what_it_varies_and_a_design_file_numbers_its_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let file = crisis_with(dir, "[sweep]\ndesign = \"lhs\"\nsamples = 5\n");
    check_fails_with(dir, &file, &[], "the sweep varies nothing");
    let file = crisis_with(
        dir,
        "[sweep]\ndesign = \"grid\"\nsamples = 5\n[sweep.parameters]\n\"grants.budget\" = [1.0]\n",
    );
    check_fails_with(dir, &file, &[], "grid and file designs have no samples");
    let file = crisis_with(
        dir,
        "[sweep]\ndesign = \"grid\"\n[sweep.parameters]\ngrants.budget = [1.0, 2.0]\n",
    );
    check_fails_with(dir, &file, &[], "a dotted key must be quoted");
    std::fs::write(dir.join("points.csv"), "point,grants.budget\n1,10\n0,20\n").unwrap();
    let file = crisis_with(dir, "[sweep]\ndesign = \"file\"\nfile = \"points.csv\"\n");
    check_fails_with(dir, &file, &[], "points.csv:2: point `1` on design point 0");
    // What `commsim design` prints reads back as the same design.
    let lhs = crisis_with(
        dir,
        "[sweep]\ndesign = \"sobol\"\nsamples = 6\n[sweep.parameters]\n\"grants.budget\" = { min = 1.0, max = 9.0 }\n",
    );
    let o = commsim(&["design", &lhs], dir);
    assert!(o.status.success());
    assert!(
        text(&o.stderr).contains("not a power of 2"),
        "{}",
        text(&o.stderr)
    );
    std::fs::write(dir.join("points.csv"), &o.stdout).unwrap();
    let again = commsim(&["design", &file], dir);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert_eq!(again.stdout, o.stdout);
    // A profile with more entries than months would lose a wave.
    check_fails_with(
        dir,
        &scenario("pandemic-2020.toml"),
        &["--set", "shocks.0.duration_months=6"],
        "12 entries over a shock of 6 months",
    );
}

#[test]
fn an_out_that_cannot_be_a_folder_exits_2_before_anything_is_made() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("afile"), "mine").unwrap();
    std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("dangling")).unwrap();
    for (out, expect) in [
        ("dangling", "a link that leads to no folder"),
        ("afile/below", "afile is a file"),
    ] {
        let o = run_small(dir, out, &[]);
        assert_eq!(o.status.code(), Some(2), "{out}: {}", text(&o.stderr));
        assert!(text(&o.stderr).contains(expect), "{}", text(&o.stderr));
    }
    assert!(!dir.join("nowhere").exists());
}
