//! A scenario: scalar parameters, the shock schedule, an optional sweep and where each key was
//! written. Parsing is in `parse`, `--set` in `overrides`, printing in `render`.

mod name;
mod overrides;
mod parse;
mod render;
mod shock;
pub mod sweep;

pub use name::MAX_NAME_BYTES;
pub use overrides::{apply_set, apply_sets, assign as overrides_assign};
pub use parse::{parse_file, parse_str};
pub use shock::{shock_field, shock_field_doc, Shock, ShockKind, SHOCK_FIELDS, SHOCK_FIELD_DOCS};
pub use sweep::{Design, Sweep, SweepValues};

use crate::error::{excerpt, InputError, Location};
use crate::params::ParamValues;
use std::collections::HashMap;
use std::sync::Arc;

/// Whether `key` names a parameter a sweep can vary: a registry key or a shock field
/// (`shocks.0.severity`). Outcome columns never do, so readers of runs.csv tell swept columns by it.
pub fn is_parameter_key(key: &str) -> bool {
    crate::params::index_of(key).is_some() || shock_field(key).is_some()
}

/// A validated scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub values: ParamValues,
    pub shocks: Vec<Shock>,
    pub sweep: Option<Sweep>,
    /// The file name used in error messages (`<string>` for text parsed from memory).
    pub origin: String,
    /// Line and column of every key written in the file, for errors found after parsing; shared,
    /// so that the scenario of each design point is a cheap copy.
    pub locations: Arc<HashMap<String, (usize, usize)>>,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            values: ParamValues::default(),
            shocks: Vec::new(),
            sweep: None,
            origin: "<default>".to_string(),
            locations: Arc::new(HashMap::new()),
        }
    }
}

impl Scenario {
    pub fn name(&self) -> &str {
        self.values.text("name")
    }

    /// A copy without the sweep: the base of every design point. Copying it costs the scalar
    /// values and the shocks, never the sweep's lists of values.
    pub fn without_sweep(&self) -> Scenario {
        Scenario {
            values: self.values.clone(),
            shocks: self.shocks.clone(),
            sweep: None,
            origin: self.origin.clone(),
            locations: Arc::clone(&self.locations),
        }
    }

    /// Location of a key: its line if the file wrote it, else the file alone.
    pub fn location_of(&self, key: &str) -> Location {
        let found = self.locations.get(key).copied();
        Location {
            file: self.origin.clone(),
            line: found.map(|(line, _)| line),
            column: found.map(|(_, column)| column),
        }
    }

    /// Checks what single keys cannot: a name that names one folder, shares that must sum to 1,
    /// ordered bounds, shocks that fit the horizon, and a sweep whose keys exist.
    pub fn validate(&self) -> Result<(), InputError> {
        let v = &self.values;
        if let Some(problem) = name::name_problem(self.name()) {
            return Err(InputError::key(
                self.location_of("name"),
                "name",
                format!(
                    "`{}`: {problem}; {}",
                    excerpt(self.name()),
                    name::NAME_ALLOWED
                ),
            ));
        }
        // The constraints across keys, mechanism by mechanism (`model::parameters`).
        crate::model::parameters::Parameters::from_values(v)
            .validate()
            .map_err(|e| {
                let written = e
                    .keys
                    .iter()
                    .find(|k| self.locations.contains_key(*k))
                    .unwrap_or(&e.keys[0])
                    .clone();
                InputError::key(self.location_of(&written), written, e.message)
            })?;
        let months = v.whole("run.months");
        for (i, shock) in self.shocks.iter().enumerate() {
            shock.validate(months).map_err(|(field, message)| {
                let key = format!("shocks.{i}.{field}");
                InputError::key(self.location_of(&key), key, message)
            })?;
        }
        if let Some(sweep) = &self.sweep {
            sweep.validate(self)?;
        }
        Ok(())
    }
}

pub use crate::model::parameters::{MAX_AGENTS, MIN_AGENTS_PER_COMMUNITY};
