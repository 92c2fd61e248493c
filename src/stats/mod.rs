//! Statistics: the KPIs of one replication, replications run in parallel and summarised as
//! means with Student-t confidence intervals, and paired differences between two scenarios.

pub mod intervals;
pub mod kpi;
pub mod measure;
pub mod paired;
pub mod replication;
pub mod results;
pub mod targets;

pub use intervals::*;
pub use measure::*;
pub use replication::{Runner, replicate, replicate_with_threads};
pub use results::{IntervalLabels, Results};
pub use targets::TargetOutcome;
