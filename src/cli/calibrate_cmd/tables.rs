//! generations.csv and posterior.csv, and how numbers and stops are written.

use commsim::calibrate;
use commsim::experiment::abc::{Generation, Stop};

/// A number in a CSV cell: the shortest decimal that reads back to the same `f64`.
fn cell(x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else {
        x.to_string()
    }
}

/// `generations.csv`: per generation its tolerance, acceptances, draws, simulations (of
/// `replicates` runs each), acceptance rate, effective sample size, and each key's weighted
/// mean and sd.
pub fn generations_csv(all: &[Generation], names: &[String], replicates: u64) -> String {
    let mut out =
        String::from("generation,tolerance,accepted,draws,simulations,runs,acceptance_rate,ess");
    for n in names {
        out.push_str(&format!(",{n}_mean,{n}_sd"));
    }
    out.push('\n');
    for g in all {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{}",
            g.index,
            cell(g.tolerance),
            g.accepted,
            g.draws,
            g.simulations,
            g.simulations * replicates,
            cell(g.acceptance_rate()),
            cell(g.ess)
        ));
        for (m, s) in g.mean().iter().zip(g.sd()) {
            out.push_str(&format!(",{},{}", cell(*m), cell(s)));
        }
        out.push('\n');
    }
    out
}

/// `posterior.csv`: one row per particle of the last generation, its keys, weight and distance.
pub fn posterior_csv(last: &Generation, names: &[String]) -> String {
    let mut out = String::from("particle");
    for n in names {
        out.push_str(&format!(",{n}"));
    }
    out.push_str(",weight,distance\n");
    for (i, p) in last.particles.iter().enumerate() {
        out.push_str(&i.to_string());
        for x in &p.theta {
            out.push_str(&format!(",{}", cell(*x)));
        }
        out.push_str(&format!(",{},{}\n", cell(p.weight), cell(p.distance)));
    }
    out
}

pub(super) fn stop_text(stop: &Stop) -> String {
    match stop {
        Stop::Generations => "the most generations (calibrate.generations)".into(),
        Stop::FinalTolerance => "the final tolerance (calibrate.final_tolerance)".into(),
        Stop::MinAcceptance => "the acceptance rate fell below calibrate.min_acceptance".into(),
        Stop::DrawBudget {
            generation,
            draws,
            accepted,
        } => format!(
            "generation {generation} accepted only {accepted} particles in {draws} draws, the budget ({} per particle); the posterior is generation {}",
            calibrate::DRAWS_PER_PARTICLE,
            generation - 1
        ),
    }
}

pub(super) fn short(x: f64) -> String {
    format!("{x:.4}")
}
