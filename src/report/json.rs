//! Results as JSON: `channels.<name>.<kpi>`, `handlers.<kpi>`, `triage.<kpi>` are
//! `{ "mean", "ci_low", "ci_high" }` objects (null where undefined); run facts at the top level;
//! `intervals.<hour_of_week|month|week>` hold `labels` and, per channel and for the handlers,
//! one array of such objects per KPI.

use serde_json::{Map, Value, json};

use crate::replicate::Results;
use crate::stats::{Estimate, IntervalSeries, Kpis};

fn kpi_object(kpis: &Kpis<Estimate>) -> Value {
    let map: Map<String, Value> = kpis
        .iter()
        .map(|(k, e)| ((*k).to_owned(), json!(e)))
        .collect();
    Value::Object(map)
}

fn series_json(
    labels: &[String],
    series: &IntervalSeries<Estimate>,
    channels: &[(String, Kpis<Estimate>)],
) -> Value {
    let by_kpi = |cells: &[Kpis<Estimate>]| -> Value {
        let mut map = Map::new();
        if let Some(first) = cells.first() {
            for (j, (k, _)) in first.iter().enumerate() {
                map.insert(
                    (*k).to_owned(),
                    Value::Array(cells.iter().map(|c| json!(c[j].1)).collect()),
                );
            }
        }
        Value::Object(map)
    };
    let chans: Map<String, Value> = channels
        .iter()
        .zip(&series.channels)
        .map(|((name, _), cells)| (name.clone(), by_kpi(cells)))
        .collect();
    json!({ "labels": labels, "channels": chans, "handlers": by_kpi(&series.handlers) })
}

/// The JSON document for `results`.
pub fn results_json(results: &Results) -> Value {
    let channels: Map<String, Value> = results
        .channels
        .iter()
        .map(|(name, k)| (name.clone(), kpi_object(k)))
        .collect();
    json!({
        "scenario": results.scenario,
        "version": env!("CARGO_PKG_VERSION"),
        "seed": results.seed,
        "replications": results.replications,
        "confidence": crate::stats::CONFIDENCE,
        "channels": channels,
        "handlers": kpi_object(&results.handlers),
        "triage": results.triage.as_ref().map(kpi_object),
        "intervals": {
            "hour_of_week": series_json(&results.interval_labels.hour_of_week, &results.intervals.hour_of_week, &results.channels),
            "month": series_json(&results.interval_labels.month, &results.intervals.month, &results.channels),
            "week": series_json(&results.interval_labels.week, &results.intervals.week, &results.channels),
        },
        "events": results.events,
        "wall_s": results.wall_s,
    })
}
