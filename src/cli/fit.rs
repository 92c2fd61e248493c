//! `triage-sim fit CALLS.csv -o fitted.toml`: a scenario from a force's own call records.

use std::path::{Path, PathBuf};

use anyhow::Context;
use jiff::civil::Date;

use super::atomic_file;
use super::fit_staffing::{StaffingFit, fit_staffing};
use super::sink::{cannot_write, check_outputs, emit, stage_chart};
use super::{Failure, not_interrupted};
use crate::data::{self, Gathered, ReadOptions, ReadReport};
use crate::report::chart::Chart;
use crate::scenario::Scenario;

/// `triage-sim fit`.
#[derive(clap::Args, Clone, Debug)]
#[command(
    after_help = "Example:\n  triage-sim fit calls.csv -o fitted.toml --chart fit.png --staffing-out staffing.csv\n  triage-sim fit calls.csv -o fitted.toml --from 2024-01-01 --to 2024-06-30\n  triage-sim fit export.csv -o fitted.toml --map arrived=call_start --map channel=queue"
)]
pub(super) struct FitArgs {
    /// The per-call CSV, or an ACD interval report (told apart by its header; columns in
    /// docs/data.md).
    calls: PathBuf,
    /// Write the fitted scenario to this file (atomically) instead of standard output.
    #[arg(short = 'o', long = "out")]
    out: Option<PathBuf>,
    #[command(flatten)]
    read: ReadArgs,
    /// The summary's format: a table on standard error, or JSON on standard output (then the
    /// scenario needs -o).
    #[arg(long, value_enum, default_value_t = SummaryFormat::Table)]
    format: SummaryFormat,
    /// Also draw one channel's data against the fit (calls per day, handle times, patience
    /// survival) to this file (.svg or .png).
    #[arg(long)]
    chart: Option<PathBuf>,
    /// The channel --chart draws (default: the one with the most calls).
    #[arg(long)]
    channel: Option<String>,
    /// Also write handlers on duty by 30-minute interval, from the agents seen busy (the
    /// `agent` column) or an interval report's `agents_staffed`, times an effective-capacity
    /// factor fitted by simulation, as a staffing file for `run`/`backtest --staffing`.
    #[arg(long, value_name = "CSV")]
    staffing_out: Option<PathBuf>,
    /// How the fitted file gives handle times: the distribution chosen by likelihood, or the
    /// data's own (an even sample of up to 1,000, as an empirical distribution).
    #[arg(long, value_enum, default_value_t = HandleTimeArg::Fitted)]
    handle_time: HandleTimeArg,
}

/// `fit --format`: the summary is a table or JSON (the fitted scenario is TOML either way).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum SummaryFormat {
    /// A table on standard error.
    Table,
    /// JSON on standard output.
    Json,
}

/// `--handle-time`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum HandleTimeArg {
    /// Exponential, lognormal or gamma, chosen by BIC.
    Fitted,
    /// The data's own handle times.
    Empirical,
}

impl From<HandleTimeArg> for data::HandleChoice {
    fn from(a: HandleTimeArg) -> Self {
        match a {
            HandleTimeArg::Fitted => data::HandleChoice::Best,
            HandleTimeArg::Empirical => data::HandleChoice::Empirical,
        }
    }
}

/// How call records are read: the flags `fit` and `backtest` share.
#[derive(clap::Args, Clone, Debug)]
pub(super) struct ReadArgs {
    /// Only calls that arrived on or after this date (YYYY-MM-DD).
    #[arg(long)]
    from: Option<Date>,
    /// Only calls that arrived on or before this date (YYYY-MM-DD).
    #[arg(long)]
    to: Option<Date>,
    /// Make any messy row an error naming its line, instead of counting and reporting it.
    #[arg(long)]
    strict: bool,
    /// Read one of our columns from a column of another name: --map arrived=call_start
    /// (repeatable).
    #[arg(long = "map", value_name = "OURS=THEIRS")]
    map: Vec<String>,
}

