//! Rotas, shrinkage, hiring cohorts, skills, overflow, chats and triage hours.

use triage_sim::replicate;
use triage_sim::stats::{Estimate, get};

use crate::conservation::assert_conserved;
use crate::support::{assert_agrees, kpi, pool_kpi, scenario};

const CHANNEL: &str = r#"[channels.999]
kind = "call"
priority = 0
arrivals = { rate_per_hour = 20 }
handle_time = { dist = "exponential", mean_s = 120 }
patience = { dist = "exponential", mean_s = 300 }
target = { answer_within_s = 10, fraction = 0.9 }
"#;

fn staffed_by_hour(results: &triage_sim::Results) -> Vec<f64> {
    results
        .intervals
        .hour_of_week
        .handlers
        .iter()
        .map(|k| get(k, "mean_staffed").unwrap().mean)
        .collect()
}

/// Days 07-19 (10 a team) and nights 19-07 (6), each 4 on / 4 off in two teams, with `days`
/// and `nights` added to their tables.
fn day_night(days: &str, nights: &str) -> String {
    format!(
        "[handlers.groups.days]\nheadcount = 10\nteams = 2\npattern = \"4on4off\"\nshift_start = \"07:00\"\nshift_hours = 12\n{days}\
         [handlers.groups.nights]\nheadcount = 6\nteams = 2\npattern = \"4on4off\"\nshift_start = \"19:00\"\nshift_hours = 12\n{nights}"
    )
}

#[test]
fn the_rota_staffs_each_hour_as_planned() {
    // Days 07-19 and nights 19-07, each 4 on / 4 off in two teams: one team of each every day.
    let s = scenario(&format!(
        "horizon_hours = 1344\nreplications = 2\n{CHANNEL}{}",
        day_night("", "")
    ));
    let results = replicate(&s);
    for (h, staffed) in staffed_by_hour(&results).iter().enumerate() {
        // Handlers finishing a call after the shift change stay a little longer (overtime).
        let want = if (7..19).contains(&(h % 24)) {
            10.0
        } else {
            6.0
        };
        assert!(
            (staffed - want).abs() < 0.25,
            "hour {h}: {staffed} staffed, rota says {want}"
        );
    }
    assert!(
        pool_kpi(&results.handlers, "overtime_h").mean > 0.0,
        "calls in hand at shift end are finished"
    );
    assert_conserved(&s, &results);
}

#[test]
fn meal_breaks_take_each_handler_off_for_its_length() {
    // Days 07-19 (10 a team) with a 45-minute break 5 h in (12:00), nights 19-07 (6) with a
    // 60-minute break 6 h in (01:00); 999 calls of 2 minutes at 20 an hour.
    let s = scenario(&format!(
        "horizon_hours = 1344\nreplications = 2\n{CHANNEL}{}",
        day_night(
            "meal_break = { after_hours = 5, minutes = 45 }\n",
            "meal_break = { after_hours = 6, minutes = 60 }\n",
        )
    ));
    let results = replicate(&s);
    for (h, staffed) in staffed_by_hour(&results).iter().enumerate() {
        // In the break hour the idle go at once, the busy after their call (about a third
        // of them busy, 2 minutes left on average); back 45 or 60 minutes after going.
        let want = match h % 24 {
            12 => 10.0 * 0.25,
            1 => 0.0,
            7..=18 => 10.0,
            _ => 6.0,
        };
        let slack = if matches!(h % 24, 12 | 13 | 1 | 2) {
            0.5
        } else {
            0.25
        };
        assert!(
            (staffed - want).abs() < slack,
            "hour {h}: {staffed} staffed, rota with breaks says {want}"
        );
    }
    // The scenario's own expectation: 12 h less the break, per day on.
    let expected = s.handlers.mean_staffed();
    let want = (10.0 * (12.0 - 0.75) + 6.0 * 11.0) / 24.0;
    assert!((expected - want).abs() < 1e-9, "{expected} vs {want}");
    let mean = pool_kpi(&results.handlers, "mean_staffed").mean;
    assert!((mean - want).abs() < 0.05, "{mean} vs {want}");
    assert_conserved(&s, &results);
}

