//! Run seeds. A run is identified by (point, replicate); its seed is a SplitMix64 hash of the
//! master seed, the point and the replicate, so any run can be reproduced alone and a sweep is
//! only more points.

/// SplitMix64's finaliser: a bijective hash of 64 bits, for seeds and stream numbers.
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// How the seeds of an experiment's runs derive from its master seed: independent streams for
/// every (point, replicate), or common random numbers, where replicate r has the same seed at
/// every design point, so that points can be compared run by run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seeding {
    pub master: u64,
    pub common_random_numbers: bool,
}

impl Seeding {
    /// Independent seeds for every (point, replicate).
    pub fn independent(master: u64) -> Seeding {
        Seeding {
            master,
            common_random_numbers: false,
        }
    }

    /// The seed of run (point, replicate): with common random numbers, that of (0, replicate)
    /// whatever the point, so design point 0 has the same seeds either way.
    pub fn seed(&self, point: u64, replicate: u64) -> u64 {
        let point = if self.common_random_numbers { 0 } else { point };
        derive_seed(self.master, point, replicate)
    }
}

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

    #[test]
    fn common_random_numbers_give_a_replicate_one_seed_at_every_point() {
        let common = Seeding {
            master: 7,
            common_random_numbers: true,
        };
        let independent = Seeding::independent(7);
        for r in 0..5 {
            assert_eq!(common.seed(3, r), common.seed(0, r));
            assert_eq!(common.seed(0, r), independent.seed(0, r));
            assert_ne!(independent.seed(3, r), independent.seed(0, r));
        }
    }
}
