//! The `triage-sim` command line: parses flags, runs one command, maps errors to exit codes
//! (0 success, 1 failure while running or writing, 2 bad input or usage, 130 interrupted).
//!
//! `mod.rs` holds the flags and the dispatch; `commands` the commands; `sink` where
//! results go (standard output, atomic files, charts).

mod atomic_file;
mod backtest;
mod calibrate;
mod commands;
mod fit;
mod fit_staffing;
mod flag_values;
mod hire;
pub mod interrupt;
mod progress;
mod report;
mod rota;
mod sink;
mod staff;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::erlang::ErlangInput;
use crate::planning::budget::{Limits, Work};
use crate::planning::sweep::Vary;
use crate::report::{Format, RenderError};
use crate::scenario::{LoadError, Override};

use commands::*;
use flag_values::{FormatArg, IntervalArg};
use sink::{check_chart_path, check_output_dir};
use staff::staff_command;

/// Discrete-event simulation of a police contact centre (999, 101, web, triage).
///
/// With no command, simulates the built-in default scenario and prints a table.
#[derive(Parser)]
#[command(name = "triage-sim", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Worker threads for replications, on every command (default: all cores). Results do not
    /// depend on it.
    #[arg(long, global = true, value_parser = clap::value_parser!(u32).range(1..=4096))]
    threads: Option<u32>,
}

#[derive(Subcommand)]
enum Command {
    /// Simulate a scenario file and report every KPI with its 95% confidence interval.
    Run(RunArgs),
    /// Validate a scenario and print what it resolved to, or every error.
    Check(CheckArgs),
    /// Find the fewest call handlers that meet every target (common random numbers).
    Staff(StaffArgs),
    /// Paired what-if: B − A for every KPI with a confidence interval of the difference.
    Compare(CompareArgs),
    /// Grid over one or two parameters, each point replicated.
    Sweep(SweepArgs),

    /// One self-contained HTML report: KPIs with CIs, charts, the staffing answer, assumptions.
    Report(ReportArgs),
    /// Published figures beside the simulation: each scenario named in FILE is run once, and
    /// every figure is shown with its simulated mean, 95% CI and whether it is within tolerance.
    Published(PublishedArgs),
    /// Analytic Erlang C (or, with --patience-s, Erlang A) answer-time figures.
    #[command(allow_negative_numbers = true)]
    Erlang(ErlangArgs),
    /// Fit a scenario to a per-call CSV or an ACD interval report (docs/data.md): volumes,
    /// profiles, day-to-day spread, handle time and patience per channel; staffing by interval.
    Fit(fit::FitArgs),
    /// Fit unobservable values (non-call work, patience, …) to a file of published figures or
    /// to a force's records: a grid with common random numbers, each value with its range.
    Calibrate(calibrate::CalibrateArgs),
    /// Simulate the dates of a per-call CSV or interval report and compare by hour and by day:
    /// offered, service level, mean wait, abandonment, with the 95% band, bias and coverage.
    Backtest(backtest::BacktestArgs),
    /// Design shifts (start, length, days) covering the hourly requirement at the fewest FTE,
    /// check them by simulation, and write them as scenario groups.
    Rota(rota::RotaArgs),
    /// Plan recruitment: intakes (dates and sizes) so that every month meets its targets,
    /// recruits trained as the scenario's own cohort.
    Hire(hire::HireArgs),
}

impl Command {
    /// The command's name as typed (the progress line's label).
    fn name(command: Option<&Command>) -> &'static str {
        match command {
            None => "triage-sim",
            Some(Command::Run(_)) => "run",
            Some(Command::Check(_)) => "check",
            Some(Command::Staff(_)) => "staff",
            Some(Command::Compare(_)) => "compare",
            Some(Command::Sweep(_)) => "sweep",
            Some(Command::Report(_)) => "report",
            Some(Command::Published(_)) => "published",
            Some(Command::Erlang(_)) => "erlang",
            Some(Command::Fit(_)) => "fit",
            Some(Command::Calibrate(_)) => "calibrate",
            Some(Command::Backtest(_)) => "backtest",
            Some(Command::Rota(_)) => "rota",
            Some(Command::Hire(_)) => "hire",
        }
    }
}

