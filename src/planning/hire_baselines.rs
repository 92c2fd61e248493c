//! Two simple recruitment plans to set a planned one against, as planners do on spreadsheets:
//! **the gap now** (one intake on the run's first day, the smallest that meets every month
//! training can reach) and **replacing leavers** (each month an intake of the heads attrition
//! is expected to take that month).

use serde::Serialize;

use super::hire::{HireOptions, Intake, month_starts, months_met};
use crate::scenario::Scenario;
use crate::stats::Results;

/// A simple plan and how it does.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Baseline {
    /// `gap_now` or `replace_leavers`.
    pub name: &'static str,
    /// Its intakes.
    pub intakes: Vec<Intake>,
    /// Recruits in all.
    pub recruits_total: u32,
    /// Months meeting every counted target, of those training can reach.
    pub months_met: usize,
    /// Months training can reach.
    pub months_reachable: usize,
}

/// The two baselines for `s`; `reachable` marks the months training can reach; `run`
/// simulates the scenario with a list of intakes.
pub fn baselines(
    s: &Scenario,
    opts: &HireOptions,
    planned: &[Intake],
    reachable: &[bool],
    run: &mut dyn FnMut(&[Intake]) -> Results,
) -> Vec<Baseline> {
    let date = |day: i64| {
        s.start_date
            .checked_add(jiff::Span::new().days(day))
            .map_or_else(|_| format!("day {day}"), |d| d.to_string())
    };
    let judge = |name, intakes: Vec<Intake>, r: &Results| {
        let met = months_met(s, r, opts);
        Baseline {
            name,
            recruits_total: intakes.iter().map(|i| i.count).sum(),
            intakes,
            months_met: met
                .iter()
                .zip(reachable)
                .filter(|((m, _), r)| *m && **r)
                .count(),
            months_reachable: reachable.iter().filter(|r| **r).count(),
        }
    };
    let all_met = |r: &Results| {
        months_met(s, r, opts)
            .iter()
            .zip(reachable)
            .all(|((m, _), r)| *m || !*r)
    };
    // The gap now: bisection on one first-day intake, up to twice the planned total.
    let now = |count: u32| {
        vec![Intake {
            start_date: date(0),
            start_day: 0,
            count,
        }]
    };
    let planned_total: u32 = planned.iter().map(|i| i.count).sum();
    let (mut lo, mut hi) = (0u32, (2 * planned_total).max(1));
    let mut best = run(&now(hi));
    if all_met(&best) {
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let r = run(&now(mid));
            if all_met(&r) {
                (hi, best) = (mid, r);
            } else {
                lo = mid + 1;
            }
        }
    }
    let gap_now = judge("gap_now", now(hi), &best);
    // Replacing leavers: each month, the expected leavers of the rota (fractions carried over).
    let months = reachable.len();
    let monthly_leave = 1.0 - (-s.handlers.attrition_per_year / 12.0).exp();
    let heads = f64::from(s.handlers.roster_size());
    let mut carry = 0.0;
    let mut leavers = Vec::new();
    for &day in &month_starts(s, months) {
        carry += heads * monthly_leave;
        let count = carry.floor() as u32;
        carry -= f64::from(count);
        if count > 0 && day >= 0 {
            leavers.push(Intake {
                start_date: date(day),
                start_day: day,
                count,
            });
        }
    }
    let replaced = run(&leavers);
    vec![gap_now, judge("replace_leavers", leavers, &replaced)]
}
