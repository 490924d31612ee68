//! Grant programmes (G1-G3, S2, S3, C7, L1, L5); MODEL.md, section 7.16, gives the equations
//! with the names used here.
//!
//! Each programme holds `calls_per_year` calls, each with the programme's yearly budget spread
//! evenly over them. The community programmes (federal, regional, foundation, the L1 fund) take
//! applications from communities whose leader looks outward (S3) and who have the capacity; the
//! administration may co-apply for an integrated community (G2, S2), which opens
//! registration-only programmes to it and raises its weight. The federal competition for a
//! comfortable urban environment takes one project a year from each eligible territory, designed
//! by an integrated community and filed by the administration (the report's 55 million roubles
//! for landscaping).
//!
//! Every application asks for an amount drawn from a Pareto distribution truncated at the call's
//! budget (G3), so no award can exceed what its call can pay. Applications are ranked by a
//! Tullock contest: the first award goes to application i with probability
//! p_i = w_i x_i^r / sum_j w_j x_j^r, the next among the rest likewise (a Plackett-Luce order),
//! and they are funded in that order while the call's money covers their requests. Most lose
//! because the requests far exceed the budget. A win adds to the community's track record, which
//! raises its weight in later calls (the Matthew effect, emerging from the feedback); a loss
//! lowers its propensity to apply for about a year (Bol et al. 2018).
//!
//! Word of a call travels along ties (C2): a community that applied to the programme before has
//! a tie to it and knows of its calls; one without hears of a call from a neighbouring community
//! that has such a tie (as readily as that neighbour exchanges information), from its
//! administration if it works with it, or, failing both, with probability `grants.awareness`.
//! Applying renews the community's tie to the programme and winning strengthens it.

use super::config::{Applicants, Config, Programme};
use super::development;
use super::network::Partner;
use super::policy::lift;
use super::state::{Community, Territory, INTEGRATION, NONE};
use rand::Rng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// Share of a co-applied award of a community programme that reaches the community's own
/// budget; the rest is the administration's project. (An urban-environment award pays for the
/// administration's landscaping project: none of it enters the community's budget.)
pub const COAPPLIED_TO_COMMUNITY: f64 = 0.3;
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
/// A win raises the community's general reputation (S4) by WIN_REPUTATION ln(1 + award).
pub const WIN_REPUTATION: f64 = 0.1;
/// Half-life of a win in the track record, months: grant makers look at the last few years.
pub const RECORD_HALF_LIFE: f64 = 36.0;
/// A win adds WIN_TIE to the strength of the winner's tie to the programme (applying renews it
/// to 1), so that a funder who knows the community keeps it informed for longer.
pub const WIN_TIE: f64 = 1.0;
/// Index of the large city in `params::CLASSES`: the federal competition for a comfortable urban
/// environment is for small towns and settlements, so large cities do not apply.
const LARGE_CITY: usize = 2;

/// Monthly factor of the track record: 2^(-1 / RECORD_HALF_LIFE).
pub fn record_retention() -> f64 {
    0.5f64.powf(1.0 / RECORD_HALF_LIFE)
}

#[derive(Debug, Clone, Copy, Default)]
pub struct GrantTally {
    pub applications: u64,
    pub won: u64,
    pub money: f64,
    /// The largest single award, million roubles (0 before the first).
    pub max_award: f64,
    /// Money of the awards the administration filed or co-filed (G2, S2), million roubles.
    pub coapplied_money: f64,
}

#[derive(Debug, Clone)]
struct Application {
    territory: usize,
    community: usize,
    /// w = (1 + matthew · record) · (coapplication_weight if co-applied).
    weight: f64,
    /// x: the application's quality.
    quality: f64,
    /// The amount asked for, at most the call's budget.
    request: f64,
    coapplied: bool,
    /// The uniform draw in (0, 1] that places the application in the contest's order.
    rank_draw: f64,
}

/// The month of the year (0 = January) in which a programme's first call of the year opens:
/// March, after the budgets of the year are set.
pub const FIRST_CALL_MONTH: u32 = 2;

