//! Adoption at month 0 (MODEL.md section 5): when the burn-in ran under another configuration
//! than the scenario's (the reference's, `run.burn_in_under = "reference"`), every trait that an
//! agent drew at its founding or arrival from a distribution whose parameter differs between
//! the two moves to the scenario's distribution, the agent keeping its rank: Beta traits by
//! quantile mapping, flags by the monotone coupling of the two Bernoulli laws with a uniform of
//! the agent's own (`streams::adoption`), and start-only state (the development index, the
//! market's size in firms) by the difference of the initial values. Where the two
//! configurations agree nothing is touched, so a scenario equal to its reference starts from
//! the very same state. Who the region holds at month 0 (its residents, communities and their
//! members, types and ties) is the present and is not converted.

use super::config::Config;
use super::region::Region;
use super::state::{Territory, NONE, YOUTH};
use super::util::beta_shapes;
use super::{administration, demography, economy, formation, streams};
use rayon::prelude::*;
use statrs::distribution::{Beta, ContinuousCDF};
use std::sync::Arc;

/// Knots of a tabulated quantile map: the map is exact at `ADOPTION_GRID` quantiles equally
/// spaced in probability (0 and 1 included) and linear between them, so each of the
/// `ADOPTION_GRID - 1` pieces holds the same share of the agents.
pub const ADOPTION_GRID: usize = 1024;
/// statrs's Beta quantile is kept when its probability is within `QUANTILE_TOLERANCE` of the
/// target; else bisection on the distribution function narrows the quantile to an interval this
/// wide (statrs's inverse is inexact for shapes far below 1).
pub const QUANTILE_TOLERANCE: f64 = 1e-10;

// Trait keys of the per-agent uniforms (`streams::adoption`); an agent is a resident, a
// community (its index at the end of the burn-in) or the territory's administration (0).
const PUBLIC_SECTOR: u64 = 0;
const HUMAN_CAPITAL: u64 = 1;
const THRESHOLD: u64 = 2;
const OPENNESS: u64 = 3;
const REGISTERED: u64 = 4;
/// The key of the firms a shrinking market closes.
const FIRMS: u64 = 16;
/// The keys of the communities' flags, in [`Plan::flags`] order, start here.
const FLAGS: u64 = 5;
/// The keys of the criteria C1..C6 start here.
const CRITERIA: u64 = FLAGS + FLAG_COUNT as u64;

/// Communities' flags drawn at founding: an external leader (S3, redrawn with each new
/// leader), dreams (F2), co-creation (F4), territory-wide responsibility (C8), a lean strategy
/// (A8).
const FLAG_COUNT: usize = 5;

/// What month-0 adoption changes, from the burn-in's configuration to the scenario's: built
/// once per configuration pair ([`Config::from_scenario`]); a `None` is a trait whose
/// distribution is the same in both and stays as it is.
#[derive(Debug, Default)]
pub struct Plan {
    /// Native residents' human capital, by territory class.
    native_human_capital: [Option<QuantileMap>; 3],
    /// Newcomers' human capital.
    newcomer_human_capital: Option<QuantileMap>,
    threshold: Option<QuantileMap>,
    /// Public-sector employment of residents who are not youth, by territory class.
    public_sector: [Option<Coupling>; 3],
    /// The current head's openness.
    openness: Option<QuantileMap>,
    /// The shift of every development index, by territory class.
    development: [Option<f64>; 3],
    /// The market's size in firms (`economy::market_size` of the initial residents), under the
    /// burn-in's configuration and the scenario's, by territory class.
    market: [Option<(f64, f64)>; 3],
    /// The communities' dispositions C1..C6 (their criteria move with them).
    criteria: [Option<QuantileMap>; 6],
    /// Registration of the communities the region was built with, and of those founded in the
    /// burn-in.
    registered: [Option<Coupling>; 2],
    flags: [Option<Coupling>; FLAG_COUNT],
    /// The scenario's normal mix of work, by community type, when it differs.
    base_mix: Option<[[f64; 3]; 5]>,
}

