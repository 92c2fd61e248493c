//! The `triage-sim` command line: parses flags, runs one command, maps errors to exit codes
//! (0 success, 1 failure while running or writing, 2 bad input or usage, 130 interrupted).
//!
//! `mod.rs` holds the commands and the dispatch; `args` their flags; `commands` the commands;
//! `sink` where results go (standard output, atomic files, charts).

mod args;
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

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::erlang::ErlangInput;
use crate::report::RenderError;
use crate::scenario::LoadError;

use args::*;
use commands::*;
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
        Some(Command::Check(CheckArgs { file, set, out })) => {
            check(&file, &set.all(), out.as_deref())
        }
        Some(Command::Report(ReportArgs {
            file,
            out,
            replications,
            no_staffing,
            set,
            limits,
        })) => report::report_html(&file, &set.all(), &out, replications, !no_staffing, limits),
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
        })) => sweep(
            &file,
            &set.all(),
            &vary,
            &kpi,
            replications,
            &output,
            limits,
        ),
        Some(Command::Published(args)) => published(&args),
        Some(Command::Fit(args)) => fit::fit_command(&args),
        Some(Command::Calibrate(args)) => calibrate::calibrate_command(&args),
        Some(Command::Backtest(args)) => backtest::backtest_command(&args),
        Some(Command::Rota(args)) => rota::rota_command(&args),
        Some(Command::Hire(args)) => hire::hire_command(&args),
        Some(Command::Erlang(a)) if a.loss => {
            sink::check_outputs(&[], &[("-o", a.out.as_deref())])?;
            erlang_loss(&a)
        }
        Some(Command::Erlang(a)) => {
            sink::check_outputs(&[], &[("-o", a.out.as_deref())])?;
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
                (Some(_), None) => erlang(input, a.format.into(), a.out.as_deref()),
                (None, Some(goal)) => {
                    erlang_agents(input, goal, a.format.into(), a.out.as_deref())
                }
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
    let (message, code) = match outcome {
        Ok(()) => return ExitCode::SUCCESS,
        Err(Failure::Input(msg)) => (format!("error: {msg}"), 2),
        Err(Failure::Runtime(e)) => (format!("error: {e:#}"), 1),
        Err(Failure::Interrupted(msg)) => (msg, interrupt::EXIT_CODE),
    };
    say(&format!("{message}\n"));
    ExitCode::from(code)
}

/// Says `note` on standard error as a warning; the command goes on (a closed standard error
/// is ignored).
fn warn(note: &str) {
    say(&format!("warning: {note}\n"));
}

/// Writes `text` to standard error as it is. Every message a command prints there goes
/// through here: a closed or full standard error is ignored, never a panic (`eprint!` panics).
fn say(text: &str) {
    use std::io::Write;
    let _ = std::io::stderr().write_all(text.as_bytes());
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
