//! `fit` (issue #13): a round trip — simulate with known parameters, write the calls, fit them —
//! recovers what was put in, each within its sampling error; and every messy-data class is
//! counted and reported (or, with --strict, refused at its line).

use crate::support::{fit_json, log_calls, triage_sim};

use triage_sim::Scenario;

/// Eight weeks, an evening-heavy hour-of-day profile, exponential patience under heavy
/// censoring on one channel, lognormal handle times on the other.
const TRUTH: &str = r#"name = "truth"
horizon_hours = 1344
replications = 1
seed = 8
start_date = 2024-04-01
[channels.a]
kind = "call"
priority = 0
arrivals = { rate_per_hour = 30, hour_of_day = [0.3, 0.3, 0.3, 0.3, 0.3, 0.4, 0.6, 0.8, 1.0, 1.2, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3, 1.4, 1.5, 1.6, 1.6, 1.5, 1.2, 0.8, 0.5] }
handle_time = { dist = "exponential", mean_s = 240 }
patience = { dist = "exponential", mean_s = 300 }
target = { answer_within_s = 10, fraction = 0.9 }
[channels.b]
kind = "call"
priority = 1
arrivals = { rate_per_hour = 20 }
handle_time = { dist = "lognormal", mean_s = 420, sd_s = 300 }
patience = { dist = "exponential", mean_s = 600 }
target = { answer_within_s = 60, fraction = 0.8 }
redial = { probability = 0.5, delay = { dist = "exponential", mean_s = 300 }, max_attempts = 100 }
[handlers]
count = 5
"#;

#[test]
fn a_round_trip_recovers_volumes_profiles_handle_times_and_patience() {
    let dir = tempfile::tempdir().unwrap();
    let (truth, calls, fitted) = (
        dir.path().join("truth.toml"),
        dir.path().join("calls.csv"),
        dir.path().join("fitted.toml"),
    );
    std::fs::write(&truth, TRUTH).unwrap();
    log_calls(truth.to_str().unwrap(), &calls, &[]);
    let summary = fit_json(&calls, &fitted, &[]);
    let s = Scenario::load(&fitted).expect("the fitted scenario is valid");
    let truth = Scenario::from_toml_str(TRUTH, "truth.toml").unwrap();
    for (name, handle_mean, handle_sd, patience) in
        [("a", 240.0, 240.0, 300.0), ("b", 420.0, 300.0, 600.0)]
    {
        let c = &summary["channels"][name];
        let n = c["calls"].as_f64().unwrap();
        let days = summary["days"].as_f64().unwrap();
        let rate = c["rate_per_hour"].as_f64().unwrap();
        let true_rate = truth
            .channels
            .iter()
            .find(|x| x.name == name)
            .unwrap()
            .rate_per_hour;
        // Poisson count over the days covered: within 4 standard errors.
        let se = (true_rate * days * 24.0).sqrt() / (days * 24.0);
        assert!(
            (rate - true_rate).abs() < 4.0 * se,
            "{name}: rate {rate} vs {true_rate} ± {se}"
        );
        // Handle time: the best fit's mean within 4 standard errors (of answered calls).
        let best = &c["handle_time"][0];
        let answered = n * (1.0 - c["abandonment_rate"].as_f64().unwrap());
        let mean = best["mean_s"].as_f64().unwrap();
        assert!(
            (mean - handle_mean).abs() < 4.0 * handle_sd / answered.sqrt(),
            "{name}: handle mean {mean} vs {handle_mean}"
        );
        let sd = best["sd_s"].as_f64().unwrap();
        assert!(
            (sd / handle_sd - 1.0).abs() < 0.05,
            "{name}: handle sd {sd} vs {handle_sd}"
        );
        // Patience: exponential MLE under censoring; its own standard error.
        let p = c["patience_mean_s"].as_f64().unwrap();
        let p_se = c["patience_se_s"].as_f64().unwrap();
        assert!(
            (p - patience).abs() < 4.0 * p_se,
            "{name}: patience {p} ± {p_se} vs {patience}"
        );
        assert!(
            p_se < 0.15 * patience,
            "{name}: too few abandonments to test ({p_se})"
        );
    }
    // Redials, linked by the caller column: the share of abandonments followed by a call, and
    // the delay; the fresh rate above already left them out.
    let r = &summary["channels"]["b"]["redial"];
    let (p, p_se) = (
        r["probability"].as_f64().unwrap(),
        r["probability_se"].as_f64().unwrap(),
    );
    assert!(
        (p - 0.5).abs() < 4.0 * p_se && p_se < 0.02,
        "redial probability {p} ± {p_se}"
    );
    let redials = p
        * summary["channels"]["b"]["calls"].as_f64().unwrap()
        * summary["channels"]["b"]["abandonment_rate"]
            .as_f64()
            .unwrap();
    let delay = r["mean_delay_s"].as_f64().unwrap();
    assert!(
        (delay - 300.0).abs() < 4.0 * 300.0 / redials.sqrt(),
        "redial delay {delay}"
    );
    assert!(
        summary["channels"]["a"]["redial"]["probability"]
            .as_f64()
            .unwrap()
            < 0.01
    );
    assert_eq!(
        summary["channels"]["b"]["handle_time"][0]["dist"],
        "lognormal"
    );
    assert_eq!(
        summary["channels"]["a"]["handle_time"][0]["dist"],
        "exponential"
    );
    // The hour-of-week profile: counts per hour against the truth, χ² with 167 degrees of
    // freedom (99.9% point 228).
    let a = s.channels.iter().find(|c| c.name == "a").unwrap();
    let true_a = truth.channels.iter().find(|c| c.name == "a").unwrap();
    let weeks = 8.0;
    let (mut chi2, total) = (0.0, summary["channels"]["a"]["calls"].as_f64().unwrap());
    let true_sum: f64 = true_a.demand.hour_of_week.iter().sum();
    for h in 0..168 {
        let expected = total * true_a.demand.hour_of_week[h] / true_sum;
        let observed = a.demand.hour_of_week[h] * a.rate_per_hour * weeks;
        chi2 += (observed - expected).powi(2) / expected;
    }
    assert!(chi2 < 228.0, "hour-of-week χ² = {chi2}");
    // No day-to-day spread was put in.
    assert!(summary["channels"]["a"]["day_cv"].as_f64().unwrap() < 0.05);
}

