//! The territorial economy (K1, K2b, K3, K4, A7, R2), built from firms. Each month:
//!
//! 1. Residents spend: public-sector wages and pensions hold in a crisis (K2b), private wages
//!    follow what firms were paid last month; restrictions cut spending in person.
//! 2. Each open firm gets orders from residents, from other firms (more where business is
//!    dense; firms order as their own money orders went last month) and from outside the
//!    territory (cut by the shock's economic hit, partly made up by domestic tourism, L2). Where money is
//!    short, a share `crisis.barter` of the lost spending goes on as non-monetary exchange (K3):
//!    work is done and paid in kind.
//! 3. A share `crisis.nonpayment` x business hit of private orders is not paid: the work is done
//!    and the debt deferred ("pay when you can", K4), so receivables grow; they are repaid as
//!    payment comes back.
//! 4. Costs: fixed costs, less the relief business associations negotiate (A7), and variable
//!    costs of the work done. A firm short of cash settles part of its costs in kind (K3); fellow
//!    members of its entrepreneurial community buy part of its unpaid receivables (K4).
//! 5. A firm beyond its credit limit may close; owners who leave close theirs; new firms open
//!    as demand allows.
//!
//! The territory's output per inhabitant is the public sector's plus the firms' work: small
//! places, with fewer firms and a larger public sector, have a lower level, and the same shock
//! moves a smaller share of their economy ("nowhere to fall"). Nothing here depends on the
//! territory's class except through its density of business and its public sector.

use super::config::Config;
use super::shocks::Pressure;
use super::state::{Firm, Territory, ENTREPRENEURIAL, INTEGRATION, NONE, SENIOR, YOUTH};
use rand::Rng;
use rand_distr::{Distribution, Gamma};

/// Fixed costs of a firm per month (rent, taxes, staff kept on), in units of its normal orders.
pub const FIXED_COST: f64 = 0.3;
/// Variable cost per unit of work done.
pub const VARIABLE_COST: f64 = 0.6;
/// Share of the orders not placed by other firms that come from outside the territory.
pub const OUTSIDE_SHARE: f64 = 0.3;
/// Share of inhabitants living on pensions and transfers, which hold in a crisis like public
/// wages.
pub const PENSION_SHARE: f64 = 0.25;
/// Value of a cost settled in kind relative to cash (K3).
pub const BARTER_SETTLED: f64 = 0.5;
/// Share of fixed costs (taxes, rents) relief can waive at full advocacy (A7).
pub const RELIEF_MAX: f64 = 0.5;
/// Advocacy of a business association that is not integrated with the administration, relative
/// to an integrated one.
pub const NEUTRAL_ADVOCACY: f64 = 0.3;
/// Shape of the Gamma distribution of firm sizes (mean 1).
pub const SIZE_SHAPE: f64 = 4.0;
/// Probability that the owner of a firm that closes leaves their entrepreneurial community: its
/// unifying base is gone (R2).
pub const OWNER_LEAVES: f64 = 0.5;
/// Monthly share by which the memory of a community's closed member firms fades.
pub const LOST_FADE: f64 = 0.1;
/// Half-width of the uniform spread of firms' exposure to non-payment around 1: firms differ in
/// how much of their clientele stops paying in a crisis (their trade and customers).
pub const EXPOSURE_SPREAD: f64 = 0.5;
/// Tries at finding a resident to own a new firm.
const OWNER_TRIES: usize = 20;
/// Yearly rate at which the number of firms returns toward what the market holds, per firm
/// missing.
const CATCH_UP: f64 = 0.5;
/// Highest orders per unit of firm size, relative to normal, that still draw new firms.
const MAX_OPPORTUNITY: f64 = 1.5;
/// Highest private income and firm demand indices, relative to normal.
const MAX_INDEX: f64 = 2.0;

/// A new firm's size: Gamma with mean 1.
fn firm_size(rng: &mut impl Rng) -> f64 {
    Gamma::new(SIZE_SHAPE, 1.0 / SIZE_SHAPE)
        .expect("valid shape")
        .sample(rng)
}

/// Normal monthly costs of a firm of `size`.
fn normal_costs(size: f64) -> f64 {
    size * (FIXED_COST + VARIABLE_COST)
}

