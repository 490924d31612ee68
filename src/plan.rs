//! From a scenario to the runs of an experiment: the design points (a scenario without a sweep
//! is one point), each resolved into a validated model configuration.

use crate::error::InputError;
use crate::experiment::design::{self, Assignments};
use crate::model::config::Config;
use crate::scenario::{self, Scenario};

pub struct Plan {
    pub scenario: Scenario,
    /// Swept keys, in the column order of runs.csv and summary.csv.
    pub swept_keys: Vec<String>,
    pub points: Vec<Assignments>,
    pub configs: Vec<Config>,
    pub replicates: u64,
    pub seed: u64,
}

impl Plan {
    pub fn new(scenario: Scenario) -> Result<Plan, InputError> {
        let seed = scenario.values.whole("run.seed");
        let replicates = scenario.values.whole("run.replicates");
        let (swept_keys, points) = match &scenario.sweep {
            None => (Vec::new(), vec![Vec::new()]),
            Some(sweep) => {
                let base_dir = std::path::Path::new(&scenario.origin)
                    .parent()
                    .unwrap_or(std::path::Path::new("."));
                let key = if sweep.design == crate::scenario::Design::File {
                    "sweep.file"
                } else {
                    "sweep.design"
                };
                design::points(sweep, seed, base_dir)
                    .map_err(|m| InputError::key(scenario.location_of(key), key, m))?
            }
        };
        let mut configs = Vec::with_capacity(points.len());
        for (i, point) in points.iter().enumerate() {
            let mut s = scenario.clone();
            s.sweep = None;
            for (key, value) in point {
                scenario::overrides_assign(&mut s, key, value.clone())
                    .and_then(|_| s.validate().map_err(|e| e.to_string()))
                    .map_err(|m| {
                        InputError::key(
                            scenario.location_of("sweep.parameters"),
                            key.clone(),
                            format!("design point {i}: {m}"),
                        )
                    })?;
            }
            configs.push(Config::from_scenario(&s));
        }
        Ok(Plan {
            scenario,
            swept_keys,
            points,
            configs,
            replicates,
            seed,
        })
    }

    pub fn runs(&self) -> u64 {
        self.points.len() as u64 * self.replicates
    }
}
