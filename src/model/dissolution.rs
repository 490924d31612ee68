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

/// Monthly hazard of one community.
pub fn hazard(com: &Community, config: &Config, month: i32, scale: f64, member_stress: f64) -> f64 {
    let age_years = f64::from(month - com.founded) / 12.0;
    let protection =
        (com.criteria[2] - 0.5) + (com.criteria[0] - 0.5) + (com.assets.min(1.0) - 0.3);
    let z = logit(per_month(config.base_hazard))
        + config.newness * 0.5f64.powf(age_years.max(0.0))
        + config.commercial_exposure * com.commercial_loss
        + 1.0 * com.shortfall
        + if com.leader == NONE { 1.0 } else { 0.0 }
        + SMALLNESS
            * (config.size / (f64::from(com.n_members) * scale).max(MIN_PERSONS))
                .ln()
                .max(0.0)
        + 1.0 * member_stress
        - config.resilience * protection
        - 1.0 * (com.criteria[4] - 0.5);
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

/// Ends communities `dying`: their members become free residents, in one pass over the
/// residents however many communities end this month (the cost of a month stays linear in the
/// population).
pub fn dissolve(territory: &mut Territory, dying: &[usize], month: i32) {
    if dying.is_empty() {
        return;
    }
    let mut ends = vec![false; territory.communities.len()];
    for &c in dying {
        ends[c] = true;
    }
    for i in 0..territory.residents.len() {
        let c = territory.residents.community[i];
        if c != NONE && ends[c as usize] {
            territory.leave(i);
        }
    }
    for &c in dying {
        let com = &mut territory.communities[c];
        com.alive = false;
        com.exited = Some(month.max(0) as u32);
        territory.dissolved += 1;
        // Its ties go with it, at both ends.
        super::network::detach(territory, c);
    }
}
