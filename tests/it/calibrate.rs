//! `triage-sim calibrate`: a grid against figures finds the values that produced them.

use crate::support::{log_calls, stdout_of, triage_sim};

/// A figures file for the Erlang A reference case (mm14: 14 agents, patience 300 s), in a
/// temporary folder beside a copy of the scenario.
fn erlang_a_figures() -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let scenario = dir.path().join("mm14.toml");
    std::fs::copy(root.join("scenarios/mm14-patience.toml"), &scenario).unwrap();
    let figure = |name: &str, kpi: &str, value: f64, tolerance: f64| {
        format!(
            "[[figure]]\nname = \"{name}\"\nscenario = \"mm14.toml\"\nkpi = \"channels.calls.{kpi}\"\nvalue = {value}\ntolerance = {tolerance}\nsource = \"Erlang A\"\n"
        )
    };
    let text = [
        figure("answered within 20 s", "service_level", 0.91679, 0.01),
        figure("asa", "asa_s", 4.195, 0.5),
        figure("abandonment", "abandonment_rate", 0.013984, 0.002),
    ]
    .concat();
    let file = dir.path().join("figures.toml");
    std::fs::write(&file, text).unwrap();
    let (f, s) = (file.display().to_string(), scenario.display().to_string());
    (dir, f, s)
}

#[test]
fn calibrate_recovers_the_agents_and_patience_behind_erlang_a_figures() {
    let (_dir, figures, _) = erlang_a_figures();
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "calibrate",
        "--target",
        &figures,
        "--vary",
        "handlers.count=12..16",
        "--vary",
        "channels.calls.patience.mean_s=200..400:100",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(v["points"].as_array().unwrap().len(), 15);
    let agents = &v["fitted"]["handlers.count"];
    assert_eq!(agents["value"], 14.0, "{v}");
    assert_eq!(
        (agents["low"].as_f64(), agents["high"].as_f64()),
        (Some(14.0), Some(14.0))
    );
    let patience = &v["fitted"]["channels.calls.patience.mean_s"];
    assert_eq!(patience["value"], 300.0, "{v}");
    assert_eq!(v["best"]["within"], 3);
    // Other points fit measurably worse: a wrong agent count misses by many tolerances.
    let worst = v["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["distance"].as_f64().unwrap())
        .fold(0.0, f64::max);
    assert!(worst > 10.0, "{worst}");
    assert_eq!(v["figures"]["total"], 3);
}

#[test]
fn calibrate_tables_and_refusals() {
    let (_dir, figures, scenario) = erlang_a_figures();
    let text = stdout_of(&[
        "calibrate",
        &scenario,
        "--target",
        &figures,
        "--vary",
        "handlers.count=13..15",
        "--replications",
        "4",
    ]);
    assert!(
        text.contains("3 figures): 3 points, common random numbers"),
        "{text}"
    );
    assert!(text.contains("Best:\n  handlers.count = 14"), "{text}");
    assert!(text.contains("3 of 3 figures within tolerance"), "{text}");

    let other = triage_sim(&[
        "calibrate",
        &format!("{}/scenarios/default.toml", env!("CARGO_MANIFEST_DIR")),
        "--target",
        &figures,
        "--vary",
        "handlers.count=13..15",
    ]);
    assert_eq!(other.status.code(), Some(2));
    let e = String::from_utf8_lossy(&other.stderr);
    assert!(
        e.contains("default.toml: no figure in") && e.contains("names this scenario"),
        "{e}"
    );

    let big = triage_sim(&[
        "calibrate",
        "--target",
        &figures,
        "--vary",
        "handlers.count=1..100",
        "--vary",
        "channels.calls.patience.mean_s=1..100",
    ]);
    assert_eq!(big.status.code(), Some(2));
    let e = String::from_utf8_lossy(&big.stderr);
    assert!(
        e.contains("--vary: 10000 grid points; expected at most 2000"),
        "{e}"
    );

    let bad = triage_sim(&[
        "calibrate",
        "--target",
        &figures,
        "--vary",
        "handlers.count=-2..0",
    ]);
    assert_eq!(
        bad.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}

#[test]
fn calibrate_fits_a_scenario_to_a_force_s_own_records() {
    // A log of mm14 (14 handlers, patience 300 s) with seed 42; the scenario calibrated to it
    // runs with another seed, so the log is an independent replication.
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mm14 = root.join("scenarios/mm14-patience.toml");
    let calls = dir.path().join("calls.csv");
    log_calls(
        mm14.to_str().unwrap(),
        &calls,
        &["--set", "horizon_hours=500", "--replications", "2"],
    );
    let scenario = dir.path().join("mm.toml");
    let text = std::fs::read_to_string(&mm14)
        .unwrap()
        .replace("seed = 42", "seed = 7");
    std::fs::write(&scenario, text).unwrap();
    let (s, c) = (scenario.to_str().unwrap(), calls.to_str().unwrap());
    let out = stdout_of(&[
        "calibrate",
        s,
        "--data",
        c,
        "--vary",
        "handlers.count=11..17",
        "--vary",
        "channels.calls.patience.mean_s=200..400:100",
        "--replications",
        "8",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let value = |key: &str| v["fitted"][key]["value"].as_f64().unwrap_or(f64::NAN);
    assert_eq!(value("handlers.count"), 14.0, "{v}");
    assert_eq!(value("channels.calls.patience.mean_s"), 300.0, "{v}");
    // Exactly one scenario, and --target or --data, not both.
    let refused = |args: &[&str]| {
        let out = triage_sim(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    };
    refused(&["calibrate", "--data", c, "--vary", "handlers.count=13..14"]);
    refused(&[
        "calibrate",
        s,
        s,
        "--data",
        c,
        "--vary",
        "handlers.count=13..14",
    ]);
    refused(&[
        "calibrate",
        s,
        "--data",
        c,
        "--target",
        c,
        "--vary",
        "handlers.count=13..14",
    ]);
    refused(&[
        "calibrate",
        s,
        "--staffing",
        c,
        "--vary",
        "handlers.count=13..14",
    ]);
}
