//! Sweeps over MPI (cargo feature `mpi`): rank 0 plans, writes every file and hands out batches
//! of runs; every other rank runs the batches it is given (with rayon inside) and sends the
//! outputs back. Batches go to whichever rank asks next (dynamic load balancing), and rank 0
//! writes runs in run order whatever order they come back in, so the files are byte-identical
//! to a single-process run for any number of ranks. Only rank 0 touches the output folder.

use anyhow::{anyhow, bail, Result};
use commsim::experiment::{run_batch, wire, Model, RunId, RunOutput, Seeding};
use mpi::topology::SimpleCommunicator;
use mpi::traits::*;
use std::collections::BTreeMap;

/// Worker -> rank 0: ready for work (first message), a finished batch, a panicked run.
const READY: i32 = 1;
const RESULT: i32 = 2;
const FAILED: i32 = 3;
/// Rank 0 -> worker: a batch `[start, end)`, or stop.
const WORK: i32 = 4;
const STOP: i32 = 5;

/// Rank 0: hands out `first_run..total` in batches of `batch` runs, passes the outputs to `sink`
/// in run order, and stops every worker, also after an error (which it then returns).
#[allow(clippy::too_many_arguments)]
pub fn coordinate(
    world: &SimpleCommunicator,
    first_run: u64,
    total: u64,
    batch: u64,
    replicates: u64,
    seeding: Seeding,
    mut sink: impl FnMut(RunId, RunOutput) -> Result<()>,
    progress: impl Fn(u64),
) -> Result<()> {
    let mut next = first_run;
    let mut expected = first_run;
    let mut pending: BTreeMap<u64, Vec<RunOutput>> = BTreeMap::new();
    let mut active = world.size() - 1;
    let mut failure: Option<anyhow::Error> = None;
    while active > 0 {
        let (words, status) = receive(&world.any_process());
        let from = world.process_at_rank(status.source_rank());
        match status.tag() {
            RESULT if failure.is_none() => match decode_batch(&words) {
                Some((start, outputs)) => {
                    pending.insert(start, outputs);
                    while let Some(outputs) = pending.remove(&expected) {
                        let n = outputs.len() as u64;
                        for (k, out) in (expected..).zip(outputs) {
                            let id = run_id(k, replicates, seeding);
                            if let Err(e) = sink(id, out) {
                                failure = Some(e);
                                break;
                            }
                        }
                        expected += n;
                        progress(n);
                        if failure.is_some() {
                            break;
                        }
                    }
                }
                None => {
                    failure = Some(anyhow!(
                        "rank {} sent a malformed batch",
                        status.source_rank()
                    ))
                }
            },
            FAILED if failure.is_none() => {
                let message: String = words[3..].iter().map(|&b| b as u8 as char).collect();
                failure = Some(anyhow!(
                    "run of point {}, replicate {}, seed {} panicked on rank {}: {message}",
                    words[0],
                    words[1],
                    words[2],
                    status.source_rank()
                ));
            }
            _ => {}
        }
        if failure.is_none() && next < total {
            let end = (next + batch).min(total);
            from.send_with_tag(&[next, end][..], WORK);
            next = end;
        } else {
            from.send_with_tag(&[0u64][..], STOP);
            active -= 1;
        }
    }
    match failure {
        Some(e) => Err(e),
        None if expected < total => bail!("runs {expected}..{total} never came back"),
        None => Ok(()),
    }
}

/// Rank 0, when it stops before coordinating (bad input, a refused output folder): tells every
/// worker to stop.
pub fn dismiss(world: &SimpleCommunicator) {
    for _ in 1..world.size() {
        let (_, status) = receive(&world.any_process());
        world
            .process_at_rank(status.source_rank())
            .send_with_tag(&[0u64][..], STOP);
    }
}

/// A worker rank that cannot work (its scenario does not load): reports ready and waits for the
/// stop that rank 0, failing the same way, sends.
pub fn idle(world: &SimpleCommunicator) {
    let root = world.process_at_rank(0);
    root.send_with_tag(&[0u64][..], READY);
    let _ = receive(&root);
}

/// A worker rank: asks for batches and runs them until told to stop.
pub fn work<M: Model>(
    world: &SimpleCommunicator,
    pool: &rayon::ThreadPool,
    model: &M,
    prepare: &(impl Fn(usize) -> M::Point + Sync),
    replicates: u64,
    seeding: Seeding,
) {
    let root = world.process_at_rank(0);
    root.send_with_tag(&[0u64][..], READY);
    loop {
        let (words, status) = receive(&root);
        if status.tag() != WORK {
            return;
        }
        let (start, end) = (words[0], words[1]);
        let results = pool.install(|| run_batch(model, prepare, replicates, seeding, start, end));
        let mut message = vec![start, end - start];
        let mut panicked = None;
        for (_, out) in results {
            match out {
                Ok(out) => wire::encode(&out, &mut message),
                Err(p) => {
                    panicked = Some(p);
                    break;
                }
            }
        }
        match panicked {
            None => root.send_with_tag(&message[..], RESULT),
            Some(p) => {
                let mut words = vec![p.id.point as u64, p.id.replicate, p.id.seed];
                words.extend(p.message.bytes().map(u64::from));
                root.send_with_tag(&words[..], FAILED);
            }
        }
    }
}

/// A blocking receive that sleeps while it waits: MPI's own blocking receive polls and would keep
/// a core busy that the rank's rayon threads (or another rank's) need.
fn receive<S: Source>(source: &S) -> (Vec<u64>, mpi::point_to_point::Status) {
    while source.immediate_probe().is_none() {
        std::thread::sleep(std::time::Duration::from_micros(200));
    }
    source.receive_vec::<u64>()
}

fn decode_batch(words: &[u64]) -> Option<(u64, Vec<RunOutput>)> {
    let (start, n) = (*words.first()?, *words.get(1)?);
    let mut rest = &words[2..];
    let outputs = (0..n)
        .map(|_| wire::decode(&mut rest))
        .collect::<Option<Vec<_>>>()?;
    rest.is_empty().then_some((start, outputs))
}

fn run_id(k: u64, replicates: u64, seeding: Seeding) -> RunId {
    let (point, replicate) = (k / replicates, k % replicates);
    RunId {
        point: point as usize,
        replicate,
        seed: seeding.seed(point, replicate),
    }
}
