//! Presenting results: a terminal table, JSON, CSV, the HTML report and charts, for runs and
//! for the planning commands, and `check`'s description of a scenario.
//!
//! Each command's output is a [`Render`] view; [`render`] is the one place that dispatches on
//! [`Format`]. KPIs are formatted by their unit in [`crate::stats::kpi`]. The report layer
//! reads results, never engine state, and is the only one that draws (plotters, in [`chart`]).

mod backtest;
mod calibrate;
pub mod chart;
mod csv;
mod csv_text;
pub mod csv_wide;
mod describe;
mod hire;
mod html;
mod interval_grid;
mod json;
mod planning;
mod published;
mod rota;
mod staffing;
mod table;
mod views;

pub use self::csv::results_csv;
pub use backtest::BacktestView;
pub use calibrate::CalibrationView;
pub use describe::describe_scenario;
pub use hire::HireView;
pub use html::html_report;
pub use interval_grid::{interval_grid_csv, interval_grid_table};
pub use json::results_json;
pub use planning::{
    compare_csv, compare_json, compare_table, interval_csv, interval_table, sweep_csv, sweep_json,
    sweep_table,
};
pub use published::PublishedView;
pub use rota::RotaView;
pub use staffing::{mix_table, staff_csv, staff_json, staff_table};
pub use table::{erlang_table, results_table};
pub use views::{
    CompareView, ErlangView, IntervalView, LossView, MixView, RunView, StaffView, SweepView,
};

/// An output format (the command line's `--format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A human-readable table.
    Table,
    /// JSON: every KPI as `{ mean, ci_low, ci_high }`.
    Json,
    /// CSV: one row per scope, channel and KPI.
    Csv,
    /// CSV with one row per channel or interval and one column per KPI ([`csv_wide`]).
    WideCsv,
}

/// Why something could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The format does not apply to this output, e.g. CSV of the `erlang` command.
    #[error("{0}")]
    Unsupported(&'static str),
    /// Writing CSV failed.
    #[error("cannot format CSV: {0}")]
    Csv(#[from] ::csv::Error),
}

/// An output that can be rendered as a table, JSON and (where it fits) CSV.
pub trait Render {
    /// The human-readable table.
    fn table(&self) -> String;
    /// The JSON document.
    fn json(&self) -> String;
    /// The CSV text.
    fn csv(&self) -> Result<String, RenderError>;
}

/// `n` and a noun, singular for one: "1 replication", "4 replications".
pub fn counted(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A rate for people: three significant figures, no trailing float noise (23.0, 0.104, 1,250).
pub fn rate_text(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    let a = x.abs();
    if a >= 100.0 || a == 0.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else if a >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

/// Renders `output` in `format`: the one place that dispatches on [`Format`].
pub fn render(output: &dyn Render, format: Format) -> Result<String, RenderError> {
    Ok(match format {
        Format::Table => output.table(),
        Format::Json => output.json(),
        Format::Csv => output.csv()?,
        Format::WideCsv => csv_wide::widen(&output.csv()?)?,
    })
}
