//! What `commsim check` says a run will cost, calibrated on this machine: a short probe runs a
//! few replicates of design point 0 on one core and writes them through the real writer, both
//! timed; the time of every other run is scaled by its resident-months, and the files are
//! sized from the probe's rows and the exact row counts of each file. The library has no
//! clock, so the probe lives in the binary.

use commsim::experiment::{Model, RunId, RunOutput};
use commsim::model::config::Config;
use commsim::model::records::{COMMUNITIES, TERRITORIES};
use commsim::model::CommunityModel;
use commsim::output::{
    file_name, result_name, Columns, Format, Layout, Manifest, OutputOptions, OutputWriter,
};
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
/// Without a probe, with `output.compress`: compressed bytes per byte of text of each file, and
/// seconds to compress a byte of text, measured on the reference machine (README, "Choosing
/// outputs": runs.csv 0.42, points.csv 0.13, summary.csv 0.056 and survival.csv 0.021 of a
/// sweep of one replicate; more replicates repeat less, so summary and survival are taken higher).
fn reference_gzip_ratio(csv: &str) -> f64 {
    match csv {
        "runs.csv" | "timeseries.csv" => 0.45,
        "points.csv" => 0.15,
        _ => 0.3,
    }
}
const REFERENCE_GZIP_SECONDS_PER_BYTE: f64 = 1e-8;
/// With `output.format = "parquet"`: bytes of each Parquet file per byte of its CSV text, the
/// larger of two measurements on the reference machine (results/formats/: 10^5 points of one
/// replicate of 2 villages gave runs 0.41, summary 0.075, survival 0.011, points 0.12; 200
/// points of the tests' region with every file gave runs 0.50, summary 0.16, survival 0.006,
/// points 0.35, timeseries 0.27, communities 0.07, territories 0.28); and seconds to read a
/// byte of staged text back and write it as Parquet when the run ends (results/formats/: 8e-9).
fn reference_parquet_ratio(csv: &str) -> f64 {
    match csv {
        "runs.csv" => 0.5,
        "summary.csv" => 0.16,
        "survival.csv" => 0.011,
        "timeseries.csv" => 0.27,
        "points.csv" => 0.35,
        "communities.csv" => 0.07,
        _ => 0.3,
    }
}
const REFERENCE_PARQUET_SECONDS_PER_BYTE: f64 = 8e-9;
/// Without a probe: rows of communities.csv per community expected at month 0 (those founded
/// later add to them), as the shipped crisis scenario gives over 48 months (1.3), rounded up.
const REFERENCE_COMMUNITY_ROWS: f64 = 1.5;

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
    /// Bytes of each file, by the name the run gives it (`runs.csv`, or `runs.csv.gz`).
    pub files: Vec<(String, f64)>,
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
    let options = OutputOptions::of(&plan.scenario.values);
    let (compress, parquet) = (options.compress, options.format == Format::Parquet);
    let probe_files = |compress: bool| {
        probe
            .as_ref()
            .and_then(|(_, outs)| probe_writer(plan, config, &sample, outs, compress))
    };
    let written = probe_files(false);
    // Compressed files are sized as the text, times the ratio the probe's rows compress by.
    let zipped = if compress { probe_files(true) } else { None };
    let per_run = record_rows(
        &columns(plan, false),
        config,
        probe.as_ref().map(|(_, outs)| outs.as_slice()),
    );
    let text_sizes = match &written {
        Some(w) => sizes_from_probe(plan, config, w, &per_run),
        None => sizes_from_reference(plan, config, &per_run),
    };
    let text_bytes: f64 = text_sizes.iter().map(|(_, b)| b).sum();
    let files: Vec<(String, f64)> = match (compress, &zipped, &written) {
        (false, _, _) if parquet => text_sizes
            .into_iter()
            .map(|(name, bytes)| {
                let ratio = reference_parquet_ratio(&name);
                (result_name(&name, Format::Parquet, false), bytes * ratio)
            })
            .collect(),
        (false, _, _) => text_sizes,
        (true, Some(z), Some(w)) => text_sizes
            .into_iter()
            .zip(w.files.iter().zip(&z.files))
            .map(|((name, bytes), (plain, gz))| {
                let ratio = gz.row_bytes() / plain.row_bytes().max(1.0);
                (
                    file_name(&name, true),
                    gz.header + (bytes - plain.header) * ratio,
                )
            })
            .collect(),
        (true, _, _) => text_sizes
            .into_iter()
            .map(|(name, bytes)| {
                let ratio = reference_gzip_ratio(&name);
                (file_name(&name, true), bytes * ratio)
            })
            .collect(),
    };
    // Writing costs per byte of text, compressing included.
    let per_text_byte = match (compress, &zipped, &written) {
        (true, Some(z), _) => z.seconds_per_byte,
        (true, None, _) => REFERENCE_WRITE_SECONDS_PER_BYTE + REFERENCE_GZIP_SECONDS_PER_BYTE,
        (false, _, Some(w)) => w.seconds_per_byte,
        (false, _, None) => REFERENCE_WRITE_SECONDS_PER_BYTE,
    };
    let per_text_byte = match parquet {
        true => per_text_byte + REFERENCE_PARQUET_SECONDS_PER_BYTE,
        false => per_text_byte,
    };
    let write_seconds = text_bytes * per_text_byte;
    let written = if compress { zipped } else { written };
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

