//! Run seeds. A run is identified by (point, replicate); its seed is a SplitMix64 hash of the
//! master seed, the point and the replicate, so any run can be reproduced alone and a sweep is
//! only more points.

use crate::model::region::mix;

/// The seed of run (point, replicate) under `master`.
pub fn derive_seed(master: u64, point: u64, replicate: u64) -> u64 {
    mix(mix(mix(master) ^ point.wrapping_add(1))
        ^ replicate
            .wrapping_add(1)
            .wrapping_mul(0xD1B5_4A32_D192_ED03))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seed of run (0, 0) under master seed 1, pinned: changing it changes every published run.
    const PINNED_SEED: u64 = 11271435785553479821;

    #[test]
    fn seeds_are_pinned_and_distinct() {
        // Value stability: changing the derivation changes every published run.
        assert_eq!(derive_seed(1, 0, 0), PINNED_SEED);
        let mut seen = std::collections::HashSet::new();
        for p in 0..50 {
            for r in 0..50 {
                assert!(seen.insert(derive_seed(42, p, r)));
            }
        }
        assert_ne!(derive_seed(1, 0, 1), derive_seed(1, 1, 0));
    }
}
