//! Records of each community and each territory of a run (`output.communities`,
//! `output.territories`; the columns of communities.csv and territories.csv, MODEL.md, section
//! 8). Observation only: the tracker reads the state at month 0 and at the end of every observed
//! month, draws nothing and changes nothing, so a run with records is the run without them.
//! Without either key the region holds no tracker and a month costs one branch.

use super::config::Config;
use super::network::KINDS;
use super::region::Region;
use super::state::{Community, Territory};
use crate::experiment::{ColumnType, RecordTable, Records};
use crate::params::{CLASSES, TYPES};

/// The model's tables of records, in [`crate::experiment::RunOutput::records`] order; each is
/// written as `<name>.csv` when `output.<name>` is true.
pub const TABLES: [&str; 2] = [COMMUNITIES, TERRITORIES];
pub const COMMUNITIES: &str = "communities";
pub const TERRITORIES: &str = "territories";

/// The stances, in the order of `state::INTEGRATION`, `NEUTRALITY`, `CONFRONTATION`.
pub const STANCES: [&str; 3] = ["integration", "neutrality", "confrontation"];

/// How a community's row ends: alive at the end of the run, or dissolved (the model's only way
/// for a community to end, `dissolution`).
pub const ALIVE: &str = "alive";
pub const DISSOLVED: &str = "dissolved";

/// Which records a run keeps (`output.communities`, `output.territories`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Choice {
    pub communities: bool,
    pub territories: bool,
}

impl Choice {
    pub fn any(&self) -> bool {
        self.communities || self.territories
    }
}

/// The columns of communities.csv after those of the run (point, replicate, seed, swept keys),
/// each with the type of its cells.
pub fn community_schema() -> Vec<(String, ColumnType)> {
    use ColumnType::{Flag, Int, Real, Text};
    let mut c: Vec<(String, ColumnType)> = [
        ("territory", Int),
        ("class", Text),
        ("community", Int),
        ("type", Text),
        ("initial", Flag),
        ("registered_start", Flag),
        ("registered", Flag),
        ("founded", Int),
        ("exited", Int),
        ("status", Text),
        ("members_start", Real),
        ("members_peak", Real),
        ("members_end", Real),
        ("grant_applications", Int),
        ("grants_won", Int),
        ("grant_money", Real),
    ]
    .iter()
    .map(|(name, t)| (name.to_string(), *t))
    .collect();
    c.extend(STANCES.iter().map(|s| (format!("months_{s}"), Int)));
    c.extend(KINDS.iter().map(|k| (format!("ties_{k}"), Int)));
    c
}

/// The columns of territories.csv after those of the run, each with the type of its cells.
pub fn territory_schema() -> Vec<(String, ColumnType)> {
    use ColumnType::{Int, Real, Text};
    [
        ("territory", Int),
        ("class", Text),
        ("population_start", Real),
        ("population_trough", Real),
        ("population_end", Real),
        ("economy_start", Real),
        ("economy_trough", Real),
        ("economy_trough_month", Int),
        ("economy_end", Real),
        ("development_start", Real),
        ("development_trough", Real),
        ("development_end", Real),
        ("members_start", Real),
        ("members_end", Real),
        ("communities_start", Int),
        ("communities_end", Int),
        ("communities_founded", Int),
        ("communities_dissolved", Int),
        ("firms_start", Int),
        ("firms_end", Int),
        ("firms_opened", Int),
        ("firms_closed", Int),
        ("firms_at_shock", Int),
        ("firms_closed_in_shock", Int),
    ]
    .iter()
    .map(|(name, t)| (name.to_string(), *t))
    .collect()
}

