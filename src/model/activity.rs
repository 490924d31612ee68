//! Community activity and its mix (A1-A4, A8, K2a, K2d, R2). Each month a community's will
//! (members, human capital, leader, effort from expectations, members' stress) is split into
//! commercial, volunteer and online targets. Commercial work follows its market: for most
//! communities what residents spend (`economy`), for an entrepreneurial community the receipts
//! of its members' firms (R2). A shock restricts gathering and postpones planned work, while
//! freed capacity and pressing tasks turn to volunteering and online work. Without money a
//! community does less (G1). Activity relaxes halfway to its targets a month.

use super::config::Config;
use super::participation::stress;
use super::shocks::Pressure;
use super::state::{Community, Territory, COMMERCIAL, ENTREPRENEURIAL, NONE, ONLINE, VOLUNTEER};

const RELAXATION: f64 = 0.5;
/// Will of a leaderless community relative to one with a leader.
const LEADERLESS_WILL: f64 = 0.6;
/// Share of will lost when a community has no money at all (G1: internal resources are limited).
const MONEY_BOUND: f64 = 0.3;

/// Person-months of work a community can give this month in normal times.
pub fn normal_will(com: &Community, scale: f64) -> f64 {
    f64::from(com.n_members) * scale * (0.5 + com.mean_human_capital())
}

/// The shock's bite on a territory's communities, shared by all its communities this month.
pub struct Bite {
    /// K2a: share of each loss that lands (1 - buffer * (1 - development)).
    pub landing: f64,
    /// A1, K2d: share of planned activity postponed.
    pub postponed: f64,
    /// Fall of residents' spending below normal: the market of communities' commercial work.
    pub market_loss: f64,
}

pub fn bite(territory: &Territory, config: &Config, pressure: &Pressure) -> Bite {
    let class = &config.classes[territory.class];
    let c = &config.crisis;
    Bite {
        landing: 1.0 - c.low_base_buffer * (1.0 - territory.mean_development()),
        postponed: pressure.intensity
            * c.postponement
            * (1.0 - class.scarcity_habit * c.tactics_buffer),
        market_loss: (1.0 - territory.spending).clamp(0.0, 1.0),
    }
}

pub fn step(territory: &mut Territory, config: &Config, pressure: &Pressure) {
    let b = bite(territory, config, pressure);
    let scale = territory.agent_scale;
    let stress_private = stress(territory, config, false);
    let stress_public = stress(territory, config, true);
    let c = &config.crisis;
    for com in territory.communities.iter_mut().filter(|c| c.alive) {
        let normal = normal_will(com, scale);
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
        let funds = 1.0 - MONEY_BOUND * com.shortfall;
        let will = normal
            * leader
            * funds
            * (1.0 + config.effort * com.expectation).max(0.1)
            * (1.0 - 0.5 * member_stress);
        let [m_c, m_v, m_o] = com.base_mix;
        // R2: an association of firm owners works as far as its members' firms do.
        let market = if com.kind == ENTREPRENEURIAL {
            com.base_loss
        } else {
            b.landing * b.market_loss
        };
        // A8: lean communities drop showcase events and keep niche, infrastructure work.
        let restrict = b.landing * pressure.restriction * if com.lean { 0.5 } else { 1.0 };
        let postponed = b.landing * b.postponed;
        let commercial = will * m_c * (1.0 - market) * (1.0 - postponed) * (1.0 - 0.5 * restrict);
        let freed = (will * m_c - commercial).max(0.0);
        let pressing = will
            * c.pressing_tasks
            * pressure.pressing
            * (0.5 + com.criteria[2])
            * if com.lean { 1.5 } else { 1.0 };
        let volunteer = will * m_v * (1.0 - postponed) * (1.0 - 0.3 * restrict)
            + c.volunteer_conversion * freed
            + pressing;
        let online =
            will * m_o + will * c.online_shift * pressure.restriction * (0.5 + com.criteria[1]);
        let targets = [commercial, volunteer, online];
        for k in [COMMERCIAL, VOLUNTEER, ONLINE] {
            com.activity[k] += RELAXATION * (targets[k] - com.activity[k]);
        }
        com.commercial_loss = if will > 0.0 { freed / will } else { 0.0 };
    }
}
