//! Handlers on duty given interval by interval instead of a rota: an hour-of-week table in the
//! scenario (`on_duty_by_hour_of_week`), or dated intervals from a staffing file
//! (`backtest --staffing`, `run --staffing`).
//!
//! The levels are handlers *on the phones*: shrinkage and non-call work are already out of
//! them, and the group's own handlers do not leave (attrition thins rotas, not a count of
//! who was logged in). Recruits hired into such a group come on top, always on duty once
//! trained, so the staffing search can add "n more on the phones in every interval".

use std::collections::BTreeMap;

use super::{Group, POOL_GROUP_NAME, Scenario};
use crate::time::{HOUR_US, HOURS_PER_WEEK, SimTime};

/// How many of a group's own handlers are on duty, interval by interval.
#[derive(Clone, Debug, PartialEq)]
pub struct OnDuty {
    /// (from, handlers): the level from each time on, sorted, the first at time zero, no two
    /// neighbours equal. With a period, the steps of one period from time zero.
    steps: Vec<(SimTime, u32)>,
    /// The steps repeat every `period` (one week for an hour-of-week table); `None` for dated
    /// intervals, whose last level holds to the end.
    period: Option<SimTime>,
    /// Where the time-weighted mean is taken up to, for dated steps (the horizon).
    until: SimTime,
    /// What the levels were given as, for messages: a table or a file's name.
    source: String,
}

impl OnDuty {
    /// A weekly table (`table[h]` on duty in hour `h` of the week, Monday 00:00 first) for a
    /// run whose time zero falls in hour `first_hour` of the week.
    pub fn by_hour_of_week(table: &[u32], first_hour: usize) -> OnDuty {
        let levels = (0..HOURS_PER_WEEK).map(|k| {
            (
                SimTime(k as u64 * HOUR_US),
                table[(first_hour + k) % HOURS_PER_WEEK],
            )
        });
        let week = SimTime(HOURS_PER_WEEK as u64 * HOUR_US);
        OnDuty {
            steps: merged(levels),
            period: Some(week),
            until: week,
            source: "on_duty_by_hour_of_week".into(),
        }
    }

    /// Dated levels: `(from, handlers)` in any order, times from the run's start (a level
    /// dated before the start holds at the start when it is the latest such; with none, the
    /// earliest level holds until its own time). The mean is taken over `[0, horizon)`.
    /// `None` when `levels` is empty.
    pub fn dated(
        mut levels: Vec<(i64, u32)>,
        horizon: SimTime,
        source: impl Into<String>,
    ) -> Option<OnDuty> {
        levels.sort_by_key(|&(at, _)| at);
        let first = levels
            .iter()
            .rev()
            .find(|(at, _)| *at <= 0)
            .or(levels.first())?;
        let start = std::iter::once((SimTime::ZERO, first.1));
        let later = levels
            .iter()
            .filter(|(at, _)| *at > 0)
            .map(|&(at, n)| (SimTime(at as u64), n));
        Some(OnDuty {
            steps: merged(start.chain(later)),
            period: None,
            until: horizon,
            source: source.into(),
        })
    }

    /// Handlers on duty at `t`.
    pub fn level_at(&self, t: SimTime) -> u32 {
        let local = self.period.map_or(t, |p| SimTime(t.0 % p.0));
        let i = self.steps.partition_point(|&(at, _)| at <= local);
        self.steps[i.saturating_sub(1)].1
    }

    /// The first time after `t` when the level may change; `None` when it never does.
    pub fn next_change_after(&self, t: SimTime) -> Option<SimTime> {
        if self.steps.len() < 2 {
            return None;
        }
        let Some(period) = self.period else {
            let i = self.steps.partition_point(|&(at, _)| at <= t);
            return self.steps.get(i).map(|&(at, _)| at);
        };
        let base = t.0 - t.0 % period.0;
        let local = SimTime(t.0 - base);
        let i = self.steps.partition_point(|&(at, _)| at <= local);
        let next = self.steps.get(i).map_or(period.0, |&(at, _)| at.0);
        Some(SimTime(base + next))
    }

    /// The most on duty at any time: the group's own handlers.
    pub fn max(&self) -> u32 {
        self.steps.iter().map(|&(_, n)| n).max().unwrap_or(0)
    }

    /// The time-weighted mean on duty with `removed` fewer in every interval (never below 0).
    pub fn mean_less(&self, removed: u32) -> f64 {
        let until = self.until.0.max(1);
        let mut sum = 0.0;
        for (i, &(at, n)) in self.steps.iter().enumerate() {
            let end = self.steps.get(i + 1).map_or(until, |&(next, _)| next.0);
            let span = end.min(until).saturating_sub(at.0);
            sum += span as f64 * f64::from(n.saturating_sub(removed));
        }
        sum / until as f64
    }

    /// The levels as given: `on_duty_by_hour_of_week` or the staffing file's name.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The lowest level.
    pub fn min(&self) -> u32 {
        self.steps.iter().map(|&(_, n)| n).min().unwrap_or(0)
    }
}

