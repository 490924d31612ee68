//! Sampling designs in the unit cube, free of what the factors mean: the full product of lists
//! of levels, a Latin hypercube, Saltelli's sample for Sobol indices from an Owen-scrambled
//! Sobol sequence (`sobol_burley`), and Morris trajectories for elementary effects. The caller
//! maps each coordinate u in [0, 1) (Morris: [0, 1]) to a value of its factor; values are handed
//! over as they are drawn, so no second copy of a design is held.

use crate::seeds::mix;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The most factors of a Saltelli sample: it draws 2k dimensions of the Sobol sequence (the A
/// and B matrices), and `sobol_burley` has 256.
pub const MAX_SOBOL_PARAMETERS: usize = sobol_burley::NUM_DIMENSIONS as usize / 2;

/// The most base points of a Saltelli sample (`sobol_burley` indexes 2^16 samples).
pub const MAX_SOBOL_SAMPLES: u64 = 1 << 16;

/// Salt of the Latin hypercube's stream, so that it differs from every run's stream.
const LHS_SALT: u64 = 0x4C48_5321;

/// Salt of the Morris sampler's stream.
const MORRIS_SALT: u64 = 0x4D4F_5252_4953;

/// The most grid levels of a Morris design: a screening grid finer than this says nothing more.
pub const MAX_MORRIS_LEVELS: u32 = 1000;

/// The full product of the factors' levels, the last factor varying fastest.
pub fn grid<T: Clone>(levels: &[&[T]]) -> Vec<Vec<T>> {
    let mut out: Vec<Vec<T>> = vec![Vec::new()];
    for list in levels {
        out = out
            .into_iter()
            .flat_map(|prefix| {
                list.iter().map(move |v| {
                    let mut p = prefix.clone();
                    p.push(v.clone());
                    p
                })
            })
            .collect();
    }
    out
}

/// A Latin hypercube of `n` points in `k` dimensions: each of the n strata of each dimension is
/// hit once. `set(point, dimension, u)` receives every coordinate, dimension by dimension.
pub fn latin_hypercube(n: usize, k: usize, seed: u64, mut set: impl FnMut(usize, usize, f64)) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed ^ LHS_SALT);
    for d in 0..k {
        let mut strata: Vec<usize> = (0..n).collect();
        strata.shuffle(&mut rng);
        for (point, stratum) in strata.into_iter().enumerate() {
            let u = (stratum as f64 + rng.random::<f64>()) / n as f64;
            set(point, d, u);
        }
    }
}

/// Rows of a Saltelli sample (Saltelli 2002; Saltelli et al. 2010) of `n` base points over `k`
/// factors, in SALib's order: for each base point the rows A, AB_1..AB_k, (BA_1..BA_k with
/// second-order terms), B, so n (k + 2) or n (2k + 2) rows. `row` receives each row's unit
/// coordinates in turn. The scrambling derives from `seed`. Callers check `k` and `n` against
/// [`MAX_SOBOL_PARAMETERS`] and [`MAX_SOBOL_SAMPLES`].
pub fn saltelli(n: u64, k: usize, second_order: bool, seed: u64, mut row: impl FnMut(&[f64])) {
    assert!(k <= MAX_SOBOL_PARAMETERS && n <= MAX_SOBOL_SAMPLES);
    let scramble = (mix(seed) >> 32) as u32;
    let mut coordinates = vec![0.0; k];
    let mut emit = |j: u64, dims: &dyn Fn(usize) -> usize| {
        for (i, u) in coordinates.iter_mut().enumerate() {
            *u = f64::from(sobol_burley::sample(j as u32, dims(i) as u32, scramble));
        }
        row(&coordinates);
    };
    for j in 0..n {
        emit(j, &|i| i);
        for swapped in 0..k {
            emit(j, &|i| if i == swapped { k + i } else { i });
        }
        if second_order {
            for swapped in 0..k {
                emit(j, &|i| if i == swapped { i } else { k + i });
            }
        }
        emit(j, &|i| k + i);
    }
}

