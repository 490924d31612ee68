//! Reading a scenario file: TOML syntax, then every key against the registry, with the file, line
//! and key of the first problem. Values come from `toml::Table`; lines from `toml::de::DeTable`.

use super::suggest::unknown_key_message;
use super::toml_values::{integer, is_list_key, list_value, scalar_value, sweep_values};
use super::{Design, Scenario, Shock, Sweep, SHOCK_FIELDS};
use crate::bounded;
use crate::error::{InputError, Location};
use crate::params::{index_of, registry, Value};
use std::path::Path;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// The largest scenario file. Parsing takes up to about 130 bytes of memory per byte of TOML
/// (a file that is one long array), so this bounds parsing to about 550 MB; designs of 10^5
/// points or more belong in a design file (`design = "file"`), which is read as a stream.
pub const MAX_SCENARIO_BYTES: u64 = 4 * bounded::MIB;

/// What `sweep.samples` allows.
pub const SAMPLES_ALLOWED: &str = "allowed: a whole number of points from 1 to 10000000";

/// What `sweep.trajectories` allows.
pub const TRAJECTORIES_ALLOWED: &str = "allowed: a whole number of trajectories from 2 to 5000000 (elementary effects need two to have a spread)";

/// What `sweep.levels` allows.
pub const LEVELS_ALLOWED: &str =
    "allowed: an even whole number of levels from 2 to 1000 (each step moves half of them)";

/// What `sweep.candidates` allows.
pub const CANDIDATES_ALLOWED: &str = "allowed: a whole number of candidate trajectories from 3 to 1000, more than sweep.trajectories";

/// `sweep.trajectories` as read from TOML or `--set`, if allowed.
pub fn trajectories_value(n: i128) -> Option<u64> {
    (2..=i128::from(super::sweep::MAX_SAMPLES / 2))
        .contains(&n)
        .then_some(n as u64)
}

/// `sweep.levels` as read from TOML or `--set`, if allowed.
pub fn levels_value(n: i128) -> Option<u32> {
    let max = i128::from(crate::experiment::sampling::MAX_MORRIS_LEVELS);
    ((2..=max).contains(&n) && n % 2 == 0).then_some(n as u32)
}

/// `sweep.candidates` as read from TOML or `--set`, if allowed.
pub fn candidates_value(n: i128) -> Option<u64> {
    (3..=i128::from(crate::experiment::selection::MAX_CANDIDATES))
        .contains(&n)
        .then_some(n as u64)
}

/// Reads and validates a scenario file.
pub fn parse_file(path: &Path) -> Result<Scenario, InputError> {
    let read_error = |message: String| InputError::Read {
        path: path.to_path_buf(),
        message,
    };
    if path.is_dir() {
        return Err(read_error("it is a folder; allowed: a TOML file".into()));
    }
    let bytes = bounded::read_at_most(path, MAX_SCENARIO_BYTES)
        .map_err(|e| read_error(e.to_string()))?
        .ok_or_else(|| {
            read_error(format!(
                "the file is larger than {}; allowed: at most {} (put a large design in a design file: design = \"file\")",
                bounded::describe(MAX_SCENARIO_BYTES),
                bounded::describe(MAX_SCENARIO_BYTES)
            ))
        })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let (line, column) = Lines::new(&String::from_utf8_lossy(e.as_bytes())).at(offset);
        InputError::Syntax {
            location: Location {
                file: path.display().to_string(),
                line: Some(line),
                column: Some(column),
            },
            message: "the file is not valid UTF-8; allowed: UTF-8 text".into(),
        }
    })?;
    parse_str(&text, &path.display().to_string())
}

/// Parses and validates scenario text; `origin` names it in errors.
pub fn parse_str(text: &str, origin: &str) -> Result<Scenario, InputError> {
    let lines = Lines::new(text);
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map(|s| lines.at(s.start)).unzip();
        InputError::Syntax {
            location: Location {
                file: origin.to_string(),
                line,
                column,
            },
            message: toml_message(e.message()),
        }
    })?;
    let spans = DeTable::parse(text).map_err(|e| InputError::Syntax {
        location: Location {
            file: origin.to_string(),
            line: None,
            column: None,
        },
        message: format!("invalid TOML: {}", e.message()),
    })?;
    let mut reader = Reader {
        lines,
        origin,
        spans: spans.get_ref(),
        scenario: Scenario {
            origin: origin.to_string(),
            ..Scenario::default()
        },
        assigned: std::collections::HashMap::new(),
    };
    reader.table(&table, &mut Vec::new())?;
    reader.scenario.validate()?;
    Ok(reader.scenario)
}

