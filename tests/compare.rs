//! `commsim compare A B`: B against A on common random numbers, with the paired difference of
//! every outcome in differences.csv.

mod common;

use common::command::*;
use std::path::Path;

fn records(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

fn compare(dir: &Path, a: &str, b: &str, out: &str, extra: &[&str]) -> std::process::Output {
    let (a, b) = (scenario(a), scenario(b));
    let mut args = vec![
        "compare",
        &a,
        &b,
        "--out",
        out,
        "--replicates",
        "4",
        "--quiet",
    ];
    args.extend_from_slice(SMALL);
    args.extend_from_slice(extra);
    commsim(&args, dir)
}

#[test]
fn each_replicate_of_b_is_paired_with_the_same_replicate_of_a() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let o = compare(
        dir,
        "pandemic-2020.toml",
        "lever-l8-training.toml",
        "c",
        &[],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    for (file, out) in [("pandemic-2020.toml", "a"), ("lever-l8-training.toml", "b")] {
        let o = run_reduced(dir, &scenario(file), out, "4", &["--seed", "2020"]);
        assert!(o.status.success(), "{}", text(&o.stderr));
    }
    let (header, rows) = records(&dir.join("c/runs.csv"));
    // point, replicate, seed, the one key B changes, then the outcomes.
    assert_eq!(
        header[..4],
        ["point", "replicate", "seed", "policy.training"]
    );
    let (alone_header, a_rows) = records(&dir.join("a/runs.csv"));
    let (_, b_rows) = records(&dir.join("b/runs.csv"));
    assert_eq!(header[4..], alone_header[3..], "the same outcome columns");
    for r in 0..4 {
        let (a, b) = (&rows[r], &rows[4 + r]);
        assert_eq!((a[0].as_str(), b[0].as_str()), ("0", "1"));
        assert_eq!(a[2], b[2], "replicate {r} of A and B share a seed");
        assert_eq!(a[2], a_rows[r][2], "A's seeds are those of A run alone");
        assert_eq!(a[4..], a_rows[r][3..], "A's runs are A run alone");
        assert_eq!(
            b[4..],
            b_rows[r][3..],
            "B's runs are B run alone on A's seed"
        );
    }
    let (d_header, diffs) = records(&dir.join("c/differences.csv"));
    assert_eq!(
        d_header,
        [
            "outcome",
            "n",
            "mean_a",
            "mean_b",
            "difference",
            "sd",
            "ci95_low",
            "ci95_high",
            "correlation",
            "ci95_half_width",
            "independent_ci95_half_width"
        ]
    );
    assert_eq!(diffs.len(), header.len() - 4, "one row per outcome");
    let mut checked = 0;
    for d in &diffs {
        let k = header.iter().position(|h| *h == d[0]).unwrap();
        let pairs: Vec<(f64, f64)> = (0..4)
            .filter_map(|r| Some((rows[r][k].parse().ok()?, rows[4 + r][k].parse().ok()?)))
            .collect();
        assert_eq!(d[1], pairs.len().to_string(), "{}", d[0]);
        if pairs.is_empty() {
            assert!(d[2..].iter().all(String::is_empty), "{}", d[0]);
            continue;
        }
        let mean: f64 = pairs.iter().map(|(a, b)| b - a).sum::<f64>() / pairs.len() as f64;
        let got: f64 = d[4].parse().unwrap();
        assert!((got - mean).abs() <= 1e-9 * (1.0 + mean.abs()), "{}", d[0]);
        let (low, high): (f64, f64) = (d[6].parse().unwrap(), d[7].parse().unwrap());
        assert!(low <= got && got <= high, "{}", d[0]);
        checked += 1;
    }
    assert!(checked > 40, "most outcomes are defined: {checked}");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("c/manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["scenario_name"], "pandemic-2020");
    assert_eq!(
        manifest["comparison"]["b_scenario_name"],
        "lever-l8-training"
    );
    assert_eq!(
        manifest["comparison"]["differing_keys"],
        serde_json::json!(["policy.training"])
    );
    let report = commsim(&["report", "c", "--quiet"], dir);
    assert!(report.status.success(), "{}", text(&report.stderr));
    let html = std::fs::read_to_string(dir.join("c/report.html")).unwrap();
    assert!(html.contains("<section id=\"differences\">"));
    assert!(html.contains("<section id=\"crisis-excess\">"));
    assert!(html.contains("Scenario B of the comparison"));
    // A finished comparison is recognised as such by --resume.
    let again = compare(
        dir,
        "pandemic-2020.toml",
        "lever-l8-training.toml",
        "c",
        &["--resume"],
    );
    assert!(again.status.success(), "{}", text(&again.stderr));
}

#[test]
fn a_comparison_is_the_same_for_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for (out, threads) in [("one", "1"), ("two", "2")] {
        let o = compare(
            dir,
            "pandemic-2020.toml",
            "grants-bigger-budget.toml",
            out,
            &["--threads", threads],
        );
        assert!(o.status.success(), "{}", text(&o.stderr));
    }
    for f in ["runs.csv", "differences.csv", "summary.csv"] {
        assert_eq!(
            std::fs::read(dir.join("one").join(f)).unwrap(),
            std::fs::read(dir.join("two").join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn what_cannot_be_paired_is_refused_with_status_2() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("short.toml"),
        "name = \"short\"\n[run]\nmonths = 30\n",
    )
    .unwrap();
    let a = scenario("pandemic-2020.toml");
    let sweep = scenario("sweep-grants-turnover.toml");
    for (b, says) in [
        (sweep.as_str(), "[sweep]"),
        ("short.toml", "run.months"),
        ("missing.toml", "missing.toml"),
    ] {
        let o = commsim(&["compare", &a, b, "--out", "x", "--quiet"], dir);
        assert_eq!(o.status.code(), Some(2), "{b}: {}", text(&o.stderr));
        assert!(text(&o.stderr).contains(says), "{b}: {}", text(&o.stderr));
    }
    assert!(!dir.join("x").exists(), "nothing is written");
}
