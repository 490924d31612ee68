//! The typed model configuration, read once per design point from the scenario's values, with
//! policy levers already folded into the parameters they move (see `policy`).

use super::policy::{self, Levers};
use crate::params::{ParamValues, CLASSES, DIRECTIONS, PROGRAMMES, TYPES};
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

#[derive(Debug, Clone)]
pub struct Config {
    pub months: u32,
    pub burn_in: u32,
    pub classes: [ClassConfig; 3],
    pub type_mix: [f64; 5],
    pub commercial_share: [f64; 5],
    pub online_share: f64,
    pub registered_share: f64,
    pub registration_rate: f64,
    pub tie_diversity: f64,
    pub human_capital: f64,
    pub recognition: f64,
    pub business_skills: f64,
    pub value_platform: f64,
    pub formation_rate: f64,
    pub size: f64,
    /// Initial means of C1..C6 (C5 is the value platform).
    pub criteria: [f64; 6],
    pub territory_responsibility: f64,
    pub nonmonetary_accumulation: f64,
    pub external_orientation: f64,
    pub burnout: f64,
    pub succession: f64,
    pub head_turnover: f64,
    pub openness: f64,
    pub inclusion: f64,
    pub stance_reset: f64,
    /// neutral->integration, integration->neutral, neutral->confrontation, confrontation->neutral.
    pub stance_rates: [f64; 4],
    pub join_rate: f64,
    pub threshold: f64,
    pub steepness: f64,
    pub activist_core: f64,
    pub dropout: f64,
    pub grants_enabled: bool,
    pub calls_per_year: u32,
    pub coapplication: bool,
    pub coapplication_weight: f64,
    pub award_tail: f64,
    pub contest_exponent: f64,
    pub matthew: f64,
    pub discouragement: f64,
    pub apply_rate: f64,
    pub programmes: Vec<Programme>,
    pub development_rate: [f64; 6],
    pub development_decay: f64,
    pub low_base: f64,
    pub visibility_feedback: f64,
    pub partner_money: f64,
    pub crisis: Crisis,
    pub economy: Economy,
    pub base_hazard: f64,
    pub commercial_exposure: f64,
    pub resilience: f64,
    pub newness: f64,
    pub horizon_normal: f64,
    pub horizon_min: f64,
    pub stress_sensitivity: f64,
    pub horizon_recovery: f64,
    pub money_fear: f64,
    pub dream_share: f64,
    pub prophecy_gain: f64,
    pub cocreation_share: f64,
    pub effort: f64,
    pub levers: Levers,
    pub shocks: Vec<Shock>,
    pub timeseries: bool,
    /// Simulate each run's no-shock twin from the first shock on (`output.counterfactual`).
    pub counterfactual: bool,
    /// The study's own observation: its waves and sample (`observe.*`, `waves`).
    pub study: super::waves::Study,
}

/// The firms of the territorial economy (K1, K2b, K4; `economy`), validated as a whole by the
/// registry's ranges.
#[derive(Debug, Clone)]
pub struct Economy {
    /// Firms per inhabitant at business density 1.
    pub firm_density: f64,
    /// Inhabitants employed by a firm of size 1.
    pub firm_jobs: f64,
    /// Share of a firm's orders placed by other firms at business density 1.
    pub b2b: f64,
    /// Months of normal costs a new firm holds in cash.
    pub reserve: f64,
    /// Months of normal costs a firm can owe before it may close.
    pub credit_limit: f64,
    /// Monthly probability that a firm beyond its credit limit closes.
    pub closure_rate: f64,
    /// Yearly exit of solvent firms, and entry at normal demand.
    pub turnover: f64,
    /// Monthly share of receivables and mutual credit repaid when payment is normal.
    pub repayment: f64,
    /// Cut of residents' spending per unit of restriction on gathering.
    pub restriction_spending: f64,
}

