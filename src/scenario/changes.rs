//! Dated changes: `[[changes]]` entries, each a `from` date and the scenario keys it sets
//! from that day on (`triage.officers = 8`, `channels.101.callback = { … }`).
//!
//! Each change is turned into the `--set` overrides its keys spell; the scenario as changed by
//! it and every earlier change is validated like any file. The run keeps one set of channels
//! and one workforce, so a change may not add, remove, re-kind or reorder channels, nor change
//! the handlers' structure (count, groups' headcount, teams and shifts, hires, attrition):
//! recruits are dated already (`[[handlers.hires]]`).

use std::ops::Range;
use std::sync::Arc;

use jiff::civil::Date;
use toml::Spanned;

use super::overrides::{Override, apply_without};
use super::raw::RawScenario;
use super::{Diagnostic, Scenario, ScenarioError};
use crate::time::{DAY_US, SimTime};

/// One dated change: from `from` (00:00) the run follows `scenario`.
#[derive(Clone, Debug)]
pub struct Change {
    /// The first day the change applies.
    pub from: Date,
    /// The same moment in simulated time.
    pub at: SimTime,
    /// The scenario with this and every earlier change applied (without changes of its own).
    pub scenario: Arc<Scenario>,
    /// What the change sets, as `key = value` lines (for `check`).
    pub sets: Vec<String>,
}

/// Top-level keys a change may not set: they define the run itself.
const RUN_KEYS: [&str; 8] = [
    "name",
    "horizon_hours",
    "warmup_hours",
    "replications",
    "seed",
    "start_date",
    "profiles",
    "changes",
];

/// Validates `raw`'s changes against the validated `base` and attaches them.
pub(super) fn with_changes(
    mut base: Scenario,
    raw: &RawScenario,
    text: &str,
    origin: &str,
) -> Result<Scenario, ScenarioError> {
    let Some(list) = &raw.changes else {
        return Ok(base);
    };
    let mut diags = Vec::new();
    let mut overrides: Vec<Override> = Vec::new();
    let mut previous: Option<Date> = None;
    for (i, entry) in list.get_ref().iter().enumerate() {
        let span = entry.span();
        let at_error = |key: String, message: String| Diagnostic {
            key,
            span: Some(span.clone()),
            message,
        };
        let Some((from, at)) = change_date(entry, i, &base, previous, &mut diags) else {
            continue;
        };
        previous = Some(from);
        let mut own = Vec::new();
        flatten(entry.get_ref(), "", &mut own);
        own.retain(|o| o.key != "from");
        if own.is_empty() {
            diags.push(at_error(
                format!("changes.{i}"),
                "a change that sets nothing; expected scenario keys beside `from`, e.g. triage.officers = 8".into(),
            ));
            continue;
        }
        if let Some(o) = own.iter().find(|o| {
            let top = o.key.split('.').next().unwrap_or("");
            RUN_KEYS.contains(&top)
        }) {
            diags.push(at_error(
                format!("changes.{i}.{}", o.key),
                "the run's own settings (name, horizon, warm-up, replications, seed, start date, profiles) cannot change during it; expected channel, handler or triage keys".into(),
            ));
            continue;
        }
        let sets: Vec<String> = own
            .iter()
            .map(|o| format!("{} = {}", o.key, o.value))
            .collect();
        overrides.extend(own);
        match segment(text, &overrides, origin) {
            Ok(s) => {
                for (key, message) in structure_changes(&base, &s) {
                    diags.push(at_error(key, format!("{message} (change from {from})")));
                }
                base.changes.push(Change {
                    from,
                    at,
                    scenario: Arc::new(s),
                    sets,
                });
            }
            Err(problems) => {
                for (key, message) in problems {
                    diags.push(at_error(
                        key,
                        format!("{message} (in the scenario as changed from {from})"),
                    ));
                }
            }
        }
    }
    if diags.is_empty() {
        Ok(base)
    } else {
        Err(ScenarioError::new(origin, text, diags))
    }
}

