//! One region: initialisation and the monthly schedule. The order within a month is fixed and
//! documented in MODEL.md ("Process overview and scheduling"):
//! pressure -> per territory (economy, administration and stances, demography, participation,
//! leadership, activity, finances, criteria, ties, horizon, expectations, dissolution,
//! formation, development) -> region-wide grant calls -> observation.
//! Territories draw from their own random streams; grant calls from the region's.

use super::config::Config;
use super::observe::{MonthRecord, Observer};
use super::shocks::Pressure;
use super::state::{Administration, Residents, Territory, ADULT, SENIOR, YOUTH};
use super::util::{beta_mean, poisson, weighted};
use super::{
    activity, administration, criteria, demography, development, dissolution, economy,
    expectations, finances, formation, grants, horizon, leadership, network, participation,
    streams, ties, waves,
};
use rayon::prelude::*;

#[derive(Clone)]
pub struct Region {
    pub territories: Vec<Territory>,
    /// The run's seed: the grant calls of each month draw from a stream keyed by it.
    pub seed: u64,
    pub grants: grants::GrantTally,
    /// The month being simulated next; negative during the burn-in.
    pub month: i32,
    /// Resident-months and community-months simulated so far, burn-in included (exact counts
    /// of the agents stepped, for throughput figures).
    pub resident_months: u64,
    pub community_months: u64,
    /// The study's cohort and sample, followed through its waves (observation only: it draws
    /// nothing and changes no state of the model).
    pub waves: waves::Tracker,
    /// The records of each community and territory (`output.communities`,
    /// `output.territories`), from month 0; `None` when neither is kept. Observation only.
    pub records: Option<super::records::Tracker>,
}

impl Region {
    /// Builds the region of one run; territory `t`'s streams derive from
    /// `streams::territory_seed(seed, t)`.
    pub fn new(config: &Config, seed: u64) -> Region {
        let classes: Vec<usize> = (0..config.classes.len())
            .flat_map(|class| std::iter::repeat_n(class, config.classes[class].count))
            .collect();
        let territories: Vec<Territory> = classes
            .par_iter()
            .enumerate()
            .map(|(t, &class)| new_territory(config, class, streams::territory_seed(seed, t)))
            .collect();
        Region {
            territories,
            seed,
            grants: Default::default(),
            month: -(config.burn_in as i32),
            resident_months: 0,
            community_months: 0,
            waves: Default::default(),
            records: None,
        }
    }

    /// Advances one month and returns what was observed at its end.
    pub fn step(&mut self, config: &Config) -> MonthRecord {
        let month = self.month;
        let pressure = if month < 0 {
            Pressure::default()
        } else {
            Pressure::of_month(&config.shocks, month as u32)
        };
        // P2: the epidemic ends in the first month without pressure after one with it.
        let ended = month > 0
            && pressure.intensity <= 0.0
            && Pressure::of_month(&config.shocks, (month - 1) as u32).intensity > 0.0;
        // Territories step in parallel: each draws from its own stream and touches only its own
        // state, so the result is the same for any number of threads.
        let (resident_months, community_months) = self
            .territories
            .par_iter_mut()
            .map(|territory| {
                let agent_months = (
                    territory.residents.len() as u64,
                    territory.communities.iter().filter(|c| c.alive).count() as u64,
                );
                step_territory(territory, config, &pressure, month, ended);
                agent_months
            })
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
        self.resident_months += resident_months;
        self.community_months += community_months;
        let mut calls = streams::mechanism(self.seed, month, streams::GRANT_CALLS);
        grants::step(
            &mut self.territories,
            config,
            &mut calls,
            month,
            &mut self.grants,
        );
        self.month += 1;
        if month >= 0 {
            self.waves
                .observe(&self.territories, month as u32, &config.study);
            if let Some(records) = &mut self.records {
                records.observe(&self.territories, month as u32);
            }
        }
        Observer::record(&self.territories, pressure)
    }
}

impl Region {
    /// Ends the burn-in: communities that died are dropped, those alive become the initial
    /// communities of month 0, and every counter starts from zero.
    pub fn start_observation(&mut self) {
        for t in &mut self.territories {
            let alive: Vec<usize> = (0..t.communities.len())
                .filter(|&c| t.communities[c].alive)
                .collect();
            let mut remap = vec![super::state::NONE; t.communities.len()];
            for (new, &old) in alive.iter().enumerate() {
                remap[old] = new as u32;
            }
            for c in t
                .residents
                .community
                .iter_mut()
                .filter(|c| **c != super::state::NONE)
            {
                *c = remap[*c as usize];
            }
            // Before the closed firms go (`economy::start_observation`): ties follow both.
            network::renumber(t, &remap);
            t.communities.retain(|c| c.alive);
            for c in &mut t.communities {
                c.initial = true;
                c.entered = 0;
                c.registered_at_start = c.registered;
                c.grant_money_won = 0.0;
                c.grant_applications = 0;
                c.grants_won = 0;
            }
            t.formed = 0;
            t.dissolved = 0;
            t.youth_left = 0;
            t.admin_changes = 0;
            t.external_money = 0.0;
            t.partner_money = 0.0;
            t.development_start = t.development;
            economy::start_observation(t);
        }
        self.grants = Default::default();
    }
}

