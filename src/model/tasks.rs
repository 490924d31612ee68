//! The task portfolio (D1-D6, A1-A4, A8, K2a, K2d, P1, P2, R2, R3). A community's work is a set
//! of tasks, each paid, voluntary, online or pressing, serving one direction of influence.
//! Ideas arrive every month; one starts when the planning horizon covers its length and the
//! members have capacity for it; otherwise it is put off into the backlog, or sidelined to the
//! periphery when capacity is short. Under restrictions on gathering, tasks done in person are
//! postponed into the backlog (A1; public spaces, the longest tasks, suffer most) and new online
//! tasks appear (A2). The end of the epidemic voids part of what was postponed (P2). Paid tasks
//! need orders: when residents (or, for an association of firm owners, its members' firms, R2)
//! stop buying, the work is not there. Pressing crisis tasks appear and are taken up only with
//! capacity no other task uses, and sidelined tasks come back through collective will (A3): so
//! volunteering takes the place of commerce (A4) and "will and environment" (R3) is idle
//! capacity meeting pressing tasks. No rule moves work from one kind to another.

use super::activity::Bite;
use super::config::Config;
use super::development::PROFILES;
use super::shocks::Pressure;
use super::state::{
    Community, Form, Status, Task, Territory, COMMERCIAL, ENTREPRENEURIAL, ONLINE, VOLUNTEER,
};
use super::streams;
use super::util::{chance, poisson, weighted};
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Exp1};
use rand_xoshiro::SplitMix64;

/// Load of a new task as a share of the community's normal will: about four tasks fill it.
pub const TASK_SHARE: f64 = 0.25;
/// Ideas for new tasks a community has per month.
pub const IDEA_RATE: f64 = 1.0;
/// Mean planned length of a task of each direction D1..D6, months: public spaces and the living
/// environment (D1) take longest.
pub const MEAN_DURATION: [f64; 6] = [9.0, 4.0, 4.0, 6.0, 5.0, 6.0];
/// The shortest task, months.
pub const MIN_DURATION: f64 = 1.0;
/// New online tasks per month per unit of restriction at `online_shift` 1 (A2).
pub const ONLINE_IDEAS: f64 = 1.0;
/// Online ideas of a community without information openness (C2 = 0), relative to
/// [`ONLINE_IDEAS`]; each unit of C2 adds one more.
pub const ONLINE_OPENNESS_BASE: f64 = 0.5;
/// Mean length of an online task, months.
pub const ONLINE_DURATION: f64 = 3.0;
/// Pressing tasks per month at full pressing pressure and `pressing_tasks` 1 (A3).
pub const PRESSING_ARRIVALS: f64 = 2.0;
/// Mean length of a pressing task, months: the need passes whether or not it is met.
pub const PRESSING_DURATION: f64 = 2.0;
/// Direction a pressing task serves: problems of particular social groups (D5: seniors).
pub const PRESSING_DIRECTION: u8 = 4;
/// Monthly chance, per unit of shared tasks C3, that a sidelined task comes back when capacity
/// is idle (A3: "through collective will").
pub const RETURN_RATE: f64 = 0.5;
/// Monthly chance that a backlog task is reconsidered, times what the horizon and restrictions
/// allow.
pub const RECONSIDER_RATE: f64 = 0.5;
/// Tasks a community keeps in its backlog and periphery; beyond it the oldest are forgotten.
pub const MAX_WAITING: usize = 8;
/// Postponement of a lean community relative to others (A8: no showcase events).
pub const LEAN_POSTPONEMENT: f64 = 0.5;
/// Pressing tasks a lean community takes on relative to others (A8: infrastructure work,
/// volunteering).
pub const LEAN_PRESSING: f64 = 1.5;

/// Chance that a task of `remaining` months starts under a planning horizon of `horizon`
/// months (P1): certain when the horizon covers it, falling as it outgrows the horizon.
pub fn start_chance(horizon: f64, remaining: f64) -> f64 {
    (horizon / remaining.max(MIN_DURATION)).min(1.0)
}

/// Monthly chance that a task done in person is postponed under this month's restrictions
/// (A1, K2a landing, K2d tactics, A8 lean).
fn postponement(bite: &Bite, restriction: f64, lean: bool) -> f64 {
    let lean = if lean { LEAN_POSTPONEMENT } else { 1.0 };
    (bite.landing * bite.postponed_per_restriction * restriction * lean).clamp(0.0, 1.0)
}

