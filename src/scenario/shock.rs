//! One `[[shocks]]` entry: when a crisis starts, how long and hard it is, its kind and its
//! month-by-month profile (the 2020 pandemic came in waves).

use crate::error::key_excerpt;
use crate::params::{Value, MAX_RUN_MONTHS, SHOCK_KINDS};

/// Field names of a `[[shocks]]` table.
pub const SHOCK_FIELDS: [&str; 5] = [
    "start_month",
    "duration_months",
    "severity",
    "kind",
    "profile",
];

/// The unit and meaning of each shock field, for `commsim params` and the report.
pub const SHOCK_FIELD_DOCS: [(&str, &str, &str); 5] = [
    ("start_month", "month", "[[shocks]]: month the shock starts"),
    ("duration_months", "months", "[[shocks]]: how long it lasts"),
    ("severity", "intensity", "[[shocks]]: peak intensity"),
    (
        "kind",
        "kind",
        "[[shocks]]: what it hits (pandemic: gatherings restricted; economic: business hardest)",
    ),
    (
        "profile",
        "relative intensity",
        "[[shocks]]: monthly profile stretched over the duration (waves)",
    ),
];

/// The shock number N of `shocks.N.FIELD`, written in its one spelling (`0`, `1`, ..., never
/// `00` or `+0`, so that two keys cannot name one field); `None` for any other text.
pub fn shock_index(text: &str) -> Option<usize> {
    let canonical = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    text.parse().ok().filter(|_| canonical)
}

/// The shock index and field of a key `shocks.N.FIELD` with a known field, else `None`.
pub fn shock_field(key: &str) -> Option<(usize, &'static str)> {
    let (index, field) = key.strip_prefix("shocks.")?.split_once('.')?;
    let field = SHOCK_FIELDS.iter().find(|f| **f == field)?;
    Some((shock_index(index)?, field))
}

/// Unit and meaning of a shock key `shocks.N.FIELD`.
pub fn shock_field_doc(key: &str) -> Option<(&'static str, &'static str)> {
    let (_, field) = shock_field(key)?;
    SHOCK_FIELD_DOCS
        .iter()
        .find(|(f, _, _)| *f == field)
        .map(|(_, unit, meaning)| (*unit, *meaning))
}
/// The most entries a profile may have: one a month of the longest run. A profile is stretched
/// over `duration_months`, so beyond one entry a month entries are skipped, never used.
pub const MAX_PROFILE_ENTRIES: usize = MAX_RUN_MONTHS as usize;

/// What a shock hits. See MODEL.md, submodel "Shocks", for the profile of each kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShockKind {
    /// Economic hit, restrictions on gathering, pressing tasks (the 2020 pandemic).
    Pandemic,
    /// Economic hit falling hardest on business; no restrictions.
    Economic,
    /// Local disaster: a moderate economic hit, many pressing tasks.
    Disaster,
}

