//! Handlers on duty from agent activity: in each 30-minute interval, the agents who were
//! handling a call at some moment of it (the per-call CSV's `agent` column, the answer time
//! and the handle time).
//!
//! An interval report's `agents_staffed` (logged in, on average) takes the place of the
//! activity where given. Activity is a *proxy* for who was logged in: an agent on duty but idle all interval is missed,
//! and one busy for a minute counts whole. `fit --staffing-out` therefore scales it by an
//! effective-capacity factor fitted so that the scenario reproduces the data's waits.

use std::collections::{HashMap, HashSet};

use jiff::civil::{Date, DateTime};

use super::read::{CallRow, Ended};

/// Width of an activity interval, seconds.
pub const INTERVAL_S: i64 = 30 * 60;

/// Agents seen busy per interval, gathered row by row.
#[derive(Clone, Debug, Default)]
pub struct AgentActivity {
    /// Agent names, numbered as first seen.
    ids: HashMap<String, u32>,
    /// Interval (seconds since the epoch of the local calendar ÷ `INTERVAL_S`) → agents busy.
    busy: HashMap<i64, HashSet<u32>>,
    /// Answered calls with an agent and a handle time.
    pub calls: u64,
    /// From an interval report's `agents_staffed`: per interval, the sum of the rows' values
    /// and how many rows (15-minute rows average into a half-hour).
    staffed: HashMap<i64, (f64, u32)>,
}

/// Seconds of a local date-time from 1970-01-01 00:00 (no time zone: the export's clock).
fn seconds(t: DateTime) -> i64 {
    let epoch = DateTime::from(jiff::civil::date(1970, 1, 1));
    epoch.duration_until(t).as_secs()
}

impl AgentActivity {
    /// Adds one row: an answered call with an agent and a handle time marks the agent busy in
    /// every interval its handling touches.
    pub fn add(&mut self, row: &CallRow) {
        let (Ended::Answered, Some(agent), Some(handle)) = (row.ended, &row.agent, row.handle_s)
        else {
            return;
        };
        let next = self.ids.len() as u32;
        let id = *self.ids.entry(agent.clone()).or_insert(next);
        let from = seconds(row.arrived) + row.wait_s.floor() as i64;
        let to = from + (handle.max(0.0).ceil() as i64).max(1) - 1;
        for k in from.div_euclid(INTERVAL_S)..=to.div_euclid(INTERVAL_S) {
            self.busy.entry(k).or_default().insert(id);
        }
        self.calls += 1;
    }

    /// Adds an interval report's agents staffed from `start` (a row of 30 minutes or less).
    pub fn add_staffed(&mut self, start: DateTime, agents: f64) {
        let e = self
            .staffed
            .entry(seconds(start).div_euclid(INTERVAL_S))
            .or_default();
        e.0 += agents;
        e.1 += 1;
    }

    /// Whether nothing was seen: no agent activity and no agents staffed.
    pub fn is_empty(&self) -> bool {
        self.calls == 0 && self.staffed.is_empty()
    }

    /// Distinct agents seen.
    pub fn agents(&self) -> usize {
        self.ids.len()
    }

    /// Agents busy in each 30-minute interval of `days` days from midnight on `start`, as
    /// `(interval start, agents)`.
    pub fn by_interval(&self, start: Date, days: i64) -> Vec<(DateTime, u32)> {
        let origin = seconds(DateTime::from(start));
        let per_day = 86_400 / INTERVAL_S;
        (0..days * per_day)
            .map(|i| {
                let k = origin.div_euclid(INTERVAL_S) + i;
                let when = DateTime::from(start)
                    .checked_add(jiff::SignedDuration::from_secs(i * INTERVAL_S))
                    .unwrap_or(DateTime::from(start));
                let level = match self.staffed.get(&k) {
                    Some((sum, n)) => (sum / f64::from(*n)).round() as u32,
                    None => self.busy.get(&k).map_or(0, |s| s.len() as u32),
                };
                (when, level)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(arrived: &str, wait_s: f64, handle_s: f64, agent: &str) -> CallRow {
        CallRow {
            channel: "c".into(),
            arrived: arrived.replace(' ', "T").parse().expect("date-time"),
            ended: Ended::Answered,
            wait_s,
            handle_s: Some(handle_s),
            caller: None,
            agent: Some(agent.into()),
        }
    }

    #[test]
    fn an_agent_counts_once_in_every_interval_its_calls_touch() {
        let mut a = AgentActivity::default();
        // h1: 08:10–08:40 (two intervals) and again 08:20 (already counted); h2: 08:59:30 for
        // 20 s (08:30 and 09:00).
        a.add(&row("2024-03-01 08:09:00", 60.0, 1800.0, "h1"));
        a.add(&row("2024-03-01 08:20:00", 0.0, 60.0, "h1"));
        a.add(&row("2024-03-01 08:59:30", 0.0, 40.0, "h2"));
        let levels = a.by_interval(jiff::civil::date(2024, 3, 1), 1);
        assert_eq!(levels.len(), 48);
        let at = |h: usize, half: usize| levels[h * 2 + half].1;
        assert_eq!((at(8, 0), at(8, 1), at(9, 0), at(9, 1)), (1, 2, 1, 0));
        assert_eq!(levels[16].0.to_string(), "2024-03-01T08:00:00");
        assert_eq!((a.agents(), a.calls), (2, 3));
    }
}