/// A new idea of the community's kind: its form from the normal mix, its direction from the
/// type's profile, its length from the direction.
fn idea(com: &Community, will: f64, rng: &mut SplitMix64) -> Task {
    let [m_c, m_v, _] = com.base_mix;
    let u: f64 = rng.random();
    let form = if u < m_c {
        Form::Paid
    } else if u < m_c + m_v {
        Form::Voluntary
    } else {
        Form::Online
    };
    let direction = weighted(rng, &PROFILES[com.kind]).unwrap_or(0) as u8;
    let mean = MEAN_DURATION[direction as usize];
    Task {
        form,
        status: Status::Backlog,
        direction,
        postponed_in_shock: false,
        load: TASK_SHARE * will,
        remaining: length(rng, mean),
    }
}

fn length(rng: &mut SplitMix64, mean: f64) -> f64 {
    let e: f64 = Exp1.sample(rng);
    MIN_DURATION + (mean - MIN_DURATION) * e
}

/// Work a task needs this month: a paid task only as far as it has orders.
fn demand(task: &Task, orders: f64) -> f64 {
    match task.form {
        Form::Paid => task.load * orders,
        _ => task.load,
    }
}

/// A founding portfolio: active tasks of the normal mix filling `will`, part-way through.
pub fn founding_portfolio(com: &mut Community, will: f64, rng: &mut impl Rng) {
    let mut stream = SplitMix64::seed_from_u64(rng.random());
    let n = (1.0 / TASK_SHARE).round() as usize;
    com.tasks.clear();
    for _ in 0..n {
        let mut task = idea(com, will, &mut stream);
        task.status = Status::Active;
        task.remaining *= stream.random::<f64>();
        task.remaining = task.remaining.max(MIN_DURATION);
        com.tasks.push(task);
    }
}

/// What happened in one community's portfolio this month.
struct Month {
    will: f64,
    orders: f64,
    postponement: f64,
    /// Paid work is done through the members' firms, whose receipts already carry the
    /// restrictions (R2): it is not postponed on its own.
    paid_through_firms: bool,
    pressing: f64,
    online_ideas: f64,
    ended: bool,
    voiding: f64,
}

/// Whether restrictions on gathering can stop the task.
fn exposed(t: &Task, m: &Month) -> bool {
    t.in_person() && !(m.paid_through_firms && t.form == Form::Paid)
}

