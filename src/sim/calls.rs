//! Per-call records: how each counted call attempt ended, for `run --calls`. The engine hands
//! each record to a log the caller supplies; a run without a log builds none.

use crate::time::SimTime;

/// How a call attempt ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallOutcome {
    /// A call handler (or an officer pulled onto the channel) took the call.
    Answered,
    /// The caller hung up while waiting.
    Abandoned,
    /// A triage officer resolved the call.
    ResolvedAtTriage,
    /// The call ended at once (misdial, pocket call).
    Dropped,
    /// An accepted call-back never reached the caller.
    CallbackFailed,
}

impl CallOutcome {
    /// The outcome's name in the per-call CSV (`answered`, `abandoned`, `resolved`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            CallOutcome::Answered => "answered",
            CallOutcome::Abandoned => "abandoned",
            CallOutcome::ResolvedAtTriage => "resolved",
            CallOutcome::Dropped => "dropped",
            CallOutcome::CallbackFailed => "callback_failed",
        }
    }
}

/// Who took a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Agent {
    /// Nobody.
    Nobody,
    /// Call handler number `n` of the workforce.
    Handler(u32),
    /// A triage officer.
    Officer,
}

/// One counted call attempt, written when it leaves the system.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CallRecord {
    /// The channel's index.
    pub channel: usize,
    /// The caller: one number per first attempt in a replication, kept by its redials.
    pub caller: u32,
    /// Attempts before this one (0 for a first attempt).
    pub attempt: u8,
    /// When the attempt arrived.
    pub arrived: SimTime,
    /// How it ended.
    pub outcome: CallOutcome,
    /// When the agent answered (for a call-back: when the call-back reached the caller).
    pub answered: Option<SimTime>,
    /// When the call ended: the end of the handling, or the moment the caller hung up.
    pub ended: SimTime,
    /// Who took it.
    pub agent: Agent,
}

/// Where the engine sends per-call records.
pub type CallLog<'a> = Box<dyn FnMut(&CallRecord) + 'a>;
