//! Reading a per-call CSV export, streamed row by row, with every kind of messy row counted.
//!
//! Real exports have missing or unparsable times, clock-skewed waits, zero-second and
//! many-hour services, duplicated and out-of-order rows. Each class is counted and reported
//! with what was done about it ("clamped to 0", "skipped"); `strict` turns the first one into
//! an error naming the file and line. Memory does not grow with the number of rows.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::civil::{Date, DateTime};

/// How a call the fit can use ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    /// An agent answered.
    Answered,
    /// The caller hung up while waiting.
    Abandoned,
}

/// One usable row.
#[derive(Clone, Debug, PartialEq)]
pub struct CallRow {
    /// The channel (queue) name.
    pub channel: String,
    /// When the caller joined the queue.
    pub arrived: DateTime,
    /// Answered or abandoned.
    pub ended: Ended,
    /// Seconds waited (until answered, or until hanging up); at least 0.
    pub wait_s: f64,
    /// Seconds of handling, for answered calls whose handling is known.
    pub handle_s: Option<f64>,
    /// The anonymised caller, when the export has a `caller` column (links redials).
    pub caller: Option<String>,
    /// Who answered, when the export has an `agent` column (for staffing from activity).
    pub agent: Option<String>,
}

/// Options for reading.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// Turn any messy row into an error.
    pub strict: bool,
    /// `(our column, their column)`: read our column from a differently named one.
    pub map: Vec<(String, String)>,
    /// Only calls that arrived on or after this date.
    pub from: Option<Date>,
    /// Only calls that arrived on or before this date.
    pub to: Option<Date>,
    /// Asked every 65,536 rows: reading ends with [`INTERRUPTED`] once it says so (Ctrl-C).
    pub stop: Option<fn() -> bool>,
}

/// The message of a [`ReadError`] when [`ReadOptions::stop`] ended the reading.
pub const INTERRUPTED: &str = "interrupted while reading";

impl ReadOptions {
    /// Whether reading should end before row `rows` (asked every 65,536 rows).
    pub fn stopped(&self, rows: u64) -> bool {
        rows.is_multiple_of(65_536) && self.stop.is_some_and(|stop| stop())
    }
}

/// What reading found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReadReport {
    /// Data rows in the file (header left out).
    pub rows: u64,
    /// Rows handed on to the fit.
    pub used: u64,
    /// Rows outside `--from`/`--to`.
    pub outside_dates: u64,
    /// Messy rows by class, e.g. "negative wait, clamped to 0" → 312.
    pub classes: BTreeMap<&'static str, u64>,
    /// The line of each class's first row (1 is the header), to look at one.
    pub first_lines: BTreeMap<&'static str, u64>,
    /// Outcomes other than answered and abandoned, by value (skipped).
    pub other_outcomes: BTreeMap<String, u64>,
}

/// A file that cannot be read at all, or a messy row under `strict`.
#[derive(Debug, thiserror::Error)]
#[error("{path}{}: {message}", line.map_or(String::new(), |l| format!(":{l}")))]
pub struct ReadError {
    /// The file.
    pub path: String,
    /// The line, when the problem is one row (1 is the header).
    pub line: Option<u64>,
    /// What is wrong and what was expected.
    pub message: String,
}

/// Services longer than this are flagged (kept).
const LONG_SERVICE_S: f64 = 4.0 * 3600.0;
/// Waits and services longer than this (a year) are no call's: the row is skipped.
pub const MAX_DURATION_S: f64 = 366.0 * 86_400.0;

const NEGATIVE_WAIT: &str = "negative wait (clock skew), clamped to 0";
const BAD_ARRIVAL: &str = "missing or unparsable arrival time, skipped";
const BAD_TIMES: &str = "missing or unparsable answer/end time or wait, skipped";
const NEGATIVE_HANDLE: &str = "ended before it was answered, skipped";
const ZERO_SERVICE: &str = "zero-second service, kept";
const LONG_SERVICE: &str = "service over 4 hours, kept";
const DUPLICATE: &str = "duplicate of the previous row, skipped";
const OUT_OF_ORDER: &str =
    "before the previous rows by arrival, by leaving the queue and by ending (in no order), kept";
