//! Experiments that compare: with common random numbers, replicate r of every design point runs
//! on the same seed, so points can be compared run by run.

mod common;

use common::command::*;

fn rows(path: &std::path::Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

#[test]
fn common_random_numbers_give_each_replicate_one_seed_at_every_point() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let base = std::fs::read_to_string(scenario("pandemic-2020.toml")).unwrap();
    let sweep = |crn: &str| {
        format!("{base}\n[sweep]\ndesign = \"grid\"\n{crn}[sweep.parameters]\n\"grants.budget\" = [10.0, 40.0, 80.0]\n")
    };
    std::fs::write(dir.join("independent.toml"), sweep("")).unwrap();
    std::fs::write(
        dir.join("common.toml"),
        sweep("common_random_numbers = true\n"),
    )
    .unwrap();
    for (file, out) in [("independent.toml", "i"), ("common.toml", "c")] {
        let o = run_reduced(dir, file, out, "3", &[]);
        assert!(o.status.success(), "{}", text(&o.stderr));
    }
    let common = rows(&dir.join("c/runs.csv"));
    let independent = rows(&dir.join("i/runs.csv"));
    // Columns: point, replicate, seed, grants.budget, outcomes...
    for row in &common {
        let first = common
            .iter()
            .find(|r| r[0] == "0" && r[1] == row[1])
            .unwrap();
        assert_eq!(row[2], first[2], "replicate {} has one seed", row[1]);
    }
    let seeds: std::collections::HashSet<&String> = independent.iter().map(|r| &r[2]).collect();
    assert_eq!(
        seeds.len(),
        independent.len(),
        "independent seeds are all distinct"
    );
    // Point 0 is the same run either way; the other points differ in their seeds only.
    assert_eq!(common[..3], independent[..3]);
    assert_ne!(common[3][2], independent[3][2]);
    let check = commsim(&["check", "common.toml"], dir);
    assert!(text(&check.stdout).contains("common_random_numbers = true"));
}

mod twins {
    use commsim::experiment::Model;
    use commsim::model::config::Config;
    use commsim::model::outcomes;
    use commsim::model::region::Region;
    use commsim::model::CommunityModel;

    fn crisis() -> Config {
        Config::from_scenario(&super::common::reduced_crisis())
    }

    #[test]
    fn a_run_and_its_no_shock_twin_are_identical_until_the_shock_starts() {
        let config = crisis();
        let calm = config.without_shocks();
        let start = config.first_shock().unwrap().start_month as u32;
        let (mut run, mut twin) = (Region::new(&config, 5), Region::new(&calm, 5));
        for _ in 0..config.burn_in {
            run.step(&config);
            twin.step(&calm);
        }
        run.start_observation();
        twin.start_observation();
        for month in 0..=start {
            let (a, b) = (run.step(&config), twin.step(&calm));
            if month < start {
                assert_eq!(format!("{a:?}"), format!("{b:?}"), "month {month}");
            } else {
                assert_ne!(
                    format!("{a:?}"),
                    format!("{b:?}"),
                    "the shock's first month"
                );
            }
        }
    }

    #[test]
    fn the_excess_is_the_run_minus_a_twin_simulated_from_scratch() {
        let config = crisis();
        let out = CommunityModel.run(&config, 9);
        let names = CommunityModel.outcome_names();
        // The twin from scratch: the same seed without shocks, measured over the run's windows.
        let calm = config.without_shocks();
        let mut twin = Region::new(&calm, 9);
        for _ in 0..calm.burn_in {
            twin.step(&calm);
        }
        twin.start_observation();
        let mut records = vec![commsim::model::observe::Observer::record(
            &twin.territories,
            Default::default(),
        )];
        for _ in 0..calm.months {
            records.push(twin.step(&calm));
        }
        let twin_outcomes = outcomes::compute_twin(&twin, &records, &config);
        let base = outcomes::base_names();
        let mut checked = 0;
        for crisis in outcomes::crisis_names() {
            let i = base.iter().position(|n| *n == crisis).unwrap();
            let e = names
                .iter()
                .position(|n| *n == format!("{crisis}_excess"))
                .unwrap();
            let expect = out.outcomes[i].zip(twin_outcomes[i]).map(|(a, b)| a - b);
            assert_eq!(out.outcomes[e], expect, "{crisis}");
            checked += usize::from(expect.is_some());
        }
        assert!(checked > 10, "most crisis outcomes are defined");
        // Switched off, the columns are empty.
        let mut off = config.clone();
        off.counterfactual = false;
        let out = CommunityModel.run(&off, 9);
        let e = names
            .iter()
            .position(|n| n == "crisis_dissolution_excess")
            .unwrap();
        assert_eq!(out.outcomes[e], None);
    }
}
