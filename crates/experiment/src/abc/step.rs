//! One generation of ABC-SMC from the previous one (or from the prior): the candidates'
//! proposals, their evaluation in batches, acceptance in candidate order, and the importance
//! weights of Beaumont et al. (2009).

use super::kernel::Kernel;
use super::population::{effective_sample_size, weighted_quantile};
use super::{
    proposal_seed, simulation_seed, AbcError, AbcSettings, Candidate, Generation, Particle, Prior,
};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

/// Where a generation's candidates come from.
enum Proposal {
    /// Generation 0: the prior.
    Prior,
    /// A later generation: the previous population, perturbed.
    Perturbation(Perturbation),
}

/// The previous population as a proposal: its particles in kernel space, their cumulative
/// weights (to pick ancestors), the kernel, and the particles whitened by the kernel with the
/// logarithms of their weights (for the new weights' denominators).
struct Perturbation {
    ancestors: Vec<Vec<f64>>,
    cumulative: Vec<f64>,
    kernel: Kernel,
    whitened: Vec<Vec<f64>>,
    ln_weights: Vec<f64>,
}

fn to_kernel_space(priors: &[Prior], theta: &[f64]) -> Vec<f64> {
    priors
        .iter()
        .zip(theta)
        .map(|(p, &x)| p.to_kernel_space(x))
        .collect()
}

impl Perturbation {
    /// From the previous generation's particles and their `weights`, normalised.
    fn fit(
        previous: &Generation,
        weights: &[f64],
        priors: &[Prior],
        generation: usize,
    ) -> Result<Self, AbcError> {
        let ancestors: Vec<Vec<f64>> = previous
            .particles
            .iter()
            .map(|p| to_kernel_space(priors, &p.theta))
            .collect();
        let kernel =
            Kernel::fit(&ancestors, weights).ok_or(AbcError::SingularCovariance { generation })?;
        let cumulative = weights
            .iter()
            .scan(0.0, |sum, w| {
                *sum += w;
                Some(*sum)
            })
            .collect();
        let whitened = ancestors.iter().map(|z| kernel.whiten(z)).collect();
        let ln_weights = weights.iter().map(|w| w.ln()).collect();
        Ok(Perturbation {
            ancestors,
            cumulative,
            kernel,
            whitened,
            ln_weights,
        })
    }

    /// An ancestor with probability proportional to its weight, perturbed; `None` if the result
    /// falls outside the prior's support.
    fn propose(&self, priors: &[Prior], rng: &mut Xoshiro256PlusPlus) -> Option<Vec<f64>> {
        let total = *self.cumulative.last().expect("a population is never empty");
        let u = rng.random::<f64>() * total;
        let j = self
            .cumulative
            .partition_point(|&c| c <= u)
            .min(self.cumulative.len() - 1);
        let z = self.kernel.perturb(&self.ancestors[j], rng);
        let theta: Vec<f64> = priors
            .iter()
            .zip(&z)
            .map(|(p, &z)| p.from_kernel_space(z))
            .collect();
        priors
            .iter()
            .zip(&theta)
            .all(|(p, &x)| p.contains(x))
            .then_some(theta)
    }

    /// ln of w_i before normalisation: ln pi(z_i) - ln sum_j w_j K(z_i | z_j), the kernel's
    /// constant factor left out (normalising removes it), the sum taken as a log-sum-exp.
    fn ln_weight(&self, priors: &[Prior], theta: &[f64]) -> f64 {
        let y = self.kernel.whiten(&to_kernel_space(priors, theta));
        let exponents: Vec<f64> = self
            .whitened
            .iter()
            .zip(&self.ln_weights)
            .map(|(a, ln_w)| {
                ln_w - 0.5 * a.iter().zip(&y).map(|(a, y)| (a - y).powi(2)).sum::<f64>()
            })
            .collect();
        let top = exponents.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let ln_denominator = top + exponents.iter().map(|e| (e - top).exp()).sum::<f64>().ln();
        prior_ln_density(priors) - ln_denominator
    }
}

/// The tolerance after `previous`, from the quantile of the previous distances: the quantile
/// itself if it is below `previous`, else (ties at the top of discrete distances, such as counts,
/// where the quantile is the tolerance itself and would be forever) the largest distance below
/// `previous`, or `previous` if there is none.
fn next_tolerance(quantile: f64, previous: f64, distances: &[f64]) -> f64 {
    if quantile < previous {
        return quantile;
    }
    distances
        .iter()
        .copied()
        .filter(|&d| d < previous)
        .fold(None, |top: Option<f64>, d| {
            Some(top.map_or(d, |t| t.max(d)))
        })
        .unwrap_or(previous)
}

/// The prior's log density in kernel space, the same at every point of the support.
fn prior_ln_density(priors: &[Prior]) -> f64 {
    priors.iter().map(Prior::kernel_space_ln_density).sum()
}

/// Valid settings and priors, and a population larger than the parameter count.
fn check(settings: &AbcSettings, priors: &[Prior]) -> Result<(), AbcError> {
    settings.validate()?;
    if priors.is_empty() {
        return Err(AbcError::NoParameters);
    }
    for (index, prior) in priors.iter().enumerate() {
        prior
            .validate()
            .map_err(|error| AbcError::Prior { index, error })?;
    }
    if settings.population <= priors.len() {
        return Err(AbcError::PopulationTooSmall {
            population: settings.population,
            parameters: priors.len(),
        });
    }
    Ok(())
}

