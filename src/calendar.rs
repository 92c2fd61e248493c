//! The real calendar behind simulated time: weekday and month of each simulated day.
//!
//! Simulated time zero is 00:00 on the scenario's `start_date`. The table holds a few bytes
//! per simulated day (about 4 KB per simulated year), built once per replication with jiff.

use jiff::civil::Date;

pub use crate::time::{HOUR_S, HOURS_PER_WEEK, HOURS_PER_YEAR};

/// What the calendar says about one simulated day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Day {
    /// 0 = Monday … 6 = Sunday.
    pub weekday: u8,
    /// 0 = January … 11 = December.
    pub month_of_year: u8,
    /// Calendar months since the start date's month (0 for the first month).
    pub month_index: u16,
}

/// Weekday and month of every simulated day.
#[derive(Clone, Debug)]
pub struct Calendar {
    days: Vec<Day>,
}

impl Calendar {
    /// The calendar of `days` days from `start`.
    pub fn new(start: Date, days: usize) -> Calendar {
        let mut out = Vec::with_capacity(days);
        let mut date = start;
        let (y0, m0) = (i32::from(start.year()), i32::from(start.month()));
        for _ in 0..days.max(1) {
            let months = (i32::from(date.year()) - y0) * 12 + i32::from(date.month()) - m0;
            out.push(Day {
                weekday: date.weekday().to_monday_zero_offset() as u8,
                month_of_year: (date.month() - 1) as u8,
                month_index: months.clamp(0, i32::from(u16::MAX)) as u16,
            });
            date = date.tomorrow().unwrap_or(date);
        }
        Calendar { days: out }
    }

    /// Day `d` of the run (the last known day beyond the table).
    #[inline]
    pub fn day(&self, d: usize) -> Day {
        self.days[d.min(self.days.len() - 1)]
    }

    /// Number of days in the table.
    pub fn len(&self) -> usize {
        self.days.len()
    }

    /// Whether the table is empty (never: it holds at least one day).
    pub fn is_empty(&self) -> bool {
        self.days.is_empty()
    }
}

/// Short label of an hour of the week, e.g. `Mon 07`.
pub fn hour_of_week_label(how: usize) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    format!("{} {:02}", DAYS[(how / 24) % 7], how % 24)
}

/// Days in the year starting at `start` (365 or 366).
pub fn days_in_first_year(start: Date) -> usize {
    let next = start
        .checked_add(jiff::Span::new().years(1))
        .unwrap_or(start);
    (next.since(start).map(|s| s.get_days()).unwrap_or(365)).clamp(365, 366) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_and_months_follow_the_real_calendar() {
        // 2024-01-01 was a Monday; 2024 is a leap year.
        let c = Calendar::new(Date::new(2024, 1, 1).unwrap(), 400);
        assert_eq!(
            c.day(0),
            Day {
                weekday: 0,
                month_of_year: 0,
                month_index: 0
            }
        );
        assert_eq!(c.day(5).weekday, 5, "Saturday 6 January");
        assert_eq!(
            c.day(59),
            Day {
                weekday: 3,
                month_of_year: 1,
                month_index: 1
            },
            "Thursday 29 February"
        );
        assert_eq!(
            c.day(366),
            Day {
                weekday: 2,
                month_of_year: 0,
                month_index: 12
            },
            "Wednesday 1 January 2025"
        );
        assert_eq!(days_in_first_year(Date::new(2024, 1, 1).unwrap()), 366);
        assert_eq!(days_in_first_year(Date::new(2023, 3, 1).unwrap()), 366);
        assert_eq!(days_in_first_year(Date::new(2022, 7, 1).unwrap()), 365);
        assert_eq!(hour_of_week_label(24 * 5 + 23), "Sat 23");
    }
}
