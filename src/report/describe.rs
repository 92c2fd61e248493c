//! What `check` says about a scenario: its channels and their offered loads, the workforce
//! and its rota, hires, the triage team, and the work a run would take.

use std::path::Path;

use crate::scenario::{Group, Load, Scenario, offered_load};
use crate::time::{HOUR_US, MICROS_PER_S, WEEK_S};

/// The `check` description of `s`, read from `file`; `work` is the work estimate's summary.
pub fn describe_scenario(file: &Path, s: &Scenario, work: &str) -> String {
    let load = offered_load(s);
    let mut lines: Vec<String> = Vec::new();
    lines.push(format!("{}: valid scenario \"{}\"", file.display(), s.name));
    lines.push(format!(
        "horizon {} h, warm-up {} h, {}, seed {}",
        s.horizon.as_hours(),
        s.warmup.as_hours(),
        super::counted(s.replications, "replication"),
        s.seed
    ));
    describe_channels(s, &load, &mut lines);
    lines.push(format!("work: {work}"));
    let total: f64 = load.handler_erlangs.iter().sum();
    let staffed = s.handlers.mean_staffed_with_recruits_in_post();
    let later: u32 = s
        .handlers
        .hires
        .iter()
        .filter(|h| !h.in_post_at_start())
        .map(|h| h.count)
        .sum();
    let groups = s.handlers.effective_groups(s.channels.len());
    lines.push(format!(
        "handlers: {}, {staffed:.1} on the phones on average at the start (the rotas and the recruits in post{}); offered load {total:.2} Erlangs, utilisation if nobody hangs up {}",
        crate::report::counted(groups.len() as u64, "group"),
        if later > 0 {
            format!("; {later} more recruits join later")
        } else {
            String::new()
        },
        if staffed > 0.0 {
            format!("{:.1}%", 100.0 * total / staffed)
        } else {
            "n/a (nobody on the phones)".to_string()
        }
    ));
    describe_groups(s, &groups, &mut lines);
    if let Some(t) = &s.triage {
        let team = if t.shifts.is_empty() {
            format!("{} officers", t.officers)
        } else {
            format!(
                "rota of {}, {} officers, {:.1} on duty on average after {:.0}% shrinkage",
                crate::report::counted(t.shifts.len() as u64, "shift"),
                t.officers,
                t.mean_rostered() * (1.0 - t.shrinkage),
                t.shrinkage * 100.0
            )
        };
        lines.push(format!(
            "triage {team}, policy {}, handle {}, load {:.2} Erlangs, intercepts {:.1}%, resolves {:.0}%, {}escalates {:.0}%",
            t.policy.words(),
            t.handle_time.describe(),
            load.triage_erlangs,
            load.intercept_share * 100.0,
            t.resolve_fraction * 100.0,
            if t.redirect_fraction > 0.0 {
                format!("redirects {:.0}%, ", t.redirect_fraction * 100.0)
            } else {
                String::new()
            },
            t.escalate_fraction * 100.0
        ));
    }
    for c in &s.changes {
        lines.push(format!("from {}: {}", c.from, c.sets.join(", ")));
    }
    lines.push(String::new());
    lines.extend(warnings(s, &load));
    lines.join("\n")
}

/// What the scenario will do that its author may not expect: queues that attrition lets grow
/// without bound, waits biased low by a short run that starts empty.
fn warnings(s: &Scenario, load: &crate::scenario::Load) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(short) = crate::scenario::attrition_shortfall(s, load) {
        let date = s
            .start_date
            .checked_add(jiff::Span::new().days(short.from_day as i64))
            .map_or_else(|_| format!("day {}", short.from_day), |d| d.to_string());
        out.push(format!(
            "warning: attrition of {:.0}% a year, net of the hires, leaves about {:.1} on the phones by {date} (day {:.0}; {:.1} at the end), no more than the {:.2} Erlangs of infinitely patient demand: from then its queues grow without bound; expected hires to replace leavers, or a shorter horizon",
            100.0 * s.handlers.attrition_per_year,
            short.staffed_then,
            short.from_day,
            short.staffed_at_end,
            short.patient_erlangs
        ));
    }
    if let Some(note) = s.start_up_bias_note() {
        out.push(format!("warning: {note}"));
    }
    out
}

