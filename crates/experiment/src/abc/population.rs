//! Weighted statistics of an ABC-SMC population: the effective sample size, pyabc's weighted
//! quantile (the adaptive tolerance), posterior means and standard deviations with their Monte
//! Carlo standard errors, and systematic resampling for runs drawn from the posterior.

use super::{Generation, RESAMPLE_SALT};
use crate::seeds::mix;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The effective sample size of normalised weights, 1 / sum w^2 (Kish; pyabc's
/// `effective_sample_size` for normalised weights).
pub fn effective_sample_size(weights: &[f64]) -> f64 {
    1.0 / weights.iter().map(|w| w * w).sum::<f64>()
}

/// The weighted `alpha`-quantile of `values` under normalised `weights`, as pyabc's
/// `weighted_quantile` computes it: the values sorted, each placed at its cumulative weight less
/// half its own weight, and `alpha` interpolated linearly between those places (numpy's
/// `interp`: the smallest value below the first place, the largest above the last). Ties in
/// value keep their order in `values`.
pub fn weighted_quantile(values: &[f64], weights: &[f64], alpha: f64) -> f64 {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut cumulative = 0.0;
    let mut previous: Option<(f64, f64)> = None;
    for &i in &order {
        cumulative += weights[i];
        let place = cumulative - 0.5 * weights[i];
        let value = values[i];
        if alpha <= place {
            return match previous {
                None => value,
                Some((p_place, p_value)) if place > p_place => {
                    p_value + (value - p_value) * (alpha - p_place) / (place - p_place)
                }
                Some(_) => value,
            };
        }
        previous = Some((place, value));
    }
    previous.map_or(f64::NAN, |(_, value)| value)
}

impl Generation {
    /// Accepted particles per draw (proposals outside the prior included).
    pub fn acceptance_rate(&self) -> f64 {
        self.accepted as f64 / self.draws as f64
    }

    /// The weighted posterior mean of each parameter, in its own units.
    pub fn mean(&self) -> Vec<f64> {
        let d = self.particles.first().map_or(0, |p| p.theta.len());
        let mut mean = vec![0.0; d];
        for p in &self.particles {
            for (m, x) in mean.iter_mut().zip(&p.theta) {
                *m += p.weight * x;
            }
        }
        mean
    }

    /// The weighted posterior standard deviation of each parameter, in its own units, without
    /// small-sample correction (sqrt of sum_i w_i (theta_i - mean)^2).
    pub fn sd(&self) -> Vec<f64> {
        let mean = self.mean();
        let mut variance = vec![0.0; mean.len()];
        for p in &self.particles {
            for ((v, x), m) in variance.iter_mut().zip(&p.theta).zip(&mean) {
                *v += p.weight * (x - m).powi(2);
            }
        }
        variance.into_iter().map(f64::sqrt).collect()
    }

    /// The Monte Carlo standard error of each posterior mean: the delta-method estimate of a
    /// self-normalised importance-sampling mean, sqrt(sum_i w_i^2 (theta_i - mean)^2). Unlike
    /// sd / sqrt(ESS), it counts that ABC-SMC weights grow toward the posterior's tails (the
    /// particles are drawn from proposal x acceptance, the weights undo the proposal only),
    /// where sd / sqrt(ESS) is 20-40% short.
    pub fn mean_standard_error(&self) -> Vec<f64> {
        let mean = self.mean();
        let mut sum = vec![0.0; mean.len()];
        for p in &self.particles {
            for ((s, x), m) in sum.iter_mut().zip(&p.theta).zip(&mean) {
                *s += (p.weight * (x - m)).powi(2);
            }
        }
        sum.into_iter().map(f64::sqrt).collect()
    }

    /// The Monte Carlo standard error of each posterior standard deviation, by the same delta
    /// method: that of the variance, sqrt(sum_i w_i^2 ((theta_i - mean)^2 - var)^2), over 2 sd.
    pub fn sd_standard_error(&self) -> Vec<f64> {
        let mean = self.mean();
        let sd = self.sd();
        let mut sum = vec![0.0; mean.len()];
        for p in &self.particles {
            for (d, s) in sum.iter_mut().enumerate() {
                let spread = (p.theta[d] - mean[d]).powi(2) - sd[d] * sd[d];
                *s += (p.weight * spread).powi(2);
            }
        }
        sum.iter()
            .zip(&sd)
            .map(|(s, sd)| s.sqrt() / (2.0 * sd))
            .collect()
    }
}

/// `count` parameter vectors drawn from a generation's weighted particles by systematic
/// resampling (Kitagawa 1996; Carpenter, Clifford & Fearnhead 1999): one uniform u in [0, 1)
/// from `seed`, and particle i is taken once for each of the points (u + k) / count, k = 0 ..
/// count, that falls in its stretch of the cumulative weights. Each particle is taken
/// floor(count w_i) or ceil(count w_i) times, so the sample's spread about the weights is
/// the smallest possible; the vectors come in particle order, so a caller that wants them
/// unordered shuffles them.
pub fn resample(generation: &Generation, count: usize, seed: u64) -> Vec<Vec<f64>> {
    let particles = &generation.particles;
    if particles.is_empty() || count == 0 {
        return Vec::new();
    }
    let total: f64 = particles.iter().map(|p| p.weight).sum();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(mix(seed ^ RESAMPLE_SALT));
    let offset = rng.random::<f64>();
    let mut out = Vec::with_capacity(count);
    let mut i = 0;
    let mut upper = particles[0].weight / total;
    for k in 0..count {
        let point = (offset + k as f64) / count as f64;
        while point >= upper && i + 1 < particles.len() {
            i += 1;
            upper += particles[i].weight / total;
        }
        out.push(particles[i].theta.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abc::Particle;

    #[test]
    fn the_weighted_quantile_matches_pyabc() {
        // pyabc.weighted_statistics.weighted_quantile(np.array([3., 1., 2., 4.]),
        // np.array([.1, .2, .3, .4]), alpha) for alpha = 0.5, 0.05, 0.95: sorted 1, 2, 3, 4 sit
        // at 0.1, 0.35, 0.55, 0.8, so 0.5 is three quarters of the way from 2 to 3.
        let values = [3.0, 1.0, 2.0, 4.0];
        let weights = [0.1, 0.2, 0.3, 0.4];
        assert!((weighted_quantile(&values, &weights, 0.5) - 2.75).abs() < 1e-12);
        assert_eq!(weighted_quantile(&values, &weights, 0.05), 1.0);
        assert_eq!(weighted_quantile(&values, &weights, 0.95), 4.0);
        // Equal weights: the median of an even count is the mean of the middle two.
        assert_eq!(
            weighted_quantile(&[4.0, 1.0, 3.0, 2.0], &[0.25; 4], 0.5),
            2.5
        );
        assert_eq!(effective_sample_size(&[0.25; 4]), 4.0);
    }

    #[test]
    fn equal_weights_give_the_textbook_standard_errors() {
        // Values -1, 1 with equal weights: mean 0, sd 1, standard error of the mean
        // sd / sqrt(n); each squared deviation equals the variance, so the sd's error is 0.
        let n = 100;
        let generation = Generation {
            index: 0,
            tolerance: 1.0,
            particles: (0..n)
                .map(|i| Particle {
                    theta: vec![if i % 2 == 0 { -1.0 } else { 1.0 }],
                    weight: 1.0 / n as f64,
                    distance: 0.0,
                })
                .collect(),
            draws: n as u64,
            simulations: n as u64,
            accepted: n,
            ess: n as f64,
        };
        assert!(generation.mean()[0].abs() < 1e-15);
        assert!((generation.sd()[0] - 1.0).abs() < 1e-12);
        assert!((generation.mean_standard_error()[0] - 0.1).abs() < 1e-12);
        assert!(generation.sd_standard_error()[0] < 1e-12);
    }

    #[test]
    fn systematic_resampling_takes_each_particle_in_proportion() {
        let weights = [0.5, 0.25, 0.125, 0.125];
        let generation = Generation {
            index: 0,
            tolerance: 1.0,
            particles: weights
                .iter()
                .enumerate()
                .map(|(i, &weight)| Particle {
                    theta: vec![i as f64],
                    weight,
                    distance: 0.0,
                })
                .collect(),
            draws: 4,
            simulations: 4,
            accepted: 4,
            ess: effective_sample_size(&weights),
        };
        for seed in 0..20 {
            let draws = resample(&generation, 80, seed);
            let counts: Vec<usize> = (0..4)
                .map(|i| draws.iter().filter(|t| t[0] == i as f64).count())
                .collect();
            // 80 w_i is whole for every particle: the counts are exact.
            assert_eq!(counts, vec![40, 20, 10, 10]);
        }
        let draws = resample(&generation, 3, 1);
        assert_eq!(draws.len(), 3);
        assert_eq!(draws, resample(&generation, 3, 1));
    }
}
