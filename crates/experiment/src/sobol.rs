//! Sobol sensitivity indices from a Saltelli sample in SALib's row order (see `design`):
//! first order S_i = mean(f_B (f_AB_i - f_A)) / V (Saltelli et al. 2010), total
//! ST_i = mean((f_A - f_AB_i)^2) / 2V (Jansen 1999), V the variance of f over the A and B rows.
//! With second-order rows (BA_j), S2_jk = mean(f_BA_j f_AB_k - f_A f_B) / V - S_j - S_k
//! (Saltelli 2002), as SALib computes it. Outputs are standardised first, as SALib does. Confidence intervals: 1.96 times the standard
//! deviation of the estimates over bootstrap resamples of the N base points. [`Sobol`] is the
//! method: the Saltelli sample (`sampling::saltelli`) and these indices.

use crate::method::{Analysis, Estimate, Method, BOOTSTRAP_RESAMPLES, Z_95};
use crate::sensitivity::{noise_doubt, SensitivityRow};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The estimate columns of the method, in sensitivity.csv's order.
/// The outputs are standardised to unit variance over the whole sample, so a (bootstrap) sample
/// whose variance is below this is constant up to round-off: its indices are 0, not the ratio
/// of two round-off errors (which reached 10^31 on a resample of equal values).
const ROUND_OFF_VARIANCE: f64 = 1e-12;

pub const COLUMNS: [&str; 6] = ["S1", "S1_conf", "ST", "ST_conf", "S2", "S2_conf"];
/// Positions of the columns in [`Estimate::values`].
pub const S1: usize = 0;
pub const S1_CONF: usize = 1;
pub const ST: usize = 2;
pub const ST_CONF: usize = 3;
pub const S2: usize = 4;
pub const S2_CONF: usize = 5;

/// Fewer base points than this leave the bootstrap with almost nothing to resample: its
/// intervals (near zero with one base point) say nothing.
pub const MIN_BASE_POINTS: u64 = 8;

#[derive(Debug, Clone, PartialEq)]
pub struct Indices {
    pub s1: Vec<f64>,
    pub s1_conf: Vec<f64>,
    pub st: Vec<f64>,
    pub st_conf: Vec<f64>,
    /// Second-order indices `s2[j][k]` for j < k (empty without second-order rows).
    pub s2: Vec<Vec<f64>>,
    pub s2_conf: Vec<Vec<f64>>,
}

/// Rows per base point of a Saltelli sample.
pub fn rows_per_base(k: usize, second_order: bool) -> usize {
    if second_order {
        2 * k + 2
    } else {
        k + 2
    }
}

/// Indices of `k` parameters from outputs `y` in Saltelli row order.
pub fn analyze(
    y: &[f64],
    k: usize,
    second_order: bool,
    resamples: usize,
    seed: u64,
) -> Result<Indices, String> {
    let step = rows_per_base(k, second_order);
    if k == 0 || y.is_empty() || !y.len().is_multiple_of(step) {
        return Err(format!("{} outputs do not form a Saltelli sample of {k} parameters ({step} rows per base point)", y.len()));
    }
    if y.iter().any(|v| !v.is_finite()) {
        return Err("an output is not finite".into());
    }
    let n = y.len() / step;
    let mean = y.iter().sum::<f64>() / y.len() as f64;
    let sd = (y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / y.len() as f64).sqrt();
    let z: Vec<f64> = y
        .iter()
        .map(|v| if sd > 0.0 { (v - mean) / sd } else { 0.0 })
        .collect();
    let a = |j: usize| z[j * step];
    let b = |j: usize| z[j * step + step - 1];
    let ab = |j: usize, i: usize| z[j * step + 1 + i];
    let ba = |j: usize, i: usize| z[j * step + 1 + k + i];
    let pairs: Vec<(usize, usize)> = if second_order {
        (0..k)
            .flat_map(|a| (a + 1..k).map(move |b| (a, b)))
            .collect()
    } else {
        Vec::new()
    };
    let estimate = |sample: &[usize]| -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let m = sample.len() as f64;
        let all: Vec<f64> = sample.iter().flat_map(|&j| [a(j), b(j)]).collect();
        let mu = all.iter().sum::<f64>() / all.len() as f64;
        let var = all.iter().map(|v| (v - mu).powi(2)).sum::<f64>() / all.len() as f64;
        let mut s1 = vec![0.0; k];
        let mut st = vec![0.0; k];
        for i in 0..k {
            if var > ROUND_OFF_VARIANCE {
                s1[i] = sample
                    .iter()
                    .map(|&j| b(j) * (ab(j, i) - a(j)))
                    .sum::<f64>()
                    / m
                    / var;
                st[i] = 0.5
                    * sample
                        .iter()
                        .map(|&j| (a(j) - ab(j, i)).powi(2))
                        .sum::<f64>()
                    / m
                    / var;
            }
        }
        let s2 = pairs
            .iter()
            .map(|&(p, q)| {
                if var > ROUND_OFF_VARIANCE {
                    sample
                        .iter()
                        .map(|&j| ba(j, p) * ab(j, q) - a(j) * b(j))
                        .sum::<f64>()
                        / m
                        / var
                        - s1[p]
                        - s1[q]
                } else {
                    0.0
                }
            })
            .collect();
        (s1, st, s2)
    };
    let all: Vec<usize> = (0..n).collect();
    let (s1, st, s2_flat) = estimate(&all);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut boot_s1 = vec![Vec::with_capacity(resamples); k];
    let mut boot_st = vec![Vec::with_capacity(resamples); k];
    let mut boot_s2 = vec![Vec::with_capacity(resamples); pairs.len()];
    let mut sample = vec![0; n];
    for _ in 0..resamples {
        for s in sample.iter_mut() {
            *s = rng.random_range(0..n);
        }
        let (b1, bt, b2) = estimate(&sample);
        for i in 0..k {
            boot_s1[i].push(b1[i]);
            boot_st[i].push(bt[i]);
        }
        for (boot, x) in boot_s2.iter_mut().zip(b2) {
            boot.push(x);
        }
    }
    let conf = |xs: &[f64]| {
        if xs.len() < 2 {
            return f64::NAN;
        }
        let m = xs.iter().sum::<f64>() / xs.len() as f64;
        Z_95 * (xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() - 1) as f64).sqrt()
    };
    let mut s2 = vec![vec![f64::NAN; k]; if second_order { k } else { 0 }];
    let mut s2_conf = s2.clone();
    for (n, &(p, q)) in pairs.iter().enumerate() {
        s2[p][q] = s2_flat[n];
        s2_conf[p][q] = conf(&boot_s2[n]);
    }
    Ok(Indices {
        s2,
        s2_conf,
        s1_conf: boot_s1.iter().map(|b| conf(b)).collect(),
        st_conf: boot_st.iter().map(|b| conf(b)).collect(),
        s1,
        st,
    })
}

