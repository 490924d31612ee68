//! Crisis buffers and responses K2a-K4, A1-A8, P2: `crisis.*`. Each field is in [0, 1]; 0 switches
//! its mechanism off.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
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
    pub voiding: f64,
    pub leader_spending: f64,
    pub partnership: f64,
    pub business_advocacy: f64,
    pub lean_strategy: f64,
}