/// A previous generation the priors can step from: a tolerance, and every particle with one
/// value per prior, inside the support, a weight at least 0, and some weight in all.
fn check_previous(previous: &Generation, priors: &[Prior]) -> Result<(), AbcError> {
    let bad = |why: String| Err(AbcError::Previous(why));
    if previous.particles.is_empty() {
        return bad("no particles".into());
    }
    if previous.tolerance.is_nan() {
        return bad("its tolerance is NaN".into());
    }
    for (i, p) in previous.particles.iter().enumerate() {
        if p.theta.len() != priors.len() {
            return bad(format!(
                "particle {i} has {} parameters for {} priors",
                p.theta.len(),
                priors.len()
            ));
        }
        if let Some(d) = (0..priors.len()).find(|&d| !priors[d].contains(p.theta[d])) {
            return bad(format!(
                "particle {i}'s parameter {d}, {}, is outside its prior",
                p.theta[d]
            ));
        }
        if !(p.weight.is_finite() && p.weight >= 0.0) {
            return bad(format!(
                "particle {i}'s weight {} is not a weight",
                p.weight
            ));
        }
    }
    if previous.particles.iter().all(|p| p.weight == 0.0) {
        return bad("every weight is 0".into());
    }
    Ok(())
}

/// The generation after `previous` (generation 0 from the prior if `None`). `evaluate` receives
/// the candidates of each batch inside the prior's support, in candidate order, and returns
/// their distances in that order (it may simulate them in parallel, or on other machines). The
/// result depends only on the settings, the priors, `previous` and the distances: see the
/// module documentation for the algorithm.
pub fn next_generation(
    settings: &AbcSettings,
    priors: &[Prior],
    previous: Option<&Generation>,
    evaluate: &mut dyn FnMut(&[Candidate]) -> Vec<f64>,
) -> Result<Generation, AbcError> {
    check(settings, priors)?;
    let (index, tolerance, proposal) = match previous {
        None => (0, settings.initial_tolerance, Proposal::Prior),
        Some(previous) => {
            check_previous(previous, priors)?;
            let index = previous.index + 1;
            let distances: Vec<f64> = previous.particles.iter().map(|p| p.distance).collect();
            // Normalised again, in case the weights were not saved by this module.
            let total: f64 = previous.particles.iter().map(|p| p.weight).sum();
            let weights: Vec<f64> = previous
                .particles
                .iter()
                .map(|p| p.weight / total)
                .collect();
            let tolerance = next_tolerance(
                weighted_quantile(&distances, &weights, settings.quantile),
                previous.tolerance,
                &distances,
            )
            .max(settings.final_tolerance);
            let perturbation = Perturbation::fit(previous, &weights, priors, index)?;
            (index, tolerance, Proposal::Perturbation(perturbation))
        }
    };
    let propose = |k: u64| -> Option<Vec<f64>> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(proposal_seed(settings.seed, index, k));
        match &proposal {
            Proposal::Prior => Some(priors.iter().map(|p| p.sample(&mut rng)).collect()),
            Proposal::Perturbation(perturbation) => perturbation.propose(priors, &mut rng),
        }
    };

    let population = settings.population;
    let budget = settings.max_draws_per_generation;
    let mut particles: Vec<Particle> = Vec::with_capacity(population);
    let mut simulations = 0u64;
    let mut next = 0u64;
    let mut draws = 0u64;
    while particles.len() < population {
        if next >= budget {
            return Err(AbcError::DrawBudget {
                generation: index,
                draws: next,
                accepted: particles.len(),
                population,
            });
        }
        let end = next.saturating_add(settings.batch as u64).min(budget);
        let candidates: Vec<Candidate> = (next..end)
            .filter_map(|k| {
                propose(k).map(|theta| Candidate {
                    theta,
                    seed: simulation_seed(settings.seed, index, k),
                    index: k,
                })
            })
            .collect();
        next = end;
        if candidates.is_empty() {
            continue;
        }
        let distances = evaluate(&candidates);
        if distances.len() != candidates.len() {
            return Err(AbcError::EvaluatorLength {
                candidates: candidates.len(),
                returned: distances.len(),
            });
        }
        simulations += candidates.len() as u64;
        for (candidate, distance) in candidates.into_iter().zip(distances) {
            if distance <= tolerance {
                draws = candidate.index + 1;
                particles.push(Particle {
                    theta: candidate.theta,
                    weight: 0.0,
                    distance,
                });
                if particles.len() == population {
                    break;
                }
            }
        }
    }

    match &proposal {
        Proposal::Prior => {
            for p in &mut particles {
                p.weight = 1.0 / population as f64;
            }
        }
        Proposal::Perturbation(perturbation) => {
            let ln_weights: Vec<f64> = particles
                .par_iter()
                .map(|p| perturbation.ln_weight(priors, &p.theta))
                .collect();
            let top = ln_weights.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let unnormalised: Vec<f64> = ln_weights.iter().map(|l| (l - top).exp()).collect();
            let total: f64 = unnormalised.iter().sum();
            for (p, w) in particles.iter_mut().zip(unnormalised) {
                p.weight = w / total;
            }
        }
    }
    let weights: Vec<f64> = particles.iter().map(|p| p.weight).collect();
    Ok(Generation {
        index,
        tolerance,
        ess: effective_sample_size(&weights),
        accepted: particles.len(),
        particles,
        draws,
        simulations,
    })
}
