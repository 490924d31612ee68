//! Communities at founding (C1-C8, B2, S3, A2, R2): `community.*`.

use super::{check_sum, Invalid};
use crate::params::TYPES;
use serde::Deserialize;

/// One value per community type, in the order of `params::TYPES`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerType {
    pub civic: f64,
    pub ngo: f64,
    pub cultural: f64,
    pub entrepreneurial: f64,
    pub municipal: f64,
}

impl PerType {
    pub fn as_array(&self) -> [f64; 5] {
        [
            self.civic,
            self.ngo,
            self.cultural,
            self.entrepreneurial,
            self.municipal,
        ]
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Community {
    pub type_mix: PerType,
    pub commercial_share: PerType,
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
    pub cohesion: f64,
    pub information_exchange: f64,
    pub shared_tasks: f64,
    pub identity: f64,
    pub agency: f64,
    pub territory_responsibility: f64,
    pub nonmonetary_accumulation: f64,
}

impl Community {
    /// The type mix is a distribution.
    pub fn validate(&self) -> Result<(), Invalid> {
        check_sum(
            TYPES
                .iter()
                .map(|t| format!("community.type_mix.{t}"))
                .collect(),
            &self.type_mix.as_array(),
        )
    }

    /// Initial means of the criteria C1..C6 (C5 is the value platform).
    pub fn criteria(&self) -> [f64; 6] {
        [
            self.cohesion,
            self.information_exchange,
            self.shared_tasks,
            self.identity,
            self.value_platform,
            self.agency,
        ]
    }
}
