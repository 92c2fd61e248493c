//! The values of flags shared by several commands: `--format` and `--every-interval`, each
//! mapped onto the type the rest of the program uses.

use crate::planning::staffing;
use crate::report::Format;

/// `--format`: the command line's name for a [`Format`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum FormatArg {
    /// A human-readable table.
    Table,
    /// JSON: every KPI as `{ mean, ci_low, ci_high }`.
    Json,
    /// CSV: one row per scope, channel and KPI.
    Csv,
    /// CSV for spreadsheets: one row per channel or interval, one column per KPI.
    WideCsv,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Table => Format::Table,
            FormatArg::Json => Format::Json,
            FormatArg::Csv => Format::Csv,
            FormatArg::WideCsv => Format::WideCsv,
        }
    }
}

/// `--every-interval`: the command line's name for an [`staffing::IntervalKind`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum IntervalArg {
    /// Every hour of the week (168 cells).
    HourOfWeek,
    /// Every week of the run.
    Week,
}

impl From<IntervalArg> for staffing::IntervalKind {
    fn from(i: IntervalArg) -> staffing::IntervalKind {
        match i {
            IntervalArg::HourOfWeek => staffing::IntervalKind::HourOfWeek,
            IntervalArg::Week => staffing::IntervalKind::Week,
        }
    }
}
