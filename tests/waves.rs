//! The study's own observation (MODEL.md, section 8, "The study's waves"): a wave that does not
//! end within the run leaves its outcomes empty, and observing draws nothing from the model, so
//! every other outcome is the same whatever the study's windows and sample.

mod common;

use common::command::{run_small, text};
use commsim::experiment::{derive_seed, Model};
use commsim::model::config::Config;
use commsim::model::outcomes::wave_names;
use commsim::model::CommunityModel;

fn run(sets: &[&str]) -> Vec<(String, Option<f64>)> {
    let scenario = common::with_sets(&common::small_crisis(), sets);
    let config = Config::from_scenario(&scenario);
    let out = CommunityModel.run(&config, derive_seed(common::test_seed(), 0, 3));
    CommunityModel
        .outcome_names()
        .into_iter()
        .zip(out.outcomes)
        .collect()
}

fn is_wave(name: &str) -> bool {
    let base = name.strip_suffix("_excess").unwrap_or(name);
    wave_names().iter().any(|w| w == base)
}

#[test]
fn wave_outcomes_are_empty_when_the_run_ends_before_the_wave() {
    // 16 months: wave 1 (months 13-14) ends within the run, wave 2 (15-16) does not.
    let short = run(&["run.months=16"]);
    let get = |name: &str| short.iter().find(|(n, _)| n == name).unwrap().1;
    for o in ["activity", "volunteer_share", "horizon", "expectation"] {
        assert!(get(&format!("wave1_{o}")).is_some(), "wave1_{o}");
    }
    assert!(get("r1_sample").is_some_and(|n| n > 0.0));
    for (name, value) in &short {
        if is_wave(name) && !name.starts_with("wave1_") && name != "r1_sample" {
            assert_eq!(*value, None, "{name} should be empty in a 16-month run");
        }
    }
    // 14 months: wave 1 does not end either, so there is no cohort and no sample (a shock must
    // start within the run: it is moved to month 3).
    let shorter = run(&["run.months=14", "shocks.0.start_month=3"]);
    for (name, value) in &shorter {
        if is_wave(name) {
            assert_eq!(*value, None, "{name} should be empty in a 14-month run");
        }
    }
    // The default length observes all three waves and the sample to the last.
    let full = run(&[]);
    for (name, value) in &full {
        if is_wave(name) {
            assert!(
                value.is_some(),
                "{name} should be defined in a 48-month run"
            );
        }
    }
}

#[test]
fn observing_changes_no_other_outcome() {
    let default = run(&[]);
    let other = run(&[
        "observe.wave1_start=2",
        "observe.wave1_months=5",
        "observe.wave2_start=20",
        "observe.wave3_start=30",
        "observe.wave3_months=10",
        "observe.sample_size=3",
        "observe.signal_member_loss=0.2",
        "observe.signal_activity=0.9",
    ]);
    let mut moved = false;
    for ((name, a), (_, b)) in default.iter().zip(&other) {
        if is_wave(name) {
            moved |= a != b;
        } else {
            assert_eq!(
                a.map(f64::to_bits),
                b.map(f64::to_bits),
                "{name} moved with the study's windows"
            );
        }
    }
    assert!(moved, "the study's outcomes follow its windows");
}

#[test]
fn overlapping_waves_are_refused_naming_the_key() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_small(tmp.path(), "out", &["--set", "observe.wave3_start=16"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("observe.wave3_start"), "{err}");
    assert!(err.contains("starts before wave 2 ends (month 17"), "{err}");
    assert!(err.contains("allowed: at least 17"), "{err}");
}

#[test]
fn a_short_run_writes_the_wave_columns_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_small(tmp.path(), "out", &["--set", "run.months=20"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut reader = csv::Reader::from_path(tmp.path().join("out/runs.csv")).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let column = |name: &str| -> Vec<String> {
        let i = header.iter().position(|h| h == name).unwrap();
        rows.iter().map(|r| r[i].to_string()).collect()
    };
    // Wave 3 (months 23-26) and the sample's signals by it lie beyond 20 months: empty cells.
    for name in [
        "wave3_activity",
        "wave3_signal",
        "r1_signals",
        "r1_signals_excess",
    ] {
        assert!(column(name).iter().all(String::is_empty), "{name}");
    }
    for name in [
        "wave2_activity",
        "wave2_signal",
        "wave2_signal_excess",
        "r1_sample",
    ] {
        assert!(column(name).iter().all(|c| !c.is_empty()), "{name}");
    }
}
