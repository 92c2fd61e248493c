//! Reading a staffing file: handlers on duty by dated interval (`interval_start,on_duty[,group]`,
//! docs/data.md), as a planner's roster or an ACD's agents-staffed report gives them.
//!
//! Each row sets a group's level from its `interval_start` until the group's next row, so
//! 15-, 30- and 60-minute intervals all work and a level need only be written when it changes.
//! Every problem is an error naming the file, line and column: a staffing file is short and
//! a wrong level would silently change every answer.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::civil::{Date, DateTime};

use super::read::{
    CsvFile, ReadError, column, date_time_problem, parse_date_time, refuse_twice_named,
};

/// The levels a staffing file gives, per group.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Staffing {
    /// Per group named in the `group` column (or `None` without one): `(microseconds from the
    /// run's start, handlers on duty)`, in the file's order.
    pub groups: BTreeMap<Option<String>, Vec<(i64, u32)>>,
    /// Data rows read.
    pub rows: u64,
    /// Rows whose `on_duty` was a fraction (an average, as ACD reports give), rounded to the
    /// nearest whole handler.
    pub rounded: u64,
}

/// The most handlers one row may put on duty (a staffing file's `on_duty`, an interval
/// report's `agents_staffed`): one limit, checked before anything is allocated.
pub const MAX_ON_DUTY: f64 = 1_000_000.0;

/// Reads the staffing file at `path` for a run starting at midnight on `start`.
pub fn read_staffing(path: &Path, start: Date) -> Result<Staffing, ReadError> {
    let file = CsvFile::open(path)?;
    let fail = file.errors();
    let CsvFile {
        mut reader,
        header,
        shown,
    } = file;
    refuse_twice_named(
        &header,
        &[],
        &["interval_start", "on_duty", "group"],
        &shown,
    )?;
    let find = |name: &str| column(&header, &[], name);
    let missing = |name: &str| {
        let seen: Vec<&str> = header.iter().collect();
        fail(
            Some(1),
            format!(
                "no column \"{name}\"; expected interval_start, on_duty and optionally group (found: {})",
                seen.join(", ")
            ),
        )
    };
    let at_col = find("interval_start").ok_or_else(|| missing("interval_start"))?;
    let level_col = find("on_duty").ok_or_else(|| missing("on_duty"))?;
    let group_col = find("group");
    let origin = DateTime::from(start);
    let mut out = Staffing::default();
    let mut last_at: BTreeMap<Option<String>, i64> = BTreeMap::new();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let record = record.map_err(|e| fail(Some(line), format!("cannot read the row: {e}")))?;
        out.rows += 1;
        let (at_us, level) = level_row(&record, at_col, level_col, origin)
            .map_err(|message| fail(Some(line), message))?;
        let cell = |col: usize| record.get(col).unwrap_or("").trim();
        if level.fract() != 0.0 {
            out.rounded += 1;
        }
        let group = group_col.map(|c| cell(c).to_owned());
        if let Some(prev) = last_at.get(&group)
            && *prev == at_us
        {
            return Err(fail(
                Some(line),
                format!(
                    "interval_start: a second level for {} at {}; expected one row per group and interval",
                    group
                        .as_deref()
                        .map_or("the handlers".into(), |g| format!("group \"{g}\"")),
                    cell(at_col)
                ),
            ));
        }
        last_at.insert(group.clone(), at_us);
        out.groups
            .entry(group)
            .or_default()
            .push((at_us, level.round() as u32));
    }
    if out.rows == 0 {
        return Err(fail(
            None,
            "no rows; expected one row per interval: interval_start,on_duty[,group]".into(),
        ));
    }
    Ok(out)
}

/// A row's interval start (microseconds from `origin`) and level, or what is wrong with it.
fn level_row(
    record: &csv::StringRecord,
    at_col: usize,
    level_col: usize,
    origin: DateTime,
) -> Result<(i64, f64), String> {
    let cell = |col: usize| record.get(col).unwrap_or("").trim();
    let when = parse_date_time(cell(at_col))
        .ok_or_else(|| format!("interval_start: {}", date_time_problem(cell(at_col))))?;
    let at_us = i64::try_from(origin.duration_until(when).as_micros())
        .map_err(|_| "interval_start: too far from the run's start".to_owned())?;
    let level: f64 = cell(level_col)
        .parse()
        .ok()
        .filter(|x: &f64| (0.0..=MAX_ON_DUTY).contains(x))
        .ok_or_else(|| {
            format!(
                "on_duty: \"{}\"; expected a number of handlers from 0 to 1000000",
                cell(level_col)
            )
        })?;
    Ok((at_us, level))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::HOUR_US;

    fn read(text: &str) -> Result<Staffing, ReadError> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("staffing.csv");
        std::fs::write(&path, text).expect("write");
        read_staffing(&path, jiff::civil::date(2024, 3, 1))
    }

    #[test]
    fn levels_per_group_from_the_run_s_start() {
        let s = read("group,interval_start,on_duty\na,2024-03-01 00:00,3\nb,2024-03-01T00:30,4.6\na,2024-02-29 23:00,2\n")
            .expect("reads");
        assert_eq!(s.rows, 3);
        assert_eq!(s.rounded, 1);
        let h = HOUR_US as i64;
        assert_eq!(s.groups[&Some("a".into())], vec![(0, 3), (-h, 2)]);
        assert_eq!(s.groups[&Some("b".into())], vec![(h / 2, 5)]);
    }

    #[test]
    fn every_bad_row_names_its_line() {
        let bad = |text: &str, want: &str| {
            let e = read(text).expect_err("refused");
            assert!(e.to_string().contains(want), "{e} (wanted {want})");
        };
        bad(
            "interval_start,on_duty\nyesterday,3\n",
            "staffing.csv:2: interval_start",
        );
        bad(
            "interval_start,on_duty\n2024-03-01 00:00,-1\n",
            "on_duty: \"-1\"",
        );
        bad(
            "interval_start,on_duty\n2024-03-01 00:00,1\n2024-03-01 00:00,2\n",
            "a second level for the handlers",
        );
        bad(
            "when,on_duty\n2024-03-01 00:00,1\n",
            "no column \"interval_start\"",
        );
        bad("interval_start,on_duty\n", "no rows");
    }
}
