//! What one replication observed: online accumulators the engine reports facts to.
//!
//! The engine calls these methods as things happen; nothing here keeps a record per call, so
//! memory does not grow with the horizon (apart from one small cell per simulated week and
//! month for per-interval results). Only callers who arrive after the warm-up are counted, and
//! time integrals (staffing, occupancy, queue length) cover the window from the warm-up to the
//! horizon. Turning these counts into KPIs is `stats`'s job.

use crate::calendar::{Calendar, HOURS_PER_WEEK};
use crate::sim::histogram::Histogram;
use crate::sim::level::cells_of;
pub use crate::sim::level::{IN_SYSTEM_CAP, InSystemByHour, Level};
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

/// Days a tally holds cells for at once when the scenario does not ask for every day: a caller
/// counted this many days or more after the day it arrived goes straight to its month and week.
const RECENT_DAYS: usize = 8;

/// Hours of the run a tally holds a cell for at once: a caller's facts go to its arrival
/// hour's cell alone, summed into its hour of the week and its day when the cell is reused (a
/// caller counted 64 hours or more after arriving goes straight to those two).
const RECENT_HOURS: usize = 64;

/// What a ring of recent cells (`held[i]`: the index the cell `i` holds, `u64::MAX` for none)
/// does with an index.
enum Claim {
    /// Its cell holds it already (or was empty and now does).
    Held(usize),
    /// Its cell held the older index `was`, to be summed; it now holds the new one.
    Reused { slot: usize, was: u64 },
    /// Its cell holds a newer index: this one was summed already, count it where it went.
    Gone,
}

/// The cell of `index` in a ring of recent cells.
#[inline]
fn claim(held: &mut [u64], index: u64) -> Claim {
    let slot = (index % held.len() as u64) as usize;
    let was = held[slot];
    if was == index {
        return Claim::Held(slot);
    }
    if was != u64::MAX && was > index {
        return Claim::Gone;
    }
    held[slot] = index;
    match was {
        u64::MAX => Claim::Held(slot),
        was => Claim::Reused { slot, was },
    }
}

/// Where a caller's hour is counted.
#[derive(Clone, Copy, Debug)]
enum HourCell {
    /// A cell of `Intervals::hours`.
    Held(usize),
    /// An hour no longer held: straight into its hour of the week and its day.
    Gone(usize, DayCell),
}

/// Where a caller's day is counted.
#[derive(Clone, Copy, Debug)]
enum DayCell {
    /// A cell of `Intervals::day`.
    Held(usize),
    /// A day no longer held: straight into its month and week.
    Gone { month: usize, week: usize },
}

/// Per-interval counts for every channel.
///
/// While the run goes on, a caller's facts are counted in one cell, its arrival's hour of the
/// run (one of the last [`RECENT_HOURS`]), summed into its hour of the week and its day of the
/// run when the cell is reused; the days are summed into weeks and months (and the hours of the
/// week into the whole run). Unless the scenario asks for days (`Scenario::day_intervals`),
/// only the last [`RECENT_DAYS`] are held, each summed when its cell is reused, so memory does
/// not grow with the horizon. The sums are of integers, so they are exact either way.
#[derive(Clone, Debug)]
pub struct Intervals {
    /// `[channel][hour of week]`, Monday 00:00 first.
    pub hour_of_week: Vec<Vec<Cell>>,
    /// `[channel][month of the run]` (complete once the tally is closed).
    pub month: Vec<Vec<Cell>>,
    /// `[channel][week of the run]` (complete once the tally is closed).
    pub week: Vec<Vec<Cell>>,
    /// `[channel][day of the run]`, summed into `month` and `week` at the close; empty after
    /// the close unless the scenario asks for days.
    pub day: Vec<Vec<Cell>>,
    /// When not every day is kept: the day each of the [`RECENT_DAYS`] cells holds.
    held_days: Option<[u64; RECENT_DAYS]>,
    /// `[channel][hour of the run mod RECENT_HOURS]`: the hours being counted.
    hours: Vec<Vec<Cell>>,
    /// The hour each of the [`RECENT_HOURS`] cells holds.
    held_hours: [u64; RECENT_HOURS],
}

