//! Agent state: territories with their residents (structure of arrays), administrations and
//! communities. Mechanisms read and write these; nothing here draws random numbers.

use super::network::Ties;
use rand_xoshiro::Xoshiro256PlusPlus;

/// No community / no leader.
pub const NONE: u32 = u32::MAX;

pub const YOUTH: u8 = 0;
pub const ADULT: u8 = 1;
pub const SENIOR: u8 = 2;

pub const INTEGRATION: u8 = 0;
pub const NEUTRALITY: u8 = 1;
pub const CONFRONTATION: u8 = 2;

pub const ENTREPRENEURIAL: usize = 3;
pub const CULTURAL: usize = 2;

/// Activity components.
pub const COMMERCIAL: usize = 0;
pub const VOLUNTEER: usize = 1;
pub const ONLINE: usize = 2;

/// What kind of work a task is (`tasks`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Commercial: sold to residents (or, for an entrepreneurial community, done through its
    /// members' firms); it needs orders.
    Paid,
    /// Voluntary work in person.
    Voluntary,
    /// Work done online (A2).
    Online,
    /// A pressing crisis task (A3, R3): help for seniors, masks, advocacy; voluntary, short,
    /// taken up only with capacity no other task uses.
    Pressing,
}

/// Where a task stands in a community's portfolio.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Being worked on.
    Active,
    /// Put off or postponed, to be decided later (A1, P2).
    Backlog,
    /// Sidelined for want of capacity; it can come back through collective will (A3).
    Periphery,
}

/// One piece of a community's work (`tasks`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Task {
    pub form: Form,
    pub status: Status,
    /// The direction of influence it serves, D1..D6 as 0..5.
    pub direction: u8,
    /// Postponed while a shock was on: the end of the epidemic can void it (P2).
    pub postponed_in_shock: bool,
    /// Person-months per month the task takes at full pace.
    pub load: f64,
    /// Months of full-pace work left.
    pub remaining: f64,
}

impl Task {
    /// Done in person, so restrictions on gathering can stop it.
    pub fn in_person(&self) -> bool {
        matches!(self.form, Form::Paid | Form::Voluntary)
    }
}

/// Resident agents of one territory, one vector per attribute, index = resident.
#[derive(Debug, Clone, Default)]
pub struct Residents {
    pub age: Vec<u8>,
    pub public_sector: Vec<bool>,
    pub newcomer: Vec<bool>,
    pub human_capital: Vec<f32>,
    pub motivation: Vec<f32>,
    pub threshold: Vec<f32>,
    /// Index of the community the resident belongs to, or [`NONE`].
    pub community: Vec<u32>,
    /// Position of the resident in its community's member list (meaningless without one).
    pub slot: Vec<u32>,
    /// Index of the firm the resident owns, or [`NONE`].
    pub firm: Vec<u32>,
}

impl Residents {
    pub fn len(&self) -> usize {
        self.age.len()
    }

    pub fn is_empty(&self) -> bool {
        self.age.is_empty()
    }

    /// Room for `additional` more residents in every attribute vector.
    pub fn reserve(&mut self, additional: usize) {
        self.age.reserve(additional);
        self.public_sector.reserve(additional);
        self.newcomer.reserve(additional);
        self.human_capital.reserve(additional);
        self.motivation.reserve(additional);
        self.threshold.reserve(additional);
        self.community.reserve(additional);
        self.firm.reserve(additional);
    }

    #[allow(clippy::too_many_arguments)]
    pub fn push(
        &mut self,
        age: u8,
        public_sector: bool,
        newcomer: bool,
        human_capital: f32,
        motivation: f32,
        threshold: f32,
    ) {
        self.age.push(age);
        self.public_sector.push(public_sector);
        self.newcomer.push(newcomer);
        self.human_capital.push(human_capital);
        self.motivation.push(motivation);
        self.threshold.push(threshold);
        self.community.push(NONE);
        self.slot.push(0);
        self.firm.push(NONE);
    }

