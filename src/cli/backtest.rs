//! `triage-sim backtest SCENARIO CALLS.csv`: the scenario simulated over the data's dates and
//! compared with it hour by hour; the data are single calls or an ACD interval report.

use std::path::PathBuf;

use super::commands::{load_scenario, runner, with_staffing};
use super::sink::{emit, write_chart};
use super::{Failure, LimitArgs, OutputArgs, SetArgs, cores, not_interrupted};
use crate::data::{data_period, is_interval_report, read_calls, read_intervals};
use crate::planning::backtest::{Actuals, Basis, compare, summarise};
use crate::planning::budget::Work;
use crate::report::chart::Chart;
use crate::report::{self, BacktestView};
use crate::scenario::Override;

/// `triage-sim backtest`.
#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  triage-sim run scenarios/mm14-patience.toml --calls calls.csv\n  triage-sim backtest scenarios/mm14-patience.toml calls.csv --seed 7 --replications 40\n  triage-sim backtest fitted.toml calls.csv --staffing staffing.csv --chart backtest.png"
)]
pub(super) struct BacktestArgs {
    /// The scenario to test.
    scenario: PathBuf,
    /// The per-call CSV, or an ACD interval report (told apart by its header: interval_start,
    /// channel, offered, answered, abandoned …; docs/data.md); channels are matched to the
    /// scenario's by name.
    calls: PathBuf,
    #[command(flatten)]
    read: super::fit::ReadArgs,
    /// Handlers on duty by dated interval from this CSV (`interval_start,on_duty[,group]`,
    /// docs/data.md) instead of the scenario's rota, for the groups it names.
    #[arg(long, value_name = "CSV")]
    staffing: Option<PathBuf>,
    /// The channel --chart draws (default: the scenario's first channel with calls in the
    /// data).
    #[arg(long)]
    channel: Option<String>,
    /// Replications (overrides the file; more give a finer band).
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..=100_000))]
    replications: Option<u32>,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    set: SetArgs,
    #[command(flatten)]
    limits: LimitArgs,
}

pub(super) fn backtest_command(args: &BacktestArgs) -> Result<(), Failure> {
    let inputs: Vec<&std::path::Path> = [args.scenario.as_path(), args.calls.as_path()]
        .into_iter()
        .chain(args.staffing.as_deref())
        .collect();
    let (format, out, chart) = args.output.checked(&inputs)?;
    let given = args.set.all();
    if let Some(key) = crate::data::period::fixed_by_the_data(given.iter().map(|o| o.key.as_str()))
    {
        return Err(Failure::Input(format!(
            "--set {key}: backtest runs over the data's own dates, which fix {}; expected none of them (--from and --to choose the dates)",
            crate::data::PERIOD_KEYS.join(", ")
        )));
    }
    let base = load_scenario(&args.scenario, &given, args.replications)?;
    let actuals = read_actuals(&args.calls, &args.read.options()?, &base)?;
    let (Some(first), Some(last)) = (actuals.first, actuals.last) else {
        return Err(Failure::Input(format!(
            "{}: no answered or abandoned calls to compare",
            args.calls.display()
        )));
    };
    let chart_of = match (chart, &args.channel) {
        (Some(_), named) => chart_channel(named.as_deref(), &base, &actuals)?,
        (None, Some(_)) => return Err(Failure::Input(CHANNEL_WITHOUT_CHART.into())),
        (None, None) => None,
    };
    let (s, days) = over_the_data(args, first, last)?;
    args.limits.allow(&Work::of(&s), cores())?;
    let results = runner().replicate(&s);
    not_interrupted()?;
    let hour_of_week = compare(&actuals, &results, Basis::HourOfWeek);
    let hour_of_day = compare(&actuals, &results, Basis::HourOfDay);
    let by_day = compare(&actuals, &results, Basis::Day);
    let summaries: Vec<_> = (0..s.channels.len())
        .map(|c| summarise(&hour_of_week, c))
        .collect();
    let day_summaries: Vec<_> = (0..s.channels.len())
        .map(|c| summarise(&by_day, c))
        .collect();
    let channels: Vec<String> = s.channels.iter().map(|c| c.name.clone()).collect();
    let calls = args.calls.display().to_string();
    let view = BacktestView {
        scenario: &s.name,
        calls: &calls,
        start: first.date().to_string(),
        days,
        replications: s.replications,
        seed: s.seed,
        channels: &channels,
        hour_of_week: &hour_of_week,
        hour_of_day: &hour_of_day,
        by_day: &by_day,
        summaries: &summaries,
        day_summaries: &day_summaries,
        unknown_channels: &actuals.unknown_channels,
    };
    emit(&report::render(&view, format)?, out)?;
    match chart_of {
        Some(c) => draw_chart(chart, &s, c, &hour_of_week),
        None => Ok(()),
    }
}

