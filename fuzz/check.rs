//! What the `scenario` fuzz target checks for one input, shared with the corpus replay test
//! (`tests/it/fuzz_corpus.rs`), so the committed corpus is also checked on stable Rust.
//!
//! The input is scenario text. Leading comment lines `#set KEY=VALUE` are also applied as
//! `--set` flags, so one input exercises the file parser, the override editor and the
//! validator, and stays a plain TOML file. A scenario that validates and is small enough is
//! then simulated for one replication, and its callers must be conserved.

use std::str::FromStr;

use triage_sim::planning::budget::Work;
use triage_sim::scenario::{LoadError, Override, Scenario, offered_load};
use triage_sim::sim::RunOptions;
use triage_sim::stats::kpi::{Unit, unit_of};
use triage_sim::stats::{accounted_for, get, replication_kpis};

/// The name errors must carry, so a user can find the file.
const ORIGIN: &str = "fuzz.toml";

/// Largest estimated work (contacts) the target simulates; bigger valid inputs are only
/// loaded, so each input takes milliseconds.
const SIMULATE_UP_TO: f64 = 20_000.0;

/// Loads `data` as a scenario, then checks what triage-sim promises about it. Panics when a
/// promise is broken (that is what the fuzzer looks for).
pub fn check_scenario_bytes(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let overrides: Vec<Override> = text
        .lines()
        .map_while(|l| l.strip_prefix("#set "))
        .filter_map(|flag| Override::from_str(flag).ok())
        .collect();
    match Scenario::from_toml_str_with(text, ORIGIN, &overrides) {
        Err(e) => {
            let message = e.to_string();
            match e {
                LoadError::Invalid(_) => assert!(
                    message.contains(ORIGIN) || message.contains("--set"),
                    "an error that names neither the file nor the flag: {message}"
                ),
                LoadError::Override { .. } => {
                    assert!(
                        message.contains('='),
                        "a flag error without the flag: {message}"
                    )
                }
                LoadError::Io { .. } => unreachable!("no file is read"),
            }
        }
        Ok(mut s) => {
            let load = offered_load(&s);
            assert!(
                load.handler_erlangs
                    .iter()
                    .all(|e| e.is_finite() && *e >= 0.0)
            );
            s.replications = 1;
            let work = Work::of(&s);
            assert!(
                work.contacts.is_finite() && work.contacts >= 0.0,
                "{work:?}"
            );
            assert!(work.bytes(1).is_finite(), "{work:?}");
            if work.contacts <= SIMULATE_UP_TO {
                simulate_and_check(&s);
            }
        }
    }
}

/// One replication: every caller accounted for, rates in [0, 1], waits finite and ≥ 0, and
/// the same KPIs when every call's end is an event (no lazy completions: asking for the
/// number-in-system distribution turns them off).
fn simulate_and_check(s: &Scenario) {
    let tally = triage_sim::sim::run(s, 0);
    let kpis = replication_kpis(s, &tally);
    let eager = RunOptions {
        track_in_system: true,
        ..RunOptions::default()
    };
    let every_end = replication_kpis(s, &triage_sim::sim::run_with(s, 0, eager));
    assert_eq!(
        format!("{kpis:?}"),
        format!("{every_end:?}"),
        "lazy completions changed the run"
    );
    for (c, k) in kpis.channels.iter().enumerate() {
        let offered = get(k, "offered").unwrap_or(0.0);
        let name = &s.channels[c].name;
        assert_eq!(offered, accounted_for(k), "channel {name}: {k:?}");
        for (name, value) in k {
            if value.is_nan() {
                continue; // Undefined (no calls to average over).
            }
            assert!(value.is_finite() && *value >= 0.0, "{name} = {value}");
            // Every share in the KPI table (service levels, rates, occupancy) is at most 1.
            let is_share = unit_of(name) == Unit::Share;
            assert!(!is_share || *value <= 1.0, "{name} = {value}");
        }
    }
    for (name, value) in &kpis.handlers {
        assert!(
            value.is_nan() || (*value >= 0.0 && value.is_finite()),
            "{name} = {value}"
        );
    }
    if let Some(occupancy) = get(&kpis.handlers, "occupancy") {
        assert!(
            occupancy.is_nan() || occupancy <= 1.0 + 1e-9,
            "occupancy {occupancy}"
        );
    }
}
