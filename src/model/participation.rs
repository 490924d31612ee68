//! Residents joining and leaving communities (S1, B4, C1, C2, C4, L4). Joining follows
//! Granovetter's threshold model, P = j m X^a / (T^a + X^a), where X is the engaged share of the
//! territory.
//! Dropout rises as recognition falls (B4) and falls with cohesion (C1) and identity (C4);
//! information exchange (C2) spreads word of the communities to residents.

use super::config::Config;
use super::economy;
use super::state::{Territory, NONE, SENIOR};
use super::util::{per_month, Cumulative, Picks};
use rand::Rng;

/// Communities can hold this many times their initial mean size.
const CAPACITY_FACTOR: f64 = 1.5;
/// The least room a community offers, in agents, however small its mean size.
const MIN_CAPACITY: f64 = 2.0;
/// Share of the gap to full recognition that a fully developed cultural code (D3) closes.
const CULTURAL_RECOGNITION: f64 = 0.3;
/// Pull of a community with no activity, added to its activity per member (person-months).
const PULL_ACTIVITY: f64 = 0.2;
/// Pull factor of a community with no reputation, added to its reputation.
const PULL_REPUTATION: f64 = 0.5;
/// Pull factor of a community with no information exchange, added to its C2.
const PULL_INFORMATION: f64 = 0.5;
/// Relative rise of dropout per unit of missing recognition (B4).
const DROPOUT_UNRECOGNISED: f64 = 1.5;
/// Word of mouth where no community exchanges information, added to the territory's mean C2.
const WORD_OF_MOUTH: f64 = 0.5;
/// Share of seniors' dropout that a fully developed D5 (support of social groups) spares.
const SENIOR_RELIEF: f64 = 0.5;
/// Dropout factor of a community without cohesion, from which its cohesion (C1) is taken off.
const LOOSE_DROPOUT: f64 = 1.5;
/// Dropout factor of a community without identity (C4).
const STRANGER_DROPOUT: f64 = 1.25;
/// Fall of the dropout factor per unit of identity (C4): "one of us" holds members.
const IDENTITY_HOLD: f64 = 0.5;

/// Recognition members feel: the scenario's level raised by the cultural code (D3).
pub fn recognition(territory: &Territory, config: &Config) -> f64 {
    config.community.recognition
        + (1.0 - config.community.recognition) * CULTURAL_RECOGNITION * territory.development[2]
}

/// Economic stress on a member: the territory's loss, spared by K2b and K2c.
pub fn stress(territory: &Territory, config: &Config, public_sector: bool) -> f64 {
    let class = &config.classes[territory.class];
    let mut s =
        economy::loss(territory) * (1.0 - class.scarcity_habit * config.crisis.scarcity_buffer);
    if public_sector {
        s *= 1.0 - config.crisis.public_sector_buffer;
    }
    s
}

/// `x^a`, without the cost of a general power at the default steepness `a` = 1 (the result is the
/// same: `powf(x, 1)` is exactly `x`).
fn pow(x: f64, a: f64) -> f64 {
    if a == 1.0 {
        x
    } else {
        x.powf(a)
    }
}

