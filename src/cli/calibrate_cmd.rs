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

use super::{default_out, load, pool, BadArgument, CalibrateArgs};
use anyhow::{Context, Result};
use commsim::calibrate::{self, key_names, particle_scenario, replicate_seed};
use commsim::error::InputError;
use commsim::experiment::abc::{
    self, read_generation, write_generation, Candidate, Generation, Stop,
};
use commsim::experiment::Model;
use commsim::model::config::Config;
use commsim::model::CommunityModel;
use commsim::output::{read_text, sha256, write_atomic, OutputError};
use commsim::scenario::calibrate::Calibrate;
use commsim::scenario::Scenario;
use rayon::prelude::*;
use serde::Serialize;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Instant, SystemTime};

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

/// What turns a candidate into its distance: the scenario (without a sweep), its `[calibrate]`
/// table, the calibrated keys and the model's outcomes.
struct Particles {
    base: Scenario,
    cal: Calibrate,
    names: Vec<String>,
    outcome_names: Vec<String>,
}

impl Particles {
    /// Refuses a scenario without a `[calibrate]` table, or with a `[sweep]`.
    fn of(scenario: &Scenario) -> Result<Particles> {
        let Some(cal) = scenario.calibrate.clone() else {
            return Err(InputError::key(
                scenario.location_of("calibrate"),
                "calibrate",
                "the scenario has no [calibrate] table; allowed: a scenario with [calibrate] and [calibrate.parameters] (scenarios/calibrate-default.toml documents every key)",
            )
            .into());
        };
        if scenario.sweep.is_some() {
            return Err(InputError::key(
                scenario.location_of("sweep"),
                "sweep",
                "a calibration varies the [calibrate.parameters] keys itself; allowed: a scenario with [calibrate] and no [sweep]",
            )
            .into());
        }
        Ok(Particles {
            base: scenario.without_sweep(),
            names: key_names(&cal),
            cal,
            outcome_names: CommunityModel.outcome_names(),
        })
    }

    /// The distances of `candidates`, in their order, and the runs simulated: a candidate whose
    /// values break a constraint across keys is refused before simulating (distance NaN, no
    /// runs). The candidates and the replicates of each run in parallel on `pool`; each
    /// distance is a function of the candidate's theta and seed alone.
    fn evaluate(&self, pool: &rayon::ThreadPool, candidates: &[Candidate]) -> (Vec<f64>, u64) {
        let replicates = self.cal.replicates;
        pool.install(|| {
            let configs: Vec<Option<Config>> = candidates
                .par_iter()
                .map(|c| {
                    particle_scenario(&self.base, &self.names, &c.theta)
                        .ok()
                        .map(|s| Config::from_scenario(&s))
                })
                .collect();
            let jobs: Vec<(usize, u64)> = (0..candidates.len())
                .filter(|&i| configs[i].is_some())
                .flat_map(|i| (0..replicates).map(move |r| (i, r)))
                .collect();
            let rows: Vec<Vec<Option<f64>>> = jobs
                .par_iter()
                .map(|&(i, r)| {
                    let config = configs[i].as_ref().expect("filtered");
                    CommunityModel
                        .run(config, replicate_seed(candidates[i].seed, r))
                        .outcomes
                })
                .collect();
            let mut per: Vec<Vec<Vec<Option<f64>>>> = vec![Vec::new(); candidates.len()];
            for (&(i, _), row) in jobs.iter().zip(rows) {
                per[i].push(row);
            }
            let distances = per
                .iter()
                .zip(&configs)
                .map(|(rows, config)| match config {
                    Some(_) => calibrate::distance(&self.cal, &self.outcome_names, rows),
                    None => f64::NAN,
                })
                .collect();
            (distances, jobs.len() as u64)
        })
    }
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

fn generation_path(out: &Path, t: usize) -> PathBuf {
    out.join(GENERATIONS_DIR).join(format!("{t}.csv"))
}

fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

fn read_one(out: &Path, names: &[String], t: usize) -> Result<Generation> {
    let path = generation_path(out, t);
    let text = read_text(&path)?;
    let g = read_generation(text.as_bytes(), names).map_err(|e| {
        BadArgument(format!(
            "{}: {e}; allowed: a generation table this calibration wrote (remove the folder, or use --force, to start again)",
            path.display()
        ))
    })?;
    if g.index != t {
        return Err(BadArgument(format!(
            "{} holds generation {}; allowed: generation {t} in {t}.csv",
            path.display(),
            g.index
        ))
        .into());
    }
    Ok(g)
}

/// Every generation saved, 0, 1, ... up to the first missing.
fn read_saved(out: &Path, names: &[String]) -> Result<Vec<Generation>> {
    let mut all = Vec::new();
    while exists(&generation_path(out, all.len())) {
        all.push(read_one(out, names, all.len())?);
    }
    Ok(all)
}

/// Checks the folder against this calibration: a folder of another calibration, or one holding
/// a run's results, is refused unless `--force`, which clears this command's files from it.
fn prepare(out: &Path, fingerprint: &str, force: bool) -> Result<()> {
    let plan = out.join(PLAN_FILE);
    let ours = [GENERATIONS_FILE, POSTERIOR_FILE, MANIFEST_FILE];
    let same = exists(&plan) && read_text(&plan)? == fingerprint;
    if same {
        return Ok(());
    }
    let has_generations = std::fs::read_dir(out.join(GENERATIONS_DIR))
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    let occupied = exists(&plan)
        || has_generations
        || ours.iter().any(|f| exists(&out.join(f)))
        || commsim::output::RESULT_FILES
            .iter()
            .any(|f| exists(&out.join(f)));
    if occupied && !force {
        return Err(OutputError::Exists {
            dir: out.to_path_buf(),
            file: if exists(&plan) {
                format!("{PLAN_FILE}, of a calibration of another scenario, seed or settings")
            } else {
                "other results".into()
            },
        }
        .into());
    }
    if force {
        for f in ours.iter().chain([&PLAN_FILE, &"report.html"]) {
            remove_file(&out.join(f))?;
        }
        for entry in std::fs::read_dir(out.join(GENERATIONS_DIR))
            .with_context(|| format!("cannot read {}", out.join(GENERATIONS_DIR).display()))?
        {
            let path = entry?.path();
            if path
                .extension()
                .is_some_and(|e| e == "csv" || e == "partial")
            {
                remove_file(&path)?;
            }
        }
    }
    write_atomic(&plan, fingerprint.as_bytes())?;
    Ok(())
}

fn remove_file(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(anyhow::Error::from(e).context(format!("cannot remove {}", path.display())))
        }
        _ => Ok(()),
    }
}

