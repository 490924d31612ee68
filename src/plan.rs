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
        for key in &swept_keys {
            crate::scenario::sweep::check_swept_key(&scenario, key).map_err(|m| {
                let at = match scenario.sweep.as_ref().map(|w| w.design) {
                    Some(crate::scenario::Design::File) => "sweep.file".to_string(),
                    _ => format!("sweep.parameters.\"{key}\""),
                };
                // A design file's header may be any file's first line: quote a short excerpt.
                InputError::key(scenario.location_of(&at), crate::error::key_excerpt(key), m)
            })?;
        }
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

    /// SHA-256 of the design as `commsim design` prints it (header and every point): it tells two
    /// runs of one scenario apart when a design file changed between them.
    pub fn design_sha256(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut hash = Sha256::new();
        hash.update(b"point");
        for key in &self.swept_keys {
            hash.update(b",");
            hash.update(key.as_bytes());
        }
        hash.update(b"\n");
        for (i, point) in self.points.iter().enumerate() {
            hash.update(i.to_string().as_bytes());
            for v in point {
                hash.update(b",");
                hash.update(crate::output::value_cell(v).as_bytes());
            }
            hash.update(b"\n");
        }
        hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// What the scenario allows but a researcher should know: a shock that runs past the end of
    /// the run (its crisis outcomes then see only part of it), at the base scenario or at how
    /// many design points.
    pub fn warnings(&self) -> Vec<String> {
        let months = self.scenario.values.whole("run.months");
        let sweeps_shocks = self.swept_keys.iter().any(|k| k.starts_with("shocks."));
        if !sweeps_shocks {
            return self
                .scenario
                .shocks
                .iter()
                .enumerate()
                .filter_map(|(i, s)| s.overrun(months).map(|m| format!("shocks.{i} {m}")))
                .collect();
        }
        let mut overruns = vec![(0usize, None); self.scenario.shocks.len()];
        for p in 0..self.points.len() {
            let s = self.point_scenario(p).expect("validated in Plan::new");
            for (i, shock) in s.shocks.iter().enumerate() {
                if let Some(m) = shock.overrun(months) {
                    overruns[i].0 += 1;
                    overruns[i].1.get_or_insert((p, m));
                }
            }
        }
        overruns
            .into_iter()
            .enumerate()
            .filter_map(|(i, (n, first))| {
                first.map(|(p, m)| {
                    format!(
                        "shocks.{i} runs past the end of the run at {n} of {} design points (at point {p}, it {m})",
                        self.points.len()
                    )
                })
            })
            .collect()
    }

    pub fn runs(&self) -> u64 {
        self.points.len() as u64 * self.replicates
    }
}
