//! Handlers on duty given by interval: `on_duty_by_hour_of_week` in the scenario, and staffing
//! files (`run --staffing`, `backtest --staffing`).

use std::path::Path;

use triage_sim::erlang::ErlangInput;
use triage_sim::replicate;

use crate::support::{assert_agrees, fit_json, kpi, log_calls, scenario, stdout_of, triage_sim};

/// 200 calls an hour, exponential 180 s handling and 300 s patience: the Erlang A tables'
/// case (10 Erlangs).
fn mm_text(start: &str, horizon_h: u32, handlers: &str) -> String {
    format!(
        "horizon_hours = {horizon_h}\nwarmup_hours = 10\nreplications = 8\nseed = 5\nstart_date = {start}\n[channels.calls]\nkind = \"call\"\npriority = 1\narrivals = {{ rate_per_hour = 200 }}\nhandle_time = {{ dist = \"exponential\", mean_s = 180 }}\npatience = {{ dist = \"exponential\", mean_s = 300 }}\ntarget = {{ answer_within_s = 20, fraction = 0.8 }}\n{handlers}"
    )
}

fn table_group(levels: &[u32]) -> String {
    let list: Vec<String> = levels.iter().map(u32::to_string).collect();
    format!(
        "[handlers.groups.desk]\nchannels = [\"calls\"]\non_duty_by_hour_of_week = [{}]\n",
        list.join(", ")
    )
}

#[test]
fn a_constant_table_is_the_always_on_pool() {
    let pool = replicate(&scenario(&mm_text(
        "2024-01-01",
        500,
        "[handlers]\ncount = 14\n",
    )));
    let table = replicate(&scenario(&mm_text(
        "2024-01-01",
        500,
        &table_group(&[14; 168]),
    )));
    for name in [
        "offered",
        "service_level",
        "mean_wait_s",
        "abandonment_rate",
    ] {
        assert_eq!(
            kpi(&pool, "calls", name),
            kpi(&table, "calls", name),
            "{name}"
        );
    }
}

#[test]
fn levels_held_for_half_a_week_give_erlang_a_in_each_half() {
    // 10 on duty from Monday 00:00 to Thursday 12:00, 18 for the rest of the week. Each half
    // lasts 84 hours against a relaxation time of minutes, so the run is the two stationary
    // Erlang A systems, half the calls each.
    let levels: Vec<u32> = (0..168).map(|h| if h < 84 { 10 } else { 18 }).collect();
    let s = scenario(&mm_text("2024-01-01", 20 * 168, &table_group(&levels)));
    let results = replicate(&s);
    let erlang_a = |agents| {
        ErlangInput {
            rate_per_hour: 200.0,
            aht_s: 180.0,
            agents,
            target_s: 20.0,
            patience_s: Some(300.0),
        }
        .solve()
        .expect("solvable")
    };
    let (low, high) = (erlang_a(10), erlang_a(18));
    assert_agrees(
        "abandonment",
        kpi(&results, "calls", "abandonment_rate"),
        (low.p_abandon + high.p_abandon) / 2.0,
        0.002,
    );
    assert_agrees(
        "service level",
        kpi(&results, "calls", "service_level"),
        (low.service_level + high.service_level) / 2.0,
        0.004,
    );
}

/// Hourly rows `interval_start,on_duty` from midnight on `start` (a date in January 2024).
fn hourly_file(path: &Path, start_day: u32, hours: u32, level: impl Fn(u32) -> u32) {
    let mut text = String::from("interval_start,on_duty\n");
    for h in 0..hours {
        let (day, hour) = (start_day + h / 24, h % 24);
        text.push_str(&format!("2024-01-{day:02} {hour:02}:00,{}\n", level(h)));
    }
    std::fs::write(path, text).unwrap();
}

