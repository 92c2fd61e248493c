//! Paired what-if comparisons: two scenarios under common random numbers.
//!
//! Both scenarios run with the same seed and replication indices, so replication `r` of each
//! sees the same callers wherever the scenarios agree. Each KPI's difference (B − A) is taken
//! replication by replication and summarised with a Student-t interval: much narrower than
//! comparing two independent intervals, and the right test of "did the change help?".

use serde::Serialize;

use crate::stats::Results;
use crate::stats::{Estimate, Kpis, get};

/// One KPI of one scope compared.
#[derive(Clone, Debug, Serialize)]
pub struct KpiDifference {
    /// `channel` (a channel's KPI), `handlers` or `triage`.
    pub scope: String,
    /// Channel name (empty for the pools).
    pub channel: String,
    /// KPI name.
    pub kpi: String,
    /// Scenario A's estimate.
    pub a: Estimate,
    /// Scenario B's estimate.
    pub b: Estimate,
    /// B − A, paired by replication, with its 95% interval.
    pub difference: Estimate,
    /// Whether the interval of the difference excludes zero.
    pub significant: bool,
    /// A's target for this KPI, where the channel's target is measured by it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_a: Option<f64>,
    /// Whether A's mean meets it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub met_a: Option<bool>,
    /// B's target for this KPI (B may have changed it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_b: Option<f64>,
    /// Whether B's mean meets it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub met_b: Option<bool>,
}

/// Compares every KPI of one scope; `pick_a(r)` and `pick_b(r)` give replication `r`'s KPIs.
fn paired<'a>(
    scope: &str,
    channel: &str,
    reps: usize,
    pick_a: impl Fn(usize) -> Option<&'a Kpis<f64>>,
    pick_b: impl Fn(usize) -> Option<&'a Kpis<f64>>,
) -> Vec<KpiDifference> {
    let (Some(first_a), Some(first_b)) = (pick_a(0), pick_b(0)) else {
        return Vec::new();
    };
    let series = |pick: &dyn Fn(usize) -> Option<&'a Kpis<f64>>, kpi: &str| -> Vec<f64> {
        (0..reps)
            .map(|r| pick(r).and_then(|k| get(k, kpi)).unwrap_or(f64::NAN))
            .collect()
    };
    first_a
        .iter()
        .filter(|(kpi, _)| get(first_b, kpi).is_some())
        .map(|(kpi, _)| {
            let (xs, ys) = (series(&pick_a, kpi), series(&pick_b, kpi));
            let diffs: Vec<f64> = xs.iter().zip(&ys).map(|(x, y)| y - x).collect();
            let difference = Estimate::from_samples(&diffs);
            KpiDifference {
                scope: scope.to_owned(),
                channel: channel.to_owned(),
                kpi: (*kpi).to_owned(),
                a: Estimate::from_samples(&xs),
                b: Estimate::from_samples(&ys),
                difference,
                significant: difference.ci_low > 0.0 || difference.ci_high < 0.0,
                target_a: None,
                met_a: None,
                target_b: None,
                met_b: None,
            }
        })
        .collect()
}

/// Every KPI the two results share, compared replication by replication.
pub fn compare(a: &Results, b: &Results) -> Vec<KpiDifference> {
    let reps = a.per_replication.len().min(b.per_replication.len());
    let (ra, rb) = (&a.per_replication, &b.per_replication);
    let mut out = Vec::new();
    for (i, (name, _)) in a.channels.iter().enumerate() {
        if let Some(j) = b.channels.iter().position(|(n, _)| n == name) {
            let mut diffs = paired(
                "channel",
                name,
                reps,
                |r| ra.get(r).map(|k| &k.channels[i]),
                |r| rb.get(r).map(|k| &k.channels[j]),
            );
            for d in &mut diffs {
                d.met_a = a.meets_target(i, &d.kpi, d.a.mean);
                d.target_a = d.met_a.map(|_| a.targets[i]);
                d.met_b = b.meets_target(j, &d.kpi, d.b.mean);
                d.target_b = d.met_b.map(|_| b.targets[j]);
            }
            out.extend(diffs);
        }
    }
    out.extend(paired(
        "handlers",
        "",
        reps,
        |r| ra.get(r).map(|k| &k.handlers),
        |r| rb.get(r).map(|k| &k.handlers),
    ));
    out.extend(paired(
        "triage",
        "",
        reps,
        |r| ra.get(r).and_then(|k| k.triage.as_ref()),
        |r| rb.get(r).and_then(|k| k.triage.as_ref()),
    ));
    out
}
