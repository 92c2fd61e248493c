//! Results as JSON: `channels.<name>.<kpi>`, `handlers.<kpi>`, `triage.<kpi>` are
//! `{ "mean", "ci_low", "ci_high" }` objects (null where undefined); run facts at the top level.

use serde_json::{Map, Value, json};

use crate::replicate::Results;
use crate::stats::{Estimate, Kpis};

fn kpi_object(kpis: &Kpis<Estimate>) -> Value {
    let map: Map<String, Value> = kpis
        .iter()
        .map(|(k, e)| ((*k).to_owned(), json!(e)))
        .collect();
    Value::Object(map)
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
        "events": results.events,
        "wall_s": results.wall_s,
    })
}
