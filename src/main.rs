//! The `triage-sim` command line: parses flags, calls the library once, maps errors to exit
//! codes (0 success, 1 failure while running or writing, 2 bad input or usage).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use triage_sim::budget::{Limits, Work};
use triage_sim::chart::Chart;
use triage_sim::erlang::ErlangInput;
use triage_sim::interrupt;
use triage_sim::report::{self, Format};
use triage_sim::scenario::{LoadError, Override, Scenario, mean_staffed, offered_load};
use triage_sim::sim::effective_groups;
use triage_sim::staffing::{self, StaffOptions};
use triage_sim::sweep::Vary;
use triage_sim::{Results, output, replicate};

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
    Check {
        /// The scenario TOML file.
        file: PathBuf,
        #[command(flatten)]
        set: SetArgs,
    },
    /// Find the fewest call handlers that meet every target (common random numbers).
    Staff {
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
        every_interval: Option<staffing::IntervalKind>,
        /// Also search triage team sizes, e.g. triage.officers=2..8, and report the cheapest mix
        /// by the scenario's cost_per_handler and cost_per_officer.
        #[arg(long)]
        vary: Option<Vary>,
        /// Handlers needed in each hour of the week (iterative staffing algorithm), beside the
        /// stationary Erlang C answer and the rota's staffed level.
        #[arg(long)]
        by_interval: bool,
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
    },
    /// Paired what-if: B − A for every KPI with a confidence interval of the difference.
    Compare {
        /// Scenario A (the baseline).
        a: PathBuf,
        /// Scenario B (the what-if).
        b: PathBuf,
        /// Replications (overrides both files; A's seed is used for both).
        #[arg(long, value_parser = clap::value_parser!(u32).range(2..=100_000))]
        replications: Option<u32>,
        #[command(flatten)]
        output: OutputArgs,
        /// Applied to both scenarios.
        #[command(flatten)]
        set: SetArgs,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Grid over one or two parameters, each point replicated.
    Sweep {
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
    },

    /// One self-contained HTML report: KPIs with CIs, charts, the staffing answer, assumptions.
    Report {
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
    },
    /// Analytic Erlang C (or, with --patience-s, Erlang A) answer-time figures.
    #[command(allow_negative_numbers = true)]
    Erlang {
        /// Poisson arrivals per hour.
        #[arg(long)]
        rate_per_hour: f64,
        /// Mean (exponential) handle time, seconds.
        #[arg(long)]
        aht_s: f64,
        /// Number of agents.
        #[arg(long)]
        agents: u32,
        /// Answer-time threshold for the service level, seconds.
        #[arg(long)]
        target_s: f64,
        /// Mean (exponential) patience, seconds: switches to Erlang A.
        #[arg(long)]
        patience_s: Option<f64>,
        /// Output format (table or json).
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

/// The `run` command's arguments.
#[derive(clap::Args)]
struct RunArgs {
    /// The scenario TOML file.
    file: PathBuf,
    /// Number of replications (overrides the file).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    replications: Option<u32>,
    /// Master seed (overrides the file).
    #[arg(long)]
    seed: Option<u64>,
    #[command(flatten)]
    output: OutputArgs,
    /// Which chart --chart writes: service level by hour of week, the wait distribution, or the
    /// year week by week (first two channels; hiring cohorts marked).
    #[arg(long, value_enum, default_value_t = RunChart::HourOfWeek)]
    chart_kind: RunChart,
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
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write the output to this file (atomically) instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Also write the chart that fits the command (format from the extension: .svg).
    #[arg(long)]
    chart: Option<PathBuf>,
}

impl OutputArgs {
    /// Format, output path and chart path, with the chart's format checked before anything runs.
    fn checked(&self) -> Result<(Format, Option<&Path>, Option<&Path>), Failure> {
        let chart = self.chart.as_deref();
        check_chart_path(chart)?;
        for path in [self.out.as_deref(), chart].into_iter().flatten() {
            check_output_dir(path)?;
        }
        Ok((self.format, self.out.as_deref(), chart))
    }
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

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Runtime(e)
    }
}

fn main() -> ExitCode {
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
    let outcome = match cli.command {
        None => run_default(),
        Some(Command::Run(args)) => run(&args),
        Some(Command::Check { file, set }) => check(&file, &set.set),
        Some(Command::Report {
            file,
            out,
            replications,
            no_staffing,
            set,
            limits,
        }) => report_html(&file, &set.set, &out, replications, !no_staffing, limits),
        Some(Command::Staff {
            file,
            group,
            channels,
            max_added,
            every_interval,
            vary,
            by_interval,
            alpha,
            replications,
            set,
            output,
            limits,
        }) => {
            if by_interval {
                staff_by_interval(&file, &set.set, alpha, replications, &output, limits)
            } else {
                let opts = StaffOptions {
                    group,
                    channels,
                    max_added,
                    every_interval,
                };
                staff(
                    &file,
                    &set.set,
                    opts,
                    vary.as_ref(),
                    replications,
                    &output,
                    limits,
                )
            }
        }
        Some(Command::Compare {
            a,
            b,
            replications,
            set,
            output,
            limits,
        }) => compare(&a, &b, &set.set, replications, &output, limits),
        Some(Command::Sweep {
            file,
            vary,
            kpi,
            replications,
            set,
            output,
            limits,
        }) => sweep(&file, &set.set, &vary, &kpi, replications, &output, limits),
        Some(Command::Erlang {
            rate_per_hour,
            aht_s,
            agents,
            target_s,
            patience_s,
            format,
        }) => erlang(
            ErlangInput {
                rate_per_hour,
                aht_s,
                agents,
                target_s,
                patience_s,
            },
            format,
        ),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
        Err(Failure::Runtime(e)) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
        Err(Failure::Interrupted(msg)) => {
            eprintln!("{msg}");
            ExitCode::from(interrupt::EXIT_CODE)
        }
    }
}

fn run_default() -> Result<(), Failure> {
    let results = replicate(&Scenario::default_scenario());
    emit(&report::results_table(&results), None)
}

fn run(args: &RunArgs) -> Result<(), Failure> {
    let (format, out, chart) = args.output.checked()?;
    let mut scenario = load_scenario(&args.file, &args.set.set, args.replications)?;
    if let Some(s) = args.seed {
        scenario.seed = s;
    }
    args.limits.allow(&Work::of(&scenario), cores())?;
    let results = replicate(&scenario);
    let picks = triage_sim::chart::ChartChannels::of(&scenario);
    let cohorts = triage_sim::chart::cohort_weeks(&scenario);
    let picture = match args.chart_kind {
        RunChart::HourOfWeek => Chart::HourOfWeek {
            results: &results,
            channel: picks.first,
        },
        RunChart::Wait => Chart::Waits {
            results: &results,
            channels: &picks.phones,
        },
        RunChart::Trend => Chart::Trend {
            results: &results,
            service_level_of: picks.first,
            wait_of: picks.second,
            cohorts: &cohorts,
        },
    };
    write_chart(chart, picture)?;
    emit(&render(&results, format)?, out)
}

/// Loads `file` with the `--set` overrides, then the `--replications` override.
fn load_scenario(
    file: &Path,
    overrides: &[Override],
    replications: Option<u32>,
) -> Result<Scenario, Failure> {
    let mut scenario = Scenario::load_with(file, overrides)?;
    if let Some(r) = replications {
        scenario.replications = r;
    }
    Ok(scenario)
}

/// Refuses an output path whose directory does not exist, before any simulation runs.
fn check_output_dir(path: &Path) -> Result<(), Failure> {
    match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) if !dir.is_dir() => Err(Failure::Input(format!(
            "{}: the directory {} does not exist; expected an existing directory for the output",
            path.display(),
            dir.display()
        ))),
        _ => Ok(()),
    }
}

