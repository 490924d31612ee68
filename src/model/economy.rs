//! Territorial economy (K1, K2b): a drop d = pressure * K1 exposure * (1 - K2b public share)
//! toward which the economy falls within a month or two, and exponential recovery afterwards
//! (Bruneau et al. 2003). D2 development lifts the baseline.

use super::config::Config;
use super::shocks::Pressure;
use super::state::Territory;

/// Monthly share of the gap closed while falling and while recovering.
const FALL_RATE: f64 = 0.6;
const RECOVERY_RATE: f64 = 0.15;
/// Lift of the economic baseline per unit gain of D2 (external resources).
const D2_LIFT: f64 = 0.3;

pub fn step(territory: &mut Territory, config: &Config, pressure: &Pressure) {
    let class = &config.classes[territory.class];
    let baseline = 1.0 + D2_LIFT * (territory.development[1] - territory.development_start[1]);
    let drop =
        (pressure.economic * class.economic_exposure * (1.0 - 0.5 * class.public_sector_share))
            .min(0.95);
    let target = baseline * (1.0 - drop);
    let rate = if target < territory.economy {
        FALL_RATE
    } else {
        RECOVERY_RATE
    };
    territory.economy += rate * (target - territory.economy);
}

/// Economic loss in [0, 1] that members feel this month.
pub fn loss(territory: &Territory) -> f64 {
    (1.0 - territory.economy).clamp(0.0, 1.0)
}
