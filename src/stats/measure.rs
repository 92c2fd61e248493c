//! From tallies to KPIs, and from replications to means with confidence intervals.
//!
//! Each replication's [`Tally`] becomes a list of named KPI values; across replications each
//! KPI is summarised as a mean with a 95% Student-t confidence interval. A KPI that is
//! undefined in a replication (a mean wait with no answered calls) is NaN there and is left
//! out of that KPI's summary; a summary with fewer than two values has no interval.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

use super::intervals::{IntervalKpis, interval_kpis};
use super::kpi::Unit;
use crate::scenario::{Scenario, Triage};
use crate::sim::histogram::Histogram;
use crate::sim::tally::{Cell, ChannelTally, Micros, Tally};
use crate::time::{DAY_S, SECS_PER_HOUR, micros_to_secs};

/// Confidence level of every interval triage-sim reports.
pub const CONFIDENCE: f64 = 0.95;

/// A KPI across replications: mean and 95% confidence interval (NaN when undefined).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Estimate {
    /// Mean over the replications where the KPI is defined.
    pub mean: f64,
    /// Lower end of the 95% Student-t interval.
    pub ci_low: f64,
    /// Upper end of the 95% Student-t interval.
    pub ci_high: f64,
}

impl Estimate {
    /// Half the interval's width (NaN without an interval).
    pub fn half_width(&self) -> f64 {
        (self.ci_high - self.ci_low) / 2.0
    }

    /// Mean and Student-t interval of the finite values in `samples`.
    pub fn from_samples(samples: &[f64]) -> Estimate {
        let xs: Vec<f64> = samples.iter().copied().filter(|x| x.is_finite()).collect();
        let n = xs.len();
        if n == 0 {
            return Estimate {
                mean: f64::NAN,
                ci_low: f64::NAN,
                ci_high: f64::NAN,
            };
        }
        let mean = xs.iter().sum::<f64>() / n as f64;
        if n < 2 {
            return Estimate {
                mean,
                ci_low: f64::NAN,
                ci_high: f64::NAN,
            };
        }
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let half = t_quantile(n - 1) * (var / n as f64).sqrt();
        Estimate {
            mean,
            ci_low: mean - half,
            ci_high: mean + half,
        }
    }
}

impl Estimate {
    /// The interval cut to the values the quantity can take (`[lo, hi]`): a share's interval
    /// within [0, 1], a count's or a time's above 0. Cutting never drops a possible value, so
    /// the interval's coverage of the truth is unchanged.
    pub fn within(self, lo: f64, hi: f64) -> Estimate {
        Estimate {
            mean: self.mean,
            ci_low: self.ci_low.clamp(lo, hi),
            ci_high: self.ci_high.clamp(lo, hi),
        }
    }
}

/// The values a KPI of `unit` can take.
fn possible(unit: Unit) -> (f64, f64) {
    match unit {
        Unit::Share => (0.0, 1.0),
        Unit::Seconds | Unit::Hours | Unit::Count | Unit::Level => (0.0, f64::INFINITY),
    }
}

/// The two-sided 95% Student-t critical value with `df` degrees of freedom.
pub fn t_quantile(df: usize) -> f64 {
    StudentsT::new(0.0, 1.0, df as f64)
        .map(|t| t.inverse_cdf(1.0 - (1.0 - CONFIDENCE) / 2.0))
        .unwrap_or(f64::NAN)
}

