//! The staffing search's answers as text: the explored curve and the answer (in handlers, heads,
//! FTE and on the phones), the officer/handler mix, and their JSON and CSV.

use std::fmt::Write;

use super::csv_text::{finish, num};
use super::json::pretty_json;
use super::planning::pct;
use crate::planning::staffing::{Candidate, IntervalKind, MixAnswer, StaffAnswer};
use crate::report::table::cell;

/// The explored curve: one row per candidate, its service levels, P(every target met) and
/// occupancy.
fn staff_curve_rows(out: &mut String, a: &StaffAnswer, channels: &[&str]) {
    let _ = write!(out, "{:>8} {:>6}", "handlers", "added");
    for c in channels {
        let _ = write!(out, "  {:>22}", format!("{c} service level"));
    }
    let _ = writeln!(out, "  {:>24}  {:>15}", "P(every target met)", "occupancy");
    for cand in &a.curve {
        let _ = write!(out, "{:>8} {:>6}", cand.handlers, cand.added);
        for ch in &cand.channels {
            // ✗ the period's service level misses; · it meets, but another target does not.
            let mark = match (ch.service_level.mean >= ch.target, cand.met) {
                (false, _) => "✗",
                (true, false) => "·",
                (true, true) => " ",
            };
            let _ = write!(
                out,
                "  {:>21}{mark}",
                cell("service_level", ch.service_level)
            );
        }
        let _ = writeln!(
            out,
            "  {:>24}  {:>15}",
            format!(
                "{} ({}–{})",
                pct(cand.p_met),
                pct(cand.p_met_ci.0),
                pct(cand.p_met_ci.1)
            ),
            cell("occupancy", cand.occupancy)
        );
    }
}

/// The answer at a stated risk: P(every target met) of the answer, and its replications.
fn risk_sentence(a: &StaffAnswer, c: &Candidate, risk: f64) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "Answer at a {} risk of missing: {} handlers ({:+} on the scenario's {}): every target met in {} of {} (95% CI {}–{}), at least {}{}",
        pct(risk),
        a.handlers_needed,
        a.handlers_added,
        a.base_handlers,
        pct(c.p_met),
        super::counted(u64::from(c.replications), "replication"),
        pct(c.p_met_ci.0),
        pct(c.p_met_ci.1),
        pct(1.0 - risk),
        if c.resolved {
            ""
        } else {
            " (not settled by the replication cap: decided on the estimate)"
        }
    );
    out
}

/// The targets and the answer in a sentence, with the risk one handler fewer would run.
fn answer_sentence(a: &StaffAnswer) -> String {
    let mut out = String::new();
    let answer = a.curve.iter().find(|c| c.added == a.handlers_added);
    let below = a.curve.iter().rev().find(|c| c.added < a.handlers_added);
    let _ = writeln!(
        out,
        "\nTargets: {}",
        a.curve.first().map_or(String::new(), |c| c
            .channels
            .iter()
            .map(|x| {
                let clock = if x.service_level_kpi == "service_level" {
                    ""
                } else {
                    " (national clock)"
                };
                format!("{} {}{clock}", x.channel, pct(x.target))
            })
            .collect::<Vec<_>>()
            .join(", "))
    );
    if let (Some(c), Some(risk)) = (answer, a.risk) {
        out += &risk_sentence(a, c, risk);
    } else if let Some(c) = answer {
        let _ = write!(
            out,
            "Answer: {} handlers ({:+} on the scenario's {}): every target met on average{}; met in every channel{} in {} of replications (95% CI {}–{})",
            a.handlers_needed,
            a.handlers_added,
            a.base_handlers,
            match a.every_interval {
                Some(IntervalKind::HourOfWeek) => " in every hour of the week",
                Some(IntervalKind::Week) => " in every week",
                None => "",
            },
            match a.every_interval {
                Some(IntervalKind::HourOfWeek) =>
                    " and every hour of the week within one replication",
                Some(IntervalKind::Week) => " and every week within one replication",
                None => "",
            },
            pct(c.p_met),
            pct(c.p_met_ci.0),
            pct(c.p_met_ci.1)
        );
    }
    if let Some(b) = below {
        let _ = write!(
            out,
            "; with {}: {} (95% CI {}–{}{})",
            b.handlers,
            pct(b.p_met),
            pct(b.p_met_ci.0),
            pct(b.p_met_ci.1),
            if a.risk.is_some() {
                format!(
                    ", {}",
                    super::counted(u64::from(b.replications), "replication")
                )
            } else {
                String::new()
            }
        );
    }
    out
}

