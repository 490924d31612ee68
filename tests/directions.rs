//! Single-factor experiments: switching one factor of the report on or up must move an outcome
//! the way the report says. Each case runs the reduced crisis region with and without the change
//! on the same seeds (common random numbers) and requires the 95% confidence interval of the
//! paired difference to exclude zero on the reported side.

mod common;

use common::{column, outcomes, small_crisis, with_sets};
use commsim::experiment::stats::mean_ci;

/// (factor IDs, settings, outcome, +1 if the outcome must rise, -1 if it must fall).
#[rustfmt::skip]
const CASES: &[(&str, &[&str], &str, f64)] = &[
    ("G1", &["grants.enabled=false"], "survival", -1.0),
    ("G1 D2", &["grants.enabled=false"], "development_gain_small_town", -1.0),
    ("G2 S2", &["grants.coapplication=false"], "grants_won", -1.0),
    ("G3", &["grants.budget=600"], "grant_money", 1.0),
    ("S2 X1", &["administration.openness=0.85"], "stance_integration", 1.0),
    ("S2", &["administration.inclusion=1", "administration.openness=0.8"], "grants_won", 1.0),
    ("S3", &["leadership.external_orientation=0.8"], "external_money", 1.0),
    ("S4", &["success.visibility_feedback=0.15"], "partner_money", 1.0),
    ("B1", &["administration.head_turnover=2"], "stance_integration", -1.0),
    ("B2", &["community.business_skills=0.8"], "partner_money", 1.0),
    ("B3", &["community.human_capital=0.2"], "grants_won", -1.0),
    ("B4", &["community.recognition=0.1"], "members_end", -1.0),
    ("B4", &["community.recognition=0.1"], "communities_end", -1.0),
    ("B5", &["territory.village.youth_outflow=0.2", "territory.small_town.youth_outflow=0.2"], "youth_left", 1.0),
    ("B5 D1", &["territory.village.development=0.8", "territory.small_town.development=0.8"], "youth_left", -1.0),
    ("X3", &["stance.confrontation_rate=0.05"], "stance_confrontation", 1.0),
    ("K1", &["territory.small_town.economic_exposure=1.5"], "economy_drop_small_town", 1.0),
    ("K2a", &["crisis.low_base_buffer=0"], "activity_drop_village", 1.0),
    ("K2b", &["territory.small_town.public_sector_share=0.6"], "economy_drop_small_town", -1.0),
    ("K2c K2d", &["territory.small_town.scarcity_habit=0"], "activity_drop_small_town", 1.0),
    ("K4 R2", &["crisis.nonpayment=0.3"], "crisis_dissolution_entrepreneurial", -1.0),
    ("K4", &["crisis.nonpayment=0.3"], "commercial_share_during", 1.0),
    ("R2", &["dissolution.commercial_exposure=8"], "crisis_dissolution_entrepreneurial", 1.0),
    ("R1", &["dissolution.base_hazard=0.1"], "survival", -1.0),
    ("R3", &["dissolution.resilience=3"], "crisis_dissolution", -1.0),
    ("A2", &["crisis.online_shift=0.6"], "online_share_during", 1.0),
    ("A4", &["crisis.volunteer_conversion=1"], "volunteer_share_during", 1.0),
    ("P1", &["horizon.crisis_min=6"], "horizon_trough", 1.0),
    ("P2", &["horizon.recovery_rate=0.8"], "horizon_after", 1.0),
    ("F1", &["expectations.money_fear=3"], "expectation_during", -1.0),
    ("F3", &["community.tie_diversity=0.8"], "prophecy_positive", 1.0),
    ("C7", &["community.registered_share=0.9"], "grants_won", 1.0),
    ("C8 D4", &["community.territory_responsibility=0.8"], "development_gain_small_town", 1.0),
    ("L1", &["policy.social_venture=2"], "grants_won", 1.0),
    ("L3 L10", &["policy.exit_corridors=1", "policy.territory_marketing=1"], "residents_end", 1.0),
    ("L6", &["policy.communication_platforms=2"], "prophecy_positive", 1.0),
    ("L11 S3", &["policy.leader_support=2"], "grant_applications", 1.0),
    ("L11 B4", &["policy.leader_support=2"], "members_end", 1.0),
];

#[test]
fn single_factors_move_outcomes_the_way_the_report_says() {
    let base = small_crisis();
    let n = 30;
    let base_rows = outcomes(&base, n);
    let mut failures = Vec::new();
    for (ids, sets, outcome, sign) in CASES {
        let rows = outcomes(&with_sets(&base, sets), n);
        let diffs: Vec<f64> = column(&rows, outcome)
            .iter()
            .zip(column(&base_rows, outcome))
            .filter_map(|(a, b)| Some(sign * ((*a)? - b?)))
            .collect();
        let (mean, low, high) = mean_ci(&diffs);
        if low <= 0.0 {
            failures.push(format!("{ids}: {sets:?} should move {outcome} {}: signed diff {mean:.5} [{low:.5}, {high:.5}]", if *sign > 0.0 { "up" } else { "down" }));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}
