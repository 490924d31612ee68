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

/// A Beta draw with the given mean and concentration; degenerate means return themselves.
pub fn beta_mean<R: Rng>(rng: &mut R, mean: f64, concentration: f64) -> f64 {
    if mean <= 1e-6 || mean >= 1.0 - 1e-6 {
        return mean.clamp(0.0, 1.0);
    }
    Beta::new(mean * concentration, (1.0 - mean) * concentration)
        .map(|b| b.sample(rng))
        .unwrap_or(mean)
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

/// Logistic function.
pub fn logistic(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Log-odds of a probability.
pub fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-12, 1.0 - 1e-12);
    (p / (1.0 - p)).ln()
}
