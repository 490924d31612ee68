//! From a scenario to the runs of an experiment: the design points (a scenario without a sweep
//! is one point), each resolved into a validated model configuration.

use crate::error::{key_excerpt, InputError};
use crate::experiment::design::{self, Point};
use crate::model::config::Config;
use crate::scenario::{self, Design, Scenario};

mod compare;
pub mod posterior;
pub use compare::takes_from_a;

pub struct Plan {
    pub scenario: Scenario,
    /// Swept keys, in the column order of runs.csv and summary.csv.
    pub swept_keys: Vec<String>,
    pub points: Vec<Point>,
    pub replicates: u64,
    pub seed: u64,
    /// The scenario without its sweep: each point's scenario is a copy of it with the point's
    /// values, so that building a point costs the scenario's scalars and shocks, not the sweep.
    base: Scenario,
    /// The key that errors of a design point name: `sweep.file`, `sweep.parameters` or
    /// `posterior`.
    point_key: &'static str,
    /// For `commsim compare`: scenario B, run as point 1 against the scenario (A, point 0).
    pub compared: Option<Scenario>,
    /// What a comparison took from A for B, or could not show as columns.
    notes: Vec<String>,
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
                design::points(sweep, seed, base_dir)
                    .map_err(|e| InputError::key(scenario.location_of(e.key), e.key, e.message))?
            }
        };
        for key in &swept_keys {
            crate::scenario::sweep::check_swept_key(&scenario, key).map_err(|m| {
                let at = match scenario.sweep.as_ref().map(|w| w.design) {
                    Some(Design::File) => "sweep.file".to_string(),
                    _ => format!("sweep.parameters.\"{key}\""),
                };
                // A design file's header may be any file's first line: quote a short excerpt.
                InputError::key(scenario.location_of(&at), key_excerpt(key), m)
            })?;
        }
        let point_key = match &scenario.sweep {
            Some(sweep) if sweep.design == Design::File => "sweep.file",
            _ => "sweep.parameters",
        };
        let plan = Plan {
            base: scenario.without_sweep(),
            scenario,
            swept_keys,
            points,
            replicates,
            seed,
            point_key,
            compared: None,
            notes: Vec::new(),
        };
        for i in 0..plan.points.len() {
            plan.point_scenario(i)?;
        }
        Ok(plan)
    }

    /// The scenario of design point `i`: the base with the point's assignments, validated.
    pub fn point_scenario(&self, i: usize) -> Result<Scenario, InputError> {
        if let Some(b) = &self.compared {
            return Ok(if i == 0 { self.base.clone() } else { b.clone() });
        }
        let mut s = self.base.clone();
        let error = |key: &str, m: String| {
            InputError::key(
                self.scenario.location_of(self.point_key),
                // A design file's header may be the first line of any readable file: quote a
                // short, printable excerpt of it, never the line.
                key_excerpt(key),
                match self.point_key {
                    "sweep.file" => format!(
                        "design point {i} (data row {} of the design file): {m}",
                        i + 1
                    ),
                    _ => format!("design point {i}: {m}"),
                },
            )
        };
        // A posterior draw is a world the report allows, so its values hold in the burn-in as
        // well; a swept key is a change, from month 0, to the one present every point shares.
        let assign = if self.point_key == posterior::POSTERIOR_KEY {
            scenario::assign_to_present
        } else {
            scenario::overrides_assign
        };
        for (key, value) in self.swept_keys.iter().zip(&self.points[i]) {
            assign(&mut s, key, value.clone()).map_err(|m| error(key, m))?;
        }
        s.validate().map_err(|e| error("sweep", e.to_string()))?;
        Ok(s)
    }

    /// The model configuration of design point `i`, built on demand so that memory does not grow
    /// with the number of points. Every point was validated by [`Plan::new`].
    pub fn config(&self, i: usize) -> Config {
        Config::from_scenario(&self.point_scenario(i).expect("validated in Plan::new"))
    }

    /// The shocks a point's scenario may have: the scenario's (a sweep never adds one), or for
    /// a comparison the more of A's and B's.
    fn max_shocks(&self) -> usize {
        let b = self.compared.as_ref().map_or(0, |b| b.shocks.len());
        self.scenario.shocks.len().max(b)
    }

    /// points.csv's columns after `point`: every registry key in registry order but the keys
    /// that choose the files (`output::FILE_CHOICE_KEYS`, the same at every point and no
    /// parameter of it), then the fields of each shock, `shocks.N.FIELD`.
    pub fn parameter_columns(&self) -> Vec<String> {
        let mut columns: Vec<String> = crate::params::registry()
            .iter()
            .filter(|spec| is_point_parameter(&spec.key))
            .map(|spec| spec.key.clone())
            .collect();
        for i in 0..self.max_shocks() {
            columns.extend(
                scenario::SHOCK_FIELDS
                    .iter()
                    .map(|field| format!("shocks.{i}.{field}")),
            );
        }
        columns
    }

    /// points.csv's columns after `point` ([`Plan::parameter_columns`]), each with the type of
    /// its cells.
    pub fn parameter_schema(&self) -> Vec<(String, crate::experiment::ColumnType)> {
        self.parameter_columns()
            .into_iter()
            .map(|key| {
                let t = key_type(&key);
                (key, t)
            })
            .collect()
    }

    /// The swept keys (runs.csv's columns after `seed`), each with the type of its cells.
    pub fn swept_schema(&self) -> Vec<(String, crate::experiment::ColumnType)> {
        self.swept_keys
            .iter()
            .map(|key| (key.clone(), key_type(key)))
            .collect()
    }

    /// The row of points.csv of design point `i` after its number, in the order of
    /// [`Plan::parameter_columns`]: every resolved value as runs.csv writes a swept value (a
    /// shock's profile as its numbers separated by spaces), empty for a shock the point lacks.
    pub fn point_parameters(&self, i: usize) -> Vec<String> {
        let s = self.point_scenario(i).expect("validated in Plan::new");
        let mut row: Vec<String> = s
            .values
            .iter()
            .filter(|(spec, _)| is_point_parameter(&spec.key))
            .map(|(_, value)| crate::output::value_cell(value))
            .collect();
        for j in 0..self.max_shocks() {
            match s.shocks.get(j) {
                Some(shock) => {
                    for field in scenario::SHOCK_FIELDS {
                        row.push(match shock.get(field) {
                            Some(v) => crate::output::value_cell(&v),
                            None => shock
                                .profile
                                .iter()
                                .map(|x| crate::output::value_cell(&crate::params::Value::Real(*x)))
                                .collect::<Vec<_>>()
                                .join(" "),
                        });
                    }
                }
                None => row.extend(std::iter::repeat_n(
                    String::new(),
                    scenario::SHOCK_FIELDS.len(),
                )),
            }
        }
        row
    }

    /// How the runs' seeds derive from the master seed (`sweep.common_random_numbers`).
    pub fn seeding(&self) -> crate::experiment::Seeding {
        crate::experiment::Seeding {
            master: self.seed,
            common_random_numbers: self.compared.is_some()
                || self
                    .scenario
                    .sweep
                    .as_ref()
                    .is_some_and(|s| s.common_random_numbers),
        }
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
        let mut warnings = Vec::new();
        if let Some(sweep) = self
            .scenario
            .sweep
            .as_ref()
            .filter(|w| w.design == Design::Sobol)
        {
            if !sweep.samples.is_power_of_two() {
                warnings.push(format!(
                    "sweep.samples = {} is not a power of 2: a Sobol sequence is balanced over 2^m base points, so the indices converge more slowly (SALib warns alike)",
                    sweep.samples
                ));
            }
        }
        warnings.extend(self.shock_warnings());
        warnings.extend(self.notes.iter().cloned());
        warnings
    }

    /// What identifies the plan's runs beside the design: the resolved scenario, and for a
    /// comparison B's too.
    pub fn identity(&self) -> String {
        let b = self.compared.as_ref().map(Scenario::to_toml);
        crate::output::identity(&self.scenario.to_toml(), b.as_deref())
    }

    fn shock_warnings(&self) -> Vec<String> {
        let months = self.scenario.values.whole("run.months");
        // A comparison's points may differ in their shocks beyond its columns: each point's own.
        let sweeps_shocks =
            self.compared.is_some() || self.swept_keys.iter().any(|k| k.starts_with("shocks."));
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
                    // A comparison's B may have more shocks than A.
                    if overruns.len() <= i {
                        overruns.resize(i + 1, (0, None));
                    }
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

/// The type of the cells of a parameter's column, from what the key is (never from its values):
/// a registry key by its kind (a whole number that may exceed 2^63 - 1, such as `run.seed`, as
/// unsigned; a list as its names separated by spaces), a shock field by the field.
pub fn key_type(key: &str) -> crate::experiment::ColumnType {
    use crate::experiment::ColumnType;
    use crate::params::Kind;
    if let Some(i) = crate::params::index_of(key) {
        return match crate::params::registry()[i].kind {
            Kind::Real { .. } => ColumnType::Real,
            Kind::Whole { max, .. } if max > i64::MAX as u64 => ColumnType::Unsigned,
            Kind::Whole { .. } => ColumnType::Int,
            Kind::Flag => ColumnType::Flag,
            Kind::Text | Kind::List => ColumnType::Text,
        };
    }
    match key.rsplit('.').next() {
        Some("start_month" | "duration_months") => ColumnType::Int,
        Some("severity") => ColumnType::Real,
        // kind, and profile (its numbers separated by spaces).
        _ => ColumnType::Text,
    }
}

/// Whether points.csv has a column for a registry key: every key but those that choose the
/// files.
fn is_point_parameter(key: &str) -> bool {
    !crate::output::FILE_CHOICE_KEYS.contains(&key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Value;
    use crate::scenario::{parse_str, Sweep, SweepValues};

    /// The default scenario with a grid over one list of `n` values.
    fn grid_of(n: usize) -> Scenario {
        let list = (0..n).map(|i| Value::Real(i as f64 / n as f64)).collect();
        Scenario {
            sweep: Some(Sweep {
                parameters: vec![("community.recognition".into(), SweepValues::List(list))],
                ..Sweep::default()
            }),
            ..Scenario::default()
        }
    }

    #[test]
    fn a_point_is_built_from_the_base_without_copying_the_sweep() {
        let plan = Plan::new(grid_of(10)).unwrap();
        let point = plan.point_scenario(7).unwrap();
        assert!(point.sweep.is_none());
        assert!(std::sync::Arc::ptr_eq(
            &point.locations,
            &plan.scenario.locations
        ));
        assert_eq!(point.values.real("community.recognition"), 0.7);
    }

    #[test]
    fn a_grid_over_a_hundred_thousand_values_is_planned() {
        // Each point used to copy the whole sweep: 10^10 values copied here, about 50 s.
        let n = 100_000;
        let plan = Plan::new(grid_of(n)).unwrap();
        assert_eq!(plan.points.len(), n);
        assert_eq!(plan.config(n - 1).months, 48);
    }

    #[test]
    fn every_one_of_many_shocks_is_located_on_its_own_line() {
        // Locating each key used to count lines from the start of the text: quadratic.
        let n = 20_000;
        let mut text = String::from("[run]\nmonths = 48\n");
        for _ in 0..n {
            text.push_str("[[shocks]]\nstart_month = 3\nduration_months = 2\nseverity = 0.5\n");
        }
        let s = parse_str(&text, "s.toml").unwrap();
        assert_eq!(s.shocks.len(), n);
        let last = s.location_of(&format!("shocks.{}.severity", n - 1));
        assert_eq!((last.line, last.column), (Some(2 + 4 * n), Some(1)));
    }
}
