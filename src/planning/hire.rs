//! Planning recruitment: the intakes (dates and sizes) that keep every month of the run on
//! target, trained as the scenario's own recruits are.
//!
//! Month by month, earliest first: simulate the scenario with the intakes so far; at the first
//! month that misses a target, add the intake that can still help it — on the latest allowed
//! intake date (the first of a month, or the force's intake calendar) from which recruits are
//! trained by that month's start —
//! of the smallest size (bisection between the class limits) that brings the month on target.
//! A month that no intake can reach in time (training is longer than the time left) is reported
//! as such and left behind. Each added intake only adds handlers, so a month met stays met.

use serde::Serialize;

use super::hire_cost::{HireCosts, PlanCost, cost_of};
use super::roster_change::{Joining, with_added};
use crate::scenario::{Scenario, Target};
use crate::stats::{Estimate, Results, get};
use crate::time::DAY_S;

/// What the planner may do.
#[derive(Clone, Debug, PartialEq)]
pub struct HireOptions {
    /// Channels whose targets count (indices); every channel when empty.
    pub channels: Vec<usize>,
    /// The group recruits join, or spread over the groups by size.
    pub group: Option<usize>,
    /// Smallest and largest class.
    pub class: (u32, u32),
    /// Judge a month by P(every target met) ≥ 1 − risk across replications, not by its means.
    pub risk: Option<f64>,
    /// Most simulations the plan may take.
    pub max_evaluations: usize,
    /// Allowed intake days from the run's start, ascending (the force's intake calendar);
    /// `None`: the first of every month.
    pub intake_days: Option<Vec<i64>>,
    /// Costs, when given: the plan and the baselines are costed.
    pub costs: Option<HireCosts>,
}

/// One intake of recruits.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Intake {
    /// First day, `YYYY-MM-DD`.
    pub start_date: String,
    /// Days from the run's start.
    pub start_day: i64,
    /// Recruits in the class.
    pub count: u32,
}

/// One month of the plan's run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MonthOutcome {
    /// `YYYY-MM`.
    pub month: String,
    /// Heads expected in post at the month's start (rota and trained recruits, less attrition).
    pub in_post: f64,
    /// Recruits in training at the month's start.
    pub in_training: u32,
    /// Mean handlers on the phones over the month (simulated).
    #[serde(rename = "on_phones_fte")]
    pub on_phones: f64,
    /// The first counted channel's service level on its target's clock.
    pub service_level: Estimate,
    /// Share of replications in which some counted target was missed that month.
    pub risk: f64,
    /// Whether every counted target is met that month (by means, or at the risk asked).
    pub met: bool,
    /// Whether no intake could be trained in time for it.
    pub unreachable: bool,
}

/// The plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HirePlan {
    /// The intakes, in date order.
    pub intakes: Vec<Intake>,
    /// Recruits in all.
    pub recruits_total: u32,
    /// What the recruits cost, when costs are given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<PlanCost>,
    /// The channel whose service level the months show.
    pub channel: String,
    /// Month by month with the plan.
    pub months: Vec<MonthOutcome>,
    /// Simulations run.
    pub evaluations: usize,
    /// Whether the evaluation cap stopped the plan before every reachable month was met.
    pub capped: bool,
    /// Two simple plans beside this one: the gap now, all at once; and replacing leavers.
    pub baselines: Vec<super::hire_baselines::Baseline>,
}

/// Why no plan could be made.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum HireError {
    /// Recruits are trained as the scenario's latest cohort.
    #[error(
        "hire trains recruits as the scenario's own are; expected a [[handlers.hires]] cohort (with training_weeks, ramp_weeks) to copy, in a scenario with shift groups"
    )]
    NoCohortToCopy,
}

/// Whether each month meets every counted target: by means, or at the risk asked.
pub(super) fn months_met(s: &Scenario, r: &Results, opts: &HireOptions) -> Vec<(bool, f64)> {
    let counted: Vec<usize> = if opts.channels.is_empty() {
        (0..s.channels.len()).collect()
    } else {
        opts.channels.clone()
    };
    let months = r.interval_labels.month.len();
    (0..months)
        .map(|m| {
            let cell_met = |kpis: &crate::stats::Kpis<f64>, t: Target| {
                get(kpis, t.clock.service_level_kpi())
                    .is_none_or(|sl| sl.is_nan() || sl >= t.fraction - 1e-12)
            };
            let reps = &r.per_replication;
            let missed = reps
                .iter()
                .filter(|rep| {
                    counted.iter().any(|&c| {
                        !cell_met(&rep.intervals.month.channels[c][m], s.channels[c].target)
                    })
                })
                .count();
            let risk = missed as f64 / reps.len().max(1) as f64;
            let by_means = counted.iter().all(|&c| {
                let t = s.channels[c].target;
                get(
                    &r.intervals.month.channels[c][m],
                    t.clock.service_level_kpi(),
                )
                .is_none_or(|e| e.mean.is_nan() || e.mean >= t.fraction - 1e-12)
            });
            let met = match opts.risk {
                Some(allowed) => risk <= allowed,
                None => by_means,
            };
            (met, risk)
        })
        .collect()
}

