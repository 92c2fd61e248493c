//! The closed set of events and the queue that orders them.
//!
//! Events are ordered by time, then by a fixed ladder for simultaneous events ([`Rung`]), then
//! by insertion (first scheduled, first handled) — except fresh arrivals, which wait in one
//! slot per channel: simultaneous fresh arrivals go by channel index. The ladder, best first:
//!
//! 1. **releases**: a handler finishes a contact or a chat, an officer finishes triage (and at
//!    once takes the next caller);
//! 2. **capacity changes**: shifts start and end, handlers join or leave, triage opens or closes,
//!    a flex window opens;
//! 3. **dispatch**: a waiting caller becomes eligible for an overflow group;
//! 4. **abandonments**: a waiting caller's patience runs out;
//! 5. **arrivals**: fresh arrivals, redials, burst calls and burst starts.
//!
//! So a caller whose patience runs out at the very instant a handler frees up is served
//! ("releases before seizes"), and a caller arriving at that instant queues behind those
//! already waiting.

use crate::time::SimTime;

/// A caller's slot in the engine plus a generation, so stale references are detectable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallerId {
    /// Index of the caller's slot.
    pub slot: u32,
    /// Generation of the slot when the reference was taken.
    pub generation: u32,
}

/// Something that happens at an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// A call handler finishes a call or work item.
    HandlerFree {
        /// The handler's index in the workforce.
        handler: u32,
    },
    /// A call handler finishes one of the chats it holds.
    ChatEnd {
        /// The handler's index in the workforce.
        handler: u32,
    },
    /// A triage officer finishes with a caller.
    TriageDone(CallerId),
    /// A team of a group starts its shift.
    ShiftStart {
        /// The shift group's index.
        group: u16,
        /// The team within the group.
        team: u16,
    },
    /// A team of a group ends its shift (busy handlers finish the contact in hand first).
    ShiftEnd {
        /// The shift group's index.
        group: u16,
        /// The team within the group.
        team: u16,
    },
    /// A team of a group reaches its shift's meal break: each handler on duty goes off for it,
    /// once the contact in hand is done.
    MealBreak {
        /// The shift group's index.
        group: u16,
        /// The team within the group.
        team: u16,
    },
    /// A handler's meal break is over: back on duty unless the shift has ended.
    BreakOver {
        /// The handler's index in the workforce.
        handler: u32,
    },
    /// A handler of an always-on group joins (after training) or leaves (attrition).
    Roster {
        /// The handler's index in the workforce.
        handler: u32,
        /// True when the handler joins, false when they leave.
        joins: bool,
    },
    /// The on-duty level of a group given by interval changes (`on_duty_by_hour_of_week`, a
    /// staffing file).
    OnDutyLevel {
        /// The group's index.
        group: u16,
    },
    /// A triage shift starts (`starts`) or ends (the opening hours are one such shift).
    TriageShift {
        /// The shift's index in the engine's triage rota.
        shift: u16,
        /// True at the start, false at the end.
        starts: bool,
        /// The rota it belongs to (a dated change may replace the rota).
        generation: u16,
    },
    /// A dated change takes effect: from now the run follows its scenario.
    Change {
        /// The change's index in `Scenario::changes`.
        index: u16,
    },
    /// A triage officer pulled onto another channel finishes that call.
    OfficerFree,
    /// A group's flex window opens for the day: its idle handlers look for callers it allows.
    FlexOpens {
        /// The shift group's index.
        group: u16,
    },
    /// A waiting caller has waited long enough for an overflow group to take them.
    Overflow(CallerId),
    /// A waiting caller's patience runs out (ignored if the caller was answered meanwhile).
    Abandon(CallerId),
    /// A caller whose call-back attempt failed rejoins the handlers' queue for another.
    CallbackRetry(CallerId),
    /// A caller leaves the IVR menu for the queue.
    IvrDone {
        /// The caller's channel.
        channel: u16,
        /// How many attempts came before this one.
        attempt: u8,
        /// The caller's number.
        caller: u32,
    },
    /// An incident burst starts on a channel.
    BurstStart {
        /// The channel's index.
        channel: u16,
    },
    /// The next call of a burst arrives.
    BurstCall {
        /// The channel's index.
        channel: u16,
        /// Which of the channel's open bursts the call belongs to.
        burst: u32,
    },
    /// A caller who hung up tries again (attempt ≥ 1).
    Redial {
        /// The channel the caller redials.
        channel: u16,
        /// How many attempts came before this one.
        attempt: u8,
        /// The caller's number (see `CallRecord::caller`).
        caller: u32,
    },
    /// The next fresh caller arrives on a channel.
    Arrival {
        /// The channel's index.
        channel: u16,
    },
}