#[test]
fn a_meal_break_must_fit_its_shift() {
    let err = triage_sim::Scenario::from_toml_str(
        &format!(
            "horizon_hours = 24\n{CHANNEL}[handlers.groups.days]\nheadcount = 3\nshift_start = \"07:00\"\nshift_hours = 8\nmeal_break = {{ after_hours = 7.5, minutes = 45 }}\n[handlers.groups.all]\nheadcount = 2\nmeal_break = {{ after_hours = 1, minutes = 30 }}\n"
        ),
        "bad.toml",
    )
    .unwrap_err()
    .to_string();
    for want in [
        "handlers.groups.days.meal_break.minutes: the break must end within the shift; expected at most 30 minutes after 7.5 h of a 8 h shift, got 45",
        "handlers.groups.all.meal_break: a meal break is taken within a shift",
    ] {
        assert!(err.contains(want), "{want}\n{err}");
    }
}

#[test]
fn shrinkage_removes_its_share_of_each_shift() {
    let s = scenario(&format!(
        "horizon_hours = 2688\nreplications = 6\n{CHANNEL}[handlers]\nshrinkage = 0.3\n[handlers.groups.all]\nheadcount = 20\nshift_start = \"00:00\"\nshift_hours = 24\n"
    ));
    let results = replicate(&s);
    assert_agrees(
        "mean staffed with 30% shrinkage",
        pool_kpi(&results.handlers, "mean_staffed"),
        14.0,
        0.3,
    );
}

#[test]
fn non_call_work_takes_its_share_of_those_who_turn_up() {
    // Two desks of 20 with 30% shrinkage; the 101-style desk also puts 25% of those present on
    // non-call work: 20 × 0.7 + 20 × 0.7 × 0.75 = 24.5 on the phones (28 without it).
    let text = |non_call: &str| {
        format!(
            "horizon_hours = 2688\nreplications = 6\n{CHANNEL}[handlers]\nshrinkage = 0.3\n\
             [handlers.groups.a]\nheadcount = 20\nshift_start = \"00:00\"\nshift_hours = 24\n\
             [handlers.groups.b]\nheadcount = 20\nshift_start = \"00:00\"\nshift_hours = 24\n{non_call}\n"
        )
    };
    for (line, expected) in [("", 28.0), ("non_call_work = 0.25", 24.5)] {
        let s = scenario(&text(line));
        let results = replicate(&s);
        assert_conserved(&s, &results);
        assert_agrees(
            line,
            pool_kpi(&results.handlers, "mean_staffed"),
            expected,
            0.3,
        );
    }
}

#[test]
fn monthly_shrinkage_follows_the_leave_calendar() {
    // Summer leave: 20% shrinkage most of the year, 45% in July and August.
    let months = "[0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.45, 0.45, 0.2, 0.2, 0.2, 0.2]";
    let s = scenario(&format!(
        "horizon_hours = 8784
replications = 12
start_date = 2024-01-01
{CHANNEL}[handlers]
shrinkage_by_month = {months}
[handlers.groups.all]
headcount = 40
shift_start = \"00:00\"
shift_hours = 24
"
    ));
    assert!((s.handlers.shrinkage - 2.9 / 12.0).abs() < 1e-12);
    let results = replicate(&s);
    let by_month = &results.intervals.month.handlers;
    for (m, expected) in [(0, 32.0), (5, 32.0), (6, 22.0), (7, 22.0), (8, 32.0)] {
        assert_agrees(
            &format!("mean staffed in month {}", m + 1),
            get(&by_month[m], "mean_staffed").unwrap(),
            expected,
            1.0,
        );
    }
    let both = format!(
        "horizon_hours = 10
{CHANNEL}[handlers]
shrinkage = 0.3
shrinkage_by_month = {months}
[handlers.groups.all]
headcount = 4
"
    );
    let e = triage_sim::Scenario::from_toml_str(&both, "x.toml")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("handlers.shrinkage_by_month: give shrinkage or shrinkage_by_month, not both"),
        "{e}"
    );
    let short = format!(
        "horizon_hours = 10
{CHANNEL}[handlers]
shrinkage_by_month = [0.1, 1.5]
[handlers.groups.all]
headcount = 4
"
    );
    let e = triage_sim::Scenario::from_toml_str(&short, "x.toml")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("got 2 values; expected 12, January first"),
        "{e}"
    );
}

