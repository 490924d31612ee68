//! Dissolution (R1-R3, C1, C3, C5, G1): a monthly logistic hazard (Tuckman & Chang 1991) of
//! money shortfall, a missing leader, few members (the liability of smallness), the liability of newness (Freeman et al.
//! 1983), crisis stress and the loss of the commercial base (R2), against the protection of
//! shared tasks, cohesion, intangible assets (R3) and the value platform (C5).

use super::config::Config;
use super::participation::stress;
use super::state::{Community, Territory, NONE};
use super::util::{chance, logistic, logit, per_month};

/// Persons below which smallness stops adding hazard (the community is as fragile as it gets).
const MIN_PERSONS: f64 = 1.0;
/// Log-odds per unit log of (mean size / members): the liability of smallness.
const SMALLNESS: f64 = 1.0;
/// Share of the liability of newness left after each year of age (it halves every year).
const NEWNESS_DECAY: f64 = 0.5;
/// Log-odds per unit of money shortfall (0 to 1).
const SHORTFALL_WEIGHT: f64 = 1.0;
/// Log-odds added while the community has no leader.
const LEADERLESS_HAZARD: f64 = 1.0;
/// Level of shared tasks (C3), cohesion (C1) and the value platform (C5) at which they neither
/// protect nor expose a community (criteria run from 0 to 1).
const NEUTRAL_CRITERION: f64 = 0.5;
/// Intangible assets (capped at 1) at which they neither protect nor expose a community.
const NEUTRAL_ASSETS: f64 = 0.3;
/// Log-odds removed per unit of the value platform (C5) above [`NEUTRAL_CRITERION`].
const VALUE_PLATFORM_WEIGHT: f64 = 1.0;

/// Monthly hazard of one community.
pub fn hazard(com: &Community, config: &Config, month: i32, scale: f64, member_stress: f64) -> f64 {
    let age_years = f64::from(month - com.founded) / 12.0;
    let protection = (com.criteria[2] - NEUTRAL_CRITERION)
        + (com.criteria[0] - NEUTRAL_CRITERION)
        + (com.assets.min(1.0) - NEUTRAL_ASSETS);
    let z = logit(per_month(config.dissolution.base_hazard))
        + config.dissolution.newness * NEWNESS_DECAY.powf(age_years.max(0.0))
        + config.dissolution.commercial_exposure * com.commercial_loss
        + SHORTFALL_WEIGHT * com.shortfall
        + if com.leader == NONE {
            LEADERLESS_HAZARD
        } else {
            0.0
        }
        + SMALLNESS
            * (config.community.size / (f64::from(com.n_members) * scale).max(MIN_PERSONS))
                .ln()
                .max(0.0)
        + config.dissolution.stress_hazard * member_stress
        - config.dissolution.resilience * protection
        - VALUE_PLATFORM_WEIGHT * (com.criteria[4] - NEUTRAL_CRITERION);
    logistic(z)
}

pub fn step(territory: &mut Territory, config: &Config, month: i32) {
    let scale = territory.agent_scale;
    let member_stress = stress(territory, config, false);
    // A community's hazard reads only its own state, so the month's dissolutions are decided
    // first (in community order, as the draws are made) and carried out in one pass.
    let mut dying = Vec::new();
    for c in 0..territory.communities.len() {
        let com = &territory.communities[c];
        if !com.alive {
            continue;
        }
        let dies = com.n_members == 0
            || chance(
                &mut territory.rng,
                hazard(com, config, month, scale, member_stress),
            );
        if dies {
            dying.push(c);
        }
    }
    dissolve(territory, &dying, month);
}

/// Ends communities `dying`: their members become free residents. The cost is the members of
/// the dying communities, whatever the territory's population.
pub fn dissolve(territory: &mut Territory, dying: &[usize], month: i32) {
    for &c in dying {
        let members = std::mem::take(&mut territory.communities[c].members);
        for &m in &members {
            territory.residents.community[m as usize] = NONE;
        }
        let com = &mut territory.communities[c];
        com.n_members = 0;
        com.n_public = 0;
        com.sum_human_capital = 0.0;
        com.leader = NONE;
        com.alive = false;
        com.exited = Some(month.max(0) as u32);
        territory.dissolved += 1;
        // Its ties go with it, at both ends.
        super::network::detach(territory, c);
    }
}
