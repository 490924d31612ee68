//! ABC-SMC against posteriors known in closed form (a normal mean, a binomial proportion, an
//! exponential scale under a log-uniform prior), and its determinism: across thread counts,
//! batch sizes, and a break saved to CSV and resumed.
//!
//! The Monte Carlo bounds: a population's posterior mean and sd have the delta-method standard
//! errors of self-normalised importance sampling ([`Generation::mean_standard_error`],
//! [`Generation::sd_standard_error`]). Over 40 seeds of each test below (1000 particles each),
//! the errors divided by
//! them had a standard deviation of 0.9 to 1.15 and none exceeded 2.9, where sd / sqrt(ESS) gave
//! 1.1 to 1.6 (the weights of ABC-SMC grow toward the tails) and, for the skewed posterior's
//! sd, an error of 14.7. Each check allows [`STANDARD_ERRORS`] of them, plus the ABC bias
//! where the final tolerance is not 0; the seeds are fixed, so a check that passes passes
//! always.

use experiment::abc::{
    self, read_generation, write_generation, AbcError, AbcSettings, Candidate, Generation, Prior,
    Stop,
};
use rand::{Rng, SeedableRng};
use rand_distr::{Exp1, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

/// Standard errors each estimate may stray from the exact value: a chance of about 6e-5 of
/// failing for a seed drawn at random, were the errors normal.
const STANDARD_ERRORS: f64 = 4.0;

/// Observations behind each data set.
const OBSERVATIONS: usize = 20;

/// The final tolerance of the continuous tests as a share of the posterior's standard
/// deviation (in the distance's units): small enough that the ABC posterior's extra variance,
/// eps^2 / 3, moves its sd by 0.04%.
const FINAL_TOLERANCE_SHARE: f64 = 0.05;

/// Particles of the posterior checks.
const POPULATION: usize = 1000;

/// Particles of the log-uniform check: twice as many, so that the bounds tell the right
/// posterior from one with the log-space Jacobian wrong.
const LOG_POPULATION: usize = 2000;

fn rng(seed: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(seed)
}

/// Settings of the posterior checks: a run ends on its final tolerance, not on the acceptance
/// floor or the generation count.
fn settings(population: usize, final_tolerance: f64, seed: u64) -> AbcSettings {
    AbcSettings {
        generations: 40,
        final_tolerance,
        min_acceptance: 0.0,
        ..AbcSettings::new(population, seed)
    }
}

/// The evaluator of `distance`, run in parallel on the current rayon pool.
fn parallel(distance: impl Fn(&Candidate) -> f64 + Sync) -> impl FnMut(&[Candidate]) -> Vec<f64> {
    move |candidates: &[Candidate]| candidates.par_iter().map(&distance).collect()
}

/// Runs to the end and returns the last generation, checking it stopped for `expected`.
fn calibrate(
    settings: &AbcSettings,
    priors: &[Prior],
    distance: impl Fn(&Candidate) -> f64 + Sync,
    expected: Stop,
) -> Generation {
    let mut evaluate = parallel(distance);
    let mut trace = |g: &Generation| -> Result<(), AbcError> {
        println!(
            "generation {}: tolerance {:.5}, draws {}, simulations {}, ESS {:.0}, mean {:?}",
            g.index,
            g.tolerance,
            g.draws,
            g.simulations,
            g.ess,
            g.mean()
        );
        Ok(())
    };
    let done = abc::run(settings, priors, None, &mut evaluate, &mut trace).unwrap();
    assert_eq!(done.stop, expected);
    done.last
}

/// Checks a one-parameter posterior's mean and sd against the exact ones, allowing
/// [`STANDARD_ERRORS`] Monte Carlo standard errors plus `sd_bias` (relative) for the sd.
fn check_posterior(last: &Generation, mean: f64, sd: f64, sd_bias: f64) {
    let (got_mean, got_sd) = (last.mean()[0], last.sd()[0]);
    let mean_bound = STANDARD_ERRORS * last.mean_standard_error()[0];
    let sd_bound = STANDARD_ERRORS * last.sd_standard_error()[0] + sd_bias * sd;
    println!(
        "posterior mean {got_mean:.5} vs {mean:.5} (bound {mean_bound:.5}), \
         sd {got_sd:.5} vs {sd:.5} (bound {sd_bound:.5}), ESS {:.0}",
        last.ess
    );
    assert!((got_mean - mean).abs() < mean_bound);
    assert!((got_sd - sd).abs() < sd_bound);
}

#[test]
fn a_normal_mean_under_a_flat_prior_has_the_exact_posterior() {
    // x_1..x_n ~ N(mu, 1), observed mean 1.3; prior U(-10, 10), which truncates N(1.3, 1/n)
    // 50 sd from its mean (nothing). Posterior N(xbar, 1/n). The ABC posterior at tolerance eps
    // is that convolved with U(-eps, eps): the same mean, variance 1/n + eps^2 / 3.
    let observed_mean = 1.3;
    let sd = 1.0 / (OBSERVATIONS as f64).sqrt();
    let eps = FINAL_TOLERANCE_SHARE * sd;
    let priors = [Prior::Uniform {
        low: -10.0,
        high: 10.0,
    }];
    let last = calibrate(
        &settings(POPULATION, eps, 11),
        &priors,
        |c| {
            let mut r = rng(c.seed);
            let sum: f64 = (0..OBSERVATIONS)
                .map(|_| c.theta[0] + r.sample::<f64, _>(StandardNormal))
                .sum();
            (sum / OBSERVATIONS as f64 - observed_mean).abs()
        },
        Stop::FinalTolerance,
    );
    assert_eq!(last.tolerance, eps);
    let abc_bias = (1.0 + eps * eps / 3.0 / (sd * sd)).sqrt() - 1.0;
    check_posterior(&last, observed_mean, sd, abc_bias);
}

#[test]
fn a_binomial_proportion_at_tolerance_zero_has_the_beta_posterior() {
    // k = 6 successes in n = 20, p ~ U(0, 1): matching k exactly gives Beta(k + 1, n - k + 1).
    let (n, k) = (OBSERVATIONS as f64, 6.0);
    let (a, b) = (k + 1.0, n - k + 1.0);
    let mean = a / (a + b);
    let sd = (a * b / ((a + b).powi(2) * (a + b + 1.0))).sqrt();
    let priors = [Prior::Uniform {
        low: 0.0,
        high: 1.0,
    }];
    let last = calibrate(
        &settings(POPULATION, 0.0, 12),
        &priors,
        |c| {
            let mut r = rng(c.seed);
            let successes = (0..OBSERVATIONS)
                .filter(|_| r.random::<f64>() < c.theta[0])
                .count();
            (successes as f64 - k).abs() / n
        },
        Stop::FinalTolerance,
    );
    assert_eq!(last.tolerance, 0.0);
    assert!(last.particles.iter().all(|p| p.distance == 0.0));
    check_posterior(&last, mean, sd, 0.0);
}

#[test]
fn an_exponential_scale_under_a_log_uniform_prior_has_the_inverse_gamma_posterior() {
    // x_1..x_n ~ Exp(scale s), observed mean 2; prior log-uniform on [0.01, 100], density 1/s.
    // Likelihood s^-n exp(-S / s), S = n xbar: the posterior is inverse gamma of shape n and
    // scale S (truncation at 100 removes nothing), mean S / (n - 1), sd mean / sqrt(n - 2).
    // Weights off by the log-space Jacobian (a factor s either way) would give shape n - 1 or
    // n + 1: a mean 5% higher or lower, 0.2 posterior sd, about 7 standard errors of 2000
    // particles.
    let observed_mean = 2.0;
    let n = OBSERVATIONS as f64;
    let total = n * observed_mean;
    let mean = total / (n - 1.0);
    let sd = mean / (n - 2.0).sqrt();
    // The distance is on the log of the mean, whose posterior sd is about 1 / sqrt(n).
    let eps = FINAL_TOLERANCE_SHARE / n.sqrt();
    let priors = [Prior::LogUniform {
        low: 0.01,
        high: 100.0,
    }];
    let last = calibrate(
        &settings(LOG_POPULATION, eps, 13),
        &priors,
        |c| {
            let mut r = rng(c.seed);
            let sum: f64 = (0..OBSERVATIONS)
                .map(|_| c.theta[0] * r.sample::<f64, _>(Exp1))
                .sum();
            ((sum / n).ln() - observed_mean.ln()).abs()
        },
        Stop::FinalTolerance,
    );
    let abc_bias = (1.0 + eps * eps / 3.0 * n).sqrt() - 1.0;
    check_posterior(&last, mean, sd, abc_bias);
}

/// A two-parameter problem for the determinism checks: the mean (uniform prior) and the sd
/// (log-uniform prior) of a normal sample, matched on its mean and log sd.
fn two_parameters() -> ([Prior; 2], impl Fn(&Candidate) -> f64 + Sync + Copy) {
    let priors = [
        Prior::Uniform {
            low: -5.0,
            high: 5.0,
        },
        Prior::LogUniform {
            low: 0.1,
            high: 10.0,
        },
    ];
    let distance = |c: &Candidate| {
        let mut r = rng(c.seed);
        let x: Vec<f64> = (0..OBSERVATIONS)
            .map(|_| c.theta[0] + c.theta[1] * r.sample::<f64, _>(StandardNormal))
            .collect();
        let m = x.iter().sum::<f64>() / x.len() as f64;
        let v = x.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (x.len() - 1) as f64;
        ((m - 0.5).powi(2) + (0.5 * v.ln() - 1.5f64.ln()).powi(2)).sqrt()
    };
    (priors, distance)
}

fn small_settings(batch: usize) -> AbcSettings {
    AbcSettings {
        generations: 5,
        batch,
        ..AbcSettings::new(200, 21)
    }
}

/// Every generation of a run on a pool of `threads` threads, and the batch sizes the
/// evaluator saw.
fn generations_on(threads: usize, settings: &AbcSettings) -> (Vec<Generation>, Vec<usize>) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let (priors, distance) = two_parameters();
    let mut batches = Vec::new();
    let mut evaluate = |c: &[Candidate]| {
        batches.push(c.len());
        pool.install(|| c.par_iter().map(distance).collect())
    };
    let mut all = Vec::new();
    let mut keep = |g: &Generation| -> Result<(), AbcError> {
        all.push(g.clone());
        Ok(())
    };
    let done = pool
        .install(|| abc::run(settings, &priors, None, &mut evaluate, &mut keep))
        .unwrap();
    assert_eq!(done.stop, Stop::Generations);
    (all, batches)
}

