//! `commsim run --posterior DIR`: the draws from a finished calibration's posterior.csv that
//! become the run's design points (`commsim::plan::posterior`), and posterior-summary.csv, each
//! outcome's distribution over every run of every draw.

use super::calibrate_cmd::POSTERIOR_FILE;
use super::BadArgument;
use anyhow::Result;
use commsim::experiment::stats::summarize;
use commsim::output::{read_text, OutputError};
use std::path::Path;

/// A particle's values and weight.
pub type Weighted = (Vec<f64>, f64);

/// The file of a posterior run that pools its draws.
pub const POSTERIOR_SUMMARY: &str = "posterior-summary.csv";

/// The keys and the weighted particles of a finished calibration's posterior.csv, for
/// `commsim run --posterior`.
pub fn read_posterior(dir: &Path) -> Result<(Vec<String>, Vec<Weighted>)> {
    let path = dir.join(POSTERIOR_FILE);
    let text = read_text(&path).map_err(|e| match e {
        OutputError::Read { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            anyhow::Error::from(BadArgument(format!(
                "--posterior {}: it holds no {POSTERIOR_FILE}; allowed: the folder of a finished `commsim calibrate`",
                dir.display()
            )))
        }
        other => other.into(),
    })?;
    let bad = |why: String| BadArgument(format!("{}: {why}", path.display()));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers()?.iter().map(str::to_string).collect();
    let n = header.len();
    if n < 4 || header[0] != "particle" || header[n - 2] != "weight" || header[n - 1] != "distance"
    {
        return Err(bad("its columns are not particle, keys..., weight, distance".into()).into());
    }
    let keys = header[1..n - 2].to_vec();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record?;
        let numbers: Vec<f64> = (1..n - 1)
            .map(|c| record[c].parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|e| bad(format!("row {}: {e}", rows.len())))?;
        let weight = numbers[n - 3];
        if !(weight.is_finite() && weight >= 0.0) {
            return Err(bad(format!("row {}: weight {weight}", rows.len())).into());
        }
        rows.push((numbers[..n - 3].to_vec(), weight));
    }
    if rows.is_empty() || rows.iter().all(|(_, w)| *w == 0.0) {
        return Err(bad("no particle with weight".into()).into());
    }
    Ok((keys, rows))
}

/// The type of each column of posterior-summary.csv: what the points are, draws, replicates,
/// the outcome, `n`, then reals.
const SUMMARY_TYPES: [commsim::experiment::ColumnType; 14] = {
    use commsim::experiment::ColumnType::{Int, Real, Text};
    [
        Text, Int, Int, Text, Int, Real, Real, Real, Real, Real, Real, Real, Real, Real,
    ]
};

/// posterior-summary.csv from a posterior run's runs.csv: for each outcome its distribution over
/// all runs of all draws (so over the posterior's parameter uncertainty and the model's noise),
/// with the number of draws and replicates behind it. `keys` is the number of key columns after
/// `seed`.
pub fn summary_csv(
    runs: &str,
    keys: usize,
    draws: usize,
    replicates: u64,
) -> Result<String, String> {
    let mut reader = csv::Reader::from_reader(runs.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(str::to_string)
        .collect();
    let first = 3 + keys;
    let outcomes = &header[first.min(header.len())..];
    let mut columns: Vec<Vec<Option<f64>>> = vec![Vec::new(); outcomes.len()];
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        for (k, column) in columns.iter_mut().enumerate() {
            column.push(record.get(first + k).and_then(|c| c.parse::<f64>().ok()));
        }
    }
    let mut out =
        String::from("points,draws,replicates,outcome,n,mean,sd,min,p05,p25,median,p75,p95,max\n");
    let cell = |x: f64| {
        if x.is_nan() {
            String::new()
        } else {
            x.to_string()
        }
    };
    for (name, column) in outcomes.iter().zip(&columns) {
        out.push_str(&format!(
            "{},{draws},{replicates},{name}",
            commsim::plan::posterior::POSTERIOR_POINTS
        ));
        match summarize(column) {
            Some(s) => {
                out.push_str(&format!(",{}", s.n));
                for x in [
                    s.mean, s.sd, s.min, s.p05, s.p25, s.median, s.p75, s.p95, s.max,
                ] {
                    out.push_str(&format!(",{}", cell(x)));
                }
            }
            None => out.push_str(",0,,,,,,,,,"),
        }
        out.push('\n');
    }
    Ok(out)
}

