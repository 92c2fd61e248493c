//! `triage-sim backtest`: the fit per channel, then the hours of the day, actual beside the
//! simulated band (table); every interval in JSON and CSV.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use super::csv_text::{finish, num};
use super::json::pretty_json;
use super::{Render, RenderError};
use crate::planning::backtest::{Band, COMPARED, ChannelSummary, IntervalComparison};

/// A back-test, ready to render.
pub struct BacktestView<'a> {
    /// The scenario's name.
    pub scenario: &'a str,
    /// The calls file, as given.
    pub calls: &'a str,
    /// First day of the data, and days simulated.
    pub start: String,
    /// Days covered.
    pub days: u64,
    /// Replications and seed.
    pub replications: u32,
    /// The seed.
    pub seed: u64,
    /// Channel names, in scenario order.
    pub channels: &'a [String],
    /// Hour-of-week intervals.
    pub hour_of_week: &'a [IntervalComparison],
    /// Hour-of-day intervals.
    pub hour_of_day: &'a [IntervalComparison],
    /// Every day of the data.
    pub by_day: &'a [IntervalComparison],
    /// Per channel: the fit over the hour-of-week intervals with calls.
    pub summaries: &'a [ChannelSummary],
    /// Per channel: the fit over the days with calls.
    pub day_summaries: &'a [ChannelSummary],
    /// Rows of channels the scenario does not have.
    pub unknown_channels: &'a BTreeMap<String, u64>,
}

fn pct(x: f64) -> String {
    if x.is_finite() {
        format!("{:.1}%", 100.0 * x)
    } else {
        "—".into()
    }
}

fn pp(x: f64) -> String {
    if x.is_finite() {
        format!("{:+.1} pp", 100.0 * x)
    } else {
        "—".into()
    }
}

#[derive(Serialize)]
struct IntervalJson<'a> {
    start: &'a str,
    channel: &'a str,
    actual: BTreeMap<&'static str, Option<f64>>,
    simulated: BTreeMap<&'static str, Band>,
}

impl BacktestView<'_> {
    fn intervals_json<'s>(&'s self, rows: &'s [IntervalComparison]) -> Vec<IntervalJson<'s>> {
        rows.iter()
            .map(|r| IntervalJson {
                start: &r.label,
                channel: &self.channels[r.channel],
                actual: COMPARED
                    .iter()
                    .zip(r.actual)
                    .map(|(k, v)| (*k, v.is_finite().then_some(v)))
                    .collect(),
                simulated: COMPARED.iter().copied().zip(r.simulated).collect(),
            })
            .collect()
    }
}

/// One line per channel: the fit over `unit` (hours of the week or days).
fn summary_table(out: &mut String, unit: &str, channels: &[String], summaries: &[ChannelSummary]) {
    let _ = writeln!(
        out,
        "channel       {unit}  offered bias   SL MAE   SL bias  abandon MAE  SL in band  offered in band"
    );
    for (name, s) in channels.iter().zip(summaries) {
        let _ = writeln!(
            out,
            "{name:<12} {:>6}  {:>13.1}  {:>7}  {:>8}  {:>11}  {:>10}  {:>15}",
            s.intervals,
            s.bias_offered,
            pct(s.mae_service_level),
            pp(s.bias_service_level),
            pct(s.mae_abandonment_rate),
            pct(s.coverage),
            pct(s.coverage_offered)
        );
    }
}

impl Render for BacktestView<'_> {
    fn table(&self) -> String {
        let mut out = format!(
            "Backtest of {} against {}: {} from {}, {} (seed {})\n\n",
            self.scenario,
            self.calls,
            super::counted(self.days, "day"),
            self.start,
            super::counted(self.replications, "replication"),
            self.seed
        );
        for (unit, summaries) in [("hours", self.summaries), ("days ", self.day_summaries)] {
            summary_table(&mut out, unit, self.channels, summaries);
        }
        out.push_str("\n(hours of the week, then days, with calls; bias = simulated − actual per interval; band = the middle 95% of the replications)\n");
        for (c, name) in self.channels.iter().enumerate() {
            let rows: Vec<&IntervalComparison> = self
                .hour_of_day
                .iter()
                .filter(|r| r.channel == c && r.actual[0] > 0.0)
                .collect();
            if rows.is_empty() {
                continue;
            }
            let _ = writeln!(
                out,
                "\n{name} by hour of day      offered: actual  simulated [band]        service level: actual  simulated [band]"
            );
            for r in rows {
                let (o, s) = (&r.simulated[0], &r.simulated[1]);
                let _ = writeln!(
                    out,
                    "  {}  {:>26.0}  {:>9.0} [{:.0}–{:.0}]  {:>24}  {:>9} [{}–{}]{}",
                    r.label,
                    r.actual[0],
                    o.mean,
                    o.low,
                    o.high,
                    pct(r.actual[1]),
                    pct(s.mean),
                    pct(s.low),
                    pct(s.high),
                    if s.covers(r.actual[1]) || !r.actual[1].is_finite() {
                        ""
                    } else {
                        "  outside"
                    }
                );
            }
        }
        if !self.unknown_channels.is_empty() {
            out.push_str("\nRows of channels the scenario does not have (skipped):");
            for (name, n) in self.unknown_channels {
                let _ = write!(out, " {name} {n};");
            }
            out.push('\n');
        }
        out
    }

    fn json(&self) -> String {
        #[derive(Serialize)]
        struct Document<'a> {
            scenario: &'a str,
            calls: &'a str,
            start: &'a str,
            days: u64,
            replications: u32,
            seed: u64,
            summary: BTreeMap<&'a str, &'a ChannelSummary>,
            summary_by_day: BTreeMap<&'a str, &'a ChannelSummary>,
            intervals: Vec<IntervalJson<'a>>,
            hour_of_day: Vec<IntervalJson<'a>>,
            day: Vec<IntervalJson<'a>>,
            unknown_channels: &'a BTreeMap<String, u64>,
        }
        pretty_json(&Document {
            scenario: self.scenario,
            calls: self.calls,
            start: &self.start,
            days: self.days,
            replications: self.replications,
            seed: self.seed,
            summary: self
                .channels
                .iter()
                .map(String::as_str)
                .zip(self.summaries)
                .collect(),
            summary_by_day: self
                .channels
                .iter()
                .map(String::as_str)
                .zip(self.day_summaries)
                .collect(),
            intervals: self.intervals_json(self.hour_of_week),
            hour_of_day: self.intervals_json(self.hour_of_day),
            day: self.intervals_json(self.by_day),
            unknown_channels: self.unknown_channels,
        })
    }

    fn csv(&self) -> Result<String, RenderError> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "basis", "interval", "channel", "kpi", "actual", "mean", "low", "high", "in_band",
        ])?;
        for (basis, rows) in [
            ("hour_of_week", self.hour_of_week),
            ("hour_of_day", self.hour_of_day),
            ("day", self.by_day),
        ] {
            for r in rows {
                for (k, kpi) in COMPARED.iter().enumerate() {
                    let (a, b) = (r.actual[k], r.simulated[k]);
                    w.write_record([
                        basis,
                        r.label.as_str(),
                        self.channels[r.channel].as_str(),
                        kpi,
                        &num(a),
                        &num(b.mean),
                        &num(b.low),
                        &num(b.high),
                        // Empty where the data leave the value out (a report's column).
                        &if a.is_finite() {
                            b.covers(a).to_string()
                        } else {
                            String::new()
                        },
                    ])?;
                }
            }
        }
        Ok(finish(w)?)
    }
}