/// The `check` command's arguments.
#[derive(clap::Args)]
struct CheckArgs {
    /// The scenario TOML file.
    file: PathBuf,
    #[command(flatten)]
    set: SetArgs,
}

/// The `compare` command's arguments.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  triage-sim compare scenarios/staffordshire-2023.toml scenarios/staffordshire-2024.toml\n  triage-sim compare scenarios/default.toml --set-b handlers.groups.days999.non_call_work=0.2\n  triage-sim compare A.toml B.toml --chart diff.png --kpi service_level --kpi mean_wait_s --kpi abandonment_rate"
)]
struct CompareArgs {
    /// Scenario A (the baseline).
    a: PathBuf,
    /// Scenario B (the what-if; default: A again, changed by --set-b).
    b: Option<PathBuf>,
    /// Override a value in A only (repeatable).
    #[arg(long = "set-a", value_name = "KEY.PATH=VALUE")]
    set_a: Vec<Override>,
    /// Override a value in B only (repeatable): a what-if on one file without copying it.
    #[arg(long = "set-b", value_name = "KEY.PATH=VALUE")]
    set_b: Vec<Override>,
    /// Replications (overrides both files; A's seed is used for both).
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..=100_000))]
    replications: Option<u32>,
    /// A KPI the chart shows, a panel each (repeatable; default service_level). The table,
    /// JSON and CSV carry every KPI.
    #[arg(long, value_name = "KPI")]
    kpi: Vec<String>,
    #[command(flatten)]
    output: OutputArgs,
    /// Applied to both scenarios.
    #[command(flatten)]
    set: SetArgs,
    #[command(flatten)]
    limits: LimitArgs,
}

/// The `sweep` command's arguments.
#[derive(clap::Args)]
struct SweepArgs {
    /// The scenario TOML file.
    file: PathBuf,
    /// KEY=START..END[:STEP], e.g. handlers.count=10..20 (one or two).
    #[arg(long, required = true)]
    vary: Vec<Vary>,
    /// The KPI the table shows per channel (JSON and CSV carry all).
    #[arg(long, default_value = "service_level")]
    kpi: String,
    /// Replications per point (overrides the file).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    replications: Option<u32>,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    set: SetArgs,
    #[command(flatten)]
    limits: LimitArgs,
}

/// The `report` command's arguments.
#[derive(clap::Args)]
struct ReportArgs {
    /// The scenario TOML file.
    file: PathBuf,
    /// Where to write the report (atomically).
    #[arg(short = 'o', long = "out")]
    out: PathBuf,
    /// Replications (overrides the file).
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..=100_000))]
    replications: Option<u32>,
    /// Leave out the staffing search (faster).
    #[arg(long)]
    no_staffing: bool,
    #[command(flatten)]
    set: SetArgs,
    #[command(flatten)]
    limits: LimitArgs,
}

/// The `erlang` command's arguments.
#[derive(clap::Args)]
struct ErlangArgs {
    /// Poisson arrivals per hour.
    #[arg(long)]
    rate_per_hour: f64,
    /// Mean (exponential) handle time, seconds.
    #[arg(long)]
    aht_s: f64,
    /// Number of agents; leave out and give --fraction to find the fewest agents needed.
    #[arg(long)]
    agents: Option<u32>,
    /// Answer-time threshold for the service level, seconds (not with --loss).
    #[arg(long, required_unless_present = "loss")]
    target_s: Option<f64>,
    /// Mean (exponential) patience, seconds: switches to Erlang A.
    #[arg(long)]
    patience_s: Option<f64>,
    /// Without --agents: the service level to reach (share answered within --target-s).
    #[arg(long)]
    fraction: Option<f64>,
    /// Without --agents: share of rostered agents unavailable, for the positions needed.
    #[arg(long, default_value_t = 0.0)]
    shrinkage: f64,
    /// Without --agents: the highest acceptable occupancy.
    #[arg(long)]
    max_occupancy: Option<f64>,
    /// Erlang B instead: a loss system whose blocked callers are turned away (as a
    /// `when_free` triage team turns calls away to the handlers).
    #[arg(long, conflicts_with_all = ["target_s", "patience_s", "fraction", "max_occupancy"])]
    loss: bool,
    /// With --loss and without --agents: the highest blocking probability allowed; finds the
    /// fewest agents.
    #[arg(long, requires = "loss")]
    max_blocking: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    format: FormatArg,
}

