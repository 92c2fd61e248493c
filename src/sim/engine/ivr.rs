//! The IVR stage: a caller spends its time in the menu, then hangs up, serves itself or goes
//! on to the queue, whose clock starts then. A channel without an IVR never comes here.

use super::*;

impl Engine<'_> {
    /// Caller `caller` (attempt `attempt`) enters `channel`'s IVR.
    pub(super) fn enter_ivr(&mut self, channel: usize, attempt: u8, caller: u32) {
        let Some(ivr) = &self.s.channels[channel].ivr else {
            return self.reach_queue(channel, attempt, caller);
        };
        let st = &mut self.streams[channel];
        let time = sample(&ivr.time, &mut st.ivr);
        let u: f64 = st.ivr.random();
        let (abandons, serves) = (u < ivr.abandon, u < ivr.abandon + ivr.self_service);
        if self.now >= self.s.warmup {
            let t = &mut self.tally.channels[channel];
            t.ivr_calls += 1;
            t.ivr_abandoned += u64::from(abandons);
            t.ivr_self_served += u64::from(serves && !abandons);
        }
        let channel = channel as u16;
        if !serves && self.now.after(time) < self.s.horizon {
            self.events.schedule(
                self.now.after(time),
                Event::IvrDone {
                    channel,
                    attempt,
                    caller,
                },
            );
        }
    }
}