/// One month of a community's portfolio; returns the work done by form.
fn step_community(com: &mut Community, m: &Month, rng: &mut SplitMix64) -> [f64; 3] {
    let horizon = com.horizon;
    // Disruption of what runs (A1) and the voiding of what was postponed when the epidemic
    // ends (P2).
    let planned: f64 = com
        .tasks
        .iter()
        .filter(|t| t.status == Status::Active && t.form != Form::Pressing)
        .map(|t| t.load)
        .sum();
    let mut broken = 0.0;
    for t in com.tasks.iter_mut() {
        if t.status == Status::Active && exposed(t, m) && chance(rng, m.postponement) {
            t.status = Status::Backlog;
            t.postponed_in_shock = true;
            broken += t.load;
        }
    }
    if m.ended {
        let mut voided = 0.0;
        com.tasks.retain(|t| {
            let void = t.postponed_in_shock && chance(rng, m.voiding);
            if void {
                voided += t.load;
            }
            !void
        });
        broken += voided;
    }
    // Arrivals: ideas of the normal mix, new online tasks (A2), pressing tasks (A3).
    let ideas = poisson(rng, IDEA_RATE);
    for _ in 0..ideas {
        let task = idea(com, m.will, rng);
        com.tasks.push(task);
    }
    for _ in 0..poisson(rng, m.online_ideas) {
        let remaining = length(rng, ONLINE_DURATION);
        let direction = weighted(rng, &PROFILES[com.kind]).unwrap_or(0) as u8;
        com.tasks.push(Task {
            form: Form::Online,
            status: Status::Backlog,
            direction,
            postponed_in_shock: false,
            load: TASK_SHARE * m.will,
            remaining,
        });
    }
    for _ in 0..poisson(rng, m.pressing) {
        let remaining = length(rng, PRESSING_DURATION);
        com.tasks.push(Task {
            form: Form::Pressing,
            status: Status::Active,
            direction: PRESSING_DIRECTION,
            postponed_in_shock: false,
            load: TASK_SHARE * m.will,
            remaining,
        });
    }
    // Pressing tasks come first on the capacity the running tasks leave idle (R3: "will and
    // environment"); then starts (P1): the backlog and new ideas when the horizon covers them
    // and capacity remains, sidelined tasks when collective will brings them back (A3).
    let running: f64 = com
        .tasks
        .iter()
        .filter(|t| t.status == Status::Active && t.form != Form::Pressing)
        .map(|t| demand(t, m.orders))
        .sum();
    let pressing_need: f64 = com
        .tasks
        .iter()
        .filter(|t| t.status == Status::Active && t.form == Form::Pressing)
        .map(|t| t.load)
        .sum();
    let pressing_done = pressing_need.min((m.will - running).max(0.0));
    let mut committed = running + pressing_done;
    let collective_will = RETURN_RATE * com.criteria[2];
    for t in com.tasks.iter_mut().filter(|t| t.status != Status::Active) {
        let need = demand(t, m.orders);
        let fits = committed + need <= m.will;
        let starts = match t.status {
            Status::Periphery => fits && chance(rng, collective_will),
            _ => {
                // Under restrictions a task in person is as likely to be put off as a running
                // one to be postponed.
                let allowed = if exposed(t, m) {
                    1.0 - m.postponement
                } else {
                    1.0
                };
                let fresh = !t.postponed_in_shock;
                let decided = fits
                    && chance(
                        rng,
                        start_chance(horizon, t.remaining)
                            * if fresh { 1.0 } else { RECONSIDER_RATE },
                    );
                if !fits && fresh {
                    t.status = Status::Periphery;
                }
                // A start the crisis puts off is a plan broken (P1: "projects are postponed in
                // order to decide later").
                let put_off = decided && !chance(rng, allowed);
                if put_off {
                    broken += t.load;
                    t.postponed_in_shock = true;
                }
                decided && !put_off
            }
        };
        if starts {
            t.status = Status::Active;
            t.postponed_in_shock = false;
            committed += need;
        }
    }
    com.disrupted = if planned > 0.0 {
        (broken / planned).min(1.0)
    } else {
        0.0
    };
    // Forget the oldest waiting tasks beyond the cap (ideas are pushed last, so the oldest are
    // first).
    let waiting = com
        .tasks
        .iter()
        .filter(|t| t.status != Status::Active)
        .count();
    if waiting > MAX_WAITING {
        let mut drop = waiting - MAX_WAITING;
        com.tasks.retain(|t| {
            if drop > 0 && t.status != Status::Active {
                drop -= 1;
                false
            } else {
                true
            }
        });
    }
    // Staffing: the regular tasks share what pressing tasks leave.
    let regular = committed - pressing_done;
    let regular_pace = if regular > 0.0 {
        ((m.will - pressing_done).max(0.0) / regular).min(1.0)
    } else {
        0.0
    };
    let pressing_pace = if pressing_need > 0.0 {
        pressing_done / pressing_need
    } else {
        0.0
    };
    let mut work = [0.0; 3];
    let mut lost_orders = 0.0;
    com.direction_work = [0.0; 6];
    for t in com.tasks.iter_mut().filter(|t| t.status == Status::Active) {
        let (done, pace) = match t.form {
            Form::Pressing => (t.load * pressing_pace, 1.0),
            Form::Paid => {
                lost_orders += t.load * (1.0 - m.orders) * regular_pace;
                (demand(t, m.orders) * regular_pace, regular_pace)
            }
            _ => (t.load * regular_pace, regular_pace),
        };
        let k = match t.form {
            Form::Paid => COMMERCIAL,
            Form::Online => ONLINE,
            Form::Voluntary | Form::Pressing => VOLUNTEER,
        };
        work[k] += done;
        com.direction_work[t.direction as usize] += done;
        // A pressing need passes with time; other tasks advance as far as they are worked on.
        t.remaining -= pace;
    }
    com.tasks
        .retain(|t| t.status != Status::Active || t.remaining > 0.0);
    let used: f64 = work.iter().sum();
    com.idle_share = if m.will > 0.0 {
        ((m.will - used) / m.will).clamp(0.0, 1.0)
    } else {
        0.0
    };
    com.pressing_share = if m.will > 0.0 {
        (pressing_done / m.will).min(1.0)
    } else {
        0.0
    };
    // R2: the commercial base of an association of firm owners is its members' firms; of any
    // other community, the orders of its paid tasks.
    com.commercial_loss = if m.paid_through_firms {
        com.base_loss
    } else if m.will > 0.0 {
        (lost_orders / m.will).min(1.0)
    } else {
        0.0
    };
    work
}

