//! Grant programmes (G1-G3, S2, S3, C7, L1, L5). Each programme runs its calls evenly through the
//! year. Communities apply when their leader looks outward (S3) and they have the capacity; the
//! administration may co-apply for an integrated community (G2, S2), which lifts both its
//! eligibility and its weight. Winners are drawn as a Tullock contest,
//! p_i = w_i x_i^r / sum_j w_j x_j^r, without replacement until the call's budget is spent;
//! awards are Pareto distributed (G3). Winners gain reputation (the Matthew effect); losers apply
//! less often for a while (Bol et al. 2018).

use super::config::{Config, Programme};
use super::development;
use super::policy::lift;
use super::state::{Territory, INTEGRATION, NONE};
use super::util::{chance, weighted};
use rand::Rng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// Share of a co-applied award that reaches the community's own budget; the rest is the
/// administration's project.
const COAPPLIED_TO_COMMUNITY: f64 = 0.3;
/// Awards below this share of the median are not made.
const SMALLEST_AWARD: f64 = 0.1;

#[derive(Debug, Clone, Copy, Default)]
pub struct GrantTally {
    pub applications: u64,
    pub won: u64,
    pub money: f64,
}

struct Application {
    territory: usize,
    community: usize,
    weight: f64,
    coapplied: bool,
}

/// Whether a call of every programme opens in `month`.
pub fn is_call_month(config: &Config, month: i32) -> bool {
    let calls = config.calls_per_year;
    calls > 0 && (0..calls).any(|k| (2 + k * 12 / calls) % 12 == month.rem_euclid(12) as u32)
}

pub fn step(
    territories: &mut [Territory],
    config: &Config,
    rng: &mut Xoshiro256PlusPlus,
    month: i32,
    tally: &mut GrantTally,
) {
    if !config.grants_enabled || !is_call_month(config, month) {
        return;
    }
    for programme in &config.programmes {
        let budget = programme.budget / f64::from(config.calls_per_year);
        let applications = collect(territories, config, rng, programme);
        tally.applications += applications.len() as u64;
        contest(
            territories,
            config,
            rng,
            programme,
            budget,
            applications,
            tally,
        );
    }
}

fn collect(
    territories: &[Territory],
    config: &Config,
    rng: &mut Xoshiro256PlusPlus,
    programme: &Programme,
) -> Vec<Application> {
    let mut out = Vec::new();
    let competence = 1.0 + 0.5 * lift(config.levers.competence_centres);
    for (t, territory) in territories.iter().enumerate() {
        let openness = territory.administration.openness;
        for (c, com) in territory.communities.iter().enumerate() {
            if !com.alive || com.n_members == 0 {
                continue;
            }
            let hc = com.mean_human_capital();
            let capacity = (hc * (0.5 + com.criteria[5])).min(1.0)
                * if com.leader != NONE { 1.0 } else { 0.3 };
            let orientation = if com.external_leader { 1.0 } else { 0.25 };
            let horizon = (com.horizon / config.horizon_normal).sqrt().min(1.0);
            let p = config.apply_rate
                * orientation
                * capacity
                * com.apply_propensity
                * horizon
                * competence;
            if !chance(rng, p.min(1.0)) {
                continue;
            }
            let coapplied = config.coapplication
                && com.stance == INTEGRATION
                && chance(rng, (2.0 * config.inclusion * openness).min(1.0));
            if programme.registration_required && !com.registered && !coapplied {
                continue;
            }
            let quality =
                (0.3 + hc) * (0.5 + com.criteria[5]) * competence * (1.0 + 0.3 * com.expectation);
            let mut weight = (1.0 + config.matthew * com.reputation)
                * quality.max(1e-6).powf(config.contest_exponent);
            if coapplied {
                weight *= config.coapplication_weight;
            }
            out.push(Application {
                territory: t,
                community: c,
                weight,
                coapplied,
            });
        }
    }
    out
}

/// A Pareto award with the given median and tail index.
fn award<R: Rng>(rng: &mut R, median: f64, tail: f64) -> f64 {
    let scale = median / 2f64.powf(1.0 / tail);
    let u: f64 = 1.0 - rng.random::<f64>();
    scale * u.powf(-1.0 / tail)
}

fn contest(
    territories: &mut [Territory],
    config: &Config,
    rng: &mut Xoshiro256PlusPlus,
    programme: &Programme,
    budget: f64,
    mut applications: Vec<Application>,
    tally: &mut GrantTally,
) {
    let mut remaining = budget;
    let mut weights: Vec<f64> = applications.iter().map(|a| a.weight).collect();
    let smallest = SMALLEST_AWARD * programme.award_median;
    while remaining >= smallest {
        let Some(k) = weighted(rng, &weights) else {
            break;
        };
        weights[k] = 0.0;
        let amount = award(rng, programme.award_median, config.award_tail).min(remaining);
        remaining -= amount;
        let a = &applications[k];
        let territory = &mut territories[a.territory];
        let com = &mut territory.communities[a.community];
        com.money += amount
            * if a.coapplied {
                COAPPLIED_TO_COMMUNITY
            } else {
                1.0
            };
        com.reputation += 0.1 * (1.0 + amount).ln();
        com.apply_propensity = 1.0;
        territory.external_money += amount;
        development::grant_effect(territory, config, amount, a.coapplied);
        tally.won += 1;
        tally.money += amount;
    }
    for (a, w) in applications.drain(..).zip(weights) {
        if w > 0.0 {
            let com = &mut territories[a.territory].communities[a.community];
            com.apply_propensity *= config.discouragement;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn awards_have_the_requested_median_and_a_heavy_tail() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let mut draws: Vec<f64> = (0..100_001).map(|_| award(&mut rng, 6.0, 1.6)).collect();
        draws.sort_by(f64::total_cmp);
        let median = draws[50_000];
        assert!((median - 6.0).abs() < 0.15, "{median}");
        assert!(
            draws[100_000] > 55.0,
            "the largest of 100k awards should pass 55M"
        );
    }
}
