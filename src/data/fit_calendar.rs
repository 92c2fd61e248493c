//! The calendar in a fit: a trend when the data spans two years or more, and a month profile
//! when it covers at least two calendar months — both from the calls per day.
//!
//! One year of data cannot tell seasonality from growth, so growth is fitted only from two
//! full years (the last year's calls over the first year's), and the month profile from the
//! calls per day with that growth taken out.

use std::collections::BTreeMap;

use jiff::civil::{Date, DateTime};

use crate::calendar::HOURS_PER_WEEK;

/// A month counts in the profile only with at least this many days of data.
const MIN_DAYS_IN_MONTH: u32 = 7;

/// How often each hour of the week (Monday 00:00 first) occurs from the hour of `first` to the
/// end of the hour of `last`.
pub fn hours_covered(first: DateTime, last: DateTime) -> [u64; HOURS_PER_WEEK] {
    let mut covered = [0; HOURS_PER_WEEK];
    let hour_of =
        |t: DateTime| t.weekday().to_monday_zero_offset() as usize * 24 + t.hour() as usize;
    let within = |t: DateTime| i32::from(t.minute()) * 60 + i32::from(t.second());
    let hours = first.duration_until(last).as_secs().max(0) / 3600
        + i64::from(within(last) < within(first));
    let h0 = hour_of(first);
    for k in 0..=hours {
        covered[(h0 + k as usize) % HOURS_PER_WEEK] += 1;
    }
    covered
}

/// Yearly growth: calls in the last 365 days over calls in the first 365, less one; `None`
/// under 730 days or without calls in the first year.
pub fn growth(per_day: &BTreeMap<Date, u64>, start: Date, days: i64) -> Option<f64> {
    if days < 730 {
        return None;
    }
    let day = |d: i64| start.checked_add(jiff::Span::new().days(d)).ok();
    let calls = |from: i64| -> u64 {
        (from..from + 365)
            .filter_map(day)
            .map(|d| per_day.get(&d).copied().unwrap_or(0))
            .sum()
    };
    let (first, last) = (calls(0), calls(days - 365));
    // The two windows are (days − 365) / 365.25 years apart.
    let years = (days - 365) as f64 / 365.25;
    (first > 0).then(|| (last as f64 / first as f64).powf(1.0 / years) - 1.0)
}

/// The first year's mean daily calls over the whole data's: what turns the data's mean rate
/// into the first-year rate a scenario with growth states.
pub fn first_year_factor(per_day: &BTreeMap<Date, u64>, start: Date, days: i64) -> f64 {
    let in_first: u64 = (0..365.min(days))
        .filter_map(|d| start.checked_add(jiff::Span::new().days(d)).ok())
        .map(|d| per_day.get(&d).copied().unwrap_or(0))
        .sum();
    let total: u64 = per_day.values().sum();
    if total == 0 {
        return 1.0;
    }
    (in_first as f64 / 365.0_f64.min(days as f64)) / (total as f64 / days as f64)
}

/// Month weights (January first) from the calls per day with `growth` taken out: each month
/// with enough days its rate over the whole data's rate, other months 1; `None` when fewer
/// than two months have enough days.
pub fn month_profile(
    per_day: &BTreeMap<Date, u64>,
    start: Date,
    days: i64,
    growth: f64,
) -> Option<Vec<f64>> {
    let (mut calls, mut covered) = ([0.0f64; 12], [0u32; 12]);
    for d in 0..days {
        let Ok(date) = start.checked_add(jiff::Span::new().days(d)) else {
            continue;
        };
        let m = usize::from(date.month() as u8 - 1);
        let detrended = (1.0 + growth).powf(-(d as f64) / 365.25);
        calls[m] += per_day.get(&date).copied().unwrap_or(0) as f64 * detrended;
        covered[m] += 1;
    }
    let used: Vec<usize> = (0..12)
        .filter(|&m| covered[m] >= MIN_DAYS_IN_MONTH)
        .collect();
    if used.len() < 2 {
        return None;
    }
    let total: f64 = used.iter().map(|&m| calls[m]).sum();
    let total_days: f64 = used.iter().map(|&m| f64::from(covered[m])).sum();
    let mean = total / total_days;
    if mean <= 0.0 {
        return None;
    }
    Some(
        (0..12)
            .map(|m| {
                if covered[m] >= MIN_DAYS_IN_MONTH {
                    calls[m] / f64::from(covered[m]) / mean
                } else {
                    1.0
                }
            })
            .collect(),
    )
}

