//! Arrivals: fresh callers, redials and burst calls, each drawing every random attribute at once.

use super::*;

impl Engine<'_> {
    pub(super) fn schedule_next_arrival(&mut self, channel: usize) {
        match self.arrivals[channel].next_after(self.now, self.s.horizon, &self.calendar) {
            Some(at) => self.events.schedule_arrival(channel, at),
            None => self.events.schedule_arrival(channel, SimTime::NEVER),
        }
    }

    pub(super) fn burst_start(&mut self, channel: usize) {
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

    pub(super) fn burst_call(&mut self, channel: usize, burst: u32) {
        let caller = self.next_caller();
        self.arrive(channel, 0, caller);
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

    pub(super) fn schedule_capacity_like_arrival(&mut self, at: SimTime, event: Event) {
        if at < self.s.horizon {
            self.events.schedule(at, event);
        }
    }

    pub(super) fn draw(&mut self, channel: usize) -> Draw {
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
            d.patience_after_triage = c
                .patience
                .as_ref()
                .map_or(SimTime::NEVER, |p| sample(p, &mut st.patience_after_triage));
            let u: f64 = st.triage_outcome.random();
            d.outcome = if u < t.resolve_fraction {
                Outcome::Resolve
            } else if u < t.resolve_fraction + t.redirect_fraction {
                Outcome::Redirect
            } else if u < t.resolve_fraction + t.redirect_fraction + t.escalate_fraction {
                Outcome::Escalate
            } else {
                Outcome::Forward
            };
            let time = match (&t.handle_time_resolved, d.outcome) {
                (Some(resolved), Outcome::Resolve | Outcome::Redirect) => resolved,
                _ => &t.handle_time,
            };
            d.triage = sample(time, &mut st.triage_time);
        }
        if let Some(t) = &c.transfer {
            d.transfer = sample(t, &mut st.transfer);
        }
        if let Some(drops) = &c.drops {
            d.dropped = st.drops.random::<f64>() < drops.fraction;
        }
        d
    }

    /// The number of a new fresh caller.
    #[inline]
    pub(super) fn next_caller(&mut self) -> u32 {
        self.callers = self.callers.wrapping_add(1);
        self.callers
    }

    /// Hands a call's record to the log, if there is one.
    #[inline]
    pub(super) fn log_call(&mut self, record: CallRecord) {
        if let Some(log) = &mut self.log {
            log(&record);
        }
    }

    /// A caller calls: through the IVR first when the channel has one, else to the queue.
    pub(super) fn arrive(&mut self, channel: usize, attempt: u8, caller: u32) {
        if self.s.channels[channel].ivr.is_some() {
            return self.enter_ivr(channel, attempt, caller);
        }
        self.reach_queue(channel, attempt, caller);
    }

    /// A caller is offered to the queue (or to triage): every attribute drawn at once.
    pub(super) fn reach_queue(&mut self, channel: usize, attempt: u8, caller: u32) {
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
            return self.drop_call(channel, counted, (attempt, caller));
        }
        if let (true, Some(t)) = (self.triaged[channel], &self.s.triage) {
            let free = self.busy_officers < self.officers_on_duty;
            let queue = t.policy == TriagePolicy::Queue && self.officers_on_duty > 0;
            if free || queue {
                let id = self.new_caller(channel, counted, (attempt, caller), &d);
                if free {
                    self.start_triage(id, true);
                } else {
                    self.note_arrival_that_waits(id);
                    self.enqueue_triage(id, d.patience);
                }
                return;
            }
        }
        // A caller who was not looked for a handler above (triaged, but not taken by triage)
        // is looked for now; one who was found none does not need a second search.
        let handler = if self.triaged[channel] {
            self.find_handler(channel)
        } else {
            immediate
        };
        match handler {
            Some(h) => {
                self.tally.in_system_change(self.now, 1);
                let all = Answer {
                    offered: true,
                    first: true,
                    handler: true,
                    queued: SimTime::ZERO,
                };
                self.record_answer(channel, counted, self.now, d.transfer, all);
                let ended = self.start_service(h, channel, d.handle);
                if counted {
                    self.log_call(CallRecord {
                        channel,
                        caller,
                        attempt,
                        arrived: self.now,
                        outcome: CallOutcome::Answered,
                        answered: Some(self.now),
                        ended,
                        agent: Agent::Handler(h),
                    });
                }
            }
            None => {
                let id = self.new_caller(channel, counted, (attempt, caller), &d);
                self.note_arrival_that_waits(id);
                self.enqueue_handler(id, QueueId::first_contact(channel), d.patience);
            }
        }
    }

    /// A call that ends at once (misdial, pocket call): counted, and its welfare call-back
    /// joins the call-back channel.
    fn drop_call(&mut self, channel: usize, counted: bool, (attempt, caller): (u8, u32)) {
        if counted {
            self.tally.count(channel, self.now, |c| {
                c.offered += 1;
                c.dropped += 1;
            });
            self.tally.channels[channel].dropped += 1;
            self.log_call(CallRecord {
                channel,
                caller,
                attempt,
                arrived: self.now,
                outcome: CallOutcome::Dropped,
                answered: None,
                ended: self.now,
                agent: Agent::Nobody,
            });
        }
        if let Some(drops) = &self.s.channels[channel].drops {
            let work = self.next_caller();
            self.arrive(drops.callback_channel, 0, work);
        }
    }

    /// The common case in one step: a caller on a channel without triage or drops, and a
    /// handler free for it. Lets the arrival be counted together with its answer.
    pub(super) fn find_handler_unless_triaged(&mut self, channel: usize, d: &Draw) -> Option<u32> {
        if d.dropped || self.triaged[channel] {
            return None;
        }
        self.find_handler(channel)
    }

    pub(super) fn new_caller(
        &mut self,
        channel: usize,
        counted: bool,
        (attempt, caller): (u8, u32),
        d: &Draw,
    ) -> CallerId {
        let caller = Caller {
            generation: 0,
            stage: Stage::Free,
            channel: channel as u16,
            queue: QueueId::first_contact(channel),
            attempt,
            caller,
            counted,
            answered_once: false,
            arrival: self.now,
            queued_at: self.now,
            abandon_at: SimTime::NEVER,
            handle: d.handle,
            triage: d.triage,
            patience_after_triage: d.patience_after_triage,
            transfer: d.transfer,
            outcome: d.outcome,
            callback: CallBack::NotOffered,
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

    pub(super) fn release(&mut self, id: CallerId) {
        let c = &mut self.slots[id.slot as usize];
        c.stage = Stage::Free;
        c.generation = c.generation.wrapping_add(1);
        self.free_slots.push(id.slot);
    }

    /// A caller who hung up may try again later, on the same channel or another.
    pub(super) fn maybe_redial(&mut self, channel: usize, attempt: u8, caller: u32) {
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
                    caller,
                },
            );
        }
    }
}
