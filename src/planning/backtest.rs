//! Back-testing a scenario against a force's own call records: the dates of the data are
//! simulated, and every hour of the week (and of the day) is compared — offered, service level,
//! mean wait, abandonment — with the simulation's mean and its 95% prediction band (the spread
//! of the replications), with bias, mean absolute error and coverage per channel.

use std::collections::BTreeMap;

use jiff::civil::{Date, DateTime};

use crate::calendar::HOURS_PER_WEEK;
use crate::data::intervals::IntervalRow;
use crate::data::read::{CallRow, Ended};
use crate::planning::published::Figure;
use crate::scenario::Scenario;
use crate::stats::{Estimate, Results, get};

/// The KPIs compared in every interval.
pub const COMPARED: [&str; 4] = [
    "offered",
    "service_level",
    "mean_wait_s",
    "abandonment_rate",
];

/// What the data shows in one interval of one channel.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ActualCell {
    /// Calls offered (answered or abandoned).
    pub offered: u64,
    /// Answered within the channel's target threshold.
    pub within: u64,
    /// Answered.
    pub answered: u64,
    /// Abandoned.
    pub abandoned: u64,
    /// Sum of the answered calls' waits, seconds.
    pub wait_sum_s: f64,
    /// Calls offered in intervals of a report without `answered_within_target` (the service
    /// level is then unknown).
    pub within_unknown: u64,
    /// Calls answered in intervals of a report without `asa_s` (the mean wait is unknown).
    pub wait_unknown: u64,
}

impl ActualCell {
    fn add(&mut self, other: &ActualCell) {
        self.offered += other.offered;
        self.within += other.within;
        self.answered += other.answered;
        self.abandoned += other.abandoned;
        self.wait_sum_s += other.wait_sum_s;
        self.within_unknown += other.within_unknown;
        self.wait_unknown += other.wait_unknown;
    }

    /// The cell's value of one of [`COMPARED`] (NaN where undefined, e.g. no calls).
    pub fn value(&self, kpi: &str) -> f64 {
        let ratio = |a: u64, b: u64| {
            if b == 0 {
                f64::NAN
            } else {
                a as f64 / b as f64
            }
        };
        match kpi {
            "offered" => self.offered as f64,
            "service_level" if self.within_unknown == 0 => ratio(self.within, self.offered),
            "mean_wait_s" if self.answered > 0 && self.wait_unknown == 0 => {
                self.wait_sum_s / self.answered as f64
            }
            "abandonment_rate" => ratio(self.abandoned, self.offered),
            _ => f64::NAN,
        }
    }
}

/// The data, per scenario channel, by hour of the week (Monday 00:00 first).
#[derive(Clone, Debug)]
pub struct Actuals {
    /// `cells[channel][hour_of_week]`.
    pub cells: Vec<Vec<ActualCell>>,
    /// `days[channel]`: the data's days (memory grows with the days, not the rows).
    pub days: Vec<BTreeMap<Date, ActualCell>>,
    /// Rows of channels the scenario does not have, by name.
    pub unknown_channels: BTreeMap<String, u64>,
    /// First and last arrival in the data.
    pub first: Option<DateTime>,
    /// Last arrival.
    pub last: Option<DateTime>,
    thresholds_s: Vec<f64>,
    names: Vec<String>,
}

impl Actuals {
    /// Empty actuals for the channels of `s`, each judged against its own target threshold.
    pub fn new(s: &Scenario) -> Actuals {
        Actuals {
            cells: vec![vec![ActualCell::default(); HOURS_PER_WEEK]; s.channels.len()],
            days: vec![BTreeMap::new(); s.channels.len()],
            unknown_channels: Default::default(),
            first: None,
            last: None,
            thresholds_s: s
                .channels
                .iter()
                .map(|c| c.target.answer_within.as_secs())
                .collect(),
            names: s.channels.iter().map(|c| c.name.clone()).collect(),
        }
    }

    /// Counts `delta` for `channel` at `when`, in its hour of the week and its day, after
    /// noting the time as seen; a channel the scenario does not have is counted by name.
    fn count(&mut self, channel: &str, when: DateTime, delta: ActualCell) {
        self.first = Some(self.first.map_or(when, |f| f.min(when)));
        self.last = Some(self.last.map_or(when, |l| l.max(when)));
        let Some(c) = self.names.iter().position(|n| n == channel) else {
            *self.unknown_channels.entry(channel.to_owned()).or_default() += delta.offered;
            return;
        };
        let weekday = when.weekday().to_monday_zero_offset() as usize;
        self.cells[c][weekday * 24 + when.hour() as usize].add(&delta);
        self.days[c].entry(when.date()).or_default().add(&delta);
    }

