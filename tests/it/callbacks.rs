//! Call-backs ("queue buster", virtual hold), issue #12: an exact Markov chain for the
//! threshold, the limits where the offer must change nothing, the binomial shares of
//! acceptance and failed attempts, and conservation with everything on.

use crate::conservation::assert_conserved;
use crate::support::{assert_agrees, kpi, scenario, stationary};
use triage_sim::stats::get;
use triage_sim::{Scenario, replicate};

/// One call channel on `agents` handlers, exponential everything, with an optional call-back.
fn channel(agents: u32, rate_per_h: f64, callback: &str) -> Scenario {
    scenario(&format!(
        r#"horizon_hours = 2500
warmup_hours = 25
replications = 10
seed = 31
[channels.101]
kind = "call"
priority = 1
arrivals = {{ rate_per_hour = {rate_per_h} }}
handle_time = {{ dist = "exponential", mean_s = 300 }}
patience = {{ dist = "exponential", mean_s = 60 }}
target = {{ answer_within_s = 60, fraction = 0.8 }}
{callback}
[handlers]
count = {agents}
"#
    ))
}

/// What the chain predicts: abandonment rate, mean time in queue over offered callers, the
/// probability of queueing and the share of callers offered a call-back.
struct Exact {
    abandonment: f64,
    asa_s: f64,
    p_wait: f64,
    offered_share: f64,
}

/// M/M/c+M in which every caller who joins behind at least one other (threshold 0) accepts a
/// call-back that always succeeds, and so stops hanging up. Only a caller who finds the queue
/// empty stays impatient, and it is then at the head, so the state is (busy, queue length,
/// whether the head is impatient).
fn offer_behind_anyone_chain(c: usize, lambda_per_h: f64, handle_s: f64, patience_s: f64) -> Exact {
    let (l, mu, th) = (lambda_per_h / 3600.0, 1.0 / handle_s, 1.0 / patience_s);
    let n_max = 400;
    // States 0..c: that many busy, nobody waiting. Then (all busy, n ≥ 1, head impatient?).
    let full = c; // all busy, empty queue
    let q = |n: usize, impatient: bool| c + 1 + 2 * (n - 1) + usize::from(impatient);
    let states = c + 1 + 2 * n_max;
    let mut out = vec![Vec::new(); states];
    for (b, moves) in out.iter_mut().enumerate().take(c) {
        moves.push((b + 1, l));
        if b > 0 {
            moves.push((b - 1, b as f64 * mu));
        }
    }
    out[full].push((q(1, true), l));
    out[full].push((c - 1, c as f64 * mu));
    for n in 1..=n_max {
        for imp in [false, true] {
            let s = q(n, imp);
            if n < n_max {
                out[s].push((q(n + 1, imp), l));
            }
            let shorter = if n == 1 { full } else { q(n - 1, false) };
            out[s].push((shorter, c as f64 * mu));
            if imp {
                out[s].push((shorter, th));
            }
        }
    }
    let pi = stationary(&out);
    let (mut eq, mut head_impatient, mut queue_nonempty) = (0.0, 0.0, 0.0);
    for n in 1..=n_max {
        for imp in [false, true] {
            let p = pi[q(n, imp)];
            eq += n as f64 * p;
            queue_nonempty += p;
            if imp {
                head_impatient += p;
            }
        }
    }
    let all_busy = pi[full] + queue_nonempty;
    Exact {
        abandonment: th * head_impatient / l,
        asa_s: eq / l,
        p_wait: all_busy,
        offered_share: queue_nonempty,
    }
}

#[test]
fn a_call_back_for_anyone_behind_another_matches_its_markov_chain() {
    let (agents, rate) = (3, 30.0);
    let s = channel(
        agents,
        rate,
        "callback = { offer_when_waiting_over = 0, accept = 1, success = 1 }",
    );
    let exact = offer_behind_anyone_chain(agents as usize, rate, 300.0, 60.0);
    let r = replicate(&s);
    assert_conserved(&s, &r);
    assert_agrees(
        "abandonment",
        kpi(&r, "101", "abandonment_rate"),
        exact.abandonment,
        0.005,
    );
    assert_agrees("asa_s", kpi(&r, "101", "asa_s"), exact.asa_s, 30.0);
    assert_agrees("p_wait", kpi(&r, "101", "p_wait"), exact.p_wait, 0.01);
    let offered = kpi(&r, "101", "offered").mean;
    let share = kpi(&r, "101", "callbacks_offered");
    assert_agrees(
        "share offered a call-back",
        triage_sim::stats::Estimate {
            mean: share.mean / offered,
            ci_low: share.ci_low / offered,
            ci_high: share.ci_high / offered,
        },
        exact.offered_share,
        0.02,
    );
    // Without the offer the same system loses far more callers: the test can tell.
    let plain = replicate(&channel(agents, rate, ""));
    assert!(kpi(&plain, "101", "abandonment_rate").mean > 2.0 * exact.abandonment);
}

