//! From tallies to KPIs, and from replications to means with confidence intervals.
//!
//! Each replication's [`Tally`] becomes a list of named KPI values; across replications each
//! KPI is summarised as a mean with a 95% Student-t confidence interval. A KPI that is
//! undefined in a replication (a mean wait with no answered calls) is NaN there and is left
//! out of that KPI's summary; a summary with fewer than two values has no interval.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::record::{ChannelTally, Micros, Tally};
use crate::scenario::Scenario;

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

fn channel_kpis(t: &ChannelTally, triaged: bool, observed_s: f64) -> Kpis<f64> {
    let q = |h: &crate::histogram::Histogram, p| h.quantile_s(p).unwrap_or(f64::NAN);
    let mut k = vec![
        ("offered", t.offered as f64),
        ("answered", t.answered as f64),
        ("abandoned", t.abandoned as f64),
        ("abandonment_rate", ratio(t.abandoned, t.offered)),
        ("service_level", ratio(t.within_target, t.offered)),
        ("mean_wait_s", mean(t.first_wait_sum, t.first_answered)),
        ("p50_wait_s", q(&t.first_wait, 0.50)),
        ("p90_wait_s", q(&t.first_wait, 0.90)),
        ("p95_wait_s", q(&t.first_wait, 0.95)),
        ("p99_wait_s", q(&t.first_wait, 0.99)),
        ("p_wait", ratio(t.waited, t.offered)),
        ("asa_s", mean(t.queue_time_sum, t.offered)),
        ("mean_queue_len", t.queue_area.secs() / observed_s),
        ("first_answered", t.first_answered as f64),
        ("in_system", t.in_system as f64),
    ];
    if triaged {
        k.extend([
            ("intercepted", t.intercepted as f64),
            ("resolved_at_triage", t.resolved_at_triage as f64),
            ("forwarded", t.forwarded as f64),
            ("escalated", t.escalated as f64),
            ("abandoned_after_triage", t.abandoned_after_triage as f64),
            ("mean_handler_wait_s", mean(t.handler_wait_sum, t.answered)),
            ("p50_handler_wait_s", q(&t.handler_wait, 0.50)),
            ("p90_handler_wait_s", q(&t.handler_wait, 0.90)),
            ("p95_handler_wait_s", q(&t.handler_wait, 0.95)),
            ("p99_handler_wait_s", q(&t.handler_wait, 0.99)),
        ]);
    }
    k
}

/// Turns one replication's tally into KPIs.
pub fn replication_kpis(s: &Scenario, tally: &Tally) -> ReplicationKpis {
    let observed_s = s.observed_s();
    let channels = tally
        .channels
        .iter()
        .enumerate()
        .map(|(i, t)| channel_kpis(t, s.is_triaged(i), observed_s))
        .collect();
    let handlers = vec![
        (
            "occupancy",
            tally.handlers_busy.area.secs() / (f64::from(s.handlers.count) * observed_s),
        ),
        ("mean_busy", tally.handlers_busy.area.secs() / observed_s),
    ];
    let triage = s.triage.as_ref().map(|tr| {
        let sum = |f: fn(&ChannelTally) -> u64| {
            tr.channels
                .iter()
                .map(|&i| f(&tally.channels[i]))
                .sum::<u64>()
        };
        let offered = sum(|c| c.offered);
        let intercepted = sum(|c| c.intercepted);
        vec![
            (
                "occupancy",
                tally.officers_busy.area.secs() / (f64::from(tr.officers) * observed_s),
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
        ]
    });
    ReplicationKpis {
        channels,
        handlers,
        triage,
        events: tally.events,
    }
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
            (*name, Estimate::from_samples(&xs))
        })
        .collect()
}

/// Looks up a KPI by name.
pub fn get<T: Copy>(kpis: &Kpis<T>, name: &str) -> Option<T> {
    kpis.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
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
