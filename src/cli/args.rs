//! Each command's flags (clap), and the flag groups several commands share: where output
//! goes (`-o`, `--format`, `--chart`), scenario overrides (`--set`, `--seed`) and the work
//! limits (`--force`).

use std::path::{Path, PathBuf};

use crate::planning::budget::{Limits, Work};
use crate::planning::sweep::Vary;
use crate::report::Format;
use crate::scenario::Override;

use super::flag_values::{FormatArg, IntervalArg};
use super::sink::{check_chart_path, check_outputs};
use super::{Failure, parse_risk, progress};

/// The `check` command's arguments.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  triage-sim check scenarios/staffordshire-2024.toml\n  triage-sim check my-force.toml --set handlers.count=120"
)]
pub(super) struct CheckArgs {
    /// The scenario TOML file.
    pub(super) file: PathBuf,
    #[command(flatten)]
    pub(super) set: SetArgs,
    /// Write what check says to this file (atomically) instead of standard output.
    #[arg(short = 'o', long)]
    pub(super) out: Option<PathBuf>,
}

/// The `compare` command's arguments.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  triage-sim compare scenarios/staffordshire-2023.toml scenarios/staffordshire-2024.toml\n  triage-sim compare scenarios/default.toml --set-b handlers.groups.days999.non_call_work=0.2\n  triage-sim compare A.toml B.toml --chart diff.png --kpi service_level --kpi mean_wait_s --kpi abandonment_rate"
)]
pub(super) struct CompareArgs {
    /// Scenario A (the baseline).
    pub(super) a: PathBuf,
    /// Scenario B (the what-if; default: A again, changed by --set-b).
    pub(super) b: Option<PathBuf>,
    /// Override a value in A only (repeatable).
    #[arg(long = "set-a", value_name = "KEY.PATH=VALUE")]
    pub(super) set_a: Vec<Override>,
    /// Override a value in B only (repeatable): a what-if on one file without copying it.
    #[arg(long = "set-b", value_name = "KEY.PATH=VALUE")]
    pub(super) set_b: Vec<Override>,
    /// Replications (overrides both files; A's seed is used for both).
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..=100_000))]
    pub(super) replications: Option<u32>,
    /// A KPI the chart shows, a panel each (repeatable; default service_level). The table,
    /// JSON and CSV carry every KPI.
    #[arg(long, value_name = "KPI")]
    pub(super) kpi: Vec<String>,
    #[command(flatten)]
    pub(super) output: OutputArgs,
    /// Applied to both scenarios.
    #[command(flatten)]
    pub(super) set: SetArgs,
    #[command(flatten)]
    pub(super) limits: LimitArgs,
}

/// The `sweep` command's arguments.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  triage-sim sweep scenarios/mm14-patience.toml --vary handlers.count=12..16 --chart sweep.png\n  triage-sim sweep scenarios/mm14-patience.toml --vary handlers.count=12..16 --vary channels.calls.arrivals.rate_per_hour=180..220:20 --kpi mean_wait_s --format wide-csv -o sweep.csv"
)]
pub(super) struct SweepArgs {
    /// The scenario TOML file.
    pub(super) file: PathBuf,
    /// KEY=START..END[:STEP], e.g. handlers.count=10..20 (one or two).
    #[arg(long, required = true)]
    pub(super) vary: Vec<Vary>,
    /// The KPI the table shows per channel (JSON and CSV carry all).
    #[arg(long, default_value = "service_level")]
    pub(super) kpi: String,
    /// Replications per point (overrides the file).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub(super) replications: Option<u32>,
    #[command(flatten)]
    pub(super) output: OutputArgs,
    #[command(flatten)]
    pub(super) set: SetArgs,
    #[command(flatten)]
    pub(super) limits: LimitArgs,
}