pub fn step(territory: &mut Territory, config: &Config) {
    let n = territory.residents.len();
    if n == 0 {
        return;
    }
    let alive: Vec<usize> = (0..territory.communities.len())
        .filter(|&c| territory.communities[c].alive)
        .collect();
    let members = territory.members() as f64;
    let scale = territory.agent_scale;
    let engaged = (members / n as f64).min(1.0);
    let capacity =
        alive.len() as f64 * (CAPACITY_FACTOR * config.community.size / scale).max(MIN_CAPACITY);
    let availability = if capacity > 0.0 {
        (1.0 - members / capacity).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let weights: Vec<f64> = alive
        .iter()
        .map(|&c| {
            let com = &territory.communities[c];
            let per_member = com.total_activity() / f64::from(com.n_members.max(1)) / scale;
            (PULL_ACTIVITY + per_member)
                * (PULL_REPUTATION + com.reputation)
                * (PULL_INFORMATION + com.criteria[1])
        })
        .collect();
    // A joiner picks a community in proportion to its pull: O(log communities) a joiner.
    let choose = Cumulative::new(&weights);
    let identity: f64 = if alive.is_empty() {
        0.0
    } else {
        alive
            .iter()
            .map(|&c| territory.communities[c].criteria[3])
            .sum::<f64>()
            / alive.len() as f64
    };
    let newcomer_factor = 1.0 - identity * (-config.levers.newcomer_dialogue).exp();
    let recog = recognition(territory, config);
    let a = config.participation.steepness;
    let x_a = pow(engaged, a);
    let join_scale = config.participation.join_rate * availability;
    let dropout_year = config.participation.dropout * (1.0 + DROPOUT_UNRECOGNISED * (1.0 - recog));
    // C2: word of mouth; information exchange in the territory's communities spreads the news.
    let information: f64 = alive
        .iter()
        .map(|&c| territory.communities[c].criteria[1])
        .sum::<f64>()
        / alive.len().max(1) as f64;
    let word_of_mouth = WORD_OF_MOUTH + information;
    let join_scale = join_scale * word_of_mouth;
    let senior_relief = 1.0 - SENIOR_RELIEF * territory.development[4];
    // Members' economic stress takes two values per territory and month.
    let stress_private = stress(territory, config, false);
    let stress_public = stress(territory, config, true);
    let dropout_rate = |com: &super::state::Community, s: f64| {
        dropout_year
            * (LOOSE_DROPOUT - com.criteria[0])
            * (STRANGER_DROPOUT - IDENTITY_HOLD * com.criteria[3])
            * (1.0 + s)
    };
    // Thinning: residents are picked with a bound on every resident's monthly probability and
    // accepted with their own probability over it, so only about n * bound residents are
    // visited (MODEL.md, "Sampling rare events"). A joiner's probability is at most
    // `join_scale` (motivation, the threshold ratio and the newcomer factor are <= 1); a
    // member's dropout is at most that of the loosest community under the higher stress.
    let join_bound = if alive.is_empty() { 0.0 } else { join_scale };
    let drop_bound = territory
        .communities
        .iter()
        .filter(|c| c.n_members > 0)
        .map(|c| per_month(dropout_rate(c, stress_private.max(stress_public))))
        .fold(0.0, f64::max);
    let bound = join_bound.max(drop_bound).min(1.0);
    let mut picks = Picks::new(n, bound);
    while let Some(i) = picks.next(&mut territory.rng) {
        let c = territory.residents.community[i];
        let u = bound * territory.rng.random::<f64>();
        if c == NONE {
            if u >= join_bound {
                continue;
            }
            let t = f64::from(territory.residents.threshold[i]);
            let mut p =
                join_scale * f64::from(territory.residents.motivation[i]) * x_a / (pow(t, a) + x_a);
            if territory.residents.newcomer[i] {
                p *= newcomer_factor;
            }
            debug_assert!(p <= join_bound * (1.0 + 1e-12));
            if u < p {
                if let Some(k) = choose.sample(&mut territory.rng) {
                    territory.join(i, alive[k]);
                }
            }
        } else {
            let com = &territory.communities[c as usize];
            if com.leader == i as u32 || u >= drop_bound {
                continue;
            }
            let s = if territory.residents.public_sector[i] {
                stress_public
            } else {
                stress_private
            };
            // C1 bonding ties and C4 "one of us" hold members.
            let mut rate = dropout_rate(com, s);
            if territory.residents.age[i] == SENIOR {
                rate *= senior_relief;
            }
            let p = per_month(rate);
            debug_assert!(p <= drop_bound * (1.0 + 1e-12));
            if u < p {
                territory.leave(i);
            }
        }
    }
}
