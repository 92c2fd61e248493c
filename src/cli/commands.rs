//! The commands: each loads and checks its input, estimates the work, simulates, and hands
//! its text to [`super::sink`].

use std::path::Path;

use anyhow::Context;

use super::atomic_file;
use super::interrupt;
use crate::data::CallsCsv;
use crate::erlang::ErlangInput;
use crate::planning::budget::Work;
use crate::planning::published;
use crate::planning::sweep::{Point, Vary};
use crate::report::chart::Chart;
use crate::report::{self, Format};
use crate::scenario::{Override, Scenario};
use crate::stats::Runner;

use super::sink::*;
use super::*;

pub(super) fn run_default() -> Result<(), Failure> {
    let results = runner().replicate(&Scenario::default_scenario());
    emit(&report::results_table(&results, false), None)
}

pub(super) fn run(args: &RunArgs) -> Result<(), Failure> {
    let inputs: Vec<&Path> = std::iter::once(args.file.as_path())
        .chain(args.staffing.as_deref())
        .collect();
    let (format, out, chart) = args
        .output
        .checked_with(&inputs, &[("--calls", args.calls.as_deref())])?;
    let scenario = load_scenario(&args.file, &args.set.all(), args.replications)?;
    let scenario = with_staffing(scenario, args.staffing.as_deref())?;
    args.limits.allow(&Work::of(&scenario), cores())?;
    if let Some(note) = scenario.start_up_bias_note() {
        warn(&note);
    }
    let results = runner().replicate(&scenario);
    if let Some(path) = &args.calls {
        write_calls(path, &scenario)?;
    }
    let picks = crate::report::chart::ChartChannels::of(&scenario);
    let cohorts = crate::report::chart::cohort_weeks(&scenario);
    let picture = match args.chart_kind {
        RunChart::HourOfWeek => Chart::HourOfWeek {
            results: &results,
            channel: picks.first,
        },
        RunChart::Wait => Chart::Waits {
            results: &results,
            channels: &picks.phones,
        },
        RunChart::Trend => Chart::Trend {
            results: &results,
            service_level_of: picks.first,
            wait_of: picks.second,
            cohorts: &cohorts,
        },
    };
    write_chart(chart, picture)?;
    emit(&render(&results, format, args.timing)?, out)
}

/// Simulates replication 0 of `scenario` again, streaming each call's record to `path` (written
/// whole or not at all; memory does not grow with the number of calls).
fn write_calls(path: &Path, scenario: &Scenario) -> Result<(), Failure> {
    not_interrupted()?;
    atomic_file::write_atomic_with(path, |w| {
        let mut csv = CallsCsv::new(w, scenario)?;
        let mut failed: Option<std::io::Error> = None;
        let options = crate::sim::RunOptions {
            stop: Some(interrupt::flag()),
            ..Default::default()
        };
        crate::sim::run_logging(
            scenario,
            0,
            options,
            Box::new(|r| {
                if failed.is_none()
                    && let Err(e) = csv.write(r)
                {
                    failed = Some(e);
                }
            }),
        );
        if let Some(e) = failed {
            return Err(e);
        }
        if interrupt::requested() {
            return Err(std::io::Error::other("interrupted"));
        }
        csv.finish().map(|_| ())
    })
    .with_context(|| format!("cannot write {}", path.display()))?;
    not_interrupted()
}

/// The replication runner of every command: Ctrl-C stops its runs.
pub(super) fn runner() -> Runner {
    Runner::stopped_by(interrupt::flag()).reporting_to(&super::progress::SIMULATED_S)
}

/// `s` with the handlers on duty that the staffing file at `path` gives (`--staffing`), if
/// one is given: its groups' rotas replaced by the file's dated levels.
pub(super) fn with_staffing(s: Scenario, path: Option<&Path>) -> Result<Scenario, Failure> {
    let Some(path) = path else {
        return Ok(s);
    };
    let staffing = crate::data::read_staffing(path, s.start_date)
        .map_err(|e| Failure::Input(e.to_string()))?;
    if staffing.rounded > 0 {
        warn(&format!(
            "{}: {} of {} rows give a fraction of a handler on duty; rounded to the nearest whole handler",
            path.display(),
            staffing.rounded,
            staffing.rows
        ));
    }
    let shown = path.display().to_string();
    s.with_on_duty(&staffing.groups, &shown)
        .map_err(Failure::Input)
}

