//! A small deterministic pseudo-random generator for tests (xorshift64), so that
//! randomized tests replay the same inputs on every run.

/// Returns a generator of pseudo-random `u64`s starting from `seed` (non-zero).
pub(crate) fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}
