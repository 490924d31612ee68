//! Inputs at and beyond the limits of what commsim accepts: each is refused with exit status 2
//! and a message naming the file or option, the key and the limit, or accepted and handled in
//! time linear in its size. Also what `check` estimates and what `run` says while it runs.

mod common;

use common::command::*;
use std::path::Path;

/// Runs `commsim` and returns (exit status, stdout, stderr).
fn status(args: &[&str], dir: &Path) -> (Option<i32>, String, String) {
    let out = commsim(args, dir);
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

/// Asserts exit status 2 and every `expect` in stderr.
fn refused(args: &[&str], dir: &Path, expect: &[&str]) {
    let (code, _, err) = status(args, dir);
    assert_eq!(code, Some(2), "{args:?}: {err}");
    for e in expect {
        assert!(err.contains(e), "{args:?}: expected `{e}` in: {err}");
    }
}

/// A Sobol sweep over the severities of `k` shocks, after the `k` shocks themselves (a sweep
/// never adds a shock). The `[sweep.parameters]` table is on line 5 k + 4.
fn sobol_of(k: usize) -> String {
    let mut s = String::new();
    for _ in 0..k {
        s.push_str("[[shocks]]\nstart_month = 3\nduration_months = 2\nseverity = 0.5\n\n");
    }
    s.push_str("[sweep]\ndesign = \"sobol\"\nsamples = 2\n[sweep.parameters]\n");
    for i in 0..k {
        s.push_str(&format!(
            "\"shocks.{i}.severity\" = {{ min = 0.1, max = 0.9 }}\n"
        ));
    }
    s
}

#[test]
fn a_sobol_sweep_beyond_the_sequence_s_dimensions_is_refused_by_check_and_design() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("s129.toml"), sobol_of(129)).unwrap();
    std::fs::write(tmp.path().join("s128.toml"), sobol_of(128)).unwrap();
    for command in ["check", "design"] {
        refused(
            &[command, "s129.toml"],
            tmp.path(),
            &[
                &format!("s129.toml:{}:", 5 * 129 + 4),
                "sweep.parameters",
                "129 swept parameters",
                "at most 128",
            ],
        );
    }
    let (code, out, err) = status(&["design", "s128.toml"], tmp.path());
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out.lines().count(), 1 + 2 * (128 + 2));
}

#[test]
fn a_grid_over_a_hundred_thousand_values_checks() {
    let tmp = tempfile::tempdir().unwrap();
    let n = 100_000;
    let values: Vec<String> = (0..n).map(|i| format!("{}", i as f64 / n as f64)).collect();
    std::fs::write(
        tmp.path().join("g.toml"),
        format!(
            "[sweep]\ndesign = \"grid\"\n[sweep.parameters]\n\"community.recognition\" = [{}]\n",
            values.join(", ")
        ),
    )
    .unwrap();
    let (code, out, err) = status(&["check", "g.toml"], tmp.path());
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains(&format!(
            "# runs: {} ({n} design points x 20 replicates)",
            20 * n
        )),
        "{}",
        &out[..500]
    );
}

#[test]
fn endless_or_huge_scenario_and_design_files_stop_at_their_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let limit = 4 << 20;
    refused(
        &["check", "/dev/zero"],
        tmp.path(),
        &[
            "/dev/zero",
            "larger than 4 MiB (4194304 bytes)",
            "design = \"file\"",
        ],
    );
    // A file just over the limit, of comments only, and one just under it.
    let line = format!("# {}\n", "x".repeat(97));
    std::fs::write(tmp.path().join("big.toml"), line.repeat(limit / 100 + 1)).unwrap();
    refused(
        &["check", "big.toml"],
        tmp.path(),
        &["big.toml", "at most 4 MiB"],
    );
    std::fs::write(tmp.path().join("fits.toml"), line.repeat(limit / 100 - 1)).unwrap();
    assert_eq!(status(&["check", "fits.toml"], tmp.path()).0, Some(0));
    std::fs::write(
        tmp.path().join("d.toml"),
        "[sweep]\ndesign = \"file\"\nfile = \"/dev/zero\"\n",
    )
    .unwrap();
    refused(
        &["check", "d.toml"],
        tmp.path(),
        &["sweep.file", "/dev/zero:1: the line is longer than 1 MiB"],
    );
}

