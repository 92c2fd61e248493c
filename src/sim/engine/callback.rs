//! Call-backs ("queue buster", virtual hold): the offer to a caller joining a long queue, the
//! handler's attempt when that caller's turn comes, and the retry after an attempt that did
//! not reach it. A scenario without call-backs never gets past the first check of
//! [`Engine::offer_callback`].

use super::*;
use crate::scenario::{CallbackOffer, OfferWhen};

impl<'s> Engine<'s> {
    /// Caller `id` has just joined `channel`'s handler queue: offers it a call-back if more
    /// than the channel's threshold wait ahead of it. Returns the patience it keeps: none once
    /// it has accepted (it is off the line and will be called).
    pub(super) fn offer_callback(
        &mut self,
        id: CallerId,
        channel: usize,
        patience: SimTime,
    ) -> SimTime {
        let Some(offer) = &self.s.channels[channel].callback else {
            return patience;
        };
        let c = self.slots[id.slot as usize];
        match c.callback {
            CallBack::Accepted { .. } => return SimTime::NEVER,
            CallBack::Declined => return patience,
            CallBack::NotOffered => {}
        }
        let ahead = self.waiting_on(channel) - 1;
        let offered = match offer.offer_when {
            OfferWhen::QueueOver(k) => ahead > k,
            OfferWhen::ExpectedWaitOver(limit) => {
                let serving: u32 = self.groups_for_channel[channel]
                    .iter()
                    .map(|&g| self.wf.on_duty_in_group[g])
                    .sum();
                let work_s = f64::from(ahead + 1) * self.s.channels[channel].handle_time.mean_s();
                serving == 0 || work_s / f64::from(serving) > limit.as_secs()
            }
        };
        if !offered {
            return patience;
        }
        let accepts = self.streams[channel].callback.random::<f64>() < offer.accept;
        let t = &mut self.tally.channels[channel];
        if c.counted {
            t.callbacks_offered += 1;
            t.callbacks_accepted += u64::from(accepts);
        }
        let (state, kept) = if accepts {
            (CallBack::Accepted { attempt: 1 }, SimTime::NEVER)
        } else {
            (CallBack::Declined, patience)
        };
        self.slots[id.slot as usize].callback = state;
        kept
    }

    /// Handler `h` calls back caller `id`, whose turn has come, for the `attempt`-th time.
    pub(super) fn call_back(&mut self, h: u32, id: CallerId, attempt: u8) {
        let c = self.slots[id.slot as usize];
        let channel = usize::from(c.channel);
        let offer = self.promised_callback(channel);
        let st = &mut self.streams[channel];
        if st.callback.random::<f64>() < offer.success {
            if c.counted {
                let t = &mut self.tally.channels[channel];
                t.callbacks_completed += 1;
                t.callback_time_sum.add(self.now.since(c.arrival));
            }
            return self.answer_waiting(h, id);
        }
        let attempt_time = sample(&offer.attempt_time, &mut st.callback);
        let retry_after = sample(&offer.retry_after, &mut st.callback);
        let last = attempt >= offer.max_attempts;
        let queued = self.leave_queue(id);
        if c.counted {
            self.tally
                .count(channel, c.arrival, |cell| cell.queue_time_sum.add(queued));
        }
        // The failed attempt occupies the handler like a short call.
        self.start_service(h, channel, attempt_time);
        if last {
            if c.counted {
                self.tally.channels[channel].callbacks_failed += 1;
            }
            self.log_unanswered(&c, CallOutcome::CallbackFailed);
            self.release(id);
            return;
        }
        let slot = &mut self.slots[id.slot as usize];
        slot.stage = Stage::AwaitingRetry;
        slot.callback = CallBack::Accepted {
            attempt: attempt + 1,
        };
        let at = self.now.after(attempt_time).after(retry_after);
        if at < self.s.horizon {
            self.events.schedule(at, Event::CallbackRetry(id));
        }
    }

    /// The call-back settings a caller who accepted one is called back under: the channel's
    /// now, or — when a dated change has since removed the call-back — the latest part of the
    /// run that had one (a promised call-back is kept).
    fn promised_callback(&self, channel: usize) -> &'s CallbackOffer {
        let parts =
            std::iter::once(self.base).chain(self.base.changes.iter().map(|c| &*c.scenario));
        let current: &'s Scenario = self.s;
        current.channels[channel]
            .callback
            .as_ref()
            .or_else(|| {
                parts
                    .take_while(|p| !std::ptr::eq(*p, current))
                    .filter_map(|p| p.channels[channel].callback.as_ref())
                    .last()
            })
            .unwrap_or_else(|| unreachable!("only callers of channels with call-backs accept one"))
    }

    /// A caller whose call-back attempt failed takes its next turn: at once if a handler is
    /// free, else at the back of its queue (still off the line, so without patience).
    pub(super) fn callback_retry(&mut self, id: CallerId) {
        let Some(&c) = self.live(id) else { return };
        if c.stage != Stage::AwaitingRetry {
            return;
        }
        self.slots[id.slot as usize].queued_at = self.now;
        let channel = usize::from(c.channel);
        match self.find_handler(channel) {
            Some(h) => {
                self.tally.in_system_change(self.now, 1);
                if let CallBack::Accepted { attempt } = c.callback {
                    self.call_back(h, id, attempt);
                }
            }
            None => self.enqueue_handler(id, c.queue, SimTime::NEVER),
        }
    }
}
