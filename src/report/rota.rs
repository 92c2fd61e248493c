//! `rota`'s answer: the designed shifts, how close to the LP bound, and the check by
//! simulation of the rota as a scenario.

use std::fmt::Write;

use serde::Serialize;

use super::json::pretty_json;
use super::table::cell;
use super::{Render, RenderError};
use crate::planning::rota::RotaDesign;
use crate::stats::{Estimate, Results, get};

/// The answer of `rota`.
pub struct RotaView<'a> {
    /// The scenario's name.
    pub name: &'a str,
    /// The designed rota.
    pub rota: &'a RotaDesign,
    /// The rota simulated as a scenario.
    pub results: &'a Results,
    /// The probability of waiting the hourly requirement was set for.
    pub alpha: f64,
    /// The unsocial-hours premium the rota's cost was minimised with, if any.
    pub unsocial: Option<crate::planning::rota::Unsocial>,
}

/// One channel's check: its target's service level with the designed rota.
#[derive(Serialize)]
struct ChannelCheck<'a> {
    channel: &'a str,
    service_level: Estimate,
    target: f64,
    met: bool,
    lowest_hour: Option<(&'a str, Estimate)>,
}

impl RotaView<'_> {
    fn checks(&self) -> Vec<ChannelCheck<'_>> {
        let r = self.results;
        r.channels
            .iter()
            .enumerate()
            .filter_map(|(c, (name, kpis))| {
                let kpi = r.target_kpis[c];
                let e = get(kpis, kpi).filter(|e| e.mean.is_finite())?;
                let lowest_hour = r.intervals.hour_of_week.channels.get(c).and_then(|cells| {
                    cells
                        .iter()
                        .enumerate()
                        .filter_map(|(i, k)| {
                            get(k, kpi).filter(|e| e.mean.is_finite()).map(|e| (i, e))
                        })
                        .min_by(|a, b| a.1.mean.total_cmp(&b.1.mean))
                        .map(|(i, e)| (r.interval_labels.hour_of_week[i].as_str(), e))
                });
                Some(ChannelCheck {
                    channel: name,
                    service_level: e,
                    target: r.targets[c],
                    met: e.mean >= r.targets[c],
                    lowest_hour,
                })
            })
            .collect()
    }
}

impl Render for RotaView<'_> {
    fn table(&self) -> String {
        let d = self.rota;
        let mut out = format!(
            "{} — rota{} covering the handlers needed each hour for P(wait) ≤ {:.0}%\n\n",
            self.name,
            d.max_shifts.map_or(String::new(), |n| format!(
                " of at most {n} distinct shifts"
            )),
            self.alpha * 100.0
        );
        out += &shifts_table(d);
        let gap = percent_above(d.fte, d.lp_bound_fte);
        let _ = writeln!(
            out,
            "\n{} heads, {:.1} FTE; no rota of these shifts needs fewer than {:.1} FTE (the LP bound{}): within {gap:.1}%.\nOver-coverage: {:.0} on-the-phone hours a week beyond the requirement ({:.0} required).",
            d.heads,
            d.fte,
            d.lp_bound_fte,
            if d.max_shifts.is_some() {
                ", with any number of shifts"
            } else {
                ""
            },
            d.over_coverage_hours,
            d.required.iter().map(|r| f64::from(*r)).sum::<f64>()
        );
        if let Some(u) = self.unsocial {
            let gap = percent_above(d.cost, d.lp_bound_cost);
            let _ = writeln!(
                out,
                "Pay: {:.1} FTE at plain rates with {:.0}% more for {:02}:00–{:02}:00 (what the rota minimises); no rota of these shifts costs less than {:.1} (the LP bound): within {gap:.1}%.",
                d.cost,
                u.premium * 100.0,
                u.from_hour,
                u.until_hour,
                d.lp_bound_cost
            );
        }
        let _ = writeln!(
            out,
            "\nChecked by simulating the rota ({}):",
            super::counted(self.results.replications, "replication")
        );
        for c in self.checks() {
            let _ = write!(
                out,
                "  {:<14} {} against {:.0}% — {}",
                c.channel,
                cell("service_level", c.service_level),
                c.target * 100.0,
                if c.met { "met" } else { "MISSED" }
            );
            if let Some((hour, e)) = c.lowest_hour {
                let _ = write!(out, "; lowest hour {hour}: {}", cell("service_level", e));
            }
            out.push('\n');
        }
        out
    }

    fn json(&self) -> String {
        #[derive(Serialize)]
        struct RotaJson<'a> {
            rota: &'a RotaDesign,
            alpha: f64,
            check: Vec<ChannelCheck<'a>>,
        }
        pretty_json(&RotaJson {
            rota: self.rota,
            alpha: self.alpha,
            check: self.checks(),
        })
    }

    fn csv(&self) -> Result<String, RenderError> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "start_hour",
            "hours",
            "pattern",
            "days",
            "scenario_pattern",
            "teams",
            "headcount",
            "break_after_hours",
            "break_minutes",
        ])?;
        for s in &self.rota.shifts {
            let (after, minutes) = s.meal_break.map_or((String::new(), String::new()), |b| {
                (b.after_hours.to_string(), b.minutes.to_string())
            });
            w.write_record([
                s.start_hour.to_string(),
                s.hours.to_string(),
                s.pattern.clone(),
                s.days.clone(),
                s.scenario_pattern.clone(),
                s.teams.to_string(),
                s.headcount.to_string(),
                after,
                minutes,
            ])?;
        }
        Ok(super::csv_text::finish(w)?)
    }
}

/// One row per designed shift: start, hours, days, teams, heads, FTE and its meal break.
fn shifts_table(d: &RotaDesign) -> String {
    let mut out = String::new();
    let breaks = d.shifts.iter().any(|s| s.meal_break.is_some());
    let _ = writeln!(
        out,
        "{:<6} {:>5}  {:<22} {:>5} {:>10} {:>6} {:>7}{}",
        "start",
        "hours",
        "days",
        "teams",
        "per team",
        "heads",
        "FTE",
        if breaks { "  meal break" } else { "" }
    );
    for s in &d.shifts {
        let heads = s.headcount * s.teams;
        let meal = match (breaks, s.meal_break) {
            (false, _) => String::new(),
            (true, None) => "  none".into(),
            (true, Some(b)) => format!(
                "  {:02}:00, {} min",
                (s.start_hour + b.after_hours) % 24,
                b.minutes
            ),
        };
        let _ = writeln!(
            out,
            "{:<6} {:>5}  {:<22} {:>5} {:>10} {:>6} {:>7.1}{meal}",
            format!("{:02}:00", s.start_hour),
            s.hours,
            s.days,
            s.teams,
            s.headcount,
            heads,
            s.fte,
        );
    }
    out
}

/// How far `value` is above `bound`, in per cent (0 without a positive bound).
fn percent_above(value: f64, bound: f64) -> f64 {
    if bound > 0.0 {
        100.0 * (value / bound - 1.0)
    } else {
        0.0
    }
}
