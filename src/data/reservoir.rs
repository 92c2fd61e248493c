//! A fixed-size, evenly drawn sample of a stream (Vitter's algorithm R), for `fit`'s empirical
//! handle times: memory stays flat however many calls are read, and the same file always gives
//! the same sample (the draws come from a counter-based hash, not a random stream).

/// Values kept.
pub const RESERVOIR_SIZE: usize = 1000;

/// An evenly drawn sample of at most [`RESERVOIR_SIZE`] of the values offered.
#[derive(Clone, Debug, Default)]
pub struct Reservoir {
    values: Vec<f64>,
    seen: u64,
}

/// SplitMix64: a well-mixed 64-bit hash of a counter.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Reservoir {
    /// Offers one value: kept with probability size ÷ values seen, replacing one at random.
    pub fn offer(&mut self, x: f64) {
        self.seen += 1;
        if self.values.len() < RESERVOIR_SIZE {
            self.values.push(x);
            return;
        }
        let j = mix(self.seen) % self.seen;
        if (j as usize) < RESERVOIR_SIZE {
            self.values[j as usize] = x;
        }
    }

    /// The sample.
    pub fn values(&self) -> &[f64] {
        &self.values
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_is_even_over_the_stream() {
        let mut r = Reservoir::default();
        for i in 0..100_000 {
            r.offer(f64::from(i));
        }
        assert_eq!(r.values().len(), RESERVOIR_SIZE);
        // Values are 0..100000 evenly: the sample's mean is near 50,000 (sd of the mean of
        // 1,000 uniform draws: 28,868 / √1000 ≈ 913; 4 of them allowed).
        let mean = r.values().iter().sum::<f64>() / RESERVOIR_SIZE as f64;
        assert!((mean - 49_999.5).abs() < 4.0 * 913.0, "{mean}");
        // The last tenth of the stream holds about a tenth of the sample.
        let late = r.values().iter().filter(|&&x| x >= 90_000.0).count();
        assert!((60..=140).contains(&late), "{late}");
    }
}
