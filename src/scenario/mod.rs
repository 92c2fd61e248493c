//! Scenarios: the file format, its validation, and the checked model the engine runs.
//!
//! `scenario.toml ──toml+serde──► RawScenario (spans kept) ──validate──► Scenario`.
//! A [`Scenario`] is proven sound by construction: downstream code never re-checks it.

mod attrition;
mod call_stages;
mod changes;
mod error;
mod handlers;
mod limits;
mod offered_load;
mod on_duty;
mod overrides;
mod raw;
mod shift;
pub mod skill_capacity;
mod validate;

pub use handlers::{POOL_GROUP_NAME, mean_staffed, parse_day_pattern};

pub use attrition::TenureBand;
pub use call_stages::{CallbackOffer, Ivr, OfferWhen};
pub use changes::Change;
pub use error::{Diagnostic, ScenarioError, closest, line_col, one_of};
pub use limits::{MAX_DAY_CV, MAX_GROWTH, MAX_HORIZON_HOURS, MAX_STAFF, calendar_has_room};
pub use offered_load::{
    AttritionShortfall, Load, attrition_shortfall, offered_load, patient_demand,
};
pub use on_duty::OnDuty;
pub use overrides::{Override, apply as apply_overrides};
pub use shift::{BreakWindow, MealBreak, Shift};
pub(crate) use validate::shown;

use jiff::civil::Date;

use crate::dist::Dist;
use crate::time::SimTime;

/// The built-in default scenario, also shipped as `scenarios/default.toml`.
pub const DEFAULT_SCENARIO_TOML: &str = include_str!("../../scenarios/default.toml");

/// A checked scenario, ready to simulate.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Human name of the scenario.
    pub name: String,
    /// Simulated length of one replication.
    pub horizon: SimTime,
    /// Statistics discard what happens before this time.
    pub warmup: SimTime,
    /// Number of independent replications.
    pub replications: u32,
    /// Master seed from which every random stream is derived.
    pub seed: u64,
    /// The calendar date at simulated time zero (00:00 local time).
    pub start_date: Date,
    /// Channels, ordered by priority (best first) then by name.
    pub channels: Vec<Channel>,
    /// The call handlers: an always-on pool, or shift groups on rotas.
    pub handlers: Handlers,
    /// The triage team in front of some channels, if any.
    pub triage: Option<Triage>,
    /// Dated changes (`[[changes]]`), earliest first: from each one's date the run follows
    /// its scenario. Those scenarios have the same channels and workforce structure as this
    /// one and no changes of their own.
    pub changes: Vec<Change>,
    /// Whether results keep the channels' KPIs for every day of the run (`backtest` asks;
    /// never set from a file, off by default: a year is 366 cells per channel).
    pub day_intervals: bool,
}

/// How contacts on a channel behave while they wait and are served.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChannelKind {
    /// A caller on the line: may hang up when patience runs out.
    Call,
    /// A work item (online report, call-back): waits, without patience, until a handler takes it.
    Deferred,
    /// A live chat: a handler may hold several at once (the channel's `concurrency`).
    Chat,
}

impl ChannelKind {
    /// The kind in words, as a planner says it.
    pub fn words(self) -> &'static str {
        match self {
            ChannelKind::Call => "calls",
            ChannelKind::Deferred => "deferred work",
            ChannelKind::Chat => "chats",
        }
    }
}

/// One contact channel (999, 101, web, chat, …).
#[derive(Clone, Debug)]
pub struct Channel {
    /// Name as written in the file (`channels.NAME`), or `PARENT-callbacks` for drop call-backs.
    pub name: String,
    /// Call, deferred work or chat.
    pub kind: ChannelKind,
    /// Lower numbers are served first.
    pub priority: i64,
    /// Mean arrivals per hour over the first year (before growth, bursts and redials).
    pub rate_per_hour: f64,
    /// How the arrival rate varies with the calendar.
    pub demand: Demand,
    /// Time a call handler spends on one contact.
    pub handle_time: Dist,
    /// Time a caller waits before hanging up; `None` is infinitely patient.
    pub patience: Option<Dist>,
    /// The answer-time target.
    pub target: Target,
    /// Contacts of this channel one handler may hold at once (chats; 1 otherwise).
    pub concurrency: u32,
    /// Callers who hang up may try again.
    pub redial: Option<Redial>,
    /// Wait-independent drops (misdials, pocket calls) that need a welfare call-back.
    pub drops: Option<Drops>,
    /// Delay before a call reaches the force (the BT transfer leg of a 999 call).
    pub transfer: Option<Dist>,
    /// Incident bursts: clusters of calls about one event.
    pub bursts: Option<Bursts>,
    /// Call-backs offered to callers who join a long queue ("queue buster", virtual hold).
    pub callback: Option<CallbackOffer>,
    /// An IVR stage before the queue, if the channel has one.
    pub ivr: Option<Ivr>,
}

