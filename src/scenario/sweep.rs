//! The `[sweep]` table: which design, how many points, and the swept keys with their values or
//! ranges. Expanding a sweep into points is `experiment::design`'s job.

use super::Scenario;
use crate::error::InputError;
use crate::params::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Design {
    Grid,
    Lhs,
    Sobol,
    Morris,
    File,
}

impl Design {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "grid" => Some(Design::Grid),
            "lhs" => Some(Design::Lhs),
            "sobol" => Some(Design::Sobol),
            "morris" => Some(Design::Morris),
            "file" => Some(Design::File),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Design::Grid => "grid",
            Design::Lhs => "lhs",
            Design::Sobol => "sobol",
            Design::Morris => "morris",
            Design::File => "file",
        }
    }
}

/// The values of one swept key.
#[derive(Debug, Clone, PartialEq)]
pub enum SweepValues {
    List(Vec<Value>),
    Range { min: f64, max: f64 },
}

/// Morris trajectories of a sweep unless `sweep.trajectories` says otherwise.
pub const DEFAULT_TRAJECTORIES: u64 = 10;

/// Grid levels of a Morris sweep unless `sweep.levels` says otherwise.
pub const DEFAULT_LEVELS: u32 = 4;

/// The most design points a sweep may ask for (`samples`, and the points of any design): a
/// design is held in memory, about 140 bytes a point with ten swept keys.
pub const MAX_SAMPLES: u64 = 10_000_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    pub design: Design,
    pub samples: u64,
    pub file: Option<String>,
    /// With design sobol: also the second-order terms, N (2k + 2) points instead of N (k + 2).
    pub second_order: bool,
    /// Replicate r has the same seed at every design point (common random numbers).
    pub common_random_numbers: bool,
    /// With design morris: trajectories r (kept, with `candidates`), r (k + 1) points.
    pub trajectories: u64,
    /// With design morris: levels p of each factor's grid (even, at least 2).
    pub levels: u32,
    /// With design morris: trajectories drawn, of which the `trajectories` most spread are kept
    /// (Campolongo et al. 2007); none: every drawn trajectory is kept.
    pub candidates: Option<u64>,
    /// Swept keys in the order the file lists them.
    pub parameters: Vec<(String, SweepValues)>,
}

impl Default for Sweep {
    fn default() -> Self {
        Sweep {
            design: Design::Grid,
            samples: 64,
            file: None,
            second_order: false,
            common_random_numbers: false,
            trajectories: DEFAULT_TRAJECTORIES,
            levels: DEFAULT_LEVELS,
            candidates: None,
            parameters: Vec::new(),
        }
    }
}

/// Whether a key takes whole numbers: a whole-valued registry key, or a shock's start or duration.
pub fn is_whole_key(key: &str) -> bool {
    match crate::params::index_of(key) {
        Some(i) => matches!(
            crate::params::registry()[i].kind,
            crate::params::Kind::Whole { .. }
        ),
        None => matches!(
            super::shock_field(key),
            Some((_, "start_month" | "duration_months"))
        ),
    }
}

/// The value a sampled design gives `key` at `x` in its range: rounded to a whole number for a
/// whole-valued key (ranges of those keys are checked to lie in 0 ..= u64::MAX).
pub fn range_value(key: &str, x: f64) -> Value {
    if is_whole_key(key) {
        Value::Whole(x.round() as u64)
    } else {
        Value::Real(x)
    }
}

/// Keys that hold for a whole experiment and so cannot vary between its design points, each with
/// why and what to do instead.
pub const UNSWEEPABLE: [(&str, &str); 15] = [
    ("name", "the name names the output folder of the whole experiment"),
    ("run.replicates", "every design point has the same replicates; give them with run.replicates or --replicates"),
    ("run.seed", "the master seed is one per experiment (each run's seed derives from it, the point and the replicate); run the scenario again with another --seed"),
    ("run.months", "every file has the same months per design point; run one scenario per horizon"),
    ("output.timeseries", "timeseries.csv is written for the whole experiment or not at all; set output.timeseries"),
    ("run.reference", "every design point starts from the same present, the reference's; compare two references with two runs"),
    ("run.burn_in_under", "the reading of the burn-in holds for the whole experiment; set run.burn_in_under"),
    ("output.outcomes", "every row of runs.csv and summary.csv has the same columns; set output.outcomes"),
    ("output.summary", "summary.csv is written for the whole experiment or not at all; set output.summary"),
    ("output.survival", "survival.csv is written for the whole experiment or not at all; set output.survival"),
    ("output.points", "points.csv is written for the whole experiment or not at all; set output.points"),
    ("output.compress", "the files of an experiment are compressed or not as a whole; set output.compress"),
    ("output.format", "the files of an experiment are of one format; set output.format"),
    ("output.communities", "communities.csv is written for the whole experiment or not at all; set output.communities"),
    ("output.territories", "territories.csv is written for the whole experiment or not at all; set output.territories"),
];

