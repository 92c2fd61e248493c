//! `staff`: the handler search (at the targets' means or at a stated risk), the officer mix
//! (`--vary triage.officers=…`) and interval staffing (`--by-interval`).

use std::path::Path;

use super::commands::{load_scenario, runner};
use super::sink::*;
use super::*;
use crate::planning::budget::Work;
use crate::planning::staffing::{self, StaffOptions};
use crate::planning::sweep::Vary;
use crate::report;
use crate::report::chart::Chart;
use crate::scenario::{Override, Scenario};

/// `staff`: the handler search, the officer mix (`--vary`) or interval staffing.
pub(super) fn staff_command(args: StaffArgs) -> Result<(), Failure> {
    let StaffArgs {
        file,
        group,
        channels,
        max_added,
        every_interval,
        vary,
        by_interval,
        grid,
        risk,
        max_replications,
        as_recruits,
        alpha,
        replications,
        output,
        set,
        limits,
    } = args;
    if by_interval {
        let how = IntervalHow {
            alpha,
            replications,
            grid,
        };
        return staff_by_interval(&file, &set.all(), how, &output, limits);
    }
    let opts = StaffOptions {
        group,
        channels,
        max_added,
        every_interval: every_interval.map(Into::into),
        risk,
        max_replications: max_replications.unwrap_or(0),
        as_recruits,
    };
    staff(
        &file,
        &set.all(),
        opts,
        vary.as_ref(),
        replications,
        &output,
        limits,
    )
}

pub(super) fn staff(
    file: &Path,
    overrides: &[Override],
    opts: StaffOptions,
    vary: Option<&Vary>,
    replications: Option<u32>,
    output: &OutputArgs,
    limits: LimitArgs,
) -> Result<(), Failure> {
    let (format, out, chart) = output.checked(&[file])?;
    // The planner with too few handlers is the one asking how many are needed: an unstable
    // base is accepted, and the search starts from its stable minimum.
    let mut scenario = Scenario::load_allowing_unstable(file, overrides)?;
    if let Some(r) = replications {
        scenario.replications = r;
    }
    let searches = vary.map_or(1, |v| v.values.len()) as f64;
    let work = search_work(&scenario, &opts, searches);
    limits.allow(&work, cores())?;
    if scenario.replications < 2 {
        return Err(Failure::Input(
            "staff needs at least 2 replications per candidate (--replications)".into(),
        ));
    }
    let text = match vary {
        None => {
            let answer = staffing::search_with(&scenario, &opts, |c| runner().replicate(c))
                .map_err(|e| Failure::Input(e.to_string()))?;
            write_chart(
                chart,
                Chart::StaffingCurve {
                    name: &scenario.name,
                    answer: &answer,
                },
            )?;
            let view = report::StaffView {
                name: &scenario.name,
                answer: &answer,
            };
            report::render(&view, format)?
        }
        Some(v) if v.key == "triage.officers" => {
            // The same bounds as the file's key: whole numbers of officers, 0 to a million.
            if let Some(bad) = v
                .values
                .iter()
                .find(|x| x.fract() != 0.0 || !(0.0..=1e6).contains(*x))
            {
                return Err(Failure::Input(format!(
                    "--vary triage.officers: got {bad}; expected whole numbers of officers from 0 to 1000000"
                )));
            }
            let officers: Vec<u32> = v.values.iter().map(|x| *x as u32).collect();
            let mix = staffing::search_officers_with(&scenario, &opts, &officers, &runner())
                .map_err(|e| Failure::Input(e.to_string()))?;
            let view = report::MixView {
                name: &scenario.name,
                mix: &mix,
            };
            report::render(&view, format)?
        }
        Some(v) => {
            return Err(Failure::Input(format!(
                "staff --vary varies triage.officers; got {}",
                v.key
            )));
        }
    };
    emit(&text, out)
}

/// Most iterations of the iterative staffing algorithm.
const ISA_MAX_ITERATIONS: usize = 12;

/// The handlers needed on the phones each hour of the week (the iterative staffing algorithm
/// at P(wait) ≤ `alpha`, by default 1 − the best-priority channel's target), after checking
/// that the run sees every hour and that the work (and `extra_runs` more) fits the limits.
pub(super) fn hourly_requirement(
    command: &str,
    scenario: &Scenario,
    alpha: Option<f64>,
    limits: &LimitArgs,
    extra_runs: f64,
) -> Result<(crate::planning::interval_staffing::IntervalStaffing, f64), Failure> {
    let observed_h = scenario.observed_s() / 3600.0;
    if observed_h < 168.0 {
        return Err(Failure::Input(format!(
            "{command}: the run observes {observed_h} h (horizon_hours − warmup_hours), so some hours of the week are never seen; expected at least 168 h (a year is usual)"
        )));
    }
    let alpha =
        alpha.unwrap_or_else(|| 1.0 - scenario.channels.first().map_or(0.9, |c| c.target.fraction));
    if !(alpha > 0.0 && alpha < 1.0) {
        return Err(Failure::Input(format!(
            "--alpha must be between 0 and 1 (exclusive); got {alpha}"
        )));
    }
    limits.allow(
        &Work::of(scenario).times(ISA_MAX_ITERATIONS as f64 + extra_runs),
        cores(),
    )?;
    let result = crate::planning::interval_staffing::iterative_staffing_with(
        scenario,
        alpha,
        ISA_MAX_ITERATIONS,
        &runner(),
    );
    super::not_interrupted()?;
    Ok((result, alpha))
}

/// How `staff --by-interval` is asked: its target P(wait), replications and layout.
pub(super) struct IntervalHow {
    alpha: Option<f64>,
    replications: Option<u32>,
    grid: bool,
}

pub(super) fn staff_by_interval(
    file: &Path,
    overrides: &[Override],
    IntervalHow {
        alpha,
        replications,
        grid,
    }: IntervalHow,
    output: &OutputArgs,
    limits: LimitArgs,
) -> Result<(), Failure> {
    let (format, out, chart) = output.checked(&[file])?;
    let scenario = load_scenario(file, overrides, replications)?;
    let (result, _) = hourly_requirement("--by-interval", &scenario, alpha, &limits, 0.0)?;
    write_chart(
        chart,
        Chart::IntervalStaffing {
            name: &scenario.name,
            result: &result,
        },
    )?;
    let view = report::IntervalView {
        name: &scenario.name,
        result: &result,
        grid,
    };
    let text = report::render(&view, format)?;
    emit(&text, out)
}

/// What a search may cost: every candidate's simulation time, one candidate's memory (each
/// candidate's results are dropped once it is assessed). Under `--risk` a candidate may run
/// again with doubled replications up to the cap: at most twice the cap's worth in all.
fn search_work(scenario: &Scenario, opts: &StaffOptions, searches: f64) -> Work {
    // Upwards the search brackets up to --max-added; downwards, for a surplus, it can bisect
    // the whole roster (a million recruits in post took 42 candidates where 18 were counted).
    let range = opts.max_added.max(scenario.handlers.roster_size());
    let evaluations = f64::from(staffing::max_evaluations(range));
    let mut one = scenario.clone();
    let runs_per_candidate = match opts.risk {
        None => 1.0,
        Some(_) => {
            one.replications = match opts.max_replications {
                0 => staffing::DEFAULT_MAX_REPLICATIONS,
                n => n,
            }
            .max(scenario.replications);
            2.0
        }
    };
    let mut work = Work::of(&one);
    work.contacts *= searches * evaluations * runs_per_candidate;
    work
}
