//! The triage team as a rostered team (issue #12 item 3): pulled onto 999 under load (checked
//! against an exact Markov chain), a rota of shifts with shrinkage, and a handle time that
//! depends on the outcome.

use crate::conservation::assert_conserved;
use crate::support::{assert_agrees, kpi, pool_kpi, scenario, stationary};
use triage_sim::{Scenario, replicate};

const HANDLE_S: f64 = 300.0;

/// A 999 desk of `desk` handlers; 101 always queues for `officers` triage officers, who
/// resolve every call and are pulled onto 999 while more than `queue_over` 999 callers wait.
/// Triage and 999 handle times are both exponential with the same mean, so the number of busy
/// officers is a sufficient state whatever they are doing.
fn pulled_team(desk: u32, officers: u32, queue_over: u32) -> Scenario {
    scenario(&format!(
        r#"horizon_hours = 3000
warmup_hours = 30
replications = 10
seed = 5
[channels.999]
kind = "call"
priority = 0
arrivals = {{ rate_per_hour = 15 }}
handle_time = {{ dist = "exponential", mean_s = {HANDLE_S} }}
patience = {{ dist = "exponential", mean_s = 120 }}
target = {{ answer_within_s = 10, fraction = 0.9 }}
[channels.101]
kind = "call"
priority = 1
arrivals = {{ rate_per_hour = 20 }}
handle_time = {{ dist = "exponential", mean_s = 600 }}
patience = {{ dist = "exponential", mean_s = 300 }}
target = {{ answer_within_s = 60, fraction = 0.8 }}
[handlers.groups.desk]
headcount = {desk}
channels = ["999", "101"]
[triage]
officers = {officers}
channels = ["101"]
policy = "queue"
handle_time = {{ dist = "exponential", mean_s = {HANDLE_S} }}
resolve_fraction = 1
pulled_to = {{ channel = "999", queue_over = {queue_over} }}
"#
    ))
}

struct Exact {
    asa_999: f64,
    p_wait_999: f64,
    abandonment_101: f64,
    pulled_per_h: f64,
}

/// State (999 desk busy, officers busy, 999 queue, triage queue).
fn pulled_chain(desk: usize, officers: usize, queue_over: usize) -> Exact {
    let (l1, l2, mu, t1, t2) = (
        15.0 / 3600.0,
        20.0 / 3600.0,
        1.0 / HANDLE_S,
        1.0 / 120.0,
        1.0 / 300.0,
    );
    let q_max = 40;
    let index = |a: usize, b: usize, q1: usize, q2: usize| {
        ((a * (officers + 1) + b) * (q_max + 1) + q1) * (q_max + 1) + q2
    };
    let states = (desk + 1) * (officers + 1) * (q_max + 1) * (q_max + 1);
    let mut out = vec![Vec::new(); states];
    let mut pull_rate = vec![0.0; states];
    for a in 0..=desk {
        for b in 0..=officers {
            for q1 in 0..=q_max {
                for q2 in 0..=q_max {
                    let s = index(a, b, q1, q2);
                    let moves = &mut out[s];
                    // 999: the desk if free; else it queues, and an idle officer is pulled
                    // onto the oldest 999 caller once more than `queue_over` wait.
                    if a < desk {
                        moves.push((index(a + 1, b, q1, q2), l1));
                    } else if q1 + 1 > queue_over && b < officers {
                        moves.push((index(a, b + 1, q1, q2), l1));
                        pull_rate[s] += l1;
                    } else if q1 < q_max {
                        moves.push((index(a, b, q1 + 1, q2), l1));
                    }
                    // 101: an idle officer, else the triage queue.
                    if b < officers {
                        moves.push((index(a, b + 1, q1, q2), l2));
                    } else if q2 < q_max {
                        moves.push((index(a, b, q1, q2 + 1), l2));
                    }
                    if a > 0 {
                        let next = if q1 > 0 {
                            index(a, b, q1 - 1, q2)
                        } else {
                            index(a - 1, b, q1, q2)
                        };
                        moves.push((next, a as f64 * mu));
                    }
                    // A freed officer: 999 while the rule fires, else triage, else idle.
                    if b > 0 {
                        let next = if q1 > queue_over {
                            pull_rate[s] += b as f64 * mu;
                            index(a, b, q1 - 1, q2)
                        } else if q2 > 0 {
                            index(a, b, q1, q2 - 1)
                        } else {
                            index(a, b - 1, q1, q2)
                        };
                        moves.push((next, b as f64 * mu));
                    }
                    if q1 > 0 {
                        moves.push((index(a, b, q1 - 1, q2), q1 as f64 * t1));
                    }
                    if q2 > 0 {
                        moves.push((index(a, b, q1, q2 - 1), q2 as f64 * t2));
                    }
                }
            }
        }
    }
    let pi = stationary(&out);
    let (mut eq1, mut eq2, mut desk_full, mut pulled) = (0.0, 0.0, 0.0, 0.0);
    for a in 0..=desk {
        for b in 0..=officers {
            for q1 in 0..=q_max {
                for q2 in 0..=q_max {
                    let s = index(a, b, q1, q2);
                    eq1 += pi[s] * q1 as f64;
                    eq2 += pi[s] * q2 as f64;
                    desk_full += if a == desk { pi[s] } else { 0.0 };
                    pulled += pi[s] * pull_rate[s];
                }
            }
        }
    }
    Exact {
        asa_999: eq1 / l1,
        p_wait_999: desk_full,
        abandonment_101: t2 * eq2 / l2,
        pulled_per_h: pulled * 3600.0,
    }
}

