//! Data a researcher can take anywhere: the outcome columns and files a run writes
//! (`output.outcomes`, `output.summary`, `output.survival`, `output.points`), points.csv with
//! every parameter of every design point, and gzip-compressed files (`output.compress`) that
//! every reader of a run's folder reads and `--resume` continues byte for byte.

mod common;

use common::command::*;
use std::io::Read;
use std::path::Path;

/// The text of a gzip file, every member of it (as gzip -dc, Python's gzip and pandas read it).
fn gunzip(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(&bytes[..2], [0x1f, 0x8b], "{} is gzip", path.display());
    let mut text = String::new();
    flate2::read::MultiGzDecoder::new(&bytes[..])
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn header(text: &str) -> Vec<&str> {
    text.lines().next().unwrap().split(',').collect()
}

/// The small grid sweep (16 points of 2 replicates) with `extra` arguments.
fn sweep(dir: &Path, out: &str, extra: &[&str]) -> std::process::Output {
    grid_sweep(dir, out, "2", extra)
}

#[test]
fn chosen_outcomes_keep_their_excess_twins_and_the_identity_columns() {
    let tmp = tempfile::tempdir().unwrap();
    let o = sweep(
        tmp.path(),
        "some",
        &[
            "--set",
            "output.outcomes=[\"crisis_dissolution\", \"survival\"]",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let dir = tmp.path().join("some");
    let runs = read(&dir.join("runs.csv"));
    // The list's order does not matter: runs.csv's order is kept, the twin beside its outcome.
    assert_eq!(
        header(&runs),
        [
            "point",
            "replicate",
            "seed",
            "grants.budget",
            "administration.head_turnover",
            "survival",
            "crisis_dissolution",
            "crisis_dissolution_excess"
        ]
    );
    assert_eq!(runs.lines().count(), 1 + 32);
    let summary = read(&dir.join("summary.csv"));
    let outcomes: std::collections::BTreeSet<&str> = summary
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(3).unwrap())
        .collect();
    assert_eq!(
        outcomes.into_iter().collect::<Vec<_>>(),
        [
            "crisis_dissolution",
            "crisis_dissolution_excess",
            "survival"
        ]
    );
    let outputs = &manifest(&dir)["outputs"];
    assert_eq!(
        outputs["chosen_outcomes"],
        serde_json::json!(["crisis_dissolution", "survival"])
    );
    assert_eq!(
        outputs["outcome_columns"],
        serde_json::json!([
            "survival",
            "crisis_dissolution",
            "crisis_dissolution_excess"
        ])
    );
    // The same columns as the full run's, value for value.
    assert!(sweep(tmp.path(), "all", &[]).status.success());
    let all = read(&tmp.path().join("all/runs.csv"));
    let columns = header(&all);
    let pick = |name: &str| columns.iter().position(|c| *c == name).unwrap();
    let kept = [
        "survival",
        "crisis_dissolution",
        "crisis_dissolution_excess",
    ]
    .map(pick);
    for (full, chosen) in all.lines().skip(1).zip(runs.lines().skip(1)) {
        let cells: Vec<&str> = full.split(',').collect();
        let mut expect: Vec<&str> = cells[..5].to_vec();
        expect.extend(kept.iter().map(|&k| cells[k]));
        assert_eq!(chosen, expect.join(","));
    }
    // An _excess name alone keeps only the excess.
    let o = run_small(
        tmp.path(),
        "excess",
        &["--set", "output.outcomes=crisis_dissolution_excess"],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let runs = read(&tmp.path().join("excess/runs.csv"));
    assert_eq!(
        header(&runs),
        ["point", "replicate", "seed", "crisis_dissolution_excess"]
    );
}

#[test]
fn files_left_out_are_not_written_and_the_report_says_what_it_cannot_show() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run_small(
        tmp.path(),
        "out",
        &[
            "--set",
            "output.summary=false",
            "--set",
            "output.survival=false",
            "--set",
            "output.points=false",
            "--set",
            "output.outcomes=survival",
            "--report",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let dir = tmp.path().join("out");
    assert_eq!(listing(&dir), ["manifest.json", "report.html", "runs.csv"]);
    assert_eq!(
        manifest(&dir)["outputs"]["files"],
        serde_json::json!(["runs.csv"])
    );
    let html = read(&dir.join("report.html"));
    assert!(
        html.contains("the run did not write survival.csv"),
        "survival note"
    );
    assert!(
        html.contains("Pattern scorecard: not scored") && html.contains("stance_neutrality"),
        "the scorecard names the outcomes it lacks"
    );
    assert!(html.contains("id=\"dist-survival\""));
    // A folder that lost a file the run wrote is still refused.
    let o = run_small(tmp.path(), "whole", &[]);
    assert!(o.status.success());
    std::fs::remove_file(tmp.path().join("whole/survival.csv")).unwrap();
    let o = commsim(&["report", "whole", "--quiet"], tmp.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("has no survival.csv"),
        "{}",
        text(&o.stderr)
    );
    // Resume of a finished run with the same choice does nothing; with another, it is refused.
    let same = [
        "--set",
        "output.summary=false",
        "--set",
        "output.survival=false",
        "--set",
        "output.points=false",
        "--set",
        "output.outcomes=survival",
        "--resume",
    ];
    assert!(run_small(tmp.path(), "out", &same).status.success());
    let o = run_small(tmp.path(), "out", &["--resume"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
}

#[test]
fn bad_output_keys_exit_2_naming_file_line_key_and_what_is_allowed() {
    let tmp = tempfile::tempdir().unwrap();
    for (body, expect) in [
        (
            "outcomes = [\"survival\", \"crisis_disolution\"]",
            "bad.toml:3:1: key `output.outcomes`: `crisis_disolution` is not an outcome; did you mean `crisis_dissolution`? allowed: the ",
        ),
        (
            "outcomes = [\"survival\", \"survival\"]",
            "bad.toml:3:1: key `output.outcomes`: `survival` is listed twice",
        ),
        (
            "outcomes = [1]",
            "bad.toml:3:1: key `output.outcomes`: found integer in the list; allowed: a list of names",
        ),
        ("compress = \"yes\"", "bad.toml:3:1: key `output.compress`: expected true or false"),
    ] {
        refuses_output_table(tmp.path(), body, expect);
    }
    let o = commsim(
        &[
            "check",
            &scenario("baseline.toml"),
            "--set",
            "output.outcomes=survival,nope",
        ],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("`nope` is not an outcome"), "{err}");
    for key in ["output.outcomes", "output.compress", "output.points"] {
        std::fs::write(
            tmp.path().join("sweep.toml"),
            format!("[sweep]\ndesign = \"grid\"\n[sweep.parameters]\n\"{key}\" = [true, false]\n"),
        )
        .unwrap();
        let o = commsim(&["check", "sweep.toml"], tmp.path());
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(
            err.contains("sweep.toml:4:1:") && err.contains("cannot be swept"),
            "{err}"
        );
    }
    assert!(!tmp.path().join("never").exists());
}

#[test]
fn points_csv_holds_every_parameter_of_every_point_the_same_at_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    for (out, threads) in [("t1", "1"), ("t2", "2")] {
        let o = sweep(tmp.path(), out, &["--threads", threads]);
        assert!(o.status.success(), "{}", text(&o.stderr));
    }
    let points = read(&tmp.path().join("t1/points.csv"));
    assert_eq!(points, read(&tmp.path().join("t2/points.csv")));
    let columns = header(&points);
    let params = commsim(&["params", "--format", "csv"], tmp.path());
    let keys: Vec<String> = text(&params.stdout)
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_string())
        .filter(|k| {
            !k.starts_with("shocks.")
                && !k.starts_with("sweep.")
                && !k.starts_with('"')
                && ![
                    "output.outcomes",
                    "output.summary",
                    "output.survival",
                    "output.points",
                    "output.compress",
                    "output.format",
                ]
                .contains(&k.as_str())
        })
        .collect();
    assert_eq!(columns[0], "point");
    assert_eq!(&columns[1..=keys.len()], keys, "registry order");
    assert_eq!(
        &columns[keys.len() + 1..],
        [
            "shocks.0.start_month",
            "shocks.0.duration_months",
            "shocks.0.severity",
            "shocks.0.kind",
            "shocks.0.profile"
        ]
    );
    let rows: Vec<Vec<&str>> = points
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 16, "one row per point");
    let col = |name: &str| columns.iter().position(|c| *c == name).unwrap();
    // One join gives every run every parameter: the swept values agree with runs.csv's.
    let runs = read(&tmp.path().join("t1/runs.csv"));
    for line in runs.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let row = &rows[cells[0].parse::<usize>().unwrap()];
        assert_eq!(row[0], cells[0]);
        assert_eq!(row[col("grants.budget")], cells[3]);
        assert_eq!(row[col("administration.head_turnover")], cells[4]);
    }
    // Values the scenario and --set resolved, at every point.
    for row in &rows {
        assert_eq!(row[col("name")], "sweep-grants-turnover");
        assert_eq!(row[col("region.villages")], "3");
        assert_eq!(row[col("run.burn_in")], "6");
        assert_eq!(row[col("grants.enabled")], "true");
        assert_eq!(row[col("shocks.0.kind")], "pandemic");
    }
}

/// A Sobol sweep of 16 small points, one replicate each.
fn sobol(dir: &Path) -> String {
    let base = read(Path::new(&scenario("pandemic-2020.toml")));
    std::fs::write(
        dir.join("sobol.toml"),
        format!("{base}\n[sweep]\ndesign = \"sobol\"\nsamples = 4\n[sweep.parameters]\n\"grants.budget\" = {{ min = 10.0, max = 200.0 }}\n\"community.recognition\" = {{ min = 0.2, max = 0.8 }}\n"),
    )
    .unwrap();
    "sobol.toml".into()
}

#[test]
fn compressed_files_are_the_plain_files_gzipped_and_every_reader_reads_them() {
    let tmp = tempfile::tempdir().unwrap();
    let file = sobol(tmp.path());
    let run = |out: &str, extra: &[&str]| {
        let mut args = vec!["--set", "output.timeseries=true"];
        args.extend_from_slice(extra);
        let o = run_reduced(tmp.path(), &file, out, "1", &args);
        assert!(o.status.success(), "{out}: {}", text(&o.stderr));
    };
    run("plain", &["--threads", "1"]);
    run("gz", &["--set", "output.compress=true", "--threads", "2"]);
    run("some", &["--set", "output.outcomes=survival,formed"]);
    let (plain, gz) = (tmp.path().join("plain"), tmp.path().join("gz"));
    let csv = ["runs", "summary", "survival", "timeseries", "points"];
    let mut expect: Vec<String> = csv.iter().map(|f| format!("{f}.csv.gz")).collect();
    expect.push("manifest.json".into());
    expect.sort();
    assert_eq!(listing(&gz), expect);
    for f in csv {
        assert_eq!(
            gunzip(&gz.join(format!("{f}.csv.gz"))),
            read(&plain.join(format!("{f}.csv"))),
            "{f}.csv.gz holds {f}.csv"
        );
    }
    let outputs = &manifest(&gz)["outputs"];
    assert_eq!(outputs["compressed"], true);
    assert_eq!(outputs["files"][0], "runs.csv.gz");
    // analyze and report read the compressed folder as the plain one.
    for dir in ["plain", "gz"] {
        for command in ["analyze", "report"] {
            let o = commsim(&[command, dir, "--quiet"], tmp.path());
            assert!(o.status.success(), "{command} {dir}: {}", text(&o.stderr));
        }
    }
    assert_eq!(
        read(&gz.join("sensitivity.csv")),
        read(&plain.join("sensitivity.csv"))
    );
    // With fewer outcomes, analyze gives the indices of those runs.csv has, the same numbers.
    let o = commsim(&["analyze", "some", "--quiet"], tmp.path());
    assert!(o.status.success(), "{}", text(&o.stderr));
    let some = read(&tmp.path().join("some/sensitivity.csv"));
    let all = read(&plain.join("sensitivity.csv"));
    let rows_of = |text: &str, outcome: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.starts_with(&format!("{outcome},")))
            .map(String::from)
            .collect()
    };
    let kept: std::collections::BTreeSet<&str> = some
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(kept.into_iter().collect::<Vec<_>>(), ["formed", "survival"]);
    for outcome in ["survival", "formed"] {
        assert_eq!(rows_of(&some, outcome), rows_of(&all, outcome), "{outcome}");
    }
    let figures = |dir: &Path| read(&dir.join("report.html")).matches("<figure").count();
    assert_eq!(figures(&gz), figures(&plain), "the same figures");
    // A run that fails part way resumes to the bytes of an uninterrupted compressed run.
    let runs = gunzip(&gz.join("runs.csv.gz"));
    let seed = runs
        .lines()
        .find(|l| l.starts_with("9,0,"))
        .unwrap()
        .split(',')
        .nth(2)
        .unwrap()
        .to_string();
    let cut = ["--set", "output.compress=true", "--fail-on-seed", &seed];
    let o = run_reduced(
        tmp.path(),
        &file,
        "cut",
        "1",
        &[&["--set", "output.timeseries=true"][..], &cut].concat(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert!(tmp
        .path()
        .join("cut/.commsim-partial/runs.csv.gz")
        .is_file());
    run("cut", &["--set", "output.compress=true", "--resume"]);
    for f in csv {
        let name = format!("{f}.csv.gz");
        assert!(
            std::fs::read(gz.join(&name)).unwrap()
                == std::fs::read(tmp.path().join("cut").join(&name)).unwrap(),
            "{name} after --resume"
        );
    }
}

#[test]
fn a_forced_run_replaces_plain_files_by_compressed_ones_and_compare_keeps_the_chosen_outcomes() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(run_small(tmp.path(), "out", &[]).status.success());
    let o = run_small(
        tmp.path(),
        "out",
        &["--force", "--set", "output.compress=true"],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let names = listing(&tmp.path().join("out"));
    assert_eq!(
        names,
        [
            "manifest.json",
            "points.csv.gz",
            "runs.csv.gz",
            "summary.csv.gz",
            "survival.csv.gz"
        ],
        "no plain file of the older run stays beside the new one"
    );
    let (a, b) = (
        scenario("pandemic-2020.toml"),
        scenario("lever-l8-training.toml"),
    );
    let mut args = vec![
        "compare",
        &a,
        &b,
        "--out",
        "cmp",
        "--replicates",
        "3",
        "--quiet",
        "--set",
        "output.outcomes=survival,crisis_dissolution",
        "--set",
        "output.compress=true",
    ];
    args.extend_from_slice(SMALL);
    let o = commsim(&args, tmp.path());
    assert!(o.status.success(), "{}", text(&o.stderr));
    let differences = gunzip(&tmp.path().join("cmp/differences.csv.gz"));
    let outcomes: Vec<&str> = differences
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(
        outcomes,
        [
            "survival",
            "crisis_dissolution",
            "crisis_dissolution_excess"
        ]
    );
    let o = commsim(&["report", "cmp", "--quiet"], tmp.path());
    assert!(o.status.success(), "{}", text(&o.stderr));
}

/// The estimated megabytes of one file in check's cost line (`runs.csv.gz 0.074 MB`).
fn estimated_mb(check: &str, file: &str) -> Option<f64> {
    let cost = check.lines().find(|l| l.starts_with("# cost:")).unwrap();
    let at = cost.find(&format!("{file} "))?;
    let rest = &cost[at + file.len() + 1..];
    Some(rest.split(' ').next().unwrap().parse().unwrap())
}

#[test]
fn check_sizes_the_files_a_run_chooses_compressed_or_not() {
    let tmp = tempfile::tempdir().unwrap();
    for (out, sets) in [
        ("gz", &["--set", "output.compress=true"][..]),
        (
            "some",
            &[
                "--set",
                "output.outcomes=survival",
                "--set",
                "output.survival=false",
            ][..],
        ),
    ] {
        let file = scenario("sweep-grants-turnover.toml");
        let mut args = vec!["check", &file, "--set", "run.replicates=2"];
        args.extend_from_slice(SMALL);
        args.extend_from_slice(sets);
        let check = text(&commsim(&args, tmp.path()).stdout);
        let o = sweep(tmp.path(), out, sets);
        assert!(o.status.success(), "{}", text(&o.stderr));
        let files = manifest(&tmp.path().join(out))["outputs"]["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().to_string())
            .collect::<Vec<_>>();
        for file in &files {
            let estimate = estimated_mb(&check, file)
                .unwrap_or_else(|| panic!("{file} missing from the estimate: {check}"));
            let actual = std::fs::metadata(tmp.path().join(out).join(file))
                .unwrap()
                .len() as f64
                / 1e6;
            assert!(
                estimate < 2.0 * actual && actual < 2.0 * estimate,
                "{file}: estimated {estimate} MB, written {actual} MB"
            );
        }
        // Only the files the run writes are estimated.
        for file in ["survival.csv", "runs.csv", "summary.csv.gz"] {
            assert_eq!(
                estimated_mb(&check, file).is_some(),
                files.iter().any(|f| f == file),
                "{file}: {check}"
            );
        }
    }
}