/// The plan of `run --posterior DIR`: the scenario (with `--replicates` and `--seed` applied)
/// at draws from DIR's posterior.csv.
pub fn plan(
    args: &super::RunArgs,
    dir: &Path,
    scenario: commsim::scenario::Scenario,
) -> Result<commsim::plan::Plan> {
    if args.compared.is_some() {
        return Err(
            BadArgument("--posterior: allowed with `commsim run`, not `compare`".into()).into(),
        );
    }
    plan_at_draws(dir, args.options.posterior_draws, scenario)
}

/// The plan of the scenario at `count` draws (default: `calibrate.posterior_draws`, else 100)
/// from DIR's posterior.csv: `run --posterior` and `patterns --posterior`.
pub fn plan_at_draws(
    dir: &Path,
    count: Option<u64>,
    scenario: commsim::scenario::Scenario,
) -> Result<commsim::plan::Plan> {
    let count = match count {
        Some(n) => n,
        None => scenario
            .calibrate
            .as_ref()
            .map_or(commsim::scenario::calibrate::DEFAULT_POSTERIOR_DRAWS, |c| {
                c.posterior_draws
            }),
    };
    check_count("--posterior-draws", count)?;
    let (keys, particles) = read_posterior(dir)?;
    let seed = scenario.values.whole("run.seed");
    let draws = commsim::plan::posterior::draws(&particles, count as usize, seed);
    Ok(commsim::plan::Plan::posterior(scenario, keys, draws)?)
}

/// A count of draws within 1 to `MAX_POSTERIOR_DRAWS`, or a bad argument naming `flag`.
fn check_count(flag: &str, count: u64) -> Result<()> {
    let max = commsim::scenario::calibrate::MAX_POSTERIOR_DRAWS;
    if !(1..=max).contains(&count) {
        return Err(BadArgument(format!("{flag} {count}: allowed: 1 to {max}")).into());
    }
    Ok(())
}

/// The plan of the scenario at `count` draws from the priors of its `[calibrate]` table (each
/// key independently, uniform or log-uniform, from a stream seeded by `run.seed`): the worlds
/// the calibration started from, for `patterns --prior`, to set beside its posterior's.
pub fn plan_at_prior(
    count: u64,
    scenario: commsim::scenario::Scenario,
) -> Result<commsim::plan::Plan> {
    use rand::SeedableRng;
    check_count("--prior", count)?;
    let Some(calibrate) = &scenario.calibrate else {
        return Err(BadArgument(
            "--prior draws from the scenario's [calibrate] priors, and it has none; allowed: a scenario with a [calibrate] table".into(),
        )
        .into());
    };
    let priors = commsim::calibrate::priors(calibrate);
    let keys = commsim::calibrate::key_names(calibrate);
    let mut rng =
        rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(scenario.values.whole("run.seed"));
    let draws = (0..count)
        .map(|_| priors.iter().map(|p| p.sample(&mut rng)).collect())
        .collect();
    Ok(commsim::plan::Plan::posterior(scenario, keys, draws)?)
}

/// The manifest's account of a posterior run, or `None` for any other run.
pub fn manifest_entry(
    args: &super::RunArgs,
    plan: &commsim::plan::Plan,
) -> Result<Option<commsim::output::PosteriorDraws>> {
    let Some(dir) = &args.options.posterior else {
        return Ok(None);
    };
    let text = read_text(&dir.join(POSTERIOR_FILE))?;
    Ok(Some(commsim::output::PosteriorDraws {
        points_are: commsim::plan::posterior::POSTERIOR_POINTS.into(),
        calibration: dir.display().to_string(),
        posterior_sha256: commsim::output::sha256(&text),
        draws: plan.points.len(),
        resampling: "systematic resampling of the last generation's weighted particles (posterior.csv), seed run.seed".into(),
        keys: plan.swept_keys.clone(),
    }))
}

/// The files a posterior run derives from its staged runs.csv: posterior-summary.csv.
pub fn derived(
    staging: &Path,
    plan: &commsim::plan::Plan,
) -> Result<Vec<commsim::output::Derived>, OutputError> {
    // runs.csv as staged: plain or gzip members (`output.compress`); Parquet is written from it
    // later.
    let runs_path = staging.join("runs.csv");
    let runs = commsim::output::read_result(staging, "runs.csv")?.unwrap_or_default();
    let text = summary_csv(
        &runs,
        plan.swept_keys.len(),
        plan.points.len(),
        plan.replicates,
    )
    .map_err(|m| OutputError::Io {
        path: runs_path,
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, m),
    })?;
    Ok(vec![commsim::output::Derived {
        table: POSTERIOR_SUMMARY,
        text,
        types: SUMMARY_TYPES.to_vec(),
    }])
}
