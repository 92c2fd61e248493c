//! Writing per-call records as the per-call CSV of `docs/data.md`.

use std::io::{self, Write};

use jiff::SignedDuration;
use jiff::civil::{DateTime, Time};

use crate::scenario::Scenario;
use crate::sim::{Agent, CallRecord};
use crate::time::SimTime;

/// The per-call CSV's columns, in the order written.
pub const CALL_COLUMNS: [&str; 9] = [
    "channel", "arrived", "outcome", "answered", "ended", "wait_s", "handle_s", "agent", "caller",
];

/// Writes per-call records of one scenario's run, one CSV row each.
pub struct CallsCsv<'s, W: Write> {
    out: W,
    scenario: &'s Scenario,
    midnight: DateTime,
}

impl<'s, W: Write> CallsCsv<'s, W> {
    /// Starts the file: writes the header row.
    pub fn new(mut out: W, scenario: &'s Scenario) -> io::Result<Self> {
        writeln!(out, "{}", CALL_COLUMNS.join(","))?;
        Ok(CallsCsv {
            out,
            scenario,
            midnight: scenario.start_date.to_datetime(Time::midnight()),
        })
    }

    /// The local date-time of simulated time `t`, to the millisecond.
    fn date_time(&self, t: SimTime) -> String {
        let micros = i64::try_from(t.0).unwrap_or(i64::MAX);
        match self
            .midnight
            .checked_add(SignedDuration::from_micros(micros))
        {
            Ok(dt) => dt.strftime("%Y-%m-%d %H:%M:%S%.3f").to_string(),
            Err(_) => String::new(),
        }
    }

    /// Writes one record.
    pub fn write(&mut self, r: &CallRecord) -> io::Result<()> {
        let name = &self.scenario.channels[r.channel].name;
        let arrived = self.date_time(r.arrived);
        let (answered, wait_s, handle_s) = match r.answered {
            Some(a) => (
                self.date_time(a),
                a.since(r.arrived).as_secs(),
                format!("{:.3}", r.ended.since(a).as_secs()),
            ),
            None => (
                String::new(),
                r.ended.since(r.arrived).as_secs(),
                String::new(),
            ),
        };
        let ended = self.date_time(r.ended);
        let agent = match r.agent {
            Agent::Nobody => String::new(),
            Agent::Handler(h) => format!("h{h}"),
            Agent::Officer => "triage".to_owned(),
        };
        writeln!(
            self.out,
            "{},{arrived},{},{answered},{ended},{wait_s:.3},{handle_s},{agent},{}",
            csv_field(name),
            r.outcome.as_str(),
            r.caller
        )
    }

    /// Flushes and returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// A CSV field, quoted when it holds a comma, quote or line break.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}