const NO_HANDLE: &str = "answered without a handle time, kept for volume and waits";
const OVER_A_YEAR: &str = "wait or handle time over a year (no call lasts that long), skipped";
const ZONED_TIME: &str =
    "time with a UTC offset or Z, skipped (expected local times: convert them and drop the offset)";
const BAD_CHANNEL: &str = "empty channel name, or one with control characters, skipped";
const EXTRA_CELLS: &str = "more cells than the header, the extra ones ignored";

/// Every column a reader of call records or interval reports knows (`--map` names one of these).
pub const KNOWN_COLUMNS: [&str; 16] = [
    "channel",
    "arrived",
    "outcome",
    "answered",
    "ended",
    "wait_s",
    "handle_s",
    "caller",
    "agent",
    "interval_start",
    "offered",
    "abandoned",
    "asa_s",
    "aht_s",
    "answered_within_target",
    "agents_staffed",
];

/// Column positions found in the header.
struct Columns {
    channel: usize,
    arrived: usize,
    outcome: usize,
    answered: Option<usize>,
    ended: Option<usize>,
    wait_s: Option<usize>,
    handle_s: Option<usize>,
    caller: Option<usize>,
    agent: Option<usize>,
}

/// A CSV file opened for reading: its reader, its header and its path as shown in errors.
pub(super) struct CsvFile {
    /// The rows after the header.
    pub reader: csv::Reader<std::fs::File>,
    /// The header row.
    pub header: csv::StringRecord,
    /// The path as given, for messages.
    pub shown: String,
}

impl CsvFile {
    /// Opens `path` (rows may differ in length: extra or missing cells are the rows' problem).
    pub fn open(path: &Path) -> Result<CsvFile, ReadError> {
        let shown = path.display().to_string();
        let fail = |line, message| ReadError {
            path: shown.clone(),
            line,
            message,
        };
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(path)
            .map_err(|e| fail(None, format!("cannot read: {e}")))?;
        let header = reader
            .headers()
            .map_err(|e| fail(Some(1), format!("cannot read the header: {e}")))?
            .clone();
        if header.iter().all(|h| h.trim().is_empty()) {
            return Err(fail(
                None,
                "an empty file (no header row); expected a CSV whose first line names its columns (docs/data.md)".into(),
            ));
        }
        Ok(CsvFile {
            reader,
            header,
            shown,
        })
    }

    /// A maker of this file's errors (`line`, message), free of the file's borrow.
    pub fn errors(&self) -> impl Fn(Option<u64>, String) -> ReadError + use<> {
        let path = self.shown.clone();
        move |line, message| ReadError {
            path: path.clone(),
            line,
            message,
        }
    }
}

/// The position of our column `ours` in `header`: its own name or the one `--map OURS=THEIRS`
/// gives (the last such flag wins), ignoring case and surrounding spaces.
pub(super) fn column(
    header: &csv::StringRecord,
    map: &[(String, String)],
    ours: &str,
) -> Option<usize> {
    let theirs = map
        .iter()
        .rev()
        .find(|(o, _)| o == ours)
        .map_or(ours, |(_, t)| t.as_str());
    header
        .iter()
        .position(|h| h.trim().eq_ignore_ascii_case(theirs))
}

