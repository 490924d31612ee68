//! The command as a researcher uses it: each test gets a fresh folder, runs the `commsim`
//! binary and checks its files, output and exit status.

mod common;

use common::command::{commsim, run_reduced, run_small, run_small_n, scenario, text, SMALL};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Asserts that folders `a` and `b` below `dir` hold byte-identical `files`.
fn assert_same_files(dir: &Path, a: &str, b: &str, files: &[&str], why: &str) {
    for f in files {
        let left = std::fs::read(dir.join(a).join(f)).unwrap();
        let right = std::fs::read(dir.join(b).join(f)).unwrap();
        assert!(left == right, "{f} differs ({why}): {a} vs {b}");
    }
}

/// The result files of a run with time series.
const ALL_FILES: &[&str] = &["runs.csv", "summary.csv", "survival.csv", "timeseries.csv"];

/// The required outcome columns of INTERFACE.md.
const REQUIRED: &[&str] = &[
    "point",
    "replicate",
    "seed",
    "communities_start",
    "communities_end",
    "formed",
    "dissolved",
    "survival",
    "survival_civic",
    "survival_ngo",
    "survival_cultural",
    "survival_entrepreneurial",
    "survival_municipal",
    "survival_registered",
    "survival_unregistered",
    "crisis_dissolution",
    "crisis_dissolution_civic",
    "crisis_dissolution_ngo",
    "crisis_dissolution_cultural",
    "crisis_dissolution_entrepreneurial",
    "crisis_dissolution_municipal",
    "stance_integration",
    "stance_neutrality",
    "stance_confrontation",
    "grant_applications",
    "grants_won",
    "grant_money",
    "external_money",
    "development_gain_village",
    "development_gain_small_town",
    "development_gain_large_city",
    "economy_drop_village",
    "economy_drop_small_town",
    "economy_drop_large_city",
    "activity_drop_village",
    "activity_drop_small_town",
    "activity_drop_large_city",
    "horizon_before",
    "horizon_during",
    "horizon_after",
    "volunteer_share_before",
    "volunteer_share_during",
    "prophecy_positive",
    "members_start",
    "members_end",
    "youth_left",
    "admin_changes",
];

