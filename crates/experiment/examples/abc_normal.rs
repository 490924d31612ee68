//! The normal-mean problem of tests/abc/pyabc_check.py, calibrated by this crate's ABC-SMC:
//! x_1..x_n ~ N(mu, 1) with n = 20, observed mean 1.3, prior mu ~ U(-10, 10), distance
//! |mean(x) - 1.3|, adaptive median tolerances down to a final 0.05 posterior sd, 1000
//! particles. Prints one JSON object: the posterior mean and sd with their Monte Carlo standard
//! errors, the exact ones, and each generation's tolerance.
//!
//! Usage: cargo run --release -p experiment --example abc_normal [-- SEED]

use experiment::abc::{self, AbcError, AbcSettings, Candidate, Generation, Prior};
use rand::{Rng, SeedableRng};
use rand_distr::StandardNormal;
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

/// Observations behind the data set.
const OBSERVATIONS: usize = 20;
/// The observed mean.
const OBSERVED_MEAN: f64 = 1.3;
/// The prior's support.
const PRIOR: (f64, f64) = (-10.0, 10.0);
/// Particles per generation.
const POPULATION: usize = 1000;
/// The final tolerance as a share of the posterior sd.
const FINAL_TOLERANCE_SHARE: f64 = 0.05;
/// The most generations: enough for the tolerance schedule to reach the final one.
const GENERATIONS: usize = 40;
/// The seed unless one is given.
const DEFAULT_SEED: u64 = 11;

fn main() {
    let seed = std::env::args()
        .nth(1)
        .map(|s| s.parse().expect("SEED must be a whole number"))
        .unwrap_or(DEFAULT_SEED);
    let n = OBSERVATIONS as f64;
    let sd = 1.0 / n.sqrt();
    let eps = FINAL_TOLERANCE_SHARE * sd;
    let settings = AbcSettings {
        generations: GENERATIONS,
        final_tolerance: eps,
        min_acceptance: 0.0,
        ..AbcSettings::new(POPULATION, seed)
    };
    let priors = [Prior::Uniform {
        low: PRIOR.0,
        high: PRIOR.1,
    }];
    let mut evaluate = |c: &[Candidate]| -> Vec<f64> {
        c.par_iter()
            .map(|c| {
                let mut r = Xoshiro256PlusPlus::seed_from_u64(c.seed);
                let sum: f64 = (0..OBSERVATIONS)
                    .map(|_| c.theta[0] + r.sample::<f64, _>(StandardNormal))
                    .sum();
                (sum / n - OBSERVED_MEAN).abs()
            })
            .collect()
    };
    let mut tolerances = Vec::new();
    let mut simulations = 0;
    let mut keep = |g: &Generation| -> Result<(), AbcError> {
        tolerances.push(g.tolerance);
        simulations += g.simulations;
        Ok(())
    };
    let done = abc::run(&settings, &priors, None, &mut evaluate, &mut keep).expect("ABC-SMC runs");
    let last = done.last;
    // The ABC posterior at tolerance eps: N(1.3, 1/n) convolved with U(-eps, eps).
    let exact_sd = (sd * sd + eps * eps / 3.0).sqrt();
    let list = |xs: &[f64]| {
        xs.iter()
            .map(|x| {
                if x.is_finite() {
                    x.to_string()
                } else {
                    "null".into()
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "{{\"seed\": {seed}, \"population\": {POPULATION}, \"final_tolerance\": {eps}, \"mean\": {}, \"sd\": {}, \"mean_se\": {}, \"sd_se\": {}, \"ess\": {}, \"exact_mean\": {OBSERVED_MEAN}, \"exact_sd\": {exact_sd}, \"generations\": {}, \"simulations\": {simulations}, \"tolerances\": [{}]}}",
        last.mean()[0],
        last.sd()[0],
        last.mean_standard_error()[0],
        last.sd_standard_error()[0],
        last.ess,
        last.index + 1,
        list(&tolerances)
    );
}