#[test]
fn generations_are_the_same_on_one_thread_and_four_and_for_any_batch_size() {
    let settings = small_settings(37);
    let (one, one_batches) = generations_on(1, &settings);
    let (four, four_batches) = generations_on(4, &settings);
    assert_eq!(one.len(), 5);
    assert_eq!(one, four);
    assert_eq!(one_batches, four_batches);
    // Batches of 37 draws: no batch holds more than 37 candidates (fewer where proposals fell
    // outside the prior).
    assert!(one_batches.iter().all(|&b| b <= 37));
    // The tolerance falls and the population narrows.
    assert!(one.windows(2).all(|w| w[1].tolerance < w[0].tolerance));
    assert!(one[4].sd()[0] < 0.5 * one[1].sd()[0]);
    // Another batch size: the same particles and draws, other simulation counts.
    let (other, _) = generations_on(4, &small_settings(64));
    for (a, b) in one.iter().zip(&other) {
        assert_eq!(a.particles, b.particles);
        assert_eq!((a.draws, a.tolerance), (b.draws, b.tolerance));
    }
    assert_ne!(
        one.iter().map(|g| g.simulations).collect::<Vec<_>>(),
        other.iter().map(|g| g.simulations).collect::<Vec<_>>()
    );
    // Another seed: other particles.
    let (reseeded, _) = generations_on(
        4,
        &AbcSettings {
            seed: 22,
            ..settings
        },
    );
    assert_ne!(one[0].particles, reseeded[0].particles);
}

