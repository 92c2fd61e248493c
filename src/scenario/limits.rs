//! The limits of a scenario that other layers check data against before building one (a
//! fit, a backtest over a force's dates): one definition, used by validation too.

use jiff::civil::Date;

/// Longest horizon accepted, in hours (100 years).
pub const MAX_HORIZON_HOURS: f64 = 876_600.0;
/// Largest day-to-day spread of arrivals (`day_cv`) accepted.
pub const MAX_DAY_CV: f64 = 2.0;
/// Largest yearly growth of arrivals accepted (+1,000% a year).
pub const MAX_GROWTH: f64 = 10.0;
/// Most handlers or officers a scenario may ask for.
pub const MAX_STAFF: i64 = 1_000_000;

/// Whether the calendar (which ends on 9999-12-31) covers a run of `hours` from `start`, with
/// the two days the engine looks ahead.
pub fn calendar_has_room(start: Date, hours: f64) -> bool {
    let days = (hours / 24.0).ceil() as i64 + 2;
    start.checked_add(jiff::Span::new().days(days)).is_ok()
}
