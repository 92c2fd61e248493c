//! One self-contained HTML report: scenario summary, KPI table with confidence intervals,
//! charts inline as SVG, the staffing answer, assumptions, and what makes it reproducible.
//! No scripts, no fonts or images fetched: it opens offline and prints cleanly to PDF.

use std::fmt::Write;

use crate::planning::staffing::StaffAnswer;
use crate::report::chart::{Chart, ChartChannels, cohort_weeks};
use crate::report::table::cell;
use crate::scenario::Scenario;
use crate::stats::Results;
use crate::stats::get;
use crate::time::DAY_S;

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = "body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;max-width:1000px;margin:2em auto;color:#222;line-height:1.4}\
h1{font-size:1.6em;border-bottom:3px solid #0072b2}h2{font-size:1.2em;margin-top:1.8em;color:#0072b2}\
table{border-collapse:collapse;margin:.6em 0;font-size:.9em}th,td{border:1px solid #bbb;padding:.25em .6em;text-align:right}\
th:first-child,td:first-child{text-align:left}th{background:#eef4f9}.miss{color:#b00;font-weight:bold}\
svg{max-width:100%;height:auto;display:block;margin:.5em 0}pre{background:#f6f6f6;padding:.8em;font-size:.8em;overflow-x:auto}\
.note{color:#555;font-size:.9em}.print-only{display:none}td{white-space:nowrap}\
@page{size:A4;margin:1.4cm}\
@media print{body{margin:0;max-width:none;font-size:10pt}h2{break-after:avoid;margin-top:1em}\
svg{break-inside:avoid;max-height:8.6cm;width:auto;margin:.3em auto}table{font-size:8.5pt}\
.screen-only{display:none}.print-only{display:block}}";

/// The HTML report for `s` with its `results`, the `staffing` answer (if computed), the
/// scenario's own text (shown under assumptions) and the command that reproduces it.
pub fn html_report(
    s: &Scenario,
    results: &Results,
    staffing: Option<&StaffAnswer>,
    scenario_text: &str,
    reproduce: &str,
) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>",
        esc(&s.name)
    );
    let _ = write!(h, "<h1>{} — contact-centre simulation</h1>", esc(&s.name));
    let _ = write!(
        h,
        "<p class=\"note\">triage-sim {} · {} of {:.0} hours from {} (warm-up {:.0} h) · seed {} · every figure is a mean with its 95% confidence interval across replications.</p>",
        env!("CARGO_PKG_VERSION"),
        super::counted(s.replications, "replication"),
        s.horizon.as_hours(),
        s.start_date,
        s.warmup.as_hours(),
        s.seed
    );
    answer_section(&mut h, s, results, staffing);
    scenario_section(&mut h, s, results);
    results_section(&mut h, results);
    let first = charts_section(&mut h, s, results, staffing);
    if let Some(a) = staffing {
        staffing_section(&mut h, a, first);
    }
    h.push_str(
        "<h2>Assumptions and definitions</h2><ul>\
<li>Service level: callers first answered by a person within the target, out of all offered (abandoners count as misses; calls that drop at once are left out).</li>\
<li>Waits are to the first human answer (a triage officer or a call handler); the national 999 clock adds the BT transfer leg where the scenario has one.</li>\
<li>Replications are independent; scenarios compared or searched share their random numbers, so differences are differences of staffing, not of luck.</li>\
<li>Calibration sources and the published figures the scenarios are checked against: docs/calibration.md.</li></ul>",
    );
    // On paper the file would take more pages than the report: the HTML keeps it.
    let _ = write!(
        h,
        "<div class=\"screen-only\"><h2>The scenario file</h2><pre>{}</pre></div>\
<p class=\"note print-only\">The scenario file ({} lines) is in the HTML version of this report.</p>",
        esc(scenario_text),
        scenario_text.lines().count()
    );
    let _ = writeln!(
        h,
        "<p class=\"note\">Reproduce: <code>{}</code> (triage-sim {}, seed {}) gives these figures exactly; the file shown above is before any <code>--set</code>.</p></body></html>",
        esc(reproduce),
        env!("CARGO_PKG_VERSION"),
        s.seed
    );
    h
}

/// A channel's target in words: "90% within 10 s (national clock)".
fn target_text(c: &crate::scenario::Channel) -> String {
    let clock = match c.target.clock {
        crate::scenario::TargetClock::Force => "",
        crate::scenario::TargetClock::National => " (national clock)",
    };
    format!(
        "{:.0}% within {}{clock}",
        100.0 * c.target.fraction,
        super::describe::duration_text(c.target.answer_within.as_secs())
    )
}

