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
    pub start_date: Option<Spanned<toml::value::Datetime>>,
    pub profiles: Option<Spanned<BTreeMap<String, Spanned<RawProfile>>>>,
    pub channels: Option<Spanned<BTreeMap<String, Spanned<RawChannel>>>>,
    pub handlers: Option<Spanned<RawHandlers>>,
    pub triage: Option<Spanned<RawTriage>>,
    /// `[[changes]]`: each a `from` date and scenario keys, checked in `scenario::changes`.
    pub changes: Option<Spanned<Vec<Spanned<toml::Table>>>>,
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
    pub concurrency: Option<Spanned<i64>>,
    pub redial: Option<Spanned<RawRedial>>,
    pub drops: Option<Spanned<RawDrops>>,
    pub transfer: Option<Spanned<RawDist>>,
    pub bursts: Option<Spanned<RawBursts>>,
    pub callback: Option<Spanned<RawCallback>>,
    pub ivr: Option<Spanned<RawIvr>>,
}

/// `ivr = { time, abandon, self_service }`: a menu before the queue.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIvr {
    pub time: Option<Spanned<RawDist>>,
    pub abandon: Option<Spanned<f64>>,
    pub self_service: Option<Spanned<f64>>,
}

/// `callback = { offer_when_waiting_over, accept, success, attempt_time, retry_after,
/// max_attempts }`: call-backs offered to queued callers.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCallback {
    pub offer_when_waiting_over: Option<Spanned<i64>>,
    pub offer_when_expected_wait_over_s: Option<Spanned<f64>>,
    pub accept: Option<Spanned<f64>>,
    pub success: Option<Spanned<f64>>,
    pub attempt_time: Option<Spanned<RawDist>>,
    pub retry_after: Option<Spanned<RawDist>>,
    pub max_attempts: Option<Spanned<i64>>,
}

/// A demand profile: relative weights by hour of day, day of week, month, or hour of week.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProfile {
    pub hour_of_day: Option<Spanned<Vec<f64>>>,
    pub day_of_week: Option<Spanned<Vec<f64>>>,
    pub month: Option<Spanned<Vec<f64>>>,
    pub hour_of_week: Option<Spanned<Vec<f64>>>,
}

/// `redial = { probability, delay, max_attempts, to, to_fraction }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRedial {
    pub probability: Option<Spanned<f64>>,
    pub delay: Option<Spanned<RawDist>>,
    pub max_attempts: Option<Spanned<i64>>,
    pub to: Option<Spanned<String>>,
    pub to_fraction: Option<Spanned<f64>>,
}

/// `drops = { fraction, handle_time, priority }`: wait-independent drops needing a call-back.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDrops {
    pub fraction: Option<Spanned<f64>>,
    pub handle_time: Option<Spanned<RawDist>>,
    pub priority: Option<Spanned<i64>>,
    pub target: Option<Spanned<RawTarget>>,
}

/// `bursts = { per_week, calls_min, calls_max, window_min_s, window_max_s }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBursts {
    pub per_week: Option<Spanned<f64>>,
    pub calls_min: Option<Spanned<i64>>,
    pub calls_max: Option<Spanned<i64>>,
    pub window_min_s: Option<Spanned<f64>>,
    pub window_max_s: Option<Spanned<f64>>,
}

/// `arrivals = { rate_per_hour = … }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivals {
    pub rate_per_hour: Option<Spanned<f64>>,
    pub annual_volume: Option<Spanned<f64>>,
    pub growth: Option<Spanned<f64>>,
    pub profile: Option<Spanned<String>>,
    pub day_cv: Option<Spanned<f64>>,
    pub surge_days_per_year: Option<Spanned<f64>>,
    pub surge_factor: Option<Spanned<f64>>,
    pub hour_of_day: Option<Spanned<Vec<f64>>>,
    pub day_of_week: Option<Spanned<Vec<f64>>>,
    pub month: Option<Spanned<Vec<f64>>>,
    pub hour_of_week: Option<Spanned<Vec<f64>>>,
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
    pub answer_within_hours: Option<Spanned<f64>>,
    pub fraction: Option<Spanned<f64>>,
    pub max_abandonment: Option<Spanned<f64>>,
    pub clock: Option<Spanned<String>>,
}

