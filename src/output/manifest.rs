//! manifest.json: the provenance of a run.

use serde::Serialize;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Manifest {
    pub program: String,
    pub version: String,
    pub scenario_name: String,
    pub scenario_file: String,
    /// The resolved scenario as TOML (what `commsim check` prints).
    pub resolved_scenario: String,
    pub scenario_sha256: String,
    pub master_seed: u64,
    pub threads: usize,
    pub points: usize,
    pub replicates: u64,
    pub runs: u64,
    pub start_time: String,
    pub end_time: String,
    pub elapsed_seconds: f64,
    pub throughput: Throughput,
}

/// What this process simulated and how fast, per second of wall-clock time (`elapsed_seconds`).
/// Agent-months count every agent stepped in every month, burn-in included: a resident agent
/// stands for `agent_scale` inhabitants, and a community-month is a living community's month.
/// After `--resume`, only the runs of the resuming process count.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Throughput {
    pub runs_simulated: u64,
    pub resident_months: u64,
    pub community_months: u64,
    pub runs_per_second: f64,
    pub community_months_per_second: f64,
    pub resident_months_per_second: f64,
    /// `resident_months_per_second / threads`.
    pub resident_months_per_thread_second: f64,
}

/// Hex SHA-256 of a text.
pub fn sha256(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
