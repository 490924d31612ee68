//! What-ifs that start from the same present: by default (`run.burn_in_under = "reference"`)
//! the burn-in runs under the reference (the defaults, or the scenario `run.reference` names) and
//! the scenario's own values take effect at month 0, where the traits agents drew from a
//! distribution the scenario changes adopt its distribution (`model::adoption`); `"scenario"`
//! keeps the burn-in under the scenario.

mod common;

use common::command::{commsim, scenario, text, SMALL};
use commsim::experiment::derive_seed;
use commsim::model::config::Config;
use commsim::model::month_zero;
use commsim::model::region::Region;
use commsim::model::state::Territory;
use commsim::scenario::Scenario;
use std::path::Path;

fn region(scenario: &Scenario, seed: u64) -> Region {
    month_zero(&Config::from_scenario(scenario), seed)
}

fn state(scenario: &Scenario, seed: u64) -> String {
    format!("{:?}", region(scenario, seed).territories)
}

/// Who belongs where at month 0: every community's members, territory by territory.
fn memberships(territories: &[Territory]) -> Vec<Vec<Vec<u32>>> {
    territories
        .iter()
        .map(|t| t.communities.iter().map(|c| c.members.clone()).collect())
        .collect()
}

/// A column of a finished run's runs.csv.
fn column(path: &Path, name: &str) -> Vec<String> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let k = r.headers().unwrap().iter().position(|h| h == name).unwrap();
    r.records().map(|x| x.unwrap()[k].to_string()).collect()
}

#[test]
fn a_one_change_scenario_starts_from_its_references_month_zero() {
    let reference = common::reduced_crisis();
    // Neither key is a trait drawn at founding or arrival: nothing is adopted at month 0.
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
    // A scenario with no value of its own but structural keys burns in under itself either way.
    let scenario_reading = common::with_sets(&reference, &["run.burn_in_under=\"scenario\""]);
    assert_eq!(a, common::outcomes(&scenario_reading, 4));
}

#[test]
fn a_trait_change_moves_only_the_traits_it_changes_at_month_zero() {
    let reference = common::reduced_crisis();
    let change = common::with_sets(
        &reference,
        &[
            "community.human_capital=0.2",
            "crisis.lean_strategy=1",
            "territory.village.development=0.8",
        ],
    );
    let seed = derive_seed(7, 0, 3);
    let (a, b) = (region(&reference, seed), region(&change, seed));
    let mut masked = b.territories.clone();
    for (x, y) in masked.iter_mut().zip(&a.territories) {
        // Human capital keeps every resident's rank among those who drew from one law.
        for newcomer in [false, true] {
            let mut group: Vec<usize> = (0..y.residents.len())
                .filter(|&i| y.residents.newcomer[i] == newcomer)
                .collect();
            group.sort_by(|&i, &j| {
                y.residents.human_capital[i].total_cmp(&y.residents.human_capital[j])
            });
            assert!(group
                .windows(2)
                .all(|w| x.residents.human_capital[w[0]] <= x.residents.human_capital[w[1]]));
        }
        let mean = |t: &Territory| {
            t.residents
                .human_capital
                .iter()
                .map(|&h| f64::from(h))
                .sum::<f64>()
                / t.residents.len() as f64
        };
        assert!(mean(x) < mean(y) - 0.1, "{} against {}", mean(x), mean(y));
        assert!(x.communities.iter().all(|c| c.lean));
        // Villages' development moved by the difference of the initial values, 0.8 - 0.2.
        let shift = if x.class == 0 { 0.6 } else { 0.0 };
        for (dx, dy) in x.development.iter().zip(&y.development) {
            assert!((dx - (dy + shift).min(1.0)).abs() < 1e-12, "{dx} {dy}");
        }
        x.check_invariants().unwrap();
        // Everything else is the reference's month 0.
        x.residents.human_capital = y.residents.human_capital.clone();
        for (cx, cy) in x.communities.iter_mut().zip(&y.communities) {
            cx.sum_human_capital = cy.sum_human_capital;
            cx.lean = cy.lean;
        }
        x.development = y.development;
        x.development_start = y.development_start;
    }
    assert_eq!(format!("{masked:?}"), format!("{:?}", a.territories));
    // Under the scenario's own burn-in the present differs.
    let own = common::with_sets(&change, &["run.burn_in_under=\"scenario\""]);
    assert_ne!(
        memberships(&region(&own, seed).territories),
        memberships(&a.territories)
    );
}

#[test]
fn the_communities_a_region_has_are_its_make_up_and_hold_in_the_burn_in() {
    // Types and founding sizes say who the communities are: a scenario that changes them starts
    // from a present made of other communities under either reading, and the same present.
    let reference = common::reduced_crisis();
    let change = common::with_sets(
        &reference,
        &[
            "community.type_mix.civic=0.6",
            "community.type_mix.ngo=0.1",
            "community.type_mix.cultural=0.1",
            "community.type_mix.entrepreneurial=0.1",
            "community.type_mix.municipal=0.1",
            "community.size=24",
        ],
    );
    let own = common::with_sets(&change, &["run.burn_in_under=\"scenario\""]);
    let (mut civic, mut all, mut members) = ([0usize; 2], [0usize; 2], [0u64; 2]);
    for r in 0..8 {
        let seed = derive_seed(7, 0, r);
        assert_eq!(state(&change, seed), state(&own, seed));
        for (k, s) in [&reference, &change].into_iter().enumerate() {
            for t in region(s, seed).territories {
                for c in &t.communities {
                    civic[k] += usize::from(c.kind == 0);
                    all[k] += 1;
                    members[k] += u64::from(c.n_members);
                }
            }
        }
    }
    let share = |k: usize| civic[k] as f64 / all[k] as f64;
    assert!(
        share(1) > share(0) + 0.2,
        "{} against {}",
        share(1),
        share(0)
    );
    let mean = |k: usize| members[k] as f64 / all[k] as f64;
    assert!(mean(1) > 1.3 * mean(0), "{} against {}", mean(1), mean(0));
}

