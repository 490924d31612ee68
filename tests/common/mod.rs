//! Helpers shared by the integration tests: a reduced region that runs in milliseconds, runs
//! through the library, and paired comparisons over common seeds.
#![allow(dead_code)]

pub mod calibration;
pub mod command;

use commsim::experiment::{derive_seed, Model};
use commsim::model::config::Config;
use commsim::model::CommunityModel;
use commsim::scenario::{apply_sets, parse_str, Scenario};
use rayon::prelude::*;

/// The shipped crisis scenario with a smaller region, for tests that run in seconds.
pub fn reduced_crisis() -> Scenario {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/pandemic-2020.toml"
    ))
    .unwrap();
    let s = parse_str(&text, "pandemic-2020.toml").unwrap();
    with_sets(
        &s,
        &[
            "region.small_towns=3",
            "territory.small_town.population=4000",
            "territory.large_city.population=30000",
            "territory.large_city.communities=20",
            "run.burn_in=12",
        ],
    )
}

/// A still smaller crisis region, for the many paired runs of the direction tests.
pub fn small_crisis() -> Scenario {
    with_sets(
        &reduced_crisis(),
        &[
            "region.villages=8",
            "territory.large_city.population=12000",
            "territory.large_city.communities=8",
        ],
    )
}

/// The master seed of the statistical tests: 99, or `COMMSIM_TEST_SEED` to check that a
/// verdict does not hang on one set of random streams.
pub fn test_seed() -> u64 {
    std::env::var("COMMSIM_TEST_SEED")
        .ok()
        .map(|s| {
            s.parse()
                .expect("COMMSIM_TEST_SEED must be an unsigned integer")
        })
        .unwrap_or(99)
}

/// Outcome columns of `n` replicates of a scenario, by outcome name.
pub fn outcomes(scenario: &Scenario, n: u64) -> Vec<Vec<Option<f64>>> {
    let config = Config::from_scenario(scenario);
    let seed = test_seed();
    (0..n)
        .into_par_iter()
        .map(|r| {
            CommunityModel
                .run(&config, derive_seed(seed, 0, r))
                .outcomes
        })
        .collect()
}

pub fn column(rows: &[Vec<Option<f64>>], name: &str) -> Vec<Option<f64>> {
    let k = CommunityModel
        .outcome_names()
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("no outcome {name}"));
    rows.iter().map(|r| r[k]).collect()
}

pub fn with_sets(base: &Scenario, sets: &[&str]) -> Scenario {
    let mut s = base.clone();
    let sets: Vec<String> = sets.iter().map(|t| t.to_string()).collect();
    apply_sets(&mut s, &sets).unwrap_or_else(|e| panic!("{sets:?}: {e}"));
    s
}
