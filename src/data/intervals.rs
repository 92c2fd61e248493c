//! Reading an ACD interval report (docs/data.md): one row per channel and 15-, 30- or 60-minute
//! interval with its counts, streamed. Forces that cannot export single calls nearly always
//! have these.
//!
//! Every problem is an error naming the file and line: a report's rows are totals, so a bad one
//! cannot be skipped without biasing every figure after it.

use std::collections::HashMap;
use std::path::Path;

use jiff::civil::DateTime;

use super::read::{
    CsvFile, ReadError, ReadOptions, column, date_time_problem, parse_date_time, refuse_twice_named,
};
use super::staffing::MAX_ON_DUTY;

/// One interval of one channel.
#[derive(Clone, Debug, PartialEq)]
pub struct IntervalRow {
    /// The channel (queue) name.
    pub channel: String,
    /// When the interval starts.
    pub start: DateTime,
    /// Calls offered.
    pub offered: u64,
    /// Calls answered.
    pub answered: u64,
    /// Calls abandoned.
    pub abandoned: u64,
    /// Mean handle time of the answered calls, seconds (`aht_s`), if given.
    pub aht_s: Option<f64>,
    /// Mean wait of the answered calls, seconds (`asa_s`), if given.
    pub asa_s: Option<f64>,
    /// Answered within the channel's target threshold (`answered_within_target`), if given.
    pub within_target: Option<u64>,
    /// Mean agents staffed over the interval (`agents_staffed`), if given.
    pub agents_staffed: Option<f64>,
}

/// The columns an interval report must have; the header tells it from a per-call CSV.
pub const INTERVAL_COLUMNS: [&str; 5] = [
    "interval_start",
    "channel",
    "offered",
    "answered",
    "abandoned",
];

/// Every column an interval report's reader reads: each may appear once.
const READ_COLUMNS: [&str; 9] = [
    "interval_start",
    "channel",
    "offered",
    "answered",
    "abandoned",
    "aht_s",
    "asa_s",
    "answered_within_target",
    "agents_staffed",
];

/// Whether the CSV at `path` is an interval report (its header has `interval_start` and
/// `offered`, after `--map`) rather than per-call records.
pub fn is_interval_report(path: &Path, options: &ReadOptions) -> bool {
    let Ok(file) = CsvFile::open(path) else {
        return false;
    };
    let named = |ours: &str| column(&file.header, &options.map, ours).is_some();
    named("interval_start") && named("offered")
}

/// Reads the interval report at `path`, handing each row within `--from`/`--to` to `each`;
/// returns the number of data rows.
pub fn read_intervals(
    path: &Path,
    options: &ReadOptions,
    mut each: impl FnMut(&IntervalRow),
) -> Result<u64, ReadError> {
    let file = CsvFile::open(path)?;
    let fail = file.errors();
    let CsvFile {
        mut reader,
        header,
        shown,
    } = file;
    refuse_twice_named(&header, &options.map, &READ_COLUMNS, &shown)?;
    let find = |ours: &str| column(&header, &options.map, ours);
    let mut required = [0; 5];
    for (slot, name) in required.iter_mut().zip(INTERVAL_COLUMNS) {
        *slot = find(name).ok_or_else(|| {
            let seen: Vec<&str> = header.iter().collect();
            fail(
                Some(1),
                format!(
                    "no column \"{name}\"; expected {} (found: {})",
                    INTERVAL_COLUMNS.join(", "),
                    seen.join(", ")
                ),
            )
        })?;
    }
    let optional = [
        find("aht_s"),
        find("asa_s"),
        find("answered_within_target"),
        find("agents_staffed"),
    ];
    let mut rows = 0;
    // The line of each (channel, interval) seen: a second row for one is an error, since
    // summing them would double the interval (memory grows with the intervals, not the calls).
    let mut seen: HashMap<(String, DateTime), u64> = HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let record = record.map_err(|e| fail(Some(line), format!("cannot read the row: {e}")))?;
        rows += 1;
        if options.stopped(rows) {
            return Err(fail(None, super::read::INTERRUPTED.into()));
        }
        if options.strict && record.len() > header.len() {
            return Err(fail(
                Some(line),
                format!(
                    "{} cells where the header has {} (--strict)",
                    record.len(),
                    header.len()
                ),
            ));
        }
        let row = interval_row(&record, required, optional)
            .map_err(|message| fail(Some(line), message))?;
        if let Some(first) = seen.insert((row.channel.clone(), row.start), line) {
            let message = format!(
                "a second row for channel \"{}\" at {} (the first is line {first}); expected one row per channel and interval",
                row.channel, row.start
            );
            return Err(fail(Some(line), message));
        }
        let date = row.start.date();
        if options.from.is_some_and(|f| date < f) || options.to.is_some_and(|t| date > t) {
            continue;
        }
        each(&row);
    }
    Ok(rows)
}

