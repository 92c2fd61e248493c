//! Lazy completions for a group of interchangeable handlers.
//!
//! In a group whose handlers are interchangeable (always on duty, never joining or leaving,
//! no ramp, no chats, no flex rule, no trunk reservation), which handler takes a caller changes
//! nothing that is counted, and a handler finishing a call while nobody waits changes nothing
//! but the busy count, which [`Tally::book_busy`] integrates when the call starts. So such a
//! completion need not be an event: the handler is simply free once its finish time has passed.
//! A completion becomes an event (is *armed*) only when a caller may be waiting for it: each
//! caller joining a queue the group serves arms the earliest unarmed finish, and a call started
//! while others still wait is armed from the start. So when `k` callers wait, the armed
//! handlers include the `k` earliest finishes, and every caller is taken at the same instant
//! as with an event per completion; never more events than that.
//!
//! [`Tally::book_busy`]: crate::sim::tally::Tally::book_busy

use crate::time::SimTime;

/// The handlers of one interchangeable group and when each is free.
#[derive(Clone, Debug)]
pub struct LazyPool {
    /// The group's first handler index; its handlers are the next `free_at.len()` indices.
    first: u32,
    /// Per handler: free from this time on (a past time: free now; a future time: finishing a
    /// call then). [`SimTime::NEVER`]: off duty, just taken, or finishing with an armed event.
    free_at: Vec<SimTime>,
    /// How many entries of `free_at` are not `NEVER` (none: nothing to arm, no scan).
    unarmed: u32,
    /// No entry of `free_at` is earlier (a lower bound, exact after a scan that found none
    /// free): before it nobody is free, without a scan.
    earliest: SimTime,
    /// Where the next search for a free handler starts: just after the last one taken, whose
    /// neighbours have been busy longest (round robin; any choice is as good).
    next: usize,
}

impl LazyPool {
    /// A pool of the `count` handlers numbered from `first`, all off duty.
    pub fn new(first: u32, count: u32) -> LazyPool {
        LazyPool {
            first,
            free_at: vec![SimTime::NEVER; count as usize],
            unarmed: 0,
            earliest: SimTime::NEVER,
            next: 0,
        }
    }

    fn index(&self, h: u32) -> usize {
        (h - self.first) as usize
    }

    /// Takes a handler free at `now` (the first after the last one taken), if any.
    #[inline]
    pub fn take_free(&mut self, now: SimTime) -> Option<u32> {
        if self.unarmed == 0 || now < self.earliest {
            return None; // A congested pool: nobody free, known without a scan.
        }
        let (before, after) = self.free_at.split_at(self.next);
        let found = match after.iter().position(|&t| t <= now) {
            Some(i) => Some(self.next + i),
            None => before.iter().position(|&t| t <= now),
        };
        let Some(i) = found else {
            self.earliest = self.free_at.iter().copied().min().unwrap_or(SimTime::NEVER);
            return None;
        };
        self.free_at[i] = SimTime::NEVER;
        self.unarmed -= 1;
        self.next = (i + 1) % self.free_at.len();
        Some(self.first + i as u32)
    }

    /// Sets handler `h`'s entry to `t`, a time (not `NEVER`).
    #[inline]
    fn set(&mut self, h: u32, t: SimTime) {
        let i = self.index(h);
        self.unarmed += u32::from(self.free_at[i] == SimTime::NEVER);
        self.free_at[i] = t;
        self.earliest = self.earliest.min(t);
    }

    /// Handler `h` is free from `now`.
    #[inline]
    pub fn set_free(&mut self, h: u32, now: SimTime) {
        self.set(h, now);
    }

    /// Handler `h` has started a call that ends at `done`, with no event for its end.
    #[inline]
    pub fn set_busy_until(&mut self, h: u32, done: SimTime) {
        self.set(h, done);
    }

    /// Arms the earliest unarmed finish: returns the handler and when it finishes (its event
    /// is then the caller's to schedule), or `None` when every busy handler is armed already.
    pub fn arm_earliest(&mut self) -> Option<(u32, SimTime)> {
        if self.unarmed == 0 {
            return None; // Every busy handler's end is an event already (a congested pool).
        }
        // Two plain passes (the minimum, then where it is) vectorise; `NEVER` is the largest.
        let at = self.free_at.iter().copied().min()?;
        let i = self.free_at.iter().position(|&t| t == at)?;
        self.free_at[i] = SimTime::NEVER;
        self.unarmed -= 1;
        Some((self.first + i as u32, at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finished_handler_is_free_without_an_event() {
        let mut p = LazyPool::new(10, 3);
        assert_eq!(p.take_free(SimTime(0)), None, "off duty until set free");
        for h in 10..13 {
            p.set_free(h, SimTime(0));
        }
        assert_eq!(p.take_free(SimTime(0)), Some(10));
        p.set_busy_until(10, SimTime(50));
        assert_eq!(p.take_free(SimTime(1)), Some(11));
        p.set_busy_until(11, SimTime(30));
        assert_eq!(p.take_free(SimTime(2)), Some(12));
        p.set_busy_until(12, SimTime(40));
        assert_eq!(p.take_free(SimTime(29)), None);
        assert_eq!(
            p.take_free(SimTime(30)),
            Some(11),
            "free the instant it finishes"
        );
        p.set_free(11, SimTime(30));
        p.set_free(12, SimTime(40));
        assert_eq!(
            p.take_free(SimTime(41)),
            Some(12),
            "round robin: after the last taken"
        );
        assert_eq!(p.take_free(SimTime(41)), Some(11), "then from the start");
    }

    #[test]
    fn arming_goes_earliest_first_and_once() {
        let mut p = LazyPool::new(0, 3);
        for (h, done) in [(0, 50), (1, 30), (2, 40)] {
            p.set_busy_until(h, SimTime(done));
        }
        assert_eq!(p.arm_earliest(), Some((1, SimTime(30))));
        assert_eq!(p.arm_earliest(), Some((2, SimTime(40))));
        assert_eq!(
            p.take_free(SimTime(45)),
            None,
            "an armed handler waits for its event"
        );
        assert_eq!(p.arm_earliest(), Some((0, SimTime(50))));
        assert_eq!(p.arm_earliest(), None);
    }
}
