//! The state machine: callers arrive, wait, are triaged, answered, or hang up.
//!
//! One `match` over [`Event`] drives everything. Callers who need to wait or be triaged get a
//! slot in a reusable slab; callers answered at once never need one. Waiting callers sit in
//! one FIFO per priority level; an abandonment leaves a stale entry behind that is skipped
//! (its slot's generation no longer matches). Every random attribute of a caller is drawn at
//! arrival from its channel's own streams, so staffing variants see identical callers.

use std::collections::VecDeque;

use rand_distr::{Distribution, Exp};

use super::event::{CallerId, Event, EventQueue};
use crate::dist::Dist;
use crate::record::Tally;
use crate::rng::{SimRng, StreamKind, stream};
use crate::scenario::{Scenario, TriagePolicy};
use crate::time::SimTime;

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
    counted: bool,
    answered_once: bool,
    arrival: SimTime,
    queued_at: SimTime,
    handle: SimTime,
    triage: SimTime,
    patience_after_triage: SimTime,
    outcome: Outcome,
}

/// The random streams of one channel.
struct ChannelStreams {
    arrivals: SimRng,
    handle: SimRng,
    patience: SimRng,
    patience_after_triage: SimRng,
    triage_time: SimRng,
    triage_outcome: SimRng,
    interarrival: Option<Exp<f64>>,
}

/// A new caller's attributes, drawn at arrival.
struct Draw {
    handle: SimTime,
    patience: SimTime,
    triage: SimTime,
    patience_after_triage: SimTime,
    outcome: Outcome,
}

struct Engine<'s> {
    s: &'s Scenario,
    now: SimTime,
    events: EventQueue,
    slots: Vec<Caller>,
    free_slots: Vec<u32>,
    /// Handler queues, one per priority level (best first), of callers waiting.
    levels: Vec<VecDeque<CallerId>>,
    /// Live (not abandoned) callers in each level.
    level_live: Vec<u32>,
    level_of_channel: Vec<usize>,
    triage_queue: VecDeque<CallerId>,
    triage_live: u32,
    triaged: Vec<bool>,
    /// Each channel's answer-time target threshold.
    targets: Vec<SimTime>,
    busy_handlers: u32,
    busy_officers: u32,
    streams: Vec<ChannelStreams>,
    tally: Tally,
}

/// Simulates replication `replication` of `scenario` and returns what it observed.
pub fn run(scenario: &Scenario, replication: u32) -> Tally {
    let mut engine = Engine::new(scenario, replication);
    engine.run();
    engine.tally
}

fn sample(d: &Dist, rng: &mut SimRng) -> SimTime {
    SimTime::from_secs(d.sample(rng))
}

