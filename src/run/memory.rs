//! A plan's runs into memory: the texts of the CSV files `commsim run` would write.

use super::RunError;
use crate::output::{MemoryWriter, Tables};
use crate::plan::Plan;

/// Runs every design point and replicate of `plan` on the current rayon pool (all cores unless
/// the caller installed another) and returns the texts of the files `commsim run` writes for it,
/// byte for byte (uncompressed). `stop` is asked after each run whether to stop (an interrupt):
/// then nothing is returned but [`RunError::Stopped`].
pub fn run_in_memory(plan: &Plan, stop: impl FnMut() -> bool) -> Result<Tables, RunError> {
    let mut writer = MemoryWriter::new(super::files(plan).columns)?;
    super::runs::run_plan(plan, &mut writer, stop)?;
    Ok(writer.finish()?)
}
