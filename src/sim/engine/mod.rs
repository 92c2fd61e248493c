//! The state machine: callers arrive, wait, are triaged, answered, or hang up; handlers come
//! and go with their shifts.
//!
//! One `match` over [`Event`] drives everything. Callers who must wait or be triaged get a
//! slot in a reusable slab; callers answered at once never need one. Waiting callers sit in
//! one FIFO per (channel, escalated); a free handler takes the best-priority head among the
//! queues its group serves, first come first served within a priority. An abandonment leaves
//! a stale entry that is skipped (its slot's generation no longer matches). Every random
//! attribute of a caller is drawn at arrival from its channel's own streams, so staffing
//! variants see identical callers.

mod arrive;
mod callback;
mod changes;
mod dispatch;
mod ivr;
mod lazy;
mod poll;
mod queue_id;
mod routing;
mod shifts;
mod streams;
mod triage;

use streams::ChannelStreams;

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64};

use rand::RngExt;

use super::arrivals::{ArrivalProcess, BurstProcess};
use super::calls::{Agent, CallLog, CallOutcome, CallRecord};
use super::event::{CallerId, Event, EventQueue};
use super::workforce::{HandlerState, Workforce, next_shift};
use crate::calendar::Calendar;
use crate::dist::Dist;
use crate::rng::{SimRng, StreamKind, stream};
use crate::scenario::{
    ChannelKind, Group, Overflow, Reserve, Scenario, Triage, TriagePolicy, TriageShift,
};
use crate::sim::tally::{LONG_WAIT, Tally};
use crate::time::{DAY_US, SimTime};
use queue_id::QueueId;
use routing::{Pullers, overflow_routing, queue_routing};

/// Where a caller with a slot is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Free,
    WaitingTriage,
    InTriage,
    WaitingHandler,
    /// Off the line after a call-back attempt that did not reach it, until its next turn.
    AwaitingRetry,
}

/// Where a caller stands with a call-back offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CallBack {
    /// Not offered one (yet).
    NotOffered,
    /// Offered one and stayed on the line.
    Declined,
    /// Accepted: off the line, keeping its place; `attempt` is the next attempt's number.
    Accepted { attempt: u8 },
}

/// What triage decides for a caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Resolve,
    Redirect,
    Escalate,
    Forward,
}

/// A caller who is waiting or with a triage officer.
#[derive(Clone, Copy, Debug)]
struct Caller {
    generation: u32,
    stage: Stage,
    channel: u16,
    queue: QueueId,
    attempt: u8,
    caller: u32,
    counted: bool,
    answered_once: bool,
    arrival: SimTime,
    queued_at: SimTime,
    /// When the caller's current patience runs out ([`SimTime::NEVER`]: it will not hang up).
    /// An `Abandon` event for another time is stale: the caller has moved on since (from the
    /// triage queue to the handlers' queue, say) and waits with a new patience.
    abandon_at: SimTime,
    handle: SimTime,
    triage: SimTime,
    patience_after_triage: SimTime,
    transfer: SimTime,
    outcome: Outcome,
    callback: CallBack,
}

/// Which facts [`Engine::record_answer`] records.
#[derive(Clone, Copy, Debug, Default)]
struct Answer {
    offered: bool,
    first: bool,
    handler: bool,
    /// Time just spent in a queue, booked to the caller's queue-time sum.
    queued: SimTime,
}

/// A new caller's attributes, drawn at arrival.
struct Draw {
    handle: SimTime,
    patience: SimTime,
    triage: SimTime,
    patience_after_triage: SimTime,
    transfer: SimTime,
    outcome: Outcome,
    dropped: bool,
}