/// A target's time as a planner writes it: "10 s", "3 min", "24 h".
pub(crate) fn duration_text(secs: f64) -> String {
    if secs >= 3600.0 && secs % 3600.0 == 0.0 {
        format!("{} h", secs / 3600.0)
    } else if secs >= 60.0 && secs % 60.0 == 0.0 {
        format!("{} min", secs / 60.0)
    } else {
        format!("{secs} s")
    }
}

/// One line per channel: kind, priority, rate, handle time, patience, target, offered load.
fn describe_channels(s: &Scenario, load: &Load, lines: &mut Vec<String>) {
    for (i, c) in s.channels.iter().enumerate() {
        let patience = c
            .patience
            .as_ref()
            .map_or("infinitely patient".into(), |p| {
                format!("patience {}", p.describe())
            });
        lines.push(format!(
            "channel {:<10} {}, priority {}, {} /h, handle {}, {patience}, target {:.0}% within {}; handler load {:.2} Erlangs{}",
            c.name,
            c.kind.words(),
            c.priority,
            super::rate_text(c.rate_per_hour),
            c.handle_time.describe(),
            c.target.fraction * 100.0,
            duration_text(c.target.answer_within.as_secs()),
            load.handler_erlangs[i],
            if s.is_triaged(i) {
                format!(
                    " (triaged; {:.1}% reach handlers)",
                    load.forward_share[i] * 100.0
                )
            } else {
                String::new()
            }
        ));
    }
}

/// One line per handler group (rota, skills) and per hiring cohort.
fn describe_groups(s: &Scenario, groups: &[Group], lines: &mut Vec<String>) {
    for g in groups {
        let shift = g.shift.as_ref().map_or("always on duty".to_owned(), |sh| {
            let on = sh.pattern.iter().filter(|d| **d).count();
            let meal = sh.meal_break.map_or(String::new(), |b| {
                format!(
                    ", a {} min meal break {} h in",
                    crate::scenario::shown(b.length.as_secs() / 60.0),
                    crate::scenario::shown(b.after.as_hours())
                )
            });
            format!(
                "shift {:02}:{:02} for {} h{meal}, {on} days on in {}",
                sh.start.whole_hours(),
                sh.start.0 % HOUR_US / (60 * MICROS_PER_S),
                sh.length.as_hours(),
                sh.pattern.len()
            )
        });
        let serves: Vec<&str> = g
            .channels
            .iter()
            .map(|&c| s.channels[c].name.as_str())
            .collect();
        let non_call = if g.non_call_work > 0.0 {
            format!(
                "; {:.0}% of those on duty on non-call work",
                g.non_call_work * 100.0
            )
        } else {
            String::new()
        };
        let rostering = match &g.on_duty {
            Some(levels) => format!(
                "{} to {} on duty by interval ({}), {:.1} on average",
                levels.min(),
                levels.max(),
                levels.source(),
                levels.mean_less(g.removed)
            ),
            None => format!(
                "{} of {}, {shift}",
                crate::report::counted(g.teams, "team"),
                g.headcount
            ),
        };
        lines.push(format!(
            "  group {:<10} {rostering}, serves {}{non_call}",
            g.name,
            serves.join(", ")
        ));
    }
    for h in &s.handlers.hires {
        lines.push(format!(
            "  hires: {} into {} from day {} (training {:.0} weeks, ramp {:.0} weeks from ×{})",
            h.count,
            groups[h.group].name,
            h.start_day,
            h.training.as_secs() / WEEK_S,
            h.ramp.as_secs() / WEEK_S,
            h.initial_aht_factor
        ));
    }
}
