//! The time pit (P1, P2, F2). A community plans as far ahead as it expects its plans to hold:
//! it learns the monthly rate at which its plans break from what happens to its own tasks (the
//! share of planned work postponed or voided, `tasks`), and its horizon is
//! H = 1 / (1/H0 + perceived break rate): H0 (a year) when nothing breaks, a season when a
//! quarter of the plans breaks a month. Breaks are learned fast and forgotten at the recovery
//! rate once plans hold again. Communities with goals and dreams (F2) take less notice of
//! broken tasks. Nothing here knows whether a shock is on.

use super::config::Config;
use super::state::Territory;

/// Share of the gap to a higher perceived break rate closed in a month: breaks are learned
/// within weeks.
pub const LEARNING_RATE: f64 = 0.6;
/// Weight of broken tasks for a community with goals and dreams relative to one with tasks.
pub const DREAM_STRESS: f64 = 0.6;

/// The planning horizon under a perceived break rate.
pub fn horizon(config: &Config, plan_breaks: f64) -> f64 {
    1.0 / (1.0 / config.horizon.normal + plan_breaks.max(0.0))
}

pub fn step(territory: &mut Territory, config: &Config) {
    for com in territory.communities.iter_mut().filter(|c| c.alive) {
        let dream = if com.dreams { DREAM_STRESS } else { 1.0 };
        let seen = config.horizon.stress_sensitivity * dream * com.disrupted;
        let rate = if seen > com.plan_breaks {
            LEARNING_RATE
        } else {
            config.horizon.recovery_rate
        };
        com.plan_breaks += rate * (seen - com.plan_breaks);
        com.horizon = horizon(config, com.plan_breaks);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    #[test]
    fn a_quarter_of_plans_breaking_a_month_makes_a_season_of_the_year() {
        let config = Config::from_scenario(&Scenario::default());
        assert_eq!(horizon(&config, 0.0), 12.0);
        let pit = horizon(&config, 0.25);
        assert!((pit - 3.0).abs() < 0.01, "{pit}");
    }
}
