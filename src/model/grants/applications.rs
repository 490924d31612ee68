//! Who applies to a call and with what (G1, G2, S2, S3, C2, C6, L5): MODEL.md, section 7.16,
//! "Applications to community programmes" and "Projects for the federal competition".

use super::contest::request;
use super::Application;
use crate::model::config::{Config, Programme};
use crate::model::network::Partner;
use crate::model::policy::lift;
use crate::model::state::{Community, Territory, INTEGRATION, NONE};
use rand::Rng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The administration co-applies with probability min(1, COAPPLY_GAIN · inclusion · openness).
pub const COAPPLY_GAIN: f64 = 2.0;
/// The administration files a project for the federal competition with probability
/// min(1, FILING_GAIN · inclusion · openness) times the designer's propensity and horizon: twice
/// the gain of co-applying for a community's own project, since the landscaping is the
/// administration's own project.
pub const FILING_GAIN: f64 = 4.0;
/// Factor on the application rate of a community whose leader does not look outward (S3).
pub const INWARD_APPLY: f64 = 0.25;
/// Factor on the capacity of a community without a leader.
pub const LEADERLESS_CAPACITY: f64 = 0.3;
/// Capacity to apply: min(1, h (CAPACITY_AGENCY + C6)).
pub const CAPACITY_AGENCY: f64 = 0.5;
/// Competence centres (L5) multiply application rates and quality by 1 + COMPETENCE_GAIN lift(L5).
pub const COMPETENCE_GAIN: f64 = 0.5;
/// Quality x = (QUALITY_HUMAN_CAPITAL + h)(QUALITY_AGENCY + C6) o (1 + COMPETENCE_GAIN lift(L5))
/// (1 + QUALITY_EXPECTATION e), where o is 1 for an outward leader and INWARD_QUALITY otherwise.
pub const QUALITY_HUMAN_CAPITAL: f64 = 0.3;
pub const QUALITY_AGENCY: f64 = 0.5;
pub const QUALITY_EXPECTATION: f64 = 0.3;
/// Quality factor of an application whose community's leader does not look outward (S3).
pub const INWARD_QUALITY: f64 = 0.6;
/// Index of the large city in `params::CLASSES`: the federal competition for a comfortable urban
/// environment is for small towns and settlements, so large cities do not apply.
const LARGE_CITY: usize = 2;

/// The probability that community `com` of `territory` learns of a call of the programme whose
/// tie is `programme` (C2): 1 with a tie to the programme; otherwise
/// `1 − (1 − awareness) Π_n (1 − C2_n) · (1 − inclusion if tied to the administration)`, the
/// product over the neighbouring communities n that have a tie to the programme, each passing
/// the word on as readily as it exchanges information, and the administration passing it on
/// with its propensity to include communities (S2).
pub fn awareness(
    territory: &Territory,
    com: &Community,
    programme: Partner,
    config: &Config,
) -> f64 {
    if com.ties.has(programme) {
        return 1.0;
    }
    let mut unheard = 1.0 - config.grants.awareness;
    for e in com.ties.edges() {
        match e.partner {
            Partner::Community { index, .. } => {
                let n = &territory.communities[index as usize];
                if n.ties.has(programme) {
                    unheard *= 1.0 - n.criteria[1];
                }
            }
            Partner::Administration => unheard *= 1.0 - config.administration.inclusion,
            _ => {}
        }
    }
    1.0 - unheard
}

/// Factor of the competence centres (L5) on application rates and quality.
fn competence(config: &Config) -> f64 {
    1.0 + COMPETENCE_GAIN * lift(config.levers.competence_centres)
}

/// How far the planning horizon allows an application: sqrt(H / H0), at most 1 (the time pit).
fn horizon_factor(com: &Community, config: &Config) -> f64 {
    (com.horizon / config.horizon.normal).sqrt().min(1.0)
}

/// The quality x of a community's application.
fn quality(com: &Community, config: &Config) -> f64 {
    let orientation = if com.external_leader {
        1.0
    } else {
        INWARD_QUALITY
    };
    (QUALITY_HUMAN_CAPITAL + com.mean_human_capital())
        * (QUALITY_AGENCY + com.criteria[5])
        * orientation
        * competence(config)
        * (1.0 + QUALITY_EXPECTATION * com.expectation)
}

/// The contest weight w before co-application: the track record's Matthew term.
pub(super) fn record_weight(com: &Community, config: &Config) -> f64 {
    1.0 + config.grants.matthew * com.grant_record
}

/// The probability that the administration co-applies (G2, S2).
fn coapply_chance(config: &Config, openness: f64) -> f64 {
    (COAPPLY_GAIN * config.administration.inclusion * openness).min(1.0)
}

