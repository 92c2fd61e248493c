//! The simulation engine: events, queues, the workforce and the state machine of one
//! replication, and the tallies it keeps.
//!
//! `sim::run(&scenario, replication)` simulates one replication and returns its [`Tally`].
//! It does no I/O, reads no global state and cannot fail on a validated scenario.

mod arrivals;
mod calls;
mod engine;
mod event;
pub mod histogram;
mod lazy_pool;
mod level;
pub mod tally;
mod workforce;

pub use calls::{Agent, CallLog, CallOutcome, CallRecord};
pub use engine::{RunOptions, run, run_logging, run_with};
pub use event::{CallerId, Event, EventQueue, Rung};
pub use tally::Tally;
