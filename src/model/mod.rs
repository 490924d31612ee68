//! The community model of MODEL.md: agents, mechanisms (one module each) and outcomes.
//! `CommunityModel` plugs it into the generic experiment machinery.

pub mod activity;
pub mod administration;
pub mod adoption;
pub mod config;
pub mod criteria;
pub mod demography;
pub mod development;
pub mod dissolution;
pub mod economy;
pub mod expectations;
pub mod finances;
pub mod formation;
pub mod grants;
pub mod horizon;
pub mod leadership;
pub mod network;
pub mod observe;
pub mod outcomes;
pub mod parameters;
pub mod participation;
pub mod policy;
pub mod records;
pub mod region;
pub mod shocks;
pub mod state;
pub mod streams;
pub mod tasks;
pub mod ties;
pub mod util;
pub mod waves;

use crate::experiment::{Model, RecordTable, RunOutput, SurvivalCounts};
use crate::params::TYPES;
use config::Config;
use observe::Observer;
use region::Region;

/// The work counts of a run, in [`RunOutput::work`] order: every resident stepped in every
/// month and every living community's month, burn-in and the counterfactual twin's own months
/// included.
pub const WORK: [&str; 2] = [RESIDENT_MONTHS, COMMUNITY_MONTHS];
pub const RESIDENT_MONTHS: &str = "resident_months";
pub const COMMUNITY_MONTHS: &str = "community_months";

/// The community model as an experiment model: a design point is a [`Config`].
pub struct CommunityModel;

impl Model for CommunityModel {
    type Point = Config;

    fn outcome_names(&self) -> Vec<String> {
        outcomes::names()
    }

    fn group_names(&self) -> Vec<String> {
        TYPES.iter().map(|t| t.to_string()).collect()
    }

    fn series_names(&self) -> Vec<String> {
        Observer::series_names()
    }

    fn work_names(&self) -> Vec<String> {
        WORK.iter().map(|w| w.to_string()).collect()
    }

    fn record_tables(&self) -> Vec<RecordTable> {
        records::tables()
    }

    fn run(&self, config: &Config, seed: u64) -> RunOutput {
        simulate(config, seed)
    }
}

/// The region at month 0: built and run through the burn-in under the burn-in's configuration
/// (the reference's parameters, `Config::burn_in_config`, or the scenario's own), its agents'
/// traits then adopting the scenario's distributions where they differ (`adoption`), and
/// observed from zero (with `output.communities` or `output.territories`, the records' tracker
/// starts here). A scenario and its reference on one seed reach the same state before
/// adoption, so the same communities, members and residents.
pub fn month_zero(config: &Config, seed: u64) -> Region {
    let present = config.burn_in_config.as_deref().unwrap_or(config);
    let mut region = Region::new(present, seed);
    for _ in 0..present.burn_in {
        region.step(present);
    }
    if let Some(plan) = &config.adoption {
        adoption::adopt(&mut region, plan, config);
    }
    region.start_observation();
    if config.records.any() {
        region.records = Some(records::Tracker::start(&region.territories, config.records));
    }
    region
}

/// One run: a pure function of the configuration and the seed. With shocks and
/// `output.counterfactual`, the run is forked when its first shock starts: the twin goes on
/// without shocks on the same random streams (keyed by month and mechanism, so its draws are
/// the factual run's until the paths part), and the crisis outcomes' excess over the twin fills
/// the `_excess` columns.
pub fn simulate(config: &Config, seed: u64) -> RunOutput {
    let mut region = month_zero(config, seed);
    let mut records = Vec::with_capacity(config.months as usize + 1);
    records.push(Observer::record(&region.territories, Default::default()));
    // The first shock starts before the end of the run (`Shock::validate`).
    let fork = config
        .first_shock()
        .filter(|_| config.counterfactual)
        .map(|s| s.start_month as u32);
    let mut twin = None;
    for month in 0..config.months {
        if Some(month) == fork {
            // The twin keeps no records: they are the factual run's.
            let tracker = region.records.take();
            twin = Some((month, region.clone(), records.clone()));
            region.records = tracker;
        }
        records.push(region.step(config));
    }
    let mut outcomes = outcomes::compute(&region, &records, config);
    let kept = self::records::collect(&region, config);
    let mut work = (region.resident_months, region.community_months);
    match twin {
        Some((start, mut twin_region, mut twin_records)) => {
            let at_fork = (twin_region.resident_months, twin_region.community_months);
            let calm = config.without_shocks();
            for _ in start..config.months {
                twin_records.push(twin_region.step(&calm));
            }
            let twin_outcomes = outcomes::compute_twin(&twin_region, &twin_records, config);
            outcomes.extend(outcomes::excess(&outcomes, &twin_outcomes));
            // The twin's own months beyond the fork are work too.
            work.0 += twin_region.resident_months - at_fork.0;
            work.1 += twin_region.community_months - at_fork.1;
        }
        None => outcomes.extend(std::iter::repeat_n(None, outcomes::crisis_indices().len())),
    }
    let mut survival = SurvivalCounts::new(TYPES.len(), config.months as usize + 1);
    for t in &region.territories {
        for c in &t.communities {
            match c.exited {
                Some(m) => survival.add_event(c.kind, (m + 1 - c.entered) as usize),
                None => survival.add_censored(c.kind, (config.months - c.entered) as usize),
            }
        }
    }
    let series = if config.timeseries {
        records[1..]
            .iter()
            .map(|r| Observer::series_row(r, &records[0]))
            .collect()
    } else {
        Vec::new()
    };
    RunOutput {
        outcomes,
        survival,
        series,
        work: vec![work.0, work.1],
        records: kept,
    }
}