fn csv_bytes(g: &Generation) -> Vec<u8> {
    let mut bytes = Vec::new();
    write_generation(&mut bytes, g, &["mean", "sd"]).unwrap();
    bytes
}

#[test]
fn a_run_resumed_from_a_saved_generation_continues_byte_for_byte() {
    let (priors, distance) = two_parameters();
    let straight = AbcSettings {
        generations: 4,
        ..small_settings(50)
    };
    let mut evaluate = parallel(distance);
    let mut saved: Vec<Vec<u8>> = Vec::new();
    let mut save = |g: &Generation| -> Result<(), AbcError> {
        saved.push(csv_bytes(g));
        Ok(())
    };
    abc::run(&straight, &priors, None, &mut evaluate, &mut save).unwrap();
    assert_eq!(saved.len(), 4);

    // Two generations, then a break: only the table of generation 1 survives.
    let first_half = AbcSettings {
        generations: 2,
        ..straight.clone()
    };
    let mut last_table = Vec::new();
    let mut save_last = |g: &Generation| -> Result<(), AbcError> {
        last_table = csv_bytes(g);
        Ok(())
    };
    let done = abc::run(&first_half, &priors, None, &mut evaluate, &mut save_last).unwrap();
    assert_eq!(done.stop, Stop::Generations);
    let resumed_from = read_generation(&last_table[..], &["mean", "sd"]).unwrap();
    assert_eq!(resumed_from, done.last);
    let mut resumed: Vec<Vec<u8>> = Vec::new();
    let mut save_resumed = |g: &Generation| -> Result<(), AbcError> {
        resumed.push(csv_bytes(g));
        Ok(())
    };
    abc::run(
        &straight,
        &priors,
        Some(resumed_from),
        &mut evaluate,
        &mut save_resumed,
    )
    .unwrap();
    assert_eq!(resumed.len(), 2);
    assert_eq!(last_table, saved[1]);
    assert_eq!(resumed[..], saved[2..]);
}

