//! A force's own records, in and out: the per-call CSV (`docs/data.md`), which `run --calls`
//! writes from a simulated run.

pub mod calls;

pub use calls::{CALL_COLUMNS, CallsCsv};
