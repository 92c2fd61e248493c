//! A force's own records, in and out: the per-call CSV (`docs/data.md`) that `run --calls`
//! writes from a simulated run and `fit` reads to build a scenario, and staffing files of
//! handlers on duty by interval; ACD interval reports.

pub mod agents;
pub mod calls;
pub mod durations;
pub mod fit;
pub mod fit_calendar;
pub mod fit_curves;
pub mod fitted_scenario;
pub mod intervals;
pub mod patience;
pub mod period;
pub mod read;
pub mod reservoir;
pub mod staffing;

pub use agents::AgentActivity;
pub use calls::{CALL_COLUMNS, CallsCsv};
pub use fit::{Fit, Gathered, fit};
pub use fit_curves::{FitCurves, fit_curves};
pub use fitted_scenario::{HandleChoice, fitted_toml};
pub use intervals::{IntervalRow, is_interval_report, read_intervals};
pub use period::{PERIOD_KEYS, data_period};
pub use read::{ReadOptions, ReadReport, read_calls};
pub use staffing::{Staffing, read_staffing};
