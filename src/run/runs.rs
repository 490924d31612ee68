//! Every run of a plan, in run order, into whatever writer takes them: an output folder's or
//! one in memory.

use super::RunError;
use crate::experiment::run_all;
use crate::model::CommunityModel;
use crate::output::PushRun;
use crate::plan::Plan;

/// Runs every design point and replicate of `plan` on the current rayon pool and pushes each
/// run into `writer` in (point, replicate) order. `stop` is asked after each run whether to
/// stop (an interrupt): then [`RunError::Stopped`].
pub fn run_plan(
    plan: &Plan,
    writer: &mut impl PushRun,
    mut stop: impl FnMut() -> bool,
) -> Result<(), RunError> {
    run_all(
        &CommunityModel,
        plan.points.len(),
        |i| plan.config(i),
        plan.replicates,
        0,
        plan.seeding(),
        |id, output| -> Result<(), RunError> {
            writer.push_run(
                id,
                &plan.points[id.point],
                || plan.point_parameters(id.point),
                output,
            )?;
            match stop() {
                true => Err(RunError::Stopped),
                false => Ok(()),
            }
        },
        |_| {},
    )
}