/// Refuses a header in which one of `ours` (as `--map` names it) appears twice: which of the
/// two holds the data is anyone's guess.
pub(super) fn refuse_twice_named(
    header: &csv::StringRecord,
    map: &[(String, String)],
    ours: &[&str],
    path: &str,
) -> Result<(), ReadError> {
    for name in ours {
        let theirs = map
            .iter()
            .rev()
            .find(|(o, _)| o == name)
            .map_or(*name, |(_, t)| t.as_str());
        let at: Vec<String> = header
            .iter()
            .enumerate()
            .filter(|(_, h)| h.trim().eq_ignore_ascii_case(theirs))
            .map(|(i, _)| (i + 1).to_string())
            .collect();
        if at.len() > 1 {
            return Err(ReadError {
                path: path.to_owned(),
                line: Some(1),
                message: format!(
                    "the column \"{theirs}\" appears {} times (columns {}); expected each column once",
                    at.len(),
                    at.join(", ")
                ),
            });
        }
    }
    Ok(())
}

fn columns(
    header: &csv::StringRecord,
    map: &[(String, String)],
    path: &str,
) -> Result<Columns, ReadError> {
    refuse_twice_named(header, map, &KNOWN_COLUMNS[..9], path)?;
    let find = |ours: &str| column(header, map, ours);
    let missing = |what: &str| ReadError {
        path: path.to_owned(),
        line: Some(1),
        message: format!(
            "no `{what}` column; expected a header with channel, arrived, outcome and either answered + ended or wait_s (+ handle_s) — found: {}; --map {what}=THEIR_NAME reads another column",
            header.iter().collect::<Vec<_>>().join(", ")
        ),
    };
    let cols = Columns {
        channel: find("channel").ok_or_else(|| missing("channel"))?,
        arrived: find("arrived").ok_or_else(|| missing("arrived"))?,
        outcome: find("outcome").ok_or_else(|| missing("outcome"))?,
        answered: find("answered"),
        ended: find("ended"),
        wait_s: find("wait_s"),
        handle_s: find("handle_s"),
        caller: find("caller"),
        agent: find("agent"),
    };
    if cols.wait_s.is_none() && (cols.answered.is_none() || cols.ended.is_none()) {
        return Err(missing("wait_s"));
    }
    Ok(cols)
}

/// A local date-time, `2024-03-01 08:15:02` or with `T`, optional fractional seconds. A time
/// with a UTC offset or `Z` is refused (`None`), never read with its offset dropped.
pub fn parse_date_time(text: &str) -> Option<DateTime> {
    let t = text.trim();
    if t.is_empty() || has_zone(t) {
        return None;
    }
    t.replacen(' ', "T", 1).parse::<DateTime>().ok()
}

/// Whether a date-time carries a zone: `Z`, `+hh:mm`/`-hh:mm` or `[Area/City]` after the date.
fn has_zone(text: &str) -> bool {
    let t = text.trim();
    t.get(..10).is_some_and(|d| d.parse::<Date>().is_ok())
        && t.get(10..)
            .is_some_and(|time| time.contains(['Z', 'z', '+', '-', '[']))
}

/// Why `text` is not a date-time [`parse_date_time`] reads, for an error message.
pub fn date_time_problem(text: &str) -> String {
    let t = text.trim();
    if t.is_empty() {
        "empty; expected a local date-time, e.g. 2024-03-01 08:15:02".into()
    } else if has_zone(t) {
        format!(
            "\"{t}\" has a UTC offset or Z; expected local date-times (the scenario's clock has no time zones): convert to local time and drop the offset"
        )
    } else {
        format!("\"{t}\" is not a date-time; expected e.g. 2024-03-01 08:15:02")
    }
}

fn seconds_between(a: DateTime, b: DateTime) -> Option<f64> {
    a.duration_until(b).as_secs_f64().into()
}