/// The shape of demand over the calendar. The rate in hour `h` of the run is
/// `scale_per_hour × hour_of_week[h] × month[m] × (1 + growth)^years × day multiplier`.
#[derive(Clone, Debug, PartialEq)]
pub struct Demand {
    /// Relative weight of each hour of the week, Monday 00:00 first (168 values, mean 1).
    pub hour_of_week: Vec<f64>,
    /// Relative weight of each calendar month, January first (12 values, mean 1).
    pub month: Vec<f64>,
    /// Arrivals per hour at weight 1, chosen so the first year's expected volume is exact.
    pub scale_per_hour: f64,
    /// Yearly growth of the volume (0.05 = +5% a year), compounded continuously by the hour.
    pub growth_per_year: f64,
    /// Coefficient of variation of the day-level Gamma multiplier (mean 1); 0 for none.
    pub day_cv: f64,
    /// Whole-day surges: each day is a surge day with this probability …
    pub surge_probability: f64,
    /// … and its rate is multiplied by this factor (1 = no surges). The volume includes them:
    /// ordinary days are scaled so that the expected total stays as given.
    pub surge_factor: f64,
}

/// Redialling after hanging up.
#[derive(Clone, Debug)]
pub struct Redial {
    /// Probability that a caller who hangs up tries again.
    pub probability: f64,
    /// Time between hanging up and the next attempt.
    pub delay: Dist,
    /// Most attempts a caller makes in all (the first included).
    pub max_attempts: u8,
    /// Channel index a redial may go to instead (e.g. 101 → 999).
    pub to: Option<usize>,
    /// Probability a redial goes to `to` rather than the same channel.
    pub to_fraction: f64,
}

/// Wait-independent drops: calls that end at once and each need a welfare call-back.
#[derive(Clone, Debug)]
pub struct Drops {
    /// Share of arrivals that drop.
    pub fraction: f64,
    /// Index of the channel carrying the call-back work (`PARENT-callbacks`).
    pub callback_channel: usize,
}

/// Incident bursts: Poisson-timed events, each bringing a cluster of calls over a window.
#[derive(Clone, Debug, PartialEq)]
pub struct Bursts {
    /// Mean number of bursts per week.
    pub per_week: f64,
    /// Fewest and most calls a burst brings (uniform).
    pub calls: (u32, u32),
    /// Shortest and longest window the calls spread over, seconds (uniform).
    pub window_s: (f64, f64),
}

/// An answer-time target: `fraction` of contacts answered within `answer_within`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Target {
    /// Answer-time threshold.
    pub answer_within: SimTime,
    /// Required share of offered contacts answered within the threshold, in `[0, 1]`.
    pub fraction: f64,
    /// Highest acceptable abandonment rate, if the planner sets one.
    pub max_abandonment: Option<f64>,
    /// The clock the threshold is measured on.
    pub clock: TargetClock,
}

/// Where an answer time starts: when the call reaches the force, or when BT connected it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TargetClock {
    /// From the call reaching the force (`service_level`).
    #[default]
    Force,
    /// From BT connecting the call, the transfer leg included: the Home Office basis
    /// (`national_service_level`).
    National,
}

impl TargetClock {
    /// The channel KPI that measures the target on this clock.
    pub fn service_level_kpi(self) -> &'static str {
        match self {
            TargetClock::Force => "service_level",
            TargetClock::National => "national_service_level",
        }
    }
}