impl Plan {
    /// The adoption from `from` (the burn-in's configuration) to `to` (the scenario's).
    pub fn new(from: &Config, to: &Config) -> Plan {
        let mut knots = Knots::default();
        let mut map = |a: BetaLaw, b: BetaLaw| knots.map(a, b);
        let hc = |c: &Config, newcomer: bool, class: usize| BetaLaw {
            mean: demography::human_capital_mean(c, newcomer, c.classes[class].development),
            concentration: demography::HUMAN_CAPITAL_CONCENTRATION,
        };
        let native_human_capital =
            std::array::from_fn(|k| map(hc(from, false, k), hc(to, false, k)));
        // A newcomer's mean does not depend on the class.
        let newcomer_human_capital = map(hc(from, true, 0), hc(to, true, 0));
        let threshold = map(BetaLaw::threshold(from), BetaLaw::threshold(to));
        let openness = map(BetaLaw::openness(from), BetaLaw::openness(to));
        let criteria = std::array::from_fn(|k| {
            let law = |c: &Config| BetaLaw {
                mean: c.criteria[k],
                concentration: formation::CRITERIA_CONCENTRATION,
            };
            map(law(from), law(to))
        });
        let flag = |c: &Config| {
            [
                c.leadership.external_orientation,
                c.expectations.dream_share,
                c.expectations.cocreation_share,
                c.community.territory_responsibility,
                c.crisis.lean_strategy,
            ]
        };
        let (flags_from, flags_to) = (flag(from), flag(to));
        let registered = |c: &Config| {
            let p = c.community.registered_share;
            [p, formation::NEW_REGISTRATION_SHARE * p]
        };
        let (registered_from, registered_to) = (registered(from), registered(to));
        let mix_differs = from.commercial_share != to.commercial_share
            || from.community.online_share != to.community.online_share;
        Plan {
            native_human_capital,
            newcomer_human_capital,
            threshold,
            public_sector: std::array::from_fn(|k| {
                Coupling::between(
                    from.classes[k].public_sector_share,
                    to.classes[k].public_sector_share,
                )
            }),
            openness,
            development: std::array::from_fn(|k| {
                let shift = to.classes[k].development - from.classes[k].development;
                (to.classes[k].development != from.classes[k].development).then_some(shift)
            }),
            market: std::array::from_fn(|k| {
                // The initial residents: the same under both (populations and agent scales are
                // structural).
                let class = &to.classes[k];
                let residents = class.population.div_ceil(class.agent_scale) as usize;
                let (old, new) = (
                    economy::market_size(from, k, residents),
                    economy::market_size(to, k, residents),
                );
                (old != new).then_some((old, new))
            }),
            criteria,
            registered: std::array::from_fn(|k| {
                Coupling::between(registered_from[k], registered_to[k])
            }),
            flags: std::array::from_fn(|k| Coupling::between(flags_from[k], flags_to[k])),
            base_mix: mix_differs
                .then(|| std::array::from_fn(|kind| formation::base_mix(to, kind))),
        }
    }

    /// Whether adoption changes nothing: every trait has the same distribution in both.
    pub fn is_identity(&self) -> bool {
        let Plan {
            native_human_capital,
            newcomer_human_capital,
            threshold,
            public_sector,
            openness,
            development,
            market,
            criteria,
            registered,
            flags,
            base_mix,
        } = self;
        native_human_capital.iter().all(Option::is_none)
            && newcomer_human_capital.is_none()
            && threshold.is_none()
            && public_sector.iter().all(Option::is_none)
            && openness.is_none()
            && development.iter().all(Option::is_none)
            && market.iter().all(Option::is_none)
            && criteria.iter().all(Option::is_none)
            && registered.iter().all(Option::is_none)
            && flags.iter().all(Option::is_none)
            && base_mix.is_none()
    }
}

