//! The study's own observation (MODEL.md, section 8, "The study's waves"): the report's three
//! waves of interviews as windows of months, and its sample of about twenty communities followed
//! from the first wave to the last, each checked for the signal of disintegration (R1).
//!
//! Observation draws nothing from the model's random streams: the sample is chosen by a
//! counter-based key per community (`streams::study_sample`), so a run's path, and every other
//! outcome, is the same whatever the study observes.

use super::parameters::Observe;
use super::state::Territory;
use super::streams;

/// The study's waves of interviews.
pub const WAVES: usize = 3;

/// One wave: `months` months from `start` (month 0 is the first observed month).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wave {
    pub start: u32,
    pub months: u32,
}

impl Wave {
    /// The month after the wave's last.
    pub fn end(&self) -> u32 {
        self.start + self.months
    }

    /// The wave's last month.
    pub fn last(&self) -> u32 {
        self.end() - 1
    }

    pub fn contains(&self, month: u32) -> bool {
        month >= self.start && month < self.end()
    }

    /// Indices of the wave's month-end records among a run's `n_records` (records[0] is the
    /// initial state, records[m + 1] the end of month m); `None` when the wave does not end
    /// within the run.
    pub fn records(&self, n_records: usize) -> Option<std::ops::RangeInclusive<usize>> {
        let last = self.end() as usize;
        (last < n_records).then(|| self.start as usize + 1..=last)
    }
}

/// What the study observes: its waves, its sample and the thresholds of the signal.
#[derive(Debug, Clone, PartialEq)]
pub struct Study {
    pub waves: [Wave; WAVES],
    /// Communities in the sample (`observe.sample_size`).
    pub sample_size: usize,
    /// Share of its members a community must have lost since the end of wave 1 to show the
    /// signal (`observe.signal_member_loss`).
    pub member_loss: f64,
    /// Share of its wave-1 activity below which a community's activity must stay in every month
    /// of a later wave to show the signal (`observe.signal_activity`).
    pub activity_floor: f64,
}

impl Study {
    pub fn from_params(o: &Observe) -> Study {
        let wave = |start: u32, months: u32| Wave { start, months };
        Study {
            waves: [
                wave(o.wave1_start, o.wave1_months),
                wave(o.wave2_start, o.wave2_months),
                wave(o.wave3_start, o.wave3_months),
            ],
            sample_size: o.sample_size as usize,
            member_loss: o.signal_member_loss,
            activity_floor: o.signal_activity,
        }
    }
}

/// The first wave that starts before the previous one has ended, with the previous one's end:
/// the waves must follow one another without overlap.
pub fn overlap(waves: &[Wave; WAVES]) -> Option<(usize, u32)> {
    (1..WAVES)
        .find(|&k| waves[k].start < waves[k - 1].end())
        .map(|k| (k, waves[k - 1].end()))
}

/// What the study saw of one community of its cohort at the end of a later wave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub alive: bool,
    /// The signal of disintegration: dissolved, lost members or activity (MODEL.md, section 8).
    pub signal: bool,
}

/// A community alive through wave 1, followed to the last wave.
#[derive(Debug, Clone)]
pub struct Followed {
    pub territory: usize,
    pub community: usize,
    /// Members (agents) at the end of wave 1.
    pub members: u32,
    /// Mean monthly activity over wave 1 (person-months): the community's own reference level.
    pub level: f64,
    /// Months of each wave (by index) in which it was alive with activity below
    /// `activity_floor · level`.
    low: [u32; WAVES],
    /// What the study saw at the end of each later wave, once that wave has ended.
    pub seen: [Option<Seen>; WAVES],
}

impl Followed {
    /// Whether it showed the signal at any later wave that has ended.
    pub fn signal(&self) -> bool {
        self.seen.iter().flatten().any(|s| s.signal)
    }
}

/// Follows the communities of a run through the study's waves (`Region::waves`). Cloned with
/// the region, so a counterfactual twin forked after wave 1 follows the same cohort.
#[derive(Debug, Clone, Default)]
pub struct Tracker {
    /// Activity of each community summed over the months of wave 1 so far, by territory.
    first: Vec<Vec<f64>>,
    /// The communities alive through wave 1, in territory and community order; `None` until
    /// wave 1 has ended.
    cohort: Option<Vec<Followed>>,
}