/// Opens a firm owned by a free adult outside the public sector; `None` if none is found.
pub fn open_firm(territory: &mut Territory, config: &Config, month: i32) -> Option<usize> {
    let n = territory.residents.len();
    if n == 0 {
        return None;
    }
    let r = &territory.residents;
    let owner = (0..OWNER_TRIES)
        .map(|_| territory.rng.random_range(0..n))
        .find(|&i| {
            r.firm[i] == NONE && !r.public_sector[i] && r.age[i] != SENIOR && r.age[i] != YOUTH
        })?;
    let size = firm_size(&mut territory.rng);
    let exposure = 1.0 + EXPOSURE_SPREAD * (2.0 * territory.rng.random::<f64>() - 1.0);
    let f = territory.firms.len();
    territory.firms.push(Firm {
        owner: owner as u32,
        size,
        exposure,
        cash: config.economy.reserve * normal_costs(size),
        receivables: 0.0,
        carried: 0.0,
        production: size,
        received: size,
        opened: month,
        closed: None,
        partners: 0,
    });
    territory.residents.firm[owner] = f as u32;
    Some(f)
}

/// The firms the market of a territory holds in normal times.
pub fn firm_target(territory: &Territory, config: &Config) -> f64 {
    market_size(config, territory.class, territory.residents.len())
}

/// The firms the market of a territory of `class` with `residents` resident agents holds:
/// business density x firm density x residents.
pub fn market_size(config: &Config, class: usize, residents: usize) -> f64 {
    config.classes[class].business_density * config.economy.firm_density * residents as f64
}

/// Builds the firms of a new territory, at its target, and its economy's normal state.
pub fn initialise(territory: &mut Territory, config: &Config) {
    territory.firm_target = firm_target(territory, config);
    let n = territory.firm_target.round() as usize;
    for _ in 0..n {
        open_firm(territory, config, -(config.burn_in as i32));
    }
    territory.private_income = 1.0;
    territory.firm_demand = 1.0;
    territory.spending = 1.0;
    territory.unpaid_share = 0.0;
    territory.economy = output_per_inhabitant(territory, config);
}

/// Weight of orders placed by other firms: larger where business is dense.
fn b2b_weight(config: &Config, class: usize) -> f64 {
    config.economy.b2b * config.classes[class].business_density
}

/// The territory's output per inhabitant: public sector and pensions at their normal level,
/// plus the firms' work done, each firm of size 1 employing `economy.firm_jobs` inhabitants.
fn output_per_inhabitant(territory: &Territory, config: &Config) -> f64 {
    let class = &config.classes[territory.class];
    let n = territory.residents.len() as f64;
    if n <= 0.0 {
        return 0.0;
    }
    let work: f64 = territory
        .firms
        .iter()
        .filter(|f| f.is_open())
        .map(|f| f.production)
        .sum();
    class.public_sector_share + work * config.economy.firm_jobs / n
}

/// Relief negotiated by business associations for every firm of the territory in a crisis
/// (A7): the best-placed living entrepreneurial community speaks for all, an integrated one
/// fully, another at [`NEUTRAL_ADVOCACY`].
fn relief(territory: &Territory, config: &Config, pressure: &Pressure) -> f64 {
    if pressure.intensity <= 0.0 {
        return 0.0;
    }
    let voice = territory
        .communities
        .iter()
        .filter(|c| c.alive && c.kind == ENTREPRENEURIAL)
        .map(|c| {
            if c.stance == INTEGRATION {
                1.0
            } else {
                NEUTRAL_ADVOCACY
            }
        })
        .fold(0.0, f64::max);
    RELIEF_MAX * config.crisis.business_advocacy * voice
}