/// A TOML syntax error as a message; an integer beyond TOML's range says how to write a seed.
fn toml_message(message: &str) -> String {
    let message = message.trim_end();
    if message.contains("value was too large") {
        format!(
            "invalid TOML: the integer is too large; allowed: integers up to {} (a larger run.seed is written as a string of digits: seed = \"{}\")",
            i64::MAX,
            u64::MAX
        )
    } else {
        format!("invalid TOML: {message}")
    }
}

/// Where each line of a text starts, so that the line and column of a byte offset are found by
/// binary search: locating every key of a file is then O(keys log lines), not O(keys x size).
struct Lines {
    starts: Vec<usize>,
    len: usize,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let starts = std::iter::once(0)
            .chain(
                text.bytes()
                    .enumerate()
                    .filter(|(_, b)| *b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .collect();
        Lines {
            starts,
            len: text.len(),
        }
    }

    /// 1-based line and column (in bytes) of a byte offset.
    fn at(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.len);
        let line = self.starts.partition_point(|&s| s <= offset);
        (line, offset - self.starts[line - 1] + 1)
    }
}

#[derive(Clone)]
enum Seg {
    Key(String),
    Index(usize),
}

struct Reader<'a> {
    lines: Lines,
    origin: &'a str,
    spans: &'a DeTable<'a>,
    scenario: Scenario,
    /// Line and column where each scalar key was assigned, so a key written twice (a quoted
    /// dotted key `"run.months"` and `months` in `[run]`) is an error instead of the last winning.
    assigned: std::collections::HashMap<String, (usize, usize)>,
}

