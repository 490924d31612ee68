//! Experiment machinery for any stochastic simulation model, free of what the model is about:
//! run identity and seeds, the parallel ordered runner, summary statistics, Kaplan-Meier
//! survival, paired differences on common random numbers, sampling designs in the unit cube, sensitivity methods (one trait, `method`: Sobol
//! indices and Morris elementary effects), ABC-SMC calibration (`abc`) and the wire format of
//! run outputs. It runs any [`Model`] that maps (design point, seed) to outcomes, and depends on no
//! crate of the model it runs.

pub mod abc;
pub mod method;
pub mod morris;
pub mod paired;
pub mod runner;
pub mod sampling;
pub mod seeds;
pub mod selection;
pub mod sensitivity;
pub mod sobol;
pub mod stats;
pub mod survival;
pub mod wire;

pub use runner::{run_all, run_batch, RunId};
pub use seeds::{derive_seed, Seeding};
pub use survival::SurvivalCounts;

/// What one run returns.
#[derive(Debug, Clone)]
pub struct RunOutput {
    /// One value per outcome name; `None` where undefined in this run.
    pub outcomes: Vec<Option<f64>>,
    /// Event and censoring counts per group and time, for Kaplan-Meier curves.
    pub survival: SurvivalCounts,
    /// Monthly series rows (empty unless asked for).
    pub series: Vec<Vec<f64>>,
    /// Work done, one count per [`Model::work_names`] (for a model of agents, the agent-months
    /// it stepped), for throughput figures.
    pub work: Vec<u64>,
    /// One table of records per [`Model::record_tables`], in that order: a row per entity of the
    /// run (an agent, a place), its cells as text; empty for a table the run does not keep.
    pub records: Vec<Records>,
}

/// Rows of one table of records, each a row of cells in its table's column order.
pub type Records = Vec<Vec<String>>;

/// A table of records a model can keep of each run: its name, its columns (after those that
/// identify the run, which the writer adds) and the type of each, in the same order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordTable {
    pub name: String,
    pub columns: Vec<String>,
    /// One per column: what its cells hold, for writers of typed files (Parquet).
    pub types: Vec<ColumnType>,
}

/// What the cells of a column hold, declared by whoever makes the column (never guessed from
/// its values): an empty cell is a missing value in any of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnType {
    /// A signed whole number (`-3`, `12`).
    Int,
    /// A whole number from 0 to 2^64 - 1 (a run's seed).
    Unsigned,
    /// A real number, written as the shortest decimal that reads back to it (`0.25`, `1`).
    Real,
    /// `true` or `false`.
    Flag,
    /// Text.
    Text,
}

/// A model the experiment machinery can run.
pub trait Model: Sync {
    /// A design point, prepared once and shared by its replicates.
    type Point: Sync + Send;
    fn outcome_names(&self) -> Vec<String>;
    /// Groups of the survival curves.
    fn group_names(&self) -> Vec<String>;
    fn series_names(&self) -> Vec<String>;
    /// Names of the work counts each run reports in [`RunOutput::work`], in that order.
    fn work_names(&self) -> Vec<String>;
    /// The tables of records a run can return in [`RunOutput::records`], in that order; none by
    /// default.
    fn record_tables(&self) -> Vec<RecordTable> {
        Vec::new()
    }
    /// One run: must be a pure function of the point and the seed.
    fn run(&self, point: &Self::Point, seed: u64) -> RunOutput;
}
