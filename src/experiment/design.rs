//! Sweep designs: the design points of a sweep as lists of (key, value) assignments.
//! - `grid`: the full product of listed values (the last key varies fastest);
//! - `lhs`: a Latin hypercube over ranges, each stratum of each parameter hit once;
//! - `sobol`: Saltelli's sample for Sobol indices from an Owen-scrambled Sobol sequence
//!   (`sobol_burley`): for each of N base points, the rows A, AB_1..AB_k, (BA_1..BA_k with
//!   second-order terms), B, in SALib's order, so N (k + 2) or N (2k + 2) points;
//! - `morris`: r Morris trajectories on a grid of p levels (optionally the r most spread of
//!   `candidates`), trajectory by trajectory as SALib orders them, so r (k + 1) points;
//! - `file`: a CSV whose header names parameter keys, one row per point (written by SALib or R).
//!
//! The sensitivity designs (sobol, morris) are the experiment crate's [`Method`]s, one row of
//! [`method`] each: the method draws the rows in the unit cube, this module scales them to the
//! keys' ranges, and `commsim analyze` hands the outputs back to the same method.

use crate::bounded::{self, Bounded, Exceeded};
use crate::error::key_excerpt;
use crate::params::Value;
use crate::scenario::sweep::MAX_SAMPLES;
use crate::scenario::{Design, Sweep, SweepValues};
use std::io::Read;
use std::path::Path;

/// One design point: the values of the swept keys, in the order of the keys.
pub type Point = Vec<Value>;

use experiment::method::Method;
use experiment::morris::Morris;
pub use experiment::sampling::{MAX_SOBOL_PARAMETERS, MAX_SOBOL_SAMPLES};
use experiment::selection::{selection_pairs, MAX_SELECTION_PAIRS};
use experiment::sobol::Sobol;

/// The largest design file: room for [`MAX_SAMPLES`] rows of about 100 bytes. It is read as a
/// stream, so memory holds the points, not the text.
pub const MAX_DESIGN_FILE_BYTES: u64 = 1 << 30;

/// The longest line of a design file (a header of thousands of keys fits).
pub const MAX_DESIGN_LINE_BYTES: u64 = bounded::MIB;

/// A design that cannot be built: the `[sweep]` key at fault and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct DesignError {
    pub key: &'static str,
    pub message: String,
}

/// The swept keys and the points of a sweep. `base_dir` resolves a relative `sweep.file`.
pub fn points(
    sweep: &Sweep,
    seed: u64,
    base_dir: &Path,
) -> Result<(Vec<String>, Vec<Point>), DesignError> {
    let keys = || sweep.parameters.iter().map(|(k, _)| k.clone()).collect();
    let error = |key: &'static str| move |message: String| DesignError { key, message };
    let planned = planned_points(sweep);
    if planned > MAX_SAMPLES {
        return Err(error("sweep.design")(format!(
            "the design has {planned} points; allowed: at most {MAX_SAMPLES} (split the sweep)"
        )));
    }
    match sweep.design {
        Design::Grid => Ok((keys(), grid(sweep))),
        Design::Lhs => Ok((keys(), lhs(sweep, seed))),
        Design::Sobol | Design::Morris => Ok((keys(), sampled(sweep, seed)?)),
        Design::File => {
            let file = sweep
                .file
                .as_deref()
                .ok_or_else(|| error("sweep.file")("design file needs sweep.file".into()))?;
            let path = base_dir.join(file);
            let cannot = |why: String| format!("cannot read design file {}: {why}", path.display());
            if path.is_dir() {
                return Err(error("sweep.file")(cannot(
                    "it is a folder; allowed: a CSV file".into(),
                )));
            }
            let input = std::fs::File::open(&path)
                .map_err(|e| error("sweep.file")(cannot(e.to_string())))?;
            from_reader(input, &path.display().to_string()).map_err(error("sweep.file"))
        }
    }
}

/// Points a generated design will have (saturating); design files are counted as they are read.
pub fn planned_points(sweep: &Sweep) -> u64 {
    let k = sweep.parameters.len() as u64;
    match sweep.design {
        Design::Grid => sweep.parameters.iter().fold(1u64, |n, (_, v)| match v {
            SweepValues::List(list) => n.saturating_mul(list.len() as u64),
            SweepValues::Range { .. } => n,
        }),
        Design::Lhs => sweep.samples,
        Design::Sobol | Design::Morris => method(sweep)
            .expect("a sensitivity design")
            .rows(k as usize),
        Design::File => 0,
    }
}

