//! Judging a staffing candidate against the targets: per channel and per replication (on
//! each target's clock, in every interval when asked), with the risk of missing and, when even
//! the largest candidate misses, what it still misses.

use super::staffing::{Candidate, ChannelCheck, IntervalKind, wilson};
use crate::scenario::{Scenario, Target};
use crate::stats::{Estimate, Results, get};

/// Whether one value meets a floor (an undefined value, with no callers, is no miss).
fn at_least(x: f64, floor: f64) -> bool {
    x.is_nan() || x >= floor
}

/// Whether channel `c` met `target` in each replication (in every interval of `every` too).
fn met_in_each_replication(
    results: &Results,
    c: usize,
    target: Target,
    every: Option<IntervalKind>,
) -> Vec<bool> {
    results
        .per_replication
        .iter()
        .map(|rep| {
            let sl = get(&rep.channels[c], target.clock.service_level_kpi()).unwrap_or(f64::NAN);
            let ab = get(&rep.channels[c], "abandonment_rate").unwrap_or(f64::NAN);
            let mut met = at_least(sl, target.fraction)
                && target.max_abandonment.is_none_or(|m| at_least(m, ab));
            if let Some(kind) = every {
                let cells = match kind {
                    IntervalKind::HourOfWeek => &rep.intervals.hour_of_week.channels[c],
                    IntervalKind::Week => &rep.intervals.week.channels[c],
                };
                met &= cells.iter().all(|k| {
                    at_least(
                        get(k, target.clock.service_level_kpi()).unwrap_or(f64::NAN),
                        target.fraction,
                    )
                });
            }
            met
        })
        .collect()
}

/// Channel `c`'s lowest mean service level among the intervals of `kind`, with its label.
fn worst_interval(results: &Results, c: usize, kind: IntervalKind) -> Option<(String, Estimate)> {
    let kpi = results.target_kpis[c];
    let (series, labels) = match kind {
        IntervalKind::HourOfWeek => (
            &results.intervals.hour_of_week,
            &results.interval_labels.hour_of_week,
        ),
        IntervalKind::Week => (&results.intervals.week, &results.interval_labels.week),
    };
    series.channels[c]
        .iter()
        .zip(labels)
        .filter_map(|(k, label)| {
            get(k, kpi)
                .filter(|e| e.mean.is_finite())
                .map(|e| (label.clone(), e))
        })
        .min_by(|a, b| a.1.mean.total_cmp(&b.1.mean))
}

pub(super) fn assess(
    s: &Scenario,
    added: i32,
    base: u32,
    counted: &[usize],
    every: Option<IntervalKind>,
    results: &Results,
) -> Candidate {
    let reps = &results.per_replication;
    let mut all_met_by_rep = vec![true; reps.len()];
    let mut channels = Vec::new();
    for &c in counted {
        let target = s.channels[c].target;
        let met_by_rep = met_in_each_replication(results, c, target, every);
        let misses = met_by_rep.iter().filter(|m| !**m).count();
        for (all, met) in all_met_by_rep.iter_mut().zip(&met_by_rep) {
            *all &= met;
        }
        let kpis = &results.channels[c].1;
        let worst_interval = every.and_then(|kind| worst_interval(results, c, kind));
        let service_level =
            get(kpis, target.clock.service_level_kpi()).unwrap_or(Estimate::from_samples(&[]));
        let abandonment_rate = get(kpis, "abandonment_rate").unwrap_or(Estimate::from_samples(&[]));
        channels.push(ChannelCheck {
            channel: s.channels[c].name.clone(),
            service_level,
            service_level_kpi: target.clock.service_level_kpi(),
            target: target.fraction,
            met: at_least(service_level.mean, target.fraction)
                && target
                    .max_abandonment
                    .is_none_or(|m| at_least(m, abandonment_rate.mean)),
            risk_of_missing: misses as f64 / reps.len().max(1) as f64,
            abandonment_rate,
            max_abandonment: target.max_abandonment,
            worst_interval,
        });
    }
    let occupancy = get(&results.handlers, "occupancy").unwrap_or(Estimate::from_samples(&[]));
    if let Some(cap) = s.handlers.max_occupancy {
        for (met, rep) in all_met_by_rep.iter_mut().zip(reps) {
            *met &= at_least(cap, get(&rep.handlers, "occupancy").unwrap_or(f64::NAN));
        }
    }
    let met = channels.iter().all(|c| {
        at_least(c.service_level.mean, c.target)
            && c.max_abandonment
                .is_none_or(|m| at_least(m, c.abandonment_rate.mean))
            && c.worst_interval
                .as_ref()
                .is_none_or(|(_, e)| at_least(e.mean, c.target))
    }) && s
        .handlers
        .max_occupancy
        .is_none_or(|cap| at_least(cap, occupancy.mean));
    let k = all_met_by_rep.iter().filter(|m| **m).count();
    Candidate {
        handlers: (i64::from(base) + i64::from(added)).max(0) as u32,
        added,
        met,
        p_met: k as f64 / reps.len().max(1) as f64,
        p_met_ci: wilson(k, reps.len()),
        replications: reps.len() as u32,
        resolved: true,
        occupancy,
        channels,
    }
}

/// What a candidate still misses, for the error when even the largest one does: e.g.
/// "; with 647 handlers chat is at 61.1% (target 80%)". Adding handlers cannot help a channel
/// whose first answer is a triage queue, or one no group serves at some hours.
pub(super) fn missed(c: &Candidate) -> String {
    let misses: Vec<String> = c
        .channels
        .iter()
        .filter_map(|k| {
            let sl = k.service_level.mean;
            let abandon = k.abandonment_rate.mean;
            if sl.is_nan() || sl < k.target {
                Some(format!(
                    "{} is at {:.1}% (target {:.0}%)",
                    k.channel,
                    100.0 * sl,
                    100.0 * k.target
                ))
            } else {
                k.max_abandonment.filter(|m| abandon > *m).map(|m| {
                    format!(
                        "{} abandons {:.1}% (at most {:.0}%)",
                        k.channel,
                        100.0 * abandon,
                        100.0 * m
                    )
                })
            }
        })
        .collect();
    if misses.is_empty() {
        String::new()
    } else {
        format!("; with {} handlers {}", c.handlers, misses.join(", "))
    }
}