#[test]
fn a_hiring_cohort_arrives_after_training() {
    // 5 always-on handlers; 3 more start on 15 January with 2 weeks of training.
    let s = scenario(&format!(
        r#"horizon_hours = 1344
replications = 2
start_date = 2024-01-01
{CHANNEL}
[handlers.groups.pool]
headcount = 5
[[handlers.hires]]
group = "pool"
start_date = 2024-01-15
count = 3
training_weeks = 2
ramp_weeks = 4
initial_aht_factor = 1.5
"#
    ));
    let results = replicate(&s);
    let weeks: Vec<f64> = results
        .intervals
        .week
        .handlers
        .iter()
        .map(|k| get(k, "mean_staffed").unwrap().mean)
        .collect();
    assert_eq!(weeks.len(), 8);
    for (w, staffed) in weeks.iter().enumerate() {
        let want = if w < 4 { 5.0 } else { 8.0 };
        assert!(
            (staffed - want).abs() < 1e-9,
            "week {w}: {staffed}, want {want}"
        );
    }
}

/// A year of 1,000 recruits joining on day one (1 week's training) beside one rota handler,
/// leaving at `rate` a year after their first six months at `first_six_months`: the mean in post
/// per month over 20 replications.
fn recruits_left(first_six_months: f64, rate: f64) -> Vec<f64> {
    let s = scenario(&format!(
        r#"horizon_hours = 8784
replications = 20
start_date = 2024-01-01
{CHANNEL}
[handlers]
attrition_per_year = {rate}
[[handlers.attrition_by_tenure]]
under_months = 6
per_year = {first_six_months}
[handlers.groups.pool]
headcount = 1
[[handlers.hires]]
group = "pool"
start_date = 2024-01-01
count = 1000
training_weeks = 1
ramp_weeks = 0
"#
    ));
    let results = replicate(&s);
    results
        .intervals
        .month
        .handlers
        .iter()
        .map(|k| get(k, "mean_staffed").unwrap().mean)
        .collect()
}

#[test]
fn recruits_leave_faster_in_their_first_months_when_the_scenario_says_so() {
    // Leaving at 1 a year for six months, then never: e^-0.5 of the recruits stay, and from
    // the seventh month nobody leaves. Binomial sd of the 20-replication mean: 3.4.
    let months = recruits_left(1.0, 0.0);
    let stay = 1.0 + 1000.0 * (-0.5f64).exp();
    assert!((months[7] - stay).abs() < 14.0, "{months:?}, want {stay}");
    assert_eq!(months[7], months[11], "{months:?}");
    // The rate at 1 a year all along: the band ends, leaving goes on.
    let steady = recruits_left(1.0, 1.0);
    // Mid-December is day 350.5; the rota handler leaves at the same rate.
    let at_year_end = 1001.0 * (-350.5 / 365.25f64).exp();
    assert!(
        (steady[11] - at_year_end).abs() < 14.0,
        "{steady:?}, want {at_year_end}"
    );
    // Common random numbers: the recruits' draws are the same, so the first six months differ
    // only by the one rota handler, who leaves in the second run.
    for m in 0..5 {
        assert!(
            (0.0..=1.0).contains(&(months[m] - steady[m])),
            "{months:?} {steady:?}"
        );
    }
}

