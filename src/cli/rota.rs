//! `triage-sim rota SCENARIO`: shifts designed to cover the hourly requirement at the fewest
//! FTE, written as runnable scenario groups and checked by simulating them.

use std::path::{Path, PathBuf};

use super::commands::{load_scenario, runner};
use super::sink::{emit, write_chart};
use super::{Failure, LimitArgs, OutputArgs, SetArgs};
use crate::planning::rota::{RotaDesign, RotaOptions, Unsocial, design};
use crate::report::chart::Chart;
use crate::report::{self, RotaView};
use crate::scenario::Scenario;

/// `triage-sim rota`.
#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  triage-sim rota scenarios/staffordshire-2024.toml --replications 4 --shift-lengths 8,10,12 --patterns 4on4off,5on2off --starts 06..22 --scenario-out rota.toml\n  triage-sim run rota.toml"
)]
pub(super) struct RotaArgs {
    /// The scenario whose demand and targets the rota must meet.
    scenario: PathBuf,
    /// Shift lengths to choose from, in whole hours from 1 to 24.
    #[arg(long, value_delimiter = ',', default_value = "8,10,12",
          value_parser = clap::value_parser!(u32).range(1..=24))]
    shift_lengths: Vec<u32>,
    /// Day patterns to choose from (runs of days on and off; 7-day patterns in any rotation).
    #[arg(long, value_delimiter = ',', default_value = "4on4off,5on2off")]
    patterns: Vec<String>,
    /// Allowed start hours, first..last (hours of the day, e.g. 06..22 or 06:00..22:00).
    #[arg(long, default_value = "06..22", value_parser = parse_starts)]
    starts: (u32, u32),
    /// Target probability of waiting for the hourly requirement (default 1 − the
    /// best-priority channel's target fraction).
    #[arg(long)]
    alpha: Option<f64>,
    /// Extra pay for unsocial hours, as a share of the plain rate (e.g. 0.2): the rota then
    /// minimises pay, not FTE.
    #[arg(long, value_name = "SHARE")]
    unsocial_premium: Option<f64>,
    /// The hours of the day paid at the premium, FROM..UNTIL (may cross midnight).
    #[arg(long, default_value = "20..06", value_parser = parse_hours)]
    unsocial_hours: (u32, u32),
    /// At most this many distinct shifts (lines of the rota): fewer shift types to manage, at
    /// some cost in FTE (the LP bound reported stays that of any number of shifts).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1000))]
    max_shifts: Option<u32>,
    /// Replications (overrides the file), for the requirement and the check.
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..=100_000))]
    replications: Option<u32>,
    /// Write the scenario with the designed rota as its handler groups (TOML, atomically).
    #[arg(long, value_name = "PATH")]
    scenario_out: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    set: SetArgs,
    #[command(flatten)]
    limits: LimitArgs,
}

/// `--starts 06..22` or `06:00..22:00`.
fn parse_starts(text: &str) -> Result<(u32, u32), String> {
    let hour = |t: &str| -> Option<u32> {
        let h = t.split(':').next()?.trim().parse::<u32>().ok()?;
        (h < 24).then_some(h)
    };
    text.split_once("..")
        .and_then(|(a, b)| Some((hour(a)?, hour(b)?)))
        .filter(|(a, b)| a <= b)
        .ok_or_else(|| format!("expected FIRST..LAST start hours, e.g. 06..22; got {text:?}"))
}

/// `--unsocial-hours 20..06`: hours of the day, the window may cross midnight.
fn parse_hours(text: &str) -> Result<(u32, u32), String> {
    let hour = |t: &str| -> Option<u32> {
        let h = t.split(':').next()?.trim().parse::<u32>().ok()?;
        (h < 24).then_some(h)
    };
    text.split_once("..")
        .and_then(|(a, b)| Some((hour(a)?, hour(b)?)))
        .filter(|(a, b)| a != b)
        .ok_or_else(|| format!("expected FROM..UNTIL hours of the day, e.g. 20..06; got {text:?}"))
}

