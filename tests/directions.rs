//! Single-factor experiments: switching one factor of the report on or up must move an outcome
//! the way the report says. Each case runs the reduced crisis region with and without the change
//! on the same seeds (common random numbers) and requires the 95% confidence interval of the
//! paired difference to exclude zero on the reported side.

mod common;

use common::{column, outcomes, reduced_crisis, with_sets};
use commsim::experiment::stats::mean_ci;
use std::collections::HashMap;

/// One case: (factor IDs, base settings that isolate the mechanism, the change, outcome, +1 if the outcome
/// must rise, -1 if it must fall).
type Case = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static str,
    f64,
);

#[rustfmt::skip]
const CASES: &[Case] = &[
    ("G1", &[], &["grants.enabled=false"], "members_end", -1.0),
    ("G1 D2", &[], &["grants.enabled=false"], "development_gain_small_town", -1.0),
    ("G2 S2", &["administration.inclusion=1", "administration.openness=0.8", "community.registered_share=0.1", "community.registration_rate=0"], &["grants.coapplication=false"], "grants_won", -1.0),
    ("G3", &[], &["grants.budget=600"], "grant_money", 1.0),
    ("S2 X1", &[], &["administration.openness=0.85"], "stance_integration", 1.0),
    ("S2", &[], &["administration.inclusion=1", "administration.openness=0.8"], "grants_won", 1.0),
    ("S3", &[], &["leadership.external_orientation=0.8"], "grant_applications", 1.0),
    ("S4", &[], &["success.visibility_feedback=0.15"], "partner_money", 1.0),
    ("B1", &[], &["administration.head_turnover=2"], "stance_integration", -1.0),
    ("B2", &[], &["community.business_skills=0.8"], "partner_money", 1.0),
    ("B3", &[], &["community.human_capital=0.2"], "grants_won", -1.0),
    ("B4", &[], &["community.recognition=0.1"], "members_end", -1.0),
    ("B4", &[], &["community.recognition=0.1"], "communities_end", -1.0),
    ("B5", &[], &["territory.village.youth_outflow=0.2", "territory.small_town.youth_outflow=0.2"], "youth_left", 1.0),
    ("B5 D1", &[], &["territory.village.development=0.8", "territory.small_town.development=0.8"], "youth_left", -1.0),
    ("X3", &[], &["stance.confrontation_rate=0.05"], "stance_confrontation", 1.0),
    ("K1", &[], &["territory.small_town.business_density=0.8"], "economy_drop_small_town", 1.0),
    ("K3", &[], &["crisis.barter=1"], "firms_closed_large_city", -1.0),
    ("K1", &[], &["territory.small_town.business_density=0.8"], "economy_level_small_town", 1.0),
    ("K2a", &[], &["crisis.low_base_buffer=0"], "activity_drop_village", 1.0),
    ("K2b", &[], &["territory.small_town.public_sector_share=0.6"], "economy_drop_small_town", -1.0),
    ("K2c K2d", &[], &["territory.small_town.scarcity_habit=0"], "activity_drop_small_town", 1.0),
    ("K4 R2", &["community.type_mix.entrepreneurial=0.55", "community.type_mix.civic=0.1", "community.type_mix.ngo=0.1", "community.type_mix.cultural=0.1", "community.type_mix.municipal=0.15"], &["crisis.nonpayment=0.2"], "crisis_dissolution_entrepreneurial", -1.0),
    ("K4", &[], &["crisis.nonpayment=0.3"], "commercial_share_during", 1.0),
    ("K4 R2", &["community.type_mix.entrepreneurial=0.55", "community.type_mix.civic=0.1", "community.type_mix.ngo=0.1", "community.type_mix.cultural=0.1", "community.type_mix.municipal=0.15"], &["crisis.mutual_aid=0"], "crisis_dissolution_entrepreneurial", 1.0),
    ("K4", &["community.type_mix.entrepreneurial=0.55", "community.type_mix.civic=0.1", "community.type_mix.ngo=0.1", "community.type_mix.cultural=0.1", "community.type_mix.municipal=0.15"], &["crisis.mutual_aid=0"], "firms_closed_small_town", 1.0),
    ("R2", &[], &["dissolution.commercial_exposure=8"], "crisis_dissolution_entrepreneurial", 1.0),
    ("R1", &[], &["dissolution.base_hazard=0.1"], "survival", -1.0),
    ("R3", &[], &["dissolution.resilience=3"], "crisis_dissolution", -1.0),
    ("A2", &[], &["crisis.online_shift=0.6"], "online_share_during", 1.0),
    ("A4", &[], &["economy.restriction_spending=0"], "commercial_share_during", 1.0),
    ("P1", &[], &["horizon.stress_sensitivity=0.5"], "horizon_trough", 1.0),
    ("P2", &[], &["horizon.recovery_rate=0.8"], "horizon_after", 1.0),
    ("F1", &[], &["expectations.money_fear=3"], "expectation_during", -1.0),
    ("F3", &[], &["community.tie_diversity=0.8"], "prophecy_positive", 1.0),
    ("F3", &[], &["community.tie_diversity=0.8"], "tie_diversity_end", 1.0),
    ("C2 G3", &[], &["grants.awareness=1"], "grant_applications", 1.0),
    ("C7", &[], &["community.registered_share=0.9"], "grants_won", 1.0),
    ("C8 D4", &[], &["community.territory_responsibility=0.8"], "development_gain_small_town", 1.0),
    ("L1", &[], &["policy.social_venture=2"], "grants_won", 1.0),
    ("L3 L10", &[], &["policy.exit_corridors=1", "policy.territory_marketing=1"], "residents_end", 1.0),
    ("L6", &[], &["policy.communication_platforms=2"], "prophecy_positive", 1.0),
    ("L11 S3", &[], &["policy.leader_support=2"], "grant_applications", 1.0),
    ("L11 B4", &[], &["policy.leader_support=2"], "members_end", 1.0),
    ("C1", &[], &["community.cohesion=0.9"], "members_end", 1.0),
    ("C2", &[], &["community.information_exchange=0.95"], "members_end", 1.0),
    ("C3 R3", &[], &["community.shared_tasks=0.95"], "crisis_dissolution", -1.0),
    ("C4", &[], &["community.identity=0.95"], "members_end", 1.0),
    ("C5 R3", &[], &["community.value_platform=0.95"], "crisis_dissolution", -1.0),
    ("C6", &[], &["community.agency=0.95"], "development_gain_small_town", 1.0),
    ("D1 B5", &[], &["development.rate.living_environment=0.05"], "youth_left", -1.0),
    ("D1-D6", &[], &["development.rate.living_environment=0.03", "development.rate.external_resources=0.03", "development.rate.cultural_code=0.03", "development.rate.strategy=0.03", "development.rate.social_groups=0.03", "development.rate.human_capital=0.03"], "development_gain_village", 1.0),
    ("D3 B4", &["community.recognition=0.1"], &["development.rate.cultural_code=0.3"], "members_end", 1.0),
    ("S1", &[], &["development.low_base=4"], "development_gain_large_city", -1.0),
    ("X2", &[], &["stance.distancing_rate=0.2"], "stance_neutrality", 1.0),
    ("K2b", &[], &["crisis.public_sector_buffer=0"], "activity_drop_village", 1.0),
    ("K2d", &[], &["crisis.tactics_buffer=0"], "activity_drop_village", 1.0),
    ("K3", &[], &["crisis.barter=1"], "activity_drop_village", -1.0),
    ("A1", &[], &["crisis.postponement=1"], "activity_drop_large_city", 1.0),
    ("A3", &[], &["crisis.pressing_tasks=0"], "volunteer_share_during", -1.0),
    ("A5", &["grants.enabled=false"], &["crisis.leader_spending=1"], "activity_drop_village", -1.0),
    ("A6", &[], &["crisis.partnership=1"], "stance_integration", 1.0),
    ("A7", &[], &["crisis.business_advocacy=1"], "firms_closed_large_city", -1.0),
    ("A8", &[], &["crisis.lean_strategy=1"], "activity_drop_large_city", -1.0),
    ("P3 R3", &[], &["community.nonmonetary_accumulation=0.2"], "crisis_dissolution", -1.0),
    ("F2", &[], &["expectations.dream_share=1"], "horizon_during", 1.0),
    ("F4", &[], &["expectations.cocreation_share=1"], "prophecy_positive", 1.0),
    ("L2", &[], &["policy.cultural_support=2"], "economy_drop_village", -1.0),
    ("L4 C4", &["community.identity=0.9", "territory.village.newcomer_rate=0.15", "territory.small_town.newcomer_rate=0.15"], &["policy.newcomer_dialogue=3"], "members_end", 1.0),
    ("L4", &[], &["policy.newcomer_dialogue=2"], "newcomer_participation", 1.0),
    ("C4", &[], &["community.identity=0.9"], "newcomer_participation", -1.0),
    ("L5", &[], &["policy.competence_centres=2"], "grants_won", 1.0),
    ("L7", &[], &["policy.development_centres=2"], "stance_integration", 1.0),
    ("L8", &[], &["policy.training=2"], "partner_money", 1.0),
    ("L9", &[], &["policy.museum_support=2"], "members_end", 1.0),
    ("L12", &[], &["policy.research_transfer=2"], "expectation_during", 1.0),
];