#[test]
fn a_run_writes_every_file_with_the_required_columns() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_small(tmp.path(), "out", &["--set", "output.timeseries=true"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let dir = tmp.path().join("out");
    for f in [
        "runs.csv",
        "summary.csv",
        "survival.csv",
        "timeseries.csv",
        "manifest.json",
    ] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    assert!(
        !dir.join(".commsim-partial").exists(),
        "staging folder left behind"
    );
    let runs = std::fs::read_to_string(dir.join("runs.csv")).unwrap();
    let header: Vec<&str> = runs.lines().next().unwrap().split(',').collect();
    for col in REQUIRED {
        assert!(header.contains(col), "runs.csv lacks {col}");
    }
    assert_eq!(runs.lines().count(), 5, "a header and four runs");
    let summary = std::fs::read_to_string(dir.join("summary.csv")).unwrap();
    assert!(summary
        .starts_with("point,outcome,n,mean,sd,ci95_low,ci95_high,min,p05,p25,median,p75,p95,max"));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    for key in [
        "version",
        "resolved_scenario",
        "scenario_sha256",
        "master_seed",
        "threads",
        "runs",
        "start_time",
        "end_time",
    ] {
        assert!(manifest.get(key).is_some(), "manifest lacks {key}");
    }
    assert_eq!(manifest["runs"], 4);
    let survival = std::fs::read_to_string(dir.join("survival.csv")).unwrap();
    assert!(survival
        .starts_with("point,type,month,at_risk,events,censored,survival,ci95_low,ci95_high"));
}

#[test]
fn outputs_are_byte_identical_for_any_thread_count_and_rerun() {
    let tmp = tempfile::tempdir().unwrap();
    for (out, threads) in [("t1", "1"), ("t2", "2"), ("t2b", "2")] {
        let o = run_small_n(
            tmp.path(),
            out,
            "9",
            &["--threads", threads, "--set", "output.timeseries=true"],
        );
        assert!(o.status.success(), "{}", text(&o.stderr));
    }
    assert_same_files(tmp.path(), "t1", "t2", ALL_FILES, "1 and 2 threads");
    assert_same_files(tmp.path(), "t2", "t2b", ALL_FILES, "reruns");
}

#[test]
fn a_second_run_into_a_results_folder_is_refused_and_keeps_the_first() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(run_small(tmp.path(), "out", &[]).status.success());
    let before = std::fs::read(tmp.path().join("out/runs.csv")).unwrap();
    let again = run_small(tmp.path(), "out", &["--seed", "7"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        text(&again.stderr).contains("--force"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(
        before,
        std::fs::read(tmp.path().join("out/runs.csv")).unwrap()
    );
    let forced = run_small(tmp.path(), "out", &["--seed", "7", "--force"]);
    assert!(forced.status.success());
    assert_ne!(
        before,
        std::fs::read(tmp.path().join("out/runs.csv")).unwrap()
    );
}

/// (file content, extra arguments, substrings the error must contain).
const BAD_INPUTS: &[(&str, &[&str], &[&str])] = &[
    (
        "[community]\nrecogniton = 0.2\n",
        &[],
        &[
            "bad.toml:2:1",
            "community.recogniton",
            "did you mean `community.recognition`",
        ],
    ),
    (
        "[run]\nmonths = \"ten\"\n",
        &[],
        &["bad.toml:2:1", "run.months", "whole number"],
    ),
    (
        "[territory.village]\nyouth_outflow = -0.1\n",
        &[],
        &[
            "bad.toml:2:1",
            "territory.village.youth_outflow",
            "from 0 to 1",
        ],
    ),
    (
        "[grants]\nbudget = nan\n",
        &[],
        &["grants.budget", "not finite"],
    ),
    (
        "[community.type_mix]\ncivic = 0.5\nngo = 0.5\n",
        &[],
        &["bad.toml:2:1", "community.type_mix.civic", "sum of 1"],
    ),
    (
        "[[shocks]]\nstart_month = 2\nduration_months = 3\nseverity = 2\nkind = \"pandemic\"\n",
        &[],
        &["bad.toml:4:1", "shocks.0.severity", "from 0 to 1"],
    ),
    (
        "[[shocks]]\nstart_month = 99\nduration_months = 3\nseverity = 0.5\n",
        &[],
        &["shocks.0.start_month", "inside the run"],
    ),
    ("[run\nmonths = 3\n", &[], &["bad.toml:1:", "invalid TOML"]),
    (
        "",
        &["--set", "grants.enabled"],
        &["--set `grants.enabled`", "KEY=VALUE"],
    ),
    (
        "",
        &["--set", "grants.enabled=maybe"],
        &["grants.enabled", "true or false"],
    ),
    (
        "",
        &["--set", "policy.training=-1"],
        &["policy.training", "from 0 to 100"],
    ),
    (
        "[territory.large_city]\npopulation = 1000000000000\n",
        &[],
        &["territory.large_city.population", "from 1 to"],
    ),
    (
        "[territory.large_city]\nagent_scale = 10\n",
        &[],
        &["territory.large_city.agent_scale", "agents per community"],
    ),
    (
        "[region]\nvillages = 0\nsmall_towns = 0\nlarge_cities = 0\n",
        &[],
        &["no territories"],
    ),
    // Unknown keys at every depth.
    ("foo = 1\n", &[], &["bad.toml:1:1", "key `foo`", "unknown key"]),
    (
        "[territory.village.extra]\nx = 1\n",
        &[],
        &["bad.toml:1:", "territory.village.extra", "unknown key"],
    ),
    (
        "[development.rate]\nzzz = 0.1\n",
        &[],
        &["bad.toml:2:1", "development.rate.zzz", "unknown key"],
    ),
    (
        "[[shocks]]\nstart_month = 2\nseverity = 0.5\nbogus = 1\n",
        &[],
        &["bad.toml:4:1", "shocks.0.bogus", "allowed: start_month"],
    ),
    (
        "[sweep]\ndesign = \"grid\"\n[sweep.parameters]\n\"nope.key\" = [1, 2]\n",
        &[],
        &["bad.toml:4:1", "nope.key", "unknown key"],
    ),
    // Wrong types.
    (
        "[region]\nvillages = 2.5\n",
        &[],
        &["bad.toml:2:1", "region.villages", "whole number"],
    ),
    (
        "[[shocks]]\nkind = 3\n",
        &[],
        &["bad.toml:2:1", "shocks.0.kind", "pandemic, economic, disaster"],
    ),
    (
        "[sweep]\ndesign = \"grid\"\n[sweep.parameters]\n\"grants.budget\" = [1, \"x\"]\n",
        &[],
        &["bad.toml:4:1", "grants.budget", "found a string"],
    ),
    // Negative, infinite values.
    (
        "[run]\nseed = -1\n",
        &[],
        &["bad.toml:2:1", "run.seed", "whole number from 0"],
    ),
    (
        "[grants]\nbudget = -inf\n",
        &[],
        &["bad.toml:2:1", "grants.budget", "not finite"],
    ),
    // Absurd sizes: clear errors, never an abort.
    (
        "[run]\nmonths = 1000000000\n",
        &[],
        &["bad.toml:2:1", "run.months", "from 1 to 1200"],
    ),
    (
        "[run]\nreplicates = 100000000\n",
        &[],
        &["run.replicates", "from 1 to 1000000"],
    ),
    (
        "[region]\nvillages = 100000\nsmall_towns = 100000\n",
        &[],
        &["at most 50000000", "resident agents"],
    ),
    (
        "[sweep]\ndesign = \"lhs\"\nsamples = 1000000000000\n",
        &[],
        &["bad.toml:3:1", "sweep.samples", "from 1 to 10000000"],
    ),
    (
        "[sweep]\ndesign = \"grid\"\n[sweep.parameters]\n\"grants.budget\" = [1,2,3,4,5,6,7,8,9,10]\n\"policy.training\" = [1,2,3,4,5,6,7,8,9,10]\n\"policy.museum_support\" = [1,2,3,4,5,6,7,8,9,10]\n\"policy.leader_support\" = [1,2,3,4,5,6,7,8,9,10]\n\"policy.exit_corridors\" = [1,2,3,4,5,6,7,8,9,10]\n\"policy.social_venture\" = [1,2,3,4,5,6,7,8,9,10]\n\"policy.cultural_support\" = [1,2,3,4,5,6,7,8,9,10]\n\"policy.research_transfer\" = [1,2,3,4,5,6,7,8,9,10]\n",
        &[],
        &["sweep.design", "100000000 points", "at most 10000000"],
    ),
    // Grant level shares that do not sum to 1.
    (
        "[grants.federal]\nshare = 0.9\n",
        &[],
        &["grants.", "share", "sum"],
    ),
];

#[test]
fn bad_input_exits_2_naming_file_line_key_and_what_is_allowed() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("bad.toml");
    for (content, extra, expect) in BAD_INPUTS {
        std::fs::write(&file, content).unwrap();
        let mut args = vec!["check", "bad.toml"];
        args.extend_from_slice(extra);
        let out = commsim(&args, tmp.path());
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{content:?} {extra:?}: {err}");
        for e in *expect {
            assert!(
                err.contains(e),
                "{content:?} {extra:?}: expected `{e}` in: {err}"
            );
        }
        assert!(
            text(&out.stdout).is_empty(),
            "nothing on stdout for bad input"
        );
    }
}

#[test]
fn unreadable_scenarios_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("latin1.toml"), b"name = \"caf\xe9\"\n").unwrap();
    std::fs::create_dir(tmp.path().join("folder.toml")).unwrap();
    for (file, expect) in [
        ("missing.toml", "cannot read"),
        ("folder.toml", "folder"),
        ("latin1.toml", "UTF-8"),
    ] {
        let out = commsim(&["run", file, "--quiet"], tmp.path());
        assert_eq!(out.status.code(), Some(2), "{file}");
        assert!(
            text(&out.stderr).contains(expect),
            "{file}: {}",
            text(&out.stderr)
        );
        assert!(
            !tmp.path().join("results").exists(),
            "{file}: a failed run created results"
        );
    }
    let out = commsim(&["run"], tmp.path());
    assert_eq!(out.status.code(), Some(2), "missing argument");
}