struct Engine<'s> {
    /// The scenario in force now: `base`, or the latest dated change that has taken effect.
    s: &'s Scenario,
    base: &'s Scenario,
    replication: u32,
    ever_triaged: Vec<bool>,
    /// Bumped when a change replaces the triage rota: older shift events are then stale.
    rota_generation: u16,
    /// Fresh callers so far (their numbers in per-call records).
    callers: u32,
    /// Where per-call records go (`run --calls`); none by default.
    log: Option<CallLog<'s>>,
    now: SimTime,
    events: EventQueue,
    calendar: Calendar,
    slots: Vec<Caller>,
    free_slots: Vec<u32>,
    /// Waiting callers, one FIFO per [`QueueId`].
    queues: Vec<VecDeque<CallerId>>,
    queue_live: Vec<u32>,
    /// Callers waiting in all handler queues together (the sum of `queue_live`).
    handler_queues_live: u32,
    queue_priority: Vec<i64>,
    triage_queue: VecDeque<CallerId>,
    triage_live: u32,
    /// The triage team's daily shifts (the opening hours are one shift), and how many of each
    /// shift's officers came in today.
    triage_rota: Vec<TriageShift>,
    officers_present: Vec<u32>,
    triage_shrinkage: SimRng,
    wf: Workforce,
    /// Groups serving each channel.
    groups_for_channel: Vec<Vec<usize>>,
    /// Queues each group serves, best priority first.
    group_queues: Vec<Vec<QueueId>>,
    /// Per group: its flex rule, the channel it is pulled onto and when.
    group_overflow: Vec<Option<Overflow>>,
    /// Per channel: groups that may be pulled onto it, with their rules.
    overflow_for_channel: Vec<Pullers>,
    /// Per group: the channel it keeps idle handlers for (trunk reservation).
    group_reserve: Vec<Option<Reserve>>,
    busy_handlers: u32,
    on_duty: u32,
    busy_officers: u32,
    officers_on_duty: u32,
    arrivals: Vec<ArrivalProcess>,
    bursts: Vec<Option<BurstProcess>>,
    streams: Vec<ChannelStreams>,
    triaged: Vec<bool>,
    targets: Vec<SimTime>,
    tally: Tally,
}

/// Simulates replication `replication` of `scenario` and returns what it observed.
pub fn run(scenario: &Scenario, replication: u32) -> Tally {
    run_with(scenario, replication, RunOptions::default())
}

/// What a run records beyond the usual tallies, and what may stop it early.
#[derive(Clone, Copy, Debug, Default)]
pub struct RunOptions {
    /// Keep the distribution of the number in the handler system per hour of the week.
    pub track_in_system: bool,
    /// A stop request the engine polls every 65,536 events (the command line's Ctrl-C). Once
    /// it is set the run ends early and its tally is incomplete: the caller must discard it.
    pub stop: Option<&'static AtomicBool>,
    /// Simulated seconds done, added to every 65,536 events and at the horizon (a progress
    /// display reads it; runs in parallel add to the same counter).
    pub progress: Option<&'static AtomicU64>,
}

/// [`run_with`], handing every counted call attempt's record to `log` as it leaves the system
/// (callers still in the system at the horizon have none).
pub fn run_logging<'s>(
    scenario: &'s Scenario,
    replication: u32,
    options: RunOptions,
    log: CallLog<'s>,
) -> Tally {
    let mut engine = Engine::new(scenario, replication);
    engine.log = Some(log);
    engine.start();
    engine.run_until_horizon(poll::Poll::of(options));
    engine.tally
}

/// [`run`] with extra recording or a stop request.
pub fn run_with(scenario: &Scenario, replication: u32, options: RunOptions) -> Tally {
    let mut engine = Engine::new(scenario, replication);
    if options.track_in_system {
        engine.tally.track_in_system();
    } else {
        engine.use_lazy_completions();
    }
    engine.start();
    engine.run_until_horizon(poll::Poll::of(options));
    engine.tally
}

fn sample(d: &Dist, rng: &mut SimRng) -> SimTime {
    SimTime::from_secs(d.sample(rng))
}

