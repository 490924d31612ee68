//! Command-line arguments and the subcommands.

mod analyze_cmd;
mod calibrate_cmd;
mod check_cmd;
mod estimate;
mod fault;
mod interrupt;
#[cfg(feature = "mpi")]
mod mpi_backend;
mod params_cmd;
mod patterns_cmd;
mod posterior;
mod progress;
mod report_cmd;
mod run_cmd;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use commsim::error::InputError;
use commsim::output::OutputError;
use commsim::plan::Plan;
use commsim::scenario::{self, Scenario};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "commsim",
    version,
    about = "Agent-based simulation of local communities in small territories"
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run a scenario (all its design points and replicates) and write the results.
    Run(RunArgs),
    /// Validate a scenario; print it resolved as TOML, with the number of runs and their cost.
    Check(ScenarioArgs),
    /// List every parameter: key, default, range, unit, factor IDs, meaning.
    Params {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Print the design points of the scenario's sweep as CSV, without running them.
    Design(ScenarioArgs),
    /// Sobol indices of a finished sobol sweep -> DIR/sensitivity.csv.
    Analyze {
        /// The output folder of the sweep.
        dir: PathBuf,
        /// No closing figures on stderr.
        #[arg(long)]
        quiet: bool,
    },
    /// Write DIR/report.html: the figures of a finished run or sweep in one self-contained page.
    Report {
        /// The output folder of the run.
        dir: PathBuf,
        /// No closing line on stderr.
        #[arg(long)]
        quiet: bool,
    },
    /// Run scenario B against scenario A on common random numbers (replicate r of each on one
    /// seed) -> DIR/differences.csv: per outcome, B minus A with its 95% interval.
    Compare(CompareArgs),
    /// Calibrate the keys of the scenario's [calibrate] table by ABC-SMC against the pattern
    /// scorecard and outcome targets -> DIR/posterior.csv, generations.csv, manifest.json. Run
    /// again on DIR, it continues after the last finished generation.
    Calibrate(CalibrateArgs),
    /// Run a scenario and print the scorecard of the six patterns (for a sweep: a verdict per
    /// design point and the share of points where each pattern holds); exit 0 only if all hold.
    Patterns {
        #[command(flatten)]
        scenario: ScenarioArgs,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Replicates (overrides run.replicates).
        #[arg(long)]
        replicates: Option<u64>,
        /// Worker threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// Evaluate the patterns at draws from the posterior of the finished calibration in this
        /// folder (`commsim calibrate`), a verdict per draw and the share of draws where each holds.
        #[arg(long, value_name = "DIR", conflicts_with = "prior")]
        posterior: Option<PathBuf>,
        /// Draws with --posterior (default: calibrate.posterior_draws, else 100).
        #[arg(long, requires = "posterior", value_name = "N")]
        posterior_draws: Option<u64>,
        /// Evaluate the patterns at N draws from the priors of the scenario's [calibrate] table
        /// instead, to set beside --posterior's shares.
        #[arg(long, value_name = "N")]
        prior: Option<u64>,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Table,
    Csv,
    Markdown,
}

#[derive(clap::Args, Debug)]
pub struct ScenarioArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Override any key: --set grants.enabled=false (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    #[command(flatten)]
    pub options: RunOptions,
    /// For `compare`: scenario B, run against the scenario (A) on common random numbers.
    #[arg(skip)]
    pub compared: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct CalibrateArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Output folder (default: results/<scenario name>/); a folder holding this calibration,
    /// interrupted, is continued.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads (default: all cores). Outputs do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Replace a calibration of another scenario, seed or settings (or other results) in the
    /// output folder.
    #[arg(long)]
    pub force: bool,
    /// No progress or closing line on stderr.
    #[arg(long)]
    pub quiet: bool,
}

#[derive(clap::Args, Debug)]
pub struct CompareArgs {
    /// Scenario A, the reference (TOML).
    #[arg(value_name = "A.toml")]
    pub a: PathBuf,
    /// Scenario B, the change (TOML): every difference is B minus A.
    #[arg(value_name = "B.toml")]
    pub b: PathBuf,
    /// Override any key in both scenarios: --set run.months=60 (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    #[command(flatten)]
    pub options: RunOptions,
}

/// The options of a run, shared by `run` and `compare`.
#[derive(clap::Args, Debug)]
pub struct RunOptions {
    /// Output folder (default: results/<scenario name>/; for compare, results/<B>-vs-<A>/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replicates per design point (overrides run.replicates).
    #[arg(long)]
    pub replicates: Option<u64>,
    /// Master seed (overrides run.seed).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Outputs do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Replace results already in the output folder.
    #[arg(long, conflicts_with = "resume")]
    pub force: bool,
    /// Continue an interrupted run in the output folder where it stopped.
    #[arg(long)]
    pub resume: bool,
    /// No progress bar or closing figures on stderr.
    #[arg(long)]
    pub quiet: bool,
    /// Also write the HTML report (as `commsim report DIR`) when the run is done.
    #[arg(long)]
    pub report: bool,
    /// Seconds between plain progress lines when stderr is not a terminal (default 30).
    #[arg(long, hide = true, value_name = "SECONDS")]
    pub progress_interval: Option<f64>,
    /// Run the scenario at draws from the posterior of the finished calibration in this folder
    /// (`commsim calibrate`), each draw a design point, instead of at one point.
    #[arg(long, value_name = "DIR")]
    pub posterior: Option<PathBuf>,
    /// Posterior draws with --posterior (default: calibrate.posterior_draws, else 100).
    #[arg(long, requires = "posterior", value_name = "N")]
    pub posterior_draws: Option<u64>,
    /// Fault injection for tests: the run with this seed panics.
    #[arg(long, hide = true)]
    pub fail_on_seed: Option<u64>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    match args.command {
        Command::Run(a) => run_cmd::run(a),
        Command::Compare(c) => run_cmd::run(RunArgs {
            scenario: ScenarioArgs {
                scenario: c.a,
                set: c.set,
            },
            options: c.options,
            compared: Some(c.b),
        }),
        Command::Check(a) => check_cmd::run(&a),
        Command::Calibrate(a) => calibrate_cmd::run(&a),
        Command::Params { format } => {
            emit(&params_cmd::render(format))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Design(a) => design(&a),
        Command::Analyze { dir, quiet } => analyze_cmd::run(&dir, quiet),
        Command::Report { dir, quiet } => report_cmd::run(&dir, quiet),
        Command::Patterns {
            scenario,
            format,
            replicates,
            threads,
            posterior,
            posterior_draws,
            prior,
        } => {
            let points = match (posterior, prior) {
                (Some(dir), _) => patterns_cmd::Points::Posterior {
                    dir,
                    draws: posterior_draws,
                },
                (None, Some(draws)) => patterns_cmd::Points::Prior { draws },
                (None, None) => patterns_cmd::Points::Scenario,
            };
            patterns_cmd::run(&scenario, points, format, replicates, threads)
        }
    }
}

/// Whether an error is bad input (exit status 2).
pub fn is_input_error(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<InputError>().is_some()
            || e.downcast_ref::<OutputError>()
                .is_some_and(OutputError::is_input)
            || e.downcast_ref::<BadArgument>().is_some()
    })
}

