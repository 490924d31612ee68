//! Small random helpers shared by the mechanisms. Each takes the caller's generator: no global
//! or thread-local randomness anywhere in the model.

use rand::Rng;
use rand_distr::{Beta, Distribution, Poisson};

/// Monthly probability of an event with a yearly rate (exponential waiting time).
pub fn per_month(rate_per_year: f64) -> f64 {
    1.0 - (-rate_per_year / 12.0).exp()
}

pub fn chance<R: Rng>(rng: &mut R, p: f64) -> bool {
    p > 0.0 && rng.random::<f64>() < p
}

/// A Beta mean this close to 0 or 1 is degenerate: [`beta_mean`] returns the mean itself.
pub const DEGENERATE_MEAN: f64 = 1e-6;

/// The shapes (α, β) of the Beta distribution with `mean` and `concentration`, or `None` when
/// the mean is degenerate ([`DEGENERATE_MEAN`]) and a draw is the mean itself.
pub fn beta_shapes(mean: f64, concentration: f64) -> Option<(f64, f64)> {
    if mean <= DEGENERATE_MEAN || mean >= 1.0 - DEGENERATE_MEAN {
        return None;
    }
    Some((mean * concentration, (1.0 - mean) * concentration))
}

/// A Beta draw with the given mean and concentration; degenerate means return themselves.
pub fn beta_mean<R: Rng>(rng: &mut R, mean: f64, concentration: f64) -> f64 {
    match beta_shapes(mean, concentration) {
        None => mean.clamp(0.0, 1.0),
        Some((a, b)) => Beta::new(a, b).map(|b| b.sample(rng)).unwrap_or(mean),
    }
}

pub fn poisson<R: Rng>(rng: &mut R, mean: f64) -> u64 {
    if mean <= 0.0 {
        return 0;
    }
    Poisson::new(mean)
        .map(|p| p.sample(rng) as u64)
        .unwrap_or(0)
}

/// Index drawn with probability proportional to `weights`; `None` when all are zero.
pub fn weighted<R: Rng>(rng: &mut R, weights: &[f64]) -> Option<usize> {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 || !total.is_finite() {
        return None;
    }
    let mut u = rng.random::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if u < *w {
            return Some(i);
        }
        u -= w;
    }
    weights.iter().rposition(|w| *w > 0.0)
}

/// Draws indices with probability proportional to fixed weights in O(log n) a draw: the
/// cumulative sums are computed once, and a draw finds where a uniform point of the total falls.
/// It picks what [`weighted`] picks for the same random number (up to rounding at a boundary).
pub struct Cumulative {
    sums: Vec<f64>,
    last_positive: Option<usize>,
}

impl Cumulative {
    pub fn new(weights: &[f64]) -> Cumulative {
        let mut total = 0.0;
        let sums = weights
            .iter()
            .map(|w| {
                total += w;
                total
            })
            .collect();
        Cumulative {
            sums,
            last_positive: weights.iter().rposition(|w| *w > 0.0),
        }
    }

    pub fn sample<R: Rng>(&self, rng: &mut R) -> Option<usize> {
        let total = *self.sums.last()?;
        if total <= 0.0 || !total.is_finite() {
            return None;
        }
        let u = rng.random::<f64>() * total;
        let i = self.sums.partition_point(|&p| p <= u);
        if i < self.sums.len() {
            Some(i)
        } else {
            self.last_positive
        }
    }
}

/// Logistic function.
pub fn logistic(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Log-odds of a probability.
pub fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-12, 1.0 - 1e-12);
    (p / (1.0 - p)).ln()
}

/// The indices of `0..n` that a Bernoulli(`p`) trial each would pick, in increasing order, drawn
/// by geometric waiting times: about `n p + 1` draws instead of `n`. A caller that needs a
/// uniform `u` for the picked index, as if it had drawn one for every index and kept those below
/// `p`, draws `u = p * U(0, 1)`: conditioned on `u < p`, `u` is uniform on `[0, p)`. Together
/// with acceptance `u < p_i` for `p_i <= p` this is thinning: index `i` is accepted with
/// probability exactly `p_i`.
///
/// Gaps are drawn by inversion, `floor(ln(1 - U) / ln(1 - p))` (Devroye 1986, X.2), with a
/// 53-bit `U`: one logarithm per pick. rand_distr's `Geometric` (Bringmann-Friedrich) is exact
/// in the last bit but cost four times as many instructions per pick in this loop; the
/// inversion's rounding error is of the order of 1e-16 relative, far below sampling noise.
pub struct Picks {
    /// `1 / ln(1 - p)`; 0 when every index is picked, NaN when none is.
    inv_log_q: f64,
    next: u64,
    n: u64,
}

