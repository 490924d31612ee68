//! Leaders (S3, B4, L11): burnout as a hazard that rises as recognition falls and under crisis
//! stress; succession by a member with a given probability, else the community is leaderless
//! until a member steps up.

use super::config::Config;
use super::participation::{recognition, stress};
use super::state::{Territory, NONE};
use super::util::{chance, per_month};
use rand::Rng;

/// Monthly probability that a member steps up in a leaderless community.
const STEP_UP: f64 = 0.1;

pub fn step(territory: &mut Territory, config: &Config) {
    let recog = recognition(territory, config);
    let crisis_stress = stress(territory, config, false);
    for c in 0..territory.communities.len() {
        let com = &territory.communities[c];
        if !com.alive || com.n_members == 0 {
            continue;
        }
        if com.leader != NONE {
            let p = per_month(config.burnout * (1.0 + (1.0 - recog)) * (1.0 + 2.0 * crisis_stress));
            if !chance(&mut territory.rng, p) {
                continue;
            }
            let leader = com.leader as usize;
            territory.leave(leader);
            if !chance(&mut territory.rng, config.succession) {
                continue;
            }
        } else if !chance(&mut territory.rng, STEP_UP) {
            continue;
        }
        appoint(territory, config, c);
    }
}

/// Makes a random member of community `c` its leader, with a freshly drawn orientation (S3).
pub fn appoint(territory: &mut Territory, config: &Config, c: usize) {
    let n = territory.communities[c].n_members;
    if n == 0 {
        return;
    }
    let pick = territory.rng.random_range(0..n);
    let member = territory
        .residents
        .community
        .iter()
        .enumerate()
        .filter(|(_, &k)| k == c as u32)
        .nth(pick as usize)
        .map(|(i, _)| i);
    if let Some(i) = member {
        let external = chance(&mut territory.rng, config.external_orientation);
        let com = &mut territory.communities[c];
        com.leader = i as u32;
        com.external_leader = external;
    }
}