impl Reader<'_> {
    fn location(&self, path: &[Seg]) -> Location {
        let (line, column) = span_of(self.spans, path)
            .map(|s| self.lines.at(s.start))
            .unzip();
        Location {
            file: self.origin.to_string(),
            line,
            column,
        }
    }

    fn error(&self, path: &[Seg], key: &str, message: impl Into<String>) -> InputError {
        InputError::key(self.location(path), key, message)
    }

    fn remember(&mut self, path: &[Seg], key: &str) {
        if let Some(span) = span_of(self.spans, path) {
            let at = self.lines.at(span.start);
            std::sync::Arc::make_mut(&mut self.scenario.locations).insert(key.to_string(), at);
        }
    }

    fn table(&mut self, table: &toml::Table, path: &mut Vec<Seg>) -> Result<(), InputError> {
        for (name, item) in table {
            path.push(Seg::Key(name.clone()));
            let key = dotted(path);
            self.remember(path, &key);
            match (key.as_str(), item) {
                ("shocks", toml::Value::Array(entries)) => self.shocks(entries, path)?,
                ("shocks", _) => {
                    return Err(self.error(path, &key, "expected an array of tables ([[shocks]])"))
                }
                ("sweep", toml::Value::Table(t)) => self.sweep(t, path)?,
                ("sweep", _) => return Err(self.error(path, &key, "expected a table ([sweep])")),
                ("calibrate", toml::Value::Table(t)) => self.calibrate(t, path)?,
                ("calibrate", _) => {
                    return Err(self.error(path, &key, "expected a table ([calibrate])"))
                }
                (_, toml::Value::Table(inner))
                    if index_of(&key).is_none() && has_children(&key) =>
                {
                    self.table(inner, path)?
                }
                _ => self.scalar(&key, item, path)?,
            }
            path.pop();
        }
        Ok(())
    }

    fn scalar(&mut self, key: &str, item: &toml::Value, path: &[Seg]) -> Result<(), InputError> {
        if index_of(key).is_none() {
            return Err(self.error(path, key, unknown_key_message(key)));
        }
        let here = span_of(self.spans, path).map(|s| self.lines.at(s.start));
        if let Some((line, column)) = self.assigned.get(key) {
            return Err(self.error(
                path,
                key,
                format!(
                    "given twice (first at line {line}, column {column}); allowed: each key once"
                ),
            ));
        }
        self.assigned
            .insert(key.to_string(), here.unwrap_or_default());
        let value = match item {
            toml::Value::Array(items) if is_list_key(key) => list_value(items),
            _ => scalar_value(item),
        }
        .map_err(|m| self.error(path, key, m))?;
        self.scenario
            .values
            .set(key, value)
            .map_err(|m| self.error(path, key, m))
    }

    fn shocks(&mut self, entries: &[toml::Value], path: &mut Vec<Seg>) -> Result<(), InputError> {
        for (i, entry) in entries.iter().enumerate() {
            path.push(Seg::Index(i));
            let toml::Value::Table(fields) = entry else {
                return Err(self.error(
                    path,
                    &format!("shocks.{i}"),
                    "expected a table of shock fields",
                ));
            };
            let mut shock = Shock::default();
            for (field, item) in fields {
                path.push(Seg::Key(field.clone()));
                let key = format!("shocks.{i}.{field}");
                self.remember(path, &key);
                let result = match item {
                    toml::Value::Array(values) => {
                        let values: Result<Vec<Value>, String> =
                            values.iter().map(scalar_value).collect();
                        values.and_then(|vs| {
                            if field == "profile" {
                                shock.set_profile(&vs)
                            } else if SHOCK_FIELDS.contains(&field.as_str()) {
                                Err("found an array; allowed: a single value".into())
                            } else {
                                shock.set(field, &Value::Whole(0))
                            }
                        })
                    }
                    other => scalar_value(other).and_then(|v| shock.set(field, &v)),
                };
                result.map_err(|m| self.error(path, &key, m))?;
                path.pop();
            }
            for required in &SHOCK_FIELDS[..3] {
                if !fields.contains_key(*required) {
                    return Err(self.error(
                        path,
                        &format!("shocks.{i}.{required}"),
                        format!("missing; a shock needs {}", SHOCK_FIELDS[..4].join(", ")),
                    ));
                }
            }
            self.scenario.shocks.push(shock);
            path.pop();
        }
        Ok(())
    }

    fn sweep(&mut self, table: &toml::Table, path: &mut Vec<Seg>) -> Result<(), InputError> {
        let mut sweep = Sweep::default();
        for (field, item) in table {
            path.push(Seg::Key(field.clone()));
            let key = format!("sweep.{field}");
            self.remember(path, &key);
            match (field.as_str(), item) {
                ("design", toml::Value::String(s)) => {
                    sweep.design = Design::parse(s).ok_or_else(|| {
                        self.error(
                            path,
                            &key,
                            format!(
                                "`{s}` is not a design; allowed: grid, lhs, sobol, morris, file"
                            ),
                        )
                    })?;
                }
                ("samples", toml::Value::Integer(n))
                    if (1..=super::sweep::MAX_SAMPLES as i64).contains(n) =>
                {
                    sweep.samples = *n as u64
                }
                ("samples", _) => return Err(self.error(path, &key, SAMPLES_ALLOWED)),
                ("trajectories", item) => {
                    sweep.trajectories = integer(item)
                        .and_then(trajectories_value)
                        .ok_or_else(|| self.error(path, &key, TRAJECTORIES_ALLOWED))?
                }
                ("levels", item) => {
                    sweep.levels = integer(item)
                        .and_then(levels_value)
                        .ok_or_else(|| self.error(path, &key, LEVELS_ALLOWED))?
                }
                ("candidates", item) => {
                    sweep.candidates = Some(
                        integer(item)
                            .and_then(candidates_value)
                            .ok_or_else(|| self.error(path, &key, CANDIDATES_ALLOWED))?,
                    )
                }
                ("file", toml::Value::String(s)) => sweep.file = Some(s.clone()),
                ("second_order", toml::Value::Boolean(b)) => sweep.second_order = *b,
                ("common_random_numbers", toml::Value::Boolean(b)) => {
                    sweep.common_random_numbers = *b
                }
                ("common_random_numbers", _) => {
                    return Err(self.error(path, &key, "expected true or false"))
                }
                ("second_order", _) => {
                    return Err(self.error(path, &key, "expected true or false"))
                }
                ("parameters", toml::Value::Table(params)) => {
                    for (param, spec) in params {
                        path.push(Seg::Key(param.clone()));
                        let pkey = format!("sweep.parameters.\"{param}\"");
                        self.remember(path, &pkey);
                        let values = sweep_values(spec).map_err(|m| self.error(path, &pkey, m))?;
                        sweep.parameters.push((param.clone(), values));
                        path.pop();
                    }
                }
                ("design" | "file", _) => return Err(self.error(path, &key, "expected a string")),
                ("parameters", _) => {
                    return Err(self.error(path, &key, "expected a table of swept keys"))
                }
                _ => {
                    return Err(self.error(
                        path,
                        &key,
                        "unknown key; allowed in [sweep]: design, samples, file, second_order, trajectories, levels, candidates, common_random_numbers, parameters",
                    ))
                }
            }
            path.pop();
        }
        self.scenario.sweep = Some(sweep);
        Ok(())
    }
}

