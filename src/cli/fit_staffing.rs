//! `fit --staffing-out FILE`: handlers on duty by interval from agent activity (or an interval
//! report's agents staffed), scaled by an
//! effective-capacity factor found by simulation so that the fitted scenario, staffed so,
//! reproduces the data's mean wait of answered calls (all channels together).

use super::commands::runner;
use super::{Failure, not_interrupted};
use crate::data::agents::INTERVAL_S;
use crate::data::{AgentActivity, Fit, Gathered};
use crate::scenario::Scenario;
use crate::stats::{Results, get};
use crate::time::MICROS_PER_S;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The factor's search range: a fifth to five times the agents seen busy.
const FACTOR_RANGE: (f64, f64) = (0.2, 5.0);
/// Bisection steps (on a log scale: the range to within 0.2%).
const STEPS: usize = 14;
/// Replications per candidate factor (common random numbers across factors).
const REPLICATIONS: u32 = 4;

/// The staffing file's text and how its factor was found.
pub(super) struct StaffingFit {
    /// The staffing file (`interval_start,on_duty`), for the command to write with its other
    /// outputs.
    pub text: String,
    /// Intervals written.
    pub intervals: usize,
    /// Agents seen in the data.
    pub agents: usize,
    /// Handlers on duty per agent seen busy.
    pub factor: f64,
    /// Mean wait of answered calls in the data, and simulated with the factor.
    pub observed_wait_s: f64,
    /// Simulated with the factor.
    pub simulated_wait_s: f64,
    /// False when even the range's ends cannot reach the data's wait (the factor is then an
    /// end of the range).
    pub identified: bool,
}

/// Fits the factor and gives the scaled levels as a staffing file's text.
pub(super) fn fit_staffing(
    activity: &AgentActivity,
    fit: &Fit,
    gathered: &Gathered,
    fitted: &Scenario,
) -> Result<StaffingFit, Failure> {
    if activity.is_empty() {
        return Err(Failure::Input(
            "--staffing-out: no answered call has an agent and a handle time, and no interval has agents_staffed; expected an agent or agents_staffed column"
                .into(),
        ));
    }
    let active = activity.by_interval(fit.start, fit.days);
    let (answered, waited) = gathered.channels.values().fold((0.0, 0.0), |(n, w), c| {
        (n + (c.calls - c.abandoned) as f64, w + c.answered_wait_s)
    });
    let observed = waited / answered.max(1.0);
    let simulate = |factor: f64| -> Result<f64, Failure> {
        let s = staffed(fitted, &active, factor)?;
        let results = runner().replicate(&s);
        not_interrupted()?;
        Ok(pooled_wait(&results))
    };
    let (mut lo, mut hi) = FACTOR_RANGE;
    let (at_lo, at_hi) = (simulate(lo)?, simulate(hi)?);
    let identified = at_hi <= observed && observed <= at_lo;
    let factor = if !identified {
        if observed > at_lo { lo } else { hi }
    } else {
        for _ in 0..STEPS {
            let mid = (lo * hi).sqrt();
            if simulate(mid)? > observed {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        // Levels are whole handlers, so the wait jumps between lo and hi: keep the closer side.
        let (at_lo, at_hi) = (simulate(lo)?, simulate(hi)?);
        if (at_lo - observed).abs() <= (at_hi - observed).abs() {
            lo
        } else {
            hi
        }
    };
    let simulated = simulate(factor)?;
    let mut text = String::from("interval_start,on_duty\n");
    for (when, n) in &active {
        let _ = writeln!(
            text,
            "{},{}",
            when.strftime("%Y-%m-%d %H:%M"),
            (f64::from(*n) * factor).round()
        );
    }
    Ok(StaffingFit {
        text,
        intervals: active.len(),
        agents: activity.agents(),
        factor,
        observed_wait_s: observed,
        simulated_wait_s: simulated,
        identified,
    })
}

/// The fitted scenario staffed by the active agents × `factor` (rounded), with the search's
/// replications.
fn staffed(
    fitted: &Scenario,
    active: &[(jiff::civil::DateTime, u32)],
    factor: f64,
) -> Result<Scenario, Failure> {
    let step_us = INTERVAL_S * MICROS_PER_S as i64;
    let rows: Vec<(i64, u32)> = active
        .iter()
        .enumerate()
        .map(|(i, (_, n))| (i as i64 * step_us, (f64::from(*n) * factor).round() as u32))
        .collect();
    let levels = BTreeMap::from([(None, rows)]);
    let mut s = fitted
        .with_on_duty(&levels, "agent activity")
        .map_err(Failure::Input)?;
    s.replications = REPLICATIONS;
    Ok(s)
}

/// Mean wait of answered calls over every channel, weighted by the calls answered.
fn pooled_wait(results: &Results) -> f64 {
    let (mut answered, mut waited) = (0.0, 0.0);
    for (_, kpis) in &results.channels {
        let n = get(kpis, "answered").map_or(0.0, |e| e.mean);
        let w = get(kpis, "mean_wait_s").map_or(f64::NAN, |e| e.mean);
        if n > 0.0 && w.is_finite() {
            answered += n;
            waited += n * w;
        }
    }
    waited / answered.max(1.0)
}