impl Picks {
    /// `p` is clamped to [0, 1]; with `p` = 0 (or NaN) nothing is picked.
    pub fn new(n: usize, p: f64) -> Picks {
        let p = if p.is_nan() { 0.0 } else { p.clamp(0.0, 1.0) };
        let inv_log_q = if p <= 0.0 {
            f64::NAN
        } else if p >= 1.0 {
            0.0
        } else {
            1.0 / (-p).ln_1p()
        };
        Picks {
            inv_log_q,
            next: 0,
            n: n as u64,
        }
    }

    /// The next picked index, or `None` when `0..n` is exhausted.
    pub fn next<R: Rng>(&mut self, rng: &mut R) -> Option<usize> {
        if self.next >= self.n || self.inv_log_q.is_nan() {
            return None;
        }
        let gap = if self.inv_log_q == 0.0 {
            0.0
        } else {
            // 1 - U lies in (0, 1], so the logarithm is finite and <= 0.
            ((1.0 - rng.random::<f64>()).ln() * self.inv_log_q).floor()
        };
        // Gaps beyond the remaining indices end the walk (f64 -> u64 saturates).
        let i = self.next.saturating_add(gap as u64);
        if i >= self.n {
            self.next = self.n;
            return None;
        }
        self.next = i + 1;
        Some(i as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    #[test]
    fn cumulative_draws_what_the_linear_scan_draws() {
        let weights = [0.0, 2.5, 0.0, 1.0, 0.25, 3.0, 0.0];
        let table = Cumulative::new(&weights);
        let mut a = Xoshiro256PlusPlus::seed_from_u64(9);
        let mut b = Xoshiro256PlusPlus::seed_from_u64(9);
        for _ in 0..10_000 {
            let k = table.sample(&mut a);
            assert_eq!(k, weighted(&mut b, &weights));
            assert!(weights[k.unwrap()] > 0.0);
        }
        assert_eq!(Cumulative::new(&[0.0, 0.0]).sample(&mut a), None);
        assert_eq!(Cumulative::new(&[]).sample(&mut a), None);
    }

    fn picks(n: usize, p: f64, rng: &mut Xoshiro256PlusPlus) -> Vec<usize> {
        let mut picks = Picks::new(n, p);
        std::iter::from_fn(|| picks.next(rng)).collect()
    }

    #[test]
    fn edge_probabilities() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        assert_eq!(picks(50, 1.0, &mut rng), (0..50).collect::<Vec<_>>());
        assert!(picks(50, 0.0, &mut rng).is_empty());
        assert!(picks(50, f64::NAN, &mut rng).is_empty());
        assert!(picks(0, 0.5, &mut rng).is_empty());
    }

    #[test]
    fn rare_picks_have_the_binomial_mean_and_variance() {
        let (n, p, reps) = (10_000usize, 0.003, 4_000);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let counts: Vec<f64> = (0..reps)
            .map(|_| picks(n, p, &mut rng).len() as f64)
            .collect();
        let mean = counts.iter().sum::<f64>() / reps as f64;
        let var = counts.iter().map(|c| (c - mean).powi(2)).sum::<f64>() / (reps - 1) as f64;
        let (m, v) = (n as f64 * p, n as f64 * p * (1.0 - p));
        assert!(
            (mean - m).abs() < 5.0 * (v / reps as f64).sqrt(),
            "mean {mean} vs {m}"
        );
        // The sample variance of 4000 counts is within 15% of the binomial variance.
        assert!((var / v - 1.0).abs() < 0.15, "variance {var} vs {v}");
    }

    #[test]
    fn every_index_is_picked_with_probability_p_and_thinning_is_exact() {
        // Each index picked with p = 0.05, then accepted with p_i = p * i / n through
        // u = p * U < p_i: index i must be accepted with probability p_i, picked with p.
        let (n, p, reps) = (40usize, 0.05, 200_000);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let mut picked = vec![0u32; n];
        let mut accepted = vec![0u32; n];
        for _ in 0..reps {
            let mut s = Picks::new(n, p);
            let mut last = None;
            while let Some(i) = s.next(&mut rng) {
                assert!(last.is_none_or(|l| i > l), "indices increase");
                last = Some(i);
                picked[i] += 1;
                let u = p * rng.random::<f64>();
                if u < p * i as f64 / n as f64 {
                    accepted[i] += 1;
                }
            }
        }
        for i in 0..n {
            for (count, q) in [(picked[i], p), (accepted[i], p * i as f64 / n as f64)] {
                let mean = reps as f64 * q;
                let sd = (mean * (1.0 - q)).sqrt().max(1e-9);
                assert!(
                    (f64::from(count) - mean).abs() < 5.0 * sd + 1e-9,
                    "index {i}: {count} picks, expected {mean} +- {sd}"
                );
            }
        }
    }
}