/// The `[handlers]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHandlers {
    pub count: Option<Spanned<i64>>,
    pub max_occupancy: Option<Spanned<f64>>,
    pub cost_per_handler: Option<Spanned<f64>>,
    pub fte_hours_per_week: Option<Spanned<f64>>,
    pub shrinkage: Option<Spanned<f64>>,
    pub shrinkage_by_month: Option<Spanned<Vec<Spanned<f64>>>>,
    pub attrition_per_year: Option<Spanned<f64>>,
    pub attrition_by_tenure: Option<Spanned<Vec<Spanned<RawTenureBand>>>>,
    pub meal_break_window: Option<Spanned<RawBreakWindow>>,
    pub groups: Option<Spanned<BTreeMap<String, Spanned<RawGroup>>>>,
    pub hires: Option<Spanned<Vec<Spanned<RawHire>>>>,
}

/// `[handlers.groups.NAME]`: a shift group on a rota, with its skills.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    pub headcount: Option<Spanned<i64>>,
    pub teams: Option<Spanned<i64>>,
    pub shift_start: Option<Spanned<String>>,
    pub shift_hours: Option<Spanned<f64>>,
    pub pattern: Option<Spanned<String>>,
    pub channels: Option<Spanned<Vec<Spanned<String>>>>,
    pub overflow: Option<Spanned<RawOverflow>>,
    pub reserve: Option<Spanned<RawReserve>>,
    pub non_call_work: Option<Spanned<f64>>,
    pub meal_break: Option<Spanned<RawMealBreak>>,
    pub on_duty_by_hour_of_week: Option<Spanned<Vec<Spanned<i64>>>>,
}

/// `overflow = { channel, after_s, queue_over }`: a group pulled onto a channel whose callers
/// wait long, or whose queue grows long.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOverflow {
    pub channel: Option<Spanned<String>>,
    pub after_s: Option<Spanned<f64>>,
    pub queue_over: Option<Spanned<i64>>,
    pub from: Option<Spanned<String>>,
    pub until: Option<Spanned<String>>,
}

/// `meal_break = { after_hours, minutes }`: each handler's break within the shift.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMealBreak {
    pub after_hours: Option<Spanned<f64>>,
    pub minutes: Option<Spanned<f64>>,
}

/// `[handlers] meal_break_window = { minutes, from_hours, to_hours }`: where `rota` may place
/// each designed shift's break.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBreakWindow {
    pub minutes: Option<Spanned<f64>>,
    pub from_hours: Option<Spanned<f64>>,
    pub to_hours: Option<Spanned<f64>>,
}

/// `reserve = { channel, idle }`: trunk reservation, keeping handlers free for a channel.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReserve {
    pub channel: Option<Spanned<String>>,
    pub idle: Option<Spanned<i64>>,
}

/// `[[handlers.attrition_by_tenure]]`: a recruit's leaving rate until a tenure.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTenureBand {
    pub under_months: Option<Spanned<f64>>,
    pub per_year: Option<Spanned<f64>>,
}

/// `[[handlers.hires]]`: a cohort of new handlers.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHire {
    pub group: Option<Spanned<String>>,
    pub start_date: Option<Spanned<toml::value::Datetime>>,
    pub count: Option<Spanned<i64>>,
    pub training_weeks: Option<Spanned<f64>>,
    pub ramp_weeks: Option<Spanned<f64>>,
    pub initial_aht_factor: Option<Spanned<f64>>,
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
    pub redirect_fraction: Option<Spanned<f64>>,
    pub open: Option<Spanned<String>>,
    pub close: Option<Spanned<String>>,
    pub cost_per_officer: Option<Spanned<f64>>,
    pub shifts: Option<Spanned<Vec<Spanned<RawTriageShift>>>>,
    pub shrinkage: Option<Spanned<f64>>,
    pub handle_time_resolved: Option<Spanned<RawDist>>,
    pub pulled_to: Option<Spanned<RawTriagePull>>,
}

/// One of `[triage] shifts = [{ start = "08:00", hours = 10, officers = 4 }, …]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTriageShift {
    pub start: Option<Spanned<String>>,
    pub hours: Option<Spanned<f64>>,
    pub officers: Option<Spanned<i64>>,
}

/// `[triage] pulled_to = { channel = "999", queue_over = 2 }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTriagePull {
    pub channel: Option<Spanned<String>>,
    pub queue_over: Option<Spanned<i64>>,
}
