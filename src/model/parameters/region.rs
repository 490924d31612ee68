//! The run's length, the region and its territory classes: `run.*`, `region.*`, `territory.*`.

use super::Invalid;
use serde::Deserialize;

/// `run.*` (seed and replicates belong to the experiment).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Run {
    pub months: u32,
    pub burn_in: u32,
    /// The scenario the burn-in runs under (resolved into the scenario, `Scenario::reference`).
    pub reference: String,
    /// `reference` or `scenario`.
    pub burn_in_under: String,
}

/// `region.*`: territories of each class.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub villages: u64,
    pub small_towns: u64,
    pub large_cities: u64,
}

impl Region {
    pub fn counts(&self) -> [u64; 3] {
        [self.villages, self.small_towns, self.large_cities]
    }

    /// The region has at least one territory.
    pub fn validate(&self) -> Result<(), Invalid> {
        if self.counts().iter().sum::<u64>() == 0 {
            return Err(Invalid {
                keys: vec!["region.villages".into()],
                message: "the region has no territories; allowed: at least one of region.villages, region.small_towns, region.large_cities above 0".into(),
            });
        }
        Ok(())
    }
}

/// `territory.<class>.*`: one class of territory.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TerritoryParams {
    pub population: u64,
    pub agent_scale: u64,
    pub communities: f64,
    pub public_sector_share: f64,
    pub business_density: f64,
    pub development: f64,
    pub youth_outflow: f64,
    pub scarcity_habit: f64,
    pub newcomer_rate: f64,
    pub formation_weight: f64,
}

/// The three classes, in the order of `params::CLASSES`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Classes {
    pub village: TerritoryParams,
    pub small_town: TerritoryParams,
    pub large_city: TerritoryParams,
}

impl Classes {
    pub fn as_array(&self) -> [&TerritoryParams; 3] {
        [&self.village, &self.small_town, &self.large_city]
    }
}

/// Resident agents are bounded so that a typo in a population cannot exhaust memory.
pub const MAX_AGENTS: u64 = 50_000_000;
/// Fewest resident agents a community of mean size may be made of.
pub const MIN_AGENTS_PER_COMMUNITY: f64 = 3.0;

/// A community of mean size has at least [`MIN_AGENTS_PER_COMMUNITY`] agents in every class,
/// and the region at most [`MAX_AGENTS`].
pub fn check_agents(region: &Region, classes: &Classes, size: f64) -> Result<(), Invalid> {
    let names = crate::params::CLASSES;
    let mut agents = 0u64;
    for (n, class) in region.counts().iter().zip(classes.as_array()) {
        let per = class.population.div_ceil(class.agent_scale);
        agents = agents.saturating_add(n.saturating_mul(per));
    }
    for (name, class) in names.iter().zip(classes.as_array()) {
        let agents_per_community = size / class.agent_scale as f64;
        if agents_per_community < MIN_AGENTS_PER_COMMUNITY {
            return Err(Invalid {
                keys: vec![format!("territory.{name}.agent_scale")],
                message: format!(
                    "community.size / agent_scale = {agents_per_community:.2} agents per community; allowed: at least {MIN_AGENTS_PER_COMMUNITY} (a community of one or two agents dies with one departure)"
                ),
            });
        }
    }
    if agents > MAX_AGENTS {
        return Err(Invalid {
            keys: vec!["territory.large_city.agent_scale".into()],
            message: format!("the region would hold {agents} resident agents; allowed: at most {MAX_AGENTS} (raise territory.<class>.agent_scale or lower population or territory counts)"),
        });
    }
    Ok(())
}
