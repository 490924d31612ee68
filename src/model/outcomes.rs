//! The outcomes of one run (the columns of runs.csv), each defined in MODEL.md, "Outcomes".
//! A figure that is undefined in a run (a crisis figure without a shock, a class without
//! territories, a type without communities) is `None` and written as an empty cell.

use super::config::Config;
use super::expectations::POSITIVE;
use super::network::KINDS;
use super::observe::MonthRecord;
use super::region::Region;
use super::state::{Community, COMMERCIAL, ONLINE, VOLUNTEER};
use super::waves::{Study, WAVES};
use crate::params::{CLASSES, TYPES};

/// Outcome column names, in runs.csv order: the outcomes of the run, then the excess of each
/// crisis outcome over the run's no-shock twin.
pub fn names() -> Vec<String> {
    let mut n = base_names();
    n.extend(crisis_names().iter().map(|c| format!("{c}_excess")));
    n
}

/// Whether an outcome is measured over the first shock's windows during or after it: those get
/// an `_excess` column (the run minus its no-shock twin, measured over the same windows).
pub fn is_crisis(name: &str) -> bool {
    let starts = |p: &str| name.starts_with(p);
    starts("crisis_dissolution")
        || starts("economy_drop_")
        || starts("economy_level_")
        || starts("firms_closed_")
        || starts("activity_drop_")
        || matches!(
            name,
            "horizon_during" | "horizon_after" | "horizon_trough" | "expectation_during"
        )
        || (name.ends_with("_share_during"))
        || is_crisis_wave(name)
}

/// The study's second and third waves, whose focus was the crisis («Фокус второй и третьей
/// волны: как трансформируется деятельность сообществ в кризис?»), and the sample's signals by
/// the last wave get an excess; the first wave, before the crisis in the report and on the
/// default calendar, is the reference the others are read against.
fn is_crisis_wave(name: &str) -> bool {
    (1..WAVES).any(|k| name.starts_with(&format!("wave{}_", k + 1))) || name == "r1_signals"
}

/// The outcomes of each of the study's waves, `wave<k>_<outcome>`: the first wave has no
/// `_alive` and `_signal` (the cohort and the signal are measured against it).
pub const WAVE_OUTCOMES: [&str; 8] = [
    "activity",
    "volunteer_share",
    "commercial_share",
    "online_share",
    "horizon",
    "expectation",
    "alive",
    "signal",
];

/// The columns of the study's waves and sample, in runs.csv order.
pub fn wave_names() -> Vec<String> {
    let mut n = Vec::new();
    for k in 0..WAVES {
        let outcomes = if k == 0 {
            &WAVE_OUTCOMES[..6]
        } else {
            &WAVE_OUTCOMES[..]
        };
        n.extend(outcomes.iter().map(|o| format!("wave{}_{o}", k + 1)));
    }
    n.extend(["r1_sample".to_string(), "r1_signals".to_string()]);
    n
}

/// The crisis outcomes, in runs.csv order.
pub fn crisis_names() -> Vec<String> {
    base_names().into_iter().filter(|n| is_crisis(n)).collect()
}

/// Positions of the crisis outcomes among [`base_names`], found once: every run's excess reads
/// them.
pub fn crisis_indices() -> &'static [usize] {
    static INDICES: std::sync::OnceLock<Vec<usize>> = std::sync::OnceLock::new();
    INDICES.get_or_init(|| {
        base_names()
            .iter()
            .enumerate()
            .filter(|(_, n)| is_crisis(n))
            .map(|(i, _)| i)
            .collect()
    })
}