/// Refuses an `--out` that is a file or lies below one.
fn check_out(out: &Path) -> Result<()> {
    let refuse = |why: String| -> Result<()> {
        Err(BadArgument(format!(
            "--out {}: {why}; allowed: a folder, new or holding this calibration",
            out.display()
        ))
        .into())
    };
    if let Ok(m) = std::fs::metadata(out) {
        if !m.is_dir() {
            return refuse("it is a file".into());
        }
        return Ok(());
    }
    for ancestor in out.ancestors().skip(1) {
        if ancestor.as_os_str().is_empty() {
            break;
        }
        if let Ok(m) = std::fs::metadata(ancestor) {
            if !m.is_dir() {
                return refuse(format!("{} is a file, not a folder", ancestor.display()));
            }
            break;
        }
    }
    Ok(())
}

/// A number in a CSV cell: the shortest decimal that reads back to the same `f64`.
fn cell(x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else {
        x.to_string()
    }
}

/// `generations.csv`: per generation its tolerance, acceptances, draws, simulations (of
/// `replicates` runs each), acceptance rate, effective sample size, and each key's weighted
/// mean and sd.
pub fn generations_csv(all: &[Generation], names: &[String], replicates: u64) -> String {
    let mut out =
        String::from("generation,tolerance,accepted,draws,simulations,runs,acceptance_rate,ess");
    for n in names {
        out.push_str(&format!(",{n}_mean,{n}_sd"));
    }
    out.push('\n');
    for g in all {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{}",
            g.index,
            cell(g.tolerance),
            g.accepted,
            g.draws,
            g.simulations,
            g.simulations * replicates,
            cell(g.acceptance_rate()),
            cell(g.ess)
        ));
        for (m, s) in g.mean().iter().zip(g.sd()) {
            out.push_str(&format!(",{},{}", cell(*m), cell(s)));
        }
        out.push('\n');
    }
    out
}

/// `posterior.csv`: one row per particle of the last generation, its keys, weight and distance.
pub fn posterior_csv(last: &Generation, names: &[String]) -> String {
    let mut out = String::from("particle");
    for n in names {
        out.push_str(&format!(",{n}"));
    }
    out.push_str(",weight,distance\n");
    for (i, p) in last.particles.iter().enumerate() {
        out.push_str(&i.to_string());
        for x in &p.theta {
            out.push_str(&format!(",{}", cell(*x)));
        }
        out.push_str(&format!(",{},{}\n", cell(p.weight), cell(p.distance)));
    }
    out
}

fn stop_text(stop: &Stop) -> String {
    match stop {
        Stop::Generations => "the most generations (calibrate.generations)".into(),
        Stop::FinalTolerance => "the final tolerance (calibrate.final_tolerance)".into(),
        Stop::MinAcceptance => "the acceptance rate fell below calibrate.min_acceptance".into(),
        Stop::DrawBudget {
            generation,
            draws,
            accepted,
        } => format!(
            "generation {generation} accepted only {accepted} particles in {draws} draws, the budget ({} per particle); the posterior is generation {}",
            calibrate::DRAWS_PER_PARTICLE,
            generation - 1
        ),
    }
}

