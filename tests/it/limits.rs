//! Absurd sizes are refused before anything runs, with the estimate; `--force` runs them.

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use triage_sim::planning::budget::{Limits, Work};
use triage_sim::replicate;

use crate::support::{kpi, scenario};

fn triage_sim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_triage-sim"))
        .args(args)
        .output()
        .expect("binary runs")
}

/// A one-channel scenario file in a temporary directory.
fn write_scenario(dir: &tempfile::TempDir, rate_per_hour: f64, horizon_hours: f64) -> String {
    let path = dir.path().join("big.toml");
    std::fs::write(
        &path,
        format!(
            r#"
horizon_hours = {horizon_hours}
replications = 4
[channels.calls]
kind = "call"
priority = 0
arrivals = {{ rate_per_hour = {rate_per_hour} }}
handle_time = {{ dist = "exponential", mean_s = 60 }}
patience = {{ dist = "exponential", mean_s = 60 }}
target = {{ answer_within_s = 10, fraction = 0.9 }}
[handlers]
count = 10
"#
        ),
    )
    .expect("write scenario");
    path.display().to_string()
}

#[test]
fn the_estimate_covers_the_contacts_actually_simulated_without_wild_excess() {
    let shipped = format!("{}/scenarios/default.toml", env!("CARGO_MANIFEST_DIR"));
    let mut s = triage_sim::Scenario::load(std::path::Path::new(&shipped)).expect("loads");
    s.replications = 2;
    let results = replicate(&s);
    let offered: f64 = results
        .channels
        .iter()
        .map(|(name, _)| kpi(&results, name, "offered").mean)
        .sum::<f64>()
        * 2.0;
    let estimated = Work::of(&s).contacts;
    assert!(
        estimated >= offered && estimated <= 2.0 * offered,
        "estimated {estimated} contacts, simulated {offered}"
    );
}

#[test]
fn limits_refuse_work_over_either_bound_and_say_by_how_much() {
    let s = scenario(
        r#"
horizon_hours = 8760
replications = 10
[channels.calls]
kind = "call"
priority = 0
arrivals = { rate_per_hour = 1000000 }
handle_time = { dist = "exponential", mean_s = 60 }
patience = { dist = "exponential", mean_s = 60 }
target = { answer_within_s = 10, fraction = 0.9 }
[handlers]
count = 20000
"#,
    );
    let work = Work::of(&s);
    // 8.76e10 calls, each looking across one queue (×1.025), and 20,000 handlers' shifts.
    let handlers = 20_000.0 * (0.2 + 0.05 * 365.0) * 10.0;
    assert!(
        (work.contacts - (8.76e10 * 1.025 + handlers)).abs() < 1e8,
        "{work:?}"
    );
    let refusal = Limits::default().check(&work, 2).expect_err("too big");
    let text = refusal.to_string();
    for needle in [
        "89.8 billion contacts",
        "channels.calls",
        "--force",
        "60 min",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from: {text}");
    }
    let generous = Limits {
        seconds: 1e9,
        bytes: 1e15,
    };
    assert!(generous.check(&work, 2).is_ok());
    let tight_memory = Limits {
        seconds: 1e9,
        bytes: 1.0,
    };
    assert!(tight_memory.check(&work, 2).is_err());
}

#[test]
fn a_million_calls_an_hour_is_refused_at_once_with_exit_code_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write_scenario(&dir, 1e6, 8760.0);
    let started = Instant::now();
    let out = triage_sim(&["run", &file]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(5), "refused late");
    assert!(
        stderr.contains("--force") && stderr.contains("contacts"),
        "{stderr}"
    );
    // A sweep of modest points whose sum is absurd is refused before the first point runs.
    let file = write_scenario(&dir, 3000.0, 87_600.0);
    let out = triage_sim(&[
        "sweep",
        &file,
        "--vary",
        "handlers.count=60..160",
        "--replications",
        "20",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("replications in all"), "{stderr}");
    // The same scenario is quick enough once: no refusal.
    assert_eq!(
        triage_sim(&["check", &file]).status.code(),
        Some(0),
        "check never refuses"
    );
}

#[test]
fn force_runs_what_the_limits_refuse() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write_scenario(&dir, 1e6, 8760.0);
    let mut child = Command::new(env!("CARGO_BIN_EXE_triage-sim"))
        .args(["run", &file, "--force", "--threads", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    std::thread::sleep(Duration::from_secs(2));
    let still_running = child.try_wait().expect("wait").is_none();
    child.kill().ok();
    let out = child.wait_with_output().expect("ends");
    assert!(
        still_running,
        "--force did not start the run: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn huge_sweep_grids_are_refused_before_they_are_built() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write_scenario(&dir, 300.0, 8760.0);
    // 10,000 × 10,000 points would not even fit in memory as a list of settings.
    let out = triage_sim(&[
        "sweep",
        &file,
        "--vary",
        "handlers.count=1..10000",
        "--vary",
        "channels.calls.arrivals.rate_per_hour=1..10000",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("a grid of 100000000 points; expected at most 100000"),
        "{stderr}"
    );
    // 100,000 points, each a year: refused from the grid's corners, before validating all.
    let out = triage_sim(&[
        "sweep",
        &file,
        "--vary",
        "handlers.count=1..1000",
        "--vary",
        "channels.calls.arrivals.rate_per_hour=1..100",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("400.0 thousand replications in all"),
        "{stderr}"
    );
}
