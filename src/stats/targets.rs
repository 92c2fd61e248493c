//! Each channel's answer-time target beside the run's figure: met or not. Shown by `run` (a
//! table row, JSON `targets.<channel>`, CSV columns `target` and `met`) and `compare`.

use serde::Serialize;

use super::{Estimate, Results, get};

/// A channel's target and whether a run meets it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct TargetOutcome {
    /// The KPI the target is measured by (`service_level`, or `national_service_level` on
    /// the national clock).
    pub kpi: &'static str,
    /// The share of callers to answer within the threshold.
    pub target: f64,
    /// The threshold, in seconds.
    pub answer_within_s: f64,
    /// The run's figure for the KPI.
    pub estimate: Estimate,
    /// Whether the mean meets the target (a channel with no callers misses nothing).
    pub met: bool,
    /// Whether the whole 95% interval does.
    pub met_with_confidence: bool,
}

impl Results {
    /// Channel `c`'s target and whether its mean (and its interval) meets it.
    pub fn target_outcome(&self, c: usize) -> TargetOutcome {
        let kpi = self.target_kpis[c];
        let target = self.targets[c];
        let estimate = get(&self.channels[c].1, kpi).unwrap_or(Estimate::from_samples(&[]));
        let at_least = |x: f64| x.is_nan() || x >= target - 1e-12;
        TargetOutcome {
            kpi,
            target,
            answer_within_s: self.thresholds_s[c],
            estimate,
            met: at_least(estimate.mean),
            met_with_confidence: at_least(estimate.ci_low),
        }
    }

    /// Whether `value` of `kpi` on channel `c` meets the channel's target: `None` when the
    /// target is not measured by that KPI.
    pub fn meets_target(&self, c: usize, kpi: &str, value: f64) -> Option<bool> {
        (self.target_kpis[c] == kpi).then(|| value.is_nan() || value >= self.targets[c] - 1e-12)
    }
}