impl ReadArgs {
    /// The reader's options, the `--map` flags checked.
    pub(super) fn options(&self) -> Result<ReadOptions, Failure> {
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from > to
        {
            return Err(Failure::Input(format!(
                "--from {from} is after --to {to}; expected --from on or before --to"
            )));
        }
        Ok(ReadOptions {
            strict: self.strict,
            map: column_map(&self.map)?,
            from: self.from,
            to: self.to,
            stop: Some(super::interrupt::requested),
        })
    }
}

/// The `--map OURS=THEIRS` flags of the commands that read call records.
fn column_map(flags: &[String]) -> Result<Vec<(String, String)>, Failure> {
    flags
        .iter()
        .map(|m| match m.split_once('=') {
            Some((ours, _))
                if !data::read::KNOWN_COLUMNS.contains(&ours.trim())
                    && !ours.trim().is_empty() =>
            {
                Err(Failure::Input(format!(
                    "--map {m}: \"{}\" is none of our columns; expected OURS=THEIRS with OURS one of {}",
                    ours.trim(),
                    data::read::KNOWN_COLUMNS.join(", ")
                )))
            }
            Some((ours, theirs)) if !ours.trim().is_empty() && !theirs.trim().is_empty() => {
                Ok((ours.trim().to_owned(), theirs.trim().to_owned()))
            }
            _ => Err(Failure::Input(format!(
                "--map {m}: expected OURS=THEIRS, e.g. --map arrived=call_start"
            ))),
        })
        .collect()
}

/// Runs `fit`.
pub(super) fn fit_command(args: &FitArgs) -> Result<(), Failure> {
    check_paths(args)?;
    let json = args.format == SummaryFormat::Json;
    if json && args.out.is_none() {
        return Err(Failure::Input(
            "--format json prints the summary on standard output; expected -o FILE for the fitted scenario".into(),
        ));
    }
    let (gathered, activity, report) = read_records(args)?;
    let source = args.calls.display().to_string();
    // Before fitting: a fit walks every day of the span, which may be centuries.
    if let (Some(first), Some(last)) = (gathered.first, gathered.last) {
        // The fitted run covers whole days: from midnight of the first to the end of the last.
        data::data_period(first, last.date().at(23, 0, 0, 0))
            .map_err(|e| Failure::Input(format!("{source}: {e}")))?;
    }
    let Some(fit) = data::fit(&gathered) else {
        let skipped: String = report
            .classes
            .iter()
            .map(|(class, n)| {
                let first = report.first_lines.get(class).copied().unwrap_or(0);
                format!("; {n} rows: {class} (the first on line {first})")
            })
            .collect();
        return Err(Failure::Input(format!(
            "{source}: no answered or abandoned calls to fit ({} rows read{skipped})",
            report.rows
        )));
    };
    let text = data::fitted_toml(&fit, &source, &report, args.handle_time.into())
        .map_err(|e| Failure::Input(format!("{source}: {e}")))?;
    let fitted = Scenario::from_toml_str(&text, "the fitted scenario").map_err(|e| {
        Failure::Runtime(anyhow::anyhow!(
            "the fitted scenario is not valid (a bug):\n{e}"
        ))
    })?;
    let staffing = match &args.staffing_out {
        Some(_) => Some(fit_staffing(&activity, &fit, &gathered, &fitted)?),
        None => None,
    };
    // Every output is written whole, and none before all are ready: a failure or Ctrl-C up to
    // here leaves every file as it was.
    let mut staged = atomic_file::Staged::default();
    if let Some(path) = args.out.as_deref().filter(|p| !atomic_file::is_stdout(p)) {
        staged
            .bytes(path, text.as_bytes())
            .map_err(cannot_write(path))?;
    }
    if let (Some(s), Some(path)) = (&staffing, args.staffing_out.as_deref()) {
        staged
            .bytes(path, s.text.as_bytes())
            .map_err(cannot_write(path))?;
    }
    if let Some(path) = &args.chart {
        stage_fit_chart(&mut staged, path, args.channel.as_deref(), &fit, &gathered)?;
    }
    not_interrupted()?;
    staged.commit().context("cannot write the outputs")?;
    if args.out.as_deref().is_none_or(atomic_file::is_stdout) {
        emit(&text, None)?;
    }
    if json {
        emit(&summary_json(&fit, &report, staffing.as_ref()), None)?;
    } else {
        super::say(&summary_table(&fit, &report));
        match (&staffing, &args.staffing_out) {
            (Some(s), Some(path)) => super::say(&staffing_line(s, path)),
            _ => super::say(
                "\nhandlers: a placeholder pool sized to the average load, not estimated; \
                 --staffing-out staffing.csv gives on-duty levels from the data's agent activity\n",
            ),
        }
    }
    Ok(())
}