impl Intervals {
    /// The cell for `hour`, summing the hour a reused cell held into its hour of the week and
    /// its day.
    fn hour_cell(&mut self, hour: u64, calendar: &Calendar) -> HourCell {
        match claim(&mut self.held_hours, hour) {
            Claim::Held(slot) => HourCell::Held(slot),
            Claim::Reused { slot, was } => {
                self.sum_hour(slot, was, calendar);
                HourCell::Held(slot)
            }
            Claim::Gone => {
                let how = cells_of(calendar, SimTime(hour * HOUR_US)).0;
                HourCell::Gone(how, self.day_cell((hour / 24) as usize, calendar))
            }
        }
    }

    /// Adds cell `slot`, which held `hour`, to its hour of the week and its day, and empties it.
    fn sum_hour(&mut self, slot: usize, hour: u64, calendar: &Calendar) {
        let how = cells_of(calendar, SimTime(hour * HOUR_US)).0;
        let day = self.day_cell((hour / 24) as usize, calendar);
        for c in 0..self.hours.len() {
            let cell = std::mem::take(&mut self.hours[c][slot]);
            self.hour_of_week[c][how].merge(&cell);
            match day {
                DayCell::Held(d) => self.day[c][d].merge(&cell),
                DayCell::Gone { month, week } => {
                    self.month[c][month].merge(&cell);
                    self.week[c][week].merge(&cell);
                }
            }
        }
    }

    /// Sums every hour cell still held.
    fn sum_hours(&mut self, calendar: &Calendar) {
        for slot in 0..RECENT_HOURS {
            let hour = std::mem::replace(&mut self.held_hours[slot], u64::MAX);
            if hour != u64::MAX {
                self.sum_hour(slot, hour, calendar);
            }
        }
    }

    /// The cell for `day`, summing the day a reused cell held into its month and week.
    fn day_cell(&mut self, day: usize, calendar: &Calendar) -> DayCell {
        let Some(held) = &mut self.held_days else {
            return DayCell::Held(day.min(self.day[0].len() - 1));
        };
        match claim(held, day as u64) {
            Claim::Held(slot) => DayCell::Held(slot),
            Claim::Reused { slot, was } => {
                self.sum_day(slot, was as usize, calendar);
                DayCell::Held(slot)
            }
            Claim::Gone => {
                let (month, week) = self.month_and_week(day, calendar);
                DayCell::Gone { month, week }
            }
        }
    }

    /// The month and week cells of day `d` of the run.
    fn month_and_week(&self, d: usize, calendar: &Calendar) -> (usize, usize) {
        let (last_month, last_week) = (self.month[0].len() - 1, self.week[0].len() - 1);
        let month = usize::from(calendar.day(d).month_index).min(last_month);
        (month, (d / 7).min(last_week))
    }

    /// Adds cell `slot`, which held day `d`, to that day's month and week, and empties it.
    fn sum_day(&mut self, slot: usize, d: usize, calendar: &Calendar) {
        let (month, week) = self.month_and_week(d, calendar);
        for c in 0..self.day.len() {
            let cell = std::mem::take(&mut self.day[c][slot]);
            self.month[c][month].merge(&cell);
            self.week[c][week].merge(&cell);
        }
    }

    /// Sums every day cell into its month and week; only the days a scenario asks for stay.
    fn sum_days(&mut self, calendar: &Calendar) {
        match self.held_days {
            Some(held) => {
                for (slot, d) in held.into_iter().enumerate() {
                    if d != u64::MAX {
                        self.sum_day(slot, d as usize, calendar);
                    }
                }
                self.day.iter_mut().for_each(Vec::clear);
            }
            None => {
                for d in 0..self.day.first().map_or(0, Vec::len) {
                    let (month, week) = self.month_and_week(d, calendar);
                    for c in 0..self.day.len() {
                        let cell = &self.day[c][d];
                        self.month[c][month].merge(cell);
                        self.week[c][week].merge(cell);
                    }
                }
            }
        }
    }
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
    cell_cache: (u64, HourCell),
}

