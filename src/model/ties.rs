//! Ties and partnerships (C2, F3, S4, B2, L6, L7): the monthly mechanisms that make, renew and
//! fade the edges of the network (`network`), and the partners a new community brings at its
//! founding. Each month every edge fades and weak ones drop (`ties.fade`); an integrated
//! community renews its tie to the administration and a confronting one breaks it; information
//! exchange makes ties to other communities of the territory, more with communication platforms
//! (L6); business skills and business density make ties to firms of the territory, each
//! bringing money, more with development centres (B2, L7); reputation brings outside
//! organisations that say "we know about you" (S4), each a new partner. The propensity to form
//! ties across kinds of partners (F3, `community.tie_diversity`) weighs every tie a community
//! seeks by how much of that kind it already has, so the diversity of its ties follows from the
//! edges it makes.

use super::config::Config;
use super::network::{self, Partner, BUSINESS, HORIZONTAL, OUTSIDE};
use super::policy::lift;
use super::state::{Firm, Territory, CONFRONTATION, INTEGRATION};
use super::util::{chance, weighted};
use rand::Rng;
use rand_distr::{Distribution, Exp1};

/// Monthly probability, per unit information exchange (C2), that a community seeks a tie with
/// a randomly met community of its territory.
pub const HORIZONTAL_RATE: f64 = 0.08;
/// Monthly probability, per unit business density and business skills, of a tie to a firm (B2).
pub const BUSINESS_RATE: f64 = 0.1;
/// A business tie brings BUSINESS_MONEY · `success.partner_money` · Exp(1), an outside
/// organisation `success.partner_money` · Exp(1).
pub const BUSINESS_MONEY: f64 = 0.5;
/// Reputation an outside organisation's approach adds (S4).
pub const VISIBILITY_REPUTATION: f64 = 0.02;
/// Communication platforms (L6) multiply the rate of ties between communities by
/// 1 + PLATFORM_GAIN · lift(L6).
pub const PLATFORM_GAIN: f64 = 2.0;
/// Development centres (L7) multiply the rate of ties to firms by 1 + CENTRE_GAIN · lift(L7)
/// (and the approaches of outside organisations likewise, in `policy::apply`).
pub const CENTRE_GAIN: f64 = 1.0;
/// Scale of the bridging factor f_k = BRIDGING · (φ (1 − s_k) + (1 − φ) s_k), so that the
/// propensity φ = 1/2 favours no kind (f_k = 1 for every k).
pub const BRIDGING: f64 = 2.0;
/// Partners a new community draws at its founding (the ties its founders bring).
pub const FOUNDING_DRAWS: usize = 3;
/// Weights of the kinds of partner a founding draw meets, before the bridging factor: another
/// community of the territory, a firm of the territory, an outside organisation.
pub const FOUNDING_WEIGHTS: [f64; 3] = [0.6, 0.2, 0.2];
/// Tries at finding an open firm of the territory (closed firms stay listed until month 0).
const FIRM_TRIES: usize = 20;

/// F3: how readily a community with horizontal shares `shares` makes a tie of category `k`,
/// given the propensity `phi` to form ties across kinds: BRIDGING · (φ (1 − s_k) + (1 − φ) s_k).
/// At φ = 1 it seeks the kinds it has few ties to, at φ = 0 the kinds it has; a community
/// without horizontal ties has no kind to cross from (1).
pub fn bridging(shares: Option<[f64; HORIZONTAL]>, k: usize, phi: f64) -> f64 {
    match shares {
        None => 1.0,
        Some(s) => BRIDGING * (phi * (1.0 - s[k]) + (1.0 - phi) * s[k]),
    }
}

