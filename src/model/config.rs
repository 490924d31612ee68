//! The typed model configuration, read once per design point from the scenario's values, with
//! policy levers already folded into the parameters they move (see `policy`).

use super::parameters::{self, Parameters, TerritoryParams};
use super::policy::{self, Levers};
use crate::params::PROGRAMMES;
use crate::scenario::{Scenario, Shock};

/// Name of the federal competition for a comfortable urban environment (G3, S2).
pub const URBAN_ENVIRONMENT: &str = "urban_environment";
/// The federal competition holds one call a year, so one call holds its whole yearly budget.
pub const URBAN_ENVIRONMENT_CALLS: u32 = 1;

#[derive(Debug, Clone)]
pub struct ClassConfig {
    pub count: usize,
    pub population: u64,
    pub agent_scale: u64,
    pub communities: f64,
    pub public_sector_share: f64,
    pub business_density: f64,
    pub development: f64,
    pub youth_outflow: f64,
    pub scarcity_habit: f64,
    /// Share of the outside demand a shock takes away that domestic tourism makes up (L2).
    pub tourism: f64,
    pub newcomer_rate: f64,
    pub formation_weight: f64,
}

/// Who files a programme's applications (`grants`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applicants {
    /// Each community on its own, or with the administration as co-applicant (G2).
    Communities,
    /// The administration of each eligible territory files one project, designed by one of its
    /// integrated communities (S2): the federal comfortable-urban-environment competition.
    Administrations,
}

#[derive(Debug, Clone)]
pub struct Programme {
    pub name: &'static str,
    /// Million roubles per year, spread evenly over the year's calls.
    pub budget: f64,
    /// Calls per year; a call's budget is `budget / calls_per_year` (calls that fall in one month
    /// are held together), and no award exceeds it.
    pub calls_per_year: u32,
    pub award_median: f64,
    pub registration_required: bool,
    pub applicants: Applicants,
}

impl Programme {
    /// The budget of one call: the most that any one award of the call can be.
    pub fn call_budget(&self) -> f64 {
        if self.calls_per_year == 0 {
            0.0
        } else {
            self.budget / f64::from(self.calls_per_year)
        }
    }
}

/// A design point's model configuration: every mechanism's typed parameters
/// (`model::parameters`), deserialised and validated as a whole, with the policy levers folded
/// into the parameters they move (`policy`), plus what follows from them (the programmes, the
/// territory classes with their counts) and the shocks.
#[derive(Debug, Clone)]
pub struct Config {
    pub months: u32,
    pub burn_in: u32,
    pub classes: [ClassConfig; 3],
    /// `community.type_mix` by type index.
    pub type_mix: [f64; 5],
    /// `community.commercial_share` by type index.
    pub commercial_share: [f64; 5],
    /// Initial means of C1..C6 (C5 is the value platform).
    pub criteria: [f64; 6],
    /// neutral->integration, integration->neutral, neutral->confrontation, confrontation->neutral.
    pub stance_rates: [f64; 4],
    /// `development.rate` by direction D1..D6.
    pub development_rate: [f64; 6],
    pub programmes: Vec<Programme>,
    pub community: parameters::Community,
    pub leadership: parameters::Leadership,
    pub administration: parameters::Administration,
    pub participation: parameters::Participation,
    pub grants: parameters::Grants,
    pub development: parameters::Development,
    pub success: parameters::Success,
    pub ties: parameters::Ties,
    pub crisis: Crisis,
    pub economy: Economy,
    pub dissolution: parameters::Dissolution,
    pub horizon: parameters::Horizon,
    pub expectations: parameters::Expectations,
    pub levers: Levers,
    pub shocks: Vec<Shock>,
    pub timeseries: bool,
    /// Simulate each run's no-shock twin from the first shock on (`output.counterfactual`).
    pub counterfactual: bool,
    /// The records kept of each community and territory (`output.communities`,
    /// `output.territories`): observation only.
    pub records: super::records::Choice,
    /// The configuration of the initial state and the burn-in when it differs from this one:
    /// the reference's parameters (`run.reference`, `run.burn_in_under`); this configuration
    /// takes effect at month 0.
    pub burn_in_config: Option<std::sync::Arc<Config>>,
    /// What changes at month 0 when the burn-in ran under `burn_in_config`: the traits whose
    /// distributions differ (`adoption`); `None` when none does.
    pub adoption: Option<std::sync::Arc<super::adoption::Plan>>,
    /// The study's own observation: its waves and sample (`observe.*`, `waves`).
    pub study: super::waves::Study,
}