/// The calls (or interval report) read and gathered for the fit, with the agent activity
/// `--staffing-out` needs.
fn read_records(args: &FitArgs) -> Result<(Gathered, data::AgentActivity, ReadReport), Failure> {
    let options = args.read.options()?;
    let mut gathered = Gathered::default();
    let mut activity = data::AgentActivity::default();
    let report = if data::is_interval_report(&args.calls, &options) {
        let mut used = 0;
        let rows = data::read_intervals(&args.calls, &options, |row| {
            used += 1;
            gathered.add_interval(row);
            if let Some(agents) = row.agents_staffed.filter(|_| args.staffing_out.is_some()) {
                activity.add_staffed(row.start, agents);
            }
        })
        .map_err(read_failed)?;
        ReadReport {
            rows,
            used,
            ..ReadReport::default()
        }
    } else {
        data::read_calls(&args.calls, &options, |row| {
            gathered.add(row);
            if args.staffing_out.is_some() {
                activity.add(row);
            }
        })
        .map_err(read_failed)?
    };
    Ok((gathered, activity, report))
}

/// A reading error as the failure it is: Ctrl-C (exit 130), else bad input (exit 2).
pub(super) fn read_failed(e: data::read::ReadError) -> Failure {
    match not_interrupted() {
        Err(interrupted) => interrupted,
        Ok(()) => Failure::Input(e.to_string()),
    }
}

/// The output paths: each in a directory that exists, none the calls file or another output;
/// `--channel` only with `--chart`.
fn check_paths(args: &FitArgs) -> Result<(), Failure> {
    if args.chart.is_none() && args.channel.is_some() {
        return Err(Failure::Input(
            "--channel picks the channel --chart draws; expected --chart too".into(),
        ));
    }
    check_outputs(
        &[&args.calls],
        &[
            ("-o", args.out.as_deref()),
            ("--chart", args.chart.as_deref()),
            ("--staffing-out", args.staffing_out.as_deref()),
        ],
    )
}

/// The fit chart of the channel `--channel` names, or of the one with the most calls, staged.
fn stage_fit_chart(
    staged: &mut atomic_file::Staged,
    path: &Path,
    named: Option<&str>,
    fit: &data::Fit,
    gathered: &Gathered,
) -> Result<(), Failure> {
    let chosen = match named {
        Some(name) => fit
            .channels
            .iter()
            .find(|c| c.name == name)
            .ok_or_else(|| {
                let known: Vec<&str> = fit.channels.iter().map(|c| c.name.as_str()).collect();
                Failure::Input(format!(
                    "--channel: no channel \"{name}\" in the data; expected one of {}",
                    known.join(", ")
                ))
            })?,
        None => fit
            .channels
            .iter()
            .max_by_key(|c| c.calls)
            .ok_or_else(|| Failure::Input("no channel to draw".into()))?,
    };
    let Some(data) = gathered.channels.get(&chosen.name) else {
        return Err(Failure::Input(format!("no data for {}", chosen.name)));
    };
    let curves = data::fit_curves(chosen, data, fit.start, fit.days);
    stage_chart(staged, path, Chart::Fit { curves: &curves })
}

