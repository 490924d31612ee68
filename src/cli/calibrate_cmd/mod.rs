//! `commsim calibrate`: ABC-SMC over the scenario's `[calibrate]` table (`commsim::calibrate`,
//! `experiment::abc`). Each generation is saved as `DIR/generations/<t>.csv` the moment it is
//! finished (a temporary file, synced, renamed), so that the same command run again on DIR
//! continues after the last finished generation, and ends with the files of a run that was
//! never interrupted. The candidates of a batch, and the replicates of each, run in parallel on
//! the rayon pool; every result is a function of the seed, whatever the thread count.
//!
//! Under `mpirun -np N` (N > 1, feature `mpi`), rank 0 runs the ABC-SMC loop and owns the
//! folder, and hands out each batch's candidates to the other ranks (`mpi_backend::Farm`),
//! which build and run them from their own copy of the scenario ([`Particles`]) and send back
//! the distances: the files are those of one process, whatever the number of ranks.

//!
//! Here the command and its loop; `particles` turns candidates into distances, `folder` keeps
//! the generations on disk and resumes from them, `tables` writes generations.csv and
//! posterior.csv, `manifest` the provenance, `progress` what stderr shows.

mod folder;
mod manifest;
mod particles;
mod progress;
mod tables;

pub use tables::{generations_csv, posterior_csv};

use super::{default_out, load, pool, CalibrateArgs};
use anyhow::{Context, Result};
use commsim::calibrate;
use commsim::experiment::abc::{self, write_generation, Candidate, Generation};
use commsim::output::{sha256, write_atomic};
use folder::{check_out, exists, generation_path, prepare, read_saved};
use manifest::{CalibrationManifest, Parameter, Settings};
use particles::Particles;
use progress::Progress;
use std::process::ExitCode;
use std::time::{Instant, SystemTime};
use tables::{short, stop_text};

/// What identifies a calibration: the program version and the resolved scenario, its
/// `[calibrate]` table and seed included.
pub const PLAN_FILE: &str = "calibration-plan.txt";
/// The folder of the generation tables.
pub const GENERATIONS_DIR: &str = "generations";
/// One row per generation.
pub const GENERATIONS_FILE: &str = "generations.csv";
/// One row per particle of the last generation.
pub const POSTERIOR_FILE: &str = "posterior.csv";
/// The provenance of a finished calibration, written last.
pub const MANIFEST_FILE: &str = "manifest.json";

/// The algorithm, as the manifest names it.
pub const ALGORITHM: &str = "ABC-SMC: population Monte Carlo ABC (Beaumont, Cornuet, Marin & Robert 2009) with adaptive tolerances, each the weighted quantile of the previous generation's distances (pyabc's QuantileEpsilon)";

/// The distance, as the manifest states it.
pub const DISTANCE: &str = "sum over targets of the distance from the target's mean over the particle's replicates to its interval, divided by the target's scale (the interval's width; 3 months for a one-sided horizon claim, 0.1 for other one-sided claims); an undefined mean counts 1";

/// The rank-0 side of the MPI backend when this process is one rank of several (feature `mpi`),
/// else nothing.
#[cfg(feature = "mpi")]
type Farm<'a> = super::mpi_backend::Farm<'a>;
#[cfg(not(feature = "mpi"))]
type Farm<'a> = std::convert::Infallible;

pub fn run(args: &CalibrateArgs) -> Result<ExitCode> {
    #[cfg(feature = "mpi")]
    if let Some(universe) = super::mpi_backend::several_ranks()? {
        use mpi::traits::Communicator;
        let world = universe.world();
        return if world.rank() == 0 {
            let mut farm = super::mpi_backend::Farm::new(&world);
            let result = calibrate(args, Some(&mut farm));
            farm.stop();
            result
        } else {
            Ok(work(args, &world))
        };
    }
    calibrate(args, None)
}

