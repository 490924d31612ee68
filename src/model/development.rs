//! Influence on the territory (D1-D6, S1, C6, C8, A1). Each community pushes each direction by
//! its agency times the work its tasks of that direction got this month (`tasks`; the type's
//! profile says which tasks it conceives); communities that take responsibility
//! for the whole territory (C8) push every direction harder and shape the town's strategy (D4),
//! the rest mostly serve their own group. The push, divided by the square root of the
//! population in thousands, moves an index with marginal return (1 - D)^low_base (S1).
//! In a crisis, work on public spaces (D1) falls as its long tasks are postponed or not started
//! under a short horizon (A1, P1).

use super::config::Config;
use super::state::Territory;

/// Share of each type's task ideas serving D1..D6.
pub const PROFILES: [[f64; 6]; 5] = [
    [0.35, 0.10, 0.10, 0.15, 0.20, 0.10], // civic
    [0.15, 0.15, 0.10, 0.05, 0.40, 0.15], // ngo
    [0.15, 0.10, 0.50, 0.05, 0.05, 0.15], // cultural
    [0.15, 0.35, 0.05, 0.10, 0.05, 0.30], // entrepreneurial
    [0.35, 0.15, 0.10, 0.25, 0.10, 0.05], // municipal
];
/// Person-months of activity that make one unit of influence.
const ACTIVITY_UNIT: f64 = 10.0;
/// Index of the town's strategy (D4) among the directions.
const STRATEGY: usize = 3;
/// Push of a community that takes responsibility for the whole territory (C8) in each
/// direction, relative to its influence.
const WIDE_BREADTH: f64 = 1.5;
/// Weight of strategy (D4) in the push of a territory-wide community (C8).
const WIDE_STRATEGY: f64 = 1.0;
/// Push of a community that mostly serves its own group in each direction, relative to its
/// influence.
const NARROW_BREADTH: f64 = 0.6;
/// Weight of strategy (D4) in the push of a community that mostly serves its own group.
const NARROW_STRATEGY: f64 = 0.2;
/// Share of the push on strategy (D4) that lands with a closed administration and no
/// inclusion; the rest grows with `inclusion · openness`.
const STRATEGY_BASE: f64 = 0.5;
/// Inhabitants per unit of population in the dilution of influence (push over the square root
/// of the population in thousands).
const POPULATION_UNIT: f64 = 1000.0;
/// The least dilution of influence, however small the population (that of 10 inhabitants).
const MIN_DILUTION: f64 = 0.1;
/// Rise of external resources (D2), per unit log of (1 + award in million roubles), of a won
/// grant, times the room left.
const GRANT_BUMP: f64 = 0.01;
/// Rise of the living environment (D1) from a grant co-applied with the administration,
/// relative to the rise of D2.
const COAPPLIED_BUMP: f64 = 2.0;

/// Marginal return of influence at development level `d` (S1).
pub fn room(d: f64, low_base: f64) -> f64 {
    (1.0 - d).clamp(0.0, 1.0).powf(low_base)
}

pub fn step(territory: &mut Territory, config: &Config) {
    let mut push = [0.0; 6];
    for com in territory.communities.iter().filter(|c| c.alive) {
        let agency = com.criteria[5] / ACTIVITY_UNIT;
        let (breadth, strategy) = if com.territory_wide {
            (WIDE_BREADTH, WIDE_STRATEGY)
        } else {
            (NARROW_BREADTH, NARROW_STRATEGY)
        };
        for (d, work) in com.direction_work.iter().enumerate() {
            let weight = if d == STRATEGY { strategy } else { 1.0 };
            push[d] += agency * work * breadth * weight;
        }
    }
    push[STRATEGY] *=
        STRATEGY_BASE + config.administration.inclusion * territory.administration.openness;
    let population = territory.residents.len() as f64 * territory.agent_scale;
    let norm = (population / POPULATION_UNIT).sqrt().max(MIN_DILUTION);
    for ((dev, rate), p) in territory
        .development
        .iter_mut()
        .zip(config.development_rate)
        .zip(push)
    {
        let gain = rate * p / norm * room(*dev, config.development.low_base);
        *dev = (*dev + gain - config.development.decay * *dev).clamp(0.0, 1.0);
    }
}

/// A won grant improves the territory: external resources (D2) and, when the administration
/// co-applied for a public project, the living environment (D1).
pub fn grant_effect(territory: &mut Territory, config: &Config, award: f64, coapplied: bool) {
    let bump = GRANT_BUMP * (1.0 + award).ln();
    let d2 = territory.development[1];
    territory.development[1] = (d2 + bump * room(d2, config.development.low_base)).min(1.0);
    if coapplied {
        let d1 = territory.development[0];
        territory.development[0] =
            (d1 + COAPPLIED_BUMP * bump * room(d1, config.development.low_base)).min(1.0);
    }
}
