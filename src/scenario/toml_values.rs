//! TOML values as the registry's values: scalars, lists of names, integers widened for range
//! checks, and a swept key's list or range.

use super::SweepValues;
use crate::params::{index_of, registry, Value};

/// A TOML scalar as a registry value (its kind is checked later, against the key).
pub(super) fn scalar_value(item: &toml::Value) -> Result<Value, String> {
    match item {
        toml::Value::Integer(n) if *n >= 0 => Ok(Value::Whole(*n as u64)),
        toml::Value::Integer(n) => Ok(Value::Real(*n as f64)),
        toml::Value::Float(x) => Ok(Value::Real(*x)),
        toml::Value::Boolean(b) => Ok(Value::Flag(*b)),
        toml::Value::String(s) => Ok(Value::Text(s.clone())),
        toml::Value::Datetime(_) => {
            Err("found a date; allowed: a number, boolean or string".into())
        }
        toml::Value::Array(_) => Err("found an array; allowed: a single value".into()),
        toml::Value::Table(_) => Err("found a table; allowed: a single value".into()),
    }
}

/// Whether a registry key takes a list of names (`output.outcomes`).
pub(super) fn is_list_key(key: &str) -> bool {
    index_of(key).is_some_and(|i| registry()[i].kind == crate::params::Kind::List)
}

/// A TOML array of strings as a list of names.
pub(super) fn list_value(items: &[toml::Value]) -> Result<Value, String> {
    items
        .iter()
        .map(|item| match item {
            toml::Value::String(s) => Ok(s.clone()),
            other => Err(format!(
                "found {} in the list; allowed: a list of names in quotes, [\"survival\", \"crisis_dissolution\"]",
                other.type_str()
            )),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Value::List)
}

/// A TOML integer, widened so that every allowed range can be checked on it.
pub(super) fn integer(item: &toml::Value) -> Option<i128> {
    match item {
        toml::Value::Integer(n) => Some(i128::from(*n)),
        _ => None,
    }
}

pub(super) fn sweep_values(spec: &toml::Value) -> Result<SweepValues, String> {
    match spec {
        toml::Value::Array(items) => Ok(SweepValues::List(
            items.iter().map(scalar_value).collect::<Result<_, _>>()?,
        )),
        toml::Value::Table(t) => {
            let bound = |name: &str| -> Result<f64, String> {
                match t.get(name) {
                    Some(toml::Value::Float(x)) => Ok(*x),
                    Some(toml::Value::Integer(n)) => Ok(*n as f64),
                    _ => Err(format!(
                        "needs `{name}` as a number; allowed: {{ min = ..., max = ... }}"
                    )),
                }
            };
            if let Some(extra) = t.keys().find(|k| *k != "min" && *k != "max") {
                // `grants.budget = [...]` unquoted is TOML for a table `grants` holding `budget`.
                let hint = if t
                    .values()
                    .all(|v| matches!(v, toml::Value::Array(_) | toml::Value::Table(_)))
                {
                    "; a dotted key must be quoted in [sweep.parameters]: \"grants.budget\" = [...]"
                } else {
                    ""
                };
                return Err(format!(
                    "unknown field `{}`; allowed: {{ min = ..., max = ... }}{hint}",
                    crate::error::key_excerpt(extra)
                ));
            }
            Ok(SweepValues::Range {
                min: bound("min")?,
                max: bound("max")?,
            })
        }
        _ => {
            Err("allowed: a list of values (grid) or { min = ..., max = ... } (lhs, sobol)".into())
        }
    }
}