/// Refuses a chart path whose extension names no format, before any simulation runs.
fn check_chart_path(path: Option<&Path>) -> Result<(), Failure> {
    match path.map(|p| p.extension().and_then(|e| e.to_str())) {
        None | Some(Some("svg" | "png")) => Ok(()),
        Some(_) => Err(Failure::Input(format!(
            "{}: expected a chart file ending in .svg or .png",
            path.map_or(String::new(), |p| p.display().to_string())
        ))),
    }
}

/// Writes `chart` to `path`, if asked, whole or not at all; the extension picks SVG or PNG.
fn write_chart(path: Option<&Path>, chart: Chart<'_>) -> Result<(), Failure> {
    let Some(path) = path else { return Ok(()) };
    not_interrupted()?;
    let chart_failed = |e: triage_sim::chart::ChartError| {
        Failure::Runtime(anyhow::anyhow!("{}: {e}", path.display()))
    };
    if path.extension().is_some_and(|e| e == "png") {
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let tmp = tempfile::Builder::new()
            .suffix(".png")
            .tempfile_in(dir)
            .with_context(|| format!("cannot write {}", path.display()))?;
        chart.write_png(tmp.path()).map_err(chart_failed)?;
        let file = tmp
            .persist(path)
            .map_err(|e| e.error)
            .with_context(|| format!("cannot write {}", path.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(0o644))
                .ok();
        }
        return Ok(());
    }
    let svg = chart.to_svg().map_err(chart_failed)?;
    output::write_atomic(path, svg.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

fn render(results: &Results, format: Format) -> anyhow::Result<String> {
    Ok(match format {
        Format::Table => report::results_table(results),
        Format::Json => report::results_json(results),
        Format::Csv => report::results_csv(results)?,
    })
}

/// Writes `text` to `out`, atomically, or to standard output. A closed standard output (the
/// reader, such as `head`, has what it wanted) ends the command quietly rather than in a panic.
fn emit(text: &str, out: Option<&Path>) -> Result<(), Failure> {
    not_interrupted()?;
    match out {
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    return Err(Failure::Runtime(
                        anyhow::Error::new(e).context("cannot write to standard output"),
                    ));
                }
                _ => {}
            }
        }
        Some(path) => output::write_atomic(path, text.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?,
    }
    Ok(())
}