/// A bad command-line argument found after parsing.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadArgument(pub String);

/// Reads a file of a finished run's folder (never through a link); a missing file means the
/// folder is not what the command needs, which is bad input (exit status 2). A CSV file is read
/// plain, compressed or from its Parquet file (`runs.csv`, `runs.csv.gz` or `runs.parquet`).
pub fn read_run_file(dir: &Path, name: &str, allowed: &str) -> Result<String> {
    let missing = || -> anyhow::Error {
        let also = if name.ends_with(".csv") {
            let parquet =
                commsim::output::result_name(name, commsim::output::Format::Parquet, false);
            format!(" (nor {name}.gz, nor {parquet})")
        } else {
            String::new()
        };
        BadArgument(format!(
            "{} has no {name}{also}; allowed: {allowed}",
            dir.display()
        ))
        .into()
    };
    let read = if name.ends_with(".csv") {
        commsim::output::read_result(dir, name)
    } else {
        commsim::output::read_text(&dir.join(name)).map(Some)
    };
    match read {
        Ok(Some(text)) => Ok(text),
        Ok(None) => Err(missing()),
        Err(OutputError::Read { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            Err(missing())
        }
        Err(other) => Err(other.into()),
    }
}

/// Reads a CSV file of a finished run's folder, plain, compressed or from Parquet, if it has one.
pub fn read_optional_run_file(dir: &Path, name: &str) -> Result<Option<String>> {
    Ok(commsim::output::read_result(dir, name)?)
}

/// Sets a whole-number key from a command-line option (`--seed`, `--replicates`): the full u64
/// range reaches the registry's check, which says what is allowed.
pub fn set_whole(scenario: &mut Scenario, option: &str, key: &str, n: u64) -> Result<()> {
    scenario::overrides_assign(scenario, key, commsim::params::Value::Whole(n))
        .map_err(|m| BadArgument(format!("{option} {n}: key `{key}`: {m}")).into())
}

/// The plan of a scenario read with `args`. A `--set` of a key the sweep varies would be
/// overridden at every design point while the resolved scenario recorded it: refused.
pub fn plan(args: &ScenarioArgs, scenario: Scenario) -> Result<Plan> {
    Ok(commsim::run::plan(scenario, &args.set)?)
}

/// Reads the scenario and applies every `--set` in order.
pub fn load(args: &ScenarioArgs) -> Result<Scenario> {
    Ok(commsim::run::load(
        commsim::run::Source::File(&args.scenario),
        &args.set,
    )?)
}

fn design(args: &ScenarioArgs) -> Result<ExitCode> {
    let plan = plan(args, load(args)?)?;
    for warning in plan.warnings() {
        eprintln!("warning: {warning}");
    }
    let mut out = csv::Writer::from_writer(std::io::stdout().lock());
    let mut header = vec!["point".to_string()];
    header.extend(plan.swept_keys.iter().cloned());
    out.write_record(&header)?;
    for (i, point) in plan.points.iter().enumerate() {
        let mut row = vec![i.to_string()];
        row.extend(point.iter().map(commsim::output::value_cell));
        out.write_record(&row)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The most worker threads `--threads` may ask for: far beyond any machine this runs on (each
/// thread is a stack and a share of the runner's chunk), and small enough that a typo fails at
/// once instead of spending minutes creating threads.
pub const MAX_THREADS: usize = 1024;

/// A rayon pool with the requested threads (all cores by default).
pub fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    if let Some(n) = threads.filter(|n| !(1..=MAX_THREADS).contains(n)) {
        return Err(BadArgument(format!("--threads {n}: allowed: 1 to {MAX_THREADS}")).into());
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .context("cannot start worker threads")
}

pub use commsim::report::page::plural;

pub fn human_seconds(s: f64) -> String {
    if s < 0.01 {
        "under 0.01 s".to_string()
    } else if s < 1.0 {
        format!("{s:.2} s")
    } else if s < 10.0 {
        format!("{s:.1} s")
    } else if s < 90.0 {
        format!("{s:.0} s")
    } else if s < 5400.0 {
        format!("{:.0} min", s / 60.0)
    } else {
        format!("{:.1} h", s / 3600.0)
    }
}

/// Writes to stdout; a closed pipe (`commsim params | head`) ends the command quietly.
pub fn emit(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| anyhow::Error::from(e).context("cannot write to standard output"))
}

/// Whether an error is a closed stdout pipe.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || e.downcast_ref::<csv::Error>().is_some_and(|c| matches!(c.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe))
    })
}

/// The default output folder of a scenario.
pub fn default_out(scenario: &Scenario) -> PathBuf {
    Path::new("results").join(scenario.name())
}
