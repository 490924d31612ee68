//! Morris elementary effects (Morris 1991; Campolongo et al. 2007) from the outputs of a Morris
//! design in trajectory order, with SALib's conventions (`SALib.analyze.morris`, unscaled): the
//! step is Delta = p / (2 (p - 1)) of the unit interval for p levels, and the elementary effect of
//! the factor a step moves is (y after - y before) / Delta when the step goes up and
//! (y before - y after) / Delta when it goes down, so its sign is that of the effect of raising
//! the factor. Effects are in units of the output per unit of the factor's range scaled to [0, 1]:
//! for y = a x with x from min to max, every effect is a (max - min). Per factor, over the r
//! trajectories: mu (mean effect), mu* (mean absolute effect), sigma (standard deviation with
//! ddof = 1) and mu*'s 95% bootstrap interval (`mu_star_conf`: 1.96 times the standard deviation
//! of mu* over resamples of the r effects). [`Morris`] is the method: the sampler
//! (`sampling::morris`) and these estimates.

use crate::method::{Analysis, Estimate, Method, BOOTSTRAP_RESAMPLES, Z_95};
use crate::sensitivity::{noise_doubt, SensitivityRow};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::sync::OnceLock;

/// The estimate columns of the method, in sensitivity.csv's order.
pub const COLUMNS: [&str; 4] = ["mu", "mu_star", "sigma", "mu_star_conf"];
/// Positions of the columns in [`Estimate::values`].
pub const MU: usize = 0;
pub const MU_STAR: usize = 1;
pub const SIGMA: usize = 2;
pub const MU_STAR_CONF: usize = 3;

/// Fewer trajectories than this give each factor too few effects for sigma and the bootstrap
/// interval to mean much.
pub const MIN_TRAJECTORIES: u64 = 4;

/// The step of a Morris design on `levels` levels, as a share of the unit interval.
pub fn delta(levels: u32) -> f64 {
    f64::from(levels) / (2.0 * (f64::from(levels) - 1.0))
}

/// One step of a trajectory: the factor it moves and whether it moves up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub factor: usize,
    pub up: bool,
}

/// The steps of a Morris design read from its rows in trajectory order, in any scale (only which
/// coordinate changes, and its direction, is read).
#[derive(Debug, Default)]
pub struct StepReader {
    k: usize,
    previous: Vec<f64>,
    rows: usize,
    steps: Vec<Step>,
    error: Option<String>,
}

impl StepReader {
    pub fn new(k: usize) -> StepReader {
        StepReader {
            k,
            ..StepReader::default()
        }
    }

    /// Reads the next row.
    pub fn push(&mut self, row: &[f64]) {
        let at = self.rows % (self.k + 1);
        if at > 0 && self.error.is_none() {
            let changed: Vec<usize> = (0..self.k)
                .filter(|&i| row[i] != self.previous[i])
                .collect();
            match changed[..] {
                [i] => self.steps.push(Step {
                    factor: i,
                    up: row[i] > self.previous[i],
                }),
                _ => {
                    self.error = Some(format!(
                        "row {} changes {} factors from the row before; allowed: one per step of a trajectory",
                        self.rows,
                        changed.len()
                    ))
                }
            }
        }
        self.previous.clear();
        self.previous.extend_from_slice(row);
        self.rows += 1;
    }

    /// The steps read, or what was wrong with the rows.
    pub fn finish(self) -> Result<Vec<Step>, String> {
        match self.error {
            Some(e) => Err(e),
            None if !self.rows.is_multiple_of(self.k + 1) => Err(format!(
                "{} rows do not form trajectories of {} rows",
                self.rows,
                self.k + 1
            )),
            None => Ok(self.steps),
        }
    }
}

/// Elementary-effect statistics per factor.
#[derive(Debug, Clone, PartialEq)]
pub struct Indices {
    pub mu: Vec<f64>,
    pub mu_star: Vec<f64>,
    pub sigma: Vec<f64>,
    pub mu_star_conf: Vec<f64>,
}

