//! The simulator against queueing theory: Erlang C, Erlang A, Erlang B (triage interception),
//! Cobham's non-preemptive priority formula and Little's law. Tolerances come from the
//! replications' confidence intervals (see `support::assert_agrees`).

use triage_sim::erlang::{ErlangInput, erlang_b, erlang_c};
use triage_sim::replicate;
use triage_sim::stats::get;

use crate::support::{assert_agrees, kpi, mmn, pool_kpi, scenario};

fn check_erlang(
    rate_per_hour: f64,
    aht_s: f64,
    agents: u32,
    target_s: f64,
    patience_s: Option<f64>,
    calls: f64,
) {
    let truth = ErlangInput {
        rate_per_hour,
        aht_s,
        agents,
        target_s,
        patience_s,
    }
    .solve()
    .unwrap();
    let results = replicate(&mmn(
        rate_per_hour,
        aht_s,
        agents,
        target_s,
        patience_s,
        calls,
    ));
    let label = format!("λ={rate_per_hour}/h AHT={aht_s}s n={agents} patience={patience_s:?}");
    // Interval widths allowed: a few percent of the value, so the comparison has power.
    let p_wait = kpi(&results, "calls", "p_wait");
    assert_agrees(
        &format!("{label} p_wait"),
        p_wait,
        truth.p_wait,
        0.01_f64.max(truth.p_wait * 0.03),
    );
    let sl = kpi(&results, "calls", "service_level");
    assert_agrees(
        &format!("{label} service_level"),
        sl,
        truth.service_level,
        0.01,
    );
    let asa = kpi(&results, "calls", "asa_s");
    assert_agrees(
        &format!("{label} asa_s"),
        asa,
        truth.asa_s,
        (truth.asa_s * 0.08).max(0.05),
    );
    let occ = pool_kpi(&results.handlers, "occupancy");
    assert_agrees(&format!("{label} occupancy"), occ, truth.occupancy, 0.01);
    if patience_s.is_none() {
        // Everyone is eventually answered: the mean wait over answered calls is the ASA.
        let w = kpi(&results, "calls", "mean_wait_s");
        assert_agrees(
            &format!("{label} mean_wait_s"),
            w,
            truth.asa_s,
            (truth.asa_s * 0.08).max(0.05),
        );
    } else {
        let ab = kpi(&results, "calls", "abandonment_rate");
        assert_agrees(
            &format!("{label} abandonment"),
            ab,
            truth.p_abandon,
            (truth.p_abandon * 0.08).max(0.002),
        );
    }
}

#[test]
fn erlang_c_reference_case_14_agents() {
    // 100 calls per 30 min, AHT 180 s, 14 agents, target 20 s: P(wait) 0.1741, SL 0.8884.
    check_erlang(200.0, 180.0, 14, 20.0, None, 400_000.0);
}

#[test]
fn erlang_c_single_server_light_and_heavy() {
    check_erlang(18.0, 100.0, 1, 30.0, None, 300_000.0); // ρ = 0.5
    check_erlang(34.2, 100.0, 1, 600.0, None, 2_000_000.0); // ρ = 0.95: slow to mix, long run
}

#[test]
fn erlang_c_across_pool_sizes_and_loads() {
    check_erlang(57.6, 100.0, 2, 20.0, None, 400_000.0); // ρ = 0.8
    check_erlang(972.0, 100.0, 30, 10.0, None, 800_000.0); // ρ = 0.9
    check_erlang(3420.0, 100.0, 100, 5.0, None, 2_000_000.0); // ρ = 0.95
    check_erlang(3024.0, 100.0, 120, 2.0, None, 600_000.0); // ρ = 0.7, 120 agents
}

#[test]
fn erlang_a_reference_case_14_agents() {
    // Mean patience 300 s: P(wait) 0.14526, P(abandon) 0.013984, SL 0.91679, ASA 4.195 s.
    check_erlang(200.0, 180.0, 14, 20.0, Some(300.0), 500_000.0);
}

#[test]
fn erlang_a_101_like_and_overloaded() {
    check_erlang(60.0, 480.0, 9, 60.0, Some(720.0), 300_000.0);
    check_erlang(60.0, 480.0, 12, 180.0, Some(720.0), 300_000.0);
    // Overloaded (ρ = 1.2): Erlang A still has a steady state because callers abandon.
    check_erlang(432.0, 100.0, 10, 20.0, Some(200.0), 400_000.0);
    check_erlang(3240.0, 100.0, 95, 10.0, Some(300.0), 1_000_000.0);
}

