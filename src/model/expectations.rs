//! Expectations and self-fulfilling prophecies (F1, F3, F4, L12; Merton 1948). Expectation e in
//! [-1, 1] moves toward a target made of recent performance times a feedback gain (prophecy gain
//! times tie diversity, halved for linear strategising, F4), minus the fear of having no money
//! (F1) and crisis stress. Diverse ties also bring opportunities that lift expectations. Effort,
//! and so activity, rises with expectation (see `activity`), closing the loop.

use super::config::Config;
use super::policy::lift;
use super::shocks::Pressure;
use super::state::Territory;
use super::util::chance;

const RATE: f64 = 0.15;
const OPPORTUNITY_RATE: f64 = 0.06;
const OPPORTUNITY_LIFT: f64 = 0.15;
/// Expectation above which, with activity up on a year ago, a community is on a positive
/// self-fulfilling trajectory.
pub const POSITIVE: f64 = 0.2;

pub fn step(territory: &mut Territory, config: &Config, pressure: &Pressure) {
    let platforms = 1.0 + lift(config.levers.communication_platforms);
    let fear = config.expectations.money_fear * (-0.3 * config.levers.research_transfer).exp();
    for com in territory.communities.iter_mut().filter(|c| c.alive) {
        let diversity = com.tie_diversity();
        let now = com.total_activity();
        let before = com.activity_history[8];
        let performance = if before > 0.0 {
            (3.0 * (now / before - 1.0)).tanh()
        } else {
            0.0
        };
        let gain =
            config.expectations.prophecy_gain * diversity * if com.cocreation { 1.0 } else { 0.5 };
        let stress = pressure.intensity * if com.dreams { 0.3 } else { 0.6 };
        let target = (0.1 + gain * performance - fear * com.shortfall - stress).clamp(-1.0, 1.0);
        com.expectation += RATE * (target - com.expectation);
        if chance(&mut territory.rng, OPPORTUNITY_RATE * diversity * platforms) {
            com.expectation += OPPORTUNITY_LIFT * gain.min(1.0);
        }
        com.expectation = com.expectation.clamp(-1.0, 1.0);
        com.activity_history.rotate_left(1);
        com.activity_history[11] = now;
    }
}
