//! Summary statistics of one outcome over the replicates of a design point, computed exactly
//! from the collected values in replicate order: n, mean, sd, a t-based 95% confidence interval
//! of the mean, min, max and quantiles (linear interpolation, R's type 7 and numpy's default).

use statrs::distribution::{ContinuousCDF, StudentsT};

#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub n: usize,
    pub mean: f64,
    pub sd: f64,
    pub ci95_low: f64,
    pub ci95_high: f64,
    pub min: f64,
    pub p05: f64,
    pub p25: f64,
    pub median: f64,
    pub p75: f64,
    pub p95: f64,
    pub max: f64,
}

/// The 97.5% quantile of Student's t with `df` degrees of freedom.
pub fn t975(df: usize) -> f64 {
    StudentsT::new(0.0, 1.0, df as f64)
        .map(|t| t.inverse_cdf(0.975))
        .unwrap_or(f64::NAN)
}

/// Mean and its 95% confidence interval; the interval is the mean itself for one value.
pub fn mean_ci(values: &[f64]) -> (f64, f64, f64) {
    let n = values.len();
    let mean = values.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return (mean, mean, mean);
    }
    let sd = sd(values, mean);
    let half = t975(n - 1) * sd / (n as f64).sqrt();
    (mean, mean - half, mean + half)
}

fn sd(values: &[f64], mean: f64) -> f64 {
    let n = values.len();
    if n < 2 {
        return 0.0;
    }
    (values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
}

/// Quantile q of sorted values, type 7.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Summary of the defined values; `None` when no run defined the outcome.
pub fn summarize(values: &[Option<f64>]) -> Option<Summary> {
    let defined: Vec<f64> = values.iter().flatten().copied().collect();
    if defined.is_empty() {
        return None;
    }
    let (mean, ci95_low, ci95_high) = mean_ci(&defined);
    let mut sorted = defined.clone();
    sorted.sort_by(f64::total_cmp);
    Some(Summary {
        n: defined.len(),
        mean,
        sd: sd(&defined, mean),
        ci95_low,
        ci95_high,
        min: sorted[0],
        p05: quantile(&sorted, 0.05),
        p25: quantile(&sorted, 0.25),
        median: quantile(&sorted, 0.5),
        p75: quantile(&sorted, 0.75),
        p95: quantile(&sorted, 0.95),
        max: sorted[sorted.len() - 1],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_matches_hand_computed_values() {
        let s = summarize(&[Some(1.0), None, Some(2.0), Some(3.0), Some(4.0)]).unwrap();
        assert_eq!(s.n, 4);
        assert_eq!(s.mean, 2.5);
        assert!((s.sd - 1.290_994_448_735_805_6).abs() < 1e-12);
        // numpy.percentile([1,2,3,4], 25) = 1.75
        assert_eq!(s.p25, 1.75);
        assert_eq!(s.median, 2.5);
        // t(0.975, 3) = 3.182446305284263
        assert!((s.ci95_high - (2.5 + 3.182_446_305_284_263 * s.sd / 2.0)).abs() < 1e-9);
        assert!(summarize(&[None, None]).is_none());
    }
}