/// The days an intake may start on: the calendar given, or the first of each month of the run
/// (from the run's start on).
pub(super) fn allowed_intake_days(opts: &HireOptions, starts: &[i64]) -> Vec<i64> {
    match &opts.intake_days {
        Some(days) => days.clone(),
        None => starts.iter().copied().filter(|&d| d >= 0).collect(),
    }
}

/// Days from the run's start to the first day of each month of the run.
pub(super) fn month_starts(s: &Scenario, months: usize) -> Vec<i64> {
    (0..months)
        .map(|m| {
            let first = s.start_date.first_of_month();
            let date = first
                .checked_add(jiff::Span::new().months(m as i64))
                .unwrap_or(first);
            date.since(s.start_date)
                .map_or(0, |span| i64::from(span.get_days()))
        })
        .collect()
}

/// `s` with `intakes` joining as recruits like `joining`, spread as `opts` says.
pub(super) fn with_intakes(
    s: &Scenario,
    intakes: &[Intake],
    joining: Joining,
    opts: &HireOptions,
) -> Scenario {
    intakes.iter().fold(s.clone(), |out, intake| {
        let at = joining.starting_on(intake.start_day);
        with_added(&out, intake.count, opts.group, at)
    })
}

/// How recruits join (as the scenario's latest cohort) and their training in whole days.
pub(super) fn recruits_of(s: &Scenario) -> Result<(Joining, i64), HireError> {
    let joining = if s.handlers.is_pool() {
        None
    } else {
        Joining::recruits_like(s)
    }
    .ok_or(HireError::NoCohortToCopy)?;
    let days = match joining {
        Joining::Recruits { training, .. } => (training.as_secs() / DAY_S).ceil() as i64,
        Joining::InPost => 0,
    };
    Ok((joining, days))
}

/// Plans the intakes for `s`, simulating candidates with `evaluate`.
pub fn plan(
    s: &Scenario,
    opts: &HireOptions,
    mut evaluate: impl FnMut(&Scenario) -> Results,
) -> Result<HirePlan, HireError> {
    let (joining, training_days) = recruits_of(s)?;
    let evaluations = std::cell::Cell::new(0);
    let mut run = |intakes: &[Intake]| {
        evaluations.set(evaluations.get() + 1);
        evaluate(&with_intakes(s, intakes, joining, opts))
    };
    let first = run(&[]);
    let starts = month_starts(s, first.interval_labels.month.len());
    let Greedy {
        mut intakes,
        mut results,
        unreachable,
        capped,
    } = month_by_month(
        s,
        opts,
        (training_days, &starts),
        first,
        &mut run,
        &evaluations,
    );
    let reachable: Vec<bool> = unreachable.iter().map(|u| !u).collect();
    if !capped {
        let budget = opts.max_evaluations.saturating_sub(evaluations.get());
        (intakes, results) =
            super::hire_trim::trim(s, opts, (intakes, results), &reachable, &mut run, budget);
    }
    let baselines = super::hire_baselines::baselines(s, opts, &intakes, &reachable, &mut run);
    if !capped && let Some(better) = better_baseline(s, opts, &intakes, &baselines) {
        intakes = better;
        results = run(&intakes);
    }
    let months_out = outcomes(
        s,
        &results,
        &intakes,
        (training_days, &starts),
        &unreachable,
        opts,
    );
    Ok(HirePlan {
        recruits_total: intakes.iter().map(|i| i.count).sum(),
        channel: s.channels[shown_channel(opts)].name.clone(),
        cost: opts.costs.map(|c| cost_of(s, &intakes, c)),
        intakes,
        months: months_out,
        evaluations: evaluations.get(),
        capped,
        baselines,
    })
}

/// The month-by-month plan before it is taken down.
struct Greedy {
    intakes: Vec<Intake>,
    results: Results,
    unreachable: Vec<bool>,
    capped: bool,
}