/// The elementary effects of each of `k` factors, trajectory by trajectory, from the steps of a
/// design and its outputs `y` (one per row: k + 1 per trajectory).
pub fn elementary_effects(
    steps: &[Step],
    y: &[f64],
    k: usize,
    levels: u32,
) -> Result<Vec<Vec<f64>>, String> {
    if k == 0 || y.is_empty() || !y.len().is_multiple_of(k + 1) {
        return Err(format!(
            "{} outputs do not form Morris trajectories of {k} parameters ({} rows each)",
            y.len(),
            k + 1
        ));
    }
    let r = y.len() / (k + 1);
    if steps.len() != r * k {
        return Err(format!(
            "{} outputs for a design of {} trajectories",
            y.len(),
            steps.len() / k
        ));
    }
    if y.iter().any(|v| !v.is_finite()) {
        return Err("an output is not finite".into());
    }
    let delta = delta(levels);
    let mut effects = vec![Vec::with_capacity(r); k];
    for t in 0..r {
        let y = &y[t * (k + 1)..(t + 1) * (k + 1)];
        let mut moved = vec![false; k];
        for (s, step) in steps[t * k..(t + 1) * k].iter().enumerate() {
            if std::mem::replace(&mut moved[step.factor], true) {
                return Err(format!(
                    "trajectory {t} moves factor {} twice; allowed: each factor once",
                    step.factor
                ));
            }
            let rise = if step.up {
                y[s + 1] - y[s]
            } else {
                y[s] - y[s + 1]
            };
            effects[step.factor].push(rise / delta);
        }
    }
    Ok(effects)
}

/// mu, mu*, sigma and mu*'s bootstrap interval (`resamples` resamples, seeded) of each factor.
pub fn analyze(
    steps: &[Step],
    y: &[f64],
    k: usize,
    levels: u32,
    resamples: usize,
    seed: u64,
) -> Result<Indices, String> {
    let effects = elementary_effects(steps, y, k, levels)?;
    let mean = |xs: &mut dyn Iterator<Item = f64>, n: usize| xs.sum::<f64>() / n as f64;
    let sd = |xs: &[f64]| {
        if xs.len() < 2 {
            return f64::NAN;
        }
        let m = xs.iter().sum::<f64>() / xs.len() as f64;
        (xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() - 1) as f64).sqrt()
    };
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut out = Indices {
        mu: Vec::with_capacity(k),
        mu_star: Vec::with_capacity(k),
        sigma: Vec::with_capacity(k),
        mu_star_conf: Vec::with_capacity(k),
    };
    for ee in &effects {
        let r = ee.len();
        out.mu.push(mean(&mut ee.iter().copied(), r));
        out.mu_star.push(mean(&mut ee.iter().map(|e| e.abs()), r));
        out.sigma.push(sd(ee));
        let boot: Vec<f64> = (0..resamples)
            .map(|_| mean(&mut (0..r).map(|_| ee[rng.random_range(0..r)].abs()), r))
            .collect();
        out.mu_star_conf.push(Z_95 * sd(&boot));
    }
    Ok(out)
}

/// Morris screening: `trajectories` trajectories on `levels` levels, kept from `candidates`
/// drawn ones when given (`sampling::morris`).
#[derive(Debug)]
pub struct Morris {
    pub trajectories: u64,
    pub levels: u32,
    pub candidates: Option<u64>,
    /// The steps of the last design analysed, with its factors and seed: every outcome of a
    /// sweep reads the same design, and selecting trajectories is not free.
    steps: OnceLock<(usize, u64, Vec<Step>)>,
}

impl Morris {
    pub fn new(trajectories: u64, levels: u32, candidates: Option<u64>) -> Morris {
        Morris {
            trajectories,
            levels,
            candidates,
            steps: OnceLock::new(),
        }
    }

    fn design_steps(&self, k: usize, seed: u64) -> Result<Vec<Step>, String> {
        if let Some((kk, s, steps)) = self.steps.get() {
            if (*kk, *s) == (k, seed) {
                return Ok(steps.clone());
            }
        }
        let mut reader = StepReader::new(k);
        self.sample(k, seed, &mut |row| reader.push(row));
        let steps = reader.finish()?;
        let _ = self.steps.set((k, seed, steps.clone()));
        Ok(steps)
    }
}