/// The change's `from`: a date after the start, within the run and after the previous change.
fn change_date(
    entry: &Spanned<toml::Table>,
    i: usize,
    base: &Scenario,
    previous: Option<Date>,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Date, SimTime)> {
    let span: Range<usize> = entry.span();
    let key = format!("changes.{i}.from");
    let mut fail = |message: String| {
        diags.push(Diagnostic {
            key: key.clone(),
            span: Some(span.clone()),
            message,
        });
        None
    };
    let date = match entry.get_ref().get("from") {
        Some(toml::Value::Datetime(dt)) if dt.time.is_none() && dt.offset.is_none() => dt
            .date
            .and_then(|d| Date::new(d.year as i16, d.month as i8, d.day as i8).ok()),
        _ => None,
    };
    let Some(date) = date else {
        return fail(
            "missing or not a date; expected from = YYYY-MM-DD, the first day the change applies"
                .into(),
        );
    };
    let days = (date - base.start_date).get_days();
    let at = SimTime((days.max(0) as u64) * DAY_US);
    if days <= 0 || at >= base.horizon {
        return fail(format!(
            "{date} is not inside the run; expected a date after start_date ({}) and before the horizon ends",
            base.start_date
        ));
    }
    if previous.is_some_and(|p| date <= p) {
        return fail(format!(
            "{date} is not after the previous change; expected changes in date order, one per day"
        ));
    }
    Some((date, at))
}

/// The keys a TOML table sets, as `--set` overrides (tables flattened to dotted keys).
fn flatten(table: &toml::Table, prefix: &str, out: &mut Vec<Override>) {
    for (k, v) in table {
        // A name that is not a bare key (`"a.b"`, `"10 1"`) keeps its quotes in the path.
        let bare = !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        let k = if bare { k.clone() } else { format!("{k:?}") };
        let key = if prefix.is_empty() {
            k
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            // An empty table removes what it names (`channels.101.callback = {}`).
            toml::Value::Table(t) if t.is_empty() => out.push(Override {
                key,
                value: "{}".into(),
            }),
            toml::Value::Table(t) => flatten(t, &key, out),
            other => out.push(Override {
                key,
                value: other.to_string(),
            }),
        }
    }
}

/// The scenario with `overrides` applied to the file (its changes left out), or its problems
/// as (key, message).
fn segment(
    text: &str,
    overrides: &[Override],
    origin: &str,
) -> Result<Scenario, Vec<(String, String)>> {
    let changed = match apply_without(text, "changes", overrides) {
        Some(Ok(t)) => t,
        Some(Err((o, why))) => return Err(vec![(o.key, why)]),
        None => return Err(vec![(String::new(), "the file does not parse".into())]),
    };
    super::validate::parse_and_validate(&changed, origin).map_err(|e| {
        e.diagnostics()
            .map(|(_, _, d)| (d.key.clone(), d.message.clone()))
            .collect()
    })
}

/// What a changed scenario alters that the run cannot: its channels or the handlers'
/// structure. Empty when the change is allowed.
fn structure_changes(base: &Scenario, s: &Scenario) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let names = |sc: &Scenario| -> Vec<(String, super::ChannelKind)> {
        sc.channels
            .iter()
            .map(|c| (c.name.clone(), c.kind))
            .collect()
    };
    if names(base) != names(s) {
        out.push((
            "channels".into(),
            "a change may not add, remove or re-kind channels, nor reorder their priorities".into(),
        ));
    }
    let (a, b) = (&base.handlers, &s.handlers);
    type Rostering = (
        String,
        u32,
        u32,
        Option<super::Shift>,
        Option<super::OnDuty>,
    );
    let groups = |h: &super::Handlers| -> Vec<Rostering> {
        h.groups
            .iter()
            .map(|g| {
                let on_duty = g.on_duty.clone();
                (
                    g.name.clone(),
                    g.headcount,
                    g.teams,
                    g.shift.clone(),
                    on_duty,
                )
            })
            .collect()
    };
    if a.count != b.count || groups(a) != groups(b) {
        out.push((
            "handlers".into(),
            "a change may not alter the handlers' count, groups, headcounts, teams, shifts or on-duty tables; expected recruits as [[handlers.hires]] with their start_date".into(),
        ));
    }
    if a.hires != b.hires
        || a.attrition_per_year != b.attrition_per_year
        || a.attrition_by_tenure != b.attrition_by_tenure
    {
        out.push((
            "handlers".into(),
            "hires and attrition are set for the whole run; expected each cohort's start_date instead of a change".into(),
        ));
    }
    out
}