/// The ladder for simultaneous events: a lower rung happens first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rung {
    /// A handler finishes a contact or a chat, an officer finishes triage.
    Release = 0,
    /// Shifts start and end, handlers join or leave, triage opens or closes.
    CapacityChange = 1,
    /// A waiting caller becomes eligible for an overflow group.
    Dispatch = 2,
    /// A waiting caller's patience runs out.
    Abandonment = 3,
    /// Fresh arrivals, redials, call-back retries, burst calls and burst starts.
    Arrival = 4,
}

impl Event {
    /// This event's rung on the ladder for simultaneous events.
    pub fn rung(self) -> Rung {
        match self {
            Event::HandlerFree { .. }
            | Event::ChatEnd { .. }
            | Event::TriageDone(_)
            | Event::OfficerFree => Rung::Release,
            Event::ShiftStart { .. }
            | Event::ShiftEnd { .. }
            | Event::MealBreak { .. }
            | Event::BreakOver { .. }
            | Event::Roster { .. }
            | Event::OnDutyLevel { .. }
            | Event::TriageShift { .. }
            | Event::Change { .. }
            | Event::FlexOpens { .. } => Rung::CapacityChange,
            Event::Overflow(_) => Rung::Dispatch,
            Event::Abandon(_) => Rung::Abandonment,
            Event::BurstStart { .. }
            | Event::BurstCall { .. }
            | Event::Redial { .. }
            | Event::IvrDone { .. }
            | Event::CallbackRetry(_)
            | Event::Arrival { .. } => Rung::Arrival,
        }
    }
}

/// A heap entry: the whole ordering in one `u128` key (time, then rung, then insertion).
#[derive(Clone, Copy, Debug)]
struct Entry {
    key: u128,
    event: Event,
}

impl Entry {
    fn time(&self) -> SimTime {
        SimTime((self.key >> 64) as u64)
    }
}

/// A 4-ary min-heap: half the depth of a binary heap and one-word comparisons.
///
/// Keys and events live in two arrays, so a sift compares four keys in one cache line and
/// moves an event only once it knows where. Popping leaves a *hole* at the root instead of
/// restructuring at once: handling an event very often schedules its successor (a handler
/// finishes and takes the next caller), and that push then fills the hole with a single
/// sift-down instead of a sift-down plus a sift-up.
#[derive(Debug, Default)]
struct QuadHeap {
    keys: Vec<u128>,
    events: Vec<Event>,
    hole: bool,
}

impl QuadHeap {
    fn peek(&mut self) -> Option<Entry> {
        self.close_hole();
        Some(Entry {
            key: *self.keys.first()?,
            event: self.events[0],
        })
    }

    fn push(&mut self, entry: Entry) {
        if self.hole {
            self.hole = false;
            self.sift_down_from_root(entry);
            return;
        }
        let mut i = self.keys.len();
        self.keys.push(entry.key);
        self.events.push(entry.event);
        while i > 0 {
            let parent = (i - 1) / 4;
            if self.keys[parent] <= entry.key {
                break;
            }
            self.keys[i] = self.keys[parent];
            self.events[i] = self.events[parent];
            i = parent;
        }
        self.keys[i] = entry.key;
        self.events[i] = entry.event;
    }

