//! `commsim run`: runs every point and replicate in parallel and writes the outputs.

use super::fault::FailOnSeed;
use super::progress::{Progress, PLAIN_INTERVAL_SECONDS};
use super::{default_out, load, pool, set_whole, BadArgument, RunArgs};
use anyhow::Result;
use commsim::experiment::run_all;
use commsim::model::CommunityModel;
use commsim::output::{
    differences_csv, read_result, Comparison, Derived, OutputError, OutputWriter, DIFFERENCES_TYPES,
};
use commsim::plan::Plan;
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime};

/// The MPI world when this process is one rank of several (feature `mpi`), else nothing.
#[cfg(feature = "mpi")]
type World = mpi::topology::SimpleCommunicator;
#[cfg(not(feature = "mpi"))]
type World = std::convert::Infallible;

pub fn run(args: RunArgs) -> Result<ExitCode> {
    #[cfg(feature = "mpi")]
    if let Some(universe) = super::mpi_backend::several_ranks()? {
        use mpi::traits::Communicator;
        let world = universe.world();
        return if world.rank() == 0 {
            let dismissed = std::cell::Cell::new(false);
            let result = run_on(args, Some(&world), &dismissed);
            if !dismissed.get() {
                super::mpi_backend::dismiss(&world);
            }
            result
        } else {
            Ok(work(args, &world))
        };
    }
    run_on(args, None, &std::cell::Cell::new(false))
}

/// The plan of a run: the scenario with `--replicates` and `--seed` applied; for `compare`,
/// B against A (every `--set` applies to both, and B runs with A's seed and replicates).
fn plan_of(args: &RunArgs) -> Result<Plan> {
    let mut scenario = load(&args.scenario)?;
    if let Some(n) = args.options.replicates {
        set_whole(&mut scenario, "--replicates", "run.replicates", n)?;
    }
    if let Some(seed) = args.options.seed {
        set_whole(&mut scenario, "--seed", "run.seed", seed)?;
    }
    if let Some(dir) = &args.options.posterior {
        return super::posterior::plan(args, dir, scenario);
    }
    match &args.compared {
        None => super::plan(&args.scenario, scenario),
        Some(b) => {
            let b = load(&super::ScenarioArgs {
                scenario: b.clone(),
                set: args.scenario.set.clone(),
            })?;
            Ok(Plan::compare(scenario, b)?)
        }
    }
}

/// The default output folder: results/<scenario name>/, for a comparison results/<B>-vs-<A>/.
fn default_folder(plan: &Plan) -> std::path::PathBuf {
    match &plan.compared {
        None => default_out(&plan.scenario),
        Some(b) => std::path::Path::new("results").join(format!(
            "{}-vs-{}",
            b.name(),
            plan.scenario.name()
        )),
    }
}

