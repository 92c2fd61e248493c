//! What one replication observed: online accumulators the engine reports facts to.
//!
//! The engine calls these methods as things happen; nothing here keeps a record per call, so
//! memory does not grow with the horizon (apart from one small cell per simulated week and
//! month for per-interval results). Only callers who arrive after the warm-up are counted, and
//! time integrals (staffing, occupancy, queue length) cover the window from the warm-up to the
//! horizon. Turning these counts into KPIs is `stats`'s job.

use crate::calendar::{Calendar, HOURS_PER_WEEK};
use crate::sim::histogram::Histogram;
use crate::time::{HOUR_US, SimTime, micros_to_secs};

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
        micros_to_secs(self.0)
    }
}

/// Counts and sums for one channel (over the whole run, or one interval of it).
#[derive(Clone, Debug, Default)]
pub struct Cell {
    /// Contacts that arrived (first attempts and redials).
    pub offered: u64,
    /// Of those, calls that dropped at once (never waited to be answered).
    pub dropped: u64,
    /// Contacts answered by a call handler.
    pub answered: u64,
    /// Callers who hung up before a call handler answered.
    pub abandoned: u64,
    /// Callers who had to queue before their first answer.
    pub waited: u64,
    /// Callers first answered by a human within the channel's target.
    pub within_target: u64,
    /// Callers answered by a human at all (triage officer or call handler).
    pub first_answered: u64,
    /// Sum of waits until the first human answer.
    pub first_wait_sum: Micros,
    /// Sum of time spent in queues (any stage, abandoners included).
    pub queue_time_sum: Micros,
    /// Callers who waited longer than [`LONG_WAIT`] for a first human answer (answered late, or
    /// hung up after waiting that long).
    pub waited_long: u64,
    /// Sum of waits from arrival until a call handler answered (triaged channels only).
    pub handler_wait_sum: Micros,
    /// Callers first answered within the target on the national clock (transfer leg included).
    pub national_within_target: u64,
    /// Sum of waits on the national clock (transfer leg included).
    pub national_wait_sum: Micros,
}

/// The published "waiting over 15 minutes" threshold.
pub const LONG_WAIT: SimTime = SimTime::from_whole_secs(15 * 60);

impl Cell {
    /// Adds another cell's counts and sums to this one (e.g. seven days into an hour of day).
    pub fn merge(&mut self, other: &Cell) {
        self.offered += other.offered;
        self.dropped += other.dropped;
        self.answered += other.answered;
        self.abandoned += other.abandoned;
        self.waited += other.waited;
        self.within_target += other.within_target;
        self.first_answered += other.first_answered;
        self.first_wait_sum.0 += other.first_wait_sum.0;
        self.queue_time_sum.0 += other.queue_time_sum.0;
        self.waited_long += other.waited_long;
        self.handler_wait_sum.0 += other.handler_wait_sum.0;
        self.national_within_target += other.national_within_target;
        self.national_wait_sum.0 += other.national_wait_sum.0;
    }
}

