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

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};

use rand::RngExt;

use super::arrivals::{ArrivalProcess, BurstProcess};
use super::event::{CallerId, Event, EventQueue};
use super::workforce::{HandlerState, Workforce, next_shift};
use crate::calendar::Calendar;
use crate::dist::Dist;
use crate::rng::{SimRng, StreamKind, stream};
use crate::scenario::{ChannelKind, Scenario, TriagePolicy};
use crate::sim::tally::Tally;
use crate::time::{DAY_US, SimTime};

/// Where a caller with a slot is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Free,
    WaitingTriage,
    InTriage,
    WaitingHandler,
}

/// What triage decides for a caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Resolve,
    Escalate,
    Forward,
}

/// A caller who is waiting or with a triage officer.
#[derive(Clone, Copy, Debug)]
struct Caller {
    generation: u32,
    stage: Stage,
    channel: u16,
    queue: u16,
    attempt: u8,
    counted: bool,
    answered_once: bool,
    arrival: SimTime,
    queued_at: SimTime,
    handle: SimTime,
    triage: SimTime,
    patience_after_triage: SimTime,
    transfer: SimTime,
    outcome: Outcome,
}

/// The random streams of one channel's callers.
struct ChannelStreams {
    handle: SimRng,
    patience: SimRng,
    patience_after_triage: SimRng,
    triage_time: SimRng,
    triage_outcome: SimRng,
    redial: SimRng,
    drops: SimRng,
    transfer: SimRng,
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
    s: &'s Scenario,
    now: SimTime,
    events: EventQueue,
    calendar: Calendar,
    slots: Vec<Caller>,
    free_slots: Vec<u32>,
    /// Waiting callers, one FIFO per (channel, escalated): index 2·channel + escalated.
    queues: Vec<VecDeque<CallerId>>,
    queue_live: Vec<u32>,
    queue_priority: Vec<i64>,
    triage_queue: VecDeque<CallerId>,
    triage_live: u32,
    wf: Workforce,
    /// Groups serving each channel.
    groups_for_channel: Vec<Vec<usize>>,
    /// Queues each group serves, best priority first.
    group_queues: Vec<Vec<usize>>,
    /// Per group: the channel it is pulled onto, and after how long a wait.
    group_overflow: Vec<Option<(usize, SimTime)>>,
    /// Per channel: groups that may take its callers after a wait.
    overflow_for_channel: Vec<Vec<(usize, SimTime)>>,
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

/// The engine looks for a stop request once every this many events (plus one).
const STOP_POLL_MASK: u64 = (1 << 16) - 1;

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
}