/// Applications of communities to one call of a community programme. Every living community
/// draws four numbers from its own stream of the call (`streams::applicant`), whatever it does, so
/// a changed parameter shifts no other community's draws. A community applies only if it has
/// heard of the call ([`awareness`], folded into the probability of applying).
pub(super) fn collect(
    territories: &[Territory],
    config: &Config,
    rng: &mut Xoshiro256PlusPlus,
    programme: &Programme,
    tie: Partner,
    budget: f64,
) -> Vec<Application> {
    let mut out = Vec::new();
    let competence = competence(config);
    let call: u64 = rng.random();
    for (t, territory) in territories.iter().enumerate() {
        let openness = territory.administration.openness;
        for (c, com) in territory.communities.iter().enumerate() {
            if !com.alive || com.n_members == 0 {
                continue;
            }
            let mut draws = crate::model::streams::applicant(call, t, c as u64);
            let [u_apply, u_coapply, u_request] = [(); 3].map(|_| draws.random::<f64>());
            let rank_draw = 1.0 - draws.random::<f64>();
            let capacity = (com.mean_human_capital() * (CAPACITY_AGENCY + com.criteria[5]))
                .min(1.0)
                * if com.leader != NONE {
                    1.0
                } else {
                    LEADERLESS_CAPACITY
                };
            let orientation = if com.external_leader {
                1.0
            } else {
                INWARD_APPLY
            };
            let p = config.grants.apply_rate
                * orientation
                * capacity
                * com.apply_propensity
                * horizon_factor(com, config)
                * competence
                * awareness(territory, com, tie, config);
            if u_apply >= p {
                continue;
            }
            let coapplied = config.grants.coapplication
                && com.stance == INTEGRATION
                && u_coapply < coapply_chance(config, openness);
            if programme.registration_required && !com.registered && !coapplied {
                continue;
            }
            let weight = record_weight(com, config)
                * if coapplied {
                    config.grants.coapplication_weight
                } else {
                    1.0
                };
            out.push(Application {
                territory: t,
                community: c,
                weight,
                quality: quality(com, config),
                request: request(
                    u_request,
                    programme.award_median,
                    config.grants.award_tail,
                    budget,
                ),
                coapplied,
                rank_draw,
            });
        }
    }
    out
}

/// Projects of administrations to one call of the federal competition for a comfortable urban
/// environment: in each village and small town, the integrated community with the best
/// application designs the project ("we developed the concept of the project, and the
/// administration filed the application"); the administration files it with the co-application
/// probability, times the designer's propensity and horizon. Without co-application (G2 off)
/// no community's project is filed. Every territory draws three numbers whatever it does.
pub(super) fn collect_projects(
    territories: &[Territory],
    config: &Config,
    rng: &mut Xoshiro256PlusPlus,
    programme: &Programme,
    budget: f64,
) -> Vec<Application> {
    let mut out = Vec::new();
    let call: u64 = rng.random();
    for (t, territory) in territories.iter().enumerate() {
        let mut draws = crate::model::streams::applicant(call, t, u64::MAX);
        let [u_file, u_request] = [(); 2].map(|_| draws.random::<f64>());
        let rank_draw = 1.0 - draws.random::<f64>();
        if !config.grants.coapplication || territory.class == LARGE_CITY {
            continue;
        }
        let designer = territory
            .communities
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                c.alive && c.n_members > 0 && c.leader != NONE && c.stance == INTEGRATION
            })
            .map(|(i, c)| (i, quality(c, config)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        let Some((c, quality)) = designer else {
            continue;
        };
        let com = &territory.communities[c];
        let p = (FILING_GAIN * config.administration.inclusion * territory.administration.openness)
            .min(1.0)
            * com.apply_propensity
            * horizon_factor(com, config);
        if u_file >= p {
            continue;
        }
        out.push(Application {
            territory: t,
            community: c,
            weight: record_weight(com, config) * config.grants.coapplication_weight,
            quality,
            request: request(
                u_request,
                programme.award_median,
                config.grants.award_tail,
                budget,
            ),
            coapplied: true,
            rank_draw,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_support::application;
    use super::super::{settle, Application, GrantTally};
    use super::*;

    #[test]
    fn word_of_a_call_reaches_a_community_through_its_ties() {
        let config = Config::from_scenario(&crate::scenario::Scenario::default());
        let mut region = crate::model::region::Region::new(&config, 7);
        let t = (0..region.territories.len())
            .find(|&t| region.territories[t].communities.len() >= 3)
            .unwrap();
        let territory = &mut region.territories[t];
        for c in 0..territory.communities.len() {
            crate::model::network::detach(territory, c);
        }
        let call = Partner::Programme(1);
        let (a, b, c) = (0, 1, 2);
        let heard = |t: &Territory, c: usize| awareness(t, &t.communities[c], call, &config);
        // Without ties, a call is heard with the base awareness.
        assert!((heard(territory, a) - config.grants.awareness).abs() < 1e-12);
        // A tie to the programme: the community knows its calls.
        territory.communities[b].ties.renew(call);
        assert_eq!(heard(territory, b), 1.0);
        // A neighbour with that tie passes the word on as readily as it exchanges information.
        crate::model::network::link(territory, a, b, 1.0);
        let c2 = territory.communities[b].criteria[1];
        let want = 1.0 - (1.0 - config.grants.awareness) * (1.0 - c2);
        assert!((heard(territory, a) - want).abs() < 1e-12);
        // A neighbour without it does not, nor does a tie to another programme.
        crate::model::network::link(territory, c, a, 1.0);
        territory.communities[c].ties.renew(Partner::Programme(0));
        assert!((heard(territory, c) - config.grants.awareness).abs() < 1e-12);
        // The administration passes the word on to the communities that work with it.
        territory.communities[c].ties.renew(Partner::Administration);
        let want = 1.0 - (1.0 - config.grants.awareness) * (1.0 - config.administration.inclusion);
        assert!((heard(territory, c) - want).abs() < 1e-12);
        // Applying makes the tie, so the next call is known.
        let apps = [Application {
            territory: t,
            community: a,
            ..application(1.0, 1.0, 2.0, 0.5)
        }];
        let mut tally = GrantTally::default();
        settle(
            &mut region.territories,
            &config,
            &config.programmes[1],
            call,
            &apps,
            &[],
            &mut tally,
        );
        assert_eq!(heard(&region.territories[t], a), 1.0);
    }

    #[test]
    fn large_cities_are_the_class_left_out_of_the_urban_competition() {
        assert_eq!(crate::params::CLASSES[LARGE_CITY], "large_city");
    }
}