fn check(file: &Path, overrides: &[Override]) -> Result<(), Failure> {
    let s = Scenario::load_with(file, overrides)?;
    let load = offered_load(&s);
    let mut lines: Vec<String> = Vec::new();
    lines.push(format!("{}: valid scenario \"{}\"", file.display(), s.name));
    lines.push(format!(
        "horizon {} h, warm-up {} h, {} replications, seed {}",
        s.horizon.as_secs() / 3600.0,
        s.warmup.as_secs() / 3600.0,
        s.replications,
        s.seed
    ));
    for (i, c) in s.channels.iter().enumerate() {
        let patience = c
            .patience
            .as_ref()
            .map_or("infinitely patient".into(), |p| {
                format!("patience {}", p.describe())
            });
        lines.push(format!(
            "channel {:<10} {:?}, priority {}, {} /h, handle {}, {patience}, target {:.0}% within {} s; handler load {:.2} Erlangs{}",
            c.name,
            c.kind,
            c.priority,
            c.rate_per_hour,
            c.handle_time.describe(),
            c.target.fraction * 100.0,
            c.target.answer_within_s,
            load.handler_erlangs[i],
            if s.is_triaged(i) {
                format!(
                    " (triaged; {:.1}% reach handlers)",
                    load.forward_share[i] * 100.0
                )
            } else {
                String::new()
            }
        ));
    }
    lines.push(format!("work: {}", Work::of(&s).describe(cores())));
    let total: f64 = load.handler_erlangs.iter().sum();
    let staffed = mean_staffed(&s.handlers);
    let groups = effective_groups(&s);
    lines.push(format!(
        "handlers: {} group(s), {staffed:.1} on duty on average; offered load {total:.2} Erlangs, utilisation if nobody hangs up {:.1}%",
        groups.len(),
        100.0 * total / staffed.max(1e-9)
    ));
    for g in &groups {
        let shift = g.shift.as_ref().map_or("always on duty".to_owned(), |sh| {
            let on = sh.pattern.iter().filter(|d| **d).count();
            format!(
                "shift {:02}:{:02} for {} h, {on} days on in {}",
                sh.start_s / 3600,
                sh.start_s % 3600 / 60,
                sh.length.as_secs() / 3600.0,
                sh.pattern.len()
            )
        });
        let serves: Vec<&str> = g
            .channels
            .iter()
            .map(|&c| s.channels[c].name.as_str())
            .collect();
        lines.push(format!(
            "  group {:<10} {} team(s) of {}, {shift}, serves {}",
            g.name,
            g.teams,
            g.headcount,
            serves.join(", ")
        ));
    }
    for h in &s.handlers.hires {
        lines.push(format!(
            "  hires: {} into {} from day {} (training {:.0} weeks, ramp {:.0} weeks from ×{})",
            h.count,
            groups[h.group].name,
            h.start_day,
            h.training.as_secs() / 604_800.0,
            h.ramp.as_secs() / 604_800.0,
            h.initial_aht_factor
        ));
    }
    if let Some(t) = &s.triage {
        lines.push(format!(
            "triage {} officers, policy {:?}, handle {}, load {:.2} Erlangs, intercepts {:.1}%, resolves {:.0}%, escalates {:.0}%",
            t.officers,
            t.policy,
            t.handle_time.describe(),
            load.triage_erlangs,
            load.intercept_share * 100.0,
            t.resolve_fraction * 100.0,
            t.escalate_fraction * 100.0
        ));
    }
    lines.push(String::new());
    emit(&lines.join("\n"), None)
}

