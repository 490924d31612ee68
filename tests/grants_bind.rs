//! The grant calls bind (G1-G3, S2): at the defaults most applications lose, the federal
//! competition for a comfortable urban environment can pay an award of tens of millions, and
//! the contest's exponent, the Matthew feedback and co-application each move the grant outcomes
//! beyond replicate noise. Every comparison is paired: the two settings run on the same seeds
//! (common random numbers), and the 95% interval of the per-seed difference must exclude zero
//! on the stated side.

mod common;

use common::{column, outcomes, reduced_crisis, with_sets};
use commsim::experiment::stats::mean_ci;
use commsim::model::config::Config;
use commsim::scenario::Scenario;
use std::sync::OnceLock;

/// Replicates per setting: enough for the intervals below, few enough for a debug build.
const N: u64 = 40;

fn values(rows: &[Vec<Option<f64>>], name: &str) -> Vec<f64> {
    column(rows, name).into_iter().map(|v| v.unwrap()).collect()
}

fn base() -> &'static [Vec<Option<f64>>] {
    static ROWS: OnceLock<Vec<Vec<Option<f64>>>> = OnceLock::new();
    ROWS.get_or_init(|| outcomes(&reduced_crisis(), N))
}

fn with(sets: &[&str]) -> Scenario {
    with_sets(&reduced_crisis(), sets)
}

/// The paired differences `changed - base` of an outcome, with their mean and 95% interval.
fn paired(changed: &[Vec<Option<f64>>], base: &[Vec<Option<f64>>], name: &str) -> (f64, f64, f64) {
    let d: Vec<f64> = values(changed, name)
        .iter()
        .zip(values(base, name))
        .map(|(a, b)| a - b)
        .collect();
    let (mean, low, high) = mean_ci(&d);
    eprintln!("{name}: paired difference {mean:.4} [{low:.4}, {high:.4}]");
    (mean, low, high)
}

#[test]
fn most_applications_lose_at_the_defaults() {
    let rows = base();
    let rates: Vec<f64> = values(rows, "grants_won")
        .iter()
        .zip(values(rows, "grant_applications"))
        .map(|(w, a)| w / a)
        .collect();
    let (mean, low, high) = mean_ci(&rates);
    eprintln!("success rate {mean:.4} [{low:.4}, {high:.4}]");
    assert!(
        high < 0.5,
        "success rate {mean:.3} [{low:.3}, {high:.3}] should be below one half"
    );
    assert!(low > 0.0, "some applications win: {mean:.3}");
}

#[test]
fn the_federal_competition_pays_tens_of_millions_but_never_more_than_its_call() {
    let rows = base();
    let max = values(rows, "grant_max_award");
    let largest = max.iter().copied().fold(0.0, f64::max);
    let big = max.iter().filter(|&&m| m > 20.0).count();
    eprintln!("largest award {largest:.2}M; {big} of {N} runs have one above 20M");
    assert!(
        largest > 20.0,
        "the largest award of {N} runs is {largest:.1}M"
    );
    // The competition's yearly call is its whole budget (80 million by default).
    assert!(largest <= 80.0, "an award of {largest:.1}M passes its call");
    // Without the competition, no award passes the largest call of a community programme.
    let scenario = with(&["grants.urban.budget=0"]);
    let call = Config::from_scenario(&scenario)
        .programmes
        .iter()
        .map(|p| p.call_budget())
        .fold(0.0, f64::max);
    let without = outcomes(&scenario, N);
    let most = values(&without, "grant_max_award")
        .iter()
        .copied()
        .fold(0.0, f64::max);
    assert!(
        most <= call && most > 0.5 * call,
        "the largest community award {most:.2}M of calls of {call:.2}M"
    );
}

#[test]
fn the_matthew_feedback_concentrates_grant_money() {
    let off = outcomes(&with(&["grants.matthew=0"]), N);
    let (mean, low, high) = paired(base(), &off, "grant_top_share");
    assert!(
        low > 0.0,
        "top-10% share, matthew 1 minus 0: {mean:.4} [{low:.4}, {high:.4}]"
    );
}

#[test]
fn the_contest_exponent_rewards_quality() {
    let lottery = outcomes(&with(&["grants.contest_exponent=0"]), N);
    let decisive = outcomes(&with(&["grants.contest_exponent=3"]), N);
    let (mean, low, high) = paired(&decisive, &lottery, "grant_top_share");
    assert!(
        low > 0.0,
        "top-10% share, r = 3 minus r = 0: {mean:.4} [{low:.4}, {high:.4}]"
    );
}

#[test]
fn coapplication_moves_grant_outcomes() {
    let off = outcomes(&with(&["grants.coapplication=false"]), N);
    // Without co-application no administration files a community's project for the federal
    // competition, so its awards of tens of millions disappear.
    let (mean, low, high) = paired(&off, base(), "grant_max_award");
    assert!(
        high < 0.0,
        "largest award, co-application off minus on: {mean:.2} [{low:.2}, {high:.2}]"
    );
    let (mean, low, high) = paired(&off, base(), "grant_money");
    assert!(
        high < 0.0,
        "grant money, co-application off minus on: {mean:.2} [{low:.2}, {high:.2}]"
    );
}

#[test]
fn the_coapplication_weight_shifts_awards_to_coapplied_projects() {
    let even = outcomes(&with(&["grants.coapplication_weight=1"]), N);
    let (mean, low, high) = paired(base(), &even, "grant_coapplied_share");
    assert!(
        low > 0.0,
        "co-applied share of grant money, weight 2.5 minus 1: {mean:.4} [{low:.4}, {high:.4}]"
    );
}
