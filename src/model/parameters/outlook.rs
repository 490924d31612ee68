//! Visibility and partners (S4, B2), dissolution (R1-R3), the planning horizon (P1, P2) and
//! expectations (F1-F4).

use serde::Deserialize;

/// `success.*`: being known (S4) and partners' money (B2).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Success {
    pub visibility_feedback: f64,
    pub partner_money: f64,
}

/// `ties.*`: the network of typed edges (C2, F3, F4).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ties {
    /// Monthly share of a tie's strength lost unless renewed.
    pub fade: f64,
    /// Weight of the neighbours' expectation in a co-creating community's target (F3, F4).
    pub expectation_pull: f64,
}

/// `dissolution.*`: the logistic hazard's weights.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dissolution {
    pub base_hazard: f64,
    pub commercial_exposure: f64,
    pub resilience: f64,
    pub newness: f64,
}

/// `horizon.*`: the time pit, learned from broken plans.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Horizon {
    pub normal: f64,
    pub stress_sensitivity: f64,
    pub recovery_rate: f64,
}

/// `expectations.*`: self-fulfilling prophecies.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectations {
    pub money_fear: f64,
    pub dream_share: f64,
    pub prophecy_gain: f64,
    pub cocreation_share: f64,
    pub effort: f64,
}
