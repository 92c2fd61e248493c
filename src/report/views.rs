//! Each command's output as a [`Render`] value: what the table, JSON and CSV of that output are.

use super::{Render, RenderError, json::pretty_json};
use crate::erlang::{ErlangInput, ErlangResult};
use crate::planning::interval_staffing::IntervalStaffing;
use crate::planning::staffing::{MixAnswer, StaffAnswer};
use crate::planning::sweep::Point;
use crate::stats::Results;
use crate::stats::paired::KpiDifference;

/// The results of `run` (and of the default command).
pub struct RunView<'a>(pub &'a Results);

impl Render for RunView<'_> {
    fn table(&self) -> String {
        super::results_table(self.0)
    }
    fn json(&self) -> String {
        super::results_json(self.0)
    }
    fn csv(&self) -> Result<String, RenderError> {
        Ok(super::results_csv(self.0)?)
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
}

impl Render for IntervalView<'_> {
    fn table(&self) -> String {
        super::interval_table(self.name, self.result)
    }
    fn json(&self) -> String {
        pretty_json(self.result)
    }
    fn csv(&self) -> Result<String, RenderError> {
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
}

impl Render for CompareView<'_> {
    fn table(&self) -> String {
        super::compare_table(self.a, self.b, self.replications, self.diffs)
    }
    fn json(&self) -> String {
        super::compare_json(self.a, self.b, self.diffs)
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
}

impl Render for ErlangView<'_> {
    fn table(&self) -> String {
        super::erlang_table(self.input, self.result)
    }
    fn json(&self) -> String {
        pretty_json(self.result)
    }
    fn csv(&self) -> Result<String, RenderError> {
        Err(RenderError::Unsupported(
            "erlang supports --format table or json",
        ))
    }
}