/// Loads `file` with the `--set` overrides, then the `--replications` override.
pub(super) fn load_scenario(
    file: &Path,
    overrides: &[Override],
    replications: Option<u32>,
) -> Result<Scenario, Failure> {
    let mut scenario = Scenario::load_with(file, overrides)?;
    if let Some(r) = replications {
        scenario.replications = r;
    }
    Ok(scenario)
}

pub(super) fn check(
    file: &Path,
    overrides: &[Override],
    out: Option<&Path>,
) -> Result<(), Failure> {
    check_outputs(&[file], &[("-o", out)])?;
    let s = Scenario::load_with(file, overrides)?;
    let work = Work::of(&s).describe(cores());
    emit(&report::describe_scenario(file, &s, &work), out)
}

/// `published`: every figure of a figures file beside its simulated counterpart.
pub(super) fn published(args: &PublishedArgs) -> Result<(), Failure> {
    args.output.checked(&[&args.file])?;
    let figures = published::load_figures(&args.file).map_err(Failure::Input)?;
    let named = published::scenarios_of(&figures);
    // The scenarios the file names are inputs too: no output may be written over one.
    let inputs: Vec<&Path> = std::iter::once(args.file.as_path())
        .chain(named.iter().map(|p| p.as_path()))
        .collect();
    let (format, out) = args.output.checked(&inputs)?;
    let overrides = args.set.all();
    let mut loaded = Vec::new();
    for path in named.iter().cloned() {
        let scenario = load_scenario(&path, &overrides, args.replications)?;
        loaded.push((path, scenario));
    }
    let work = loaded
        .iter()
        .map(|(_, s)| Work::of(s))
        .reduce(Work::then)
        .unwrap_or_default();
    args.limits.allow(&work, cores())?;
    let comparisons = published::compare(&figures, &loaded, &runner()).map_err(Failure::Input)?;
    not_interrupted()?;
    let view = report::PublishedView {
        comparisons: &comparisons,
    };
    emit(&report::render(&view, format)?, out)
}

/// A side of a comparison: its file loaded with `--set` and its own overrides, named with them.
fn compare_side(file: &Path, common: &[Override], own: &[Override]) -> Result<Scenario, Failure> {
    let all: Vec<Override> = common.iter().chain(own).cloned().collect();
    let mut s = Scenario::load_with(file, &all)?;
    if !own.is_empty() {
        let settings: Vec<String> = own
            .iter()
            .map(|o| format!("{}={}", o.key, o.value))
            .collect();
        s.name = format!("{} with {}", s.name, settings.join(", "));
    }
    Ok(s)
}

/// `--kpi KPI`: one that a channel of `s` reports, or a usage error listing them (with the
/// closest name for a mistyped one).
fn check_kpi(kpi: &str, s: &Scenario) -> Result<(), Failure> {
    let kpis = crate::stats::channel_kpi_names(s);
    if kpis.contains(&kpi) {
        return Ok(());
    }
    let hint = crate::scenario::closest(kpi, &kpis)
        .map(|k| format!("; did you mean `{k}`?"))
        .unwrap_or_default();
    Err(Failure::Input(format!(
        "--kpi {kpi}: no channel reports it; expected one of {}{hint}",
        kpis.join(", ")
    )))
}