    /// Adds one interval of an ACD report, counted in the hour its start falls in: its
    /// service level is `answered_within_target` ÷ offered and its mean wait `asa_s`, unknown
    /// where the report leaves them out.
    pub fn add_interval(&mut self, row: &IntervalRow) {
        let delta = ActualCell {
            offered: row.offered,
            answered: row.answered,
            abandoned: row.abandoned,
            within: row.within_target.unwrap_or(0),
            within_unknown: if row.within_target.is_some() {
                0
            } else {
                row.offered
            },
            wait_sum_s: row.asa_s.map_or(0.0, |asa| asa * row.answered as f64),
            wait_unknown: if row.asa_s.is_some() { 0 } else { row.answered },
        };
        self.count(&row.channel, row.start, delta);
    }

    /// Adds one call.
    pub fn add(&mut self, row: &CallRow) {
        let threshold = match self.names.iter().position(|n| *n == row.channel) {
            Some(c) => self.thresholds_s[c],
            None => f64::INFINITY,
        };
        let answered = row.ended == Ended::Answered;
        let delta = ActualCell {
            offered: 1,
            answered: u64::from(answered),
            abandoned: u64::from(!answered),
            within: u64::from(answered && row.wait_s <= threshold),
            wait_sum_s: if answered { row.wait_s } else { 0.0 },
            ..ActualCell::default()
        };
        self.count(&row.channel, row.arrived, delta);
    }

    /// The data's whole-period figures per channel with calls — service level, mean wait of
    /// the answered, abandonment rate — for `calibrate --data`, as if published for
    /// `scenario`. Tolerances (what counts as a match; the data's own sampling error is far
    /// smaller with thousands of calls): 2 points of service level; 10% of the mean wait (at
    /// least 2 s); 10% of the abandonment rate (at least 1 point).
    pub fn figures(&self, scenario: &std::path::Path, source: &str) -> Vec<Figure> {
        let mut out = Vec::new();
        for (c, name) in self.names.iter().enumerate() {
            let mut total = ActualCell::default();
            self.cells[c].iter().for_each(|cell| total.add(cell));
            if total.offered == 0 {
                continue;
            }
            for (kpi, what, tolerance) in [
                ("service_level", "service level", 0.02),
                ("mean_wait_s", "mean wait of the answered", f64::NAN),
                ("abandonment_rate", "abandonment", f64::NAN),
            ] {
                let value = total.value(kpi);
                if !value.is_finite() {
                    continue;
                }
                let tolerance = match kpi {
                    "mean_wait_s" => (0.1 * value).max(2.0),
                    "abandonment_rate" => (0.1 * value).max(0.01),
                    _ => tolerance,
                };
                out.push(Figure {
                    name: format!("{name} {what}"),
                    scenario: scenario.to_path_buf(),
                    kpi: format!("channels.{name}.{kpi}"),
                    cells: Vec::new(),
                    value,
                    tolerance,
                    period: "the data's hours".into(),
                    basis: "the data".into(),
                    source: source.to_owned(),
                });
            }
        }
        out
    }

    /// `cells` summed by hour of the day (24 cells, 00:00 first).
    pub fn by_hour_of_day(&self, c: usize) -> Vec<ActualCell> {
        let mut out = vec![ActualCell::default(); 24];
        for (h, cell) in self.cells[c].iter().enumerate() {
            out[h % 24].add(cell);
        }
        out
    }
}

/// The simulation in one interval: the mean over replications and the 95% prediction band.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Band {
    /// Mean over the replications.
    pub mean: f64,
    /// 2.5% quantile of the replications' values.
    pub low: f64,
    /// 97.5% quantile.
    pub high: f64,
}

impl Band {
    /// From the replications' values (undefined ones left out).
    pub fn of(values: &[f64]) -> Band {
        let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        if v.is_empty() {
            return Band {
                mean: f64::NAN,
                low: f64::NAN,
                high: f64::NAN,
            };
        }
        v.sort_by(f64::total_cmp);
        let q = |p: f64| {
            let pos = p * (v.len() - 1) as f64;
            let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
            v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
        };
        Band {
            mean: Estimate::from_samples(&v).mean,
            low: q(0.025),
            high: q(0.975),
        }
    }

    /// Whether `x` lies in the band.
    pub fn covers(&self, x: f64) -> bool {
        x >= self.low && x <= self.high
    }
}

/// One interval of one channel, actual beside simulated.
#[derive(Clone, Debug)]
pub struct IntervalComparison {
    /// The interval's label (`Mon 08`, or `08:00` by hour of day).
    pub label: String,
    /// The channel's index.
    pub channel: usize,
    /// The data's values of [`COMPARED`].
    pub actual: [f64; 4],
    /// The simulation's band for each of [`COMPARED`].
    pub simulated: [Band; 4],
}

/// A channel's fit over the intervals with calls.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct ChannelSummary {
    /// Intervals compared (those with calls in the data).
    pub intervals: usize,
    /// Mean |simulated − actual| service level.
    pub mae_service_level: f64,
    /// Mean (simulated − actual) service level.
    pub bias_service_level: f64,
    /// Mean |simulated − actual| abandonment rate.
    pub mae_abandonment_rate: f64,
    /// Mean (simulated − actual) offered per interval.
    pub bias_offered: f64,
    /// Share of intervals whose actual service level lies in the simulated band.
    pub coverage: f64,
    /// The same for offered calls.
    pub coverage_offered: f64,
}

