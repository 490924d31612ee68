//! A scenario run as `commsim run` runs it, for the command line and the Python package alike:
//! reading it with its `--set` overrides (`load`), the columns, layout and manifest of its files
//! (`setup`), and its runs, in run order (`runs`), into memory (`memory`) or into an output
//! folder (`folder`). The command line adds what only it has: resuming, progress, signals and MPI.

mod folder;
mod load;
mod memory;
mod runs;
mod setup;

pub use folder::{out_problem, run_to_folder, OUT_ALLOWED};
pub use load::{load, plan, Source};
pub use memory::run_in_memory;
pub use runs::run_plan;
pub use setup::{files, manifest, Files, Timing};

use crate::error::InputError;
use crate::experiment::runner::RunPanic;
use crate::output::OutputError;

/// Why a run did not finish.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error(transparent)]
    Panic(#[from] RunPanic),
    /// The caller's `stop` asked to stop (an interrupt).
    #[error("stopped before the run finished")]
    Stopped,
}

impl RunError {
    /// Whether the error is bad input (the command line's exit status 2).
    pub fn is_input(&self) -> bool {
        match self {
            RunError::Input(_) => true,
            RunError::Output(e) => e.is_input(),
            RunError::Panic(_) | RunError::Stopped => false,
        }
    }
}
