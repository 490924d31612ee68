//! The provenance of a finished calibration (manifest.json).

use serde::Serialize;

#[derive(Serialize)]
pub(super) struct Settings {
    pub(super) population: usize,
    pub(super) generations: usize,
    pub(super) final_tolerance: f64,
    pub(super) quantile: f64,
    pub(super) min_acceptance: f64,
    pub(super) batch: usize,
    pub(super) replicates: u64,
    pub(super) max_draws_per_generation: u64,
}

#[derive(Serialize)]
pub(super) struct Parameter {
    pub(super) key: String,
    pub(super) min: f64,
    pub(super) max: f64,
    pub(super) scale: String,
}

/// manifest.json of a calibration.
#[derive(Serialize)]
pub(super) struct CalibrationManifest {
    pub(super) program: String,
    pub(super) version: String,
    /// "calibration", to tell it from a run's manifest.
    pub(super) kind: String,
    pub(super) algorithm: String,
    pub(super) distance: String,
    pub(super) scenario_name: String,
    pub(super) scenario_file: String,
    pub(super) scenario_sha256: String,
    pub(super) resolved_scenario: String,
    pub(super) master_seed: u64,
    pub(super) settings: Settings,
    pub(super) parameters: Vec<Parameter>,
    pub(super) patterns: Vec<u64>,
    pub(super) outcome_targets: Vec<String>,
    pub(super) stop: String,
    pub(super) generations_run: usize,
    pub(super) final_generation_tolerance: f64,
    /// Particles simulated (each `replicates` runs), the discarded surplus of batches included.
    pub(super) simulations: u64,
    pub(super) runs: u64,
    /// Weighted mean and sd of each key over the last generation, in the order of `parameters`.
    pub(super) posterior_mean: Vec<f64>,
    pub(super) posterior_sd: Vec<f64>,
    pub(super) effective_sample_size: f64,
    /// The last generation found saved when this process started, if it resumed.
    pub(super) resumed_after_generation: Option<usize>,
    pub(super) threads: usize,
    pub(super) start_time: String,
    pub(super) end_time: String,
    pub(super) elapsed_seconds: f64,
}
