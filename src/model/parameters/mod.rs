//! The model's parameters, typed: one struct per mechanism, each deserialised as a whole from its
//! table of the scenario (`participation.*` into [`Participation`], ...) and validated as a whole.
//! A struct's field names are the keys of its table, so a key without a field, or a field
//! without a key, is an error the tests catch (`every_model_key_has_exactly_one_field`); the
//! mechanisms read fields, never keys.

mod community;
mod crisis;
mod development;
mod economy;
mod grants;
mod institutions;
mod outlook;
mod region;

pub use community::{Community, PerType};
pub use crisis::Crisis;
pub use development::{Development, Directions};
pub use economy::Economy;
pub use grants::{Grants, ProgrammeParams, UrbanParams};
pub use institutions::{Administration, Leadership, Participation, Stance};
pub use outlook::{Dissolution, Expectations, Horizon, Observe, Success, Ties};
pub use region::{Classes, Region, Run, TerritoryParams, MAX_AGENTS, MIN_AGENTS_PER_COMMUNITY};

use super::policy::Levers;
use crate::params::{ParamValues, Value};
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// A constraint that holds across the keys of one table (or more), broken: the keys involved,
/// the first of them written in the scenario being the one an error names, and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid {
    pub keys: Vec<String>,
    pub message: String,
}

/// Every mechanism's parameters.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameters {
    pub run: Run,
    pub region: Region,
    pub territory: Classes,
    pub community: Community,
    pub leadership: Leadership,
    pub administration: Administration,
    pub stance: Stance,
    pub participation: Participation,
    pub grants: Grants,
    pub development: Development,
    pub success: Success,
    pub ties: Ties,
    pub crisis: Crisis,
    pub economy: Economy,
    pub dissolution: Dissolution,
    pub horizon: Horizon,
    pub expectations: Expectations,
    pub policy: Levers,
    pub output: Output,
    pub observe: Observe,
}

/// What a run writes that changes what is simulated (`output.*`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Output {
    pub timeseries: bool,
    pub counterfactual: bool,
    pub communities: bool,
    pub territories: bool,
}

/// Keys of the registry that are not model parameters: they belong to the experiment (seed,
/// replicates, the sweep), name the scenario, or choose which files and columns are written
/// (`output::OutputOptions`), which changes nothing that is simulated.
fn experiment_key(key: &str) -> bool {
    key == "name"
        || key == "run.seed"
        || key == "run.replicates"
        || crate::output::FILE_CHOICE_KEYS.contains(&key)
}

fn toml_value(v: &Value) -> toml::Value {
    match v {
        Value::Real(x) => toml::Value::Float(*x),
        Value::Whole(n) => toml::Value::Integer(i64::try_from(*n).unwrap_or(i64::MAX)),
        Value::Flag(b) => toml::Value::Boolean(*b),
        Value::Text(s) => toml::Value::String(s.clone()),
        Value::List(names) => toml::Value::Array(
            names
                .iter()
                .map(|n| toml::Value::String(n.clone()))
                .collect(),
        ),
    }
}

/// The model's keys as nested tables: `a.b.c = x` becomes `{ a = { b = { c = x } } }`.
fn tables(values: &ParamValues) -> toml::Table {
    let mut root = toml::Table::new();
    for (spec, value) in values.iter() {
        if experiment_key(&spec.key) {
            continue;
        }
        let mut parts = spec.key.split('.').peekable();
        let mut table = &mut root;
        while let Some(part) = parts.next() {
            if parts.peek().is_none() {
                table.insert(part.to_string(), toml_value(value));
            } else {
                table = table
                    .entry(part.to_string())
                    .or_insert_with(|| toml::Value::Table(toml::Table::new()))
                    .as_table_mut()
                    .expect("a key is never both a value and a table");
            }
        }
    }
    root
}

fn read<T: DeserializeOwned>(table: toml::Table) -> T {
    T::deserialize(toml::Value::Table(table))
        .unwrap_or_else(|e| panic!("the parameter structs and the registry disagree (a bug): {e}"))
}

impl Parameters {
    /// Deserialises every mechanism's table from validated values (each key is in range).
    pub fn from_values(values: &ParamValues) -> Parameters {
        read(tables(values))
    }

    /// The constraints across keys, mechanism by mechanism, then across mechanisms.
    pub fn validate(&self) -> Result<(), Invalid> {
        self.community.validate()?;
        self.grants.validate()?;
        self.region.validate()?;
        self.observe.validate()?;
        region::check_agents(&self.region, &self.territory, self.community.size)
    }
}

/// A set of shares that must sum to 1 (`keys` in order), checked to 1e-6.
pub(crate) fn check_sum(keys: Vec<String>, values: &[f64]) -> Result<(), Invalid> {
    let total: f64 = values.iter().sum();
    if (total - 1.0).abs() > 1e-6 {
        let message = format!(
            "the shares {} sum to {}; allowed: a sum of 1",
            keys.join(", "),
            // Rounded to nine decimals, so 0.75 + 0.5 reads 1.25, not 1.2499999999999998.
            (total * 1e9).round() / 1e9
        );
        return Err(Invalid { keys, message });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::registry;

    #[test]
    fn every_model_key_has_exactly_one_field() {
        // Deserialising the defaults with unknown fields denied at every level: a registry key
        // without a field fails, a field without a key fails (missing field).
        let p = Parameters::from_values(&ParamValues::default());
        assert!(p.validate().is_ok());
        let model_keys = registry()
            .iter()
            .filter(|s| !experiment_key(&s.key))
            .count();
        assert!(model_keys > 100, "{model_keys}");
    }

    #[test]
    fn shares_that_do_not_sum_to_one_name_their_keys() {
        let mut values = ParamValues::default();
        values
            .set("community.type_mix.civic", Value::Real(0.5))
            .unwrap();
        let err = Parameters::from_values(&values).validate().unwrap_err();
        assert_eq!(err.keys[0], "community.type_mix.civic");
        assert!(err.message.contains("sum to 1.25"), "{}", err.message);
    }
}