/// The answer first: each target, met or not, with the figure and its interval; and the
/// staffing answer when it was searched.
fn answer_section(h: &mut String, s: &Scenario, results: &Results, staffing: Option<&StaffAnswer>) {
    h.push_str("<h2>The answer</h2><table><tr><th>channel</th><th>target</th><th>achieved (95% CI)</th><th>met?</th></tr>");
    for (i, (c, (_, k))) in s.channels.iter().zip(&results.channels).enumerate() {
        let Some(e) = get(k, results.target_kpis[i]) else {
            continue;
        };
        let (verdict, class) = if !e.mean.is_finite() {
            ("no calls", "")
        } else if e.ci_low >= c.target.fraction {
            ("met", "")
        } else if e.mean >= c.target.fraction {
            ("met on average; the interval reaches below", "")
        } else if e.ci_high >= c.target.fraction {
            (
                "missed on average; the interval reaches the target",
                " class=\"miss\"",
            )
        } else {
            ("missed", " class=\"miss\"")
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td{class}>{verdict}</td></tr>",
            esc(&c.name),
            target_text(c),
            cell("service_level", e)
        );
    }
    h.push_str("</table>");
    if let Some(a) = staffing {
        let _ = write!(
            h,
            "<p><b>Staffing:</b> {} call handlers ({} heads, {:.1} FTE at {} h a week, {:.1} on the phones on average) meet the {} target on average — {} the scenario's {} (details below).</p>",
            a.handlers_needed,
            a.headcount_needed,
            a.fte_needed,
            a.units.fte_hours_per_week,
            a.on_duty_needed,
            a.curve.first().map_or(String::new(), |c| c
                .channels
                .iter()
                .map(|k| esc(&k.channel))
                .collect::<Vec<_>>()
                .join(", ")),
            match a.handlers_added {
                0 => "the same as".to_owned(),
                n if n > 0 => format!("{n} more than"),
                n => format!("{} fewer than", -n),
            },
            a.handlers_current
        );
    }
}

/// The scenario's channels and workforce.
fn scenario_section(h: &mut String, s: &Scenario, results: &Results) {
    h.push_str("<h2>Scenario</h2><table><tr><th>channel</th><th>kind</th><th>priority</th><th>mean arrivals / h</th><th>mean handle time</th><th>target</th></tr>");
    for c in &s.channels {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&c.name),
            c.kind.words(),
            c.priority,
            super::rate_text(c.rate_per_hour),
            esc(&c.handle_time.describe()),
            target_text(c)
        );
    }
    h.push_str("</table>");
    let _ = write!(
        h,
        "<p>Call handlers: {} rostered{}, {:.1} on the phones on average (simulated){}{}.</p>",
        s.handlers.roster_size(),
        match s.handlers.recruits_joining_later() {
            0 => String::new(),
            later => format!(" ({later} of them recruits trained during the run)"),
        },
        get(&results.handlers, "mean_staffed").map_or(f64::NAN, |e| e.mean),
        if s.handlers.is_pool() {
            String::new()
        } else {
            let non_call: Vec<f64> = s
                .handlers
                .groups
                .iter()
                .map(|g| g.non_call_work)
                .filter(|n| *n > 0.0)
                .collect();
            let extra = match (
                non_call.iter().copied().reduce(f64::min),
                non_call.iter().copied().reduce(f64::max),
            ) {
                (Some(lo), Some(hi)) if lo == hi => {
                    format!(" and {:.0}% on non-call work", 100.0 * lo)
                }
                (Some(lo), Some(hi)) => format!(
                    " and {:.0}–{:.0}% on non-call work",
                    100.0 * lo,
                    100.0 * hi
                ),
                _ => String::new(),
            };
            format!(
                ", in {} shift groups with {:.0}% shrinkage{extra}",
                s.handlers.groups.len(),
                100.0 * s.handlers.shrinkage
            )
        },
        s.triage.as_ref().map_or(String::new(), |t| if t.shifts.is_empty() {
            format!("; a triage team of {} officers", t.officers)
        } else {
            format!(
                "; a triage team of {} officers on a rota of {} shifts ({:.1} on duty on average)",
                t.officers,
                t.shifts.len(),
                t.mean_rostered() * (1.0 - t.shrinkage)
            )
        })
    );
}

