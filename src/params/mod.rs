//! The parameter registry: every scenario key with its type, default, range, unit, factor IDs
//! and meaning. One table drives validation, `--set`, `commsim params`, `commsim check` and sweeps.

mod registry;
pub mod value;

pub use registry::{CLASSES, DIRECTIONS, LEVERS, MAX_RUN_MONTHS, PROGRAMMES, SHOCK_KINDS, TYPES};
pub use value::Value;

use std::sync::OnceLock;

/// What values a parameter accepts.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A real number in `[min, max]` (finite).
    Real { min: f64, max: f64 },
    /// A whole number in `[min, max]`.
    Whole { min: u64, max: u64 },
    /// `true` or `false`.
    Flag,
    /// Free text.
    Text,
    /// A list of names (strings); which names are allowed is checked across keys, by
    /// `Scenario::validate`.
    List,
}

impl Kind {
    /// A short phrase saying what is allowed, for error messages and `commsim params`.
    pub fn allowed(&self) -> String {
        match self {
            Kind::Real { min, max } => format!("a number from {min} to {max}"),
            Kind::Whole { min, max } => format!("a whole number from {min} to {max}"),
            Kind::Flag => "true or false".to_string(),
            Kind::Text => "a string".to_string(),
            Kind::List => {
                "a list of names, [\"a\", \"b\"] (on the command line also a,b)".to_string()
            }
        }
    }

    /// The range column of `commsim params`.
    pub fn range(&self) -> String {
        match self {
            Kind::Real { min, max } => format!("[{min}, {max}]"),
            Kind::Whole { min, max } => format!("[{min}, {max}]"),
            Kind::Flag => "true|false".to_string(),
            Kind::Text => "text".to_string(),
            Kind::List => "list of names".to_string(),
        }
    }

    /// Checks a value against this kind, converting an integer to a real where a real is wanted.
    pub fn accept(&self, value: Value) -> Result<Value, String> {
        match (self, value) {
            (Kind::Real { min, max }, v @ (Value::Real(_) | Value::Whole(_))) => {
                let x = v.as_f64();
                if !x.is_finite() {
                    return Err(format!("{x} is not finite; allowed: {}", self.allowed()));
                }
                if x < *min || x > *max {
                    return Err(format!("{x} is out of range; allowed: {}", self.allowed()));
                }
                Ok(Value::Real(x))
            }
            // TOML integers stop at i64::MAX; a key whose range goes beyond (run.seed) also takes
            // its value as a string of digits, which is how it is rendered.
            (Kind::Whole { max, .. }, Value::Text(s))
                if *max > i64::MAX as u64
                    && !s.is_empty()
                    && s.bytes().all(|b| b.is_ascii_digit()) =>
            {
                match s.parse::<u64>() {
                    Ok(n) => self.accept(Value::Whole(n)),
                    Err(_) => Err(format!("{s} is out of range; allowed: {}", self.allowed())),
                }
            }
            (Kind::Whole { min, max }, Value::Whole(n)) => {
                if n < *min || n > *max {
                    return Err(format!("{n} is out of range; allowed: {}", self.allowed()));
                }
                Ok(Value::Whole(n))
            }
            (Kind::Flag, Value::Flag(b)) => Ok(Value::Flag(b)),
            (Kind::Text, Value::Text(s)) => Ok(Value::Text(s)),
            (Kind::List, Value::List(names)) => Ok(Value::List(names)),
            // `--set output.outcomes=survival,crisis_dissolution`: names separated by commas.
            (Kind::List, Value::Text(s)) => Ok(Value::List(
                s.split(',')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(String::from)
                    .collect(),
            )),
            (_, v) => Err(format!(
                "expected {}, found {}",
                self.allowed(),
                v.type_name()
            )),
        }
    }
}

/// One scenario key.
#[derive(Debug, Clone)]
pub struct ParamSpec {
    /// Dotted key, as in the scenario file and `--set`.
    pub key: String,
    pub kind: Kind,
    pub default: Value,
    pub unit: &'static str,
    /// Factor IDs of MODEL-BRIEF.md that this key controls.
    pub factors: &'static str,
    pub meaning: String,
}

