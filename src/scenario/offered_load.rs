//! Long-run offered load: how much handler and officer time the demand needs.
//!
//! Used to refuse scenarios whose infinitely patient demand exceeds capacity (the queue would
//! grow without bound and exhaust memory) and by `check` to show what a scenario implies.

use crate::erlang::erlang_b;

use super::{Scenario, Triage, TriagePolicy};
use crate::time::{DAY_S, per_second};

/// The offered load of a scenario, in Erlangs (busy servers needed on average).
#[derive(Clone, Debug, PartialEq)]
pub struct Load {
    /// Per channel (same order as `Scenario::channels`): handler Erlangs after triage.
    pub handler_erlangs: Vec<f64>,
    /// Per channel: the share of its calls expected to reach the handler queue.
    pub forward_share: Vec<f64>,
    /// Officer Erlangs demanded by triaged channels (before any loss at a busy team).
    pub triage_erlangs: f64,
    /// Share of triaged calls intercepted by an officer (Erlang B for `when_free`; 1 for `queue`).
    pub intercept_share: f64,
}

/// Computes the long-run offered load of `scenario` (first-year mean rates; redials and
/// growth left out).
///
/// With the `when_free` policy a triage team is a loss system, so the share of calls it
/// intercepts is exactly 1 − Erlang B(officers, load) for Poisson arrivals, whatever the
/// distribution of triage times.
pub fn offered_load(scenario: &Scenario) -> Load {
    let triage_erlangs = scenario.triage.as_ref().map_or(0.0, |t| {
        t.channels
            .iter()
            .map(|&i| per_second(scenario.channels[i].rate_per_hour))
            .sum::<f64>()
            * t.mean_handle_s()
    });
    let intercept_share = match &scenario.triage {
        Some(t) if t.policy == TriagePolicy::WhenFree => {
            triage_open_share(scenario, t) * (1.0 - erlang_b(t.officers_for_load(), triage_erlangs))
        }
        Some(t) => triage_open_share(scenario, t),
        None => 1.0,
    };
    let resolve = scenario.triage.as_ref().map_or(0.0, |t| t.ends_at_triage());
    let forward_share: Vec<f64> = (0..scenario.channels.len())
        .map(|i| {
            if scenario.is_triaged(i) {
                1.0 - intercept_share * resolve
            } else {
                1.0
            }
        })
        .collect();
    // Arrivals per hour including bursts and the call-backs that drops create.
    let mut rates: Vec<f64> = scenario
        .channels
        .iter()
        .map(|c| {
            let bursts = c.bursts.as_ref().map_or(0.0, |b| {
                b.per_week / 168.0 * f64::from(b.calls.0 + b.calls.1) / 2.0
            });
            c.rate_per_hour + bursts
        })
        .collect();
    for (i, c) in scenario.channels.iter().enumerate() {
        if let Some(d) = &c.drops {
            rates[d.callback_channel] += rates[i] * d.fraction;
            rates[i] *= 1.0 - d.fraction;
        }
    }
    let handler_erlangs = scenario
        .channels
        .iter()
        .zip(&forward_share)
        .zip(&rates)
        .map(|((c, share), rate)| {
            per_second(*rate) * c.handle_time.mean_s() * share / f64::from(c.concurrency)
        })
        .collect();
    Load {
        handler_erlangs,
        forward_share,
        triage_erlangs,
        intercept_share,
    }
}