/// The time between plain progress lines: `--progress-interval` (hidden, for tests) or the
/// default.
fn progress_interval(seconds: Option<f64>) -> Result<Duration> {
    let seconds = seconds.unwrap_or(PLAIN_INTERVAL_SECONDS);
    if !(seconds.is_finite() && seconds > 0.0 && seconds <= MAX_PROGRESS_INTERVAL_SECONDS) {
        return Err(BadArgument(format!(
            "--progress-interval {seconds}: allowed: a number of seconds above 0, at most {MAX_PROGRESS_INTERVAL_SECONDS}"
        ))
        .into());
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// The longest interval between progress lines (a day).
const MAX_PROGRESS_INTERVAL_SECONDS: f64 = 86_400.0;

/// A worker rank: runs the batches rank 0 hands out. Errors in the scenario are rank 0's to
/// report; a worker that cannot plan waits to be stopped (rank 0 fails the same way).
#[cfg(feature = "mpi")]
fn work(args: RunArgs, world: &World) -> ExitCode {
    let model = FailOnSeed {
        inner: CommunityModel,
        seed: args.options.fail_on_seed,
    };
    match (plan_of(&args), pool(args.options.threads)) {
        (Ok(plan), Ok(pool)) => {
            super::mpi_backend::work(
                world,
                &pool,
                &model,
                &|i| plan.config(i),
                plan.replicates,
                plan.seeding(),
            );
            ExitCode::SUCCESS
        }
        _ => {
            super::mpi_backend::idle(world);
            // A status other than 0 would have mpirun end the job, rank 0 with it, before rank
            // 0 has said what was wrong.
            ExitCode::SUCCESS
        }
    }
}

/// Rank 0 of several (`world`), or the only process.
fn run_on(
    args: RunArgs,
    world: Option<&World>,
    dismissed: &std::cell::Cell<bool>,
) -> Result<ExitCode> {
    #[cfg(not(feature = "mpi"))]
    let _ = dismissed;
    super::interrupt::install("no results were written".into())?;
    let plan = plan_of(&args)?;
    for warning in plan.warnings() {
        eprintln!("warning: {warning}");
    }
    let pool = pool(args.options.threads)?;
    let interval = progress_interval(args.options.progress_interval)?;
    let threads = pool.current_num_threads();
    let out_dir = args
        .options
        .out
        .clone()
        .unwrap_or_else(|| default_folder(&plan));
    check_out(&out_dir)?;
    let model = FailOnSeed {
        inner: CommunityModel,
        seed: args.options.fail_on_seed,
    };
    let commsim::run::Files {
        columns,
        outputs,
        layout,
    } = commsim::run::files(&plan);
    let (mut writer, first_run) = if args.options.resume {
        match OutputWriter::resume(&out_dir, columns, layout) {
            Err(OutputError::AlreadyComplete { dir }) => {
                if !args.options.quiet {
                    eprintln!("{} holds a finished run; nothing to resume", dir.display());
                }
                if args.options.report {
                    return super::report_cmd::run(&dir, args.options.quiet);
                }
                return Ok(ExitCode::SUCCESS);
            }
            other => other?,
        }
    } else {
        (
            OutputWriter::create(&out_dir, columns, layout, args.options.force)?,
            0,
        )
    };
    super::interrupt::set_lock(Some(out_dir.join(commsim::output::LOCK_FILE)));
    super::interrupt::set(format!(
        "the design points finished so far are kept in {}; continue the run with:\n  {}",
        out_dir.join(".commsim-partial").display(),
        super::interrupt::resume_command(&out_dir)
    ));
    let progress = Progress::start(plan.runs(), first_run, args.options.quiet, interval);
    let start = SystemTime::now();
    let clock = Instant::now();
    let sink = |id, output| -> Result<()> {
        writer.push(
            id,
            &plan.points[id.point],
            || plan.point_parameters(id.point),
            output,
        )?;
        Ok(())
    };
    let computed = match world {
        #[cfg(feature = "mpi")]
        Some(world) => {
            dismissed.set(true);
            // Batches of a few runs per worker thread: small enough to balance the load.
            let batch = (2 * threads as u64).max(2);
            super::mpi_backend::coordinate(
                world,
                first_run,
                plan.runs(),
                batch,
                plan.replicates,
                plan.seeding(),
                sink,
                |n| progress.add(n),
            )
        }
        #[cfg(not(feature = "mpi"))]
        Some(never) => match *never {},
        None => pool.install(|| {
            run_all(
                &model,
                plan.points.len(),
                |i| plan.config(i),
                plan.replicates,
                first_run,
                plan.seeding(),
                sink,
                |n| progress.add(n),
            )
        }),
    };
    computed.map_err(|e| {
        let kept = out_dir.join(".commsim-partial");
        anyhow::anyhow!(
            "{e:#}\nthe design points finished before it are kept in {}; --resume continues from them",
            kept.display()
        )
    })?;
    progress.finish();
    let timing = commsim::run::Timing {
        start,
        end: SystemTime::now(),
        elapsed_seconds: clock.elapsed().as_secs_f64().max(1e-9),
        threads,
    };
    let mut outputs = outputs;
    if plan.compared.is_some() {
        outputs.files.push(writer.columns().file("differences.csv"));
    }
    let mut manifest = commsim::run::manifest(
        &plan,
        &args.scenario.scenario.display().to_string(),
        outputs,
        &writer.total,
        &writer.simulated,
        timing,
    );
    manifest.comparison = plan.compared.as_ref().map(|b| Comparison {
        b_scenario_name: b.name().to_string(),
        b_scenario_file: args
            .compared
            .as_ref()
            .map_or(String::new(), |f| f.display().to_string()),
        b_resolved_scenario: b.to_toml(),
        differing_keys: plan.swept_keys.clone(),
    });
    manifest.posterior = super::posterior::manifest_entry(&args, &plan)?;
    let outcomes = writer.columns().outcomes.clone();
    let compared = plan.compared.is_some();
    let posterior = manifest.posterior.is_some();
    let dir = writer.finish_with(&manifest, |staging| {
        if posterior {
            return super::posterior::derived(staging, &plan);
        }
        if !compared {
            return Ok(Vec::new());
        }
        let runs = read_result(staging, "runs.csv")?.unwrap_or_default();
        let text = differences_csv(&runs, &outcomes).map_err(|m| OutputError::Io {
            path: staging.join("runs.csv"),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, m),
        })?;
        Ok(vec![Derived {
            table: "differences.csv",
            text,
            types: DIFFERENCES_TYPES.to_vec(),
        }])
    })?;
    super::interrupt::set_lock(None);
    super::interrupt::set(format!(
        "the run's results are complete in {}; the report was not written (commsim report {})",
        dir.display(),
        dir.display()
    ));
    if !args.options.quiet {
        eprintln!(
            "{} runs in {:.2} s ({:.1} runs/s, {:.3e} resident-months/s, {:.3e} community-months/s) -> {}",
            manifest.runs,
            manifest.elapsed_seconds,
            manifest.throughput.runs_per_second,
            manifest.throughput.resident_months_per_second,
            manifest.throughput.community_months_per_second,
            dir.display()
        );
    }
    if args.options.report {
        return super::report_cmd::run(&dir, args.options.quiet);
    }
    Ok(ExitCode::SUCCESS)
}

/// Refuses an `--out` that cannot be an output folder, before anything is created.
fn check_out(out_dir: &std::path::Path) -> Result<()> {
    match commsim::run::out_problem(out_dir) {
        None => Ok(()),
        Some(why) => Err(BadArgument(format!(
            "--out {}: {why}; allowed: {}",
            out_dir.display(),
            commsim::run::OUT_ALLOWED
        ))
        .into()),
    }
}
