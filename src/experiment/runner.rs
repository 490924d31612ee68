//! The parallel runner. Runs are processed in chunks: each chunk runs in parallel with rayon,
//! is collected in run order, and handed to the sink before the next chunk starts. Output
//! order, and so every output byte, is independent of the thread count; memory is bounded by
//! one chunk (32 runs per thread: large enough that the barrier at its end costs little, small
//! enough that its outputs take a few megabytes). A panicking run is reported with its point,
//! replicate and seed.

use super::{derive_seed, Model, RunOutput};
use rayon::prelude::*;

/// Identity of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunId {
    pub point: usize,
    pub replicate: u64,
    pub seed: u64,
}

/// A run that panicked (a bug): enough to reproduce it alone.
#[derive(Debug, thiserror::Error)]
#[error("run of point {}, replicate {}, seed {} panicked: {message}", id.point, id.replicate, id.seed)]
pub struct RunPanic {
    pub id: RunId,
    pub message: String,
}

/// Runs `replicates` replicates of points `first_run / replicates ..` of `n_points`, starting at
/// run number `first_run` (runs are numbered point * replicates + replicate), calling `sink` in
/// run order. `prepare(i)` builds point `i`; only the points of the current chunk are held.
/// `progress` is told how many runs finished after each chunk.
#[allow(clippy::too_many_arguments)]
pub fn run_all<M, E>(
    model: &M,
    n_points: usize,
    prepare: impl Fn(usize) -> M::Point + Sync,
    replicates: u64,
    first_run: u64,
    master_seed: u64,
    mut sink: impl FnMut(RunId, RunOutput) -> Result<(), E>,
    progress: impl Fn(u64),
) -> Result<(), E>
where
    M: Model,
    E: From<RunPanic>,
{
    let total = n_points as u64 * replicates;
    let chunk = (rayon::current_num_threads() as u64 * 32).max(32);
    let mut next = first_run.min(total);
    while next < total {
        let end = (next + chunk).min(total);
        for (id, out) in run_batch(model, &prepare, replicates, master_seed, next, end) {
            sink(id, out?)?;
        }
        progress(end - next);
        next = end;
    }
    Ok(())
}

/// Runs `start..end` (run numbers, as in [`run_all`]) in parallel and returns them in run order,
/// each with its identity; a panicking run becomes a [`RunPanic`]. The unit of work of the
/// runner and of an MPI worker.
pub fn run_batch<M: Model>(
    model: &M,
    prepare: &(impl Fn(usize) -> M::Point + Sync),
    replicates: u64,
    master_seed: u64,
    start: u64,
    end: u64,
) -> Vec<(RunId, Result<RunOutput, RunPanic>)> {
    if start >= end {
        return Vec::new();
    }
    let first_point = (start / replicates) as usize;
    let last_point = ((end - 1) / replicates) as usize;
    let points: Vec<M::Point> = (first_point..=last_point)
        .into_par_iter()
        .map(prepare)
        .collect();
    (start..end)
        .into_par_iter()
        .map(|k| {
            let point = (k / replicates) as usize;
            let replicate = k % replicates;
            let id = RunId {
                point,
                replicate,
                seed: derive_seed(master_seed, point as u64, replicate),
            };
            let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                model.run(&points[point - first_point], id.seed)
            }))
            .map_err(|payload| {
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".into());
                RunPanic { id, message }
            });
            (id, out)
        })
        .collect()
}
