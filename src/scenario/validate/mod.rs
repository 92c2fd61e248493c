//! Parse, then validate: turns scenario text into a [`Scenario`] or every problem at once.
//!
//! Parsing (TOML syntax, unknown keys, wrong types) stops at its first error, which is located
//! by line, column and key path. Validation then checks every value and reports all problems
//! together, each with its location and what was expected.

use std::ops::Range;

use serde_path_to_error::Segment;
use toml::Spanned;

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::raw::{
    RawArrivals, RawBursts, RawChannel, RawDist, RawDrops, RawGroup, RawHandlers, RawHire,
    RawProfile, RawRedial, RawScenario, RawTarget, RawTriage,
};
use super::{
    Bursts, Channel, ChannelKind, Demand, Diagnostic, Drops, Group, Handlers, Hire, Overflow,
    Redial, Scenario, ScenarioError, Shift, Target, Triage, TriagePolicy, offered_load,
};
use crate::calendar::{Calendar, HOURS_PER_WEEK, days_in_first_year};
use crate::dist::Dist;
use crate::time::{HOUR_S, SECS_PER_HOUR, SimTime};

/// The start date when the file gives none: a Monday.
const DEFAULT_START: (i16, i8, i8) = (2024, 1, 1);
/// Named demand profiles: hour-of-week and month weights, each with mean 1.
type Profiles = BTreeMap<String, (Vec<f64>, Vec<f64>)>;

/// Longest horizon accepted, in hours (100 years).
const MAX_HORIZON_HOURS: f64 = 876_600.0;

/// Default number of replications when the file does not say.
pub const DEFAULT_REPLICATIONS: u32 = 10;
/// Most replications a scenario may ask for.
const MAX_REPLICATIONS: i64 = 100_000;
/// Most handlers or officers a scenario may ask for.
const MAX_STAFF: i64 = 1_000_000;

pub(super) fn parse_and_validate(text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
    let raw = parse(text).map_err(|d| ScenarioError::new(origin, text, vec![d]))?;
    let mut v = Validator::default();
    let scenario = v.scenario(&raw);
    match scenario {
        Some(s) if v.diags.is_empty() => Ok(s),
        _ => Err(ScenarioError::new(origin, text, v.diags)),
    }
}

fn parse(text: &str) -> Result<RawScenario, Diagnostic> {
    let de = toml::Deserializer::parse(text).map_err(|e| {
        let span = e.span();
        let mut message = e.message().trim_end().to_owned();
        // toml says only "duplicate key": name it, from the text it points at.
        if message == "duplicate key"
            && let Some(key) = span.as_ref().and_then(|r| text.get(r.clone()))
        {
            message = format!(
                "duplicate key `{}`; expected each key once in a table",
                key.trim()
            );
        }
        Diagnostic {
            key: String::new(),
            span,
            message,
        }
    })?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let key = key_path(e.path());
        let inner = e.into_inner();
        Diagnostic {
            key,
            span: inner.span(),
            message: plain_types(inner.message().trim_end()),
        }
    })
}

/// serde's type names in words a planner reads: "expected i64" → "expected a whole number".
fn plain_types(message: &str) -> String {
    const WORDS: [(&str, &str); 8] = [
        ("expected f64", "expected a number"),
        ("expected i64", "expected a whole number"),
        ("expected u64", "expected a whole number of at least 0"),
        ("expected u32", "expected a whole number of at least 0"),
        ("expected u16", "expected a whole number of at least 0"),
        ("expected u8", "expected a whole number of at least 0"),
        (
            "expected a TOML datetime",
            "expected a date such as 2024-04-01",
        ),
        ("expected a boolean", "expected true or false"),
    ];
    WORDS
        .iter()
        .find(|(serde, _)| message.ends_with(serde))
        .map_or_else(
            || message.to_owned(),
            |(serde, plain)| format!("{}{plain}", &message[..message.len() - serde.len()]),
        )
}

/// The user-visible key path of a deserialisation error (serde_spanned's internals removed).
fn key_path(path: &serde_path_to_error::Path) -> String {
    let mut out = String::new();
    for seg in path.iter() {
        let part = match seg {
            Segment::Map { key } if key.starts_with("$__") => continue,
            Segment::Map { key } => key.clone(),
            Segment::Seq { index } => index.to_string(),
            Segment::Enum { variant } => variant.clone(),
            Segment::Unknown => continue,
        };
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(&part);
    }
    out
}

