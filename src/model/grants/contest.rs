//! What an application asks for and how a call ranks its applications (G3): MODEL.md, section
//! 7.16, "Requests" and "Contest".

use super::Application;

/// The amount an application asks for: Pareto with the given median (of the untruncated
/// distribution) and tail index, truncated at the call's budget `cap` by inverse transform of
/// the uniform `u` in [0, 1). A call smaller than the Pareto's least value is asked for whole.
pub(super) fn request(u: f64, median: f64, tail: f64, cap: f64) -> f64 {
    let scale = median / 2f64.powf(1.0 / tail);
    if cap <= scale {
        return cap.max(0.0);
    }
    let below_cap = 1.0 - (scale / cap).powf(tail);
    (scale * (1.0 - u * below_cap).powf(-1.0 / tail)).min(cap)
}

/// An application's score in the contest, w x^r.
fn score(weight: f64, quality: f64, r: f64) -> f64 {
    weight * quality.powf(r)
}

/// The Tullock contest's probabilities p_i = w_i x_i^r / sum_j w_j x_j^r.
pub fn tullock(weights: &[f64], qualities: &[f64], r: f64) -> Vec<f64> {
    let scores: Vec<f64> = weights
        .iter()
        .zip(qualities)
        .map(|(&w, &x)| score(w, x, r))
        .collect();
    let total: f64 = scores.iter().sum();
    scores.iter().map(|s| s / total).collect()
}

/// The order of the contest: application i leads the key ln(u_i) / (w_i x_i^r) (an exponential
/// race; Efraimidis and Spirakis 2006), so the first place goes to i with the Tullock
/// probability and each later place is the same contest among the rest. Funded in that order
/// while the money left covers the request; returns the indices of the awards, in order.
pub(super) fn contest(applications: &[Application], r: f64, budget: f64) -> Vec<usize> {
    let key = |a: &Application| a.rank_draw.ln() / score(a.weight, a.quality, r);
    let mut order: Vec<(usize, f64)> = applications
        .iter()
        .enumerate()
        .map(|(i, a)| (i, key(a)))
        .collect();
    order.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut remaining = budget;
    let mut awards = Vec::new();
    for (i, _) in order {
        let amount = applications[i].request;
        if amount > 0.0 && amount <= remaining {
            remaining -= amount;
            awards.push(i);
        }
    }
    awards
}

#[cfg(test)]
mod tests {
    use super::super::test_support::application;
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;

    #[test]
    fn requests_have_the_requested_median_a_heavy_tail_and_never_pass_the_call() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let mut draws: Vec<f64> = (0..100_001)
            .map(|_| request(rng.random(), 6.0, 1.6, 1.0e9))
            .collect();
        draws.sort_by(f64::total_cmp);
        let median = draws[50_000];
        assert!((median - 6.0).abs() < 0.15, "{median}");
        assert!(
            draws[100_000] > 55.0,
            "the largest of 100k requests passes 55M"
        );
        // Truncated at a call's budget: never above it, and reaching close to it.
        for cap in [6.0, 24.0, 80.0] {
            let most = (0..10_000)
                .map(|_| request(rng.random(), 6.0, 1.6, cap))
                .fold(0.0, f64::max);
            assert!(most <= cap && most > 0.9 * cap, "{most} in a call of {cap}");
        }
        assert_eq!(
            request(0.3, 6.0, 1.6, 1.0),
            1.0,
            "a small call is asked for whole"
        );
    }

    #[test]
    fn the_contest_formula_on_a_known_case() {
        // w = (1, 2, 1), x = (1, 1, 2), r = 2: scores 1, 2, 4 of 7.
        let p = tullock(&[1.0, 2.0, 1.0], &[1.0, 1.0, 2.0], 2.0);
        for (got, want) in p.iter().zip([1.0 / 7.0, 2.0 / 7.0, 4.0 / 7.0]) {
            assert!((got - want).abs() < 1e-12, "{p:?}");
        }
        // r = 0 is a lottery among equal weights, whatever the quality.
        let lottery = tullock(&[1.0, 1.0], &[0.2, 5.0], 0.0);
        assert!((lottery[0] - 0.5).abs() < 1e-12);
        // The first place of the contest's order follows the formula: one award of the budget.
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        let n = 70_000;
        let mut first = [0usize; 3];
        for _ in 0..n {
            let apps: Vec<Application> = [(1.0, 1.0), (2.0, 1.0), (1.0, 2.0)]
                .iter()
                .map(|&(w, x)| application(w, x, 1.0, 1.0 - rng.random::<f64>()))
                .collect();
            let awards = contest(&apps, 2.0, 1.0);
            assert_eq!(awards.len(), 1);
            first[awards[0]] += 1;
        }
        for (k, want) in [1.0 / 7.0, 2.0 / 7.0, 4.0 / 7.0].iter().enumerate() {
            let got = first[k] as f64 / n as f64;
            assert!((got - want).abs() < 0.01, "place 1 of {k}: {got} vs {want}");
        }
    }

    #[test]
    fn no_award_exceeds_its_call_and_a_call_pays_at_most_its_budget() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        for budget in [0.3, 5.0, 24.0, 80.0] {
            for _ in 0..500 {
                let apps: Vec<Application> = (0..30)
                    .map(|_| {
                        let ask = request(rng.random(), 6.0, 1.6, budget);
                        application(
                            1.0,
                            0.5 + rng.random::<f64>(),
                            ask,
                            1.0 - rng.random::<f64>(),
                        )
                    })
                    .collect();
                let awards = contest(&apps, 1.0, budget);
                let paid: f64 = awards.iter().map(|&k| apps[k].request).sum();
                assert!(paid <= budget + 1e-9, "{paid} of {budget}");
                assert!(awards.iter().all(|&k| apps[k].request <= budget));
                // Whatever is left could not pay any request that lost.
                let left = budget - paid;
                assert!((0..apps.len())
                    .filter(|k| !awards.contains(k))
                    .all(|k| apps[k].request > left));
            }
        }
    }
}
