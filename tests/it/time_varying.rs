//! Time-varying demand and what callers do: profiles, bursts, redials, drops, the transfer leg.

use statrs::distribution::{ChiSquared, ContinuousCDF};
use triage_sim::replicate;
use triage_sim::stats::{Estimate, get};

use crate::conservation::assert_conserved;
use crate::support::{assert_agrees, kpi, scenario};

const CALL: &str = r#"handle_time = { dist = "exponential", mean_s = 60 }
target = { answer_within_s = 20, fraction = 0.8 }"#;

/// Counts per hour of the week follow the profile: Pearson's χ² over the 168 cells.
#[test]
fn counts_per_hour_of_week_follow_the_profile() {
    // A strongly shaped week: quiet nights, a Friday-evening peak, a one-hour Saturday spike.
    let mut w: Vec<f64> = (0..168)
        .map(|h| {
            if (7..23).contains(&(h % 24)) {
                1.0
            } else {
                0.3
            }
        })
        .collect();
    w[4 * 24 + 18..4 * 24 + 23].fill(3.0);
    w[5 * 24 + 2] = 8.0;
    let list: Vec<String> = w.iter().map(|x| x.to_string()).collect();
    let s = scenario(&format!(
        "horizon_hours = 1344\nreplications = 6\nseed = 4\nstart_date = 2024-01-01\n[channels.999]\nkind = \"call\"\npriority = 0\narrivals = {{ annual_volume = 200000, hour_of_week = [{}] }}\n{CALL}\n[handlers]\ncount = 30\n",
        list.join(", ")
    ));
    let results = replicate(&s);
    let d = &s.channels[0].demand;
    let reps = f64::from(s.replications);
    let cells = &results.intervals.hour_of_week.channels[0];
    let mut chi2 = 0.0;
    for (h, cell) in cells.iter().enumerate() {
        // 8 weeks from a Monday: every hour of the week occurs 8 times; January weight 1.
        let expected = d.scale_per_hour * d.hour_of_week[h] * d.month[0] * 8.0 * reps;
        let observed = get(cell, "offered").unwrap().mean * reps;
        chi2 += (observed - expected).powi(2) / expected;
    }
    let critical = ChiSquared::new(167.0).unwrap().inverse_cdf(0.999);
    assert!(
        chi2 < critical,
        "χ² = {chi2:.1} over 168 cells (critical {critical:.1})"
    );
    // The one-hour spike is there at its full height.
    let spike = get(&cells[5 * 24 + 2], "offered").unwrap().mean;
    let expected = d.scale_per_hour * d.hour_of_week[5 * 24 + 2] * 8.0;
    assert!(
        (spike / expected - 1.0).abs() < 0.05,
        "spike {spike} vs {expected}"
    );
}

#[test]
fn annual_volume_growth_and_months() {
    // 365-day year from 2023-01-01, +10% a year, summer heavier: the year's total is the volume
    // grown by (1.1^t) on average, and July beats January by the month weights.
    let months = "[0.8, 0.8, 0.9, 1.0, 1.05, 1.1, 1.2, 1.2, 1.05, 1.0, 0.95, 0.95]";
    let s = scenario(&format!(
        "horizon_hours = 8760\nreplications = 4\nstart_date = 2023-01-01\n[channels.c]\nkind = \"call\"\npriority = 0\narrivals = {{ annual_volume = 100000, growth = 0.1, month = {months} }}\n{CALL}\n[handlers]\ncount = 20\n"
    ));
    let results = replicate(&s);
    let offered = kpi(&results, "c", "offered");
    // ∫₀¹ 1.1^t dt = 0.1 / ln 1.1 = 1.04921 (month weights average to 1 over the year).
    let want = 100_000.0 * 0.1 / 1.1f64.ln();
    assert!(
        (offered.mean / want - 1.0).abs() < 0.01,
        "{} vs {want}",
        offered.mean
    );
    // July and January both have 744 hours; July starts 4344 hours later: ratio 1.5 × 1.1^(4344/8766).
    let ratio: Vec<f64> = results
        .per_replication
        .iter()
        .map(|r| {
            get(&r.intervals.month.channels[0][6], "offered").unwrap()
                / get(&r.intervals.month.channels[0][0], "offered").unwrap()
        })
        .collect();
    let want = 1.5 * 1.1f64.powf(4344.0 / 8766.0);
    assert_agrees("July / January", Estimate::from_samples(&ratio), want, 0.05);
}

