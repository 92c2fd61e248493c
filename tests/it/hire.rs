//! `hire`: recruitment plans month by month.

use crate::support::stdout_of;

/// Erlang C's 14-agent case (200 calls/h, AHT 180 s, 80% in 20 s) with 12 in post (11 and a
/// past recruit, whose 4-week training is copied); three months, no attrition.
const SHORT_STAFFED: &str = r#"
name = "short-staffed"
start_date = 2024-01-01
horizon_hours = 2184
warmup_hours = 24
replications = 8
seed = 11
[channels.calls]
kind = "call"
priority = 0
arrivals = { rate_per_hour = 200 }
handle_time = { dist = "exponential", mean_s = 180 }
target = { answer_within_s = 20, fraction = 0.8 }
[handlers.groups.desk]
headcount = 11
channels = ["calls"]
[[handlers.hires]]
group = "desk"
start_date = 2023-06-01
count = 1
training_weeks = 4
ramp_weeks = 0
"#;

#[test]
fn a_stationary_shortfall_is_recruited_once_as_early_as_training_allows() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("short.toml");
    std::fs::write(&file, SHORT_STAFFED).unwrap();
    let picture = dir.path().join("hire.svg");
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "hire",
        file.to_str().unwrap(),
        "--format",
        "json",
        "--chart",
        picture.to_str().unwrap(),
    ]))
    .unwrap();
    // Erlang C needs 14 against 12 in post: a gap of 2 (a month's mean may need one more).
    let total = v["recruits_total"].as_u64().unwrap();
    assert!((2..=3).contains(&total), "{v}");
    let intakes = v["intakes"].as_array().unwrap();
    assert_eq!(intakes.len(), 1, "{v}");
    assert_eq!(intakes[0]["start_date"], "2024-01-01");
    // January cannot be met (training takes four weeks); February and March are.
    let months = v["months"].as_array().unwrap();
    assert_eq!(months[0]["unreachable"], true);
    assert!(months[1..].iter().all(|m| m["met"] == true), "{v}");
    assert!(months[1]["service_level"]["mean"].as_f64().unwrap() >= 0.8);
    assert!(months[0]["in_training"].as_u64().unwrap() == total);
    assert!(months[1]["on_phones_fte"].as_f64().unwrap() >= 14.0 - 1e-9);
    assert_eq!(v["channel"], "calls");
    // The chart: the intake marked, months labelled, January grey (training cannot reach it).
    let svg = std::fs::read_to_string(&picture).unwrap();
    crate::charts::assert_legends_clear_of_data(&svg);
    crate::charts::assert_svg(
        &svg,
        &[
            "short-staffed: recruitment plan",
            &format!("+{total}"),
            "2024-01",
            "2024-03",
            "calls service level",
            "grey: training cannot reach it",
            "fill=\"#969696\"",
        ],
    );
}

/// The short-staffed case over four months (January to April), 4 replications.
fn four_months() -> String {
    SHORT_STAFFED
        .replace("horizon_hours = 2184", "horizon_hours = 2904")
        .replace("replications = 8", "replications = 4")
}

/// `hire` on [`four_months`] with `extra` flags, as JSON.
fn four_month_plan(extra: &[&str]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("four.toml");
    std::fs::write(&file, four_months()).unwrap();
    let mut args = vec!["hire", file.to_str().unwrap(), "--format", "json"];
    args.extend_from_slice(extra);
    serde_json::from_str(&stdout_of(&args)).unwrap()
}

fn total(v: &serde_json::Value) -> u64 {
    assert_no_baseline_beats(v);
    v["recruits_total"].as_u64().unwrap()
}

/// No baseline meets every reachable month with fewer recruits than the plan.
fn assert_no_baseline_beats(v: &serde_json::Value) {
    for b in v["baselines"].as_array().unwrap() {
        if b["months_met"] == b["months_reachable"] {
            assert!(
                b["recruits_total"].as_u64() >= v["recruits_total"].as_u64(),
                "{b} beats the plan: {v}"
            );
        }
    }
}