/// Counts and sums for one channel over the whole run.
#[derive(Clone, Debug, Default)]
pub struct ChannelTally {
    /// The basic counts.
    pub all: Cell,
    /// First attempts: one per unique caller.
    pub first_attempts: u64,
    /// Attempts that were redials after hanging up.
    pub redials: u64,
    /// Calls that dropped at once (misdials, pocket calls) and made a welfare call-back.
    pub dropped: u64,
    /// Of the abandoned, callers who hung up after triage forwarded them.
    pub abandoned_after_triage: u64,
    /// Callers resolved at triage (advice, signposting).
    pub resolved_at_triage: u64,
    /// Callers triage redirected (online, another department): they leave the queues.
    pub redirected_at_triage: u64,
    /// Callers who entered the IVR menu, who hung up there, and who served themselves there.
    pub ivr_calls: u64,
    /// Hung up in the IVR.
    pub ivr_abandoned: u64,
    /// Served by the IVR (self-service leakage).
    pub ivr_self_served: u64,
    /// Callers triage forwarded to the handler queue at the channel's priority.
    pub forwarded: u64,
    /// Callers triage escalated to the best priority.
    pub escalated: u64,
    /// Callers intercepted by a triage officer.
    pub intercepted: u64,
    /// Counted callers still waiting or with an officer when the run ended (callers awaiting
    /// a call-back included).
    pub in_system: u64,
    /// Callers offered a call-back.
    pub callbacks_offered: u64,
    /// Of those, callers who accepted.
    pub callbacks_accepted: u64,
    /// Call-backs that reached the caller (the call was then handled).
    pub callbacks_completed: u64,
    /// Accepted call-backs that never reached the caller within the attempts allowed.
    pub callbacks_failed: u64,
    /// Sum of times from arrival until a call-back reached the caller.
    pub callback_time_sum: Micros,
    /// Distribution of waits until the first human answer.
    pub first_wait: Histogram,
    /// Distribution of waits from arrival until a call handler answered.
    pub handler_wait: Histogram,
    /// Distribution of national waits (transfer included), for channels with a transfer leg.
    pub national_wait: Histogram,
    /// Integral of the number of this channel's callers waiting, caller-microseconds.
    pub queue_area: Micros,
    /// Most of this channel's callers waiting at once.
    pub max_queue_len: u64,
    queue_len: u64,
    queue_since: SimTime,
}

impl ChannelTally {
    /// Adds the queue length × time since the last change (after the warm-up) to the area.
    #[inline]
    fn integrate_queue(&mut self, now: SimTime, warmup: SimTime) {
        let from = self.queue_since.max(warmup);
        let to = now.max(warmup);
        self.queue_area.0 += u128::from(self.queue_len) * u128::from(to.since(from).0);
        self.queue_since = now;
    }
}

/// A time-weighted level (handlers on duty, busy handlers) integrated over the window, overall
/// and per interval.
///
/// Area accumulates in the current hour and is flushed to the interval arrays when the hour
/// changes, so an update within the hour costs one multiply-add.
#[derive(Clone, Debug, Default)]
pub struct Level {
    /// Current level.
    pub now: u32,
    /// Integral over the window, level-microseconds.
    pub area: Micros,
    /// Integral per hour of the week.
    pub by_hour_of_week: Vec<u128>,
    /// Integral per calendar month of the run.
    pub by_month: Vec<u128>,
    /// Integral per week of the run.
    pub by_week: Vec<u128>,
    since: SimTime,
    hour: u64,
    hour_area: u128,
    /// The hour [`Level::add_span`] last added to, and its cells.
    span_hour: (u64, (usize, usize, usize)),
}
/// Time spent at each number in system (handled plus waiting), per hour of the week: the
/// distribution the iterative staffing algorithm needs. Kept only when asked for.
#[derive(Clone, Debug)]
pub struct InSystemByHour {
    /// `[hour of week][n]`: microseconds with exactly `n` contacts in the system (the last
    /// bucket holds `n` and above).
    pub time_at: Vec<Vec<u64>>,
    level: usize,
    since: SimTime,
}

/// Most contacts in system tracked individually by [`InSystemByHour`].
pub const IN_SYSTEM_CAP: usize = 4096;

impl InSystemByHour {
    fn new() -> InSystemByHour {
        InSystemByHour {
            time_at: vec![Vec::new(); HOURS_PER_WEEK],
            level: 0,
            since: SimTime::ZERO,
        }
    }

    /// Moves the level by `delta` at `now`, booking the time spent at the old level.
    fn change(&mut self, now: SimTime, delta: i64, warmup: SimTime, calendar: &Calendar) {
        let mut from = self.since.max(warmup);
        let to = now.max(warmup);
        let level = self.level.min(IN_SYSTEM_CAP);
        while from < to {
            let hour_end = SimTime((from.0 / HOUR_US + 1) * HOUR_US).min(to);
            let (how, _, _) = cells_of(calendar, from);
            let cell = &mut self.time_at[how];
            if cell.len() <= level {
                cell.resize(level + 1, 0);
            }
            cell[level] += hour_end.0 - from.0;
            from = hour_end;
        }
        self.level = (self.level as i64 + delta).max(0) as usize;
        self.since = now;
    }
}