    /// Removes resident `i` by moving the last one into its place; returns the old index of the
    /// moved resident, if any, so that leader references can follow it.
    pub fn swap_remove(&mut self, i: usize) -> Option<usize> {
        let last = self.len() - 1;
        self.age.swap_remove(i);
        self.public_sector.swap_remove(i);
        self.newcomer.swap_remove(i);
        self.human_capital.swap_remove(i);
        self.motivation.swap_remove(i);
        self.threshold.swap_remove(i);
        self.community.swap_remove(i);
        self.slot.swap_remove(i);
        self.firm.swap_remove(i);
        (i != last).then_some(last)
    }
}

/// A business of the territory (K1, K4, R2), owned by a resident. Money is in units of the
/// firm's normal monthly revenue at `size` 1.
#[derive(Debug, Clone)]
pub struct Firm {
    /// Resident index of the owner ([`NONE`] once closed).
    pub owner: u32,
    /// Normal monthly orders, relative to the territory's mean firm (1).
    pub size: f64,
    /// Exposure to non-payment relative to the territory's share (mean 1, K4).
    pub exposure: f64,
    pub cash: f64,
    /// Orders delivered and not yet paid for ("pay when you can", K4).
    pub receivables: f64,
    /// Receivables fellow members of its entrepreneurial community bought from it this month
    /// (mutual aid, K4): cash it got for work its customers have not paid yet.
    pub carried: f64,
    /// This month's orders delivered (work done, paid or not, barter included).
    pub production: f64,
    /// This month's money received: payments and repaid receivables.
    pub received: f64,
    /// Month opened (negative before month 0) and month closed.
    pub opened: i32,
    pub closed: Option<i32>,
    /// Communities with a tie to the firm (`network`), so that a closure visits the
    /// communities only when some are tied to it.
    pub partners: u32,
}

impl Firm {
    pub fn is_open(&self) -> bool {
        self.closed.is_none()
    }
}

#[derive(Debug, Clone)]
pub struct Administration {
    /// Openness of the current head to communities, in [0, 1].
    pub openness: f64,
    /// Months since the head took office.
    pub tenure: u32,
}