/// Cobham: class k's mean wait W_k = C(c,a) / (cμ (1 − σ_{k−1})(1 − σ_k)), σ_k = Σ_{i≤k} λ_i / (cμ).
#[test]
fn non_preemptive_priorities_follow_cobham() {
    let (c, aht) = (4u32, 100.0);
    let rates = [43.2, 36.0, 43.2]; // per hour: ρ = 0.3, 0.25, 0.3 → 0.85 in all
    let s = scenario(&format!(
        r#"
horizon_hours = 60000
warmup_hours = 100
replications = 10
seed = 11
[channels.high]
kind = "call"
priority = 0
arrivals = {{ rate_per_hour = {} }}
handle_time = {{ dist = "exponential", mean_s = {aht} }}
target = {{ answer_within_s = 20, fraction = 0.8 }}
[channels.mid]
kind = "call"
priority = 1
arrivals = {{ rate_per_hour = {} }}
handle_time = {{ dist = "exponential", mean_s = {aht} }}
target = {{ answer_within_s = 20, fraction = 0.8 }}
[channels.low]
kind = "deferred"
priority = 2
arrivals = {{ rate_per_hour = {} }}
handle_time = {{ dist = "exponential", mean_s = {aht} }}
target = {{ answer_within_s = 20, fraction = 0.8 }}
[handlers]
count = {c}
"#,
        rates[0], rates[1], rates[2]
    ));
    let results = replicate(&s);
    let cmu = f64::from(c) / aht;
    let a: f64 = rates.iter().map(|r| r / 3600.0 * aht).sum();
    let base = erlang_c(c, a) / cmu;
    let mut sigma_prev = 0.0;
    for (name, rate) in ["high", "mid", "low"].iter().zip(rates) {
        let sigma = sigma_prev + rate / 3600.0 / cmu;
        let want = base / ((1.0 - sigma_prev) * (1.0 - sigma));
        let got = kpi(&results, name, "mean_wait_s");
        assert_agrees(&format!("Cobham W_{name}"), got, want, want * 0.05);
        sigma_prev = sigma;
    }
}

/// A `when_free` triage team is a loss system: it intercepts 1 − B(officers, load) of calls,
/// whatever the distribution of triage times (Erlang B is insensitive to it).
#[test]
fn when_free_triage_intercepts_per_erlang_b() {
    for dist in [
        r#"{ dist = "exponential", mean_s = 120 }"#,
        r#"{ dist = "lognormal", mean_s = 120, sd_s = 200 }"#,
    ] {
        let s = scenario(&format!(
            r#"
horizon_hours = 20000
warmup_hours = 10
replications = 10
seed = 3
[channels.101]
kind = "call"
priority = 1
arrivals = {{ rate_per_hour = 60 }}
handle_time = {{ dist = "exponential", mean_s = 300 }}
patience = {{ dist = "exponential", mean_s = 600 }}
target = {{ answer_within_s = 60, fraction = 0.8 }}
[handlers]
count = 6
[triage]
officers = 3
channels = ["101"]
policy = "when_free"
handle_time = {dist}
resolve_fraction = 0.4
escalate_fraction = 0.1
"#
        ));
        let results = replicate(&s);
        let triage = results.triage.as_ref().unwrap();
        let want = 1.0 - erlang_b(3, 2.0);
        assert_agrees(
            &format!("intercept rate, triage {dist}"),
            pool_kpi(triage, "intercept_rate"),
            want,
            0.005,
        );
        // Officers are busy exactly while intercepting: occupancy = intercepted load / officers.
        assert_agrees(
            "triage occupancy",
            pool_kpi(triage, "occupancy"),
            2.0 * want / 3.0,
            0.005,
        );
        // Outcomes are drawn with the configured probabilities.
        let per_rep: Vec<f64> = results
            .per_replication
            .iter()
            .map(|r| {
                let t = r.triage.as_ref().unwrap();
                get(t, "resolved_at_triage").unwrap() / get(t, "intercepted").unwrap()
            })
            .collect();
        let e = triage_sim::stats::Estimate::from_samples(&per_rep);
        assert_agrees("resolved share of intercepted", e, 0.4, 0.01);
    }
}

/// Little's law on the queues: time-average number waiting = arrival rate × mean time waiting.
#[test]
fn littles_law_holds_on_every_queue() {
    let s = scenario(
        r#"
horizon_hours = 5000
warmup_hours = 20
replications = 10
seed = 5
[channels.999]
kind = "call"
priority = 0
arrivals = { rate_per_hour = 30 }
handle_time = { dist = "lognormal", mean_s = 240, sd_s = 200 }
patience = { dist = "lognormal", mean_s = 600, sd_s = 400 }
target = { answer_within_s = 10, fraction = 0.9 }
[channels.101]
kind = "call"
priority = 1
arrivals = { rate_per_hour = 60 }
handle_time = { dist = "gamma", mean_s = 400, sd_s = 300 }
patience = { dist = "exponential", mean_s = 400 }
target = { answer_within_s = 60, fraction = 0.8 }
[channels.web]
kind = "deferred"
priority = 2
arrivals = { rate_per_hour = 6 }
handle_time = { dist = "uniform", min_s = 200, max_s = 600 }
target = { answer_within_s = 3600, fraction = 0.9 }
[handlers]
count = 8
[triage]
officers = 2
channels = ["101"]
policy = "queue"
handle_time = { dist = "deterministic", value_s = 60 }
resolve_fraction = 0.3
escalate_fraction = 0.05
"#,
    );
    let results = replicate(&s);
    let observed_s = s.observed_s();
    for (name, _) in &results.channels {
        let l = kpi(&results, name, "mean_queue_len");
        let per_rep: Vec<f64> = results
            .per_replication
            .iter()
            .map(|r| {
                let k = &r.channels[s.channels.iter().position(|c| &c.name == name).unwrap()];
                get(k, "offered").unwrap() / observed_s * get(k, "asa_s").unwrap()
            })
            .collect();
        let lambda_w = triage_sim::stats::Estimate::from_samples(&per_rep);
        assert!(
            l.mean > 0.01,
            "{name}: queue too short to test ({})",
            l.mean
        );
        assert_agrees(
            &format!("Little's law on {name}"),
            l,
            lambda_w.mean,
            l.mean * 0.1,
        );
    }
}
