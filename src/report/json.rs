//! Results as JSON: `channels.<name>.<kpi>`, `handlers.<kpi>`, `triage.<kpi>` are
//! `{ "mean", "ci_low", "ci_high" }` objects (null where undefined); run facts at the top level;
//! `intervals.<hour_of_week|month|week|hour_of_day>` hold `labels` and, per channel and for the handlers,
//! one array of such objects per KPI.
//!
//! The document is serialised straight from [`Results`] (no intermediate `serde_json::Value`
//! tree), so memory stays close to the size of the text even for years of weekly results.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use crate::stats::Results;
use crate::stats::{Estimate, IntervalSeries, Kpis};

/// A KPI list as a JSON object.
struct KpiMap<'a>(&'a Kpis<Estimate>);

impl Serialize for KpiMap<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, e) in self.0 {
            map.serialize_entry(k, e)?;
        }
        map.end()
    }
}

/// One KPI across interval cells, as a JSON array.
struct Column<'a> {
    cells: &'a [Kpis<Estimate>],
    index: usize,
}

impl Serialize for Column<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.cells.len()))?;
        for cell in self.cells {
            seq.serialize_element(&cell[self.index].1)?;
        }
        seq.end()
    }
}

/// Interval cells as `{ kpi: [cell, …] }`.
struct Columns<'a>(&'a [Kpis<Estimate>]);

impl Serialize for Columns<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let names: Vec<&str> = self
            .0
            .first()
            .map_or(Vec::new(), |c| c.iter().map(|(k, _)| *k).collect());
        let mut map = s.serialize_map(Some(names.len()))?;
        for (index, name) in names.iter().enumerate() {
            map.serialize_entry(
                name,
                &Column {
                    cells: self.0,
                    index,
                },
            )?;
        }
        map.end()
    }
}

/// One interval series: labels, channels, handlers.
struct Series<'a> {
    labels: &'a [String],
    series: &'a IntervalSeries<Estimate>,
    channels: &'a [(String, Kpis<Estimate>)],
}

impl Serialize for Series<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Channels<'b>(&'b Series<'b>);
        impl Serialize for Channels<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut map = s.serialize_map(Some(self.0.channels.len()))?;
                for ((name, _), cells) in self.0.channels.iter().zip(&self.0.series.channels) {
                    map.serialize_entry(name, &Columns(cells))?;
                }
                map.end()
            }
        }
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("labels", self.labels)?;
        map.serialize_entry("channels", &Channels(self))?;
        map.serialize_entry("handlers", &Columns(&self.series.handlers))?;
        map.end()
    }
}

/// The whole document.
struct Document<'a> {
    results: &'a Results,
    with_timing: bool,
}

/// How long a run took on this machine: the one part of a run's output that is not a function
/// of the scenario and seed, so it is written only when asked for (`--timing`).
#[derive(Serialize)]
struct Timing {
    /// Wall-clock seconds of the replications.
    wall_s: f64,
    /// Events processed per wall-clock second, all threads together.
    events_per_s: f64,
}

impl Timing {
    fn of(r: &Results) -> Timing {
        Timing {
            wall_s: r.wall_s,
            events_per_s: r.events as f64 / r.wall_s.max(1e-9),
        }
    }
}

impl Serialize for Document<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.results;
        struct Channels<'b>(&'b [(String, Kpis<Estimate>)]);
        impl Serialize for Channels<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut map = s.serialize_map(Some(self.0.len()))?;
                for (name, kpis) in self.0 {
                    map.serialize_entry(name, &KpiMap(kpis))?;
                }
                map.end()
            }
        }
        struct Intervals<'b>(&'b Results);
        impl Serialize for Intervals<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let (r, labels) = (self.0, &self.0.interval_labels);
                let mut map = s.serialize_map(Some(4))?;
                for (key, labels, series) in [
                    (
                        "hour_of_week",
                        &labels.hour_of_week,
                        &r.intervals.hour_of_week,
                    ),
                    ("month", &labels.month, &r.intervals.month),
                    ("week", &labels.week, &r.intervals.week),
                    ("hour_of_day", &labels.hour_of_day, &r.intervals.hour_of_day),
                ] {
                    map.serialize_entry(
                        key,
                        &Series {
                            labels,
                            series,
                            channels: &r.channels,
                        },
                    )?;
                }
                map.end()
            }
        }
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("scenario", &r.scenario)?;
        map.serialize_entry("version", env!("CARGO_PKG_VERSION"))?;
        map.serialize_entry("seed", &r.seed)?;
        map.serialize_entry("replications", &r.replications)?;
        map.serialize_entry("confidence", &crate::stats::CONFIDENCE)?;
        map.serialize_entry("channels", &Channels(&r.channels))?;
        let targets: std::collections::BTreeMap<&str, crate::stats::TargetOutcome> = r
            .channels
            .iter()
            .enumerate()
            .map(|(c, (name, _))| (name.as_str(), r.target_outcome(c)))
            .collect();
        map.serialize_entry("targets", &targets)?;
        map.serialize_entry("handlers", &KpiMap(&r.handlers))?;
        map.serialize_entry("triage", &r.triage.as_ref().map(KpiMap))?;
        map.serialize_entry("intervals", &Intervals(r))?;
        map.serialize_entry("events", &r.events)?;
        if self.with_timing {
            map.serialize_entry("timing", &Timing::of(r))?;
            // The key of versions before `timing`, kept for the scripts that read it.
            map.serialize_entry("wall_s", &r.wall_s)?;
        }
        map.end()
    }
}

/// The JSON document for `results`, pretty-printed: a function of the scenario and seed alone,
/// unless `with_timing` adds `timing` (`wall_s`, `events_per_s`) and the older top-level
/// `wall_s`.
pub fn results_json(results: &Results, with_timing: bool) -> String {
    pretty_json(&Document {
        results,
        with_timing,
    })
}

/// The one way triage-sim emits JSON: serde, pretty-printed, ending in a newline. Every value
/// it serialises is plain data (maps with string keys), so serialising cannot fail; if it ever
/// did, the error is written as the document rather than lost.
pub fn pretty_json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")) + "\n"
}
