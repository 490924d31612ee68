//! The `[calibrate]` table: the settings of an ABC-SMC calibration (`commsim calibrate`), the
//! priors of the calibrated keys (`[calibrate.parameters]`, in the style of the sweep's ranges
//! with a `scale`), and its targets: pattern numbers of the scorecard and numeric ranges on
//! outcome means (`[calibrate.outcomes]`). What the settings mean is in `crate::calibrate`.

use super::Scenario;
use crate::error::{key_excerpt, InputError};
use crate::params::{index_of, registry, Kind, Value};

/// Particles per generation unless `calibrate.population` says otherwise.
pub const DEFAULT_POPULATION: u64 = 100;
/// The most generations (generation 0 included) unless `calibrate.generations` says otherwise.
pub const DEFAULT_GENERATIONS: u64 = 8;
/// Replicates per particle unless `calibrate.replicates` says otherwise.
pub const DEFAULT_REPLICATES: u64 = 4;
/// Draws per batch unless `calibrate.batch` says otherwise: with 4 replicates, 256 runs to share
/// among the worker threads, and at most a batch's surplus simulated in vain per generation.
pub const DEFAULT_BATCH: u64 = 64;
/// Posterior draws of `commsim run --posterior` unless `calibrate.posterior_draws` (or
/// `--posterior-draws`) says otherwise.
pub const DEFAULT_POSTERIOR_DRAWS: u64 = 100;
/// The patterns of the scorecard (`crate::patterns`), all targets by default.
pub const PATTERNS: u64 = 6;

/// The most particles, generations, replicates, draws per batch and posterior draws allowed.
pub const MAX_POPULATION: u64 = 1_000_000;
pub const MAX_GENERATIONS: u64 = 1000;
pub const MAX_REPLICATES: u64 = 100_000;
pub const MAX_BATCH: u64 = 1_000_000;
pub const MAX_POSTERIOR_DRAWS: u64 = 1_000_000;

/// The scale of a prior: uniform on [min, max] or uniform in the logarithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Linear,
    Log,
}

impl Scale {
    pub fn name(self) -> &'static str {
        match self {
            Scale::Linear => "linear",
            Scale::Log => "log",
        }
    }
}

/// One calibrated key and its prior.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibratedKey {
    pub key: String,
    pub min: f64,
    pub max: f64,
    pub scale: Scale,
}

