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

/// `observe.*`: the study's waves (windows of months) and its sample (R1; `waves`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observe {
    pub wave1_start: u32,
    pub wave1_months: u32,
    pub wave2_start: u32,
    pub wave2_months: u32,
    pub wave3_start: u32,
    pub wave3_months: u32,
    pub sample_size: u64,
    pub signal_member_loss: f64,
    pub signal_activity: f64,
}

impl Observe {
    /// The waves follow one another without overlap.
    pub fn validate(&self) -> Result<(), super::Invalid> {
        let study = crate::model::waves::Study::from_params(self);
        if let Some((k, end)) = crate::model::waves::overlap(&study.waves) {
            return Err(super::Invalid {
                keys: vec![format!("observe.wave{}_start", k + 1)],
                message: format!(
                    "{} starts before wave {k} ends (month {end} = observe.wave{k}_start + observe.wave{k}_months); allowed: at least {end} (the study's waves follow one another without overlap)",
                    study.waves[k].start
                ),
            });
        }
        Ok(())
    }
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
    pub stress_hazard: f64,
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
