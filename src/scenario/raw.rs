//! The scenario file exactly as written: the only type that derives `Deserialize`.
//!
//! Every value keeps its byte span so that validation can point at the line and column of a
//! mistake. Keys are optional here so that a missing key is reported by validation, together
//! with every other problem, instead of stopping the parse at the first one.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// The top level of a scenario file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: Option<Spanned<String>>,
    pub horizon_hours: Option<Spanned<f64>>,
    pub warmup_hours: Option<Spanned<f64>>,
    pub replications: Option<Spanned<i64>>,
    pub seed: Option<Spanned<i64>>,
    pub channels: Option<Spanned<BTreeMap<String, Spanned<RawChannel>>>>,
    pub handlers: Option<Spanned<RawHandlers>>,
    pub triage: Option<Spanned<RawTriage>>,
}

/// One `[channels.NAME]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChannel {
    pub kind: Option<Spanned<String>>,
    pub priority: Option<Spanned<i64>>,
    pub arrivals: Option<Spanned<RawArrivals>>,
    pub handle_time: Option<Spanned<RawDist>>,
    pub patience: Option<Spanned<RawDist>>,
    pub target: Option<Spanned<RawTarget>>,
}

/// `arrivals = { rate_per_hour = … }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivals {
    pub rate_per_hour: Option<Spanned<f64>>,
}

/// A distribution table such as `{ dist = "lognormal", mean_s = 300, sd_s = 200 }`.
///
/// Flat on purpose: which keys belong to which `dist` is checked by validation, which can then
/// say "sd_s is not used by an exponential" rather than serde's generic complaint.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDist {
    pub dist: Option<Spanned<String>>,
    pub mean_s: Option<Spanned<f64>>,
    pub sd_s: Option<Spanned<f64>>,
    pub value_s: Option<Spanned<f64>>,
    pub min_s: Option<Spanned<f64>>,
    pub max_s: Option<Spanned<f64>>,
    pub values_s: Option<Spanned<Vec<f64>>>,
}

/// `target = { answer_within_s = …, fraction = … }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTarget {
    pub answer_within_s: Option<Spanned<f64>>,
    pub fraction: Option<Spanned<f64>>,
}

/// The `[handlers]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHandlers {
    pub count: Option<Spanned<i64>>,
}

/// The `[triage]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTriage {
    pub officers: Option<Spanned<i64>>,
    pub channels: Option<Spanned<Vec<Spanned<String>>>>,
    pub policy: Option<Spanned<String>>,
    pub handle_time: Option<Spanned<RawDist>>,
    pub resolve_fraction: Option<Spanned<f64>>,
    pub escalate_fraction: Option<Spanned<f64>>,
}
