//! The random streams of a run, laid out so that two runs on one seed stay coupled when a
//! parameter differs between them (common random numbers): every draw of a mechanism in a month
//! comes from a stream of its own, keyed by (territory, month, mechanism), and every initial
//! resident from a stream keyed by (territory, resident). A change that makes one mechanism draw
//! more or fewer numbers in one month therefore shifts no other mechanism, month or resident:
//! the paths of the two runs differ only by what the change itself does.

use experiment::seeds::mix;
use rand::SeedableRng;
use rand_xoshiro::{SplitMix64, Xoshiro256PlusPlus};

/// Key of the streams that build a territory before its first month (no month is this low).
const INITIAL: i64 = i64::MIN;
/// Salt of the per-resident streams of the initial population.
const RESIDENTS: u64 = 0x5245_5349_4445_4e54;
/// Salt of the per-community task streams.
const COMMUNITIES: u64 = 0x5441_534b_5354_524d;
/// Mechanism key of the region's grant calls.
pub const GRANT_CALLS: u64 = u64::MAX;

/// The base seed of territory `t` of a run.
pub fn territory_seed(run_seed: u64, t: usize) -> u64 {
    mix(run_seed ^ mix(t as u64 + 1))
}

/// The stream of `mechanism` (its place in the monthly schedule) in `month` under `seed`.
pub fn mechanism(seed: u64, month: i32, mechanism: u64) -> Xoshiro256PlusPlus {
    keyed(seed, i64::from(month), mechanism)
}

/// The stream of part `part` of building a territory (administration, communities).
pub fn initial(seed: u64, part: u64) -> Xoshiro256PlusPlus {
    keyed(seed, INITIAL, part)
}

/// The base of initial resident `i`'s trait streams (counter-based: no generator is built).
pub fn resident(seed: u64, i: usize) -> u64 {
    mix(mix(seed ^ RESIDENTS) ^ i as u64)
}

/// The stream of trait `t` of a resident whose draws start from `base`: SplitMix64, whose state
/// is its seed, so a stream costs nothing to start (a trait takes a few numbers).
pub fn resident_trait(base: u64, t: u64) -> SplitMix64 {
    SplitMix64::seed_from_u64(mix(base ^ mix(t + 1)))
}

/// The draws of one applicant (territory `t`, community `c`; `c` = `u64::MAX` for a
/// territory's administration) in one call whose key is `call`: counter-based, so whether other
/// communities live, die or apply shifts none of this applicant's draws.
pub fn applicant(call: u64, t: usize, c: u64) -> SplitMix64 {
    SplitMix64::seed_from_u64(mix(mix(call ^ mix(t as u64 + 1)) ^ c))
}

/// The draws of community `c`'s task portfolio in `month` (territory seed `seed`):
/// counter-based, so one community drawing more or fewer numbers shifts no other community's.
pub fn community(seed: u64, month: i32, c: u64) -> SplitMix64 {
    SplitMix64::seed_from_u64(mix(mix(mix(seed ^ COMMUNITIES) ^ mix(month as u64)) ^ c))
}

/// Salt of the per-community streams of founding partners (`ties::at_founding`).
const FOUNDING: u64 = 0x464f_554e_4449_4e47;

/// The draws of community `c`'s founding partners (territory seed `seed`): counter-based, so a
/// community's founding ties shift no draw of the mechanism that founded it, nor another
/// community's.
pub fn founding(seed: u64, c: u64) -> SplitMix64 {
    SplitMix64::seed_from_u64(mix(mix(seed ^ FOUNDING) ^ c))
}

/// Salt of the study's sample (`waves`).
const STUDY_SAMPLE: u64 = 0x5354_5544_595f_534d;

/// The sampling key of community `c` of territory `t` in the study's sample of a run (`waves`):
/// a hash of (run seed, territory, community), not a stream, so choosing the sample shifts no
/// draw of any mechanism, and a community's key does not depend on which others exist.
pub fn study_sample(run_seed: u64, t: usize, c: usize) -> u64 {
    mix(mix(mix(run_seed ^ STUDY_SAMPLE) ^ mix(t as u64 + 1)) ^ c as u64)
}

/// Salt of the uniforms of month-0 adoption (`adoption`).
const ADOPTION: u64 = 0x4144_4f50_5449_4f4e;

/// The uniform on [0, 1) with which agent `agent` of the territory whose base seed is `seed`
/// adopts trait `key` at month 0 (`adoption`): a hash of (territory seed, trait, agent), not a
/// stream, so a scenario and its reference, or two scenarios of one reference, draw the same
/// number for the same agent (common random numbers), and adopting one trait shifts no other.
pub fn adoption(seed: u64, key: u64, agent: u64) -> f64 {
    let mut r = SplitMix64::seed_from_u64(mix(mix(mix(seed ^ ADOPTION) ^ mix(key + 1)) ^ agent));
    rand::Rng::random(&mut r)
}

/// The stream from which a territory opens the firms its market gains at month 0
/// (`adoption`).
pub fn adoption_firms(seed: u64) -> Xoshiro256PlusPlus {
    keyed(seed, INITIAL, ADOPTION)
}

fn keyed(seed: u64, month: i64, key: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(mix(mix(seed ^ mix(month as u64)) ^ key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn streams_of_different_keys_differ_and_a_key_gives_one_stream() {
        let first = |mut r: Xoshiro256PlusPlus| r.random::<u64>();
        let s = territory_seed(7, 0);
        assert_ne!(s, territory_seed(7, 1));
        assert_eq!(first(mechanism(s, 3, 2)), first(mechanism(s, 3, 2)));
        assert_ne!(first(mechanism(s, 3, 2)), first(mechanism(s, 4, 2)));
        assert_ne!(first(mechanism(s, 3, 2)), first(mechanism(s, 3, 1)));
        assert_ne!(first(initial(s, 0)), first(mechanism(s, 0, 0)));
        assert_ne!(resident(s, 0), resident(s, 1));
        assert_ne!(
            resident_trait(1, 0).random::<u64>(),
            resident_trait(1, 1).random::<u64>()
        );
    }
}