/// The columns the results table may show: header and KPI.
const RESULT_COLUMNS: [(&str, &str); 7] = [
    ("offered", "offered"),
    ("service level", "service_level"),
    ("mean wait to the first answer", "mean_wait_s"),
    ("mean wait to a call handler", "mean_handler_wait_s"),
    ("90th pct wait", "p90_wait_s"),
    ("abandoned", "abandonment_rate"),
    ("P(wait)", "p_wait"),
];

/// The KPI table by channel, targets missed in red, and handler occupancy. A column no channel
/// reports, or that is zero for every channel, is left out (the wait to a call handler exists
/// only with triage; a 90th percentile of 0 s says nothing).
fn results_section(h: &mut String, results: &Results) {
    let shown: Vec<(&str, &str)> = RESULT_COLUMNS
        .into_iter()
        .filter(|(_, kpi)| {
            results
                .channels
                .iter()
                .any(|(_, k)| get(k, kpi).is_some_and(|e| e.mean.is_finite() && e.mean != 0.0))
        })
        .collect();
    h.push_str("<h2>Results by channel</h2><table><tr><th>channel</th>");
    for (header, _) in &shown {
        let _ = write!(h, "<th>{header}</th>");
    }
    h.push_str("</tr>");
    for (i, (name, k)) in results.channels.iter().enumerate() {
        let missed = get(k, results.target_kpis[i]).is_some_and(|e| e.mean < results.targets[i]);
        let _ = write!(h, "<tr><td>{}</td>", esc(name));
        for (_, kpi) in &shown {
            let class = if missed && *kpi == "service_level" {
                " class=\"miss\""
            } else {
                ""
            };
            let text = get(k, kpi).map_or("—".to_owned(), |e| cell(kpi, e));
            let _ = write!(h, "<td{class}>{text}</td>");
        }
        h.push_str("</tr>");
    }
    let occ =
        get(&results.handlers, "occupancy").map_or("—".to_owned(), |e| cell("occupancy", e));
    let _ = write!(
        h,
        "</table><p>Handler occupancy {occ}. Service levels in red miss their target.</p>"
    );
}

/// The charts, each inline as SVG; returns the best-priority channel the charts are about.
fn charts_section<'a>(
    h: &mut String,
    s: &'a Scenario,
    results: &Results,
    staffing: Option<&StaffAnswer>,
) -> &'a str {
    let picks = ChartChannels::of(s);
    let (first, second) = (picks.first, picks.second);
    let mut charts: Vec<(&str, Chart<'_>)> = vec![
        (
            "Service level by hour of the week",
            Chart::HourOfWeek {
                results,
                channel: first,
            },
        ),
        (
            "Waits until first answer",
            Chart::Waits {
                results,
                channels: &picks.phones,
            },
        ),
    ];
    let cohorts = cohort_weeks(s);
    if s.horizon.as_secs() >= 4.0 * 7.0 * DAY_S {
        charts.push((
            "The run week by week",
            Chart::Trend {
                results,
                service_level_of: first,
                wait_of: second,
                cohorts: &cohorts,
            },
        ));
    }
    if let Some(a) = staffing {
        charts.push((
            "Staffing curve",
            Chart::StaffingCurve {
                name: &s.name,
                answer: a,
            },
        ));
    }
    for (title, chart) in &charts {
        let _ = write!(h, "<h2>{}</h2>", esc(title));
        match chart.to_svg() {
            Ok(svg) => h.push_str(&svg),
            Err(e) => {
                let _ = write!(
                    h,
                    "<p class=\"note\">(chart not drawn: {})</p>",
                    esc(&e.to_string())
                );
            }
        }
    }
    first
}

/// The staffing answer for the best-priority channel `first`.
fn staffing_section(h: &mut String, a: &StaffAnswer, first: &str) {
    let c = a.curve.iter().find(|c| c.added == a.handlers_added);
    let _ = write!(
        h,
        "<h2>Staffing answer</h2><p><b>{} call handlers</b> ({:+} on the scenario's {}) meet the {} target on average{}.</p>",
        a.handlers_needed,
        a.handlers_added,
        a.base_handlers,
        esc(first),
        c.map_or(String::new(), |c| format!(
            "; every target was met in {:.0}% of replications (95% CI {:.0}–{:.0}%)",
            100.0 * c.p_met,
            100.0 * c.p_met_ci.0,
            100.0 * c.p_met_ci.1
        ))
    );
}
