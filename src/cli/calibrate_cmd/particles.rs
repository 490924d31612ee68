//! Candidates into distances: the scenario of a particle, its replicates on the rayon pool, and
//! the distance of their outcomes to the targets.

use anyhow::Result;
use commsim::calibrate::{self, key_names, particle_scenario, replicate_seed};
use commsim::error::InputError;
use commsim::experiment::abc::Candidate;
use commsim::experiment::Model;
use commsim::model::config::Config;
use commsim::model::CommunityModel;
use commsim::scenario::calibrate::Calibrate;
use commsim::scenario::Scenario;
use rayon::prelude::*;

/// What turns a candidate into its distance: the scenario (without a sweep), its `[calibrate]`
/// table, the calibrated keys and the model's outcomes.
pub(super) struct Particles {
    base: Scenario,
    pub(super) cal: Calibrate,
    pub(super) names: Vec<String>,
    outcome_names: Vec<String>,
}

impl Particles {
    /// Refuses a scenario without a `[calibrate]` table, or with a `[sweep]`.
    pub(super) fn of(scenario: &Scenario) -> Result<Particles> {
        let Some(cal) = scenario.calibrate.clone() else {
            return Err(InputError::key(
                scenario.location_of("calibrate"),
                "calibrate",
                "the scenario has no [calibrate] table; allowed: a scenario with [calibrate] and [calibrate.parameters] (scenarios/calibrate-default.toml documents every key)",
            )
            .into());
        };
        if scenario.sweep.is_some() {
            return Err(InputError::key(
                scenario.location_of("sweep"),
                "sweep",
                "a calibration varies the [calibrate.parameters] keys itself; allowed: a scenario with [calibrate] and no [sweep]",
            )
            .into());
        }
        Ok(Particles {
            base: scenario.without_sweep(),
            names: key_names(&cal),
            cal,
            outcome_names: CommunityModel.outcome_names(),
        })
    }

    /// The distances of `candidates`, in their order, and the runs simulated: a candidate whose
    /// values break a constraint across keys is refused before simulating (distance NaN, no
    /// runs). The candidates and the replicates of each run in parallel on `pool`; each
    /// distance is a function of the candidate's theta and seed alone.
    pub(super) fn evaluate(
        &self,
        pool: &rayon::ThreadPool,
        candidates: &[Candidate],
    ) -> (Vec<f64>, u64) {
        let replicates = self.cal.replicates;
        pool.install(|| {
            let configs: Vec<Option<Config>> = candidates
                .par_iter()
                .map(|c| {
                    particle_scenario(&self.base, &self.names, &c.theta)
                        .ok()
                        .map(|s| Config::from_scenario(&s))
                })
                .collect();
            let jobs: Vec<(usize, u64)> = (0..candidates.len())
                .filter(|&i| configs[i].is_some())
                .flat_map(|i| (0..replicates).map(move |r| (i, r)))
                .collect();
            let rows: Vec<Vec<Option<f64>>> = jobs
                .par_iter()
                .map(|&(i, r)| {
                    let config = configs[i].as_ref().expect("filtered");
                    CommunityModel
                        .run(config, replicate_seed(candidates[i].seed, r))
                        .outcomes
                })
                .collect();
            let mut per: Vec<Vec<Vec<Option<f64>>>> = vec![Vec::new(); candidates.len()];
            for (&(i, _), row) in jobs.iter().zip(rows) {
                per[i].push(row);
            }
            let distances = per
                .iter()
                .zip(&configs)
                .map(|(rows, config)| match config {
                    Some(_) => calibrate::distance(&self.cal, &self.outcome_names, rows),
                    None => f64::NAN,
                })
                .collect();
            (distances, jobs.len() as u64)
        })
    }
}
