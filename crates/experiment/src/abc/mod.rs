//! Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC), free of the model: the
//! population Monte Carlo ABC of Beaumont, Cornuet, Marin & Robert (2009, "Adaptive approximate
//! Bayesian computation", Biometrika 96: 983-990), with the adaptive tolerances pyabc uses by
//! default (`QuantileEpsilon`, weighted). The caller turns a parameter vector and a seed into
//! a distance between simulated and observed summaries; this module proposes the vectors,
//! accepts and weights them, and steps the tolerance down.
//!
//! - Generation 0 draws from the prior and accepts every draw at a distance at most
//!   [`AbcSettings::initial_tolerance`] (+inf: the first N draws); each particle weighs 1/N.
//!   With +inf, generation 1's tolerance is the quantile of N prior draws' distances, the
//!   tolerance pyabc's `initial_epsilon='from_sample'` gives its own generation 0 (which then
//!   samples the prior at that tolerance): generation t here corresponds to pyabc's t - 1.
//! - Generation t > 0 has the tolerance eps_t = max(final_tolerance, q_alpha), q_alpha the
//!   weighted alpha-quantile of generation t-1's distances, interpolated as pyabc's
//!   `weighted_quantile` ([`population::weighted_quantile`]). pyabc does not floor eps_t at its
//!   `minimum_epsilon`; the floor here makes the last generation sit at the final tolerance.
//!   Where the quantile is not below eps_{t-1} (discrete distances tied at the top: with
//!   counts, more than 1 - alpha of the weight at the largest accepted distance), pyabc would
//!   stay there for good; here eps_t is then the largest distance of generation t-1 below
//!   eps_{t-1}, or eps_{t-1} if there is none.
//!   A candidate takes an ancestor j of generation t-1 with probability w_j and moves it by a
//!   normal perturbation of covariance 2 Sigma, Sigma the weighted covariance of generation
//!   t-1 (sum_i w_i (z_i - m)(z_i - m)^T, no small-sample correction): the kernel of Beaumont
//!   et al. (2009), tau^2 = 2 var, in its multivariate form ([`kernel`]). pyabc's default
//!   `MultivariateNormalTransition(scaling=1)` differs: it scales numpy's weighted covariance
//!   (`np.cov(aweights=w)`, divided by 1 - sum w^2) by the square of Silverman's factor
//!   (4 / (ESS (d + 2)))^(1 / (d + 4)), well below 2. A candidate is accepted if its distance
//!   is at most eps_t (a NaN distance never is), and weighs w_i proportional to
//!   pi(z_i) / sum_j w_j K(z_i | z_j), normalised (pyabc's weights, and Beaumont et al.'s).
//! - Everything is in kernel space ([`Prior::to_kernel_space`]): the parameter itself under a
//!   uniform prior, its logarithm under a log-uniform one, where both priors are uniform.
//!   Particles are stored in the parameters' own units and mapped to kernel space afresh each
//!   generation, so a generation read back from its table steps exactly as the one in memory.
//! - A proposal outside the prior's support is refused before simulating: it counts as a draw,
//!   not a simulation. A refused proposal draws its ancestor again too, so the truncated
//!   proposal's normalising constant is one number for all candidates and the weights need no
//!   correction for it.
//! - The effective sample size is 1 / sum w^2.
//!
//! Determinism whatever the thread count: candidate k of generation t draws its proposal from
//! its own stream, seeded by a hash of (master seed, t, k), and is simulated with a seed that is
//! likewise a hash of (master seed, t, k) ([`proposal_seed`], [`simulation_seed`]). Candidates
//! are drawn in batches of [`AbcSettings::batch`] draws, those inside the prior's support are
//! evaluated together through the caller's evaluator, which may run them in parallel, and they
//! are accepted in candidate order until N are; the surplus of the last batch is simulated but
//! discarded. A generation's particles are therefore a function of the master seed, the
//! settings and the previous generation alone; the batch size changes only the count of
//! simulations run.
//!
//! A run stops after [`AbcSettings::generations`] generations, after the generation whose
//! tolerance is at most [`AbcSettings::final_tolerance`] (pyabc's `minimum_epsilon` test),
//! after a generation whose acceptance rate is below [`AbcSettings::min_acceptance`], or when a
//! generation would need more than [`AbcSettings::max_draws_per_generation`] draws ([`Stop`]
//! says which). The acceptance rate is accepted / draws, refused proposals outside the prior
//! included, so that it does not depend on the batch size; pyabc divides by its simulations.

pub mod kernel;
pub mod population;
pub mod prior;
mod step;
pub mod table;

pub use population::{effective_sample_size, resample, weighted_quantile};
pub use prior::{Prior, PriorError};
pub use step::next_generation;
pub use table::{read_generation, write_generation};

use crate::seeds::derive_seed;

/// The alpha of the tolerance quantile by default: the median, as pyabc's `QuantileEpsilon`.
pub const DEFAULT_QUANTILE: f64 = 0.5;

/// Candidates evaluated together by default: enough to keep a few dozen threads busy.
pub const DEFAULT_BATCH: usize = 256;

