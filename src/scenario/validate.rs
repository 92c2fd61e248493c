//! Parse, then validate: turns scenario text into a [`Scenario`] or every problem at once.
//!
//! Parsing (TOML syntax, unknown keys, wrong types) stops at its first error, which is located
//! by line, column and key path. Validation then checks every value and reports all problems
//! together, each with its location and what was expected.

use std::ops::Range;

use serde_path_to_error::Segment;
use toml::Spanned;

use super::raw::{RawChannel, RawDist, RawScenario, RawTarget, RawTriage};
use super::{
    Channel, ChannelKind, Diagnostic, Handlers, Scenario, ScenarioError, Target, Triage,
    TriagePolicy, offered_load,
};
use crate::dist::Dist;
use crate::time::SimTime;

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
    let de = toml::Deserializer::parse(text).map_err(|e| Diagnostic {
        key: String::new(),
        span: e.span(),
        message: e.message().trim_end().to_owned(),
    })?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let key = key_path(e.path());
        let inner = e.into_inner();
        Diagnostic {
            key,
            span: inner.span(),
            message: inner.message().trim_end().to_owned(),
        }
    })
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
                    |x| x > 0.0,
                    "a number of hours above 0",
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
        let channels = self
            .required(
                &raw.channels,
                "",
                "channels",
                &top,
                "at least one [channels.NAME] table",
            )
            .and_then(|c| self.channels(c));
        let handlers = self
            .required(
                &raw.handlers,
                "",
                "handlers",
                &top,
                "a [handlers] table with count",
            )
            .and_then(|h| {
                self.required(
                    &h.get_ref().count,
                    "handlers",
                    "count",
                    &h.span(),
                    "the number of call handlers",
                )
                .and_then(|c| self.integer(c, "handlers.count".into(), 0, MAX_STAFF))
                .map(|count| Handlers {
                    count: count as u32,
                })
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
            channels: channels?,
            handlers: handlers?,
            triage: triage?,
        };
        if self.diags.is_empty() {
            self.check_stability(&scenario, raw);
        }
        Some(scenario)
    }

    fn channels(
        &mut self,
        raw: &Spanned<std::collections::BTreeMap<String, Spanned<RawChannel>>>,
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
        let mut ok = true;
        for (name, ch) in raw.get_ref() {
            match self.channel(name, ch) {
                Some(c) => out.push(c),
                None => ok = false,
            }
        }
        out.sort_by(|a, b| (a.priority, &a.name).cmp(&(b.priority, &b.name)));
        ok.then_some(out)
    }

    fn channel(&mut self, name: &str, raw: &Spanned<RawChannel>) -> Option<Channel> {
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
            .required(&r.kind, &path, "kind", &span, "\"call\" or \"deferred\"")
            .and_then(|k| match k.get_ref().as_str() {
                "call" => Some(ChannelKind::Call),
                "deferred" => Some(ChannelKind::Deferred),
                other => {
                    self.error(
                        join(&path, "kind"),
                        Some(k.span()),
                        format!("got \"{other}\"; expected \"call\" or \"deferred\""),
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
        let rate_per_hour = self
            .required(
                &r.arrivals,
                &path,
                "arrivals",
                &span,
                "arrivals = { rate_per_hour = … }",
            )
            .and_then(|a| {
                let ap = join(&path, "arrivals");
                self.required(
                    &a.get_ref().rate_per_hour,
                    &ap,
                    "rate_per_hour",
                    &a.span(),
                    "the mean number of arrivals per hour",
                )
                .and_then(|v| {
                    self.number(
                        v,
                        join(&ap, "rate_per_hour"),
                        |x| x >= 0.0,
                        "a rate of at least 0 per hour",
                    )
                })
            });
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
        Some(Channel {
            name: name.to_owned(),
            kind: kind?,
            priority: priority?,
            rate_per_hour: rate_per_hour?,
            handle_time: handle_time?,
            patience: patience?,
            target: target?,
        })
    }

    fn target(&mut self, raw: &Spanned<RawTarget>, path: &str) -> Option<Target> {
        let r = raw.get_ref();
        let within = self
            .required(
                &r.answer_within_s,
                path,
                "answer_within_s",
                &raw.span(),
                "the answer-time threshold in seconds",
            )
            .and_then(|v| {
                self.number(
                    v,
                    join(path, "answer_within_s"),
                    |x| x >= 0.0,
                    "a number of seconds of at least 0",
                )
            });
        let fraction = self
            .required(
                &r.fraction,
                path,
                "fraction",
                &raw.span(),
                "the share to answer within the threshold, e.g. 0.9",
            )
            .and_then(|v| self.probability(v, join(path, "fraction")));
        Some(Target {
            answer_within_s: within?,
            fraction: fraction?,
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
                    Some(idx) if channels[idx].kind == ChannelKind::Deferred => {
                        self.error(
                            key,
                            Some(name.span()),
                            format!(
                                "\"{}\" is deferred work; expected a kind = \"call\" channel",
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
        indices.sort_unstable();
        Some(Triage {
            officers: officers? as u32,
            channels: ok.then_some(indices)?,
            policy: policy?,
            handle_time: handle_time?,
            resolve_fraction: resolve?,
            escalate_fraction: escalate?,
        })
    }

    /// Refuses a scenario whose infinitely patient demand cannot be served in the long run.
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
        let have = f64::from(s.handlers.count);
        if need >= have && need > 0.0 {
            let list: Vec<String> = patient
                .iter()
                .map(|(i, e)| format!("{} ({e:.2})", s.channels[*i].name))
                .collect();
            let span = raw
                .handlers
                .as_ref()
                .and_then(|h| h.get_ref().count.as_ref())
                .map(Spanned::span);
            self.error(
                "handlers.count".into(),
                span,
                format!(
                    "unstable: infinitely patient demand needs {need:.2} busy handlers on average but only {} are staffed (short by {:.2}); channels and their load in Erlangs: {}. Expected more than {need:.2} handlers, or patience on these channels",
                    s.handlers.count,
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