/// `triage-sim rota`.
pub(super) fn rota_command(args: &RotaArgs) -> Result<(), Failure> {
    let (format, out, chart) = args.output.checked_with(
        &[&args.scenario],
        &[("--scenario-out", args.scenario_out.as_deref())],
    )?;
    if let Some(p) = args.unsocial_premium
        && !(p.is_finite() && (0.0..=10.0).contains(&p))
    {
        return Err(Failure::Input(format!(
            "--unsocial-premium: expected a share of the plain rate from 0 to 10, e.g. 0.2; got {p}"
        )));
    }
    let unsocial = args.unsocial_premium.map(|premium| Unsocial {
        from_hour: args.unsocial_hours.0,
        until_hour: args.unsocial_hours.1,
        premium,
    });
    let scenario = load_scenario(&args.scenario, &args.set.all(), args.replications)?;
    let (need, alpha) =
        super::staff::hourly_requirement("rota", &scenario, args.alpha, &args.limits, 1.0)?;
    let opts = RotaOptions {
        lengths: args.shift_lengths.clone(),
        patterns: args.patterns.clone(),
        starts: args.starts,
        on_duty_share: 1.0 - scenario.handlers.shrinkage,
        fte_hours_per_week: scenario.handlers.fte_hours_per_week,
        start_weekday: scenario.start_date.weekday().to_monday_zero_offset() as usize,
        meal_break: scenario.handlers.meal_break_window,
        unsocial,
        max_shifts: args.max_shifts.map(|n| n as usize),
    };
    let rota = design(&need.isa, &opts).map_err(|e| Failure::Input(e.to_string()))?;
    let text = scenario_with_rota(&args.scenario, &scenario, &rota)?;
    let checked =
        Scenario::from_toml_str_with(&text, &args.scenario.display().to_string(), &args.set.all())
            .map_err(|e| Failure::Input(format!("the designed rota does not load: {e}")))?;
    let mut checked = checked;
    checked.replications = scenario.replications;
    let results = runner().replicate(&checked);
    super::not_interrupted()?;
    if let Some(path) = &args.scenario_out {
        emit(&text, Some(path))?;
    }
    let view = RotaView {
        name: &scenario.name,
        rota: &rota,
        results: &results,
        alpha,
        unsocial,
    };
    emit(&report::render(&view, format)?, out)?;
    let picture = Chart::Rota {
        name: &scenario.name,
        rota: &rota,
    };
    write_chart(chart, picture)
}

/// The scenario file's text with its handlers replaced by the designed rota's groups, each
/// serving every channel (skills, recruits and non-call work are the planner's to add back).
fn scenario_with_rota(
    file: &Path,
    scenario: &Scenario,
    rota: &RotaDesign,
) -> Result<String, Failure> {
    let original = std::fs::read_to_string(file)
        .map_err(|e| Failure::Input(format!("{}: {e}", file.display())))?;
    let mut doc: toml_edit::DocumentMut = original
        .parse()
        .map_err(|e| Failure::Input(format!("{}: {e}", file.display())))?;
    let handlers = doc
        .entry("handlers")
        .or_insert(toml_edit::table())
        .as_table_mut()
        .ok_or_else(|| Failure::Input("handlers: expected a table".into()))?;
    for key in ["count", "groups", "hires"] {
        handlers.remove(key);
    }
    let mut groups = toml_edit::Table::new();
    groups.set_implicit(true);
    let channels: toml_edit::Array = scenario.channels.iter().map(|c| c.name.as_str()).collect();
    for (i, s) in rota.shifts.iter().enumerate() {
        let mut g = toml_edit::Table::new();
        g["headcount"] = toml_edit::value(i64::from(s.headcount));
        g["teams"] = toml_edit::value(i64::from(s.teams));
        g["shift_start"] = toml_edit::value(format!("{:02}:00", s.start_hour));
        g["shift_hours"] = toml_edit::value(i64::from(s.hours));
        g["pattern"] = toml_edit::value(s.scenario_pattern.clone());
        g["channels"] = toml_edit::value(channels.clone());
        if let Some(b) = s.meal_break {
            let mut t = toml_edit::InlineTable::new();
            t.insert("after_hours", i64::from(b.after_hours).into());
            t.insert("minutes", b.minutes.into());
            g["meal_break"] = toml_edit::value(t);
        }
        let name = format!("rota{}_{:02}h{}", i + 1, s.start_hour, s.hours);
        g.decor_mut()
            .set_prefix(format!("\n# {} ({})\n", s.days, s.pattern));
        groups.insert(&name, toml_edit::Item::Table(g));
    }
    handlers.insert("groups", toml_edit::Item::Table(groups));
    Ok(format!(
        "# Rota designed by `triage-sim rota` from {}: {} heads, {:.1} FTE.\n{doc}",
        file.display(),
        rota.heads,
        rota.fte
    ))
}
