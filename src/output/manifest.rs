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
    /// SHA-256 of the design points as `commsim design` prints them (see `Plan::design_sha256`).
    pub design_sha256: String,
    pub master_seed: u64,
    pub threads: usize,
    pub points: usize,
    pub replicates: u64,
    pub runs: u64,
    pub start_time: String,
    pub end_time: String,
    pub elapsed_seconds: f64,
    pub throughput: Throughput,
    /// What the run wrote (the `output.*` keys of the resolved scenario, resolved).
    pub outputs: Outputs,
    /// For `commsim compare`: scenario B (the resolved scenario above is A's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparison: Option<Comparison>,
    /// For `commsim run --posterior`: the design points are draws from a calibration's posterior.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub posterior: Option<PosteriorDraws>,
}

/// The design points of a run with `--posterior`: draws from the posterior of a calibration,
/// so that outcomes over all points carry parameter uncertainty as well as the model's noise.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PosteriorDraws {
    /// "posterior draws".
    pub points_are: String,
    /// The calibration's folder, and its posterior.csv's SHA-256.
    pub calibration: String,
    pub posterior_sha256: String,
    pub draws: usize,
    /// How the draws were made: systematic resampling of the weighted particles, seed run.seed.
    pub resampling: String,
    /// The keys each draw sets: runs.csv's columns after `seed`.
    pub keys: Vec<String>,
}

/// The files a run wrote and the outcome columns of its runs.csv and summary.csv, as chosen by
/// `output.outcomes`, `output.summary`, `output.survival`, `output.points`, `output.timeseries`,
/// `output.communities`, `output.territories`, `output.compress` and `output.format`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Outputs {
    /// Every file of the run, manifest.json apart (`runs.csv`, `runs.csv.gz` or
    /// `runs.parquet`, ...).
    pub files: Vec<String>,
    /// `output.format`: `csv` or `parquet`.
    pub format: String,
    /// Whether the CSV files are gzip (concatenated members).
    pub compressed: bool,
    /// `output.outcomes` as written: the outcomes chosen, empty for every outcome.
    pub chosen_outcomes: Vec<String>,
    /// The outcome columns of runs.csv (after point, replicate, seed and the swept keys), in
    /// order: the chosen ones and the `_excess` twins of chosen crisis outcomes.
    pub outcome_columns: Vec<String>,
}

/// Scenario B of a comparison, which ran as design point 1 against A (point 0) on common random
/// numbers; differences.csv is B minus A.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Comparison {
    pub b_scenario_name: String,
    pub b_scenario_file: String,
    /// B as it ran (with A's seed, replicates and output switches).
    pub b_resolved_scenario: String,
    /// The parameters in which B differs from A: runs.csv's columns after `seed`.
    pub differing_keys: Vec<String>,
}

/// What the run simulated and how fast. The counts are those of the whole finished run, the
/// same after `--resume` as for an uninterrupted run: `runs_simulated` is every run of the run,
/// `resident_months` and `community_months` every agent stepped in every month of those runs,
/// burn-in included (a resident agent stands for `agent_scale` inhabitants, and a
/// community-month is a living community's month). The rates are per second of this process's
/// wall-clock time (`elapsed_seconds`) and count only the runs this process simulated, so after
/// `--resume` they are the resuming process's speed.
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

/// What identifies a run for `--resume`: the program version, the digest of the design points
/// (so a design file edited between an interrupted run and its --resume makes another run) and
/// the resolved scenario (seed and replicates included), as in `plan.txt` and, for a finished
/// run, in manifest.json.
pub fn fingerprint(version: &str, design_sha256: &str, resolved_scenario: &str) -> String {
    format!("commsim {version}\ndesign {design_sha256}\n{resolved_scenario}")
}

/// The scenario text a run's fingerprint holds: the resolved scenario, and for a comparison
/// B's after it.
pub fn identity(resolved: &str, compared: Option<&str>) -> String {
    match compared {
        None => resolved.to_string(),
        Some(b) => format!("{resolved}\n# compared with (B)\n{b}"),
    }
}

/// Hex SHA-256 of a text.
pub fn sha256(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
