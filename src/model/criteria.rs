//! The six criteria of a community (C1-C6), reputation, registration (C7), the recovery of
//! the propensity to apply for grants and the fading of the grant track record. Each criterion
//! relaxes toward a target set by what the community does: working together builds ties (C1),
//! online work spreads information (C2),
//! pressing tasks bind to shared tasks while idle capacity loosens them (C3, R3), the cultural code feeds identity
//! (C4), intangible assets the value platform (C5), reputation and skills agency (C6).
//! Each target is anchored at the community's own disposition, drawn at its founding around
//! the scenario's mean, so that the scenario's criteria keep their meaning over the run.

use super::activity::normal_will;
use super::config::Config;
use super::grants;
use super::state::{Territory, ENTREPRENEURIAL, ONLINE};
use super::util::{chance, per_month};

const RATES: [f64; 6] = [0.03, 0.02, 0.05, 0.01, 0.01, 0.02];
const REPUTATION_RATE: f64 = 0.03;
/// Fall of the shared-tasks target (C3) per unit share of will that no task uses: members with
/// nothing to do together drift apart.
pub const IDLE_DRIFT: f64 = 0.4;
/// Rise of the shared-tasks target (C3) per unit share of will spent on pressing tasks: a
/// pressing shared task binds (R3, "will and environment").
pub const PRESSING_BOND: f64 = 0.5;
/// Cohesion target gained when every member's firm was carried by mutual credit (K4).
const MUTUAL_AID_COHESION: f64 = 0.3;
/// Share of the gap to a full propensity to apply (1) that closes each month after a loss:
/// discouragement fades over about a year.
pub const PROPENSITY_RECOVERY: f64 = 1.0 / 12.0;

pub fn step(territory: &mut Territory, config: &Config) {
    let scale = territory.agent_scale;
    let cultural_code = territory.development[2];
    let register = per_month(config.community.registration_rate);
    let record_retention = grants::record_retention();
    for com in territory.communities.iter_mut().filter(|c| c.alive) {
        let normal = normal_will(com, scale).max(1e-9);
        let total = com.total_activity();
        let engagement = (total / normal).min(1.5);
        let online_share = com.activity[ONLINE] / total.max(1e-9);
        // K4: members who carried each other's firms grow closer.
        let mutual_aid = if com.kind == ENTREPRENEURIAL && com.n_members > 0 {
            MUTUAL_AID_COHESION * (com.helped / f64::from(com.n_members)).min(1.0)
        } else {
            0.0
        };
        let base = com.base_criteria;
        let targets = [
            base[0] + 0.3 * (engagement.min(1.0) - 0.8) + mutual_aid,
            base[1] + 0.3 * (online_share - 0.1),
            base[2] - IDLE_DRIFT * com.idle_share + PRESSING_BOND * com.pressing_share,
            base[3] + 0.2 * (cultural_code - 0.3),
            base[4] + 0.2 * (com.assets.min(1.0) - 0.5),
            base[5]
                + 0.2 * (com.reputation.min(1.0) - 0.3)
                + 0.2 * (com.mean_human_capital() - 0.5),
        ];
        for k in 0..6 {
            com.criteria[k] = (com.criteria[k]
                + RATES[k] * (targets[k].clamp(0.0, 1.0) - com.criteria[k]))
                .clamp(0.0, 1.0);
        }
        com.reputation += REPUTATION_RATE * (0.5 * engagement - com.reputation);
        com.apply_propensity += PROPENSITY_RECOVERY * (1.0 - com.apply_propensity);
        com.grant_record *= record_retention;
        if !com.registered && com.mean_human_capital() > 0.4 && chance(&mut territory.rng, register)
        {
            com.registered = true;
        }
    }
}
