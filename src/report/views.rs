//! Each command's output as a [`Render`] value: what the table, JSON and CSV of that output are.

use super::{Render, RenderError, json::pretty_json};
use crate::erlang::{AgentsAnswer, AgentsGoal, ErlangInput, ErlangResult};
use crate::planning::interval_staffing::IntervalStaffing;
use crate::planning::staffing::{MixAnswer, StaffAnswer};
use crate::planning::sweep::Point;
use crate::stats::Results;
use crate::stats::paired::KpiDifference;

/// The results of `run` (and of the default command).
pub struct RunView<'a> {
    /// The replications' results.
    pub results: &'a Results,
    /// Whether to add how long the run took (`--timing`): off, the output is a function of
    /// the scenario and seed alone, so two runs can be diffed.
    pub with_timing: bool,
}

impl Render for RunView<'_> {
    fn table(&self) -> String {
        super::results_table(self.results, self.with_timing)
    }
    fn json(&self) -> String {
        super::results_json(self.results, self.with_timing)
    }
    fn csv(&self) -> Result<String, RenderError> {
        Ok(super::results_csv(self.results, self.with_timing)?)
    }
}

/// The answer of `staff`.
pub struct StaffView<'a> {
    /// The scenario's name.
    pub name: &'a str,
    /// The search's answer.
    pub answer: &'a StaffAnswer,
}

impl Render for StaffView<'_> {
    fn table(&self) -> String {
        super::staff_table(self.name, self.answer)
    }
    fn json(&self) -> String {
        super::staff_json(self.answer)
    }
    fn csv(&self) -> Result<String, RenderError> {
        Ok(super::staff_csv(self.answer)?)
    }
}

/// The answer of `staff --vary triage.officers=…`.
pub struct MixView<'a> {
    /// The scenario's name.
    pub name: &'a str,
    /// The cheapest mix and every combination.
    pub mix: &'a MixAnswer,
}

impl Render for MixView<'_> {
    fn table(&self) -> String {
        super::mix_table(self.name, self.mix)
    }
    fn json(&self) -> String {
        pretty_json(self.mix)
    }
    fn csv(&self) -> Result<String, RenderError> {
        Err(RenderError::Unsupported(
            "staff --vary supports --format table or json",
        ))
    }
}

/// The answer of `staff --by-interval`.
pub struct IntervalView<'a> {
    /// The scenario's name.
    pub name: &'a str,
    /// The iterative staffing algorithm's answer.
    pub result: &'a IntervalStaffing,
    /// Lay the table and CSV out as 24 × 7 grids (`--grid`).
    pub grid: bool,
}

impl Render for IntervalView<'_> {
    fn table(&self) -> String {
        if self.grid {
            return super::interval_grid_table(self.name, self.result);
        }
        super::interval_table(self.name, self.result)
    }
    fn json(&self) -> String {
        pretty_json(self.result)
    }
    fn csv(&self) -> Result<String, RenderError> {
        if self.grid {
            return Ok(super::interval_grid_csv(self.result)?);
        }
        Ok(super::interval_csv(self.result)?)
    }
}

/// The paired differences of `compare`.
pub struct CompareView<'a> {
    /// Scenario A's name.
    pub a: &'a str,
    /// Scenario B's name.
    pub b: &'a str,
    /// Replications paired.
    pub replications: u32,
    /// B − A per KPI.
    pub diffs: &'a [KpiDifference],
    /// Channels only A has, and only B has: not compared, but listed.
    pub only: (&'a [String], &'a [String]),
}

impl Render for CompareView<'_> {
    fn table(&self) -> String {
        super::compare_table(self.a, self.b, self.replications, self.diffs, self.only)
    }
    fn json(&self) -> String {
        super::compare_json(self.a, self.b, self.diffs, self.only)
    }
    fn csv(&self) -> Result<String, RenderError> {
        Ok(super::compare_csv(self.diffs)?)
    }
}

/// The points of `sweep`.
pub struct SweepView<'a> {
    /// The finished points.
    pub points: &'a [Point],
    /// The KPI the table shows.
    pub kpi: &'a str,
}

impl Render for SweepView<'_> {
    fn table(&self) -> String {
        super::sweep_table(self.points, self.kpi)
    }
    fn json(&self) -> String {
        super::sweep_json(self.points)
    }
    fn csv(&self) -> Result<String, RenderError> {
        Ok(super::sweep_csv(self.points)?)
    }
}