fn staff(
    file: &Path,
    overrides: &[Override],
    opts: StaffOptions,
    vary: Option<&Vary>,
    replications: Option<u32>,
    output: &OutputArgs,
    limits: LimitArgs,
) -> Result<(), Failure> {
    let (format, out, chart) = output.checked()?;
    let scenario = load_scenario(file, overrides, replications)?;
    let searches = vary.map_or(1, |v| v.values.len()) as f64;
    let evaluations = f64::from(staffing::max_evaluations(opts.max_added));
    limits.allow(&Work::of(&scenario).times(searches * evaluations), cores())?;
    if scenario.replications < 2 {
        return Err(Failure::Input(
            "staff needs at least 2 replications per candidate (--replications)".into(),
        ));
    }
    let text = match vary {
        None => {
            let answer =
                staffing::search(&scenario, &opts).map_err(|e| Failure::Input(e.to_string()))?;
            write_chart(
                chart,
                Chart::StaffingCurve {
                    name: &scenario.name,
                    answer: &answer,
                },
            )?;
            match format {
                Format::Table => report::staff_table(&scenario.name, &answer),
                Format::Json => report::staff_json(&answer),
                Format::Csv => report::staff_csv(&answer).context("cannot format CSV")?,
            }
        }
        Some(v) if v.key == "triage.officers" => {
            let officers: Vec<u32> = v.values.iter().map(|x| x.max(0.0).round() as u32).collect();
            let mix = staffing::search_officers(&scenario, &opts, &officers)
                .map_err(|e| Failure::Input(e.to_string()))?;
            match format {
                Format::Table => report::mix_table(&scenario.name, &mix),
                Format::Json => {
                    serde_json::to_string_pretty(&mix).context("cannot format JSON")? + "\n"
                }
                Format::Csv => {
                    return Err(Failure::Input(
                        "staff --vary supports --format table or json".into(),
                    ));
                }
            }
        }
        Some(v) => {
            return Err(Failure::Input(format!(
                "staff --vary varies triage.officers; got {}",
                v.key
            )));
        }
    };
    emit(&text, out)
}

/// Most handlers the report's staffing search may add.
const REPORT_MAX_ADDED: u32 = 500;

fn report_html(
    file: &Path,
    overrides: &[Override],
    out: &Path,
    replications: Option<u32>,
    with_staffing: bool,
    limits: LimitArgs,
) -> Result<(), Failure> {
    check_output_dir(out)?;
    let scenario = load_scenario(file, overrides, replications)?;
    let searches = if with_staffing {
        f64::from(staffing::max_evaluations(REPORT_MAX_ADDED))
    } else {
        0.0
    };
    limits.allow(&Work::of(&scenario).times(1.0 + searches), cores())?;
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let results = replicate(&scenario);
    // The staffing answer for the best-priority channel's target (needs 2+ replications).
    let staffing = (with_staffing && scenario.replications >= 2)
        .then(|| {
            let first = scenario
                .channels
                .first()
                .map(|c| c.name.clone())
                .unwrap_or_default();
            let opts = StaffOptions {
                channels: vec![first],
                max_added: REPORT_MAX_ADDED,
                ..StaffOptions::default()
            };
            staffing::search(&scenario, &opts).ok()
        })
        .flatten();
    let html = report::html_report(&scenario, &results, staffing.as_ref(), &text);
    not_interrupted()?;
    output::write_atomic(out, html.as_bytes())
        .with_context(|| format!("cannot write {}", out.display()))?;
    Ok(())
}