#[test]
fn an_empty_file_is_the_baseline_and_check_round_trips() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("empty.toml"), "").unwrap();
    let out = commsim(
        &["check", "empty.toml", "--set", "community.recognition=0.3"],
        tmp.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let resolved = text(&out.stdout);
    assert!(resolved.contains("recognition = 0.3"));
    assert!(resolved.contains("# runs: 20"));
    std::fs::write(tmp.path().join("resolved.toml"), &resolved).unwrap();
    let again = commsim(&["check", "resolved.toml"], tmp.path());
    assert!(again.status.success(), "{}", text(&again.stderr));
    // The same but for the file name and the estimate, which is timed on this machine.
    let stable = |t: &str| -> Vec<String> {
        t.lines()
            .skip(1)
            .filter(|l| !l.starts_with("# cost:") && !l.starts_with("# estimate:"))
            .map(String::from)
            .collect()
    };
    assert_eq!(stable(&text(&again.stdout)), stable(&resolved));
}

/// Every scenario key of INTERFACE.md (per-class and per-type keys expanded).
fn interface_keys() -> Vec<String> {
    let mut keys: Vec<String> = [
        "name",
        "run.months",
        "run.replicates",
        "run.seed",
        "region.villages",
        "region.small_towns",
        "region.large_cities",
        "community.registered_share",
        "community.tie_diversity",
        "community.human_capital",
        "community.recognition",
        "community.business_skills",
        "community.value_platform",
        "community.formation_rate",
        "leadership.external_orientation",
        "leadership.burnout",
        "administration.head_turnover",
        "administration.openness",
        "administration.inclusion",
        "grants.enabled",
        "grants.budget",
        "grants.calls_per_year",
        "grants.coapplication",
        "sweep.design",
        "sweep.samples",
        "sweep.file",
        "output.timeseries",
        "shocks.N.start_month",
        "shocks.N.duration_months",
        "shocks.N.severity",
        "shocks.N.kind",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for class in ["village", "small_town", "large_city"] {
        for f in [
            "population",
            "communities",
            "public_sector_share",
            "business_density",
            "development",
            "youth_outflow",
            "scarcity_habit",
        ] {
            keys.push(format!("territory.{class}.{f}"));
        }
    }
    for t in ["civic", "ngo", "cultural", "entrepreneurial", "municipal"] {
        keys.push(format!("community.type_mix.{t}"));
    }
    for l in [
        "social_venture",
        "cultural_support",
        "territory_marketing",
        "newcomer_dialogue",
        "competence_centres",
        "communication_platforms",
        "development_centres",
        "training",
        "museum_support",
        "exit_corridors",
        "leader_support",
        "research_transfer",
    ] {
        keys.push(format!("policy.{l}"));
    }
    keys
}

#[test]
fn params_lists_every_interface_key_in_each_format() {
    let tmp = tempfile::tempdir().unwrap();
    let csv_out = text(&commsim(&["params", "--format", "csv"], tmp.path()).stdout);
    let listed: Vec<String> = csv_out
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().trim_matches('"').to_string())
        .collect();
    for key in interface_keys() {
        assert!(listed.contains(&key), "params does not list {key}");
    }
    assert!(csv_out.starts_with("key,default,range,unit,factors,meaning"));
    let md = text(&commsim(&["params", "--format", "markdown"], tmp.path()).stdout);
    assert!(md.contains("| `administration.head_turnover` | 0.25 |"));
    let table = text(&commsim(&["params"], tmp.path()).stdout);
    assert!(table
        .lines()
        .any(|l| l.starts_with("administration.head_turnover") && l.contains("B1")));
}