impl ShockKind {
    pub fn name(self) -> &'static str {
        match self {
            ShockKind::Pandemic => "pandemic",
            ShockKind::Economic => "economic",
            ShockKind::Disaster => "disaster",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text {
            "pandemic" => Some(ShockKind::Pandemic),
            "economic" => Some(ShockKind::Economic),
            "disaster" => Some(ShockKind::Disaster),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Shock {
    pub start_month: u64,
    pub duration_months: u64,
    /// Peak intensity in [0, 1].
    pub severity: f64,
    pub kind: ShockKind,
    /// Relative intensity over the duration, stretched to fit it; values in [0, 1].
    pub profile: Vec<f64>,
}

impl Default for Shock {
    fn default() -> Self {
        Shock {
            start_month: 12,
            duration_months: 12,
            severity: 0.8,
            kind: ShockKind::Pandemic,
            profile: vec![1.0],
        }
    }
}

impl Shock {
    /// Sets one field; the error says what is allowed.
    pub fn set(&mut self, field: &str, value: &Value) -> Result<(), String> {
        match (field, value) {
            ("start_month", Value::Whole(n)) if *n < MAX_RUN_MONTHS => self.start_month = *n,
            ("start_month", Value::Whole(n)) => {
                return Err(format!(
                    "month {n} is beyond the longest run; allowed: a whole number from 0 to {} (and below run.months)",
                    MAX_RUN_MONTHS - 1
                ))
            }
            ("duration_months", Value::Whole(n)) if (1..=MAX_RUN_MONTHS).contains(n) => {
                self.duration_months = *n
            }
            ("duration_months", Value::Whole(n)) => {
                return Err(format!(
                    "{n} months; allowed: a whole number of months from 1 to {MAX_RUN_MONTHS}"
                ))
            }
            ("severity", v @ (Value::Real(_) | Value::Whole(_))) => {
                let x = v.as_f64();
                if !(0.0..=1.0).contains(&x) {
                    return Err(format!(
                        "{x} is out of range; allowed: a number from 0 to 1"
                    ));
                }
                self.severity = x;
            }
            ("kind", Value::Text(s)) => {
                self.kind = ShockKind::parse(s).ok_or_else(|| {
                    format!(
                        "`{}` is not a shock kind; allowed: {}",
                        key_excerpt(s),
                        SHOCK_KINDS.join(", ")
                    )
                })?;
            }
            ("start_month" | "duration_months", v) => {
                return Err(format!(
                    "expected a whole number of months, found {}",
                    v.type_name()
                ))
            }
            ("severity", v) => {
                return Err(format!(
                    "expected a number from 0 to 1, found {}",
                    v.type_name()
                ))
            }
            ("kind", v) => {
                return Err(format!(
                    "expected one of {}, found {}",
                    SHOCK_KINDS.join(", "),
                    v.type_name()
                ))
            }
            ("profile", _) => return Err("allowed: an array of numbers from 0 to 1".into()),
            (other, _) => {
                return Err(format!(
                    "unknown shock field `{}`; allowed: {}",
                    key_excerpt(other),
                    SHOCK_FIELDS.join(", ")
                ))
            }
        }
        Ok(())
    }

    /// The value of a scalar field (every field but `profile`), as a sweep would set it.
    pub fn get(&self, field: &str) -> Option<Value> {
        match field {
            "start_month" => Some(Value::Whole(self.start_month)),
            "duration_months" => Some(Value::Whole(self.duration_months)),
            "severity" => Some(Value::Real(self.severity)),
            "kind" => Some(Value::Text(self.kind.name().into())),
            _ => None,
        }
    }

    /// Sets the profile from an array of numbers.
    pub fn set_profile(&mut self, values: &[Value]) -> Result<(), String> {
        if values.len() > MAX_PROFILE_ENTRIES {
            return Err(format!(
                "{} entries; allowed: at most {MAX_PROFILE_ENTRIES}, one a month of the longest run (the profile is stretched over duration_months, so entries beyond one a month are never used)",
                values.len()
            ));
        }
        let mut profile = Vec::with_capacity(values.len());
        for v in values {
            let x = match v {
                Value::Real(_) | Value::Whole(_) => v.as_f64(),
                other => {
                    return Err(format!(
                        "expected numbers from 0 to 1, found {}",
                        other.type_name()
                    ))
                }
            };
            if !(0.0..=1.0).contains(&x) {
                return Err(format!("{x} is out of range; allowed: numbers from 0 to 1"));
            }
            profile.push(x);
        }
        if profile.is_empty() {
            return Err("the profile is empty; allowed: at least one number from 0 to 1".into());
        }
        self.profile = profile;
        Ok(())
    }

    /// Returns the offending field and a message if the shock does not fit a run of `months`.
    pub fn validate(&self, months: u64) -> Result<(), (&'static str, String)> {
        if self.start_month >= months {
            return Err((
                "start_month",
                format!(
                    "month {} is not inside the run; allowed: 0 to {} (run.months - 1)",
                    self.start_month,
                    months - 1
                ),
            ));
        }
        // The profile is stretched over the duration, one entry at least a month: with more
        // entries than months some would be skipped, a wave silently lost.
        if self.profile.len() as u64 > self.duration_months {
            return Err((
                "profile",
                format!(
                    "{} entries over a shock of {} months; allowed: at most one entry a month (at most duration_months entries)",
                    self.profile.len(),
                    self.duration_months
                ),
            ));
        }
        Ok(())
    }

    /// The first month after the shock (fields are bounded by `MAX_RUN_MONTHS`, so this cannot wrap).
    pub fn end_month(&self) -> u64 {
        self.start_month.saturating_add(self.duration_months)
    }

    /// Whether the shock is on in `month`.
    pub fn active(&self, month: u64) -> bool {
        month >= self.start_month && month < self.end_month()
    }

    /// A note when the shock runs past the end of a run of `months`: the months beyond are not
    /// simulated, so its crisis outcomes see only part of it.
    pub fn overrun(&self, months: u64) -> Option<String> {
        (self.end_month() > months).then(|| {
            format!(
                "runs to month {} but the run ends after month {}: its last {} months are not simulated",
                self.end_month() - 1,
                months - 1,
                self.end_month() - months
            )
        })
    }

    /// Intensity in [0, 1] in `month`: severity times the stretched profile; 0 outside the shock.
    pub fn intensity(&self, month: u64) -> f64 {
        if !self.active(month) {
            return 0.0;
        }
        let offset = (month - self.start_month) as usize;
        let idx = offset * self.profile.len() / self.duration_months as usize;
        self.severity * self.profile[idx.min(self.profile.len() - 1)]
    }

    /// The TOML fields, in order, for `commsim check`.
    pub fn render(&self) -> String {
        let profile: Vec<String> = self
            .profile
            .iter()
            .map(|x| Value::Real(*x).to_string())
            .collect();
        format!(
            "start_month = {}\nduration_months = {}\nseverity = {}\nkind = \"{}\"\nprofile = [{}]\n",
            self.start_month,
            self.duration_months,
            Value::Real(self.severity),
            self.kind.name(),
            profile.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_is_stretched_over_the_duration() {
        let shock = Shock {
            start_month: 10,
            duration_months: 4,
            severity: 0.5,
            kind: ShockKind::Pandemic,
            profile: vec![1.0, 0.2],
        };
        let got: Vec<f64> = (9..15).map(|m| shock.intensity(m)).collect();
        assert_eq!(got, vec![0.0, 0.5, 0.5, 0.1, 0.1, 0.0]);
    }

    #[test]
    fn bad_fields_say_what_is_allowed() {
        let mut shock = Shock::default();
        assert!(shock
            .set("severity", &Value::Real(1.2))
            .unwrap_err()
            .contains("from 0 to 1"));
        assert!(shock
            .set("kind", &Value::Text("flood".into()))
            .unwrap_err()
            .contains("pandemic"));
        assert!(shock
            .set("duration_months", &Value::Whole(0))
            .unwrap_err()
            .contains("from 1 to 1200"));
        assert!(shock
            .set("duration_months", &Value::Whole(4_294_967_296))
            .unwrap_err()
            .contains("from 1 to 1200"));
        assert!(shock
            .set("start_month", &Value::Whole(u64::MAX))
            .unwrap_err()
            .contains("from 0 to 1199"));
        assert!(shock
            .set_profile(&vec![Value::Real(0.5); MAX_PROFILE_ENTRIES + 1])
            .unwrap_err()
            .contains("at most 1200"));
        shock
            .set_profile(&vec![Value::Real(0.5); MAX_PROFILE_ENTRIES])
            .unwrap();
        assert!(shock
            .set("colour", &Value::Whole(0))
            .unwrap_err()
            .contains("unknown shock field"));
    }
}
