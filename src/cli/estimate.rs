//! What `commsim check` says a run will cost, calibrated on this machine: a short probe runs a
//! few replicates of design point 0 on one core and writes them through the real writer, both
//! timed; the time of every other run is scaled by its resident-months, and the files are
//! sized from the probe's rows and the exact row counts of each file. The library has no
//! clock, so the probe lives in the binary.

use commsim::experiment::{Model, RunId, RunOutput};
use commsim::model::config::Config;
use commsim::model::CommunityModel;
use commsim::output::{Columns, Layout, Manifest, OutputWriter};
use commsim::plan::Plan;
use std::path::Path;
use std::time::Instant;

/// Resident-months one core simulates per second, measured on the reference machine
/// (results/bench/README.md: 1.2e8 to 1.3e8 for the default region); used when one run is too
/// long to probe.
pub const RESIDENT_MONTHS_PER_CORE_SECOND: f64 = 1.2e8;

/// Seconds of one territory's month apart from its residents (its communities, economy and
/// administration), measured on the reference machine with 100,000 villages of 10 people.
pub const TERRITORY_MONTH_SECONDS: f64 = 6e-7;

/// The probe runs replicates of point 0 until it has taken this long...
const PROBE_TARGET_SECONDS: f64 = 0.3;
/// ...or has run this many.
const PROBE_MAX_RUNS: u64 = 16;
/// A run the reference rate says would take longer than this is not probed.
const PROBE_MAX_SECONDS: f64 = 1.0;
/// Design points the write probe writes, and the most replicates of each.
const WRITE_PROBE_POINTS: usize = 8;
const WRITE_PROBE_REPLICATES: u64 = 4;
/// Design points whose resident-months are computed to scale the probe (evenly spaced).
const SAMPLE_POINTS: usize = 256;
/// Without a probe: characters of a cell and seconds to format and write a byte, measured on
/// the reference machine.
const REFERENCE_CELL_CHARS: f64 = 8.0;
const REFERENCE_WRITE_SECONDS_PER_BYTE: f64 = 7e-9;

/// How the estimate was calibrated.
pub enum Basis {
    /// `runs` replicates of point 0 took `seconds` on one core; writing took `write_seconds`.
    Probe {
        runs: u64,
        seconds: f64,
        write_seconds: f64,
    },
    /// One run of point 0 would take about `one_run_seconds` at the reference rate: not probed.
    Reference { one_run_seconds: f64 },
}

