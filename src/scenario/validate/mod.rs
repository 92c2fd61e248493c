//! Parse, then validate: turns scenario text into a [`Scenario`] or every problem at once.
//!
//! Parsing reports every unknown key at once, and stops at a syntax error or a wrong type; each
//! is located by line, column and key path. Validation then checks every value and reports all problems
//! together, each with its location and what was expected.

mod absence;
mod arrivals;
mod callback;
mod channel;
mod ivr;
mod on_duty;
mod parse;
mod stability;
mod triage;
mod triage_rota;
mod workforce;

use std::ops::Range;

use toml::Spanned;

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::raw::{
    RawArrivals, RawBursts, RawCallback, RawChannel, RawDist, RawDrops, RawGroup, RawHandlers,
    RawHire, RawMealBreak, RawProfile, RawRedial, RawScenario, RawTarget, RawTriage, RawTriagePull,
    RawTriageShift,
};
use super::{
    BreakWindow, Bursts, CallbackOffer, Channel, ChannelKind, Demand, Diagnostic, Drops, Group,
    Handlers, Hire, MealBreak, OfferWhen, OnDuty, Overflow, Redial, Reserve, Scenario,
    ScenarioError, Shift, Target, TargetClock, TenureBand, Triage, TriagePolicy, TriagePull,
    TriageShift, offered_load,
};
use crate::calendar::{Calendar, HOURS_PER_WEEK, days_in_first_year};
use crate::dist::Dist;
use crate::time::{
    DAY_US, DAYS_PER_YEAR, HOUR_S, HOURS_PER_DAY, MICROS_PER_S, SECS_PER_HOUR, SimTime,
};
use parse::parse;

/// The start date when the file gives none: a Monday.
const DEFAULT_START: (i16, i8, i8) = (2024, 1, 1);
/// Named demand profiles: hour-of-week and month weights, each with mean 1.
type Profiles = BTreeMap<String, (Vec<f64>, Vec<f64>)>;

pub use super::MAX_HORIZON_HOURS;

/// Default number of replications when the file does not say.
pub const DEFAULT_REPLICATIONS: u32 = 10;
/// Most replications a scenario may ask for.
const MAX_REPLICATIONS: i64 = 100_000;
pub use super::MAX_STAFF;
/// Most channels a file may define: with their call-back channels and two queues each, queue
/// and event ids stay within 16 bits.
const MAX_CHANNELS: usize = 10_000;
/// Most shift groups: events name a group in 16 bits.
const MAX_GROUPS: usize = 10_000;

pub(super) fn parse_and_validate(text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
    parse_and_validate_with(text, origin, false)
}

/// [`parse_and_validate`], optionally accepting a scenario too understaffed to be stable.
pub(super) fn parse_and_validate_with(
    text: &str,
    origin: &str,
    allow_unstable: bool,
) -> Result<Scenario, ScenarioError> {
    let parse::Parsed { raw, problems } = parse(text);
    let Some(raw) = raw else {
        return Err(ScenarioError::new(origin, text, problems));
    };
    let mut v = Validator {
        allow_unstable,
        ..Validator::default()
    };
    let scenario = v.scenario(&raw);
    if !problems.is_empty() {
        // Unknown keys, and what validating the rest found (less a "missing key" for a key a
        // typo's suggestion already names): every problem at once.
        let meant = parse::meant(&problems);
        let mut all = problems;
        all.extend(
            v.diags
                .into_iter()
                .filter(|d| !(d.message.starts_with("missing key") && meant.contains(&d.key))),
        );
        all.sort_by_key(|d| d.span.as_ref().map_or(usize::MAX, |s| s.start));
        return Err(ScenarioError::new(origin, text, all));
    }
    match scenario {
        Some(s) if v.diags.is_empty() => super::changes::with_changes(s, &raw, text, origin),
        _ => Err(ScenarioError::new(origin, text, v.diags)),
    }
}

#[derive(Default)]
struct Validator {
    diags: Vec<Diagnostic>,
    /// Accept a scenario whose patient demand outgrows its staff (for the staffing search).
    allow_unstable: bool,
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

impl Validator {
    fn error(&mut self, key: String, span: Option<Range<usize>>, message: impl Into<String>) {
        self.diags.push(Diagnostic {
            key,
            span,
            message: message.into(),
        });
    }

