//! The parallel runner. Runs are processed in chunks: each chunk runs in parallel with rayon,
//! is collected in run order, and handed to the sink before the next chunk starts. Output
//! order, and so every output byte, is independent of the thread count; memory is bounded by
//! one chunk (32 runs per thread: large enough that the barrier at its end costs little, small
//! enough that its outputs take a few megabytes). A panicking run is reported with its point,
//! replicate and seed.

use crate::{Model, RunOutput, Seeding};
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
/// `progress(1)` is called as each run finishes, on the worker thread that ran it (in no
/// particular order, so it only counts); the sink still gets the runs in order.
#[allow(clippy::too_many_arguments)]
pub fn run_all<M, E>(
    model: &M,
    n_points: usize,
    prepare: impl Fn(usize) -> M::Point + Sync,
    replicates: u64,
    first_run: u64,
    seeding: Seeding,
    mut sink: impl FnMut(RunId, RunOutput) -> Result<(), E>,
    progress: impl Fn(u64) + Sync,
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
        let done = || progress(1);
        for (id, out) in run_counted(model, &prepare, replicates, seeding, next, end, &done) {
            sink(id, out?)?;
        }
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
    seeding: Seeding,
    start: u64,
    end: u64,
) -> Vec<(RunId, Result<RunOutput, RunPanic>)> {
    run_counted(model, prepare, replicates, seeding, start, end, &|| {})
}

/// [`run_batch`], calling `done` as each run finishes.
fn run_counted<M: Model>(
    model: &M,
    prepare: &(impl Fn(usize) -> M::Point + Sync),
    replicates: u64,
    seeding: Seeding,
    start: u64,
    end: u64,
    done: &(dyn Fn() + Sync),
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
                seed: seeding.seed(point as u64, replicate),
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
            done();
            (id, out)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SurvivalCounts;
    use std::sync::atomic::{AtomicU64, Ordering};

    /// A model whose outcome is its seed.
    struct Echo;

    impl Model for Echo {
        type Point = ();
        fn outcome_names(&self) -> Vec<String> {
            vec!["seed".into()]
        }
        fn group_names(&self) -> Vec<String> {
            Vec::new()
        }
        fn series_names(&self) -> Vec<String> {
            Vec::new()
        }
        fn work_names(&self) -> Vec<String> {
            vec!["runs".into()]
        }
        fn run(&self, _: &(), seed: u64) -> RunOutput {
            RunOutput {
                outcomes: vec![Some(seed as f64)],
                survival: SurvivalCounts::new(0, 0),
                series: Vec::new(),
                work: vec![1],
                records: Vec::new(),
            }
        }
    }

    #[test]
    fn progress_counts_every_run_before_the_sink_sees_its_chunk() {
        let counted = AtomicU64::new(0);
        let mut seen = Vec::new();
        let total = 3 * 50;
        run_all(
            &Echo,
            3,
            |_| (),
            50,
            10,
            Seeding::independent(7),
            |id, _| -> Result<(), RunPanic> {
                // Every run of a chunk is counted before the chunk reaches the sink.
                assert!(counted.load(Ordering::SeqCst) > seen.len() as u64);
                seen.push(id.point as u64 * 50 + id.replicate);
                Ok(())
            },
            |n| {
                counted.fetch_add(n, Ordering::SeqCst);
            },
        )
        .unwrap();
        assert_eq!(counted.into_inner(), total - 10);
        assert_eq!(seen, (10..total).collect::<Vec<_>>());
    }
}