#[test]
fn a_denser_business_opens_the_difference_of_the_initial_firms_at_month_zero() {
    let reference = common::reduced_crisis();
    let change = common::with_sets(&reference, &["territory.small_town.business_density=0.8"]);
    let seed = derive_seed(7, 0, 3);
    let (a, b) = (region(&reference, seed), region(&change, seed));
    let (config_a, config_b) = (
        Config::from_scenario(&reference),
        Config::from_scenario(&change),
    );
    for (x, y) in b.territories.iter().zip(&a.territories) {
        x.check_invariants().unwrap();
        let initial = |c: &Config| {
            let class = &c.classes[x.class];
            let residents = class.population.div_ceil(class.agent_scale) as usize;
            commsim::model::economy::market_size(c, x.class, residents)
        };
        let (old, new) = (initial(&config_a), initial(&config_b));
        assert_eq!(x.firm_target, new);
        let change = new.round() as i64 - old.round() as i64;
        assert_eq!(x.firms.len() as i64, y.firms.len() as i64 + change);
        assert_eq!(change > 0, x.class == 1, "only small towns gain firms");
    }
    assert_eq!(memberships(&b.territories), memberships(&a.territories));
}

#[test]
fn a_shipped_one_change_scenario_and_its_reference_start_alike_replicate_by_replicate() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let run = |file: &str, out: &str, extra: &[&str]| {
        let file = scenario(file);
        let mut args = vec!["run", &file, "--out", out, "--replicates", "3", "--quiet"];
        args.extend_from_slice(SMALL);
        args.extend_from_slice(extra);
        let o = commsim(&args, dir);
        assert!(o.status.success(), "{}", text(&o.stderr));
    };
    run("pandemic-2020.toml", "reference", &[]);
    run("barrier-human-capital.toml", "default", &[]);
    run(
        "barrier-human-capital.toml",
        "own",
        &["--set", "run.burn_in_under=\"scenario\""],
    );
    let runs = |out: &str| dir.join(out).join("runs.csv");
    for name in ["communities_start", "members_start"] {
        assert_eq!(
            column(&runs("reference"), name),
            column(&runs("default"), name),
            "{name}"
        );
    }
    assert_ne!(
        column(&runs("reference"), "members_start"),
        column(&runs("own"), "members_start")
    );
    assert_ne!(
        column(&runs("reference"), "grants_won"),
        column(&runs("default"), "grants_won")
    );
}

#[test]
fn the_points_of_a_sweep_share_the_burn_in() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let base = std::fs::read_to_string(scenario("pandemic-2020.toml")).unwrap();
    std::fs::write(
        dir.join("sweep.toml"),
        format!("{base}\n[sweep]\ndesign = \"grid\"\ncommon_random_numbers = true\nparameters.\"community.human_capital\" = [0.2, 0.5, 0.8]\nparameters.\"community.recognition\" = [0.2, 0.8]\n"),
    )
    .unwrap();
    let mut args = vec![
        "run",
        "sweep.toml",
        "--out",
        "s",
        "--replicates",
        "2",
        "--quiet",
    ];
    args.extend_from_slice(SMALL);
    let o = commsim(&args, dir);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let runs = dir.join("s/runs.csv");
    let replicate = column(&runs, "replicate");
    for name in ["communities_start", "members_start"] {
        let values = column(&runs, name);
        for r in ["0", "1"] {
            let at: Vec<&String> = values
                .iter()
                .zip(&replicate)
                .filter(|(_, x)| *x == r)
                .map(|(v, _)| v)
                .collect();
            assert_eq!(at.len(), 6);
            assert!(
                at.iter().all(|v| *v == at[0]),
                "{name} of replicate {r}: {at:?}"
            );
        }
    }
}

#[test]
fn compare_runs_b_from_a_s_present() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let base = std::fs::read_to_string(scenario("pandemic-2020.toml")).unwrap();
    // A is not the defaults; B names a reference of its own, which compare does not follow.
    std::fs::write(
        dir.join("a.toml"),
        format!("{base}\n[community]\nhuman_capital = 0.3\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("other.toml"),
        format!("{base}\n[grants]\nenabled = false\n[community]\nrecognition = 0.9\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("b.toml"),
        base.replacen("[run]\n", "[run]\nreference = \"other.toml\"\n", 1)
            + "\n[crisis]\nlean_strategy = 1.0\n",
    )
    .unwrap();
    let mut args = vec![
        "compare",
        "a.toml",
        "b.toml",
        "--out",
        "c",
        "--replicates",
        "3",
    ];
    args.extend_from_slice(SMALL);
    let o = commsim(&args, dir);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("B's run.reference = \"other.toml\" is not used"),
        "{}",
        text(&o.stderr)
    );
    let runs = dir.join("c/runs.csv");
    for name in ["communities_start", "members_start"] {
        let values = column(&runs, name);
        assert_eq!(values[..3], values[3..], "{name}");
    }
    // B run alone burns in under its own reference: another present.
    let mut args = vec![
        "run",
        "b.toml",
        "--out",
        "b",
        "--replicates",
        "3",
        "--quiet",
    ];
    args.extend_from_slice(SMALL);
    let o = commsim(&args, dir);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_ne!(
        column(&dir.join("b/runs.csv"), "members_start"),
        column(&runs, "members_start")[3..]
    );
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
    std::fs::write(dir.join("s.toml"), with("reference = \"ref.toml\"")).unwrap();
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
        "--set",
        "run.burn_in_under=\"scenario\"",
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