#[test]
fn every_shipped_scenario_checks_and_runs_reduced() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 2);
    for (i, file) in files.iter().enumerate() {
        let f = file.to_str().unwrap();
        let check = commsim(&["check", f], tmp.path());
        assert!(check.status.success(), "{f}: {}", text(&check.stderr));
        let out = format!("o{i}");
        let mut args = vec![
            "run",
            f,
            "--out",
            out.as_str(),
            "--replicates",
            "2",
            "--quiet",
        ];
        args.extend_from_slice(SMALL);
        let run = commsim(&args, tmp.path());
        assert!(run.status.success(), "{f}: {}", text(&run.stderr));
    }
}

#[test]
fn a_grid_sweep_runs_every_point_with_its_swept_columns() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = format!(
        "{}\n[sweep]\ndesign = \"grid\"\n[sweep.parameters]\n\"grants.enabled\" = [true, false]\n\"administration.head_turnover\" = [0.1, 1.0]\n",
        std::fs::read_to_string(scenario("pandemic-2020.toml")).unwrap()
    );
    std::fs::write(tmp.path().join("sweep.toml"), sweep).unwrap();
    let design = commsim(&["design", "sweep.toml"], tmp.path());
    assert!(design.status.success(), "{}", text(&design.stderr));
    assert_eq!(
        text(&design.stdout),
        "point,grants.enabled,administration.head_turnover\n0,true,0.1\n1,true,1\n2,false,0.1\n3,false,1\n"
    );
    let out = run_reduced(tmp.path(), "sweep.toml", "out", "2", &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let runs = std::fs::read_to_string(tmp.path().join("out/runs.csv")).unwrap();
    let lines: Vec<&str> = runs.lines().collect();
    assert!(lines[0].starts_with(
        "point,replicate,seed,grants.enabled,administration.head_turnover,communities_start"
    ));
    assert_eq!(lines.len(), 1 + 4 * 2);
    assert!(
        lines[5].starts_with("2,0,") && lines[5].contains(",false,0.1,"),
        "{}",
        lines[5]
    );
    let summary = std::fs::read_to_string(tmp.path().join("out/summary.csv")).unwrap();
    assert!(summary
        .lines()
        .any(|l| l.starts_with("3,false,1,admin_changes,2,")));
    let one = run_reduced(tmp.path(), "sweep.toml", "one", "2", &["--threads", "1"]);
    assert!(one.status.success());
    assert_same_files(tmp.path(), "one", "out", &ALL_FILES[..3], "1 and 2 threads");
}