/// The `report` command's arguments.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  triage-sim report scenarios/staffordshire-2024.toml -o report.html\n  triage-sim report my-force.toml -o what-if.html --set handlers.count=160 --replications 20 --no-staffing"
)]
pub(super) struct ReportArgs {
    /// The scenario TOML file.
    pub(super) file: PathBuf,
    /// Where to write the report (atomically).
    #[arg(short = 'o', long = "out")]
    pub(super) out: PathBuf,
    /// Replications (overrides the file).
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..=100_000))]
    pub(super) replications: Option<u32>,
    /// Leave out the staffing search (faster).
    #[arg(long)]
    pub(super) no_staffing: bool,
    #[command(flatten)]
    pub(super) set: SetArgs,
    #[command(flatten)]
    pub(super) limits: LimitArgs,
}

/// The `erlang` command's arguments.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  triage-sim erlang --rate-per-hour 200 --aht-s 180 --agents 14 --target-s 20 --patience-s 300\n  triage-sim erlang --rate-per-hour 200 --aht-s 180 --target-s 20 --fraction 0.8 --shrinkage 0.35\n  triage-sim erlang --loss --rate-per-hour 60 --aht-s 120 --max-blocking 0.05"
)]
pub(super) struct ErlangArgs {
    /// Poisson arrivals per hour.
    #[arg(long)]
    pub(super) rate_per_hour: f64,
    /// Mean (exponential) handle time, seconds.
    #[arg(long)]
    pub(super) aht_s: f64,
    /// Number of agents; leave out and give --fraction to find the fewest agents needed.
    #[arg(long)]
    pub(super) agents: Option<u32>,
    /// Answer-time threshold for the service level, seconds (not with --loss).
    #[arg(long, required_unless_present = "loss")]
    pub(super) target_s: Option<f64>,
    /// Mean (exponential) patience, seconds: switches to Erlang A.
    #[arg(long)]
    pub(super) patience_s: Option<f64>,
    /// Without --agents: the service level to reach (share answered within --target-s).
    #[arg(long)]
    pub(super) fraction: Option<f64>,
    /// Without --agents: share of rostered agents unavailable, for the positions needed.
    #[arg(long, default_value_t = 0.0)]
    pub(super) shrinkage: f64,
    /// Without --agents: the highest acceptable occupancy.
    #[arg(long)]
    pub(super) max_occupancy: Option<f64>,
    /// Erlang B instead: a loss system whose blocked callers are turned away (as a
    /// `when_free` triage team turns calls away to the handlers).
    #[arg(long, conflicts_with_all = ["target_s", "patience_s", "fraction", "max_occupancy"])]
    pub(super) loss: bool,
    /// With --loss and without --agents: the highest blocking probability allowed; finds the
    /// fewest agents.
    #[arg(long, requires = "loss")]
    pub(super) max_blocking: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub(super) format: FormatArg,
    /// Write the output to this file (atomically) instead of standard output.
    #[arg(short = 'o', long)]
    pub(super) out: Option<PathBuf>,
}

/// The `published` command's arguments.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  triage-sim published scenarios/published/staffordshire.toml\n  triage-sim published scenarios/published/staffordshire.toml --replications 8 --format csv -o figures.csv"
)]
pub(super) struct PublishedArgs {
    /// The figures file (TOML `[[figure]]` tables; see docs/calibration.md).
    pub(super) file: PathBuf,
    /// Replications per scenario (overrides the scenario files).
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..=100_000))]
    pub(super) replications: Option<u32>,
    #[command(flatten)]
    pub(super) output: TextOutputArgs,
    #[command(flatten)]
    pub(super) set: SetArgs,
    #[command(flatten)]
    pub(super) limits: LimitArgs,
}

