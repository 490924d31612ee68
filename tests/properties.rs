//! Property tests over random valid scenarios (proptest): every real and flag parameter of the
//! registry may take any value of its range, with zero to two shocks of any kind, on a small
//! region. For each, at every month of a run the bookkeeping invariants of every territory hold
//! (`Territory::check_invariants`), and the outcomes are finite, shares lie in [0, 1], community
//! counts are conserved and stance shares sum to 1. Kaplan-Meier curves never rise.

use commsim::experiment::{Model, SurvivalCounts};
use commsim::model::config::Config;
use commsim::model::region::Region;
use commsim::model::CommunityModel;
use commsim::params::{registry, Kind, Value};
use commsim::scenario::{overrides_assign as assign, Scenario};
use proptest::prelude::*;

/// Keys drawn at random: every real and flag key except those that size the region or the run,
/// and the shares that must sum to 1 (the validator's business, tested elsewhere).
fn drawn_keys() -> Vec<(String, Kind)> {
    registry()
        .iter()
        .filter(|p| matches!(p.kind, Kind::Real { .. } | Kind::Flag))
        .filter(|p| {
            let k = p.key.as_str();
            !(k.starts_with("run.")
                || k.starts_with("region.")
                || k.starts_with("output.")
                || k.starts_with("community.type_mix.")
                || (k.starts_with("grants.") && k.ends_with(".share"))
                || k.ends_with(".communities"))
        })
        .map(|p| (p.key.clone(), p.kind.clone()))
        .collect()
}

/// A small region, short run; then the drawn values and shocks.
fn scenario(draws: &[(usize, f64)], shocks: &[(u32, u32, f64, u8)]) -> Option<Scenario> {
    let keys = drawn_keys();
    let mut s = Scenario::default();
    for (key, value) in [
        ("region.villages", Value::Whole(2)),
        ("region.small_towns", Value::Whole(1)),
        ("region.large_cities", Value::Whole(1)),
        ("territory.small_town.population", Value::Whole(1500)),
        ("territory.large_city.population", Value::Whole(3000)),
        ("territory.large_city.communities", Value::Real(6.0)),
        ("run.months", Value::Whole(24)),
        ("run.burn_in", Value::Whole(6)),
    ] {
        assign(&mut s, key, value).unwrap();
    }
    for &(i, u) in draws {
        let (key, kind) = &keys[i % keys.len()];
        let value = match kind {
            Kind::Real { min, max } => Value::Real(min + (max - min) * u),
            _ => Value::Flag(u < 0.5),
        };
        assign(&mut s, key, value).unwrap();
    }
    for (n, &(start, duration, severity, kind)) in shocks.iter().enumerate() {
        let kind = ["pandemic", "economic", "disaster"][kind as usize % 3];
        for (field, value) in [
            ("start_month", Value::Whole(u64::from(start % 24))),
            (
                "duration_months",
                Value::Whole(u64::from(1 + duration % 30)),
            ),
            ("severity", Value::Real(severity)),
            ("kind", Value::Text(kind.into())),
        ] {
            assign(&mut s, &format!("shocks.{n}.{field}"), value).unwrap();
        }
    }
    s.validate().ok()?;
    Some(s)
}

fn is_share(name: &str) -> bool {
    !name.ends_with("_excess") && is_share_or_its_excess(name)
}

/// A share, or the excess of a share over the no-shock twin (a difference of shares, in [-1, 1]).
fn is_share_or_its_excess(name: &str) -> bool {
    name.starts_with("survival")
        || name.starts_with("crisis_dissolution")
        || name.starts_with("stance_")
        || name.contains("_share_")
        || name == "prophecy_positive"
        || name == "newcomer_participation"
        || name == "isolated_share"
        || name.starts_with("tie_diversity_")
        || (name.starts_with("wave")
            && ["_share", "_alive", "_signal"]
                .iter()
                .any(|s| name.trim_end_matches("_excess").ends_with(s)))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn any_valid_scenario_keeps_the_invariants(
        seed in any::<u64>(),
        draws in proptest::collection::vec((0usize..1000, 0.0f64..=1.0), 0..40),
        shocks in proptest::collection::vec((0u32..24, 0u32..30, 0.0f64..=1.0, 0u8..3), 0..3),
    ) {
        let Some(s) = scenario(&draws, &shocks) else {
            return Err(TestCaseError::reject("invalid scenario"));
        };
        let config = Config::from_scenario(&s);
        let mut region = Region::new(&config, seed);
        for month in 0..config.burn_in + config.months {
            if month == config.burn_in {
                region.start_observation();
            }
            region.step(&config);
            for (t, territory) in region.territories.iter().enumerate() {
                if let Err(e) = territory.check_invariants() {
                    return Err(TestCaseError::fail(format!("month {month}, territory {t}: {e}")));
                }
            }
        }
        let out = CommunityModel.run(&config, seed);
        let names = CommunityModel.outcome_names();
        let get = |n: &str| out.outcomes[names.iter().position(|x| x == n).unwrap()];
        for (name, value) in names.iter().zip(&out.outcomes) {
            if let Some(v) = value {
                prop_assert!(v.is_finite(), "{name} = {v}");
                if is_share(name) {
                    prop_assert!((0.0..=1.0).contains(v), "{name} = {v}");
                } else if is_share_or_its_excess(name) {
                    prop_assert!((-1.0..=1.0).contains(v), "{name} = {v}");
                }
            }
        }
        if let (Some(signals), Some(sample)) = (get("r1_signals"), get("r1_sample")) {
            prop_assert!(signals <= sample, "{signals} signals in a sample of {sample}");
        }
        let (start, end) = (get("communities_start").unwrap(), get("communities_end").unwrap());
        let (formed, dissolved) = (get("formed").unwrap(), get("dissolved").unwrap());
        prop_assert_eq!(start + formed - dissolved, end);
        if let (Some(a), Some(b), Some(c)) = (
            get("stance_integration"),
            get("stance_neutrality"),
            get("stance_confrontation"),
        ) {
            prop_assert!((a + b + c - 1.0).abs() < 1e-9, "stances sum to {}", a + b + c);
        }
    }

    #[test]
    fn kaplan_meier_curves_never_rise_and_bands_hold_them(
        records in proptest::collection::vec((0usize..2, 0usize..30, any::<bool>()), 0..400),
    ) {
        let mut counts = SurvivalCounts::new(2, 30);
        for &(group, time, event) in &records {
            if event {
                counts.add_event(group, time);
            } else {
                counts.add_censored(group, time);
            }
        }
        for group in 0..2 {
            let curve = counts.curve(group);
            let mut last = 1.0;
            for row in &curve {
                prop_assert!(row.survival <= last + 1e-12, "rises at {}", row.time);
                prop_assert!((0.0..=1.0).contains(&row.survival));
                prop_assert!(row.ci95_low <= row.survival + 1e-12 && row.survival <= row.ci95_high + 1e-12);
                prop_assert!(row.ci95_low >= 0.0 && row.ci95_high <= 1.0);
                last = row.survival;
            }
        }
    }
}