/// One file the write probe wrote: its name, header bytes, bytes of its rows and rows.
struct ProbeFile {
    name: String,
    header: f64,
    rows_bytes: f64,
    rows: f64,
}

impl ProbeFile {
    /// Bytes of a row.
    fn row_bytes(&self) -> f64 {
        self.rows_bytes / self.rows.max(1.0)
    }
}

/// What the write probe measured: each file, the replicates of each point and its seconds.
struct Written {
    files: Vec<ProbeFile>,
    replicates: u64,
    seconds: f64,
    /// Seconds per byte of text written (compressing included).
    seconds_per_byte: f64,
}

/// Writes the probe's runs as [`WRITE_PROBE_POINTS`] points (compressed: each run once, so fewer)
/// through the real writer into a temporary folder, timed, compressed or not. `None` if the folder cannot be written.
fn probe_writer(
    plan: &Plan,
    config: &Config,
    sample: &[usize],
    outputs: &[RunOutput],
    compress: bool,
) -> Option<Written> {
    let dir = std::env::temp_dir().join(format!(
        "commsim-check-probe-{}-{}",
        std::process::id(),
        u8::from(compress)
    ));
    let result = write_probe(plan, config, sample, outputs, compress, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// The columns the run writes, as CSV, compressed or not (a Parquet file is sized from its
/// CSV text).
fn columns(plan: &Plan, compress: bool) -> Columns {
    let mut options = OutputOptions::of(&plan.scenario.values);
    options.compress = compress;
    options.format = Format::Csv;
    Columns::of(
        &CommunityModel,
        &plan.swept_schema(),
        &options,
        plan.parameter_schema(),
    )
}

fn write_probe(
    plan: &Plan,
    config: &Config,
    sample: &[usize],
    outputs: &[RunOutput],
    compress: bool,
    dir: &Path,
) -> Option<Written> {
    let columns = columns(plan, compress);
    let replicates = plan.replicates.min(WRITE_PROBE_REPLICATES);
    // Gzip codes a row it has seen in its window in a few bytes, so a compressed probe that
    // repeated the probed runs (a loaded machine probes few) would promise far smaller files than
    // distinct runs give: the compressed probe writes each probed run once.
    let (probe_points, replicates) = if compress {
        let r = replicates.min(outputs.len() as u64).max(1);
        ((outputs.len() / r as usize).clamp(1, WRITE_PROBE_POINTS), r)
    } else {
        (WRITE_PROBE_POINTS, replicates)
    };
    let layout = Layout {
        fingerprint: "commsim check probe".into(),
        replicates,
        survival_rows: config.months as usize + 1,
        series_rows: config.months as usize,
    };
    let names = columns.files();
    let mut rows = rows_of(&columns, probe_points as f64, replicates, config, &[]);
    // The record rows the probe writes, counted as its runs are pushed.
    let tables: Vec<usize> = columns.records.iter().map(|t| t.index).collect();
    let mut record_rows = vec![0usize; tables.len()];
    let mut writer = OutputWriter::create(dir, columns, layout, true).ok()?;
    let clock = Instant::now();
    let mut k = 0;
    for point in 0..probe_points {
        let at = sample[point % sample.len()];
        let values = &plan.points[at];
        for replicate in 0..replicates {
            let id = RunId {
                point,
                replicate,
                seed: plan.seeding().seed(point as u64, replicate),
            };
            let output = &outputs[k % outputs.len()];
            for (n, &t) in record_rows.iter_mut().zip(&tables) {
                *n += output.records.get(t).map_or(0, Vec::len);
            }
            writer
                .push(id, values, || plan.point_parameters(at), output.clone())
                .ok()?;
            k += 1;
        }
    }
    let pushed = clock.elapsed().as_secs_f64();
    rows.extend(
        names[rows.len()..]
            .iter()
            .zip(record_rows)
            .map(|(name, n)| (name.clone(), n as f64)),
    );
    writer.finish(&Manifest::default()).ok()?;
    // A compressed member is compressed when it ends, most of them in the probe's finish: timed
    // with it.
    let seconds = if compress {
        clock.elapsed().as_secs_f64()
    } else {
        pushed
    };
    let points = probe_points as f64;
    let mut files = Vec::new();
    for (name, (_, n)) in names.into_iter().zip(rows) {
        let bytes = std::fs::read(dir.join(&name)).ok()?;
        let header = if compress {
            commsim::output::gz::members(&bytes).first()?.bytes.len()
        } else {
            bytes
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |i| i + 1)
        } as f64;
        let text = if compress {
            commsim::output::gz::decompress(&bytes).ok()?.len() as f64
        } else {
            bytes.len() as f64
        };
        files.push((
            ProbeFile {
                name,
                header,
                rows_bytes: bytes.len() as f64 - header,
                rows: n,
            },
            text,
        ));
    }
    // The timed pushes closed every point but the last, whose summary, survival and points
    // rows the untimed finish wrote.
    let timed: f64 = files
        .iter()
        .map(|(f, text)| {
            let base = f.name.trim_end_matches(".gz");
            match base {
                "summary.csv" | "survival.csv" | "points.csv" if !compress => {
                    text * (points - 1.0) / points
                }
                _ => *text,
            }
        })
        .sum();
    Some(Written {
        files: files.into_iter().map(|(f, _)| f).collect(),
        replicates,
        seconds,
        seconds_per_byte: seconds / timed.max(1.0),
    })
}

/// Rows of each file a run with `columns` writes (by its CSV name, in the order of
/// [`Columns::files`]), for `points` points of `replicates`; a record file has `record_rows`
/// rows a run (one number per record file).
fn rows_of(
    columns: &Columns,
    points: f64,
    replicates: u64,
    config: &Config,
    record_rows: &[f64],
) -> Vec<(String, f64)> {
    let runs = points * replicates as f64;
    let months = f64::from(config.months);
    let mut rows = vec![("runs.csv".to_string(), runs)];
    if columns.summary {
        rows.push(("summary.csv".into(), points * columns.outcomes.len() as f64));
    }
    if columns.survival {
        rows.push((
            "survival.csv".into(),
            points * columns.groups.len() as f64 * (months + 1.0),
        ));
    }
    if columns.series.is_some() {
        rows.push(("timeseries.csv".into(), runs * months));
    }
    if columns.parameters.is_some() {
        rows.push(("points.csv".into(), points));
    }
    for (table, n) in columns.records.iter().zip(record_rows) {
        rows.push((table.csv(), runs * n));
    }
    rows
}

/// Rows of each file in the whole run, a record file's from `record_rows` per run.
fn rows(plan: &Plan, config: &Config, record_rows: &[f64]) -> Vec<(String, f64)> {
    rows_of(
        &columns(plan, false),
        plan.points.len() as f64,
        plan.replicates,
        config,
        record_rows,
    )
}

/// Rows a run gives each record file the run writes: the probe's mean, or without a probe the
/// territories of point 0 and [`REFERENCE_COMMUNITY_ROWS`] per community it expects at month 0.
fn record_rows(columns: &Columns, config: &Config, outputs: Option<&[RunOutput]>) -> Vec<f64> {
    columns
        .records
        .iter()
        .map(|table| match outputs {
            Some(outs) if !outs.is_empty() => {
                let total: usize = outs
                    .iter()
                    .map(|o| o.records.get(table.index).map_or(0, Vec::len))
                    .sum();
                total as f64 / outs.len() as f64
            }
            _ => match table.name.as_str() {
                TERRITORIES => config.classes.iter().map(|c| c.count as f64).sum(),
                COMMUNITIES => {
                    config
                        .classes
                        .iter()
                        .map(|c| c.count as f64 * c.communities)
                        .sum::<f64>()
                        * REFERENCE_COMMUNITY_ROWS
                }
                _ => 0.0,
            },
        })
        .collect()
}

/// File sizes from the probe's row widths, corrected for the cells that grow with the plan:
/// the point number in every row, the replicate number, and counts summed over replicates.
fn sizes_from_probe(
    plan: &Plan,
    config: &Config,
    w: &Written,
    record_rows: &[f64],
) -> Vec<(String, f64)> {
    let point_extra = digits(plan.points.len() as u64 - 1) - digits(WRITE_PROBE_POINTS as u64 - 1);
    let replicate_extra = digits(plan.replicates - 1) - digits(w.replicates - 1);
    let count_extra = (plan.replicates as f64 / w.replicates as f64).log10();
    rows(plan, config, record_rows)
        .into_iter()
        .zip(&w.files)
        .map(|((name, n), f)| {
            let extra = point_extra
                + match name.as_str() {
                    "summary.csv" => count_extra,
                    "survival.csv" => 3.0 * count_extra,
                    "points.csv" => 0.0,
                    // runs.csv, timeseries.csv and the record files: a replicate in every row.
                    _ => replicate_extra,
                };
            (name, f.header + n * (f.row_bytes() + extra.max(0.0)))
        })
        .collect()
}

/// File sizes when nothing was probed: every cell [`REFERENCE_CELL_CHARS`] wide.
fn sizes_from_reference(plan: &Plan, config: &Config, record_rows: &[f64]) -> Vec<(String, f64)> {
    let columns = columns(plan, false);
    let keys = plan.swept_keys.len() as f64;
    let cells = |name: &str| -> f64 {
        let record = columns.records.iter().find(|t| t.csv() == name);
        match (name, record) {
            (_, Some(table)) => keys + 3.0 + table.columns.len() as f64,
            ("runs.csv", _) => keys + 3.0 + columns.outcomes.len() as f64,
            ("summary.csv", _) => keys + 14.0,
            ("survival.csv", _) => keys + 9.0,
            ("points.csv", _) => 1.0 + columns.parameters.as_ref().map_or(0, Vec::len) as f64,
            _ => keys + 3.0 + columns.series.as_ref().map_or(0, Vec::len) as f64,
        }
    };
    rows(plan, config, record_rows)
        .into_iter()
        .map(|(name, n)| {
            let bytes = n * cells(&name) * (REFERENCE_CELL_CHARS + 1.0);
            (name, bytes)
        })
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