/// Adopts the scenario's traits (`config`'s) in every territory of the region at the end of
/// the burn-in (before `Region::start_observation` drops the dead communities and closed firms).
pub fn adopt(region: &mut Region, plan: &Plan, config: &Config) {
    region
        .territories
        .par_iter_mut()
        .for_each(|t| adopt_territory(t, plan, config));
}

fn adopt_territory(t: &mut Territory, plan: &Plan, config: &Config) {
    let seed = t.seed;
    let uniform = |key: u64, agent: usize| streams::adoption(seed, key, agent as u64);
    let class = t.class;
    let native = plan.native_human_capital[class].as_ref();
    let newcomer = plan.newcomer_human_capital.as_ref();
    let public = plan.public_sector[class];
    let residents = &mut t.residents;
    let communities = &mut t.communities;
    if native.is_some() || newcomer.is_some() || plan.threshold.is_some() || public.is_some() {
        for i in 0..residents.len() {
            let c = residents.community[i];
            let map = if residents.newcomer[i] {
                newcomer
            } else {
                native
            };
            if let Some(map) = map {
                let old = residents.human_capital[i];
                let new = map.apply(f64::from(old), || uniform(HUMAN_CAPITAL, i)) as f32;
                residents.human_capital[i] = new;
                if c != NONE {
                    communities[c as usize].sum_human_capital += f64::from(new) - f64::from(old);
                }
            }
            if let Some(map) = &plan.threshold {
                let old = f64::from(residents.threshold[i]);
                residents.threshold[i] = map.apply(old, || uniform(THRESHOLD, i)) as f32;
            }
            // Youth draw no employment, and firm owners stay outside the public sector.
            if let Some(coupling) = public {
                if residents.age[i] != YOUTH && residents.firm[i] == NONE {
                    let was = residents.public_sector[i];
                    let now = coupling.apply(was, uniform(PUBLIC_SECTOR, i));
                    residents.public_sector[i] = now;
                    if c != NONE && now != was {
                        let com = &mut communities[c as usize];
                        if now {
                            com.n_public += 1;
                        } else {
                            com.n_public -= 1;
                        }
                    }
                }
            }
        }
    }
    if let Some((old, new)) = plan.market[class] {
        adopt_market(t, old, new, config);
    }
    for (c, com) in t
        .communities
        .iter_mut()
        .enumerate()
        .filter(|(_, c)| c.alive)
    {
        for (k, map) in plan.criteria.iter().enumerate() {
            if let Some(map) = map {
                let old = com.base_criteria[k];
                let new = map.apply(old, || uniform(CRITERIA + k as u64, c));
                com.base_criteria[k] = new;
                com.criteria[k] = (com.criteria[k] + new - old).clamp(0.0, 1.0);
            }
        }
        let founding = if com.initial { 0 } else { 1 };
        if let Some(coupling) = plan.registered[founding] {
            com.registered = coupling.apply(com.registered, uniform(REGISTERED, c));
        }
        let flags = [
            &mut com.external_leader,
            &mut com.dreams,
            &mut com.cocreation,
            &mut com.territory_wide,
            &mut com.lean,
        ];
        for (k, (flag, coupling)) in flags.into_iter().zip(&plan.flags).enumerate() {
            if let Some(coupling) = coupling {
                *flag = coupling.apply(*flag, uniform(FLAGS + k as u64, c));
            }
        }
        if let Some(mix) = &plan.base_mix {
            com.base_mix = mix[com.kind];
        }
    }
    if let Some(map) = &plan.openness {
        let old = t.administration.openness;
        t.administration.openness = map.apply(old, || uniform(OPENNESS, 0));
    }
    if let Some(shift) = plan.development[class] {
        for d in &mut t.development {
            *d = (*d + shift).clamp(0.0, 1.0);
        }
    }
}

