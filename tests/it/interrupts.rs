//! Ctrl-C stops a long command promptly, says how far it got and leaves no half-written file.
#![cfg(unix)]

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A yardstick-like scenario whose every replication simulates `years` years.
fn write_scenario(dir: &Path, years: u32) -> String {
    let path = dir.join("long.toml");
    std::fs::write(
        &path,
        format!(
            r#"
horizon_hours = {}
replications = 2
[channels.calls]
kind = "call"
priority = 0
arrivals = {{ rate_per_hour = 300 }}
handle_time = {{ dist = "exponential", mean_s = 240 }}
patience = {{ dist = "exponential", mean_s = 120 }}
target = {{ answer_within_s = 10, fraction = 0.9 }}
[handlers]
count = 25
"#,
            years * 8760
        ),
    )
    .expect("write scenario");
    path.display().to_string()
}

fn start(args: &[&str], dir: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_triage-sim"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts")
}

/// Sends SIGINT after `after`, as Ctrl-C does, and returns the output and how long it took
/// to stop.
fn interrupt(child: Child, after: Duration) -> (Output, Duration) {
    std::thread::sleep(after);
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success(), "the command ended before the interrupt");
    let sent = Instant::now();
    let out = child.wait_with_output().expect("ends");
    (out, sent.elapsed())
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn ctrl_c_stops_a_sweep_inside_a_long_point_and_writes_no_csv() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Each point simulates 2 × 50 years (over 20 s even on a fast machine), so stopping within
    // 10 s shows the engine itself honours the interrupt, not just the loop over points.
    let file = write_scenario(dir.path(), 50);
    let child = start(
        &[
            "sweep",
            &file,
            "--vary",
            "handlers.count=25..30",
            "--format",
            "csv",
            "--out",
            "sweep.csv",
        ],
        dir.path(),
    );
    let (out, took) = interrupt(child, Duration::from_millis(1500));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(took < Duration::from_secs(10), "took {took:?} to stop");
    assert!(
        stderr.contains("interrupted: 0 of 6 sweep points finished"),
        "{stderr}"
    );
    assert!(stderr.contains("sweep.csv was not written"), "{stderr}");
    assert_eq!(files_in(dir.path()), ["long.toml"], "left files behind");
}

#[test]
fn an_interrupted_sweep_keeps_its_finished_points_whole_beside_the_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Short points: several finish before the interrupt.
    let file = write_scenario(dir.path(), 1);
    let child = start(
        &[
            "sweep",
            &file,
            "--vary",
            "handlers.count=25..400",
            "--format",
            "csv",
            "--out",
            "sweep.csv",
        ],
        dir.path(),
    );
    let (out, _) = interrupt(child, Duration::from_millis(2500));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    let finished: usize = stderr
        .split("interrupted: ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no progress in: {stderr}"));
    let files = files_in(dir.path());
    if finished == 0 {
        assert_eq!(files, ["long.toml"], "{stderr}");
        return;
    }
    assert_eq!(files, ["long.toml", "sweep.partial.csv"], "{stderr}");
    assert!(stderr.contains("finished points are in sweep.partial.csv"));
    // Whole points only: the header, then the same number of rows for each point.
    let text = std::fs::read_to_string(dir.path().join("sweep.partial.csv")).expect("read");
    let rows: Vec<&str> = text.lines().skip(1).collect();
    assert!(text.starts_with("handlers.count,"), "{text}");
    assert_eq!(rows.len() % finished, 0, "{} rows", rows.len());
    let points: std::collections::BTreeSet<&str> =
        rows.iter().filter_map(|r| r.split(',').next()).collect();
    assert_eq!(points.len(), finished);
}

#[test]
fn ctrl_c_during_run_exits_130_without_touching_the_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write_scenario(dir.path(), 50);
    std::fs::write(dir.path().join("old.json"), "previous results").expect("write");
    let child = start(
        &["run", &file, "--format", "json", "--out", "old.json"],
        dir.path(),
    );
    let (out, took) = interrupt(child, Duration::from_millis(1500));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(took < Duration::from_secs(10), "took {took:?} to stop");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(out.stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("old.json")).expect("read"),
        "previous results"
    );
    assert_eq!(files_in(dir.path()), ["long.toml", "old.json"]);
}

/// The progress counter a display reads ends at exactly the simulated time of every
/// replication, and the results do not depend on it.
#[test]
fn the_engine_reports_its_simulated_time_for_progress() {
    use std::sync::atomic::{AtomicU64, Ordering};
    static DONE_S: AtomicU64 = AtomicU64::new(0);
    let mut s = triage_sim::Scenario::default_scenario();
    s.replications = 3;
    s.horizon = triage_sim::time::SimTime::from_hours(24.0 * 30.0);
    let reporting = triage_sim::stats::Runner::default()
        .reporting_to(&DONE_S)
        .replicate(&s);
    assert_eq!(DONE_S.load(Ordering::Relaxed), 3 * 24 * 30 * 3600);
    let plain = triage_sim::replicate(&s);
    assert_eq!(
        triage_sim::report::results_json(&reporting, false),
        triage_sim::report::results_json(&plain, false)
    );
}
