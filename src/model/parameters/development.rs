//! Development of the territory D1-D6 and the low base S1: `development.*`.

use serde::Deserialize;

/// One rate per direction of influence, D1..D6.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Directions {
    pub living_environment: f64,
    pub external_resources: f64,
    pub cultural_code: f64,
    pub strategy: f64,
    pub social_groups: f64,
    pub human_capital: f64,
}

impl Directions {
    pub fn as_array(&self) -> [f64; 6] {
        [
            self.living_environment,
            self.external_resources,
            self.cultural_code,
            self.strategy,
            self.social_groups,
            self.human_capital,
        ]
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Development {
    pub rate: Directions,
    pub decay: f64,
    pub low_base: f64,
}
