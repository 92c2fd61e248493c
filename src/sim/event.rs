//! The closed set of events and the queue that orders them.
//!
//! Events are ordered by time, then by a fixed ladder for simultaneous events, then by
//! insertion (first scheduled, first handled). The ladder, best first:
//!
//! 1. **releases**: a handler or a triage officer finishes (and at once takes the next caller);
//! 2. **abandonments**: a waiting caller's patience runs out;
//! 3. **arrivals**.
//!
//! So a caller whose patience runs out at the very instant a handler frees up is served
//! ("releases before seizes"), and a caller arriving at that instant queues behind those
//! already waiting.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

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
    /// A call handler finishes a contact.
    HandlerFree,
    /// A triage officer finishes with a caller.
    TriageDone(CallerId),
    /// A waiting caller's patience runs out (ignored if the caller was answered meanwhile).
    Abandon(CallerId),
    /// The next caller arrives on a channel.
    Arrival { channel: u16 },
}

impl Event {
    /// Rung on the ladder for simultaneous events: lower happens first.
    fn rung(self) -> u64 {
        match self {
            Event::HandlerFree | Event::TriageDone(_) => 0,
            Event::Abandon(_) => 1,
            Event::Arrival { .. } => 2,
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    time: SimTime,
    /// Rung in the top two bits, insertion number below.
    order: u64,
    event: Event,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        (self.time, self.order) == (other.time, other.order)
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    // Reversed: BinaryHeap is a max-heap and we want the earliest entry on top.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time, other.order).cmp(&(self.time, self.order))
    }
}

/// A priority queue of future events; reuses its storage, so steady state allocates nothing.
#[derive(Debug, Default)]
pub struct EventQueue {
    heap: BinaryHeap<Entry>,
    inserted: u64,
}

impl EventQueue {
    /// Schedules `event` at `time`.
    #[inline]
    pub fn schedule(&mut self, time: SimTime, event: Event) {
        self.inserted += 1;
        let order = (event.rung() << 62) | self.inserted;
        self.heap.push(Entry { time, order, event });
    }

    /// Removes and returns the next event.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, Event)> {
        self.heap.pop().map(|e| (e.time, e.event))
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ladder_orders_simultaneous_events() {
        let mut q = EventQueue::default();
        let id = CallerId {
            slot: 0,
            generation: 0,
        };
        let t = SimTime(10);
        q.schedule(t, Event::Arrival { channel: 0 });
        q.schedule(t, Event::Abandon(id));
        q.schedule(t, Event::HandlerFree);
        q.schedule(SimTime(5), Event::Arrival { channel: 1 });
        q.schedule(t, Event::TriageDone(id));
        let order: Vec<Event> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(
            order,
            vec![
                Event::Arrival { channel: 1 },
                Event::HandlerFree,
                Event::TriageDone(id),
                Event::Abandon(id),
                Event::Arrival { channel: 0 },
            ]
        );
    }

    #[test]
    fn same_rung_is_first_in_first_out() {
        let mut q = EventQueue::default();
        for c in 0..5 {
            q.schedule(SimTime(1), Event::Arrival { channel: c });
        }
        let order: Vec<Event> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        let want: Vec<Event> = (0..5).map(|c| Event::Arrival { channel: c }).collect();
        assert_eq!(order, want);
    }
}