/// The `published` command's arguments.
#[derive(clap::Args)]
struct PublishedArgs {
    /// The figures file (TOML `[[figure]]` tables; see docs/calibration.md).
    file: PathBuf,
    /// Replications per scenario (overrides the scenario files).
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..=100_000))]
    replications: Option<u32>,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    limits: LimitArgs,
}

/// The `staff` command's arguments.
#[derive(clap::Args)]
struct StaffArgs {
    /// The scenario TOML file.
    file: PathBuf,
    /// Add handlers to this shift group (default: spread over the groups by size).
    #[arg(long)]
    group: Option<String>,
    /// Only these channels' targets must be met (repeatable; default: every channel).
    #[arg(long = "channel")]
    channels: Vec<String>,
    /// Most handlers the search may add.
    #[arg(long, default_value_t = 500)]
    max_added: u32,
    /// Require each channel's service level in every hour of the week, or every week.
    #[arg(long, value_enum)]
    every_interval: Option<IntervalArg>,
    /// Also search triage team sizes, e.g. triage.officers=2..8, and report the cheapest mix
    /// by the scenario's cost_per_handler and cost_per_officer.
    #[arg(long)]
    vary: Option<Vary>,
    /// Add recruits trained as the scenario's latest cohort (training, ramp-up, attrition),
    /// starting on the run's first day, instead of handlers already in post.
    #[arg(long)]
    as_recruits: bool,
    /// Answer at this risk of missing: the fewest handlers for which P(every target met over
    /// the period) ≥ 1 − RISK (Wilson 95% interval), adding replications until it is clear.
    #[arg(long, value_parser = parse_risk)]
    risk: Option<f64>,
    /// With --risk: the most replications one candidate may get (default 256).
    #[arg(long, requires = "risk", value_parser = clap::value_parser!(u32).range(2..=100_000))]
    max_replications: Option<u32>,
    /// Handlers needed in each hour of the week (iterative staffing algorithm), beside the
    /// stationary Erlang C answer and the rota's staffed level.
    #[arg(long)]
    by_interval: bool,
    /// With --by-interval: lay the requirement out as a 24 × 7 grid (rows hours, columns days)
    /// for a spreadsheet: handlers needed, the rota's supply and the gap (table and CSV).
    #[arg(long, requires = "by_interval")]
    grid: bool,
    /// With --by-interval: target probability of waiting (default 1 − the best-priority
    /// channel's target fraction).
    #[arg(long)]
    alpha: Option<f64>,
    /// Replications per candidate (overrides the file).
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..=100_000))]
    replications: Option<u32>,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    set: SetArgs,
    #[command(flatten)]
    limits: LimitArgs,
}

/// The `run` command's arguments.
#[derive(clap::Args)]
struct RunArgs {
    /// The scenario TOML file.
    file: PathBuf,
    /// Number of replications (overrides the file).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    replications: Option<u32>,
    /// Master seed (overrides the file), 0 to 9223372036854775807 as in the file.
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    seed: Option<u64>,
    #[command(flatten)]
    output: OutputArgs,
    /// Also write every call of the first replication to this CSV file, one row per call
    /// attempt, in the per-call format `docs/data.md` describes.
    #[arg(long, value_name = "PATH")]
    calls: Option<PathBuf>,
    /// Handlers on duty by dated interval from this CSV (`interval_start,on_duty[,group]`,
    /// docs/data.md), replacing the rota of each group it names.
    #[arg(long, value_name = "CSV")]
    staffing: Option<PathBuf>,
    /// Which chart --chart writes: service level by hour of week, the wait distribution, or the
    /// year week by week (first two channels; hiring cohorts marked).
    #[arg(long, value_enum, default_value_t = RunChart::HourOfWeek)]
    chart_kind: RunChart,
    /// Add how long the run took (JSON `timing.wall_s`, `timing.events_per_s` and the older
    /// `wall_s`; CSV row `run,,wall_s`; the table's last line). Without it the output depends
    /// on the scenario and seed alone, so two runs can be diffed.
    #[arg(long)]
    timing: bool,
    #[command(flatten)]
    set: SetArgs,
    #[command(flatten)]
    limits: LimitArgs,
}