#[test]
fn chats_share_a_handler_up_to_the_concurrency() {
    let s = scenario(
        r#"horizon_hours = 500
replications = 4
[channels.chat]
kind = "chat"
priority = 1
concurrency = 3
arrivals = { rate_per_hour = 60 }
handle_time = { dist = "exponential", mean_s = 600 }
patience = { dist = "exponential", mean_s = 300 }
target = { answer_within_s = 60, fraction = 0.8 }
[handlers]
count = 4
"#,
    );
    let results = replicate(&s);
    assert_eq!(
        pool_kpi(&results.handlers, "max_chats_per_handler").mean,
        3.0,
        "reached, never exceeded"
    );
    // 10 Erlangs of chat on 4 handlers × 3 chats = 12 chat seats: most chats are answered.
    assert!(kpi(&results, "chat", "abandonment_rate").mean < 0.2);
    assert_conserved(&s, &results);
}

#[test]
fn skills_and_overflow_pull_the_digital_desk_onto_999() {
    let text = |overflow: &str| {
        format!(
            r#"horizon_hours = 3000
replications = 6
[channels.999]
kind = "call"
priority = 0
arrivals = {{ rate_per_hour = 40 }}
handle_time = {{ dist = "exponential", mean_s = 150 }}
target = {{ answer_within_s = 25, fraction = 0.9 }}
[channels.web]
kind = "deferred"
priority = 2
arrivals = {{ rate_per_hour = 2 }}
handle_time = {{ dist = "exponential", mean_s = 300 }}
target = {{ answer_within_hours = 4, fraction = 0.9 }}
[handlers.groups.emergency]
headcount = 2
channels = ["999"]
[handlers.groups.digital]
headcount = 3
channels = ["web"]
{overflow}
"#
        )
    };
    let without = replicate(&scenario(&text("")));
    let with = replicate(&scenario(&text(
        "overflow = { channel = \"999\", after_s = 20 }",
    )));
    let (sl_without, sl_with) = (
        kpi(&without, "999", "service_level"),
        kpi(&with, "999", "service_level"),
    );
    assert!(
        sl_with.mean > sl_without.mean + 0.1,
        "overflow helps: {sl_without:?} -> {sl_with:?}"
    );
    // Overflow only takes callers who waited 20 s: nobody waits much longer while the desk is idle.
    assert!(kpi(&with, "999", "p90_wait_s").mean < 40.0);
    assert_conserved(&scenario(&text("")), &without);
}

#[test]
fn triage_intercepts_only_in_opening_hours() {
    let s = scenario(
        r#"horizon_hours = 2000
replications = 6
[channels.101]
kind = "call"
priority = 1
arrivals = { rate_per_hour = 20 }
handle_time = { dist = "exponential", mean_s = 300 }
patience = { dist = "exponential", mean_s = 900 }
target = { answer_within_s = 60, fraction = 0.8 }
[handlers]
count = 4
[triage]
officers = 6
channels = ["101"]
policy = "when_free"
handle_time = { dist = "exponential", mean_s = 60 }
resolve_fraction = 0.5
open = "08:00"
close = "20:00"
"#,
    );
    let results = replicate(&s);
    let t = results.triage.as_ref().unwrap();
    // Open half the day with ample officers (B(6, 0.33) ≈ 3e-5): half the calls are intercepted.
    let rate: Vec<f64> = results
        .per_replication
        .iter()
        .map(|r| get(r.triage.as_ref().unwrap(), "intercept_rate").unwrap())
        .collect();
    assert_agrees(
        "intercept rate, open 12 h a day",
        Estimate::from_samples(&rate),
        0.5,
        0.01,
    );
    assert!(pool_kpi(t, "occupancy").mean > 0.0);
    assert_conserved(&s, &results);
}
