//! Presenting results: a terminal table, JSON and CSV.

mod csv;
mod json;
mod table;

pub use self::csv::results_csv;
pub use json::results_json;
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