impl<'s> Engine<'s> {
    fn new(s: &'s Scenario, replication: u32) -> Engine<'s> {
        let n = s.channels.len();
        let days = (s.horizon.0 / DAY_US + 2) as usize;
        let calendar = Calendar::new(s.start_date, days);
        let groups = s.handlers.effective_groups(s.channels.len());
        // A channel triaged in any part of the run keeps its escalation queue in the routing.
        let ever_triaged: Vec<bool> = (0..n)
            .map(|i| s.is_triaged(i) || s.changes.iter().any(|c| c.scenario.is_triaged(i)))
            .collect();
        let (queue_priority, groups_for_channel, group_queues) =
            queue_routing(s, &groups, &ever_triaged);
        let (group_overflow, overflow_for_channel) = overflow_routing(&groups, n);
        let streams = s
            .channels
            .iter()
            .map(|c| ChannelStreams::new(s.seed, replication, &c.name))
            .collect();
        Engine {
            s,
            base: s,
            replication,
            ever_triaged,
            rota_generation: 0,
            callers: 0,
            log: None,
            now: SimTime::ZERO,
            events: EventQueue::new(n),
            tally: Tally::new(n, (s.warmup, s.horizon), calendar.clone(), s.day_intervals),
            calendar,
            slots: Vec::new(),
            free_slots: Vec::new(),
            queues: vec![VecDeque::new(); QueueId::count(n)],
            queue_live: vec![0; QueueId::count(n)],
            handler_queues_live: 0,
            queue_priority,
            triage_queue: VecDeque::new(),
            triage_live: 0,
            triage_rota: s.triage.as_ref().map_or_else(Vec::new, triage::triage_rota),
            officers_present: s
                .triage
                .as_ref()
                .map_or_else(Vec::new, |t| vec![0; triage::triage_rota(t).len()]),
            triage_shrinkage: stream(s.seed, replication, "triage", StreamKind::TriageShrinkage),
            wf: Workforce::new(s, &groups, replication),
            groups_for_channel,
            group_queues,
            group_overflow,
            overflow_for_channel,
            group_reserve: groups.iter().map(|g| g.reserve).collect(),
            busy_handlers: 0,
            on_duty: 0,
            busy_officers: 0,
            officers_on_duty: 0,
            arrivals: s
                .channels
                .iter()
                .map(|c| ArrivalProcess::new(c, s.seed, replication))
                .collect(),
            bursts: s
                .channels
                .iter()
                .map(|c| {
                    c.bursts
                        .as_ref()
                        .map(|b| BurstProcess::new(c, b, s.seed, replication))
                })
                .collect(),
            streams,
            triaged: (0..n).map(|i| s.is_triaged(i)).collect(),
            targets: s.channels.iter().map(|c| c.target.answer_within).collect(),
        }
    }

    /// Puts the first arrivals, shifts and opening hours on the calendar.
    fn start(&mut self) {
        for channel in 0..self.s.channels.len() {
            self.schedule_next_arrival(channel);
            if let Some(b) = &mut self.bursts[channel]
                && let Some(at) = b.next_start_after(SimTime::ZERO)
                && at < self.s.horizon
            {
                self.events.schedule(
                    at,
                    Event::BurstStart {
                        channel: channel as u16,
                    },
                );
            }
        }
        for g in 0..self.wf.groups.len() {
            match self.wf.groups[g].shift.clone() {
                Some(shift) => {
                    let teams = self.wf.groups[g].teams.len() as u32;
                    for team in 0..teams {
                        let (start, _) = next_shift(&shift, teams, team, SimTime::ZERO);
                        self.schedule_capacity(
                            start,
                            Event::ShiftStart {
                                group: g as u16,
                                team: team as u16,
                            },
                        );
                    }
                }
                None => {
                    // A group on duty by interval: its own handlers follow the levels, its
                    // recruits are always on once trained.
                    let own = if self.wf.groups[g].on_duty.is_some() {
                        self.schedule_capacity(
                            SimTime::ZERO,
                            Event::OnDutyLevel { group: g as u16 },
                        );
                        self.wf.groups[g].own as usize
                    } else {
                        0
                    };
                    let members: Vec<u32> = self.wf.groups[g]
                        .teams
                        .iter()
                        .flatten()
                        .skip(own)
                        .copied()
                        .collect();
                    for h in members {
                        let handler = &self.wf.handlers[h as usize];
                        let (joins_at, leaves_at) = (handler.trained_at, handler.leaves_at);
                        self.schedule_capacity(
                            joins_at,
                            Event::Roster {
                                handler: h,
                                joins: true,
                            },
                        );
                        self.schedule_capacity(
                            leaves_at,
                            Event::Roster {
                                handler: h,
                                joins: false,
                            },
                        );
                    }
                }
            }
        }
        for g in 0..self.group_overflow.len() {
            if let Some((from, _)) = self.group_overflow[g].and_then(|o| o.window) {
                self.schedule_capacity(from, Event::FlexOpens { group: g as u16 });
            }
        }
        self.start_triage_rota();
        for (i, c) in self.s.changes.iter().enumerate() {
            self.schedule_capacity(c.at, Event::Change { index: i as u16 });
        }
    }

    fn run_until_horizon(&mut self, mut poll: poll::Poll) {
        // Roster events at time zero run first (capacity rung), then everything else.
        let mut handled: u64 = 0;
        while let Some((time, event)) = self.events.pop() {
            if time > self.s.horizon {
                break;
            }
            self.now = time;
            self.tally.events += 1;
            handled += 1;
            if handled & poll::POLL_MASK == 0 && poll.should_stop(time) {
                break; // Cut short: the caller discards this run (see `RunOptions::stop`).
            }
            match event {
                Event::HandlerFree { handler } => self.handler_free(handler),
                Event::ChatEnd { handler } => self.chat_end(handler),
                Event::TriageDone(id) => self.triage_done(id),
                Event::ShiftStart { group, team } => {
                    self.shift_start(usize::from(group), usize::from(team))
                }
                Event::ShiftEnd { group, team } => {
                    self.shift_end(usize::from(group), usize::from(team))
                }
                Event::MealBreak { group, team } => {
                    self.meal_break(usize::from(group), usize::from(team))
                }
                Event::BreakOver { handler } => self.break_over(handler),
                Event::Roster { handler, joins } => self.roster(handler, joins),
                Event::OnDutyLevel { group } => self.on_duty_level(usize::from(group)),
                Event::TriageShift {
                    shift,
                    starts,
                    generation,
                } => {
                    if generation == self.rota_generation {
                        self.triage_shift(usize::from(shift), starts)
                    }
                }
                Event::Change { index } => self.apply_change(usize::from(index)),
                Event::OfficerFree => self.officer_free(),
                Event::FlexOpens { group } => self.flex_opens(usize::from(group)),
                Event::Overflow(id) => self.overflow(id),
                Event::Abandon(id) => self.abandon(id),
                Event::CallbackRetry(id) => self.callback_retry(id),
                Event::BurstStart { channel } => self.burst_start(usize::from(channel)),
                Event::BurstCall { channel, burst } => self.burst_call(usize::from(channel), burst),
                Event::Redial {
                    channel,
                    attempt,
                    caller,
                } => self.arrive(usize::from(channel), attempt, caller),
                Event::IvrDone {
                    channel,
                    attempt,
                    caller,
                } => self.reach_queue(usize::from(channel), attempt, caller),
                Event::Arrival { channel } => {
                    self.schedule_next_arrival(usize::from(channel));
                    let caller = self.next_caller();
                    self.arrive(usize::from(channel), 0, caller);
                }
            }
        }
        poll.report(self.s.horizon);
        self.tally.close(self.s.horizon);
        for c in &self.slots {
            if c.stage != Stage::Free && c.counted {
                self.tally.channels[usize::from(c.channel)].in_system += 1;
            }
        }
    }

    fn live(&self, id: CallerId) -> Option<&Caller> {
        let c = &self.slots[id.slot as usize];
        (c.generation == id.generation && c.stage != Stage::Free).then_some(c)
    }
}

#[cfg(test)]
mod tests {
    //! One test per rung of the simultaneous-event ladder, with hand-placed arrivals and
    //! deterministic times so the ties are exact.