    /// A key that must be present; reports it missing at the enclosing table.
    fn required<'a, T>(
        &mut self,
        value: &'a Option<Spanned<T>>,
        parent: &str,
        key: &str,
        parent_span: &Range<usize>,
        expected: &str,
    ) -> Option<&'a Spanned<T>> {
        if value.is_none() {
            self.error(
                join(parent, key),
                Some(parent_span.clone()),
                format!("missing key; expected {expected}"),
            );
        }
        value.as_ref()
    }

    /// A number that must pass `ok`, described by `expected` when it does not.
    fn number(
        &mut self,
        value: &Spanned<f64>,
        key: String,
        ok: impl Fn(f64) -> bool,
        expected: &str,
    ) -> Option<f64> {
        let x = *value.get_ref();
        if x.is_finite() && ok(x) {
            Some(x)
        } else {
            self.error(
                key,
                Some(value.span()),
                format!("got {}; expected {expected}", shown(x)),
            );
            None
        }
    }

    /// Whether `name`, a key of the `table` (`channels`, `handlers.groups`), can be printed as
    /// it is: a newline or terminal escape in a name would split or colour every table and
    /// message that shows it.
    fn printable_name(&mut self, table: &str, name: &str, span: std::ops::Range<usize>) -> bool {
        if !name.chars().any(char::is_control) {
            return true;
        }
        self.error(
            format!("{table}.\"{}\"", name.escape_debug()),
            Some(span),
            "a name with a control character (a newline, tab or terminal escape); expected printable characters only, e.g. \"101\"",
        );
        false
    }

    /// A number that may be left out (then `default`), else must pass `ok`.
    fn optional_number(
        &mut self,
        value: &Option<Spanned<f64>>,
        key: String,
        default: f64,
        ok: impl Fn(f64) -> bool,
        expected: &str,
    ) -> Option<f64> {
        match value {
            None => Some(default),
            Some(v) => self.number(v, key, ok, expected),
        }
    }

    /// A number that must be present (`missing` says what it is) and pass `ok`.
    #[allow(clippy::too_many_arguments)]
    fn required_number(
        &mut self,
        value: &Option<Spanned<f64>>,
        parent: &str,
        key: &str,
        parent_span: &Range<usize>,
        missing: &str,
        ok: impl Fn(f64) -> bool,
        expected: &str,
    ) -> Option<f64> {
        self.required(value, parent, key, parent_span, missing)
            .and_then(|v| self.number(v, join(parent, key), ok, expected))
    }

    /// A fraction between 0 and 1 that must be present (`missing` says what it is).
    fn required_probability(
        &mut self,
        value: &Option<Spanned<f64>>,
        parent: &str,
        key: &str,
        parent_span: &Range<usize>,
        missing: &str,
    ) -> Option<f64> {
        self.required(value, parent, key, parent_span, missing)
            .and_then(|v| self.probability(v, join(parent, key)))
    }

    /// A whole number that must be present (`missing` says what it is), from `min` to `max`.
    fn required_integer(
        &mut self,
        value: &Option<Spanned<i64>>,
        (parent, key): (&str, &str),
        parent_span: &Range<usize>,
        missing: &str,
        (min, max): (i64, i64),
    ) -> Option<i64> {
        self.required(value, parent, key, parent_span, missing)
            .and_then(|v| self.integer(v, join(parent, key), min, max))
    }

    fn integer(&mut self, value: &Spanned<i64>, key: String, min: i64, max: i64) -> Option<i64> {
        let x = *value.get_ref();
        if (min..=max).contains(&x) {
            Some(x)
        } else {
            self.error(
                key,
                Some(value.span()),
                format!("got {x}; expected a whole number from {min} to {max}"),
            );
            None
        }
    }

    fn probability(&mut self, value: &Spanned<f64>, key: String) -> Option<f64> {
        self.number(
            value,
            key,
            |x| (0.0..=1.0).contains(&x),
            "a fraction between 0 and 1",
        )
    }

    fn scenario(&mut self, raw: &RawScenario) -> Option<Scenario> {
        let top = 0..0;
        let name = raw
            .name
            .as_ref()
            .map_or_else(|| "scenario".to_owned(), |n| n.get_ref().clone());
        let (horizon_hours, warmup_hours) = self.horizon(raw);
        let replications = match &raw.replications {
            None => Some(DEFAULT_REPLICATIONS),
            Some(r) => self
                .integer(r, "replications".into(), 1, MAX_REPLICATIONS)
                .map(|r| r as u32),
        };
        let seed = match &raw.seed {
            None => Some(1),
            Some(s) => self
                .integer(s, "seed".into(), 0, i64::MAX)
                .map(|s| s as u64),
        };
        let start_date = match &raw.start_date {
            None => Date::new(DEFAULT_START.0, DEFAULT_START.1, DEFAULT_START.2).ok(),
            Some(d) => self.date(d, "start_date".into()),
        };
        self.calendar_covers(raw, start_date, horizon_hours);
        let profiles = match &raw.profiles {
            Some(p) => self.profiles(p),
            None => Some(BTreeMap::new()),
        };
        let channels = match (&raw.channels, start_date, &profiles) {
            (Some(c), Some(start), Some(profiles)) => self.channels(c, start, profiles),
            (None, ..) => {
                self.required(
                    &raw.channels,
                    "",
                    "channels",
                    &top,
                    "at least one [channels.NAME] table",
                );
                None
            }
            _ => None,
        };
        let handlers = self
            .required(
                &raw.handlers,
                "",
                "handlers",
                &top,
                "a [handlers] table with count, or shift groups",
            )
            .and_then(|h| {
                channels
                    .as_ref()
                    .and_then(|chs| self.handlers(h, chs, start_date?))
            });
        let triage = match (&raw.triage, &channels) {
            (Some(t), Some(chs)) => self.triage(t, chs).map(Some),
            (Some(_), None) => None,
            (None, _) => Some(None),
        };
        let scenario = Scenario {
            name,
            horizon: SimTime::from_hours(horizon_hours?),
            warmup: SimTime::from_hours(warmup_hours?),
            replications: replications?,
            seed: seed?,
            start_date: start_date?,
            channels: channels?,
            handlers: handlers?,
            triage: triage?,
            changes: Vec::new(),
            day_intervals: false,
        };
        if self.diags.is_empty() && !self.allow_unstable {
            self.check_stability(&scenario, raw);
        }
        Some(scenario)
    }

    /// The calendar must cover the run (plus the two days the engine looks ahead).
    fn calendar_covers(&mut self, raw: &RawScenario, start: Option<Date>, hours: Option<f64>) {
        if let (Some(start), Some(hours), Some(d)) = (start, hours, &raw.start_date) {
            let days = (hours / 24.0).ceil() as i64 + 2;
            if !super::calendar_has_room(start, hours) {
                self.error(
                "start_date".into(),
                Some(d.span()),
                format!("a run of {days} days from {start} would end after 9999-12-31, the last date the calendar knows; expected an earlier start_date or a shorter horizon"),
            );
            }
        }
    }

    /// `horizon_hours` and `warmup_hours`, the warm-up shorter than the horizon.
    fn horizon(&mut self, raw: &RawScenario) -> (Option<f64>, Option<f64>) {
        let horizon_hours = self.required_number(
            &raw.horizon_hours,
            "",
            "horizon_hours",
            &(0..0),
            "the simulated length in hours, e.g. horizon_hours = 8760",
            |x| x > 0.0 && x <= MAX_HORIZON_HOURS,
            "a number of hours above 0 and at most 876600 (100 years)",
        );
        let warmup_hours = self.optional_number(
            &raw.warmup_hours,
            "warmup_hours".into(),
            0.0,
            |x| x >= 0.0,
            "a number of hours of at least 0",
        );
        if let (Some(h), Some(w), Some(ws)) = (horizon_hours, warmup_hours, &raw.warmup_hours)
            && w >= h
        {
            self.error("warmup_hours".into(), Some(ws.span()), format!("warm-up of {w} h leaves nothing of the {h} h horizon; expected warmup_hours < horizon_hours"));
        }
        (horizon_hours, warmup_hours)
    }

    fn date(&mut self, value: &Spanned<toml::value::Datetime>, key: String) -> Option<Date> {
        let dt = value.get_ref();
        match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => match Date::new(d.year as i16, d.month as i8, d.day as i8) {
                Ok(date) => Some(date),
                Err(e) => {
                    self.error(
                        key,
                        Some(value.span()),
                        format!("{e}; expected a date such as 2024-01-01"),
                    );
                    None
                }
            },
            _ => {
                self.error(
                    key,
                    Some(value.span()),
                    format!("got {dt}; expected a plain date such as 2024-01-01"),
                );
                None
            }
        }
    }

    /// A time of day written "HH:MM" (24:00 allowed), as the time since midnight.
    fn time_of_day(&mut self, value: &Spanned<String>, key: String) -> Option<SimTime> {
        let text = value.get_ref();
        let parsed = text.split_once(':').and_then(|(h, m)| {
            let (h, m): (u64, u64) = (h.parse().ok()?, m.parse().ok()?);
            (m < 60 && (h < 24 || (h == 24 && m == 0)) && text.len() == 5)
                .then(|| SimTime::from_whole_secs(h * HOUR_S + m * 60))
        });
        if parsed.is_none() {
            self.error(
                key,
                Some(value.span()),
                format!("got \"{text}\"; expected a time of day \"HH:MM\", e.g. \"07:00\""),
            );
        }
        parsed
    }

    /// Every key the distribution `kind` uses is present and no other.
    fn dist_keys_match(
        &mut self,
        raw: &Spanned<RawDist>,
        path: &str,
        kind: &str,
        keys: &[&str],
        present: &[(&str, Option<Range<usize>>)],
    ) -> bool {
        let mut ok = true;
        for (key, span) in present {
            match (keys.contains(key), span) {
                (false, Some(s)) => {
                    self.error(
                        join(path, key),
                        Some(s.clone()),
                        format!(
                            "not used by dist = \"{kind}\"; expected only {}",
                            keys.join(", ")
                        ),
                    );
                    ok = false;
                }
                (true, None) => {
                    self.error(
                        join(path, key),
                        Some(raw.span()),
                        format!("missing key; dist = \"{kind}\" needs {}", keys.join(", ")),
                    );
                    ok = false;
                }
                _ => {}
            }
        }
        ok
    }

    fn dist(&mut self, raw: &Spanned<RawDist>, path: &str) -> Option<Dist> {
        const KINDS: &str = "one of \"exponential\", \"lognormal\", \"gamma\", \"deterministic\", \"uniform\", \"empirical\"";
        let r = raw.get_ref();
        let kind = self.required(&r.dist, path, "dist", &raw.span(), KINDS)?;
        let keys: &[&str] = match kind.get_ref().as_str() {
            "exponential" => &["mean_s"],
            "lognormal" | "gamma" => &["mean_s", "sd_s"],
            "deterministic" => &["value_s"],
            "uniform" => &["min_s", "max_s"],
            "empirical" => &["values_s"],
            other => {
                self.error(
                    join(path, "dist"),
                    Some(kind.span()),
                    format!("got \"{other}\"; expected {KINDS}"),
                );
                return None;
            }
        };
        let kind = kind.get_ref().as_str();
        let present: [(&str, Option<Range<usize>>); 6] = [
            ("mean_s", r.mean_s.as_ref().map(Spanned::span)),
            ("sd_s", r.sd_s.as_ref().map(Spanned::span)),
            ("value_s", r.value_s.as_ref().map(Spanned::span)),
            ("min_s", r.min_s.as_ref().map(Spanned::span)),
            ("max_s", r.max_s.as_ref().map(Spanned::span)),
            ("values_s", r.values_s.as_ref().map(Spanned::span)),
        ];
        if !self.dist_keys_match(raw, path, kind, keys, &present) {
            return None;
        }
        let get = |v: &Option<Spanned<f64>>| v.as_ref().map_or(f64::NAN, |x| *x.get_ref());
        let built = match kind {
            "exponential" => Dist::exponential(get(&r.mean_s)),
            "lognormal" => Dist::lognormal(get(&r.mean_s), get(&r.sd_s)),
            "gamma" => Dist::gamma(get(&r.mean_s), get(&r.sd_s)),
            "deterministic" => Dist::deterministic(get(&r.value_s)),
            "uniform" => Dist::uniform(get(&r.min_s), get(&r.max_s)),
            _ => Dist::empirical(
                r.values_s
                    .as_ref()
                    .map(|v| v.get_ref().clone())
                    .unwrap_or_default(),
            ),
        };
        built
            .map_err(|e| {
                let culprit = match e {
                    crate::dist::DistError::Sd => "sd_s",
                    crate::dist::DistError::Mean if kind == "deterministic" => "value_s",
                    crate::dist::DistError::Mean => "mean_s",
                    _ => keys[0],
                };
                let span = present
                    .iter()
                    .find(|(k, _)| *k == culprit)
                    .and_then(|(_, s)| s.clone());
                self.error(
                    join(path, culprit),
                    span.or(Some(raw.span())),
                    e.to_string(),
                );
            })
            .ok()
    }
}

/// A number as a message shows it: as written for everyday sizes, in scientific notation for
/// the huge or tiny (`1e305`, not 306 digits).
pub(crate) fn shown(x: f64) -> String {
    if x != 0.0 && x.is_finite() && !(1e-6..1e12).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}