pub use super::parameters::{Crisis, Economy};

impl Config {
    pub fn from_scenario(scenario: &Scenario) -> Config {
        let mut config = Config::from_values(&scenario.values, &scenario.shocks);
        if let Some(present) = scenario.burn_in_values() {
            if present != scenario.values {
                let present = Config::from_values(&present, &[]);
                let plan = super::adoption::Plan::new(&present, &config);
                config.adoption = (!plan.is_identity()).then(|| std::sync::Arc::new(plan));
                config.burn_in_config = Some(std::sync::Arc::new(present));
            }
        }
        config
    }

    /// The configuration of validated values and shocks, with the burn-in under itself.
    pub fn from_values(values: &crate::params::ParamValues, shocks: &[Shock]) -> Config {
        let p = Parameters::from_values(values);
        let counts = p.region.counts();
        let classes = std::array::from_fn(|i| class_config(p.territory.as_array()[i], counts[i]));
        let g = &p.grants;
        let mut programmes: Vec<Programme> = PROGRAMMES
            .iter()
            .zip(g.programmes())
            .map(|(name, q)| Programme {
                name,
                budget: g.budget * q.share,
                calls_per_year: g.calls_per_year,
                award_median: q.award_median,
                registration_required: q.registration_required,
                applicants: Applicants::Communities,
            })
            .collect();
        programmes.push(Programme {
            name: URBAN_ENVIRONMENT,
            budget: g.urban.budget,
            calls_per_year: URBAN_ENVIRONMENT_CALLS,
            award_median: g.urban.award_median,
            registration_required: false,
            applicants: Applicants::Administrations,
        });
        if let Some(fund) = policy::social_venture_fund(&p.policy, g.calls_per_year) {
            programmes.push(fund);
        }
        let mut config = Config {
            months: p.run.months,
            burn_in: p.run.burn_in,
            classes,
            type_mix: p.community.type_mix.as_array(),
            commercial_share: p.community.commercial_share.as_array(),
            criteria: p.community.criteria(),
            stance_rates: p.stance.rates(),
            development_rate: p.development.rate.as_array(),
            programmes,
            community: p.community,
            leadership: p.leadership,
            administration: p.administration,
            participation: p.participation,
            grants: p.grants,
            development: p.development,
            success: p.success,
            ties: p.ties,
            crisis: p.crisis,
            economy: p.economy,
            dissolution: p.dissolution,
            horizon: p.horizon,
            expectations: p.expectations,
            levers: p.policy,
            shocks: shocks.to_vec(),
            timeseries: p.output.timeseries,
            counterfactual: p.output.counterfactual,
            records: super::records::Choice {
                communities: p.output.communities,
                territories: p.output.territories,
            },
            burn_in_config: None,
            adoption: None,
            study: super::waves::Study::from_params(&p.observe),
        };
        policy::apply(&mut config);
        config
    }

    /// The first shock by start month, whose windows define the crisis outcomes.
    /// The same configuration without shocks: the counterfactual twin's.
    pub fn without_shocks(&self) -> Config {
        Config {
            shocks: Vec::new(),
            ..self.clone()
        }
    }

    pub fn first_shock(&self) -> Option<&Shock> {
        self.shocks.iter().min_by_key(|s| s.start_month)
    }
}

fn class_config(t: &TerritoryParams, count: u64) -> ClassConfig {
    ClassConfig {
        count: count as usize,
        population: t.population,
        agent_scale: t.agent_scale,
        communities: t.communities,
        public_sector_share: t.public_sector_share,
        business_density: t.business_density,
        development: t.development,
        youth_outflow: t.youth_outflow,
        scarcity_habit: t.scarcity_habit,
        tourism: 0.0,
        newcomer_rate: t.newcomer_rate,
        formation_weight: t.formation_weight,
    }
}
