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
/// Relative rise of burnout per unit of crisis stress on the leader.
const BURNOUT_STRESS: f64 = 2.0;

pub fn step(territory: &mut Territory, config: &Config) {
    let recog = recognition(territory, config);
    let crisis_stress = stress(territory, config, false);
    let burnout = per_month(
        config.leadership.burnout * (1.0 + (1.0 - recog)) * (1.0 + BURNOUT_STRESS * crisis_stress),
    );
    let mut appointments = Vec::new();
    for c in 0..territory.communities.len() {
        let com = &territory.communities[c];
        if !com.alive || com.n_members == 0 {
            continue;
        }
        if com.leader != NONE {
            if !chance(&mut territory.rng, burnout) {
                continue;
            }
            let leader = com.leader as usize;
            territory.leave(leader);
            if !chance(&mut territory.rng, config.leadership.succession) {
                continue;
            }
        } else if !chance(&mut territory.rng, STEP_UP) {
            continue;
        }
        let n = territory.communities[c].n_members;
        if n == 0 {
            continue;
        }
        appointments.push(Appointment {
            community: c,
            rank: territory.rng.random_range(0..n),
            external: chance(&mut territory.rng, config.leadership.external_orientation),
        });
    }
    appoint(territory, &appointments);
}

/// A new leader for `community`: its member of rank `rank` in resident order (drawn uniformly),
/// with a freshly drawn orientation (S3).
struct Appointment {
    community: usize,
    rank: u32,
    external: bool,
}

/// Makes the chosen members leaders: the member of the drawn rank in resident order, found
/// among the community's own members (a selection, linear in its members).
fn appoint(territory: &mut Territory, appointments: &[Appointment]) {
    let mut scratch: Vec<u32> = Vec::new();
    for a in appointments {
        let com = &mut territory.communities[a.community];
        scratch.clear();
        scratch.extend_from_slice(&com.members);
        let rank = a.rank as usize;
        if rank >= scratch.len() {
            continue;
        }
        let (_, &mut chosen, _) = scratch.select_nth_unstable(rank);
        com.leader = chosen;
        com.external_leader = a.external;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appoints_the_member_of_the_drawn_rank_in_resident_order_in_every_community() {
        let (_, mut region) = crate::model::region::test_town(&[], 3, 6);
        let t = &mut region.territories[0];
        let members_of = |t: &Territory, c: usize| -> Vec<u32> {
            (0..t.residents.len() as u32)
                .filter(|&i| t.residents.community[i as usize] == c as u32)
                .collect()
        };
        let chosen: Vec<usize> = (0..t.communities.len())
            .filter(|&c| t.communities[c].n_members >= 3)
            .collect();
        assert!(chosen.len() >= 2, "the test needs communities with members");
        let appointments: Vec<Appointment> = chosen
            .iter()
            .enumerate()
            .map(|(j, &c)| Appointment {
                community: c,
                rank: (j as u32) % t.communities[c].n_members,
                external: j % 2 == 0,
            })
            .collect();
        appoint(t, &appointments);
        for a in &appointments {
            let com = &t.communities[a.community];
            assert_eq!(com.leader, members_of(t, a.community)[a.rank as usize]);
            assert_eq!(com.external_leader, a.external);
        }
    }
}
