//! `hire`'s answer: the intakes and the run month by month with them.

use std::fmt::Write;

use super::json::pretty_json;
use super::table::cell;
use super::{Render, RenderError};
use crate::planning::hire::HirePlan;

/// The answer of `hire`.
pub struct HireView<'a> {
    /// The scenario's name.
    pub name: &'a str,
    /// The plan.
    pub plan: &'a HirePlan,
    /// The risk months were judged at, if any.
    pub risk: Option<f64>,
}

impl Render for HireView<'_> {
    fn table(&self) -> String {
        let p = self.plan;
        let mut out = format!(
            "{} — recruitment plan: every month on target{}\n\n",
            self.name,
            self.risk.map_or(" on average".to_string(), |r| format!(
                " at a {:.0}% risk",
                r * 100.0
            ))
        );
        if p.intakes.is_empty() {
            out += "No intake needed.\n";
        }
        for i in &p.intakes {
            let _ = writeln!(out, "intake {}  {} recruits", i.start_date, i.count);
        }
        let _ = writeln!(
            out,
            "{} recruits in all ({} simulations){}",
            p.recruits_total,
            p.evaluations,
            if p.capped {
                "; stopped at the simulation cap"
            } else {
                ""
            }
        );
        for b in &p.baselines {
            let _ = writeln!(
                out,
                "baseline {}: {} recruits, {} of {} reachable months met",
                match b.name {
                    "gap_now" => "the gap now, all at once",
                    _ => "replace leavers only",
                },
                b.recruits_total,
                b.months_met,
                b.months_reachable
            );
        }
        out.push('\n');
        let _ = writeln!(
            out,
            "{:<8} {:>8} {:>12} {:>10} {:>22} {:>6}  ",
            "month", "in post", "in training", "on phones", "service level", "risk"
        );
        for m in &p.months {
            let _ = writeln!(
                out,
                "{:<8} {:>8.1} {:>12} {:>10.1} {:>22} {:>5.0}%  {}",
                m.month,
                m.in_post,
                m.in_training,
                m.on_phones,
                cell("service_level", m.service_level),
                m.risk * 100.0,
                if m.unreachable {
                    "cannot be met: training takes longer than the time left"
                } else if m.met {
                    "met"
                } else {
                    "MISSED"
                }
            );
        }
        out
    }

    fn json(&self) -> String {
        pretty_json(self.plan)
    }

    fn csv(&self) -> Result<String, RenderError> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "month",
            "in_post",
            "in_training",
            "on_phones",
            "service_level",
            "ci_low",
            "ci_high",
            "risk",
            "met",
        ])?;
        for m in &self.plan.months {
            w.write_record([
                m.month.clone(),
                m.in_post.to_string(),
                m.in_training.to_string(),
                m.on_phones.to_string(),
                m.service_level.mean.to_string(),
                m.service_level.ci_low.to_string(),
                m.service_level.ci_high.to_string(),
                m.risk.to_string(),
                m.met.to_string(),
            ])?;
        }
        Ok(super::csv_text::finish(w)?)
    }
}
