//! `triage-sim backtest`: a scenario against call records, hour by hour.

use std::process::Output;

use crate::support::{log_calls, stdout_of, triage_sim};

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_scenario_backtested_against_its_own_log_covers_it_and_a_wrong_one_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let calls = dir.path().join("calls.csv");
    let scenario = format!(
        "{}/scenarios/mm14-patience.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    log_calls(
        &scenario,
        &calls,
        &["--set", "horizon_hours=510", "--replications", "2"],
    );
    // Another seed than the log's: the log is then one more independent replication.
    let backtest = |set: &[&str]| {
        let mut args = vec![
            "backtest",
            &scenario,
            calls.to_str().unwrap(),
            "--seed",
            "7",
            "--replications",
            "40",
            "--format",
            "json",
        ];
        args.extend(set);
        json(&triage_sim(&args))
    };
    let v = backtest(&[]);
    let s = &v["summary"]["calls"];
    assert_eq!(s["intervals"], 168, "{s}");
    // The band is the middle 95% of 40 replications: an independent replication falls in it
    // about 90–95% of the time; 168 hours make 0.8 a floor no honest run misses.
    let coverage = s["coverage"].as_f64().unwrap();
    assert!(coverage >= 0.8, "{s}");
    assert!(s["coverage_offered"].as_f64().unwrap() >= 0.8, "{s}");
    // 200 calls/h over 500 hours: ~600 per hour of the week, each actual count off its mean
    // by ~25 at random; their mean over 168 hours by ~2. A bias under 10 (under 2%).
    assert!(s["bias_offered"].as_f64().unwrap().abs() < 10.0, "{s}");
    assert!(
        s["bias_service_level"].as_f64().unwrap().abs() < 0.01,
        "{s}"
    );
    let first = &v["intervals"][0];
    assert_eq!(first["start"], "Mon 00");
    assert_eq!(first["channel"], "calls");
    assert!(
        first["actual"]["offered"].as_f64().unwrap() > 400.0,
        "{first}"
    );
    let sl = &first["simulated"]["service_level"];
    assert!(
        sl["low"].as_f64() <= sl["mean"].as_f64() && sl["mean"].as_f64() <= sl["high"].as_f64()
    );
    assert_eq!(v["hour_of_day"].as_array().unwrap().len(), 24);

    // Two handlers short: the service level falls out of the band in most hours (about three
    // in four here, with ~600 calls an hour of the week).
    let wrong = backtest(&["--set", "handlers.count=12"]);
    let w = &wrong["summary"]["calls"];
    assert!(w["coverage"].as_f64().unwrap() < 0.5, "{w}");
    assert!(w["bias_service_level"].as_f64().unwrap() < -0.1, "{w}");
}

#[test]
fn backtest_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "channel,arrived,outcome,wait_s,handle_s\n").unwrap();
    let scenario = format!(
        "{}/scenarios/mm14-patience.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = triage_sim(&["backtest", &scenario, empty.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no answered or abandoned calls to compare"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let other = dir.path().join("other.csv");
    std::fs::write(
        &other,
        "channel,arrived,outcome,wait_s,handle_s\nphones,2024-03-01 08:00:00,answered,3,100\n",
    )
    .unwrap();
    // No row names a channel of the scenario: refused, listing what the data has (it used to
    // exit 0 with rows of NaN).
    let out = triage_sim(&[
        "backtest",
        &scenario,
        other.to_str().unwrap(),
        "--replications",
        "2",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "no row names a channel of the scenario (calls); the data has \"phones\" (1 calls)"
        ),
        "{err}"
    );
    // Beside the scenario's own channel, another is skipped and said so.
    std::fs::write(
        &other,
        "channel,arrived,outcome,wait_s,handle_s\nphones,2024-03-01 08:00:00,answered,3,100\ncalls,2024-03-01 08:10:00,answered,3,100\n",
    )
    .unwrap();
    let text = stdout_of(&[
        "backtest",
        &scenario,
        other.to_str().unwrap(),
        "--replications",
        "2",
    ]);
    assert!(
        text.contains("channels the scenario does not have (skipped): phones 1;"),
        "{text}"
    );
}

