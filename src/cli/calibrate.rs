//! `triage-sim calibrate`: the values of unobservable parameters that bring the simulation
//! closest to a file of published or observed figures.

use std::path::{Path, PathBuf};

use super::commands::{load_scenario, runner};
use super::sink::emit;
use super::{Failure, LimitArgs, OutputArgs, cores, interrupt, not_interrupted};
use crate::planning::budget::Work;
use crate::planning::calibrate::calibrate;
use crate::planning::published;
use crate::planning::sweep::{Vary, grid};
use crate::report::{self, CalibrationView};

/// Most grid points one calibration may run.
const MAX_POINTS: usize = 2_000;

/// `triage-sim calibrate`.
#[derive(clap::Args)]
#[command(
    after_help = "Example (the non-call work of both desks, on every Staffordshire scenario at once):\n  triage-sim calibrate --target scenarios/published/staffordshire.toml \\\n    --vary handlers.groups.days999.non_call_work=0.2..0.4:0.1 --replications 4"
)]
pub(super) struct CalibrateArgs {
    /// Scenarios whose values are varied (default: every scenario the figures name); figures
    /// of other scenarios still count, with their scenarios as written.
    scenarios: Vec<PathBuf>,
    /// The figures to match: a `[[figure]]` file as `published` reads (docs/calibration.md).
    #[arg(long)]
    target: PathBuf,
    /// KEY=START..END[:STEP], as for sweep (repeatable: the grid is every combination).
    #[arg(long, required = true)]
    vary: Vec<Vary>,
    /// Replications per scenario and point (overrides the files).
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..=100_000))]
    replications: Option<u32>,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    limits: LimitArgs,
}

/// The same file, however the path was written.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

pub(super) fn calibrate_command(args: &CalibrateArgs) -> Result<(), Failure> {
    let mut inputs: Vec<&Path> = vec![&args.target];
    inputs.extend(args.scenarios.iter().map(PathBuf::as_path));
    let (format, out, chart) = args.output.checked(&inputs)?;
    if chart.is_some() {
        return Err(Failure::Input(
            "calibrate draws no chart; expected no --chart".into(),
        ));
    }
    let figures = published::load_figures(&args.target).map_err(Failure::Input)?;
    let named = published::scenarios_of(&figures);
    for s in &args.scenarios {
        if !named.iter().any(|n| same_file(n, s)) {
            return Err(Failure::Input(format!(
                "{}: no figure in {} names this scenario; expected one of {}",
                s.display(),
                args.target.display(),
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
    let settings = grid(&args.vary);
    if settings.len() > MAX_POINTS {
        return Err(Failure::Input(format!(
            "--vary: {} grid points; expected at most {MAX_POINTS}",
            settings.len()
        )));
    }
    // Every point is loaded and validated before any runs, so a bad value fails at once.
    let mut points = Vec::with_capacity(settings.len());
    let mut work = Work::default();
    for point in settings {
        let mut loaded = Vec::with_capacity(named.len());
        for path in &named {
            let overrides: &[_] = if varied(path) { &point } else { &[] };
            let s = load_scenario(path, overrides, args.replications)?;
            work = work.then(Work::of(&s));
            loaded.push((path.clone(), s));
        }
        points.push((point, loaded));
    }
    args.limits.allow(&work, cores())?;
    let calibration =
        calibrate(&figures, points, &runner(), interrupt::requested).map_err(Failure::Input)?;
    not_interrupted()?;
    let target = args.target.display().to_string();
    let view = CalibrationView {
        calibration: &calibration,
        target: &target,
    };
    emit(&report::render(&view, format)?, out)
}
