//! Sweeps and calibrations over MPI (cargo feature `mpi`). Only rank 0 touches the output
//! folder; the other ranks compute what it hands out (with rayon inside) and send it back, to
//! whichever rank asks next (dynamic load balancing). Values travel as `u64` words (floats as
//! their bits), so the files are byte-identical to a single-process run for any number of ranks.
//!
//! - A sweep (`commsim run`, [`coordinate`] and [`work`]): rank 0 plans, hands out batches of
//!   runs and writes the runs in run order whatever order they come back in.
//! - A calibration (`commsim calibrate`, [`Farm`] and [`serve`]): rank 0 runs the ABC-SMC loop
//!   and hands out each batch of candidates in chunks; a worker builds each candidate's
//!   configuration from its own copy of the scenario, runs its replicates and returns its
//!   distance, which rank 0 places by the candidate's position in the batch.

use anyhow::{anyhow, bail, Result};
use commsim::experiment::abc::Candidate;
use commsim::experiment::{run_batch, wire, Model, RunId, RunOutput, Seeding};
use mpi::environment::Universe;
use mpi::topology::SimpleCommunicator;
use mpi::traits::*;
use std::collections::{BTreeMap, VecDeque};

/// Worker -> rank 0: ready for work (first message), a finished batch, a panicked run.
const READY: i32 = 1;
const RESULT: i32 = 2;
const FAILED: i32 = 3;
/// Rank 0 -> worker: a batch `[start, end)`, or stop.
const WORK: i32 = 4;
const STOP: i32 = 5;

/// MPI, initialised, when this process is one rank of several (under `mpirun -np N`, N > 1):
/// the universe, which finalises MPI when dropped. `None` for a single process.
pub fn several_ranks() -> Result<Option<Universe>> {
    let (universe, _) = mpi::initialize_with_threading(mpi::Threading::Funneled)
        .ok_or_else(|| anyhow!("MPI could not be initialised"))?;
    Ok((universe.world().size() > 1).then_some(universe))
}

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
                let message = text_of(words.get(3..).unwrap_or_default());
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
    Farm::new(world).stop();
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
                words.extend(words_of(&p.message));
                root.send_with_tag(&words[..], FAILED);
            }
        }
    }
}

/// Rank 0 of a calibration: hands out the candidates of each batch to the workers and collects
/// their distances. Every worker is, at any moment, either waiting for rank 0's answer (idle)
/// or owing it a message (its first READY, or the result of the chunk it works on); [`Farm::stop`]
/// answers every one of them with STOP, so that the workers end whatever stopped rank 0.
pub struct Farm<'a> {
    world: &'a SimpleCommunicator,
    /// Workers waiting for an answer, in the order they asked.
    idle: VecDeque<usize>,
    /// Per rank: its threads (from its READY) and the chunk of the batch it works on, as
    /// (first candidate, count).
    threads: Vec<u64>,
    busy: Vec<Option<(usize, usize)>>,
}

impl<'a> Farm<'a> {
    /// Before any worker has said it is ready.
    pub fn new(world: &'a SimpleCommunicator) -> Farm<'a> {
        let size = world.size() as usize;
        Farm {
            world,
            idle: VecDeque::new(),
            threads: vec![1; size],
            busy: vec![None; size],
        }
    }

    fn workers(&self) -> usize {
        self.busy.len() - 1
    }

    /// The distances of `candidates` (each run `replicates` times on a worker), in their
    /// order whatever order they come back in; `progress` gets the candidates and runs of each
    /// chunk that comes back. An error (a worker that failed, a malformed message) leaves the
    /// other workers' chunks unanswered for [`Farm::stop`].
    pub fn evaluate(
        &mut self,
        candidates: &[Candidate],
        replicates: u64,
        mut progress: impl FnMut(u64, u64),
    ) -> Result<Vec<f64>> {
        let n = candidates.len();
        let mut distances = vec![f64::NAN; n];
        let (mut next, mut filled) = (0, 0);
        while filled < n {
            while next < n {
                let Some(rank) = self.idle.pop_front() else {
                    break;
                };
                let count = self.chunk(rank, n - next, replicates);
                let words = encode_candidates(next, &candidates[next..next + count]);
                self.world
                    .process_at_rank(rank as i32)
                    .send_with_tag(&words[..], WORK);
                self.busy[rank] = Some((next, count));
                next += count;
            }
            let (words, status) = receive(&self.world.any_process());
            let rank = status.source_rank() as usize;
            let job = self.busy[rank].take();
            self.idle.push_back(rank);
            match status.tag() {
                READY => self.threads[rank] = words.first().copied().unwrap_or(1).max(1),
                RESULT => {
                    let (first, count) = job.ok_or_else(|| {
                        anyhow!("rank {rank} sent distances it was not asked for")
                    })?;
                    let (runs, values) = decode_distances(&words, first, count)
                        .ok_or_else(|| anyhow!("rank {rank} sent malformed distances"))?;
                    distances[first..first + count].copy_from_slice(&values);
                    filled += count;
                    progress(count as u64, runs);
                }
                FAILED => bail!("rank {rank}: {}", text_of(&words)),
                tag => bail!("rank {rank} sent a message of unknown kind {tag}"),
            }
        }
        Ok(distances)
    }

    /// Candidates for `rank` out of `left`: enough for about two runs per thread of the rank,
    /// at most an equal share of what is left among the workers, at least one.
    fn chunk(&self, rank: usize, left: usize, replicates: u64) -> usize {
        let per_rank = (2 * self.threads[rank]).div_ceil(replicates.max(1)) as usize;
        per_rank
            .min(left.div_ceil(self.workers().max(1)))
            .clamp(1, left)
    }

    /// Tells every worker to stop: at once those waiting, the others when their message comes
    /// (a chunk's distances are then dropped).
    pub fn stop(mut self) {
        let owed = self.workers() - self.idle.len();
        for rank in self.idle.drain(..) {
            self.world
                .process_at_rank(rank as i32)
                .send_with_tag(&[0u64][..], STOP);
        }
        for _ in 0..owed {
            let (_, status) = receive(&self.world.any_process());
            self.world
                .process_at_rank(status.source_rank())
                .send_with_tag(&[0u64][..], STOP);
        }
    }
}

/// A worker rank of a calibration, with `threads` threads: says it is ready, then turns each
/// chunk of candidates rank 0 hands out into their distances with `evaluate` (which returns
/// them in order, and the runs it simulated) until told to stop. A panic in `evaluate` is sent
/// to rank 0, which fails the calibration.
pub fn serve(
    world: &SimpleCommunicator,
    threads: usize,
    evaluate: impl Fn(&[Candidate]) -> (Vec<f64>, u64),
) {
    let root = world.process_at_rank(0);
    root.send_with_tag(&[threads as u64][..], READY);
    loop {
        let (words, status) = receive(&root);
        if status.tag() != WORK {
            return;
        }
        let answer = match decode_candidates(&words) {
            None => Err("a malformed chunk of candidates".to_string()),
            Some((first, candidates)) => {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| evaluate(&candidates)))
                    .map_err(|p| {
                        let what = p
                            .downcast_ref::<&str>()
                            .map(|s| s.to_string())
                            .or_else(|| p.downcast_ref::<String>().cloned())
                            .unwrap_or_default();
                        format!(
                            "a simulation of candidates {first}..{} of the batch panicked: {what}",
                            first + candidates.len() as u64
                        )
                    })
                    .and_then(|(distances, runs)| {
                        if distances.len() == candidates.len() {
                            Ok(encode_distances(first, runs, &distances))
                        } else {
                            Err("the evaluator lost candidates".to_string())
                        }
                    })
            }
        };
        match answer {
            Ok(words) => root.send_with_tag(&words[..], RESULT),
            Err(why) => root.send_with_tag(&words_of(&why)[..], FAILED),
        }
    }
}