/// Per-interval counts for every channel.
///
/// While the run goes on, a caller's facts are counted in two cells only, its hour of the week
/// and its day of the run; [`Tally::close`] sums the days into weeks and months (and the hours
/// of the week into the whole run). The sums are of integers, so they are exact.
#[derive(Clone, Debug)]
pub struct Intervals {
    /// `[channel][hour of week]`, Monday 00:00 first.
    pub hour_of_week: Vec<Vec<Cell>>,
    /// `[channel][month of the run]` (complete once the tally is closed).
    pub month: Vec<Vec<Cell>>,
    /// `[channel][week of the run]` (complete once the tally is closed).
    pub week: Vec<Vec<Cell>>,
    /// `[channel][day of the run]`, summed into `month` and `week` at the close.
    pub day: Vec<Vec<Cell>>,
}

/// Everything one replication observed.
#[derive(Clone, Debug)]
pub struct Tally {
    /// Per channel, in scenario order.
    pub channels: Vec<ChannelTally>,
    /// Per-interval counts.
    pub intervals: Intervals,
    /// Handlers on duty.
    pub handlers_on_duty: Level,
    /// Busy handlers (on a contact, or holding at least one chat).
    pub handlers_busy: Level,
    /// Busy triage officers.
    pub officers_busy: Level,
    /// Officers on duty (the team's opening hours).
    pub officers_on_duty: Level,
    /// Time handlers spent finishing a contact after their shift ended.
    pub overtime: Micros,
    /// Most chats any handler held at once.
    pub max_chats_per_handler: u32,
    /// Callers answered by triage officers pulled onto their channel.
    pub officers_pulled: u64,
    /// Events the engine processed.
    pub events: u64,
    /// Distribution of the number in system per hour of the week, when asked for.
    pub in_system_by_hour: Option<InSystemByHour>,
    warmup: SimTime,
    horizon: SimTime,
    calendar: Calendar,
    /// The hour last counted, and its hour-of-week and day cells.
    cell_cache: (u64, (usize, usize)),
}

/// Interval indices (hour of week, month of run, week of run) of an instant.
#[inline]
fn cells_of(calendar: &Calendar, t: SimTime) -> (usize, usize, usize) {
    let hour = (t.0 / HOUR_US) as usize;
    let day_index = hour / 24;
    let day = calendar.day(day_index);
    (
        usize::from(day.weekday) * 24 + hour % 24,
        usize::from(day.month_index),
        day_index / 7,
    )
}

impl Level {
    fn new(months: usize, weeks: usize) -> Level {
        Level {
            by_hour_of_week: vec![0; HOURS_PER_WEEK],
            by_month: vec![0; months],
            by_week: vec![0; weeks],
            span_hour: (u64::MAX, (0, 0, 0)),
            ..Level::default()
        }
    }

    /// Integrates the current level from `since` to `now` (clipped to after `warmup`), splitting
    /// at hour boundaries, then sets the new level.
    #[inline]
    fn set(&mut self, now: SimTime, level: u32, warmup: SimTime, calendar: &Calendar) {
        let mut from = self.since.max(warmup);
        let to = now.max(warmup);
        while from < to {
            let hour = from.0 / HOUR_US;
            if hour != self.hour {
                self.flush(calendar);
                self.hour = hour;
            }
            let hour_end = SimTime((hour + 1) * HOUR_US).min(to);
            self.hour_area += u128::from(self.now) * u128::from(hour_end.0 - from.0);
            from = hour_end;
        }
        (self.now, self.since) = (level, now);
    }