/// The outcomes of one run, without the excess columns.
pub fn base_names() -> Vec<String> {
    let mut n: Vec<String> = [
        "communities_start",
        "communities_end",
        "formed",
        "dissolved",
        "survival",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    n.extend(TYPES.iter().map(|t| format!("survival_{t}")));
    n.extend([
        "survival_registered".to_string(),
        "survival_unregistered".to_string(),
    ]);
    n.extend(CLASSES.iter().map(|c| format!("survival_{c}")));
    n.extend(["crisis_dissolution".to_string()]);
    n.extend(TYPES.iter().map(|t| format!("crisis_dissolution_{t}")));
    for s in [
        "stance_integration",
        "stance_neutrality",
        "stance_confrontation",
        "grant_applications",
        "grants_won",
        "grant_money",
        "external_money",
        "partner_money",
        "grant_top_share",
        "grant_max_award",
        "grant_coapplied_share",
    ] {
        n.push(s.to_string());
    }
    for prefix in [
        "development_gain",
        "economy_drop",
        "activity_drop",
        "economy_level",
        "firms_closed",
    ] {
        n.extend(CLASSES.iter().map(|c| format!("{prefix}_{c}")));
    }
    for s in [
        "horizon_before",
        "horizon_during",
        "horizon_after",
        "horizon_trough",
        "volunteer_share_before",
        "volunteer_share_during",
        "commercial_share_before",
        "commercial_share_during",
        "online_share_before",
        "online_share_during",
        "prophecy_positive",
        "expectation_before",
        "expectation_during",
        "members_start",
        "members_end",
        "youth_left",
        "admin_changes",
        "residents_start",
        "residents_end",
        "newcomer_participation",
    ] {
        n.push(s.to_string());
    }
    n.extend(KINDS.iter().map(|k| format!("ties_{k}")));
    for s in ["tie_diversity_start", "tie_diversity_end", "isolated_share"] {
        n.push(s.to_string());
    }
    n.extend(wave_names());
    n
}

/// Month windows (indices into `records`, where records[0] is the initial state and
/// records[m + 1] the end of month m) around the first shock.
struct Windows {
    start: u32,
    end: u32,
    before: Vec<usize>,
    pre: Vec<usize>,
    during: Vec<usize>,
    after: Vec<usize>,
}

/// Month-end records in the *before* window: the shock's start month and the 11 before it.
pub const BEFORE_MONTHS: usize = 12;
/// Month-end records in the *pre* window, the baseline of the falls in the crisis.
pub const PRE_MONTHS: usize = 3;
/// Month-end records in the *after* window, from the month after the shock's end.
pub const AFTER_MONTHS: usize = 12;

fn windows(config: &Config, n_records: usize) -> Option<Windows> {
    let shock = config.first_shock()?;
    let s = shock.start_month as usize;
    let e = shock.end_month() as usize;
    let last = n_records - 1;
    // Records a..=b that exist; empty when a > b.
    let range = |a: usize, b: usize| -> Vec<usize> { (a..=b.min(last)).collect() };
    Some(Windows {
        start: s as u32,
        end: e as u32,
        // A shock in month 0 has only the initial state before it.
        before: if s == 0 {
            vec![0]
        } else {
            range(s.saturating_sub(BEFORE_MONTHS - 1).max(1), s)
        },
        pre: range(s.saturating_sub(PRE_MONTHS - 1), s),
        during: range(s + 1, e),
        after: range(e + 1, e + AFTER_MONTHS),
    })
}

/// The outcomes of a run over the windows of its own first shock.
pub fn compute(region: &Region, records: &[MonthRecord], config: &Config) -> Vec<Option<f64>> {
    compute_in(
        region,
        records,
        windows(config, records.len()),
        &config.study,
    )
}

/// The outcomes of a no-shock twin over the windows of its factual run's first shock
/// (`factual`), so that the two are measured alike.
pub fn compute_twin(
    region: &Region,
    records: &[MonthRecord],
    factual: &Config,
) -> Vec<Option<f64>> {
    compute_in(
        region,
        records,
        windows(factual, records.len()),
        &factual.study,
    )
}

/// The crisis outcomes of a run minus those of its twin, in [`crisis_names`] order; `None`
/// where either is undefined.
pub fn excess(run: &[Option<f64>], twin: &[Option<f64>]) -> Vec<Option<f64>> {
    crisis_indices()
        .iter()
        .map(|&i| Some(run[i]? - twin[i]?))
        .collect()
}

fn compute_in(
    region: &Region,
    records: &[MonthRecord],
    w: Option<Windows>,
    study: &Study,
) -> Vec<Option<f64>> {
    let communities: Vec<(&Community, usize)> = region
        .territories
        .iter()
        .flat_map(|t| t.communities.iter().map(move |c| (c, t.class)))
        .collect();
    let initial: Vec<(&Community, usize)> = communities
        .iter()
        .copied()
        .filter(|(c, _)| c.initial)
        .collect();
    let share = |num: usize, den: usize| (den > 0).then(|| num as f64 / den as f64);
    let survival_of = |pred: &dyn Fn(&Community, usize) -> bool| {
        let group: Vec<&Community> = initial
            .iter()
            .filter(|(c, class)| pred(c, *class))
            .map(|(c, _)| *c)
            .collect();
        share(group.iter().filter(|c| c.alive).count(), group.len())
    };
    let mut out: Vec<Option<f64>> = vec![
        Some(initial.len() as f64),
        Some(records.last().map_or(0, |r| r.communities) as f64),
        Some(region.territories.iter().map(|t| t.formed).sum::<u64>() as f64),
        Some(region.territories.iter().map(|t| t.dissolved).sum::<u64>() as f64),
        survival_of(&|_, _| true),
    ];
    for k in 0..TYPES.len() {
        out.push(survival_of(&|c, _| c.kind == k));
    }
    out.push(survival_of(&|c, _| c.registered_at_start));
    out.push(survival_of(&|c, _| !c.registered_at_start));
    for class in 0..CLASSES.len() {
        out.push(survival_of(&|_, k| k == class));
    }
    let crisis = |pred: &dyn Fn(&Community) -> bool| -> Option<f64> {
        let w = w.as_ref()?;
        let at_risk: Vec<&Community> = communities
            .iter()
            .map(|(c, _)| *c)
            .filter(|c| {
                pred(c)
                    && (c.initial || (c.entered as i64) < i64::from(w.start))
                    && c.exited.is_none_or(|m| m >= w.start)
            })
            .collect();
        share(
            at_risk
                .iter()
                .filter(|c| c.exited.is_some_and(|m| m < w.end))
                .count(),
            at_risk.len(),
        )
    };
    out.push(crisis(&|_| true));
    for k in 0..TYPES.len() {
        out.push(crisis(&|c| c.kind == k));
    }
    let steps = &records[1..];
    let community_months: u64 = steps.iter().map(|r| r.communities).sum();
    for s in 0..3 {
        out.push(share(
            steps.iter().map(|r| r.stances[s]).sum::<u64>() as usize,
            community_months as usize,
        ));
    }
    out.push(Some(region.grants.applications as f64));
    out.push(Some(region.grants.won as f64));
    out.push(Some(region.grants.money));
    out.push(Some(
        region.territories.iter().map(|t| t.external_money).sum(),
    ));
    out.push(Some(
        region.territories.iter().map(|t| t.partner_money).sum(),
    ));
    out.push(top_share(
        communities.iter().map(|(c, _)| c.grant_money_won),
        TOP_SHARE,
    ));
    out.push(Some(region.grants.max_award));
    let g = &region.grants;
    out.push((g.money > 0.0).then(|| g.coapplied_money / g.money));
    for class in 0..3 {
        let gains: Vec<f64> = region
            .territories
            .iter()
            .filter(|t| t.class == class)
            .map(|t| {
                (t.development.iter().sum::<f64>() - t.development_start.iter().sum::<f64>()) / 6.0
            })
            .collect();
        out.push((!gains.is_empty()).then(|| gains.iter().sum::<f64>() / gains.len() as f64));
    }
    for series in [
        |r: &MonthRecord, c: usize| r.economy_by_class[c],
        |r: &MonthRecord, c: usize| r.activity_by_class[c],
    ] {
        for class in 0..3 {
            out.push(
                w.as_ref()
                    .and_then(|w| drop(records, w, |r| series(r, class))),
            );
        }
    }
    for class in 0..3 {
        out.push(w.as_ref().and_then(|w| {
            mean_ratio(
                records,
                &w.during,
                |r| r.economy_by_class[class],
                |r| r.inhabitants_by_class[class],
            )
        }));
    }
    for class in 0..3 {
        out.push(w.as_ref().and_then(|w| firms_closed(region, w, class)));
    }
    let horizon =
        |idx: &[usize]| mean_ratio(records, idx, |r| r.horizon_sum, |r| r.communities as f64);
    out.push(w.as_ref().and_then(|w| horizon(&w.before)));
    out.push(w.as_ref().and_then(|w| horizon(&w.during)));
    out.push(w.as_ref().and_then(|w| horizon(&w.after)));
    out.push(w.as_ref().and_then(|w| {
        w.during
            .iter()
            .filter(|&&i| records[i].communities > 0)
            .map(|&i| records[i].horizon_sum / records[i].communities as f64)
            .min_by(f64::total_cmp)
    }));
    for k in [VOLUNTEER, COMMERCIAL, ONLINE] {
        let part = |idx: &[usize]| {
            mean_ratio(
                records,
                idx,
                |r| r.components[k],
                |r| r.components.iter().sum(),
            )
        };
        out.push(w.as_ref().and_then(|w| part(&w.before)));
        out.push(w.as_ref().and_then(|w| part(&w.during)));
    }
    let alive: Vec<&Community> = communities
        .iter()
        .map(|(c, _)| *c)
        .filter(|c| c.alive)
        .collect();
    let positive = alive
        .iter()
        .filter(|c| c.expectation > POSITIVE && c.total_activity() > c.activity_history[0])
        .count();
    out.push(share(positive, alive.len()));
    let expectation = |idx: &[usize]| {
        mean_ratio(
            records,
            idx,
            |r| r.expectation_sum,
            |r| r.communities as f64,
        )
    };
    out.push(w.as_ref().and_then(|w| expectation(&w.before)));
    out.push(w.as_ref().and_then(|w| expectation(&w.during)));
    out.push(Some(records[0].members));
    out.push(Some(records.last().map_or(0.0, |r| r.members)));
    out.push(Some(
        region.territories.iter().map(|t| t.youth_left).sum::<u64>() as f64,
    ));
    out.push(Some(
        region
            .territories
            .iter()
            .map(|t| t.admin_changes)
            .sum::<u64>() as f64,
    ));
    out.push(Some(records[0].residents));
    out.push(Some(records.last().map_or(0.0, |r| r.residents)));
    let (newcomers, engaged) = region
        .territories
        .iter()
        .fold((0usize, 0usize), |(n, e), t| {
            let r = &t.residents;
            let newcomers = (0..r.len()).filter(|&i| r.newcomer[i]);
            let engaged = newcomers
                .clone()
                .filter(|&i| r.community[i] != super::state::NONE)
                .count();
            (n + newcomers.count(), e + engaged)
        });
    out.push(share(engaged, newcomers));
    let mut edges = [0usize; KINDS.len()];
    for c in &alive {
        for (k, n) in c.ties.counts().iter().enumerate() {
            edges[k] += n;
        }
    }
    for n in edges {
        out.push(share(n, alive.len()));
    }
    let diversity =
        |r: &MonthRecord| (r.communities > 0).then(|| r.tie_diversity_sum / r.communities as f64);
    out.push(diversity(&records[0]));
    out.push(records.last().and_then(diversity));
    out.push(share(
        alive
            .iter()
            .filter(|c| c.ties.neighbours().next().is_none())
            .count(),
        alive.len(),
    ));
    out.extend(wave_outcomes(region, records, w.as_ref(), study));
    debug_assert_eq!(out.len(), base_names().len());
    out
}

/// The outcomes of the study's waves and sample, in [`wave_names`] order (MODEL.md, section 8,
/// "The study's waves"). A wave that does not end within the run leaves its outcomes empty.
fn wave_outcomes(
    region: &Region,
    records: &[MonthRecord],
    w: Option<&Windows>,
    study: &Study,
) -> Vec<Option<f64>> {
    let total = |r: &MonthRecord| r.components.iter().sum::<f64>();
    let mean_of = |idx: &[usize], f: &dyn Fn(&MonthRecord) -> f64| {
        (!idx.is_empty())
            .then(|| idx.iter().map(|&i| f(&records[i])).sum::<f64>() / idx.len() as f64)
    };
    let cohort = region.waves.cohort();
    let mut out = Vec::new();
    for (k, wave) in study.waves.iter().enumerate() {
        let idx: Option<Vec<usize>> = wave.records(records.len()).map(|r| r.collect());
        let idx = idx.as_deref();
        out.push(idx.and_then(|idx| {
            let pre = mean_of(&w?.pre, &total)?;
            (pre > 0.0).then_some(mean_of(idx, &total)? / pre)
        }));
        for part in [VOLUNTEER, COMMERCIAL, ONLINE] {
            out.push(idx.and_then(|idx| mean_ratio(records, idx, |r| r.components[part], total)));
        }
        out.push(
            idx.and_then(|idx| {
                mean_ratio(records, idx, |r| r.horizon_sum, |r| r.communities as f64)
            }),
        );
        out.push(idx.and_then(|idx| {
            mean_ratio(
                records,
                idx,
                |r| r.expectation_sum,
                |r| r.communities as f64,
            )
        }));
        if k > 0 {
            // Share of the cohort alive, and showing the signal, at the end of the wave.
            let seen = |what: fn(&super::waves::Seen) -> bool| -> Option<f64> {
                let cohort = cohort?;
                let seen: Vec<_> = cohort.iter().map(|f| f.seen[k]).collect::<Option<_>>()?;
                (!seen.is_empty())
                    .then(|| seen.iter().filter(|s| what(s)).count() as f64 / seen.len() as f64)
            };
            out.push(seen(|s| s.alive));
            out.push(seen(|s| s.signal));
        }
    }
    let sample = region.waves.sample(region.seed, study.sample_size);
    out.push(sample.as_ref().map(|s| s.len() as f64));
    let last_ended = study.waves[WAVES - 1].records(records.len()).is_some();
    out.push(
        sample
            .filter(|s| !s.is_empty() && last_ended)
            .map(|s| s.iter().filter(|f| f.signal()).count() as f64),
    );
    out
}

/// Share of the firms of territories of `class` open when the first shock starts that close
/// before it ends; `None` without such firms.
fn firms_closed(region: &Region, w: &Windows, class: usize) -> Option<f64> {
    let (start, end) = (w.start as i32, w.end as i32);
    let (mut at_risk, mut closed) = (0usize, 0usize);
    for t in region.territories.iter().filter(|t| t.class == class) {
        for f in &t.firms {
            if f.opened < start && f.closed.is_none_or(|m| m >= start) {
                at_risk += 1;
                closed += usize::from(f.closed.is_some_and(|m| m < end));
            }
        }
    }
    (at_risk > 0).then(|| closed as f64 / at_risk as f64)
}

/// The share of the top: `grant_top_share` ranks the communities of the observed months by the
/// grant money each won and takes the top tenth (rounded up).
pub const TOP_SHARE: f64 = 0.1;

/// Share of the total held by the largest ceil(`top` n) of `amounts`; `None` when the total is 0.
pub fn top_share(amounts: impl Iterator<Item = f64>, top: f64) -> Option<f64> {
    let mut a: Vec<f64> = amounts.collect();
    let total: f64 = a.iter().sum();
    if a.is_empty() || total <= 0.0 {
        return None;
    }
    a.sort_by(|x, y| y.total_cmp(x));
    let k = ((top * a.len() as f64).ceil() as usize).clamp(1, a.len());
    Some(a[..k].iter().sum::<f64>() / total)
}

/// Sum of `num` over sum of `den` across the given months; `None` when empty or zero.
fn mean_ratio(
    records: &[MonthRecord],
    idx: &[usize],
    num: impl Fn(&MonthRecord) -> f64,
    den: impl Fn(&MonthRecord) -> f64,
) -> Option<f64> {
    let d: f64 = idx.iter().map(|&i| den(&records[i])).sum();
    (d > 0.0).then(|| idx.iter().map(|&i| num(&records[i])).sum::<f64>() / d)
}

/// Largest relative fall of a series during the shock below its mean over the three months
/// before it; 0 when it never falls; `None` when the pre-shock level is 0.
fn drop(records: &[MonthRecord], w: &Windows, series: impl Fn(&MonthRecord) -> f64) -> Option<f64> {
    let pre = w.pre.iter().map(|&i| series(&records[i])).sum::<f64>() / w.pre.len().max(1) as f64;
    if pre <= 0.0 || w.during.is_empty() {
        return None;
    }
    Some(
        w.during
            .iter()
            .map(|&i| (pre - series(&records[i])) / pre)
            .fold(0.0, f64::max),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_share_takes_the_top_tenth_rounded_up() {
        let equal = top_share(std::iter::repeat_n(1.0, 20), TOP_SHARE).unwrap();
        assert!((equal - 0.1).abs() < 1e-12);
        let one = top_share([9.0, 1.0, 0.0].into_iter(), TOP_SHARE).unwrap();
        assert!((one - 0.9).abs() < 1e-12, "ceil(0.3) = 1 community of 3");
        assert_eq!(top_share([0.0, 0.0].into_iter(), TOP_SHARE), None);
        assert_eq!(top_share(std::iter::empty(), TOP_SHARE), None);
    }
}