/// Over-dispersion of daily counts beyond Poisson: with expected count e and observed n per
/// day, E[(n − e)²] = e + cv² e², so cv² = Σ((n − e)² − n) / Σ e², floored at 0. Each day's
/// expectation follows its weekday's hour weights, its month's weight and the growth, scaled
/// so that the expected calls add up to the observed (redials included, as the days count
/// them).
pub fn day_cv(
    per_day: &BTreeMap<Date, u64>,
    start: Date,
    days: i64,
    calendar: &CalendarFit,
) -> f64 {
    if days < 14 {
        return 0.0;
    }
    let shape: Vec<(f64, f64)> = (0..days)
        .filter_map(|d| {
            let date = start.checked_add(jiff::Span::new().days(d)).ok()?;
            let wd = date.weekday().to_monday_zero_offset() as usize;
            // The first and last days count only the hours the data covers.
            let from = if d == 0 {
                calendar.first_hour.min(23)
            } else {
                0
            };
            let until = if d == days - 1 {
                calendar.last_hour.min(23)
            } else {
                23
            };
            let hours: f64 = calendar
                .hour_of_week
                .map_or((until + 1 - from) as f64, |w| {
                    w[wd * 24 + from..=wd * 24 + until].iter().sum()
                });
            let month = calendar
                .month
                .map_or(1.0, |m| m[usize::from(date.month() as u8 - 1)]);
            let trend = (1.0 + calendar.growth).powf(d as f64 / 365.25);
            let n = *per_day.get(&date).unwrap_or(&0) as f64;
            Some((hours * month * trend, n))
        })
        .collect();
    let (weight, calls) = shape
        .iter()
        .fold((0.0, 0.0), |(w, n), s| (w + s.0, n + s.1));
    if weight <= 0.0 {
        return 0.0;
    }
    let (mut num, mut den) = (0.0, 0.0);
    for (w, n) in shape {
        let e = calls * w / weight;
        num += (n - e).powi(2) - n;
        den += e * e;
    }
    if den > 0.0 {
        (num / den).max(0.0).sqrt()
    } else {
        0.0
    }
}

/// What a day's expected calls follow besides the rate.
pub struct CalendarFit<'a> {
    /// Hour-of-week weights, if fitted.
    pub hour_of_week: Option<&'a [f64]>,
    /// Month weights, if fitted.
    pub month: Option<&'a [f64]>,
    /// Yearly growth (0 without).
    pub growth: f64,
    /// The hour of the day of the data's first call: its first day counts from there.
    pub first_hour: usize,
    /// The hour of the day of the data's last call: its last day counts up to its end.
    pub last_hour: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn days(start: Date, n: i64, calls: impl Fn(Date, i64) -> u64) -> BTreeMap<Date, u64> {
        (0..n)
            .map(|d| {
                let day = start.checked_add(jiff::Span::new().days(d)).unwrap();
                (day, calls(day, d))
            })
            .collect()
    }

    #[test]
    fn hours_covered_run_from_the_first_call_s_hour_to_the_last_s() {
        let at = |s: &str| s.parse::<DateTime>().expect("date-time");
        // Monday 10:50 to Tuesday 11:10: Monday 10–23 and Tuesday 00–11, once each.
        let c = hours_covered(at("2024-01-01T10:50"), at("2024-01-02T11:10"));
        assert_eq!(c.iter().sum::<u64>(), 14 + 12);
        assert_eq!((c[9], c[10], c[24 + 11], c[24 + 12]), (0, 1, 1, 0));
        // Two weeks from midnight to the last hour: every hour twice.
        let c = hours_covered(at("2024-01-01T00:00"), at("2024-01-14T23:59:59"));
        assert!(c.iter().all(|&n| n == 2), "{c:?}");
    }

    #[test]
    fn a_summer_peak_is_a_month_profile_and_a_steady_rise_is_growth() {
        let start = date(2022, 1, 1);
        // July and August half as busy again, and +10% a year, over three years.
        let per_day = days(start, 3 * 365 + 1, |day, d| {
            let season = if matches!(day.month(), 7 | 8) {
                1.5
            } else {
                1.0
            };
            (1000.0 * season * 1.1f64.powf(d as f64 / 365.25)).round() as u64
        });
        let g = growth(&per_day, start, 3 * 365 + 1).expect("two years and more");
        assert!((g - 0.10).abs() < 0.005, "{g}");
        let m = month_profile(&per_day, start, 3 * 365 + 1, g).expect("months");
        let ratio = m[6] / m[0];
        assert!(
            (ratio - 1.5).abs() < 0.03,
            "July over January: {ratio} ({m:?})"
        );
        // One year: no growth; under two months: no profile.
        assert!(growth(&per_day, start, 365).is_none());
        assert!(month_profile(&per_day, start, 20, 0.0).is_none());
    }
}