/// How many of a programme's `calls` calls a year open in `month`: call k opens in month
/// (FIRST_CALL_MONTH + 12 k / calls) mod 12, so with more than 12 a year several fall in one
/// month, where they are held as one call with their budgets together.
pub fn calls_in_month(calls: u32, month: i32) -> u32 {
    let m = month.rem_euclid(12) as u32;
    (0..calls)
        .filter(|k| (FIRST_CALL_MONTH + k * 12 / calls) % 12 == m)
        .count() as u32
}

pub fn step(
    territories: &mut [Territory],
    config: &Config,
    rng: &mut Xoshiro256PlusPlus,
    month: i32,
    tally: &mut GrantTally,
) {
    if !config.grants.enabled {
        return;
    }
    for (index, programme) in config.programmes.iter().enumerate() {
        let calls = calls_in_month(programme.calls_per_year, month);
        if calls == 0 {
            continue;
        }
        let budget = programme.call_budget() * f64::from(calls);
        let tie = Partner::Programme(index as u32);
        let applications = match programme.applicants {
            Applicants::Communities => collect(territories, config, rng, programme, tie, budget),
            Applicants::Administrations => {
                collect_projects(territories, config, rng, programme, budget)
            }
        };
        tally.applications += applications.len() as u64;
        let awards = contest(&applications, config.grants.contest_exponent, budget);
        settle(
            territories,
            config,
            programme,
            tie,
            &applications,
            &awards,
            tally,
        );
    }
}

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
fn record_weight(com: &Community, config: &Config) -> f64 {
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
fn collect(
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
            let mut draws = super::streams::applicant(call, t, c as u64);
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
fn collect_projects(
    territories: &[Territory],
    config: &Config,
    rng: &mut Xoshiro256PlusPlus,
    programme: &Programme,
    budget: f64,
) -> Vec<Application> {
    let mut out = Vec::new();
    let call: u64 = rng.random();
    for (t, territory) in territories.iter().enumerate() {
        let mut draws = super::streams::applicant(call, t, u64::MAX);
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

/// The amount an application asks for: Pareto with the given median (of the untruncated
/// distribution) and tail index, truncated at the call's budget `cap` by inverse transform of
/// the uniform `u` in [0, 1). A call smaller than the Pareto's least value is asked for whole.
fn request(u: f64, median: f64, tail: f64, cap: f64) -> f64 {
    let scale = median / 2f64.powf(1.0 / tail);
    if cap <= scale {
        return cap.max(0.0);
    }
    let below_cap = 1.0 - (scale / cap).powf(tail);
    (scale * (1.0 - u * below_cap).powf(-1.0 / tail)).min(cap)
}

/// An application's score in the contest, w x^r.
fn score(weight: f64, quality: f64, r: f64) -> f64 {
    weight * quality.powf(r)
}

/// The Tullock contest's probabilities p_i = w_i x_i^r / sum_j w_j x_j^r.
pub fn tullock(weights: &[f64], qualities: &[f64], r: f64) -> Vec<f64> {
    let scores: Vec<f64> = weights
        .iter()
        .zip(qualities)
        .map(|(&w, &x)| score(w, x, r))
        .collect();
    let total: f64 = scores.iter().sum();
    scores.iter().map(|s| s / total).collect()
}

/// The order of the contest: application i leads the key ln(u_i) / (w_i x_i^r) (an exponential
/// race; Efraimidis and Spirakis 2006), so the first place goes to i with the Tullock
/// probability and each later place is the same contest among the rest. Funded in that order
/// while the money left covers the request; returns the indices of the awards, in order.
fn contest(applications: &[Application], r: f64, budget: f64) -> Vec<usize> {
    let key = |a: &Application| a.rank_draw.ln() / score(a.weight, a.quality, r);
    let mut order: Vec<(usize, f64)> = applications
        .iter()
        .enumerate()
        .map(|(i, a)| (i, key(a)))
        .collect();
    order.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut remaining = budget;
    let mut awards = Vec::new();
    for (i, _) in order {
        let amount = applications[i].request;
        if amount > 0.0 && amount <= remaining {
            remaining -= amount;
            awards.push(i);
        }
    }
    awards
}

/// Pays the awards and lets winners and losers learn; every applicant's tie to the programme
/// (`tie`) is renewed, a winner's strengthened.
fn settle(
    territories: &mut [Territory],
    config: &Config,
    programme: &Programme,
    tie: Partner,
    applications: &[Application],
    awards: &[usize],
    tally: &mut GrantTally,
) {
    for a in applications {
        let com = &mut territories[a.territory].communities[a.community];
        com.ties.renew(tie);
        com.grant_applications += 1;
    }
    let mut won = vec![false; applications.len()];
    for &k in awards {
        won[k] = true;
        let a = &applications[k];
        let amount = a.request;
        let to_community = match programme.applicants {
            Applicants::Administrations => 0.0,
            Applicants::Communities if a.coapplied => COAPPLIED_TO_COMMUNITY,
            Applicants::Communities => 1.0,
        };
        let territory = &mut territories[a.territory];
        let com = &mut territory.communities[a.community];
        com.money += amount * to_community;
        com.reputation += WIN_REPUTATION * (1.0 + amount).ln();
        com.grant_record += 1.0;
        com.grant_money_won += amount;
        com.grants_won += 1;
        com.apply_propensity = 1.0;
        com.ties.strengthen(tie, WIN_TIE);
        territory.external_money += amount;
        development::grant_effect(territory, config, amount, a.coapplied);
        tally.won += 1;
        tally.money += amount;
        tally.max_award = tally.max_award.max(amount);
        if a.coapplied {
            tally.coapplied_money += amount;
        }
    }
    for (a, _) in applications.iter().zip(&won).filter(|(_, w)| !**w) {
        let com = &mut territories[a.territory].communities[a.community];
        com.apply_propensity *= 1.0 - config.grants.discouragement;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn application(weight: f64, quality: f64, request: f64, rank_draw: f64) -> Application {
        Application {
            territory: 0,
            community: 0,
            weight,
            quality,
            request,
            coapplied: false,
            rank_draw,
        }
    }

    #[test]
    fn requests_have_the_requested_median_a_heavy_tail_and_never_pass_the_call() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let mut draws: Vec<f64> = (0..100_001)
            .map(|_| request(rng.random(), 6.0, 1.6, 1.0e9))
            .collect();
        draws.sort_by(f64::total_cmp);
        let median = draws[50_000];
        assert!((median - 6.0).abs() < 0.15, "{median}");
        assert!(
            draws[100_000] > 55.0,
            "the largest of 100k requests passes 55M"
        );
        // Truncated at a call's budget: never above it, and reaching close to it.
        for cap in [6.0, 24.0, 80.0] {
            let most = (0..10_000)
                .map(|_| request(rng.random(), 6.0, 1.6, cap))
                .fold(0.0, f64::max);
            assert!(most <= cap && most > 0.9 * cap, "{most} in a call of {cap}");
        }
        assert_eq!(
            request(0.3, 6.0, 1.6, 1.0),
            1.0,
            "a small call is asked for whole"
        );
    }

    #[test]
    fn the_contest_formula_on_a_known_case() {
        // w = (1, 2, 1), x = (1, 1, 2), r = 2: scores 1, 2, 4 of 7.
        let p = tullock(&[1.0, 2.0, 1.0], &[1.0, 1.0, 2.0], 2.0);
        for (got, want) in p.iter().zip([1.0 / 7.0, 2.0 / 7.0, 4.0 / 7.0]) {
            assert!((got - want).abs() < 1e-12, "{p:?}");
        }
        // r = 0 is a lottery among equal weights, whatever the quality.
        let lottery = tullock(&[1.0, 1.0], &[0.2, 5.0], 0.0);
        assert!((lottery[0] - 0.5).abs() < 1e-12);
        // The first place of the contest's order follows the formula: one award of the budget.
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        let n = 70_000;
        let mut first = [0usize; 3];
        for _ in 0..n {
            let apps: Vec<Application> = [(1.0, 1.0), (2.0, 1.0), (1.0, 2.0)]
                .iter()
                .map(|&(w, x)| application(w, x, 1.0, 1.0 - rng.random::<f64>()))
                .collect();
            let awards = contest(&apps, 2.0, 1.0);
            assert_eq!(awards.len(), 1);
            first[awards[0]] += 1;
        }
        for (k, want) in [1.0 / 7.0, 2.0 / 7.0, 4.0 / 7.0].iter().enumerate() {
            let got = first[k] as f64 / n as f64;
            assert!((got - want).abs() < 0.01, "place 1 of {k}: {got} vs {want}");
        }
    }

    #[test]
    fn no_award_exceeds_its_call_and_a_call_pays_at_most_its_budget() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        for budget in [0.3, 5.0, 24.0, 80.0] {
            for _ in 0..500 {
                let apps: Vec<Application> = (0..30)
                    .map(|_| {
                        let ask = request(rng.random(), 6.0, 1.6, budget);
                        application(
                            1.0,
                            0.5 + rng.random::<f64>(),
                            ask,
                            1.0 - rng.random::<f64>(),
                        )
                    })
                    .collect();
                let awards = contest(&apps, 1.0, budget);
                let paid: f64 = awards.iter().map(|&k| apps[k].request).sum();
                assert!(paid <= budget + 1e-9, "{paid} of {budget}");
                assert!(awards.iter().all(|&k| apps[k].request <= budget));
                // Whatever is left could not pay any request that lost.
                let left = budget - paid;
                assert!((0..apps.len())
                    .filter(|k| !awards.contains(k))
                    .all(|k| apps[k].request > left));
            }
        }
    }

    #[test]
    fn a_win_builds_a_record_that_raises_the_weight_and_a_loss_discourages() {
        let config = Config::from_scenario(&crate::scenario::Scenario::default());
        let mut region = crate::model::region::Region::new(&config, 7);
        let t = (0..region.territories.len())
            .find(|&t| region.territories[t].communities.len() >= 2)
            .unwrap();
        let apps: Vec<Application> = (0..2)
            .map(|c| Application {
                territory: t,
                community: c,
                ..application(1.0, 1.0, 2.0, 0.5)
            })
            .collect();
        let before = region.territories[t].communities.clone();
        let mut tally = GrantTally::default();
        settle(
            &mut region.territories,
            &config,
            &config.programmes[0],
            Partner::Programme(0),
            &apps,
            &[0],
            &mut tally,
        );
        let after = &region.territories[t].communities;
        assert_eq!(after[0].grant_record, before[0].grant_record + 1.0);
        assert_eq!(after[0].grant_money_won, 2.0);
        assert_eq!((tally.won, tally.money, tally.max_award), (1, 2.0, 2.0));
        assert!(after[0].reputation > before[0].reputation);
        let loser = before[1].apply_propensity * (1.0 - config.grants.discouragement);
        assert!((after[1].apply_propensity - loser).abs() < 1e-12);
        // The record raises the winner's weight by matthew per win ...
        let gain = record_weight(&after[0], &config) - record_weight(&before[0], &config);
        assert!((gain - config.grants.matthew).abs() < 1e-12);
        let mut off = config.clone();
        off.grants.matthew = 0.0;
        assert_eq!(record_weight(&after[0], &off), 1.0);
        // ... so that, of two equal applications, the past winner (weight 2, record 1) leads
        // the next call two times in three.
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(2);
        let n = 40_000;
        let wins = (0..n)
            .filter(|_| {
                let apps = [
                    application(2.0, 1.0, 1.0, 1.0 - rng.random::<f64>()),
                    application(1.0, 1.0, 1.0, 1.0 - rng.random::<f64>()),
                ];
                contest(&apps, 1.0, 1.0) == [0]
            })
            .count();
        assert!((wins as f64 / n as f64 - 2.0 / 3.0).abs() < 0.01);
        // A record fades by half in RECORD_HALF_LIFE months.
        let faded = record_retention().powf(RECORD_HALF_LIFE);
        assert!((faded - 0.5).abs() < 1e-12);
    }

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
    fn call_months_spread_over_the_year() {
        let months = |calls| {
            (0..12)
                .filter(|&m| calls_in_month(calls, m) > 0)
                .collect::<Vec<_>>()
        };
        assert_eq!(months(1), [2]);
        assert_eq!(months(2), [2, 8]);
        assert!(months(0).is_empty());
        // Every call of the year opens in some month, so the whole yearly budget is offered.
        for calls in [1, 2, 5, 12, 24, 365] {
            let held: u32 = (0..12).map(|m| calls_in_month(calls, m)).sum();
            assert_eq!(held, calls);
        }
        assert_eq!(crate::params::CLASSES[LARGE_CITY], "large_city");
    }
}
