//! `rota`: shifts designed for the hourly requirement, written as scenario groups that run
//! back with the coverage promised.

use crate::support::triage_sim;

/// M/M/n demand with a weekday daytime peak, a pool of 40 and no shrinkage.
const PEAKED: &str = r#"
name = "peaked"
start_date = 2024-01-01
horizon_hours = 2016
warmup_hours = 24
replications = 4
seed = 3
[profiles.office]
hour_of_day = [1,1,1,1,1,1,2,3,4,4,4,4,4,4,4,4,3,2,1,1,1,1,1,1]
[channels.calls]
kind = "call"
priority = 0
arrivals = { rate_per_hour = 120, profile = "office" }
handle_time = { dist = "exponential", mean_s = 240 }
patience = { dist = "exponential", mean_s = 300 }
target = { answer_within_s = 20, fraction = 0.8 }
[handlers]
count = 40
"#;

/// Runs the written scenario: the mean handlers on duty in each hour of the week.
fn run_back(written: &std::path::Path) -> Vec<f64> {
    let run = triage_sim(&["run", written.to_str().unwrap(), "--format", "json"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    r["intervals"]["hour_of_week"]["handlers"]["mean_staffed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|cell| cell["mean"].as_f64().unwrap())
        .collect()
}

#[test]
fn the_written_rota_runs_back_with_the_coverage_it_promised() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("peaked.toml");
    std::fs::write(&file, PEAKED).unwrap();
    let written = dir.path().join("rota.toml");
    let picture = dir.path().join("rota.svg");
    let out = triage_sim(&[
        "rota",
        file.to_str().unwrap(),
        "--scenario-out",
        written.to_str().unwrap(),
        "--chart",
        picture.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rota = &v["rota"];
    let required: Vec<f64> = rota["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    let covered: Vec<f64> = rota["covered"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert_eq!((required.len(), covered.len()), (168, 168));
    let svg = std::fs::read_to_string(&picture).unwrap();
    crate::charts::assert_legends_clear_of_data(&svg);
    crate::charts::assert_svg(
        &svg,
        &[
            "peaked: designed rota",
            "LP bound",
            "needed (hourly requirement)",
            "rota: expected on the phones",
            "every hour covered",
            "Mon",
        ],
    );
    assert!(
        required.iter().zip(&covered).all(|(r, c)| c + 1e-9 >= *r),
        "every hour covered"
    );
    let (fte, bound) = (
        rota["fte"].as_f64().unwrap(),
        rota["lp_bound_fte"].as_f64().unwrap(),
    );
    assert!(
        fte >= bound - 1e-6 && fte <= bound * 1.15 + 1.0,
        "{fte} vs the LP bound {bound}"
    );
    // Run the written scenario: handlers on duty per hour of the week are the rota's coverage
    // (no shrinkage, so exactly, apart from a call in hand at a shift's end).
    let cells = run_back(&written);
    assert_eq!(cells.len(), 168);
    for (h, &staffed) in cells.iter().enumerate() {
        assert!(
            staffed + 1e-9 >= covered[h] && staffed <= covered[h] + 1.0,
            "hour {h}: {staffed} on duty, the rota promised {}",
            covered[h]
        );
    }
}

#[test]
fn meal_breaks_are_placed_in_their_window_and_run_back_as_promised() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("breaks.toml");
    let text =
        format!("{PEAKED}meal_break_window = {{ minutes = 30, from_hours = 3, to_hours = 5 }}\n");
    std::fs::write(&file, text).unwrap();
    let written = dir.path().join("rota.toml");
    let out = triage_sim(&[
        "rota",
        file.to_str().unwrap(),
        "--scenario-out",
        written.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rota = &v["rota"];
    // Every shift (8, 10 or 12 hours) has room for the window: each has its break in it.
    for shift in rota["shifts"].as_array().unwrap() {
        let after = shift["meal_break"]["after_hours"].as_u64().unwrap();
        assert!((3..=5).contains(&after), "{shift}");
        assert_eq!(shift["meal_break"]["minutes"], 30.0);
    }
    let numbers = |key: &str| -> Vec<f64> {
        rota[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect()
    };
    let (required, covered) = (numbers("required"), numbers("covered"));
    assert!(required.iter().zip(&covered).all(|(r, c)| c + 1e-9 >= *r));
    let (fte, bound) = (
        rota["fte"].as_f64().unwrap(),
        rota["lp_bound_fte"].as_f64().unwrap(),
    );
    assert!(fte <= bound * 1.15 + 1.0, "{fte} vs the LP bound {bound}");
    let scenario = std::fs::read_to_string(&written).unwrap();
    assert!(
        scenario.contains("meal_break = { after_hours = "),
        "{scenario}"
    );
    // Run back: on duty per hour is the promised coverage, breaks included (a handler busy
    // when its break comes goes a few minutes later, so within one handler).
    let cells = run_back(&written);
    for (h, &staffed) in cells.iter().enumerate() {
        assert!(
            (staffed - covered[h]).abs() <= 1.0,
            "hour {h}: {staffed} on duty, the rota promised {}",
            covered[h]
        );
    }
}

#[test]
fn max_shifts_caps_the_rota_lines_and_a_cap_too_small_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("peaked.toml");
    std::fs::write(&file, PEAKED).unwrap();
    let rota = |extra: &[&str]| {
        let mut args = vec!["rota", file.to_str().unwrap(), "--format", "json"];
        args.extend_from_slice(extra);
        triage_sim(&args)
    };
    let lines = |out: &std::process::Output| -> (usize, f64, f64) {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let r = &v["rota"];
        (
            r["shifts"].as_array().unwrap().len(),
            r["fte"].as_f64().unwrap(),
            r["lp_bound_fte"].as_f64().unwrap(),
        )
    };
    let (free, _, bound) = lines(&rota(&[]));
    assert!(free > 3, "{free} lines without a cap");
    let capped = rota(&["--max-shifts", "3"]);
    let (n, fte, capped_bound) = lines(&capped);
    assert!(n <= 3, "{n} lines");
    assert!(fte >= bound - 1e-6 && (capped_bound - bound).abs() < 1e-6);
    let v: serde_json::Value = serde_json::from_slice(&capped.stdout).unwrap();
    assert_eq!(v["rota"]["max_shifts"], 3);
    // The table says it; the check by simulation still meets the target.
    let table = triage_sim(&["rota", file.to_str().unwrap(), "--max-shifts", "3"]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("rota of at most 3 distinct shifts"), "{text}");
    assert!(
        text.contains("(the LP bound, with any number of shifts)"),
        "{text}"
    );
    // Zero is no rota; one 8-hour crew cannot cover the clock: both exit 2 with a reason.
    let zero = rota(&["--max-shifts", "0"]);
    assert_eq!(zero.status.code(), Some(2));
    let one = rota(&["--max-shifts", "1", "--shift-lengths", "8"]);
    assert_eq!(one.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&one.stderr).contains("--max-shifts 1: no rota of so few"),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
}
