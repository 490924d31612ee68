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
fn pattern_2_crisis_excess_dissolution_is_rare_but_present() {
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
fn pattern_6_small_places_are_poorer_fall_no_further_and_keep_more_activity() {
    assert_holds(6);
}

/// The verdict of pattern `number` with `sets` applied to the reduced region (100 replicates).
fn verdict_without(number: usize, sets: &[&str]) -> Verdict {
    let scenario = common::with_sets(&common::reduced_crisis(), sets);
    let rows = common::outcomes(&scenario, 100);
    evaluate(&|name| common::column(&rows, name))[number - 1].verdict
}

#[test]
fn pattern_1_needs_the_stance_chain() {
    // Communities start neutral: without the neutral -> integration transition there is no
    // integration, and the order fails.
    assert_eq!(
        verdict_without(1, &["stance.integration_rate=0"]),
        Verdict::Fails
    );
}

#[test]
fn pattern_2_needs_the_members_hardship() {
    // Crisis dissolution comes from what the crisis does to members' livelihoods: the stress of
    // private-sector residents whose firms are not paid (K2) and the lost commercial base (R2).
    // Without both channels of the hazard the excess is no longer told from 0.
    assert_ne!(
        verdict_without(
            2,
            &[
                "dissolution.stress_hazard=0",
                "dissolution.commercial_exposure=0"
            ]
        ),
        Verdict::Holds
    );
}

#[test]
fn pattern_3_needs_the_loss_of_the_members_firms() {
    // The entrepreneurs' excess comes from their members' firms through the commercial base;
    // without its hazard they are not told apart from the other types.
    assert_ne!(
        verdict_without(3, &["dissolution.commercial_exposure=0"]),
        Verdict::Holds
    );
}

#[test]
fn pattern_4_needs_postponed_plans() {
    // The horizon is learned from broken plans: with nothing postponed in the crisis, it stays
    // at its normal length.
    assert_eq!(
        verdict_without(4, &["crisis.postponement=0"]),
        Verdict::Fails
    );
}

#[test]
fn pattern_5_needs_pressing_tasks() {
    // Paid work loses its orders, but without pressing tasks to take up the idle capacity
    // the volunteer share does not rise.
    assert_eq!(
        verdict_without(5, &["crisis.pressing_tasks=0"]),
        Verdict::Fails
    );
}

#[test]
fn pattern_6_needs_fewer_firms_and_a_larger_public_sector_in_small_places() {
    // Give villages and small towns the city's firms and public sector: their level is no
    // longer lower and their fall no longer smaller.
    assert_eq!(
        verdict_without(
            6,
            &[
                "territory.village.business_density=0.8",
                "territory.small_town.business_density=0.8",
                "territory.village.public_sector_share=0.18",
                "territory.small_town.public_sector_share=0.18",
            ]
        ),
        Verdict::Fails
    );
}