impl<'s> Engine<'s> {
    fn new(s: &'s Scenario, replication: u32) -> Engine<'s> {
        let mut priorities: Vec<i64> = s.channels.iter().map(|c| c.priority).collect();
        priorities.dedup(); // channels are sorted by priority
        let level_of_channel = s
            .channels
            .iter()
            .map(|c| {
                priorities
                    .iter()
                    .position(|&p| p == c.priority)
                    .unwrap_or(0)
            })
            .collect();
        let streams = s
            .channels
            .iter()
            .map(|c| {
                let st = |k| stream(s.seed, replication, &c.name, k);
                ChannelStreams {
                    arrivals: st(StreamKind::Arrivals),
                    handle: st(StreamKind::HandleTime),
                    patience: st(StreamKind::Patience),
                    patience_after_triage: st(StreamKind::PatienceAfterTriage),
                    triage_time: st(StreamKind::TriageTime),
                    triage_outcome: st(StreamKind::TriageOutcome),
                    interarrival: (c.rate_per_hour > 0.0)
                        .then(|| Exp::new(c.rate_per_hour / 3600.0).ok())
                        .flatten(),
                }
            })
            .collect();
        Engine {
            s,
            now: SimTime::ZERO,
            events: EventQueue::new(s.channels.len()),
            slots: Vec::new(),
            free_slots: Vec::new(),
            levels: vec![VecDeque::new(); priorities.len()],
            level_live: vec![0; priorities.len()],
            level_of_channel,
            triage_queue: VecDeque::new(),
            triage_live: 0,
            triaged: (0..s.channels.len()).map(|i| s.is_triaged(i)).collect(),
            targets: s
                .channels
                .iter()
                .map(|c| SimTime::from_secs(c.target.answer_within_s))
                .collect(),
            busy_handlers: 0,
            busy_officers: 0,
            streams,
            tally: Tally::new(s.channels.len(), s.warmup),
        }
    }

    fn run(&mut self) {
        for channel in 0..self.s.channels.len() {
            self.schedule_next_arrival(channel);
        }
        while let Some((time, event)) = self.events.pop() {
            if time > self.s.horizon {
                break;
            }
            self.now = time;
            self.tally.events += 1;
            match event {
                Event::HandlerFree => self.handler_free(),
                Event::TriageDone(id) => self.triage_done(id),
                Event::Abandon(id) => self.abandon(id),
                Event::Arrival { channel } => self.arrive(usize::from(channel)),
            }
        }
        self.tally.close(self.s.horizon);
        for c in &self.slots {
            if c.stage != Stage::Free && c.counted {
                self.tally.channels[usize::from(c.channel)].in_system += 1;
            }
        }
    }

    fn schedule_next_arrival(&mut self, channel: usize) {
        let st = &mut self.streams[channel];
        if let Some(exp) = &st.interarrival {
            let gap = SimTime::from_secs(exp.sample(&mut st.arrivals));
            let at = self.now.after(gap);
            if at < self.s.horizon {
                self.events.schedule(
                    at,
                    Event::Arrival {
                        channel: channel as u16,
                    },
                );
            }
        }
    }

    fn draw(&mut self, channel: usize) -> Draw {
        let c = &self.s.channels[channel];
        let st = &mut self.streams[channel];
        let handle = sample(&c.handle_time, &mut st.handle);
        let patience = c
            .patience
            .as_ref()
            .map_or(SimTime::NEVER, |p| sample(p, &mut st.patience));
        let mut d = Draw {
            handle,
            patience,
            triage: SimTime::ZERO,
            patience_after_triage: SimTime::NEVER,
            outcome: Outcome::Forward,
        };
        if let (true, Some(t)) = (self.triaged[channel], &self.s.triage) {
            d.triage = sample(&t.handle_time, &mut st.triage_time);
            d.patience_after_triage = c
                .patience
                .as_ref()
                .map_or(SimTime::NEVER, |p| sample(p, &mut st.patience_after_triage));
            let u: f64 = rand::RngExt::random(&mut st.triage_outcome);
            d.outcome = if u < t.resolve_fraction {
                Outcome::Resolve
            } else if u < t.resolve_fraction + t.escalate_fraction {
                Outcome::Escalate
            } else {
                Outcome::Forward
            };
        }
        d
    }

    fn arrive(&mut self, channel: usize) {
        self.schedule_next_arrival(channel);
        let d = self.draw(channel);
        let counted = self.now >= self.s.warmup;
        if counted {
            self.tally.channels[channel].offered += 1;
        }
        if let (true, Some(t)) = (self.triaged[channel], &self.s.triage) {
            let free = self.busy_officers < t.officers;
            if free || t.policy == TriagePolicy::Queue {
                let id = self.new_caller(channel, counted, &d);
                if free {
                    self.start_triage(id);
                } else {
                    self.note_first_wait(id);
                    self.enqueue_triage(id, d.patience);
                }
                return;
            }
        }
        if self.busy_handlers < self.s.handlers.count {
            self.answer_at_once(channel, counted, d.handle);
        } else {
            let id = self.new_caller(channel, counted, &d);
            self.note_first_wait(id);
            self.enqueue_handler(id, self.level_of_channel[channel], d.patience);
        }
    }

    fn new_caller(&mut self, channel: usize, counted: bool, d: &Draw) -> CallerId {
        let caller = Caller {
            generation: 0,
            stage: Stage::Free,
            channel: channel as u16,
            counted,
            answered_once: false,
            arrival: self.now,
            queued_at: self.now,
            handle: d.handle,
            triage: d.triage,
            patience_after_triage: d.patience_after_triage,
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

    /// The caller joins a queue before any human answered: counts towards `p_wait`.
    fn note_first_wait(&mut self, id: CallerId) {
        let c = self.slots[id.slot as usize];
        if c.counted {
            self.tally.channels[usize::from(c.channel)].waited += 1;
        }
    }

    /// Records the first human answer of a caller who arrived at `arrival`.
    fn record_first_answer(&mut self, channel: usize, counted: bool, arrival: SimTime) {
        if !counted {
            return;
        }
        let wait = self.now.since(arrival);
        let t = &mut self.tally.channels[channel];
        t.first_answered += 1;
        t.first_wait_sum.add(wait);
        t.first_wait.record(wait);
        t.within_target += u64::from(wait <= self.targets[channel]);
    }

    /// Records a call handler answering a caller who arrived at `arrival`.
    fn record_handler_answer(&mut self, channel: usize, counted: bool, arrival: SimTime) {
        if !counted {
            return;
        }
        let wait = self.now.since(arrival);
        let t = &mut self.tally.channels[channel];
        t.answered += 1;
        if self.triaged[channel] {
            t.handler_wait_sum.add(wait);
            t.handler_wait.record(wait);
        }
    }

    fn answer_at_once(&mut self, channel: usize, counted: bool, handle: SimTime) {
        self.record_first_answer(channel, counted, self.now);
        self.record_handler_answer(channel, counted, self.now);
        self.start_handler(handle);
    }

    fn start_handler(&mut self, handle: SimTime) {
        self.busy_handlers += 1;
        self.tally.set_handlers_busy(self.now, self.busy_handlers);
        self.events
            .schedule(self.now.after(handle), Event::HandlerFree);
    }

    fn enqueue_handler(&mut self, id: CallerId, level: usize, patience: SimTime) {
        let c = &mut self.slots[id.slot as usize];
        c.stage = Stage::WaitingHandler;
        c.queued_at = self.now;
        let channel = usize::from(c.channel);
        self.levels[level].push_back(id);
        self.level_live[level] += 1;
        self.tally.queue_change(channel, self.now, true);
        if patience != SimTime::NEVER {
            self.events
                .schedule(self.now.after(patience), Event::Abandon(id));
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

    /// Takes the caller off its queue: books the time it spent there.
    fn leave_queue(&mut self, id: CallerId) {
        let c = self.slots[id.slot as usize];
        let channel = usize::from(c.channel);
        self.tally.queue_change(channel, self.now, false);
        if c.counted {
            self.tally.channels[channel]
                .queue_time_sum
                .add(self.now.since(c.queued_at));
        }
    }

    fn start_triage(&mut self, id: CallerId) {
        self.busy_officers += 1;
        self.tally.set_officers_busy(self.now, self.busy_officers);
        let c = &mut self.slots[id.slot as usize];
        c.stage = Stage::InTriage;
        c.answered_once = true;
        let (channel, counted, arrival, triage) =
            (usize::from(c.channel), c.counted, c.arrival, c.triage);
        if counted {
            self.tally.channels[channel].intercepted += 1;
        }
        self.record_first_answer(channel, counted, arrival);
        self.events
            .schedule(self.now.after(triage), Event::TriageDone(id));
    }

    fn triage_done(&mut self, id: CallerId) {
        self.busy_officers -= 1;
        self.tally.set_officers_busy(self.now, self.busy_officers);
        let c = self.slots[id.slot as usize];
        let channel = usize::from(c.channel);
        let t = &mut self.tally.channels[channel];
        let level = match c.outcome {
            Outcome::Resolve => {
                t.resolved_at_triage += u64::from(c.counted);
                None
            }
            Outcome::Escalate => {
                t.escalated += u64::from(c.counted);
                Some(0)
            }
            Outcome::Forward => {
                t.forwarded += u64::from(c.counted);
                Some(self.level_of_channel[channel])
            }
        };
        match level {
            None => self.release(id),
            Some(_) if self.busy_handlers < self.s.handlers.count => {
                self.record_handler_answer(channel, c.counted, c.arrival);
                self.release(id);
                self.start_handler(c.handle);
            }
            Some(level) => self.enqueue_handler(id, level, c.patience_after_triage),
        }
        while self.triage_live > 0 {
            let Some(next) = self.triage_queue.pop_front() else {
                break;
            };
            if self
                .live(next)
                .is_some_and(|c| c.stage == Stage::WaitingTriage)
            {
                self.triage_live -= 1;
                self.leave_queue(next);
                self.start_triage(next);
                break;
            }
        }
        if self.triage_live == 0 {
            self.triage_queue.clear();
        }
    }

    fn handler_free(&mut self) {
        self.busy_handlers -= 1;
        self.tally.set_handlers_busy(self.now, self.busy_handlers);
        for level in 0..self.levels.len() {
            while self.level_live[level] > 0 {
                let Some(id) = self.levels[level].pop_front() else {
                    break;
                };
                let Some(&c) = self.live(id) else { continue };
                if c.stage != Stage::WaitingHandler {
                    continue;
                }
                self.level_live[level] -= 1;
                if self.level_live[level] == 0 {
                    self.levels[level].clear();
                }
                self.leave_queue(id);
                let channel = usize::from(c.channel);
                if !c.answered_once {
                    self.record_first_answer(channel, c.counted, c.arrival);
                }
                self.record_handler_answer(channel, c.counted, c.arrival);
                self.release(id);
                self.start_handler(c.handle);
                return;
            }
        }
    }

    fn abandon(&mut self, id: CallerId) {
        let Some(&c) = self.live(id) else { return };
        let channel = usize::from(c.channel);
        match c.stage {
            Stage::WaitingHandler => {
                let level = self.waiting_level(&c);
                self.level_live[level] -= 1;
                if self.level_live[level] == 0 {
                    self.levels[level].clear();
                }
            }
            Stage::WaitingTriage => {
                self.triage_live -= 1;
                if self.triage_live == 0 {
                    self.triage_queue.clear();
                }
            }
            Stage::InTriage | Stage::Free => return,
        }
        self.leave_queue(id);
        if c.counted {
            let t = &mut self.tally.channels[channel];
            t.abandoned += 1;
            if c.answered_once {
                t.abandoned_after_triage += 1;
            }
        }
        self.release(id);
    }

    /// The level a waiting caller sits in: escalated callers wait at the best level.
    fn waiting_level(&self, c: &Caller) -> usize {
        if c.answered_once && c.outcome == Outcome::Escalate {
            0
        } else {
            self.level_of_channel[usize::from(c.channel)]
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
        for &t in at_s {
            e.events
                .schedule(SimTime::from_secs(t), Event::Arrival { channel: 0 });
        }
        e.run();
        e.tally
    }

    #[test]
    fn release_before_abandonment_serves_the_caller() {
        // Handler busy 0–10 s; the second caller's patience runs out at exactly 10 s.
        let t = run_with_arrivals(&one_handler(10.0, 5.0), &[0.0, 5.0]);
        assert_eq!((t.channels[0].answered, t.channels[0].abandoned), (2, 0));
        // A microsecond less patience and the caller is gone first.
        let t = run_with_arrivals(&one_handler(10.0, 5.0), &[0.0, 5.000_001]);
        assert_eq!((t.channels[0].answered, t.channels[0].abandoned), (2, 0));
        let t = run_with_arrivals(&one_handler(10.0, 5.0), &[0.0, 4.999_999]);
        assert_eq!((t.channels[0].answered, t.channels[0].abandoned), (1, 1));
    }

    #[test]
    fn release_before_arrival_answers_at_once() {
        // The handler frees at 10 s, the instant the second caller arrives: no wait.
        let t = run_with_arrivals(&one_handler(10.0, 60.0), &[0.0, 10.0]);
        assert_eq!((t.channels[0].answered, t.channels[0].waited), (2, 0));
        assert_eq!(
            t.channels[0].within_target, 2,
            "both answered with zero wait"
        );
    }

    #[test]
    fn abandonment_before_arrival_keeps_queue_order() {
        // At 10 s the first waiting caller hangs up and a new one arrives; the handler frees at
        // 20 s and takes the newcomer, who was the only one left.
        let t = run_with_arrivals(&one_handler(20.0, 5.0), &[0.0, 5.0, 10.0]);
        let c = &t.channels[0];
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
        for &t in &times {
            e.events
                .schedule(SimTime::from_secs(t), Event::Arrival { channel: 0 });
        }
        e.run();
        assert_eq!(e.tally.channels[0].answered, 1000);
        assert!(e.slots.len() <= 1, "slab grew to {}", e.slots.len());
    }
}