    /// Removes the minimum, leaving the root as a hole for the next push.
    fn pop(&mut self) -> Option<Entry> {
        let top = self.peek()?;
        self.hole = true;
        Some(top)
    }

    fn close_hole(&mut self) {
        if self.hole {
            self.hole = false;
            if let (Some(key), Some(event)) = (self.keys.pop(), self.events.pop())
                && !self.keys.is_empty()
            {
                self.sift_down_from_root(Entry { key, event });
            }
        }
    }

    /// Places `entry` at the root and sifts it down to its place.
    fn sift_down_from_root(&mut self, entry: Entry) {
        let keys = &mut self.keys[..];
        let n = keys.len();
        let mut i = 0;
        loop {
            let first = 4 * i + 1;
            let best = if first + 4 <= n {
                // All four children: the smaller of two pairs, without a branch per child.
                let (a, b) = (
                    first + usize::from(keys[first + 1] < keys[first]),
                    first + 2,
                );
                let b = b + usize::from(keys[b + 1] < keys[b]);
                if keys[b] < keys[a] { b } else { a }
            } else if first < n {
                (first + 1..n).fold(first, |best, c| if keys[c] < keys[best] { c } else { best })
            } else {
                break;
            };
            if keys[best] >= entry.key {
                break;
            }
            keys[i] = keys[best];
            self.events[i] = self.events[best];
            i = best;
        }
        keys[i] = entry.key;
        self.events[i] = entry.event;
    }

    fn len(&self) -> usize {
        self.keys.len() - usize::from(self.hole)
    }
}

/// A priority queue of future events; reuses its storage, so steady state allocates nothing.
///
/// Each channel's next fresh arrival is kept in its own slot rather than in the heap: arrivals
/// are half of all events, and a slot per channel halves the heap's work. Slots keep the
/// ladder: a heap event at the same instant goes first unless it is itself an arrival; among
/// slots at the same instant, the lower channel index goes first.
#[derive(Debug)]
pub struct EventQueue {
    heap: QuadHeap,
    inserted: u64,
    next_arrival: Vec<SimTime>,
    soonest_arrival: (SimTime, usize),
}

impl EventQueue {
    /// A queue with an arrival slot for each of `channels` channels.
    pub fn new(channels: usize) -> EventQueue {
        EventQueue {
            heap: QuadHeap::default(),
            inserted: 0,
            next_arrival: vec![SimTime::NEVER; channels],
            soonest_arrival: (SimTime::NEVER, 0),
        }
    }

    /// Sets the time of `channel`'s next fresh arrival (replacing any pending one).
    #[inline]
    pub fn schedule_arrival(&mut self, channel: usize, time: SimTime) {
        self.next_arrival[channel] = time;
        self.refresh_soonest();
    }

    fn refresh_soonest(&mut self) {
        let mut best = (SimTime::NEVER, 0);
        for (i, &t) in self.next_arrival.iter().enumerate() {
            if t < best.0 {
                best = (t, i);
            }
        }
        self.soonest_arrival = best;
    }

    /// Schedules `event` at `time`.
    #[inline]
    pub fn schedule(&mut self, time: SimTime, event: Event) {
        self.inserted += 1;
        let order = ((event.rung() as u64) << 60) | self.inserted;
        self.heap.push(Entry {
            key: (u128::from(time.0) << 64) | u128::from(order),
            event,
        });
    }

