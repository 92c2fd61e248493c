//! `triage-sim backtest SCENARIO CALLS.csv`: the scenario simulated over the data's dates and
//! compared with it hour by hour; the data are single calls or an ACD interval report.

use std::path::PathBuf;

use super::commands::{load_scenario, runner, with_staffing};
use super::sink::{emit, write_chart};
use super::{Failure, LimitArgs, OutputArgs, SetArgs, cores, not_interrupted};
use crate::data::{is_interval_report, read_calls, read_intervals};
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
    let (format, out, chart) = args
        .output
        .checked(&[args.scenario.as_path(), args.calls.as_path()])?;
    if let Some(staffing) = &args.staffing {
        args.output.checked(&[staffing.as_path()])?;
    }
    let base = load_scenario(&args.scenario, &args.set.all(), args.replications)?;
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
    let (period, days) = data_period(first, last);
    let mut dated: Vec<Override> = args.set.all();
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
    read.map_err(|e| Failure::Input(e.to_string()))?;
    Ok(actuals)
}

/// The overrides that move a scenario onto the data's hours exactly, and the days covered:
/// the run starts at midnight of the first day from an empty centre, counts from the hour of
/// the first call (the hours before are its warm-up) and ends with the hour of the last, so
/// that every interval covers what the data covers.
pub(super) fn data_period(
    first: jiff::civil::DateTime,
    last: jiff::civil::DateTime,
) -> (Vec<Override>, u64) {
    let days = first.date().until(last.date()).map_or(0, |s| s.get_days()) as u64 + 1;
    let warmup_h = u64::try_from(first.hour()).unwrap_or(0);
    let horizon_h = (days - 1) * 24 + u64::try_from(last.hour()).unwrap_or(23) + 1;
    let overrides = vec![
        Override {
            key: "start_date".into(),
            value: first.date().to_string(),
        },
        Override {
            key: "horizon_hours".into(),
            value: horizon_h.to_string(),
        },
        Override {
            key: "warmup_hours".into(),
            value: warmup_h.to_string(),
        },
    ];
    (overrides, days)
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