#[test]
fn a_design_file_runs_its_points_and_bad_files_are_located() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("points.csv"),
        "grants.budget,community.recognition\n0,0.2\n300,0.8\n",
    )
    .unwrap();
    let base = std::fs::read_to_string(scenario("pandemic-2020.toml")).unwrap();
    std::fs::write(
        tmp.path().join("s.toml"),
        format!("{base}\n[sweep]\ndesign = \"file\"\nfile = \"points.csv\"\n"),
    )
    .unwrap();
    let out = run_reduced(tmp.path(), "s.toml", "out", "2", &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let runs = std::fs::read_to_string(tmp.path().join("out/runs.csv")).unwrap();
    assert!(runs.starts_with("point,replicate,seed,grants.budget,community.recognition,"));
    assert_eq!(runs.lines().count(), 1 + 2 * 2);
    for (content, expect) in [
        ("grants.budgte\n3\n", "did you mean `grants.budget`"),
        (
            "grants.budget,community.recognition\n3\n",
            "points.csv:2: 1 columns",
        ),
        ("grants.budget\nlots\n", "grants.budget"),
        ("community.recognition\n1.5\n", "from 0 to 1"),
        (
            "grants.budget,community.recognition\n3,0.5,7\n",
            "points.csv:2: 3 columns",
        ),
        (
            "grants.budget,\n3,4\n",
            "points.csv:1: column 2 has no name",
        ),
    ] {
        std::fs::write(tmp.path().join("points.csv"), content).unwrap();
        let o = commsim(&["check", "s.toml"], tmp.path());
        assert_eq!(o.status.code(), Some(2), "{content:?}");
        assert!(
            text(&o.stderr).contains(expect),
            "{content:?}: {}",
            text(&o.stderr)
        );
    }
}

