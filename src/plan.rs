//! From a scenario to the runs of an experiment: the design points (a scenario without a sweep
//! is one point), each resolved into a validated model configuration.

use crate::error::{key_excerpt, InputError};
use crate::experiment::design::{self, Point};
use crate::model::config::Config;
use crate::scenario::{self, Scenario};

pub struct Plan {
    pub scenario: Scenario,
    /// Swept keys, in the column order of runs.csv and summary.csv.
    pub swept_keys: Vec<String>,
    pub points: Vec<Point>,
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
        let plan = Plan {
            scenario,
            swept_keys,
            points,
            replicates,
            seed,
        };
        for i in 0..plan.points.len() {
            plan.point_scenario(i)?;
        }
        Ok(plan)
    }

    /// The scenario of design point `i`: the base with the point's assignments, validated.
    pub fn point_scenario(&self, i: usize) -> Result<Scenario, InputError> {
        let mut s = self.scenario.clone();
        s.sweep = None;
        let error = |key: &str, m: String| {
            let at = if self
                .scenario
                .sweep
                .as_ref()
                .is_some_and(|w| w.design == crate::scenario::Design::File)
            {
                "sweep.file"
            } else {
                "sweep.parameters"
            };
            // A design file's header may be the first line of any readable file: quote a short,
            // printable excerpt of it, never the line.
            InputError::key(
                self.scenario.location_of(at),
                key_excerpt(key),
                format!("design point {i}: {m}"),
            )
        };
        for (key, value) in self.swept_keys.iter().zip(&self.points[i]) {
            scenario::overrides_assign(&mut s, key, value.clone()).map_err(|m| error(key, m))?;
        }
        s.validate().map_err(|e| error("sweep", e.to_string()))?;
        Ok(s)
    }

    /// The model configuration of design point `i`, built on demand so that memory does not grow
    /// with the number of points. Every point was validated by [`Plan::new`].
    pub fn config(&self, i: usize) -> Config {
        Config::from_scenario(&self.point_scenario(i).expect("validated in Plan::new"))
    }

    pub fn runs(&self) -> u64 {
        self.points.len() as u64 * self.replicates
    }
}
