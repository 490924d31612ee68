//! Priors of ABC-SMC, one per parameter: uniform or log-uniform on a closed interval. Each maps its
//! parameter to the kernel space, where the prior is uniform and the perturbation kernel acts: the
//! value itself for a uniform prior, its natural logarithm for a log-uniform one, so that a
//! parameter spanning decades is perturbed by factors rather than by amounts.

use rand::Rng;

/// The prior of one parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Prior {
    /// Uniform on `[low, high]`.
    Uniform { low: f64, high: f64 },
    /// Log-uniform on `[low, high]` (`low > 0`): uniform in the logarithm, density
    /// 1 / (x ln(high / low)).
    LogUniform { low: f64, high: f64 },
}

/// What is wrong with a prior.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PriorError {
    #[error("bounds {low} and {high} must be finite")]
    NotFinite { low: f64, high: f64 },
    #[error("low {low} must be below high {high}")]
    EmptyRange { low: f64, high: f64 },
    #[error("a log-uniform prior needs low > 0, not {low}")]
    NonPositiveLogBound { low: f64 },
}

impl Prior {
    /// The bounds of the support, in the parameter's own units.
    pub fn bounds(&self) -> (f64, f64) {
        match *self {
            Prior::Uniform { low, high } | Prior::LogUniform { low, high } => (low, high),
        }
    }

    /// Finite bounds, low below high, and low > 0 for a log-uniform prior (whose logarithms
    /// must be finite too: a subnormal low is allowed, its logarithm is finite).
    pub fn validate(&self) -> Result<(), PriorError> {
        let (low, high) = self.bounds();
        if !low.is_finite() || !high.is_finite() {
            return Err(PriorError::NotFinite { low, high });
        }
        if let Prior::LogUniform { .. } = self {
            if low <= 0.0 {
                return Err(PriorError::NonPositiveLogBound { low });
            }
        }
        // In kernel space, so that a log-uniform range too narrow to have distinct logarithms
        // is refused as empty.
        if self.to_kernel_space(low) >= self.to_kernel_space(high) {
            return Err(PriorError::EmptyRange { low, high });
        }
        Ok(())
    }

    /// Whether `theta` is in the support (the closed interval).
    pub fn contains(&self, theta: f64) -> bool {
        let (low, high) = self.bounds();
        (low..=high).contains(&theta)
    }

    /// The parameter in kernel space: `theta` (uniform) or `ln theta` (log-uniform).
    pub fn to_kernel_space(&self, theta: f64) -> f64 {
        match self {
            Prior::Uniform { .. } => theta,
            Prior::LogUniform { .. } => theta.ln(),
        }
    }

    /// The parameter in its own units from kernel space (no clamping: a point outside the
    /// support stays outside).
    pub fn from_kernel_space(&self, z: f64) -> f64 {
        match self {
            Prior::Uniform { .. } => z,
            Prior::LogUniform { .. } => z.exp(),
        }
    }

    /// The natural logarithm of the prior density in kernel space, where both priors are
    /// uniform: minus the logarithm of the support's width there.
    pub fn kernel_space_ln_density(&self) -> f64 {
        let (low, high) = self.bounds();
        -(self.to_kernel_space(high) - self.to_kernel_space(low)).ln()
    }

    /// One draw: uniform in kernel space, clamped into the support in case rounding of the
    /// exponential steps out of it by a unit in the last place.
    pub fn sample(&self, rng: &mut impl Rng) -> f64 {
        let (low, high) = self.bounds();
        let (zl, zh) = (self.to_kernel_space(low), self.to_kernel_space(high));
        let z = zl + (zh - zl) * rng.random::<f64>();
        self.from_kernel_space(z).clamp(low, high)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    #[test]
    fn bad_bounds_are_refused_with_their_reason() {
        let bad = [
            (
                Prior::Uniform {
                    low: 1.0,
                    high: 1.0,
                },
                "below",
            ),
            (
                Prior::Uniform {
                    low: 2.0,
                    high: 1.0,
                },
                "below",
            ),
            (
                Prior::Uniform {
                    low: f64::NAN,
                    high: 1.0,
                },
                "finite",
            ),
            (
                Prior::LogUniform {
                    low: 0.0,
                    high: 1.0,
                },
                "low > 0",
            ),
            (
                Prior::LogUniform {
                    low: -1.0,
                    high: 1.0,
                },
                "low > 0",
            ),
            (
                Prior::LogUniform {
                    low: 1.0,
                    high: f64::INFINITY,
                },
                "finite",
            ),
        ];
        for (prior, why) in bad {
            let e = prior.validate().unwrap_err().to_string();
            assert!(e.contains(why), "{prior:?}: {e}");
        }
        assert!(Prior::LogUniform {
            low: 1e-3,
            high: 1e3
        }
        .validate()
        .is_ok());
    }

    #[test]
    fn a_log_uniform_draw_is_uniform_in_the_logarithm_and_inside_the_support() {
        let prior = Prior::LogUniform {
            low: 0.01,
            high: 100.0,
        };
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        let draws: Vec<f64> = (0..20_000).map(|_| prior.sample(&mut rng)).collect();
        assert!(draws.iter().all(|&x| prior.contains(x)));
        // Half the mass below the geometric midpoint 1, a quarter below 0.1.
        let below = |t: f64| draws.iter().filter(|&&x| x < t).count() as f64 / draws.len() as f64;
        assert!((below(1.0) - 0.5).abs() < 0.02, "{}", below(1.0));
        assert!((below(0.1) - 0.25).abs() < 0.02, "{}", below(0.1));
        assert!((prior.kernel_space_ln_density() + (1e4f64).ln().ln()).abs() < 1e-12);
    }
}