pub(super) fn compare(args: &CompareArgs) -> Result<(), Failure> {
    let a = args.a.as_path();
    let b = match (&args.b, args.set_a.is_empty() && args.set_b.is_empty()) {
        (Some(b), _) => b.as_path(),
        (None, false) => a,
        (None, true) => {
            return Err(Failure::Input(
                "compare needs scenario B, or --set-a/--set-b to compare A with a changed copy of itself".into(),
            ));
        }
    };
    let (format, out, chart) = args.output.checked(&[a, b])?;
    let mut sa = compare_side(a, &args.set.all(), &args.set_a)?;
    let mut sb = compare_side(b, &args.set.all(), &args.set_b)?;
    if let Some(r) = args.replications {
        sa.replications = r;
    }
    (sb.replications, sb.seed) = (sa.replications, sa.seed);
    let kpis: Vec<&str> = match args.kpi.as_slice() {
        [] => vec!["service_level"],
        asked => asked.iter().map(String::as_str).collect(),
    };
    for kpi in &kpis {
        check_kpi(kpi, &sa)?;
    }
    args.limits
        .allow(&Work::of(&sa).then(Work::of(&sb)), cores())?;
    let (ra, rb) = (runner().replicate(&sa), runner().replicate(&sb));
    let diffs = crate::stats::paired::compare(&ra, &rb);
    let title = format!("B − A: {} vs {}", sb.name, sa.name);
    write_chart(
        chart,
        Chart::Compare {
            diffs: &diffs,
            kpis: &kpis,
            title: &title,
        },
    )?;
    let names = |r: &crate::stats::Results| -> Vec<String> {
        r.channels.iter().map(|(n, _)| n.clone()).collect()
    };
    let (names_a, names_b) = (names(&ra), names(&rb));
    let only_a: Vec<String> = names_a
        .iter()
        .filter(|n| !names_b.contains(n))
        .cloned()
        .collect();
    let only_b: Vec<String> = names_b
        .iter()
        .filter(|n| !names_a.contains(n))
        .cloned()
        .collect();
    for (side, only) in [("A", &only_a), ("B", &only_b)] {
        if !only.is_empty() {
            warn(&format!(
                "only in {side}, so not compared: {}",
                only.join(", ")
            ));
        }
    }
    let view = report::CompareView {
        a: &sa.name,
        b: &sb.name,
        replications: sa.replications,
        diffs: &diffs,
        only: (&only_a, &only_b),
    };
    let text = report::render(&view, format)?;
    emit(&text, out)
}

/// Most points one sweep may have (each is validated before the first runs).
const MAX_SWEEP_POINTS: usize = 100_000;

/// One or two `--vary` flags on different keys, and a grid of at most [`MAX_SWEEP_POINTS`].
fn check_grid(vary: &[Vary]) -> Result<(), Failure> {
    if vary.len() > 2 {
        return Err(Failure::Input(
            "sweep varies one or two parameters; got more --vary flags".into(),
        ));
    }
    if let [a, b] = vary
        && a.key == b.key
    {
        return Err(Failure::Input(format!(
            "--vary {}: the same key twice (the second would overwrite the first and the rows would be mislabelled); expected two different keys, or one --vary with a range",
            a.key
        )));
    }
    let size: usize = vary.iter().map(|v| v.values.len()).product();
    if size > MAX_SWEEP_POINTS {
        return Err(Failure::Input(format!(
            "a grid of {size} points; expected at most {MAX_SWEEP_POINTS} (split the sweep, or use a coarser :STEP)"
        )));
    }
    Ok(())
}

pub(super) fn sweep(
    file: &Path,
    overrides: &[Override],
    vary: &[Vary],
    kpi: &str,
    replications: Option<u32>,
    output: &OutputArgs,
    limits: LimitArgs,
) -> Result<(), Failure> {
    let (format, out, chart) = output.checked(&[file])?;
    check_grid(vary)?;
    let grid = crate::planning::sweep::grid(vary);
    let point = |settings: &[Override]| -> Result<Scenario, Failure> {
        let all: Vec<Override> = overrides.iter().chain(settings).cloned().collect();
        load_scenario(file, &all, replications)
    };
    // The grid's corners first: a grid that is plainly too big is refused at once.
    if let (Some(first), Some(last)) = (grid.first(), grid.last()) {
        let first = point(first)?;
        check_kpi(kpi, &first)?;
        let (first, last) = (Work::of(&first), Work::of(&point(last)?));
        let corner = if first.contacts >= last.contacts {
            first
        } else {
            last
        };
        limits.allow(&corner.times(grid.len() as f64), cores())?;
    }
    // Every point is validated before any runs, so a bad value fails at once.
    let scenarios = grid
        .iter()
        .map(|settings| point(settings))
        .collect::<Result<Vec<Scenario>, Failure>>()?;
    let work = scenarios
        .iter()
        .map(Work::of)
        .reduce(Work::then)
        .unwrap_or_default();
    limits.allow(&work, cores())?;
    let points = run_points(grid, &scenarios);
    if interrupt::requested() {
        return Err(sweep_interrupted(
            &points,
            scenarios.len(),
            kpi,
            format,
            out,
        ));
    }
    write_chart(
        chart,
        Chart::Sweep {
            points: &points,
            kpi,
        },
    )?;
    emit(&sweep_text(&points, kpi, format)?, out)
}