/// The backtest chart of channel `c`, written to `path`.
fn draw_chart(
    path: Option<&std::path::Path>,
    s: &crate::scenario::Scenario,
    c: usize,
    hour_of_week: &[crate::planning::backtest::IntervalComparison],
) -> Result<(), Failure> {
    let hours: Vec<_> = hour_of_week
        .iter()
        .filter(|i| i.channel == c)
        .cloned()
        .collect();
    let picture = Chart::Backtest {
        hours: &hours,
        channel: &s.channels[c].name,
        target: s.channels[c].target.fraction,
    };
    write_chart(path, picture)
}

/// The scenario moved to the data's hours (with `--seed`, `--staffing` and per-day results),
/// and the days the data cover.
fn over_the_data(
    args: &BacktestArgs,
    first: jiff::civil::DateTime,
    last: jiff::civil::DateTime,
) -> Result<(crate::scenario::Scenario, u64), Failure> {
    let given = args.set.all();
    let (period, days) = data_period(first, last)
        .map_err(|e| Failure::Input(format!("{}: {e}", args.calls.display())))?;
    let mut dated: Vec<Override> = given;
    dated.extend(period);
    let mut s = load_scenario(&args.scenario, &dated, args.replications)?;
    s.day_intervals = true;
    let s = with_staffing(s, args.staffing.as_deref())?;
    Ok((s, days))
}

const CHANNEL_WITHOUT_CHART: &str =
    "--channel picks the channel --chart draws; expected --chart too";

/// The data, per call or per interval of an ACD report (told apart by the header).
pub(super) fn read_actuals(
    path: &std::path::Path,
    options: &crate::data::ReadOptions,
    base: &crate::scenario::Scenario,
) -> Result<Actuals, Failure> {
    let mut actuals = Actuals::new(base);
    let read = if is_interval_report(path, options) {
        read_intervals(path, options, |row| actuals.add_interval(row)).map(|_| ())
    } else {
        read_calls(path, options, |row| actuals.add(row)).map(|_| ())
    };
    read.map_err(super::fit::read_failed)?;
    let known = actuals
        .cells
        .iter()
        .any(|c| c.iter().any(|cell| cell.offered > 0));
    if !known && !actuals.unknown_channels.is_empty() {
        let found: Vec<String> = actuals
            .unknown_channels
            .iter()
            .map(|(name, n)| format!("\"{name}\" ({n} calls)"))
            .collect();
        let ours: Vec<&str> = base.channels.iter().map(|c| c.name.as_str()).collect();
        return Err(Failure::Input(format!(
            "{}: no row names a channel of the scenario ({}); the data has {}; expected the scenario's channel names (or --map channel=COLUMN)",
            path.display(),
            ours.join(", "),
            found.join(", ")
        )));
    }
    Ok(actuals)
}

/// The channel `--chart` draws: the one `--channel` names, or the first with calls in the data.
fn chart_channel(
    named: Option<&str>,
    s: &crate::scenario::Scenario,
    actuals: &Actuals,
) -> Result<Option<usize>, Failure> {
    match named {
        Some(name) => s
            .channels
            .iter()
            .position(|c| c.name == name)
            .map(Some)
            .ok_or_else(|| {
                let known: Vec<&str> = s.channels.iter().map(|c| c.name.as_str()).collect();
                Failure::Input(format!(
                    "--channel: no channel \"{name}\"; expected one of {}",
                    known.join(", ")
                ))
            }),
        None => {
            Ok((0..s.channels.len())
                .find(|&c| actuals.cells[c].iter().any(|cell| cell.offered > 0)))
        }
    }
}