/// The market of `t` moves from `old` to `new` firms: the territory's target becomes `new`,
/// and it opens (from its own stream, `streams::adoption_firms`) or closes (those of the
/// lowest uniforms) the difference of the two markets' initial firms, so that incomes, which
/// follow what firms are paid relative to the target, stay at their level.
fn adopt_market(t: &mut Territory, old: f64, new: f64, config: &Config) {
    t.firm_target = new;
    let change = new.round() as i64 - old.round() as i64;
    // The last month of the burn-in: firms opened or closed now count from month 0.
    let month = -1;
    if change > 0 {
        let stream = std::mem::replace(&mut t.rng, streams::adoption_firms(t.seed));
        for _ in 0..change {
            economy::open_firm(t, config, month);
        }
        t.rng = stream;
    } else if change < 0 {
        let seed = t.seed;
        let mut open: Vec<(f64, usize)> = (0..t.firms.len())
            .filter(|&f| t.firms[f].is_open())
            .map(|f| (streams::adoption(seed, FIRMS, f as u64), f))
            .collect();
        open.sort_by(|a, b| a.0.total_cmp(&b.0));
        for &(_, f) in open.iter().take(change.unsigned_abs() as usize) {
            t.close_firm(f, month);
        }
    }
}

/// A Beta law as `util::beta_mean` draws it: a mean and a concentration.
#[derive(Debug, Clone, Copy, PartialEq)]
struct BetaLaw {
    mean: f64,
    concentration: f64,
}

impl BetaLaw {
    fn threshold(c: &Config) -> BetaLaw {
        BetaLaw {
            mean: demography::threshold_mean(c),
            concentration: demography::THRESHOLD_CONCENTRATION,
        }
    }

    fn openness(c: &Config) -> BetaLaw {
        BetaLaw {
            mean: c.administration.openness,
            concentration: administration::OPENNESS_CONCENTRATION,
        }
    }

    /// The law's quantiles at the [`ADOPTION_GRID`] knots, or `None` when it is degenerate
    /// (every draw is its mean).
    fn knots(self) -> Option<Arc<[f64]>> {
        let (a, b) = beta_shapes(self.mean, self.concentration)?;
        let beta = Beta::new(a, b).ok()?;
        let last = (ADOPTION_GRID - 1) as f64;
        let mut lowest = 0.0f64;
        Some(
            (0..ADOPTION_GRID)
                .map(|j| {
                    // Monotone whatever the rounding of the quantiles.
                    lowest = lowest.max(quantile(&beta, j as f64 / last));
                    lowest
                })
                .collect(),
        )
    }
}

/// The knots of the laws met so far while a plan is built, so that a law shared by several maps
/// is tabulated once.
#[derive(Default)]
struct Knots(Vec<(BetaLaw, Option<Arc<[f64]>>)>);

impl Knots {
    fn of(&mut self, law: BetaLaw) -> Option<Arc<[f64]>> {
        if let Some((_, k)) = self.0.iter().find(|(l, _)| *l == law) {
            return k.clone();
        }
        let k = law.knots();
        self.0.push((law, k.clone()));
        k
    }

    /// The map from law `from` to law `to`; `None` when they are the same (the identity).
    fn map(&mut self, from: BetaLaw, to: BetaLaw) -> Option<QuantileMap> {
        (from != to).then(|| QuantileMap {
            from: self.of(from),
            to: self.of(to),
            to_mean: to.mean.clamp(0.0, 1.0),
        })
    }
}

/// x' = F_to^-1(F_from(x)), tabulated at [`ADOPTION_GRID`] knots equally spaced in probability
/// and linear between them.
#[derive(Debug)]
struct QuantileMap {
    /// The old law's quantiles at the knots; `None` when it is degenerate: every agent drew its
    /// mean, and its rank is the agent's own uniform.
    from: Option<Arc<[f64]>>,
    /// The new law's quantiles at the knots; `None` when it is degenerate: every agent takes
    /// its mean.
    to: Option<Arc<[f64]>>,
    to_mean: f64,
}