#[test]
fn officers_pulled_onto_999_match_their_markov_chain() {
    let (desk, officers, queue_over) = (2, 2, 1);
    let s = pulled_team(desk, officers, queue_over);
    let exact = pulled_chain(desk as usize, officers as usize, queue_over as usize);
    let r = replicate(&s);
    assert_conserved(&s, &r);
    assert_agrees("999 asa_s", kpi(&r, "999", "asa_s"), exact.asa_999, 3.0);
    assert_agrees(
        "999 p_wait",
        kpi(&r, "999", "p_wait"),
        exact.p_wait_999,
        0.01,
    );
    assert_agrees(
        "101 abandonment",
        kpi(&r, "101", "abandonment_rate"),
        exact.abandonment_101,
        0.01,
    );
    let triage = r.triage.as_ref().expect("a triage section");
    let hours = s.observed_s() / 3600.0;
    let pulled = pool_kpi(triage, "pulled_calls");
    assert_agrees(
        "pulled calls per hour",
        triage_sim::stats::Estimate {
            mean: pulled.mean / hours,
            ci_low: pulled.ci_low / hours,
            ci_high: pulled.ci_high / hours,
        },
        exact.pulled_per_h,
        0.1,
    );
    assert!(
        exact.pulled_per_h > 0.5,
        "the rule fires often enough to test"
    );
}

#[test]
fn a_rota_of_shifts_staffs_its_hours_less_shrinkage() {
    let text = |shrinkage: &str| {
        format!(
            r#"horizon_hours = 4800
replications = 8
seed = 9
[channels.101]
kind = "call"
priority = 1
arrivals = {{ rate_per_hour = 10 }}
handle_time = {{ dist = "exponential", mean_s = 300 }}
patience = {{ dist = "exponential", mean_s = 300 }}
target = {{ answer_within_s = 60, fraction = 0.8 }}
[handlers]
count = 4
[triage]
channels = ["101"]
policy = "when_free"
handle_time = {{ dist = "deterministic", value_s = 1 }}
resolve_fraction = 0.5
shifts = [{{ start = "08:00", hours = 8, officers = 3 }}, {{ start = "20:00", hours = 10, officers = 2 }}]
{shrinkage}
"#
        )
    };
    // 3 × 8/24 + 2 × 10/24 officers on duty on average; the night shift crosses midnight.
    // (Officers busy at a shift's end stay to finish: 1-second calls make that negligible.)
    let rostered = 3.0 * 8.0 / 24.0 + 2.0 * 10.0 / 24.0;
    for (line, present) in [("", 1.0), ("shrinkage = 0.3", 0.7)] {
        let s = scenario(&text(line));
        let r = replicate(&s);
        assert_conserved(&s, &r);
        let staffed = pool_kpi(r.triage.as_ref().unwrap(), "mean_staffed");
        assert_agrees(line, staffed, rostered * present, 0.05);
    }
}

#[test]
fn resolved_calls_take_their_own_handle_time() {
    // 50 officers always free: every call is intercepted, so busy officers = rate × mean time.
    let s = scenario(
        r#"horizon_hours = 2000
replications = 8
[channels.101]
kind = "call"
priority = 1
arrivals = { rate_per_hour = 60 }
handle_time = { dist = "exponential", mean_s = 300 }
patience = { dist = "exponential", mean_s = 300 }
target = { answer_within_s = 60, fraction = 0.8 }
[handlers]
count = 40
[triage]
officers = 50
channels = ["101"]
policy = "when_free"
handle_time = { dist = "exponential", mean_s = 400 }
handle_time_resolved = { dist = "exponential", mean_s = 100 }
resolve_fraction = 0.6
"#,
    );
    let r = replicate(&s);
    let busy = 60.0 / 3600.0 * (0.6 * 100.0 + 0.4 * 400.0);
    let occupancy = pool_kpi(r.triage.as_ref().unwrap(), "occupancy");
    assert_agrees("officer occupancy", occupancy, busy / 50.0, 0.01);
}

#[test]
fn redirected_calls_leave_at_triage_and_are_counted_apart() {
    // 50 officers always free: every call is intercepted. 30% resolved and 20% redirected
    // (both taking the resolved time), 10% escalated, 40% forwarded.
    let s = scenario(
        r#"horizon_hours = 2000
replications = 8
[channels.101]
kind = "call"
priority = 1
arrivals = { rate_per_hour = 60 }
handle_time = { dist = "exponential", mean_s = 300 }
patience = { dist = "exponential", mean_s = 300 }
target = { answer_within_s = 60, fraction = 0.8 }
[handlers]
count = 40
[triage]
officers = 50
channels = ["101"]
policy = "when_free"
handle_time = { dist = "exponential", mean_s = 400 }
handle_time_resolved = { dist = "exponential", mean_s = 100 }
resolve_fraction = 0.3
redirect_fraction = 0.2
escalate_fraction = 0.1
"#,
    );
    let r = replicate(&s);
    assert_conserved(&s, &r);
    let offered = kpi(&r, "101", "offered").mean;
    for (name, share) in [
        ("resolved_at_triage", 0.3),
        ("redirected_at_triage", 0.2),
        ("escalated", 0.1),
        ("forwarded", 0.4),
    ] {
        assert_agrees(name, kpi(&r, "101", name), share * offered, 0.01 * offered);
    }
    let busy = 60.0 / 3600.0 * (0.5 * 100.0 + 0.5 * 400.0);
    let occupancy = pool_kpi(r.triage.as_ref().unwrap(), "occupancy");
    assert_agrees("officer occupancy", occupancy, busy / 50.0, 0.01);
    let pool = pool_kpi(r.triage.as_ref().unwrap(), "redirected_at_triage");
    assert_eq!(pool.mean, kpi(&r, "101", "redirected_at_triage").mean);
}