const HEADER: &str = "channel,arrived,outcome,answered,ended,wait_s,handle_s\n";

#[test]
fn messy_rows_are_counted_reported_and_refused_when_strict() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("messy.csv");
    let rows = [
        "101,2024-03-01 08:00:00,answered,2024-03-01 08:00:10,2024-03-01 08:05:10,,",
        "101,2024-03-01 08:00:00,answered,2024-03-01 08:00:10,2024-03-01 08:05:10,,", // duplicate
        "101,2024-03-01T08:01:00.5,abandoned,,,30,",
        "101,not a time,answered,,,5,100",
        "101,2024-03-01 08:02:00,answered,2024-03-01 08:01:59,2024-03-01 08:04:00,,", // skew
        "101,2024-03-01 07:59:00,answered,,,4,0", // out of order, zero
        "101,2024-03-01 08:03:00,answered,,,2,20000", // 5.6 hours
        "101,2024-03-01 08:04:00,phantom,,,,",
        "101,2024-03-01 08:05:00,ANSWERED,,,5,",
    ];
    std::fs::write(&path, format!("{HEADER}{}\n", rows.join("\n"))).unwrap();
    let out = triage_sim(&[
        "fit",
        path.to_str().unwrap(),
        "-o",
        dir.path().join("f.toml").to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = String::from_utf8_lossy(&out.stderr);
    for expected in [
        "9 rows read, 6 used",
        "1 rows: duplicate of the previous row, skipped",
        "1 rows: missing or unparsable arrival time, skipped",
        "1 rows: negative wait (clock skew), clamped to 0",
        "1 rows: before the previous rows by arrival, by leaving the queue and by ending (in no order), kept",
        "1 rows: zero-second service, kept",
        "1 rows: service over 4 hours, kept",
        "1 rows: answered without a handle time, kept for volume and waits",
        "1 rows with outcome \"phantom\", skipped",
        // Without --staffing-out the handlers are a placeholder, and the summary says so.
        "handlers: a placeholder pool sized to the average load, not estimated; --staffing-out",
    ] {
        assert!(
            report.contains(expected),
            "missing {expected:?} in:\n{report}"
        );
    }
    let fitted = std::fs::read_to_string(dir.path().join("f.toml")).unwrap();
    assert!(
        fitted.contains("# Placeholder, not estimated") && fitted.contains("`--staffing-out"),
        "{fitted}"
    );
    let strict = triage_sim(&["fit", path.to_str().unwrap(), "--strict"]);
    assert_eq!(strict.status.code(), Some(2));
    let err = String::from_utf8_lossy(&strict.stderr);
    assert!(
        err.contains("messy.csv:3: duplicate of the previous row, skipped (--strict)"),
        "{err}"
    );
}

#[test]
fn other_headers_are_mapped_and_missing_columns_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.csv");
    std::fs::write(
        &path,
        "queue,call_start,result,wait,talk\nq1,2024-03-01 08:00:00,answered,3,200\nq1,2024-03-01 09:00:00,abandoned,40,\n",
    )
    .unwrap();
    let plain = triage_sim(&["fit", path.to_str().unwrap()]);
    assert_eq!(plain.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&plain.stderr).contains("export.csv:1: no `channel` column"),
        "{}",
        String::from_utf8_lossy(&plain.stderr)
    );
    let mapped = triage_sim(&[
        "fit",
        path.to_str().unwrap(),
        "--map",
        "channel=queue",
        "--map",
        "arrived=call_start",
        "--map",
        "outcome=result",
        "--map",
        "wait_s=wait",
        "--map",
        "handle_s=talk",
    ]);
    assert!(
        mapped.status.success(),
        "{}",
        String::from_utf8_lossy(&mapped.stderr)
    );
    let text = String::from_utf8_lossy(&mapped.stdout);
    assert!(text.contains("[channels.\"q1\"]"), "{text}");
    Scenario::from_toml_str(&text, "fitted").expect("valid");
}