#[test]
fn bursts_add_their_calls() {
    let s = scenario(&format!(
        "horizon_hours = 4032\nreplications = 8\n[channels.999]\nkind = \"call\"\npriority = 0\narrivals = {{ rate_per_hour = 10 }}\nbursts = {{ per_week = 2, calls_min = 50, calls_max = 150, window_min_s = 3600, window_max_s = 7200 }}\n{CALL}\n[handlers]\ncount = 40\n"
    ));
    let results = replicate(&s);
    // 24 weeks: 10/h × 4032 h + 2/week × 24 weeks × 100 calls = 40320 + 4800.
    let offered = kpi(&results, "999", "offered");
    assert_agrees("offered with bursts", offered, 45_120.0, 1500.0);
    assert_conserved(&s, &results);
}

#[test]
fn redials_are_counted_once_per_caller() {
    // 101 callers hang up fast; half of them redial, all to 999.
    let s = scenario(
        r#"horizon_hours = 2000
replications = 8
[channels.101]
kind = "call"
priority = 1
arrivals = { rate_per_hour = 40 }
handle_time = { dist = "exponential", mean_s = 300 }
patience = { dist = "exponential", mean_s = 60 }
redial = { probability = 0.5, delay = { dist = "exponential", mean_s = 120 }, to = "999", max_attempts = 2 }
target = { answer_within_s = 60, fraction = 0.8 }
[channels.999]
kind = "call"
priority = 0
arrivals = { rate_per_hour = 5 }
handle_time = { dist = "exponential", mean_s = 60 }
target = { answer_within_s = 10, fraction = 0.9 }
[handlers]
count = 4
"#,
    );
    let results = replicate(&s);
    assert_conserved(&s, &results);
    let ratio: Vec<f64> = results
        .per_replication
        .iter()
        .map(|r| {
            get(&r.channels[0], "redials").unwrap_or(0.0) + get(&r.channels[1], "redials").unwrap()
        })
        .zip(
            results
                .per_replication
                .iter()
                .map(|r| get(&r.channels[1], "abandoned").unwrap()),
        )
        .map(|(redials, abandoned)| redials / abandoned)
        .collect();
    assert_agrees(
        "redials per 101 abandonment",
        Estimate::from_samples(&ratio),
        0.5,
        0.02,
    );
    assert_eq!(
        kpi(&results, "101", "redials").mean,
        0.0,
        "all redials went to 999"
    );
    let unique = kpi(&results, "999", "unique_callers").mean;
    assert!(
        (unique / (5.0 * 2000.0) - 1.0).abs() < 0.03,
        "999's own callers: {unique}"
    );
}

#[test]
fn drops_make_welfare_call_backs_and_the_transfer_leg_adds_to_the_national_clock() {
    let s = scenario(&format!(
        "horizon_hours = 3000\nreplications = 8\n[channels.999]\nkind = \"call\"\npriority = 0\narrivals = {{ rate_per_hour = 30 }}\ndrops = {{ fraction = 0.05, handle_time = {{ dist = \"deterministic\", value_s = 300 }} }}\ntransfer = {{ dist = \"uniform\", min_s = 2, max_s = 6 }}\n{CALL}\n[handlers]\ncount = 2\n"
    ));
    let results = replicate(&s);
    assert_conserved(&s, &results);
    for r in &results.per_replication {
        let (main, callbacks) = (&r.channels[0], &r.channels[1]);
        assert_eq!(
            get(main, "dropped"),
            get(callbacks, "offered"),
            "one call-back per drop"
        );
    }
    let share: Vec<f64> = results
        .per_replication
        .iter()
        .map(|r| get(&r.channels[0], "dropped").unwrap() / get(&r.channels[0], "offered").unwrap())
        .collect();
    assert_agrees("drop share", Estimate::from_samples(&share), 0.05, 0.005);
    // National wait = force wait + transfer (mean 4 s), caller by caller.
    let diff: Vec<f64> = results
        .per_replication
        .iter()
        .map(|r| {
            get(&r.channels[0], "national_mean_wait_s").unwrap()
                - get(&r.channels[0], "mean_wait_s").unwrap()
        })
        .collect();
    assert_agrees(
        "national minus force wait",
        Estimate::from_samples(&diff),
        4.0,
        0.05,
    );
    assert!(
        kpi(&results, "999", "national_service_level").mean
            < kpi(&results, "999", "service_level").mean
    );
}
