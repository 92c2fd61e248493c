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

/// A cost with thousands separated: `1,234,568`.
fn money(x: f64) -> String {
    let whole = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if x < -0.5 { format!("-{out}") } else { out }
}

/// What the plan achieves, from its own month table: the reachable months met, and the ones
/// it still misses by name (the aim in the title is not a result).
fn verdict(p: &HirePlan) -> String {
    let reachable: Vec<_> = p.months.iter().filter(|m| !m.unreachable).collect();
    let missed: Vec<&str> = reachable
        .iter()
        .filter(|m| !m.met)
        .map(|m| m.month.as_str())
        .collect();
    let met = reachable.len() - missed.len();
    if missed.is_empty() {
        format!(
            "with this plan: all {} reachable months met",
            reachable.len()
        )
    } else {
        format!(
            "with this plan: {met} of {} reachable months met; MISSED: {}",
            reachable.len(),
            missed.join(", ")
        )
    }
}

/// `1,000 recruiting + 2,000 in post = 3,000`.
fn cost_words(c: &crate::planning::hire_cost::PlanCost) -> String {
    format!(
        "{} recruiting and training + {} in post before the run ends = {}",
        money(c.recruiting),
        money(c.salaries),
        money(c.total)
    )
}

impl Render for HireView<'_> {
    fn table(&self) -> String {
        let p = self.plan;
        let mut out = format!(
            "{} — recruitment plan aiming for every month on target{}\n\n",
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
            "{} in all ({}){}",
            super::counted(p.recruits_total, "recruit"),
            super::counted(p.evaluations as u64, "simulation"),
            if p.capped {
                "; stopped at the simulation cap"
            } else {
                ""
            }
        );
        let _ = writeln!(out, "{}", verdict(p));
        if let Some(c) = &p.cost {
            let _ = writeln!(out, "cost of the recruits: {}", cost_words(c));
        }
        for b in &p.baselines {
            let _ = writeln!(
                out,
                "baseline {}: {} recruits, {} of {} reachable months met in its own simulation{}",
                match b.name {
                    "gap_now" => "the gap now, all at once",
                    _ => "replace leavers only",
                },
                b.recruits_total,
                b.months_met,
                b.months_reachable,
                b.cost
                    .as_ref()
                    .map_or(String::new(), |c| format!("; cost {}", money(c.total)))
            );
        }
        out.push('\n');
        let _ = writeln!(
            out,
            "{:<8} {:>8} {:>12} {:>10} {:>22} {:>6}  ",
            "month",
            "in post",
            "in training",
            "on phones",
            format!("{} service level", p.channel),
            "risk"
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

#[cfg(test)]
mod tests {
    use super::{money, verdict};
    use crate::planning::hire::{HirePlan, MonthOutcome};
    use crate::stats::Estimate;

    #[test]
    fn the_verdict_comes_from_the_month_table_not_from_the_aim() {
        // The title used to say "every month on target" above a table marking 2024-03 MISSED.
        let month = |name: &str, met: bool, unreachable: bool| MonthOutcome {
            month: name.into(),
            in_post: 10.0,
            in_training: 0,
            on_phones: 5.0,
            service_level: Estimate {
                mean: 0.9,
                ci_low: 0.88,
                ci_high: 0.92,
            },
            risk: 0.0,
            met,
            unreachable,
        };
        let mut plan = HirePlan {
            intakes: Vec::new(),
            recruits_total: 0,
            cost: None,
            channel: "999".into(),
            months: vec![
                month("2024-01", true, true),
                month("2024-02", true, false),
                month("2024-03", false, false),
            ],
            evaluations: 1,
            capped: false,
            baselines: Vec::new(),
        };
        assert_eq!(
            verdict(&plan),
            "with this plan: 1 of 2 reachable months met; MISSED: 2024-03"
        );
        plan.months[2].met = true;
        assert_eq!(verdict(&plan), "with this plan: all 2 reachable months met");
    }

    #[test]
    fn money_groups_thousands() {
        assert_eq!(money(0.0), "0");
        assert_eq!(money(999.4), "999");
        assert_eq!(money(1234567.8), "1,234,568");
        assert_eq!(money(-42000.0), "-42,000");
    }
}
