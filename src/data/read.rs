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

const NEGATIVE_WAIT: &str = "negative wait (clock skew), clamped to 0";
const BAD_ARRIVAL: &str = "missing or unparsable arrival time, skipped";
const BAD_TIMES: &str = "missing or unparsable answer/end time or wait, skipped";
const NEGATIVE_HANDLE: &str = "ended before it was answered, skipped";
const ZERO_SERVICE: &str = "zero-second service, kept";
const LONG_SERVICE: &str = "service over 4 hours, kept";
const DUPLICATE: &str = "duplicate of the previous row, skipped";
const OUT_OF_ORDER: &str = "arrived before the previous row (out of order), kept";
const NO_HANDLE: &str = "answered without a handle time, kept for volume and waits";

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

fn columns(
    header: &csv::StringRecord,
    map: &[(String, String)],
    path: &str,
) -> Result<Columns, ReadError> {
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

/// A local date-time, `2024-03-01 08:15:02` or with `T`, optional fractional seconds.
pub fn parse_date_time(text: &str) -> Option<DateTime> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    t.replacen(' ', "T", 1).parse::<DateTime>().ok()
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
        options,
        path: &shown,
        previous: None,
        last_arrival: None,
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
    options: &'a ReadOptions,
    path: &'a str,
    previous: Option<csv::StringRecord>,
    last_arrival: Option<DateTime>,
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
        Ok(())
    }

    /// The usable row in `record`, if it is one.
    fn row(&mut self, record: &csv::StringRecord) -> Result<Option<CallRow>, ReadError> {
        if self.previous.as_ref() == Some(record) {
            self.note(DUPLICATE)?;
            return Ok(None);
        }
        self.previous = Some(record.clone());
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
        let Some(arrived) = parse_date_time(field(self.cols.arrived)) else {
            self.note(BAD_ARRIVAL)?;
            return Ok(None);
        };
        let (from, to) = (self.options.from, self.options.to);
        if from.is_some_and(|d| arrived.date() < d) || to.is_some_and(|d| arrived.date() > d) {
            self.report.outside_dates += 1;
            return Ok(None);
        }
        if self.last_arrival.is_some_and(|l| arrived < l) {
            self.note(OUT_OF_ORDER)?;
        }
        self.last_arrival = Some(self.last_arrival.map_or(arrived, |l| l.max(arrived)));
        let (wait_s, handle_s) = match self.durations(record, arrived, ended)? {
            Some(d) => d,
            None => return Ok(None),
        };
        Ok(Some(CallRow {
            channel: field(self.cols.channel).to_owned(),
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
            Some(0.0) => self.note(ZERO_SERVICE)?,
            Some(h) if h > LONG_SERVICE_S => self.note(LONG_SERVICE)?,
            None if ended == Ended::Answered => self.note(NO_HANDLE)?,
            _ => {}
        }
        Ok(Some((wait_s, handle_s)))
    }
}
