//! Sensitivity of each outcome of a `sobol` sweep: replicates are averaged per design point, the
//! point means are analysed as a Saltelli sample (`sobol`), and the share of the outcome's run-to-run
//! variance that is replicate noise is reported beside the indices.

use crate::sobol::{analyze, rows_per_base};

/// One row of sensitivity.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct SensitivityRow {
    pub outcome: String,
    pub parameter: String,
    pub s1: f64,
    pub s1_conf: f64,
    pub st: f64,
    pub st_conf: f64,
    /// Second-order index of a pair row (parameter `a:b`); NaN on single-parameter rows.
    pub s2: f64,
    pub s2_conf: f64,
    /// Mean within-point variance of replicates over the variance of all runs; NaN with one replicate.
    pub replicate_noise: f64,
    pub base_points: usize,
}

/// Replicate noise above this share of an outcome's run-to-run variance leaves its point means
/// mostly noise: its indices say little about the parameters.
pub const NOISE_WARNING: f64 = 0.5;

/// Fewer base points than this leave the bootstrap with almost nothing to resample: its
/// intervals (near zero with one base point) say nothing.
pub const MIN_BASE_POINTS: usize = 8;

/// An outcome whose indices cannot be told from noise, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct NoisyOutcome {
    pub outcome: String,
    pub why: String,
}

/// The outcomes whose indices cannot be trusted: fewer than [`MIN_BASE_POINTS`] base points,
/// replicate noise above [`NOISE_WARNING`], a total
/// index above 1 by more than its interval (a share of variance cannot exceed 1: too few base
/// points), or intervals wider than the indices for every parameter (no effect can be told from
/// zero).
pub fn noisy_outcomes(rows: &[SensitivityRow]) -> Vec<NoisyOutcome> {
    let mut out: Vec<NoisyOutcome> = Vec::new();
    let single: Vec<&SensitivityRow> = rows.iter().filter(|r| r.st.is_finite()).collect();
    for chunk in single.chunk_by(|a, b| a.outcome == b.outcome) {
        let mut why = Vec::new();
        let base = chunk[0].base_points;
        if base < MIN_BASE_POINTS {
            why.push(format!(
                "only {base} base point{}: the intervals mean nothing below {MIN_BASE_POINTS}",
                if base == 1 { "" } else { "s" }
            ));
        }
        let noise = chunk[0].replicate_noise;
        if noise > NOISE_WARNING {
            why.push(format!("replicate noise {noise:.2} of the variance"));
        }
        if let Some(r) = chunk.iter().find(|r| r.st - r.st_conf > 1.0) {
            why.push(format!(
                "ST of {} is {:.2} ± {:.2}, above 1",
                r.parameter, r.st, r.st_conf
            ));
        }
        if chunk.iter().all(|r| r.st_conf >= r.st.abs()) {
            why.push("every interval is wider than its index".into());
        }
        if !why.is_empty() {
            out.push(NoisyOutcome {
                outcome: chunk[0].outcome.clone(),
                why: why.join("; "),
            });
        }
    }
    out
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

/// Indices of every outcome defined in every run; outcomes with undefined runs are skipped and
/// returned by name.
pub fn sensitivity(
    runs: &SweepRuns,
    parameters: &[String],
    second_order: bool,
    seed: u64,
) -> Result<(Vec<SensitivityRow>, Vec<String>), String> {
    let k = parameters.len();
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
        let indices = analyze(&means, k, second_order, 1000, seed)?;
        let noise = replicate_noise(&points);
        for (i, parameter) in parameters.iter().enumerate() {
            rows.push(SensitivityRow {
                outcome: name.clone(),
                parameter: parameter.clone(),
                s1: indices.s1[i],
                s1_conf: indices.s1_conf[i],
                st: indices.st[i],
                st_conf: indices.st_conf[i],
                s2: f64::NAN,
                s2_conf: f64::NAN,
                replicate_noise: noise,
                base_points: means.len() / rows_per_base(k, second_order),
            });
        }
        for (p, row) in indices.s2.iter().enumerate() {
            for q in p + 1..k {
                rows.push(SensitivityRow {
                    outcome: name.clone(),
                    parameter: format!("{}:{}", parameters[p], parameters[q]),
                    s1: f64::NAN,
                    s1_conf: f64::NAN,
                    st: f64::NAN,
                    st_conf: f64::NAN,
                    s2: row[q],
                    s2_conf: indices.s2_conf[p][q],
                    replicate_noise: noise,
                    base_points: means.len() / rows_per_base(k, second_order),
                });
            }
        }
    }
    Ok((rows, skipped))
}

fn replicate_noise(points: &[Vec<f64>]) -> f64 {
    let var = |xs: &[f64]| {
        let m = xs.iter().sum::<f64>() / xs.len() as f64;
        xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() as f64 - 1.0)
    };
    if points.iter().any(|r| r.len() < 2) {
        return f64::NAN;
    }
    let within = points.iter().map(|r| var(r)).sum::<f64>() / points.len() as f64;
    let all: Vec<f64> = points.iter().flatten().copied().collect();
    let total = var(&all);
    if total > 0.0 {
        within / total
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(outcome: &str, parameter: &str, st: f64, st_conf: f64, noise: f64) -> SensitivityRow {
        SensitivityRow {
            outcome: outcome.into(),
            parameter: parameter.into(),
            s1: st / 2.0,
            s1_conf: st_conf,
            st,
            st_conf,
            s2: f64::NAN,
            s2_conf: f64::NAN,
            replicate_noise: noise,
            base_points: 32,
        }
    }

    #[test]
    fn noise_implausible_totals_and_wide_intervals_are_flagged() {
        let rows = [
            row("clear", "a", 0.6, 0.1, 0.1),
            row("clear", "b", 0.05, 0.1, 0.1),
            row("noisy", "a", 0.6, 0.1, 0.8),
            row("noisy", "b", 0.3, 0.1, 0.8),
            row("above_one", "a", 1.6, 0.3, 0.2),
            row("above_one", "b", 0.4, 0.1, 0.2),
            row("wide", "a", 0.2, 0.5, 0.2),
            row("wide", "b", 0.1, 0.3, 0.2),
        ];
        let flagged = noisy_outcomes(&rows);
        let names: Vec<&str> = flagged.iter().map(|n| n.outcome.as_str()).collect();
        assert_eq!(names, ["noisy", "above_one", "wide"]);
        assert!(flagged[0].why.contains("replicate noise 0.80"));
        assert!(flagged[1].why.contains("ST of a is 1.60"));
        assert!(flagged[2].why.contains("wider than its index"));
        let mut few = rows[..2].to_vec();
        for r in &mut few {
            r.base_points = 1;
        }
        assert!(noisy_outcomes(&few)[0].why.contains("only 1 base point:"));
    }
}
