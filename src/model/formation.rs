//! New communities (C7, C8, L11): a Poisson stream per territory, faster where recognition and
//! the territory's human capital (D6) are high and where leaders are supported. A motivated free
//! resident founds it and recruits a few others; it brings a few ties (`ties::at_founding`). Also
//! creates the communities present at month 0.

use super::config::Config;
use super::finances::{COST, RESERVE_MONTHS};
use super::network::Ties;
use super::policy::lift;
use super::state::{Community, Territory, ENTREPRENEURIAL, NEUTRALITY, NONE};
use super::util::{beta_mean, chance, poisson, weighted};
use rand::Rng;

/// Concentration of the Beta distributions of a new community's criteria around their means.
pub const CRITERIA_CONCENTRATION: f64 = 8.0;
/// Tries at finding a free firm owner to recruit into an entrepreneurial community.
const OWNER_TRIES: usize = 20;
/// Tries at finding a free motivated resident to found a community.
const FOUNDER_TRIES: usize = 20;
/// Tries at finding a free resident to recruit into a new community.
const RECRUIT_TRIES: usize = 20;
/// Motivation above which a free resident can found a community.
const FOUNDER_MOTIVATION: f32 = 0.4;
/// Oldest age of a community present at the region's first month, in months (ten years): an
/// initial community is founded a uniform 0 to 119 months before it.
const MAX_INITIAL_AGE: i32 = 120;
/// Formation factor at zero recognition, added to recognition.
const FORMATION_RECOGNITION: f64 = 0.5;
/// Relative rise of formation at full support of leaders (L11).
const LEADER_SUPPORT_FORMATION: f64 = 0.5;
/// Relative rise of formation at fully developed human capital (D6).
const SKILLS_FORMATION: f64 = 0.3;
/// Size of a community founded during the run relative to an initial one.
const NEW_SIZE_SHARE: f64 = 0.5;
/// Registration probability of a community founded during the run relative to an initial one.
pub const NEW_REGISTRATION_SHARE: f64 = 0.5;
/// Lowest initial money, as a share of the reserve (`finances::RESERVE_MONTHS` months of costs):
/// a new community starts with a uniform share of it between this and one more.
const INITIAL_MONEY_LOW: f64 = 0.5;
/// A new community's intangible assets per unit of its value platform (C5).
const INITIAL_ASSETS: f64 = 0.5;
/// Lowest initial reputation.
const INITIAL_REPUTATION: f64 = 0.1;
/// Width of the uniform spread of initial reputation above [`INITIAL_REPUTATION`].
const REPUTATION_SPREAD: f64 = 0.3;
/// Mean initial expectation (the level expectations tend to without performance, fear or
/// stress, `expectations`).
const INITIAL_EXPECTATION: f64 = 0.1;
/// Width of the uniform spread of initial expectation around [`INITIAL_EXPECTATION`].
const EXPECTATION_SPREAD: f64 = 0.2;

pub fn step(territory: &mut Territory, config: &Config, month: i32) {
    let class = &config.classes[territory.class];
    let recog = super::participation::recognition(territory, config);
    let rate = config.community.formation_rate * class.formation_weight / 12.0
        * (FORMATION_RECOGNITION + recog)
        * (1.0 + LEADER_SUPPORT_FORMATION * lift(config.levers.leader_support))
        * (1.0 + SKILLS_FORMATION * territory.development[5]);
    for _ in 0..poisson(&mut territory.rng, rate) {
        if let Some(c) = found(territory, config, month, false) {
            super::ties::at_founding(territory, config, c);
            territory.formed += 1;
        }
    }
}

/// Founds a community in `month` (for an initial one, the region's first month, before which it
/// was founded) with a leader and recruits; `None` when no free resident can lead it. The
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
    let leader = (0..FOUNDER_TRIES)
        .map(|_| territory.rng.random_range(0..n))
        .find(|&i| {
            territory.residents.community[i] == NONE
                && territory.residents.motivation[i] > FOUNDER_MOTIVATION
        })?;
    let kind = weighted(&mut territory.rng, &config.type_mix).unwrap_or(0);
    let founded = if initial {
        month - territory.rng.random_range(0..MAX_INITIAL_AGE)
    } else {
        month
    };
    let com = new_community(territory, config, kind, initial, founded);
    territory.communities.push(com);
    let c = territory.communities.len() - 1;
    territory.join(leader, c);
    territory.communities[c].leader = leader as u32;
    let scale = territory.agent_scale;
    let target = (config.community.size / scale).max(1.0);
    let extra = if initial {
        poisson(&mut territory.rng, target - 1.0)
    } else {
        poisson(&mut territory.rng, (target * NEW_SIZE_SHARE - 1.0).max(0.0))
    };
    for _ in 0..extra {
        // R2: an entrepreneurial community is an association of firm owners.
        let owner = if kind == ENTREPRENEURIAL {
            free_owner(territory)
        } else {
            None
        };
        let recruit = owner.or_else(|| {
            (0..RECRUIT_TRIES)
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
    super::tasks::founding_portfolio(com, scale_will, &mut territory.rng);
    com.activity_history = [com.total_activity(); 12];
    com.money = RESERVE_MONTHS
        * COST
        * com.total_activity()
        * (INITIAL_MONEY_LOW + territory.rng.random::<f64>());
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

/// The normal-time shares of a community of type `kind` in its commercial, volunteer and
/// online work: `m_c = community.commercial_share.<type>`, `m_o = min(community.online_share,
/// 1 - m_c)`, `m_v` the rest.
pub fn base_mix(config: &Config, kind: usize) -> [f64; 3] {
    let m_c = config.commercial_share[kind];
    let m_o = config.community.online_share.min(1.0 - m_c);
    [m_c, 1.0 - m_c - m_o, m_o]
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
            config.community.registered_share
        } else {
            NEW_REGISTRATION_SHARE * config.community.registered_share
        },
    );
    let base_mix = base_mix(config, kind);
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
        assets: INITIAL_ASSETS * criteria[4],
        reputation: INITIAL_REPUTATION + REPUTATION_SPREAD * rng.random::<f64>(),
        activity: [0.0; 3],
        base_mix,
        commercial_loss: 0.0,
        members: Vec::new(),
        tasks: Vec::new(),
        direction_work: [0.0; 6],
        idle_share: 0.0,
        pressing_share: 0.0,
        disrupted: 0.0,
        plan_breaks: 0.0,
        base_loss: 0.0,
        firm_base: false,
        lost_firms: 0.0,
        helped: 0.0,
        receivables: 0.0,
        horizon: config.horizon.normal,
        expectation: (INITIAL_EXPECTATION + EXPECTATION_SPREAD * (rng.random::<f64>() - 0.5))
            .clamp(-1.0, 1.0),
        stance,
        ties: Ties::default(),
        external_leader: chance(rng, config.leadership.external_orientation),
        dreams: chance(rng, config.expectations.dream_share),
        cocreation: chance(rng, config.expectations.cocreation_share),
        territory_wide: chance(rng, config.community.territory_responsibility),
        lean: chance(rng, config.crisis.lean_strategy),
        apply_propensity: 1.0,
        grant_record: 0.0,
        grant_money_won: 0.0,
        grant_applications: 0,
        grants_won: 0,
        activity_history: [0.0; 12],
        shortfall: 0.0,
    }
}
