//! Sampling designs in the unit cube, free of what the factors mean: the full product of lists
//! of levels, a Latin hypercube, and Saltelli's sample for Sobol indices from an Owen-scrambled
//! Sobol sequence (`sobol_burley`). The caller maps each coordinate u in [0, 1) to a value of its
//! factor; values are handed over as they are drawn, so no second copy of a design is held.

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
}
