//! Time integrals: a level (handlers on duty or busy, officers) integrated over the run and per
//! interval, and the time spent at each number in system.

use crate::calendar::{Calendar, HOURS_PER_WEEK};
use crate::time::{HOUR_US, SimTime};

use super::tally::Micros;

/// A time-weighted level (handlers on duty, busy handlers) integrated over the window, overall
/// and per interval.
///
/// Area accumulates in the current hour and is flushed to the interval arrays when the hour
/// changes, so an update within the hour costs one multiply-add.
#[derive(Clone, Debug, Default)]
pub struct Level {
    /// Current level.
    pub now: u32,
    /// Integral over the window, level-microseconds.
    pub area: Micros,
    /// Integral per hour of the week.
    pub by_hour_of_week: Vec<u128>,
    /// Integral per calendar month of the run.
    pub by_month: Vec<u128>,
    /// Integral per week of the run.
    pub by_week: Vec<u128>,
    since: SimTime,
    hour: u64,
    hour_area: u128,
    /// The hour last added to the interval cells, and its cells.
    cells_hour: (u64, (usize, usize, usize)),
}
/// Time spent at each number in system (handled plus waiting), per hour of the week: the
/// distribution the iterative staffing algorithm needs. Kept only when asked for.
#[derive(Clone, Debug)]
pub struct InSystemByHour {
    /// `[hour of week][n]`: microseconds with exactly `n` contacts in the system (the last
    /// bucket holds `n` and above).
    pub time_at: Vec<Vec<u64>>,
    level: usize,
    since: SimTime,
}

/// Most contacts in system tracked individually by [`InSystemByHour`].
pub const IN_SYSTEM_CAP: usize = 4096;

impl InSystemByHour {
    pub(super) fn new() -> InSystemByHour {
        InSystemByHour {
            time_at: vec![Vec::new(); HOURS_PER_WEEK],
            level: 0,
            since: SimTime::ZERO,
        }
    }

    /// Moves the level by `delta` at `now`, booking the time spent at the old level.
    pub(super) fn change(
        &mut self,
        now: SimTime,
        delta: i64,
        warmup: SimTime,
        calendar: &Calendar,
    ) {
        let level = self.level.min(IN_SYSTEM_CAP);
        for (hour, micros) in by_hour(self.since.max(warmup), now.max(warmup)) {
            let (how, _, _) = cells_of(calendar, SimTime(hour * HOUR_US));
            let cell = &mut self.time_at[how];
            if cell.len() <= level {
                cell.resize(level + 1, 0);
            }
            cell[level] += micros;
        }
        self.level = (self.level as i64 + delta).max(0) as usize;
        self.since = now;
    }
}

/// `from..to` cut at hour boundaries: each piece's hour of the run and its length in
/// microseconds.
#[inline]
fn by_hour(mut from: SimTime, to: SimTime) -> impl Iterator<Item = (u64, u64)> {
    std::iter::from_fn(move || {
        (from < to).then(|| {
            let hour = from.0 / HOUR_US;
            let end = ((hour + 1) * HOUR_US).min(to.0);
            let piece = (hour, end - from.0);
            from = SimTime(end);
            piece
        })
    })
}

/// Interval indices (hour of week, month of run, week of run) of an instant.
#[inline]
pub(super) fn cells_of(calendar: &Calendar, t: SimTime) -> (usize, usize, usize) {
    let hour = (t.0 / HOUR_US) as usize;
    let day_index = hour / 24;
    let day = calendar.day(day_index);
    (
        usize::from(day.weekday) * 24 + hour % 24,
        usize::from(day.month_index),
        day_index / 7,
    )
}

impl Level {
    pub(super) fn new(months: usize, weeks: usize) -> Level {
        Level {
            by_hour_of_week: vec![0; HOURS_PER_WEEK],
            by_month: vec![0; months],
            by_week: vec![0; weeks],
            cells_hour: (u64::MAX, (0, 0, 0)),
            ..Level::default()
        }
    }

    /// Integrates the current level from `since` to `now` (clipped to after `warmup`), splitting
    /// at hour boundaries, then sets the new level.
    #[inline]
    pub(super) fn set(&mut self, now: SimTime, level: u32, warmup: SimTime, calendar: &Calendar) {
        for (hour, micros) in by_hour(self.since.max(warmup), now.max(warmup)) {
            if hour != self.hour {
                self.flush(calendar);
                self.hour = hour;
            }
            self.hour_area += u128::from(self.now) * u128::from(micros);
        }
        (self.now, self.since) = (level, now);
    }

    /// Adds one unit of level over `from..to` straight into the totals and interval arrays (a
    /// span known in advance, such as a call whose end is not an event).
    pub(super) fn add_span(&mut self, from: SimTime, to: SimTime, calendar: &Calendar) {
        for (hour, micros) in by_hour(from, to) {
            self.add_in_hour(hour, u128::from(micros), calendar);
        }
    }

    /// Moves the current hour's area into the totals and interval arrays.
    pub(super) fn flush(&mut self, calendar: &Calendar) {
        if self.hour_area > 0 {
            self.add_in_hour(self.hour, self.hour_area, calendar);
            self.hour_area = 0;
        }
    }

    /// Adds `area` in hour `hour` of the run to the total and to its interval cells.
    #[inline]
    fn add_in_hour(&mut self, hour: u64, area: u128, calendar: &Calendar) {
        if hour != self.cells_hour.0 {
            let (how, month, week) = cells_of(calendar, SimTime(hour * HOUR_US));
            let (last_month, last_week) = (self.by_month.len() - 1, self.by_week.len() - 1);
            self.cells_hour = (hour, (how, month.min(last_month), week.min(last_week)));
        }
        let (how, month, week) = self.cells_hour.1;
        self.area.0 += area;
        self.by_hour_of_week[how] += area;
        self.by_month[month] += area;
        self.by_week[week] += area;
    }
}
