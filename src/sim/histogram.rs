//! A fixed-size log-linear histogram of durations, for wait-time percentiles in flat memory.
//!
//! Durations are recorded in microseconds. Values below 256 µs have a bucket each (exact);
//! above that every power of two is split into 128 buckets, so a reported percentile is within
//! 0.4% (half a bucket) of the true sample percentile. Recording is a few integer operations
//! and never allocates; the size does not depend on the horizon.

use crate::time::SimTime;

/// Sub-bucket bits per power of two: 2^7 = 128 buckets per octave.
const SUB_BITS: u32 = 7;
const SUB_COUNT: u64 = 1 << SUB_BITS;
/// Highest bit position tracked; larger values (over 142 years) share the last bucket.
const MAX_BIT: u32 = 52;
const EXACT: usize = 2 * SUB_COUNT as usize;
const BUCKETS: usize = EXACT + (MAX_BIT - SUB_BITS) as usize * SUB_COUNT as usize;

/// Counts of durations in log-linear buckets.
#[derive(Clone, Debug)]
pub struct Histogram {
    counts: Box<[u64]>,
    total: u64,
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram {
            counts: vec![0; BUCKETS].into_boxed_slice(),
            total: 0,
        }
    }
}

fn bucket_of(micros: u64) -> usize {
    if micros < EXACT as u64 {
        return micros as usize;
    }
    let high = (63 - micros.leading_zeros()).min(MAX_BIT);
    let shift = high - SUB_BITS;
    let mantissa = (micros >> shift).min(2 * SUB_COUNT - 1);
    EXACT + (shift as usize - 1) * SUB_COUNT as usize + (mantissa - SUB_COUNT) as usize
}

/// The midpoint of a bucket, in microseconds.
fn representative(bucket: usize) -> f64 {
    if bucket < EXACT {
        return bucket as f64;
    }
    let rel = bucket - EXACT;
    let shift = (rel / SUB_COUNT as usize) as u32 + 1;
    let mantissa = (rel % SUB_COUNT as usize) as u64 + SUB_COUNT;
    (mantissa << shift) as f64 + (1u64 << shift) as f64 / 2.0
}

impl Histogram {
    /// Records one duration.
    #[inline]
    pub fn record(&mut self, duration: SimTime) {
        self.counts[bucket_of(duration.0)] += 1;
        self.total += 1;
    }

    /// Number of durations recorded.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// The `q`-quantile (0 < q ≤ 1) in seconds: the smallest bucket holding at least a share
    /// `q` of the values at or below it. `None` when nothing was recorded.
    pub fn quantile_s(&self, q: f64) -> Option<f64> {
        if self.total == 0 {
            return None;
        }
        let rank = ((q * self.total as f64).ceil() as u64).clamp(1, self.total);
        let mut seen = 0;
        for (bucket, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return Some(representative(bucket) / 1e6);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_monotone_and_contain_their_values() {
        let mut last = 0;
        for v in (0..2_000_000u64)
            .step_by(7)
            .chain([1 << 40, (1 << 40) + 12345, u64::MAX])
        {
            let b = bucket_of(v);
            assert!(b >= last, "bucket order broke at {v}");
            assert!(b < BUCKETS);
            last = b;
            if v < 1 << 50 {
                let r = representative(b);
                assert!(
                    (r - v as f64).abs() <= (v as f64) / 256.0 + 0.5,
                    "{v} -> {r}"
                );
            }
        }
    }

    #[test]
    fn quantiles_of_a_known_sample() {
        let mut h = Histogram::default();
        for s in 1..=1000 {
            h.record(SimTime::from_secs(f64::from(s)));
        }
        for (q, want) in [(0.5, 500.0), (0.9, 900.0), (0.99, 990.0), (1.0, 1000.0)] {
            let got = h.quantile_s(q).unwrap();
            assert!((got / want - 1.0).abs() < 0.004, "q={q}: {got}");
        }
        assert_eq!(Histogram::default().quantile_s(0.5), None);
    }
}