#[test]
fn an_offer_nobody_accepts_changes_nothing() {
    let with = replicate(&channel(
        3,
        40.0,
        "callback = { offer_when_waiting_over = 0, accept = 0 }",
    ));
    let without = replicate(&channel(3, 40.0, ""));
    for name in ["offered", "answered", "abandoned", "asa_s", "p99_wait_s"] {
        assert_eq!(
            kpi(&with, "101", name).mean,
            kpi(&without, "101", name).mean,
            "{name}"
        );
    }
    assert!(kpi(&with, "101", "callbacks_offered").mean > 1000.0);
    assert_eq!(kpi(&with, "101", "callbacks_accepted").mean, 0.0);
}

#[test]
fn acceptance_and_failed_attempts_follow_their_probabilities() {
    // Overloaded without the offer, so that many are offered one; 40% accept; each attempt
    // reaches the caller 70% of the time; three attempts: 2.7% of call-backs fail.
    let s = channel(
        3,
        45.0,
        "callback = { offer_when_waiting_over = 1, accept = 0.4, success = 0.7, max_attempts = 3, retry_after = { dist = \"exponential\", mean_s = 600 } }",
    );
    let r = replicate(&s);
    assert_conserved(&s, &r);
    let total = |name: &str| -> f64 {
        r.per_replication
            .iter()
            .map(|rep| get(&rep.channels[0], name).unwrap())
            .sum()
    };
    let binomial = |label: &str, hits: f64, n: f64, p: f64| {
        let se = (p * (1.0 - p) / n).sqrt();
        let got = hits / n;
        assert!(
            (got - p).abs() < 4.0 * se,
            "{label}: {got:.5} vs {p} (±{se:.5}, n = {n})"
        );
    };
    let (offered, accepted) = (total("callbacks_offered"), total("callbacks_accepted"));
    let (completed, failed) = (total("callbacks_completed"), total("callbacks_failed"));
    assert!(offered > 20_000.0 && failed > 100.0, "{offered} {failed}");
    binomial("acceptance", accepted, offered, 0.4);
    binomial("failure", failed, completed + failed, 0.3f64.powi(3));
    let t = kpi(&r, "101", "mean_callback_time_s").mean;
    assert!(t > 0.0 && t.is_finite(), "time to call-back {t}");
}

#[test]
fn callers_are_conserved_with_call_backs_triage_redials_and_flex() {
    let s = scenario(
        r#"
horizon_hours = 300
warmup_hours = 5
replications = 4
[channels.999]
kind = "call"
priority = 0
arrivals = { rate_per_hour = 40 }
handle_time = { dist = "exponential", mean_s = 300 }
patience = { dist = "exponential", mean_s = 60 }
target = { answer_within_s = 10, fraction = 0.9 }
[channels.101]
kind = "call"
priority = 1
arrivals = { rate_per_hour = 60 }
handle_time = { dist = "lognormal", mean_s = 500, sd_s = 400 }
patience = { dist = "exponential", mean_s = 400 }
target = { answer_within_s = 60, fraction = 0.8 }
redial = { probability = 0.5, delay = { dist = "exponential", mean_s = 300 } }
callback = { offer_when_waiting_over = 3, accept = 0.6, success = 0.8, max_attempts = 2 }
[handlers.groups.desk999]
headcount = 3
channels = ["999"]
overflow = { channel = "101", after_s = 600 }
[handlers.groups.desk101]
headcount = 4
channels = ["101"]
overflow = { channel = "999", queue_over = 2 }
[triage]
officers = 2
channels = ["101"]
policy = "queue"
handle_time = { dist = "exponential", mean_s = 120 }
resolve_fraction = 0.3
escalate_fraction = 0.1
"#,
    );
    let r = replicate(&s);
    assert_conserved(&s, &r);
    assert!(kpi(&r, "101", "callbacks_failed").mean > 0.0);
    assert!(kpi(&r, "101", "callbacks_completed").mean > 100.0);
}

#[test]
fn an_offer_by_expected_wait_is_the_position_rule_it_implies() {
    // 10 handlers, mean handle 300 s: a caller with k ahead expects (k + 1) × 30 s. Over 90 s
    // means more than 2 ahead, exactly offer_when_waiting_over = 2; over 89 s, more than 1.
    // Same decisions, same random draws: every KPI must be identical.
    let kpis = |rule: &str| {
        let s = channel(
            10,
            115.0,
            &format!("callback = {{ {rule}, accept = 0.5, success = 0.9 }}"),
        );
        let r = replicate(&s);
        assert_conserved(&s, &r);
        r.channels[0].1.clone()
    };
    let by_wait = kpis("offer_when_expected_wait_over_s = 90");
    assert_eq!(by_wait, kpis("offer_when_waiting_over = 2"));
    assert!(get(&by_wait, "callbacks_offered").unwrap().mean > 100.0);
    assert_eq!(
        kpis("offer_when_expected_wait_over_s = 89"),
        kpis("offer_when_waiting_over = 1")
    );
    assert_ne!(by_wait, kpis("offer_when_waiting_over = 1"));
}