/// A worker rank: computes the distances of the candidates rank 0 hands out. Errors in the
/// scenario are rank 0's to report; a worker whose scenario does not load refuses any work with
/// the error (rank 0, failing the same way, only tells it to stop).
#[cfg(feature = "mpi")]
fn work(args: &CalibrateArgs, world: &mpi::topology::SimpleCommunicator) -> ExitCode {
    let setup = load(&args.scenario)
        .and_then(|s| Particles::of(&s))
        .and_then(|p| Ok((p, pool(args.threads)?)));
    match setup {
        Ok((particles, pool)) => {
            super::mpi_backend::serve(world, pool.current_num_threads(), |candidates| {
                particles.evaluate(&pool, candidates)
            });
            ExitCode::SUCCESS
        }
        Err(e) => {
            super::mpi_backend::refuse(world, &format!("{e:#}"));
            // Told to stop, it did its part: a status other than 0 would have mpirun end the
            // job, rank 0 with it, before rank 0 has said what was wrong.
            ExitCode::SUCCESS
        }
    }
}

/// The calibration: on this process's threads, or with `farm` handing the candidates out to the
/// other ranks of an MPI world (this process is then its rank 0).
fn calibrate(args: &CalibrateArgs, mut farm: Option<&mut Farm<'_>>) -> Result<ExitCode> {
    super::interrupt::install("nothing was written".into())?;
    let scenario = load(&args.scenario)?;
    let particles = Particles::of(&scenario)?;
    let cal = &particles.cal;
    let pool = pool(args.threads)?;
    let threads = pool.current_num_threads();
    let out = args.out.clone().unwrap_or_else(|| default_out(&scenario));
    check_out(&out)?;
    std::fs::create_dir_all(out.join(GENERATIONS_DIR))
        .with_context(|| format!("cannot create {}", out.join(GENERATIONS_DIR).display()))?;
    let _lock = commsim::output::lock_existing(&out)?;
    super::interrupt::set_lock(Some(out.join(commsim::output::LOCK_FILE)));
    let resolved = scenario.to_toml();
    let fingerprint = format!("commsim {}\n{resolved}", env!("CARGO_PKG_VERSION"));
    prepare(&out, &fingerprint, args.force)?;
    if exists(&out.join(MANIFEST_FILE)) {
        if !args.quiet {
            eprintln!(
                "{} holds this calibration, finished; nothing to do",
                out.display()
            );
        }
        super::interrupt::set_lock(None);
        return Ok(ExitCode::SUCCESS);
    }
    let names = &particles.names;
    let priors = calibrate::priors(cal);
    let settings = calibrate::settings(cal, &scenario);
    let saved = read_saved(&out, names)?;
    let resumed_from = saved.last().map(|g| g.index);
    let kept = format!(
        "the finished generations are kept in {}; the same command continues the calibration",
        out.join(GENERATIONS_DIR).display()
    );
    super::interrupt::set(kept.clone());
    let replicates = cal.replicates;
    let start = SystemTime::now();
    let clock = Instant::now();
    let progress = std::cell::RefCell::new(Progress::new(
        settings.generations,
        args.quiet,
        saved.last(),
    ));
    // An MPI failure, kept here: the evaluator then returns no distances, which stops the
    // ABC-SMC loop before it finishes the generation.
    let failure: std::cell::RefCell<Option<anyhow::Error>> = std::cell::RefCell::new(None);
    let mut evaluate = |candidates: &[Candidate]| -> Vec<f64> {
        match farm.as_deref_mut() {
            #[cfg(feature = "mpi")]
            Some(farm) => farm
                .evaluate(candidates, replicates, |n, runs| {
                    progress.borrow_mut().ran(n, runs)
                })
                .unwrap_or_else(|e| {
                    *failure.borrow_mut() = Some(e);
                    Vec::new()
                }),
            #[cfg(not(feature = "mpi"))]
            Some(never) => match *never {},
            None => {
                let (distances, runs) = particles.evaluate(&pool, candidates);
                progress.borrow_mut().ran(candidates.len() as u64, runs);
                distances
            }
        }
    };
    let resume = saved.last().cloned();
    let mut all = saved;
    let mut on_generation = |g: &Generation| -> Result<()> {
        let mut bytes = Vec::new();
        write_generation(&mut bytes, g, names)?;
        write_atomic(&generation_path(&out, g.index), &bytes)?;
        all.push(g.clone());
        write_atomic(
            &out.join(GENERATIONS_FILE),
            generations_csv(&all, names, replicates).as_bytes(),
        )?;
        progress.borrow_mut().finished(g);
        Ok(())
    };
    let done = abc::run(
        &settings,
        &priors,
        resume,
        &mut evaluate,
        &mut on_generation,
    );
    let done = match failure.into_inner() {
        Some(e) => return Err(anyhow::anyhow!("{e:#}\n{kept}")),
        None => done?,
    };
    progress.borrow_mut().close();
    // A resumed calibration that had already run its last generation writes its table again.
    write_atomic(
        &out.join(GENERATIONS_FILE),
        generations_csv(&all, names, replicates).as_bytes(),
    )?;
    write_atomic(
        &out.join(POSTERIOR_FILE),
        posterior_csv(&done.last, names).as_bytes(),
    )?;
    let elapsed = clock.elapsed().as_secs_f64();
    let manifest = CalibrationManifest {
        program: "commsim".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        kind: "calibration".into(),
        algorithm: ALGORITHM.into(),
        distance: DISTANCE.into(),
        scenario_name: scenario.name().to_string(),
        scenario_file: args.scenario.scenario.display().to_string(),
        scenario_sha256: sha256(&resolved),
        resolved_scenario: resolved.clone(),
        master_seed: settings.seed,
        settings: Settings {
            population: settings.population,
            generations: settings.generations,
            final_tolerance: settings.final_tolerance,
            quantile: settings.quantile,
            min_acceptance: settings.min_acceptance,
            batch: settings.batch,
            replicates,
            max_draws_per_generation: settings.max_draws_per_generation,
        },
        parameters: cal
            .parameters
            .iter()
            .map(|p| Parameter {
                key: p.key.clone(),
                min: p.min,
                max: p.max,
                scale: p.scale.name().into(),
            })
            .collect(),
        patterns: cal.patterns.clone(),
        outcome_targets: cal
            .outcomes
            .iter()
            .map(|t| format!("{} in [{}, {}]", t.outcome, t.min, t.max))
            .collect(),
        stop: stop_text(&done.stop),
        generations_run: done.last.index + 1,
        final_generation_tolerance: done.last.tolerance,
        simulations: all.iter().map(|g| g.simulations).sum(),
        runs: all.iter().map(|g| g.simulations).sum::<u64>() * replicates,
        posterior_mean: done.last.mean(),
        posterior_sd: done.last.sd(),
        effective_sample_size: done.last.ess,
        resumed_after_generation: resumed_from,
        threads,
        start_time: humantime::format_rfc3339_seconds(start).to_string(),
        end_time: humantime::format_rfc3339_seconds(SystemTime::now()).to_string(),
        elapsed_seconds: elapsed,
    };
    let text = serde_json::to_string_pretty(&manifest).expect("manifest serializes");
    write_atomic(&out.join(MANIFEST_FILE), text.as_bytes())?;
    super::interrupt::set_lock(None);
    super::interrupt::set(format!("the calibration is complete in {}", out.display()));
    if !args.quiet {
        eprintln!(
            "{} generations, {} simulations ({} runs) in {}; stopped: {}; final tolerance {}, ESS {:.0} -> {}",
            manifest.generations_run,
            manifest.simulations,
            manifest.runs,
            super::human_seconds(elapsed),
            manifest.stop,
            short(done.last.tolerance),
            done.last.ess,
            out.join(POSTERIOR_FILE).display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
