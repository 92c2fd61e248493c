//! What the engine looks at every 65,536 events: a stop request (the command line's Ctrl-C)
//! and a counter of simulated time that a progress display reads. Both are rare atomic
//! operations outside the per-event work, and nothing at all when not asked for.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use super::RunOptions;
use crate::time::SimTime;

/// The engine polls once every this many events (plus one).
pub(super) const POLL_MASK: u64 = (1 << 16) - 1;

/// The poll's state for one run.
pub(super) struct Poll {
    stop: Option<&'static AtomicBool>,
    progress: Option<&'static AtomicU64>,
    /// Simulated seconds already added to `progress`.
    reported_s: u64,
}

impl Poll {
    /// The poll `options` ask for.
    pub(super) fn of(options: RunOptions) -> Poll {
        Poll {
            stop: options.stop,
            progress: options.progress,
            reported_s: 0,
        }
    }

    /// Reports the simulated time up to `now`; true when the run should stop.
    pub(super) fn should_stop(&mut self, now: SimTime) -> bool {
        self.report(now);
        self.stop.is_some_and(|flag| flag.load(Ordering::Relaxed))
    }

    /// Reports the simulated time up to `now` (at the end: the horizon).
    pub(super) fn report(&mut self, now: SimTime) {
        if let Some(counter) = self.progress {
            let done = now.as_secs().max(0.0) as u64;
            counter.fetch_add(done.saturating_sub(self.reported_s), Ordering::Relaxed);
            self.reported_s = self.reported_s.max(done);
        }
    }
}