pub fn step(territory: &mut Territory, config: &Config, pressure: &Pressure, month: i32) {
    let class = &config.classes[territory.class];
    let e = &config.economy;
    let c = &config.crisis;
    // 1. Residents' spending, relative to normal.
    let private_jobs = (territory.firm_target * e.firm_jobs
        / (territory.residents.len() as f64).max(1.0))
    .min(1.0 - class.public_sector_share);
    let held = class.public_sector_share + PENSION_SHARE;
    let income = (held + private_jobs * territory.private_income) / (held + private_jobs);
    let in_person = 1.0 - pressure.restriction * e.restriction_spending;
    let spending = income * in_person;
    // K3: part of the spending money cannot pay for goes on in kind.
    let in_kind = c.barter * (1.0 - spending).max(0.0) * pressure.intensity.min(1.0);
    territory.spending = spending;
    // 2. Orders per unit of firm size.
    let w_b2b = b2b_weight(config, territory.class);
    // L2: domestic tourism makes up part of the outside demand a shock takes away.
    let outside = 1.0 - pressure.economic * (1.0 - class.tourism);
    let money_orders = (1.0 - w_b2b) * ((1.0 - OUTSIDE_SHARE) * spending + OUTSIDE_SHARE * outside)
        + w_b2b * territory.firm_demand;
    let kind_orders = (1.0 - w_b2b) * (1.0 - OUTSIDE_SHARE) * in_kind;
    // 3. K4: unpaid private orders.
    let unpaid = (c.nonpayment * pressure.business).min(1.0);
    territory.unpaid_share = unpaid;
    let relief = relief(territory, config, pressure);
    let mut money_work = 0.0;
    let mut received = 0.0;
    for firm in territory.firms.iter_mut().filter(|f| f.is_open()) {
        let orders = firm.size * money_orders;
        firm.production = orders + firm.size * kind_orders;
        let unpaid = (unpaid * firm.exposure).min(1.0);
        let repaid = firm.receivables * e.repayment * (1.0 - unpaid);
        firm.receivables += unpaid * orders - repaid;
        firm.received = (1.0 - unpaid) * orders + repaid;
        firm.carried = 0.0;
        // 4. Costs and relief.
        let costs = firm.size * FIXED_COST * (1.0 - relief) + VARIABLE_COST * firm.production
            - VARIABLE_COST * firm.size * kind_orders;
        // The owner draws what the firm earns above its reserve: a firm's buffer does not grow
        // with its age.
        firm.cash = (firm.cash + firm.received - costs).min(e.reserve * normal_costs(firm.size));
        if firm.cash < 0.0 {
            // K3: suppliers take part of what is owed in kind.
            firm.cash += c.barter * BARTER_SETTLED * (-firm.cash) * pressure.intensity.min(1.0);
        }
        money_work += orders;
        received += firm.received;
    }
    mutual_credit(territory, config);
    // 5. Closures, exits and entries.
    let limit = e.credit_limit;
    let exit = e.turnover / 12.0;
    for f in 0..territory.firms.len() {
        let firm = &territory.firms[f];
        if !firm.is_open() {
            continue;
        }
        let insolvent = firm.cash < -limit * normal_costs(firm.size);
        let u: f64 = territory.rng.random();
        if (insolvent && u < e.closure_rate) || (!insolvent && u < exit) {
            let owner = firm.owner as usize;
            territory.close_firm(f, month);
            let c = territory.residents.community[owner];
            if c != NONE && territory.communities[c as usize].kind == ENTREPRENEURIAL {
                territory.communities[c as usize].lost_firms += 1.0;
                if territory.rng.random::<f64>() < OWNER_LEAVES {
                    territory.leave(owner);
                }
            }
        }
    }
    business_base(territory, config);
    let target = territory.firm_target.max(1e-9);
    territory.private_income = (received / target).clamp(0.0, MAX_INDEX);
    // Firms order from firms as their own money orders went (unpaid or not: non-payment is the
    // payer's matter, step 3): a dense business economy answers a shock with a lag.
    territory.firm_demand = (money_work / target).clamp(0.0, MAX_INDEX);
    let open = territory.firms.iter().filter(|f| f.is_open()).count() as f64;
    let opportunity = (money_orders + kind_orders).min(MAX_OPPORTUNITY);
    let entries = opportunity * (exit * target + CATCH_UP / 12.0 * (target - open).max(0.0));
    let n_new = super::util::poisson(&mut territory.rng, entries);
    for _ in 0..n_new {
        open_firm(territory, config, month);
    }
    territory.economy = output_per_inhabitant(territory, config);
}