/// Rows of a Saltelli sample collected, for tests and small designs.
pub fn saltelli_rows(n: u64, k: usize, second_order: bool, seed: u64) -> Vec<Vec<f64>> {
    let mut rows = Vec::new();
    saltelli(n, k, second_order, seed, |r| rows.push(r.to_vec()));
    rows
}

/// One Morris trajectory on the grid of `levels` levels: the level each factor starts at, the
/// order the factors move in, and each factor's direction. Every factor moves once, by
/// `levels / 2` levels (the step Delta = levels / (2 (levels - 1)) of the unit interval).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trajectory {
    pub start: Vec<u32>,
    pub order: Vec<usize>,
    pub up: Vec<bool>,
}

impl Trajectory {
    /// A random trajectory of `k` factors (Morris 1991, as SALib draws it): each factor starts
    /// at one of the lower half of the levels and moves up, or at its upper counterpart and
    /// moves down, with equal chances, in a random order.
    fn draw(k: usize, levels: u32, rng: &mut Xoshiro256PlusPlus) -> Trajectory {
        let half = levels / 2;
        let mut start = Vec::with_capacity(k);
        let mut up = Vec::with_capacity(k);
        for _ in 0..k {
            let base = rng.random_range(0..half);
            let rising = rng.random::<bool>();
            start.push(if rising { base } else { base + half });
            up.push(rising);
        }
        let mut order: Vec<usize> = (0..k).collect();
        order.shuffle(rng);
        Trajectory { start, order, up }
    }

    /// The level factor `i` ends at.
    pub fn end(&self, i: usize, levels: u32) -> u32 {
        if self.up[i] {
            self.start[i] + levels / 2
        } else {
            self.start[i] - levels / 2
        }
    }

    /// The k + 1 rows of the trajectory in the unit cube, handed to `row` in turn.
    fn emit(&self, levels: u32, row: &mut impl FnMut(&[f64])) {
        let unit = |level: u32| f64::from(level) / f64::from(levels - 1);
        let mut coordinates: Vec<f64> = self.start.iter().map(|&l| unit(l)).collect();
        row(&coordinates);
        for &i in &self.order {
            coordinates[i] = unit(self.end(i, levels));
            row(&coordinates);
        }
    }
}

/// Rows of a Morris design (Morris 1991) of `trajectories` trajectories over `k` factors on a
/// grid of `levels` levels (even, at least 2, at most [`MAX_MORRIS_LEVELS`]), in SALib's order:
/// trajectory by trajectory, k + 1 rows each, coordinates l / (levels - 1). With `candidates`,
/// that many trajectories are drawn and the `trajectories` most spread among them are kept
/// (Campolongo et al. 2007, by the local search of Ruano et al. 2012 as SALib does by default:
/// `selection`), in the order they were drawn. Deterministic in `seed`. Callers check
/// `candidates` against `selection::MAX_CANDIDATES` and `selection::MAX_SELECTION_PAIRS`.
pub fn morris(
    trajectories: usize,
    k: usize,
    levels: u32,
    candidates: Option<usize>,
    seed: u64,
    mut row: impl FnMut(&[f64]),
) {
    assert!(levels >= 2 && levels.is_multiple_of(2) && levels <= MAX_MORRIS_LEVELS);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed ^ MORRIS_SALT);
    match candidates {
        None => {
            for _ in 0..trajectories {
                Trajectory::draw(k, levels, &mut rng).emit(levels, &mut row);
            }
        }
        Some(m) => {
            let drawn: Vec<Trajectory> = (0..m)
                .map(|_| Trajectory::draw(k, levels, &mut rng))
                .collect();
            for i in crate::selection::most_spread(&drawn, levels, trajectories) {
                drawn[i].emit(levels, &mut row);
            }
        }
    }
}