pub struct Estimate {
    pub resident_months: u64,
    pub cores: usize,
    /// Simulating every run, on every core.
    pub compute_seconds: f64,
    /// Formatting and writing every file (one thread, while the workers wait).
    pub write_seconds: f64,
    /// Bytes of each file.
    pub files: Vec<(&'static str, f64)>,
    pub basis: Basis,
}

impl Estimate {
    pub fn bytes(&self) -> f64 {
        self.files.iter().map(|(_, b)| b).sum()
    }
}

/// Resident agents times months, burn-in included, of one run of a configuration.
fn resident_months(config: &Config) -> u64 {
    let agents: u64 = config
        .classes
        .iter()
        .map(|c| c.count as u64 * c.population.div_ceil(c.agent_scale))
        .sum();
    agents * u64::from(config.months + config.burn_in)
}

/// Seconds of one run of a configuration on one core at the reference rates.
fn reference_seconds(config: &Config) -> f64 {
    let territories: usize = config.classes.iter().map(|c| c.count).sum();
    let months = f64::from(config.months + config.burn_in);
    resident_months(config) as f64 / RESIDENT_MONTHS_PER_CORE_SECOND
        + territories as f64 * months * TERRITORY_MONTH_SECONDS
}

/// Decimal digits of `n`.
fn digits(n: u64) -> f64 {
    f64::from(n.max(1).ilog10() + 1)
}

pub fn estimate(plan: &Plan) -> Estimate {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let n_points = plan.points.len();
    let step = n_points.div_ceil(SAMPLE_POINTS).max(1);
    let sample: Vec<usize> = (0..n_points).step_by(step).collect();
    let clock = Instant::now();
    let configs: Vec<Config> = sample.iter().map(|&i| plan.config(i)).collect();
    let config_seconds = clock.elapsed().as_secs_f64() / sample.len() as f64;
    let mean_rm = configs.iter().map(resident_months).sum::<u64>() as f64 / sample.len() as f64;
    let runs = plan.runs() as f64;
    let config = &configs[0];
    let rm0 = resident_months(config).max(1) as f64;
    let one_run_reference = reference_seconds(config);
    let probe = (one_run_reference <= PROBE_MAX_SECONDS)
        .then(|| probe_runs(plan, config))
        .flatten();
    let per_run = match &probe {
        // The probe's time per run, scaled by the mean resident-months of a point.
        Some((seconds, outs)) => seconds / outs.len() as f64 * mean_rm / rm0,
        None => configs.iter().map(reference_seconds).sum::<f64>() / configs.len() as f64,
    };
    let compute_seconds = (runs * per_run + n_points as f64 * config_seconds) / cores as f64;
    let written = probe
        .as_ref()
        .and_then(|(_, outs)| probe_writer(plan, config, &sample, outs));
    let files = match &written {
        Some(w) => sizes_from_probe(plan, config, w),
        None => sizes_from_reference(plan, config),
    };
    let bytes: f64 = files.iter().map(|(_, b)| b).sum();
    let write_seconds = bytes
        * written
            .as_ref()
            .map_or(REFERENCE_WRITE_SECONDS_PER_BYTE, |w| w.seconds_per_byte);
    let basis = match (&probe, &written) {
        (Some((seconds, outs)), w) => Basis::Probe {
            runs: outs.len() as u64,
            seconds: *seconds,
            write_seconds: w.as_ref().map_or(0.0, |w| w.seconds),
        },
        (None, _) => Basis::Reference {
            one_run_seconds: one_run_reference,
        },
    };
    Estimate {
        resident_months: (mean_rm * runs) as u64,
        cores,
        compute_seconds,
        write_seconds,
        files,
        basis,
    }
}

/// Replicates of point 0 on one core, until the probe's time or run budget is spent: the
/// seconds they took and their outputs. `None` if a pool cannot be started or a run panics (a
/// bug that `run` reports with its seed; the estimate then falls back to the reference rates).
fn probe_runs(plan: &Plan, config: &Config) -> Option<(f64, Vec<RunOutput>)> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .ok()?;
    let clock = Instant::now();
    let outputs = pool.install(|| {
        std::panic::catch_unwind(|| {
            let mut outputs = Vec::new();
            for r in 0..PROBE_MAX_RUNS {
                outputs.push(CommunityModel.run(config, plan.seeding().seed(0, r)));
                if clock.elapsed().as_secs_f64() >= PROBE_TARGET_SECONDS {
                    break;
                }
            }
            outputs
        })
        .ok()
    })?;
    Some((clock.elapsed().as_secs_f64(), outputs))
}

