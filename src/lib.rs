//! triage-sim: a discrete-event simulator of a police force's public contact centre.
//!
//! The modules are listed in layer order, each using only those above it (ARCHITECTURE.md,
//! "Layers"; `tests/it/layers.rs` enforces it):
//!
//! - bottom, pure and used by anyone: [`time`], [`calendar`], [`rng`], [`dist`], [`erlang`];
//! - [`scenario`]: the file format, validation and the checked model;
//! - [`sim`]: one replication of a scenario → its [`sim::Tally`];
//! - [`stats`]: KPIs of a tally, replications, means with confidence intervals, paired
//!   differences, and the one table of every KPI;
//! - [`data`]: a force's own records in and out — the per-call CSV that `run --calls`
//!   writes;
//! - [`planning`]: the staffing search, interval staffing, sweeps and the work budget;
//! - [`report`]: tables, JSON, CSV, HTML and charts of results;
//! - [`cli`]: the command line, the only layer that does I/O beyond rendering.

#![warn(missing_docs)]

pub mod calendar;
pub mod dist;
pub mod erlang;
pub mod rng;
pub mod time;

pub mod scenario;

pub mod sim;

pub mod stats;

pub mod data;

pub mod planning;

pub mod report;

pub mod cli;

pub use scenario::{Scenario, ScenarioError};
pub use stats::{Results, replicate, replicate_with_threads};