impl QuantileMap {
    fn apply(&self, x: f64, uniform: impl FnOnce() -> f64) -> f64 {
        let Some(to) = &self.to else {
            return self.to_mean;
        };
        let last = ADOPTION_GRID - 1;
        // The rank of x as a position on the knots, 0 to `last`.
        let position = match &self.from {
            None => uniform() * last as f64,
            Some(from) => {
                let j = from
                    .partition_point(|&k| k <= x)
                    .saturating_sub(1)
                    .min(last - 1);
                let width = from[j + 1] - from[j];
                let t = if width > 0.0 {
                    ((x - from[j]) / width).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                j as f64 + t
            }
        };
        let j = (position.floor() as usize).min(last - 1);
        let t = position - j as f64;
        (to[j] + t * (to[j + 1] - to[j])).clamp(0.0, 1.0)
    }
}

/// The `u`-quantile of a Beta law: statrs's inverse where it is accurate, else bisection.
fn quantile(beta: &Beta, u: f64) -> f64 {
    if u <= 0.0 {
        return 0.0;
    }
    if u >= 1.0 {
        return 1.0;
    }
    let x = beta.inverse_cdf(u);
    if x.is_finite() && (0.0..=1.0).contains(&x) && (beta.cdf(x) - u).abs() <= QUANTILE_TOLERANCE {
        return x;
    }
    let (mut low, mut high) = (0.0f64, 1.0f64);
    while high - low > QUANTILE_TOLERANCE {
        let mid = 0.5 * (low + high);
        if beta.cdf(mid) < u {
            low = mid;
        } else {
            high = mid;
        }
    }
    0.5 * (low + high)
}

/// A flag drawn with probability `from` that is to follow probability `to`: the monotone
/// coupling of the two Bernoulli laws, so that a flag drawn as U < p keeps its U. When `to` is
/// higher, an unset flag is set with probability (to - from) / (1 - from); when lower, a set
/// flag stays with probability to / from; no flag moves the other way.
#[derive(Debug, Clone, Copy)]
struct Coupling {
    from: f64,
    to: f64,
}

impl Coupling {
    /// `None` when the two probabilities are the same (the identity).
    fn between(from: f64, to: f64) -> Option<Coupling> {
        let (from, to) = (from.clamp(0.0, 1.0), to.clamp(0.0, 1.0));
        (from != to).then_some(Coupling { from, to })
    }

