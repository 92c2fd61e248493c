//! Two simple recruitment plans to set a planned one against, as planners do on spreadsheets:
//! **the gap now** (one intake on the first allowed day, the smallest that meets every month
//! training can reach) and **replacing leavers** (on each allowed day an intake of the heads
//! attrition is expected to have taken since the last).

use serde::Serialize;

use super::hire::{HireOptions, Intake, allowed_intake_days, month_starts, months_met};
use super::hire_cost::{PlanCost, cost_of};
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
    /// What its recruits cost, when costs are given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<PlanCost>,
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
            cost: opts.costs.map(|c| cost_of(s, &intakes, c)),
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
    let months = reachable.len();
    let allowed = allowed_intake_days(opts, &month_starts(s, months));
    let first = allowed.first().copied().unwrap_or(0);
    // The gap now: bisection on one intake on the first allowed day, up to twice the planned total.
    let now = |count: u32| {
        vec![Intake {
            start_date: date(first),
            start_day: first,
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
    let leavers = replacing_leavers(s, &allowed, &date);
    let replaced = run(&leavers);
    vec![gap_now, judge("replace_leavers", leavers, &replaced)]
}

/// On each allowed day, an intake of the leavers expected from then (from the run's
/// start, for the first) to the next allowed day or the run's end; fractions carried over.
fn replacing_leavers(s: &Scenario, allowed: &[i64], date: &dyn Fn(i64) -> String) -> Vec<Intake> {
    let end = s.horizon.as_secs() / crate::time::DAY_S;
    let mut carry = 0.0;
    let mut leavers = Vec::new();
    for (k, &day) in allowed.iter().enumerate() {
        let from = if k == 0 { 0.0 } else { day as f64 };
        let to = allowed.get(k + 1).map_or(end, |&d| d as f64).min(end);
        carry += super::hire::expected_leavers(s, from, to);
        let count = carry.floor() as u32;
        carry -= f64::from(count);
        if count > 0 {
            leavers.push(Intake {
                start_date: date(day),
                start_day: day,
                count,
            });
        }
    }
    leavers
}
