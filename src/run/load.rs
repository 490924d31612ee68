//! Reading a scenario with `--set` overrides, and its plan.

use crate::error::InputError;
use crate::plan::Plan;
use crate::scenario::{self, Scenario};
use std::path::Path;

/// Where a scenario's text comes from.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// A scenario file; errors name it.
    File(&'a Path),
    /// Scenario text from memory; errors name `origin`, and a `run.reference` or `sweep.file`
    /// is read relative to `origin`'s folder (the working folder for a bare name).
    Text { text: &'a str, origin: &'a str },
}

/// Reads the scenario, applies every `KEY=VALUE` of `sets` in order (as `--set`, validating the
/// whole scenario once after the last) and reads the scenario `run.reference` names.
pub fn load(source: Source, sets: &[String]) -> Result<Scenario, InputError> {
    let mut s = match source {
        Source::File(path) => scenario::parse_file(path)?,
        Source::Text { text, origin } => scenario::parse_str(text, origin)?,
    };
    scenario::apply_sets(&mut s, sets)?;
    s.resolve_reference()?;
    Ok(s)
}

/// The plan of a scenario read with `sets`. A set of a key the sweep varies would be overridden
/// at every design point while the resolved scenario recorded it: refused.
pub fn plan(scenario: Scenario, sets: &[String]) -> Result<Plan, InputError> {
    let plan = Plan::new(scenario)?;
    for text in sets {
        let key = text
            .split_once('=')
            .map_or(text.as_str(), |(k, _)| k)
            .trim();
        if plan.swept_keys.iter().any(|k| k == key) {
            return Err(InputError::Set {
                text: text.escape_debug().to_string(),
                message: format!("the sweep varies `{key}`, so this value would be ignored at every design point; allowed: --set of keys the sweep does not vary (change the sweep's values instead)"),
            });
        }
    }
    Ok(plan)
}