#[test]
fn proposals_outside_the_prior_are_draws_not_simulations() {
    // k = 0 of 20: the posterior Beta(1, 21) presses on p = 0, so perturbations often fall
    // below it. With batches of one there is no surplus: every simulation is a candidate up to
    // the last accepted, and the draws outnumber them.
    let priors = [Prior::Uniform {
        low: 0.0,
        high: 1.0,
    }];
    let settings = AbcSettings {
        generations: 3,
        batch: 1,
        ..AbcSettings::new(100, 5)
    };
    let mut evaluate = parallel(|c: &Candidate| {
        let mut r = rng(c.seed);
        (0..OBSERVATIONS)
            .filter(|_| r.random::<f64>() < c.theta[0])
            .count() as f64
    });
    let mut counts = Vec::new();
    let mut keep = |g: &Generation| -> Result<(), AbcError> {
        counts.push((g.draws, g.simulations));
        Ok(())
    };
    abc::run(&settings, &priors, None, &mut evaluate, &mut keep).unwrap();
    assert_eq!(counts.len(), 3);
    assert_eq!(counts[0].0, counts[0].1);
    assert!(
        counts[1..].iter().all(|(draws, sims)| sims < draws),
        "{counts:?}"
    );
}

#[test]
fn bad_settings_and_priors_are_errors() {
    let priors = [Prior::Uniform {
        low: 0.0,
        high: 1.0,
    }];
    let good = AbcSettings::new(10, 1);
    assert!(good.validate().is_ok());
    let bad = [
        AbcSettings {
            population: 1,
            ..good.clone()
        },
        AbcSettings {
            generations: 0,
            ..good.clone()
        },
        AbcSettings {
            batch: 0,
            ..good.clone()
        },
        AbcSettings {
            quantile: 0.0,
            ..good.clone()
        },
        AbcSettings {
            quantile: 1.5,
            ..good.clone()
        },
        AbcSettings {
            final_tolerance: -1.0,
            ..good.clone()
        },
        AbcSettings {
            final_tolerance: f64::NAN,
            ..good.clone()
        },
        AbcSettings {
            initial_tolerance: 0.5,
            final_tolerance: 1.0,
            ..good.clone()
        },
        AbcSettings {
            min_acceptance: 2.0,
            ..good.clone()
        },
        AbcSettings {
            max_draws_per_generation: 9,
            ..good.clone()
        },
    ];
    let mut never = |_: &[Candidate]| -> Vec<f64> { panic!("nothing is simulated") };
    for settings in &bad {
        let e = abc::next_generation(settings, &priors, None, &mut never).unwrap_err();
        assert!(matches!(e, AbcError::Settings(_)), "{settings:?}: {e}");
    }
    let e = abc::next_generation(&good, &[], None, &mut never).unwrap_err();
    assert!(matches!(e, AbcError::NoParameters));
    let inverted = [
        priors[0],
        Prior::LogUniform {
            low: 0.0,
            high: 1.0,
        },
    ];
    let e = abc::next_generation(&good, &inverted, None, &mut never).unwrap_err();
    assert!(e.to_string().contains("parameter 1"), "{e}");
    let many = vec![priors[0]; 10];
    let e = abc::next_generation(&good, &many, None, &mut never).unwrap_err();
    assert!(matches!(e, AbcError::PopulationTooSmall { .. }), "{e}");

    // An evaluator that answers for too few candidates.
    let mut short = |c: &[Candidate]| vec![0.0; c.len() - 1];
    let e = abc::next_generation(&good, &priors, None, &mut short).unwrap_err();
    assert!(matches!(e, AbcError::EvaluatorLength { .. }), "{e}");
}