/// The staffing curve and the answer, as a table.
pub fn staff_table(name: &str, a: &StaffAnswer) -> String {
    let mut out = format!(
        "{name} — staffing search, {} per candidate (common random numbers, seed {})\n\n",
        super::counted(a.replications, "replication"),
        a.seed
    );
    let channels: Vec<&str> = a.curve.first().map_or(Vec::new(), |c| {
        c.channels.iter().map(|x| x.channel.as_str()).collect()
    });
    staff_curve_rows(&mut out, a, &channels);
    let answer = a.curve.iter().find(|c| c.added == a.handlers_added);
    out += &answer_sentence(a);
    let _ = writeln!(
        out,
        ".\nRisk of missing = 1 − P(every target met). {} simulated.",
        super::counted(a.evaluations as u64, "candidate")
    );
    let marked = a
        .curve
        .iter()
        .any(|c| !c.met || c.channels.iter().any(|x| x.service_level.mean < x.target));
    if marked {
        out += "✗ a service level below its target; · on target, but the candidate misses another (a channel, an abandonment cap, an interval).\n";
    }
    if a.every_interval.is_some() {
        out += "(One replication's intervals are short samples, so all of them at once meet a target far less often than their means do: read the first figure for staffing, the second as the risk of some interval missing.)\n";
    }
    out += &units_lines(a);
    for ch in answer.map_or(&[][..], |c| &c.channels[..]) {
        if let Some((label, e)) = &ch.worst_interval {
            let _ = writeln!(
                out,
                "{}: lowest interval service level {} in {label}",
                ch.channel,
                cell("service_level", *e)
            );
        }
    }
    out
}

/// The answer in a rota's units: heads, FTE and on the phones, in total and per group.
fn units_lines(a: &StaffAnswer) -> String {
    let u = &a.units;
    let mut out = format!(
        "In a rota's units: {} ({:.1} FTE at {} h a week; the scenario has {:.1}), {:.1} on the phones on average\n",
        super::counted(u64::from(u.headcount), "head"),
        u.fte,
        u.fte_hours_per_week,
        a.fte_current,
        u.on_duty
    );
    if u.groups.len() > 1 {
        let _ = writeln!(
            out,
            "  {:<12} {:>6} {:>8} {:>9}",
            "group", "heads", "FTE", "on duty"
        );
        for g in &u.groups {
            let _ = writeln!(
                out,
                "  {:<12} {:>6} {:>8.1} {:>9.1}",
                g.name, g.headcount, g.fte, g.on_duty
            );
        }
    }
    out
}

/// The officer/handler combinations and the cheapest, as a table.
pub fn mix_table(name: &str, m: &MixAnswer) -> String {
    let mut out = format!("{name} — triage officers and call handlers that meet every target\n\n");
    let _ = writeln!(
        out,
        "{:>8} {:>9} {:>14} {:>24}",
        "officers", "handlers", "cost", "P(every target met)"
    );
    for c in &m.combinations {
        let p = c
            .answer
            .curve
            .iter()
            .find(|x| x.added == c.answer.handlers_added)
            .map_or(f64::NAN, |x| x.p_met);
        let mark = if c.officers == m.officers_needed {
            "  ← cheapest"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{:>8} {:>9} {:>14.0} {:>24}{mark}",
            c.officers,
            c.answer.handlers_needed,
            c.cost,
            pct(p)
        );
    }
    let _ = writeln!(
        out,
        "\nCheapest: {} officers and {} handlers (cost {:.0}).",
        m.officers_needed, m.handlers_needed, m.cost
    );
    out
}

/// The staffing answer as JSON: `handlers_needed`, `handlers_added`, the explored `curve`.
pub fn staff_json(a: &StaffAnswer) -> String {
    pretty_json(a)
}

/// The staffing curve as CSV: one row per candidate, channel and KPI.
pub fn staff_csv(a: &StaffAnswer) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "handlers", "added", "channel", "kpi", "mean", "ci_low", "ci_high", "target", "met",
    ])?;
    for c in &a.curve {
        let (h, ad) = (c.handlers.to_string(), c.added.to_string());
        for ch in &c.channels {
            let abandonment_met = ch.max_abandonment.map(|m| {
                let met = ch.abandonment_rate.mean.is_nan() || ch.abandonment_rate.mean <= m;
                (num(m), met.to_string())
            });
            let rows = [
                (
                    "service_level",
                    ch.service_level,
                    Some((
                        num(ch.target),
                        (ch.service_level.mean.is_nan()
                            || ch.service_level.mean >= ch.target - 1e-12)
                            .to_string(),
                    )),
                ),
                ("abandonment_rate", ch.abandonment_rate, abandonment_met),
            ];
            for (k, e, judged) in rows {
                let (target, met) = judged.unwrap_or_default();
                w.write_record([
                    &h,
                    &ad,
                    &ch.channel,
                    k,
                    &num(e.mean),
                    &num(e.ci_low),
                    &num(e.ci_high),
                    &target,
                    &met,
                ])?;
            }
            w.write_record([
                &h,
                &ad,
                &ch.channel,
                "risk_of_missing",
                &num(ch.risk_of_missing),
                "",
                "",
                "",
                "",
            ])?;
        }
        w.write_record([
            &h,
            &ad,
            "",
            "p_met",
            &num(c.p_met),
            &num(c.p_met_ci.0),
            &num(c.p_met_ci.1),
            "",
            &c.met.to_string(),
        ])?;
        w.write_record([
            &h,
            &ad,
            "",
            "occupancy",
            &num(c.occupancy.mean),
            &num(c.occupancy.ci_low),
            &num(c.occupancy.ci_high),
            "",
            "",
        ])?;
    }
    finish(w)
}
