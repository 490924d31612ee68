//! Paired comparison of two designs run on common random numbers: replicate r of A and
//! replicate r of B share a seed, so their difference d_r = b_r - a_r carries the change's
//! effect with much of the run-to-run noise cancelled. For one outcome, over the replicates
//! where both runs define it:
//!
//! - the mean difference and its t-based 95% interval, mean(d) +- t(0.975, n-1) sd(d) / sqrt(n);
//! - the correlation of a and b (Pearson), which says how much pairing gains, since
//!   var(d) = var(a) + var(b) - 2 cov(a, b);
//! - the half-width that two independent samples of n runs would give (Welch):
//!   t(0.975, df) sqrt(var(a)/n + var(b)/n), df by Welch-Satterthwaite, for the reader to judge
//!   the gain.

use crate::stats::{mean_ci, t975};

/// The paired difference of one outcome, B minus A.
#[derive(Debug, Clone, PartialEq)]
pub struct Paired {
    /// Pairs where both runs define the outcome.
    pub n: usize,
    pub mean_a: f64,
    pub mean_b: f64,
    /// Mean of b_r - a_r (equal to mean_b - mean_a up to rounding).
    pub difference: f64,
    pub sd: f64,
    pub ci95_low: f64,
    pub ci95_high: f64,
    /// Pearson correlation of a and b over the pairs; NaN if either is constant.
    pub correlation: f64,
    /// Half-width of the Welch 95% interval of mean_b - mean_a from two independent samples of
    /// `n` runs each with these variances.
    pub independent_half_width: f64,
}

/// The paired difference of outcome values `a` and `b` (replicate r of each at index r); `None`
/// when no replicate defines the outcome in both. Statistics that need two pairs are NaN with
/// one.
pub fn paired(a: &[Option<f64>], b: &[Option<f64>]) -> Option<Paired> {
    let pairs: Vec<(f64, f64)> = a
        .iter()
        .zip(b)
        .filter_map(|(x, y)| Some(((*x)?, (*y)?)))
        .collect();
    if pairs.is_empty() {
        return None;
    }
    let n = pairs.len();
    let nf = n as f64;
    let d: Vec<f64> = pairs.iter().map(|(x, y)| y - x).collect();
    let (difference, ci95_low, ci95_high) = mean_ci(&d);
    let mean_a = pairs.iter().map(|p| p.0).sum::<f64>() / nf;
    let mean_b = pairs.iter().map(|p| p.1).sum::<f64>() / nf;
    let (mut saa, mut sbb, mut sab, mut sdd) = (0.0, 0.0, 0.0, 0.0);
    for ((x, y), di) in pairs.iter().zip(&d) {
        saa += (x - mean_a).powi(2);
        sbb += (y - mean_b).powi(2);
        sab += (x - mean_a) * (y - mean_b);
        sdd += (di - difference).powi(2);
    }
    let (sd, independent_half_width) = if n < 2 {
        (f64::NAN, f64::NAN)
    } else {
        let (va, vb) = (saa / (nf - 1.0), sbb / (nf - 1.0));
        let se2 = va / nf + vb / nf;
        // Welch-Satterthwaite degrees of freedom; with both variances 0 the width is 0.
        let df = se2 * se2 / ((va / nf).powi(2) / (nf - 1.0) + (vb / nf).powi(2) / (nf - 1.0));
        let half = if se2 == 0.0 {
            0.0
        } else {
            t975(df.floor().max(1.0) as usize) * se2.sqrt()
        };
        ((sdd / (nf - 1.0)).sqrt(), half)
    };
    let correlation = if saa > 0.0 && sbb > 0.0 {
        sab / (saa * sbb).sqrt()
    } else {
        f64::NAN
    };
    Some(Paired {
        n,
        mean_a,
        mean_b,
        difference,
        sd,
        ci95_low,
        ci95_high,
        correlation,
        independent_half_width,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shift_common_to_every_pair_is_known_exactly() {
        // b = a + 2 on every replicate: the difference has no noise at all, however noisy a is.
        let a = [Some(1.0), Some(5.0), Some(-3.0), Some(10.0)];
        let b: Vec<Option<f64>> = a.iter().map(|x| x.map(|v| v + 2.0)).collect();
        let p = paired(&a, &b).unwrap();
        assert_eq!(p.n, 4);
        assert_eq!(p.difference, 2.0);
        assert_eq!((p.ci95_low, p.ci95_high, p.sd), (2.0, 2.0, 0.0));
        assert!((p.correlation - 1.0).abs() < 1e-9);
        // Two independent samples with these spreads could not tell the shift from zero.
        assert!(p.independent_half_width > 5.0);
    }

    #[test]
    fn the_interval_matches_a_hand_computation() {
        let a = [Some(1.0), Some(2.0), Some(3.0)];
        let b = [Some(2.0), Some(2.0), Some(5.0)];
        let p = paired(&a, &b).unwrap();
        // d = 1, 0, 2: mean 1, sd 1; t(0.975, 2) and t(0.975, 3) from scipy.stats.t.ppf.
        let half = 4.302652729749462 / 3f64.sqrt();
        assert!((p.difference - 1.0).abs() < 1e-15);
        assert!((p.sd - 1.0).abs() < 1e-15);
        assert!((p.ci95_low - (1.0 - half)).abs() < 1e-9);
        assert!((p.ci95_high - (1.0 + half)).abs() < 1e-9);
        // var(a) = 1, var(b) = 3: se = sqrt(4/3), Welch df = (4/3)^2 / ((1/9 + 1)/2) = 3.2 -> 3.
        let welch = 3.1824463052837078 * (4.0f64 / 3.0).sqrt();
        assert!((p.independent_half_width - welch).abs() < 1e-9);
        // Deviations -1, 0, 1 and -1, -1, 2: r = 3 / sqrt(2 * 6).
        assert!((p.correlation - 3.0 / 12f64.sqrt()).abs() < 1e-9);
    }

    #[test]
    fn only_replicates_defined_in_both_are_paired() {
        let a = [Some(1.0), None, Some(3.0), Some(4.0)];
        let b = [Some(1.5), Some(9.0), None, Some(4.5)];
        let p = paired(&a, &b).unwrap();
        assert_eq!(p.n, 2);
        assert_eq!(p.difference, 0.5);
        assert_eq!((p.mean_a, p.mean_b), (2.5, 3.0));
        assert!(paired(&[None, Some(1.0)], &[Some(1.0), None]).is_none());
        let one = paired(&[Some(1.0)], &[Some(3.0)]).unwrap();
        assert_eq!(one.difference, 2.0);
        assert!(one.ci95_low.is_nan() && one.sd.is_nan() && one.independent_half_width.is_nan());
    }
}