/// A worker rank of a calibration that cannot work (`why`: its scenario does not load): says it
/// is ready, answers any work with `why` (rank 0 then fails with it) and ends when told to stop.
/// Where rank 0 fails the same way, it only ever says stop.
pub fn refuse(world: &SimpleCommunicator, why: &str) {
    let root = world.process_at_rank(0);
    root.send_with_tag(&[1u64][..], READY);
    loop {
        let (_, status) = receive(&root);
        if status.tag() != WORK {
            return;
        }
        root.send_with_tag(&words_of(&format!("cannot work: {why}"))[..], FAILED);
    }
}

/// `[first, count, dimension, then per candidate its seed and theta's bits]`.
fn encode_candidates(first: usize, candidates: &[Candidate]) -> Vec<u64> {
    let dimension = candidates.first().map_or(0, |c| c.theta.len());
    let mut words = vec![first as u64, candidates.len() as u64, dimension as u64];
    for c in candidates {
        debug_assert_eq!(c.theta.len(), dimension);
        words.push(c.seed);
        words.extend(c.theta.iter().map(|x| x.to_bits()));
    }
    words
}

/// The chunk's first position in its batch and its candidates (numbered from that position).
fn decode_candidates(words: &[u64]) -> Option<(u64, Vec<Candidate>)> {
    let (first, count, dimension) = (*words.first()?, *words.get(1)?, *words.get(2)?);
    let (count, dimension) = (
        usize::try_from(count).ok()?,
        usize::try_from(dimension).ok()?,
    );
    let rest = &words[3..];
    if rest.len() != count.checked_mul(dimension.checked_add(1)?)? {
        return None;
    }
    let candidates = rest
        .chunks_exact(dimension + 1)
        .zip(first..)
        .map(|(c, index)| Candidate {
            seed: c[0],
            theta: c[1..].iter().map(|&b| f64::from_bits(b)).collect(),
            index,
        })
        .collect();
    Some((first, candidates))
}

/// `[first, count, runs, then each distance's bits]`.
fn encode_distances(first: u64, runs: u64, distances: &[f64]) -> Vec<u64> {
    let mut words = vec![first, distances.len() as u64, runs];
    words.extend(distances.iter().map(|x| x.to_bits()));
    words
}

/// The runs and distances of the chunk `(first, count)` rank 0 handed out.
fn decode_distances(words: &[u64], first: usize, count: usize) -> Option<(u64, Vec<f64>)> {
    let ok = words.len() == 3 + count && words[0] == first as u64 && words[1] == count as u64;
    ok.then(|| {
        let distances = words[3..].iter().map(|&b| f64::from_bits(b)).collect();
        (words[2], distances)
    })
}

/// A message as words, a byte each.
fn words_of(text: &str) -> Vec<u64> {
    text.bytes().map(u64::from).collect()
}

/// The text of [`words_of`] (bytes out of range are dropped).
fn text_of(words: &[u64]) -> String {
    let bytes: Vec<u8> = words.iter().filter_map(|&w| u8::try_from(w).ok()).collect();
    String::from_utf8_lossy(&bytes).into_owned()
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