/// The crisis buffers and responses K2a-K4, A1-A8.
#[derive(Debug, Clone)]
pub struct Crisis {
    pub low_base_buffer: f64,
    pub public_sector_buffer: f64,
    pub scarcity_buffer: f64,
    pub tactics_buffer: f64,
    pub barter: f64,
    pub nonpayment: f64,
    pub mutual_aid: f64,
    pub postponement: f64,
    pub online_shift: f64,
    pub pressing_tasks: f64,
    pub volunteer_conversion: f64,
    pub leader_spending: f64,
    pub partnership: f64,
    pub business_advocacy: f64,
    pub lean_strategy: f64,
}

impl Config {
    pub fn from_scenario(scenario: &Scenario) -> Config {
        let v = &scenario.values;
        let levers = Levers::read(v);
        let counts = ["villages", "small_towns", "large_cities"];
        let classes = std::array::from_fn(|i| class_config(v, CLASSES[i], counts[i]));
        let per_type = |prefix: &str| -> [f64; 5] {
            std::array::from_fn(|i| v.real(&format!("{prefix}.{}", TYPES[i])))
        };
        let budget = v.real("grants.budget");
        let calls_per_year = v.whole("grants.calls_per_year") as u32;
        let mut programmes: Vec<Programme> = PROGRAMMES
            .iter()
            .map(|p| Programme {
                name: p,
                budget: budget * v.real(&format!("grants.{p}.share")),
                calls_per_year,
                award_median: v.real(&format!("grants.{p}.award_median")),
                registration_required: v.flag(&format!("grants.{p}.registration_required")),
                applicants: Applicants::Communities,
            })
            .collect();
        programmes.push(Programme {
            name: URBAN_ENVIRONMENT,
            budget: v.real("grants.urban.budget"),
            calls_per_year: URBAN_ENVIRONMENT_CALLS,
            award_median: v.real("grants.urban.award_median"),
            registration_required: false,
            applicants: Applicants::Administrations,
        });
        if let Some(fund) = policy::social_venture_fund(&levers, calls_per_year) {
            programmes.push(fund);
        }
        let mut config = Config {
            months: v.whole("run.months") as u32,
            burn_in: v.whole("run.burn_in") as u32,
            classes,
            type_mix: per_type("community.type_mix"),
            commercial_share: per_type("community.commercial_share"),
            online_share: v.real("community.online_share"),
            registered_share: v.real("community.registered_share"),
            registration_rate: v.real("community.registration_rate"),
            tie_diversity: v.real("community.tie_diversity"),
            human_capital: v.real("community.human_capital"),
            recognition: v.real("community.recognition"),
            business_skills: v.real("community.business_skills"),
            value_platform: v.real("community.value_platform"),
            formation_rate: v.real("community.formation_rate"),
            size: v.real("community.size"),
            criteria: [
                v.real("community.cohesion"),
                v.real("community.information_exchange"),
                v.real("community.shared_tasks"),
                v.real("community.identity"),
                v.real("community.value_platform"),
                v.real("community.agency"),
            ],
            territory_responsibility: v.real("community.territory_responsibility"),
            nonmonetary_accumulation: v.real("community.nonmonetary_accumulation"),
            external_orientation: v.real("leadership.external_orientation"),
            burnout: v.real("leadership.burnout"),
            succession: v.real("leadership.succession"),
            head_turnover: v.real("administration.head_turnover"),
            openness: v.real("administration.openness"),
            inclusion: v.real("administration.inclusion"),
            stance_reset: v.real("administration.stance_reset"),
            stance_rates: [
                v.real("stance.integration_rate"),
                v.real("stance.distancing_rate"),
                v.real("stance.confrontation_rate"),
                v.real("stance.reconciliation_rate"),
            ],
            join_rate: v.real("participation.join_rate"),
            threshold: v.real("participation.threshold"),
            steepness: v.real("participation.steepness"),
            activist_core: v.real("participation.activist_core"),
            dropout: v.real("participation.dropout"),
            grants_enabled: v.flag("grants.enabled"),
            calls_per_year,
            coapplication: v.flag("grants.coapplication"),
            coapplication_weight: v.real("grants.coapplication_weight"),
            award_tail: v.real("grants.award_tail"),
            contest_exponent: v.real("grants.contest_exponent"),
            matthew: v.real("grants.matthew"),
            discouragement: v.real("grants.discouragement"),
            apply_rate: v.real("grants.apply_rate"),
            programmes,
            development_rate: std::array::from_fn(|i| {
                v.real(&format!("development.rate.{}", DIRECTIONS[i]))
            }),
            development_decay: v.real("development.decay"),
            low_base: v.real("development.low_base"),
            visibility_feedback: v.real("success.visibility_feedback"),
            partner_money: v.real("success.partner_money"),
            crisis: Crisis {
                low_base_buffer: v.real("crisis.low_base_buffer"),
                public_sector_buffer: v.real("crisis.public_sector_buffer"),
                scarcity_buffer: v.real("crisis.scarcity_buffer"),
                tactics_buffer: v.real("crisis.tactics_buffer"),
                barter: v.real("crisis.barter"),
                nonpayment: v.real("crisis.nonpayment"),
                mutual_aid: v.real("crisis.mutual_aid"),
                postponement: v.real("crisis.postponement"),
                online_shift: v.real("crisis.online_shift"),
                pressing_tasks: v.real("crisis.pressing_tasks"),
                volunteer_conversion: v.real("crisis.volunteer_conversion"),
                leader_spending: v.real("crisis.leader_spending"),
                partnership: v.real("crisis.partnership"),
                business_advocacy: v.real("crisis.business_advocacy"),
                lean_strategy: v.real("crisis.lean_strategy"),
            },
            economy: Economy {
                firm_density: v.real("economy.firm_density"),
                firm_jobs: v.real("economy.firm_jobs"),
                b2b: v.real("economy.b2b"),
                reserve: v.real("economy.reserve"),
                credit_limit: v.real("economy.credit_limit"),
                closure_rate: v.real("economy.closure_rate"),
                turnover: v.real("economy.turnover"),
                repayment: v.real("economy.repayment"),
                restriction_spending: v.real("economy.restriction_spending"),
            },
            base_hazard: v.real("dissolution.base_hazard"),
            commercial_exposure: v.real("dissolution.commercial_exposure"),
            resilience: v.real("dissolution.resilience"),
            newness: v.real("dissolution.newness"),
            horizon_normal: v.real("horizon.normal"),
            horizon_min: v.real("horizon.crisis_min"),
            stress_sensitivity: v.real("horizon.stress_sensitivity"),
            horizon_recovery: v.real("horizon.recovery_rate"),
            money_fear: v.real("expectations.money_fear"),
            dream_share: v.real("expectations.dream_share"),
            prophecy_gain: v.real("expectations.prophecy_gain"),
            cocreation_share: v.real("expectations.cocreation_share"),
            effort: v.real("expectations.effort"),
            levers,
            shocks: scenario.shocks.clone(),
            timeseries: v.flag("output.timeseries"),
            counterfactual: v.flag("output.counterfactual"),
            study: super::waves::Study::read(v),
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

fn class_config(v: &ParamValues, class: &str, count_key: &str) -> ClassConfig {
    let r = |field: &str| v.real(&format!("territory.{class}.{field}"));
    ClassConfig {
        count: v.whole(&format!("region.{count_key}")) as usize,
        population: v.whole(&format!("territory.{class}.population")),
        agent_scale: v.whole(&format!("territory.{class}.agent_scale")),
        communities: r("communities"),
        public_sector_share: r("public_sector_share"),
        business_density: r("business_density"),
        development: r("development"),
        youth_outflow: r("youth_outflow"),
        scarcity_habit: r("scarcity_habit"),
        tourism: 0.0,
        newcomer_rate: r("newcomer_rate"),
        formation_weight: r("formation_weight"),
    }
}