/// One row, or what is wrong with it.
fn interval_row(
    record: &csv::StringRecord,
    [start, channel, offered, answered, abandoned]: [usize; 5],
    [aht, asa, within, agents]: [Option<usize>; 4],
) -> Result<IntervalRow, String> {
    let cell = |col: usize| record.get(col).unwrap_or("").trim();
    let count = |col: usize, name: &str| {
        cell(col).parse::<u64>().map_err(|_| {
            format!(
                "{name}: \"{}\"; expected a whole number of calls",
                cell(col)
            )
        })
    };
    let seconds = |col: Option<usize>, name: &str| -> Result<Option<f64>, String> {
        match col.map(cell).filter(|t| !t.is_empty()) {
            None => Ok(None),
            Some(t) => t
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite() && *x >= 0.0)
                .map(Some)
                .ok_or_else(|| format!("{name}: \"{t}\"; expected seconds, 0 or more")),
        }
    };
    let row = IntervalRow {
        channel: cell(channel).to_owned(),
        start: parse_date_time(cell(start))
            .ok_or_else(|| format!("interval_start: {}", date_time_problem(cell(start))))?,
        offered: count(offered, "offered")?,
        answered: count(answered, "answered")?,
        abandoned: count(abandoned, "abandoned")?,
        aht_s: seconds(aht, "aht_s")?,
        asa_s: seconds(asa, "asa_s")?,
        within_target: match within.map(cell).filter(|t| !t.is_empty()) {
            None => None,
            Some(_) => Some(count(within.unwrap_or_default(), "answered_within_target")?),
        },
        agents_staffed: match agents.map(cell).filter(|t| !t.is_empty()) {
            None => None,
            Some(t) => Some(
                t.parse::<f64>()
                    .ok()
                    .filter(|x| (0.0..=MAX_ON_DUTY).contains(x))
                    .ok_or_else(|| {
                        format!(
                            "agents_staffed: \"{t}\"; expected a number of agents from 0 to 1000000"
                        )
                    })?,
            ),
        },
    };
    if row.channel.is_empty() || row.channel.chars().any(char::is_control) {
        return Err(format!(
            "channel: {:?}; expected a channel name of printable characters",
            row.channel
        ));
    }
    if row
        .answered
        .checked_add(row.abandoned)
        .is_none_or(|n| n > row.offered)
    {
        return Err(format!(
            "answered {} + abandoned {} is more than offered {}; expected offered to count both",
            row.answered, row.abandoned, row.offered
        ));
    }
    if row.within_target.is_some_and(|w| w > row.answered) {
        return Err("answered_within_target is more than answered".into());
    }
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<IntervalRow>, ReadError> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("iv.csv");
        std::fs::write(&path, text).expect("write");
        let mut rows = Vec::new();
        read_intervals(&path, &ReadOptions::default(), |r| rows.push(r.clone()))?;
        Ok(rows)
    }

    #[test]
    fn rows_with_and_without_the_optional_columns() {
        let rows = read(
            "interval_start,channel,offered,answered,abandoned,asa_s,answered_within_target\n2024-03-01 08:00,101,10,8,2,30.5,6\n2024-03-01 08:15,101,4,4,0,,\n",
        )
        .expect("reads");
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].offered, rows[0].asa_s, rows[0].within_target),
            (10, Some(30.5), Some(6))
        );
        assert_eq!(
            (rows[1].asa_s, rows[1].within_target, rows[1].aht_s),
            (None, None, None)
        );
    }

    #[test]
    fn every_bad_row_names_its_line_and_what_was_expected() {
        let bad = |text: &str, want: &str| {
            let e = read(text).expect_err("refused").to_string();
            assert!(e.contains(want), "{e} (wanted {want})");
        };
        let head = "interval_start,channel,offered,answered,abandoned\n";
        bad(
            &format!("{head}2024-03-01 08:00,101,ten,1,1\n"),
            "iv.csv:2: offered: \"ten\"",
        );
        bad(
            &format!("{head}2024-03-01 08:00,101,1,1,1\n"),
            "more than offered 1",
        );
        bad(
            &format!("{head}soon,101,1,1,0\n"),
            "interval_start: \"soon\"",
        );
        bad("interval_start,channel,offered\n", "no column \"answered\"");
    }
}
