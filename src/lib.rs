//! commsim: an agent-based simulation of local communities in small territories, after the
//! report "Crossing the Gap" (22 expert interviews, 2020-2021).
//!
//! - [`params`]: the registry of every scenario key.
//! - [`scenario`]: reading, overriding, validating and printing scenarios.
//! - [`model`]: the community model (agents, one module per mechanism, outcomes).
//! - [`experiment`]: model-agnostic run identity, seeds, parallel runner, statistics, designs.
//! - [`output`]: the files of a run, written whole or not at all.
//! - [`patterns`]: the six patterns of the default calibration.
//! - [`report`]: the HTML report of a finished run.
//! - [`run`]: a scenario run as `commsim run` runs it, into memory or an output folder.
//!
//! The library never prints, reads argv or the environment.

pub mod bounded;
pub mod calibrate;
pub mod error;
pub mod experiment;
pub mod fuzzing;
pub mod model;
pub mod output;
pub mod params;
pub mod patterns;
pub mod plan;
pub mod report;
pub mod run;
pub mod scenario;