fn without_timing(json: &[u8]) -> String {
    String::from_utf8_lossy(json)
        .lines()
        .filter(|l| !l.contains("wall_s"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_staffing_file_spelling_the_table_gives_the_same_run() {
    // From a Wednesday: the table is indexed by the hour of the week, the file by date.
    let levels: Vec<u32> = (0..168).map(|h| 8 + (h as u32 * 7) % 11).collect();
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("table.toml");
    std::fs::write(&table, mm_text("2024-01-03", 300, &table_group(&levels))).unwrap();
    let pool = dir.path().join("pool.toml");
    std::fs::write(
        &pool,
        mm_text("2024-01-03", 300, "[handlers]\ncount = 14\n"),
    )
    .unwrap();
    let file = dir.path().join("staffing.csv");
    // Wednesday 00:00 is hour 48 of the week.
    hourly_file(&file, 3, 300, |h| levels[(48 + h as usize) % 168]);
    let by_table = triage_sim(&["run", table.to_str().unwrap(), "--format", "json"]);
    let by_file = triage_sim(&[
        "run",
        pool.to_str().unwrap(),
        "--staffing",
        file.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(
        by_file.status.success(),
        "{}",
        String::from_utf8_lossy(&by_file.stderr)
    );
    assert_eq!(
        without_timing(&by_table.stdout),
        without_timing(&by_file.stdout)
    );
}

/// 10 on duty at night, 18 from 08:00 to 20:00.
fn day_night(hour: u32) -> u32 {
    if (8..20).contains(&(hour % 24)) {
        18
    } else {
        10
    }
}

/// Two weeks from Monday 1 January 2024 staffed [`day_night`], run twice; the path of the first
/// replication's per-call log in `dir`.
fn day_night_log(dir: &Path) -> std::path::PathBuf {
    let levels: Vec<u32> = (0..168).map(day_night).collect();
    let truth = dir.join("truth.toml");
    std::fs::write(&truth, mm_text("2024-01-01", 336, &table_group(&levels))).unwrap();
    let calls = dir.join("calls.csv");
    log_calls(truth.to_str().unwrap(), &calls, &["--replications", "2"]);
    calls
}

/// `backtest SCENARIO CALLS --seed 9 --replications 40 --format json` with `extra` flags.
fn backtest_json(scenario: &Path, calls: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "backtest",
        scenario.to_str().unwrap(),
        calls.to_str().unwrap(),
        "--seed",
        "9",
        "--replications",
        "40",
        "--format",
        "json",
    ];
    args.extend(extra);
    serde_json::from_str(&stdout_of(&args)).unwrap()
}

#[test]
fn a_backtest_with_the_data_s_staffing_covers_it_and_one_with_a_flat_rota_does_not() {
    // The log comes from 10 on duty at night and 18 by day; the scenario says 14 always.
    let dir = tempfile::tempdir().unwrap();
    let calls = day_night_log(dir.path());
    let flat = dir.path().join("flat.toml");
    std::fs::write(
        &flat,
        mm_text("2024-01-01", 336, "[handlers]\ncount = 14\n"),
    )
    .unwrap();
    let staffing = dir.path().join("staffing.csv");
    hourly_file(&staffing, 1, 337, day_night);
    let coverage = |extra: &[&str]| {
        let v = backtest_json(&flat, &calls, extra);
        let days = v["day"].as_array().unwrap();
        assert_eq!(days.len(), 14, "one row per day of the data");
        assert_eq!(days[13]["start"], "2024-01-14");
        (
            v["summary"]["calls"]["coverage"].as_f64().unwrap(),
            v["summary_by_day"]["calls"]["coverage"].as_f64().unwrap(),
        )
    };
    let (flat_hours, flat_days) = coverage(&[]);
    let (staffed_hours, staffed_days) = coverage(&["--staffing", staffing.to_str().unwrap()]);
    // Two weeks: each hour of the week seen twice, so the band is wide; 0.75 is a floor an
    // honest scenario clears (measured 0.94), and the flat rota misses the day and the night.
    assert!(staffed_hours >= 0.75, "with the file: {staffed_hours}");
    assert!(flat_hours < 0.5, "flat rota: {flat_hours}");
    // By day the flat rota's errors do not cancel: its days are all too good (measured 14 of
    // 14 in band with the file, 0 without).
    assert!(
        staffed_days >= 0.75,
        "with the file, by day: {staffed_days}"
    );
    assert!(flat_days < 0.25, "flat rota, by day: {flat_days}");
}

#[test]
fn on_duty_tables_and_staffing_files_refuse_what_they_cannot_mean() {
    let refused = |handlers: &str, want: &str| {
        let err = triage_sim::scenario::Scenario::from_toml_str(
            &mm_text("2024-01-01", 100, handlers),
            "t.toml",
        )
        .expect_err("refused")
        .to_string();
        assert!(err.contains(want), "{err}\n(wanted {want})");
    };
    refused(
        &table_group(&[3; 167]),
        "handlers.groups.desk.on_duty_by_hour_of_week: got 167 values; expected 168",
    );
    refused(
        &format!("{}headcount = 3\n", table_group(&[3; 168])),
        "handlers.groups.desk.headcount: on_duty_by_hour_of_week gives the handlers on the phones hour by hour; expected no headcount beside it",
    );
    let mut negative = vec![3; 168];
    negative[5] = 0;
    let text = table_group(&negative).replacen(", 0,", ", -2,", 1);
    refused(&text, "handlers.groups.desk.on_duty_by_hour_of_week.5");

    let dir = tempfile::tempdir().unwrap();
    let pool = dir.path().join("pool.toml");
    std::fs::write(
        &pool,
        mm_text("2024-01-01", 100, "[handlers]\ncount = 14\n"),
    )
    .unwrap();
    let run_with = |csv: &str| {
        let file = dir.path().join("s.csv");
        std::fs::write(&file, csv).unwrap();
        triage_sim(&[
            "run",
            pool.to_str().unwrap(),
            "--staffing",
            file.to_str().unwrap(),
        ])
    };
    let out = run_with("group,interval_start,on_duty\nnight,2024-01-01 00:00,3\n");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no group \"night\" in the scenario; expected one of handlers"),
        "{err}"
    );
    let out = run_with("interval_start,on_duty\n2024-01-01 00:00,lots\n");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("s.csv:2: on_duty: \"lots\""), "{err}");
    let out = run_with("interval_start,on_duty\n2024-01-01 00:00,13.6\n");
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("1 of 1 rows give a fraction of a handler"),
        "{err}"
    );
}

