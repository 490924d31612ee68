//! A plan's runs into an output folder, as `commsim run --out DIR` writes it.

use super::{RunError, Timing};
use crate::output::{OutputWriter, Tables};
use crate::plan::Plan;
use std::path::Path;
use std::time::SystemTime;

/// What an output folder may be, for the message that refuses another.
pub const OUT_ALLOWED: &str = "a folder, new or holding commsim results";

/// Why `dir` cannot be an output folder, found before anything is created: it is a file, a link
/// that leads nowhere (dangling, or a loop), or a path below a file; `None` if it can.
pub fn out_problem(dir: &Path) -> Option<String> {
    if std::fs::symlink_metadata(dir).is_ok() {
        return match std::fs::metadata(dir) {
            Ok(m) if m.is_dir() => None,
            Ok(_) => Some("it is a file".into()),
            Err(_) => Some("it is a link that leads to no folder".into()),
        };
    }
    // A new folder: its nearest existing ancestor must be a folder.
    for ancestor in dir.ancestors().skip(1) {
        if ancestor.as_os_str().is_empty() {
            break;
        }
        if let Ok(m) = std::fs::metadata(ancestor) {
            if !m.is_dir() {
                return Some(format!("{} is a file, not a folder", ancestor.display()));
            }
            break;
        }
    }
    None
}

/// Runs `plan` on the current rayon pool into the output folder `dir`, as `commsim run --out DIR`
/// (with `force`, `--force`) does: the same files and manifest, which names `scenario_file`.
/// Returns the tables read back from the files. `now` is the caller's clock, for the manifest's
/// times. `stop` is asked after each run whether to stop (an interrupt): the finished design
/// points then wait in `DIR/.commsim-partial` for `commsim run --resume`.
pub fn run_to_folder(
    plan: &Plan,
    dir: &Path,
    force: bool,
    scenario_file: &str,
    now: impl Fn() -> SystemTime,
    stop: impl FnMut() -> bool,
) -> Result<Tables, RunError> {
    let files = super::files(plan);
    let written = files.outputs.files.clone();
    let mut writer = OutputWriter::create(dir, files.columns, files.layout, force)?;
    let start = now();
    super::runs::run_plan(plan, &mut writer, stop)?;
    let end = now();
    let timing = Timing {
        start,
        end,
        elapsed_seconds: end
            .duration_since(start)
            .map_or(0.0, |d| d.as_secs_f64())
            .max(1e-9),
        threads: rayon::current_num_threads(),
    };
    let manifest = super::manifest(
        plan,
        scenario_file,
        files.outputs,
        &writer.total,
        &writer.simulated,
        timing,
    );
    let dir = writer.finish(&manifest)?;
    Ok(Tables::read(&dir, &written)?)
}