/// Month by month, earliest first: at the first month missing a target, the smallest class on
/// the latest allowed day trained in time for it; months no class can reach are marked.
fn month_by_month(
    s: &Scenario,
    opts: &HireOptions,
    (training_days, starts): (i64, &[i64]),
    mut results: Results,
    run: &mut dyn FnMut(&[Intake]) -> Results,
    evaluations: &std::cell::Cell<usize>,
) -> Greedy {
    let months = starts.len();
    let allowed = allowed_intake_days(opts, starts);
    let mut intakes: Vec<Intake> = Vec::new();
    let mut unreachable = vec![false; months];
    let mut capped = false;
    loop {
        let met = months_met(s, &results, opts);
        let Some(m) = (0..months).find(|&m| !met[m].0 && !unreachable[m]) else {
            break;
        };
        // The latest allowed day from which recruits are trained by month m's start.
        let Some(&start_day) = allowed
            .iter()
            .rev()
            .find(|&&d| d + training_days <= starts[m].max(0) && d >= 0)
        else {
            unreachable[m] = true;
            continue;
        };
        if evaluations.get() + 2 > opts.max_evaluations {
            capped = true;
            break;
        }
        let date = s
            .start_date
            .checked_add(jiff::Span::new().days(start_day))
            .map_or_else(|_| format!("day {start_day}"), |d| d.to_string());
        let class = Class {
            date: &date,
            start_day,
            month: m,
        };
        (intakes, results) = smallest_class(s, opts, &intakes, &class, run);
        if evaluations.get() >= opts.max_evaluations {
            capped = !months_met(s, &results, opts)
                .iter()
                .zip(&unreachable)
                .all(|((met, _), u)| *met || *u);
            break;
        }
    }
    Greedy {
        intakes,
        results,
        unreachable,
        capped,
    }
}

/// A simple plan that meets every month training can reach with fewer recruits than `plan`
/// (or, where costs are given, for less), if one of the baselines is such: month-by-month
/// classes judged on few replications can add up to more than one early intake needs, and the
/// planner should never be offered a plan a baseline beats.
fn better_baseline(
    s: &Scenario,
    opts: &HireOptions,
    plan: &[Intake],
    baselines: &[super::hire_baselines::Baseline],
) -> Option<Vec<Intake>> {
    let price = |intakes: &[Intake]| match opts.costs {
        Some(c) => cost_of(s, intakes, c).total,
        None => f64::from(intakes.iter().map(|i| i.count).sum::<u32>()),
    };
    baselines
        .iter()
        .filter(|b| b.months_met == b.months_reachable)
        .filter(|b| price(&b.intakes) < price(plan) - 1e-9)
        .min_by(|a, b| price(&a.intakes).total_cmp(&price(&b.intakes)))
        .map(|b| {
            b.intakes
                .iter()
                .flat_map(|i| {
                    super::hire_trim::classes(&i.start_date, i.start_day, i.count, opts.class.1)
                })
                .collect()
        })
}

/// Where and for which month an intake goes.
struct Class<'a> {
    date: &'a str,
    start_day: i64,
    month: usize,
}

/// `intakes` plus the smallest class on `class`'s date that brings its month on target (by
/// bisection between the class limits), or the largest class when even that is not enough;
/// with the results of the plan chosen.
fn smallest_class(
    s: &Scenario,
    opts: &HireOptions,
    intakes: &[Intake],
    class: &Class<'_>,
    run: &mut dyn FnMut(&[Intake]) -> Results,
) -> (Vec<Intake>, Results) {
    let with = |count: u32| {
        let mut v = intakes.to_vec();
        v.push(Intake {
            start_date: class.date.to_owned(),
            start_day: class.start_day,
            count,
        });
        v
    };
    let (lo_size, hi_size) = opts.class;
    let top = run(&with(hi_size));
    if !months_met(s, &top, opts)[class.month].0 {
        return (with(hi_size), top);
    }
    let (mut lo, mut hi, mut best) = (lo_size, hi_size, top);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let r = run(&with(mid));
        if months_met(s, &r, opts)[class.month].0 {
            (hi, best) = (mid, r);
        } else {
            lo = mid + 1;
        }
    }
    (with(hi), best)
}

/// The channel the months show: the best-priority counted one (channels are in priority order).
fn shown_channel(opts: &HireOptions) -> usize {
    opts.channels.iter().copied().min().unwrap_or(0)
}

/// Heads expected in post on day `day` of the run, and recruits in training then: the rota's
/// own thinned by attrition; the scenario's cohorts and the plan's intakes from the day each
/// is trained (as the engine has them: a cohort that started before the run is in post from
/// its first day with the tenure it had, one starting later from its start date), thinned from
/// the day each joined.
fn heads_on(s: &Scenario, intakes: &[Intake], training_days: i64, day: i64) -> (f64, u32) {
    let h = &s.handlers;
    let cohorts = h
        .hires
        .iter()
        .map(|c| {
            (
                c.start_day,
                (c.training.as_secs() / DAY_S).round() as i64,
                c.count,
            )
        })
        .chain(
            intakes
                .iter()
                .map(|i| (i.start_day, training_days, i.count)),
        );
    let (mut in_post, mut in_training) = (f64::from(h.rota_heads()) * h.kept(None, day as f64), 0);
    for (start, training, count) in cohorts {
        let joined = start.max(0);
        if start + training <= day {
            let tenure = Some((-start).max(0) as f64);
            in_post += f64::from(count) * h.kept(tenure, (day - joined) as f64);
        } else if start <= day {
            in_training += count;
        }
    }
    (in_post, in_training)
}

