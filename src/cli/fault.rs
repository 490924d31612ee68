//! Fault injection for the tests of the runner's panic handling: the hidden option
//! `--fail-on-seed SEED` makes the run with that seed panic, as a bug in the model would.

use commsim::experiment::{Model, RecordTable, RunOutput};

pub struct FailOnSeed<M> {
    pub inner: M,
    pub seed: Option<u64>,
}

impl<M: Model> Model for FailOnSeed<M> {
    type Point = M::Point;

    fn outcome_names(&self) -> Vec<String> {
        self.inner.outcome_names()
    }

    fn group_names(&self) -> Vec<String> {
        self.inner.group_names()
    }

    fn series_names(&self) -> Vec<String> {
        self.inner.series_names()
    }

    fn work_names(&self) -> Vec<String> {
        self.inner.work_names()
    }

    fn record_tables(&self) -> Vec<RecordTable> {
        self.inner.record_tables()
    }

    fn run(&self, point: &Self::Point, seed: u64) -> RunOutput {
        if self.seed == Some(seed) {
            panic!("injected fault (--fail-on-seed {seed})");
        }
        self.inner.run(point, seed)
    }
}