/// Rows of a Morris design collected, for tests and small designs.
pub fn morris_rows(
    trajectories: usize,
    k: usize,
    levels: u32,
    candidates: Option<usize>,
    seed: u64,
) -> Vec<Vec<f64>> {
    let mut rows = Vec::new();
    morris(trajectories, k, levels, candidates, seed, |r| {
        rows.push(r.to_vec())
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_is_the_full_product_with_the_last_factor_fastest() {
        let g = grid(&[&[1, 2][..], &[3, 4, 5][..]]);
        assert_eq!(g.len(), 6);
        assert_eq!(g[1], vec![1, 4]);
    }

    #[test]
    fn a_latin_hypercube_hits_every_stratum_of_every_dimension() {
        let mut points = vec![vec![0.0; 2]; 10];
        latin_hypercube(10, 2, 1, |p, d, u| points[p][d] = u);
        for d in 0..2 {
            let mut strata: Vec<usize> = points.iter().map(|p| (p[d] * 10.0) as usize).collect();
            strata.sort();
            assert_eq!(strata, (0..10).collect::<Vec<_>>());
        }
    }

    #[test]
    fn saltelli_rows_follow_salib_order() {
        let rows = saltelli_rows(8, 3, false, 1);
        assert_eq!(rows.len(), 8 * (3 + 2));
        for j in 0..8 {
            let block = &rows[j * 5..(j + 1) * 5];
            let (a, b) = (&block[0], &block[4]);
            for swapped in 0..3 {
                for i in 0..3 {
                    let expect = if i == swapped { b[i] } else { a[i] };
                    assert_eq!(block[1 + swapped][i], expect);
                }
            }
        }
        // The first coordinates of the A rows are stratified: one in each eighth.
        let mut cells: Vec<usize> = (0..8).map(|j| (rows[j * 5][0] * 8.0) as usize).collect();
        cells.sort();
        assert_eq!(cells, (0..8).collect::<Vec<_>>());
        assert_eq!(saltelli_rows(8, 3, true, 1).len(), 8 * (2 * 3 + 2));
    }

    #[test]
    fn each_morris_step_moves_one_factor_by_delta_on_the_grid() {
        let (r, k, levels) = (12, 5, 6);
        let delta = f64::from(levels) / (2.0 * f64::from(levels - 1));
        for candidates in [None, Some(30)] {
            let rows = morris_rows(r, k, levels, candidates, 7);
            assert_eq!(rows.len(), r * (k + 1));
            for t in rows.chunks(k + 1) {
                let mut moved = vec![false; k];
                for w in t.windows(2) {
                    let changed: Vec<usize> = (0..k).filter(|&i| w[0][i] != w[1][i]).collect();
                    assert_eq!(changed.len(), 1, "{w:?}");
                    let i = changed[0];
                    assert!(!moved[i], "factor {i} moves twice");
                    moved[i] = true;
                    assert!(((w[1][i] - w[0][i]).abs() - delta).abs() < 1e-12);
                }
                for u in t.iter().flatten() {
                    let level = u * f64::from(levels - 1);
                    assert!((level - level.round()).abs() < 1e-9 && (0.0..=1.0).contains(u));
                }
            }
        }
        assert_eq!(
            morris_rows(r, k, levels, None, 7),
            morris_rows(r, k, levels, None, 7)
        );
        assert_ne!(
            morris_rows(r, k, levels, None, 7),
            morris_rows(r, k, levels, None, 8)
        );
    }

    #[test]
    fn morris_starts_cover_the_lower_and_upper_levels_alike() {
        // Each factor starts low and moves up, or starts high and moves down, with equal chances.
        let rows = morris_rows(400, 3, 4, None, 3);
        let ups = rows
            .chunks(4)
            .flat_map(|t| (0..3).map(move |i| t[0][i] < t[3][i]))
            .filter(|&up| up)
            .count();
        assert!((500..700).contains(&ups), "{ups} of 1200 steps up");
    }
}