    /// Removes and returns the next event.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, Event)> {
        let (arrival_at, channel) = self.soonest_arrival;
        let heap_first = match self.heap.peek() {
            Some(top) => {
                top.time() < arrival_at
                    || (top.time() == arrival_at && top.event.rung() < Rung::Arrival)
            }
            None => false,
        };
        if heap_first || arrival_at == SimTime::NEVER {
            return self.heap.pop().map(|e| (e.time(), e.event));
        }
        self.next_arrival[channel] = SimTime::NEVER;
        self.refresh_soonest();
        Some((
            arrival_at,
            Event::Arrival {
                channel: channel as u16,
            },
        ))
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.heap.len()
            + self
                .next_arrival
                .iter()
                .filter(|t| **t != SimTime::NEVER)
                .count()
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ladder_orders_simultaneous_events() {
        let mut q = EventQueue::new(0);
        let id = CallerId {
            slot: 0,
            generation: 0,
        };
        let t = SimTime(10);
        q.schedule(t, Event::Arrival { channel: 0 });
        q.schedule(t, Event::Abandon(id));
        q.schedule(t, Event::HandlerFree { handler: 0 });
        q.schedule(SimTime(5), Event::Arrival { channel: 1 });
        q.schedule(t, Event::TriageDone(id));
        let order: Vec<Event> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(
            order,
            vec![
                Event::Arrival { channel: 1 },
                Event::HandlerFree { handler: 0 },
                Event::TriageDone(id),
                Event::Abandon(id),
                Event::Arrival { channel: 0 },
            ]
        );
    }

    /// Every rung against every other: scheduled worst rung first, popped best rung first.
    #[test]
    fn every_rung_goes_before_the_rungs_below_it() {
        let id = CallerId {
            slot: 0,
            generation: 0,
        };
        let one_per_rung = [
            Event::HandlerFree { handler: 0 },
            Event::ShiftStart { group: 0, team: 0 },
            Event::Overflow(id),
            Event::Abandon(id),
            Event::Redial {
                channel: 0,
                attempt: 1,
                caller: 0,
            },
        ];
        let rungs: Vec<Rung> = one_per_rung.iter().map(|e| e.rung()).collect();
        assert_eq!(
            rungs,
            [
                Rung::Release,
                Rung::CapacityChange,
                Rung::Dispatch,
                Rung::Abandonment,
                Rung::Arrival
            ]
        );
        for (i, a) in one_per_rung.iter().enumerate() {
            for b in &one_per_rung[i + 1..] {
                let mut q = EventQueue::new(1);
                q.schedule(SimTime(7), *b);
                q.schedule(SimTime(7), *a);
                let order: Vec<Event> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
                assert_eq!(order, vec![*a, *b], "{a:?} must go before {b:?}");
            }
        }
    }

    #[test]
    fn arrival_slots_follow_the_ladder() {
        let mut q = EventQueue::new(2);
        let id = CallerId {
            slot: 0,
            generation: 0,
        };
        q.schedule_arrival(1, SimTime(10));
        q.schedule_arrival(0, SimTime(10));
        q.schedule(SimTime(10), Event::Arrival { channel: 5 });
        q.schedule(SimTime(10), Event::Abandon(id));
        q.schedule(SimTime(3), Event::HandlerFree { handler: 0 });
        let order: Vec<Event> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(
            order,
            vec![
                Event::HandlerFree { handler: 0 },
                Event::Abandon(id),
                Event::Arrival { channel: 0 },
                Event::Arrival { channel: 1 },
                Event::Arrival { channel: 5 },
            ]
        );
        assert!(q.is_empty());
    }

    #[test]
    fn heap_pops_in_key_order() {
        let mut h = QuadHeap::default();
        let mut x: u64 = 12345;
        let mut keys = Vec::new();
        for _ in 0..1000 {
            x = crate::rng::mix64(x);
            let key = u128::from(x % 500);
            keys.push(key);
            h.push(Entry {
                key,
                event: Event::HandlerFree { handler: 0 },
            });
            if x.is_multiple_of(3) {
                keys.sort_unstable();
                assert_eq!(h.pop().map(|e| e.key), Some(keys.remove(0)));
            }
        }
        keys.sort_unstable();
        let rest: Vec<u128> = std::iter::from_fn(|| h.pop().map(|e| e.key)).collect();
        assert_eq!(rest, keys);
    }

    #[test]
    fn same_rung_is_first_in_first_out() {
        let mut q = EventQueue::new(0);
        for c in 0..5 {
            q.schedule(SimTime(1), Event::Arrival { channel: c });
        }
        let order: Vec<Event> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        let want: Vec<Event> = (0..5).map(|c| Event::Arrival { channel: c }).collect();
        assert_eq!(order, want);
    }
}