#[derive(Debug, Clone, Default)]
pub struct Community {
    pub kind: usize,
    pub registered: bool,
    pub registered_at_start: bool,
    pub alive: bool,
    /// Present at month 0.
    pub initial: bool,
    pub entered: u32,
    /// Founding month; negative for communities older than the run (liability of newness).
    pub founded: i32,
    pub exited: Option<u32>,
    pub leader: u32,
    pub n_members: u32,
    pub n_public: u32,
    pub sum_human_capital: f64,
    /// C1 cohesion, C2 information exchange, C3 shared tasks, C4 identity, C5 value platform, C6 agency.
    pub criteria: [f64; 6],
    /// The disposition each criterion returns to, drawn at founding.
    pub base_criteria: [f64; 6],
    pub money: f64,
    pub assets: f64,
    pub reputation: f64,
    /// Commercial, volunteer, online activity in person-months per month.
    pub activity: [f64; 3],
    /// Normal-time shares of the three components.
    pub base_mix: [f64; 3],
    /// Commercial activity lost to the shock, as a share of will (R2).
    pub commercial_loss: f64,
    /// Resident indices of the members, in no particular order: dissolving a community or
    /// appointing its leader costs its members, not the territory's residents.
    pub members: Vec<u32>,
    /// The task portfolio: active tasks, the backlog and the periphery (`tasks`).
    pub tasks: Vec<Task>,
    /// Work done this month per direction of influence D1..D6, person-months (`development`).
    pub direction_work: [f64; 6],
    /// Share of this month's will that no task used.
    pub idle_share: f64,
    /// Share of this month's will spent on pressing tasks (R3).
    pub pressing_share: f64,
    /// Share of the planned work of active tasks postponed or voided this month (P1, P2).
    pub disrupted: f64,
    /// The community's estimate of the monthly rate at which its plans break (P1): it learns
    /// it from `disrupted` and sets the planning horizon.
    pub plan_breaks: f64,
    /// Entrepreneurial communities: share of the members' firms' normal receipts missing this
    /// month, closed member firms included (R2, `economy`).
    pub base_loss: f64,
    /// Entrepreneurial communities: whether any member owns an open firm or one closed lately
    /// (`lost_firms` > 0); without, its commercial base is the residents' market (R2).
    pub firm_base: bool,
    /// Member firms closed lately, fading (R2).
    pub lost_firms: f64,
    /// Member firms carried by mutual credit this month (K4).
    pub helped: f64,
    /// Payment for commercial work delivered and not yet received (K4), million roubles.
    pub receivables: f64,
    pub horizon: f64,
    /// Expectation of the future in [-1, 1].
    pub expectation: f64,
    pub stance: u8,
    /// The community's edges to other communities and to stakeholders (`network`).
    pub ties: Ties,
    pub external_leader: bool,
    pub dreams: bool,
    pub cocreation: bool,
    pub territory_wide: bool,
    pub lean: bool,
    /// Propensity to apply for grants in [0, 1], lowered by a lost application
    /// (`grants.discouragement`) and recovering over about a year.
    pub apply_propensity: f64,
    /// Grant track record: the community's recent wins, each counting 1 and fading with a
    /// half-life of `grants::RECORD_HALF_LIFE` months. It raises the contest weight (the
    /// Matthew effect, `grants.matthew`).
    pub grant_record: f64,
    /// Grant money won in the observed months (co-applied awards in full), million roubles.
    pub grant_money_won: f64,
    /// Applications filed in the observed months, a federal-competition project counted to the
    /// community that designed it (`grants`).
    pub grant_applications: u32,
    /// Awards won in the observed months, counted likewise.
    pub grants_won: u32,
    /// Total activity at the end of each of the last 12 months, oldest first.
    pub activity_history: [f64; 12],
    /// Money shortfall signal in [0, 1] this month.
    pub shortfall: f64,
}

impl Community {
    pub fn total_activity(&self) -> f64 {
        self.activity.iter().sum()
    }

    pub fn mean_human_capital(&self) -> f64 {
        if self.n_members == 0 {
            0.0
        } else {
            self.sum_human_capital / f64::from(self.n_members)
        }
    }

    /// Tie diversity D = 1 - sum of squared shares of the horizontal categories of the
    /// community's edges (F3; `network::Ties::diversity`).
    pub fn tie_diversity(&self) -> f64 {
        self.ties.diversity()
    }
}

#[derive(Debug, Clone)]
pub struct Territory {
    pub class: usize,
    pub agent_scale: f64,
    pub residents: Residents,
    pub communities: Vec<Community>,
    pub administration: Administration,
    /// Economic output per inhabitant this month (the level: public sector plus firms' output).
    pub economy: f64,
    pub firms: Vec<Firm>,
    /// Firms the territory's market holds in normal times (business density x firm density x
    /// inhabitants).
    pub firm_target: f64,
    /// Private incomes relative to normal (wages paid out of firms' receipts), last month.
    pub private_income: f64,
    /// Firms' production relative to normal, last month: the demand firms place with firms.
    pub firm_demand: f64,
    /// Share of private orders left unpaid this month (K4).
    pub unpaid_share: f64,
    /// Residents' money spending relative to normal this month.
    pub spending: f64,
    pub development: [f64; 6],
    pub development_start: [f64; 6],
    /// The stream the current mechanism draws from: the territory's own, so territories can
    /// step in any order, and re-keyed for every mechanism and month (`streams`).
    pub rng: Xoshiro256PlusPlus,
    /// The base seed of this territory's streams.
    pub seed: u64,
    pub youth_left: u64,
    pub admin_changes: u64,
    pub formed: u64,
    /// External money (grants, partners, support) received this run, million roubles.
    pub external_money: f64,
    /// Money from business and outside partners (B2, S4), million roubles.
    pub partner_money: f64,
    pub dissolved: u64,
    /// Outside organisations the territory's communities have met (`network::Partner::Outside`
    /// numbers them).
    pub outside_partners: u32,
    /// The most resident agents the territory can house: [`CAPACITY`] times its initial agents.
    pub capacity: usize,
}