#[derive(Default)]
struct Validator {
    diags: Vec<Diagnostic>,
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
                format!("got {x}; expected {expected}"),
            );
            None
        }
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
        let horizon_hours = self
            .required(
                &raw.horizon_hours,
                "",
                "horizon_hours",
                &top,
                "the simulated length in hours, e.g. horizon_hours = 8760",
            )
            .and_then(|h| {
                self.number(
                    h,
                    "horizon_hours".into(),
                    |x| x > 0.0 && x <= MAX_HORIZON_HOURS,
                    "a number of hours above 0 and at most 876600 (100 years)",
                )
            });
        let warmup_hours = match &raw.warmup_hours {
            None => Some(0.0),
            Some(w) => self.number(
                w,
                "warmup_hours".into(),
                |x| x >= 0.0,
                "a number of hours of at least 0",
            ),
        };
        if let (Some(h), Some(w), Some(ws)) = (horizon_hours, warmup_hours, &raw.warmup_hours)
            && w >= h
        {
            self.error("warmup_hours".into(), Some(ws.span()), format!("warm-up of {w} h leaves nothing of the {h} h horizon; expected warmup_hours < horizon_hours"));
        }
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
        };
        if self.diags.is_empty() {
            self.check_stability(&scenario, raw);
        }
        Some(scenario)
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

    /// A time of day written "HH:MM" (24:00 allowed), as seconds after midnight.
    fn time_of_day(&mut self, value: &Spanned<String>, key: String) -> Option<u32> {
        let text = value.get_ref();
        let parsed = text.split_once(':').and_then(|(h, m)| {
            let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
            (m < 60 && (h < 24 || (h == 24 && m == 0)) && text.len() == 5)
                .then_some(h * HOUR_S as u32 + m * 60)
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

    /// Relative weights: `len` finite values ≥ 0 with a positive sum, scaled to mean 1.
    fn weights(
        &mut self,
        value: &Spanned<Vec<f64>>,
        key: String,
        len: usize,
        what: &str,
    ) -> Option<Vec<f64>> {
        let w = value.get_ref();
        let sum: f64 = w.iter().sum();
        if w.len() != len || w.iter().any(|x| !x.is_finite() || *x < 0.0) || sum <= 0.0 {
            self.error(
                key,
                Some(value.span()),
                format!(
                    "got {} values; expected {len} weights ({what}), each at least 0, not all 0",
                    w.len()
                ),
            );
            return None;
        }
        Some(w.iter().map(|x| x * len as f64 / sum).collect())
    }

    fn profiles(
        &mut self,
        raw: &Spanned<BTreeMap<String, Spanned<RawProfile>>>,
    ) -> Option<Profiles> {
        let mut out = BTreeMap::new();
        let mut ok = true;
        for (name, p) in raw.get_ref() {
            match self.profile(p.get_ref(), &format!("profiles.{name}")) {
                Some(w) => {
                    out.insert(name.clone(), w);
                }
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// Hour-of-week and month weights from the four optional weight lists.
    fn profile(&mut self, p: &RawProfile, path: &str) -> Option<(Vec<f64>, Vec<f64>)> {
        let mut ok = true;
        let mut how = vec![1.0; HOURS_PER_WEEK];
        if let Some(w) = &p.hour_of_week {
            if p.hour_of_day.is_some() || p.day_of_week.is_some() {
                self.error(
                    join(path, "hour_of_week"),
                    Some(w.span()),
                    "hour_of_week replaces hour_of_day and day_of_week; expected one or the other",
                );
                ok = false;
            }
            match self.weights(
                w,
                join(path, "hour_of_week"),
                HOURS_PER_WEEK,
                "Monday 00:00 first",
            ) {
                Some(v) => how = v,
                None => ok = false,
            }
        } else {
            let hod = match &p.hour_of_day {
                Some(w) => self.weights(w, join(path, "hour_of_day"), 24, "00:00 first"),
                None => Some(vec![1.0; 24]),
            };
            let dow = match &p.day_of_week {
                Some(w) => self.weights(w, join(path, "day_of_week"), 7, "Monday first"),
                None => Some(vec![1.0; 7]),
            };
            match (hod, dow) {
                (Some(h), Some(d)) => {
                    how = (0..HOURS_PER_WEEK).map(|i| d[i / 24] * h[i % 24]).collect()
                }
                _ => ok = false,
            }
        }
        let month = match &p.month {
            Some(w) => self.weights(w, join(path, "month"), 12, "January first"),
            None => Some(vec![1.0; 12]),
        };
        ok.then_some((how, month?))
    }

    fn channels(
        &mut self,
        raw: &Spanned<BTreeMap<String, Spanned<RawChannel>>>,
        start: Date,
        profiles: &Profiles,
    ) -> Option<Vec<Channel>> {
        if raw.get_ref().is_empty() {
            self.error(
                "channels".into(),
                Some(raw.span()),
                "no channels; expected at least one [channels.NAME] table",
            );
            return None;
        }
        let mut out = Vec::new();
        let mut pending_redials = Vec::new();
        let mut ok = true;
        for (name, ch) in raw.get_ref() {
            match self.channel(name, ch, start, profiles) {
                Some((c, callback)) => {
                    if let Some(to) = ch
                        .get_ref()
                        .redial
                        .as_ref()
                        .and_then(|r| r.get_ref().to.as_ref())
                    {
                        pending_redials.push((name.clone(), to));
                    }
                    out.push(c);
                    out.extend(callback);
                }
                None => ok = false,
            }
        }
        out.sort_by(|a, b| (a.priority, &a.name).cmp(&(b.priority, &b.name)));
        // Cross-references by name, resolved once the order is final.
        let index = |out: &[Channel], n: &str| out.iter().position(|c| c.name == n);
        for (from, to) in pending_redials {
            let (Some(i), Some(j)) = (index(&out, &from), index(&out, to.get_ref())) else {
                let known: Vec<&str> = out.iter().map(|c| c.name.as_str()).collect();
                self.error(
                    format!("channels.{from}.redial.to"),
                    Some(to.span()),
                    format!(
                        "no channel named \"{}\"; expected one of {}",
                        to.get_ref(),
                        known.join(", ")
                    ),
                );
                ok = false;
                continue;
            };
            if let Some(r) = &mut out[i].redial {
                r.to = Some(j);
            }
        }
        for i in 0..out.len() {
            if out[i].drops.is_some() {
                let cb = format!("{}-callbacks", out[i].name);
                if let (Some(j), Some(d)) = (index(&out, &cb), &mut out[i].drops) {
                    d.callback_channel = j;
                }
            }
        }
        ok.then_some(out)
    }

    /// A channel, and the call-back channel its drops create.
    fn channel(
        &mut self,
        name: &str,
        raw: &Spanned<RawChannel>,
        start: Date,
        profiles: &Profiles,
    ) -> Option<(Channel, Option<Channel>)> {
        let path = format!("channels.{name}");
        let span = raw.span();
        let r = raw.get_ref();
        if name.is_empty() {
            self.error(
                path.clone(),
                Some(span.clone()),
                "a channel needs a non-empty name",
            );
        }
        let kind = self
            .required(
                &r.kind,
                &path,
                "kind",
                &span,
                "\"call\", \"deferred\" or \"chat\"",
            )
            .and_then(|k| match k.get_ref().as_str() {
                "call" => Some(ChannelKind::Call),
                "deferred" => Some(ChannelKind::Deferred),
                "chat" => Some(ChannelKind::Chat),
                other => {
                    self.error(
                        join(&path, "kind"),
                        Some(k.span()),
                        format!("got \"{other}\"; expected \"call\", \"deferred\" or \"chat\""),
                    );
                    None
                }
            });
        let priority = self
            .required(
                &r.priority,
                &path,
                "priority",
                &span,
                "a whole number (lower is served first)",
            )
            .map(|p| *p.get_ref());
        let arrivals = self
            .required(
                &r.arrivals,
                &path,
                "arrivals",
                &span,
                "arrivals = { rate_per_hour = … } or { annual_volume = … }",
            )
            .and_then(|a| self.arrivals(a, &join(&path, "arrivals"), start, profiles));
        let handle_time = self
            .required(
                &r.handle_time,
                &path,
                "handle_time",
                &span,
                "a distribution, e.g. { dist = \"exponential\", mean_s = 300 }",
            )
            .and_then(|d| self.dist(d, &join(&path, "handle_time")));
        let patience = match &r.patience {
            None => Some(None),
            Some(p) if kind == Some(ChannelKind::Deferred) => {
                self.error(join(&path, "patience"), Some(p.span()), "deferred work waits until taken; expected no patience on a kind = \"deferred\" channel");
                None
            }
            Some(p) => self.dist(p, &join(&path, "patience")).map(Some),
        };
        let target = self
            .required(
                &r.target,
                &path,
                "target",
                &span,
                "target = { answer_within_s = …, fraction = … }",
            )
            .and_then(|t| self.target(t, &join(&path, "target")));
        let concurrency = match &r.concurrency {
            None => Some(1),
            Some(c) if kind != Some(ChannelKind::Chat) => {
                self.error(join(&path, "concurrency"), Some(c.span()), "only chats are held several at once; expected concurrency only on a kind = \"chat\" channel");
                None
            }
            Some(c) => self
                .integer(c, join(&path, "concurrency"), 1, 64)
                .map(|c| c as u32),
        };
        let redial = match &r.redial {
            None => Some(None),
            Some(rd) => self.redial(rd, &join(&path, "redial")).map(Some),
        };
        let drops = match &r.drops {
            None => Some(None),
            Some(d) => self
                .drops(d, &join(&path, "drops"), name, priority.unwrap_or(0))
                .map(Some),
        };
        let transfer = match &r.transfer {
            None => Some(None),
            Some(t) => self.dist(t, &join(&path, "transfer")).map(Some),
        };
        let bursts = match &r.bursts {
            None => Some(None),
            Some(b) => self.bursts(b, &join(&path, "bursts")).map(Some),
        };
        let (rate_per_hour, demand) = arrivals?;
        let (drops, callback) = match drops? {
            Some((d, c)) => (Some(d), Some(c)),
            None => (None, None),
        };
        let channel = Channel {
            name: name.to_owned(),
            kind: kind?,
            priority: priority?,
            rate_per_hour,
            demand,
            handle_time: handle_time?,
            patience: patience?,
            target: target?,
            concurrency: concurrency?,
            redial: redial?,
            drops,
            transfer: transfer?,
            bursts: bursts?,
        };
        Some((channel, callback))
    }

    fn arrivals(
        &mut self,
        raw: &Spanned<RawArrivals>,
        path: &str,
        start: Date,
        profiles: &Profiles,
    ) -> Option<(f64, Demand)> {
        let a = raw.get_ref();
        let hours_in_year = (days_in_first_year(start) * 24) as f64;
        let volume = match (&a.rate_per_hour, &a.annual_volume) {
            (Some(r), None) => self
                .number(
                    r,
                    join(path, "rate_per_hour"),
                    |x| x >= 0.0,
                    "a rate of at least 0 per hour",
                )
                .map(|r| r * hours_in_year),
            (None, Some(v)) => self.number(
                v,
                join(path, "annual_volume"),
                |x| x >= 0.0,
                "a number of contacts per year of at least 0",
            ),
            (Some(_), Some(v)) => {
                self.error(
                    join(path, "annual_volume"),
                    Some(v.span()),
                    "give rate_per_hour or annual_volume, not both",
                );
                None
            }
            (None, None) => {
                self.error(
                    join(path, "rate_per_hour"),
                    Some(raw.span()),
                    "missing key; expected rate_per_hour (mean arrivals per hour) or annual_volume",
                );
                None
            }
        };
        let growth = match &a.growth {
            None => Some(0.0),
            Some(g) => self.number(
                g,
                join(path, "growth"),
                |x| x > -1.0 && x <= 10.0,
                "a yearly growth rate above -1 and at most 10 (0.05 = +5% a year)",
            ),
        };
        let day_cv = match &a.day_cv {
            None => Some(0.0),
            Some(c) => self.number(
                c,
                join(path, "day_cv"),
                |x| (0.0..=2.0).contains(&x),
                "a coefficient of variation from 0 to 2",
            ),
        };
        let inline = RawProfile {
            hour_of_day: a.hour_of_day.clone(),
            day_of_week: a.day_of_week.clone(),
            month: a.month.clone(),
            hour_of_week: a.hour_of_week.clone(),
        };
        let has_inline = inline.hour_of_day.is_some()
            || inline.day_of_week.is_some()
            || inline.month.is_some()
            || inline.hour_of_week.is_some();
        let shape = match &a.profile {
            Some(p) if has_inline => {
                self.error(
                    join(path, "profile"),
                    Some(p.span()),
                    "give a named profile or inline weights, not both",
                );
                None
            }
            Some(p) => match profiles.get(p.get_ref()) {
                Some(w) => Some(w.clone()),
                None => {
                    let known: Vec<&str> = profiles.keys().map(String::as_str).collect();
                    self.error(join(path, "profile"), Some(p.span()), format!("no profile named \"{}\"; expected one of the [profiles.NAME] tables: {}", p.get_ref(), if known.is_empty() { "(none defined)".to_owned() } else { known.join(", ") }));
                    None
                }
            },
            None => self.profile(&inline, path),
        };
        let (how, month) = shape?;
        let volume = volume?;
        // Scale so that the expected volume of the first year is exactly `volume`.
        let days = days_in_first_year(start);
        let cal = Calendar::new(start, days);
        let weight_sum: f64 = (0..days)
            .map(|d| {
                let day = cal.day(d);
                let m = month[usize::from(day.month_of_year)];
                (0..24)
                    .map(|h| how[usize::from(day.weekday) * 24 + h] * m)
                    .sum::<f64>()
            })
            .sum();
        let demand = Demand {
            hour_of_week: how,
            month,
            scale_per_hour: volume / weight_sum,
            growth_per_year: growth?,
            day_cv: day_cv?,
        };
        Some((volume / hours_in_year, demand))
    }

    fn redial(&mut self, raw: &Spanned<RawRedial>, path: &str) -> Option<Redial> {
        let r = raw.get_ref();
        let probability = self
            .required(
                &r.probability,
                path,
                "probability",
                &raw.span(),
                "the share of callers who hang up and try again",
            )
            .and_then(|v| self.probability(v, join(path, "probability")));
        let delay = self
            .required(
                &r.delay,
                path,
                "delay",
                &raw.span(),
                "a distribution of the time before trying again",
            )
            .and_then(|d| self.dist(d, &join(path, "delay")));
        let max_attempts = match &r.max_attempts {
            None => Some(3),
            Some(m) => self
                .integer(m, join(path, "max_attempts"), 1, 100)
                .map(|m| m as u8),
        };
        let to_fraction = match (&r.to_fraction, &r.to) {
            (None, Some(_)) => Some(1.0),
            (None, None) => Some(0.0),
            (Some(f), Some(_)) => self.probability(f, join(path, "to_fraction")),
            (Some(f), None) => {
                self.error(
                    join(path, "to_fraction"),
                    Some(f.span()),
                    "to_fraction needs `to`, the channel redials may go to",
                );
                None
            }
        };
        Some(Redial {
            probability: probability?,
            delay: delay?,
            max_attempts: max_attempts?,
            to: None,
            to_fraction: to_fraction?,
        })
    }

    fn drops(
        &mut self,
        raw: &Spanned<RawDrops>,
        path: &str,
        parent: &str,
        parent_priority: i64,
    ) -> Option<(Drops, Channel)> {
        let r = raw.get_ref();
        let fraction = self
            .required(
                &r.fraction,
                path,
                "fraction",
                &raw.span(),
                "the share of calls that drop at once",
            )
            .and_then(|v| self.probability(v, join(path, "fraction")));
        let handle_time = self
            .required(
                &r.handle_time,
                path,
                "handle_time",
                &raw.span(),
                "a distribution of welfare call-back times",
            )
            .and_then(|d| self.dist(d, &join(path, "handle_time")));
        let priority = r
            .priority
            .as_ref()
            .map_or(parent_priority, |p| *p.get_ref());
        let target = match &r.target {
            None => Some(Target {
                answer_within_s: SECS_PER_HOUR,
                fraction: 0.9,
                max_abandonment: None,
            }),
            Some(t) => self.target(t, &join(path, "target")),
        };
        let callback = Channel {
            name: format!("{parent}-callbacks"),
            kind: ChannelKind::Deferred,
            priority,
            rate_per_hour: 0.0,
            demand: Demand {
                hour_of_week: vec![1.0; HOURS_PER_WEEK],
                month: vec![1.0; 12],
                scale_per_hour: 0.0,
                growth_per_year: 0.0,
                day_cv: 0.0,
            },
            handle_time: handle_time?,
            patience: None,
            target: target?,
            concurrency: 1,
            redial: None,
            drops: None,
            transfer: None,
            bursts: None,
        };
        Some((
            Drops {
                fraction: fraction?,
                callback_channel: usize::MAX,
            },
            callback,
        ))
    }

    fn bursts(&mut self, raw: &Spanned<RawBursts>, path: &str) -> Option<Bursts> {
        let r = raw.get_ref();
        let sp = raw.span();
        let per_week = self
            .required(
                &r.per_week,
                path,
                "per_week",
                &sp,
                "the mean number of bursts per week",
            )
            .and_then(|v| {
                self.number(
                    v,
                    join(path, "per_week"),
                    |x| (0.0..=10_000.0).contains(&x),
                    "a rate from 0 to 10000 per week",
                )
            });
        let calls_min = self
            .required(
                &r.calls_min,
                path,
                "calls_min",
                &sp,
                "the fewest calls a burst brings",
            )
            .and_then(|v| self.integer(v, join(path, "calls_min"), 1, 1_000_000));
        let calls_max = self
            .required(
                &r.calls_max,
                path,
                "calls_max",
                &sp,
                "the most calls a burst brings",
            )
            .and_then(|v| self.integer(v, join(path, "calls_max"), 1, 1_000_000));
        let wmin = self
            .required(
                &r.window_min_s,
                path,
                "window_min_s",
                &sp,
                "the shortest window, seconds",
            )
            .and_then(|v| {
                self.number(
                    v,
                    join(path, "window_min_s"),
                    |x| x > 0.0,
                    "a number of seconds above 0",
                )
            });
        let wmax = self
            .required(
                &r.window_max_s,
                path,
                "window_max_s",
                &sp,
                "the longest window, seconds",
            )
            .and_then(|v| {
                self.number(
                    v,
                    join(path, "window_max_s"),
                    |x| x > 0.0,
                    "a number of seconds above 0",
                )
            });
        if let (Some(a), Some(b), Some(s)) = (calls_min, calls_max, &r.calls_max)
            && b < a
        {
            self.error(
                join(path, "calls_max"),
                Some(s.span()),
                format!("got {b}; expected at least calls_min ({a})"),
            );
            return None;
        }
        if let (Some(a), Some(b), Some(s)) = (wmin, wmax, &r.window_max_s)
            && b < a
        {
            self.error(
                join(path, "window_max_s"),
                Some(s.span()),
                format!("got {b}; expected at least window_min_s ({a})"),
            );
            return None;
        }
        Some(Bursts {
            per_week: per_week?,
            calls: (calls_min? as u32, calls_max? as u32),
            window_s: (wmin?, wmax?),
        })
    }

    fn target(&mut self, raw: &Spanned<RawTarget>, path: &str) -> Option<Target> {
        let r = raw.get_ref();
        let within = match (&r.answer_within_s, &r.answer_within_hours) {
            (Some(v), None) => self.number(
                v,
                join(path, "answer_within_s"),
                |x| x >= 0.0,
                "a number of seconds of at least 0",
            ),
            (None, Some(v)) => self
                .number(
                    v,
                    join(path, "answer_within_hours"),
                    |x| x >= 0.0,
                    "a number of hours of at least 0",
                )
                .map(|h| h * SECS_PER_HOUR),
            (Some(_), Some(v)) => {
                self.error(
                    join(path, "answer_within_hours"),
                    Some(v.span()),
                    "give answer_within_s or answer_within_hours, not both",
                );
                None
            }
            (None, None) => {
                self.error(join(path, "answer_within_s"), Some(raw.span()), "missing key; expected the answer-time threshold in seconds (or answer_within_hours)");
                None
            }
        };
        let fraction = self
            .required(
                &r.fraction,
                path,
                "fraction",
                &raw.span(),
                "the share to answer within the threshold, e.g. 0.9",
            )
            .and_then(|v| self.probability(v, join(path, "fraction")));
        let max_abandonment = match &r.max_abandonment {
            None => Some(None),
            Some(v) => self.probability(v, join(path, "max_abandonment")).map(Some),
        };
        Some(Target {
            answer_within_s: within?,
            fraction: fraction?,
            max_abandonment: max_abandonment?,
        })
    }

    fn handlers(
        &mut self,
        raw: &Spanned<RawHandlers>,
        channels: &[Channel],
        start: Date,
    ) -> Option<Handlers> {
        let (h, span) = (raw.get_ref(), raw.span());
        let shrinkage = match &h.shrinkage {
            None => Some(0.0),
            Some(v) => self.number(
                v,
                "handlers.shrinkage".into(),
                |x| (0.0..1.0).contains(&x),
                "a fraction from 0 to below 1",
            ),
        };
        let attrition = match &h.attrition_per_year {
            None => Some(0.0),
            Some(v) => self.number(
                v,
                "handlers.attrition_per_year".into(),
                |x| (0.0..=10.0).contains(&x),
                "a yearly rate from 0 to 10",
            ),
        };
        let (count, groups) = match (&h.count, &h.groups) {
            (Some(c), None) => (
                self.integer(c, "handlers.count".into(), 0, MAX_STAFF)
                    .map(|c| c as u32),
                Some(Vec::new()),
            ),
            (None, Some(g)) => (Some(0), self.groups(g, channels)),
            (Some(c), Some(_)) => {
                self.error(
                    "handlers.count".into(),
                    Some(c.span()),
                    "give count (an always-on pool) or shift groups, not both",
                );
                (None, None)
            }
            (None, None) => {
                self.error("handlers.count".into(), Some(span.clone()), "missing key; expected the number of call handlers (count) or [handlers.groups.NAME] tables");
                (None, None)
            }
        };
        let hires = match (&h.hires, &groups) {
            (None, _) => Some(Vec::new()),
            (Some(list), Some(groups)) if !groups.is_empty() => {
                let mut out = Vec::new();
                let mut ok = true;
                for (i, hire) in list.get_ref().iter().enumerate() {
                    match self.hire(hire, &format!("handlers.hires.{i}"), groups, start) {
                        Some(x) => out.push(x),
                        None => ok = false,
                    }
                }
                ok.then_some(out)
            }
            (Some(list), Some(_)) => {
                self.error(
                    "handlers.hires".into(),
                    Some(list.span()),
                    "hires join a shift group; expected [handlers.groups.NAME] tables",
                );
                None
            }
            (Some(_), None) => None,
        };
        if let Some(groups) = &groups {
            for (i, c) in channels.iter().enumerate() {
                if !groups.is_empty() && !groups.iter().any(|g| g.channels.contains(&i)) {
                    let known: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
                    self.error("handlers.groups".into(), Some(span.clone()), format!("no group serves channel \"{}\"; expected it in the channels of one of {}", c.name, known.join(", ")));
                }
            }
        }
        let max_occupancy = match &h.max_occupancy {
            None => Some(None),
            Some(v) => self
                .probability(v, "handlers.max_occupancy".into())
                .map(Some),
        };
        let cost = match &h.cost_per_handler {
            None => Some(1.0),
            Some(v) => self.number(
                v,
                "handlers.cost_per_handler".into(),
                |x| x >= 0.0,
                "a cost of at least 0",
            ),
        };
        Some(Handlers {
            count: count?,
            groups: groups?,
            shrinkage: shrinkage?,
            attrition_per_year: attrition?,
            hires: hires?,
            max_occupancy: max_occupancy?,
            cost_per_handler: cost?,
        })
    }

    fn groups(
        &mut self,
        raw: &Spanned<BTreeMap<String, Spanned<RawGroup>>>,
        channels: &[Channel],
    ) -> Option<Vec<Group>> {
        if raw.get_ref().is_empty() {
            self.error(
                "handlers.groups".into(),
                Some(raw.span()),
                "no groups; expected at least one [handlers.groups.NAME] table",
            );
            return None;
        }
        let mut out = Vec::new();
        let mut ok = true;
        for (name, g) in raw.get_ref() {
            match self.group(name, g, channels) {
                Some(x) => out.push(x),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn channel_index(
        &mut self,
        name: &Spanned<String>,
        key: String,
        channels: &[Channel],
    ) -> Option<usize> {
        let found = channels.iter().position(|c| c.name == *name.get_ref());
        if found.is_none() {
            let known: Vec<&str> = channels.iter().map(|c| c.name.as_str()).collect();
            self.error(
                key,
                Some(name.span()),
                format!(
                    "no channel named \"{}\"; expected one of {}",
                    name.get_ref(),
                    known.join(", ")
                ),
            );
        }
        found
    }

    fn group(
        &mut self,
        name: &str,
        raw: &Spanned<RawGroup>,
        channels: &[Channel],
    ) -> Option<Group> {
        let path = format!("handlers.groups.{name}");
        let (g, span) = (raw.get_ref(), raw.span());
        let headcount = self
            .required(
                &g.headcount,
                &path,
                "headcount",
                &span,
                "the number of handlers in each team",
            )
            .and_then(|v| {
                self.integer(v, join(&path, "headcount"), 0, MAX_STAFF)
                    .map(|v| v as u32)
            });
        let teams = match &g.teams {
            None => Some(1),
            Some(v) => self
                .integer(v, join(&path, "teams"), 1, 64)
                .map(|v| v as u32),
        };
        let pattern = match &g.pattern {
            None => Some(vec![true]),
            Some(p) => self.pattern(p, join(&path, "pattern")),
        };
        let shift = match (&g.shift_start, &g.shift_hours) {
            (None, None) => Some(None),
            (Some(s), Some(h)) => {
                let start = self.time_of_day(s, join(&path, "shift_start"));
                let hours = self.number(
                    h,
                    join(&path, "shift_hours"),
                    |x| x > 0.0 && x <= 24.0,
                    "a shift length in hours above 0 and at most 24",
                );
                (|| {
                    Some(Some(Shift {
                        start_s: start?.min(86_399),
                        length: SimTime::from_hours(hours?),
                        pattern: pattern.clone()?,
                    }))
                })()
            }
            (Some(_), None) => self
                .required(
                    &g.shift_hours,
                    &path,
                    "shift_hours",
                    &span,
                    "the shift length in hours",
                )
                .map(|_| None),
            (None, Some(_)) => self
                .required(
                    &g.shift_start,
                    &path,
                    "shift_start",
                    &span,
                    "the shift start \"HH:MM\"",
                )
                .map(|_| None),
        };
        let served = match &g.channels {
            None => Some((0..channels.len()).collect::<Vec<_>>()),
            Some(list) => {
                let mut out = Vec::new();
                let mut ok = true;
                for (i, n) in list.get_ref().iter().enumerate() {
                    match self.channel_index(n, format!("{path}.channels.{i}"), channels) {
                        Some(c) => out.push(c),
                        None => ok = false,
                    }
                }
                // A group that serves a channel with drops also makes its call-backs.
                for i in out.clone() {
                    if let Some(d) = &channels[i].drops
                        && !out.contains(&d.callback_channel)
                    {
                        out.push(d.callback_channel);
                    }
                }
                out.sort_unstable();
                out.dedup();
                ok.then_some(out)
            }
        };
        let overflow = match &g.overflow {
            None => Some(None),
            Some(o) => {
                let op = join(&path, "overflow");
                let ch = self
                    .required(
                        &o.get_ref().channel,
                        &op,
                        "channel",
                        &o.span(),
                        "the channel the group is pulled onto",
                    )
                    .and_then(|c| self.channel_index(c, join(&op, "channel"), channels));
                let after = self
                    .required(
                        &o.get_ref().after_s,
                        &op,
                        "after_s",
                        &o.span(),
                        "the wait after which the group helps, seconds",
                    )
                    .and_then(|v| {
                        self.number(
                            v,
                            join(&op, "after_s"),
                            |x| x >= 0.0,
                            "a number of seconds of at least 0",
                        )
                    });
                (|| {
                    Some(Some(Overflow {
                        channel: ch?,
                        after: SimTime::from_secs(after?),
                    }))
                })()
            }
        };
        Some(Group {
            name: name.to_owned(),
            headcount: headcount?,
            teams: teams?,
            shift: shift?,
            channels: served?,
            overflow: overflow?,
        })
    }

    /// A rota pattern such as "4on4off" or "5on2off": runs of days on and off, repeating.
    fn pattern(&mut self, value: &Spanned<String>, key: String) -> Option<Vec<bool>> {
        let text = value.get_ref().replace(' ', "");
        let mut out = Vec::new();
        let mut rest = text.as_str();
        while !rest.is_empty() {
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            let n: usize = rest[..digits].parse().unwrap_or(0);
            rest = &rest[digits..];
            let on = if let Some(r) = rest.strip_prefix("on") {
                rest = r;
                true
            } else if let Some(r) = rest.strip_prefix("off") {
                rest = r;
                false
            } else {
                out.clear();
                break;
            };
            if n == 0 || n > 366 {
                out.clear();
                break;
            }
            out.extend(std::iter::repeat_n(on, n));
        }
        if out.is_empty() || !out.contains(&true) {
            self.error(key, Some(value.span()), format!("got \"{}\"; expected runs of days on and off such as \"4on4off\" or \"5on2off\"", value.get_ref()));
            return None;
        }
        Some(out)
    }

    fn hire(
        &mut self,
        raw: &Spanned<RawHire>,
        path: &str,
        groups: &[Group],
        start: Date,
    ) -> Option<Hire> {
        let (h, span) = (raw.get_ref(), raw.span());
        let group = self
            .required(
                &h.group,
                path,
                "group",
                &span,
                "the shift group the cohort joins",
            )
            .and_then(|g| {
                let found = groups.iter().position(|x| x.name == *g.get_ref());
                if found.is_none() {
                    let known: Vec<&str> = groups.iter().map(|x| x.name.as_str()).collect();
                    self.error(
                        join(path, "group"),
                        Some(g.span()),
                        format!(
                            "no group named \"{}\"; expected one of {}",
                            g.get_ref(),
                            known.join(", ")
                        ),
                    );
                }
                found
            });
        let date = self
            .required(
                &h.start_date,
                path,
                "start_date",
                &span,
                "the cohort's first day, e.g. 2024-07-01",
            )
            .and_then(|d| self.date(d, join(path, "start_date")));
        let count = self
            .required(&h.count, path, "count", &span, "the number of new handlers")
            .and_then(|v| self.integer(v, join(path, "count"), 0, MAX_STAFF));
        let weeks = |v: &mut Self, x: &Option<Spanned<f64>>, key: &str| match x {
            None => Some(0.0),
            Some(w) => v.number(
                w,
                join(path, key),
                |x| (0.0..=520.0).contains(&x),
                "a number of weeks from 0 to 520",
            ),
        };
        let training = weeks(self, &h.training_weeks, "training_weeks");
        let ramp = weeks(self, &h.ramp_weeks, "ramp_weeks");
        let factor = match &h.initial_aht_factor {
            None => Some(1.0),
            Some(f) => self.number(
                f,
                join(path, "initial_aht_factor"),
                |x| (1.0..=10.0).contains(&x),
                "a handle-time multiplier from 1 to 10",
            ),
        };
        let start_day = date?.since(start).ok()?.get_days();
        Some(Hire {
            group: group?,
            start_day: i64::from(start_day),
            count: count? as u32,
            training: SimTime::from_hours(training? * 168.0),
            ramp: SimTime::from_hours(ramp? * 168.0),
            initial_aht_factor: factor?,
        })
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
        let mut ok = true;
        for (key, span) in &present {
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
        if !ok {
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

    fn triage(&mut self, raw: &Spanned<RawTriage>, channels: &[Channel]) -> Option<Triage> {
        let (path, span, r) = ("triage", raw.span(), raw.get_ref());
        let officers = self
            .required(
                &r.officers,
                path,
                "officers",
                &span,
                "the number of triage officers",
            )
            .and_then(|o| self.integer(o, "triage.officers".into(), 0, MAX_STAFF));
        let names = self.required(
            &r.channels,
            path,
            "channels",
            &span,
            "a list of channel names, e.g. [\"101\"]",
        );
        let mut indices = Vec::new();
        let mut ok = names.is_some();
        if let Some(list) = names {
            if list.get_ref().is_empty() {
                self.error(
                    "triage.channels".into(),
                    Some(list.span()),
                    "empty list; expected at least one call channel to triage",
                );
                ok = false;
            }
            for (i, name) in list.get_ref().iter().enumerate() {
                let key = format!("triage.channels.{i}");
                match channels.iter().position(|c| c.name == *name.get_ref()) {
                    None => {
                        let known: Vec<&str> = channels.iter().map(|c| c.name.as_str()).collect();
                        self.error(
                            key,
                            Some(name.span()),
                            format!(
                                "no channel named \"{}\"; expected one of {}",
                                name.get_ref(),
                                known.join(", ")
                            ),
                        );
                        ok = false;
                    }
                    Some(idx) if channels[idx].kind != ChannelKind::Call => {
                        self.error(
                            key,
                            Some(name.span()),
                            format!(
                                "\"{}\" is not a phone channel; expected a kind = \"call\" channel",
                                name.get_ref()
                            ),
                        );
                        ok = false;
                    }
                    Some(idx) if indices.contains(&idx) => {
                        self.error(
                            key,
                            Some(name.span()),
                            format!("\"{}\" is listed twice", name.get_ref()),
                        );
                        ok = false;
                    }
                    Some(idx) => indices.push(idx),
                }
            }
        }
        let policy = self
            .required(
                &r.policy,
                path,
                "policy",
                &span,
                "\"when_free\" or \"queue\"",
            )
            .and_then(|p| match p.get_ref().as_str() {
                "when_free" => Some(TriagePolicy::WhenFree),
                "queue" => Some(TriagePolicy::Queue),
                other => {
                    self.error(
                        "triage.policy".into(),
                        Some(p.span()),
                        format!("got \"{other}\"; expected \"when_free\" or \"queue\""),
                    );
                    None
                }
            });
        let handle_time = self
            .required(
                &r.handle_time,
                path,
                "handle_time",
                &span,
                "a distribution of triage times",
            )
            .and_then(|d| self.dist(d, "triage.handle_time"));
        let resolve = self
            .required(
                &r.resolve_fraction,
                path,
                "resolve_fraction",
                &span,
                "the share of triaged calls resolved at triage",
            )
            .and_then(|v| self.probability(v, "triage.resolve_fraction".into()));
        let escalate = match &r.escalate_fraction {
            None => Some(0.0),
            Some(v) => self.probability(v, "triage.escalate_fraction".into()),
        };
        if let (Some(a), Some(b), Some(s)) = (resolve, escalate, &r.escalate_fraction)
            && a + b > 1.0 + 1e-12
        {
            self.error(
                "triage.escalate_fraction".into(),
                Some(s.span()),
                format!(
                    "resolve_fraction + escalate_fraction = {}; expected at most 1",
                    a + b
                ),
            );
            return None;
        }
        let hours = match (&r.open, &r.close) {
            (None, None) => Some(None),
            (Some(o), Some(c)) => {
                let (o, c) = (
                    self.time_of_day(o, "triage.open".into()),
                    self.time_of_day(c, "triage.close".into()),
                );
                (|| Some(Some((o?, c?))))()
            }
            (Some(o), None) => {
                self.error("triage.close".into(), Some(o.span()), "missing key; opening hours need both open and close, e.g. open = \"07:00\", close = \"24:00\"");
                None
            }
            (None, Some(c)) => {
                self.error("triage.open".into(), Some(c.span()), "missing key; opening hours need both open and close, e.g. open = \"07:00\", close = \"24:00\"");
                None
            }
        };
        indices.sort_unstable();
        let cost = match &r.cost_per_officer {
            None => Some(1.0),
            Some(v) => self.number(
                v,
                "triage.cost_per_officer".into(),
                |x| x >= 0.0,
                "a cost of at least 0",
            ),
        };
        Some(Triage {
            cost_per_officer: cost?,
            hours: hours?,
            officers: officers? as u32,
            channels: ok.then_some(indices)?,
            policy: policy?,
            handle_time: handle_time?,
            resolve_fraction: resolve?,
            escalate_fraction: escalate?,
        })
    }

    /// Refuses a scenario whose infinitely patient demand cannot be served in the long run.
    ///
    /// Capacity is the long-run mean number of handlers on duty: the always-on pool, or each
    /// group's headcount × teams × share of days on × shift length ÷ 24 × (1 − shrinkage).
    fn check_stability(&mut self, s: &Scenario, raw: &RawScenario) {
        let load = offered_load(s);
        let patient: Vec<(usize, f64)> = s
            .channels
            .iter()
            .enumerate()
            .filter(|(_, c)| c.patience.is_none())
            .map(|(i, _)| (i, load.handler_erlangs[i]))
            .filter(|(_, e)| *e > 0.0)
            .collect();
        let need: f64 = patient.iter().map(|(_, e)| e).sum();
        let have = s.handlers.mean_staffed();
        if need >= have && need > 0.0 {
            let list: Vec<String> = patient
                .iter()
                .map(|(i, e)| format!("{} ({e:.2})", s.channels[*i].name))
                .collect();
            let raw_h = raw.handlers.as_ref().map(|h| h.get_ref());
            let span = raw_h
                .and_then(|h| h.count.as_ref().map(Spanned::span))
                .or_else(|| raw_h.and_then(|h| h.groups.as_ref().map(Spanned::span)));
            let staffed = if s.handlers.is_pool() {
                format!("only {} are staffed", s.handlers.count)
            } else {
                format!("the rota staffs only {have:.2} on average")
            };
            self.error(
                s.handlers.staffing_key().into(),
                span,
                format!(
                    "unstable: infinitely patient demand needs {need:.2} busy handlers on average but {staffed} (short by {:.2}); channels and their load in Erlangs: {}. Expected more than {need:.2} handlers, or patience on these channels",
                    need - have,
                    list.join(", ")
                ),
            );
        }
        if let Some(t) = &s.triage {
            let patient_triaged = t.channels.iter().any(|&i| s.channels[i].patience.is_none());
            if t.policy == TriagePolicy::Queue
                && patient_triaged
                && load.triage_erlangs >= f64::from(t.officers)
            {
                let span = raw
                    .triage
                    .as_ref()
                    .and_then(|t| t.get_ref().officers.as_ref())
                    .map(Spanned::span);
                self.error(
                    "triage.officers".into(),
                    span,
                    format!(
                        "unstable: every triaged call queues for an officer and needs {:.2} busy officers on average but only {} are on duty (short by {:.2}); expected more officers, patience, or policy = \"when_free\"",
                        load.triage_erlangs,
                        t.officers,
                        load.triage_erlangs - f64::from(t.officers)
                    ),
                );
            }
        }
    }
}
