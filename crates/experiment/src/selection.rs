//! The optimal selection of Morris trajectories (Campolongo et al. 2007): of M drawn candidates,
//! keep the r whose spread is largest, the spread of a set being D^2, the sum over its pairs of
//! trajectories (m, l) of d_ml^2, where d_ml sums the Euclidean distances between every point of
//! m and every point of l (0 for two identical trajectories, as SALib has it). Trying every set
//! of r is combinatorial; the set is found by the local search of Ruano et al. (2012), SALib's
//! default (`local_optimization=True`): for each size i from 1 to r - 1, start from the
//! trajectory with its i farthest candidates that spread most, grow it greedily to r, and keep
//! the best of the r - 1 sets. Distances are exact on the integer grid of levels; ties go to the
//! earlier candidate, so the selection is deterministic.

use crate::sampling::Trajectory;
use rayon::prelude::*;

/// The most candidate trajectories: their distance matrix is M^2 numbers.
pub const MAX_CANDIDATES: u64 = 1000;

/// The most pairs of points the selection may compare (M (M - 1) / 2 pairs of trajectories of
/// (k + 1)^2 pairs of points each): about half a minute of one core.
pub const MAX_SELECTION_PAIRS: u64 = 1 << 32;

/// Pairs of points the selection of `candidates` trajectories over `k` factors compares
/// (saturating).
pub fn selection_pairs(candidates: u64, k: usize) -> u64 {
    let points = (k as u64).saturating_add(1);
    (candidates.saturating_mul(candidates.saturating_sub(1)) / 2)
        .saturating_mul(points.saturating_mul(points))
}

/// d_ml of two trajectories, in grid steps (the unit distance times levels - 1).
fn distance(a: &Trajectory, b: &Trajectory, levels: u32) -> f64 {
    if a == b {
        return 0.0;
    }
    let square = |x: i64| x * x;
    let mut point_b: Vec<i64> = b.start.iter().map(|&l| i64::from(l)).collect();
    let mut sum = 0.0;
    for t in 0..=b.order.len() {
        if t > 0 {
            let i = b.order[t - 1];
            point_b[i] = i64::from(b.end(i, levels));
        }
        // The squared distance from each point of a to this point of b, a's points in turn: a
        // step of a changes one coordinate, so each is the last one updated.
        let mut d2: i64 = a
            .start
            .iter()
            .zip(&point_b)
            .map(|(&l, &m)| square(i64::from(l) - m))
            .sum();
        sum += (d2 as f64).sqrt();
        for &i in &a.order {
            let (old, new) = (i64::from(a.start[i]), i64::from(a.end(i, levels)));
            d2 += square(new - point_b[i]) - square(old - point_b[i]);
            sum += (d2 as f64).sqrt();
        }
    }
    sum
}