/// The summary as a table.
fn summary_table(fit: &data::Fit, report: &ReadReport) -> String {
    let mut out = format!(
        "{} rows read, {} used ({} days from {})\n",
        report.rows, report.used, fit.days, fit.start
    );
    for (class, n) in &report.classes {
        let first = report
            .first_lines
            .get(class)
            .map_or(String::new(), |l| format!(" (the first on line {l})"));
        out.push_str(&format!("  {n} rows: {class}{first}\n"));
    }
    for (value, n) in &report.other_outcomes {
        out.push_str(&format!("  {n} rows with outcome {value:?}, skipped\n"));
    }
    out.push_str(&format!(
        "\n{:<12} {:>9} {:>9} {:>9} {:>24} {:>16}\n",
        "channel", "calls", "per hour", "day_cv", "handle time", "patience"
    ));
    for c in &fit.channels {
        let handle = c.handle.first().map_or("—".to_owned(), |h| {
            format!("{} {:.0}±{:.0} s", h.kind, h.mean_s, h.sd_s)
        });
        let patience = c.patience_mean_s.map_or("—".to_owned(), |m| {
            format!("{m:.0} ± {:.0} s", c.patience_se_s)
        });
        out.push_str(&format!(
            "{:<12} {:>9} {:>9.2} {:>9.3} {:>24} {:>16}\n",
            c.name, c.calls, c.rate_per_hour, c.day_cv, handle, patience
        ));
        for w in &c.warnings {
            out.push_str(&format!("  warning: {w}\n"));
        }
    }
    out
}

/// What `--staffing-out` wrote, in words.
fn staffing_line(s: &StaffingFit, path: &std::path::Path) -> String {
    let fitted = if s.identified {
        format!(
            "the fitted scenario so staffed waits {:.1} s on average against {:.1} s in the data",
            s.simulated_wait_s, s.observed_wait_s
        )
    } else {
        format!(
            "not identified: at the end of its range the fitted scenario waits {:.1} s against {:.1} s in the data",
            s.simulated_wait_s, s.observed_wait_s
        )
    };
    format!(
        "\nstaffing: {} half-hours written to {} from {} agents seen busy, times an effective-capacity factor of {:.2} ({fitted})\n",
        s.intervals,
        path.display(),
        s.agents,
        s.factor
    )
}

/// The summary as JSON.
fn summary_json(fit: &data::Fit, report: &ReadReport, staffing: Option<&StaffingFit>) -> String {
    let channels: serde_json::Map<String, serde_json::Value> = fit
        .channels
        .iter()
        .map(|c| {
            let handle: Vec<serde_json::Value> = c
                .handle
                .iter()
                .map(|h| {
                    serde_json::json!({"dist": h.kind, "mean_s": h.mean_s, "sd_s": h.sd_s, "log_likelihood": h.log_likelihood})
                })
                .collect();
            (
                c.name.clone(),
                serde_json::json!({
                    "calls": c.calls,
                    "rate_per_hour": c.rate_per_hour,
                    "redial": c.redial.map(|(p, se, delay)| serde_json::json!({"probability": p, "probability_se": se, "mean_delay_s": delay})),
                    "day_cv": c.day_cv,
                    "hour_of_week": c.hour_of_week,
                    "handle_time": handle,
                    "patience_mean_s": c.patience_mean_s,
                    "patience_fits": c.patience_fits.iter().map(|f| serde_json::json!({"dist": f.kind, "mean_s": f.mean_s, "sd_s": f.sd_s, "log_likelihood": f.log_likelihood})).collect::<Vec<_>>(),
                    "patience_se_s": if c.patience_se_s.is_finite() { Some(c.patience_se_s) } else { None },
                    "patience_median_km_s": c.patience_median_km_s,
                    "abandonment_rate": c.abandonment_rate,
                    "mean_wait_s": c.mean_wait_s,
                    "warnings": c.warnings,
                }),
            )
        })
        .collect();
    let value = serde_json::json!({
        "rows": report.rows,
        "used": report.used,
        "outside_dates": report.outside_dates,
        "messy_rows": report.classes,
        "messy_rows_first_line": report.first_lines,
        "other_outcomes": report.other_outcomes,
        "start_date": fit.start.to_string(),
        "days": fit.days,
        "channels": channels,
        "staffing": staffing.map(|s| serde_json::json!({
            "intervals": s.intervals,
            "agents": s.agents,
            "factor": s.factor,
            "identified": s.identified,
            "observed_mean_wait_s": s.observed_wait_s,
            "simulated_mean_wait_s": s.simulated_wait_s,
        })),
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}
