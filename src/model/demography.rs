//! Residents arriving and leaving (B5, L3, L4, L10): ageing, youth outflow held back by the
//! living environment (D1) and human capital (D6), seniors replaced by native youth, newcomers
//! arriving as a Poisson stream.

use super::config::Config;
use super::state::{Territory, ADULT, SENIOR, YOUTH};
use super::util::{beta_mean, per_month, poisson, Picks};
use rand::Rng;

/// Years a resident spends as youth.
const YOUTH_YEARS: f64 = 14.0;
/// Years a resident spends as an adult.
const ADULT_YEARS: f64 = 35.0;
/// Years a senior stays before leaving (and being replaced by a native youth).
const SENIOR_YEARS: f64 = 15.0;
/// Share of youth outflow held back by a fully developed living environment (D1).
const ENVIRONMENT_HOLD: f64 = 0.5;
/// Share of youth outflow held back by fully developed human capital (D6).
const SKILLS_HOLD: f64 = 0.5;
/// Share of the gap to full human capital that newcomers close at full exit corridors (L10).
const CORRIDOR_HUMAN_CAPITAL: f64 = 0.4;
/// Share of the gap to full human capital that a fully developed D6 closes for native residents.
const DEVELOPED_HUMAN_CAPITAL: f64 = 0.3;
/// Concentration of the Beta distribution of a resident's human capital.
pub const HUMAN_CAPITAL_CONCENTRATION: f64 = 6.0;
/// Mean of the Beta distribution of a resident's motivation.
const MOTIVATION_MEAN: f64 = 0.5;
/// Concentration of the Beta distribution of a resident's motivation.
const MOTIVATION_CONCENTRATION: f64 = 4.0;
/// Highest mean of the participation threshold (a mean of 1 would leave no one to join).
pub const MAX_THRESHOLD_MEAN: f64 = 0.99;
/// Concentration of the Beta distribution of a resident's participation threshold.
pub const THRESHOLD_CONCENTRATION: f64 = 3.0;

pub fn step(territory: &mut Territory, config: &Config, month: i32) {
    let class = &config.classes[territory.class];
    let d = territory.development;
    let youth_out = per_month(
        class.youth_outflow * (1.0 - ENVIRONMENT_HOLD * d[0]) * (1.0 - SKILLS_HOLD * d[5]),
    );
    let to_adult = 1.0 / (12.0 * YOUTH_YEARS);
    let to_senior = 1.0 / (12.0 * ADULT_YEARS);
    let senior_exit = 1.0 / (12.0 * SENIOR_YEARS);
    let scale = territory.agent_scale;
    let mut replacements = 0u64;
    // Thinning (see `Picks`): residents are picked, from the last to the first, with the highest
    // of the monthly event probabilities; a picked resident's uniform is `bound * U`, so the
    // events below happen with exactly their own probabilities.
    let bound = (youth_out + to_adult)
        .max(to_senior)
        .max(senior_exit)
        .min(1.0);
    let n = territory.residents.len();
    let mut picks = Picks::new(n, bound);
    while let Some(k) = picks.next(&mut territory.rng) {
        // Removal moves the last resident into `i`; it has been visited already.
        let i = n - 1 - k;
        let u = bound * territory.rng.random::<f64>();
        match territory.residents.age[i] {
            YOUTH if u < youth_out => {
                territory.remove_resident(i, month);
                territory.youth_left += scale as u64;
            }
            YOUTH if u < youth_out + to_adult => territory.residents.age[i] = ADULT,
            ADULT if u < to_senior => territory.residents.age[i] = SENIOR,
            SENIOR if u < senior_exit => {
                territory.remove_resident(i, month);
                replacements += 1;
            }
            _ => {}
        }
    }
    for _ in 0..replacements {
        push_resident(territory, config, YOUTH, false);
    }
    let arrivals = poisson(
        &mut territory.rng,
        class.newcomer_rate / 12.0 * territory.residents.len() as f64,
    );
    // Arrivals stop when the territory is full (`state::CAPACITY`).
    let room = territory.capacity.saturating_sub(territory.residents.len()) as u64;
    for _ in 0..arrivals.min(room) {
        push_resident(territory, config, ADULT, true);
    }
}

/// Adds a resident drawn from the territory's population; newcomers carry the human capital of
/// big-city residents when exit corridors (L10) bring them.
pub fn push_resident(territory: &mut Territory, config: &Config, age: u8, newcomer: bool) {
    let base: u64 = territory.rng.random();
    push_resident_from(territory, config, age, newcomer, base);
}

/// Trait streams of a resident (`streams::resident_trait`): public-sector job, human capital,
/// motivation, participation threshold, and an initial resident's age group.
pub const PUBLIC_SECTOR_TRAIT: u64 = 0;
pub const HUMAN_CAPITAL_TRAIT: u64 = 1;
pub const MOTIVATION_TRAIT: u64 = 2;
pub const THRESHOLD_TRAIT: u64 = 3;
pub const AGE_TRAIT: u64 = 4;

/// Adds a resident whose traits draw from the streams of `base` (`streams::resident_trait`).
pub fn push_resident_from(
    territory: &mut Territory,
    config: &Config,
    age: u8,
    newcomer: bool,
    base: u64,
) {
    let class = &config.classes[territory.class];
    let hc_mean = human_capital_mean(config, newcomer, territory.development[5]);
    // Each trait from a stream of its own (`streams::resident_trait`): a Beta draw rejects a
    // number of candidates that depends on its parameters, so a changed mean would otherwise
    // shift the traits drawn after it.
    let draw = |t: u64| super::streams::resident_trait(base, t);
    let public =
        age != YOUTH && draw(PUBLIC_SECTOR_TRAIT).random::<f64>() < class.public_sector_share;
    let hc = beta_mean(
        &mut draw(HUMAN_CAPITAL_TRAIT),
        hc_mean,
        HUMAN_CAPITAL_CONCENTRATION,
    ) as f32;
    let motivation = beta_mean(
        &mut draw(MOTIVATION_TRAIT),
        MOTIVATION_MEAN,
        MOTIVATION_CONCENTRATION,
    ) as f32;
    let threshold = beta_mean(
        &mut draw(THRESHOLD_TRAIT),
        threshold_mean(config),
        THRESHOLD_CONCENTRATION,
    ) as f32;
    territory
        .residents
        .push(age, public, newcomer, hc, motivation, threshold);
}

/// The mean of an arriving resident's human capital (Beta, [`HUMAN_CAPITAL_CONCENTRATION`]):
/// `community.human_capital`, raised for a newcomer by exit corridors (L10) and for a native
/// resident by the territory's human-capital development `d6` (D6) at arrival.
pub fn human_capital_mean(config: &Config, newcomer: bool, d6: f64) -> f64 {
    let h = config.community.human_capital;
    if newcomer {
        h + (1.0 - h) * CORRIDOR_HUMAN_CAPITAL * super::policy::lift(config.levers.exit_corridors)
    } else {
        h + (1.0 - h) * DEVELOPED_HUMAN_CAPITAL * d6
    }
}

/// The mean of a resident's participation threshold (Beta, [`THRESHOLD_CONCENTRATION`]).
pub fn threshold_mean(config: &Config) -> f64 {
    config.participation.threshold.min(MAX_THRESHOLD_MEAN)
}
