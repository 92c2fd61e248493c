//! triage-sim: a discrete-event simulator of a police force's public contact centre.
//!
//! `Scenario` (checked TOML) → [`sim::run`] per replication → [`record::Tally`] →
//! [`stats`] (means with confidence intervals) → [`report`] (table, JSON, CSV).
//! See `ARCHITECTURE.md` for the map and the invariants.

pub mod budget;
pub mod calendar;
pub mod chart;
pub mod cli;
pub mod compare;
pub mod dist;
pub mod erlang;
pub mod histogram;
pub mod interrupt;
pub mod interval_staffing;
pub mod output;
pub mod record;
pub mod replicate;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod sim;
pub mod staffing;
pub mod stats;
pub mod sweep;
pub mod time;

pub use replicate::{Results, replicate, replicate_with_threads};
pub use scenario::{Scenario, ScenarioError};