/// Most iterations of the iterative staffing algorithm.
const ISA_MAX_ITERATIONS: usize = 12;

fn staff_by_interval(
    file: &Path,
    overrides: &[Override],
    alpha: Option<f64>,
    replications: Option<u32>,
    output: &OutputArgs,
    limits: LimitArgs,
) -> Result<(), Failure> {
    let (format, out, chart) = output.checked()?;
    let scenario = load_scenario(file, overrides, replications)?;
    let alpha =
        alpha.unwrap_or_else(|| 1.0 - scenario.channels.first().map_or(0.9, |c| c.target.fraction));
    if !(alpha > 0.0 && alpha < 1.0) {
        return Err(Failure::Input(format!(
            "--alpha must be between 0 and 1 (exclusive); got {alpha}"
        )));
    }
    limits.allow(
        &Work::of(&scenario).times(ISA_MAX_ITERATIONS as f64),
        cores(),
    )?;
    let result =
        triage_sim::interval_staffing::iterative_staffing(&scenario, alpha, ISA_MAX_ITERATIONS);
    write_chart(
        chart,
        Chart::IntervalStaffing {
            name: &scenario.name,
            result: &result,
        },
    )?;
    let text = match format {
        Format::Table => report::interval_table(&scenario.name, &result),
        Format::Json => serde_json::to_string_pretty(&result).context("cannot format JSON")? + "\n",
        Format::Csv => report::interval_csv(&result).context("cannot format CSV")?,
    };
    emit(&text, out)
}

fn compare(
    a: &Path,
    b: &Path,
    overrides: &[Override],
    replications: Option<u32>,
    output: &OutputArgs,
    limits: LimitArgs,
) -> Result<(), Failure> {
    let (format, out, chart) = output.checked()?;
    let mut sa = Scenario::load_with(a, overrides)?;
    let mut sb = Scenario::load_with(b, overrides)?;
    if let Some(r) = replications {
        sa.replications = r;
    }
    (sb.replications, sb.seed) = (sa.replications, sa.seed);
    limits.allow(&Work::of(&sa).then(Work::of(&sb)), cores())?;
    let (ra, rb) = (replicate(&sa), replicate(&sb));
    let diffs = triage_sim::compare::compare(&ra, &rb);
    let title = format!("B − A: {} vs {}", sb.name, sa.name);
    write_chart(
        chart,
        Chart::Compare {
            diffs: &diffs,
            kpi: "service_level",
            title: &title,
        },
    )?;
    let text = match format {
        Format::Table => report::compare_table(&sa.name, &sb.name, sa.replications, &diffs),
        Format::Json => report::compare_json(&sa.name, &sb.name, &diffs),
        Format::Csv => report::compare_csv(&diffs).context("cannot format CSV")?,
    };
    emit(&text, out)
}

/// Most points one sweep may have (each is validated before the first runs).
const MAX_SWEEP_POINTS: usize = 100_000;

