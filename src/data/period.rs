//! The data's dates as a run: the scenario keys that move a scenario onto them exactly, and
//! the refusal of dates no run can cover (past 100 years, or past the calendar's end), named
//! by the data's own first and last times rather than by keys the user never typed.

use jiff::civil::DateTime;

use crate::scenario::{MAX_HORIZON_HOURS, Override, calendar_has_room};

/// The keys the data's dates fix: a command that runs over the data refuses them as flags.
pub const PERIOD_KEYS: [&str; 3] = ["start_date", "horizon_hours", "warmup_hours"];

/// The overrides that move a scenario onto the data's hours exactly, and the days covered:
/// the run starts at midnight of the first day from an empty centre, counts from the hour of
/// the first call (the hours before are its warm-up) and ends with the hour of the last, so
/// that every interval covers what the data covers. `Err` says why no run can cover them.
pub fn data_period(first: DateTime, last: DateTime) -> Result<(Vec<Override>, u64), String> {
    let days = first.date().until(last.date()).map_or(0, |s| s.get_days()) as u64 + 1;
    let warmup_h = u64::from(first.hour().unsigned_abs());
    let horizon_h = (days - 1) * 24 + u64::from(last.hour().unsigned_abs()) + 1;
    let plural = if days == 1 { "" } else { "s" };
    let span = format!("the data run from {first} to {last} ({days} day{plural})");
    if horizon_h as f64 > MAX_HORIZON_HOURS {
        return Err(format!(
            "{span}; expected at most 100 years of records (a run is at most {MAX_HORIZON_HOURS} hours): --from and --to choose a period"
        ));
    }
    if !calendar_has_room(first.date(), horizon_h as f64) {
        return Err(format!(
            "{span}, too close to 9999-12-31, the last date the calendar knows; expected dates that end before 9999-12-29"
        ));
    }
    let value = |key: &str, value: String| Override {
        key: key.into(),
        value,
    };
    let overrides = vec![
        value(PERIOD_KEYS[0], first.date().to_string()),
        value(PERIOD_KEYS[1], horizon_h.to_string()),
        value(PERIOD_KEYS[2], warmup_h.to_string()),
    ];
    Ok((overrides, days))
}

/// The first of `keys` that the data's dates fix, if any.
pub fn fixed_by_the_data<'a>(keys: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    keys.into_iter().find(|k| PERIOD_KEYS.contains(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime {
        s.parse().expect("date-time")
    }

    #[test]
    fn a_week_from_ten_o_clock_runs_from_midnight_with_the_morning_as_warm_up() {
        let (keys, days) = data_period(at("2024-01-01T10:20"), at("2024-01-07T18:05")).unwrap();
        assert_eq!(days, 7);
        let values: Vec<&str> = keys.iter().map(|o| o.value.as_str()).collect();
        assert_eq!(values, ["2024-01-01", "163", "10"]);
    }

    #[test]
    fn spans_no_run_can_cover_are_refused_by_their_dates() {
        let long = data_period(at("1860-01-01T00:00"), at("2020-01-01T00:00")).unwrap_err();
        assert!(
            long.contains("1860-01-01T00:00") && long.contains("100 years"),
            "{long}"
        );
        let late = data_period(at("9999-12-30T08:00"), at("9999-12-31T10:00")).unwrap_err();
        assert!(late.contains("9999-12-31"), "{late}");
        assert!(data_period(at("1950-01-01T00:00"), at("2025-01-01T00:00")).is_ok());
    }
}
