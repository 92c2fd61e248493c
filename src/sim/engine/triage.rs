//! Triage: the officers in front of 101, their opening hours, and what they decide.

use super::*;

/// The triage team's daily shifts: its rota, or its opening hours as one shift of every
/// officer; none when it never closes.
pub(super) fn triage_rota(t: &Triage) -> Vec<TriageShift> {
    if !t.shifts.is_empty() {
        return t.shifts.clone();
    }
    t.hours
        .map(|(open, close)| TriageShift {
            start: open,
            length: SimTime((close.0 + DAY_US - open.0) % DAY_US),
            officers: t.officers,
        })
        .into_iter()
        .collect()
}

impl Engine<'_> {
    pub(super) fn open_at(time_of_day: SimTime, open: SimTime, close: SimTime) -> bool {
        if open <= close {
            (open..close).contains(&time_of_day)
        } else {
            time_of_day >= open || time_of_day < close
        }
    }

    /// Reports officer levels: officers finishing a call after closing count as on duty.
    pub(super) fn sync_officers(&mut self) {
        self.tally.set_officers_busy(self.now, self.busy_officers);
        self.tally
            .set_officers_on_duty(self.now, self.officers_on_duty.max(self.busy_officers));
    }

    /// Puts the triage rota on the calendar at the start of the run.
    pub(super) fn start_triage_rota(&mut self) {
        self.put_triage_rota_on_calendar();
        self.tally
            .set_officers_on_duty(SimTime::ZERO, self.officers_on_duty);
    }

    /// From now: officers of shifts under way are on duty (drawn for shrinkage) and every
    /// shift's next start and end are on the calendar; a team without a rota is always on
    /// duty. A shift starting exactly now is left to its start event.
    pub(super) fn put_triage_rota_on_calendar(&mut self) {
        let Some(t) = &self.s.triage else { return };
        if self.triage_rota.is_empty() {
            self.officers_on_duty = t.officers;
        }
        let now_of_day = self.now.0 % DAY_US;
        let until = |time_of_day: u64| (time_of_day + DAY_US - now_of_day) % DAY_US;
        for i in 0..self.triage_rota.len() {
            let shift = self.triage_rota[i];
            let since_start = (now_of_day + DAY_US - shift.start.0) % DAY_US;
            if since_start > 0 && since_start < shift.length.0 {
                self.officers_present[i] = self.officers_coming_in(shift.officers);
                self.officers_on_duty += self.officers_present[i];
            }
            // An end due exactly now (a shift of 24 hours, or one ending at 24:00 seen from
            // midnight) is a day away.
            let to_end = match until(shift.start.0 + shift.length.0) {
                0 => DAY_US,
                d => d,
            };
            let to_start = until(shift.start.0);
            let (shift, generation) = (i as u16, self.rota_generation);
            self.schedule_capacity(
                self.now.after(SimTime(to_start)),
                Event::TriageShift {
                    shift,
                    starts: true,
                    generation,
                },
            );
            self.schedule_capacity(
                self.now.after(SimTime(to_end)),
                Event::TriageShift {
                    shift,
                    starts: false,
                    generation,
                },
            );
        }
    }

    /// How many of a shift's `rostered` officers come in, after shrinkage.
    fn officers_coming_in(&mut self, rostered: u32) -> u32 {
        let shrinkage = self.s.triage.as_ref().map_or(0.0, |t| t.shrinkage);
        if shrinkage == 0.0 {
            return rostered;
        }
        (0..rostered)
            .filter(|_| self.triage_shrinkage.random::<f64>() >= shrinkage)
            .count() as u32
    }

    /// Triage shift `i` starts or ends; each recurs a day later. When the last officer's shift
    /// ends, callers still waiting for triage go to the handlers, keeping their place in time.
    pub(super) fn triage_shift(&mut self, i: usize, starts: bool) {
        if starts {
            let rostered = self.triage_rota[i].officers;
            self.officers_present[i] = self.officers_coming_in(rostered);
            self.officers_on_duty += self.officers_present[i];
            self.sync_officers();
            self.officers_take_work();
        } else {
            self.officers_on_duty -= self.officers_present[i];
            self.officers_present[i] = 0;
            self.sync_officers();
            if self.officers_on_duty == 0 {
                self.send_triage_queue_to_handlers();
            }
        }
        self.schedule_capacity(
            self.now.after(SimTime(DAY_US)),
            Event::TriageShift {
                shift: i as u16,
                starts,
                generation: self.rota_generation,
            },
        );
    }

    /// The triage team has closed: its queue joins the handlers'.
    pub(super) fn send_triage_queue_to_handlers(&mut self) {
        while let Some(id) = self.triage_queue.pop_front() {
            if !self
                .live(id)
                .is_some_and(|c| c.stage == Stage::WaitingTriage)
            {
                continue;
            }
            let channel = usize::from(self.slots[id.slot as usize].channel);
            let q = QueueId::first_contact(channel);
            self.triage_live -= 1;
            let caller = &mut self.slots[id.slot as usize];
            (caller.stage, caller.queue) = (Stage::WaitingHandler, q);
            self.queues[q.index()].push_back(id);
            self.queue_live[q.index()] += 1;
            self.handler_queues_live += 1;
            self.tally.in_system_change(self.now, 1);
            match self.find_handler(channel) {
                Some(h) => self.serve_waiting(h, id),
                None => self.arm_for_waiting(channel),
            }
        }
    }

    /// Idle officers take work: first the channel they are pulled onto while its rule fires,
    /// then callers waiting for triage.
    pub(super) fn officers_take_work(&mut self) {
        while self.busy_officers < self.officers_on_duty {
            if let Some(id) = self.pulled_caller() {
                self.officer_serves(id);
                continue;
            }
            let Some(next) = self.next_waiting_for_triage() else {
                break;
            };
            self.start_triage(next, false);
        }
    }

    /// The oldest caller of the channel officers are pulled onto, while its rule fires.
    pub(super) fn pulled_caller(&mut self) -> Option<CallerId> {
        let pull = self.s.triage.as_ref()?.pulled_to?;
        if self.waiting_on(pull.channel) <= pull.queue_over {
            return None;
        }
        self.oldest_waiting(pull.channel)
    }

    /// The caller at the head of the triage queue, dropping stale entries on the way.
    fn next_waiting_for_triage(&mut self) -> Option<CallerId> {
        if self.triage_live == 0 {
            return None;
        }
        while let Some(next) = self.triage_queue.pop_front() {
            if self
                .live(next)
                .is_some_and(|c| c.stage == Stage::WaitingTriage)
            {
                return Some(next);
            }
        }
        None
    }

    /// An idle officer, pulled onto another channel, answers waiting caller `id` and handles
    /// the call as a call handler would.
    pub(super) fn officer_serves(&mut self, id: CallerId) {
        let c = self.take_from_queue(id);
        if c.counted {
            self.tally.officers_pulled += 1;
        }
        self.busy_officers += 1;
        self.sync_officers();
        let ended = self.now.after(c.handle);
        self.events.schedule(ended, Event::OfficerFree);
        self.log_answer(&c, Agent::Officer, ended);
    }

    /// A pulled officer finishes the call in hand.
    pub(super) fn officer_free(&mut self) {
        self.tally.in_system_change(self.now, -1);
        self.busy_officers -= 1;
        self.sync_officers();
        self.officers_take_work();
    }

    /// An officer takes caller `id`: on arrival (`offered`), or from the triage queue.
    pub(super) fn start_triage(&mut self, id: CallerId, offered: bool) {
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

    pub(super) fn triage_done(&mut self, id: CallerId) {
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
            Outcome::Redirect => {
                t.redirected_at_triage += u64::from(c.counted);
                None
            }
            Outcome::Escalate => {
                t.escalated += u64::from(c.counted);
                Some(QueueId::escalated(channel))
            }
            Outcome::Forward => {
                t.forwarded += u64::from(c.counted);
                Some(QueueId::first_contact(channel))
            }
        };
        match queue {
            None => {
                let answered = (
                    Some(SimTime(self.now.0 - c.triage.0.min(self.now.0))),
                    Agent::Officer,
                );
                self.log_caller(&c, CallOutcome::ResolvedAtTriage, answered, self.now);
                self.release(id);
            }
            Some(q) => match self.find_handler(channel) {
                Some(h) => {
                    self.tally.in_system_change(self.now, 1);
                    let answer = Answer {
                        handler: true,
                        ..Answer::default()
                    };
                    self.record_answer(channel, c.counted, c.arrival, c.transfer, answer);
                    self.release(id);
                    let ended = self.start_service(h, channel, c.handle);
                    self.log_answer(&c, Agent::Handler(h), ended);
                }
                None => {
                    self.slots[id.slot as usize].queued_at = self.now;
                    self.enqueue_handler(id, q, c.patience_after_triage);
                }
            },
        }
        self.officers_take_work();
    }

    pub(super) fn enqueue_triage(&mut self, id: CallerId, patience: SimTime) {
        let c = &mut self.slots[id.slot as usize];
        c.stage = Stage::WaitingTriage;
        c.queued_at = self.now;
        let channel = usize::from(c.channel);
        self.triage_queue.push_back(id);
        self.triage_live += 1;
        self.tally.queue_change(channel, self.now, true);
        self.schedule_abandonment(id, patience);
    }
}