/// Reads `path`, handing each usable row to `each`; returns what it found.
pub fn read_calls(
    path: &Path,
    options: &ReadOptions,
    mut each: impl FnMut(&CallRow),
) -> Result<ReadReport, ReadError> {
    let file = CsvFile::open(path)?;
    let fail = file.errors();
    let CsvFile {
        mut reader,
        header,
        shown,
    } = file;
    let mut rows = Rows {
        cols: columns(&header, &options.map, &shown)?,
        header_len: header.len(),
        options,
        path: &shown,
        previous: None,
        latest: [None; 3],
        report: ReadReport::default(),
    };
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = rows.report.rows + 2;
                return Err(fail(Some(line), format!("not a CSV row: {e}")));
            }
        }
        rows.report.rows += 1;
        if options.stopped(rows.report.rows) {
            return Err(fail(None, INTERRUPTED.into()));
        }
        if let Some(row) = rows.row(&record)? {
            rows.report.used += 1;
            each(&row);
        }
    }
    Ok(rows.report)
}

/// The state of reading: the columns, the previous row (for duplicates and order), the counts.
struct Rows<'a> {
    cols: Columns,
    header_len: usize,
    options: &'a ReadOptions,
    path: &'a str,
    previous: Option<csv::StringRecord>,
    /// The latest arrival, queue exit and end seen so far.
    latest: [Option<DateTime>; 3],
    report: ReadReport,
}

