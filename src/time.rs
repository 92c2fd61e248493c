//! Simulated time as an integer count of microseconds.
//!
//! The event queue orders by [`SimTime`], never by a bare `f64`: integer time has a total
//! order, cannot be NaN and ties are exact, so the documented tie-break ladder decides what
//! happens first. Sampled durations arrive as `f64` seconds and are converted here. Every unit
//! constant (seconds per hour, hours per week, …) and every conversion between seconds, hours
//! and event time lives in this module.

use std::fmt;

/// Microseconds in a second: the resolution of [`SimTime`].
pub const MICROS_PER_S: u64 = 1_000_000;
/// Microseconds in a second, as a float, for conversions of sampled durations and sums.
pub const MICROS_PER_S_F64: f64 = 1_000_000.0;
/// Seconds in an hour.
pub const HOUR_S: u64 = 3600;
/// Seconds in an hour, as a float: rates per hour become rates per second through it.
pub const SECS_PER_HOUR: f64 = 3600.0;
/// Seconds in a day, as a float.
pub const DAY_S: f64 = 86_400.0;
/// Seconds in a week, as a float.
pub const WEEK_S: f64 = 604_800.0;
/// Microseconds in an hour.
pub const HOUR_US: u64 = HOUR_S * MICROS_PER_S;
/// Microseconds in a day.
pub const DAY_US: u64 = 24 * HOUR_US;
/// Hours in a day.
pub const HOURS_PER_DAY: usize = 24;
/// Hours in a week: the number of hour-of-week cells.
pub const HOURS_PER_WEEK: usize = 168;
/// Mean hours in a year (365.25 days), for growth rates.
pub const HOURS_PER_YEAR: f64 = 8766.0;
/// Mean days in a year, for rates per year.
pub const DAYS_PER_YEAR: f64 = 365.25;

/// A point in simulated time (or a duration), in whole microseconds since the run started.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(pub u64);

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
        SimTime((seconds * MICROS_PER_S_F64 + 0.5) as u64)
    }

    /// Converts hours to simulated time.
    pub fn from_hours(hours: f64) -> SimTime {
        SimTime::from_secs(hours * SECS_PER_HOUR)
    }

    /// This time in seconds.
    pub fn as_secs(self) -> f64 {
        self.0 as f64 / MICROS_PER_S_F64
    }

    /// This time in hours.
    pub fn as_hours(self) -> f64 {
        self.as_secs() / SECS_PER_HOUR
    }

    /// A whole number of seconds (a time of day, a shift start) as simulated time.
    pub const fn from_whole_secs(seconds: u64) -> SimTime {
        SimTime(seconds * MICROS_PER_S)
    }

    /// The start of simulated day `day`.
    pub const fn from_days(day: u64) -> SimTime {
        SimTime(day * DAY_US)
    }

    /// Whole simulated hours since time zero.
    pub const fn whole_hours(self) -> u64 {
        self.0 / HOUR_US
    }

    /// Whole simulated days since time zero.
    pub const fn whole_days(self) -> u64 {
        self.0 / DAY_US
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

/// A sum of microseconds (a time integral or a sum of waits) in seconds.
pub fn micros_to_secs(micros: u128) -> f64 {
    micros as f64 / MICROS_PER_S_F64
}

/// A rate per hour as a rate per second.
pub fn per_second(rate_per_hour: f64) -> f64 {
    rate_per_hour / SECS_PER_HOUR
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
