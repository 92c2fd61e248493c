//! Simulated time as an integer count of microseconds.
//!
//! The event queue orders by [`SimTime`], never by a bare `f64`: integer time has a total
//! order, cannot be NaN and ties are exact, so the documented tie-break ladder decides what
//! happens first. Sampled durations arrive as `f64` seconds and are converted here, in one place.

use std::fmt;

/// A point in simulated time (or a duration), in whole microseconds since the run started.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(pub u64);

/// Microseconds per second.
const MICROS_PER_S: f64 = 1_000_000.0;

impl SimTime {
    /// Time zero, the start of a replication.
    pub const ZERO: SimTime = SimTime(0);
    /// A time later than any run can reach: used for "never" (infinite patience).
    pub const NEVER: SimTime = SimTime(u64::MAX);

    /// Converts seconds to simulated time, rounding to the nearest microsecond.
    ///
    /// Negative and NaN inputs become zero and values beyond the range saturate to
    /// [`SimTime::NEVER`]; validated distributions never produce either, so this is a guard.
    #[inline]
    pub fn from_secs(seconds: f64) -> SimTime {
        // `as` saturates: negative and NaN become 0, too large becomes u64::MAX (= NEVER).
        SimTime((seconds * MICROS_PER_S + 0.5) as u64)
    }

    /// Converts hours to simulated time.
    pub fn from_hours(hours: f64) -> SimTime {
        SimTime::from_secs(hours * 3600.0)
    }

    /// This time in seconds.
    pub fn as_secs(self) -> f64 {
        self.0 as f64 / MICROS_PER_S
    }

    /// This time plus a duration, saturating at [`SimTime::NEVER`].
    pub fn after(self, duration: SimTime) -> SimTime {
        SimTime(self.0.saturating_add(duration.0))
    }

    /// The duration from `earlier` to `self`, zero if `earlier` is later.
    pub fn since(self, earlier: SimTime) -> SimTime {
        SimTime(self.0.saturating_sub(earlier.0))
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.6} s", self.as_secs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_seconds_both_ways() {
        assert_eq!(SimTime::from_secs(1.5), SimTime(1_500_000));
        assert_eq!(SimTime::from_secs(1.5).as_secs(), 1.5);
        assert_eq!(SimTime::from_hours(1.0), SimTime(3_600_000_000));
    }

    #[test]
    fn guards_against_nonsense() {
        assert_eq!(SimTime::from_secs(-3.0), SimTime::ZERO);
        assert_eq!(SimTime::from_secs(f64::NAN), SimTime::ZERO);
        assert_eq!(SimTime::from_secs(f64::INFINITY), SimTime::NEVER);
        assert_eq!(SimTime::NEVER.after(SimTime(5)), SimTime::NEVER);
        assert_eq!(SimTime(3).since(SimTime(5)), SimTime::ZERO);
    }
}
