//! What is observed at the end of each month, region-wide and by territory class. Outcomes and
//! monthly series are computed from these records.

use super::shocks::Pressure;
use super::state::{Territory, COMMERCIAL, ONLINE, VOLUNTEER};

#[derive(Debug, Clone, Default)]
pub struct MonthRecord {
    pub pressure: Pressure,
    pub communities: u64,
    pub members: f64,
    /// Inhabitants: resident agents times their scale.
    pub residents: f64,
    /// Activity components summed over communities.
    pub components: [f64; 3],
    /// Total community activity per territory class.
    pub activity_by_class: [f64; 3],
    /// Economic output per class: output per inhabitant times inhabitants, summed.
    pub economy_by_class: [f64; 3],
    /// Inhabitants per class.
    pub inhabitants_by_class: [f64; 3],
    pub horizon_sum: f64,
    pub expectation_sum: f64,
    /// Tie diversity summed over living communities (F3).
    pub tie_diversity_sum: f64,
    pub stances: [u64; 3],
    pub development_mean: f64,
    /// Territories of each class: a class with none has no economy or activity to report.
    pub territories_by_class: [u64; 3],
}

pub struct Observer;

impl Observer {
    pub fn record(territories: &[Territory], pressure: Pressure) -> MonthRecord {
        let mut r = MonthRecord {
            pressure,
            ..Default::default()
        };
        for t in territories {
            r.territories_by_class[t.class] += 1;
            let inhabitants = t.residents.len() as f64 * t.agent_scale;
            r.economy_by_class[t.class] += t.economy * inhabitants;
            r.inhabitants_by_class[t.class] += inhabitants;
            r.residents += t.residents.len() as f64 * t.agent_scale;
            r.development_mean += t.mean_development() / territories.len() as f64;
            for c in t.communities.iter().filter(|c| c.alive) {
                r.communities += 1;
                r.members += f64::from(c.n_members) * t.agent_scale;
                for k in [COMMERCIAL, VOLUNTEER, ONLINE] {
                    r.components[k] += c.activity[k];
                }
                r.activity_by_class[t.class] += c.total_activity();
                r.horizon_sum += c.horizon;
                r.expectation_sum += c.expectation;
                r.tie_diversity_sum += c.tie_diversity();
                r.stances[c.stance as usize] += 1;
            }
        }
        r
    }

    /// Column names of `timeseries.csv` after point, replicate and month.
    pub fn series_names() -> Vec<String> {
        [
            "communities",
            "members",
            "residents",
            "activity",
            "commercial_share",
            "volunteer_share",
            "online_share",
            "horizon",
            "expectation",
            "stance_integration",
            "stance_neutrality",
            "stance_confrontation",
            "economy_village",
            "economy_small_town",
            "economy_large_city",
            "activity_village",
            "activity_small_town",
            "activity_large_city",
            "development",
            "shock_intensity",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    /// One row of `timeseries.csv`; economies are relative to month 0's level of each class.
    /// A value that is undefined in a month is NaN (an empty cell, as in runs.csv): shares of
    /// activity when there is none, means over communities when none is alive, and the columns
    /// of a class with no territories.
    pub fn series_row(r: &MonthRecord, first: &MonthRecord) -> Vec<f64> {
        let total: f64 = r.components.iter().sum();
        let alive = r.communities as f64;
        let share = |x: f64| if total > 0.0 { x / total } else { f64::NAN };
        let mean = |sum: f64| if alive > 0.0 { sum / alive } else { f64::NAN };
        let relative = |now: f64, then: f64| if then > 0.0 { now / then } else { f64::NAN };
        let of_class = |class: usize, x: f64| {
            if r.territories_by_class[class] > 0 {
                x
            } else {
                f64::NAN
            }
        };
        vec![
            r.communities as f64,
            r.members,
            r.residents,
            total,
            share(r.components[COMMERCIAL]),
            share(r.components[VOLUNTEER]),
            share(r.components[ONLINE]),
            mean(r.horizon_sum),
            mean(r.expectation_sum),
            mean(r.stances[0] as f64),
            mean(r.stances[1] as f64),
            mean(r.stances[2] as f64),
            relative(r.economy_by_class[0], first.economy_by_class[0]),
            relative(r.economy_by_class[1], first.economy_by_class[1]),
            relative(r.economy_by_class[2], first.economy_by_class[2]),
            of_class(0, r.activity_by_class[0]),
            of_class(1, r.activity_by_class[1]),
            of_class(2, r.activity_by_class[2]),
            r.development_mean,
            r.pressure.intensity,
        ]
    }
}