/// [`run`] with extra recording or a stop request.
pub fn run_with(scenario: &Scenario, replication: u32, options: RunOptions) -> Tally {
    let mut engine = Engine::new(scenario, replication);
    if options.track_in_system {
        engine.tally.track_in_system();
    }
    engine.start();
    engine.run_until_horizon(options.stop);
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
        let best_priority = s.channels.iter().map(|c| c.priority).min().unwrap_or(0);
        let queue_priority: Vec<i64> = s
            .channels
            .iter()
            .flat_map(|c| [c.priority, best_priority])
            .collect();
        let groups_for_channel = (0..n)
            .map(|c| {
                (0..groups.len())
                    .filter(|&g| groups[g].channels.contains(&c))
                    .collect()
            })
            .collect();
        // Escalation queues exist only for triaged channels; nobody scans the others.
        let group_queues = groups
            .iter()
            .map(|g| {
                let mut qs: Vec<usize> = g
                    .channels
                    .iter()
                    .flat_map(|&c| {
                        if s.is_triaged(c) {
                            vec![2 * c, 2 * c + 1]
                        } else {
                            vec![2 * c]
                        }
                    })
                    .collect();
                qs.sort_by_key(|&q| (queue_priority[q], q));
                qs
            })
            .collect();
        let group_overflow: Vec<Option<(usize, SimTime)>> = groups
            .iter()
            .map(|g| g.overflow.as_ref().map(|o| (o.channel, o.after)))
            .collect();
        let mut overflow_for_channel = vec![Vec::new(); n];
        for (g, o) in group_overflow.iter().enumerate() {
            if let Some((c, after)) = o {
                overflow_for_channel[*c].push((g, *after));
            }
        }
        let streams = s
            .channels
            .iter()
            .map(|c| {
                let st = |k| stream(s.seed, replication, &c.name, k);
                ChannelStreams {
                    handle: st(StreamKind::HandleTime),
                    patience: st(StreamKind::Patience),
                    patience_after_triage: st(StreamKind::PatienceAfterTriage),
                    triage_time: st(StreamKind::TriageTime),
                    triage_outcome: st(StreamKind::TriageOutcome),
                    redial: st(StreamKind::Redial),
                    drops: st(StreamKind::Drops),
                    transfer: st(StreamKind::Transfer),
                }
            })
            .collect();
        Engine {
            s,
            now: SimTime::ZERO,
            events: EventQueue::new(n),
            tally: Tally::new(n, s.warmup, s.horizon, calendar.clone()),
            calendar,
            slots: Vec::new(),
            free_slots: Vec::new(),
            queues: vec![VecDeque::new(); 2 * n],
            queue_live: vec![0; 2 * n],
            queue_priority,
            triage_queue: VecDeque::new(),
            triage_live: 0,
            wf: Workforce::new(s, &groups, replication),
            groups_for_channel,
            group_queues,
            group_overflow,
            overflow_for_channel,
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
            targets: s
                .channels
                .iter()
                .map(|c| SimTime::from_secs(c.target.answer_within_s))
                .collect(),
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
                    let members: Vec<u32> =
                        self.wf.groups[g].teams.iter().flatten().copied().collect();
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
        if let Some(t) = &self.s.triage {
            match t.hours {
                None => self.officers_on_duty = t.officers,
                Some((open, close)) => {
                    if Self::open_at(0, open, close) {
                        self.officers_on_duty = t.officers;
                    }
                    self.schedule_capacity(
                        SimTime::from_whole_secs(u64::from(open)),
                        Event::TriageOpen,
                    );
                    self.schedule_capacity(
                        SimTime::from_whole_secs(u64::from(close)),
                        Event::TriageClose,
                    );
                }
            }
            self.tally
                .set_officers_on_duty(SimTime::ZERO, self.officers_on_duty);
        }
    }

    fn open_at(time_of_day_s: u32, open: u32, close: u32) -> bool {
        if open <= close {
            (open..close).contains(&time_of_day_s)
        } else {
            time_of_day_s >= open || time_of_day_s < close
        }
    }

    fn schedule_capacity(&mut self, at: SimTime, event: Event) {
        if at < self.s.horizon {
            self.events.schedule(at, event);
        }
    }

    fn run_until_horizon(&mut self, stop: Option<&AtomicBool>) {
        // Roster events at time zero run first (capacity rung), then everything else.
        while let Some((time, event)) = self.events.pop() {
            if time > self.s.horizon {
                break;
            }
            self.now = time;
            self.tally.events += 1;
            if self.tally.events & STOP_POLL_MASK == 0
                && stop.is_some_and(|flag| flag.load(Ordering::Relaxed))
            {
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
                Event::Roster { handler, joins } => self.roster(handler, joins),
                Event::TriageOpen => self.triage_open(),
                Event::TriageClose => self.triage_close(),
                Event::Overflow(id) => self.overflow(id),
                Event::Abandon(id) => self.abandon(id),
                Event::BurstStart { channel } => self.burst_start(usize::from(channel)),
                Event::BurstCall { channel, burst } => self.burst_call(usize::from(channel), burst),
                Event::Redial { channel, attempt } => self.arrive(usize::from(channel), attempt),
                Event::Arrival { channel } => {
                    self.schedule_next_arrival(usize::from(channel));
                    self.arrive(usize::from(channel), 0);
                }
            }
        }
        self.tally.close(self.s.horizon);
        for c in &self.slots {
            if c.stage != Stage::Free && c.counted {
                self.tally.channels[usize::from(c.channel)].in_system += 1;
            }
        }
    }

    // ----- arrivals -------------------------------------------------------------------------

    fn schedule_next_arrival(&mut self, channel: usize) {
        if let Some(at) =
            self.arrivals[channel].next_after(self.now, self.s.horizon, &self.calendar)
        {
            self.events.schedule_arrival(channel, at);
        }
    }

    fn burst_start(&mut self, channel: usize) {
        let Some(b) = &mut self.bursts[channel] else {
            return;
        };
        let (id, first) = b.start(self.now);
        let next = b.next_start_after(self.now);
        if first < self.s.horizon {
            self.events.schedule(
                first,
                Event::BurstCall {
                    channel: channel as u16,
                    burst: id,
                },
            );
        }
        if let Some(at) = next {
            self.schedule_capacity_like_arrival(
                at,
                Event::BurstStart {
                    channel: channel as u16,
                },
            );
        }
    }

    fn burst_call(&mut self, channel: usize, burst: u16) {
        self.arrive(channel, 0);
        if let Some(b) = &mut self.bursts[channel]
            && let Some(at) = b.next_call(burst, self.now)
            && at < self.s.horizon
        {
            self.events.schedule(
                at,
                Event::BurstCall {
                    channel: channel as u16,
                    burst,
                },
            );
        }
    }

    fn schedule_capacity_like_arrival(&mut self, at: SimTime, event: Event) {
        if at < self.s.horizon {
            self.events.schedule(at, event);
        }
    }

    fn draw(&mut self, channel: usize) -> Draw {
        let c = &self.s.channels[channel];
        let st = &mut self.streams[channel];
        let mut d = Draw {
            handle: sample(&c.handle_time, &mut st.handle),
            patience: c
                .patience
                .as_ref()
                .map_or(SimTime::NEVER, |p| sample(p, &mut st.patience)),
            triage: SimTime::ZERO,
            patience_after_triage: SimTime::NEVER,
            transfer: SimTime::ZERO,
            outcome: Outcome::Forward,
            dropped: false,
        };
        if let (true, Some(t)) = (self.triaged[channel], &self.s.triage) {
            d.triage = sample(&t.handle_time, &mut st.triage_time);
            d.patience_after_triage = c
                .patience
                .as_ref()
                .map_or(SimTime::NEVER, |p| sample(p, &mut st.patience_after_triage));
            let u: f64 = st.triage_outcome.random();
            d.outcome = if u < t.resolve_fraction {
                Outcome::Resolve
            } else if u < t.resolve_fraction + t.escalate_fraction {
                Outcome::Escalate
            } else {
                Outcome::Forward
            };
        }
        if let Some(t) = &c.transfer {
            d.transfer = sample(t, &mut st.transfer);
        }
        if let Some(drops) = &c.drops {
            d.dropped = st.drops.random::<f64>() < drops.fraction;
        }
        d
    }

    fn arrive(&mut self, channel: usize, attempt: u8) {
        let d = self.draw(channel);
        let counted = self.now >= self.s.warmup;
        if counted {
            let t = &mut self.tally.channels[channel];
            if attempt == 0 {
                t.first_attempts += 1
            } else {
                t.redials += 1
            }
        }
        let immediate = self.find_handler_unless_triaged(channel, &d);
        if d.dropped {
            if counted {
                self.tally.count(channel, self.now, |c| {
                    c.offered += 1;
                    c.dropped += 1;
                });
                self.tally.channels[channel].dropped += 1;
            }
            if let Some(drops) = &self.s.channels[channel].drops {
                self.arrive(drops.callback_channel, 0);
            }
            return;
        }
        if let (true, Some(t)) = (self.triaged[channel], &self.s.triage) {
            let free = self.busy_officers < self.officers_on_duty;
            let queue = t.policy == TriagePolicy::Queue && self.officers_on_duty > 0;
            if free || queue {
                let id = self.new_caller(channel, counted, attempt, &d);
                if free {
                    self.start_triage(id, true);
                } else {
                    self.note_arrival_that_waits(id);
                    self.enqueue_triage(id, d.patience);
                }
                return;
            }
        }
        match immediate.or_else(|| self.find_handler(channel)) {
            Some(h) => {
                self.tally.in_system_change(self.now, 1);
                let all = Answer {
                    offered: true,
                    first: true,
                    handler: true,
                    queued: SimTime::ZERO,
                };
                self.record_answer(channel, counted, self.now, d.transfer, all);
                self.start_service(h, channel, d.handle);
            }
            None => {
                let id = self.new_caller(channel, counted, attempt, &d);
                self.note_arrival_that_waits(id);
                self.enqueue_handler(id, 2 * channel, d.patience);
            }
        }
    }

    /// The common case in one step: a caller on a channel without triage or drops, and a
    /// handler free for it. Lets the arrival be counted together with its answer.
    fn find_handler_unless_triaged(&mut self, channel: usize, d: &Draw) -> Option<u32> {
        if d.dropped || self.triaged[channel] {
            return None;
        }
        self.find_handler(channel)
    }

    // ----- callers --------------------------------------------------------------------------

    fn new_caller(&mut self, channel: usize, counted: bool, attempt: u8, d: &Draw) -> CallerId {
        let caller = Caller {
            generation: 0,
            stage: Stage::Free,
            channel: channel as u16,
            queue: (2 * channel) as u16,
            attempt,
            counted,
            answered_once: false,
            arrival: self.now,
            queued_at: self.now,
            handle: d.handle,
            triage: d.triage,
            patience_after_triage: d.patience_after_triage,
            transfer: d.transfer,
            outcome: d.outcome,
        };
        match self.free_slots.pop() {
            Some(slot) => {
                let generation = self.slots[slot as usize].generation;
                self.slots[slot as usize] = Caller {
                    generation,
                    ..caller
                };
                CallerId { slot, generation }
            }
            None => {
                self.slots.push(caller);
                CallerId {
                    slot: (self.slots.len() - 1) as u32,
                    generation: 0,
                }
            }
        }
    }

    fn release(&mut self, id: CallerId) {
        let c = &mut self.slots[id.slot as usize];
        c.stage = Stage::Free;
        c.generation = c.generation.wrapping_add(1);
        self.free_slots.push(id.slot);
    }

    fn live(&self, id: CallerId) -> Option<&Caller> {
        let c = &self.slots[id.slot as usize];
        (c.generation == id.generation && c.stage != Stage::Free).then_some(c)
    }

    /// A new caller who must queue: counts its arrival and towards `p_wait` in one pass.
    fn note_arrival_that_waits(&mut self, id: CallerId) {
        let c = self.slots[id.slot as usize];
        if c.counted {
            self.tally.count(usize::from(c.channel), c.arrival, |cell| {
                cell.offered += 1;
                cell.waited += 1;
            });
        }
    }

    /// Records what happened to a caller who arrived at `arrival`, in one pass over its cells:
    /// its arrival (`a.offered`), its first human answer (`a.first`), a call handler answering
    /// (`a.handler`).
    fn record_answer(
        &mut self,
        channel: usize,
        counted: bool,
        arrival: SimTime,
        transfer: SimTime,
        a: Answer,
    ) {
        if !counted {
            return;
        }
        let wait = self.now.since(arrival);
        let within = wait <= self.targets[channel];
        self.tally.count(channel, arrival, |c| {
            c.offered += u64::from(a.offered);
            c.answered += u64::from(a.handler);
            c.queue_time_sum.add(a.queued);
            if a.first {
                c.first_answered += 1;
                c.first_wait_sum.add(wait);
                c.within_target += u64::from(within);
            }
        });
        let t = &mut self.tally.channels[channel];
        if a.first {
            t.first_wait.record(wait);
            if self.s.channels[channel].transfer.is_some() {
                let national = wait.after(transfer);
                t.national_wait.record(national);
                t.national_wait_sum.add(national);
                t.national_within_target += u64::from(national <= self.targets[channel]);
            }
        }
        if a.handler && self.triaged[channel] {
            t.handler_wait_sum.add(wait);
            t.handler_wait.record(wait);
        }
    }

    fn enqueue_handler(&mut self, id: CallerId, queue: usize, patience: SimTime) {
        self.tally.in_system_change(self.now, 1);
        let c = &mut self.slots[id.slot as usize];
        c.stage = Stage::WaitingHandler;
        c.queue = queue as u16;
        let channel = usize::from(c.channel);
        if c.queued_at != c.arrival || c.answered_once {
            c.queued_at = self.now;
        }
        let queued_at = c.queued_at;
        self.queues[queue].push_back(id);
        self.queue_live[queue] += 1;
        self.tally.queue_change(channel, self.now, true);
        if patience != SimTime::NEVER {
            self.events
                .schedule(self.now.after(patience), Event::Abandon(id));
        }
        for i in 0..self.overflow_for_channel[channel].len() {
            let (_, after) = self.overflow_for_channel[channel][i];
            self.events
                .schedule(queued_at.after(after).max(self.now), Event::Overflow(id));
        }
    }

    fn enqueue_triage(&mut self, id: CallerId, patience: SimTime) {
        let c = &mut self.slots[id.slot as usize];
        c.stage = Stage::WaitingTriage;
        c.queued_at = self.now;
        let channel = usize::from(c.channel);
        self.triage_queue.push_back(id);
        self.triage_live += 1;
        self.tally.queue_change(channel, self.now, true);
        if patience != SimTime::NEVER {
            self.events
                .schedule(self.now.after(patience), Event::Abandon(id));
        }
    }

    /// Takes the caller off its queue's live count; returns the time it spent there, for the
    /// caller of this function to book together with what happens next.
    fn leave_queue(&mut self, id: CallerId) -> SimTime {
        let c = self.slots[id.slot as usize];
        let channel = usize::from(c.channel);
        match c.stage {
            Stage::WaitingHandler => {
                let q = usize::from(c.queue);
                self.queue_live[q] -= 1;
                if self.queue_live[q] == 0 {
                    self.queues[q].clear();
                }
            }
            Stage::WaitingTriage => {
                self.triage_live -= 1;
                if self.triage_live == 0 {
                    self.triage_queue.clear();
                }
            }
            _ => return SimTime::ZERO,
        }
        self.tally.queue_change(channel, self.now, false);
        self.now.since(c.queued_at)
    }

    /// The live caller at the head of queue `q`, dropping stale entries on the way.
    fn live_head(&mut self, q: usize) -> Option<CallerId> {
        while let Some(&id) = self.queues[q].front() {
            if self
                .live(id)
                .is_some_and(|c| c.stage == Stage::WaitingHandler && usize::from(c.queue) == q)
            {
                return Some(id);
            }
            self.queues[q].pop_front();
        }
        None
    }

    // ----- handlers -------------------------------------------------------------------------

    /// A handler of a group serving `channel` who can take a new contact of it now.
    fn find_handler(&mut self, channel: usize) -> Option<u32> {
        let chat = self.s.channels[channel].kind == ChannelKind::Chat;
        let concurrency = self.s.channels[channel].concurrency;
        for i in 0..self.groups_for_channel[channel].len() {
            let g = self.groups_for_channel[channel][i];
            if chat {
                let partner = self.wf.groups[g].chatting.iter().find(|&h| {
                    u32::from(self.wf.handlers[h as usize].chats) < concurrency
                        && !self.wf.handlers[h as usize].leaving
                });
                if partner.is_some() {
                    return partner;
                }
            }
            if let Some(h) = self.wf.take_idle(g) {
                return Some(h);
            }
        }
        None
    }

    fn set_busy(&mut self, busy: u32) {
        self.busy_handlers = busy;
        self.tally.set_handlers_busy(self.now, busy);
    }

    /// Starts handler `h` on a contact of `channel` with base handle time `handle`.
    fn start_service(&mut self, h: u32, channel: usize, handle: SimTime) {
        let factor = self.wf.handlers[h as usize].handle_factor(self.now);
        let duration = if factor == 1.0 {
            handle
        } else {
            SimTime::from_secs(handle.as_secs() * factor)
        };
        let done = self.now.after(duration);
        let handler = &mut self.wf.handlers[h as usize];
        if self.s.channels[channel].kind == ChannelKind::Chat {
            let was_idle = handler.chats == 0;
            handler.chats += 1;
            handler.state = HandlerState::Chatting;
            let chats = u32::from(handler.chats);
            let g = usize::from(handler.group);
            if was_idle {
                self.wf.groups[g].chatting.insert(h, &mut self.wf.pos);
                self.set_busy(self.busy_handlers + 1);
            }
            self.tally.max_chats_per_handler = self.tally.max_chats_per_handler.max(chats);
            self.events.schedule(done, Event::ChatEnd { handler: h });
        } else {
            handler.state = HandlerState::Busy;
            self.set_busy(self.busy_handlers + 1);
            self.events
                .schedule(done, Event::HandlerFree { handler: h });
        }
    }

    /// The best waiting caller handler `h` may take (chats only if it already holds chats).
    fn best_waiting(&mut self, h: u32) -> Option<CallerId> {
        let handler = &self.wf.handlers[h as usize];
        let g = usize::from(handler.group);
        let chats_only = handler.chats > 0;
        let held = u32::from(handler.chats);
        let mut best: Option<(i64, SimTime, CallerId)> = None;
        for i in 0..self.group_queues[g].len() {
            let q = self.group_queues[g][i];
            if self.queue_live[q] == 0 {
                continue;
            }
            let priority = self.queue_priority[q];
            if best.is_some_and(|b| priority > b.0) {
                break;
            }
            let channel = &self.s.channels[q / 2];
            if chats_only && (channel.kind != ChannelKind::Chat || held >= channel.concurrency) {
                continue;
            }
            if let Some(id) = self.live_head(q) {
                let t = self.slots[id.slot as usize].queued_at;
                if best.is_none_or(|b| t < b.1) {
                    best = Some((priority, t, id));
                }
            }
        }
        if let (Some((c, after)), false) = (self.group_overflow[g], chats_only) {
            for q in [2 * c, 2 * c + 1] {
                if self.queue_live[q] == 0 {
                    continue;
                }
                if let Some(id) = self.live_head(q) {
                    let t = self.slots[id.slot as usize].queued_at;
                    let priority = self.queue_priority[q];
                    let eligible = self.now.since(t) >= after;
                    if eligible && best.is_none_or(|b| (priority, t) < (b.0, b.1)) {
                        best = Some((priority, t, id));
                    }
                }
            }
        }
        best.map(|b| b.2)
    }

    /// Handler `h` takes waiting caller `id`.
    fn serve_waiting(&mut self, h: u32, id: CallerId) {
        let c = self.slots[id.slot as usize];
        let queued = self.leave_queue(id);
        let channel = usize::from(c.channel);
        let answer = Answer {
            offered: false,
            first: !c.answered_once,
            handler: true,
            queued,
        };
        self.record_answer(channel, c.counted, c.arrival, c.transfer, answer);
        self.release(id);
        self.start_service(h, channel, c.handle);
    }

    /// Handler `h` has nothing in hand: leave if the shift is over, else take work or idle.
    fn handler_available(&mut self, h: u32) {
        let handler = &mut self.wf.handlers[h as usize];
        if handler.leaving {
            handler.leaving = false;
            handler.state = HandlerState::Off;
            self.tally.overtime.add(self.now.since(handler.shift_end));
            self.on_duty -= 1;
            self.tally.set_on_duty(self.now, self.on_duty);
            return;
        }
        handler.state = HandlerState::Idle;
        match self.best_waiting(h) {
            Some(id) => {
                self.serve_waiting(h, id);
                self.fill_chats(h);
            }
            None => self.wf.make_idle(h),
        }
    }

    /// A handler holding chats takes more waiting chats while it has room.
    fn fill_chats(&mut self, h: u32) {
        while self.wf.handlers[h as usize].state == HandlerState::Chatting
            && !self.wf.handlers[h as usize].leaving
        {
            match self.best_waiting(h) {
                Some(id) => self.serve_waiting(h, id),
                None => break,
            }
        }
    }

    fn handler_free(&mut self, h: u32) {
        self.tally.in_system_change(self.now, -1);
        self.set_busy(self.busy_handlers - 1);
        self.handler_available(h);
    }

    fn chat_end(&mut self, h: u32) {
        self.tally.in_system_change(self.now, -1);
        let handler = &mut self.wf.handlers[h as usize];
        handler.chats -= 1;
        if handler.chats == 0 {
            let g = usize::from(handler.group);
            self.wf.groups[g].chatting.remove(h, &mut self.wf.pos);
            self.set_busy(self.busy_handlers - 1);
            self.handler_available(h);
        } else {
            self.fill_chats(h);
        }
    }

    // ----- workforce changes ----------------------------------------------------------------

    fn shift_start(&mut self, g: usize, team: usize) {
        let Some(shift) = self.wf.groups[g].shift.clone() else {
            return;
        };
        let teams = self.wf.groups[g].teams.len() as u32;
        let (_, end) = next_shift(&shift, teams, team as u32, self.now);
        let members = self.wf.groups[g].teams[team].clone();
        let mut arrived = Vec::new();
        for h in members {
            let employable = self.wf.handlers[h as usize].employable(self.now);
            if !employable || !self.wf.turns_up(g) {
                continue;
            }
            let handler = &mut self.wf.handlers[h as usize];
            handler.shift_end = end;
            if handler.state == HandlerState::Off {
                self.on_duty += 1;
                arrived.push(h);
            } else {
                handler.leaving = false; // still finishing the last shift: stays on
            }
        }
        self.tally.set_on_duty(self.now, self.on_duty);
        for h in arrived {
            self.handler_available(h);
        }
        self.schedule_capacity(
            end,
            Event::ShiftEnd {
                group: g as u16,
                team: team as u16,
            },
        );
        let (next, _) = next_shift(&shift, teams, team as u32, end);
        self.schedule_capacity(
            next,
            Event::ShiftStart {
                group: g as u16,
                team: team as u16,
            },
        );
    }

    fn shift_end(&mut self, g: usize, team: usize) {
        let members = self.wf.groups[g].teams[team].clone();
        for h in members {
            self.send_home(h);
        }
        self.tally.set_on_duty(self.now, self.on_duty);
    }

    /// Ends handler `h`'s duty: at once if idle, after the contact in hand otherwise.
    fn send_home(&mut self, h: u32) {
        let handler = &mut self.wf.handlers[h as usize];
        if handler.shift_end > self.now {
            return; // on a later shift already
        }
        match handler.state {
            HandlerState::Idle => {
                handler.state = HandlerState::Off;
                self.wf.remove_idle(h);
                self.on_duty -= 1;
            }
            HandlerState::Busy | HandlerState::Chatting => handler.leaving = true,
            HandlerState::Off => {}
        }
    }

    fn roster(&mut self, h: u32, joins: bool) {
        let handler = &mut self.wf.handlers[h as usize];
        if joins {
            if handler.state == HandlerState::Off && self.now < handler.leaves_at {
                self.on_duty += 1;
                self.tally.set_on_duty(self.now, self.on_duty);
                self.handler_available(h);
            }
        } else {
            handler.shift_end = self.now;
            self.send_home(h);
            self.tally.set_on_duty(self.now, self.on_duty);
        }
    }

    /// Reports officer levels: officers finishing a call after closing count as on duty.
    fn sync_officers(&mut self) {
        self.tally.set_officers_busy(self.now, self.busy_officers);
        self.tally
            .set_officers_on_duty(self.now, self.officers_on_duty.max(self.busy_officers));
    }

    fn triage_open(&mut self) {
        if let Some(t) = &self.s.triage {
            self.officers_on_duty = t.officers;
            self.sync_officers();
        }
        self.schedule_capacity(self.now.after(SimTime(DAY_US)), Event::TriageOpen);
    }

    fn triage_close(&mut self) {
        self.officers_on_duty = 0;
        self.sync_officers();
        // Callers still waiting for triage go to the handlers, keeping their place in time.
        while let Some(id) = self.triage_queue.pop_front() {
            if !self
                .live(id)
                .is_some_and(|c| c.stage == Stage::WaitingTriage)
            {
                continue;
            }
            let channel = usize::from(self.slots[id.slot as usize].channel);
            let q = 2 * channel;
            self.triage_live -= 1;
            let caller = &mut self.slots[id.slot as usize];
            (caller.stage, caller.queue) = (Stage::WaitingHandler, q as u16);
            self.queues[q].push_back(id);
            self.queue_live[q] += 1;
            self.tally.in_system_change(self.now, 1);
            if let Some(h) = self.find_handler(channel) {
                self.serve_waiting(h, id);
            }
        }
        self.schedule_capacity(self.now.after(SimTime(DAY_US)), Event::TriageClose);
    }

    // ----- triage ---------------------------------------------------------------------------

    /// An officer takes caller `id`: on arrival (`offered`), or from the triage queue.
    fn start_triage(&mut self, id: CallerId, offered: bool) {
        let queued = if offered {
            SimTime::ZERO
        } else {
            self.leave_queue(id)
        };
        self.busy_officers += 1;
        self.sync_officers();
        let c = &mut self.slots[id.slot as usize];
        c.stage = Stage::InTriage;
        c.answered_once = true;
        let (channel, counted, arrival, triage, transfer) = (
            usize::from(c.channel),
            c.counted,
            c.arrival,
            c.triage,
            c.transfer,
        );
        if counted {
            self.tally.channels[channel].intercepted += 1;
        }
        let answer = Answer {
            offered,
            first: true,
            queued,
            ..Answer::default()
        };
        self.record_answer(channel, counted, arrival, transfer, answer);
        self.events
            .schedule(self.now.after(triage), Event::TriageDone(id));
    }

    fn triage_done(&mut self, id: CallerId) {
        self.busy_officers -= 1;
        self.sync_officers();
        let c = self.slots[id.slot as usize];
        let channel = usize::from(c.channel);
        let t = &mut self.tally.channels[channel];
        let queue = match c.outcome {
            Outcome::Resolve => {
                t.resolved_at_triage += u64::from(c.counted);
                None
            }
            Outcome::Escalate => {
                t.escalated += u64::from(c.counted);
                Some(2 * channel + 1)
            }
            Outcome::Forward => {
                t.forwarded += u64::from(c.counted);
                Some(2 * channel)
            }
        };
        match queue {
            None => self.release(id),
            Some(q) => match self.find_handler(channel) {
                Some(h) => {
                    self.tally.in_system_change(self.now, 1);
                    let answer = Answer {
                        handler: true,
                        ..Answer::default()
                    };
                    self.record_answer(channel, c.counted, c.arrival, c.transfer, answer);
                    self.release(id);
                    self.start_service(h, channel, c.handle);
                }
                None => {
                    self.slots[id.slot as usize].queued_at = self.now;
                    self.enqueue_handler(id, q, c.patience_after_triage);
                }
            },
        }
        if self.busy_officers < self.officers_on_duty {
            while self.triage_live > 0 {
                let Some(next) = self.triage_queue.pop_front() else {
                    break;
                };
                if self
                    .live(next)
                    .is_some_and(|c| c.stage == Stage::WaitingTriage)
                {
                    self.start_triage(next, false);
                    break;
                }
            }
        }
    }

    // ----- waiting callers ------------------------------------------------------------------

    fn overflow(&mut self, id: CallerId) {
        let Some(&c) = self.live(id) else { return };
        if c.stage != Stage::WaitingHandler {
            return;
        }
        let channel = usize::from(c.channel);
        for i in 0..self.overflow_for_channel[channel].len() {
            let (g, after) = self.overflow_for_channel[channel][i];
            if self.now.since(c.queued_at) >= after
                && let Some(h) = self.wf.take_idle(g)
            {
                self.serve_waiting(h, id);
                return;
            }
        }
    }

    fn abandon(&mut self, id: CallerId) {
        let Some(&c) = self.live(id) else { return };
        if !matches!(c.stage, Stage::WaitingHandler | Stage::WaitingTriage) {
            return;
        }
        let channel = usize::from(c.channel);
        if c.stage == Stage::WaitingHandler {
            self.tally.in_system_change(self.now, -1);
        }
        let queued = self.leave_queue(id);
        if c.counted {
            self.tally.count(channel, c.arrival, |cell| {
                cell.abandoned += 1;
                cell.queue_time_sum.add(queued);
            });
            if c.answered_once {
                self.tally.channels[channel].abandoned_after_triage += 1;
            }
        }
        self.release(id);
        self.maybe_redial(channel, c.attempt);
    }

    /// A caller who hung up may try again later, on the same channel or another.
    fn maybe_redial(&mut self, channel: usize, attempt: u8) {
        let Some(r) = &self.s.channels[channel].redial else {
            return;
        };
        let st = &mut self.streams[channel];
        if attempt + 1 >= r.max_attempts || st.redial.random::<f64>() >= r.probability {
            return;
        }
        let target = match r.to {
            Some(to) if st.redial.random::<f64>() < r.to_fraction => to,
            _ => channel,
        };
        let at = self.now.after(sample(&r.delay, &mut st.redial));
        if at < self.s.horizon {
            self.events.schedule(
                at,
                Event::Redial {
                    channel: target as u16,
                    attempt: attempt + 1,
                },
            );
        }
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
                },
            );
        }
        e.run_until_horizon();
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
                },
            );
        }
        e.run_until_horizon();
        assert_eq!(e.tally.channels[0].all.answered, 1000);
        assert!(e.slots.len() <= 1, "slab grew to {}", e.slots.len());
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
