//! Summary statistics of one outcome over the replicates of a design point, computed exactly
//! from the collected values in replicate order: n, mean, sd, a t-based 95% confidence interval
//! of the mean, min, max and quantiles (linear interpolation, R's type 7 and numpy's default).
//! With one value the standard deviation and the interval are undefined (NaN, an empty cell).

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

/// Mean and its 95% confidence interval; the interval is undefined (NaN) for fewer than two values.
pub fn mean_ci(values: &[f64]) -> (f64, f64, f64) {
    let n = values.len();
    let mean = values.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return (mean, f64::NAN, f64::NAN);
    }
    let sd = sd(values, mean);
    let half = t975(n - 1) * sd / (n as f64).sqrt();
    (mean, mean - half, mean + half)
}

fn sd(values: &[f64], mean: f64) -> f64 {
    let n = values.len();
    if n < 2 {
        return f64::NAN;
    }
    (values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
}

/// The quantile `percent`/100 of sorted values, type 7: the position h = (n - 1) p / 100 is found
/// in whole numbers, so the interpolation weight r / 100 is exact and a quantile halfway between
/// 60 and 75 prints as 67.5 (numpy, which forms h in floating point, can give 67.49999999999999;
/// the two agree to the last binary digit or two).
pub fn quantile(sorted: &[f64], percent: u32) -> f64 {
    assert!(percent <= 100, "a quantile is a percent from 0 to 100");
    let position = (sorted.len() - 1) * percent as usize;
    let lo = position / 100;
    let r = (position % 100) as f64;
    if r == 0.0 {
        return sorted[lo];
    }
    let (a, b) = (sorted[lo], sorted[lo + 1]);
    (a + (b - a) * r / 100.0).clamp(a, b)
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
        p05: quantile(&sorted, 5),
        p25: quantile(&sorted, 25),
        median: quantile(&sorted, 50),
        p75: quantile(&sorted, 75),
        p95: quantile(&sorted, 95),
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

    #[test]
    fn one_value_has_no_sd_or_interval() {
        let s = summarize(&[Some(3.0)]).unwrap();
        assert_eq!((s.n, s.mean, s.median), (1, 3.0, 3.0));
        assert!(s.sd.is_nan() && s.ci95_low.is_nan() && s.ci95_high.is_nan());
    }

    #[test]
    fn quantiles_with_an_exact_weight_print_as_short_decimals() {
        // h = 18 x 0.95 = 17.1: numpy, forming h in floating point, gives 188.24999999999997.
        let values: Vec<f64> = (0..19).map(|i| 60.0 + 7.5 * i as f64).collect();
        assert_eq!(quantile(&values, 95), 188.25);
        assert_eq!(quantile(&[60.0, 70.0], 75), 67.5);
        assert_eq!(quantile(&[0.1, 0.1, 0.1], 30), 0.1);
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 100), 4.0);
    }
}