impl Tracker {
    /// Observes the territories at the end of observed month `month`.
    pub fn observe(&mut self, territories: &[Territory], month: u32, study: &Study) {
        let first = study.waves[0];
        if first.contains(month) {
            self.first.resize(territories.len(), Vec::new());
            for (t, territory) in territories.iter().enumerate() {
                let sums = &mut self.first[t];
                sums.resize(territory.communities.len(), 0.0);
                for (c, com) in territory.communities.iter().enumerate() {
                    if com.alive {
                        sums[c] += com.total_activity();
                    }
                }
            }
            if month == first.last() {
                self.cohort = Some(cohort(territories, &self.first, first));
                self.first = Vec::new();
            }
            return;
        }
        let Some(cohort) = &mut self.cohort else {
            return;
        };
        for (k, wave) in study.waves.iter().enumerate().skip(1) {
            if !wave.contains(month) {
                continue;
            }
            for f in cohort.iter_mut() {
                let c = &territories[f.territory].communities[f.community];
                if c.alive && c.total_activity() < study.activity_floor * f.level {
                    f.low[k] += 1;
                }
                if month == wave.last() {
                    let lost =
                        f64::from(c.n_members) <= (1.0 - study.member_loss) * f64::from(f.members);
                    f.seen[k] = Some(Seen {
                        alive: c.alive,
                        signal: !c.alive || lost || f.low[k] == wave.months,
                    });
                }
            }
        }
    }

    /// The communities alive through wave 1; `None` before wave 1 has ended.
    pub fn cohort(&self) -> Option<&[Followed]> {
        self.cohort.as_deref()
    }

    /// The study's sample: a simple random sample without replacement of `size` communities of
    /// the cohort (all of them if it is smaller), those with the smallest keys
    /// `streams::study_sample(seed, territory, community)`; `None` before wave 1 has ended.
    pub fn sample(&self, seed: u64, size: usize) -> Option<Vec<&Followed>> {
        let cohort = self.cohort.as_ref()?;
        let mut keyed: Vec<(u64, &Followed)> = cohort
            .iter()
            .map(|f| (streams::study_sample(seed, f.territory, f.community), f))
            .collect();
        // Stable: equal keys (a 2^-64 event) keep the cohort's order.
        keyed.sort_by_key(|(key, _)| *key);
        Some(keyed.into_iter().take(size).map(|(_, f)| f).collect())
    }
}