/// The call handlers.
#[derive(Clone, Debug, PartialEq)]
pub struct Handlers {
    /// Handlers always on duty when no shift groups are given (`[handlers] count`).
    pub count: u32,
    /// Shift groups on rotas, with skills; empty for the simple always-on pool.
    pub groups: Vec<Group>,
    /// Share of rostered handlers unavailable on a given shift (drawn per handler per shift).
    pub shrinkage: f64,
    /// Shrinkage in each calendar month, January first (leave seasonality); every month equal
    /// to `shrinkage` unless `shrinkage_by_month` is given, when `shrinkage` is their mean.
    pub shrinkage_by_month: [f64; 12],
    /// Share of handlers leaving per year (exponential time to leaving).
    pub attrition_per_year: f64,
    /// A recruit's higher leaving rates in its first months, by tenure (`attrition_per_year`
    /// after the last band); the rota's own handlers are past every band.
    pub attrition_by_tenure: Vec<TenureBand>,
    /// Where `rota` may place the meal break of each shift it designs; `None`: no breaks.
    pub meal_break_window: Option<BreakWindow>,
    /// Cohorts of new handlers.
    pub hires: Vec<Hire>,
    /// Highest acceptable handler occupancy (planners cap it near 85% to protect staff).
    pub max_occupancy: Option<f64>,
    /// Cost of one handler (any unit, e.g. per year), for the staffing search.
    pub cost_per_handler: f64,
    /// Hours in one full-time equivalent's week, for staffing answers in FTE.
    pub fte_hours_per_week: f64,
}

/// A shift group: teams on a repeating on/off pattern, serving some channels.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// Name as written (`handlers.groups.NAME`).
    pub name: String,
    /// Handlers per team.
    pub headcount: u32,
    /// Teams, each offset along the pattern so that the teams cover it in turn.
    pub teams: u32,
    /// The shift worked on an "on" day; `None` = always on duty.
    pub shift: Option<Shift>,
    /// Indices of the channels this group serves.
    pub channels: Vec<usize>,
    /// Capacity this group keeps free for a protected channel (trunk reservation).
    pub reserve: Option<Reserve>,
    /// A channel the group is pulled onto when its callers have waited long.
    pub overflow: Option<Overflow>,
    /// Share of the handlers who turn up for a shift that are put on non-call work (crime
    /// recording, outbound call-backs, internal lines) for that shift: drawn per handler per
    /// shift, after shrinkage. 0 = every handler who turns up takes calls.
    pub non_call_work: f64,
    /// Handlers taken off the rostered `headcount × teams` (the staffing search's surplus;
    /// never set from a file), one per team in turn from the last team.
    pub removed: u32,
    /// Handlers on duty interval by interval instead of a rota (`on_duty_by_hour_of_week` or a
    /// staffing file); then `headcount` is the most on duty at once, `teams` 1 and `shift` none.
    pub on_duty: Option<OnDuty>,
}

impl Group {
    /// Handlers rostered on team `team`: the headcount, less those removed from it.
    pub fn team_size(&self, team: u32) -> u32 {
        let teams = self.teams.max(1);
        let from_last = teams - 1 - team.min(teams - 1);
        let removed = self.removed / teams + u32::from(from_last < self.removed % teams);
        self.headcount.saturating_sub(removed)
    }

    /// Handlers rostered over every team.
    pub fn rostered(&self) -> u32 {
        (self.headcount * self.teams).saturating_sub(self.removed)
    }
}

/// A flex rule: pulling a group onto another channel when that channel's callers have waited
/// long, or when its queue is long. Either condition is enough.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Overflow {
    /// Channel index the group may take callers from.
    pub channel: usize,
    /// Callers who have waited at least this long may be taken ([`SimTime::NEVER`]: no such
    /// rule).
    pub after: SimTime,
    /// While more than this many of the channel's callers wait, its oldest may be taken
    /// (`None`: no such rule).
    pub queue_over: Option<u32>,
    /// Daily hours (from, until) as times of day in which the rule applies (`until` before
    /// `from` crosses midnight); `None`: all day.
    pub window: Option<(SimTime, SimTime)>,
}

/// Trunk reservation: a group's handlers take callers of other channels only while at least
/// `idle` other handlers able to take `channel` stay idle, so that capacity is kept for it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reserve {
    /// The protected channel's index.
    pub channel: usize,
    /// Idle handlers able to take it that must remain after taking another channel's caller.
    pub idle: u32,
}

/// A cohort of new handlers.
#[derive(Clone, Debug, PartialEq)]
pub struct Hire {
    /// Group index the cohort joins (spread across its teams).
    pub group: usize,
    /// Days from the start date to the cohort's first day (negative: hired before the run).
    pub start_day: i64,
    /// Number of new handlers.
    pub count: u32,
    /// Time in training (unavailable) after the first day.
    pub training: SimTime,
    /// Time over which the handle-time factor decays to 1 after training.
    pub ramp: SimTime,
    /// Handle-time multiplier at the end of training.
    pub initial_aht_factor: f64,
}

impl Hire {
    /// Whether the cohort has finished training when the run starts (it is in post).
    pub fn in_post_at_start(&self) -> bool {
        self.start_day as f64 * crate::time::DAY_S + self.training.as_secs() <= 0.0
    }
}