#[test]
fn a_sobol_sweep_is_analysed_into_sensitivity_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = scenario("sweep-sobol.toml");
    let design = commsim(&["design", &sweep], tmp.path());
    assert_eq!(text(&design.stdout).lines().count(), 1 + 32 * 8);
    assert!(run_reduced(tmp.path(), &sweep, "out", "1", &[])
        .status
        .success());
    let analyzed = commsim(&["analyze", "out", "--quiet"], tmp.path());
    assert!(analyzed.status.success(), "{}", text(&analyzed.stderr));
    let csv = std::fs::read_to_string(tmp.path().join("out/sensitivity.csv")).unwrap();
    assert!(csv.starts_with(
        "outcome,parameter,S1,S1_conf,ST,ST_conf,S2,S2_conf,replicate_noise,base_points\n"
    ));
    assert_eq!(
        csv.lines().filter(|l| l.starts_with("survival,")).count(),
        6
    );
    let not_sobol = run_small(tmp.path(), "plain", &[]);
    assert!(not_sobol.status.success());
    let refused = commsim(&["analyze", "plain"], tmp.path());
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("design sobol"));
}

#[test]
fn twenty_kill_9_then_resume_give_the_files_of_an_uninterrupted_run() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = scenario("sweep-grants-turnover.toml");
    let mut args = vec![
        "run",
        sweep.as_str(),
        "--replicates",
        "40",
        "--quiet",
        "--set",
        "output.timeseries=true",
    ];
    args.extend_from_slice(SMALL);
    let with = |out: &str, extra: &[&str]| -> Vec<String> {
        let mut a: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        a.extend(["--out".to_string(), out.to_string()]);
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let full = Command::new(env!("CARGO_BIN_EXE_commsim"))
        .args(with("full", &[]))
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert!(full.status.success(), "{}", text(&full.stderr));
    // Interrupt the run at several moments; each time, resume it (and interrupt the resumed run).
    // Twenty kills at pseudo-random moments between 20 and 400 ms after each start.
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let delays: Vec<u64> = (0..20)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            20 + state % 380
        })
        .collect();
    let mut first = true;
    for delay_ms in delays {
        let extra: &[&str] = if first { &[] } else { &["--resume"] };
        first = false;
        let mut child = Command::new(env!("CARGO_BIN_EXE_commsim"))
            .args(with("cut", extra))
            .current_dir(tmp.path())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
    }
    let last = Command::new(env!("CARGO_BIN_EXE_commsim"))
        .args(with("cut", &["--resume"]))
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert!(last.status.success(), "{}", text(&last.stderr));
    assert_same_files(tmp.path(), "full", "cut", ALL_FILES, "kill -9 and --resume");
    assert!(!tmp.path().join("cut/.commsim-partial").exists());
    let again = Command::new(env!("CARGO_BIN_EXE_commsim"))
        .args(with("cut", &["--resume"]))
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert!(again.status.success(), "a finished run resumes to nothing");
    let nothing = Command::new(env!("CARGO_BIN_EXE_commsim"))
        .args(with("empty", &["--resume"]))
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert_eq!(nothing.status.code(), Some(2));
}

#[test]
fn resuming_with_other_options_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let staging = tmp.path().join("out/.commsim-partial");
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::write(staging.join("plan.txt"), "commsim 0\nsomething else").unwrap();
    let o = run_small(tmp.path(), "out", &["--resume"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("another scenario"),
        "{}",
        text(&o.stderr)
    );
    let o = run_small(tmp.path(), "out", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("--resume"), "{}", text(&o.stderr));
}