#[test]
fn a_shock_profile_has_at_most_one_entry_a_month_of_the_longest_run() {
    let tmp = tempfile::tempdir().unwrap();
    let profile = |n: usize| vec!["0.5"; n].join(", ");
    let shock = |n: usize| {
        format!(
            "[run]\nmonths = 1200\n[[shocks]]\nstart_month = 3\nduration_months = 1200\nseverity = 0.5\nprofile = [{}]\n",
            profile(n)
        )
    };
    std::fs::write(tmp.path().join("long.toml"), shock(1201)).unwrap();
    refused(
        &["check", "long.toml"],
        tmp.path(),
        &[
            "long.toml:7:1",
            "shocks.0.profile",
            "1201 entries",
            "at most 1200",
        ],
    );
    std::fs::write(tmp.path().join("fits.toml"), shock(1200)).unwrap();
    assert_eq!(status(&["check", "fits.toml"], tmp.path()).0, Some(0));
    // A profile is stretched over its shock: no more entries than months.
    refused(
        &[
            "check",
            "fits.toml",
            "--set",
            "shocks.0.duration_months=600",
        ],
        tmp.path(),
        &[
            "shocks.0.profile",
            "1200 entries over a shock of 600 months",
        ],
    );
    let set = format!("shocks.0.profile=[{}]", profile(1201));
    refused(
        &["check", "fits.toml", "--set", &set],
        tmp.path(),
        &["shocks.0.profile", "at most 1200"],
    );
}

#[test]
fn threads_beyond_the_limit_are_refused_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let file = scenario("pandemic-2020.toml");
    for threads in ["1000000", "1025", "0"] {
        let expect = [&format!("--threads {threads}"), "allowed: 1 to 1024"];
        let run = ["run", &file, "--threads", threads, "--quiet", "--out", "o"];
        refused(&run, tmp.path(), &expect);
        refused(
            &["patterns", &file, "--threads", threads],
            tmp.path(),
            &expect,
        );
    }
    assert!(!tmp.path().join("o").exists());
}