/// When a triage officer takes a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TriagePolicy {
    /// Intercept a call only if an officer is free; otherwise it goes straight to the handlers.
    WhenFree,
    /// Every call waits for an officer first (with its patience).
    Queue,
}

impl TriagePolicy {
    /// The policy in words, as written in a scenario.
    pub fn words(self) -> &'static str {
        match self {
            TriagePolicy::WhenFree => "when_free (only when an officer is free)",
            TriagePolicy::Queue => "queue (every call waits for an officer)",
        }
    }
}

/// A triage team of experienced officers answering some channels first.
#[derive(Clone, Debug)]
pub struct Triage {
    /// Number of officers: on duty during the opening hours, or, with `shifts`, the sum of
    /// the shifts' officers (the team's headcount for costs).
    pub officers: u32,
    /// The team's rota: daily shifts, each with its officers; empty when `officers` work the
    /// opening hours.
    pub shifts: Vec<TriageShift>,
    /// Share of a shift's officers absent on a given day (drawn per officer per shift).
    pub shrinkage: f64,
    /// Time an officer spends on a call it resolves, when that differs from `handle_time`.
    pub handle_time_resolved: Option<Dist>,
    /// A channel whose callers idle officers take when its queue is long (e.g. 999).
    pub pulled_to: Option<TriagePull>,
    /// Indices into [`Scenario::channels`] of the channels triaged.
    pub channels: Vec<usize>,
    /// When a call is intercepted.
    pub policy: TriagePolicy,
    /// Time an officer spends on one call.
    pub handle_time: Dist,
    /// Probability a triaged call is resolved (advice, signposting) and leaves.
    pub resolve_fraction: f64,
    /// Probability a triaged call is redirected (sent to report online, or transferred to
    /// another department) and leaves the phone queues; counted apart from resolved calls.
    pub redirect_fraction: f64,
    /// Probability a triaged call is escalated to the best priority (e.g. vulnerability found).
    pub escalate_fraction: f64,
    /// Daily opening hours (open, close) as times of day; `None` = always open.
    pub hours: Option<(SimTime, SimTime)>,
    /// Cost of one officer (same unit as handlers'), for the staffing search.
    pub cost_per_officer: f64,
}

/// A daily triage shift.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TriageShift {
    /// Start, as a time of day.
    pub start: SimTime,
    /// Length.
    pub length: SimTime,
    /// Officers rostered on it.
    pub officers: u32,
}

/// A rule pulling idle triage officers onto another channel's callers under load: while more
/// than `queue_over` of `channel`'s callers wait for a handler, an idle officer takes the one
/// who has waited longest (before any caller waiting for triage), and handles it as a call
/// handler would.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TriagePull {
    /// The channel's index.
    pub channel: usize,
    /// Callers waiting beyond which officers are pulled.
    pub queue_over: u32,
}

impl Triage {
    /// Mean time an officer spends on a triaged call, whatever its outcome.
    pub fn mean_handle_s(&self) -> f64 {
        match &self.handle_time_resolved {
            None => self.handle_time.mean_s(),
            Some(r) => {
                let ended = self.ends_at_triage();
                ended * r.mean_s() + (1.0 - ended) * self.handle_time.mean_s()
            }
        }
    }

    /// Probability a triaged call ends at triage (resolved or redirected).
    pub fn ends_at_triage(&self) -> f64 {
        self.resolve_fraction + self.redirect_fraction
    }

    /// Officers on duty for the Erlang B intercept estimate: the team during its opening hours,
    /// or a rota's mean on duty after shrinkage, rounded.
    pub fn officers_for_load(&self) -> u32 {
        if self.shifts.is_empty() {
            self.officers
        } else {
            (self.mean_rostered() * (1.0 - self.shrinkage)).round() as u32
        }
    }

    /// Mean officers on duty over a day (before shrinkage for a rota; the opening hours'
    /// share of the day otherwise).
    pub fn mean_rostered(&self) -> f64 {
        if self.shifts.is_empty() {
            let open_share = self.hours.map_or(1.0, |(open, close)| {
                let day = crate::time::DAY_US as f64;
                let len = (close.0 as f64 - open.0 as f64).rem_euclid(day);
                if len == 0.0 { 1.0 } else { len / day }
            });
            f64::from(self.officers) * open_share
        } else {
            self.shifts
                .iter()
                .map(|s| f64::from(s.officers) * s.length.as_secs() / crate::time::DAY_S)
                .sum()
        }
    }
}