impl Scenario {
    /// `self` with groups on duty by dated interval, as a staffing file gives them: per group
    /// name (`None` when the file has no group column: the always-on pool or the one group),
    /// `(microseconds from the start, handlers on duty)`. Each named group keeps its channels,
    /// flex and reservation rules and recruits, and loses its rota; a pool becomes one group.
    /// `Err` names what does not match the scenario's groups.
    pub fn with_on_duty(
        &self,
        levels: &BTreeMap<Option<String>, Vec<(i64, u32)>>,
        source: &str,
    ) -> Result<Scenario, String> {
        let mut out = self.clone();
        let names: Vec<String> = if out.handlers.is_pool() {
            vec![POOL_GROUP_NAME.to_owned()]
        } else {
            out.handlers.groups.iter().map(|g| g.name.clone()).collect()
        };
        if out.handlers.is_pool() {
            out.handlers.groups = out.handlers.effective_groups(out.channels.len());
            out.handlers.count = 0;
        }
        for (group, rows) in levels {
            let index = match group {
                Some(name) => names.iter().position(|n| n == name).ok_or_else(|| {
                    format!(
                        "{source}: no group \"{name}\" in the scenario; expected one of {}",
                        names.join(", ")
                    )
                })?,
                None if names.len() == 1 => 0,
                None => {
                    return Err(format!(
                        "{source}: the scenario has groups {}; expected a group column saying which each row staffs",
                        names.join(", ")
                    ));
                }
            };
            let Some(on_duty) = OnDuty::dated(rows.clone(), out.horizon, source) else {
                continue;
            };
            out.handlers.groups[index] = Group {
                headcount: on_duty.max(),
                teams: 1,
                shift: None,
                non_call_work: 0.0,
                removed: 0,
                on_duty: Some(on_duty),
                ..out.handlers.groups[index].clone()
            };
        }
        Ok(out)
    }
}

/// The steps with neighbours of equal level merged.
fn merged(levels: impl Iterator<Item = (SimTime, u32)>) -> Vec<(SimTime, u32)> {
    let mut out: Vec<(SimTime, u32)> = Vec::new();
    for (at, n) in levels {
        match out.last_mut() {
            Some(last) if last.1 == n => {}
            Some(last) if last.0 == at => last.1 = n,
            _ => out.push((at, n)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hours(h: u64) -> SimTime {
        SimTime(h * HOUR_US)
    }

    #[test]
    fn a_weekly_table_starts_at_the_run_s_hour_of_the_week_and_repeats() {
        let mut table = vec![5; HOURS_PER_WEEK];
        table[0] = 9; // Monday 00:00
        table[167] = 2; // Sunday 23:00
        // A run starting on a Sunday (hour 144 of the week).
        let d = OnDuty::by_hour_of_week(&table, 144);
        assert_eq!(d.level_at(SimTime::ZERO), 5);
        assert_eq!(d.level_at(hours(23)), 2);
        assert_eq!(d.level_at(hours(24)), 9);
        assert_eq!(d.level_at(hours(25)), 5);
        assert_eq!(d.level_at(hours(24 + 168)), 9);
        assert_eq!(d.next_change_after(SimTime::ZERO), Some(hours(23)));
        assert_eq!(d.next_change_after(hours(25)), Some(hours(168)));
        assert_eq!(d.next_change_after(hours(168)), Some(hours(168 + 23)));
        assert_eq!((d.max(), d.min()), (9, 2));
        let mean = (166.0 * 5.0 + 9.0 + 2.0) / 168.0;
        assert!((d.mean_less(0) - mean).abs() < 1e-12);
        assert!((d.mean_less(3) - (166.0 * 2.0 + 6.0) / 168.0).abs() < 1e-12);
    }

    #[test]
    fn a_constant_table_never_changes() {
        let d = OnDuty::by_hour_of_week(&[7; HOURS_PER_WEEK], 30);
        assert_eq!(d.next_change_after(SimTime::ZERO), None);
        assert_eq!(d.level_at(hours(1000)), 7);
    }

    #[test]
    fn dated_levels_hold_from_the_latest_before_the_start_to_the_end() {
        let h = |x: i64| x * HOUR_US as i64;
        let d = OnDuty::dated(
            vec![(h(2), 4), (h(-1), 3), (h(-5), 8), (h(1), 3)],
            hours(4),
            "f",
        )
        .expect("levels");
        assert_eq!(d.level_at(SimTime::ZERO), 3);
        assert_eq!(d.level_at(hours(1)), 3);
        assert_eq!(d.level_at(hours(3)), 4);
        assert_eq!(d.level_at(hours(100)), 4);
        assert_eq!(d.next_change_after(SimTime::ZERO), Some(hours(2)));
        assert_eq!(d.next_change_after(hours(2)), None);
        assert!((d.mean_less(0) - 3.5).abs() < 1e-12);
        // No level before the start: the earliest holds from time zero.
        let late = OnDuty::dated(vec![(h(2), 6)], hours(4), "f").expect("levels");
        assert_eq!(late.level_at(SimTime::ZERO), 6);
        assert!(OnDuty::dated(Vec::new(), hours(4), "f").is_none());
    }
}