fn short(x: f64) -> String {
    format!("{x:.4}")
}

#[derive(Serialize)]
struct Settings {
    population: usize,
    generations: usize,
    final_tolerance: f64,
    quantile: f64,
    min_acceptance: f64,
    batch: usize,
    replicates: u64,
    max_draws_per_generation: u64,
}

#[derive(Serialize)]
struct Parameter {
    key: String,
    min: f64,
    max: f64,
    scale: String,
}

/// manifest.json of a calibration.
#[derive(Serialize)]
struct CalibrationManifest {
    program: String,
    version: String,
    /// "calibration", to tell it from a run's manifest.
    kind: String,
    algorithm: String,
    distance: String,
    scenario_name: String,
    scenario_file: String,
    scenario_sha256: String,
    resolved_scenario: String,
    master_seed: u64,
    settings: Settings,
    parameters: Vec<Parameter>,
    patterns: Vec<u64>,
    outcome_targets: Vec<String>,
    stop: String,
    generations_run: usize,
    final_generation_tolerance: f64,
    /// Particles simulated (each `replicates` runs), the discarded surplus of batches included.
    simulations: u64,
    runs: u64,
    /// Weighted mean and sd of each key over the last generation, in the order of `parameters`.
    posterior_mean: Vec<f64>,
    posterior_sd: Vec<f64>,
    effective_sample_size: f64,
    /// The last generation found saved when this process started, if it resumed.
    resumed_after_generation: Option<usize>,
    threads: usize,
    start_time: String,
    end_time: String,
    elapsed_seconds: f64,
}

/// The progress on stderr: a line per finished generation (its tolerance, acceptance rate and
/// effective sample size, and the time left if every remaining generation took as long as the
/// last), and on a terminal a bar of the current generation's draws and runs.
struct Progress {
    generations: usize,
    quiet: bool,
    bar: Option<indicatif::ProgressBar>,
    /// The generation under way, the last finished one's tolerance and acceptance rate.
    current: usize,
    last: Option<(f64, f64)>,
    draws: u64,
    runs: u64,
    since: Instant,
    last_seconds: Option<f64>,
}

impl Progress {
    fn new(generations: usize, quiet: bool, resumed: Option<&Generation>) -> Progress {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
            bar
        });
        let current = resumed.map_or(0, |g| g.index + 1);
        let p = Progress {
            generations,
            quiet,
            bar,
            current,
            last: resumed.map(|g| (g.tolerance, g.acceptance_rate())),
            draws: 0,
            runs: 0,
            since: Instant::now(),
            last_seconds: None,
        };
        if !quiet {
            match resumed {
                Some(g) => eprintln!(
                    "commsim: resuming after generation {} of at most {generations} (tolerance {})",
                    g.index,
                    short(g.tolerance)
                ),
                None => eprintln!("commsim: calibrating, at most {generations} generations"),
            }
        }
        p.redraw();
        p
    }

    fn line(&self) -> String {
        let last = match self.last {
            Some((eps, rate)) => format!(
                ", last tolerance {}, acceptance {:.1}%",
                short(eps),
                100.0 * rate
            ),
            None => String::new(),
        };
        format!(
            "generation {} ({} of at most {}){last}: {} draws, {} runs, {}",
            self.current,
            self.current + 1,
            self.generations,
            self.draws,
            self.runs,
            self.eta()
        )
    }

    /// The time left at the pace of the last generation; the calibration may stop earlier.
    fn eta(&self) -> String {
        match self.last_seconds {
            Some(_) if self.current >= self.generations => "no generation left".into(),
            Some(s) => format!(
                "ETA at most ~{}",
                super::human_seconds(s * (self.generations - self.current) as f64)
            ),
            None => "ETA unknown until a generation ends".into(),
        }
    }

    fn redraw(&self) {
        if let Some(bar) = &self.bar {
            bar.set_message(self.line());
        }
    }

    fn ran(&mut self, draws: u64, runs: u64) {
        self.draws += draws;
        self.runs += runs;
        self.redraw();
    }

    fn finished(&mut self, g: &Generation) {
        let seconds = self.since.elapsed().as_secs_f64();
        self.last_seconds = Some(seconds);
        self.last = Some((g.tolerance, g.acceptance_rate()));
        self.current = g.index + 1;
        if !self.quiet {
            let text = format!(
                "commsim: generation {} ({} of at most {}) done: tolerance {}, accepted {} of {} draws ({:.1}%), ESS {:.0}, {}; {}",
                g.index,
                g.index + 1,
                self.generations,
                short(g.tolerance),
                g.accepted,
                g.draws,
                100.0 * g.acceptance_rate(),
                g.ess,
                super::human_seconds(seconds),
                self.eta()
            );
            match &self.bar {
                Some(bar) => bar.println(text),
                None => eprintln!("{text}"),
            }
        }
        self.draws = 0;
        self.runs = 0;
        self.since = Instant::now();
        self.redraw();
    }

    fn close(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