/// The analytic answer of `erlang`.
pub struct ErlangView<'a> {
    /// The question.
    pub input: &'a ErlangInput,
    /// The answer.
    pub result: &'a ErlangResult,
    /// When the agents were solved for: the answer and the goal.
    pub staffing: Option<(&'a AgentsAnswer, &'a AgentsGoal)>,
}

impl ErlangView<'_> {
    /// Every figure as (name, value): the result's, then the staffing answer's.
    fn figures(&self) -> Vec<(&'static str, f64)> {
        let r = self.result;
        let mut out = vec![
            ("p_wait", r.p_wait),
            ("service_level", r.service_level),
            ("asa_s", r.asa_s),
            ("p_abandon", r.p_abandon),
            ("occupancy", r.occupancy),
        ];
        if let Some((a, goal)) = self.staffing {
            out.extend([
                ("agents_needed", f64::from(a.agents_needed)),
                ("positions_needed", f64::from(a.positions_needed)),
                ("shrinkage", goal.shrinkage),
            ]);
        }
        out
    }
}

impl Render for ErlangView<'_> {
    fn table(&self) -> String {
        let mut out = super::erlang_table(self.input, self.result);
        if let Some((a, goal)) = self.staffing {
            let cap = goal
                .max_occupancy
                .map_or(String::new(), |m| format!(" and occupancy at most {m}"));
            out.push_str(&format!(
                "\nagents needed  {}  (fewest for service level {} within {} s{cap})\npositions      {}  (rostered: agents ÷ (1 − shrinkage {}), rounded up)\n",
                a.agents_needed, goal.fraction, self.input.target_s, a.positions_needed, goal.shrinkage
            ));
        }
        out
    }
    fn json(&self) -> String {
        /// The result's keys first, in their order, then the staffing answer's.
        #[derive(serde::Serialize)]
        struct ErlangJson<'a> {
            #[serde(flatten)]
            result: &'a ErlangResult,
            #[serde(skip_serializing_if = "Option::is_none")]
            agents_needed: Option<u32>,
            #[serde(skip_serializing_if = "Option::is_none")]
            positions_needed: Option<u32>,
            #[serde(skip_serializing_if = "Option::is_none")]
            shrinkage: Option<f64>,
        }
        pretty_json(&ErlangJson {
            result: self.result,
            agents_needed: self.staffing.map(|(a, _)| a.agents_needed),
            positions_needed: self.staffing.map(|(a, _)| a.positions_needed),
            shrinkage: self.staffing.map(|(_, g)| g.shrinkage),
        })
    }
    fn csv(&self) -> Result<String, RenderError> {
        let mut out = String::from("kpi,value\n");
        for (k, v) in self.figures() {
            out.push_str(&format!("{k},{v}\n"));
        }
        Ok(out)
    }
}

/// The loss-system answer of `erlang --loss` (Erlang B).
pub struct LossView<'a> {
    /// The answer.
    pub result: &'a crate::erlang::LossResult,
    /// When the agents were solved for: the blocking probability allowed.
    pub max_blocking: Option<f64>,
}

impl LossView<'_> {
    fn figures(&self) -> [(&'static str, f64); 5] {
        let r = self.result;
        [
            ("offered_erlangs", r.offered_erlangs),
            ("agents", f64::from(r.agents)),
            ("p_block", r.p_block),
            ("carried_erlangs", r.carried_erlangs),
            ("occupancy", r.occupancy),
        ]
    }
}

impl Render for LossView<'_> {
    fn table(&self) -> String {
        let r = self.result;
        let mut out = format!(
            "Erlang B (M/M/n/n, blocked callers turned away): load {:.3} Erlangs, {} agents\np_block          {:.6}  (share of callers who find every agent busy)\ncarried_erlangs  {:.4}\noccupancy        {:.6}\n",
            r.offered_erlangs, r.agents, r.p_block, r.carried_erlangs, r.occupancy
        );
        if let Some(max) = self.max_blocking {
            out.push_str(&format!(
                "\nagents needed    {}  (fewest blocking at most {max})\n",
                r.agents
            ));
        }
        out
    }
    fn json(&self) -> String {
        pretty_json(self.result)
    }
    fn csv(&self) -> Result<String, RenderError> {
        let mut out = String::from("kpi,value\n");
        for (k, v) in self.figures() {
            out.push_str(&format!("{k},{v}\n"));
        }
        Ok(out)
    }
}