#[test]
fn the_scenarios_own_later_cohort_is_in_training_then_in_post_by_its_dates() {
    // Three more recruits start on 1 February with four weeks' training (trained 29 February).
    let text = four_months()
        + "[[handlers.hires]]\ngroup = \"desk\"\nstart_date = 2024-02-01\ncount = 3\ntraining_weeks = 4\nramp_weeks = 0\n";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cohort.toml");
    std::fs::write(&file, text).unwrap();
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "hire",
        file.to_str().unwrap(),
        "--format",
        "json",
    ]))
    .unwrap();
    // Expected heads at each month's start (days 0, 31, 60, 91), no attrition: the 12 in post,
    // the cohort by its dates and the plan's own intakes (trained as the cohort is, 28 days).
    let intakes: Vec<(i64, u64)> = v["intakes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["start_day"].as_i64().unwrap(),
                i["count"].as_u64().unwrap(),
            )
        })
        .collect();
    let months = v["months"].as_array().unwrap();
    for (m, day) in [0i64, 31, 60, 91].into_iter().enumerate() {
        let mut post = 12;
        let mut training = 0;
        for (start, count) in intakes.iter().copied().chain([(31, 3)]) {
            if start + 28 <= day {
                post += count;
            } else if start <= day {
                training += count;
            }
        }
        assert_eq!(
            months[m]["in_post"].as_f64(),
            Some(post as f64),
            "month {m}: {v}"
        );
        assert_eq!(
            months[m]["in_training"].as_u64(),
            Some(training),
            "month {m}: {v}"
        );
    }
}

#[test]
fn with_attrition_the_plan_recruits_the_gap_and_the_expected_leavers() {
    let still = four_month_plan(&[]);
    let leaving = four_month_plan(&["--set", "handlers.attrition_per_year=0.8"]);
    // 12 in post leaving at 0.8 a year: by April's start (day 91) 12 (1 − e^(−0.8·91/365.25))
    // = 2.17 expected leavers, on top of the gap of 2.
    assert_eq!(total(&still), 2, "{still}");
    let leavers = 12.0 * (1.0 - (-0.8 * 91.0 / 365.25f64).exp());
    let t = total(&leaving) as f64;
    assert!(
        t >= 2.0 + leavers.floor() && t <= 2.0 + leavers.ceil() + 1.0,
        "{t} recruits against a gap of 2 and {leavers:.2} leavers: {leaving}"
    );
    let months = leaving["months"].as_array().unwrap();
    assert!(months[1..].iter().all(|m| m["met"] == true), "{leaving}");
}

#[test]
fn a_higher_target_never_needs_fewer_recruits() {
    let mut last = 0;
    for fraction in ["0.75", "0.85", "0.9"] {
        let set = format!("channels.calls.target.fraction={fraction}");
        let v = four_month_plan(&["--set", "handlers.attrition_per_year=0.4", "--set", &set]);
        assert!(total(&v) >= last, "{fraction}: {} < {last}", total(&v));
        last = total(&v);
    }
    assert!(
        last > 3,
        "a 90% target needs more than the 75% plan's 3: {last}"
    );
}

#[test]
fn intakes_start_only_on_the_calendar_and_are_costed() {
    let v = four_month_plan(&[
        "--set",
        "handlers.attrition_per_year=0.4",
        "--intake-dates",
        "2024-01-15,2024-02-19",
        "--cost-per-recruit",
        "8000",
        "--set",
        "handlers.cost_per_handler=30000",
    ]);
    let intakes = v["intakes"].as_array().unwrap();
    assert!(!intakes.is_empty(), "{v}");
    for i in intakes {
        let d = i["start_date"].as_str().unwrap();
        assert!(d == "2024-01-15" || d == "2024-02-19", "{v}");
    }
    // January and February start before a class can be trained (the first class is trained
    // by 12 February, so March is the first month it can help).
    let months = v["months"].as_array().unwrap();
    assert_eq!(months[0]["unreachable"], true);
    assert_eq!(months[1]["unreachable"], true);
    assert!(months[2..].iter().all(|m| m["met"] == true), "{v}");
    let cost = &v["cost"];
    let recruiting = cost["recruiting"].as_f64().unwrap();
    assert_eq!(recruiting, 8000.0 * total(&v) as f64);
    assert!(cost["salaries"].as_f64().unwrap() > 0.0);
    for b in v["baselines"].as_array().unwrap() {
        assert!(b["cost"]["total"].as_f64().is_some(), "{b}");
        assert!(b["intakes"].as_array().unwrap().iter().all(|i| {
            ["2024-01-15", "2024-02-19"].contains(&i["start_date"].as_str().unwrap())
        }));
    }
    // Without costs, no cost key.
    assert!(four_month_plan(&[]).get("cost").is_none());
}

#[test]
fn a_first_year_leaving_band_costs_recruits() {
    let base = ["--set", "handlers.attrition_per_year=0.4"];
    let plain = four_month_plan(&base);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("band.toml");
    let text = four_months().replace(
        "[handlers.groups.desk]",
        "[handlers]\nattrition_per_year = 0.4\n[[handlers.attrition_by_tenure]]\nunder_months = 12\nper_year = 1.5\n[handlers.groups.desk]",
    );
    std::fs::write(&file, text).unwrap();
    let banded: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "hire",
        file.to_str().unwrap(),
        "--format",
        "json",
    ]))
    .unwrap();
    // Recruits leaving at 1.5 a year in their first year must be replaced in turn.
    assert!(total(&banded) > total(&plain), "{banded}\n{plain}");
}