#[test]
fn single_factors_move_outcomes_the_way_the_report_says() {
    let n = 100;
    let mut bases: HashMap<Vec<&str>, Vec<Vec<Option<f64>>>> = HashMap::new();
    let mut failures = Vec::new();
    for (ids, base_sets, sets, outcome, sign) in CASES {
        let base = with_sets(&reduced_crisis(), base_sets);
        let base_rows = bases
            .entry(base_sets.to_vec())
            .or_insert_with(|| outcomes(&base, n));
        let rows = outcomes(&with_sets(&base, sets), n);
        let diffs: Vec<f64> = column(&rows, outcome)
            .iter()
            .zip(column(base_rows, outcome))
            .filter_map(|(a, b)| Some(sign * ((*a)? - b?)))
            .collect();
        if diffs.len() < n as usize / 2 {
            failures.push(format!(
                "{ids}: {outcome} is undefined in most runs ({} of {n} pairs)",
                diffs.len()
            ));
            continue;
        }
        let (mean, low, high) = mean_ci(&diffs);
        if low.is_nan() || low <= 0.0 {
            let way = if *sign > 0.0 { "up" } else { "down" };
            failures.push(format!("{ids}: {sets:?} (base {base_sets:?}) should move {outcome} {way}: signed diff {mean:.5} [{low:.5}, {high:.5}]"));
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