/// The columns of communities.csv after those of the run.
pub fn community_columns() -> Vec<String> {
    community_schema()
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

/// The columns of territories.csv after those of the run.
pub fn territory_columns() -> Vec<String> {
    territory_schema()
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

/// The model's tables with their columns and types, in [`TABLES`] order.
pub fn tables() -> Vec<RecordTable> {
    [
        (COMMUNITIES, community_schema()),
        (TERRITORIES, territory_schema()),
    ]
    .into_iter()
    .map(|(name, schema)| {
        let (columns, types) = schema.into_iter().unzip();
        RecordTable {
            name: name.into(),
            columns,
            types,
        }
    })
    .collect()
}

/// What is followed of one community over the observed months.
#[derive(Debug, Clone, Default)]
struct CommunityTrack {
    /// Member agents at month 0, or at the end of the founding month for a later one.
    members_start: u32,
    /// The most member agents at month 0 (or founding) and at any month's end since.
    members_peak: u32,
    /// Month-ends spent alive in each stance.
    stance_months: [u32; 3],
}

/// A territory's level at month 0 and its lowest at the end of an observed month.
#[derive(Debug, Clone, Copy)]
struct Levels {
    population: f64,
    economy: f64,
    development: f64,
}

impl Levels {
    fn of(t: &Territory) -> Levels {
        Levels {
            population: inhabitants(t),
            economy: t.economy,
            development: t.mean_development(),
        }
    }
}

/// What is followed of one territory.
#[derive(Debug, Clone)]
struct TerritoryTrack {
    /// Empty unless communities are recorded.
    communities: Vec<CommunityTrack>,
    start: Levels,
    /// Each level's own lowest month-end value; `None` before the first month ends.
    trough: Option<Levels>,
    /// The first observed month at whose end the economy was at its trough.
    economy_trough_month: u32,
    members_start: f64,
    firms_start: usize,
}

/// The records' view of a run, from month 0 on.
#[derive(Debug, Clone)]
pub struct Tracker {
    choice: Choice,
    territories: Vec<TerritoryTrack>,
}

fn inhabitants(t: &Territory) -> f64 {
    t.residents.len() as f64 * t.agent_scale
}

fn members(t: &Territory) -> f64 {
    t.members() as f64 * t.agent_scale
}

impl Tracker {
    /// Starts following the region at month 0 (after `Region::start_observation`): every
    /// community then is an initial one.
    pub fn start(territories: &[Territory], choice: Choice) -> Tracker {
        Tracker {
            choice,
            territories: territories
                .iter()
                .map(|t| TerritoryTrack {
                    communities: if choice.communities {
                        t.communities
                            .iter()
                            .map(|c| CommunityTrack {
                                members_start: c.n_members,
                                members_peak: c.n_members,
                                stance_months: [0; 3],
                            })
                            .collect()
                    } else {
                        Vec::new()
                    },
                    start: Levels::of(t),
                    trough: None,
                    economy_trough_month: 0,
                    members_start: members(t),
                    firms_start: t.firms.len(),
                })
                .collect(),
        }
    }

    /// Observes the end of observed month `month`: communities founded in it are met, living
    /// ones count the month in their stance, and the territories' troughs move. Communities are
    /// only ever added after month 0 (a dissolved one keeps its index), so a community's index
    /// is its track's.
    pub fn observe(&mut self, territories: &[Territory], month: u32) {
        for (t, track) in territories.iter().zip(&mut self.territories) {
            if self.choice.communities {
                for (c, com) in t.communities.iter().enumerate() {
                    if c == track.communities.len() {
                        track.communities.push(CommunityTrack {
                            members_start: com.n_members,
                            members_peak: com.n_members,
                            stance_months: [0; 3],
                        });
                    }
                    if com.alive {
                        let k = &mut track.communities[c];
                        k.stance_months[usize::from(com.stance)] += 1;
                        k.members_peak = k.members_peak.max(com.n_members);
                    }
                }
            }
            if self.choice.territories {
                let now = Levels::of(t);
                match &mut track.trough {
                    None => {
                        track.trough = Some(now);
                        track.economy_trough_month = month;
                    }
                    Some(low) => {
                        if now.economy < low.economy {
                            track.economy_trough_month = month;
                        }
                        low.population = low.population.min(now.population);
                        low.economy = low.economy.min(now.economy);
                        low.development = low.development.min(now.development);
                    }
                }
            }
        }
    }
}

/// A real as runs.csv writes it (`output::cell`): the shortest decimal that reads back to it.
fn real(x: f64) -> String {
    crate::output::cell(x)
}

fn whole(n: impl Into<u64>) -> String {
    n.into().to_string()
}

/// The run's records, one table per [`TABLES`] entry, empty where not kept.
pub fn collect(region: &Region, config: &Config) -> Vec<Records> {
    let Some(tracker) = &region.records else {
        return vec![Vec::new(); TABLES.len()];
    };
    let communities = if tracker.choice.communities {
        community_rows(region, tracker)
    } else {
        Vec::new()
    };
    let territories = if tracker.choice.territories {
        territory_rows(region, tracker, config)
    } else {
        Vec::new()
    };
    vec![communities, territories]
}

fn community_rows(region: &Region, tracker: &Tracker) -> Records {
    let mut rows = Vec::new();
    for (i, (t, track)) in region
        .territories
        .iter()
        .zip(&tracker.territories)
        .enumerate()
    {
        let persons = |n: u32| real(f64::from(n) * t.agent_scale);
        for (c, (com, k)) in t.communities.iter().zip(&track.communities).enumerate() {
            let mut row = vec![
                i.to_string(),
                CLASSES[t.class].to_string(),
                c.to_string(),
                TYPES[com.kind].to_string(),
                com.initial.to_string(),
                com.registered_at_start.to_string(),
                com.registered.to_string(),
                com.founded.to_string(),
                com.exited.map(|m| m.to_string()).unwrap_or_default(),
                status(com).to_string(),
                persons(k.members_start),
                persons(k.members_peak),
                persons(com.n_members),
                whole(com.grant_applications),
                whole(com.grants_won),
                real(com.grant_money_won),
            ];
            row.extend(k.stance_months.iter().map(|&m| whole(m)));
            let ties = com.ties.counts();
            row.extend(ties.iter().map(|&n| match com.alive {
                true => n.to_string(),
                false => String::new(),
            }));
            rows.push(row);
        }
    }
    rows
}

fn status(com: &Community) -> &'static str {
    if com.alive {
        ALIVE
    } else {
        DISSOLVED
    }
}

fn territory_rows(region: &Region, tracker: &Tracker, config: &Config) -> Records {
    let shock = config
        .first_shock()
        .map(|s| (s.start_month as i32, s.end_month() as i32));
    let mut rows = Vec::new();
    for (i, (t, track)) in region
        .territories
        .iter()
        .zip(&tracker.territories)
        .enumerate()
    {
        let end = Levels::of(t);
        let low = track.trough;
        let trough = |f: fn(&Levels) -> f64| low.as_ref().map(f).map(real).unwrap_or_default();
        let open_at_end = t.firms.iter().filter(|f| f.is_open()).count();
        let opened = t.firms.iter().filter(|f| f.opened >= 0).count();
        let closed = t.firms.iter().filter(|f| f.closed.is_some()).count();
        let alive_end = t.communities.iter().filter(|c| c.alive).count();
        let initial = t.communities.iter().filter(|c| c.initial).count();
        // As `firms_closed_<class>` counts them (`outcomes::firms_closed`).
        let at_shock = shock.map(|(start, end)| {
            let at_risk = t
                .firms
                .iter()
                .filter(|f| f.opened < start && f.closed.is_none_or(|m| m >= start));
            let closed = at_risk
                .clone()
                .filter(|f| f.closed.is_some_and(|m| m < end))
                .count();
            (at_risk.count(), closed)
        });
        let mut row = vec![
            i.to_string(),
            CLASSES[t.class].to_string(),
            real(track.start.population),
            trough(|l| l.population),
            real(end.population),
            real(track.start.economy),
            trough(|l| l.economy),
            low.map(|_| track.economy_trough_month.to_string())
                .unwrap_or_default(),
            real(end.economy),
            real(track.start.development),
            trough(|l| l.development),
            real(end.development),
            real(track.members_start),
            real(members(t)),
            initial.to_string(),
            alive_end.to_string(),
            whole(t.formed),
            whole(t.dissolved),
            track.firms_start.to_string(),
            open_at_end.to_string(),
            opened.to_string(),
            closed.to_string(),
        ];
        row.push(at_shock.map(|(n, _)| n.to_string()).unwrap_or_default());
        row.push(at_shock.map(|(_, k)| k.to_string()).unwrap_or_default());
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::region::test_town;

    #[test]
    fn every_row_has_its_table_s_columns() {
        let sets = ["output.communities=true", "output.territories=true"];
        let (config, _) = test_town(&sets, 3, 0);
        let mut region = crate::model::month_zero(&config, 3);
        assert!(region.records.is_some());
        for _ in 0..6 {
            region.step(&config);
        }
        let tables = collect(&region, &config);
        let columns = [community_columns().len(), territory_columns().len()];
        assert_eq!(tables.len(), TABLES.len());
        assert!(!tables[0].is_empty() && tables[1].len() == 1);
        for (table, n) in tables.iter().zip(columns) {
            assert!(table.iter().all(|row| row.len() == n));
        }
        // Every cell is of its column's declared type (or empty), as typed files declare it.
        for (rows, declared) in tables.iter().zip(super::tables()) {
            for row in rows {
                for ((cell, t), name) in row.iter().zip(&declared.types).zip(&declared.columns) {
                    assert!(
                        crate::output::cell_is(cell, *t),
                        "{}: {name} = {cell:?} is not {t:?}",
                        declared.name
                    );
                }
            }
        }
        // The month-ends communities lived, each in one stance, are the region's community-months.
        let first = community_columns()
            .iter()
            .position(|c| c == "months_integration")
            .unwrap();
        let months: u32 = tables[0]
            .iter()
            .flat_map(|row| &row[first..first + STANCES.len()])
            .map(|m| m.parse::<u32>().unwrap())
            .sum();
        let expected: u64 = region
            .territories
            .iter()
            .flat_map(|t| &t.communities)
            .map(|c| u64::from(c.exited.map_or(6, |m| m) - c.entered))
            .sum();
        assert_eq!(u64::from(months), expected);
    }

    #[test]
    fn without_records_the_tables_are_empty() {
        let (config, region) = test_town(&[], 3, 0);
        assert!(collect(&region, &config).iter().all(Vec::is_empty));
    }
}