/// Column `name` of a CSV file as numbers, by row.
fn csv_column(path: &Path, name: &str) -> Vec<f64> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let k = header.iter().position(|h| *h == name).unwrap();
    lines
        .map(|l| l.split(',').nth(k).unwrap().parse().unwrap())
        .collect()
}

#[test]
fn manifest_agent_months_equal_a_count_from_the_outputs() {
    // Without burn-in, a run steps the residents (communities) present at the start of each
    // month: those at month 0, then those at the end of months 0 .. M-2 (timeseries.csv).
    let tmp = tempfile::tempdir().unwrap();
    let months = 24usize;
    let o = run_small_n(
        tmp.path(),
        "out",
        "3",
        &[
            "--set",
            "run.burn_in=0",
            "--set",
            "run.months=24",
            "--set",
            "output.timeseries=true",
            // Without the no-shock twins, whose months count too but are not in the outputs.
            "--set",
            "output.counterfactual=false",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let dir = tmp.path().join("out");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let series = dir.join("timeseries.csv");
    let month = csv_column(&series, "month");
    for (start, series_name, key) in [
        ("residents_start", "residents", "resident_months"),
        ("communities_start", "communities", "community_months"),
    ] {
        let at_start: f64 = csv_column(&dir.join("runs.csv"), start).iter().sum();
        let later: f64 = csv_column(&series, series_name)
            .iter()
            .zip(&month)
            .filter(|(_, m)| (**m as usize) < months - 1)
            .map(|(v, _)| v)
            .sum();
        assert_eq!(
            manifest["throughput"][key].as_f64().unwrap(),
            at_start + later,
            "{key}"
        );
    }
    assert_eq!(manifest["throughput"]["runs_simulated"], 3);
}

#[test]
fn a_single_large_run_is_identical_on_one_and_two_threads() {
    // One region of 3,000 villages: territories step in parallel inside the run.
    let tmp = tempfile::tempdir().unwrap();
    for threads in ["1", "2"] {
        let o = commsim(
            &[
                "run",
                &scenario("pandemic-2020.toml"),
                "--out",
                threads,
                "--replicates",
                "1",
                "--quiet",
                "--threads",
                threads,
                "--set",
                "region.villages=3000",
                "--set",
                "territory.village.population=100",
                "--set",
                "region.small_towns=0",
                "--set",
                "run.burn_in=0",
                "--set",
                "run.months=24",
                "--set",
                "output.timeseries=true",
            ],
            tmp.path(),
        );
        assert!(o.status.success(), "{}", text(&o.stderr));
    }
    assert_same_files(tmp.path(), "1", "2", ALL_FILES, "1 and 2 threads");
}

#[test]
fn a_second_process_writing_into_the_same_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let pandemic = scenario("pandemic-2020.toml");
    let mut first: Vec<&str> = vec!["run", &pandemic, "--out", "out", "--quiet"];
    first.extend_from_slice(SMALL);
    first.extend_from_slice(&["--replicates", "100000"]);
    let mut a = Command::new(env!("CARGO_BIN_EXE_commsim"))
        .args(&first)
        .current_dir(tmp.path())
        .spawn()
        .unwrap();
    let plan = tmp.path().join("out/.commsim-partial/plan.txt");
    let start = std::time::Instant::now();
    while !plan.exists() {
        assert!(
            start.elapsed().as_secs() < 30,
            "the first run did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    for extra in [&[][..], &["--force"], &["--resume"]] {
        let o = run_small_n(tmp.path(), "out", "100000", extra);
        assert_eq!(o.status.code(), Some(2), "{extra:?}");
        assert!(
            text(&o.stderr).contains("another commsim process is writing into"),
            "{extra:?}: {}",
            text(&o.stderr)
        );
    }
    assert!(a.try_wait().unwrap().is_none(), "the first run goes on");
    let _ = a.kill();
    let _ = a.wait();
    // Once the first process is gone, its lock is gone too: its run can be resumed (and the
    // partial files are those of one writer).
    let runs = std::fs::read_to_string(tmp.path().join("out/.commsim-partial/runs.csv")).unwrap();
    let mut ids: Vec<&str> = runs
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "no replicate written twice");
    let o = run_small_n(tmp.path(), "out", "3", &["--force"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

#[test]
fn a_panicking_run_is_named_and_the_finished_points_are_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = scenario("sweep-grants-turnover.toml");
    let args = |out: &str, extra: &[&str]| -> Vec<String> {
        let mut a: Vec<&str> = vec!["run", &sweep, "--out", out, "--replicates", "2", "--quiet"];
        a.extend_from_slice(SMALL);
        a.extend_from_slice(extra);
        a.iter().map(|s| s.to_string()).collect()
    };
    let run = |a: Vec<String>| {
        Command::new(env!("CARGO_BIN_EXE_commsim"))
            .args(a)
            .current_dir(tmp.path())
            .output()
            .unwrap()
    };
    assert!(run(args("full", &[])).status.success());
    // The seed of point 2, replicate 1, from the uninterrupted run.
    let runs = std::fs::read_to_string(tmp.path().join("full/runs.csv")).unwrap();
    let row = runs
        .lines()
        .find(|l| l.starts_with("2,1,"))
        .expect("point 2 exists");
    let seed = row.split(',').nth(2).unwrap().to_string();
    let o = run(args("cut", &["--fail-on-seed", &seed]));
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.contains(&format!(
            "run of point 2, replicate 1, seed {seed} panicked"
        )),
        "{err}"
    );
    assert!(err.contains("--resume"), "{err}");
    assert!(
        !tmp.path().join("cut/runs.csv").exists(),
        "no result that looks complete"
    );
    let kept = std::fs::read_to_string(tmp.path().join("cut/.commsim-partial/runs.csv")).unwrap();
    assert!(
        kept.lines().any(|l| l.starts_with("1,1,")),
        "points 0 and 1 are kept"
    );
    assert!(run(args("cut", &["--resume"])).status.success());
    assert_same_files(
        tmp.path(),
        "full",
        "cut",
        &ALL_FILES[..3],
        "a panic and --resume",
    );
}

#[test]
fn write_failures_are_clean_errors_and_leave_no_result_that_looks_complete() {
    let tmp = tempfile::tempdir().unwrap();
    // A full device on standard output.
    for args in [&["params"][..], &["check", &scenario("baseline.toml")]] {
        let o = Command::new(env!("CARGO_BIN_EXE_commsim"))
            .args(args)
            .stdout(std::fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let err = text(&o.stderr);
        assert!(
            err.contains("cannot write to standard output") && err.contains("No space left"),
            "{args:?}: {err}"
        );
    }
    // An output folder that cannot be created.
    let o = run_small(tmp.path(), "/proc/commsim-cannot-write-here", &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("cannot write /proc/commsim-cannot-write-here"),
        "{}",
        text(&o.stderr)
    );
    // A disk that fills up during the run: a 64 KiB tmpfs, where the system allows mounting.
    let disk = tmp.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&disk)
        .output()
        .is_ok_and(|o| o.status.success());
    if !mounted {
        eprintln!("note: cannot mount a tmpfs here; the full-disk case is not run");
        return;
    }
    let out = disk.join("out");
    let o = run_small_n(tmp.path(), out.to_str().unwrap(), "200", &[]);
    let listing = std::fs::read_dir(&out).map(|d| d.count());
    let _ = Command::new("umount").arg(&disk).status();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(err.contains("No space left on device"), "{err}");
    assert!(err.contains("--resume"), "{err}");
    // Only the staging folder (the lock file goes with the process): no runs.csv that looks
    // complete.
    assert_eq!(listing.unwrap(), 1);
}
