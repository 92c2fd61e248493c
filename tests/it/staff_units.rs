//! `staff` in the units and layouts a planner builds rotas from: the 24 × 7 grid, and answers
//! that say what they measured.

use crate::support::{stdout_of, triage_sim};

fn default_scenario() -> String {
    format!("{}/scenarios/default.toml", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_grid_is_the_hourly_requirement_laid_out_by_hour_and_day() {
    let d = default_scenario();
    let base = [
        "staff",
        d.as_str(),
        "--by-interval",
        "--replications",
        "2",
        "--set",
        "horizon_hours=1344",
        "--set",
        "warmup_hours=24",
        "--format",
        "csv",
    ];
    let list = stdout_of(&base);
    let mut with_grid = base.to_vec();
    with_grid.push("--grid");
    let grid = stdout_of(&with_grid);
    // The list: hour_of_week,offered_erlangs,isa,… in hour-of-week order, Monday 00:00 first.
    let isa: Vec<u32> = list
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap().parse().unwrap())
        .collect();
    assert_eq!(isa.len(), 168);
    let lines: Vec<&str> = grid.lines().collect();
    assert_eq!(lines[0], "measure,hour,Mon,Tue,Wed,Thu,Fri,Sat,Sun");
    assert_eq!(lines.len(), 1 + 3 * 24);
    for (hour, line) in lines[1..25].iter().enumerate() {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(
            (cells[0], cells[1]),
            ("needed", format!("{hour:02}:00").as_str())
        );
        for day in 0..7 {
            assert_eq!(cells[2 + day].parse::<u32>().unwrap(), isa[day * 24 + hour]);
        }
    }
    assert!(lines[25].starts_with("rota,00:00,") && lines[49].starts_with("gap,00:00,"));
}

#[test]
fn interval_staffing_refuses_a_run_that_never_sees_some_hours() {
    let d = default_scenario();
    let out = triage_sim(&["staff", &d, "--by-interval", "--set", "horizon_hours=96"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--by-interval: the run observes 48 h"),
        "{err}"
    );
}

#[test]
fn an_every_interval_answer_says_which_figure_is_per_interval() {
    let m = format!(
        "{}/scenarios/mm14-patience.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = stdout_of(&[
        "staff",
        &m,
        "--every-interval",
        "week",
        "--replications",
        "4",
        "--set",
        "horizon_hours=1000",
    ]);
    assert!(
        text.contains("every target met on average in every week; met in every channel and every week within one replication in"),
        "{text}"
    );
    let json = stdout_of(&[
        "staff",
        &m,
        "--every-interval",
        "week",
        "--replications",
        "4",
        "--set",
        "horizon_hours=1000",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["every_interval"], "week");
    assert!(v["fte_needed"].as_f64().unwrap() > 0.0);
}

#[test]
fn check_counts_only_the_calls_that_arrive_while_triage_is_on_duty() {
    // 12 hours of triage a day, flat demand, no shrinkage: half the calls can be intercepted.
    let text = r#"
horizon_hours = 24
[channels.c]
kind = "call"
priority = 0
arrivals = { rate_per_hour = 10 }
handle_time = { dist = "exponential", mean_s = 60 }
patience = { dist = "exponential", mean_s = 600 }
target = { answer_within_s = 10, fraction = 0.8 }
[handlers]
count = 5
[triage]
officers = 3
channels = ["c"]
policy = "queue"
open = "08:00"
close = "20:00"
handle_time = { dist = "exponential", mean_s = 60 }
resolve_fraction = 0.5
"#;
    let s = triage_sim::Scenario::from_toml_str(text, "t.toml").unwrap();
    let load = triage_sim::scenario::offered_load(&s);
    assert!(
        (load.intercept_share - 0.5).abs() < 1e-12,
        "{}",
        load.intercept_share
    );
    // Half intercepted, half of those resolved: three quarters reach the handlers.
    assert!((load.forward_share[0] - 0.75).abs() < 1e-12);
}

#[test]
fn a_staffing_answer_at_a_stated_risk_adds_replications_where_it_is_close() {
    let m = format!(
        "{}/scenarios/mm14-patience.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let short = ["--set", "horizon_hours=500", "--set", "warmup_hours=10"];
    let mut args = vec!["staff", m.as_str(), "--risk", "0.1", "--format", "json"];
    args.extend(short);
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&args)).unwrap();
    assert_eq!(v["risk"], 0.1);
    let needed = v["handlers_needed"].as_u64().unwrap();
    let curve = v["curve"].as_array().unwrap();
    let at = |h: u64| curve.iter().find(|c| c["handlers"] == h).unwrap();
    // The answer's Wilson interval lies at or above 90%; one fewer's lies below.
    assert!(
        at(needed)["p_met_ci"][0].as_f64().unwrap() >= 0.9,
        "{}",
        at(needed)
    );
    assert!(at(needed)["replications"].as_u64().unwrap() >= 32);
    let fewer = at(needed - 1);
    assert!(
        fewer["p_met_ci"][1].as_f64().unwrap() < 0.9 || fewer["resolved"] == false,
        "{fewer}"
    );
    let bad = triage_sim(&["staff", &m, "--risk", "1.5"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("expected a risk between 0 and 1"));
}

#[test]
fn recruits_in_training_are_worth_less_than_handlers_in_post() {
    // A stricter 999 target on the 2024 scenario: the handlers added as recruits spend their
    // first weeks in training, so more are needed than if they were in post on day one.
    let d = default_scenario();
    let args = |recruits: bool| {
        let mut a = vec![
            "staff",
            d.as_str(),
            "--replications",
            "2",
            "--channel",
            "999",
            "--set",
            "channels.999.target.fraction=0.97",
            "--format",
            "json",
        ];
        if recruits {
            a.push("--as-recruits");
        }
        let v: serde_json::Value = serde_json::from_str(&stdout_of(&a)).unwrap();
        v["handlers_added"].as_i64().unwrap()
    };
    let (in_post, recruits) = (args(false), args(true));
    assert!(in_post > 0, "{in_post}");
    assert!(recruits > in_post, "recruits {recruits}, in post {in_post}");
    let m = format!(
        "{}/scenarios/mm14-patience.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = triage_sim(&["staff", &m, "--as-recruits"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--as-recruits trains new handlers"));
}

#[test]
fn erlang_b_on_the_command_line() {
    // 10 Erlangs on 15 lines block 3.65% (Erlang B tables); 1% blocking needs 18 lines.
    let text = stdout_of(&[
        "erlang",
        "--loss",
        "--rate-per-hour",
        "600",
        "--aht-s",
        "60",
        "--agents",
        "15",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(
        (v["p_block"].as_f64().unwrap() - 0.036_497).abs() < 1e-5,
        "{v}"
    );
    let csv = stdout_of(&[
        "erlang",
        "--loss",
        "--rate-per-hour",
        "600",
        "--aht-s",
        "60",
        "--max-blocking",
        "0.01",
        "--format",
        "csv",
    ]);
    assert!(csv.contains("agents,18\n"), "{csv}");
    let bad = triage_sim(&[
        "erlang",
        "--loss",
        "--rate-per-hour",
        "600",
        "--aht-s",
        "60",
        "--max-blocking",
        "2",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--max-blocking must be a probability"));
}
