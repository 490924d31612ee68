//! `--set KEY=VALUE` and design points: assigning one value to any key by its dotted name,
//! including shock fields (`shocks.0.severity`).

use super::{Design, Scenario, Shock};
use crate::error::{key_excerpt, InputError};
use crate::params::{index_of, Value};

/// Applies every `KEY=VALUE` in order, then validates the whole scenario once, so that keys that
/// must agree (shares summing to 1) can be changed together.
pub fn apply_sets(scenario: &mut Scenario, texts: &[String]) -> Result<(), InputError> {
    // In order: a later --set of a key overrides an earlier one, as on any command line.
    for text in texts {
        apply_set(scenario, text)?;
    }
    scenario.validate().map_err(|e| {
        let set = texts.join(" --set ");
        InputError::Set {
            text: set,
            message: e.to_string(),
        }
    })
}

/// Applies one `KEY=VALUE` text from the command line. Checks the key and the value; checks
/// across keys are left to [`apply_sets`] or [`Scenario::validate`].
pub fn apply_set(scenario: &mut Scenario, text: &str) -> Result<(), InputError> {
    let set_error = |message: String| InputError::Set {
        text: text.to_string(),
        message,
    };
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        return Err(InputError::Set {
            text: text.escape_debug().to_string(),
            message: format!(
                "it holds the control character {}; allowed: one line of KEY=VALUE",
                c.escape_debug()
            ),
        });
    }
    let (key, raw) = text
        .split_once('=')
        .ok_or_else(|| set_error("expected KEY=VALUE, for example grants.enabled=false".into()))?;
    let key = key.trim();
    if key.is_empty() {
        return Err(set_error("the key is empty; expected KEY=VALUE".into()));
    }
    let value = parse_set_value(raw.trim()).map_err(set_error)?;
    match value {
        SetValue::Scalar(v) => assign(scenario, key, v),
        SetValue::List(vs) => assign_list(scenario, key, &vs),
    }
    .map_err(|m| set_error(format!("key `{key}`: {m}")))
}

enum SetValue {
    Scalar(Value),
    List(Vec<Value>),
}