/// Sobol indices from a Saltelli sample of `samples` base points, with second-order terms or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sobol {
    pub samples: u64,
    pub second_order: bool,
}

impl Method for Sobol {
    fn rows(&self, k: usize) -> u64 {
        self.samples
            .saturating_mul(rows_per_base(k, self.second_order) as u64)
    }

    fn sample(&self, k: usize, seed: u64, row: &mut dyn FnMut(&[f64])) {
        crate::sampling::saltelli(self.samples, k, self.second_order, seed, row);
    }

    fn columns(&self) -> &'static [&'static str] {
        &COLUMNS
    }

    fn unit(&self) -> &'static str {
        "base_points"
    }

    /// Rows S1, S1_conf, ST, ST_conf of each parameter, then (with second-order terms) S2,
    /// S2_conf of each pair `a:b` with a before b.
    fn analyze(&self, y: &[f64], parameters: &[String], seed: u64) -> Result<Analysis, String> {
        let k = parameters.len();
        let indices = analyze(y, k, self.second_order, BOOTSTRAP_RESAMPLES, seed)?;
        let mut estimates: Vec<Estimate> = parameters
            .iter()
            .enumerate()
            .map(|(i, p)| Estimate {
                parameter: p.clone(),
                values: vec![
                    indices.s1[i],
                    indices.s1_conf[i],
                    indices.st[i],
                    indices.st_conf[i],
                    f64::NAN,
                    f64::NAN,
                ],
            })
            .collect();
        for (p, row) in indices.s2.iter().enumerate() {
            for q in p + 1..k {
                estimates.push(Estimate {
                    parameter: format!("{}:{}", parameters[p], parameters[q]),
                    values: vec![
                        f64::NAN,
                        f64::NAN,
                        f64::NAN,
                        f64::NAN,
                        row[q],
                        indices.s2_conf[p][q],
                    ],
                });
            }
        }
        Ok(Analysis {
            estimates,
            units: (y.len() / rows_per_base(k, self.second_order)) as u64,
        })
    }

    /// Fewer than [`MIN_BASE_POINTS`] base points, replicate noise above
    /// `sensitivity::NOISE_WARNING`, a total index above 1 by more than its interval (a share
    /// of variance cannot exceed 1: too few base points), or intervals wider than the indices
    /// for every parameter (no effect can be told from zero).
    fn doubts(&self, rows: &[&SensitivityRow]) -> Vec<String> {
        let single: Vec<&SensitivityRow> = rows
            .iter()
            .copied()
            .filter(|r| r.values[ST].is_finite())
            .collect();
        let Some(first) = single.first() else {
            return Vec::new();
        };
        let mut why = Vec::new();
        let base = first.units;
        if base < MIN_BASE_POINTS {
            why.push(format!(
                "only {base} base point{}: the intervals mean nothing below {MIN_BASE_POINTS}",
                if base == 1 { "" } else { "s" }
            ));
        }
        why.extend(noise_doubt(first.mean_noise));
        if let Some(r) = single
            .iter()
            .find(|r| r.values[ST] - r.values[ST_CONF] > 1.0)
        {
            why.push(format!(
                "ST of {} is {:.2} ± {:.2}, above 1",
                r.parameter, r.values[ST], r.values[ST_CONF]
            ));
        }
        if single
            .iter()
            .all(|r| r.values[ST_CONF] >= r.values[ST].abs())
        {
            why.push("every interval is wider than its index".into());
        }
        why
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    fn ishigami(x: &[f64]) -> f64 {
        x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
    }

    /// Indices of the Ishigami function from a Saltelli sample of 4096 base points.
    fn ishigami_indices(second_order: bool) -> Indices {
        let mut y = Vec::new();
        crate::sampling::saltelli(4096, 3, second_order, 11, |u| {
            let x: Vec<f64> = u.iter().map(|u| -PI + 2.0 * PI * u).collect();
            y.push(ishigami(&x));
        });
        analyze(&y, 3, second_order, 200, 5).unwrap()
    }

    #[test]
    fn constant_a_and_b_rows_give_finite_indices() {
        // Outputs equal in every A and B row, different in the AB rows: the variance of A and B
        // is 0 but computes as round-off, and the indices must not be its ratio.
        let step = rows_per_base(2, false);
        let mut y = vec![0.1; 24 * step];
        for (j, row) in y.chunks_mut(step).enumerate() {
            row[1] = 0.1 + 0.07 * (j % 5) as f64;
            row[2] = 0.3 - 0.05 * (j % 3) as f64;
        }
        let got = analyze(&y, 2, false, 200, 1).unwrap();
        for v in got.s1_conf.iter().chain(&got.st_conf).chain(&got.s1) {
            assert!(v.is_finite() && v.abs() < 100.0, "{got:?}");
        }
    }

    #[test]
    fn ishigami_indices_match_their_known_values() {
        let got = ishigami_indices(false);
        // Analytical values (Ishigami & Homma 1990; a = 7, b = 0.1).
        let s1 = [0.3139, 0.4424, 0.0];
        let st = [0.5576, 0.4424, 0.2437];
        for i in 0..3 {
            assert!(
                (got.s1[i] - s1[i]).abs() <= got.s1_conf[i].max(0.01),
                "S1[{i}] = {} ± {}, known {}",
                got.s1[i],
                got.s1_conf[i],
                s1[i]
            );
            assert!(
                (got.st[i] - st[i]).abs() <= got.st_conf[i].max(0.01),
                "ST[{i}] = {} ± {}, known {}",
                got.st[i],
                got.st_conf[i],
                st[i]
            );
            assert!(got.s1_conf[i] < 0.1 && got.st_conf[i] < 0.1);
        }
    }

    #[test]
    fn ishigami_second_order_index_is_the_x1_x3_interaction() {
        let got = ishigami_indices(true);
        // S13 = 0.2437 (all of x3's effect is its interaction with x1); S12 = S23 = 0.
        for (p, q, known) in [(0, 1, 0.0), (0, 2, 0.2437), (1, 2, 0.0)] {
            let (est, conf) = (got.s2[p][q], got.s2_conf[p][q]);
            assert!(
                (est - known).abs() <= conf.max(0.02),
                "S2[{p}{q}] = {est} ± {conf}, known {known}"
            );
        }
    }

    #[test]
    fn malformed_samples_are_refused() {
        assert!(analyze(&[1.0, 2.0, 3.0], 2, false, 10, 1).is_err());
        assert!(analyze(&[1.0, f64::NAN, 3.0], 1, false, 10, 1).is_err());
    }

    fn row(outcome: &str, parameter: &str, st: f64, st_conf: f64, noise: f64) -> SensitivityRow {
        SensitivityRow {
            outcome: outcome.into(),
            parameter: parameter.into(),
            values: vec![st / 2.0, st_conf, st, st_conf, f64::NAN, f64::NAN],
            replicate_noise: noise,
            mean_noise: noise,
            units: 32,
        }
    }

    #[test]
    fn noise_implausible_totals_and_wide_intervals_are_flagged() {
        use crate::sensitivity::noisy_outcomes;
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
        let method = Sobol {
            samples: 32,
            second_order: false,
        };
        let flagged = noisy_outcomes(&rows, &method);
        let names: Vec<&str> = flagged.iter().map(|n| n.outcome.as_str()).collect();
        assert_eq!(names, ["noisy", "above_one", "wide"]);
        assert!(flagged[0]
            .why
            .contains("replicate noise 0.80 of the point means' variance"));
        assert!(flagged[1].why.contains("ST of a is 1.60"));
        assert!(flagged[2].why.contains("wider than its index"));
        let mut few = rows[..2].to_vec();
        for r in &mut few {
            r.units = 1;
        }
        assert!(noisy_outcomes(&few, &method)[0]
            .why
            .contains("only 1 base point:"));
    }
}
