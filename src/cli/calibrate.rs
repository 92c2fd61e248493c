//! `triage-sim calibrate`: the values of unobservable parameters that bring the simulation
//! closest to a file of published or observed figures.

use std::path::{Path, PathBuf};

use super::backtest::read_actuals;
use super::commands::{load_scenario, runner, with_staffing};
use super::sink::emit;
use super::{
    Failure, LimitArgs, SetArgs, TextOutputArgs, cores, interrupt, not_interrupted, same_file,
};
use crate::data::data_period;
use crate::planning::budget::Work;
use crate::planning::calibrate::{GridPoint, calibrate};
use crate::planning::published::{self, Figure};
use crate::planning::sweep::{Vary, grid};
use crate::report::{self, CalibrationView};
use crate::scenario::Override;

/// Most grid points one calibration may run.
const MAX_POINTS: usize = 2_000;

/// `triage-sim calibrate`.
#[derive(clap::Args)]
#[command(
    after_help = "Example (the non-call work of both desks, on every Staffordshire scenario at once):\n  triage-sim calibrate --target scenarios/published/staffordshire.toml \\\n    --vary handlers.groups.days999.non_call_work=0.2..0.4:0.1 --replications 4\nExample (a scenario fitted to a force's own calls):\n  triage-sim calibrate fitted.toml --data calls.csv --vary handlers.count=10..20 --replications 8"
)]
pub(super) struct CalibrateArgs {
    /// Scenarios whose values are varied (default: every scenario the figures name); figures
    /// of other scenarios still count, with their scenarios as written.
    scenarios: Vec<PathBuf>,
    /// The figures to match: a `[[figure]]` file as `published` reads (docs/calibration.md).
    #[arg(long, required_unless_present = "data", conflicts_with = "data")]
    target: Option<PathBuf>,
    /// Or a force's own records to match (per-call CSV or ACD interval report, docs/data.md):
    /// each channel's service level, mean wait and abandonment over the data's hours, with
    /// the one SCENARIO moved onto those hours.
    #[arg(long, value_name = "CSV")]
    data: Option<PathBuf>,
    /// With --data: handlers on duty by dated interval (docs/data.md) instead of the rota.
    #[arg(long, value_name = "CSV", requires = "data")]
    staffing: Option<PathBuf>,
    /// KEY=START..END[:STEP], as for sweep (repeatable: the grid is every combination).
    #[arg(long, required = true)]
    vary: Vec<Vary>,
    /// Replications per scenario and point (overrides the files).
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..=100_000))]
    replications: Option<u32>,
    #[command(flatten)]
    output: TextOutputArgs,
    #[command(flatten)]
    set: SetArgs,
    #[command(flatten)]
    limits: LimitArgs,
}

pub(super) fn calibrate_command(args: &CalibrateArgs) -> Result<(), Failure> {
    let source = args.target.as_ref().or(args.data.as_ref()).ok_or_else(|| {
        Failure::Input("expected --target FIGURES.toml or --data CALLS.csv".into())
    })?;
    let mut inputs: Vec<&Path> = vec![source];
    inputs.extend(args.scenarios.iter().map(PathBuf::as_path));
    inputs.extend(args.staffing.as_deref());
    let (format, out) = args.output.checked(&inputs)?;
    let settings = grid(&args.vary);
    if settings.len() > MAX_POINTS {
        return Err(Failure::Input(format!(
            "--vary: {} grid points; expected at most {MAX_POINTS}",
            settings.len()
        )));
    }
    let (figures, points, work) = match &args.data {
        Some(data) => against_data(args, data, settings)?,
        None => against_figures(args, source, settings)?,
    };
    args.limits.allow(&work, cores())?;
    let calibration = calibrate(&figures, points, &runner(), interrupt::requested);
    not_interrupted()?;
    let calibration = calibration.map_err(Failure::Input)?;
    let target = source.display().to_string();
    let view = CalibrationView {
        calibration: &calibration,
        target: &target,
    };
    emit(&report::render(&view, format)?, out)
}

/// Figures, grid points (each scenario loaded and validated before any runs, so a bad value
/// fails at once) and their work.
type Prepared = (Vec<Figure>, Vec<GridPoint>, Work);

/// Against a figures file: every scenario it names, the varied ones at every point.
fn against_figures(
    args: &CalibrateArgs,
    target: &Path,
    settings: Vec<Vec<Override>>,
) -> Result<Prepared, Failure> {
    let figures = published::load_figures(target).map_err(Failure::Input)?;
    let named = published::scenarios_of(&figures);
    for s in &args.scenarios {
        if !named.iter().any(|n| same_file(n, s)) {
            return Err(Failure::Input(format!(
                "{}: no figure in {} names this scenario; expected one of {}",
                s.display(),
                target.display(),
                named
                    .iter()
                    .map(|n| n.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    let varied = |path: &Path| {
        args.scenarios.is_empty() || args.scenarios.iter().any(|s| same_file(s, path))
    };
    let mut points = Vec::with_capacity(settings.len());
    let mut work = Work::default();
    for point in settings {
        let mut loaded = Vec::with_capacity(named.len());
        for path in &named {
            // --set applies to every scenario, the point's values to the varied ones.
            let mut overrides = args.set.all();
            if varied(path) {
                overrides.extend(point.iter().cloned());
            }
            let s = load_scenario(path, &overrides, args.replications)?;
            work = work.then(Work::of(&s));
            loaded.push((path.clone(), s));
        }
        points.push((point, loaded));
    }
    Ok((figures, points, work))
}

/// Against a force's records: the one scenario, moved onto the data's hours (and staffed from
/// `--staffing`), at every point.
fn against_data(
    args: &CalibrateArgs,
    data: &Path,
    settings: Vec<Vec<Override>>,
) -> Result<Prepared, Failure> {
    let [scenario] = args.scenarios.as_slice() else {
        return Err(Failure::Input(
            "--data: expected exactly one SCENARIO to fit to the data".into(),
        ));
    };
    let given = args.set.all();
    let keys = args.vary.iter().map(|v| ("--vary", v.key.as_str()));
    let keys = keys.chain(given.iter().map(|o| ("--set", o.key.as_str())));
    for (flag, key) in keys {
        if crate::data::period::fixed_by_the_data([key]).is_some() {
            return Err(Failure::Input(format!(
                "{flag} {key}: with --data the run covers the data's own dates, which fix {}; expected other keys",
                crate::data::PERIOD_KEYS.join(", ")
            )));
        }
    }
    let base = load_scenario(scenario, &given, args.replications)?;
    let reading = crate::data::ReadOptions {
        stop: Some(interrupt::requested),
        ..Default::default()
    };
    let actuals = read_actuals(data, &reading, &base)?;
    let (Some(first), Some(last)) = (actuals.first, actuals.last) else {
        return Err(Failure::Input(format!(
            "{}: no answered or abandoned calls to fit to",
            data.display()
        )));
    };
    let (period, _) =
        data_period(first, last).map_err(|e| Failure::Input(format!("{}: {e}", data.display())))?;
    let figures = actuals.figures(scenario, &data.display().to_string());
    let mut points = Vec::with_capacity(settings.len());
    let mut work = Work::default();
    for point in settings {
        let overrides: Vec<Override> = given.iter().chain(&point).chain(&period).cloned().collect();
        let s = load_scenario(scenario, &overrides, args.replications)?;
        let s = with_staffing(s, args.staffing.as_deref())?;
        work = work.then(Work::of(&s));
        points.push((point, vec![(scenario.clone(), s)]));
    }
    Ok((figures, points, work))
}
