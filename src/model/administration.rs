//! The administration (B1, S2) and stances toward it (X1-X3, A6). Heads change as a Poisson
//! process; a change redraws openness and may reset stances to neutrality. A stance is a
//! three-state Markov chain whose rates depend on openness, inclusion and the leader's
//! orientation (Najam 2000).

use super::config::Config;
use super::network::{KIND_ADMINISTRATION, KIND_OUTSIDE};
use super::shocks::Pressure;
use super::state::{Territory, CONFRONTATION, INTEGRATION, NEUTRALITY};
use super::util::{beta_mean, chance, per_month};

/// Concentration of the Beta distribution of a new head's openness.
pub const OPENNESS_CONCENTRATION: f64 = 4.0;
/// Factor on the strength of a community's ties to the administration and to outside
/// organisations when the head changes (B1: linking ties to the old head and its partners decay;
/// ties that fall below `network::EDGE_FLOOR` are dropped).
pub const HEAD_CHANGE_RETENTION: f64 = 0.5;
/// Factor on the move to integration of a community whose leader looks outward (S3).
pub const EXTERNAL_ORIENTATION: f64 = 1.3;
/// Rise of the move to integration per unit of crisis intensity x openness x partnership (A6).
pub const CRISIS_PULL: f64 = 2.0;
/// Rise of the move to integration of communities without business skills (B2: fixation on the
/// administration).
pub const FIXATION: f64 = 0.5;
/// Grievance a territory-wide community adds (C8: advocacy for the whole territory).
pub const WIDE_GRIEVANCE: f64 = 0.5;
/// Factor on the move to confrontation per unit of closedness (1 - openness).
pub const CONFRONTATION_PULL: f64 = 2.0;
/// Openness at which an integrated community's move back to neutrality is `r_dist` x 1: it falls
/// as openness rises.
pub const INTEGRATION_EXIT: f64 = 1.5;
/// Reconciliation of a confronting community at openness 0, relative to `r_rec`.
pub const RECONCILE_BASE: f64 = 0.5;

pub fn step(territory: &mut Territory, config: &Config, pressure: &Pressure) {
    let admin = &mut territory.administration;
    admin.tenure += 1;
    if chance(
        &mut territory.rng,
        per_month(config.administration.head_turnover),
    ) {
        admin.openness = beta_mean(
            &mut territory.rng,
            config.administration.openness,
            OPENNESS_CONCENTRATION,
        );
        admin.tenure = 0;
        territory.admin_changes += 1;
        for c in territory.communities.iter_mut().filter(|c| c.alive) {
            if chance(&mut territory.rng, config.administration.stance_reset) {
                c.stance = NEUTRALITY;
            }
            // Linking ties to the old head and its partners decay.
            c.ties.weaken(KIND_OUTSIDE, HEAD_CHANGE_RETENTION);
            c.ties.weaken(KIND_ADMINISTRATION, HEAD_CHANGE_RETENTION);
        }
    }
    let openness = territory.administration.openness;
    let [to_integration, to_neutral, to_confrontation, reconcile] = config.stance_rates;
    for c in territory.communities.iter_mut().filter(|c| c.alive) {
        let orientation = if c.external_leader {
            EXTERNAL_ORIENTATION
        } else {
            1.0
        };
        // A6: in a crisis an open administration needs partners.
        let crisis_pull =
            1.0 + config.crisis.partnership * pressure.intensity * openness * CRISIS_PULL;
        // B2: communities without business skills fix on the administration.
        let fixation = 1.0 + FIXATION * (1.0 - config.community.business_skills);
        let grievance = 1.0
            + c.shortfall
            + if c.territory_wide {
                WIDE_GRIEVANCE
            } else {
                0.0
            };
        let p = match c.stance {
            NEUTRALITY => {
                let up = to_integration
                    * (openness + config.administration.inclusion)
                    * orientation
                    * crisis_pull
                    * fixation
                    / 2.0; // the mean of openness and inclusion

                let down = to_confrontation * CONFRONTATION_PULL * (1.0 - openness) * grievance;
                let u: f64 = rand::Rng::random(&mut territory.rng);
                if u < up {
                    c.stance = INTEGRATION;
                } else if u < up + down {
                    c.stance = CONFRONTATION;
                }
                continue;
            }
            INTEGRATION => to_neutral * (INTEGRATION_EXIT - openness),
            _ => reconcile * (RECONCILE_BASE + openness),
        };
        if chance(&mut territory.rng, p) {
            c.stance = NEUTRALITY;
        }
    }
}