/// The registry of every scalar key, in the order `commsim params` lists them.
pub fn registry() -> &'static [ParamSpec] {
    static REGISTRY: OnceLock<Vec<ParamSpec>> = OnceLock::new();
    REGISTRY.get_or_init(registry::build)
}

/// The index of a key in [`registry`], if it is a known scalar key.
pub fn index_of(key: &str) -> Option<usize> {
    static INDEX: OnceLock<std::collections::HashMap<&'static str, usize>> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            registry()
                .iter()
                .enumerate()
                .map(|(i, spec)| (spec.key.as_str(), i))
                .collect()
        })
        .get(key)
        .copied()
}

/// The scalar parameter values of one scenario, indexed like [`registry`].
#[derive(Debug, Clone, PartialEq)]
pub struct ParamValues {
    values: Vec<Value>,
}

impl Default for ParamValues {
    fn default() -> Self {
        ParamValues {
            values: registry().iter().map(|spec| spec.default.clone()).collect(),
        }
    }
}

impl ParamValues {
    /// Sets a key after checking the value against its kind; the error says what is allowed.
    pub fn set(&mut self, key: &str, value: Value) -> Result<(), String> {
        let idx = index_of(key).ok_or_else(|| format!("unknown key `{key}`"))?;
        let accepted = registry()[idx].kind.accept(value)?;
        self.values[idx] = accepted;
        Ok(())
    }

    /// The value of a key. Panics on a key missing from the registry: that is a bug, not input.
    pub fn get(&self, key: &str) -> &Value {
        let idx = index_of(key).unwrap_or_else(|| panic!("key `{key}` is not in the registry"));
        &self.values[idx]
    }

    pub fn real(&self, key: &str) -> f64 {
        self.get(key).as_f64()
    }

    pub fn whole(&self, key: &str) -> u64 {
        match self.get(key) {
            Value::Whole(n) => *n,
            other => panic!("key `{key}` holds {other:?}, not a whole number"),
        }
    }

    pub fn flag(&self, key: &str) -> bool {
        match self.get(key) {
            Value::Flag(b) => *b,
            other => panic!("key `{key}` holds {other:?}, not a flag"),
        }
    }

    pub fn list(&self, key: &str) -> &[String] {
        match self.get(key) {
            Value::List(names) => names,
            other => panic!("key `{key}` holds {other:?}, not a list"),
        }
    }

    pub fn text(&self, key: &str) -> &str {
        match self.get(key) {
            Value::Text(s) => s,
            other => panic!("key `{key}` holds {other:?}, not text"),
        }
    }

    /// Every (spec, value) pair in registry order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static ParamSpec, &Value)> {
        registry().iter().zip(self.values.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_defaults_are_valid() {
        let mut seen = std::collections::HashSet::new();
        for spec in registry() {
            assert!(seen.insert(spec.key.clone()), "duplicate key {}", spec.key);
            assert!(
                spec.kind.accept(spec.default.clone()).is_ok(),
                "default of {} is outside its own range",
                spec.key
            );
            assert!(!spec.meaning.is_empty(), "{} has no meaning", spec.key);
        }
    }

    #[test]
    fn set_rejects_out_of_range_and_wrong_type() {
        let mut values = ParamValues::default();
        let err = values
            .set("community.recognition", Value::Real(1.5))
            .unwrap_err();
        assert!(err.contains("from 0 to 1"), "{err}");
        let err = values.set("run.months", Value::Flag(true)).unwrap_err();
        assert!(err.contains("whole number"), "{err}");
        let err = values.set("run.months", Value::Real(f64::NAN)).unwrap_err();
        assert!(err.contains("whole number"), "{err}");
        let err = values
            .set("run.months", Value::Text("12".into()))
            .unwrap_err();
        assert!(err.contains("found a string"), "{err}");
        values
            .set("run.seed", Value::Text(u64::MAX.to_string()))
            .unwrap();
        assert_eq!(values.whole("run.seed"), u64::MAX);
        let err = values
            .set("run.seed", Value::Text("18446744073709551616".into()))
            .unwrap_err();
        assert!(err.contains("out of range"), "{err}");
        values
            .set("community.recognition", Value::Whole(1))
            .unwrap();
        assert_eq!(values.real("community.recognition"), 1.0);
    }
}
