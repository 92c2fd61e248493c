//! A hand-written minimal event loop for exactly two models, the yardstick (two priority
//! classes on one pool, lognormal handle times, exponential patience) and M/M/n: the speed
//! triage-sim's general engine is measured against (issue #18). It keeps four counters and
//! nothing else, uses the same generators (`Xoshiro256PlusPlus`, `rand_distr`) and a binary
//! heap, and draws a patience only for callers who wait: the best case a model-specific
//! program could hope for without changing its data structures.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use rand::SeedableRng;
use rand_distr::{Distribution, Exp, LogNormal};
use rand_xoshiro::Xoshiro256PlusPlus;

/// One class of callers: arrivals per second, handle time, patience (None: infinite) and the
/// answer-time threshold.
pub struct Class {
    pub rate_per_s: f64,
    pub handle: Handle,
    pub patience_mean_s: Option<f64>,
    pub threshold_s: f64,
}

/// A handle-time distribution.
pub enum Handle {
    Exponential(Exp<f64>),
    LogNormal(LogNormal<f64>),
}

impl Handle {
    /// Lognormal with this mean and standard deviation (seconds).
    pub fn lognormal(mean: f64, sd: f64) -> Handle {
        let sigma2 = (1.0 + (sd / mean).powi(2)).ln();
        Handle::LogNormal(LogNormal::new(mean.ln() - sigma2 / 2.0, sigma2.sqrt()).unwrap())
    }
    /// Exponential with this mean (seconds).
    pub fn exponential(mean: f64) -> Handle {
        Handle::Exponential(Exp::new(1.0 / mean).unwrap())
    }
    fn sample(&self, rng: &mut Xoshiro256PlusPlus) -> f64 {
        match self {
            Handle::Exponential(d) => d.sample(rng),
            Handle::LogNormal(d) => d.sample(rng),
        }
    }
}

/// What the loop counted.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub arrivals: u64,
    pub answered: u64,
    pub abandoned: u64,
    pub within_target: u64,
    pub events: u64,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Event {
    Arrival(u8),
    Departure,
    Abandon(u32),
}

/// Simulates `classes` (index = priority, 0 first) on `servers` for `horizon_s` seconds.
pub fn simulate(classes: &[Class], servers: u32, horizon_s: f64, seed: u64) -> Counts {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let unit_exp = Exp::new(1.0).unwrap();
    // (time as ordered bits, sequence, event): a min-heap through Reverse.
    let mut heap: BinaryHeap<Reverse<(u64, u64, Event)>> = BinaryHeap::with_capacity(64);
    let mut seq = 0u64;
    let mut push = |heap: &mut BinaryHeap<_>, t: f64, e: Event| {
        seq += 1;
        heap.push(Reverse((t.to_bits(), seq, e)));
    };
    let mut queues: Vec<VecDeque<(u32, f64)>> = classes.iter().map(|_| VecDeque::new()).collect();
    // Whether caller `id` still waits (abandon events of answered callers are ignored).
    let mut waiting: Vec<bool> = Vec::new();
    let mut free = servers;
    let mut counts = Counts::default();
    for (k, c) in classes.iter().enumerate() {
        push(
            &mut heap,
            unit_exp.sample(&mut rng) / c.rate_per_s,
            Event::Arrival(k as u8),
        );
    }
    while let Some(Reverse((bits, _, event))) = heap.pop() {
        let now = f64::from_bits(bits);
        if now > horizon_s {
            break;
        }
        counts.events += 1;
        match event {
            Event::Arrival(k) => {
                let c = &classes[usize::from(k)];
                counts.arrivals += 1;
                push(
                    &mut heap,
                    now + unit_exp.sample(&mut rng) / c.rate_per_s,
                    Event::Arrival(k),
                );
                if free > 0 {
                    free -= 1;
                    counts.answered += 1;
                    counts.within_target += 1;
                    push(&mut heap, now + c.handle.sample(&mut rng), Event::Departure);
                } else {
                    let id = waiting.len() as u32;
                    waiting.push(true);
                    queues[usize::from(k)].push_back((id, now));
                    if let Some(mean) = c.patience_mean_s {
                        push(
                            &mut heap,
                            now + mean * unit_exp.sample(&mut rng),
                            Event::Abandon(id),
                        );
                    }
                }
            }
            Event::Departure => {
                let next = queues.iter_mut().enumerate().find_map(|(k, q)| {
                    while let Some((id, arrived)) = q.pop_front() {
                        if waiting[id as usize] {
                            waiting[id as usize] = false;
                            return Some((k, arrived));
                        }
                    }
                    None
                });
                match next {
                    Some((k, arrived)) => {
                        let c = &classes[k];
                        counts.answered += 1;
                        if now - arrived <= c.threshold_s {
                            counts.within_target += 1;
                        }
                        push(&mut heap, now + c.handle.sample(&mut rng), Event::Departure);
                    }
                    None => free += 1,
                }
            }
            Event::Abandon(id) => {
                if std::mem::replace(&mut waiting[id as usize], false) {
                    counts.abandoned += 1;
                }
            }
        }
    }
    counts
}

/// The yardstick of `benches/scenarios/yardstick.toml`.
pub fn yardstick() -> (Vec<Class>, u32) {
    (
        vec![
            Class {
                rate_per_s: 120.0 / 3600.0,
                handle: Handle::lognormal(90.0, 60.0),
                patience_mean_s: Some(60.0),
                threshold_s: 10.0,
            },
            Class {
                rate_per_s: 180.0 / 3600.0,
                handle: Handle::lognormal(300.0, 200.0),
                patience_mean_s: Some(300.0),
                threshold_s: 60.0,
            },
        ],
        25,
    )
}

/// The M/M/20 of `benches/scenarios/mm20.toml`.
pub fn mm20() -> (Vec<Class>, u32) {
    (
        vec![Class {
            rate_per_s: 360.0 / 3600.0,
            handle: Handle::exponential(180.0),
            patience_mean_s: None,
            threshold_s: 20.0,
        }],
        20,
    )
}