pub fn step(territory: &mut Territory, config: &Config) {
    network::fade(territory, 1.0 - config.ties.fade);
    let class = &config.classes[territory.class];
    let phi = config.community.tie_diversity;
    let platforms = 1.0 + PLATFORM_GAIN * lift(config.levers.communication_platforms);
    let centres = 1.0 + CENTRE_GAIN * lift(config.levers.development_centres);
    let alive: Vec<usize> = (0..territory.communities.len())
        .filter(|&c| territory.communities[c].alive)
        .collect();
    for &c in &alive {
        let com = &mut territory.communities[c];
        // The tie to the administration is the working relation of integration (X1).
        match com.stance {
            INTEGRATION => com.ties.renew(Partner::Administration),
            CONFRONTATION => {
                com.ties.remove(Partner::Administration);
            }
            _ => {}
        }
        let (info, reputation) = (com.criteria[1], com.reputation);
        // C2, L6: a community met at random; the tie is sought by its type (F3).
        if alive.len() > 1 {
            let other = alive[territory.rng.random_range(0..alive.len())];
            if other != c {
                let shares = territory.communities[c].ties.shares();
                let kind = territory.communities[other].kind;
                let p = HORIZONTAL_RATE * info * platforms * bridging(shares, kind, phi);
                if chance(&mut territory.rng, p) {
                    network::link(territory, c, other, 1.0);
                }
            }
        }
        // B2, L7: a tie to a firm of the territory, which brings money.
        let shares = territory.communities[c].ties.shares();
        let p_business = BUSINESS_RATE
            * class.business_density
            * config.community.business_skills
            * centres
            * bridging(shares, BUSINESS, phi);
        if chance(&mut territory.rng, p_business) {
            if let Some(f) = open_firm(&territory.firms, &mut territory.rng) {
                let e: f64 = Exp1.sample(&mut territory.rng);
                let money = BUSINESS_MONEY * config.success.partner_money * e;
                network::tie_firm(territory, c, f, 1.0);
                let com = &mut territory.communities[c];
                com.money += money;
                territory.external_money += money;
                territory.partner_money += money;
            }
        }
        // S4: "we know about you": a new outside organisation approaches a known community.
        if chance(
            &mut territory.rng,
            config.success.visibility_feedback * reputation,
        ) {
            let e: f64 = Exp1.sample(&mut territory.rng);
            let money = config.success.partner_money * e;
            let partner = new_outside(territory);
            let com = &mut territory.communities[c];
            com.ties.strengthen(partner, 1.0);
            com.money += money;
            com.reputation += VISIBILITY_REPUTATION;
            territory.external_money += money;
            territory.partner_money += money;
        }
    }
}

/// The partners a new community `c` brings: [`FOUNDING_DRAWS`] draws, each meeting another
/// living community, an open firm and an outside organisation and tying to one of them with
/// probability in proportion to [`FOUNDING_WEIGHTS`] times the bridging factor of its kind, as
/// the ties drawn so far make it (F3). The diversity of a new community's ties is thus the
/// outcome of a process, not a target.
pub fn at_founding(territory: &mut Territory, config: &Config, c: usize) {
    let others: Vec<usize> = (0..territory.communities.len())
        .filter(|&o| o != c && territory.communities[o].alive)
        .collect();
    let phi = config.community.tie_diversity;
    let mut rng = super::streams::founding(territory.seed, c as u64);
    for _ in 0..FOUNDING_DRAWS {
        let other = (!others.is_empty()).then(|| others[rng.random_range(0..others.len())]);
        let firm = open_firm(&territory.firms, &mut rng);
        let shares = territory.communities[c].ties.shares();
        let weights = [
            other.map_or(0.0, |o| {
                FOUNDING_WEIGHTS[0] * bridging(shares, territory.communities[o].kind, phi)
            }),
            firm.map_or(0.0, |_| {
                FOUNDING_WEIGHTS[1] * bridging(shares, BUSINESS, phi)
            }),
            FOUNDING_WEIGHTS[2] * bridging(shares, OUTSIDE, phi),
        ];
        match (weighted(&mut rng, &weights), other, firm) {
            (Some(0), Some(o), _) => network::link(territory, c, o, 1.0),
            (Some(1), _, Some(f)) => network::tie_firm(territory, c, f, 1.0),
            (Some(2), _, _) => {
                let partner = new_outside(territory);
                territory.communities[c].ties.strengthen(partner, 1.0);
            }
            _ => {}
        }
    }
}

/// A randomly found open firm of the territory, if any, drawn from `rng`.
fn open_firm(firms: &[Firm], rng: &mut impl Rng) -> Option<usize> {
    let n = firms.len();
    if n == 0 {
        return None;
    }
    (0..FIRM_TRIES)
        .map(|_| rng.random_range(0..n))
        .find(|&f| firms[f].is_open())
}

