//! Every caller is accounted for, and staffing variants see the same callers.

use triage_sim::stats::{accounted_for, get};
use triage_sim::{Scenario, replicate};

use crate::support::scenario;

/// offered = answered + abandoned + resolved at triage + still in system + dropped, per
/// replication and channel, exactly; and offered = first attempts + redials. `in_system` is counted independently by scanning the engine's callers.
pub fn assert_conserved(s: &Scenario, results: &triage_sim::Results) {
    for (r, rep) in results.per_replication.iter().enumerate() {
        for (c, k) in rep.channels.iter().enumerate() {
            let g = |name| get(k, name).unwrap_or(0.0);
            assert_eq!(
                g("offered"),
                accounted_for(k),
                "replication {r}, channel {}: {k:?}",
                s.channels[c].name
            );
            assert!(g("first_answered") <= g("offered"));
            assert_eq!(g("offered"), g("first_attempts") + g("redials"));
            assert_eq!(g("unique_callers"), g("first_attempts"));
        }
    }
}

#[test]
fn callers_are_conserved_in_the_default_scenario() {
    let mut s = Scenario::default_scenario();
    s.replications = 4;
    let results = replicate(&s);
    assert_conserved(&s, &results);
}

#[test]
fn callers_are_conserved_under_overload_and_queued_triage() {
    let s = scenario(
        r#"
horizon_hours = 300
warmup_hours = 5
replications = 4
[channels.999]
kind = "call"
priority = 0
arrivals = { rate_per_hour = 50 }
handle_time = { dist = "exponential", mean_s = 300 }
patience = { dist = "exponential", mean_s = 60 }
target = { answer_within_s = 10, fraction = 0.9 }
[channels.101]
kind = "call"
priority = 1
arrivals = { rate_per_hour = 100 }
handle_time = { dist = "exponential", mean_s = 500 }
patience = { dist = "deterministic", value_s = 120 }
target = { answer_within_s = 60, fraction = 0.8 }
[handlers]
count = 5
[triage]
officers = 1
channels = ["101"]
policy = "queue"
handle_time = { dist = "exponential", mean_s = 90 }
resolve_fraction = 0.2
escalate_fraction = 0.2
"#,
    );
    let results = replicate(&s);
    assert_conserved(&s, &results);
    // Heavily overloaded: many hang up, at both stages.
    let k = &results.per_replication[0].channels[1];
    assert!(get(k, "abandoned").unwrap() > 1000.0);
    assert!(get(k, "abandoned_after_triage").unwrap() > 0.0);
}

#[test]
fn staffing_variants_see_the_same_callers() {
    let mut a = Scenario::default_scenario();
    a.replications = 3;
    let mut b = a.clone();
    b.handlers.count += 5;
    let (ra, rb) = (replicate(&a), replicate(&b));
    for (x, y) in ra.per_replication.iter().zip(&rb.per_replication) {
        for (cx, cy) in x.channels.iter().zip(&y.channels) {
            assert_eq!(
                get(cx, "offered"),
                get(cy, "offered"),
                "common random numbers: same arrivals"
            );
        }
    }
    let sl = |r: &triage_sim::Results| crate::support::kpi(r, "999", "service_level").mean;
    assert!(
        sl(&rb) >= sl(&ra),
        "more handlers never hurt the 999 service level here"
    );
}