impl Method for Morris {
    fn rows(&self, k: usize) -> u64 {
        self.trajectories.saturating_mul(k as u64 + 1)
    }

    fn sample(&self, k: usize, seed: u64, row: &mut dyn FnMut(&[f64])) {
        crate::sampling::morris(
            self.trajectories as usize,
            k,
            self.levels,
            self.candidates.map(|m| m as usize),
            seed,
            row,
        );
    }

    fn columns(&self) -> &'static [&'static str] {
        &COLUMNS
    }

    fn unit(&self) -> &'static str {
        "trajectories"
    }

    /// One row per parameter: mu, mu_star, sigma, mu_star_conf. The design's steps are drawn
    /// again from `seed`, so that whole-valued factors rounded in the design do not hide them.
    fn analyze(&self, y: &[f64], parameters: &[String], seed: u64) -> Result<Analysis, String> {
        let k = parameters.len();
        if y.len() as u64 != self.rows(k) {
            return Err(format!(
                "{} outputs; the Morris design of {} trajectories over {k} parameters has {}",
                y.len(),
                self.trajectories,
                self.rows(k)
            ));
        }
        let steps = self.design_steps(k, seed)?;
        let indices = analyze(&steps, y, k, self.levels, BOOTSTRAP_RESAMPLES, seed)?;
        let estimates = parameters
            .iter()
            .enumerate()
            .map(|(i, p)| Estimate {
                parameter: p.clone(),
                values: vec![
                    indices.mu[i],
                    indices.mu_star[i],
                    indices.sigma[i],
                    indices.mu_star_conf[i],
                ],
            })
            .collect();
        Ok(Analysis {
            estimates,
            units: self.trajectories,
        })
    }

    /// Fewer than [`MIN_TRAJECTORIES`] trajectories, replicate noise above
    /// `sensitivity::NOISE_WARNING`, or every factor's mu* within its interval of zero (no effect
    /// can be told from noise).
    fn doubts(&self, rows: &[&SensitivityRow]) -> Vec<String> {
        let Some(first) = rows.first() else {
            return Vec::new();
        };
        let mut why = Vec::new();
        let r = first.units;
        if r < MIN_TRAJECTORIES {
            why.push(format!(
                "only {r} trajectories: sigma and the intervals mean little below {MIN_TRAJECTORIES}"
            ));
        }
        why.extend(noise_doubt(first.mean_noise));
        if rows
            .iter()
            .all(|r| r.values[MU_STAR_CONF] >= r.values[MU_STAR])
        {
            why.push("every mu* is within its interval of zero".into());
        }
        why
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampling::morris_rows;

    /// The steps and the outputs of `f` over the unit rows scaled to `[lo, hi]` per factor.
    fn run(
        f: impl Fn(&[f64]) -> f64,
        bounds: &[(f64, f64)],
        r: usize,
        levels: u32,
    ) -> (Vec<Step>, Vec<f64>) {
        let k = bounds.len();
        let rows = morris_rows(r, k, levels, None, 4);
        let mut reader = StepReader::new(k);
        let y = rows
            .iter()
            .map(|u| {
                reader.push(u);
                let x: Vec<f64> = u
                    .iter()
                    .zip(bounds)
                    .map(|(u, (lo, hi))| lo + (hi - lo) * u)
                    .collect();
                f(&x)
            })
            .collect();
        (reader.finish().unwrap(), y)
    }

    #[test]
    fn a_linear_function_has_its_slopes_times_ranges_as_every_effect() {
        let a = [2.0, -3.0, 0.0, 0.5];
        let bounds = [(0.0, 1.0), (10.0, 20.0), (-1.0, 1.0), (100.0, 600.0)];
        let f = |x: &[f64]| a.iter().zip(x).map(|(a, x)| a * x).sum::<f64>();
        let (steps, y) = run(f, &bounds, 10, 4);
        let effects = elementary_effects(&steps, &y, 4, 4).unwrap();
        let got = analyze(&steps, &y, 4, 4, 1000, 1).unwrap();
        for i in 0..4 {
            let expect = a[i] * (bounds[i].1 - bounds[i].0);
            for e in &effects[i] {
                assert!(
                    (e - expect).abs() < 1e-9 * expect.abs().max(1.0),
                    "{e} vs {expect}"
                );
            }
            assert!((got.mu[i] - expect).abs() < 1e-9 * expect.abs().max(1.0));
            assert!((got.mu_star[i] - expect.abs()).abs() < 1e-9 * expect.abs().max(1.0));
            assert!(got.sigma[i] < 1e-9 * expect.abs().max(1.0));
            assert!(got.mu_star_conf[i] < 1e-9 * expect.abs().max(1.0));
        }
    }

    #[test]
    fn an_interaction_spreads_the_effects_and_a_sign_change_splits_mu_from_mu_star() {
        // y = x0 x1 + (x2 - 0.5)^2 on [0, 1]^3: x0's effect is x1 (0 to 1: sigma > 0); x2's
        // effect is +-(Delta) around the middle, so mu near 0 while mu* is not.
        let f = |x: &[f64]| x[0] * x[1] + (x[2] - 0.5).powi(2);
        let (steps, y) = run(f, &[(0.0, 1.0); 3], 40, 4);
        let got = analyze(&steps, &y, 3, 4, 1000, 1).unwrap();
        assert!(got.sigma[0] > 0.2 && got.sigma[1] > 0.2, "{got:?}");
        assert!(got.mu_star[0] > 0.2 && got.mu[0] > 0.2);
        // Steps of x2 go 0 <-> 2/3 or 1/3 <-> 1: effects -1/3 or +1/3, exactly.
        assert!(
            (got.mu_star[2] - 1.0 / 3.0).abs() < 1e-12,
            "{}",
            got.mu_star[2]
        );
        assert!(got.mu[2].abs() < got.mu_star[2]);
        assert!(got.mu_star_conf.iter().all(|c| c.is_finite() && *c >= 0.0));
    }

    #[test]
    fn the_bootstrap_is_seeded() {
        let f = |x: &[f64]| x[0] * x[1];
        let (steps, y) = run(f, &[(0.0, 1.0); 2], 8, 4);
        let a = analyze(&steps, &y, 2, 4, 1000, 3).unwrap();
        assert_eq!(a, analyze(&steps, &y, 2, 4, 1000, 3).unwrap());
        assert_ne!(
            a.mu_star_conf,
            analyze(&steps, &y, 2, 4, 1000, 4).unwrap().mu_star_conf
        );
    }

    #[test]
    fn malformed_designs_are_refused() {
        let steps = [Step {
            factor: 0,
            up: true,
        }];
        assert!(elementary_effects(&steps, &[1.0, 2.0, 3.0], 1, 4).is_err());
        assert!(elementary_effects(&steps, &[1.0, f64::NAN], 1, 4).is_err());
        let mut reader = StepReader::new(2);
        for row in [[0.0, 0.0], [1.0, 1.0], [1.0, 0.0]] {
            reader.push(&row);
        }
        assert!(reader.finish().unwrap_err().contains("changes 2 factors"));
    }

    #[test]
    fn the_method_reads_the_design_it_drew() {
        let method = Morris::new(6, 4, Some(12));
        let names: Vec<String> = ["a", "b"].iter().map(|s| s.to_string()).collect();
        let mut y = Vec::new();
        method.sample(2, 9, &mut |u| y.push(3.0 * u[0] - u[1]));
        assert_eq!(y.len() as u64, method.rows(2));
        let got = method.analyze(&y, &names, 9).unwrap();
        assert_eq!(got.units, 6);
        assert!((got.estimates[0].values[MU] - 3.0).abs() < 1e-12);
        assert!((got.estimates[1].values[MU] + 1.0).abs() < 1e-12);
        assert!((got.estimates[1].values[MU_STAR] - 1.0).abs() < 1e-12);
        assert!(method.analyze(&y[1..], &names, 9).is_err());
    }
}