/// The lowest acceptance rate by default before a run stops (pyabc's `min_acceptance_rate`
/// defaults to 0, never; a rate this low means hundreds of simulations per particle).
pub const DEFAULT_MIN_ACCEPTANCE: f64 = 0.005;

/// Salt of the candidates' proposal streams.
const PROPOSAL_SALT: u64 = 0x4142_4350_524F_504F;

/// Salt of the candidates' simulation seeds, so that they differ from the proposal streams.
const SIMULATION_SALT: u64 = 0x4142_4353_494D_554C;

/// Salt of the resampling stream.
pub(crate) const RESAMPLE_SALT: u64 = 0x4142_4352_4553_414D;

/// The settings of an ABC-SMC run.
#[derive(Debug, Clone, PartialEq)]
pub struct AbcSettings {
    /// Particles per generation (N).
    pub population: usize,
    /// The most generations, generation 0 included.
    pub generations: usize,
    /// Generation 0 accepts prior draws at most this far from the data; +inf accepts the first N.
    pub initial_tolerance: f64,
    /// The run stops after a generation at this tolerance; no generation goes below it.
    pub final_tolerance: f64,
    /// The run stops after a generation that accepts fewer than this share of its draws.
    pub min_acceptance: f64,
    /// The alpha of the tolerance quantile, in (0, 1].
    pub quantile: f64,
    /// Draws per batch: their candidates inside the prior's support go to the evaluator
    /// together (so a batch may hold fewer than this).
    pub batch: usize,
    /// The master seed.
    pub seed: u64,
    /// A generation that has not accepted N particles after this many draws ends the run.
    pub max_draws_per_generation: u64,
}

impl AbcSettings {
    /// Settings for `population` particles and seed `seed`, with the defaults above, at most 20
    /// generations, no tolerance floor, and at most 1000 draws per particle.
    pub fn new(population: usize, seed: u64) -> AbcSettings {
        /// Generations of [`AbcSettings::new`].
        const GENERATIONS: usize = 20;
        /// Draws per particle of a generation's budget in [`AbcSettings::new`].
        const DRAWS_PER_PARTICLE: u64 = 1000;
        AbcSettings {
            population,
            generations: GENERATIONS,
            initial_tolerance: f64::INFINITY,
            final_tolerance: 0.0,
            min_acceptance: DEFAULT_MIN_ACCEPTANCE,
            quantile: DEFAULT_QUANTILE,
            batch: DEFAULT_BATCH,
            seed,
            max_draws_per_generation: (population as u64).saturating_mul(DRAWS_PER_PARTICLE),
        }
    }

    /// At least two particles and one generation, a batch of one or more, tolerances not NaN
    /// with the final one finite, at least 0 and not above the initial one, the quantile in
    /// (0, 1], the acceptance floor in [0, 1], and a draw budget of at least N.
    pub fn validate(&self) -> Result<(), AbcError> {
        let bad = |why: String| Err(AbcError::Settings(why));
        if self.population < 2 {
            return bad(format!("population {} < 2", self.population));
        }
        if self.generations < 1 {
            return bad("generations must be at least 1".into());
        }
        if self.batch < 1 {
            return bad("batch must be at least 1".into());
        }
        if !(self.final_tolerance.is_finite() && self.final_tolerance >= 0.0) {
            return bad(format!(
                "final_tolerance {} must be finite and at least 0",
                self.final_tolerance
            ));
        }
        if self.initial_tolerance.is_nan() || self.initial_tolerance < self.final_tolerance {
            return bad(format!(
                "initial_tolerance {} must be at least final_tolerance {}",
                self.initial_tolerance, self.final_tolerance
            ));
        }
        if !(self.quantile > 0.0 && self.quantile <= 1.0) {
            return bad(format!("quantile {} must be in (0, 1]", self.quantile));
        }
        if !(0.0..=1.0).contains(&self.min_acceptance) {
            return bad(format!(
                "min_acceptance {} must be in [0, 1]",
                self.min_acceptance
            ));
        }
        if self.max_draws_per_generation < self.population as u64 {
            return bad(format!(
                "max_draws_per_generation {} is below the population {}",
                self.max_draws_per_generation, self.population
            ));
        }
        Ok(())
    }
}

/// What went wrong.
#[derive(Debug, thiserror::Error)]
pub enum AbcError {
    #[error("ABC settings: {0}")]
    Settings(String),
    #[error("no parameters: ABC needs at least one prior")]
    NoParameters,
    #[error("the prior of parameter {index}: {error}")]
    Prior { index: usize, error: PriorError },
    #[error(
        "a population of {population} cannot span {parameters} parameters: it needs more \
         particles than parameters for the kernel's covariance"
    )]
    PopulationTooSmall {
        population: usize,
        parameters: usize,
    },
    #[error("the previous generation: {0}")]
    Previous(String),
    #[error("the evaluator returned {returned} distances for {candidates} candidates")]
    EvaluatorLength { candidates: usize, returned: usize },
    #[error(
        "generation {generation}: the weighted covariance of generation {} is singular (a \
         parameter without spread, or one that is a combination of others)",
        generation - 1
    )]
    SingularCovariance { generation: usize },
    #[error(
        "generation {generation} accepted {accepted} of {population} particles in {draws} \
         draws, the most allowed (max_draws_per_generation)"
    )]
    DrawBudget {
        generation: usize,
        draws: u64,
        accepted: usize,
        population: usize,
    },
    #[error("generation table: {0}")]
    Table(String),
    #[error(transparent)]
    Csv(#[from] csv::Error),
}

