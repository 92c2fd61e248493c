//! The integration tests: one binary, one module per behaviour.

mod analytic;
mod callbacks;
mod calls_out;
mod changes;
mod charts;
mod cli;
mod conservation;
mod determinism;
mod flags;
mod flex_rules;
mod fuzz_corpus;
mod interrupts;
mod invariants;
mod layers;
mod limits;
mod planning;
mod published;
mod published_bases;
mod queueing_theory;
mod report;
mod scenario_errors;
mod shipped_scenarios;
mod support;
mod time_varying;
mod triage_team;
mod workforce;
