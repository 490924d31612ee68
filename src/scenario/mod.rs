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
use crate::params::{ParamValues, CLASSES, PROGRAMMES, TYPES};
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
        let type_keys: Vec<String> = TYPES
            .iter()
            .map(|t| format!("community.type_mix.{t}"))
            .collect();
        check_sum(self, &type_keys)?;
        let grant_keys: Vec<String> = PROGRAMMES
            .iter()
            .map(|p| format!("grants.{p}.share"))
            .collect();
        check_sum(self, &grant_keys)?;
        if v.real("horizon.crisis_min") > v.real("horizon.normal") {
            return Err(InputError::key(
                self.location_of("horizon.crisis_min"),
                "horizon.crisis_min",
                format!(
                    "{} exceeds horizon.normal = {}; allowed: at most horizon.normal",
                    v.real("horizon.crisis_min"),
                    v.real("horizon.normal")
                ),
            ));
        }
        let territories: u64 = ["villages", "small_towns", "large_cities"]
            .iter()
            .map(|c| v.whole(&format!("region.{c}")))
            .sum();
        if territories == 0 {
            return Err(InputError::key(
                self.location_of("region.villages"),
                "region.villages",
                "the region has no territories; allowed: at least one of region.villages, region.small_towns, region.large_cities above 0",
            ));
        }
        check_agents(self)?;
        let months = v.whole("run.months");
        for (i, shock) in self.shocks.iter().enumerate() {
            shock.validate(months).map_err(|(field, message)| {
                let key = format!("shocks.{i}.{field}");
                InputError::key(self.location_of(&key), key, message)
            })?;
        }
        let study = crate::model::waves::Study::read(v);
        if let Some((k, end)) = crate::model::waves::overlap(&study.waves) {
            let key = format!("observe.wave{}_start", k + 1);
            return Err(InputError::key(
                self.location_of(&key),
                key,
                format!(
                    "{} starts before wave {k} ends (month {end} = observe.wave{k}_start + observe.wave{k}_months); allowed: at least {end} (the study's waves follow one another without overlap)",
                    study.waves[k].start
                ),
            ));
        }
        if let Some(sweep) = &self.sweep {
            sweep.validate(self)?;
        }
        Ok(())
    }
}

/// Resident agents are bounded so that a typo in a population cannot exhaust memory.
pub const MAX_AGENTS: u64 = 50_000_000;
/// Fewest resident agents a community of mean size may be made of.
pub const MIN_AGENTS_PER_COMMUNITY: f64 = 3.0;

fn check_agents(scenario: &Scenario) -> Result<(), InputError> {
    let v = &scenario.values;
    let mut agents = 0u64;
    for (class, count_key) in CLASSES
        .iter()
        .zip(["villages", "small_towns", "large_cities"])
    {
        let n = v.whole(&format!("region.{count_key}"));
        let per = v
            .whole(&format!("territory.{class}.population"))
            .div_ceil(v.whole(&format!("territory.{class}.agent_scale")));
        agents = agents.saturating_add(n.saturating_mul(per));
    }
    for class in CLASSES {
        let key = format!("territory.{class}.agent_scale");
        let agents_per_community = v.real("community.size") / v.whole(&key) as f64;
        if agents_per_community < MIN_AGENTS_PER_COMMUNITY {
            return Err(InputError::key(
                scenario.location_of(&key),
                key,
                format!(
                    "community.size / agent_scale = {agents_per_community:.2} agents per community; allowed: at least {MIN_AGENTS_PER_COMMUNITY} (a community of one or two agents dies with one departure)"
                ),
            ));
        }
    }
    if agents > MAX_AGENTS {
        let key = "territory.large_city.agent_scale";
        return Err(InputError::key(
            scenario.location_of(key),
            key,
            format!("the region would hold {agents} resident agents; allowed: at most {MAX_AGENTS} (raise territory.<class>.agent_scale or lower population or territory counts)"),
        ));
    }
    Ok(())
}

fn check_sum(scenario: &Scenario, keys: &[String]) -> Result<(), InputError> {
    let total: f64 = keys.iter().map(|k| scenario.values.real(k)).sum();
    if (total - 1.0).abs() > 1e-6 {
        let written = keys
            .iter()
            .find(|k| scenario.locations.contains_key(*k))
            .unwrap_or(&keys[0]);
        return Err(InputError::key(
            scenario.location_of(written),
            written.clone(),
            format!(
                "the shares {} sum to {}; allowed: a sum of 1",
                keys.join(", "),
                // Rounded to nine decimals, so 0.75 + 0.5 reads 1.25, not 1.2499999999999998.
                (total * 1e9).round() / 1e9
            ),
        ));
    }
    Ok(())
}