/// K4: fellow members carry a member firm's unpaid receivables. Within each living
/// entrepreneurial community, a member's liquidity is its cash in months of its normal costs,
/// and the association's is their cost-weighted mean. Members above the mean lend a share
/// `crisis.mutual_aid` of their excess cash over it; members below it sell receivables at face
/// value, each up to the smaller of its receivables and a share `crisis.mutual_aid` of its
/// shortfall, in proportion to those. So at `mutual_aid` 1 the members pool their liquidity as
/// far as their receivables allow, at 0 each stands alone. The buyers are repaid as customers
/// pay; the sellers count the cash as received this month (`Firm::carried`), and the community
/// notes how many members it carried (`helped`).
fn mutual_credit(territory: &mut Territory, config: &Config) {
    let share = config.crisis.mutual_aid;
    for com in territory.communities.iter_mut() {
        com.helped = 0.0;
    }
    if share <= 0.0 {
        return;
    }
    for (c, list) in association_firms(territory) {
        let (cash, costs) = list.iter().fold((0.0, 0.0), |(m, k), &f| {
            let firm = &territory.firms[f];
            (m + firm.cash, k + normal_costs(firm.size))
        });
        if costs <= 0.0 {
            continue;
        }
        let mean = cash / costs;
        // A member's gap to the mean: > 0 what a lender can lend, < 0 what a seller can sell.
        let gap = |firm: &Firm| {
            let g = share * (firm.cash - mean * normal_costs(firm.size));
            if g > 0.0 {
                g
            } else {
                -firm.receivables.min(-g)
            }
        };
        let (mut surplus, mut need) = (0.0, 0.0);
        for &f in &list {
            let g = gap(&territory.firms[f]);
            if g > 0.0 {
                surplus += g;
            } else {
                need -= g;
            }
        }
        let moved = surplus.min(need);
        if moved <= 0.0 {
            continue;
        }
        let (from_lender, to_seller) = (moved / surplus, moved / need);
        for &f in &list {
            let firm = &mut territory.firms[f];
            let g = gap(firm);
            if g > 0.0 {
                firm.cash -= g * from_lender;
                firm.receivables += g * from_lender;
            } else if g < 0.0 {
                let bought = -g * to_seller;
                firm.cash += bought;
                firm.receivables -= bought;
                firm.carried += bought;
                territory.communities[c].helped += 1.0;
            }
        }
    }
}

/// The open firms owned by members of each living entrepreneurial community, in firm order:
/// found from the associations' member lists, so the cost is their members, not the firms.
fn association_firms(territory: &Territory) -> Vec<(usize, Vec<usize>)> {
    territory
        .communities
        .iter()
        .enumerate()
        .filter(|(_, com)| com.alive && com.kind == ENTREPRENEURIAL)
        .map(|(c, com)| {
            let mut list: Vec<usize> = com
                .members
                .iter()
                .map(|&m| territory.residents.firm[m as usize])
                .filter(|&f| f != NONE && territory.firms[f as usize].is_open())
                .map(|f| f as usize)
                .collect();
            list.sort_unstable();
            (c, list)
        })
        .collect()
}

/// The economic stress private-sector residents feel this month, in [0, 1]: the fall of private
/// incomes below normal.
pub fn loss(territory: &Territory) -> f64 {
    (1.0 - territory.private_income).clamp(0.0, 1.0)
}

/// R2: the loss of each entrepreneurial community's commercial base this month, in [0, 1], into
/// `base_loss`: over its members' firms and the member firms closed lately (`lost_firms`,
/// fading by [`LOST_FADE`] a month), the mean distress, where a closed firm counts 1 and an
/// open one the larger of the share of its normal receipts it was not paid this month (K4) and
/// its debt as a share of its credit limit. A community none of whose members owns a
/// firm nor lately lost one has no firm base (`firm_base` false, `base_loss` 0): it sells on the
/// residents' market like any other (`tasks`). One pass over the firms.
fn business_base(territory: &mut Territory, config: &Config) {
    let limit = config.economy.credit_limit.max(1e-9);
    let n = territory.communities.len();
    let mut owners = vec![0.0; n];
    let mut missing = vec![0.0; n];
    for (c, list) in association_firms(territory) {
        for f in list {
            let firm = &territory.firms[f];
            owners[c] += 1.0;
            let paid = firm.received + firm.carried;
            let unpaid = (1.0 - paid / firm.size.max(1e-9)).clamp(0.0, 1.0);
            let debt = (-firm.cash / (limit * normal_costs(firm.size))).clamp(0.0, 1.0);
            missing[c] += unpaid.max(debt);
        }
    }
    for (c, com) in territory.communities.iter_mut().enumerate() {
        if com.kind != ENTREPRENEURIAL || !com.alive {
            continue;
        }
        let lost = com.lost_firms;
        com.firm_base = owners[c] + lost > 0.0;
        com.base_loss = if com.firm_base {
            (missing[c] + lost) / (owners[c] + lost)
        } else {
            0.0
        };
        com.lost_firms *= 1.0 - LOST_FADE;
    }
}

