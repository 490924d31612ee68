//! Residents, leaders and the administration: participation (S1, B4), leadership (S3, B4),
//! the administration (S2, B1) and the stance chain (X1-X3).

use serde::Deserialize;

/// `participation.*`: Granovetter's threshold model and dropout.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participation {
    pub join_rate: f64,
    pub threshold: f64,
    pub steepness: f64,
    pub dropout: f64,
}

/// `leadership.*`: leaders' orientation, burnout and succession.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Leadership {
    pub external_orientation: f64,
    pub burnout: f64,
    pub succession: f64,
}

/// `administration.*`: heads of the administration and their openness.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Administration {
    pub head_turnover: f64,
    pub openness: f64,
    pub inclusion: f64,
    pub stance_reset: f64,
}

/// `stance.*`: base monthly rates of the stance chain; 0 stops a transition.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stance {
    pub integration_rate: f64,
    pub distancing_rate: f64,
    pub confrontation_rate: f64,
    pub reconciliation_rate: f64,
}

impl Stance {
    /// neutral->integration, integration->neutral, neutral->confrontation, confrontation->neutral.
    pub fn rates(&self) -> [f64; 4] {
        [
            self.integration_rate,
            self.distancing_rate,
            self.confrontation_rate,
            self.reconciliation_rate,
        ]
    }
}