/// A `--set` value is read as a TOML value; a bare word is a string (`kind=economic`), and digits
/// are a whole number over the full u64 range (TOML integers stop at i64::MAX; seeds do not).
fn parse_set_value(raw: &str) -> Result<SetValue, String> {
    if raw.is_empty() {
        return Err("the value is empty; expected KEY=VALUE".into());
    }
    if raw.bytes().all(|b| b.is_ascii_digit()) {
        return raw
            .parse::<u64>()
            .map(|n| SetValue::Scalar(Value::Whole(n)))
            .map_err(|_| {
                format!(
                    "{raw} is out of range; allowed: whole numbers up to {}",
                    u64::MAX
                )
            });
    }
    match toml::from_str::<toml::Table>(&format!("v = {raw}")) {
        Ok(table) => match &table["v"] {
            toml::Value::Array(items) => items
                .iter()
                .map(|i| match i {
                    toml::Value::Integer(n) if *n >= 0 => Ok(Value::Whole(*n as u64)),
                    toml::Value::Integer(n) => Ok(Value::Real(*n as f64)),
                    toml::Value::Float(x) => Ok(Value::Real(*x)),
                    toml::Value::String(s) => Ok(Value::Text(s.clone())),
                    _ => Err("allowed in a list: numbers, or names in quotes".to_string()),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(SetValue::List),
            toml::Value::Integer(n) if *n < 0 => Ok(SetValue::Scalar(Value::Real(*n as f64))),
            toml::Value::Integer(n) => Ok(SetValue::Scalar(Value::Whole(*n as u64))),
            toml::Value::Float(x) => Ok(SetValue::Scalar(Value::Real(*x))),
            toml::Value::Boolean(b) => Ok(SetValue::Scalar(Value::Flag(*b))),
            toml::Value::String(s) => Ok(SetValue::Scalar(Value::Text(s.clone()))),
            _ => Err("allowed: a number, boolean, string or list of numbers".into()),
        },
        // A number TOML does not take (`.5`, `1e400`) is still a number, never a string.
        Err(_) if raw.parse::<f64>().is_ok() => {
            let x: f64 = raw.parse().unwrap_or(f64::NAN);
            if x.is_finite() {
                Ok(SetValue::Scalar(Value::Real(x)))
            } else {
                Err(format!(
                    "`{}` is not a finite number; allowed: a finite number",
                    crate::error::excerpt(raw)
                ))
            }
        }
        Err(_)
            if raw
                .chars()
                .all(|c| c.is_alphanumeric() || "_-./,".contains(c)) =>
        {
            Ok(SetValue::Scalar(Value::Text(raw.to_string())))
        }
        Err(_) => Err(format!(
            "cannot read `{raw}` as a value; allowed: a number, true/false, a string or [numbers]"
        )),
    }
}

/// Assigns a scalar value to any key: a registry key or `shocks.N.field`. N may be one past the
/// last shock, which adds a shock with default fields. The key may come from a design file's
/// header, so the error quotes at most an excerpt of it (`error::key_excerpt`).
pub fn assign(scenario: &mut Scenario, key: &str, value: Value) -> Result<(), String> {
    if let Some((index, field)) = shock_key(key)? {
        let shock = shock_slot(scenario, index)?;
        return shock.set(field, &value);
    }
    if let Some(field) = key.strip_prefix("sweep.") {
        return assign_sweep(scenario, field, value);
    }
    if let Some(field) = key.strip_prefix("calibrate.") {
        return super::calibrate::assign(scenario, field, &value);
    }
    if index_of(key).is_none() {
        return Err(super::suggest::unknown_key_message(key));
    }
    scenario.values.set(key, value)
}

/// Sets `key` to `value` in `scenario` and in the present its burn-in runs under
/// (`run.burn_in_under = "reference"`: the reference, or the defaults): a value that describes
/// the world rather than a change to it, a calibration's particle or a posterior draw, holds
/// from the first burn-in month under either reading of the burn-in. A shock field concerns
/// the scenario alone (the burn-in has no shocks).
pub fn assign_to_present(scenario: &mut Scenario, key: &str, value: Value) -> Result<(), String> {
    assign(scenario, key, value.clone())?;
    if index_of(key).is_some()
        && scenario.values.text("run.burn_in_under") == super::BURN_IN_UNDER_REFERENCE
    {
        let mut present = scenario.reference.as_deref().cloned().unwrap_or_default();
        present.set(key, value)?;
        scenario.reference = Some(std::sync::Arc::new(present));
    }
    Ok(())
}

/// `sweep.samples`, `sweep.second_order` the Morris options and `sweep.common_random_numbers` of a scenario that has a
/// `[sweep]`, each only with the design that reads it.
fn assign_sweep(scenario: &mut Scenario, field: &str, value: Value) -> Result<(), String> {
    use super::parse::{candidates_value, levels_value, trajectories_value};
    let Some(sweep) = scenario.sweep.as_mut() else {
        return Err("the scenario has no [sweep] table".into());
    };
    let whole = |v: &Value| match v {
        Value::Whole(n) => Some(i128::from(*n)),
        _ => None,
    };
    match (field, value) {
        ("samples", _) if !matches!(sweep.design, Design::Lhs | Design::Sobol) => {
            return Err(format!(
                "design {} has no samples (its points are {}); allowed: sweep.samples with design lhs or sobol",
                sweep.design.name(),
                match sweep.design {
                    Design::Grid => "the product of the listed values",
                    Design::Morris => "trajectories x (k + 1); set sweep.trajectories",
                    _ => "the file's rows",
                }
            ))
        }
        ("samples", Value::Whole(n)) if (1..=super::sweep::MAX_SAMPLES).contains(&n) => {
            sweep.samples = n
        }
        ("samples", _) => return Err(super::parse::SAMPLES_ALLOWED.into()),
        ("second_order", Value::Flag(b)) => sweep.second_order = b,
        ("common_random_numbers", Value::Flag(b)) => sweep.common_random_numbers = b,
        ("common_random_numbers", _) => return Err("expected true or false".into()),
        ("second_order", _) => return Err("expected true or false".into()),
        ("trajectories" | "levels" | "candidates", _) if sweep.design != Design::Morris => {
            return Err(format!(
                "design {} has no {field}; allowed: sweep.{field} with design morris",
                sweep.design.name()
            ))
        }
        ("trajectories", v) => {
            sweep.trajectories = whole(&v)
                .and_then(trajectories_value)
                .ok_or(super::parse::TRAJECTORIES_ALLOWED)?
        }
        ("levels", v) => {
            sweep.levels = whole(&v)
                .and_then(levels_value)
                .ok_or(super::parse::LEVELS_ALLOWED)?
        }
        ("candidates", v) => {
            sweep.candidates = Some(
                whole(&v)
                    .and_then(candidates_value)
                    .ok_or(super::parse::CANDIDATES_ALLOWED)?,
            )
        }
        _ => {
            return Err(format!(
                "`sweep.{}` cannot be set; allowed: sweep.samples, sweep.second_order, sweep.trajectories, sweep.levels, sweep.candidates, sweep.common_random_numbers",
                key_excerpt(field)
            ))
        }
    }
    Ok(())
}

fn assign_list(scenario: &mut Scenario, key: &str, values: &[Value]) -> Result<(), String> {
    if super::toml_values::is_list_key(key) {
        let names = values
            .iter()
            .map(|v| match v {
                Value::Text(s) => Ok(s.clone()),
                other => Err(format!(
                    "found {} in the list; allowed: names in quotes, [\"survival\", \"crisis_dissolution\"], or survival,crisis_dissolution",
                    other.type_name()
                )),
            })
            .collect::<Result<Vec<_>, _>>()?;
        return scenario.values.set(key, Value::List(names));
    }
    match shock_key(key)? {
        Some((index, "profile")) => shock_slot(scenario, index)?.set_profile(values),
        _ if key == "calibrate.patterns" => match scenario.calibrate.as_mut() {
            Some(c) => c.set_patterns(values),
            None => Err("the scenario has no [calibrate] table".into()),
        },
        _ => Err(
            "a list is allowed only for shocks.N.profile, output.outcomes and calibrate.patterns"
                .into(),
        ),
    }
}

/// At most 8 printable characters of a would-be shock number (it may come from any file's
/// first line), with `…` where it was cut.
fn short(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(8)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if text.chars().count() > 8 {
        out.push('…');
    }
    out
}

fn shock_key(key: &str) -> Result<Option<(usize, &str)>, String> {
    let Some(rest) = key.strip_prefix("shocks.") else {
        return Ok(None);
    };
    let (index, field) = rest
        .split_once('.')
        .ok_or_else(|| "expected shocks.N.FIELD, for example shocks.0.severity".to_string())?;
    let index = super::shock::shock_index(index).ok_or_else(|| {
        format!(
            "`{}` is not a shock number; expected shocks.N.FIELD with N written 0, 1, 2, ...",
            short(index)
        )
    })?;
    Ok(Some((index, field)))
}

fn shock_slot(scenario: &mut Scenario, index: usize) -> Result<&mut Shock, String> {
    let n = scenario.shocks.len();
    if index > n {
        return Err(format!(
            "there are {n} shocks; allowed: shocks.0 to shocks.{n} (the last adds a shock)"
        ));
    }
    if index == n {
        scenario.shocks.push(Shock::default());
    }
    Ok(&mut scenario.shocks[index])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_overrides_and_validates() {
        let mut s = Scenario::default();
        apply_set(&mut s, "grants.enabled=false").unwrap();
        assert!(!s.values.flag("grants.enabled"));
        apply_set(&mut s, "territory.small_town.youth_outflow=0.08").unwrap();
        assert_eq!(s.values.real("territory.small_town.youth_outflow"), 0.08);
        apply_set(&mut s, "shocks.0.kind=economic").unwrap();
        apply_set(&mut s, "shocks.0.profile=[1, 0.5]").unwrap();
        let mix: Vec<String> = [
            "civic=0.1",
            "entrepreneurial=0.55",
            "ngo=0.1",
            "cultural=0.1",
        ]
        .iter()
        .map(|kv| format!("community.type_mix.{kv}"))
        .collect();
        apply_sets(&mut s, &mix).unwrap();
        assert_eq!(s.shocks[0].profile, vec![1.0, 0.5]);
        for seed in [i64::MAX as u64 + 1, u64::MAX] {
            apply_set(&mut s, &format!("run.seed={seed}")).unwrap();
            assert_eq!(s.values.whole("run.seed"), seed);
        }
    }

    #[test]
    fn malformed_set_is_an_error_naming_it() {
        let mut s = Scenario::default();
        for (text, expect) in [
            ("grants.enabled", "expected KEY=VALUE"),
            ("=3", "key is empty"),
            ("run.months=", "value is empty"),
            ("run.monts=3", "did you mean `run.months`"),
            ("community.recognition=2", "from 0 to 1"),
            ("shocks.5.severity=0.1", "there are 0 shocks"),
            ("run.months=12\nrun.seed=3", "control character"),
            ("community.type_mix.civic=0.5", "sum of 1"),
            ("run.seed=18446744073709551616", "out of range"),
        ] {
            let e = apply_sets(&mut s, &[text.to_string()])
                .unwrap_err()
                .to_string();
            let shown = text.escape_debug().to_string();
            assert!(e.contains(&shown) && e.contains(expect), "{text}: {e}");
        }
    }
}
