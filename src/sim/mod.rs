//! The simulation engine: time, events, queues and the state machine of one replication.
//!
//! `sim::run(&scenario, replication)` simulates one replication and returns its [`Tally`].
//! It does no I/O and cannot fail on a validated scenario.

mod arrivals;
mod engine;
mod event;
mod workforce;

pub use engine::{RunOptions, run, run_with};
pub use event::{CallerId, Event, EventQueue};
pub use workforce::effective_groups;

pub use crate::record::Tally;
