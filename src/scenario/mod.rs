//! A scenario: scalar parameters, the shock schedule, an optional sweep and where each key was
//! written. Parsing is in `parse`, `--set` in `overrides`, printing in `render`.

pub mod calibrate;
mod name;
mod overrides;
mod parse;
mod render;
mod shock;
mod suggest;
pub mod sweep;
mod toml_values;

pub use calibrate::Calibrate;
pub use name::MAX_NAME_BYTES;
pub use overrides::{apply_set, apply_sets, assign as overrides_assign, assign_to_present};
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
    /// The `[calibrate]` table, for `commsim calibrate` and `commsim run --posterior`.
    pub calibrate: Option<Calibrate>,
    /// The file name used in error messages (`<string>` for text parsed from memory).
    pub origin: String,
    /// Line and column of every key written in the file, for errors found after parsing; shared,
    /// so that the scenario of each design point is a cheap copy.
    pub locations: Arc<HashMap<String, (usize, usize)>>,
    /// The values of the scenario `run.reference` names, once resolved
    /// ([`Scenario::resolve_reference`]); `None` for the defaults.
    pub reference: Option<Arc<ParamValues>>,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            values: ParamValues::default(),
            shocks: Vec::new(),
            sweep: None,
            calibrate: None,
            origin: "<default>".to_string(),
            locations: Arc::new(HashMap::new()),
            reference: None,
        }
    }
}

impl Scenario {
    pub fn name(&self) -> &str {
        self.values.text("name")
    }

    /// A copy without the sweep (nor the `[calibrate]` table): the base of every design point. Copying it costs the scalar
    /// values and the shocks, never the sweep's lists of values.
    pub fn without_sweep(&self) -> Scenario {
        Scenario {
            values: self.values.clone(),
            shocks: self.shocks.clone(),
            sweep: None,
            calibrate: None,
            origin: self.origin.clone(),
            locations: Arc::clone(&self.locations),
            reference: self.reference.clone(),
        }
    }

    /// Reads the scenario `run.reference` names (relative to this scenario's folder), whose
    /// parameters the burn-in runs under; an empty name means the defaults. The reference's own
    /// reference is not followed.
    pub fn resolve_reference(&mut self) -> Result<(), InputError> {
        let name = self.values.text("run.reference").to_string();
        if name.is_empty() {
            self.reference = None;
            return Ok(());
        }
        let path = std::path::Path::new(&self.origin)
            .parent()
            .unwrap_or(std::path::Path::new("."))
            .join(&name);
        let reference = parse_file(&path).map_err(|e| {
            InputError::key(
                self.location_of("run.reference"),
                "run.reference",
                format!(
                    "the reference scenario `{}` cannot be used: {e}; allowed: a scenario file, relative to this scenario's folder, or \"\" for the defaults",
                    excerpt(&name)
                ),
            )
        })?;
        self.reference = Some(Arc::new(reference.values));
        Ok(())
    }