    use super::*;

    fn one_handler(handle_s: f64, patience_s: f64) -> Scenario {
        let text = format!(
            "horizon_hours = 1\n[channels.c]\nkind = \"call\"\npriority = 0\narrivals = {{ rate_per_hour = 1e-9 }}\nhandle_time = {{ dist = \"deterministic\", value_s = {handle_s} }}\npatience = {{ dist = \"deterministic\", value_s = {patience_s} }}\ntarget = {{ answer_within_s = 0, fraction = 0.9 }}\n[handlers]\ncount = 1\n"
        );
        Scenario::from_toml_str(&text, "t.toml").unwrap()
    }

    fn run_with_arrivals(s: &Scenario, at_s: &[f64]) -> Tally {
        let mut e = Engine::new(s, 0);
        e.start();
        for &t in at_s {
            // A hand-placed caller (a "redial" of attempt 0 does not reschedule fresh arrivals).
            e.events.schedule(
                SimTime::from_secs(t),
                Event::Redial {
                    channel: 0,
                    attempt: 0,
                    caller: 0,
                },
            );
        }
        e.run_until_horizon(poll::Poll::of(RunOptions::default()));
        e.tally
    }

    #[test]
    fn release_before_abandonment_serves_the_caller() {
        // Handler busy 0–10 s; the second caller's patience runs out at exactly 10 s.
        let t = run_with_arrivals(&one_handler(10.0, 5.0), &[0.0, 5.0]);
        assert_eq!(
            (t.channels[0].all.answered, t.channels[0].all.abandoned),
            (2, 0)
        );
        // A microsecond less patience and the caller is gone first.
        let t = run_with_arrivals(&one_handler(10.0, 5.0), &[0.0, 5.000_001]);
        assert_eq!(
            (t.channels[0].all.answered, t.channels[0].all.abandoned),
            (2, 0)
        );
        let t = run_with_arrivals(&one_handler(10.0, 5.0), &[0.0, 4.999_999]);
        assert_eq!(
            (t.channels[0].all.answered, t.channels[0].all.abandoned),
            (1, 1)
        );
    }