impl Scenario {
    /// Parses and validates scenario text; `origin` names it in error messages.
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
        validate::parse_and_validate(text, origin)
    }

    /// The built-in default scenario.
    pub fn default_scenario() -> Scenario {
        Scenario::from_toml_str(DEFAULT_SCENARIO_TOML, "scenarios/default.toml")
            .expect("the shipped default scenario is valid (checked by tests)")
    }

    /// Whether channel `index` is answered by the triage team first.
    pub fn is_triaged(&self, index: usize) -> bool {
        self.triage
            .as_ref()
            .is_some_and(|t| t.channels.contains(&index))
    }

    /// Whether `f` holds for this scenario or for any of its dated changes' scenarios.
    pub fn in_any_part(&self, f: impl Fn(&Scenario) -> bool) -> bool {
        f(self) || self.changes.iter().any(|c| f(&c.scenario))
    }

    /// Seconds of simulated time over which statistics are collected.
    pub fn observed_s(&self) -> f64 {
        self.horizon.since(self.warmup).as_secs()
    }

    /// A warning for a short run without a warm-up: it starts with empty queues and idle
    /// handlers, so its waits are biased low (start-up bias). `None` for runs of a week or more,
    /// where the empty start is a small part of the whole, or with any warm-up.
    pub fn start_up_bias_note(&self) -> Option<String> {
        let hours = self.horizon.as_hours();
        (self.warmup.as_secs() == 0.0 && hours < 168.0).then(|| {
            format!(
                "no warm-up on a {hours} h horizon: every replication starts with empty queues and \
                 idle handlers, so waits come out lower than in a centre already running (on an \
                 Erlang C case of 10 h, 95% intervals covered the true mean wait only 80-90% of \
                 the time); set warmup_hours (a few hours) for steady-state figures"
            )
        })
    }
}

/// Why a scenario file could not be turned into a [`Scenario`].
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("{path}: cannot read the scenario: {source}")]
    Io {
        /// The path as given.
        path: String,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The file was read but is not a valid scenario.
    #[error("{0}")]
    Invalid(#[from] ScenarioError),
    /// A `--set` flag could not be applied.
    #[error("{flag}: {why}")]
    Override {
        /// The flag as given.
        flag: String,
        /// What is wrong with it.
        why: String,
    },
}

impl Scenario {
    /// Reads and validates the scenario file at `path`.
    pub fn load(path: &std::path::Path) -> Result<Scenario, LoadError> {
        Scenario::load_with(path, &[])
    }

    /// Reads the scenario file at `path`, applies `--set` overrides, and validates the result;
    /// problems with overridden keys are reported against their flags.
    pub fn load_with(
        path: &std::path::Path,
        overrides: &[Override],
    ) -> Result<Scenario, LoadError> {
        let (text, shown) = read_scenario(path)?;
        Scenario::from_toml_str_with(&text, &shown, overrides)
    }

    /// Like [`Scenario::from_toml_str`], with `--set` overrides applied first.
    pub fn from_toml_str_with(
        text: &str,
        origin: &str,
        overrides: &[Override],
    ) -> Result<Scenario, LoadError> {
        Scenario::parse_with(text, origin, overrides, false)
    }

    /// Like [`Scenario::load_with`], but a scenario whose infinitely patient demand outgrows
    /// its staff is accepted: the staffing search is how a planner finds out how many more
    /// handlers it needs. Every other check applies.
    pub fn load_allowing_unstable(
        path: &std::path::Path,
        overrides: &[Override],
    ) -> Result<Scenario, LoadError> {
        let (text, shown) = read_scenario(path)?;
        Scenario::parse_with(&text, &shown, overrides, true)
    }

    fn parse_with(
        text: &str,
        origin: &str,
        overrides: &[Override],
        allow_unstable: bool,
    ) -> Result<Scenario, LoadError> {
        let changed = apply_overrides(text, overrides).map_err(|(o, why)| LoadError::Override {
            flag: o.to_string(),
            why,
        })?;
        validate::parse_and_validate_with(&changed, origin, allow_unstable)
            .map_err(|e| LoadError::Invalid(e.attribute_to_flags(overrides)))
    }
}

/// The text of the scenario file at `path`, and the path as shown in messages.
fn read_scenario(path: &std::path::Path) -> Result<(String, String), LoadError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
        path: shown.clone(),
        source,
    })?;
    Ok((text, shown))
}
