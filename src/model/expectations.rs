//! Expectations and self-fulfilling prophecies (F1, F3, F4, L6, L12; Merton 1948). Expectation e
//! in [-1, 1] moves toward a target made of recent performance times a feedback gain (prophecy
//! gain times the diversity of the community's ties, halved for linear strategising, F4), minus
//! the fear of having no money (F1) and crisis stress, and pulled toward the expectations of the
//! communities it has ties with: expectations travel along the network, more for co-creating
//! communities (F4). Diverse ties also bring opportunities that lift expectations. Effort, and
//! so activity, rises with expectation (see `activity`), closing the loop.

use super::config::Config;
use super::policy::lift;
use super::shocks::Pressure;
use super::state::Territory;
use super::util::chance;

const RATE: f64 = 0.15;
const OPPORTUNITY_RATE: f64 = 0.06;
const OPPORTUNITY_LIFT: f64 = 0.15;
/// Factor on the prophecy gain and on the neighbours' pull for a community that strategises
/// linearly rather than co-creating its future (F4).
pub const LINEAR: f64 = 0.5;
/// Expectation above which, with activity up on a year ago, a community is on a positive
/// self-fulfilling trajectory.
pub const POSITIVE: f64 = 0.2;
/// The expectation a community tends to without performance, fear or stress.
pub const RESTING: f64 = 0.1;
/// How far back performance looks: activity now against [`LAG`] months ago.
pub const LAG: usize = 4;
/// Steepness of performance, `tanh(PERFORMANCE_GAIN (A_t / A_{t-LAG} - 1))`.
pub const PERFORMANCE_GAIN: f64 = 3.0;
/// Crisis stress on the expectation of a community that dreams (F2) and of one that works by
/// tasks, per unit of crisis intensity.
pub const DREAM_STRESS: f64 = 0.3;
pub const TASK_STRESS: f64 = 0.6;
/// Rate at which researchers' feedback (L12) tempers the fear of having no money.
pub const RESEARCH_CALM: f64 = 0.3;

pub fn step(territory: &mut Territory, config: &Config, pressure: &Pressure) {
    let platforms = 1.0 + lift(config.levers.communication_platforms);
    let fear =
        config.expectations.money_fear * (-RESEARCH_CALM * config.levers.research_transfer).exp();
    // Neighbours' expectations as they were at the start of the step, so that the order in
    // which communities update does not matter.
    let before: Vec<f64> = territory
        .communities
        .iter()
        .map(|c| c.expectation)
        .collect();
    for com in territory.communities.iter_mut().filter(|c| c.alive) {
        let diversity = com.tie_diversity();
        let now = com.total_activity();
        let before_activity = com.activity_history[com.activity_history.len() - LAG];
        let performance = if before_activity > 0.0 {
            (PERFORMANCE_GAIN * (now / before_activity - 1.0)).tanh()
        } else {
            0.0
        };
        let mode = if com.cocreation { 1.0 } else { LINEAR };
        let gain = config.expectations.prophecy_gain * diversity * mode;
        let stress = pressure.intensity
            * if com.dreams {
                DREAM_STRESS
            } else {
                TASK_STRESS
            };
        let own = (RESTING + gain * performance - fear * com.shortfall - stress).clamp(-1.0, 1.0);
        let target = match neighbours_expectation(com.ties.neighbours(), &before) {
            Some(theirs) => {
                let pull = config.ties.expectation_pull * mode;
                (1.0 - pull) * own + pull * theirs
            }
            None => own,
        };
        com.expectation += RATE * (target - com.expectation);
        if chance(&mut territory.rng, OPPORTUNITY_RATE * diversity * platforms) {
            com.expectation += OPPORTUNITY_LIFT * gain.min(1.0);
        }
        com.expectation = com.expectation.clamp(-1.0, 1.0);
        com.activity_history.rotate_left(1);
        com.activity_history[11] = now;
    }
}

/// The mean of `expectations` over the community neighbours, weighted by tie strength; `None`
/// for a community without ties to other communities.
pub fn neighbours_expectation(
    neighbours: impl Iterator<Item = (usize, f64)>,
    expectations: &[f64],
) -> Option<f64> {
    let (sum, weight) = neighbours.fold((0.0, 0.0), |(s, w), (n, strength)| {
        (s + strength * expectations[n], w + strength)
    });
    (weight > 0.0).then(|| sum / weight)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::network;
    use crate::model::region::Region;
    use crate::scenario::Scenario;

    #[test]
    fn the_neighbours_mean_is_weighted_by_tie_strength() {
        let e = [0.6, -0.2, 0.0];
        assert_eq!(neighbours_expectation(std::iter::empty(), &e), None);
        let mean = neighbours_expectation([(0, 3.0), (1, 1.0)].into_iter(), &e).unwrap();
        assert!((mean - 0.4).abs() < 1e-12);
    }

    #[test]
    fn expectations_travel_along_ties_between_communities() {
        let config = Config::from_scenario(&Scenario::default());
        let region = Region::new(&config, 3);
        let t = (0..region.territories.len())
            .find(|&t| region.territories[t].communities.len() >= 2)
            .unwrap();
        // The same community twice: alone, and tied to an optimistic neighbour.
        let run = |tied: bool| {
            let mut territory = region.territories[t].clone();
            for c in 0..territory.communities.len() {
                network::detach(&mut territory, c);
                territory.communities[c].cocreation = true;
            }
            territory.communities[1].expectation = 1.0;
            if tied {
                network::link(&mut territory, 0, 1, 1.0);
            }
            territory.rng = crate::model::streams::mechanism(territory.seed, 0, 10);
            step(&mut territory, &config, &Pressure::default());
            territory.communities[0].expectation
        };
        let (alone, tied) = (run(false), run(true));
        // Alone, e moves RATE of the way to its own target; tied, to a target expectation_pull
        // of the way from its own to the neighbour's 1. One neighbour is one kind of tie, so
        // the diversity is 0 in both cases and no opportunity lifts either.
        let start = region.territories[t].communities[0].expectation;
        let own = start + (alone - start) / RATE;
        let pull = RATE * config.ties.expectation_pull * (1.0 - own);
        assert!(tied > alone, "{tied} vs {alone}");
        assert!(
            (tied - alone - pull).abs() < 1e-9,
            "{tied} - {alone} vs {pull}"
        );
    }
}
