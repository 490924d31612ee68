//! The experiment machinery: the `experiment` crate (model-agnostic: seeds, runner, statistics,
//! survival, paired differences, sampling, sensitivity methods (Sobol, Morris), ABC-SMC, wire format),
//! re-exported here, and `design`, which turns a scenario's `[sweep]` into design points of
//! parameter values.

pub mod design;

pub use experiment::{
    abc, derive_seed, method, morris, paired, run_all, run_batch, runner, sampling, seeds,
    selection, sensitivity, sobol, stats, survival, wire, ColumnType, Model, RecordTable, Records,
    RunId, RunOutput, Seeding, SurvivalCounts,
};