#[test]
fn an_exhausted_draw_budget_is_an_error_first_and_a_stop_later() {
    let priors = [Prior::Uniform {
        low: 0.0,
        high: 1.0,
    }];
    let settings = AbcSettings {
        initial_tolerance: 0.5,
        max_draws_per_generation: 40,
        batch: 8,
        ..AbcSettings::new(10, 3)
    };
    let mut ignore = |_: &Generation| -> Result<(), AbcError> { Ok(()) };
    // Generation 0 accepts theta <= 0.5 at distance theta; 40 draws give about 20.
    let mut evaluate = parallel(|c: &Candidate| c.theta[0]);
    let first = abc::next_generation(&settings, &priors, None, &mut evaluate).unwrap();
    assert_eq!(first.accepted, 10);
    assert!(first.particles.iter().all(|p| p.theta[0] <= 0.5));
    // Later, nothing is near enough (a NaN distance is never accepted).
    let mut far = |c: &[Candidate]| vec![f64::NAN; c.len()];
    let e = abc::next_generation(&settings, &priors, Some(&first), &mut far).unwrap_err();
    assert!(
        matches!(
            e,
            AbcError::DrawBudget {
                generation: 1,
                draws: 40,
                accepted: 0,
                ..
            }
        ),
        "{e}"
    );
    let done = abc::run(
        &settings,
        &priors,
        Some(first.clone()),
        &mut far,
        &mut ignore,
    )
    .unwrap();
    assert_eq!(done.last, first);
    assert!(matches!(done.stop, Stop::DrawBudget { generation: 1, .. }));
    // In generation 0 the budget is an error: there is no generation to end on.
    let mut far = |c: &[Candidate]| vec![1.0; c.len()];
    let e = abc::run(&settings, &priors, None, &mut far, &mut ignore).unwrap_err();
    assert!(
        matches!(e, AbcError::DrawBudget { generation: 0, .. }),
        "{e}"
    );
}