impl Rows<'_> {
    /// Counts a messy row of `class`, or refuses it under `strict`.
    fn note(&mut self, class: &'static str) -> Result<(), ReadError> {
        if self.options.strict {
            return Err(ReadError {
                path: self.path.to_owned(),
                line: Some(self.report.rows + 1),
                message: format!("{class} (--strict)"),
            });
        }
        *self.report.classes.entry(class).or_insert(0) += 1;
        let line = self.report.rows + 1;
        self.report.first_lines.entry(class).or_insert(line);
        Ok(())
    }

    /// The usable row in `record`, if it is one.
    fn row(&mut self, record: &csv::StringRecord) -> Result<Option<CallRow>, ReadError> {
        if self.previous.as_ref() == Some(record) {
            self.note(DUPLICATE)?;
            return Ok(None);
        }
        self.previous = Some(record.clone());
        if record.len() > self.header_len {
            self.note(EXTRA_CELLS)?;
        }
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let outcome = field(self.cols.outcome).to_ascii_lowercase();
        let ended = match outcome.as_str() {
            "answered" => Ended::Answered,
            "abandoned" => Ended::Abandoned,
            other => {
                *self
                    .report
                    .other_outcomes
                    .entry(other.to_owned())
                    .or_insert(0) += 1;
                return Ok(None);
            }
        };
        let times = [Some(self.cols.arrived), self.cols.answered, self.cols.ended];
        if times.into_iter().flatten().any(|i| has_zone(field(i))) {
            self.note(ZONED_TIME)?;
            return Ok(None);
        }
        let Some(arrived) = parse_date_time(field(self.cols.arrived)) else {
            self.note(BAD_ARRIVAL)?;
            return Ok(None);
        };
        let channel = field(self.cols.channel);
        if channel.is_empty() || channel.chars().any(char::is_control) {
            self.note(BAD_CHANNEL)?;
            return Ok(None);
        }
        let (from, to) = (self.options.from, self.options.to);
        if from.is_some_and(|d| arrived.date() < d) || to.is_some_and(|d| arrived.date() > d) {
            self.report.outside_dates += 1;
            return Ok(None);
        }
        let (wait_s, handle_s) = match self.durations(record, arrived, ended)? {
            Some(d) => d,
            None => return Ok(None),
        };
        self.check_order(arrived, wait_s, handle_s)?;
        Ok(Some(CallRow {
            channel: channel.to_owned(),
            arrived,
            ended,
            wait_s,
            handle_s,
            caller: self
                .cols
                .caller
                .map(|i| field(i).to_owned())
                .filter(|c| !c.is_empty()),
            agent: self
                .cols
                .agent
                .map(|i| field(i).to_owned())
                .filter(|a| !a.is_empty()),
        }))
    }

    /// Counts a row out of order: exports come in order of arrival, of leaving the queue
    /// (answered or hung up: how `run --calls` writes) or of ending, so a row is out of order
    /// only when it is before the previous rows in all three.
    fn check_order(
        &mut self,
        arrived: DateTime,
        wait_s: f64,
        handle_s: Option<f64>,
    ) -> Result<(), ReadError> {
        let after = |s: f64| {
            arrived
                .checked_add(jiff::SignedDuration::try_from_secs_f64(s).unwrap_or_default())
                .unwrap_or(arrived)
        };
        let times = [
            arrived,
            after(wait_s),
            after(wait_s + handle_s.unwrap_or(0.0)),
        ];
        let tolerance = jiff::SignedDuration::from_millis(1);
        let in_some_order =
            self.latest.iter().zip(&times).any(|(latest, t)| {
                latest.is_none_or(|l| t.checked_add(tolerance).unwrap_or(*t) >= l)
            });
        if !in_some_order {
            self.note(OUT_OF_ORDER)?;
        }
        for (latest, t) in self.latest.iter_mut().zip(times) {
            *latest = Some(latest.map_or(t, |l| l.max(t)));
        }
        Ok(())
    }

    /// The wait and handle time of a row, from `wait_s`/`handle_s` or from the date-times.
    fn durations(
        &mut self,
        record: &csv::StringRecord,
        arrived: DateTime,
        ended: Ended,
    ) -> Result<Option<(f64, Option<f64>)>, ReadError> {
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let at = |c: Option<usize>| c.and_then(|i| parse_date_time(field(i)));
        let number = |c: Option<usize>| {
            c.and_then(|i| field(i).parse::<f64>().ok())
                .filter(|x| x.is_finite())
        };
        let (answered, end) = (at(self.cols.answered), at(self.cols.ended));
        let wait = number(self.cols.wait_s).or_else(|| match ended {
            Ended::Answered => answered.and_then(|a| seconds_between(arrived, a)),
            Ended::Abandoned => end.and_then(|e| seconds_between(arrived, e)),
        });
        let Some(mut wait_s) = wait else {
            self.note(BAD_TIMES)?;
            return Ok(None);
        };
        if wait_s < 0.0 {
            self.note(NEGATIVE_WAIT)?;
            wait_s = 0.0;
        }
        if wait_s > MAX_DURATION_S {
            self.note(OVER_A_YEAR)?;
            return Ok(None);
        }
        let handle_s = match ended {
            Ended::Abandoned => None,
            Ended::Answered => number(self.cols.handle_s).or_else(|| match (answered, end) {
                (Some(a), Some(e)) => seconds_between(a, e),
                _ => None,
            }),
        };
        match handle_s {
            Some(h) if h < 0.0 => {
                self.note(NEGATIVE_HANDLE)?;
                return Ok(None);
            }
            Some(h) if h > MAX_DURATION_S => {
                self.note(OVER_A_YEAR)?;
                return Ok(None);
            }
            Some(0.0) => self.note(ZERO_SERVICE)?,
            Some(h) if h > LONG_SERVICE_S => self.note(LONG_SERVICE)?,
            None if ended == Ended::Answered => self.note(NO_HANDLE)?,
            _ => {}
        }
        Ok(Some((wait_s, handle_s)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_stops_when_asked_between_rows() {
        // `fit` used to read a 1.2-million-row file to the end after Ctrl-C.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.csv");
        let mut text = String::from("channel,arrived,outcome,wait_s,handle_s\n");
        for i in 0..70_000 {
            text += &format!("c,2024-03-01 08:00:{:02},answered,1,60\n", i % 60);
        }
        std::fs::write(&path, text).unwrap();
        let mut seen = 0u64;
        let stop = ReadOptions {
            stop: Some(|| true),
            ..ReadOptions::default()
        };
        let err = read_calls(&path, &stop, |_| seen += 1).unwrap_err();
        assert_eq!(err.message, INTERRUPTED);
        assert!(seen < 65_536, "{seen} rows read after the request");
        let all = read_calls(&path, &ReadOptions::default(), |_| {}).unwrap();
        assert_eq!(all.rows, 70_000);
    }
}
