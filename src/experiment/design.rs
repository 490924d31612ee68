//! Sweep designs: the design points of a sweep as lists of (key, value) assignments.
//! `grid` is the full product of listed values (the last key varies fastest); `lhs` is a Latin
//! hypercube over ranges, each stratum of each parameter hit once.

use crate::params::{index_of, registry, Kind, Value};
use crate::scenario::{Design, Sweep, SweepValues};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// One design point: the swept keys with their values, in sweep order.
pub type Assignments = Vec<(String, Value)>;

/// The points of a sweep, or a message when its design is not available.
pub fn points(sweep: &Sweep, seed: u64) -> Result<Vec<Assignments>, String> {
    match sweep.design {
        Design::Grid => Ok(grid(sweep)),
        Design::Lhs => Ok(lhs(sweep, seed)),
        Design::Sobol | Design::File => Err(format!(
            "sweep.design = \"{}\" is not available in this version; allowed: grid, lhs",
            sweep.design.name()
        )),
    }
}

fn grid(sweep: &Sweep) -> Vec<Assignments> {
    let mut out: Vec<Assignments> = vec![Vec::new()];
    for (key, values) in &sweep.parameters {
        let SweepValues::List(list) = values else {
            continue;
        };
        out = out
            .into_iter()
            .flat_map(|prefix| {
                list.iter().map(move |v| {
                    let mut p = prefix.clone();
                    p.push((key.clone(), v.clone()));
                    p
                })
            })
            .collect();
    }
    out
}

fn lhs(sweep: &Sweep, seed: u64) -> Vec<Assignments> {
    let n = sweep.samples as usize;
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed ^ 0x4C48_5321);
    let mut out: Vec<Assignments> = vec![Vec::new(); n];
    for (key, values) in &sweep.parameters {
        let SweepValues::Range { min, max } = values else {
            continue;
        };
        let mut strata: Vec<usize> = (0..n).collect();
        strata.shuffle(&mut rng);
        let whole = matches!(
            index_of(key).map(|i| &registry()[i].kind),
            Some(Kind::Whole { .. })
        );
        for (point, stratum) in out.iter_mut().zip(strata) {
            let u = (stratum as f64 + rng.random::<f64>()) / n as f64;
            let x = min + (max - min) * u;
            let value = if whole {
                Value::Whole(x.round() as u64)
            } else {
                Value::Real(x)
            };
            point.push((key.clone(), value));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_is_the_full_product_and_lhs_hits_every_stratum() {
        let sweep = Sweep {
            design: Design::Grid,
            samples: 1,
            file: None,
            parameters: vec![
                (
                    "a".into(),
                    SweepValues::List(vec![Value::Whole(1), Value::Whole(2)]),
                ),
                (
                    "b".into(),
                    SweepValues::List(vec![Value::Whole(3), Value::Whole(4), Value::Whole(5)]),
                ),
            ],
        };
        let g = grid(&sweep);
        assert_eq!(g.len(), 6);
        assert_eq!(
            g[1],
            vec![("a".into(), Value::Whole(1)), ("b".into(), Value::Whole(4))]
        );
        let sweep = Sweep {
            design: Design::Lhs,
            samples: 10,
            file: None,
            parameters: vec![("x".into(), SweepValues::Range { min: 0.0, max: 1.0 })],
        };
        let mut strata: Vec<usize> = lhs(&sweep, 1)
            .iter()
            .map(|p| (p[0].1.as_f64() * 10.0) as usize)
            .collect();
        strata.sort();
        assert_eq!(strata, (0..10).collect::<Vec<_>>());
    }
}
