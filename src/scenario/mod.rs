//! Scenarios: the file format, its validation, and the checked model the engine runs.
//!
//! `scenario.toml ──toml+serde──► RawScenario (spans kept) ──validate──► Scenario`.
//! A [`Scenario`] is proven sound by construction: downstream code never re-checks it.

mod error;
mod load;
mod raw;
mod validate;

pub use error::{Diagnostic, ScenarioError, line_col};
pub use load::{Load, offered_load};

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
    /// Channels, ordered by priority (best first) then by name.
    pub channels: Vec<Channel>,
    /// The pool of call handlers.
    pub handlers: Handlers,
    /// The triage team in front of some channels, if any.
    pub triage: Option<Triage>,
}

/// How callers on a channel behave while they wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChannelKind {
    /// A caller on the line: may hang up when patience runs out.
    Call,
    /// A work item (online report): waits, without patience, until a handler takes it.
    Deferred,
}

/// One contact channel (999, 101, web, …).
#[derive(Clone, Debug)]
pub struct Channel {
    /// Name as written in the file (`channels.NAME`).
    pub name: String,
    /// Call or deferred work.
    pub kind: ChannelKind,
    /// Lower numbers are served first.
    pub priority: i64,
    /// Mean arrivals per hour (Poisson).
    pub rate_per_hour: f64,
    /// Time a call handler spends on one contact.
    pub handle_time: Dist,
    /// Time a caller waits before hanging up; `None` is infinitely patient.
    pub patience: Option<Dist>,
    /// The answer-time target.
    pub target: Target,
}

/// An answer-time target: `fraction` of contacts answered within `answer_within_s`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Target {
    /// Threshold in seconds.
    pub answer_within_s: f64,
    /// Required share of offered contacts answered within the threshold, in `[0, 1]`.
    pub fraction: f64,
}

/// The pool of identical call handlers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Handlers {
    /// Number of handlers on duty.
    pub count: u32,
}

/// When a triage officer takes a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TriagePolicy {
    /// Intercept a call only if an officer is free; otherwise it goes straight to the handlers.
    WhenFree,
    /// Every call waits for an officer first (with its patience).
    Queue,
}

/// A triage team of experienced officers answering some channels first.
#[derive(Clone, Debug)]
pub struct Triage {
    /// Number of officers.
    pub officers: u32,
    /// Indices into [`Scenario::channels`] of the channels triaged.
    pub channels: Vec<usize>,
    /// When a call is intercepted.
    pub policy: TriagePolicy,
    /// Time an officer spends on one call.
    pub handle_time: Dist,
    /// Probability a triaged call is resolved (advice, signposting) and leaves.
    pub resolve_fraction: f64,
    /// Probability a triaged call is escalated to the best priority (e.g. vulnerability found).
    pub escalate_fraction: f64,
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

    /// Seconds of simulated time over which statistics are collected.
    pub fn observed_s(&self) -> f64 {
        self.horizon.since(self.warmup).as_secs()
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
}

impl Scenario {
    /// Reads and validates the scenario file at `path`.
    pub fn load(path: &std::path::Path) -> Result<Scenario, LoadError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
            path: shown.clone(),
            source,
        })?;
        Ok(Scenario::from_toml_str(&text, &shown)?)
    }
}
