//! `commsim._native`: the library's runs and parameter table for the Python package (the
//! package `commsim`, python/commsim/, wraps it and makes the DataFrames).
//!
//! A run goes through the code `commsim run` uses (`commsim::run`): the scenario read with its
//! `--set` overrides, the plan, and the same writer of rows, into memory or into an output
//! folder. The simulation runs with the GIL released, on rayon's pool (every core, or
//! `RAYON_NUM_THREADS`); between runs it takes the GIL back for an instant to see whether
//! Python has a signal to handle (Ctrl-C), and stops if so.

use commsim::error::InputError as LibraryInputError;
use commsim::output::Tables;
use commsim::params::{registry, Kind, Value};
use commsim::run as library;
use commsim::run::{RunError as LibraryRunError, Source};
use commsim::scenario::{overrides_assign, Scenario};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::error::Error;
use std::path::PathBuf;
use std::time::SystemTime;

pyo3::create_exception!(
    commsim,
    InputError,
    PyValueError,
    "Bad input: a scenario file, a `set=` override or an argument. The message is the command line's: file, line, key and what is allowed."
);
pyo3::create_exception!(
    commsim,
    RunError,
    PyRuntimeError,
    "A run that could not finish for another reason than its input (a file that cannot be written, a run that panicked)."
);

/// An error and its causes, as the command line prints them (`error: {err:#}`, without the
/// `error: `).
fn message(err: &dyn Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn input_error(err: LibraryInputError) -> PyErr {
    InputError::new_err(message(&err))
}

fn run_error(err: LibraryRunError) -> PyErr {
    if err.is_input() {
        InputError::new_err(message(&err))
    } else {
        RunError::new_err(message(&err))
    }
}

/// Sets a whole-number key from an argument (`replicates=`, `seed=`) as the command line's
/// `--replicates` and `--seed` do: after every `set=`, checked against the registry's range.
fn set_whole(scenario: &mut Scenario, argument: &str, key: &str, n: i128) -> PyResult<()> {
    let value = u64::try_from(n).map_or(Value::Real(n as f64), Value::Whole);
    overrides_assign(scenario, key, value)
        .map_err(|m| InputError::new_err(format!("{argument}={n}: key `{key}`: {m}")))
}

/// Runs a scenario; see `commsim.run` (python/commsim/__init__.py) for the arguments.
#[pyfunction]
#[pyo3(signature = (*, file=None, text=None, sets=Vec::new(), replicates=None, seed=None, out=None, force=false))]
#[allow(clippy::too_many_arguments)]
fn run(
    py: Python<'_>,
    file: Option<PathBuf>,
    text: Option<String>,
    sets: Vec<String>,
    replicates: Option<i128>,
    seed: Option<i128>,
    out: Option<PathBuf>,
    force: bool,
) -> PyResult<Py<PyDict>> {
    let (source, origin) = match (&file, &text) {
        (Some(path), None) => (Source::File(path), path.display().to_string()),
        (None, Some(text)) => (
            Source::Text {
                text,
                origin: "<string>",
            },
            "<string>".to_string(),
        ),
        _ => return Err(PyValueError::new_err("give exactly one of file= and text=")),
    };
    let mut scenario = library::load(source, &sets).map_err(input_error)?;
    if let Some(n) = replicates {
        set_whole(&mut scenario, "replicates", "run.replicates", n)?;
    }
    if let Some(n) = seed {
        set_whole(&mut scenario, "seed", "run.seed", n)?;
    }
    let plan = library::plan(scenario, &sets).map_err(input_error)?;
    if let Some(dir) = &out {
        if let Some(why) = library::out_problem(dir) {
            let (dir, allowed) = (dir.display(), library::OUT_ALLOWED);
            let message = format!("out={dir}: {why}; allowed: {allowed}");
            return Err(InputError::new_err(message));
        }
    }
    let mut interrupt: Option<PyErr> = None;
    let outcome = py.detach(|| {
        let stop = || match Python::attach(|py| py.check_signals()) {
            Ok(()) => false,
            Err(e) => {
                interrupt = Some(e);
                true
            }
        };
        match &out {
            None => library::run_in_memory(&plan, stop),
            Some(dir) => library::run_to_folder(&plan, dir, force, &origin, SystemTime::now, stop),
        }
    });
    let tables = match (outcome, interrupt) {
        (Err(LibraryRunError::Stopped), Some(signal)) => return Err(signal),
        (result, _) => result.map_err(run_error)?,
    };
    result_dict(py, &plan, tables)
}

/// The run's texts and what the caller shows beside them.
fn result_dict(py: Python<'_>, plan: &commsim::plan::Plan, tables: Tables) -> PyResult<Py<PyDict>> {
    let d = PyDict::new(py);
    d.set_item("runs", tables.runs)?;
    d.set_item("summary", tables.summary)?;
    d.set_item("survival", tables.survival)?;
    d.set_item("timeseries", tables.timeseries)?;
    d.set_item("points", tables.points)?;
    // The record tables the run wrote (communities, territories), by name.
    for (name, text) in tables.records {
        d.set_item(name, text)?;
    }
    d.set_item("warnings", plan.warnings())?;
    d.set_item("resolved", plan.scenario.to_toml())?;
    d.set_item("name", plan.scenario.name())?;
    Ok(d.unbind())
}

/// The registry as columns: key, kind, default, range, min, max, unit, factors, description.
#[pyfunction]
fn params(py: Python<'_>) -> PyResult<Py<PyDict>> {
    let specs = registry();
    let column = |f: &dyn Fn(&commsim::params::ParamSpec) -> String| -> Vec<String> {
        specs.iter().map(f).collect()
    };
    let bound = |f: &dyn Fn(&Kind) -> Option<f64>| -> Vec<f64> {
        specs
            .iter()
            .map(|s| f(&s.kind).unwrap_or(f64::NAN))
            .collect()
    };
    let d = PyDict::new(py);
    d.set_item("key", column(&|s| s.key.clone()))?;
    d.set_item(
        "kind",
        column(&|s| {
            match s.kind {
                Kind::Real { .. } => "real",
                Kind::Whole { .. } => "whole",
                Kind::Flag => "flag",
                Kind::Text => "text",
                Kind::List => "list",
            }
            .to_string()
        }),
    )?;
    d.set_item("default", column(&|s| s.default.to_string()))?;
    d.set_item("range", column(&|s| s.kind.range()))?;
    d.set_item(
        "min",
        bound(&|k| match *k {
            Kind::Real { min, .. } => Some(min),
            Kind::Whole { min, .. } => Some(min as f64),
            _ => None,
        }),
    )?;
    d.set_item(
        "max",
        bound(&|k| match *k {
            Kind::Real { max, .. } => Some(max),
            Kind::Whole { max, .. } => Some(max as f64),
            _ => None,
        }),
    )?;
    d.set_item("unit", column(&|s| s.unit.to_string()))?;
    d.set_item("factors", column(&|s| s.factors.to_string()))?;
    d.set_item("description", column(&|s| s.meaning.clone()))?;
    Ok(d.unbind())
}

/// The package's version (python/Cargo.toml's, which maturin gives the wheel too).
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[pymodule]
mod _native {
    #[pymodule_export]
    use super::{params, run, version, InputError, RunError};
}