impl Reader<'_> {
    /// The `[calibrate]` table (`super::calibrate`), every field remembered where it was
    /// written so that checks after parsing name its line.
    fn calibrate(&mut self, table: &toml::Table, path: &mut Vec<Seg>) -> Result<(), InputError> {
        use super::calibrate::{read_prior, read_target, Calibrate, ALLOWED};
        let mut c = Calibrate::default();
        for (field, item) in table {
            path.push(Seg::Key(field.clone()));
            let key = format!("calibrate.{field}");
            self.remember(path, &key);
            match (field.as_str(), item) {
                ("parameters" | "outcomes", toml::Value::Table(entries)) => {
                    for (name, spec) in entries {
                        path.push(Seg::Key(name.clone()));
                        let ekey = format!("calibrate.{field}.\"{name}\"");
                        self.remember(path, &ekey);
                        if field == "parameters" {
                            let p =
                                read_prior(name, spec).map_err(|m| self.error(path, &ekey, m))?;
                            c.parameters.push(p);
                        } else {
                            let t =
                                read_target(name, spec).map_err(|m| self.error(path, &ekey, m))?;
                            c.outcomes.push(t);
                        }
                        path.pop();
                    }
                }
                ("parameters" | "outcomes", _) => {
                    return Err(self.error(
                        path,
                        &key,
                        format!("expected a table ([calibrate.{field}])"),
                    ))
                }
                ("patterns", toml::Value::Array(items)) => {
                    let values: Result<Vec<Value>, String> =
                        items.iter().map(scalar_value).collect();
                    values
                        .and_then(|vs| c.set_patterns(&vs))
                        .map_err(|m| self.error(path, &key, m))?;
                }
                (_, toml::Value::Table(_)) => {
                    return Err(self.error(path, &key, format!("unknown table; {ALLOWED}")))
                }
                _ => {
                    let value = scalar_value(item).map_err(|m| self.error(path, &key, m))?;
                    c.set(field, &value)
                        .map_err(|m| self.error(path, &key, m))?;
                }
            }
            path.pop();
        }
        self.scenario.calibrate = Some(c);
        Ok(())
    }
}

fn dotted(path: &[Seg]) -> String {
    let parts: Vec<String> = path
        .iter()
        .map(|s| match s {
            Seg::Key(k) => k.clone(),
            Seg::Index(i) => i.to_string(),
        })
        .collect();
    parts.join(".")
}

fn has_children(prefix: &str) -> bool {
    let dotted = format!("{prefix}.");
    registry().iter().any(|spec| spec.key.starts_with(&dotted))
}

fn span_of(table: &DeTable<'_>, path: &[Seg]) -> Option<std::ops::Range<usize>> {
    let (first, rest) = path.split_first()?;
    let Seg::Key(name) = first else { return None };
    let (key, value) = table
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == name.as_str())?;
    if rest.is_empty() {
        return Some(key.span());
    }
    span_in_value(value, rest)
}

