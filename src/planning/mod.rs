//! Planning: questions answered by running many scenarios — the fewest handlers meeting every
//! target, handlers per hour of the week, sweeps over parameters — and the work estimate that
//! every simulating command passes before it starts.

pub mod backtest;
pub mod budget;
pub mod calibrate;
pub mod hire;
pub mod hire_baselines;
pub mod hire_cost;
mod hire_trim;
pub mod interval_staffing;
pub mod published;
mod risk;
pub mod roster_change;
pub mod rota;
mod rota_solve;
pub mod staffing;
pub mod sweep;
mod target_check;
pub mod units;
