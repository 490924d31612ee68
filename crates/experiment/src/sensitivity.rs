//! Sensitivity of each outcome of a sweep by any [`Method`]: replicates are averaged per design
//! point, the point means are analysed in the design's row order, and the share of the outcome's
//! run-to-run variance that is replicate noise is reported beside the estimates.

use crate::method::Method;

/// One row of sensitivity.csv: an outcome, a parameter (or a pair `a:b`) and the method's
/// estimates.
#[derive(Debug, Clone, PartialEq)]
pub struct SensitivityRow {
    pub outcome: String,
    pub parameter: String,
    /// The method's estimates in the order of its `columns()`; NaN where undefined.
    pub values: Vec<f64>,
    /// Mean within-point variance of replicates over the variance of all runs; NaN with one replicate.
    pub replicate_noise: f64,
    /// The share of the point means' variance that replicate noise makes: the mean within-point
    /// variance divided by the replicates, over the variance of the point means. Unlike
    /// `replicate_noise`, it falls as replicates are added; NaN with one replicate.
    pub mean_noise: f64,
    /// Units of the design the estimates rest on (base points, trajectories).
    pub units: u64,
}

/// Replicate noise above this share of the variance of an outcome's point means leaves them
/// mostly noise: its estimates say little about the parameters.
pub const NOISE_WARNING: f64 = 0.5;

/// An outcome whose estimates cannot be told from noise, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct NoisyOutcome {
    pub outcome: String,
    pub why: String,
}

/// The outcomes whose estimates cannot be trusted, by the method's own doubts
/// ([`Method::doubts`]).
pub fn noisy_outcomes(rows: &[SensitivityRow], method: &dyn Method) -> Vec<NoisyOutcome> {
    let all: Vec<&SensitivityRow> = rows.iter().collect();
    all.chunk_by(|a, b| a.outcome == b.outcome)
        .filter_map(|chunk| {
            let why = method.doubts(chunk);
            (!why.is_empty()).then(|| NoisyOutcome {
                outcome: chunk[0].outcome.clone(),
                why: why.join("; "),
            })
        })
        .collect()
}

/// The doubt that replicate noise is above [`NOISE_WARNING`] of the variance of an outcome's
/// point means (`SensitivityRow::mean_noise`).
pub fn noise_doubt(mean_noise: f64) -> Option<String> {
    (mean_noise > NOISE_WARNING)
        .then(|| format!("replicate noise {mean_noise:.2} of the point means' variance"))
}

/// Runs of a sweep: per outcome, per point, the replicate values (None where undefined).
#[derive(Debug)]
pub struct SweepRuns {
    pub outcomes: Vec<String>,
    /// `values[outcome][point]` holds that point's replicate values.
    pub values: Vec<Vec<Vec<Option<f64>>>>,
}

impl SweepRuns {
    /// Reads runs.csv text: columns point, replicate, seed, the swept keys, then outcomes.
    pub fn from_csv(text: &str, n_swept: usize) -> Result<SweepRuns, String> {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header = reader
            .headers()
            .map_err(|e| format!("runs.csv: {e}"))?
            .clone();
        if header.get(0) != Some("point") || header.len() < 3 + n_swept {
            return Err("runs.csv: the header does not start with point, replicate, seed and the swept keys".into());
        }
        let outcomes: Vec<String> = header.iter().skip(3 + n_swept).map(String::from).collect();
        let mut values: Vec<Vec<Vec<Option<f64>>>> = vec![Vec::new(); outcomes.len()];
        for (line, record) in reader.records().enumerate() {
            let record = record.map_err(|e| format!("runs.csv:{}: {e}", line + 2))?;
            let point: usize = record[0]
                .parse()
                .map_err(|_| format!("runs.csv:{}: bad point", line + 2))?;
            for (o, cell) in record.iter().skip(3 + n_swept).enumerate() {
                let column = &mut values[o];
                if column.len() <= point {
                    column.resize(point + 1, Vec::new());
                }
                column[point].push(cell.parse::<f64>().ok());
            }
        }
        Ok(SweepRuns { outcomes, values })
    }
}

/// Estimates of every outcome defined in every run; outcomes with undefined runs are skipped and
/// returned by name.
pub fn sensitivity(
    runs: &SweepRuns,
    parameters: &[String],
    method: &dyn Method,
    seed: u64,
) -> Result<(Vec<SensitivityRow>, Vec<String>), String> {
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    for (name, points) in runs.outcomes.iter().zip(&runs.values) {
        let complete: Option<Vec<Vec<f64>>> = points
            .iter()
            .map(|reps| reps.iter().copied().collect::<Option<Vec<f64>>>())
            .collect();
        let Some(points) = complete.filter(|p| !p.is_empty() && p.iter().all(|r| !r.is_empty()))
        else {
            skipped.push(name.clone());
            continue;
        };
        let means: Vec<f64> = points
            .iter()
            .map(|r| r.iter().sum::<f64>() / r.len() as f64)
            .collect();
        let analysis = method.analyze(&means, parameters, seed)?;
        let (noise, mean_noise) = replicate_noise(&points, &means);
        rows.extend(analysis.estimates.into_iter().map(|e| SensitivityRow {
            outcome: name.clone(),
            parameter: e.parameter,
            values: e.values,
            replicate_noise: noise,
            mean_noise,
            units: analysis.units,
        }));
    }
    Ok((rows, skipped))
}

/// The replicate noise of all runs' variance and of the variance of the point means `means` (see
/// [`SensitivityRow`]).
fn replicate_noise(points: &[Vec<f64>], means: &[f64]) -> (f64, f64) {
    let var = |xs: &[f64]| {
        let m = xs.iter().sum::<f64>() / xs.len() as f64;
        xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() as f64 - 1.0)
    };
    if points.iter().any(|r| r.len() < 2) {
        return (f64::NAN, f64::NAN);
    }
    let within = points.iter().map(|r| var(r)).sum::<f64>() / points.len() as f64;
    let of_means =
        points.iter().map(|r| var(r) / r.len() as f64).sum::<f64>() / points.len() as f64;
    let all: Vec<f64> = points.iter().flatten().copied().collect();
    let share = |noise: f64, total: f64| if total > 0.0 { noise / total } else { 0.0 };
    let between = if means.len() > 1 { var(means) } else { 0.0 };
    (share(within, var(&all)), share(of_means, between).min(1.0))
}
