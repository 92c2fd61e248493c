//! Presenting results: a terminal table, JSON and CSV, for runs and for the planning commands.

pub mod chart;
mod csv;
mod csv_text;
mod html;
mod json;
mod planning;
mod table;

pub use self::csv::results_csv;
pub use html::html_report;
pub use json::results_json;
pub use planning::{
    compare_csv, compare_json, compare_table, interval_csv, interval_table, mix_table, staff_csv,
    staff_json, staff_table, sweep_csv, sweep_json, sweep_table,
};
pub use table::{erlang_table, results_table};

/// An output format chosen by `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A human-readable table.
    Table,
    /// JSON: every KPI as `{ mean, ci_low, ci_high }`.
    Json,
    /// CSV: one row per scope, channel and KPI.
    Csv,
}