impl Tally {
    /// An empty tally for `n_channels` channels over a run of `horizon` with the given warm-up,
    /// keeping a cell for every day when `every_day`.
    pub fn new(
        n_channels: usize,
        (warmup, horizon): (SimTime, SimTime),
        calendar: Calendar,
        every_day: bool,
    ) -> Tally {
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
                day: cells(if every_day { days } else { RECENT_DAYS }),
                held_days: (!every_day).then_some([u64::MAX; RECENT_DAYS]),
                hours: cells(RECENT_HOURS),
                held_hours: [u64::MAX; RECENT_HOURS],
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
            cell_cache: (u64::MAX, HourCell::Held(0)),
        }
    }

    /// Applies `f` to the cell of a caller who arrived at `arrival` on `channel`: its hour of
    /// the run, from which its hour of the week and day, then [`Tally::close`] the whole-run,
    /// month and week cells are made.
    #[inline]
    pub fn count(&mut self, channel: usize, arrival: SimTime, f: impl Fn(&mut Cell)) {
        let hour = arrival.0 / HOUR_US;
        if hour != self.cell_cache.0 {
            self.cell_cache = (hour, self.intervals.hour_cell(hour, &self.calendar));
        }
        let iv = &mut self.intervals;
        match self.cell_cache.1 {
            HourCell::Held(slot) => f(&mut iv.hours[channel][slot]),
            HourCell::Gone(how, day) => {
                f(&mut iv.hour_of_week[channel][how]);
                match day {
                    DayCell::Held(d) => f(&mut iv.day[channel][d]),
                    DayCell::Gone { month, week } => {
                        f(&mut iv.month[channel][month]);
                        f(&mut iv.week[channel][week]);
                    }
                }
            }
        }
    }

    /// Sums the day cells into months and weeks, and the hours of the week into the run.
    fn roll_up(&mut self) {
        self.intervals.sum_hours(&self.calendar);
        self.intervals.sum_days(&self.calendar);
        for c in 0..self.channels.len() {
            let all = &mut self.channels[c].all;
            for cell in &self.intervals.hour_of_week[c] {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::DAY_US;

    /// Counts the same callers, some counted weeks after they arrived (past the held hours and
    /// days), into a tally that keeps every day and one that holds only the recent days.
    fn counted(every_day: bool) -> Tally {
        let days = 70;
        let calendar = Calendar::new(jiff::civil::date(2024, 1, 29), days + 2);
        let horizon = SimTime(days as u64 * DAY_US);
        let mut t = Tally::new(2, (SimTime::ZERO, horizon), calendar, every_day);
        for k in 0..5_000u64 {
            let now = SimTime(k * (horizon.0 / 5_000));
            // Mostly counted on arrival; every 7th caller counted for an arrival up to 30
            // days earlier (a long wait, a call-back days later).
            let back = if k % 7 == 0 { (k % 31) * DAY_US } else { 0 };
            let arrival = SimTime(now.0.saturating_sub(back));
            t.count((k % 2) as usize, arrival, |c| {
                c.offered += 1;
                c.queue_time_sum.add(SimTime(k));
            });
        }
        t.close(horizon);
        t
    }

    #[test]
    fn holding_recent_hours_and_days_sums_to_the_same_cells() {
        let (all, recent) = (counted(true), counted(false));
        let sums = |t: &Tally| {
            let iv = &t.intervals;
            format!("{:?}", (&iv.hour_of_week, &iv.month, &iv.week, &t.channels))
        };
        assert_eq!(sums(&all), sums(&recent));
        assert_eq!(all.intervals.day[0].len(), 70);
        assert!(
            recent.intervals.day[0].is_empty(),
            "no day cells without asking"
        );
        let weeks: u64 = recent.intervals.week[1].iter().map(|c| c.offered).sum();
        assert_eq!(weeks, 2_500);
    }
}
