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

/// Share of the gap to its target that each criterion (C1..C6) closes in a month.
const RATES: [f64; 6] = [0.03, 0.02, 0.05, 0.01, 0.01, 0.02];
/// Share of the gap to its target that reputation closes in a month.
const REPUTATION_RATE: f64 = 0.03;
/// Engagement (this month's activity over normal will) above which it stops counting.
const MAX_ENGAGEMENT: f64 = 1.5;
/// Cohesion target (C1) gained per unit of engagement (capped at 1) above [`NORMAL_ENGAGEMENT`].
const COHESION_ENGAGEMENT: f64 = 0.3;
/// Engagement at which working together neither builds nor loosens ties (C1).
const NORMAL_ENGAGEMENT: f64 = 0.8;
/// Information-exchange target (C2) gained per unit share of online activity above
/// [`NORMAL_ONLINE_SHARE`].
const INFORMATION_ONLINE: f64 = 0.3;
/// Share of online activity at which information exchange (C2) neither grows nor fades.
const NORMAL_ONLINE_SHARE: f64 = 0.1;
/// Identity target (C4) gained per unit of the territory's cultural code (D3) above
/// [`NORMAL_CULTURAL_CODE`].
const IDENTITY_CULTURE: f64 = 0.2;
/// Cultural code (D3) at which identity (C4) neither grows nor fades.
const NORMAL_CULTURAL_CODE: f64 = 0.3;
/// Value-platform target (C5) gained per unit of intangible assets (capped at 1) above
/// [`NORMAL_ASSETS`].
const VALUES_ASSETS: f64 = 0.2;
/// Intangible assets at which the value platform (C5) neither grows nor fades.
const NORMAL_ASSETS: f64 = 0.5;
/// Agency target (C6) gained per unit of reputation (capped at 1) above [`NORMAL_REPUTATION`].
const AGENCY_REPUTATION: f64 = 0.2;
/// Reputation at which agency (C6) neither grows nor fades.
const NORMAL_REPUTATION: f64 = 0.3;
/// Agency target (C6) gained per unit of members' mean human capital above
/// [`NORMAL_HUMAN_CAPITAL`].
const AGENCY_SKILLS: f64 = 0.2;
/// Mean human capital at which agency (C6) neither grows nor fades.
const NORMAL_HUMAN_CAPITAL: f64 = 0.5;
/// Reputation a community tends to per unit of engagement.
const REPUTATION_ENGAGEMENT: f64 = 0.5;
/// Members' mean human capital above which an unregistered community may register (C7).
const REGISTRATION_SKILLS: f64 = 0.4;
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
        let engagement = (total / normal).min(MAX_ENGAGEMENT);
        let online_share = com.activity[ONLINE] / total.max(1e-9);
        // K4: members who carried each other's firms grow closer.
        let mutual_aid = if com.kind == ENTREPRENEURIAL && com.n_members > 0 {
            MUTUAL_AID_COHESION * (com.helped / f64::from(com.n_members)).min(1.0)
        } else {
            0.0
        };
        let base = com.base_criteria;
        let targets = [
            base[0] + COHESION_ENGAGEMENT * (engagement.min(1.0) - NORMAL_ENGAGEMENT) + mutual_aid,
            base[1] + INFORMATION_ONLINE * (online_share - NORMAL_ONLINE_SHARE),
            base[2] - IDLE_DRIFT * com.idle_share + PRESSING_BOND * com.pressing_share,
            base[3] + IDENTITY_CULTURE * (cultural_code - NORMAL_CULTURAL_CODE),
            base[4] + VALUES_ASSETS * (com.assets.min(1.0) - NORMAL_ASSETS),
            base[5]
                + AGENCY_REPUTATION * (com.reputation.min(1.0) - NORMAL_REPUTATION)
                + AGENCY_SKILLS * (com.mean_human_capital() - NORMAL_HUMAN_CAPITAL),
        ];
        for k in 0..6 {
            com.criteria[k] = (com.criteria[k]
                + RATES[k] * (targets[k].clamp(0.0, 1.0) - com.criteria[k]))
                .clamp(0.0, 1.0);
        }
        com.reputation += REPUTATION_RATE * (REPUTATION_ENGAGEMENT * engagement - com.reputation);
        com.apply_propensity += PROPENSITY_RECOVERY * (1.0 - com.apply_propensity);
        com.grant_record *= record_retention;
        if !com.registered
            && com.mean_human_capital() > REGISTRATION_SKILLS
            && chance(&mut territory.rng, register)
        {
            com.registered = true;
        }
    }
}
