//! Horizontal ties and partnerships (C2, S4, B2, L6, L7). Information exchange makes ties to
//! other communities of the territory; business skills and business density make ties to local
//! business, which bring money; reputation brings outside organisations that say "we know about
//! you" (S4). Ties fade slowly. Their diversity drives self-fulfilling prophecies (F3).

use super::config::Config;
use super::policy::lift;
use super::state::{Territory, TIE_BUSINESS, TIE_OUTSIDE};
use super::util::chance;
use rand::Rng;
use rand_distr::{Distribution, Exp1};

const HORIZONTAL_RATE: f64 = 0.08;
const BUSINESS_RATE: f64 = 0.1;
const TIE_RETENTION: f64 = 0.99;

pub fn step(territory: &mut Territory, config: &Config) {
    let class = &config.classes[territory.class];
    let platforms = 1.0 + 2.0 * lift(config.levers.communication_platforms);
    let centres = 1.0 + lift(config.levers.development_centres);
    let alive: Vec<usize> = (0..territory.communities.len())
        .filter(|&c| territory.communities[c].alive)
        .collect();
    for &c in &alive {
        let (info, reputation) = {
            let com = &territory.communities[c];
            (com.criteria[1], com.reputation)
        };
        if alive.len() > 1 && chance(&mut territory.rng, HORIZONTAL_RATE * info * platforms) {
            let other = alive[territory.rng.random_range(0..alive.len())];
            if other != c {
                let (k_self, k_other) = (
                    territory.communities[c].kind,
                    territory.communities[other].kind,
                );
                territory.communities[c].ties[k_other] += 1.0;
                territory.communities[other].ties[k_self] += 1.0;
            }
        }
        let p_business =
            BUSINESS_RATE * class.business_density * config.community.business_skills * centres;
        if chance(&mut territory.rng, p_business) {
            let money = 0.5 * config.success.partner_money * {
                let e: f64 = Exp1.sample(&mut territory.rng);
                e
            };
            let com = &mut territory.communities[c];
            com.ties[TIE_BUSINESS] += 1.0;
            com.money += money;
            territory.external_money += money;
            territory.partner_money += money;
        }
        if chance(
            &mut territory.rng,
            config.success.visibility_feedback * reputation,
        ) {
            let money = config.success.partner_money * {
                let e: f64 = Exp1.sample(&mut territory.rng);
                e
            };
            let com = &mut territory.communities[c];
            com.ties[TIE_OUTSIDE] += 1.0;
            com.money += money;
            com.reputation += 0.02;
            territory.external_money += money;
            territory.partner_money += money;
        }
        for w in territory.communities[c].ties.iter_mut() {
            *w *= TIE_RETENTION;
        }
    }
}