/// The indices, ascending, of the `keep` most spread of the `drawn` trajectories
/// (2 <= keep < drawn.len()).
pub fn most_spread(drawn: &[Trajectory], levels: u32, keep: usize) -> Vec<usize> {
    let m = drawn.len();
    assert!(keep >= 2 && keep < m);
    let rows: Vec<Vec<f64>> = (0..m)
        .into_par_iter()
        .map(|i| {
            (0..m)
                .map(|j| {
                    if i == j {
                        0.0
                    } else {
                        distance(&drawn[i.min(j)], &drawn[i.max(j)], levels)
                    }
                })
                .collect()
        })
        .collect();
    let sq = |i: usize, j: usize| rows[i][j] * rows[i][j];
    // Each candidate's others, farthest first (ties: the earlier first).
    let farthest: Vec<Vec<usize>> = (0..m)
        .map(|i| {
            let mut others: Vec<usize> = (0..m).filter(|&j| j != i).collect();
            others.sort_by(|&a, &b| rows[i][b].total_cmp(&rows[i][a]).then(a.cmp(&b)));
            others
        })
        .collect();
    // The spread of each candidate with its i farthest, grown with i.
    let mut spread = vec![0.0; m];
    let mut best: Option<(f64, Vec<usize>)> = None;
    for i in 1..keep {
        for (row, score) in spread.iter_mut().enumerate() {
            let next = farthest[row][i - 1];
            *score += sq(row, next)
                + farthest[row][..i - 1]
                    .iter()
                    .map(|&y| sq(y, next))
                    .sum::<f64>();
        }
        let start = (0..m).fold(0, |b, r| if spread[r] > spread[b] { r } else { b });
        let mut set: Vec<usize> = std::iter::once(start)
            .chain(farthest[start][..i].iter().copied())
            .collect();
        let mut total = spread[start];
        let mut chosen = vec![false; m];
        for &s in &set {
            chosen[s] = true;
        }
        let mut gain: Vec<f64> = (0..m)
            .map(|x| set.iter().map(|&s| sq(s, x)).sum())
            .collect();
        while set.len() < keep {
            let add = (0..m)
                .filter(|&x| !chosen[x])
                .fold(None, |b: Option<usize>, x| match b {
                    Some(b) if gain[b] >= gain[x] => Some(b),
                    _ => Some(x),
                })
                .expect("keep < candidates");
            total += gain[add];
            chosen[add] = true;
            set.push(add);
            for (x, g) in gain.iter_mut().enumerate() {
                *g += sq(add, x);
            }
        }
        if best.as_ref().is_none_or(|(b, _)| total > *b) {
            best = Some((total, set));
        }
    }
    let mut set = best.expect("keep >= 2").1;
    set.sort_unstable();
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trajectory(start: &[u32], order: &[usize], up: &[bool]) -> Trajectory {
        Trajectory {
            start: start.to_vec(),
            order: order.to_vec(),
            up: up.to_vec(),
        }
    }

    #[test]
    fn the_distance_sums_every_pair_of_points() {
        // Two factors on 4 levels (moves of 2 levels): a = (0,0) (2,0) (2,2); b = (3,3) (1,3) (1,1).
        let a = trajectory(&[0, 0], &[0, 1], &[true, true]);
        let b = trajectory(&[3, 3], &[0, 1], &[false, false]);
        let pa = [[0.0, 0.0], [2.0, 0.0], [2.0, 2.0]];
        let pb = [[3.0, 3.0], [1.0, 3.0], [1.0, 1.0]];
        let brute: f64 = pa
            .iter()
            .flat_map(|p| pb.iter().map(move |q| f64::hypot(p[0] - q[0], p[1] - q[1])))
            .sum();
        assert!((distance(&a, &b, 4) - brute).abs() < 1e-12);
        assert!((distance(&b, &a, 4) - brute).abs() < 1e-12);
        assert_eq!(distance(&a, &a, 4), 0.0);
    }

    #[test]
    fn the_selection_keeps_the_spread_set_and_beats_any_other_of_a_small_pool() {
        // Of five candidates the best pair by brute force is found (every pair tried).
        let pool = [
            trajectory(&[0, 0], &[0, 1], &[true, true]),
            trajectory(&[0, 1], &[1, 0], &[true, true]),
            trajectory(&[3, 3], &[0, 1], &[false, false]),
            trajectory(&[1, 0], &[0, 1], &[true, true]),
            trajectory(&[2, 3], &[1, 0], &[false, false]),
        ];
        let d = |i: usize, j: usize| distance(&pool[i], &pool[j], 4);
        let mut best = (0.0, vec![]);
        for i in 0..5 {
            for j in i + 1..5 {
                if d(i, j) > best.0 {
                    best = (d(i, j), vec![i, j]);
                }
            }
        }
        assert_eq!(most_spread(&pool, 4, 2), best.1);
        let three = most_spread(&pool, 4, 3);
        assert_eq!(three.len(), 3);
        assert!(three.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn selection_work_is_counted_in_pairs_of_points() {
        assert_eq!(selection_pairs(3, 1), 3 * 4);
        assert_eq!(selection_pairs(u64::MAX, 10), u64::MAX);
    }
}
