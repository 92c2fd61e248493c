//! `run --calls`: the per-call CSV of the first replication (issue #13), checked against the
//! same replication's KPIs, row by row.

use std::process::Command;

use triage_sim::stats::get;
use triage_sim::{Scenario, replicate};

const SCENARIO: &str = r#"name = "calls"
horizon_hours = 300
warmup_hours = 10
replications = 2
seed = 4
start_date = 2024-03-01
[channels.999]
kind = "call"
priority = 0
arrivals = { rate_per_hour = 30 }
handle_time = { dist = "exponential", mean_s = 240 }
patience = { dist = "exponential", mean_s = 60 }
target = { answer_within_s = 10, fraction = 0.9 }
[channels.101]
kind = "call"
priority = 1
arrivals = { rate_per_hour = 40 }
handle_time = { dist = "lognormal", mean_s = 400, sd_s = 300 }
patience = { dist = "exponential", mean_s = 200 }
target = { answer_within_s = 60, fraction = 0.8 }
redial = { probability = 0.5, delay = { dist = "exponential", mean_s = 300 } }
callback = { offer_when_waiting_over = 4, accept = 0.5, success = 0.8 }
[handlers]
count = 6
[triage]
officers = 2
channels = ["101"]
policy = "when_free"
handle_time = { dist = "exponential", mean_s = 90 }
resolve_fraction = 0.4
"#;

#[test]
fn every_counted_call_of_replication_zero_is_one_row() {
    let dir = tempfile::tempdir().unwrap();
    let (file, calls) = (dir.path().join("s.toml"), dir.path().join("calls.csv"));
    std::fs::write(&file, SCENARIO).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_triage-sim"))
        .args([
            "run",
            file.to_str().unwrap(),
            "--calls",
            calls.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&calls).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("channel,arrived,outcome,answered,ended,wait_s,handle_s,agent,caller")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let s = Scenario::from_toml_str(SCENARIO, "s.toml").unwrap();
    let rep0 = &replicate(&s).per_replication[0];
    for (c, channel) in ["999", "101"].iter().enumerate() {
        let count = |outcome: &str| {
            rows.iter()
                .filter(|r| r[0] == *channel && r[2] == outcome)
                .count() as f64
        };
        let k = |name: &str| get(&rep0.channels[c], name).unwrap_or(0.0);
        assert_eq!(count("answered"), k("answered"), "{channel} answered");
        assert_eq!(count("abandoned"), k("abandoned"), "{channel} abandoned");
        assert_eq!(
            count("resolved"),
            k("resolved_at_triage"),
            "{channel} resolved"
        );
        assert_eq!(count("callback_failed"), k("callbacks_failed"), "{channel}");
        let all = rows.iter().filter(|r| r[0] == *channel).count() as f64;
        assert_eq!(
            all + k("in_system"),
            k("offered"),
            "{channel}: every call but those left in the system"
        );
    }
    // Times are local date-times from the start date; waits agree with them; redials share
    // their caller's number.
    for r in &rows {
        assert!(r[1].starts_with("2024-03-"), "{r:?}");
        let wait: f64 = r[5].parse().unwrap();
        assert!(wait >= 0.0);
        if r[2] == "answered" {
            assert!(
                !r[3].is_empty() && !r[6].is_empty() && !r[7].is_empty(),
                "{r:?}"
            );
        }
    }
    let mut callers: Vec<&str> = rows
        .iter()
        .filter(|r| r[0] == "101")
        .map(|r| r[8])
        .collect();
    let attempts = callers.len();
    callers.sort_unstable();
    callers.dedup();
    assert!(
        callers.len() < attempts,
        "redials reuse the caller's number"
    );
}