/// A new outside organisation, numbered in the order the territory's communities meet them.
fn new_outside(territory: &mut Territory) -> Partner {
    let partner = Partner::Outside(territory.outside_partners);
    territory.outside_partners = territory.outside_partners.wrapping_add(1);
    partner
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::network::{KIND_COMMUNITY, KIND_FIRM, KIND_OUTSIDE};
    use crate::model::region::Region;

    fn town(sets: &[&str], months: u32) -> Region {
        crate::model::region::test_town(sets, 11, months).1
    }

    /// Seeds of the towns whose edges [`edges`] averages: one town of a few communities is too
    /// few to compare kinds of edge.
    const TOWNS: u64 = 6;

    /// Edges of each kind per living community after 24 months, averaged over [`TOWNS`] towns.
    fn edges(sets: &[&str]) -> [f64; 5] {
        let mut n = [0.0; 5];
        for seed in 0..TOWNS {
            let town = crate::model::region::test_town(sets, 11 + seed, 24).1;
            for (k, x) in per_community(&town).iter().enumerate() {
                n[k] += x / TOWNS as f64;
            }
        }
        n
    }

    /// Edges of each kind per living community.
    fn per_community(region: &Region) -> [f64; 5] {
        let t = &region.territories[0];
        let living: Vec<_> = t.communities.iter().filter(|c| c.alive).collect();
        let mut n = [0.0; 5];
        for c in &living {
            for (k, x) in c.ties.counts().iter().enumerate() {
                n[k] += *x as f64 / living.len() as f64;
            }
        }
        n
    }

    #[test]
    fn bridging_favours_the_kinds_a_community_lacks_as_the_propensity_rises() {
        let mut shares = [0.0; HORIZONTAL];
        shares[0] = 0.75;
        shares[BUSINESS] = 0.25;
        let s = Some(shares);
        // One half favours no kind; no ties, nothing to cross from.
        for k in 0..HORIZONTAL {
            assert!((bridging(s, k, 0.5) - 1.0).abs() < 1e-12);
            assert_eq!(bridging(None, k, 0.9), 1.0);
        }
        // At 1 the kinds it lacks are sought, at 0 the kinds it has.
        assert!((bridging(s, OUTSIDE, 1.0) - 2.0).abs() < 1e-12);
        assert!((bridging(s, 0, 1.0) - 0.5).abs() < 1e-12);
        assert_eq!(bridging(s, OUTSIDE, 0.0), 0.0);
        assert!((bridging(s, 0, 0.0) - 1.5).abs() < 1e-12);
    }

    #[test]
    fn founding_brings_a_few_partners() {
        let region = town(&[], 0);
        let t = &region.territories[0];
        t.check_invariants().unwrap();
        let total: usize = t.communities.iter().map(|c| c.ties.len()).sum();
        // Each community draws FOUNDING_DRAWS partners; ties with communities drawn later add
        // to the count of the earlier ones.
        assert!(total >= t.communities.len(), "{total} edges");
        assert!(t
            .communities
            .iter()
            .all(|c| c.ties.counts()[KIND_FIRM] <= FOUNDING_DRAWS));
    }

    #[test]
    fn the_levers_and_visibility_add_their_kinds_of_edge() {
        let base = edges(&[]);
        let platforms = edges(&["policy.communication_platforms=2"]);
        assert!(
            platforms[KIND_COMMUNITY] > base[KIND_COMMUNITY] + 1.0,
            "L6 {platforms:?} {base:?}"
        );
        let centres = edges(&["policy.development_centres=2"]);
        assert!(
            centres[KIND_FIRM] > base[KIND_FIRM],
            "L7 {centres:?} {base:?}"
        );
        assert!(
            centres[KIND_OUTSIDE] > base[KIND_OUTSIDE],
            "L7 {centres:?} {base:?}"
        );
        let known = edges(&["success.visibility_feedback=0.3"]);
        assert!(
            known[KIND_OUTSIDE] > base[KIND_OUTSIDE] + 1.0,
            "S4 {known:?} {base:?}"
        );
        let business = edges(&["community.business_skills=0.9"]);
        assert!(
            business[KIND_FIRM] > base[KIND_FIRM],
            "B2 {business:?} {base:?}"
        );
    }
}
