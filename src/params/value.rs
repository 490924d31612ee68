//! A scalar parameter value as read from TOML or `--set`.

use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Real(f64),
    Whole(u64),
    Flag(bool),
    Text(String),
    /// A list of names (`output.outcomes`).
    List(Vec<String>),
}

impl Value {
    pub fn as_f64(&self) -> f64 {
        match self {
            Value::Real(x) => *x,
            Value::Whole(n) => *n as f64,
            Value::Flag(b) => f64::from(u8::from(*b)),
            Value::Text(_) | Value::List(_) => f64::NAN,
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Real(_) => "a number",
            Value::Whole(_) => "a whole number",
            Value::Flag(_) => "a boolean",
            Value::Text(_) => "a string",
            Value::List(_) => "a list",
        }
    }

    /// Parses the text of a `--set` or design-file value: bool, integer, float, else a string.
    pub fn parse_loose(text: &str) -> Value {
        let t = text.trim();
        if t == "true" {
            return Value::Flag(true);
        }
        if t == "false" {
            return Value::Flag(false);
        }
        if let Ok(n) = t.parse::<u64>() {
            return Value::Whole(n);
        }
        if let Ok(x) = t.parse::<f64>() {
            return Value::Real(x);
        }
        let unquoted = t
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .unwrap_or(t);
        Value::Text(unquoted.to_string())
    }
}

/// `s` as a TOML basic string, escaped as TOML wants (Rust's `{:?}` escapes are not all TOML).
pub fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

impl fmt::Display for Value {
    /// TOML-compatible rendering; reals always carry a decimal point so they read back as reals.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Real(x) => {
                if x.fract() == 0.0 && x.abs() < 1e15 {
                    write!(f, "{x:.1}")
                } else {
                    write!(f, "{x}")
                }
            }
            // Beyond i64::MAX a TOML integer cannot be written: a string of digits, which the
            // registry takes for keys whose range goes that far (run.seed).
            Value::Whole(n) if *n > i64::MAX as u64 => write!(f, "\"{n}\""),
            Value::Whole(n) => write!(f, "{n}"),
            Value::Flag(b) => write!(f, "{b}"),
            Value::Text(s) => write!(f, "{}", toml_string(s)),
            Value::List(names) => {
                let items: Vec<String> = names.iter().map(|n| toml_string(n)).collect();
                write!(f, "[{}]", items.join(", "))
            }
        }
    }
}
