//! The plan of `commsim run --posterior DIR`: the scenario run at draws from a calibration's
//! posterior instead of at one point. Each draw is a design point that sets the calibrated keys
//! to the draw's values; its replicates run as usual, so the outcomes over all points carry the
//! posterior's parameter uncertainty as well as the model's noise.

use super::Plan;
use crate::error::InputError;
use crate::experiment::abc::{self, Generation, Particle};
use crate::scenario::Scenario;

/// What a posterior run's points are, as manifest.json and posterior-summary.csv say.
pub const POSTERIOR_POINTS: &str = "posterior draws";
/// The plan's point key of a posterior run (the points are the draws).
pub const POSTERIOR_KEY: &str = "posterior";

/// `count` draws from weighted particles by systematic resampling (`experiment::abc::resample`)
/// with `seed`: each particle is drawn floor(count w) or ceil(count w) times.
pub fn draws(particles: &[(Vec<f64>, f64)], count: usize, seed: u64) -> Vec<Vec<f64>> {
    let total: f64 = particles.iter().map(|(_, w)| w).sum();
    let generation = Generation {
        index: 0,
        tolerance: f64::NAN,
        particles: particles
            .iter()
            .map(|(theta, w)| Particle {
                theta: theta.clone(),
                weight: w / total,
                distance: f64::NAN,
            })
            .collect(),
        draws: particles.len() as u64,
        simulations: particles.len() as u64,
        accepted: particles.len(),
        ess: f64::NAN,
    };
    abc::resample(&generation, count, seed)
}

impl Plan {
    /// The plan of `scenario` at the posterior draws `draws`, each the values of `keys` in
    /// order. A scenario with a sweep is refused: its points would be the sweep's.
    pub fn posterior(
        scenario: Scenario,
        keys: Vec<String>,
        draws: Vec<Vec<f64>>,
    ) -> Result<Plan, InputError> {
        if scenario.sweep.is_some() {
            return Err(InputError::key(
                scenario.location_of("sweep"),
                "sweep",
                "--posterior runs the scenario at posterior draws, which are its design points; allowed: a scenario without [sweep]",
            ));
        }
        for key in &keys {
            crate::scenario::sweep::check_swept_key(&scenario, key)
                .map_err(|m| InputError::key(scenario.location_of(key), key.clone(), m))?;
        }
        let points = draws
            .iter()
            .map(|d| {
                keys.iter()
                    .zip(d)
                    .map(|(k, x)| crate::calibrate::key_value(k, *x))
                    .collect()
            })
            .collect();
        let plan = Plan {
            base: scenario.without_sweep(),
            seed: scenario.values.whole("run.seed"),
            replicates: scenario.values.whole("run.replicates"),
            scenario,
            swept_keys: keys,
            points,
            point_key: POSTERIOR_KEY,
            compared: None,
            notes: Vec::new(),
        };
        for i in 0..plan.points.len() {
            plan.point_scenario(i)?;
        }
        Ok(plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posterior_draws_follow_the_weights_and_set_the_keys() {
        let particles = vec![(vec![0.2], 3.0), (vec![0.6], 1.0)];
        let d = draws(&particles, 8, 1);
        assert_eq!(d.iter().filter(|t| t[0] == 0.2).count(), 6);
        let plan =
            Plan::posterior(Scenario::default(), vec!["community.recognition".into()], d).unwrap();
        assert_eq!(plan.points.len(), 8);
        let s = plan.point_scenario(7).unwrap();
        assert_eq!(s.values.real("community.recognition"), 0.6);
        // A draw is a world: it holds in the burn-in, under the reference reading too.
        let present = s
            .burn_in_values()
            .expect("the default reading is the reference");
        assert_eq!(present.real("community.recognition"), 0.6);
        let e = Plan::posterior(
            Scenario::default(),
            vec!["community.recognition".into()],
            vec![vec![2.0]],
        );
        assert!(e.is_err());
    }
}
