//! Shocks (K1-K4): the month's crisis pressure, summed over active shocks and split by what each
//! kind hits. Buffers and responses live in the mechanisms that feel the pressure.

use crate::scenario::{Shock, ShockKind};

/// The crisis pressure of one month; every field in [0, 1].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Pressure {
    /// Overall intensity: severity times profile, summed over shocks and capped at 1.
    pub intensity: f64,
    /// Hit to the territorial economy (before K1 exposure and K2b).
    pub economic: f64,
    /// Hit to private orders and business (K4).
    pub business: f64,
    /// Restrictions on gathering in person (pandemic).
    pub restriction: f64,
    /// Pressing tasks the shock creates (A3).
    pub pressing: f64,
}

/// What one unit of intensity of a pandemic does, in the order of [`Pressure`]'s channels:
/// economic, business, restriction, pressing tasks (MODEL.md, section 7.1).
pub const PANDEMIC_PROFILE: [f64; 4] = [0.6, 1.0, 1.0, 1.0];
/// The same for an economic crisis: no restrictions on gathering.
pub const ECONOMIC_PROFILE: [f64; 4] = [0.8, 1.2, 0.0, 0.4];
/// The same for a disaster.
pub const DISASTER_PROFILE: [f64; 4] = [0.4, 0.4, 0.2, 1.5];

/// What one unit of intensity of a kind does: economic, business, restriction, pressing tasks.
pub fn kind_profile(kind: ShockKind) -> [f64; 4] {
    match kind {
        ShockKind::Pandemic => PANDEMIC_PROFILE,
        ShockKind::Economic => ECONOMIC_PROFILE,
        ShockKind::Disaster => DISASTER_PROFILE,
    }
}

impl Pressure {
    pub fn of_month(shocks: &[Shock], month: u32) -> Pressure {
        let mut p = Pressure::default();
        for shock in shocks {
            let i = shock.intensity(u64::from(month));
            if i <= 0.0 {
                continue;
            }
            let [econ, business, restriction, pressing] = kind_profile(shock.kind);
            p.intensity += i;
            p.economic += i * econ;
            p.business += i * business;
            p.restriction += i * restriction;
            p.pressing += i * pressing;
        }
        p.intensity = p.intensity.min(1.0);
        p.economic = p.economic.min(1.0);
        p.business = p.business.min(1.0);
        p.restriction = p.restriction.min(1.0);
        p.pressing = p.pressing.min(1.0);
        p
    }
}