    /// Adds one unit of level over `from..to` straight into the totals and interval arrays (a
    /// span known in advance, such as a call whose end is not an event).
    fn add_span(&mut self, mut from: SimTime, to: SimTime, calendar: &Calendar) {
        while from < to {
            let hour = from.0 / HOUR_US;
            let hour_end = SimTime((hour + 1) * HOUR_US).min(to);
            if hour != self.span_hour.0 {
                let (how, month, week) = cells_of(calendar, SimTime(hour * HOUR_US));
                let (last_month, last_week) = (self.by_month.len() - 1, self.by_week.len() - 1);
                self.span_hour = (hour, (how, month.min(last_month), week.min(last_week)));
            }
            let (how, month, week) = self.span_hour.1;
            let area = u128::from(hour_end.0 - from.0);
            self.area.0 += area;
            self.by_hour_of_week[how] += area;
            self.by_month[month] += area;
            self.by_week[week] += area;
            from = hour_end;
        }
    }

    /// Moves the current hour's area into the totals and interval arrays.
    fn flush(&mut self, calendar: &Calendar) {
        if self.hour_area > 0 {
            let (how, month, week) = cells_of(calendar, SimTime(self.hour * HOUR_US));
            let (last_month, last_week) = (self.by_month.len() - 1, self.by_week.len() - 1);
            self.area.0 += self.hour_area;
            self.by_hour_of_week[how] += self.hour_area;
            self.by_month[month.min(last_month)] += self.hour_area;
            self.by_week[week.min(last_week)] += self.hour_area;
            self.hour_area = 0;
        }
    }
}

impl Tally {
    /// An empty tally for `n_channels` channels over a run of `horizon` with the given warm-up.
    pub fn new(n_channels: usize, warmup: SimTime, horizon: SimTime, calendar: Calendar) -> Tally {
        let days = (horizon.0 / HOUR_US).div_ceil(24).max(1) as usize;
        let weeks = days.div_ceil(7);
        let months = usize::from(calendar.day(days - 1).month_index) + 1;
        let cells = |n: usize| vec![vec![Cell::default(); n]; n_channels];
        Tally {
            channels: vec![ChannelTally::default(); n_channels],
            intervals: Intervals {
                hour_of_week: cells(HOURS_PER_WEEK),
                month: cells(months),
                week: cells(weeks),
                day: cells(days),
            },
            handlers_on_duty: Level::new(months, weeks),
            handlers_busy: Level::new(months, weeks),
            officers_busy: Level::new(months, weeks),
            officers_on_duty: Level::new(months, weeks),
            overtime: Micros::default(),
            max_chats_per_handler: 0,
            officers_pulled: 0,
            events: 0,
            in_system_by_hour: None,
            warmup,
            horizon,
            calendar,
            cell_cache: (u64::MAX, (0, 0)),
        }
    }

    /// Applies `f` to the cells of a caller who arrived at `arrival` on `channel`: its hour of
    /// the week and its day of the run, from which [`Tally::close`] makes the whole-run, month
    /// and week cells.
    #[inline]
    pub fn count(&mut self, channel: usize, arrival: SimTime, f: impl Fn(&mut Cell)) {
        let hour = arrival.0 / HOUR_US;
        if hour != self.cell_cache.0 {
            let day = (hour / 24) as usize;
            let how = cells_of(&self.calendar, arrival).0;
            self.cell_cache = (hour, (how, day.min(self.intervals.day[0].len() - 1)));
        }
        let (how, day) = self.cell_cache.1;
        let iv = &mut self.intervals;
        f(&mut iv.hour_of_week[channel][how]);
        f(&mut iv.day[channel][day]);
    }