#[test]
fn any_u64_seed_is_accepted_from_the_option_the_set_and_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let manifest_seed = |out: &str| -> String {
        let m = std::fs::read_to_string(tmp.path().join(out).join("manifest.json")).unwrap();
        let v: serde_json::Value = serde_json::from_str(&m).unwrap();
        v["master_seed"].to_string()
    };
    let o = run_small_n(tmp.path(), "a", "1", &["--seed", "9223372036854775808"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(manifest_seed("a"), "9223372036854775808");
    let o = run_small_n(
        tmp.path(),
        "b",
        "1",
        &["--set", "run.seed=18446744073709551615"],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(manifest_seed("b"), "18446744073709551615");
    // In a file, beyond TOML's integers, a seed is a string of digits, as check prints it.
    std::fs::write(
        tmp.path().join("s.toml"),
        "[run]\nseed = \"18446744073709551615\"\n",
    )
    .unwrap();
    let (code, out, err) = status(&["check", "s.toml"], tmp.path());
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("seed = \"18446744073709551615\"\n"), "{out}");
    std::fs::write(
        tmp.path().join("i.toml"),
        "[run]\nseed = 9223372036854775808\n",
    )
    .unwrap();
    refused(
        &["check", "i.toml"],
        tmp.path(),
        &[
            "i.toml:2:8",
            "integers up to 9223372036854775807",
            "string of digits",
        ],
    );
    refused(
        &["check", "s.toml", "--set", "run.seed=18446744073709551616"],
        tmp.path(),
        &["run.seed", "out of range"],
    );
    refused(
        &["run", "s.toml", "--seed", "18446744073709551616"],
        tmp.path(),
        &["--seed"],
    );
}

/// The estimated megabytes of one file in check's cost line (`runs.csv 0.074 MB`).
fn estimated_mb(check: &str, file: &str) -> f64 {
    let cost = check.lines().find(|l| l.starts_with("# cost:")).unwrap();
    let at = cost
        .find(&format!("{file} "))
        .unwrap_or_else(|| panic!("{file} in {cost}"));
    let rest = &cost[at + file.len() + 1..];
    rest.split(' ').next().unwrap().parse().unwrap()
}

#[test]
fn check_estimates_from_a_probe_and_sizes_every_file_within_a_factor_of_two() {
    let tmp = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string(scenario("pandemic-2020.toml")).unwrap();
    std::fs::write(
        tmp.path().join("sweep.toml"),
        format!("{base}\n[sweep]\ndesign = \"grid\"\n[sweep.parameters]\n\"grants.budget\" = [50.0, 150.0, 300.0]\n\"community.recognition\" = [0.2, 0.8]\n"),
    )
    .unwrap();
    let mut args = vec![
        "check",
        "sweep.toml",
        "--set",
        "run.replicates=4",
        "--set",
        "output.timeseries=true",
    ];
    args.extend_from_slice(SMALL);
    let (code, check, err) = status(&args, tmp.path());
    assert_eq!(code, Some(0), "{err}");
    let probe = check
        .lines()
        .find(|l| l.starts_with("# estimate:"))
        .unwrap();
    assert!(
        probe.contains("from a probe of") && probe.contains(" s on one core"),
        "{probe}"
    );
    let o = run_reduced(
        tmp.path(),
        "sweep.toml",
        "out",
        "4",
        &["--set", "output.timeseries=true"],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    for file in ["runs.csv", "summary.csv", "survival.csv", "timeseries.csv"] {
        let estimate = estimated_mb(&check, file);
        let actual = std::fs::metadata(tmp.path().join("out").join(file))
            .unwrap()
            .len() as f64
            / 1e6;
        assert!(
            estimate > 0.0 && estimate < 2.0 * actual && actual < 2.0 * estimate,
            "{file}: estimated {estimate} MB, written {actual} MB"
        );
    }
}

#[test]
fn check_of_a_small_region_never_says_zero_megabytes() {
    let tmp = tempfile::tempdir().unwrap();
    let file = scenario("pandemic-2020.toml");
    let mut args = vec!["check", file.as_str(), "--set", "run.replicates=100"];
    args.extend_from_slice(SMALL);
    let (code, check, err) = status(&args, tmp.path());
    assert_eq!(code, Some(0), "{err}");
    let cost = check.lines().find(|l| l.starts_with("# cost:")).unwrap();
    let total: f64 = cost
        .split("; about ")
        .last()
        .and_then(|t| t.split(' ').next())
        .and_then(|mb| mb.parse().ok())
        .unwrap_or_else(|| panic!("no total in {cost}"));
    assert!(total > 0.0, "{cost}");
    assert!(check.contains("# estimate: from a probe of"), "{check}");
}

#[test]
fn off_a_terminal_a_run_prints_plain_progress_lines_unless_quiet() {
    let tmp = tempfile::tempdir().unwrap();
    let file = scenario("pandemic-2020.toml");
    let mut args = vec![
        "run",
        file.as_str(),
        "--out",
        "loud",
        "--replicates",
        "30",
        "--progress-interval",
        "0.01",
    ];
    args.extend_from_slice(SMALL);
    let (code, _, err) = status(&args, tmp.path());
    assert_eq!(code, Some(0), "{err}");
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("commsim: ")).collect();
    assert!(!lines.is_empty(), "{err}");
    for line in &lines {
        assert!(line.contains("/30 runs ("), "{line}");
    }
    let ticks: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.contains(" runs/s, ETA "))
        .collect();
    for line in ticks {
        // A rate with one decimal below 100 runs/s, or none above: never 5.5724/s.
        let rate = line.split(", ").nth(1).unwrap().trim_end_matches(" runs/s");
        let decimals = rate.split('.').nth(1).map_or(0, str::len);
        assert!(decimals <= 2, "{line}");
    }
    args[3] = "quiet";
    args.push("--quiet");
    let (code, _, err) = status(&args, tmp.path());
    assert_eq!(code, Some(0), "{err}");
    assert!(err.is_empty(), "--quiet prints nothing: {err}");
}