#[test]
fn the_fit_chart_shows_the_data_against_the_fit_and_agrees_where_the_fit_is_right() {
    let dir = tempfile::tempdir().unwrap();
    let (truth, calls, fitted, chart) = (
        dir.path().join("truth.toml"),
        dir.path().join("calls.csv"),
        dir.path().join("fitted.toml"),
        dir.path().join("fit.svg"),
    );
    std::fs::write(
        &truth,
        TRUTH.replace("horizon_hours = 1344", "horizon_hours = 672"),
    )
    .unwrap();
    log_calls(truth.to_str().unwrap(), &calls, &[]);
    let fit_with = |extra: &[&str]| {
        let mut args = vec![
            "fit",
            calls.to_str().unwrap(),
            "-o",
            fitted.to_str().unwrap(),
        ];
        args.extend(extra);
        triage_sim(&args)
    };
    let out = fit_with(&["--chart", chart.to_str().unwrap(), "--channel", "a"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = std::fs::read_to_string(&chart).unwrap();
    crate::charts::assert_svg(
        &svg,
        &[
            "Fit of a",
            "calls per day",
            "handle time, seconds (line: exponential)",
            "patience",
        ],
    );
    let out = fit_with(&["--chart", chart.to_str().unwrap(), "--channel", "zz"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("no channel \"zz\" in the data; expected one of a, b")
    );
    assert_eq!(fit_with(&["--channel", "a"]).status.code(), Some(2));

    // The curves themselves: channel a's patience is exponential, so the Kaplan–Meier curve
    // follows the fitted exponential; the expected handle counts add up to the data's.
    let mut gathered = triage_sim::data::Gathered::default();
    triage_sim::data::read_calls(&calls, &Default::default(), |r| gathered.add(r)).unwrap();
    let fit = triage_sim::data::fit(&gathered).unwrap();
    let a = fit.channels.iter().find(|c| c.name == "a").unwrap();
    let curves = triage_sim::data::fit_curves(a, &gathered.channels["a"], fit.start, fit.days);
    assert_eq!(curves.daily.len() as i64, fit.days);
    // Within 3 Greenwood standard errors of the curve (plus the fitted mean's own ~1%) at
    // every point shown; a wrong shape (e.g. a lognormal truth) falls outside in the tail.
    for &(t, km, fitted, se) in &curves.survival {
        assert!(
            (km - fitted).abs() <= 3.0 * se + 0.01,
            "at {t} s: Kaplan–Meier {km:.4} ± {se:.4} vs exponential {fitted:.4}"
        );
    }
    // The same check fails when the truth is not exponential: lognormal patience with the
    // same mean and twice the spread.
    let lognormal = TRUTH
        .replace("horizon_hours = 1344", "horizon_hours = 672")
        .replacen(
            r#"patience = { dist = "exponential", mean_s = 300 }"#,
            r#"patience = { dist = "lognormal", mean_s = 300, sd_s = 600 }"#,
            1,
        );
    std::fs::write(&truth, lognormal).unwrap();
    let other = dir.path().join("lognormal.csv");
    log_calls(truth.to_str().unwrap(), &other, &[]);
    let mut g = triage_sim::data::Gathered::default();
    triage_sim::data::read_calls(&other, &Default::default(), |r| g.add(r)).unwrap();
    let f = triage_sim::data::fit(&g).unwrap();
    let wrong = f.channels.iter().find(|c| c.name == "a").unwrap();
    let wrong = triage_sim::data::fit_curves(wrong, &g.channels["a"], f.start, f.days);
    assert!(
        wrong
            .survival
            .iter()
            .any(|&(_, km, fitted, se)| (km - fitted).abs() > 3.0 * se + 0.01),
        "a lognormal truth should not pass for an exponential"
    );
    let (seen, expected): (u64, f64) = curves
        .handle
        .iter()
        .fold((0, 0.0), |(s, e), b| (s + b.2, e + b.3));
    assert!(
        (expected - seen as f64).abs() < 1e-6 * seen as f64,
        "{seen} vs {expected}"
    );
}

#[test]
fn an_interval_report_fits_volumes_and_mean_handle_times_and_says_what_it_cannot() {
    let dir = tempfile::tempdir().unwrap();
    let (truth, calls, report) = (
        dir.path().join("truth.toml"),
        dir.path().join("calls.csv"),
        dir.path().join("report.csv"),
    );
    std::fs::write(
        &truth,
        TRUTH.replace("horizon_hours = 1344", "horizon_hours = 672"),
    )
    .unwrap();
    log_calls(truth.to_str().unwrap(), &calls, &[]);
    // The calls summed into hourly rows of an ACD report.
    // (hour, channel) → offered, answered, abandoned, wait sum, handle sum.
    type Sums = (u64, u64, u64, f64, f64);
    let mut sums: std::collections::BTreeMap<(String, String), Sums> = Default::default();
    let mut reader = csv::Reader::from_path(&calls).unwrap();
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (ch, arrived, outcome, wait, handle) = (
        col("channel"),
        col("arrived"),
        col("outcome"),
        col("wait_s"),
        col("handle_s"),
    );
    for record in reader.records() {
        let r = record.unwrap();
        if r[outcome] != *"answered" && r[outcome] != *"abandoned" {
            continue;
        }
        let e = sums
            .entry((format!("{}:00", &r[arrived][..13]), r[ch].to_owned()))
            .or_default();
        e.0 += 1;
        if &r[outcome] == "answered" {
            e.1 += 1;
            e.3 += r[wait].parse::<f64>().unwrap();
            e.4 += r[handle].parse::<f64>().unwrap();
        } else {
            e.2 += 1;
        }
    }
    let mut text = String::from("interval_start,channel,offered,answered,abandoned,asa_s,aht_s\n");
    for ((start, channel), (offered, answered, abandoned, waited, handled)) in sums {
        let n = answered.max(1) as f64;
        text.push_str(&format!(
            "{start},{channel},{offered},{answered},{abandoned},{},{}\n",
            waited / n,
            handled / n
        ));
    }
    std::fs::write(&report, text).unwrap();
    let summary = |data: &std::path::Path| fit_json(data, &dir.path().join("fitted.toml"), &[]);
    let (by_call, by_interval) = (summary(&calls), summary(&report));
    for channel in ["a", "b"] {
        let (c, i) = (
            &by_call["channels"][channel],
            &by_interval["channels"][channel],
        );
        assert_eq!(c["calls"], i["calls"], "{channel}");
        // Channel b's callers redial: the calls tell them apart, a report cannot.
        let rate = |v: &serde_json::Value| v["rate_per_hour"].as_f64().unwrap();
        if channel == "a" {
            assert_eq!(rate(c), rate(i), "{channel}");
        } else {
            assert!(rate(i) > rate(c), "{channel}: {} vs {}", rate(i), rate(c));
            assert!(i["warnings"].to_string().contains("cannot tell redials"));
        }
        // The report's mean handle time is the calls' sample mean (the exponential candidate's).
        let mean = |v: &serde_json::Value| {
            let fits = v["handle_time"].as_array().unwrap();
            let e = fits.iter().find(|f| f["dist"] == "exponential").unwrap();
            e["mean_s"].as_f64().unwrap()
        };
        assert!(
            (mean(i) / mean(c) - 1.0).abs() < 1e-9,
            "{channel}: {i} vs {c}"
        );
        assert_eq!(i["handle_time"][0]["dist"], "exponential");
        let warnings = i["warnings"].to_string();
        assert!(warnings.contains("mean handle times only"), "{warnings}");
        assert!(
            warnings.contains("patience from interval counts is rough"),
            "{warnings}"
        );
    }
    let out = triage_sim(&[
        "fit",
        report.to_str().unwrap(),
        "-o",
        dir.path().join("f.toml").to_str().unwrap(),
        "--staffing-out",
        dir.path().join("s.csv").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_year_of_calls_gives_back_its_month_profile() {
    // One channel, 20 calls an hour, a summer peak: each month's weight is recovered within
    // 4 standard errors of a month's Poisson count (about 15,000 calls: ±0.8% each).
    let truth_months = [
        0.9, 0.88, 0.93, 0.97, 1.05, 1.1, 1.12, 1.1, 1.05, 1.0, 0.95, 0.95,
    ];
    let list: Vec<String> = truth_months.iter().map(|m| m.to_string()).collect();
    let text = format!(
        "horizon_hours = 8784\nreplications = 1\nseed = 3\nstart_date = 2024-01-01\n[channels.c]\nkind = \"call\"\npriority = 0\narrivals = {{ rate_per_hour = 20, month = [{}] }}\nhandle_time = {{ dist = \"exponential\", mean_s = 60 }}\ntarget = {{ answer_within_s = 20, fraction = 0.8 }}\n[handlers]\ncount = 3\n",
        list.join(", ")
    );
    let dir = tempfile::tempdir().unwrap();
    let (truth, calls, fitted) = (
        dir.path().join("truth.toml"),
        dir.path().join("calls.csv"),
        dir.path().join("fitted.toml"),
    );
    std::fs::write(&truth, text).unwrap();
    log_calls(truth.to_str().unwrap(), &calls, &[]);
    let out = triage_sim(&[
        "fit",
        calls.to_str().unwrap(),
        "-o",
        fitted.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = Scenario::load(&fitted).unwrap();
    let month = &s.channels[0].demand.month;
    let mean_truth = truth_months.iter().sum::<f64>() / 12.0;
    for (m, (&got, &want)) in month.iter().zip(&truth_months).enumerate() {
        let want = want / mean_truth;
        assert!(
            (got / want - 1.0).abs() < 0.035,
            "month {}: {got} vs {want}",
            m + 1
        );
    }
    // No spurious growth from one year, and no day-to-day spread beyond Poisson.
    assert_eq!(s.channels[0].demand.growth_per_year, 0.0);
    assert!(
        s.channels[0].demand.day_cv < 0.03,
        "{}",
        s.channels[0].demand.day_cv
    );
}

#[test]
fn an_empirical_handle_time_is_an_even_sample_of_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let (truth, calls, fitted) = (
        dir.path().join("truth.toml"),
        dir.path().join("calls.csv"),
        dir.path().join("fitted.toml"),
    );
    std::fs::write(
        &truth,
        TRUTH.replace("horizon_hours = 1344", "horizon_hours = 672"),
    )
    .unwrap();
    log_calls(truth.to_str().unwrap(), &calls, &[]);
    let out = triage_sim(&[
        "fit",
        calls.to_str().unwrap(),
        "-o",
        fitted.to_str().unwrap(),
        "--handle-time",
        "empirical",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = Scenario::load(&fitted).unwrap();
    let b = s.channels.iter().find(|c| c.name == "b").unwrap();
    let triage_sim::dist::Dist::Empirical { values_s, .. } = &b.handle_time else {
        panic!("{:?}", b.handle_time);
    };
    assert_eq!(values_s.len(), 1000);
    // b's handle time is lognormal, mean 420 s, sd 300 s: the sample's mean within 4 standard
    // errors (300 / √1000 ≈ 9.5 s), and its median near the lognormal's 344 s.
    let mean = values_s.iter().sum::<f64>() / 1000.0;
    assert!((mean - 420.0).abs() < 38.0, "{mean}");
    let mut sorted = values_s.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[500];
    assert!((median / 344.0 - 1.0).abs() < 0.08, "{median}");
}

#[test]
fn lognormal_patience_is_recognised_and_its_mean_recovered_under_censoring() {
    // Channel a's patience lognormal (mean 300 s, sd 450 s), censored by every answered
    // caller. The lognormal fit is chosen and finds its mean (the exponential MLE's is 5% low
    // here); for exponential patience (channel b) the exponential is kept.
    let dir = tempfile::tempdir().unwrap();
    let (truth, calls, fitted) = (
        dir.path().join("truth.toml"),
        dir.path().join("calls.csv"),
        dir.path().join("fitted.toml"),
    );
    let text = TRUTH
        .replace("horizon_hours = 1344", "horizon_hours = 2688")
        .replacen(
            r#"patience = { dist = "exponential", mean_s = 300 }"#,
            r#"patience = { dist = "lognormal", mean_s = 300, sd_s = 450 }"#,
            1,
        );
    std::fs::write(&truth, text).unwrap();
    log_calls(truth.to_str().unwrap(), &calls, &[]);
    let v = fit_json(&calls, &fitted, &[]);
    let best = |c: &str| v["channels"][c]["patience_fits"][0].clone();
    eprintln!(
        "{}\n{}\n{}",
        best("a"),
        best("b"),
        v["channels"]["a"]["patience_mean_s"]
    );
    assert_eq!(best("a")["dist"], "lognormal", "{v}");
    let mean = best("a")["mean_s"].as_f64().unwrap();
    // The scale of the estimate's error: an exponential mean's standard error m/√(abandoned),
    // times 1.5 for a lognormal with sd/mean 1.5; four of those allowed.
    let a = &v["channels"]["a"];
    let abandoned = a["calls"].as_f64().unwrap() * a["abandonment_rate"].as_f64().unwrap();
    let tolerance = 4.0 * 1.5 * 300.0 / abandoned.sqrt();
    assert!(
        (mean - 300.0).abs() < tolerance,
        "lognormal mean {mean} ± {tolerance}"
    );
    assert_eq!(best("b")["dist"], "exponential", "{}", best("b"));
    let s = Scenario::load(&fitted).unwrap();
    let a = s.channels.iter().find(|c| c.name == "a").unwrap();
    let patience = a.patience.as_ref().expect("patient channel");
    assert!(
        matches!(patience, triage_sim::dist::Dist::Lognormal { .. }),
        "{patience:?}"
    );
}