/// The share of triaged demand that arrives while an officer is on duty: each minute of the
/// day is covered with probability 1 − Π shrinkage^officers over the shifts covering it (a
/// shift whose every officer is absent leaves its hours uncovered), weighted by the triaged
/// channels' demand by hour of the week. Outside the team's hours calls go straight to the
/// handlers, so `check` must not count them as intercepted.
fn triage_open_share(s: &Scenario, t: &Triage) -> f64 {
    let shifts: Vec<(f64, f64, u32)> = if t.shifts.is_empty() {
        match t.hours {
            None => return 1.0, // Always open.
            Some((open, close)) => {
                let (o, c) = (open.as_secs(), close.as_secs());
                let length = (c - o).rem_euclid(DAY_S);
                vec![(o, if length == 0.0 { DAY_S } else { length }, t.officers)]
            }
        }
    } else {
        t.shifts
            .iter()
            .map(|sh| (sh.start.as_secs(), sh.length.as_secs(), sh.officers))
            .collect()
    };
    // Coverage of each hour of the day, minute by minute.
    let covered: Vec<f64> = (0..24)
        .map(|hour| {
            (0..60)
                .map(|minute| {
                    let at = f64::from(hour * 3600 + minute * 60) + 30.0;
                    let nobody: f64 = shifts
                        .iter()
                        .filter(|(start, length, _)| (at - start).rem_euclid(DAY_S) < *length)
                        .map(|(_, _, n)| t.shrinkage.powi(*n as i32))
                        .product();
                    1.0 - nobody
                })
                .sum::<f64>()
                / 60.0
        })
        .collect();
    let (mut weighted, mut total) = (0.0, 0.0);
    for &c in &t.channels {
        let ch = &s.channels[c];
        let weights = &ch.demand.hour_of_week;
        for (h, w) in weights.iter().enumerate() {
            let w = w * ch.rate_per_hour;
            weighted += w * covered[h % 24];
            total += w;
        }
    }
    if total > 0.0 { weighted / total } else { 1.0 }
}

/// The infinitely patient handler load per channel (Erlangs), channels without any left out:
/// channels without patience (deferred work), and the share `accept` of a channel whose callers
/// accept call-backs (once queues are long every caller is offered one). If it reaches the
/// long-run staffed level, queues grow without bound.
pub fn patient_demand(s: &Scenario, load: &Load) -> Vec<(usize, f64)> {
    s.channels
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let share = match (&c.patience, &c.callback) {
                (None, _) => 1.0,
                (Some(_), Some(offer)) => offer.accept,
                (Some(_), None) => 0.0,
            };
            (i, share * load.handler_erlangs[i])
        })
        .filter(|(_, e)| *e > 0.0)
        .collect()
}

/// Where attrition runs the rota below its patient demand: the first day on which the
/// expected mean number on the phones ([`Handlers::mean_staffed_on_day`]) is no more than the
/// pooled infinitely patient load, with the staffing then and at the end of the run.
#[derive(Clone, Debug, PartialEq)]
pub struct AttritionShortfall {
    /// Days into the run when staffing first falls to the patient load.
    pub from_day: f64,
    /// Expected mean on the phones on that day.
    pub staffed_then: f64,
    /// Expected mean on the phones when the run ends.
    pub staffed_at_end: f64,
    /// The pooled infinitely patient load in Erlangs.
    pub patient_erlangs: f64,
}

/// Whether attrition (net of the scenario's hires) leaves fewer on the phones than its
/// infinitely patient demand needs before the run ends: from then the queues grow without
/// bound. `None` without attrition (validation has checked the start).
///
/// [`Handlers::mean_staffed_on_day`]: super::Handlers::mean_staffed_on_day
pub fn attrition_shortfall(s: &Scenario, load: &Load) -> Option<AttritionShortfall> {
    if !s.handlers.has_attrition() || s.handlers.is_pool() {
        return None;
    }
    let need: f64 = patient_demand(s, load).iter().map(|(_, e)| e).sum();
    if need <= 0.0 {
        return None;
    }
    let days = s.horizon.as_secs() / crate::time::DAY_S;
    let from_day = (0..=days.ceil() as usize)
        .map(|d| (d as f64).min(days))
        .find(|&d| s.handlers.mean_staffed_on_day(d) <= need)?;
    Some(AttritionShortfall {
        from_day,
        staffed_then: s.handlers.mean_staffed_on_day(from_day),
        staffed_at_end: s.handlers.mean_staffed_on_day(days),
        patient_erlangs: need,
    })
}
