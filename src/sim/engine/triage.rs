//! Triage: the officers in front of 101, their opening hours, and what they decide.

use super::*;

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

    pub(super) fn triage_open(&mut self) {
        if let Some(t) = &self.s.triage {
            self.officers_on_duty = t.officers;
            self.sync_officers();
        }
        self.schedule_capacity(self.now.after(SimTime(DAY_US)), Event::TriageOpen);
    }

    pub(super) fn triage_close(&mut self) {
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
            let q = QueueId::first_contact(channel);
            self.triage_live -= 1;
            let caller = &mut self.slots[id.slot as usize];
            (caller.stage, caller.queue) = (Stage::WaitingHandler, q);
            self.queues[q.index()].push_back(id);
            self.queue_live[q.index()] += 1;
            self.tally.in_system_change(self.now, 1);
            if let Some(h) = self.find_handler(channel) {
                self.serve_waiting(h, id);
            }
        }
        self.schedule_capacity(self.now.after(SimTime(DAY_US)), Event::TriageClose);
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
