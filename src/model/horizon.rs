//! The time pit (P1, P2, F2): the planning horizon falls toward
//! H = Hmin + (H0 - Hmin) exp(-k stress) within weeks of a shock and climbs back after it at the
//! recovery rate, as the end of the crisis resets plans. Communities with goals and dreams (F2)
//! feel less of the stress.

use super::config::Config;
use super::shocks::Pressure;
use super::state::Territory;

const FALL_RATE: f64 = 0.6;
/// Stress felt by a community with goals and dreams relative to one with tasks.
const DREAM_STRESS: f64 = 0.6;

pub fn target(config: &Config, stress: f64) -> f64 {
    config.horizon_min
        + (config.horizon_normal - config.horizon_min) * (-config.stress_sensitivity * stress).exp()
}

pub fn step(territory: &mut Territory, config: &Config, pressure: &Pressure) {
    for com in territory.communities.iter_mut().filter(|c| c.alive) {
        let dream = if com.dreams { DREAM_STRESS } else { 1.0 };
        let stress = pressure.intensity * dream * (0.8 + 0.2 * com.shortfall);
        let h = target(config, stress);
        let rate = if h < com.horizon {
            FALL_RATE
        } else {
            config.horizon_recovery
        };
        com.horizon += rate * (h - com.horizon);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    #[test]
    fn time_pit_bottoms_near_three_months() {
        let config = Config::from_scenario(&Scenario::default());
        assert_eq!(target(&config, 0.0), 12.0);
        let pit = target(&config, 0.8);
        assert!(pit > 3.0 && pit < 3.5, "{pit}");
    }
}
