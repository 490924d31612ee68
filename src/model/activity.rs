//! Community will and the shock's bite (A1, K2a, K2d, G1). Each month a community's will, the
//! person-months its members can give (members, human capital, leader, effort from
//! expectations, members' stress, money), goes to its task portfolio (`tasks`), which decides
//! what the will is spent on and so the commercial, volunteer and online activity.

use super::config::Config;
use super::participation::stress;
use super::shocks::Pressure;
use super::state::{Community, Territory, NONE};
use super::tasks;

/// Will of a leaderless community relative to one with a leader.
pub const LEADERLESS_WILL: f64 = 0.6;
/// Share of will lost when a community has no money at all (G1: internal resources are limited).
pub const MONEY_BOUND: f64 = 0.3;
/// Share of will lost when every member is under full stress.
pub const STRESS_BOUND: f64 = 0.5;
/// The least effort, as a share of normal, however gloomy the expectation.
pub const MIN_EFFORT: f64 = 0.1;

/// Person-months a member without human capital gives a month in normal times; each unit of
/// human capital (0 to 1) adds one more.
pub const BASE_WILL: f64 = 0.5;

/// Person-months of work a community can give this month in normal times.
pub fn normal_will(com: &Community, scale: f64) -> f64 {
    f64::from(com.n_members) * scale * (BASE_WILL + com.mean_human_capital())
}

/// The shock's bite on a territory's communities, shared by all its communities this month.
pub struct Bite {
    /// K2a: share of each loss that lands (1 - buffer * (1 - development)).
    pub landing: f64,
    /// A1, K2d: monthly chance that a task done in person is postponed, per unit of restriction
    /// (before landing).
    pub postponed_per_restriction: f64,
    /// Fall of residents' spending below normal: the market of communities' commercial work.
    pub market_loss: f64,
}

pub fn bite(territory: &Territory, config: &Config) -> Bite {
    let class = &config.classes[territory.class];
    let c = &config.crisis;
    Bite {
        landing: 1.0 - c.low_base_buffer * (1.0 - territory.mean_development()),
        postponed_per_restriction: c.postponement * (1.0 - class.scarcity_habit * c.tactics_buffer),
        market_loss: (1.0 - territory.spending).clamp(0.0, 1.0),
    }
}

/// This month's will of every community of the territory (0 for the dead).
fn wills(territory: &Territory, config: &Config) -> Vec<f64> {
    let scale = territory.agent_scale;
    let stress_private = stress(territory, config, false);
    let stress_public = stress(territory, config, true);
    territory
        .communities
        .iter()
        .map(|com| {
            if !com.alive {
                return 0.0;
            }
            let public_frac = if com.n_members > 0 {
                f64::from(com.n_public) / f64::from(com.n_members)
            } else {
                0.0
            };
            let member_stress = public_frac * stress_public + (1.0 - public_frac) * stress_private;
            let leader = if com.leader != NONE {
                1.0
            } else {
                LEADERLESS_WILL
            };
            normal_will(com, scale)
                * leader
                * (1.0 - MONEY_BOUND * com.shortfall)
                * (1.0 + config.expectations.effort * com.expectation).max(MIN_EFFORT)
                * (1.0 - STRESS_BOUND * member_stress)
        })
        .collect()
}

/// `ended`: the epidemic ended this month (P2).
pub fn step(
    territory: &mut Territory,
    config: &Config,
    pressure: &Pressure,
    month: i32,
    ended: bool,
) {
    let b = bite(territory, config);
    let wills = wills(territory, config);
    tasks::step(territory, config, pressure, &b, &wills, month, ended);
}