/// The charts `run --chart` can draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum RunChart {
    /// The best-priority channel's service level in every hour of the week.
    HourOfWeek,
    /// The distribution of waits until first answer, per phone channel.
    Wait,
    /// Weekly service level and mean wait of the first two channels, with hiring cohorts.
    Trend,
}

/// Where and how a command writes its results.
#[derive(clap::Args, Clone, Debug)]
struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    format: FormatArg,
    /// Write the output to this file (atomically) instead of standard output; `-` is
    /// standard output.
    #[arg(short = 'o', long)]
    out: Option<PathBuf>,
    /// Also write the chart that fits the command (format from the extension: .svg).
    #[arg(long)]
    chart: Option<PathBuf>,
}

impl OutputArgs {
    /// Format, output path and chart path, with the chart's format checked before anything
    /// runs, and neither the same file as the other nor as one of `inputs` (which writing
    /// would silently destroy).
    fn checked(&self, inputs: &[&Path]) -> Result<(Format, Option<&Path>, Option<&Path>), Failure> {
        let chart = self.chart.as_deref();
        check_chart_path(chart)?;
        for path in [self.out.as_deref(), chart].into_iter().flatten() {
            check_output_dir(path)?;
            if let Some(input) = inputs.iter().find(|i| same_file(i, path)) {
                return Err(Failure::Input(format!(
                    "{}: that is the input {}; expected another path for the output",
                    path.display(),
                    input.display()
                )));
            }
        }
        if let (Some(out), Some(chart)) = (self.out.as_deref(), chart)
            && same_file(out, chart)
        {
            return Err(Failure::Input(format!(
                "--out and --chart are both {}; expected two paths, or one of the two",
                out.display()
            )));
        }
        Ok((self.format.into(), self.out.as_deref(), chart))
    }
}

/// Whether two paths name the same file: equal as written, or resolving to the same file.
pub(super) fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
}

/// `--set KEY.PATH=VALUE`, repeatable, on every command that reads a scenario.
#[derive(clap::Args, Clone, Debug, Default)]
struct SetArgs {
    /// Override a scenario value, e.g. --set handlers.count=120 (repeatable).
    #[arg(long = "set", value_name = "KEY.PATH=VALUE")]
    set: Vec<Override>,
}

/// The refusal of absurd sizes, on every command that simulates a scenario file.
#[derive(clap::Args, Clone, Copy, Debug, Default)]
struct LimitArgs {
    /// Run even when the estimated work passes the limits (1 hour of computing or 8 GiB).
    #[arg(long)]
    force: bool,
}

impl LimitArgs {
    /// Refuses `work` (exit 2, with the estimate) when it passes the limits, unless forced.
    fn allow(&self, work: &Work, cores: usize) -> Result<(), Failure> {
        progress::expect_hours(work.replications * work.horizon_hours);
        if self.force {
            return Ok(());
        }
        Limits::default()
            .check(work, cores)
            .map_err(|e| Failure::Input(e.to_string()))
    }
}

/// Threads the rayon pool runs replications on.
fn cores() -> usize {
    rayon::current_num_threads()
}

/// A failure and the exit code it deserves.
enum Failure {
    /// The user's input is wrong: exit code 2.
    Input(String),
    /// Something failed while running or writing: exit code 1.
    Runtime(anyhow::Error),
    /// Ctrl-C or SIGTERM stopped the command: exit code 130, with how far it got.
    Interrupted(String),
}

/// Fails with [`Failure::Interrupted`] once Ctrl-C was pressed: nothing is reported from runs
/// that were cut short.
fn not_interrupted() -> Result<(), Failure> {
    if interrupt::requested() {
        Err(Failure::Interrupted(
            "interrupted; the runs were cut short and nothing was written".into(),
        ))
    } else {
        Ok(())
    }
}

impl From<LoadError> for Failure {
    fn from(e: LoadError) -> Self {
        Failure::Input(e.to_string())
    }
}

