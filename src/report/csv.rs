//! Results as CSV: `scope,channel,kpi,mean,ci_low,ci_high,interval`, one row per channel and
//! KPI (scope `channel`), then the pool (`handlers`), the triage team (`triage`), the
//! per-interval rows (scopes `hour_of_week`, `month`, `week`, `hour_of_day`, with the cell's
//! label in `interval`) and run facts (`run`).

use super::csv_text::{finish, num};
use crate::stats::Results;
use crate::stats::{Estimate, Kpis};

/// The CSV text for `results`.
pub fn results_csv(results: &Results) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "scope", "channel", "kpi", "mean", "ci_low", "ci_high", "interval",
    ])?;
    let mut rows = |scope: &str,
                    channel: &str,
                    kpis: &Kpis<Estimate>,
                    interval: &str|
     -> Result<(), csv::Error> {
        for (k, e) in kpis {
            w.write_record([
                scope,
                channel,
                k,
                &num(e.mean),
                &num(e.ci_low),
                &num(e.ci_high),
                interval,
            ])?;
        }
        Ok(())
    };
    for (name, kpis) in &results.channels {
        rows("channel", name, kpis, "")?;
    }
    rows("handlers", "", &results.handlers, "")?;
    if let Some(t) = &results.triage {
        rows("triage", "", t, "")?;
    }
    let (labels, iv) = (&results.interval_labels, &results.intervals);
    for (scope, labels, series) in [
        ("hour_of_week", &labels.hour_of_week, &iv.hour_of_week),
        ("month", &labels.month, &iv.month),
        ("week", &labels.week, &iv.week),
        ("hour_of_day", &labels.hour_of_day, &iv.hour_of_day),
    ] {
        for ((name, _), cells) in results.channels.iter().zip(&series.channels) {
            for (label, kpis) in labels.iter().zip(cells) {
                rows(scope, name, kpis, label)?;
            }
        }
        for (label, kpis) in labels.iter().zip(&series.handlers) {
            rows(scope, "handlers", kpis, label)?;
        }
    }
    w.write_record(["run", "", "events", &results.events.to_string(), "", "", ""])?;
    w.write_record(["run", "", "wall_s", &num(results.wall_s), "", "", ""])?;
    finish(w)
}
