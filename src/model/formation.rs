//! New communities (C7, C8, L11): a Poisson stream per territory, faster where recognition and
//! the territory's human capital (D6) are high and where leaders are supported. A motivated free
//! resident founds it and recruits a few others; it brings a few ties (`ties::at_founding`). Also
//! creates the communities present at month 0.

use super::config::Config;
use super::network::Ties;
use super::policy::lift;
use super::state::{Community, Territory, ENTREPRENEURIAL, NEUTRALITY, NONE};
use super::util::{beta_mean, chance, poisson, weighted};
use rand::Rng;

const CRITERIA_CONCENTRATION: f64 = 8.0;
/// Tries at finding a free firm owner to recruit into an entrepreneurial community.
const OWNER_TRIES: usize = 20;

pub fn step(territory: &mut Territory, config: &Config, month: i32) {
    let class = &config.classes[territory.class];
    let recog = super::participation::recognition(territory, config);
    let rate = config.formation_rate * class.formation_weight / 12.0
        * (0.5 + recog)
        * (1.0 + 0.5 * lift(config.levers.leader_support))
        * (1.0 + 0.3 * territory.development[5]);
    for _ in 0..poisson(&mut territory.rng, rate) {
        if let Some(c) = found(territory, config, month, false) {
            super::ties::at_founding(territory, config, c);
            territory.formed += 1;
        }
    }
}

/// Founds a community with a leader and recruits; `None` when no free resident can lead it. The
/// new community has no ties yet: its founding partners are drawn by `ties::at_founding` (for
/// the communities a territory is built with, once they all exist).
pub fn found(
    territory: &mut Territory,
    config: &Config,
    month: i32,
    initial: bool,
) -> Option<usize> {
    let n = territory.residents.len();
    if n == 0 {
        return None;
    }
    let leader = (0..20)
        .map(|_| territory.rng.random_range(0..n))
        .find(|&i| {
            territory.residents.community[i] == NONE && territory.residents.motivation[i] > 0.4
        })?;
    let kind = weighted(&mut territory.rng, &config.type_mix).unwrap_or(0);
    let founded = if initial {
        -territory.rng.random_range(0..120)
    } else {
        month
    };
    let com = new_community(territory, config, kind, initial, founded);
    territory.communities.push(com);
    let c = territory.communities.len() - 1;
    territory.join(leader, c);
    territory.communities[c].leader = leader as u32;
    let scale = territory.agent_scale;
    let target = (config.size / scale).max(1.0);
    let extra = if initial {
        poisson(&mut territory.rng, target - 1.0)
    } else {
        poisson(&mut territory.rng, (target / 2.0 - 1.0).max(0.0))
    };
    for _ in 0..extra {
        // R2: an entrepreneurial community is an association of firm owners.
        let owner = if kind == ENTREPRENEURIAL {
            free_owner(territory)
        } else {
            None
        };
        let recruit = owner.or_else(|| {
            (0..20)
                .map(|_| territory.rng.random_range(0..n))
                .find(|&i| territory.residents.community[i] == NONE)
        });
        if let Some(i) = recruit {
            territory.join(i, c);
        }
    }
    let scale_will = super::activity::normal_will(&territory.communities[c], scale);
    let com = &mut territory.communities[c];
    for k in 0..3 {
        com.activity[k] = scale_will * com.base_mix[k];
    }
    com.activity_history = [com.total_activity(); 12];
    com.money =
        3.0 * super::finances::COST * com.total_activity() * (0.5 + territory.rng.random::<f64>());
    Some(c)
}

/// The owner of a randomly found open firm who belongs to no community, if any.
fn free_owner(territory: &mut Territory) -> Option<usize> {
    let n = territory.firms.len();
    if n == 0 {
        return None;
    }
    (0..OWNER_TRIES)
        .map(|_| &territory.firms[territory.rng.random_range(0..n)])
        .find(|f| f.is_open() && territory.residents.community[f.owner as usize] == NONE)
        .map(|f| f.owner as usize)
}

fn new_community(
    territory: &mut Territory,
    config: &Config,
    kind: usize,
    initial: bool,
    founded: i32,
) -> Community {
    let rng = &mut territory.rng;
    let mut criteria = [0.0; 6];
    for (k, mean) in config.criteria.iter().enumerate() {
        criteria[k] = beta_mean(rng, *mean, CRITERIA_CONCENTRATION);
    }
    let registered = chance(
        rng,
        if initial {
            config.registered_share
        } else {
            0.5 * config.registered_share
        },
    );
    let m_c = config.commercial_share[kind];
    let m_o = config.online_share.min(1.0 - m_c);
    let base_mix = [m_c, 1.0 - m_c - m_o, m_o];
    // Every community starts neutral toward the administration: integration and confrontation
    // are reached only through the stance chain (`administration`).
    let stance = NEUTRALITY;
    Community {
        kind,
        registered,
        registered_at_start: registered,
        alive: true,
        initial,
        entered: founded.max(0) as u32,
        founded,
        exited: None,
        leader: NONE,
        n_members: 0,
        n_public: 0,
        sum_human_capital: 0.0,
        criteria,
        base_criteria: criteria,
        money: 0.0,
        assets: 0.5 * criteria[4],
        reputation: 0.1 + 0.3 * rng.random::<f64>(),
        activity: [0.0; 3],
        base_mix,
        commercial_loss: 0.0,
        base_loss: 0.0,
        lost_firms: 0.0,
        helped: 0.0,
        receivables: 0.0,
        horizon: config.horizon_normal,
        expectation: (0.1 + 0.2 * (rng.random::<f64>() - 0.5)).clamp(-1.0, 1.0),
        stance,
        ties: Ties::default(),
        external_leader: chance(rng, config.external_orientation),
        dreams: chance(rng, config.dream_share),
        cocreation: chance(rng, config.cocreation_share),
        territory_wide: chance(rng, config.territory_responsibility),
        lean: chance(rng, config.crisis.lean_strategy),
        apply_propensity: 1.0,
        grant_record: 0.0,
        grant_money_won: 0.0,
        activity_history: [0.0; 12],
        shortfall: 0.0,
    }
}
