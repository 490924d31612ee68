//! One generation of ABC-SMC as a CSV table, so that a calibration can be resumed from the last
//! generation saved: one row per particle, columns `generation,particle,tolerance,draws,
//! simulations,weight,distance` and then one per parameter, named by the caller. The
//! generation's tolerance and counts repeat on every row, so one file is the whole generation.
//! Numbers are written with Rust's `Display`, which prints the shortest decimal that parses
//! back to the same `f64`: a generation read back is bit for bit the one written, and the
//! generations run from it are those a run without the break would have made.

use super::population::effective_sample_size;
use super::{AbcError, Generation, Particle};
use std::io::{Read, Write};

/// The columns before the parameters'.
pub const FIXED_COLUMNS: [&str; 7] = [
    "generation",
    "particle",
    "tolerance",
    "draws",
    "simulations",
    "weight",
    "distance",
];

fn header(names: &[impl AsRef<str>]) -> Vec<String> {
    FIXED_COLUMNS
        .iter()
        .map(|c| c.to_string())
        .chain(names.iter().map(|n| n.as_ref().to_string()))
        .collect()
}

/// Writes `generation` as CSV, the parameters' columns named `names` (one per parameter).
pub fn write_generation(
    out: impl Write,
    generation: &Generation,
    names: &[impl AsRef<str>],
) -> Result<(), AbcError> {
    let table = |why: String| AbcError::Table(why);
    if let Some(p) = generation
        .particles
        .iter()
        .find(|p| p.theta.len() != names.len())
    {
        return Err(table(format!(
            "a particle has {} parameters for {} names",
            p.theta.len(),
            names.len()
        )));
    }
    if let Some(name) = names
        .iter()
        .map(AsRef::as_ref)
        .find(|n| FIXED_COLUMNS.contains(n))
    {
        return Err(table(format!(
            "parameter name {name:?} is one of the fixed columns"
        )));
    }
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(header(names))?;
    for (i, p) in generation.particles.iter().enumerate() {
        let mut row = vec![
            generation.index.to_string(),
            i.to_string(),
            generation.tolerance.to_string(),
            generation.draws.to_string(),
            generation.simulations.to_string(),
            p.weight.to_string(),
            p.distance.to_string(),
        ];
        row.extend(p.theta.iter().map(f64::to_string));
        writer.write_record(&row)?;
    }
    writer.flush().map_err(csv::Error::from)?;
    Ok(())
}

/// Reads a generation written by [`write_generation`] with the same parameter `names`; its
/// effective sample size is recomputed from the weights, as the step computes it.
pub fn read_generation(
    input: impl Read,
    names: &[impl AsRef<str>],
) -> Result<Generation, AbcError> {
    let table = |why: String| AbcError::Table(why);
    let mut reader = csv::Reader::from_reader(input);
    let expected = header(names);
    let found: Vec<String> = reader.headers()?.iter().map(str::to_string).collect();
    if found != expected {
        return Err(table(format!(
            "columns {} where {} were expected",
            found.join(","),
            expected.join(",")
        )));
    }
    let mut generation: Option<Generation> = None;
    for (row, record) in reader.records().enumerate() {
        let record = record?;
        let field = |c: usize| &record[c];
        let number = |c: usize| -> Result<f64, AbcError> {
            field(c)
                .parse::<f64>()
                .map_err(|e| table(format!("row {row}, column {}: {e}", expected[c])))
        };
        let whole = |c: usize| -> Result<u64, AbcError> {
            field(c)
                .parse::<u64>()
                .map_err(|e| table(format!("row {row}, column {}: {e}", expected[c])))
        };
        let index = whole(0)? as usize;
        let (tolerance, draws, simulations) = (number(2)?, whole(3)?, whole(4)?);
        if whole(1)? != row as u64 {
            return Err(table(format!(
                "row {row} holds particle {}; particles must be numbered in order from 0",
                field(1)
            )));
        }
        let g = generation.get_or_insert_with(|| Generation {
            index,
            tolerance,
            particles: Vec::new(),
            draws,
            simulations,
            accepted: 0,
            ess: f64::NAN,
        });
        let same = |a: f64, b: f64| a.to_bits() == b.to_bits();
        if g.index != index
            || !same(g.tolerance, tolerance)
            || g.draws != draws
            || g.simulations != simulations
        {
            return Err(table(format!(
                "row {row}: generation, tolerance or counts differ from the first row's"
            )));
        }
        let weight = number(5)?;
        let distance = number(6)?;
        if !(weight.is_finite() && weight >= 0.0) {
            return Err(table(format!("row {row}: weight {weight} is not a weight")));
        }
        let theta = (FIXED_COLUMNS.len()..expected.len())
            .map(number)
            .collect::<Result<Vec<f64>, _>>()?;
        g.particles.push(Particle {
            theta,
            weight,
            distance,
        });
    }
    let mut g = generation.ok_or_else(|| table("no particles".into()))?;
    g.accepted = g.particles.len();
    let weights: Vec<f64> = g.particles.iter().map(|p| p.weight).collect();
    g.ess = effective_sample_size(&weights);
    if !g.ess.is_finite() {
        return Err(table("the weights are all zero".into()));
    }
    Ok(g)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generation() -> Generation {
        let weights = [0.1, 0.2, 0.7];
        Generation {
            index: 3,
            tolerance: 0.1 + 0.2,
            particles: weights
                .iter()
                .enumerate()
                .map(|(i, &weight)| Particle {
                    theta: vec![1.0 / 3.0 + i as f64, 1e-300 * std::f64::consts::PI],
                    weight,
                    distance: (i as f64).sqrt() / 7.0,
                })
                .collect(),
            draws: 17,
            simulations: 15,
            accepted: 3,
            ess: effective_sample_size(&weights),
        }
    }

    #[test]
    fn a_generation_round_trips_exactly() {
        let g = generation();
        let mut bytes = Vec::new();
        write_generation(&mut bytes, &g, &["a", "b"]).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text
            .starts_with("generation,particle,tolerance,draws,simulations,weight,distance,a,b\n"));
        let back = read_generation(&bytes[..], &["a", "b"]).unwrap();
        assert_eq!(back, g);
        let mut again = Vec::new();
        write_generation(&mut again, &back, &["a", "b"]).unwrap();
        assert_eq!(again, bytes);
    }

    #[test]
    fn malformed_tables_are_refused() {
        let g = generation();
        let mut bytes = Vec::new();
        write_generation(&mut bytes, &g, &["a", "b"]).unwrap();
        let e = read_generation(&bytes[..], &["a", "c"]).unwrap_err();
        assert!(e.to_string().contains("columns"), "{e}");
        let text = String::from_utf8(bytes).unwrap();
        let swapped = text.replacen("\n3,1,", "\n3,2,", 1);
        assert!(read_generation(swapped.as_bytes(), &["a", "b"]).is_err());
        let header_only = text.lines().next().unwrap().to_string() + "\n";
        assert!(read_generation(header_only.as_bytes(), &["a", "b"]).is_err());
        assert!(write_generation(Vec::new(), &g, &["a"]).is_err());
        assert!(write_generation(Vec::new(), &g, &["a", "weight"]).is_err());
    }
}