/// A numeric target: the mean of `outcome` over a particle's replicates must lie in [min, max].
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeTarget {
    pub outcome: String,
    pub min: f64,
    pub max: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Calibrate {
    pub population: u64,
    pub generations: u64,
    pub final_tolerance: f64,
    pub replicates: u64,
    pub quantile: f64,
    pub min_acceptance: f64,
    /// The calibration's master seed; `None`: `run.seed`.
    pub seed: Option<u64>,
    pub batch: u64,
    pub posterior_draws: u64,
    /// Pattern numbers (1 to 6) whose claims are targets.
    pub patterns: Vec<u64>,
    pub parameters: Vec<CalibratedKey>,
    pub outcomes: Vec<OutcomeTarget>,
}

impl Default for Calibrate {
    fn default() -> Self {
        Calibrate {
            population: DEFAULT_POPULATION,
            generations: DEFAULT_GENERATIONS,
            final_tolerance: 0.0,
            replicates: DEFAULT_REPLICATES,
            quantile: crate::experiment::abc::DEFAULT_QUANTILE,
            min_acceptance: crate::experiment::abc::DEFAULT_MIN_ACCEPTANCE,
            seed: None,
            batch: DEFAULT_BATCH,
            posterior_draws: DEFAULT_POSTERIOR_DRAWS,
            patterns: (1..=PATTERNS).collect(),
            parameters: Vec::new(),
            outcomes: Vec::new(),
        }
    }
}

/// The scalar keys of `[calibrate]`, for messages.
pub const SCALAR_FIELDS: &str = "population, generations, final_tolerance, replicates, quantile, min_acceptance, seed, batch, posterior_draws, patterns";

/// What `[calibrate]` allows, for an unknown key.
pub const ALLOWED: &str = "allowed in [calibrate]: population, generations, final_tolerance, replicates, quantile, min_acceptance, seed, batch, posterior_draws, patterns, parameters, outcomes";

fn whole_in(v: &Value, low: u64, high: u64, what: &str) -> Result<u64, String> {
    match v {
        Value::Whole(n) if (low..=high).contains(n) => Ok(*n),
        _ => Err(format!(
            "allowed: {what}, a whole number from {low} to {high}"
        )),
    }
}

fn real_of(v: &Value) -> Option<f64> {
    match v {
        Value::Real(x) => Some(*x),
        Value::Whole(n) => Some(*n as f64),
        _ => None,
    }
}

impl Calibrate {
    /// Sets one scalar field from a TOML or `--set` value; the error says what is allowed.
    pub fn set(&mut self, field: &str, v: &Value) -> Result<(), String> {
        match field {
            "population" => {
                self.population = whole_in(v, 2, MAX_POPULATION, "particles per generation")?
            }
            "generations" => {
                self.generations = whole_in(
                    v,
                    1,
                    MAX_GENERATIONS,
                    "the most generations, generation 0 included",
                )?
            }
            "replicates" => {
                self.replicates = whole_in(v, 1, MAX_REPLICATES, "replicates per particle")?
            }
            "batch" => self.batch = whole_in(v, 1, MAX_BATCH, "draws per batch")?,
            "posterior_draws" => {
                self.posterior_draws = whole_in(
                    v,
                    1,
                    MAX_POSTERIOR_DRAWS,
                    "posterior draws of `commsim run --posterior`",
                )?
            }
            "final_tolerance" => {
                self.final_tolerance = real_of(v)
                    .filter(|x| x.is_finite() && *x >= 0.0)
                    .ok_or("allowed: a finite number at least 0 (the distance at which the calibration stops)")?
            }
            "quantile" => {
                self.quantile = real_of(v)
                    .filter(|x| *x > 0.0 && *x <= 1.0)
                    .ok_or("allowed: a number above 0, at most 1 (the quantile of the last generation's distances that is the next tolerance)")?
            }
            "min_acceptance" => {
                self.min_acceptance = real_of(v)
                    .filter(|x| (0.0..=1.0).contains(x))
                    .ok_or("allowed: a number from 0 to 1 (the share of draws accepted below which the calibration stops)")?
            }
            "seed" => {
                self.seed = Some(match v {
                    Value::Whole(n) => *n,
                    Value::Text(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
                        s.parse().map_err(|_| {
                            format!("{s} is out of range; allowed: a whole number up to {}", u64::MAX)
                        })?
                    }
                    _ => return Err(format!("allowed: a whole number from 0 to {} (written as a string of digits beyond {})", u64::MAX, i64::MAX)),
                })
            }
            "patterns" => {
                return Err("allowed: a list of pattern numbers, for example patterns = [1, 2, 4]".into())
            }
            _ => {
                return Err(format!(
                    "`calibrate.{}` is not a key of [calibrate]; {ALLOWED}",
                    key_excerpt(field)
                ))
            }
        }
        Ok(())
    }

    /// Sets `patterns` from a list; each must be 1 to 6, once.
    pub fn set_patterns(&mut self, values: &[Value]) -> Result<(), String> {
        let mut out = Vec::new();
        for v in values {
            let n = whole_in(v, 1, PATTERNS, "pattern numbers of the scorecard")?;
            if out.contains(&n) {
                return Err(format!(
                    "pattern {n} is listed twice; allowed: each pattern once"
                ));
            }
            out.push(n);
        }
        self.patterns = out;
        Ok(())
    }

    /// The master seed of the calibration: `calibrate.seed`, else `run.seed`.
    pub fn seed_of(&self, scenario: &Scenario) -> u64 {
        self.seed
            .unwrap_or_else(|| scenario.values.whole("run.seed"))
    }

    /// Checks what single fields cannot: each calibrated key is a numeric registry key that may
    /// vary, its range lies inside the key's and suits its scale; each outcome exists; there is
    /// a target; pattern targets have a shock to be about; the population outnumbers the keys.
    pub fn validate(&self, scenario: &Scenario) -> Result<(), InputError> {
        let at = |key: &str| scenario.location_of(key);
        if self.parameters.is_empty() {
            return Err(InputError::key(
                at("calibrate"),
                "calibrate.parameters",
                "no calibrated keys; allowed: one or more under [calibrate.parameters], \"key\" = { min = ..., max = ..., scale = \"linear\" or \"log\" }",
            ));
        }
        let mut probe = scenario.without_sweep();
        for (i, p) in self.parameters.iter().enumerate() {
            let key = format!("calibrate.parameters.\"{}\"", p.key);
            let bad = |m: String| InputError::key(at(&key), key.clone(), m);
            let Some(index) = index_of(&p.key) else {
                return Err(bad(format!(
                    "`{}`: {}",
                    key_excerpt(&p.key),
                    super::suggest::unknown_key_message(&p.key)
                )));
            };
            if let Some((_, why)) = super::sweep::UNSWEEPABLE.iter().find(|(k, _)| *k == p.key) {
                return Err(bad(format!("cannot be calibrated: {why}")));
            }
            let spec = &registry()[index];
            if !matches!(spec.kind, Kind::Real { .. } | Kind::Whole { .. }) {
                return Err(bad(format!(
                    "takes {}; allowed: keys that take numbers",
                    spec.kind.allowed()
                )));
            }
            if self.parameters[..i].iter().any(|q| q.key == p.key) {
                return Err(bad("listed twice; allowed: each key once".into()));
            }
            if !(p.min.is_finite() && p.max.is_finite() && p.min < p.max) {
                return Err(bad(format!(
                    "min = {}, max = {}; allowed: finite numbers with min < max",
                    p.min, p.max
                )));
            }
            if p.scale == Scale::Log && p.min <= 0.0 {
                return Err(bad(format!(
                    "min = {} with scale = \"log\"; allowed: min above 0 on a log scale (or scale = \"linear\")",
                    p.min
                )));
            }
            for x in [p.min, p.max] {
                super::overrides::assign(&mut probe, &p.key, super::sweep::range_value(&p.key, x))
                    .map_err(|m| {
                        bad(format!(
                            "{m} (the range must lie inside the key's: {})",
                            spec.kind.range()
                        ))
                    })?;
            }
        }
        let names = crate::model::outcomes::names();
        for (i, t) in self.outcomes.iter().enumerate() {
            let key = format!("calibrate.outcomes.\"{}\"", t.outcome);
            let bad = |m: String| InputError::key(at(&key), key.clone(), m);
            if !names.contains(&t.outcome) {
                return Err(bad(format!(
                    "`{}` is not an outcome; allowed: the columns of runs.csv after the seed (MODEL.md, section 8)",
                    key_excerpt(&t.outcome)
                )));
            }
            if self.outcomes[..i].iter().any(|u| u.outcome == t.outcome) {
                return Err(bad("listed twice; allowed: each outcome once".into()));
            }
            if !(t.min.is_finite() && t.max.is_finite() && t.min < t.max) {
                return Err(bad(format!(
                    "min = {}, max = {}; allowed: finite numbers with min < max",
                    t.min, t.max
                )));
            }
        }
        if self.patterns.is_empty() && self.outcomes.is_empty() {
            return Err(InputError::key(
                at("calibrate.patterns"),
                "calibrate.patterns",
                "no targets: patterns = [] and no [calibrate.outcomes]; allowed: pattern numbers, outcome ranges, or both",
            ));
        }
        if !self.patterns.is_empty() && scenario.shocks.is_empty() {
            return Err(InputError::key(
                at("calibrate.patterns"),
                "calibrate.patterns",
                "the patterns are about a crisis and the scenario has no [[shocks]]; allowed: patterns = [] with [calibrate.outcomes] targets, or a shock",
            ));
        }
        if self.population <= self.parameters.len() as u64 {
            return Err(InputError::key(
                at("calibrate.population"),
                "calibrate.population",
                format!(
                    "population = {} for {} calibrated keys; allowed: more particles than keys (the perturbation kernel's covariance needs them)",
                    self.population,
                    self.parameters.len()
                ),
            ));
        }
        Ok(())
    }

    /// The table as TOML that parses back to it.
    pub fn render(&self) -> String {
        let mut out = String::from("\n[calibrate]\n");
        out.push_str(&format!("population = {}\n", self.population));
        out.push_str(&format!("generations = {}\n", self.generations));
        out.push_str(&format!(
            "final_tolerance = {}\n",
            Value::Real(self.final_tolerance)
        ));
        out.push_str(&format!("replicates = {}\n", self.replicates));
        out.push_str(&format!("quantile = {}\n", Value::Real(self.quantile)));
        out.push_str(&format!(
            "min_acceptance = {}\n",
            Value::Real(self.min_acceptance)
        ));
        if let Some(seed) = self.seed {
            out.push_str(&format!("seed = {}\n", Value::Whole(seed)));
        }
        out.push_str(&format!("batch = {}\n", self.batch));
        out.push_str(&format!("posterior_draws = {}\n", self.posterior_draws));
        let patterns: Vec<String> = self.patterns.iter().map(u64::to_string).collect();
        out.push_str(&format!("patterns = [{}]\n", patterns.join(", ")));
        out.push_str("\n[calibrate.parameters]\n");
        for p in &self.parameters {
            out.push_str(&format!(
                "\"{}\" = {{ min = {}, max = {}, scale = \"{}\" }}\n",
                p.key,
                Value::Real(p.min),
                Value::Real(p.max),
                p.scale.name()
            ));
        }
        if !self.outcomes.is_empty() {
            out.push_str("\n[calibrate.outcomes]\n");
            for t in &self.outcomes {
                out.push_str(&format!(
                    "\"{}\" = {{ min = {}, max = {} }}\n",
                    t.outcome,
                    Value::Real(t.min),
                    Value::Real(t.max)
                ));
            }
        }
        out
    }
}

/// A number field of an inline table.
fn bound(t: &toml::Table, name: &str, allowed: &str) -> Result<f64, String> {
    match t.get(name) {
        Some(toml::Value::Float(x)) => Ok(*x),
        Some(toml::Value::Integer(n)) => Ok(*n as f64),
        _ => Err(format!("needs `{name}` as a number; allowed: {allowed}")),
    }
}

/// What a `[calibrate.parameters]` entry allows.
pub const PRIOR_ALLOWED: &str =
    "{ min = ..., max = ..., scale = \"linear\" or \"log\" } (scale may be left out: linear)";

/// What a `[calibrate.outcomes]` entry allows.
pub const TARGET_ALLOWED: &str =
    "{ min = ..., max = ... } (the range of the outcome's mean over a particle's replicates)";

/// One `[calibrate.parameters]` entry.
pub fn read_prior(key: &str, spec: &toml::Value) -> Result<CalibratedKey, String> {
    let toml::Value::Table(t) = spec else {
        return Err(format!("allowed: {PRIOR_ALLOWED}"));
    };
    if let Some(extra) = t
        .keys()
        .find(|k| !["min", "max", "scale"].contains(&k.as_str()))
    {
        let hint = if t.values().all(|v| matches!(v, toml::Value::Table(_))) {
            "; a dotted key must be quoted in [calibrate.parameters]: \"community.recognition\" = { ... }"
        } else {
            ""
        };
        return Err(format!(
            "unknown field `{}`; allowed: {PRIOR_ALLOWED}{hint}",
            key_excerpt(extra)
        ));
    }
    let scale = match t.get("scale") {
        None => Scale::Linear,
        Some(toml::Value::String(s)) if s == "linear" => Scale::Linear,
        Some(toml::Value::String(s)) if s == "log" => Scale::Log,
        Some(_) => return Err("scale: allowed: \"linear\" or \"log\"".into()),
    };
    Ok(CalibratedKey {
        key: key.to_string(),
        min: bound(t, "min", PRIOR_ALLOWED)?,
        max: bound(t, "max", PRIOR_ALLOWED)?,
        scale,
    })
}

/// One `[calibrate.outcomes]` entry.
pub fn read_target(outcome: &str, spec: &toml::Value) -> Result<OutcomeTarget, String> {
    let toml::Value::Table(t) = spec else {
        return Err(format!("allowed: {TARGET_ALLOWED}"));
    };
    if let Some(extra) = t.keys().find(|k| !["min", "max"].contains(&k.as_str())) {
        return Err(format!(
            "unknown field `{}`; allowed: {TARGET_ALLOWED}",
            key_excerpt(extra)
        ));
    }
    Ok(OutcomeTarget {
        outcome: outcome.to_string(),
        min: bound(t, "min", TARGET_ALLOWED)?,
        max: bound(t, "max", TARGET_ALLOWED)?,
    })
}

/// `--set calibrate.FIELD=VALUE` of a scenario that has a `[calibrate]` table.
pub fn assign(scenario: &mut Scenario, field: &str, value: &Value) -> Result<(), String> {
    let Some(c) = scenario.calibrate.as_mut() else {
        return Err("the scenario has no [calibrate] table".into());
    };
    if field.starts_with("parameters") || field.starts_with("outcomes") {
        return Err(format!(
            "`calibrate.{}` cannot be set; allowed: {SCALAR_FIELDS} (edit the scenario file for the priors and outcome targets)",
            key_excerpt(field)
        ));
    }
    c.set(field, value)
}

#[cfg(test)]
mod tests {
    use crate::scenario::{apply_sets, parse_str};

    const BASE: &str =
        "[[shocks]]\nstart_month = 3\nduration_months = 4\nseverity = 0.5\nkind = \"pandemic\"\n";

    fn err(extra: &str) -> String {
        parse_str(&format!("{BASE}{extra}"), "c.toml")
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn a_calibrate_table_reads_back_identically() {
        let text = format!(
            "{BASE}[calibrate]\npopulation = 50\nseed = 7\npatterns = [2, 4]\n[calibrate.parameters]\n\"community.recognition\" = {{ min = 0.1, max = 0.9 }}\n\"dissolution.base_hazard\" = {{ min = 0.005, max = 0.1, scale = \"log\" }}\n[calibrate.outcomes]\nsurvival = {{ min = 0.8, max = 0.95 }}\n"
        );
        let mut s = parse_str(&text, "a.toml").unwrap();
        let c = s.calibrate.clone().unwrap();
        assert_eq!(c.population, 50);
        assert_eq!(c.patterns, vec![2, 4]);
        assert_eq!(c.parameters[1].scale, super::Scale::Log);
        assert_eq!(c.outcomes[0].outcome, "survival");
        apply_sets(&mut s, &["calibrate.generations=3".into()]).unwrap();
        let back = parse_str(&s.to_toml(), "b.toml").unwrap();
        assert_eq!(back.calibrate, s.calibrate);
        assert_eq!(back.calibrate.unwrap().generations, 3);
        assert!(s.to_toml().contains("scale = \"linear\""));
    }

    #[test]
    fn bad_calibrate_keys_are_located_errors_saying_what_is_allowed() {
        let p = "[calibrate.parameters]\n\"community.recognition\" = { min = 0.1, max = 0.9 }\n";
        for (extra, located, says) in [
            ("[calibrate]\npopulaton = 5\n", "c.toml:7:1: key `calibrate.populaton`", "allowed in [calibrate]"),
            ("[calibrate]\npopulation = 1\n", "c.toml:7:1: key `calibrate.population`", "from 2 to"),
            ("[calibrate]\nquantile = 0\n", "key `calibrate.quantile`", "above 0"),
            ("[calibrate]\npatterns = [7]\n", "key `calibrate.patterns`", "from 1 to 6"),
            ("[calibrate]\npatterns = [1, 1]\n", "key `calibrate.patterns`", "twice"),
            ("[calibrate.parameters]\n\"community.recogniton\" = { min = 0.1, max = 0.9 }\n", "c.toml:7:1: key `calibrate.parameters.\"community.recogniton\"`", "did you mean"),
            ("[calibrate.parameters]\n\"community.recognition\" = { min = 0.1, max = 1.9 }\n", "key `calibrate.parameters.\"community.recognition\"`", "from 0 to 1"),
            ("[calibrate.parameters]\n\"community.recognition\" = { min = 0.0, max = 0.5, scale = \"log\" }\n", "calibrate.parameters", "above 0 on a log scale"),
            ("[calibrate.parameters]\n\"community.recognition\" = { min = 0.5, max = 0.5 }\n", "calibrate.parameters", "min < max"),
            ("[calibrate.parameters]\n\"community.recognition\" = { low = 0.1 }\n", "calibrate.parameters", "unknown field `low`"),
            ("[calibrate.parameters]\n\"community.recognition\" = { min = 0.1, max = 0.5, scale = \"ln\" }\n", "calibrate.parameters", "\"linear\" or \"log\""),
            ("[calibrate.parameters]\n\"grants.enabled\" = { min = 0, max = 1 }\n", "grants.enabled", "keys that take numbers"),
            ("[calibrate.parameters]\n\"run.seed\" = { min = 0, max = 1 }\n", "run.seed", "cannot be calibrated"),
            ("[calibrate]\n", "key `calibrate.parameters`", "no calibrated keys"),
            (&format!("{p}[calibrate.outcomes]\nsurvivl = {{ min = 0.1, max = 0.2 }}\n"), "c.toml:9:1: key `calibrate.outcomes.\"survivl\"`", "not an outcome"),
            (&format!("[calibrate]\npatterns = []\n{p}"), "key `calibrate.patterns`", "no targets"),
            ("[calibrate]\npopulation = 2\n[calibrate.parameters]\n\"community.recognition\" = { min = 0.1, max = 0.9 }\n\"community.human_capital\" = { min = 0.1, max = 0.9 }\n", "key `calibrate.population`", "more particles than keys"),
        ] {
            let e = err(extra);
            assert!(e.contains(located) && e.contains(says), "{extra}: {e}");
        }
        let no_shock = parse_str(&format!("[calibrate]\n{p}"), "n.toml")
            .unwrap_err()
            .to_string();
        assert!(no_shock.contains("no [[shocks]]"), "{no_shock}");
        let mut s = parse_str(&format!("{BASE}{p}"), "c.toml").unwrap();
        let e = apply_sets(&mut s, &["calibrate.parameters.x=1".into()])
            .unwrap_err()
            .to_string();
        assert!(e.contains("cannot be set"), "{e}");
        let mut plain = parse_str(BASE, "c.toml").unwrap();
        let e = apply_sets(&mut plain, &["calibrate.population=5".into()])
            .unwrap_err()
            .to_string();
        assert!(e.contains("no [calibrate] table"), "{e}");
    }
}
