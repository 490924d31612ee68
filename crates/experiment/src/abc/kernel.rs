//! The perturbation kernel of ABC-SMC: a multivariate normal centred on an ancestor particle,
//! with covariance [`KERNEL_VARIANCE_FACTOR`] times the weighted empirical covariance of the
//! previous population (Beaumont et al. 2009), all in kernel space. The covariance is factored
//! by a Cholesky decomposition written here (dimensions of tens: no linear-algebra crate is
//! needed); the factor draws the perturbations and whitens points for the kernel's density.

use rand::Rng;
use rand_distr::StandardNormal;

/// The kernel's covariance as a multiple of the population's weighted covariance: 2, the value
/// Beaumont et al. (2009) show minimises the Kullback-Leibler divergence between the proposal
/// and the next target.
pub const KERNEL_VARIANCE_FACTOR: f64 = 2.0;

/// A Cholesky pivot at or below this share of its diagonal entry means the covariance is
/// singular to rounding (a parameter without spread, or one that is a combination of others).
const SINGULAR_PIVOT_SHARE: f64 = 1e-12;

/// The weighted covariance of `points` (rows of equal length, weights summing to one), without
/// small-sample correction: sum_i w_i (z_i - m)(z_i - m)^T with m = sum_i w_i z_i. Row-major,
/// d x d.
pub fn weighted_covariance(points: &[Vec<f64>], weights: &[f64]) -> Vec<f64> {
    let d = points.first().map_or(0, Vec::len);
    let mut mean = vec![0.0; d];
    for (z, w) in points.iter().zip(weights) {
        for (m, x) in mean.iter_mut().zip(z) {
            *m += w * x;
        }
    }
    let mut covariance = vec![0.0; d * d];
    let mut centred = vec![0.0; d];
    for (z, w) in points.iter().zip(weights) {
        for ((c, x), m) in centred.iter_mut().zip(z).zip(&mean) {
            *c = x - m;
        }
        for a in 0..d {
            for b in 0..=a {
                covariance[a * d + b] += w * centred[a] * centred[b];
            }
        }
    }
    for a in 0..d {
        for b in 0..a {
            covariance[b * d + a] = covariance[a * d + b];
        }
    }
    covariance
}

/// The lower Cholesky factor L (row-major, L L^T = `a`) of the symmetric d x d matrix `a`, or
/// `None` if it is not positive definite to rounding.
pub fn cholesky(a: &[f64], d: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; d * d];
    for i in 0..d {
        for j in 0..=i {
            let dot: f64 = (0..j).map(|k| l[i * d + k] * l[j * d + k]).sum();
            if i == j {
                let pivot = a[i * d + i] - dot;
                if !pivot.is_finite() || pivot <= SINGULAR_PIVOT_SHARE * a[i * d + i] {
                    return None;
                }
                l[i * d + i] = pivot.sqrt();
            } else {
                l[i * d + j] = (a[i * d + j] - dot) / l[j * d + j];
            }
        }
    }
    Some(l)
}

/// The multivariate normal kernel: its covariance's lower Cholesky factor.
#[derive(Debug, Clone)]
pub struct Kernel {
    dim: usize,
    lower: Vec<f64>,
}

impl Kernel {
    /// The kernel of covariance [`KERNEL_VARIANCE_FACTOR`] times the weighted covariance of
    /// `points`, or `None` if that is singular.
    pub fn fit(points: &[Vec<f64>], weights: &[f64]) -> Option<Kernel> {
        let dim = points.first().map_or(0, Vec::len);
        let covariance: Vec<f64> = weighted_covariance(points, weights)
            .into_iter()
            .map(|c| KERNEL_VARIANCE_FACTOR * c)
            .collect();
        cholesky(&covariance, dim).map(|lower| Kernel { dim, lower })
    }

    /// `centre` plus a normal perturbation L e, e standard normal (drawn in dimension order).
    pub fn perturb(&self, centre: &[f64], rng: &mut impl Rng) -> Vec<f64> {
        let d = self.dim;
        let e: Vec<f64> = (0..d).map(|_| rng.sample(StandardNormal)).collect();
        (0..d)
            .map(|i| centre[i] + (0..=i).map(|k| self.lower[i * d + k] * e[k]).sum::<f64>())
            .collect()
    }

    /// L^-1 z by forward substitution: the squared distance between two whitened points is the
    /// Mahalanobis distance of the kernel, so its density is exp(-|y_i - y_j|^2 / 2) up to a
    /// constant shared by every pair.
    pub fn whiten(&self, z: &[f64]) -> Vec<f64> {
        let d = self.dim;
        let mut y = vec![0.0; d];
        for i in 0..d {
            let dot: f64 = (0..i).map(|k| self.lower[i * d + k] * y[k]).sum();
            y[i] = (z[i] - dot) / self.lower[i * d + i];
        }
        y
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    #[test]
    fn cholesky_factors_a_known_matrix_and_refuses_a_singular_one() {
        let a = [4.0, 2.0, 0.4, 2.0, 2.0, 0.5, 0.4, 0.5, 3.0];
        let l = cholesky(&a, 3).unwrap();
        for i in 0..3 {
            for j in 0..3 {
                let back: f64 = (0..3).map(|k| l[i * 3 + k] * l[j * 3 + k]).sum();
                assert!((back - a[i * 3 + j]).abs() < 1e-12);
            }
        }
        assert_eq!(&l[..2], &[2.0, 0.0]);
        // The second row is twice the first.
        assert!(cholesky(&[1.0, 2.0, 2.0, 4.0], 2).is_none());
        assert!(cholesky(&[0.0], 1).is_none());
    }

    #[test]
    fn perturbations_have_twice_the_population_covariance() {
        // A population whose weighted covariance is [[1, 0.5], [0.5, 1]] (four points, equal
        // weights, around the origin).
        let s = 0.5f64.sqrt();
        let (a, b) = ((1.5f64).sqrt(), s);
        let points = vec![vec![a, a], vec![-a, -a], vec![b, -b], vec![-b, b]];
        let weights = [0.25; 4];
        let c = weighted_covariance(&points, &weights);
        for (got, want) in c.iter().zip([1.0, 0.5, 0.5, 1.0]) {
            assert!((got - want).abs() < 1e-12, "{c:?}");
        }
        let kernel = Kernel::fit(&points, &weights).unwrap();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let n = 40_000;
        let draws: Vec<Vec<f64>> = (0..n)
            .map(|_| kernel.perturb(&[10.0, -10.0], &mut rng))
            .collect();
        let got = weighted_covariance(&draws, &vec![1.0 / n as f64; n]);
        // Sampling error of a variance of 2 from 40 000 draws: sd 2 sqrt(2 / n) = 0.014.
        for (got, want) in got.iter().zip([2.0, 1.0, 1.0, 2.0]) {
            assert!((got - want).abs() < 0.06, "{got} vs {want}");
        }
        // Whitening undoes the factor.
        let y = kernel.whiten(&[1.0, 2.0]);
        let l = &kernel.lower;
        assert!((l[0] * y[0] - 1.0).abs() < 1e-12);
        assert!((l[2] * y[0] + l[3] * y[1] - 2.0).abs() < 1e-12);
    }
}
