//! The random streams of each channel's callers: one per kind of draw, so that changing one
//! mechanism's draws leaves every other stream as it was.

use crate::rng::{SimRng, StreamKind, stream};

/// The random streams of one channel's callers.
pub(super) struct ChannelStreams {
    pub(super) handle: SimRng,
    pub(super) patience: SimRng,
    pub(super) patience_after_triage: SimRng,
    pub(super) triage_time: SimRng,
    pub(super) triage_outcome: SimRng,
    pub(super) redial: SimRng,
    pub(super) drops: SimRng,
    pub(super) transfer: SimRng,
    pub(super) callback: SimRng,
    pub(super) ivr: SimRng,
}

impl ChannelStreams {
    /// The streams of `channel`'s callers in replication `replication`.
    pub(super) fn new(seed: u64, replication: u32, channel: &str) -> ChannelStreams {
        let st = |k| stream(seed, replication, channel, k);
        ChannelStreams {
            handle: st(StreamKind::HandleTime),
            patience: st(StreamKind::Patience),
            patience_after_triage: st(StreamKind::PatienceAfterTriage),
            triage_time: st(StreamKind::TriageTime),
            triage_outcome: st(StreamKind::TriageOutcome),
            redial: st(StreamKind::Redial),
            drops: st(StreamKind::Drops),
            transfer: st(StreamKind::Transfer),
            callback: st(StreamKind::Callback),
            ivr: st(StreamKind::Ivr),
        }
    }
}
