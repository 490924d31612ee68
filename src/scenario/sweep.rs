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
    File,
}

impl Design {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "grid" => Some(Design::Grid),
            "lhs" => Some(Design::Lhs),
            "sobol" => Some(Design::Sobol),
            "file" => Some(Design::File),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Design::Grid => "grid",
            Design::Lhs => "lhs",
            Design::Sobol => "sobol",
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
            parameters: Vec::new(),
        }
    }
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
                        return Err(InputError::key(location, sweep_key, "a range suits designs lhs and sobol; allowed for grid: a list of values"));
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
                    for x in [*min, *max] {
                        super::overrides::assign(&mut probe, key, Value::Real(x))
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
        Ok(())
    }
}
