//! Results as CSV: `scope,channel,kpi,mean,ci_low,ci_high,interval,target,met`, one row per channel and
//! KPI (scope `channel`), then the pool (`handlers`), the triage team (`triage`), the
//! per-interval rows (scopes `hour_of_week`, `month`, `week`, `hour_of_day`, with the cell's
//! label in `interval`) and run facts (`run`). On the rows of the KPI a channel's target is
//! measured by, `target` holds the target and `met` whether the row's mean meets it.

use super::csv_text::{finish, num};
use crate::stats::Results;
use crate::stats::{Estimate, Kpis};

/// The CSV text for `results`; `with_timing` adds the row `run,,wall_s` (the one value that
/// measures the machine rather than the scenario).
pub fn results_csv(results: &Results, with_timing: bool) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "scope", "channel", "kpi", "mean", "ci_low", "ci_high", "interval", "target", "met",
    ])?;
    // `c`: the channel whose target the rows may carry.
    let mut rows = |scope: &str,
                    (channel, c): (&str, Option<usize>),
                    kpis: &Kpis<Estimate>,
                    interval: &str|
     -> Result<(), csv::Error> {
        for (k, e) in kpis {
            let met = c.and_then(|c| results.meets_target(c, k, e.mean));
            let (target, met) = match (c, met) {
                (Some(c), Some(met)) => (num(results.targets[c]), met.to_string()),
                _ => (String::new(), String::new()),
            };
            w.write_record([
                scope,
                channel,
                k,
                &num(e.mean),
                &num(e.ci_low),
                &num(e.ci_high),
                interval,
                &target,
                &met,
            ])?;
        }
        Ok(())
    };
    for (c, (name, kpis)) in results.channels.iter().enumerate() {
        rows("channel", (name, Some(c)), kpis, "")?;
    }
    rows("handlers", ("", None), &results.handlers, "")?;
    if let Some(t) = &results.triage {
        rows("triage", ("", None), t, "")?;
    }
    let (labels, iv) = (&results.interval_labels, &results.intervals);
    for (scope, labels, series) in [
        ("hour_of_week", &labels.hour_of_week, &iv.hour_of_week),
        ("month", &labels.month, &iv.month),
        ("week", &labels.week, &iv.week),
        ("hour_of_day", &labels.hour_of_day, &iv.hour_of_day),
    ] {
        for (c, ((name, _), cells)) in results.channels.iter().zip(&series.channels).enumerate() {
            for (label, kpis) in labels.iter().zip(cells) {
                rows(scope, (name, Some(c)), kpis, label)?;
            }
        }
        for (label, kpis) in labels.iter().zip(&series.handlers) {
            rows(scope, ("handlers", None), kpis, label)?;
        }
    }
    let events = results.events.to_string();
    w.write_record(["run", "", "events", &events, "", "", "", "", ""])?;
    if with_timing {
        let wall_s = num(results.wall_s);
        w.write_record(["run", "", "wall_s", &wall_s, "", "", "", "", ""])?;
    }
    finish(w)
}
