//! `triage-sim hire SCENARIO`: when to recruit and how many, so every month meets its targets.

use std::path::PathBuf;

use super::commands::{load_scenario, runner};
use super::sink::emit;
use super::{Failure, LimitArgs, OutputArgs, SetArgs, cores};
use crate::planning::budget::Work;
use crate::planning::hire::{HireError, HireOptions, plan};
use crate::report::{self, HireView};

/// Most simulations a plan may take.
const MAX_EVALUATIONS: usize = 120;

/// `triage-sim hire`.
#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  triage-sim hire scenarios/staffordshire-2024.toml --replications 4 --channel 999 --set channels.999.target.fraction=0.95"
)]
pub(super) struct HireArgs {
    /// The scenario: its rota, attrition and latest recruit cohort (training and ramp-up).
    scenario: PathBuf,
    /// Channels whose targets count (repeatable; default every channel).
    #[arg(long = "channel")]
    channels: Vec<String>,
    /// The group recruits join (default: spread over the groups by size).
    #[arg(long)]
    group: Option<String>,
    /// Smallest class (recruits in one intake).
    #[arg(long, default_value_t = 1)]
    min_class: u32,
    /// Largest class.
    #[arg(long, default_value_t = 30)]
    max_class: u32,
    /// Judge each month by P(every target met) ≥ 1 − RISK across replications.
    #[arg(long)]
    risk: Option<f64>,
    /// Replications (overrides the file).
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..=100_000))]
    replications: Option<u32>,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    set: SetArgs,
    #[command(flatten)]
    limits: LimitArgs,
}

/// `triage-sim hire`.
pub(super) fn hire_command(args: &HireArgs) -> Result<(), Failure> {
    let (format, out, chart) = args.output.checked(&[&args.scenario])?;
    if chart.is_some() {
        return Err(Failure::Input(
            "hire draws no chart yet; expected no --chart".into(),
        ));
    }
    if args.min_class == 0 || args.min_class > args.max_class {
        return Err(Failure::Input(format!(
            "--min-class {} and --max-class {}: expected 1 ≤ min ≤ max",
            args.min_class, args.max_class
        )));
    }
    if let Some(r) = args.risk
        && !(r > 0.0 && r < 1.0)
    {
        return Err(Failure::Input(format!(
            "--risk: expected a risk between 0 and 1 (exclusive), e.g. 0.1; got {r}"
        )));
    }
    let scenario = load_scenario(&args.scenario, &args.set.set, args.replications)?;
    let index = |name: &String| scenario.channels.iter().position(|c| &c.name == name);
    let mut channels = Vec::new();
    for name in &args.channels {
        channels.push(index(name).ok_or_else(|| {
            Failure::Input(format!(
                "--channel {name}: the scenario has no such channel"
            ))
        })?);
    }
    let group = match &args.group {
        None => None,
        Some(name) => Some(
            scenario
                .handlers
                .groups
                .iter()
                .position(|g| &g.name == name)
                .ok_or_else(|| {
                    Failure::Input(format!("--group {name}: the scenario has no such group"))
                })?,
        ),
    };
    args.limits
        .allow(&Work::of(&scenario).times(MAX_EVALUATIONS as f64), cores())?;
    let opts = HireOptions {
        channels,
        group,
        class: (args.min_class, args.max_class),
        risk: args.risk,
        max_evaluations: MAX_EVALUATIONS,
    };
    let runner = runner();
    let result = plan(&scenario, &opts, |s| runner.replicate(s));
    super::not_interrupted()?;
    let plan = result.map_err(|e: HireError| Failure::Input(e.to_string()))?;
    let view = HireView {
        name: &scenario.name,
        plan: &plan,
        risk: args.risk,
    };
    emit(&report::render(&view, format)?, out)
}