fn step_territory(
    territory: &mut Territory,
    config: &Config,
    pressure: &Pressure,
    month: i32,
    ended: bool,
) {
    // Each mechanism draws from its own stream of this month (`streams`), keyed by its place
    // in the schedule.
    let mut k = 0u64;
    let mut next = |territory: &mut Territory| {
        territory.rng = streams::mechanism(territory.seed, month, k);
        k += 1;
    };
    next(territory);
    economy::step(territory, config, pressure, month);
    next(territory);
    administration::step(territory, config, pressure);
    next(territory);
    demography::step(territory, config, month);
    next(territory);
    participation::step(territory, config);
    next(territory);
    leadership::step(territory, config);
    next(territory);
    activity::step(territory, config, pressure, month, ended);
    next(territory);
    finances::step(territory, config, pressure);
    next(territory);
    criteria::step(territory, config);
    next(territory);
    ties::step(territory, config);
    next(territory);
    horizon::step(territory, config);
    next(territory);
    expectations::step(territory, config, pressure);
    next(territory);
    dissolution::step(territory, config, month);
    next(territory);
    formation::step(territory, config, month);
    next(territory);
    development::step(territory, config);
}

/// Shares of youth, adults and seniors among the initial residents.
const AGE_SHARES: [f64; 3] = [0.2, 0.55, 0.25];

/// Parts of building a territory, each with its own initial stream.
const INITIAL_ADMINISTRATION: u64 = 0;
const INITIAL_COMMUNITIES: u64 = 1;
const INITIAL_FIRMS: u64 = 2;

fn new_territory(config: &Config, class: usize, seed: u64) -> Territory {
    let cc = &config.classes[class];
    let openness = beta_mean(
        &mut streams::initial(seed, INITIAL_ADMINISTRATION),
        config.administration.openness,
        // The first head's openness is drawn as every later head's.
        administration::OPENNESS_CONCENTRATION,
    );
    let rng = streams::initial(seed, INITIAL_COMMUNITIES);
    let mut territory = Territory {
        class,
        agent_scale: cc.agent_scale as f64,
        residents: Residents::default(),
        communities: Vec::new(),
        administration: Administration {
            openness,
            tenure: 0,
        },
        economy: 1.0,
        firms: Vec::new(),
        firm_target: 0.0,
        private_income: 1.0,
        firm_demand: 1.0,
        unpaid_share: 0.0,
        spending: 1.0,
        development: [cc.development; 6],
        development_start: [cc.development; 6],
        rng,
        seed,
        youth_left: 0,
        admin_changes: 0,
        formed: 0,
        external_money: 0.0,
        partner_money: 0.0,
        dissolved: 0,
        outside_partners: 0,
        capacity: 0,
    };
    let agents = cc.population.div_ceil(cc.agent_scale) as usize;
    territory.capacity = super::state::CAPACITY * agents;
    territory.residents.reserve(agents);
    // Each initial resident draws from a stream of its own, so that a changed parameter moves
    // each resident's traits instead of shifting every later resident's draws.
    for i in 0..agents {
        let base = streams::resident(seed, i);
        let mut age_stream = streams::resident_trait(base, demography::AGE_TRAIT);
        let age = match weighted(&mut age_stream, &AGE_SHARES) {
            Some(0) => YOUTH,
            Some(2) => SENIOR,
            _ => ADULT,
        };
        demography::push_resident_from(&mut territory, config, age, false, base);
    }
    // Firms before communities: entrepreneurial communities recruit their owners.
    let communities_stream =
        std::mem::replace(&mut territory.rng, streams::initial(seed, INITIAL_FIRMS));
    economy::initialise(&mut territory, config);
    territory.rng = communities_stream;
    // The region's first month is the burn-in's first (month 0 without a burn-in).
    let start = -(config.burn_in as i32);
    for _ in 0..poisson(&mut territory.rng, cc.communities) {
        formation::found(&mut territory, config, start, true);
    }
    // The founding partners of the communities the territory is built with, once all exist.
    for c in 0..territory.communities.len() {
        ties::at_founding(&mut territory, config, c);
    }
    territory
}

/// For tests: one small town of the default scenario with `sets` applied, built on `seed` and
/// stepped `months` months.
#[cfg(test)]
pub fn test_town(sets: &[&str], seed: u64, months: u32) -> (Config, Region) {
    let mut s = crate::scenario::Scenario::default();
    for set in [
        "region.villages=0",
        "region.small_towns=1",
        "region.large_cities=0",
    ]
    .iter()
    .chain(sets)
    {
        crate::scenario::apply_set(&mut s, set).unwrap();
    }
    let config = Config::from_scenario(&s);
    let mut region = Region::new(&config, seed);
    for _ in 0..months {
        region.step(&config);
    }
    (config, region)
}