/// The `staff` command's arguments.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  triage-sim staff scenarios/staffordshire-2024.toml --channel 999 --chart staff.png\n  triage-sim staff scenarios/staffordshire-2024.toml --risk 0.1 --group days999\n  triage-sim staff scenarios/staffordshire-2024.toml --by-interval --grid --format csv -o need.csv"
)]
pub(super) struct StaffArgs {
    /// The scenario TOML file.
    pub(super) file: PathBuf,
    /// Add handlers to this shift group (default: spread over the groups by size).
    #[arg(long)]
    pub(super) group: Option<String>,
    /// Only these channels' targets must be met (repeatable; default: every channel).
    #[arg(long = "channel")]
    pub(super) channels: Vec<String>,
    /// Most handlers the search may add.
    #[arg(long, default_value_t = 500)]
    pub(super) max_added: u32,
    /// Require each channel's service level in every hour of the week, or every week.
    #[arg(long, value_enum)]
    pub(super) every_interval: Option<IntervalArg>,
    /// Also search triage team sizes, e.g. triage.officers=2..8, and report the cheapest mix
    /// by the scenario's cost_per_handler and cost_per_officer.
    #[arg(long)]
    pub(super) vary: Option<Vary>,
    /// Add recruits trained as the scenario's latest cohort (training, ramp-up, attrition),
    /// starting on the run's first day, instead of handlers already in post.
    #[arg(long)]
    pub(super) as_recruits: bool,
    /// Answer at this risk of missing: the fewest handlers for which P(every target met over
    /// the period) ≥ 1 − RISK (Wilson 95% interval), adding replications until it is clear.
    #[arg(long, value_parser = parse_risk)]
    pub(super) risk: Option<f64>,
    /// With --risk: the most replications one candidate may get (default 256).
    #[arg(long, requires = "risk", value_parser = clap::value_parser!(u32).range(2..=100_000))]
    pub(super) max_replications: Option<u32>,
    /// Handlers needed in each hour of the week (iterative staffing algorithm), beside the
    /// stationary Erlang C answer and the rota's staffed level.
    #[arg(long)]
    pub(super) by_interval: bool,
    /// With --by-interval: lay the requirement out as a 24 × 7 grid (rows hours, columns days)
    /// for a spreadsheet: handlers needed, the rota's supply and the gap (table and CSV).
    #[arg(long, requires = "by_interval")]
    pub(super) grid: bool,
    /// With --by-interval: target probability of waiting (default 1 − the best-priority
    /// channel's target fraction).
    #[arg(long)]
    pub(super) alpha: Option<f64>,
    /// Replications per candidate (overrides the file).
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..=100_000))]
    pub(super) replications: Option<u32>,
    #[command(flatten)]
    pub(super) output: OutputArgs,
    #[command(flatten)]
    pub(super) set: SetArgs,
    #[command(flatten)]
    pub(super) limits: LimitArgs,
}

/// The `run` command's arguments.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  triage-sim run scenarios/staffordshire-2024.toml --chart week.png --chart-kind trend\n  triage-sim run my-force.toml --seed 7 --replications 20 --format wide-csv -o results.csv\n  triage-sim run my-force.toml --set handlers.count=120 --format json --timing"
)]
pub(super) struct RunArgs {
    /// The scenario TOML file.
    pub(super) file: PathBuf,
    /// Number of replications (overrides the file).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub(super) replications: Option<u32>,
    #[command(flatten)]
    pub(super) output: OutputArgs,
    /// Also write every call of the first replication to this CSV file, one row per call
    /// attempt, in the per-call format `docs/data.md` describes.
    #[arg(long, value_name = "PATH")]
    pub(super) calls: Option<PathBuf>,
    /// Handlers on duty by dated interval from this CSV (`interval_start,on_duty[,group]`,
    /// docs/data.md), replacing the rota of each group it names.
    #[arg(long, value_name = "CSV")]
    pub(super) staffing: Option<PathBuf>,
    /// Which chart --chart writes: service level by hour of week, the wait distribution, or the
    /// year week by week (first two channels; hiring cohorts marked).
    #[arg(long, value_enum, default_value_t = RunChart::HourOfWeek)]
    pub(super) chart_kind: RunChart,
    /// Add how long the run took (JSON `timing.wall_s`, `timing.events_per_s` and the older
    /// `wall_s`; CSV row `run,,wall_s`; the table's last line). Without it the output depends
    /// on the scenario and seed alone, so two runs can be diffed.
    #[arg(long)]
    pub(super) timing: bool,
    #[command(flatten)]
    pub(super) set: SetArgs,
    #[command(flatten)]
    pub(super) limits: LimitArgs,
}