    /// The flag after adoption, given the agent's uniform `u` on [0, 1).
    fn apply(&self, flag: bool, u: f64) -> bool {
        if self.to > self.from {
            flag || u < (self.to - self.from) / (1.0 - self.from)
        } else {
            flag && u < self.to / self.from
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::util::beta_mean;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    fn law(mean: f64, concentration: f64) -> BetaLaw {
        BetaLaw {
            mean,
            concentration,
        }
    }

    fn mean(x: &[f64]) -> f64 {
        x.iter().sum::<f64>() / x.len() as f64
    }

    #[test]
    fn only_traits_whose_distribution_differs_are_adopted() {
        use crate::scenario::{apply_set, Scenario};
        let config = |sets: &[&str]| {
            let mut s = Scenario::default();
            for set in sets {
                apply_set(&mut s, set).unwrap();
            }
            Config::from_scenario(&s)
        };
        let base = config(&[]);
        assert!(Plan::new(&base, &base).is_identity());
        assert!(base.burn_in_config.is_none() && base.adoption.is_none());
        // Grants are no trait of any agent: the burn-in is the reference's, and nothing adopts.
        let grants = config(&["grants.enabled=false"]);
        assert!(grants.burn_in_config.is_some() && grants.adoption.is_none());
        // Training (L8) is folded into human capital: every resident's law moves.
        let training = config(&["policy.training=1"]);
        let plan = training.adoption.as_deref().unwrap();
        assert!(plan.native_human_capital.iter().all(Option::is_some));
        assert!(plan.newcomer_human_capital.is_some());
        assert!(plan.flags.iter().all(Option::is_none) && plan.base_mix.is_none());
        // Under the scenario's own burn-in there is nothing to adopt.
        let own = config(&["policy.training=1", "run.burn_in_under=\"scenario\""]);
        assert!(own.burn_in_config.is_none() && own.adoption.is_none());
    }

    #[test]
    fn the_quantiles_are_accurate_even_where_statrs_is_not() {
        for (m, k) in [
            (0.5, 6.0),
            (0.05, 3.0),
            (0.99, 3.0),
            (0.001, 3.0),
            (0.95, 8.0),
        ] {
            let (a, b) = beta_shapes(m, k).unwrap();
            let beta = Beta::new(a, b).unwrap();
            for j in 1..100 {
                let u = j as f64 / 100.0;
                let x = quantile(&beta, u);
                // Bisection leaves x within the tolerance of the quantile, not F(x) of u.
                let near = (beta.cdf(x) - u).abs() <= 1e-6
                    || (beta.cdf(x - QUANTILE_TOLERANCE) <= u
                        && beta.cdf(x + QUANTILE_TOLERANCE) >= u);
                assert!(near, "mean {m} concentration {k} u {u}: x {x}");
            }
        }
    }

    #[test]
    fn a_mapped_sample_follows_the_new_law_and_keeps_its_order() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        let (from, to) = (law(0.5, 6.0), law(0.2, 6.0));
        let map = Knots::default().map(from, to).unwrap();
        let mut old: Vec<f64> = (0..20_000).map(|_| beta_mean(&mut rng, 0.5, 6.0)).collect();
        old.sort_by(f64::total_cmp);
        let new: Vec<f64> = old
            .iter()
            .map(|&x| map.apply(x, || unreachable!()))
            .collect();
        assert!(new.windows(2).all(|w| w[0] <= w[1]), "the order is kept");
        assert!((mean(&new) - 0.2).abs() < 0.005, "mean {}", mean(&new));
        // The variance of Beta(mean m, concentration k) is m (1 - m) / (k + 1).
        let var = new.iter().map(|x| (x - 0.2).powi(2)).sum::<f64>() / new.len() as f64;
        assert!((var - 0.2 * 0.8 / 7.0).abs() < 0.002, "variance {var}");
        // Mapping there and back returns the value.
        let back = Knots::default().map(to, from).unwrap();
        for &x in old.iter().step_by(97) {
            let y = back.apply(map.apply(x, || unreachable!()), || unreachable!());
            assert!((y - x).abs() < 2e-3, "{x} -> {y}");
        }
    }

    #[test]
    fn degenerate_laws_take_the_rank_from_the_agent_or_give_the_mean() {
        let mut knots = Knots::default();
        let from_point = knots.map(law(0.0, 3.0), law(0.5, 3.0)).unwrap();
        let low = from_point.apply(0.0, || 0.1);
        let high = from_point.apply(0.0, || 0.9);
        assert!(low < 0.5 && high > 0.5 && low < high, "{low} {high}");
        let to_point = knots.map(law(0.5, 3.0), law(1.0, 3.0)).unwrap();
        assert_eq!(to_point.apply(0.3, || unreachable!()), 1.0);
        assert!(knots.map(law(0.4, 3.0), law(0.4, 3.0)).is_none());
    }

    #[test]
    fn the_coupling_gives_the_new_share_and_moves_flags_one_way() {
        let n = 100_000;
        let u = |i: usize| streams::adoption(3, 0, i as u64);
        for (p, q) in [(0.3, 0.9), (0.9, 0.3), (0.0, 0.4), (1.0, 0.2)] {
            let c = Coupling::between(p, q).unwrap();
            let old: Vec<bool> = (0..n)
                .map(|i| streams::adoption(4, 0, i as u64) < p)
                .collect();
            let new: Vec<bool> = (0..n).map(|i| c.apply(old[i], u(i))).collect();
            let share = new.iter().filter(|&&f| f).count() as f64 / n as f64;
            assert!((share - q).abs() < 0.01, "{p} -> {q}: {share}");
            let moved_against = old
                .iter()
                .zip(&new)
                .any(|(&a, &b)| if q > p { a && !b } else { !a && b });
            assert!(!moved_against, "{p} -> {q}");
        }
        assert!(Coupling::between(0.4, 0.4).is_none());
        assert!(Coupling::between(1.0, 1.5).is_none());
    }
}
