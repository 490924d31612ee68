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
//!
//! Here the calls, the tally and the payment of awards; `applications` says who applies and
//! with what, `contest` how the awards are ranked and what is asked for.

mod applications;
mod contest;

pub use applications::awareness;
pub use contest::tullock;

use applications::{collect, collect_projects};
use contest::contest;

use super::config::{Applicants, Config, Programme};
use super::development;
use super::network::Partner;
use super::state::Territory;
use rand_xoshiro::Xoshiro256PlusPlus;

/// Share of a co-applied award of a community programme that reaches the community's own
/// budget; the rest is the administration's project. (An urban-environment award pays for the
/// administration's landscaping project: none of it enters the community's budget.)
pub const COAPPLIED_TO_COMMUNITY: f64 = 0.3;
/// A win raises the community's general reputation (S4) by WIN_REPUTATION ln(1 + award).
pub const WIN_REPUTATION: f64 = 0.1;
/// Half-life of a win in the track record, months: grant makers look at the last few years.
pub const RECORD_HALF_LIFE: f64 = 36.0;
/// A win adds WIN_TIE to the strength of the winner's tie to the programme (applying renews it
/// to 1), so that a funder who knows the community keeps it informed for longer.
pub const WIN_TIE: f64 = 1.0;
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
mod test_support {
    use super::Application;

    pub fn application(weight: f64, quality: f64, request: f64, rank_draw: f64) -> Application {
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
}

#[cfg(test)]
mod tests {
    use super::applications::record_weight;
    use super::test_support::application;
    use super::*;
    use rand::{Rng, SeedableRng};

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
    }
}
