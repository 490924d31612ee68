//! Kaplan-Meier survival from event and censoring counts per group and time, summed over runs
//! in run order. Confidence bands use Greenwood's variance on the log(-log) scale, which keeps
//! them inside [0, 1].

/// Counts of events (dissolutions) and censorings at each time (months since entry), per group.
#[derive(Debug, Clone, PartialEq)]
pub struct SurvivalCounts {
    pub events: Vec<Vec<u64>>,
    pub censored: Vec<Vec<u64>>,
}

/// One row of a Kaplan-Meier curve.
#[derive(Debug, Clone, PartialEq)]
pub struct KmRow {
    pub time: usize,
    pub at_risk: u64,
    pub events: u64,
    pub censored: u64,
    pub survival: f64,
    pub ci95_low: f64,
    pub ci95_high: f64,
}

impl SurvivalCounts {
    pub fn new(groups: usize, times: usize) -> Self {
        SurvivalCounts {
            events: vec![vec![0; times]; groups],
            censored: vec![vec![0; times]; groups],
        }
    }

    pub fn add_event(&mut self, group: usize, time: usize) {
        let t = time.min(self.events[group].len() - 1);
        self.events[group][t] += 1;
    }

    pub fn add_censored(&mut self, group: usize, time: usize) {
        let t = time.min(self.censored[group].len() - 1);
        self.censored[group][t] += 1;
    }

    pub fn merge(&mut self, other: &SurvivalCounts) {
        for (mine, theirs) in self.events.iter_mut().zip(&other.events) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a += b;
            }
        }
        for (mine, theirs) in self.censored.iter_mut().zip(&other.censored) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a += b;
            }
        }
    }

    /// The Kaplan-Meier curve of one group: one row per time from 0 to the last time.
    pub fn curve(&self, group: usize) -> Vec<KmRow> {
        let events = &self.events[group];
        let censored = &self.censored[group];
        let mut at_risk: u64 = events.iter().sum::<u64>() + censored.iter().sum::<u64>();
        let mut s = 1.0;
        let mut greenwood = 0.0;
        let z = 1.959_963_984_540_054;
        let mut rows = Vec::with_capacity(events.len());
        for t in 0..events.len() {
            let (d, c) = (events[t], censored[t]);
            if at_risk > 0 && d > 0 {
                let n = at_risk as f64;
                s *= 1.0 - d as f64 / n;
                if at_risk > d {
                    greenwood += d as f64 / (n * (n - d as f64));
                }
            }
            let (low, high) = if s <= 0.0 || s >= 1.0 {
                (s, s)
            } else {
                let se = greenwood.sqrt() / s.ln().abs();
                (s.powf((z * se).exp()), s.powf((-z * se).exp()))
            };
            rows.push(KmRow {
                time: t,
                at_risk,
                events: d,
                censored: c,
                survival: s,
                ci95_low: low,
                ci95_high: high,
            });
            at_risk -= d + c;
        }
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kaplan_meier_matches_a_textbook_example() {
        // Times 1, 2+, 3, 3, 4+ : S(1) = 4/5, S(3) = 4/5 * 1/3.
        let mut s = SurvivalCounts::new(1, 6);
        s.add_event(0, 1);
        s.add_censored(0, 2);
        s.add_event(0, 3);
        s.add_event(0, 3);
        s.add_censored(0, 4);
        let curve = s.curve(0);
        assert_eq!(curve[0].survival, 1.0);
        assert!((curve[1].survival - 0.8).abs() < 1e-12);
        assert!((curve[3].survival - 0.8 / 3.0).abs() < 1e-12);
        assert_eq!(curve[3].at_risk, 3);
        for w in curve.windows(2) {
            assert!(w[1].survival <= w[0].survival);
            assert!(w[1].ci95_low <= w[1].survival && w[1].survival <= w[1].ci95_high);
        }
    }
}
