//! What one replication observed: online accumulators the engine reports facts to.
//!
//! The engine calls these methods as things happen; nothing here keeps a record per call, so
//! memory does not grow with the horizon. Only callers who arrive after the warm-up are
//! counted, and time integrals (occupancy, queue length) cover the window from the warm-up to
//! the horizon. Turning these counts into KPIs is `stats`'s job.

use crate::histogram::Histogram;
use crate::time::SimTime;

/// Counts and sums for one channel.
#[derive(Clone, Debug, Default)]
pub struct ChannelTally {
    /// Callers who arrived.
    pub offered: u64,
    /// Callers answered by a call handler.
    pub answered: u64,
    /// Callers answered by a human at all (triage officer or call handler).
    pub first_answered: u64,
    /// Callers who hung up before a call handler answered.
    pub abandoned: u64,
    /// Of those, callers who hung up after triage forwarded them.
    pub abandoned_after_triage: u64,
    /// Callers who had to queue before their first answer.
    pub waited: u64,
    /// Callers first answered within the channel's target.
    pub within_target: u64,
    /// Callers resolved at triage (advice, signposting).
    pub resolved_at_triage: u64,
    /// Callers triage forwarded to the handler queue at the channel's priority.
    pub forwarded: u64,
    /// Callers triage escalated to the best priority.
    pub escalated: u64,
    /// Callers intercepted by a triage officer.
    pub intercepted: u64,
    /// Counted callers still waiting or in triage when the run ended.
    pub in_system: u64,
    /// Sum of waits until the first human answer.
    pub first_wait_sum: Micros,
    /// Sum of waits from arrival until a call handler answered.
    pub handler_wait_sum: Micros,
    /// Sum of time spent in queues (any stage, abandoners included).
    pub queue_time_sum: Micros,
    /// Distribution of waits until the first human answer.
    pub first_wait: Histogram,
    /// Distribution of waits from arrival until a call handler answered.
    pub handler_wait: Histogram,
    /// Integral of the number of this channel's callers waiting, caller-microseconds.
    pub queue_area: Micros,
    queue_len: u64,
    queue_since: SimTime,
}

/// A time-weighted level (busy servers) integrated over the observation window.
#[derive(Clone, Debug, Default)]
pub struct Level {
    /// Current level.
    pub now: u32,
    /// Integral of the level over the window, in level-microseconds.
    pub area: Micros,
    since: SimTime,
}

/// Everything one replication observed.
#[derive(Clone, Debug)]
pub struct Tally {
    /// Per channel, in scenario order.
    pub channels: Vec<ChannelTally>,
    /// Busy call handlers.
    pub handlers_busy: Level,
    /// Busy triage officers.
    pub officers_busy: Level,
    /// Events the engine processed.
    pub events: u64,
    warmup: SimTime,
}

/// An exact sum of microseconds (wide enough for any horizon and any number of callers).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Micros(pub u128);

impl Micros {
    /// Adds a duration.
    #[inline]
    pub fn add(&mut self, d: SimTime) {
        self.0 += u128::from(d.0);
    }

    /// The sum in seconds.
    pub fn secs(self) -> f64 {
        self.0 as f64 / 1e6
    }
}

/// Adds `value × (now − since)` to `area`, counting only time after `warmup`.
#[inline]
fn integrate(area: &mut Micros, value: u64, since: SimTime, now: SimTime, warmup: SimTime) {
    let from = since.max(warmup);
    let to = now.max(warmup);
    area.0 += u128::from(value) * u128::from(to.since(from).0);
}

impl Tally {
    /// An empty tally for `n_channels` channels and the given warm-up.
    pub fn new(n_channels: usize, warmup: SimTime) -> Tally {
        Tally {
            channels: vec![ChannelTally::default(); n_channels],
            handlers_busy: Level::default(),
            officers_busy: Level::default(),
            events: 0,
            warmup,
        }
    }

    /// Changes the number of busy handlers at `now`.
    #[inline]
    pub fn set_handlers_busy(&mut self, now: SimTime, busy: u32) {
        let l = &mut self.handlers_busy;
        integrate(&mut l.area, u64::from(l.now), l.since, now, self.warmup);
        (l.now, l.since) = (busy, now);
    }

    /// Changes the number of busy officers at `now`.
    #[inline]
    pub fn set_officers_busy(&mut self, now: SimTime, busy: u32) {
        let l = &mut self.officers_busy;
        integrate(&mut l.area, u64::from(l.now), l.since, now, self.warmup);
        (l.now, l.since) = (busy, now);
    }

    /// One more (or fewer, `joined = false`) of `channel`'s callers waiting at `now`.
    #[inline]
    pub fn queue_change(&mut self, channel: usize, now: SimTime, joined: bool) {
        let c = &mut self.channels[channel];
        integrate(
            &mut c.queue_area,
            c.queue_len,
            c.queue_since,
            now,
            self.warmup,
        );
        c.queue_since = now;
        if joined {
            c.queue_len += 1
        } else {
            c.queue_len -= 1
        }
    }

    /// Closes the time integrals at the end of the run.
    pub fn close(&mut self, end: SimTime) {
        let busy = self.handlers_busy.now;
        self.set_handlers_busy(end, busy);
        let busy = self.officers_busy.now;
        self.set_officers_busy(end, busy);
        for c in &mut self.channels {
            integrate(
                &mut c.queue_area,
                c.queue_len,
                c.queue_since,
                end,
                self.warmup,
            );
            c.queue_since = end;
        }
    }
}