/// Moves every living community's portfolio one month on and sets its activity.
/// `wills[c]` is community c's will this month (`activity`), `ended` whether the epidemic
/// ended this month.
pub fn step(
    territory: &mut Territory,
    config: &Config,
    pressure: &Pressure,
    bite: &Bite,
    wills: &[f64],
    month: i32,
    ended: bool,
) {
    let c = &config.crisis;
    for (i, com) in territory.communities.iter_mut().enumerate() {
        if !com.alive {
            continue;
        }
        let mut rng = streams::community(territory.seed, month, i as u64);
        // R2: an association whose members own (or lately owned) firms sells through them; one
        // of would-be owners sells on the residents' market like any other community.
        let through_firms = com.kind == ENTREPRENEURIAL && com.firm_base;
        let market = if through_firms {
            com.base_loss
        } else {
            bite.landing * bite.market_loss
        };
        let lean = if com.lean { LEAN_PRESSING } else { 1.0 };
        let m = Month {
            will: wills[i],
            orders: (1.0 - market).clamp(0.0, 1.0),
            postponement: postponement(bite, pressure.restriction, com.lean),
            paid_through_firms: through_firms,
            pressing: PRESSING_ARRIVALS * c.pressing_tasks * pressure.pressing * lean,
            online_ideas: ONLINE_IDEAS
                * c.online_shift
                * pressure.restriction
                * (ONLINE_OPENNESS_BASE + com.criteria[1]),
            ended,
            voiding: c.voiding,
        };
        com.activity = step_community(com, &m, &mut rng);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test_community(kind: usize) -> Community {
        Community {
            kind,
            alive: true,
            horizon: 12.0,
            criteria: [0.5; 6],
            base_mix: [0.3, 0.6, 0.1],
            ..Default::default()
        }
    }

    fn month(will: f64) -> Month {
        Month {
            will,
            orders: 1.0,
            postponement: 0.0,
            paid_through_firms: false,
            pressing: 0.0,
            online_ideas: 0.0,
            ended: false,
            voiding: 0.0,
        }
    }

    fn run(com: &mut Community, m: &Month, months: u32) -> [f64; 3] {
        let mut rng = SplitMix64::seed_from_u64(3);
        let mut sum = [0.0; 3];
        for _ in 0..months {
            let w = step_community(com, m, &mut rng);
            for k in 0..3 {
                sum[k] += w[k] / f64::from(months);
            }
        }
        sum
    }

    #[test]
    fn in_normal_times_the_portfolio_fills_the_will_in_the_normal_mix() {
        let mut com = test_community(0);
        com.base_mix = [0.2, 0.7, 0.1];
        let work = run(&mut com, &month(10.0), 600);
        let total: f64 = work.iter().sum();
        assert!(total > 8.5 && total <= 10.0 + 1e-9, "{work:?}");
        assert!((work[COMMERCIAL] / total - 0.2).abs() < 0.07, "{work:?}");
        assert!(com.idle_share < 0.2);
    }

    #[test]
    fn pressing_tasks_are_taken_up_only_with_idle_capacity() {
        // R3 as an interaction: no idle capacity, no pressing work; idle capacity without
        // pressing tasks stays idle.
        let mut busy = test_community(0);
        busy.base_mix = [0.0, 1.0, 0.0];
        let mut m = month(10.0);
        run(&mut busy, &m, 120);
        m.pressing = 1.0;
        run(&mut busy, &m, 1);
        let crowded = busy.pressing_share;
        let mut idle = test_community(0);
        idle.tasks.clear();
        let mut m_idle = month(10.0);
        m_idle.postponement = 1.0;
        run(&mut idle, &m_idle, 6);
        assert!(idle.idle_share > 0.5, "{}", idle.idle_share);
        m_idle.pressing = 1.0;
        run(&mut idle, &m_idle, 6);
        assert!(
            idle.pressing_share > crowded,
            "{} {crowded}",
            idle.pressing_share
        );
    }

    #[test]
    fn restrictions_postpone_work_in_person_and_record_the_disruption() {
        let mut com = test_community(0);
        com.base_mix = [0.3, 0.7, 0.0];
        run(&mut com, &month(10.0), 60);
        let mut m = month(10.0);
        m.postponement = 0.5;
        run(&mut com, &m, 1);
        assert!(com.disrupted > 0.2, "{}", com.disrupted);
        assert!(com
            .tasks
            .iter()
            .any(|t| t.status == Status::Backlog && t.postponed_in_shock));
        let mut end = month(10.0);
        end.ended = true;
        end.voiding = 1.0;
        run(&mut com, &end, 1);
        assert!(!com.tasks.iter().any(|t| t.postponed_in_shock));
    }

    #[test]
    fn a_short_horizon_starts_short_tasks_only() {
        assert_eq!(start_chance(12.0, 6.0), 1.0);
        assert!((start_chance(3.0, 9.0) - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn paid_work_needs_orders() {
        let mut com = test_community(0);
        com.base_mix = [1.0, 0.0, 0.0];
        let full = run(&mut com, &month(10.0), 60)[COMMERCIAL];
        let mut m = month(10.0);
        m.orders = 0.2;
        let thin = run(&mut com, &m, 60)[COMMERCIAL];
        assert!(thin < 0.4 * full, "{thin} {full}");
        assert!(com.commercial_loss > 0.3);
    }
}