/// Leavers the scenario's own handlers are expected to lose between days `from` and `to` of
/// the run: the rota's and each cohort's from the day it joined (as the engine has them).
pub(super) fn expected_leavers(s: &Scenario, from: f64, to: f64) -> f64 {
    let h = &s.handlers;
    let mut leavers = f64::from(h.rota_heads()) * (h.kept(None, from) - h.kept(None, to));
    for c in &h.hires {
        let joined = c.start_day.max(0) as f64;
        if to > joined {
            let tenure = Some((-c.start_day).max(0) as f64);
            let kept = |day: f64| h.kept(tenure, (day - joined).max(0.0));
            leavers += f64::from(c.count) * (kept(from) - kept(to));
        }
    }
    leavers.max(0.0)
}

/// Each month of the plan's run, in words a planner reads.
fn outcomes(
    s: &Scenario,
    r: &Results,
    intakes: &[Intake],
    (training_days, starts): (i64, &[i64]),
    unreachable: &[bool],
    opts: &HireOptions,
) -> Vec<MonthOutcome> {
    let met = months_met(s, r, opts);
    let first = shown_channel(opts);
    let kpi = s.channels[first].target.clock.service_level_kpi();
    (0..r.interval_labels.month.len())
        .map(|m| {
            let day = starts[m].max(0);
            let (in_post, in_training) = heads_on(s, intakes, training_days, day);
            MonthOutcome {
                month: r.interval_labels.month[m].clone(),
                in_post,
                in_training,
                on_phones: get(&r.intervals.month.handlers[m], "mean_staffed")
                    .map_or(f64::NAN, |e| e.mean),
                service_level: get(&r.intervals.month.channels[first][m], kpi)
                    .unwrap_or(Estimate::from_samples(&[])),
                risk: met[m].1,
                met: met[m].0,
                unreachable: unreachable[m],
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 10 on the rota leaving at 0.5 a year, 4 who joined 100 days before the run (a first-year
    /// band of 1.5 a year) and 6 joining on day 50 with 4 weeks' training.
    fn scenario() -> Scenario {
        let text = r#"
start_date = 2024-01-01
horizon_hours = 8760
[channels.c]
kind = "call"
priority = 0
arrivals = { rate_per_hour = 10 }
handle_time = { dist = "exponential", mean_s = 60 }
target = { answer_within_s = 10, fraction = 0.8 }
[handlers]
attrition_per_year = 0.5
[[handlers.attrition_by_tenure]]
under_months = 12
per_year = 1.5
[handlers.groups.desk]
headcount = 10
[[handlers.hires]]
group = "desk"
start_date = 2023-09-23
count = 4
training_weeks = 0
ramp_weeks = 0
[[handlers.hires]]
group = "desk"
start_date = 2024-02-20
count = 6
training_weeks = 4
ramp_weeks = 0
"#;
        Scenario::from_toml_str(text, "h.toml").expect("valid")
    }

    #[test]
    fn cohorts_count_from_their_own_dates() {
        let s = scenario();
        let h = &s.handlers;
        // Day 0: the rota and the cohort already in post; the later cohort not yet hired.
        let (post, training) = heads_on(&s, &[], 28, 0);
        assert!(
            (post - 14.0).abs() < 1e-12 && training == 0,
            "{post} {training}"
        );
        // Day 60: the later cohort (joined day 50) in training; day 80 (trained day 78) in post.
        let (_, training) = heads_on(&s, &[], 28, 60);
        assert_eq!(training, 6);
        let (post, _) = heads_on(&s, &[], 28, 80);
        let expected = 10.0 * h.kept(None, 80.0)
            + 4.0 * h.kept(Some(100.0), 80.0)
            + 6.0 * h.kept(Some(0.0), 30.0);
        assert!((post - expected).abs() < 1e-9, "{post} against {expected}");
        // Leavers before day 50 come from the 14 alone; over the year the 6 add theirs.
        let early = expected_leavers(&s, 0.0, 50.0);
        let alone = 10.0 * (1.0 - h.kept(None, 50.0)) + 4.0 * (1.0 - h.kept(Some(100.0), 50.0));
        assert!((early - alone).abs() < 1e-9, "{early} against {alone}");
        let year = expected_leavers(&s, 0.0, 365.0);
        let with_later = 10.0 * (1.0 - h.kept(None, 365.0))
            + 4.0 * (1.0 - h.kept(Some(100.0), 365.0))
            + 6.0 * (1.0 - h.kept(Some(0.0), 315.0));
        assert!(
            (year - with_later).abs() < 1e-9,
            "{year} against {with_later}"
        );
    }
}