#[test]
fn fit_writes_staffing_from_agent_activity_that_a_backtest_can_use() {
    // The log: 10 on duty at night and 18 by day. fit sees who was busy each half-hour,
    // scales it to reproduce the data's waits, and the fitted scenario with that staffing
    // back-tests well where its placeholder pool does not.
    let dir = tempfile::tempdir().unwrap();
    let calls = day_night_log(dir.path());
    let (fitted, staffing) = (
        dir.path().join("fitted.toml"),
        dir.path().join("staffing.csv"),
    );
    let v = fit_json(
        &calls,
        &fitted,
        &["--staffing-out", staffing.to_str().unwrap()],
    );
    let s = &v["staffing"];
    assert_eq!(s["intervals"], 14 * 48, "{s}");
    assert_eq!(s["identified"], true, "{s}");
    let (seen, fitted_wait) = (
        s["observed_mean_wait_s"].as_f64().unwrap(),
        s["simulated_mean_wait_s"].as_f64().unwrap(),
    );
    assert!((fitted_wait / seen - 1.0).abs() < 0.15, "{s}");
    // At night the 10 on duty are all busy within every half-hour: activity sees them all.
    let text = std::fs::read_to_string(&staffing).unwrap();
    let night: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("2024-01-03 02:"))
        .collect();
    assert_eq!(night.len(), 2, "{night:?}");
    let factor = s["factor"].as_f64().unwrap();
    for row in night {
        let n: f64 = row.split(',').nth(1).unwrap().parse().unwrap();
        assert_eq!(n, (10.0 * factor).round(), "{row}");
    }
    let coverage = |extra: &[&str]| {
        backtest_json(&fitted, &calls, extra)["summary"]["calls"]["coverage"]
            .as_f64()
            .unwrap()
    };
    let with = coverage(&["--staffing", staffing.to_str().unwrap()]);
    let without = coverage(&[]);
    assert!(with >= 0.75, "with the fitted staffing: {with}");
    assert!(without < 0.5, "with the placeholder pool: {without}");
}

#[test]
fn an_interval_report_s_agents_staffed_become_the_staffing_file() {
    // The same day/night levels, reported as agents staffed in 30-minute rows.
    let dir = tempfile::tempdir().unwrap();
    let calls = day_night_log(dir.path());
    let mut rows: std::collections::BTreeMap<String, (u64, u64, u64, f64)> = Default::default();
    let mut reader = csv::Reader::from_path(&calls).unwrap();
    for record in reader.records() {
        let r = record.unwrap();
        let (arrived, outcome, wait) = (&r[1], &r[2], &r[5]);
        if outcome != "answered" && outcome != "abandoned" {
            continue;
        }
        let minute: u32 = arrived[14..16].parse().unwrap();
        let e = rows
            .entry(format!("{}{:02}", &arrived[..14], minute / 30 * 30))
            .or_default();
        e.0 += 1;
        if outcome == "answered" {
            e.1 += 1;
            e.3 += wait.parse::<f64>().unwrap();
        } else {
            e.2 += 1;
        }
    }
    let mut text =
        String::from("interval_start,channel,offered,answered,abandoned,asa_s,agents_staffed\n");
    for (start, (offered, answered, abandoned, waited)) in rows {
        let hour: u32 = start[11..13].parse().unwrap();
        let asa = waited / answered.max(1) as f64;
        text.push_str(&format!(
            "{start},calls,{offered},{answered},{abandoned},{asa},{}\n",
            day_night(hour)
        ));
    }
    let report = dir.path().join("report.csv");
    std::fs::write(&report, text).unwrap();
    let staffing = dir.path().join("staffing.csv");
    let fitted = dir.path().join("fitted.toml");
    let v = fit_json(
        &report,
        &fitted,
        &["--staffing-out", staffing.to_str().unwrap()],
    );
    let factor = v["staffing"]["factor"].as_f64().unwrap();
    assert_eq!(v["staffing"]["identified"], true, "{v}");
    let written = std::fs::read_to_string(&staffing).unwrap();
    for (prefix, on_duty) in [("2024-01-03 02:", 10.0), ("2024-01-03 12:", 18.0)] {
        for row in written.lines().filter(|l| l.starts_with(prefix)) {
            let n: f64 = row.split(',').nth(1).unwrap().parse().unwrap();
            assert_eq!(n, (on_duty * factor).round(), "{row} (factor {factor})");
        }
    }
}