/// What the write probe measured: bytes of rows per file (header apart), header bytes, the
/// rows it wrote in each, and its seconds.
struct Written {
    /// (file, header bytes, row bytes, rows)
    files: Vec<(&'static str, f64, f64, f64)>,
    replicates: u64,
    seconds: f64,
    seconds_per_byte: f64,
}

/// Writes the probe's runs as [`WRITE_PROBE_POINTS`] points through the real writer into a
/// temporary folder, timed. `None` if the folder cannot be written.
fn probe_writer(
    plan: &Plan,
    config: &Config,
    sample: &[usize],
    outputs: &[RunOutput],
) -> Option<Written> {
    let dir = std::env::temp_dir().join(format!("commsim-check-probe-{}", std::process::id()));
    let result = write_probe(plan, config, sample, outputs, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn write_probe(
    plan: &Plan,
    config: &Config,
    sample: &[usize],
    outputs: &[RunOutput],
    dir: &Path,
) -> Option<Written> {
    let model = CommunityModel;
    let columns = Columns::of(&model, &plan.swept_keys, config.timeseries);
    let replicates = plan.replicates.min(WRITE_PROBE_REPLICATES);
    let layout = Layout {
        fingerprint: "commsim check probe".into(),
        replicates,
        survival_rows: config.months as usize + 1,
        series_rows: config.months as usize,
    };
    let (outcomes, groups) = (columns.outcomes.len(), columns.groups.len());
    let mut writer = OutputWriter::create(dir, columns, layout, true).ok()?;
    let clock = Instant::now();
    let mut k = 0;
    for point in 0..WRITE_PROBE_POINTS {
        let values = &plan.points[sample[point % sample.len()]];
        for replicate in 0..replicates {
            let id = RunId {
                point,
                replicate,
                seed: plan.seeding().seed(point as u64, replicate),
            };
            writer
                .push(id, values, outputs[k % outputs.len()].clone())
                .ok()?;
            k += 1;
        }
    }
    let seconds = clock.elapsed().as_secs_f64();
    writer.finish(&Manifest::default()).ok()?;
    let points = WRITE_PROBE_POINTS as f64;
    let months = f64::from(config.months);
    let mut rows = vec![
        ("runs.csv", points * replicates as f64),
        ("summary.csv", points * outcomes as f64),
        ("survival.csv", points * groups as f64 * (months + 1.0)),
    ];
    if config.timeseries {
        rows.push(("timeseries.csv", points * replicates as f64 * months));
    }
    let mut files = Vec::new();
    for (name, n) in rows {
        let text = std::fs::read_to_string(dir.join(name)).ok()?;
        let header = text.find('\n').map_or(text.len(), |i| i + 1) as f64;
        files.push((name, header, (text.len() as f64 - header) / n, n));
    }
    // The timed pushes closed every point but the last, whose summary and survival rows the
    // untimed finish wrote.
    let timed: f64 = files
        .iter()
        .map(|(name, _, width, n)| match *name {
            "summary.csv" | "survival.csv" => width * n * (points - 1.0) / points,
            _ => width * n,
        })
        .sum();
    Some(Written {
        files,
        replicates,
        seconds,
        seconds_per_byte: seconds / timed.max(1.0),
    })
}

/// Rows of each file in the whole run.
fn rows(plan: &Plan, config: &Config) -> Vec<(&'static str, f64)> {
    let model = CommunityModel;
    let points = plan.points.len() as f64;
    let runs = plan.runs() as f64;
    let months = f64::from(config.months);
    let mut rows = vec![
        ("runs.csv", runs),
        ("summary.csv", points * model.outcome_names().len() as f64),
        (
            "survival.csv",
            points * model.group_names().len() as f64 * (months + 1.0),
        ),
    ];
    if config.timeseries {
        rows.push(("timeseries.csv", runs * months));
    }
    rows
}

/// File sizes from the probe's row widths, corrected for the cells that grow with the plan:
/// the point number in every row, the replicate number, and counts summed over replicates.
fn sizes_from_probe(plan: &Plan, config: &Config, w: &Written) -> Vec<(&'static str, f64)> {
    let point_extra = digits(plan.points.len() as u64 - 1) - digits(WRITE_PROBE_POINTS as u64 - 1);
    let replicate_extra = digits(plan.replicates - 1) - digits(w.replicates - 1);
    let count_extra = (plan.replicates as f64 / w.replicates as f64).log10();
    rows(plan, config)
        .into_iter()
        .zip(&w.files)
        .map(|((name, n), (_, header, width, _))| {
            let extra = point_extra
                + match name {
                    "runs.csv" | "timeseries.csv" => replicate_extra,
                    "summary.csv" => count_extra,
                    _ => 3.0 * count_extra,
                };
            (name, header + n * (width + extra.max(0.0)))
        })
        .collect()
}

/// File sizes when nothing was probed: every cell [`REFERENCE_CELL_CHARS`] wide.
fn sizes_from_reference(plan: &Plan, config: &Config) -> Vec<(&'static str, f64)> {
    let model = CommunityModel;
    let keys = plan.swept_keys.len() as f64;
    let cells = |name: &str| -> f64 {
        keys + match name {
            "runs.csv" => 3.0 + model.outcome_names().len() as f64,
            "summary.csv" => 14.0,
            "survival.csv" => 9.0,
            _ => 3.0 + model.series_names().len() as f64,
        }
    };
    rows(plan, config)
        .into_iter()
        .map(|(name, n)| (name, n * cells(name) * (REFERENCE_CELL_CHARS + 1.0)))
        .collect()
}

/// A size with the precision it deserves: `0.034 MB`, `0.26 MB`, `3.4 MB`, `1400 MB`, `443 GB`.
pub fn megabytes(bytes: f64) -> String {
    let mb = bytes / 1e6;
    if mb >= 1e4 {
        format!("{:.0} GB", mb / 1e3)
    } else if mb >= 10.0 {
        format!("{mb:.0} MB")
    } else if mb >= 1.0 {
        format!("{mb:.1} MB")
    } else {
        // Two significant digits, however small.
        let decimals = (1 - mb.max(1e-9).log10().floor() as i32).max(2) as usize;
        format!("{mb:.decimals$} MB")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_keep_two_significant_digits_and_are_never_zero() {
        assert_eq!(megabytes(4.43e11), "443 GB");
        assert_eq!(megabytes(1.4e9), "1400 MB");
        assert_eq!(megabytes(3.44e6), "3.4 MB");
        assert_eq!(megabytes(2.6e5), "0.26 MB");
        assert_eq!(megabytes(3.4e4), "0.034 MB");
        assert_eq!(megabytes(900.0), "0.00090 MB");
        assert_eq!(digits(0), 1.0);
        assert_eq!(digits(99), 2.0);
        assert_eq!(digits(100), 3.0);
    }
}
