//! What-ifs that start from the same present: with `run.burn_in_under = "reference"` the burn-in
//! runs under the reference (the defaults, or the scenario `run.reference` names) and the
//! scenario's own values take effect at month 0; `"scenario"` (the default) keeps the burn-in
//! under the scenario.

mod common;

use common::command::{commsim, text};
use commsim::experiment::derive_seed;
use commsim::model::config::Config;
use commsim::model::month_zero;
use commsim::scenario::Scenario;

fn state(scenario: &Scenario, seed: u64) -> String {
    let region = month_zero(&Config::from_scenario(scenario), seed);
    format!("{:?}", region.territories)
}

#[test]
fn a_one_change_scenario_starts_from_its_references_month_zero() {
    let reference = common::with_sets(
        &common::reduced_crisis(),
        &["run.burn_in_under=\"reference\""],
    );
    let change = common::with_sets(
        &reference,
        &["grants.enabled=false", "community.recognition=0.8"],
    );
    let seed = derive_seed(7, 0, 3);
    assert_eq!(state(&reference, seed), state(&change, seed));
    let own = common::with_sets(&change, &["run.burn_in_under=\"scenario\""]);
    assert_ne!(state(&reference, seed), state(&own, seed));
    // From month 0 the change acts: the runs part.
    let a = common::outcomes(&reference, 4);
    let b = common::outcomes(&change, 4);
    let grants = |rows: &[Vec<Option<f64>>]| common::column(rows, "grants_won");
    assert_ne!(grants(&a), grants(&b));
    for x in ["communities_start", "members_start"] {
        assert_eq!(common::column(&a, x), common::column(&b, x), "{x}");
    }
}

#[test]
fn the_reference_can_be_a_scenario_file_and_bad_readings_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let base = std::fs::read_to_string(common::command::scenario("pandemic-2020.toml")).unwrap();
    std::fs::write(
        dir.join("ref.toml"),
        format!("{base}\n[community]\nrecognition = 0.9\n"),
    )
    .unwrap();
    let with = |run: &str| base.replacen("[run]\n", &format!("[run]\n{run}\n"), 1);
    std::fs::write(
        dir.join("s.toml"),
        with("reference = \"ref.toml\"\nburn_in_under = \"reference\""),
    )
    .unwrap();
    let args = [
        "run",
        "s.toml",
        "--out",
        "a",
        "--replicates",
        "3",
        "--quiet",
    ];
    let o = commsim(&args, dir);
    assert!(o.status.success(), "{}", text(&o.stderr));
    // The same region run as the reference itself, its burn-in under its own values.
    let args = [
        "run",
        "ref.toml",
        "--out",
        "b",
        "--replicates",
        "3",
        "--quiet",
    ];
    let o = commsim(&args, dir);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let column = |file: &str, name: &str| -> Vec<String> {
        let mut r = csv::Reader::from_path(dir.join(file)).unwrap();
        let k = r.headers().unwrap().iter().position(|h| h == name).unwrap();
        r.records().map(|x| x.unwrap()[k].to_string()).collect()
    };
    for name in ["communities_start", "members_start"] {
        assert_eq!(
            column("a/runs.csv", name),
            column("b/runs.csv", name),
            "{name}"
        );
    }
    std::fs::write(dir.join("bad.toml"), with("reference = \"missing.toml\"")).unwrap();
    let o = commsim(&["check", "bad.toml"], dir);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(
        err.contains("run.reference") && err.contains("missing.toml"),
        "{err}"
    );
    std::fs::write(dir.join("odd.toml"), with("burn_in_under = \"later\"")).unwrap();
    let o = commsim(&["check", "odd.toml"], dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("allowed: \"reference\" or \"scenario\""));
}