impl From<RenderError> for Failure {
    fn from(e: RenderError) -> Self {
        match e {
            RenderError::Unsupported(msg) => Failure::Input(msg.into()),
            RenderError::Csv(e) => Failure::Runtime(e.into()),
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Runtime(e)
    }
}

/// Runs the command line: parses the arguments, runs the command, returns its exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // Without the handler Ctrl-C still ends the command, only less politely.
    interrupt::install_handler().ok();
    if let Some(threads) = cli.threads {
        // Fails only if a pool already exists, which cannot happen this early.
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads as usize)
            .build_global()
            .ok();
    }
    let _progress = progress::Display::start(Command::name(cli.command.as_ref()));
    exit_code(dispatch(cli.command))
}

/// Runs one command.
fn dispatch(command: Option<Command>) -> Result<(), Failure> {
    match command {
        None => run_default(),
        Some(Command::Run(args)) => run(&args),
        Some(Command::Check(CheckArgs { file, set })) => check(&file, &set.set),
        Some(Command::Report(ReportArgs {
            file,
            out,
            replications,
            no_staffing,
            set,
            limits,
        })) => report::report_html(&file, &set.set, &out, replications, !no_staffing, limits),
        Some(Command::Staff(args)) => staff_command(args),
        Some(Command::Compare(args)) => compare(&args),
        Some(Command::Sweep(SweepArgs {
            file,
            vary,
            kpi,
            replications,
            set,
            output,
            limits,
        })) => sweep(&file, &set.set, &vary, &kpi, replications, &output, limits),
        Some(Command::Published(args)) => published(&args),
        Some(Command::Fit(args)) => fit::fit_command(&args),
        Some(Command::Calibrate(args)) => calibrate::calibrate_command(&args),
        Some(Command::Backtest(args)) => backtest::backtest_command(&args),
        Some(Command::Rota(args)) => rota::rota_command(&args),
        Some(Command::Hire(args)) => hire::hire_command(&args),
        Some(Command::Erlang(a)) if a.loss => erlang_loss(&a),
        Some(Command::Erlang(a)) => {
            let goal = a.fraction.map(|fraction| crate::erlang::AgentsGoal {
                fraction,
                max_occupancy: a.max_occupancy,
                shrinkage: a.shrinkage,
            });
            let input = ErlangInput {
                rate_per_hour: a.rate_per_hour,
                aht_s: a.aht_s,
                agents: a.agents.unwrap_or(0),
                target_s: a.target_s.unwrap_or(0.0),
                patience_s: a.patience_s,
            };
            match (a.agents, goal) {
                (Some(_), None) => erlang(input, a.format.into()),
                (None, Some(goal)) => erlang_agents(input, goal, a.format.into()),
                (Some(_), Some(_)) => Err(Failure::Input(
                    "--agents and --fraction: give the agents to evaluate, or the service level to staff for, not both".into(),
                )),
                (None, None) => Err(Failure::Input(
                    "expected --agents N (evaluate a staffing level) or --fraction F (find the agents needed)".into(),
                )),
            }
        }
    }
}

/// Says what went wrong on standard error and maps it to the exit code. A closed or full
/// standard error cannot make this panic: the exit code still tells.
fn exit_code(outcome: Result<(), Failure>) -> ExitCode {
    use std::io::Write;
    let (message, code) = match outcome {
        Ok(()) => return ExitCode::SUCCESS,
        Err(Failure::Input(msg)) => (format!("error: {msg}"), 2),
        Err(Failure::Runtime(e)) => (format!("error: {e:#}"), 1),
        Err(Failure::Interrupted(msg)) => (msg, interrupt::EXIT_CODE),
    };
    let _ = writeln!(std::io::stderr(), "{message}");
    ExitCode::from(code)
}

/// Says `note` on standard error as a warning; the command goes on (a closed standard error
/// is ignored).
fn warn(note: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "warning: {note}");
}

/// `--risk`: a probability strictly between 0 and 1.
fn parse_risk(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(r) if r > 0.0 && r < 1.0 => Ok(r),
        _ => Err(format!(
            "expected a risk between 0 and 1 (exclusive), e.g. 0.1; got {text:?}"
        )),
    }
}
