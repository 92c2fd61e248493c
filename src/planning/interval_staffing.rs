//! Interval staffing: handlers needed in each hour of the week, by the Iterative Staffing
//! Algorithm (Feldman, Mandelbaum, Massey and Whitt, 2008), beside the stationary per-interval
//! Erlang C answer.
//!
//! Staffing by hour of week `s(h)` is imposed as 168 one-hour shift groups. Each iteration
//! simulates the system with the current staffing, estimates the distribution of the number of
//! contacts in the handler system `L(h)` in each hour, and sets
//! `s(h) = min { s : P(L(h) ≥ s) ≤ α }`, until the staffing stops changing. The result keeps the
//! delay probability near α in every hour, including while demand rises and falls, which the
//! stationary method (Erlang C on each hour's own offered load) does not: it ignores that calls
//! arriving in one hour are still being handled in the next.

use serde::Serialize;

use crate::calendar::{HOURS_PER_WEEK, hour_of_week_label};
use crate::erlang::erlang_c;
use crate::scenario::{Group, OnDuty, Scenario, offered_load};
use crate::sim::tally::IN_SYSTEM_CAP;
use crate::stats::{Runner, get};
use crate::time::HOURS_PER_DAY;

/// Handlers needed per hour of the week, by two methods, beside the rota.
#[derive(Clone, Debug, Serialize)]
pub struct IntervalStaffing {
    /// Target probability that a contact must wait (pooled over channels).
    pub alpha: f64,
    /// Iterations run.
    pub iterations: usize,
    /// Whether no hour's staffing moved by more than one handler in the last iteration.
    pub converged: bool,
    /// `Mon 00` … `Sun 23`.
    pub labels: Vec<String>,
    /// Offered handler load per hour (Erlangs), from the demand profile.
    pub offered_erlangs: Vec<f64>,
    /// Handlers needed per hour by the iterative staffing algorithm.
    pub isa: Vec<u32>,
    /// Handlers needed per hour by stationary Erlang C on that hour's offered load.
    pub stationary: Vec<u32>,
    /// Simulated probability of waiting, P(L ≥ s), per hour in the last iteration's simulation.
    pub p_wait_isa: Vec<f64>,
    /// Mean handlers on duty per hour under the scenario's own rota.
    pub rota: Vec<f64>,
}

/// `s` staffed by hour of the week: `staff[h]` handlers on duty in hour `h` (one group on
/// duty by interval, serving every channel; no shrinkage, attrition or recruits), in the
/// scenario and in each of its dated changes alike (a change keeps its other values).
pub fn staffed_by_hour(s: &Scenario, staff: &[u32]) -> Scenario {
    let first_hour = s.start_date.weekday().to_monday_zero_offset() as usize * HOURS_PER_DAY;
    let on_duty = OnDuty::by_hour_of_week(staff, first_hour);
    let mut out = with_one_group(s, &on_duty);
    for change in &mut out.changes {
        change.scenario = std::sync::Arc::new(with_one_group(&change.scenario, &on_duty));
    }
    out
}

/// `s` with its handlers replaced by one group on duty by `on_duty`.
fn with_one_group(s: &Scenario, on_duty: &OnDuty) -> Scenario {
    let mut out = s.clone();
    let on_duty = on_duty.clone();
    out.handlers.count = 0;
    out.handlers.hires.clear();
    out.handlers.shrinkage = 0.0;
    out.handlers.shrinkage_by_month = [0.0; 12];
    out.handlers.attrition_per_year = 0.0;
    out.handlers.attrition_by_tenure.clear();
    out.handlers.groups = vec![Group {
        name: "by-hour".into(),
        headcount: on_duty.max(),
        teams: 1,
        shift: None,
        channels: (0..s.channels.len()).collect(),
        reserve: None,
        overflow: None,
        non_call_work: 0.0,
        removed: 0,
        on_duty: Some(on_duty),
    }];
    out
}

