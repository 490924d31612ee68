//! The six patterns of the default calibration, each checked on a reduced version of
//! scenarios/pandemic-2020.toml (a smaller region, the same parameters) over 200 replicates, as
//! many as the shipped check.
//! The full scenario is checked with `commsim patterns scenarios/pandemic-2020.toml`.

mod common;

use commsim::patterns::{evaluate, PatternResult, Verdict};
use std::sync::OnceLock;

fn results() -> &'static [PatternResult] {
    static RESULTS: OnceLock<Vec<PatternResult>> = OnceLock::new();
    RESULTS.get_or_init(|| {
        let rows = common::outcomes(&common::reduced_crisis(), 200);
        evaluate(&|name| common::column(&rows, name))
    })
}

fn assert_holds(number: usize) {
    let p = &results()[number - 1];
    let detail: Vec<String> = p
        .claims
        .iter()
        .map(|c| {
            format!(
                "  {}: {:.4} [{:.4}, {:.4}] needs ({}, {}]: {}",
                c.label,
                c.mean,
                c.ci95_low,
                c.ci95_high,
                c.low,
                c.high,
                c.verdict.name()
            )
        })
        .collect();
    assert_eq!(
        p.verdict,
        Verdict::Holds,
        "pattern {number} ({}):\n{}",
        p.statement,
        detail.join("\n")
    );
}

#[test]
fn pattern_1_neutrality_over_integration_over_confrontation() {
    assert_holds(1);
}

#[test]
fn pattern_2_crisis_dissolution_is_rare_but_present() {
    assert_holds(2);
}

#[test]
fn pattern_3_entrepreneurial_communities_dissolve_most() {
    assert_holds(3);
}

#[test]
fn pattern_4_time_pit_and_recovery() {
    assert_holds(4);
}

#[test]
fn pattern_5_volunteering_replaces_commerce() {
    assert_holds(5);
}

#[test]
fn pattern_6_small_places_lose_more_economy_but_less_activity() {
    assert_holds(6);
}