/// A territory houses at most this many times its initial residents: arrivals stop there. No
/// calibrated scenario comes near it; it keeps extreme arrival rates (newcomer rates with L3
/// and L10 at their maxima) from growing the population, and memory, without bound.
pub const CAPACITY: usize = 4;

impl Territory {
    pub fn mean_development(&self) -> f64 {
        self.development.iter().sum::<f64>() / 6.0
    }

    pub fn members(&self) -> u64 {
        self.communities
            .iter()
            .filter(|c| c.alive)
            .map(|c| u64::from(c.n_members))
            .sum()
    }

    /// Adds resident `i` to community `c`, keeping the community's sums.
    pub fn join(&mut self, i: usize, c: usize) {
        let r = &mut self.residents;
        r.community[i] = c as u32;
        let com = &mut self.communities[c];
        r.slot[i] = com.members.len() as u32;
        com.members.push(i as u32);
        com.n_members += 1;
        com.n_public += u32::from(r.public_sector[i]);
        com.sum_human_capital += f64::from(r.human_capital[i]);
    }

    /// Removes resident `i` from its community, if any; a leaving leader leaves it leaderless.
    pub fn leave(&mut self, i: usize) {
        let c = self.residents.community[i];
        if c == NONE {
            return;
        }
        let r = &mut self.residents;
        r.community[i] = NONE;
        let com = &mut self.communities[c as usize];
        let pos = r.slot[i] as usize;
        com.members.swap_remove(pos);
        if let Some(&moved) = com.members.get(pos) {
            r.slot[moved as usize] = pos as u32;
        }
        com.n_members -= 1;
        com.n_public -= u32::from(r.public_sector[i]);
        com.sum_human_capital = (com.sum_human_capital - f64::from(r.human_capital[i])).max(0.0);
        if com.leader == i as u32 {
            com.leader = NONE;
        }
    }

    /// Closes firm `f` in `month`; its owner no longer owns a firm, and communities lose their
    /// edges to it.
    pub fn close_firm(&mut self, f: usize, month: i32) {
        let firm = &mut self.firms[f];
        if firm.closed.is_some() {
            return;
        }
        firm.closed = Some(month);
        if firm.owner != NONE {
            self.residents.firm[firm.owner as usize] = NONE;
        }
        firm.owner = NONE;
        if firm.partners > 0 {
            firm.partners = 0;
            super::network::drop_firm(&mut self.communities, f);
        }
    }

    /// Removes resident `i` from the territory (migration, death), fixing the leader and owner
    /// references of the resident moved into its slot. A departing owner's firm closes with
    /// them (`month`).
    pub fn remove_resident(&mut self, i: usize, month: i32) {
        self.leave(i);
        let f = self.residents.firm[i];
        if f != NONE {
            self.close_firm(f as usize, month);
        }
        if let Some(moved_from) = self.residents.swap_remove(i) {
            let c = self.residents.community[i];
            if c != NONE {
                let com = &mut self.communities[c as usize];
                com.members[self.residents.slot[i] as usize] = i as u32;
                if com.leader == moved_from as u32 {
                    com.leader = i as u32;
                }
            }
            let f = self.residents.firm[i];
            if f != NONE {
                self.firms[f as usize].owner = i as u32;
            }
        }
    }
}

