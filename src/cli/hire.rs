//! `triage-sim hire SCENARIO`: when to recruit and how many, so every month meets its targets.

use std::path::PathBuf;

use super::commands::{load_scenario, runner};
use super::sink::{emit, write_chart};
use super::{Failure, LimitArgs, OutputArgs, SetArgs, cores};
use crate::planning::budget::Work;
use crate::planning::hire::{HireError, HireOptions, plan};
use crate::planning::hire_cost::HireCosts;
use crate::report::chart::Chart;
use crate::report::{self, HireView};
use crate::scenario::{Override, Scenario};

/// Most simulations a plan may take.
const MAX_EVALUATIONS: usize = 120;

/// `triage-sim hire`.
#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  triage-sim hire scenarios/staffordshire-2024.toml --replications 4 --channel 999 --set channels.999.target.fraction=0.95\n  triage-sim hire scenarios/staffordshire-2024.toml --months 24 --risk 0.1 --intake-dates 2024-03-04,2024-09-02,2025-03-03 --cost-per-recruit 9000 --chart hire.png"
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
    /// Months to plan, from the scenario's start date (overrides its horizon_hours).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=600))]
    months: Option<u32>,
    /// The force's intake calendar: the only days a class may start (YYYY-MM-DD, comma
    /// separated or repeated; default the first of every month).
    #[arg(long, value_delimiter = ',', value_name = "DATE")]
    intake_dates: Vec<jiff::civil::Date>,
    /// One-off cost of a recruit (recruiting and training); costs the plan and baselines, with
    /// the scenario's `handlers.cost_per_handler` as each recruit's yearly cost in post.
    #[arg(long, value_name = "COST")]
    cost_per_recruit: Option<f64>,
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

/// The intake calendar as days from the run's start, ascending; `None` when none is given.
fn intake_days(dates: &[jiff::civil::Date], s: &Scenario) -> Result<Option<Vec<i64>>, Failure> {
    if dates.is_empty() {
        return Ok(None);
    }
    let run_days = s.horizon.as_secs() / crate::time::DAY_S;
    let mut days = Vec::new();
    for date in dates {
        let day = date
            .since(s.start_date)
            .map_or(-1, |span| i64::from(span.get_days()));
        if day < 0 || day as f64 >= run_days {
            return Err(Failure::Input(format!(
                "--intake-dates {date}: outside the run ({} for {:.0} days); expected dates within it",
                s.start_date, run_days
            )));
        }
        days.push(day);
    }
    days.sort_unstable();
    days.dedup();
    Ok(Some(days))
}

/// What the planner may do, from the flags, with names resolved against `scenario`.
fn options(args: &HireArgs, scenario: &Scenario) -> Result<HireOptions, Failure> {
    let mut channels = Vec::new();
    for name in &args.channels {
        channels.push(
            scenario
                .channels
                .iter()
                .position(|c| &c.name == name)
                .ok_or_else(|| {
                    let names: Vec<&str> =
                        scenario.channels.iter().map(|c| c.name.as_str()).collect();
                    Failure::Input(format!(
                        "--channel {name}: the scenario has no such channel; expected one of {}",
                        crate::scenario::one_of(name, &names)
                    ))
                })?,
        );
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
                    let names: Vec<&str> = scenario
                        .handlers
                        .groups
                        .iter()
                        .map(|g| g.name.as_str())
                        .collect();
                    Failure::Input(format!(
                        "--group {name}: the scenario has no such group; expected one of {}",
                        crate::scenario::one_of(name, &names)
                    ))
                })?,
        ),
    };
    Ok(HireOptions {
        channels,
        group,
        class: (args.min_class, args.max_class),
        risk: args.risk,
        max_evaluations: MAX_EVALUATIONS,
        intake_days: intake_days(&args.intake_dates, scenario)?,
        costs: args.cost_per_recruit.map(|per_recruit| HireCosts {
            per_recruit,
            per_handler_year: scenario.handlers.cost_per_handler,
        }),
    })
}

/// `triage-sim hire`.
pub(super) fn hire_command(args: &HireArgs) -> Result<(), Failure> {
    let (format, out, chart) = args.output.checked(&[&args.scenario])?;
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
    if let Some(c) = args.cost_per_recruit
        && !(c.is_finite() && c >= 0.0)
    {
        return Err(Failure::Input(format!(
            "--cost-per-recruit: expected a cost of at least 0; got {c}"
        )));
    }
    let mut scenario = load_scenario(&args.scenario, &args.set.all(), args.replications)?;
    if let Some(months) = args.months {
        let end = scenario
            .start_date
            .checked_add(jiff::Span::new().months(i64::from(months)))
            .map_err(|e| Failure::Input(format!("--months {months}: {e}")))?;
        let days = scenario
            .start_date
            .until(end)
            .map_or(0, |span| i64::from(span.get_days()));
        let mut set = args.set.all();
        set.push(Override {
            key: "horizon_hours".into(),
            value: (days * 24).to_string(),
        });
        scenario = load_scenario(&args.scenario, &set, args.replications)?;
    }
    let opts = options(args, &scenario)?;
    args.limits
        .allow(&Work::of(&scenario).times(MAX_EVALUATIONS as f64), cores())?;
    let runner = runner();
    let result = plan(&scenario, &opts, |s| runner.replicate(s));
    super::not_interrupted()?;
    let plan = result.map_err(|e: HireError| Failure::Input(e.to_string()))?;
    let view = HireView {
        name: &scenario.name,
        plan: &plan,
        risk: args.risk,
    };
    emit(&report::render(&view, format)?, out)?;
    let c = scenario
        .channels
        .iter()
        .position(|c| c.name == plan.channel)
        .unwrap_or(0);
    let picture = Chart::Hire {
        name: &scenario.name,
        plan: &plan,
        channel: &plan.channel,
        target: scenario.channels[c].target.fraction,
    };
    write_chart(chart, picture)
}