/// The sensitivity method of a sweep's design: its sample and its analysis (`commsim analyze`,
/// the report). None for designs without one (grid, lhs, file).
pub fn method(sweep: &Sweep) -> Option<Box<dyn Method>> {
    match sweep.design {
        Design::Sobol => Some(Box::new(Sobol {
            samples: sweep.samples,
            second_order: sweep.second_order,
        })),
        Design::Morris => Some(Box::new(Morris::new(
            sweep.trajectories,
            sweep.levels,
            sweep.candidates,
        ))),
        Design::Grid | Design::Lhs | Design::File => None,
    }
}

/// A value for `key` at position `u` in [0, 1) of its range; whole-valued keys are rounded.
fn scaled(key: &str, min: f64, max: f64, u: f64) -> Value {
    crate::scenario::sweep::range_value(key, min + (max - min) * u)
}

fn ranges(sweep: &Sweep) -> Vec<(String, f64, f64)> {
    sweep
        .parameters
        .iter()
        .filter_map(|(k, v)| match v {
            SweepValues::Range { min, max } => Some((k.clone(), *min, *max)),
            SweepValues::List(_) => None,
        })
        .collect()
}

/// What a sensitivity design's sampler cannot draw: Saltelli's sample beyond the Sobol
/// sequence's dimensions or samples, a selection of Morris trajectories beyond its work bound.
fn check_bounds(sweep: &Sweep, k: usize) -> Result<(), DesignError> {
    let n = sweep.samples;
    match sweep.design {
        Design::Sobol if k > MAX_SOBOL_PARAMETERS => Err(DesignError {
            key: "sweep.parameters",
            message: format!(
                "{k} swept parameters; allowed for sobol: at most {MAX_SOBOL_PARAMETERS} (Saltelli's sample needs 2 dimensions of the Sobol sequence per parameter, and sobol_burley has {})",
                sobol_burley::NUM_DIMENSIONS
            ),
        }),
        Design::Sobol if n > MAX_SOBOL_SAMPLES => Err(DesignError {
            key: "sweep.samples",
            message: format!(
                "sweep.samples = {n}; allowed for sobol: at most {MAX_SOBOL_SAMPLES} base points"
            ),
        }),
        Design::Morris => match sweep.candidates {
            Some(m) if selection_pairs(m, k) > MAX_SELECTION_PAIRS => {
                let fits = (3..m).rev().find(|&c| selection_pairs(c, k) <= MAX_SELECTION_PAIRS);
                Err(DesignError {
                    key: "sweep.candidates",
                    message: format!(
                        "selecting among {m} candidates over {k} parameters compares {} pairs of points; allowed: at most {MAX_SELECTION_PAIRS} ({})",
                        selection_pairs(m, k),
                        match fits {
                            Some(c) if c > sweep.trajectories => format!("at most {c} candidates with {k} parameters"),
                            _ => format!("no candidates with {k} parameters: every drawn trajectory is kept"),
                        }
                    ),
                })
            }
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

/// The rows of a sensitivity design (sobol, morris) scaled to the keys' ranges.
fn sampled(sweep: &Sweep, seed: u64) -> Result<Vec<Point>, DesignError> {
    let params = ranges(sweep);
    let k = params.len();
    check_bounds(sweep, k)?;
    let method = method(sweep).expect("a sensitivity design");
    let mut out = Vec::with_capacity(method.rows(k) as usize);
    method.sample(k, seed, &mut |u| {
        out.push(
            params
                .iter()
                .zip(u)
                .map(|((key, min, max), u)| scaled(key, *min, *max, *u))
                .collect(),
        );
    });
    Ok(out)
}

/// Points from CSV text: a header of parameter keys, one row per point. An optional first
/// column `point` is ignored. Errors name the file, line and column.
pub fn from_csv(text: &str, origin: &str) -> Result<(Vec<String>, Vec<Point>), String> {
    from_reader(text.as_bytes(), origin)
}

/// Points from a CSV stream, as [`from_csv`]; at most [`MAX_DESIGN_FILE_BYTES`] are read, in
/// lines of at most [`MAX_DESIGN_LINE_BYTES`].
pub fn from_reader(input: impl Read, origin: &str) -> Result<(Vec<String>, Vec<Point>), String> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(Bounded::new(
            input,
            MAX_DESIGN_FILE_BYTES,
            MAX_DESIGN_LINE_BYTES,
        ));
    let too_large = |bound: Option<Exceeded>| {
        bound.map(|b| match b {
            Exceeded::Total => format!(
                "{origin}: the file is larger than {}; allowed: at most {} (split the design)",
                bounded::describe(MAX_DESIGN_FILE_BYTES),
                bounded::describe(MAX_DESIGN_FILE_BYTES)
            ),
            Exceeded::Line(line) => format!(
                "{origin}:{line}: the line is longer than {}; allowed: lines of at most {}",
                bounded::describe(MAX_DESIGN_LINE_BYTES),
                bounded::describe(MAX_DESIGN_LINE_BYTES)
            ),
        })
    };
    let header: Result<Vec<String>, csv::Error> = reader
        .headers()
        .map(|h| h.iter().map(String::from).collect());
    let header = header.map_err(|e| {
        too_large(reader.get_ref().exceeded())
            .unwrap_or_else(|| format!("{origin}:1: cannot read the header: {e}"))
    })?;
    let skip = usize::from(header.first().is_some_and(|h| h == "point"));
    let keys: Vec<String> = header[skip..].to_vec();
    if keys.is_empty() || keys.iter().all(|k| k.is_empty()) {
        return Err(format!("{origin}:1: the header names no parameter; allowed: parameter keys, as listed by `commsim params`"));
    }
    if let Some(k) = keys.iter().position(|k| k.is_empty()) {
        return Err(format!(
            "{origin}:1: column {} has no name; allowed: parameter keys, as listed by `commsim params`",
            k + skip + 1
        ));
    }
    if let Some(k) = keys.iter().position(|k| k == "point") {
        return Err(format!(
            "{origin}:1: column {} is `point`; allowed: `point` only as the first column",
            k + skip + 1
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for (k, key) in keys.iter().enumerate() {
        if !seen.insert(key) {
            return Err(format!(
                "{origin}:1: column {} repeats the key of an earlier column; allowed: each key once",
                k + skip + 1
            ));
        }
    }
    let mut points = Vec::new();
    let mut record = csv::StringRecord::new();
    for i in 0u64.. {
        let line = i + 2;
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(too_large(reader.get_ref().exceeded())
                    .unwrap_or_else(|| format!("{origin}:{line}: {e}")))
            }
        }
        let line = record.position().map_or(line, |p| p.line());
        if points.len() as u64 >= MAX_SAMPLES {
            return Err(format!(
                "{origin}:{line}: more than {MAX_SAMPLES} design points; allowed: at most {MAX_SAMPLES} (split the design)"
            ));
        }
        if record.len() != header.len() {
            return Err(format!(
                "{origin}:{line}: {} columns; allowed: {} as in the header",
                record.len(),
                header.len()
            ));
        }
        // A `point` column numbers the rows as commsim will (0, 1, 2, ...): results are joined
        // back to the design by it, so it must not say other than the row's place.
        if skip == 1 && record[0].trim() != points.len().to_string() {
            return Err(format!(
                "{origin}:{line}: point `{}` on design point {}; allowed: a `point` column numbering the rows 0, 1, 2, ... in order (or no `point` column)",
                key_excerpt(record[0].trim()),
                points.len()
            ));
        }
        let point = keys
            .iter()
            .zip(record.iter().skip(skip))
            .map(|(key, cell)| {
                if cell.is_empty() {
                    return Err(format!(
                        "{origin}:{line}: column `{}` is empty; allowed: a value",
                        key_excerpt(key)
                    ));
                }
                Ok(Value::parse_loose(cell))
            })
            .collect::<Result<Point, String>>()?;
        points.push(point);
    }
    if points.is_empty() {
        return Err(format!(
            "{origin}: no design points; allowed: one row per point after the header"
        ));
    }
    Ok((keys, points))
}

fn grid(sweep: &Sweep) -> Vec<Point> {
    let levels: Vec<&[Value]> = sweep
        .parameters
        .iter()
        .filter_map(|(_, v)| match v {
            SweepValues::List(list) => Some(list.as_slice()),
            SweepValues::Range { .. } => None,
        })
        .collect();
    experiment::sampling::grid(&levels)
}

fn lhs(sweep: &Sweep, seed: u64) -> Vec<Point> {
    let n = sweep.samples as usize;
    let params = ranges(sweep);
    let mut out: Vec<Point> = vec![Vec::with_capacity(params.len()); n];
    experiment::sampling::latin_hypercube(n, params.len(), seed, |point, d, u| {
        let (key, min, max) = &params[d];
        out[point].push(scaled(key, *min, *max, u));
    });
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
            ..Sweep::default()
        };
        let g = grid(&sweep);
        assert_eq!(g.len(), 6);
        assert_eq!(g[1], vec![Value::Whole(1), Value::Whole(4)]);
        let sweep = Sweep {
            design: Design::Lhs,
            samples: 10,
            parameters: vec![("x".into(), SweepValues::Range { min: 0.0, max: 1.0 })],
            ..Sweep::default()
        };
        let mut strata: Vec<usize> = lhs(&sweep, 1)
            .iter()
            .map(|p| (p[0].as_f64() * 10.0) as usize)
            .collect();
        strata.sort();
        assert_eq!(strata, (0..10).collect::<Vec<_>>());
    }

    #[test]
    fn design_files_are_read_with_located_errors() {
        let (keys, pts) = from_csv(
            "point,grants.budget,grants.enabled\n0,100,true\n1,2.5e2,false\n",
            "d.csv",
        )
        .unwrap();
        assert_eq!(keys, vec!["grants.budget", "grants.enabled"]);
        assert_eq!(pts[1], vec![Value::Real(250.0), Value::Flag(false)]);
        for (text, expect) in [
            ("a,b\n1\n", "d.csv:2: 1 columns; allowed: 2"),
            ("a,b\n1,\n", "d.csv:2: column `b` is empty"),
            ("a\n", "no design points"),
            ("a,b,a\n1,2,3\n", "d.csv:1: column 3 repeats the key"),
            ("point,a\n1,5\n", "d.csv:2: point `1` on design point 0"),
            (
                "point,a\n0,5\n0,6\n",
                "d.csv:3: point `0` on design point 1",
            ),
            ("a,point\n1,5\n", "d.csv:1: column 2 is `point`"),
            ("", "names no parameter"),
        ] {
            let e = from_csv(text, "d.csv").unwrap_err();
            assert!(e.contains(expect), "{text:?}: {e}");
        }
    }

    #[test]
    fn a_sobol_sample_has_at_most_the_sequence_s_dimensions() {
        let range = |i: usize| {
            (
                format!("shocks.{i}.severity"),
                SweepValues::Range { min: 0.0, max: 1.0 },
            )
        };
        let mut sweep = Sweep {
            design: Design::Sobol,
            samples: 2,
            parameters: (0..MAX_SOBOL_PARAMETERS).map(range).collect(),
            ..Sweep::default()
        };
        assert_eq!(
            sampled(&sweep, 1).unwrap().len(),
            2 * (MAX_SOBOL_PARAMETERS + 2)
        );
        sweep.parameters.push(range(MAX_SOBOL_PARAMETERS));
        let e = sampled(&sweep, 1).unwrap_err();
        assert_eq!(e.key, "sweep.parameters");
        assert!(e.message.contains("at most 128"), "{}", e.message);
    }

    #[test]
    fn a_design_stream_stops_at_a_line_too_long() {
        let long = "1".repeat(MAX_DESIGN_LINE_BYTES as usize + 1);
        let text = format!("grants.budget\n3\n{long}\n");
        let e = from_reader(text.as_bytes(), "d.csv").unwrap_err();
        assert!(
            e.starts_with("d.csv:3: the line is longer than 1 MiB"),
            "{e}"
        );
    }

    #[test]
    fn a_morris_design_scales_its_trajectories_to_the_ranges() {
        let sweep = Sweep {
            design: Design::Morris,
            trajectories: 5,
            levels: 4,
            parameters: vec![
                (
                    "grants.budget".into(),
                    SweepValues::Range {
                        min: 0.0,
                        max: 600.0,
                    },
                ),
                (
                    "community.recognition".into(),
                    SweepValues::Range { min: 0.1, max: 0.4 },
                ),
            ],
            ..Sweep::default()
        };
        assert_eq!(planned_points(&sweep), 5 * 3);
        let pts = sampled(&sweep, 3).unwrap();
        assert_eq!(pts.len(), 15);
        // The budget moves between 0 and 400 or 200 and 600 (levels 0, 200, 400, 600).
        for p in &pts {
            let b = p[0].as_f64();
            assert!(
                [0.0, 200.0, 400.0, 600.0]
                    .iter()
                    .any(|l| (b - l).abs() < 1e-9),
                "{b}"
            );
        }
        let sweep = Sweep {
            candidates: Some(1000),
            parameters: (0..200)
                .map(|i| {
                    (
                        format!("shocks.{i}.severity"),
                        SweepValues::Range { min: 0.0, max: 1.0 },
                    )
                })
                .collect(),
            ..sweep
        };
        let Err(e) = sampled(&sweep, 1) else {
            panic!("1000 candidates over 200 parameters are beyond the selection's bound");
        };
        assert_eq!(e.key, "sweep.candidates");
        assert!(
            e.message.contains("at most 461 candidates"),
            "{}",
            e.message
        );
    }
}