fn span_in_value(value: &Spanned<DeValue<'_>>, path: &[Seg]) -> Option<std::ops::Range<usize>> {
    match (value.get_ref(), path.first()) {
        (_, None) => Some(value.span()),
        (DeValue::Table(t), Some(Seg::Key(_))) => span_of(t, path),
        (DeValue::Array(items), Some(Seg::Index(i))) => {
            let item = items.get(*i)?;
            if path.len() == 1 {
                Some(item.span())
            } else {
                span_in_value(item, &path[1..])
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse_str(text, "s.toml").unwrap_err().to_string()
    }

    #[test]
    fn empty_file_is_the_baseline() {
        let s = parse_str("", "s.toml").unwrap();
        assert_eq!(s.values, crate::params::ParamValues::default());
        assert!(s.shocks.is_empty());
    }

    #[test]
    fn unknown_key_names_line_and_suggests() {
        let e = err("name = \"x\"\n[community]\nrecogniton = 0.2\n");
        assert!(
            e.starts_with("s.toml:3:1: key `community.recogniton`"),
            "{e}"
        );
        assert!(e.contains("community.recognition"), "{e}");
    }

    #[test]
    fn wrong_type_and_range_say_what_is_allowed() {
        let e = err("[run]\nmonths = \"ten\"\n");
        assert!(
            e.contains("s.toml:2:1: key `run.months`") && e.contains("whole number"),
            "{e}"
        );
        let e = err("[territory.village]\nyouth_outflow = 1.5\n");
        assert!(
            e.contains(":2:1: key `territory.village.youth_outflow`") && e.contains("from 0 to 1"),
            "{e}"
        );
    }

    #[test]
    fn shares_must_sum_to_one() {
        let e = err("[community.type_mix]\ncivic = 0.9\n");
        assert!(
            e.contains("s.toml:2:1: key `community.type_mix.civic`") && e.contains("sum of 1"),
            "{e}"
        );
    }

    #[test]
    fn shocks_are_read_with_their_lines() {
        let s = parse_str("[[shocks]]\nstart_month = 3\nduration_months = 2\nseverity = 0.5\nkind = \"economic\"\n", "s.toml").unwrap();
        assert_eq!(s.shocks.len(), 1);
        assert_eq!(s.shocks[0].start_month, 3);
        let e = err(
            "[[shocks]]\nstart_month = 3\nduration_months = 2\nseverity = 0.5\nkind = \"flood\"\n",
        );
        assert!(
            e.contains("s.toml:5:1: key `shocks.0.kind`") && e.contains("pandemic"),
            "{e}"
        );
        let e = err("[[shocks]]\nstart_month = 3\n");
        assert!(
            e.contains("shocks.0.duration_months") && e.contains("missing"),
            "{e}"
        );
    }

    #[test]
    fn a_key_given_twice_is_an_error_naming_both_lines() {
        let e = err("\"run.months\" = 12\n[run]\nmonths = 30\n");
        assert!(
            e.starts_with("s.toml:3:1: key `run.months`: given twice (first at line 1"),
            "{e}"
        );
    }

    #[test]
    fn chosen_outcomes_are_a_list_of_outcome_names_that_reads_back() {
        let s = parse_str(
            "[output]\noutcomes = [\"survival\", \"crisis_dissolution\"]\ncompress = true\n",
            "s.toml",
        )
        .unwrap();
        assert_eq!(
            s.values.list("output.outcomes"),
            ["survival", "crisis_dissolution"]
        );
        let rendered = s.to_toml();
        assert!(
            rendered.contains("outcomes = [\"survival\", \"crisis_dissolution\"]\n"),
            "{rendered}"
        );
        assert_eq!(parse_str(&rendered, "b.toml").unwrap().values, s.values);
        // The default is every outcome, written as an empty list.
        let d = parse_str("", "d.toml").unwrap();
        assert!(d.values.list("output.outcomes").is_empty());
        assert!(d.to_toml().contains("outcomes = []\n"));
        for set in [
            "output.outcomes=survival,crisis_dissolution",
            "output.outcomes=[\"survival\", \"crisis_dissolution\"]",
        ] {
            let mut t = parse_str("", "t.toml").unwrap();
            crate::scenario::apply_sets(&mut t, &[set.to_string()]).unwrap();
            assert_eq!(t.values, s.values.clone().with_compress(false), "{set}");
        }
        let e = err("[output]\noutcomes = [\"survival\", \"survivl\"]\n");
        assert!(
            e.starts_with("s.toml:2:1: key `output.outcomes`: `survivl` is not an outcome; did you mean `survival`?"),
            "{e}"
        );
        let e = err("[output]\noutcomes = [\"survival\", 2]\n");
        assert!(e.contains("found integer in the list"), "{e}");
        let e = err("[output]\nsummary = [true]\n");
        assert!(e.contains("found an array; allowed: a single value"), "{e}");
    }

    impl crate::params::ParamValues {
        fn with_compress(mut self, on: bool) -> Self {
            self.set("output.compress", Value::Flag(on)).unwrap();
            self
        }
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let e = err("[run]\nmonths = = 3\n");
        assert!(e.starts_with("s.toml:2:"), "{e}");
    }
}