#[test]
fn the_backtest_chart_draws_the_band_and_the_data_and_refuses_an_unknown_channel() {
    let dir = tempfile::tempdir().unwrap();
    let calls = dir.path().join("calls.csv");
    let mut text = String::from("channel,arrived,outcome,wait_s,handle_s\n");
    for h in 0..48 {
        let (day, hour) = (1 + h / 24, h % 24);
        text.push_str(&format!(
            "calls,2024-01-{day:02} {hour:02}:10:00,answered,5,100\ncalls,2024-01-{day:02} {hour:02}:40:00,abandoned,90,\n"
        ));
    }
    std::fs::write(&calls, text).unwrap();
    let scenario = format!(
        "{}/scenarios/mm14-patience.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let chart = dir.path().join("backtest.svg");
    let args = |extra: &[&str]| {
        let mut a = vec![
            "backtest".to_owned(),
            scenario.clone(),
            calls.to_str().unwrap().to_owned(),
            "--replications".into(),
            "3".into(),
            "--out".into(),
            dir.path().join("table.txt").to_str().unwrap().to_owned(),
        ];
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let run = |extra: &[&str]| {
        let a = args(extra);
        triage_sim(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let out = run(&["--chart", chart.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = std::fs::read_to_string(&chart).unwrap();
    crate::charts::assert_legends_clear_of_data(&svg);
    crate::charts::assert_svg(
        &svg,
        &[
            "Backtest of calls",
            "service level (%)",
            "calls offered",
            "Mon",
            "Sun",
        ],
    );
    let out = run(&["--chart", chart.to_str().unwrap(), "--channel", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("--channel: no channel \"nope\"; expected one of calls"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&["--channel", "calls"]);
    assert_eq!(out.status.code(), Some(2));
}

/// The per-call log summed into 30-minute intervals of an ACD report (threshold 20 s, as
/// the mm14 scenario's target).
fn as_interval_report(calls: &std::path::Path, report: &std::path::Path) {
    use std::collections::BTreeMap;
    let mut reader = csv::Reader::from_path(calls).unwrap();
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (arrived, outcome, wait) = (col("arrived"), col("outcome"), col("wait_s"));
    // (interval) -> offered, answered, abandoned, within, wait sum
    let mut sums: BTreeMap<String, (u64, u64, u64, u64, f64)> = BTreeMap::new();
    for record in reader.records() {
        let r = record.unwrap();
        let ended = &r[outcome];
        if ended != "answered" && ended != "abandoned" {
            continue;
        }
        let t = &r[arrived];
        let minute: u32 = t[14..16].parse().unwrap();
        let key = format!("{}{:02}", &t[..14], minute / 30 * 30);
        let e = sums.entry(key).or_default();
        e.0 += 1;
        if ended == "answered" {
            let w: f64 = r[wait].parse().unwrap();
            e.1 += 1;
            e.3 += u64::from(w <= 20.0);
            e.4 += w;
        } else {
            e.2 += 1;
        }
    }
    let mut text = String::from(
        "interval_start,channel,offered,answered,abandoned,asa_s,answered_within_target\n",
    );
    for (start, (offered, answered, abandoned, within, waited)) in sums {
        let asa = if answered > 0 {
            waited / answered as f64
        } else {
            0.0
        };
        text.push_str(&format!(
            "{start},calls,{offered},{answered},{abandoned},{asa},{within}\n"
        ));
    }
    std::fs::write(report, text).unwrap();
}

#[test]
fn an_interval_report_of_the_same_calls_backtests_as_the_calls_do() {
    let dir = tempfile::tempdir().unwrap();
    let calls = dir.path().join("calls.csv");
    let scenario = format!(
        "{}/scenarios/mm14-patience.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    log_calls(
        &scenario,
        &calls,
        &["--set", "horizon_hours=200", "--replications", "2"],
    );
    let report = dir.path().join("intervals.csv");
    as_interval_report(&calls, &report);
    let backtest = |data: &std::path::Path| {
        json(&triage_sim(&[
            "backtest",
            &scenario,
            data.to_str().unwrap(),
            "--seed",
            "7",
            "--replications",
            "10",
            "--format",
            "json",
        ]))
    };
    let (by_call, by_interval) = (backtest(&calls), backtest(&report));
    // Counts, service levels and so coverage are the same numbers; mean waits agree to
    // rounding (a mean wait times answered calls).
    assert_eq!(by_call["summary"], by_interval["summary"]);
    let hours = |v: &serde_json::Value| v["intervals"].as_array().unwrap().clone();
    for (a, b) in hours(&by_call).iter().zip(hours(&by_interval).iter()) {
        for kpi in ["offered", "service_level", "abandonment_rate"] {
            assert_eq!(
                a["actual"][kpi], b["actual"][kpi],
                "{kpi} in {}",
                a["start"]
            );
        }
        let (wa, wb) = (&a["actual"]["mean_wait_s"], &b["actual"]["mean_wait_s"]);
        if let (Some(x), Some(y)) = (wa.as_f64(), wb.as_f64()) {
            assert!(
                (x - y).abs() < 1e-6 * x.max(1.0),
                "{x} vs {y} in {}",
                a["start"]
            );
        } else {
            assert_eq!(wa, wb);
        }
    }
    // A report without answered_within_target: the service level is unknown, not zero.
    let text = std::fs::read_to_string(&report)
        .unwrap()
        .lines()
        .map(|l| l.rsplit_once(',').unwrap().0.to_owned())
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&report, text + "\n").unwrap();
    let without = backtest(&report);
    assert!(
        without["intervals"][20]["actual"]["service_level"].is_null(),
        "{}",
        without["intervals"][20]
    );
    assert!(
        without["intervals"][20]["actual"]["offered"]
            .as_f64()
            .unwrap()
            > 0.0
    );
}
