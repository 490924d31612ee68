//! Money and intangible assets (F1, K3, K4, A5, P3, L2). Commercial work earns, paid late in a
//! crisis as the territory's firms are (K4); activity costs;
//! in a crisis barter replaces part of the money flows (K3); a leader covers part of a deficit
//! from their own pocket (A5); activity accumulates intangible assets (P3). The shortfall signal
//! feeds fear of having no money (F1), stances and dissolution.

use super::config::Config;
use super::shocks::Pressure;
use super::state::{Territory, COMMERCIAL, CULTURAL, NONE, ONLINE, VOLUNTEER};

/// Million roubles earned per person-month of commercial work.
pub const PRICE: f64 = 0.01;
/// Million roubles spent per person-month of activity.
pub const COST: f64 = 0.003;
/// Million roubles of dues and small donations per member (person) per month.
pub const DUES: f64 = 0.0003;
/// Months of costs a community wants in reserve.
pub const RESERVE_MONTHS: f64 = 3.0;
/// Share of intangible assets lost each month.
const ASSET_DECAY: f64 = 0.01;
/// Business skill of a community at a scenario's business skills of 0: earnings per unit of
/// commercial work are `PRICE · (BASE_BUSINESS_SKILL + business_skills)`.
const BASE_BUSINESS_SKILL: f64 = 0.5;
/// Million roubles a month given to each cultural community per unit of the L2 lever.
const CULTURAL_SUPPORT_MONEY: f64 = 0.01;
/// Cost of a person-month of commercial work relative to other activity (the rest is paid by
/// the client).
const COMMERCIAL_COST_SHARE: f64 = 0.5;
/// Share of the crisis barter (K3) that replaces money flows where scarcity is not habitual.
const BARTER_BASE: f64 = 0.3;
/// Further share of the crisis barter (K3) per unit of the territory's scarcity habit.
const BARTER_SCARCITY: f64 = 0.7;
/// Share of dues and small donations lost at full crisis intensity.
const DUES_CRISIS_CUT: f64 = 0.5;
/// Person-months of activity per member beyond which more activity adds no intangible assets.
const ASSET_ACTIVITY_CAP: f64 = 2.0;

pub fn step(territory: &mut Territory, config: &Config, pressure: &Pressure) {
    let c = &config.crisis;
    let business_skill = BASE_BUSINESS_SKILL + config.community.business_skills;
    let scarcity = config.classes[territory.class].scarcity_habit;
    let cultural_money = CULTURAL_SUPPORT_MONEY * config.levers.cultural_support;
    let unpaid = territory.unpaid_share;
    let repayment = config.economy.repayment * (1.0 - unpaid);
    for com in territory.communities.iter_mut().filter(|c| c.alive) {
        // K4: clients pay for part of the work later ("pay when you can").
        let earned = com.activity[COMMERCIAL] * PRICE * business_skill;
        let repaid = com.receivables * repayment;
        com.receivables += unpaid * earned - repaid;
        let income = (1.0 - unpaid) * earned + repaid;
        let gross = (com.activity[VOLUNTEER]
            + com.activity[ONLINE]
            + COMMERCIAL_COST_SHARE * com.activity[COMMERCIAL])
            * COST;
        let barter = c.barter * pressure.intensity * (BARTER_BASE + BARTER_SCARCITY * scarcity);
        let expense = gross * (1.0 - barter);
        let mut support = 0.0;
        if com.kind == CULTURAL {
            support = cultural_money;
            territory.external_money += support;
        }
        let dues = DUES
            * f64::from(com.n_members)
            * territory.agent_scale
            * (1.0 - DUES_CRISIS_CUT * pressure.intensity);
        let deficit = (expense - income - dues - support).max(0.0);
        // A5: in a crisis the leader covers part of the month's deficit from their own pocket.
        let own_money = if pressure.intensity > 0.0 && com.leader != NONE {
            c.leader_spending * deficit
        } else {
            0.0
        };
        com.money = (com.money + income + dues + support + own_money - expense).max(0.0);
        let reserve = RESERVE_MONTHS * gross.max(1e-9);
        com.shortfall = (1.0 - com.money / reserve).clamp(0.0, 1.0);
        let total = com.total_activity();
        let unpaid = (com.activity[VOLUNTEER] + com.activity[ONLINE]) / total.max(1e-9);
        let per_member = total / (f64::from(com.n_members.max(1)) * territory.agent_scale);
        com.assets += config.community.nonmonetary_accumulation
            * unpaid
            * per_member.min(ASSET_ACTIVITY_CAP)
            * (1.0 + c.barter * pressure.intensity)
            - ASSET_DECAY * com.assets;
    }
}