impl Territory {
    /// The bookkeeping invariants of a territory, for tests: every member is counted by its
    /// community (members, public-sector members, human capital) and listed in its member list at
    /// the position the resident records, only living communities have
    /// members, leaders are members of their own community, and every state variable that is a
    /// share or an index lies in its range. Returns the first violation found.
    pub fn check_invariants(&self) -> Result<(), String> {
        if self.residents.len() > self.capacity {
            return Err(format!(
                "{} residents above the capacity {}",
                self.residents.len(),
                self.capacity
            ));
        }
        let n = self.communities.len();
        let mut members = vec![0u32; n];
        let mut public = vec![0u32; n];
        let mut human_capital = vec![0f64; n];
        for i in 0..self.residents.len() {
            let c = self.residents.community[i];
            if c == NONE {
                continue;
            }
            let c = c as usize;
            if c >= n {
                return Err(format!("resident {i} belongs to community {c} of {n}"));
            }
            members[c] += 1;
            public[c] += u32::from(self.residents.public_sector[i]);
            human_capital[c] += f64::from(self.residents.human_capital[i]);
        }
        for (c, com) in self.communities.iter().enumerate() {
            if com.n_members != members[c] || com.n_public != public[c] {
                return Err(format!(
                    "community {c} counts {} members ({} public), residents say {} ({})",
                    com.n_members, com.n_public, members[c], public[c]
                ));
            }
            if (com.sum_human_capital - human_capital[c]).abs() > 1e-3 * (1.0 + human_capital[c]) {
                return Err(format!(
                    "community {c} sums human capital {}, residents {}",
                    com.sum_human_capital, human_capital[c]
                ));
            }
            if !com.alive && com.n_members > 0 {
                return Err(format!("dissolved community {c} has members"));
            }
            if com.members.len() != com.n_members as usize {
                return Err(format!(
                    "community {c} lists {} members and counts {}",
                    com.members.len(),
                    com.n_members
                ));
            }
            for (pos, &m) in com.members.iter().enumerate() {
                let m = m as usize;
                if self.residents.community.get(m) != Some(&(c as u32))
                    || self.residents.slot[m] as usize != pos
                {
                    return Err(format!(
                        "community {c} lists resident {m} at {pos}, who is not its member there"
                    ));
                }
            }
            if com.leader != NONE
                && self.residents.community.get(com.leader as usize) != Some(&(c as u32))
            {
                return Err(format!("the leader of community {c} is not its member"));
            }
            let unit = |x: f64| (0.0..=1.0).contains(&x);
            if !com.criteria.iter().all(|&x| unit(x)) {
                return Err(format!("community {c} criteria {:?}", com.criteria));
            }
            let finite = [
                com.money,
                com.assets,
                com.reputation,
                com.grant_record,
                com.grant_money_won,
                com.horizon,
                com.expectation,
            ]
            .iter()
            .chain(&com.activity)
            .all(|x| x.is_finite());
            if !finite || com.activity.iter().any(|&a| a < 0.0) {
                return Err(format!("community {c} has a non-finite or negative state"));
            }
        }
        super::network::check(self)?;
        for (f, firm) in self.firms.iter().enumerate() {
            let owner_ok = match firm.closed {
                None => self.residents.firm.get(firm.owner as usize) == Some(&(f as u32)),
                Some(_) => firm.owner == NONE,
            };
            if !owner_ok {
                return Err(format!("firm {f} and its owner disagree"));
            }
            let finite = [firm.cash, firm.receivables, firm.carried, firm.production]
                .iter()
                .all(|x| x.is_finite());
            if !finite || firm.receivables < 0.0 || firm.carried < 0.0 {
                return Err(format!("firm {f} has a non-finite or negative state"));
            }
        }
        let sane = self.economy.is_finite()
            && self.economy >= 0.0
            && self.development.iter().all(|d| (0.0..=1.0).contains(d))
            && (0.0..=1.0).contains(&self.administration.openness);
        if !sane {
            return Err(format!(
                "territory economy {}, development {:?}, openness {}",
                self.economy, self.development, self.administration.openness
            ));
        }
        Ok(())
    }
}
