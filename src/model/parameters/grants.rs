//! Grant programmes and the contest (G1-G3, S2, S3, C7): `grants.*`.

use super::{check_sum, Invalid};
use crate::params::PROGRAMMES;
use serde::Deserialize;

/// One community programme (`grants.federal`, `grants.regional`, `grants.foundation`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeParams {
    pub share: f64,
    pub award_median: f64,
    pub registration_required: bool,
}

/// The federal competition for a comfortable urban environment (`grants.urban`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UrbanParams {
    pub budget: f64,
    pub award_median: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grants {
    pub enabled: bool,
    pub budget: f64,
    pub calls_per_year: u32,
    pub coapplication: bool,
    pub coapplication_weight: f64,
    pub award_tail: f64,
    pub contest_exponent: f64,
    pub matthew: f64,
    pub discouragement: f64,
    pub apply_rate: f64,
    /// Probability of learning of a call without a tie that brings word of it (C2, G3).
    pub awareness: f64,
    pub federal: ProgrammeParams,
    pub regional: ProgrammeParams,
    pub foundation: ProgrammeParams,
    pub urban: UrbanParams,
}

impl Grants {
    /// The community programmes in the order of `params::PROGRAMMES`.
    pub fn programmes(&self) -> [&ProgrammeParams; 3] {
        [&self.federal, &self.regional, &self.foundation]
    }

    /// The budget shares of the community programmes are a distribution.
    pub fn validate(&self) -> Result<(), Invalid> {
        check_sum(
            PROGRAMMES
                .iter()
                .map(|p| format!("grants.{p}.share"))
                .collect(),
            &self.programmes().map(|p| p.share),
        )
    }
}