/// Per replication, channel `c`'s hour-of-week (or hour-of-day) cells.
fn simulated_bands(results: &Results, c: usize, basis: Basis, cell: usize) -> [Band; 4] {
    COMPARED.map(|kpi| {
        let values: Vec<f64> = results
            .per_replication
            .iter()
            .map(|rep| {
                let series = match basis {
                    Basis::HourOfWeek => &rep.intervals.hour_of_week,
                    Basis::HourOfDay => &rep.intervals.hour_of_day,
                    Basis::Day => &rep.intervals.day,
                };
                series.channels[c]
                    .get(cell)
                    .and_then(|k| get(k, kpi))
                    .unwrap_or(f64::NAN)
            })
            .collect();
        Band::of(&values)
    })
}

/// The intervals a backtest compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    /// The 168 hours of the week, every week of the data together.
    HourOfWeek,
    /// The 24 hours of the day, every day together.
    HourOfDay,
    /// Every day of the data (the scenario must keep days: `Scenario::day_intervals`).
    Day,
}

/// Every interval of every channel on `basis`.
pub fn compare(actuals: &Actuals, results: &Results, basis: Basis) -> Vec<IntervalComparison> {
    let mut out = Vec::new();
    for c in 0..actuals.cells.len() {
        let (cells, labels): (Vec<ActualCell>, Vec<String>) = match basis {
            Basis::HourOfWeek => (
                actuals.cells[c].clone(),
                results.interval_labels.hour_of_week.clone(),
            ),
            Basis::HourOfDay => (
                actuals.by_hour_of_day(c),
                (0..24).map(|h| format!("{h:02}:00")).collect(),
            ),
            Basis::Day => results
                .interval_labels
                .day
                .iter()
                .map(|label| {
                    let day = label.parse::<Date>().ok();
                    let cell = day.and_then(|d| actuals.days[c].get(&d)).copied();
                    (cell.unwrap_or_default(), label.clone())
                })
                .unzip(),
        };
        for (i, (cell, label)) in cells.iter().zip(labels).enumerate() {
            out.push(IntervalComparison {
                label,
                channel: c,
                actual: COMPARED.map(|k| cell.value(k)),
                simulated: simulated_bands(results, c, basis, i),
            });
        }
    }
    out
}

/// Bias, errors and coverage for channel `c` over the intervals with calls.
pub fn summarise(intervals: &[IntervalComparison], c: usize) -> ChannelSummary {
    let rows: Vec<&IntervalComparison> = intervals
        .iter()
        .filter(|i| i.channel == c && i.actual[0] > 0.0)
        .collect();
    let mean = |f: &dyn Fn(&IntervalComparison) -> f64| {
        let v: Vec<f64> = rows
            .iter()
            .map(|r| f(r))
            .filter(|x| x.is_finite())
            .collect();
        if v.is_empty() {
            f64::NAN
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    // Over the intervals whose actual value is known (a report may leave one out).
    let share = |k: usize| {
        mean(&|r| match r.actual[k].is_finite() {
            true => f64::from(u8::from(r.simulated[k].covers(r.actual[k]))),
            false => f64::NAN,
        })
    };
    ChannelSummary {
        intervals: rows.len(),
        mae_service_level: mean(&|r| (r.simulated[1].mean - r.actual[1]).abs()),
        bias_service_level: mean(&|r| r.simulated[1].mean - r.actual[1]),
        mae_abandonment_rate: mean(&|r| (r.simulated[3].mean - r.actual[3]).abs()),
        bias_offered: mean(&|r| r.simulated[0].mean - r.actual[0]),
        coverage: share(1),
        coverage_offered: share(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_band_is_the_central_95_percent_of_the_replications() {
        let v: Vec<f64> = (0..=40).map(f64::from).collect();
        let b = Band::of(&v);
        assert_eq!(b.mean, 20.0);
        assert_eq!((b.low, b.high), (1.0, 39.0));
        assert!(b.covers(1.0) && !b.covers(0.5));
        assert!(Band::of(&[f64::NAN]).mean.is_nan());
    }

    #[test]
    fn an_actual_cell_gives_the_published_bases() {
        let c = ActualCell {
            offered: 10,
            within: 6,
            answered: 8,
            abandoned: 2,
            wait_sum_s: 80.0,
            ..ActualCell::default()
        };
        assert_eq!(c.value("service_level"), 0.6);
        assert_eq!(c.value("mean_wait_s"), 10.0);
        assert_eq!(c.value("abandonment_rate"), 0.2);
        assert!(ActualCell::default().value("service_level").is_nan());
        // From a report without the within-target count or the mean wait: unknown.
        let unknown = ActualCell {
            within_unknown: 10,
            wait_unknown: 8,
            ..c
        };
        assert!(unknown.value("service_level").is_nan());
        assert!(unknown.value("mean_wait_s").is_nan());
        assert_eq!(unknown.value("abandonment_rate"), 0.2);
    }
}