    /// Sums the day cells into months and weeks, and the hours of the week into the run.
    fn roll_up(&mut self) {
        let iv = &mut self.intervals;
        for c in 0..self.channels.len() {
            let (last_month, last_week) = (iv.month[c].len() - 1, iv.week[c].len() - 1);
            for (d, cell) in iv.day[c].iter().enumerate() {
                let month = usize::from(self.calendar.day(d).month_index).min(last_month);
                iv.month[c][month].merge(cell);
                iv.week[c][(d / 7).min(last_week)].merge(cell);
            }
            let all = &mut self.channels[c].all;
            for cell in &iv.hour_of_week[c] {
                all.merge(cell);
            }
        }
    }

    /// Changes the number of handlers on duty at `now`.
    #[inline]
    pub fn set_on_duty(&mut self, now: SimTime, n: u32) {
        self.handlers_on_duty
            .set(now, n, self.warmup, &self.calendar);
    }

    /// Changes the number of busy handlers at `now`.
    #[inline]
    pub fn set_handlers_busy(&mut self, now: SimTime, busy: u32) {
        self.handlers_busy
            .set(now, busy, self.warmup, &self.calendar);
    }

    /// One handler busy from `from` to `to` without changing the busy count (a lazy completion,
    /// `sim::lazy_pool`): the span after the warm-up and before the horizon is integrated now.
    #[inline]
    pub fn book_busy(&mut self, from: SimTime, to: SimTime) {
        let (from, to) = (from.max(self.warmup), to.min(self.horizon));
        self.handlers_busy.add_span(from, to, &self.calendar);
    }

    /// Changes the number of busy officers at `now`.
    #[inline]
    pub fn set_officers_busy(&mut self, now: SimTime, busy: u32) {
        self.officers_busy
            .set(now, busy, self.warmup, &self.calendar);
    }

    /// Changes the number of officers on duty at `now`.
    #[inline]
    pub fn set_officers_on_duty(&mut self, now: SimTime, n: u32) {
        self.officers_on_duty
            .set(now, n, self.warmup, &self.calendar);
    }

    /// One more (or fewer, `joined = false`) of `channel`'s callers waiting at `now`.
    #[inline]
    pub fn queue_change(&mut self, channel: usize, now: SimTime, joined: bool) {
        let c = &mut self.channels[channel];
        c.integrate_queue(now, self.warmup);
        if joined {
            c.queue_len += 1;
            if now >= self.warmup {
                c.max_queue_len = c.max_queue_len.max(c.queue_len);
            }
        } else {
            c.queue_len -= 1;
        }
    }

    /// Starts keeping the distribution of the number in system per hour of the week.
    pub fn track_in_system(&mut self) {
        self.in_system_by_hour = Some(InSystemByHour::new());
    }

    /// One more (`delta` = 1) or one fewer (−1) contact in the system at `now`.
    #[inline]
    pub fn in_system_change(&mut self, now: SimTime, delta: i64) {
        if let Some(h) = &mut self.in_system_by_hour {
            h.change(now, delta, self.warmup, &self.calendar);
        }
    }

    /// Closes the time integrals at the end of the run.
    pub fn close(&mut self, end: SimTime) {
        self.in_system_change(end, 0);
        for level in [
            &mut self.handlers_on_duty,
            &mut self.handlers_busy,
            &mut self.officers_busy,
            &mut self.officers_on_duty,
        ] {
            let now = level.now;
            level.set(end, now, self.warmup, &self.calendar);
            level.flush(&self.calendar);
        }
        for c in &mut self.channels {
            c.integrate_queue(end, self.warmup);
        }
        self.roll_up();
    }

    /// Observed seconds (after the warm-up) in each hour of the week, month and week of the run.
    pub fn interval_seconds(&self, horizon: SimTime) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let mut level = Level::new(self.intervals.month[0].len(), self.intervals.week[0].len());
        level.set(SimTime::ZERO, 1, self.warmup, &self.calendar);
        level.set(horizon, 1, self.warmup, &self.calendar);
        level.flush(&self.calendar);
        let secs = |v: &[u128]| v.iter().map(|x| micros_to_secs(*x)).collect();
        (
            secs(&level.by_hour_of_week),
            secs(&level.by_month),
            secs(&level.by_week),
        )
    }
}
