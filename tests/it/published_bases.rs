//! Reporting on the published bases (issue #12): per month and per hour of day, the share
//! waiting over 15 minutes, the wait to a call handler and the 999 national clock.

use crate::support::{assert_agrees, kpi, mmn, scenario};
use triage_sim::erlang::erlang_c;
use triage_sim::replicate;
use triage_sim::stats::get;

#[test]
fn the_share_waiting_over_15_minutes_follows_erlang_c() {
    // M/M/1 at ρ = 0.917: P(W > t) = C(1, a) · exp(−(μ − λ) t).
    let (rate_per_hour, aht_s) = (50.0, 66.0);
    let results = replicate(&mmn(rate_per_hour, aht_s, 1, 20.0, None, 60_000.0));
    let a = rate_per_hour * aht_s / 3600.0;
    let decay = 1.0 / aht_s - rate_per_hour / 3600.0;
    let truth = erlang_c(1, a) * (-decay * 900.0).exp();
    assert_agrees(
        "waited_over_15min_rate",
        kpi(&results, "calls", "waited_over_15min_rate"),
        truth,
        0.03,
    );
}

/// A 999 channel with a fixed 7 s transfer leg and a triaged 101 channel.
fn force() -> triage_sim::Scenario {
    scenario(
        r#"horizon_hours = 1500
warmup_hours = 10
replications = 4
start_date = 2024-01-01
[channels.999]
kind = "call"
priority = 0
arrivals = { rate_per_hour = 20 }
handle_time = { dist = "exponential", mean_s = 300 }
patience = { dist = "exponential", mean_s = 120 }
transfer = { dist = "deterministic", value_s = 7 }
target = { answer_within_s = 10, fraction = 0.9 }
[channels.101]
kind = "call"
priority = 1
arrivals = { rate_per_hour = 30, hour_of_day = [1, 1, 1, 1, 1, 1, 1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 3, 2, 1] }
handle_time = { dist = "exponential", mean_s = 400 }
patience = { dist = "exponential", mean_s = 1800 }
target = { answer_within_s = 60, fraction = 0.8 }
[handlers]
count = 5
[triage]
officers = 1
channels = ["101"]
policy = "when_free"
handle_time = { dist = "exponential", mean_s = 60 }
resolve_fraction = 0.4
"#,
    )
}

#[test]
fn hours_of_the_day_add_up_to_the_whole_run() {
    let results = replicate(&force());
    for (r, rep) in results.per_replication.iter().enumerate() {
        for (c, whole) in rep.channels.iter().enumerate() {
            let cells = &rep.intervals.hour_of_day.channels[c];
            assert_eq!(cells.len(), 24);
            for name in ["offered", "answered", "abandoned"] {
                let sum: f64 = cells.iter().map(|k| get(k, name).unwrap()).sum();
                assert_eq!(sum, get(whole, name).unwrap(), "rep {r} channel {c} {name}");
            }
            // Rates add up weighted by their denominators.
            let offered = |k: &triage_sim::stats::Kpis<f64>| get(k, "offered").unwrap();
            let long: f64 = cells
                .iter()
                .map(|k| get(k, "waited_over_15min_rate").unwrap_or(0.0) * offered(k))
                .filter(|x| x.is_finite())
                .sum();
            let whole_long = get(whole, "waited_over_15min_rate").unwrap() * offered(whole);
            assert!((long - whole_long).abs() < 1e-6 * whole_long.max(1.0));
        }
        // The wait to a call handler of the triaged channel, weighted by handler answers.
        let c = 1;
        let cells = &rep.intervals.hour_of_day.channels[c];
        let weighted: f64 = cells
            .iter()
            .map(|k| {
                let n = get(k, "answered").unwrap();
                if n > 0.0 {
                    get(k, "mean_handler_wait_s").unwrap() * n
                } else {
                    0.0
                }
            })
            .sum();
        let whole = &rep.channels[c];
        let expected = get(whole, "mean_handler_wait_s").unwrap() * get(whole, "answered").unwrap();
        assert!(
            (weighted - expected).abs() < 1e-6 * expected,
            "{weighted} vs {expected}"
        );
        // Busy 101 hours wait longer than the night.
        let wait = |h: usize| get(&cells[h], "mean_handler_wait_s").unwrap();
        assert!(
            wait(19) > wait(3),
            "19:00 {} vs 03:00 {}",
            wait(19),
            wait(3)
        );
    }
    assert_eq!(results.interval_labels.hour_of_day[18], "18:00");
}

#[test]
fn the_national_clock_adds_the_transfer_leg_in_every_month() {
    let results = replicate(&force());
    let months = &results.intervals.month.channels[0];
    assert!(months.len() >= 2);
    for rep in &results.per_replication {
        for cell in &rep.intervals.month.channels[0] {
            let (force_clock, national) = (
                get(cell, "mean_wait_s").unwrap(),
                get(cell, "national_mean_wait_s").unwrap(),
            );
            assert!(
                (national - force_clock - 7.0).abs() < 1e-6,
                "{national} vs {force_clock} + 7"
            );
            let (sl, national_sl) = (
                get(cell, "service_level").unwrap(),
                get(cell, "national_service_level").unwrap(),
            );
            assert!(
                national_sl <= sl && national_sl > 0.0,
                "{national_sl} vs {sl}"
            );
        }
    }
    // 101 has no transfer leg, so no national figures; 999 is not triaged.
    assert!(
        get(
            &results.intervals.month.channels[1][0],
            "national_mean_wait_s"
        )
        .is_none()
    );
    assert!(get(&months[0], "mean_handler_wait_s").is_none());
}