/// Offered handler load per hour of the week, in Erlangs (first-year rates, mean month).
pub fn offered_by_hour(s: &Scenario) -> Vec<f64> {
    let load = offered_load(s);
    (0..HOURS_PER_WEEK)
        .map(|h| {
            s.channels
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let month = c.demand.month.iter().sum::<f64>() / 12.0;
                    let rate = c.demand.scale_per_hour * c.demand.hour_of_week[h] * month;
                    let per_call = if c.rate_per_hour > 0.0 {
                        load.handler_erlangs[i] / c.rate_per_hour
                    } else {
                        0.0
                    };
                    rate * per_call
                })
                .sum()
        })
        .collect()
}

/// Time at each number in system per hour of the week, summed over replications.
pub fn in_system_distribution(s: &Scenario) -> Vec<Vec<u64>> {
    in_system_distribution_with(s, &Runner::default())
}

/// [`in_system_distribution`] running the replications through `runner`.
pub fn in_system_distribution_with(s: &Scenario, runner: &Runner) -> Vec<Vec<u64>> {
    let tallies: Vec<Vec<Vec<u64>>> = runner.tracking_in_system().map(s, |tally| {
        tally
            .in_system_by_hour
            .map(|h| h.time_at)
            .unwrap_or_default()
    });
    let mut total = vec![Vec::new(); HOURS_PER_WEEK];
    for t in tallies {
        for (h, cell) in t.into_iter().enumerate() {
            if total[h].len() < cell.len() {
                total[h].resize(cell.len(), 0);
            }
            for (k, x) in cell.into_iter().enumerate() {
                total[h][k] += x;
            }
        }
    }
    total
}

/// `P(L ≥ n)` from a time-at-level histogram.
pub fn tail(cell: &[u64], n: usize) -> f64 {
    let all: u64 = cell.iter().sum();
    if all == 0 {
        return 0.0;
    }
    cell.iter().skip(n).sum::<u64>() as f64 / all as f64
}

/// The iterative staffing algorithm with delay-probability target `alpha`.
pub fn iterative_staffing(s: &Scenario, alpha: f64, max_iterations: usize) -> IntervalStaffing {
    iterative_staffing_with(s, alpha, max_iterations, &Runner::default())
}

/// [`iterative_staffing`] running every simulation through `runner`.
pub fn iterative_staffing_with(
    s: &Scenario,
    alpha: f64,
    max_iterations: usize,
    runner: &Runner,
) -> IntervalStaffing {
    let offered = offered_by_hour(s);
    // A generous start: the offered load plus four standard deviations (square-root staffing).
    let mut staff: Vec<u32> = offered
        .iter()
        .map(|a| (a + 4.0 * a.sqrt() + 2.0).ceil() as u32)
        .collect();
    let (mut iterations, mut converged, mut p_wait) = (0, false, vec![0.0; HOURS_PER_WEEK]);
    while iterations < max_iterations {
        iterations += 1;
        let dist = in_system_distribution_with(&staffed_by_hour(s, &staff), runner);
        p_wait = dist
            .iter()
            .zip(&staff)
            .map(|(cell, &n)| tail(cell, n as usize))
            .collect();
        let next: Vec<u32> = dist
            .iter()
            .map(|cell| {
                (0..=IN_SYSTEM_CAP)
                    .find(|&n| tail(cell, n) <= alpha)
                    .unwrap_or(IN_SYSTEM_CAP) as u32
            })
            .collect();
        // Simulation noise makes the last handler in an hour flicker; within one handler in
        // every hour counts as converged.
        let settled = next.iter().zip(&staff).all(|(a, b)| a.abs_diff(*b) <= 1);
        staff = next;
        if settled {
            converged = true;
            break;
        }
    }
    let stationary = offered
        .iter()
        .map(|&a| {
            (a.floor() as u32 + 1..)
                .find(|&n| erlang_c(n, a) <= alpha)
                .unwrap_or(0)
        })
        .collect();
    let own = runner.replicate(s);
    let rota = own
        .intervals
        .hour_of_week
        .handlers
        .iter()
        .map(|k| get(k, "mean_staffed").map_or(f64::NAN, |e| e.mean))
        .collect();
    IntervalStaffing {
        alpha,
        iterations,
        converged,
        labels: (0..HOURS_PER_WEEK).map(hour_of_week_label).collect(),
        offered_erlangs: offered,
        isa: staff,
        stationary,
        p_wait_isa: p_wait,
        rota,
    }
}