fn sweep(
    file: &Path,
    overrides: &[Override],
    vary: &[Vary],
    kpi: &str,
    replications: Option<u32>,
    output: &OutputArgs,
    limits: LimitArgs,
) -> Result<(), Failure> {
    let (format, out, chart) = output.checked()?;
    if vary.len() > 2 {
        return Err(Failure::Input(
            "sweep varies one or two parameters; got more --vary flags".into(),
        ));
    }
    let size: usize = vary.iter().map(|v| v.values.len()).product();
    if size > MAX_SWEEP_POINTS {
        return Err(Failure::Input(format!(
            "a grid of {size} points; expected at most {MAX_SWEEP_POINTS} (split the sweep, or use a coarser :STEP)"
        )));
    }
    let grid = triage_sim::sweep::grid(vary);
    let point = |settings: &[Override]| -> Result<Scenario, Failure> {
        let all: Vec<Override> = overrides.iter().chain(settings).cloned().collect();
        load_scenario(file, &all, replications)
    };
    // The grid's corners first: a grid that is plainly too big is refused at once.
    if let (Some(first), Some(last)) = (grid.first(), grid.last()) {
        let first = point(first)?;
        let kpis = triage_sim::stats::channel_kpi_names(&first);
        if !kpis.contains(&kpi) {
            return Err(Failure::Input(format!(
                "--kpi {kpi}: no channel reports it; expected one of {}",
                kpis.join(", ")
            )));
        }
        let (first, last) = (Work::of(&first), Work::of(&point(last)?));
        let corner = if first.contacts >= last.contacts {
            first
        } else {
            last
        };
        limits.allow(&corner.times(grid.len() as f64), cores())?;
    }
    // Every point is validated before any runs, so a bad value fails at once.
    let scenarios = grid
        .iter()
        .map(|settings| point(settings))
        .collect::<Result<Vec<Scenario>, Failure>>()?;
    let work = scenarios
        .iter()
        .map(Work::of)
        .reduce(Work::then)
        .unwrap_or_default();
    limits.allow(&work, cores())?;
    // A progress bar on standard error once the sweep has run a second (hidden off a terminal).
    let started = std::time::Instant::now();
    let bar = indicatif::ProgressBar::hidden();
    bar.set_length(grid.len() as u64);
    let mut points = Vec::with_capacity(grid.len());
    for (settings, s) in grid.into_iter().zip(&scenarios) {
        let results = replicate(s);
        if interrupt::requested() {
            break; // This point was cut short.
        }
        points.push(triage_sim::sweep::Point { settings, results });
        if bar.is_hidden() && started.elapsed().as_secs_f64() > 1.0 {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    if interrupt::requested() {
        return Err(sweep_interrupted(
            &points,
            scenarios.len(),
            kpi,
            format,
            out,
        ));
    }
    write_chart(
        chart,
        Chart::Sweep {
            points: &points,
            kpi,
        },
    )?;
    emit(&sweep_text(&points, kpi, format)?, out)
}

fn sweep_text(
    points: &[triage_sim::sweep::Point],
    kpi: &str,
    format: Format,
) -> anyhow::Result<String> {
    Ok(match format {
        Format::Table => report::sweep_table(points, kpi),
        Format::Json => report::sweep_json(points),
        Format::Csv => report::sweep_csv(points).context("cannot format CSV")?,
    })
}

/// How far an interrupted sweep got. `--out` is left alone; the finished points, if any, go
/// whole to a separate `NAME.partial.EXT` so that hours of work are not lost.
fn sweep_interrupted(
    points: &[triage_sim::sweep::Point],
    total: usize,
    kpi: &str,
    format: Format,
    out: Option<&Path>,
) -> Failure {
    let mut msg = format!(
        "interrupted: {} of {total} sweep points finished",
        points.len()
    );
    if let Some(last) = points.last() {
        let settings: Vec<String> = last
            .settings
            .iter()
            .map(|o| format!("{}={}", o.key, o.value))
            .collect();
        msg += &format!(" (the last: {})", settings.join(", "));
    }
    match out {
        None => msg += "; nothing was printed",
        Some(path) => {
            msg += &format!("; {} was not written", path.display());
            if !points.is_empty() {
                let partial = partial_path(path);
                let written = sweep_text(points, kpi, format).and_then(|text| {
                    output::write_atomic(&partial, text.as_bytes()).map_err(anyhow::Error::from)
                });
                msg += &match written {
                    Ok(()) => format!("; the finished points are in {}", partial.display()),
                    Err(e) => format!("; the finished points could not be saved: {e:#}"),
                };
            }
        }
    }
    Failure::Interrupted(msg)
}

/// `sweep.csv` → `sweep.partial.csv`; `sweep` → `sweep.partial`.
fn partial_path(path: &Path) -> PathBuf {
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    let name = match path.extension() {
        Some(ext) => format!("{stem}.partial.{}", ext.to_string_lossy()),
        None => format!("{stem}.partial"),
    };
    path.with_file_name(name)
}

fn erlang(input: ErlangInput, format: Format) -> Result<(), Failure> {
    let r = input.solve().map_err(|e| Failure::Input(e.to_string()))?;
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&r).context("cannot format JSON")? + "\n",
        Format::Table => report::erlang_table(&input, &r),
        Format::Csv => {
            return Err(Failure::Input(
                "erlang supports --format table or json".into(),
            ));
        }
    };
    emit(&text, None)
}