/// Drops the firms closed before month 0, so that every firm of the observed run was open at
/// its start or opened later; owners' indices follow.
pub fn start_observation(territory: &mut Territory) {
    let mut remap = vec![NONE; territory.firms.len()];
    let mut kept = 0u32;
    for (f, firm) in territory.firms.iter().enumerate() {
        if firm.is_open() {
            remap[f] = kept;
            kept += 1;
        }
    }
    territory.firms.retain(Firm::is_open);
    for f in territory.residents.firm.iter_mut().filter(|f| **f != NONE) {
        *f = remap[*f as usize];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::region::test_town;

    const ASSOCIATIONS: [&str; 5] = [
        "community.type_mix.entrepreneurial=0.6",
        "community.type_mix.civic=0.1",
        "community.type_mix.ngo=0.1",
        "community.type_mix.cultural=0.1",
        "community.type_mix.municipal=0.1",
    ];

    /// An association with at least two member firms, its firms given unequal cash and
    /// receivables.
    fn unequal_association(territory: &mut Territory) -> (usize, Vec<usize>) {
        let (c, list) = association_firms(territory)
            .into_iter()
            .find(|(_, list)| list.len() >= 2)
            .expect("an association with two member firms");
        for (k, &f) in list.iter().enumerate() {
            let firm = &mut territory.firms[f];
            let costs = normal_costs(firm.size);
            firm.cash = if k == 0 { 3.0 * costs } else { -0.2 * costs };
            firm.receivables = 2.0 * costs;
        }
        (c, list)
    }

    fn totals(territory: &Territory, list: &[usize]) -> (f64, f64) {
        list.iter().fold((0.0, 0.0), |(m, r), &f| {
            let firm = &territory.firms[f];
            (m + firm.cash, r + firm.receivables)
        })
    }

    /// Spread of the members' liquidity (cash over normal costs): largest minus smallest.
    fn spread(territory: &Territory, list: &[usize]) -> f64 {
        let l: Vec<f64> = list
            .iter()
            .map(|&f| territory.firms[f].cash / normal_costs(territory.firms[f].size))
            .collect();
        l.iter().cloned().fold(f64::MIN, f64::max) - l.iter().cloned().fold(f64::MAX, f64::min)
    }

    #[test]
    fn mutual_aid_pools_members_liquidity_and_moves_no_money_in_or_out() {
        let (config, mut region) = test_town(&ASSOCIATIONS, 7, 2);
        let territory = &mut region.territories[0];
        let (c, list) = unequal_association(territory);
        let (cash, receivables) = totals(territory, &list);
        let before = spread(territory, &list);
        mutual_credit(territory, &config);
        let (cash_after, receivables_after) = totals(territory, &list);
        assert!((cash - cash_after).abs() < 1e-9 && (receivables - receivables_after).abs() < 1e-9);
        assert!(spread(territory, &list) < before);
        let carried: f64 = list.iter().map(|&f| territory.firms[f].carried).sum();
        assert!(carried > 0.0 && territory.communities[c].helped >= 1.0);
        // With mutual aid off, each member stands alone.
        let mut off = config.clone();
        off.crisis.mutual_aid = 0.0;
        let (_, list) = unequal_association(territory);
        let before = spread(territory, &list);
        mutual_credit(territory, &off);
        assert_eq!(spread(territory, &list), before);
    }

    #[test]
    fn a_firm_never_holds_more_than_its_reserve() {
        let (config, region) = test_town(&[], 3, 30);
        let keep = config.economy.reserve;
        for firm in region.territories[0].firms.iter().filter(|f| f.is_open()) {
            assert!(firm.cash <= keep * normal_costs(firm.size) * (1.0 + 1e-12));
        }
    }
}