/// A parameter vector handed to the evaluator, with the seed to simulate it with.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The parameters, in their own units, inside the prior's support.
    pub theta: Vec<f64>,
    /// The simulation's seed, [`simulation_seed`] of (master seed, generation, index).
    pub seed: u64,
    /// The candidate's number in its generation (draws refused outside the prior included).
    pub index: u64,
}

/// An accepted parameter vector.
#[derive(Debug, Clone, PartialEq)]
pub struct Particle {
    /// The parameters, in their own units.
    pub theta: Vec<f64>,
    /// The normalised importance weight.
    pub weight: f64,
    /// The distance its simulation gave.
    pub distance: f64,
}

/// One generation of ABC-SMC.
#[derive(Debug, Clone, PartialEq)]
pub struct Generation {
    /// 0 for the generation drawn from the prior.
    pub index: usize,
    /// The tolerance its particles were accepted at (distance at most this).
    pub tolerance: f64,
    pub particles: Vec<Particle>,
    /// Candidates drawn up to the last one accepted, those outside the prior included.
    pub draws: u64,
    /// Simulations run, the discarded surplus of the last batch included.
    pub simulations: u64,
    /// Particles accepted: the population.
    pub accepted: usize,
    /// Effective sample size of the weights, 1 / sum w^2.
    pub ess: f64,
}

/// The seed of candidate `candidate`'s proposal stream in generation `generation`.
pub fn proposal_seed(master: u64, generation: usize, candidate: u64) -> u64 {
    derive_seed(master ^ PROPOSAL_SALT, generation as u64, candidate)
}

/// The seed candidate `candidate` of generation `generation` is simulated with.
pub fn simulation_seed(master: u64, generation: usize, candidate: u64) -> u64 {
    derive_seed(master ^ SIMULATION_SALT, generation as u64, candidate)
}

/// Why a run stopped.
#[derive(Debug, Clone, PartialEq)]
pub enum Stop {
    /// It ran [`AbcSettings::generations`] generations.
    Generations,
    /// The last generation's tolerance is at most [`AbcSettings::final_tolerance`].
    FinalTolerance,
    /// The last generation accepted fewer than [`AbcSettings::min_acceptance`] of its draws.
    MinAcceptance,
    /// Generation `generation` found only `accepted` particles in `draws` draws, the budget;
    /// the run's last generation is the one before.
    DrawBudget {
        generation: usize,
        draws: u64,
        accepted: usize,
    },
}

/// Why a run should stop after `generation`, if it should: its tolerance reached the final one,
/// its acceptance rate fell below the floor, or it is the last generation allowed (checked in
/// that order).
pub fn stop_after(settings: &AbcSettings, generation: &Generation) -> Option<Stop> {
    if generation.tolerance <= settings.final_tolerance {
        Some(Stop::FinalTolerance)
    } else if generation.acceptance_rate() < settings.min_acceptance {
        Some(Stop::MinAcceptance)
    } else if generation.index + 1 >= settings.generations {
        Some(Stop::Generations)
    } else {
        None
    }
}

/// The end of a run: its last generation and why it stopped.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    pub last: Generation,
    pub stop: Stop,
}

/// Runs generations until one of the stopping rules ([`stop_after`]), from `resume` (a
/// generation saved before, which is not handed to `on_generation` again) or from the prior.
/// `on_generation` receives each new generation as it is finished, to save it. A draw budget
/// exhausted in generation 0 is an error, later a [`Stop`].
pub fn run<E: From<AbcError>>(
    settings: &AbcSettings,
    priors: &[Prior],
    resume: Option<Generation>,
    evaluate: &mut dyn FnMut(&[Candidate]) -> Vec<f64>,
    on_generation: &mut dyn FnMut(&Generation) -> Result<(), E>,
) -> Result<Calibration, E> {
    let mut last = match resume {
        Some(g) => g,
        None => {
            let g = next_generation(settings, priors, None, evaluate)?;
            on_generation(&g)?;
            g
        }
    };
    loop {
        if let Some(stop) = stop_after(settings, &last) {
            return Ok(Calibration { last, stop });
        }
        match next_generation(settings, priors, Some(&last), evaluate) {
            Ok(g) => {
                on_generation(&g)?;
                last = g;
            }
            Err(AbcError::DrawBudget {
                generation,
                draws,
                accepted,
                ..
            }) => {
                let stop = Stop::DrawBudget {
                    generation,
                    draws,
                    accepted,
                };
                return Ok(Calibration { last, stop });
            }
            Err(e) => return Err(e.into()),
        }
    }
}
