//! Dispatch: queues per (channel, escalated), handlers taking the best-priority caller, chats,
//! flex rules (a desk pulled onto a channel after a wait or beyond a queue length), trunk
//! reservation (idle handlers kept for a protected channel) and abandonment.

use super::*;

impl Engine<'_> {
    /// A new caller who must queue: counts its arrival and towards `p_wait` in one pass.
    pub(super) fn note_arrival_that_waits(&mut self, id: CallerId) {
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
    pub(super) fn record_answer(
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
        let handler_wait = a.handler && self.triaged[channel];
        let national = (a.first && self.s.channels[channel].transfer.is_some()).then(|| {
            let n = wait.after(transfer);
            (n, n <= self.targets[channel])
        });
        self.tally.count(channel, arrival, |c| {
            c.offered += u64::from(a.offered);
            c.answered += u64::from(a.handler);
            c.queue_time_sum.add(a.queued);
            if a.first {
                c.first_answered += 1;
                c.first_wait_sum.add(wait);
                c.within_target += u64::from(within);
                c.waited_long += u64::from(wait > LONG_WAIT);
            }
            if handler_wait {
                c.handler_wait_sum.add(wait);
            }
            if let Some((n, on_time)) = national {
                c.national_wait_sum.add(n);
                c.national_within_target += u64::from(on_time);
            }
        });
        let t = &mut self.tally.channels[channel];
        if a.first {
            t.first_wait.record(wait);
            if let Some((n, _)) = national {
                t.national_wait.record(n);
            }
        }
        if handler_wait {
            t.handler_wait.record(wait);
        }
    }

    pub(super) fn enqueue_handler(&mut self, id: CallerId, queue: QueueId, patience: SimTime) {
        self.tally.in_system_change(self.now, 1);
        let c = &mut self.slots[id.slot as usize];
        c.stage = Stage::WaitingHandler;
        c.queue = queue;
        let channel = usize::from(c.channel);
        if c.queued_at != c.arrival || c.answered_once {
            c.queued_at = self.now;
        }
        let queued_at = c.queued_at;
        self.queues[queue.index()].push_back(id);
        self.queue_live[queue.index()] += 1;
        self.handler_queues_live += 1;
        self.tally.queue_change(channel, self.now, true);
        self.arm_for_waiting(channel);
        let patience = self.offer_callback(id, channel, patience);
        self.schedule_abandonment(id, patience);
        for i in 0..self.overflow_for_channel[channel].len() {
            let (g, rule) = self.overflow_for_channel[channel][i];
            if rule.after != SimTime::NEVER {
                self.events.schedule(
                    queued_at.after(rule.after).max(self.now),
                    Event::Overflow(id),
                );
            }
            if rule
                .queue_over
                .is_some_and(|k| self.waiting_on(channel) > k)
                && self.flex_window_open(rule)
                && self.reservation_allows(g, channel, true)
                && let Some(head) = self.oldest_waiting(channel)
                && let Some(h) = self.wf.take_idle(g, self.now)
            {
                self.serve_waiting(h, head);
                break;
            }
        }
        if self.busy_officers < self.officers_on_duty
            && let Some(id) = self.pulled_caller()
        {
            self.officer_serves(id);
        }
    }

    /// How many of `channel`'s callers wait for a handler (first contacts and escalated).
    #[inline]
    pub(super) fn waiting_on(&self, channel: usize) -> u32 {
        QueueId::both(channel)
            .iter()
            .map(|q| self.queue_live[q.index()])
            .sum()
    }

    /// The caller of `channel` who has waited longest for a handler, best priority first.
    pub(super) fn oldest_waiting(&mut self, channel: usize) -> Option<CallerId> {
        let mut best: Option<(i64, SimTime, CallerId)> = None;
        for q in QueueId::both(channel) {
            if self.queue_live[q.index()] == 0 {
                continue;
            }
            if let Some(id) = self.live_head(q) {
                let key = (
                    self.queue_priority[q.index()],
                    self.slots[id.slot as usize].queued_at,
                );
                if best.is_none_or(|b| key < (b.0, b.1)) {
                    best = Some((key.0, key.1, id));
                }
            }
        }
        best.map(|b| b.2)
    }

    /// Whether flex `rule` lets a handler take a caller who has been queuing since `queued_at`.
    #[inline]
    fn flex_fires(&self, rule: Overflow, queued_at: SimTime) -> bool {
        self.flex_window_open(rule)
            && (self.now.since(queued_at) >= rule.after
                || rule
                    .queue_over
                    .is_some_and(|k| self.waiting_on(rule.channel) > k))
    }

    /// Whether `rule`'s daily window (if any) is open now.
    #[inline]
    fn flex_window_open(&self, rule: Overflow) -> bool {
        rule.window
            .is_none_or(|(from, until)| Self::open_at(SimTime(self.now.0 % DAY_US), from, until))
    }

    /// Group `g`'s flex window opens: its idle handlers take the callers the rule now allows,
    /// one by one, until one finds none. The next opening is a day later.
    pub(super) fn flex_opens(&mut self, g: usize) {
        self.idle_handlers_take_work(g);
        self.schedule_capacity(
            self.now.after(SimTime(DAY_US)),
            Event::FlexOpens { group: g as u16 },
        );
    }

    /// Whether group `g`'s trunk reservation lets one of its handlers take a caller of
    /// `channel`: always for the protected channel; for others only while at least the reserved
    /// number of *other* handlers able to take the protected channel are idle. `counted_idle`:
    /// the handler deciding is itself in its group's idle set.
    fn reservation_allows(&self, g: usize, channel: usize, counted_idle: bool) -> bool {
        match self.group_reserve[g] {
            Some(r) if channel != r.channel => self.reserve_kept(g, r, counted_idle),
            _ => true,
        }
    }

    /// Whether at least `r.idle` handlers able to take the protected channel, other than the
    /// one of group `g` deciding, are idle.
    fn reserve_kept(&self, g: usize, r: Reserve, counted_idle: bool) -> bool {
        let groups = &self.groups_for_channel[r.channel];
        let idle: u32 = groups.iter().map(|&k| self.wf.groups[k].idle.len()).sum();
        let itself = u32::from(counted_idle && groups.contains(&g));
        idle - itself >= r.idle
    }

    /// Takes the caller off its queue's live count; returns the time it spent there, for the
    /// caller of this function to book together with what happens next.
    pub(super) fn leave_queue(&mut self, id: CallerId) -> SimTime {
        let c = self.slots[id.slot as usize];
        let channel = usize::from(c.channel);
        match c.stage {
            Stage::WaitingHandler => {
                let q = c.queue.index();
                self.queue_live[q] -= 1;
                self.handler_queues_live -= 1;
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
    pub(super) fn live_head(&mut self, q: QueueId) -> Option<CallerId> {
        while let Some(&id) = self.queues[q.index()].front() {
            if self
                .live(id)
                .is_some_and(|c| c.stage == Stage::WaitingHandler && c.queue == q)
            {
                return Some(id);
            }
            self.queues[q.index()].pop_front();
        }
        None
    }

    /// A handler of a group serving `channel` who can take a new contact of it now.
    pub(super) fn find_handler(&mut self, channel: usize) -> Option<u32> {
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
            if self.reservation_allows(g, channel, true)
                && let Some(h) = self.wf.take_idle(g, self.now)
            {
                return Some(h);
            }
        }
        None
    }

    pub(super) fn set_busy(&mut self, busy: u32) {
        self.busy_handlers = busy;
        self.tally.set_handlers_busy(self.now, busy);
    }

    /// Starts handler `h` on a contact of `channel` with base handle time `handle`; returns when
    /// it will end.
    pub(super) fn start_service(&mut self, h: u32, channel: usize, handle: SimTime) -> SimTime {
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
            let g = usize::from(handler.group);
            if self.wf.is_lazy(g) {
                self.tally.book_busy(self.now, done);
                if self.waiting_for_group(g) {
                    // Others wait: this end may be the next one they need, so an event.
                    self.events
                        .schedule(done, Event::HandlerFree { handler: h });
                } else if let Some(pool) = &mut self.wf.groups[g].lazy {
                    // No event for the end (see `sim::lazy_pool`); it still counts as one.
                    pool.set_busy_until(h, done);
                    self.tally.events += u64::from(done <= self.s.horizon);
                }
            } else {
                self.set_busy(self.busy_handlers + 1);
                self.events
                    .schedule(done, Event::HandlerFree { handler: h });
            }
        }
        done
    }

    /// The best waiting caller handler `h` may take (chats only if it already holds chats).
    pub(super) fn best_waiting(&mut self, h: u32) -> Option<CallerId> {
        if self.handler_queues_live == 0 {
            return None; // Nobody waits for a handler: the common case at low load.
        }
        let handler = &self.wf.handlers[h as usize];
        let g = usize::from(handler.group);
        let chats_only = handler.chats > 0;
        let held = u32::from(handler.chats);
        let mut best: Option<(i64, SimTime, CallerId)> = None;
        // Trunk reservation: decided once per call (the idle count does not change here).
        let reserved = self.group_reserve[g].map(|r| (r.channel, self.reserve_kept(g, r, false)));
        for i in 0..self.group_queues[g].len() {
            let q = self.group_queues[g][i];
            if self.queue_live[q.index()] == 0 {
                continue;
            }
            if reserved.is_some_and(|(p, allowed)| q.channel() != p && !allowed) {
                continue;
            }
            let priority = self.queue_priority[q.index()];
            if best.is_some_and(|b| priority > b.0) {
                break;
            }
            let channel = &self.s.channels[q.channel()];
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
        if let (Some(rule), false) = (self.group_overflow[g], chats_only) {
            for q in QueueId::both(rule.channel) {
                if self.queue_live[q.index()] == 0 {
                    continue;
                }
                if let Some(id) = self.live_head(q) {
                    let t = self.slots[id.slot as usize].queued_at;
                    let priority = self.queue_priority[q.index()];
                    let eligible = self.flex_fires(rule, t)
                        && reserved.is_none_or(|(p, allowed)| rule.channel == p || allowed);
                    if eligible && best.is_none_or(|b| (priority, t) < (b.0, b.1)) {
                        best = Some((priority, t, id));
                    }
                }
            }
        }
        best.map(|b| b.2)
    }

    /// Handler `h` takes waiting caller `id`.
    pub(super) fn serve_waiting(&mut self, h: u32, id: CallerId) {
        let c = self.slots[id.slot as usize];
        if let CallBack::Accepted { attempt } = c.callback {
            return self.call_back(h, id, attempt);
        }
        self.answer_waiting(h, id);
    }

    /// Handler `h` answers waiting caller `id` (on the line, or reached by its call-back) and
    /// handles the call.
    pub(super) fn answer_waiting(&mut self, h: u32, id: CallerId) {
        let c = self.take_from_queue(id);
        let ended = self.start_service(h, usize::from(c.channel), c.handle);
        self.log_answer(&c, Agent::Handler(h), ended);
    }

    /// Takes waiting caller `id` off its queue as answered now by someone who will handle the
    /// call (a handler or a pulled officer), records the answer and frees its slot; returns the
    /// caller as it was.
    pub(super) fn take_from_queue(&mut self, id: CallerId) -> Caller {
        let c = self.slots[id.slot as usize];
        let queued = self.leave_queue(id);
        let answer = Answer {
            offered: false,
            first: !c.answered_once,
            handler: true,
            queued,
        };
        self.record_answer(
            usize::from(c.channel),
            c.counted,
            c.arrival,
            c.transfer,
            answer,
        );
        self.release(id);
        c
    }

    /// Group `g`'s idle handlers take the waiting callers they may, one by one, until one
    /// finds none.
    pub(super) fn idle_handlers_take_work(&mut self, g: usize) {
        while let Some(h) = self.wf.take_idle(g, self.now) {
            match self.best_waiting(h) {
                Some(id) => self.serve_waiting(h, id),
                None => {
                    self.wf.make_idle(h, self.now);
                    break;
                }
            }
        }
    }

    /// Logs caller `c`'s call, if it is counted: how it ended, when (and by whom) it was
    /// answered, and when it ended.
    #[inline]
    pub(super) fn log_caller(
        &mut self,
        c: &Caller,
        outcome: CallOutcome,
        (answered, agent): (Option<SimTime>, Agent),
        ended: SimTime,
    ) {
        if c.counted {
            self.log_call(CallRecord {
                channel: usize::from(c.channel),
                caller: c.caller,
                attempt: c.attempt,
                arrived: c.arrival,
                outcome,
                answered,
                ended,
                agent,
            });
        }
    }

    /// Logs waiting caller `c`'s call as answered now by `agent`, ending at `ended`.
    #[inline]
    pub(super) fn log_answer(&mut self, c: &Caller, agent: Agent, ended: SimTime) {
        let answered = (Some(self.now), agent);
        self.log_caller(c, CallOutcome::Answered, answered, ended);
    }

    /// Logs caller `c`'s call as ended now with `outcome`, unanswered.
    pub(super) fn log_unanswered(&mut self, c: &Caller, outcome: CallOutcome) {
        self.log_caller(c, outcome, (None, Agent::Nobody), self.now);
    }

    /// Handler `h` has nothing in hand: leave if the shift is over, else take work or idle.
    pub(super) fn handler_available(&mut self, h: u32) {
        let handler = &mut self.wf.handlers[h as usize];
        if handler.leaving && handler.on_break && self.now < handler.shift_end {
            self.start_break(h);
            return;
        }
        if handler.leaving {
            handler.on_break = false;
            handler.leaving = false;
            handler.state = HandlerState::Off;
            self.tally.overtime.add(self.now.since(handler.shift_end));
            self.on_duty -= 1;
            self.wf.on_duty_in_group[usize::from(handler.group)] -= 1;
            self.tally.set_on_duty(self.now, self.on_duty);
            return;
        }
        handler.state = HandlerState::Idle;
        match self.best_waiting(h) {
            Some(id) => {
                self.serve_waiting(h, id);
                self.fill_chats(h);
            }
            None => self.wf.make_idle(h, self.now),
        }
    }

    /// A handler holding chats takes more waiting chats while it has room.
    pub(super) fn fill_chats(&mut self, h: u32) {
        while self.wf.handlers[h as usize].state == HandlerState::Chatting
            && !self.wf.handlers[h as usize].leaving
        {
            match self.best_waiting(h) {
                Some(id) => self.serve_waiting(h, id),
                None => break,
            }
        }
    }

    pub(super) fn handler_free(&mut self, h: u32) {
        self.tally.in_system_change(self.now, -1);
        let g = usize::from(self.wf.handlers[h as usize].group);
        if self.wf.is_lazy(g) {
            // An armed finish: its busy time was booked at the start.
            self.handler_available(h);
            return;
        }
        self.set_busy(self.busy_handlers - 1);
        self.handler_available(h);
    }

    pub(super) fn chat_end(&mut self, h: u32) {
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

    pub(super) fn overflow(&mut self, id: CallerId) {
        let Some(&c) = self.live(id) else { return };
        if c.stage != Stage::WaitingHandler {
            return;
        }
        let channel = usize::from(c.channel);
        for i in 0..self.overflow_for_channel[channel].len() {
            let (g, rule) = self.overflow_for_channel[channel][i];
            if self.flex_fires(rule, c.queued_at)
                && self.reservation_allows(g, channel, true)
                && let Some(h) = self.wf.take_idle(g, self.now)
            {
                self.serve_waiting(h, id);
                return;
            }
        }
    }

    /// Caller `id` will hang up after `patience` unless taken first ([`SimTime::NEVER`]: it
    /// waits as long as it takes).
    pub(super) fn schedule_abandonment(&mut self, id: CallerId, patience: SimTime) {
        let at = self.now.after(patience);
        self.slots[id.slot as usize].abandon_at = at;
        if patience != SimTime::NEVER {
            self.events.schedule(at, Event::Abandon(id));
        }
    }

    pub(super) fn abandon(&mut self, id: CallerId) {
        let Some(&c) = self.live(id) else { return };
        if !matches!(c.stage, Stage::WaitingHandler | Stage::WaitingTriage)
            || c.abandon_at != self.now
        {
            return;
        }
        let channel = usize::from(c.channel);
        if c.stage == Stage::WaitingHandler {
            self.tally.in_system_change(self.now, -1);
        }
        let queued = self.leave_queue(id);
        if c.counted {
            let long = !c.answered_once && self.now.since(c.arrival) > LONG_WAIT;
            self.tally.count(channel, c.arrival, |cell| {
                cell.abandoned += 1;
                cell.queue_time_sum.add(queued);
                cell.waited_long += u64::from(long);
            });
            if c.answered_once {
                self.tally.channels[channel].abandoned_after_triage += 1;
            }
        }
        self.log_unanswered(&c, CallOutcome::Abandoned);
        self.release(id);
        self.maybe_redial(channel, c.attempt, c.caller);
    }
}