    /// The values the burn-in runs under: the reference's (or the defaults), with this
    /// scenario's structural keys ([`is_structural`]: run, region, populations, agent scales,
    /// initial communities, output, name), or
    /// `None` when the burn-in runs under the scenario itself.
    pub fn burn_in_values(&self) -> Option<ParamValues> {
        if self.values.text("run.burn_in_under") != BURN_IN_UNDER_REFERENCE {
            return None;
        }
        let mut present = self.reference.as_deref().cloned().unwrap_or_default();
        for (spec, value) in self.values.iter() {
            if is_structural(&spec.key) {
                present
                    .set(&spec.key, value.clone())
                    .expect("a valid value stays valid");
            }
        }
        Some(present)
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
    /// ordered bounds, shocks that fit the horizon, study waves that follow one another, and a
    /// sweep whose keys exist.
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
        let under = v.text("run.burn_in_under");
        if under != BURN_IN_UNDER_REFERENCE && under != BURN_IN_UNDER_SCENARIO {
            return Err(InputError::key(
                self.location_of("run.burn_in_under"),
                "run.burn_in_under",
                format!(
                    "`{}` is not a reading of the burn-in; allowed: \"{BURN_IN_UNDER_REFERENCE}\" or \"{BURN_IN_UNDER_SCENARIO}\"",
                    excerpt(under)
                ),
            ));
        }
        check_format(v).map_err(|(key, m)| InputError::key(self.location_of(key), key, m))?;
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
        check_outcomes(v.list("output.outcomes")).map_err(|m| {
            InputError::key(self.location_of("output.outcomes"), "output.outcomes", m)
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
        if let Some(calibrate) = &self.calibrate {
            calibrate.validate(self)?;
        }
        Ok(())
    }
}

pub use crate::model::parameters::{MAX_AGENTS, MIN_AGENTS_PER_COMMUNITY};

/// Checks `output.format`: one of the formats, and `output.compress` only with CSV; the key to
/// blame and the message otherwise.
fn check_format(v: &crate::params::ParamValues) -> Result<(), (&'static str, String)> {
    use crate::output::Format;
    let allowed = Format::NAMES.map(|n| format!("\"{n}\"")).join(" or ");
    let format = v.text("output.format");
    match Format::of(format) {
        None => Err((
            "output.format",
            format!("`{}` is not a format of the output files; allowed: {allowed}", excerpt(format)),
        )),
        Some(Format::Parquet) if v.flag("output.compress") => Err((
            "output.format",
            "\"parquet\" with output.compress = true: Parquet files are compressed inside (Snappy), and output.compress gzips CSV files only; allowed: output.compress = false with output.format = \"parquet\", or output.format = \"csv\" with output.compress = true".into(),
        )),
        Some(_) => Ok(()),
    }
}

/// Checks `output.outcomes`: every name an outcome column of runs.csv, each once.
fn check_outcomes(chosen: &[String]) -> Result<(), String> {
    let all = crate::model::outcomes::names();
    for (i, name) in chosen.iter().enumerate() {
        if chosen[..i].contains(name) {
            return Err(format!(
                "`{}` is listed twice; allowed: each outcome once",
                excerpt(name)
            ));
        }
        if all.contains(name) {
            continue;
        }
        let nearest = all
            .iter()
            .map(|o| (suggest::edit_distance(name, o), o))
            .min()
            .filter(|(d, _)| *d <= 3)
            .map_or(String::new(), |(_, o)| format!("did you mean `{o}`? "));
        return Err(format!(
            "`{}` is not an outcome; {nearest}allowed: the {} outcome columns of runs.csv (MODEL.md, section 8: {}, ..., {}), where a crisis outcome keeps its _excess twin; or [] for every outcome",
            excerpt(name),
            all.len(),
            all[..3].join(", "),
            all[all.len() - 1],
        ));
    }
    Ok(())
}

/// `run.burn_in_under` for the burn-in under the reference (the default).
pub const BURN_IN_UNDER_REFERENCE: &str = "reference";
/// `run.burn_in_under` for the burn-in under the scenario's own values.
pub const BURN_IN_UNDER_SCENARIO: &str = "scenario";

/// Keys that say what is simulated rather than how the region behaves: they hold in the
/// burn-in too, whoever's parameters it runs under. Besides the run, the region and the output,
/// they are the make-up of the region the burn-in starts from: populations, agent scales, the
/// number of communities of each territory, and who those communities are (their mix of types
/// and their size at founding). These act mainly when a community is founded; under the
/// reference alone they would reach only the few communities founded from month 0.
pub fn is_structural(key: &str) -> bool {
    key == "name"
        || key.starts_with("run.")
        || key.starts_with("region.")
        || key.starts_with("output.")
        || key.starts_with("community.type_mix.")
        || key == "community.size"
        || (key.starts_with("territory.")
            && (key.ends_with(".population")
                || key.ends_with(".agent_scale")
                || key.ends_with(".communities")))
}
