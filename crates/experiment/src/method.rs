//! A sensitivity method as one trait: its design in the unit cube and the analysis of the model's
//! outputs in the design's row order. Sobol indices (`sobol::Sobol`) and Morris elementary effects
//! (`morris::Morris`) implement it; the caller maps the unit coordinates to its factors' ranges,
//! runs the rows, and hands the outputs back in the same order. A new method is one type that
//! implements this trait.

use crate::sensitivity::SensitivityRow;

/// Bootstrap resamples behind every interval of a method (as SALib's `analyze` is called here).
pub const BOOTSTRAP_RESAMPLES: usize = 1000;

/// The standard normal quantile of a two-sided 95% interval (`scipy.stats.norm.ppf(0.975)`).
pub const Z_95: f64 = 1.959_963_984_540_054;

/// One row of a method's estimates: the factor (or a pair `a:b`) and its values in the order of
/// [`Method::columns`], NaN where undefined.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    pub parameter: String,
    pub values: Vec<f64>,
}

/// The estimates of one output, and how many units of the design (base points, trajectories)
/// they rest on.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub estimates: Vec<Estimate>,
    pub units: u64,
}

/// A sensitivity method: a design in the unit cube and its analysis.
pub trait Method: Sync {
    /// Rows of the design over `k` factors (saturating).
    fn rows(&self, k: usize) -> u64;

    /// Every row of the design over `k` factors in the unit cube, in the order the analysis
    /// reads the outputs; a pure function of `seed`. The caller checks the method's bounds first.
    fn sample(&self, k: usize, seed: u64, row: &mut dyn FnMut(&[f64]));

    /// Names of the estimate columns, in the order of [`Estimate::values`].
    fn columns(&self) -> &'static [&'static str];

    /// Name of the column that counts the design's units ([`Analysis::units`]).
    fn unit(&self) -> &'static str;

    /// Estimates of the factors named by `parameters` from the outputs `y` in the design's row
    /// order; `seed` is the design's (the one given to [`Method::sample`]) and seeds the
    /// bootstrap.
    fn analyze(&self, y: &[f64], parameters: &[String], seed: u64) -> Result<Analysis, String>;

    /// Why the estimates of one outcome (its rows, in order) cannot be told from noise; empty
    /// when they can.
    fn doubts(&self, rows: &[&SensitivityRow]) -> Vec<String>;
}