/// Runs every sweep point in order, stopping at the first cut short by Ctrl-C.
fn run_points(grid: Vec<Vec<Override>>, scenarios: &[Scenario]) -> Vec<Point> {
    let mut points = Vec::with_capacity(grid.len());
    for (settings, s) in grid.into_iter().zip(scenarios) {
        let results = runner().replicate(s);
        if interrupt::requested() {
            break; // This point was cut short.
        }
        let results = results.into_summary(); // Memory flat in the size of the sweep.
        points.push(Point { settings, results });
    }
    points
}

pub(super) fn sweep_text(points: &[Point], kpi: &str, format: Format) -> anyhow::Result<String> {
    Ok(report::render(&report::SweepView { points, kpi }, format)?)
}

/// How far an interrupted sweep got. `--out` is left alone; the finished points, if any, go
/// whole to a separate `NAME.partial.EXT` so that hours of work are not lost.
pub(super) fn sweep_interrupted(
    points: &[Point],
    total: usize,
    kpi: &str,
    format: Format,
    out: Option<&Path>,
) -> Failure {
    let mut msg = format!(
        "interrupted: {} of {total} sweep points finished",
        points.len()
    );
    if let Some(last) = points.last() {
        let settings: Vec<String> = last
            .settings
            .iter()
            .map(|o| format!("{}={}", o.key, o.value))
            .collect();
        msg += &format!(" (the last: {})", settings.join(", "));
    }
    match out.filter(|p| !atomic_file::is_stdout(p)) {
        None => msg += "; nothing was printed",
        Some(path) => {
            msg += &format!("; {} was not written", path.display());
            if !points.is_empty() {
                let partial = partial_path(path);
                let written = sweep_text(points, kpi, format).and_then(|text| {
                    atomic_file::write_atomic(&partial, text.as_bytes())
                        .map_err(anyhow::Error::from)
                });
                msg += &match written {
                    Ok(()) => format!("; the finished points are in {}", partial.display()),
                    Err(e) => format!("; the finished points could not be saved: {e:#}"),
                };
            }
        }
    }
    Failure::Interrupted(msg)
}

pub(super) fn erlang(
    input: ErlangInput,
    format: Format,
    out: Option<&Path>,
) -> Result<(), Failure> {
    let r = input.solve().map_err(|e| Failure::Input(e.to_string()))?;
    let view = report::ErlangView {
        input: &input,
        result: &r,
        staffing: None,
    };
    let text = report::render(&view, format)?;
    emit(&text, out)
}

/// `erlang` without `--agents`: the fewest agents meeting `goal`, and the positions to roster.
pub(super) fn erlang_agents(
    input: ErlangInput,
    goal: crate::erlang::AgentsGoal,
    format: Format,
    out: Option<&Path>,
) -> Result<(), Failure> {
    let answer = input
        .agents_needed(goal)
        .map_err(|e| Failure::Input(e.to_string()))?;
    let at = ErlangInput {
        agents: answer.agents_needed,
        ..input
    };
    let view = report::ErlangView {
        input: &at,
        result: &answer.result,
        staffing: Some((&answer, &goal)),
    };
    emit(&report::render(&view, format)?, out)
}

/// `erlang --loss`: Erlang B for the agents given, or the fewest agents for `--max-blocking`.
pub(super) fn erlang_loss(a: &ErlangArgs) -> Result<(), Failure> {
    use crate::erlang::{loss, loss_agents};
    let result = match (a.agents, a.max_blocking) {
        (Some(n), None) => loss(a.rate_per_hour, a.aht_s, n),
        (None, Some(max)) => loss_agents(a.rate_per_hour, a.aht_s, max),
        _ => {
            return Err(Failure::Input(
                "erlang --loss expects --agents N (evaluate) or --max-blocking P (find the agents needed), one of the two".into(),
            ));
        }
    }
    .map_err(|e| Failure::Input(e.to_string()))?;
    let view = crate::report::LossView {
        result: &result,
        max_blocking: a.max_blocking,
    };
    emit(
        &crate::report::render(&view, a.format.into())?,
        a.out.as_deref(),
    )
}
