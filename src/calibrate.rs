//! Calibration by ABC-SMC (`commsim calibrate`): the `[calibrate]` table
//! (`scenario::calibrate`) turned into the settings and priors of `experiment::abc`, a particle
//! turned into a scenario, and the runs of a particle turned into one distance from the targets.
//!
//! **The distance.** Each target is an interval [low, high] for a mean over the particle's
//! replicates: a claim of a selected pattern of the scorecard (`patterns::evaluate`: its mean,
//! the interval it must lie in) or a numeric target on an outcome (`[calibrate.outcomes]`). Its
//! distance is 0 when the mean lies in the interval, else the distance from the mean to the
//! interval divided by the target's scale ([`claim_scale`]): the interval's width where both
//! ends are finite; for a one-sided claim (a difference above 0) [`HORIZON_SCALE_MONTHS`] for a
//! planning-horizon claim and [`SHARE_SCALE`] for the others, which are shares and per-inhabitant
//! levels. A target whose mean is undefined for the particle (no replicate defines it) counts
//! [`UNDEFINED_PENALTY`], a failure by one scale. The particle's distance is the **sum** over
//! targets: every failing claim then adds to it, so that lowering the tolerance presses on all of
//! them, where the maximum would leave all but the worst free and give ties across much of the
//! space; a particle is at 0 only where every target holds.
//!
//! The claims are judged on their means, not on the confidence intervals of the scorecard's
//! verdicts: ABC conditions on summaries of the data, and the mean over a particle's replicates
//! is the summary; whether the patterns then hold with confidence at the posterior is for
//! `commsim patterns` or `commsim run --posterior` with more replicates to say.

use crate::error::InputError;
use crate::experiment::abc::{AbcSettings, Prior};
use crate::experiment::derive_seed;
use crate::params::Value;
use crate::patterns::{evaluate, Claim};
use crate::scenario::calibrate::{Calibrate, Scale};
use crate::scenario::{self, Scenario};

/// The scale of a one-sided claim on shares and per-inhabitant levels: the width of pattern 2's
/// band of crisis dissolution (0 to 10%).
pub const SHARE_SCALE: f64 = 0.1;

/// The scale of a one-sided claim on the planning horizon, in months: the width of pattern 4's
/// band of the trough (2 to 5 months).
pub const HORIZON_SCALE_MONTHS: f64 = 3.0;

/// The distance of a target whose mean the particle leaves undefined: a failure by one scale.
pub const UNDEFINED_PENALTY: f64 = 1.0;

/// Draws of a generation allowed per particle before the calibration stops
/// (`AbcSettings::max_draws_per_generation`): an acceptance rate below 1 in this many.
pub const DRAWS_PER_PARTICLE: u64 = 1000;

/// The scale that divides a claim's distance from its interval.
pub fn claim_scale(label: &str, low: f64, high: f64) -> f64 {
    if low.is_finite() && high.is_finite() {
        high - low
    } else if label.starts_with("horizon") {
        HORIZON_SCALE_MONTHS
    } else {
        SHARE_SCALE
    }
}

/// The distance of a mean from [low, high] in units of `scale`; [`UNDEFINED_PENALTY`] for an
/// undefined mean.
pub fn interval_distance(mean: f64, low: f64, high: f64, scale: f64) -> f64 {
    if mean.is_nan() {
        UNDEFINED_PENALTY
    } else if mean < low {
        (low - mean) / scale
    } else if mean > high {
        (mean - high) / scale
    } else {
        0.0
    }
}

/// One target's part of a particle's distance.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetDistance {
    /// `pattern N: claim` or `outcome NAME`.
    pub label: String,
    pub mean: f64,
    pub low: f64,
    pub high: f64,
    pub distance: f64,
}

/// The targets' distances for the runs of one particle: `rows[r]` holds replicate r's outcomes,
/// named by `names`.
pub fn target_distances(
    calibrate: &Calibrate,
    names: &[String],
    rows: &[Vec<Option<f64>>],
) -> Vec<TargetDistance> {
    let column = |name: &str| -> Vec<Option<f64>> {
        match names.iter().position(|n| n == name) {
            Some(k) => rows.iter().map(|r| r[k]).collect(),
            None => vec![None; rows.len()],
        }
    };
    let mut out = Vec::new();
    if !calibrate.patterns.is_empty() {
        for pattern in evaluate(&column) {
            if !calibrate.patterns.contains(&(pattern.number as u64)) {
                continue;
            }
            for Claim {
                label,
                mean,
                low,
                high,
                ..
            } in pattern.claims
            {
                let scale = claim_scale(&label, low, high);
                out.push(TargetDistance {
                    label: format!("pattern {}: {label}", pattern.number),
                    mean,
                    low,
                    high,
                    distance: interval_distance(mean, low, high, scale),
                });
            }
        }
    }
    for t in &calibrate.outcomes {
        let values: Vec<f64> = column(&t.outcome).into_iter().flatten().collect();
        let mean = if values.is_empty() {
            f64::NAN
        } else {
            values.iter().sum::<f64>() / values.len() as f64
        };
        out.push(TargetDistance {
            label: format!("outcome {}", t.outcome),
            mean,
            low: t.min,
            high: t.max,
            distance: interval_distance(mean, t.min, t.max, t.max - t.min),
        });
    }
    out
}

/// A particle's distance: the sum of its targets'.
pub fn distance(calibrate: &Calibrate, names: &[String], rows: &[Vec<Option<f64>>]) -> f64 {
    target_distances(calibrate, names, rows)
        .iter()
        .map(|t| t.distance)
        .sum()
}