/// The charts `run --chart` can draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum RunChart {
    /// The best-priority channel's service level in every hour of the week.
    HourOfWeek,
    /// The distribution of waits until first answer, per phone channel.
    Wait,
    /// Weekly service level and mean wait of the first two channels, with hiring cohorts.
    Trend,
}

/// Where and how a command writes its results.
#[derive(clap::Args, Clone, Debug)]
pub(super) struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub(super) format: FormatArg,
    /// Write the output to this file (atomically) instead of standard output; `-` is
    /// standard output.
    #[arg(short = 'o', long)]
    pub(super) out: Option<PathBuf>,
    /// Also write the chart that fits the command: PNG or SVG, from the extension (.png, .svg).
    #[arg(long)]
    pub(super) chart: Option<PathBuf>,
}

impl OutputArgs {
    /// Format, output path and chart path, with the chart's format checked before anything
    /// runs, and neither the same file as the other nor as one of `inputs` (which writing
    /// would silently destroy).
    pub(super) fn checked(
        &self,
        inputs: &[&Path],
    ) -> Result<(Format, Option<&Path>, Option<&Path>), Failure> {
        self.checked_with(inputs, &[])
    }

    /// [`OutputArgs::checked`] for a command with more outputs than `--out` and `--chart`
    /// (`(flag, path)`): all of them checked together by [`check_outputs`].
    pub(super) fn checked_with(
        &self,
        inputs: &[&Path],
        more: &[(&str, Option<&Path>)],
    ) -> Result<(Format, Option<&Path>, Option<&Path>), Failure> {
        let chart = self.chart.as_deref();
        check_chart_path(chart)?;
        let mut outputs = vec![("--out", self.out.as_deref()), ("--chart", chart)];
        outputs.extend_from_slice(more);
        check_outputs(inputs, &outputs)?;
        Ok((self.format.into(), self.out.as_deref(), chart))
    }
}

/// Where and how a command with no chart writes its results.
#[derive(clap::Args, Clone, Debug)]
pub(super) struct TextOutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub(super) format: FormatArg,
    /// Write the output to this file (atomically) instead of standard output; `-` is
    /// standard output.
    #[arg(short = 'o', long)]
    pub(super) out: Option<PathBuf>,
}

impl TextOutputArgs {
    /// Format and output path, the path checked against `inputs` before anything runs.
    pub(super) fn checked(&self, inputs: &[&Path]) -> Result<(Format, Option<&Path>), Failure> {
        check_outputs(inputs, &[("--out", self.out.as_deref())])?;
        Ok((self.format.into(), self.out.as_deref()))
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
pub(super) struct SetArgs {
    /// Override a scenario value, e.g. --set handlers.count=120 (repeatable).
    #[arg(long = "set", value_name = "KEY.PATH=VALUE")]
    pub(super) set: Vec<Override>,
    /// Master seed (overrides the file; the same as --set seed=S), 0 to 9223372036854775807.
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    pub(super) seed: Option<u64>,
}

impl SetArgs {
    /// Every override: the `--set`s, then `--seed` as `seed=S`.
    pub(super) fn all(&self) -> Vec<Override> {
        let seed = self.seed.map(|s| Override {
            key: "seed".into(),
            value: s.to_string(),
        });
        self.set.iter().cloned().chain(seed).collect()
    }
}

/// The refusal of absurd sizes, on every command that simulates a scenario file.
#[derive(clap::Args, Clone, Copy, Debug, Default)]
pub(super) struct LimitArgs {
    /// Run even when the estimated work passes the limits (1 hour of computing or 8 GiB).
    #[arg(long)]
    pub(super) force: bool,
}

impl LimitArgs {
    /// Refuses `work` (exit 2, with the estimate) when it passes the limits, unless forced.
    /// Every command that simulates passes its estimate here before it runs, so this is also
    /// where the progress line learns the total it counts towards.
    pub(super) fn allow(&self, work: &Work, cores: usize) -> Result<(), Failure> {
        progress::expect_hours(work.replications * work.horizon_hours);
        if self.force {
            return Ok(());
        }
        Limits::default()
            .check(work, cores)
            .map_err(|e| Failure::Input(e.to_string()))
    }
}