/// Whether `key` may be swept in `scenario`: not an experiment-wide key, and a shock field only
/// of a shock the scenario has (a sweep never adds a shock).
pub fn check_swept_key(scenario: &Scenario, key: &str) -> Result<(), String> {
    if let Some((_, why)) = UNSWEEPABLE.iter().find(|(k, _)| *k == key) {
        return Err(format!("cannot be swept: {why}"));
    }
    if key.starts_with("sweep.") {
        return Err("the sweep's own options are not parameters of the model; allowed: the keys listed by `commsim params`, and shock fields".into());
    }
    if let Some(rest) = key.strip_prefix("shocks.") {
        let index = rest.split('.').next().and_then(super::shock::shock_index);
        let n = scenario.shocks.len();
        if let Some(index) = index.filter(|&i| i >= n) {
            let allowed = match n {
                0 => "the scenario has no [[shocks]]; add the shock to the scenario first"
                    .to_string(),
                1 => "shocks.0 (the scenario's only shock)".to_string(),
                _ => format!("shocks.0 to shocks.{} (the scenario's {n} shocks)", n - 1),
            };
            return Err(format!("shock {index} does not exist; allowed: {allowed}"));
        }
    }
    Ok(())
}

impl Sweep {
    /// Checks that each swept key exists and each listed value is allowed for it.
    /// One copy of the scenario takes every value in turn, in the order a design point assigns
    /// them, so the check is linear in the number of listed values.
    pub fn validate(&self, scenario: &Scenario) -> Result<(), InputError> {
        let mut probe = scenario.without_sweep();
        for (key, values) in &self.parameters {
            let sweep_key = format!("sweep.parameters.\"{key}\"");
            let location = scenario.location_of(&sweep_key);
            check_swept_key(scenario, key)
                .map_err(|m| InputError::key(location.clone(), sweep_key.clone(), m))?;
            match values {
                SweepValues::List(list) => {
                    if self.design != Design::Grid {
                        return Err(InputError::key(location, sweep_key, format!("a list of values suits design grid; allowed for {}: {{ min = ..., max = ... }}", self.design.name())));
                    }
                    if list.is_empty() {
                        return Err(InputError::key(
                            location,
                            sweep_key,
                            "the list is empty; allowed: one or more values",
                        ));
                    }
                    for v in list {
                        super::overrides::assign(&mut probe, key, v.clone())
                            .map_err(|m| InputError::key(location.clone(), sweep_key.clone(), m))?;
                    }
                }
                SweepValues::Range { min, max } => {
                    if self.design == Design::Grid {
                        return Err(InputError::key(location, sweep_key, "a range suits designs lhs, sobol and morris; allowed for grid: a list of values"));
                    }
                    if !(min.is_finite() && max.is_finite() && min <= max) {
                        return Err(InputError::key(
                            location,
                            sweep_key,
                            format!(
                                "min = {min}, max = {max}; allowed: finite numbers with min <= max"
                            ),
                        ));
                    }
                    if is_whole_key(key) && (*min < 0.0 || *max >= u64::MAX as f64) {
                        return Err(InputError::key(
                            location,
                            sweep_key,
                            format!("min = {min}, max = {max}; allowed for a whole-valued key: a range of whole numbers the key accepts"),
                        ));
                    }
                    for x in [*min, *max] {
                        super::overrides::assign(&mut probe, key, range_value(key, x))
                            .map_err(|m| InputError::key(location.clone(), sweep_key.clone(), m))?;
                    }
                }
            }
        }
        if self.design == Design::File && self.file.is_none() {
            return Err(InputError::key(
                scenario.location_of("sweep.design"),
                "sweep.file",
                "design file needs sweep.file, the path of a CSV of points",
            ));
        }
        // Options the design would ignore are errors, so that a sweep runs what it says.
        let written = |key: &str| scenario.locations.contains_key(key);
        let morris_option = ["sweep.trajectories", "sweep.levels", "sweep.candidates"]
            .into_iter()
            .find(|k| written(k));
        let ignored = if self.design != Design::File && self.parameters.is_empty() {
            Some(("sweep.parameters", "the sweep varies nothing, so its points would all be one scenario; allowed: at least one swept key under [sweep.parameters]"))
        } else if written("sweep.samples") && matches!(self.design, Design::Grid | Design::File) {
            Some(("sweep.samples", "grid and file designs have no samples (their points are the product of the listed values, or the file's rows); allowed: samples with design lhs or sobol"))
        } else if written("sweep.samples") && self.design == Design::Morris {
            Some(("sweep.samples", "design morris has trajectories, not samples (its points are trajectories x (k + 1)); allowed: sweep.trajectories with design morris"))
        } else if let Some(key) = morris_option.filter(|_| self.design != Design::Morris) {
            Some((key, "trajectories, levels and candidates belong to design morris; allowed: them only with design = \"morris\""))
        } else if self.design == Design::File && !self.parameters.is_empty() {
            Some(("sweep.parameters", "design file takes its keys and values from the file's header and rows; allowed: no [sweep.parameters] with design file"))
        } else if self.design != Design::File && self.file.is_some() {
            Some((
                "sweep.file",
                "only design file reads a file; allowed: design = \"file\" with sweep.file",
            ))
        } else if self.design != Design::Sobol && self.second_order {
            Some(("sweep.second_order", "second-order terms belong to design sobol; allowed: second_order = true only with design = \"sobol\""))
        } else {
            None
        };
        if let Some((key, message)) = ignored {
            return Err(InputError::key(scenario.location_of(key), key, message));
        }
        if let Some(m) = self.candidates.filter(|&m| m <= self.trajectories) {
            return Err(InputError::key(
                scenario.location_of("sweep.candidates"),
                "sweep.candidates",
                format!(
                    "candidates = {m} with trajectories = {}; allowed: more candidates than trajectories (the trajectories are chosen among the candidates), or no candidates",
                    self.trajectories
                ),
            ));
        }
        Ok(())
    }
}