/// The priors of the calibrated keys, in their order.
pub fn priors(calibrate: &Calibrate) -> Vec<Prior> {
    calibrate
        .parameters
        .iter()
        .map(|p| match p.scale {
            Scale::Linear => Prior::Uniform {
                low: p.min,
                high: p.max,
            },
            Scale::Log => Prior::LogUniform {
                low: p.min,
                high: p.max,
            },
        })
        .collect()
}

/// The calibrated keys' names, the parameter columns of the generation tables.
pub fn key_names(calibrate: &Calibrate) -> Vec<String> {
    calibrate.parameters.iter().map(|p| p.key.clone()).collect()
}

/// The ABC-SMC settings of a calibration of `scenario`.
pub fn settings(calibrate: &Calibrate, scenario: &Scenario) -> AbcSettings {
    let population = calibrate.population as usize;
    AbcSettings {
        generations: calibrate.generations as usize,
        final_tolerance: calibrate.final_tolerance,
        min_acceptance: calibrate.min_acceptance,
        quantile: calibrate.quantile,
        batch: calibrate.batch as usize,
        max_draws_per_generation: calibrate.population.saturating_mul(DRAWS_PER_PARTICLE),
        ..AbcSettings::new(population, calibrate.seed_of(scenario))
    }
}

/// The value a calibrated key takes at `x`: rounded for a whole-valued key.
pub fn key_value(key: &str, x: f64) -> Value {
    scenario::sweep::range_value(key, x)
}

/// `base` with each key set to its value in `theta` and validated; an error where the values
/// break a constraint across keys (such a particle is refused: its distance is NaN). A
/// particle is a world, not a change to one: its values hold in the burn-in too
/// (`scenario::assign_to_present`), so the patterns are those of a region that lived under them.
pub fn particle_scenario(
    base: &Scenario,
    keys: &[String],
    theta: &[f64],
) -> Result<Scenario, InputError> {
    let mut s = base.clone();
    for (key, x) in keys.iter().zip(theta) {
        scenario::assign_to_present(&mut s, key, key_value(key, *x))
            .map_err(|m| InputError::key(base.location_of(key), key.clone(), m))?;
    }
    s.validate()?;
    Ok(s)
}

/// The seed of replicate `replicate` of the particle simulated with seed `seed`.
pub fn replicate_seed(seed: u64, replicate: u64) -> u64 {
    derive_seed(seed, 0, replicate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::calibrate::OutcomeTarget;

    #[test]
    fn a_target_is_zero_inside_and_grows_with_the_gap_in_scales() {
        assert_eq!(interval_distance(0.05, 0.0, 0.1, 0.1), 0.0);
        assert!((interval_distance(0.15, 0.0, 0.1, 0.1) - 0.5).abs() < 1e-12);
        assert!((interval_distance(-0.2, 0.0, f64::INFINITY, SHARE_SCALE) - 2.0).abs() < 1e-12);
        assert_eq!(
            interval_distance(f64::NAN, 0.0, 1.0, 1.0),
            UNDEFINED_PENALTY
        );
        assert_eq!(
            claim_scale("horizon_before - horizon_during", 0.0, f64::INFINITY),
            3.0
        );
        assert_eq!(claim_scale("horizon_trough", 2.0, 5.0), 3.0);
        assert_eq!(claim_scale("r1_signals", 0.3, 3.0), 2.7);
        assert_eq!(claim_scale("x - y", f64::NEG_INFINITY, 0.0), SHARE_SCALE);
    }

    #[test]
    fn numeric_targets_take_the_mean_over_replicates_and_sum() {
        let names: Vec<String> = ["survival", "r1_signals"].map(String::from).to_vec();
        let c = Calibrate {
            patterns: Vec::new(),
            outcomes: vec![
                OutcomeTarget {
                    outcome: "survival".into(),
                    min: 0.8,
                    max: 0.9,
                },
                OutcomeTarget {
                    outcome: "r1_signals".into(),
                    min: 1.0,
                    max: 2.0,
                },
            ],
            ..Calibrate::default()
        };
        // survival mean 0.7 (0.1 below, width 0.1: 1), r1_signals undefined (the penalty).
        let rows = vec![vec![Some(0.6), None], vec![Some(0.8), None]];
        let parts = target_distances(&c, &names, &rows);
        assert_eq!(parts.len(), 2);
        assert!((parts[0].distance - 1.0).abs() < 1e-9);
        assert_eq!(parts[1].distance, UNDEFINED_PENALTY);
        assert!((distance(&c, &names, &rows) - 2.0).abs() < 1e-9);
    }

    #[test]
    fn a_particle_holds_in_the_burn_in_and_a_shock_field_in_the_run_only() {
        let base = crate::scenario::parse_str(
            "[[shocks]]\nstart_month = 3\nduration_months = 2\nseverity = 0.5\n",
            "t.toml",
        )
        .unwrap();
        let keys = vec![
            "dissolution.newness".to_string(),
            "shocks.0.severity".into(),
        ];
        let s = particle_scenario(&base, &keys, &[2.5, 0.9]).unwrap();
        assert_eq!(s.values.real("dissolution.newness"), 2.5);
        assert_eq!(s.shocks[0].severity, 0.9);
        let present = s
            .burn_in_values()
            .expect("the default reading is the reference");
        assert_eq!(present.real("dissolution.newness"), 2.5);
        // So the particle's burn-in runs under its own values: no second configuration.
        assert!(crate::model::config::Config::from_scenario(&s)
            .burn_in_config
            .is_none());
    }
}