/// The communities alive at the end of wave 1 that were alive before it began: entered before
/// its first month (or present at month 0), and never dissolved since, dissolution being final.
fn cohort(territories: &[Territory], sums: &[Vec<f64>], first: Wave) -> Vec<Followed> {
    let mut out = Vec::new();
    for (t, territory) in territories.iter().enumerate() {
        for (c, com) in territory.communities.iter().enumerate() {
            if com.alive && (com.initial || com.entered < first.start) {
                out.push(Followed {
                    territory: t,
                    community: c,
                    members: com.n_members,
                    level: sums[t][c] / f64::from(first.months),
                    low: [0; WAVES],
                    seen: [None; WAVES],
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wave(start: u32, months: u32) -> Wave {
        Wave { start, months }
    }

    #[test]
    fn a_wave_maps_its_months_to_month_end_records_and_is_undefined_beyond_the_run() {
        let w = wave(13, 2);
        assert_eq!((w.end(), w.last()), (15, 14));
        assert!(!w.contains(12) && w.contains(13) && w.contains(14) && !w.contains(15));
        // records[m + 1] is the end of month m: months 13 and 14 are records 14 and 15.
        assert_eq!(w.records(49), Some(14..=15));
        // A run of 15 months has records 0..=15: the wave has just ended.
        assert_eq!(w.records(16), Some(14..=15));
        // A run of 14 months stops inside the wave: undefined.
        assert_eq!(w.records(15), None);
        assert_eq!(wave(0, 1).records(2), Some(1..=1));
    }

    #[test]
    fn the_default_waves_are_the_reports_on_the_pandemic_calendar() {
        // Month 0 of scenarios/pandemic-2020.toml is January 2019.
        let study = Study::from_params(
            &crate::model::parameters::Parameters::from_values(
                &crate::params::ParamValues::default(),
            )
            .observe,
        );
        let month = |year: u32, month: u32| (year - 2019) * 12 + month - 1;
        let [w1, w2, w3] = study.waves;
        assert_eq!((w1.start, w1.last()), (month(2020, 2), month(2020, 3)));
        assert_eq!((w2.start, w2.last()), (month(2020, 4), month(2020, 5)));
        assert_eq!((w3.start, w3.last()), (month(2020, 12), month(2021, 3)));
        assert_eq!((w1.start, w2.start, w3.start, w3.last()), (13, 15, 23, 26));
        assert_eq!(study.sample_size, 20);
        assert_eq!(overlap(&study.waves), None);
    }

    /// A small town after its burn-in, every community alive with 10 person-months of
    /// activity and at least 4 members.
    fn town() -> Vec<Territory> {
        let (_, mut region) = crate::model::region::test_town(&["run.burn_in=3"], 5, 3);
        region.start_observation();
        let mut territories = region.territories;
        for c in &mut territories[0].communities {
            c.alive = true;
            c.n_members = c.n_members.max(4);
            c.activity = [1.0, 8.0, 1.0];
        }
        assert!(
            territories[0].communities.len() >= 6,
            "the test needs communities"
        );
        territories
    }

    fn study() -> Study {
        Study {
            waves: [wave(0, 1), wave(1, 1), wave(2, 2)],
            sample_size: 3,
            member_loss: 0.5,
            activity_floor: 0.5,
        }
    }

    #[test]
    fn the_signal_is_dissolution_half_the_members_lost_or_a_whole_wave_below_half_the_level() {
        let (study, mut t) = (study(), town());
        let mut tracker = Tracker::default();
        // A community founded in wave 1 is not in the cohort: the study met those that existed.
        t[0].communities[5].initial = false;
        t[0].communities[5].entered = 0;
        let members = t[0].communities[1].n_members;
        tracker.observe(&t, 0, &study);
        let n = t[0].communities.len();
        let cohort = tracker.cohort().unwrap();
        assert_eq!(cohort.len(), n - 1);
        assert!(cohort.iter().all(|f| f.community != 5 && f.level == 10.0));
        // Wave 2 (month 1): 0 dissolves, 1 keeps half its members, 2 falls below half its level,
        // 3 to exactly half of it (not below), 4 loses fewer than half its members.
        let c = &mut t[0].communities;
        c[0].alive = false;
        c[1].n_members = members / 2;
        c[2].activity = [0.0, 4.9, 0.0];
        c[3].activity = [0.0, 5.0, 0.0];
        c[4].n_members -= 1;
        tracker.observe(&t, 1, &study);
        let signal_at = |tracker: &Tracker, k: usize| -> Vec<bool> {
            tracker.cohort().unwrap()[..5]
                .iter()
                .map(|f| f.seen[k].unwrap().signal)
                .collect()
        };
        assert_eq!(signal_at(&tracker, 1), [true, true, true, false, false]);
        assert!(!tracker.cohort().unwrap()[0].seen[1].unwrap().alive);
        assert!(tracker
            .cohort()
            .unwrap()
            .iter()
            .all(|f| f.seen[2].is_none()));
        // Wave 3 (months 2 and 3): 2 recovers in one month of two (no signal in wave 3, but it
        // showed one in wave 2); 3 stays below half its level in both months.
        let c = &mut t[0].communities;
        c[2].activity = [0.0, 10.0, 0.0];
        c[3].activity = [0.0, 4.0, 0.0];
        tracker.observe(&t, 2, &study);
        t[0].communities[2].activity = [0.0, 4.0, 0.0];
        tracker.observe(&t, 3, &study);
        assert_eq!(signal_at(&tracker, 2), [true, true, false, true, false]);
        let by_the_last: Vec<bool> = tracker.cohort().unwrap()[..5]
            .iter()
            .map(Followed::signal)
            .collect();
        assert_eq!(by_the_last, [true, true, true, true, false]);
    }

    #[test]
    fn the_sample_is_drawn_by_keys_of_its_own() {
        let (study, t) = (study(), town());
        let mut tracker = Tracker::default();
        assert!(
            tracker.sample(1, 3).is_none(),
            "no sample before wave 1 ends"
        );
        tracker.observe(&t, 0, &study);
        let ids = |s: Vec<&Followed>| -> Vec<usize> { s.iter().map(|f| f.community).collect() };
        let a = ids(tracker.sample(1, 3).unwrap());
        assert_eq!(a.len(), 3);
        assert_eq!(
            a,
            ids(tracker.sample(1, 3).unwrap()),
            "one seed, one sample"
        );
        assert_ne!(
            (1..20)
                .map(|s| ids(tracker.sample(s, 3).unwrap()))
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            1,
            "seeds draw different samples"
        );
        // A larger sample holds the smaller; a sample larger than the cohort takes it whole.
        let b = ids(tracker.sample(1, 4).unwrap());
        assert_eq!(&b[..3], &a[..]);
        assert_eq!(
            tracker.sample(1, 1000).unwrap().len(),
            t[0].communities.len()
        );
        // Without a community, the others keep their keys: the sample only loses it.
        let mut fewer = t.clone();
        fewer[0].communities[a[0]].alive = false;
        let mut other = Tracker::default();
        other.observe(&fewer, 0, &study);
        let c = ids(other.sample(1, 3).unwrap());
        assert_eq!(&c[..2], &a[1..]);
    }

    #[test]
    fn overlapping_or_unordered_waves_are_found() {
        assert_eq!(overlap(&[wave(0, 2), wave(2, 1), wave(3, 5)]), None);
        assert_eq!(overlap(&[wave(0, 3), wave(2, 1), wave(9, 1)]), Some((1, 3)));
        assert_eq!(
            overlap(&[wave(0, 1), wave(5, 5), wave(4, 1)]),
            Some((2, 10))
        );
    }
}