    #[test]
    fn release_before_arrival_answers_at_once() {
        // The handler frees at 10 s, the instant the second caller arrives: no wait.
        let t = run_with_arrivals(&one_handler(10.0, 60.0), &[0.0, 10.0]);
        assert_eq!(
            (t.channels[0].all.answered, t.channels[0].all.waited),
            (2, 0)
        );
        assert_eq!(
            t.channels[0].all.within_target, 2,
            "both answered with zero wait"
        );
    }

    #[test]
    fn abandonment_before_arrival_keeps_queue_order() {
        // At 10 s the first waiting caller hangs up and a new one arrives; the handler frees at
        // 20 s and takes the newcomer, who was the only one left.
        let t = run_with_arrivals(&one_handler(20.0, 5.0), &[0.0, 5.0, 10.0]);
        let c = &t.channels[0].all;
        assert_eq!((c.answered, c.abandoned, c.waited), (1, 2, 2));
        // Time in queue: 5 s (gave up) + 5 s (gave up at 15 s, before the 20 s release).
        assert_eq!(c.queue_time_sum.secs(), 10.0);
    }

    #[test]
    fn memory_is_reused_not_grown() {
        // Many callers through one slot: the slab does not grow with the number of callers.
        let s = one_handler(1.0, 100.0);
        let times: Vec<f64> = (0..1000).map(|i| f64::from(i) * 2.0 + 0.5).collect();
        let mut e = Engine::new(&s, 0);
        e.start();
        for &t in &times {
            e.events.schedule(
                SimTime::from_secs(t),
                Event::Redial {
                    channel: 0,
                    attempt: 0,
                    caller: 0,
                },
            );
        }
        e.run_until_horizon(poll::Poll::of(RunOptions::default()));
        assert_eq!(e.tally.channels[0].all.answered, 1000);
        assert!(e.slots.len() <= 1, "slab grew to {}", e.slots.len());
    }

    #[test]
    fn patience_from_the_triage_queue_does_not_follow_the_caller_to_the_handlers() {
        // A is triaged 0–50 s and then served 50–1050 s. B waits for triage 10–50 s (patience
        // 100 s, so a deadline at 110 s), is triaged 50–100 s and forwarded: its new patience
        // runs from 100 s, so it hangs up at 200 s, not at the stale 110 s deadline.
        let text = "horizon_hours = 1\n[channels.c]\nkind = \"call\"\npriority = 0\narrivals = { rate_per_hour = 1e-9 }\nhandle_time = { dist = \"deterministic\", value_s = 1000 }\npatience = { dist = \"deterministic\", value_s = 100 }\ntarget = { answer_within_s = 0, fraction = 0.9 }\n[handlers]\ncount = 1\n[triage]\nofficers = 1\nchannels = [\"c\"]\npolicy = \"queue\"\nhandle_time = { dist = \"deterministic\", value_s = 50 }\nresolve_fraction = 0\nescalate_fraction = 0\n";
        let s = Scenario::from_toml_str(text, "t.toml").unwrap();
        let t = run_with_arrivals(&s, &[0.0, 10.0]);
        let c = &t.channels[0].all;
        assert_eq!((c.answered, c.abandoned), (1, 1));
        assert_eq!(c.queue_time_sum.secs(), 40.0 + 100.0);
    }

    #[test]
    fn a_shift_ends_after_the_call_in_hand() {
        // One handler on 00:00-01:00. A call at 55 min takes 10 min: 5 min of overtime. A caller
        // arriving at 58 min is not taken by the leaving handler.
        let text = "horizon_hours = 2\n[channels.c]\nkind = \"call\"\npriority = 0\narrivals = { rate_per_hour = 1e-9 }\nhandle_time = { dist = \"deterministic\", value_s = 600 }\npatience = { dist = \"deterministic\", value_s = 100000 }\ntarget = { answer_within_s = 0, fraction = 0.9 }\n[handlers.groups.g]\nheadcount = 1\nshift_start = \"00:00\"\nshift_hours = 1\n";
        let s = Scenario::from_toml_str(text, "t.toml").unwrap();
        let t = run_with_arrivals(&s, &[3300.0, 3480.0]);
        let c = &t.channels[0];
        assert_eq!((c.all.answered, c.in_system), (1, 1));
        assert_eq!(t.overtime.secs(), 300.0);
        assert_eq!(
            t.handlers_on_duty.area.secs(),
            3900.0,
            "on duty until the call ended"
        );
    }
}