/// Named KPI values of one replication (or their estimates across replications).
pub type Kpis<T> = Vec<(&'static str, T)>;

/// The KPIs of one replication, grouped as they are reported.
#[derive(Clone, Debug)]
pub struct ReplicationKpis {
    /// Per channel, in scenario order.
    pub channels: Vec<Kpis<f64>>,
    /// The call-handler pool.
    pub handlers: Kpis<f64>,
    /// The triage team, if the scenario has one.
    pub triage: Option<Kpis<f64>>,
    /// Per-interval KPIs.
    pub intervals: IntervalKpis<f64>,
    /// Per channel: the wait until first answer at quantiles 1%, 2%, …, 100% (seconds).
    pub wait_quantiles: Vec<Vec<f64>>,
    /// Events the engine processed.
    pub events: u64,
}

fn ratio(num: u64, den: u64) -> f64 {
    if den == 0 {
        f64::NAN
    } else {
        num as f64 / den as f64
    }
}

fn mean(sum: Micros, n: u64) -> f64 {
    if n == 0 {
        f64::NAN
    } else {
        sum.secs() / n as f64
    }
}

fn area_ratio(num: u128, den: u128) -> f64 {
    if den == 0 {
        f64::NAN
    } else {
        num as f64 / den as f64
    }
}

/// Which optional KPIs a channel reports: those of every part of the run (a dated change may
/// add triage, a call-back offer, drops or a transfer leg).
#[derive(Clone, Copy, Debug)]
pub(super) struct Reported {
    drops: bool,
    transfer: bool,
    callback: bool,
    triaged: bool,
    redirect: bool,
    ivr: bool,
}

pub(super) fn reported(s: &Scenario, i: usize) -> Reported {
    Reported {
        drops: s.in_any_part(|p| p.channels[i].drops.is_some()),
        transfer: s.in_any_part(|p| p.channels[i].transfer.is_some()),
        callback: s.in_any_part(|p| p.channels[i].callback.is_some()),
        triaged: s.in_any_part(|p| p.is_triaged(i)),
        ivr: s.in_any_part(|p| p.channels[i].ivr.is_some()),
        redirect: s.in_any_part(|p| {
            p.is_triaged(i) && p.triage.as_ref().is_some_and(|t| t.redirect_fraction > 0.0)
        }),
    }
}

/// The KPIs every cell has (whole run or one interval).
fn cell_kpis(c: &Cell) -> Kpis<f64> {
    // Rates are over the contacts that could be answered: calls that dropped at once never
    // waited, so they are neither answered in time nor late.
    let answerable = c.offered - c.dropped;
    vec![
        ("offered", c.offered as f64),
        ("answered", c.answered as f64),
        ("abandoned", c.abandoned as f64),
        ("abandonment_rate", ratio(c.abandoned, answerable)),
        ("service_level", ratio(c.within_target, answerable)),
        ("mean_wait_s", mean(c.first_wait_sum, c.first_answered)),
        ("p_wait", ratio(c.waited, answerable)),
        ("asa_s", mean(c.queue_time_sum, answerable)),
    ]
}

fn channel_kpis(r: Reported, t: &ChannelTally, observed_s: f64) -> Kpis<f64> {
    let q = |h: &Histogram, p| h.quantile_s(p).unwrap_or(f64::NAN);
    let c = &t.all;
    let mut k = cell_kpis(c);
    k.splice(
        6..6,
        [
            ("p50_wait_s", q(&t.first_wait, 0.50)),
            ("p90_wait_s", q(&t.first_wait, 0.90)),
            ("p95_wait_s", q(&t.first_wait, 0.95)),
            ("p99_wait_s", q(&t.first_wait, 0.99)),
        ],
    );
    k.extend([
        ("mean_queue_len", t.queue_area.secs() / observed_s),
        ("max_queue_len", t.max_queue_len as f64),
        ("first_answered", c.first_answered as f64),
        ("in_system", t.in_system as f64),
        ("first_attempts", t.first_attempts as f64),
        ("redials", t.redials as f64),
        ("unique_callers", t.first_attempts as f64),
    ]);
    if r.drops {
        k.push(("dropped", t.dropped as f64));
    }
    if r.transfer {
        k.extend(national_kpis(c));
        k.push(("national_p90_wait_s", q(&t.national_wait, 0.90)));
    }
    if r.triaged {
        k.extend([
            ("intercepted", t.intercepted as f64),
            ("resolved_at_triage", t.resolved_at_triage as f64),
            ("forwarded", t.forwarded as f64),
            ("escalated", t.escalated as f64),
            ("abandoned_after_triage", t.abandoned_after_triage as f64),
            ("mean_handler_wait_s", mean(c.handler_wait_sum, c.answered)),
            ("p50_handler_wait_s", q(&t.handler_wait, 0.50)),
            ("p90_handler_wait_s", q(&t.handler_wait, 0.90)),
            ("p95_handler_wait_s", q(&t.handler_wait, 0.95)),
            ("p99_handler_wait_s", q(&t.handler_wait, 0.99)),
        ]);
    }
    if r.redirect {
        k.push(("redirected_at_triage", t.redirected_at_triage as f64));
    }
    if r.ivr {
        k.extend([
            ("ivr_calls", t.ivr_calls as f64),
            ("ivr_abandoned", t.ivr_abandoned as f64),
            ("ivr_self_served", t.ivr_self_served as f64),
        ]);
    }
    if r.callback {
        k.extend([
            ("callbacks_offered", t.callbacks_offered as f64),
            ("callbacks_accepted", t.callbacks_accepted as f64),
            ("callbacks_completed", t.callbacks_completed as f64),
            ("callbacks_failed", t.callbacks_failed as f64),
            (
                "mean_callback_time_s",
                mean(t.callback_time_sum, t.callbacks_completed),
            ),
        ]);
    }
    k.push((
        "waited_over_15min_rate",
        ratio(c.waited_long, c.offered - c.dropped),
    ));
    k
}

pub(super) fn level_kpis(on_duty: u128, busy: u128, seconds: f64) -> Kpis<f64> {
    let per_s = |area: u128| {
        if seconds > 0.0 {
            micros_to_secs(area) / seconds
        } else {
            f64::NAN
        }
    };
    vec![
        ("mean_staffed", per_s(on_duty)),
        ("mean_busy", per_s(busy)),
        ("occupancy", area_ratio(busy, on_duty)),
    ]
}

/// The KPIs of one interval cell of channel `ch`: the cell KPIs every channel has, then the
/// published bases — the share waiting over 15 minutes, the wait to a call handler (triaged
/// channels) and the national clock (channels with a transfer leg).
pub(super) fn interval_cell_kpis(r: Reported, c: &Cell) -> Kpis<f64> {
    let mut k = cell_kpis(c);
    k.push((
        "waited_over_15min_rate",
        ratio(c.waited_long, c.offered - c.dropped),
    ));
    if r.triaged {
        k.push(("mean_handler_wait_s", mean(c.handler_wait_sum, c.answered)));
    }
    if r.transfer {
        k.extend(national_kpis(c));
    }
    k
}

/// The Home Office clock (transfer leg included): service level and mean wait.
fn national_kpis(c: &Cell) -> [(&'static str, f64); 2] {
    [
        (
            "national_service_level",
            ratio(c.national_within_target, c.offered - c.dropped),
        ),
        (
            "national_mean_wait_s",
            mean(c.national_wait_sum, c.first_answered),
        ),
    ]
}

/// The KPI names the channels of `s` report, in order and without repeats (which depend on
/// drops, transfer legs and triage), known before anything is simulated.
pub fn channel_kpi_names(s: &Scenario) -> Vec<&'static str> {
    let days = (s.horizon.as_secs() / DAY_S).ceil() as usize + 2;
    let calendar = crate::calendar::Calendar::new(s.start_date, days);
    let empty = Tally::new(
        s.channels.len(),
        (s.warmup, s.horizon),
        calendar,
        s.day_intervals,
    );
    let mut names: Vec<&'static str> = Vec::new();
    for kpis in replication_kpis(s, &empty).channels {
        for (name, _) in kpis {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

/// Turns one replication's tally into KPIs.
pub fn replication_kpis(s: &Scenario, tally: &Tally) -> ReplicationKpis {
    let observed_s = s.observed_s();
    let channels = tally
        .channels
        .iter()
        .enumerate()
        .map(|(i, t)| channel_kpis(reported(s, i), t, observed_s))
        .collect();
    let (on, busy) = (&tally.handlers_on_duty, &tally.handlers_busy);
    let mut handlers = level_kpis(on.area.0, busy.area.0, observed_s);
    handlers.extend([
        ("overtime_h", tally.overtime.secs() / SECS_PER_HOUR),
        (
            "max_chats_per_handler",
            f64::from(tally.max_chats_per_handler),
        ),
    ]);
    let pulled = s.in_any_part(|p| p.triage.as_ref().is_some_and(|t| t.pulled_to.is_some()));
    let redirect = s.in_any_part(|p| p.triage.as_ref().is_some_and(|t| t.redirect_fraction > 0.0));
    let triage = s
        .triage
        .as_ref()
        .or_else(|| s.changes.iter().find_map(|c| c.scenario.triage.as_ref()))
        .map(|tr| triage_kpis(tr, tally, observed_s, (pulled, redirect)));
    let intervals = interval_kpis(s, tally);
    let wait_quantiles = tally
        .channels
        .iter()
        .map(|t| {
            (1..=100)
                .map(|q| {
                    t.first_wait
                        .quantile_s(f64::from(q) / 100.0)
                        .unwrap_or(f64::NAN)
                })
                .collect()
        })
        .collect();
    ReplicationKpis {
        channels,
        handlers,
        triage,
        intervals,
        wait_quantiles,
        events: tally.events,
    }
}

/// The triage team's KPIs, over the channels it triages.
/// `extras`: whether any part of the run pulls officers, and whether any redirects calls.
fn triage_kpis(
    tr: &Triage,
    tally: &Tally,
    observed_s: f64,
    (pulled, redirect): (bool, bool),
) -> Kpis<f64> {
    let sum = |f: fn(&ChannelTally) -> u64| {
        tr.channels
            .iter()
            .map(|&i| f(&tally.channels[i]))
            .sum::<u64>()
    };
    let offered = sum(|c| c.all.offered);
    let intercepted = sum(|c| c.intercepted);
    let mut k = vec![
        (
            "occupancy",
            area_ratio(tally.officers_busy.area.0, tally.officers_on_duty.area.0),
        ),
        (
            "mean_staffed",
            micros_to_secs(tally.officers_on_duty.area.0) / observed_s,
        ),
        ("offered", offered as f64),
        ("intercepted", intercepted as f64),
        ("intercept_rate", ratio(intercepted, offered)),
        ("resolved_at_triage", sum(|c| c.resolved_at_triage) as f64),
        ("forwarded", sum(|c| c.forwarded) as f64),
        ("escalated", sum(|c| c.escalated) as f64),
        (
            "resolved_rate",
            ratio(sum(|c| c.resolved_at_triage), offered),
        ),
    ];
    if redirect {
        k.push((
            "redirected_at_triage",
            sum(|c| c.redirected_at_triage) as f64,
        ));
    }
    if pulled {
        k.push(("pulled_calls", tally.officers_pulled as f64));
    }
    k
}

/// Summarises the same KPI list across replications.
pub fn summarise(per_rep: &[&Kpis<f64>]) -> Kpis<Estimate> {
    let Some(first) = per_rep.first() else {
        return Vec::new();
    };
    first
        .iter()
        .enumerate()
        .map(|(j, (name, _))| {
            let xs: Vec<f64> = per_rep.iter().map(|k| k[j].1).collect();
            let (lo, hi) = possible(super::kpi::unit_of(name));
            (*name, Estimate::from_samples(&xs).within(lo, hi))
        })
        .collect()
}

/// Looks up a KPI by name.
pub fn get<T: Copy>(kpis: &Kpis<T>, name: &str) -> Option<T> {
    kpis.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

/// A channel's callers by where they ended up: answered by a handler, abandoned, resolved at
/// triage, still in the system (awaiting a call-back included), dropped at once, or never
/// reached by the call-back they accepted. Conservation: this equals `offered`.
pub fn accounted_for(channel: &Kpis<f64>) -> f64 {
    [
        "answered",
        "abandoned",
        "resolved_at_triage",
        "redirected_at_triage",
        "in_system",
        "dropped",
        "callbacks_failed",
    ]
    .iter()
    .map(|name| get(channel, name).unwrap_or(0.0))
    .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn student_t_interval_of_a_known_sample() {
        // mean 3, sd √2.5, n 5, t(4) = 2.776445
        let e = Estimate::from_samples(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(e.mean, 3.0);
        let half = 2.776_445_105 * (2.5f64 / 5.0).sqrt();
        assert!((e.half_width() - half).abs() < 1e-6);
    }

    #[test]
    fn undefined_values_are_left_out() {
        let e = Estimate::from_samples(&[f64::NAN, 4.0]);
        assert_eq!(e.mean, 4.0);
        assert!(e.ci_low.is_nan());
        assert!(Estimate::from_samples(&[f64::NAN]).mean.is_nan());
    }
}
