//! The IVR stage (issue #12 item 6): a menu before the queue thins the callers and delays
//! them by a constant, so the queue behind it is the Erlang A queue of the thinned rate.

use crate::conservation::assert_conserved;
use crate::support::{assert_agrees, kpi, scenario};
use triage_sim::replicate;

#[test]
fn an_ivr_thins_the_queue_to_the_erlang_a_case_it_leaves() {
    // 250 calls/h into a 20 s menu; 10% hang up there and 10% serve themselves: the queue sees
    // a Poisson stream of 200/h (thinning and a constant delay keep it Poisson) — the mm14
    // Erlang A case: P(wait) 0.14526, P(abandon) 0.013984, 91.679% within 20 s.
    let s = scenario(
        r#"horizon_hours = 3000
warmup_hours = 20
replications = 8
seed = 5
[channels.calls]
kind = "call"
priority = 1
arrivals = { rate_per_hour = 250 }
handle_time = { dist = "exponential", mean_s = 180 }
patience = { dist = "exponential", mean_s = 300 }
target = { answer_within_s = 20, fraction = 0.8 }
ivr = { time = { dist = "deterministic", value_s = 20 }, abandon = 0.1, self_service = 0.1 }
[handlers]
count = 14
"#,
    );
    let r = replicate(&s);
    assert_conserved(&s, &r);
    assert_agrees("P(wait)", kpi(&r, "calls", "p_wait"), 0.14526, 0.01);
    assert_agrees(
        "abandonment",
        kpi(&r, "calls", "abandonment_rate"),
        0.013984,
        0.003,
    );
    assert_agrees(
        "service level",
        kpi(&r, "calls", "service_level"),
        0.91679,
        0.01,
    );
    let entered = kpi(&r, "calls", "ivr_calls").mean;
    assert_agrees(
        "ivr calls",
        kpi(&r, "calls", "ivr_calls"),
        250.0 * 2980.0,
        0.01 * entered,
    );
    for name in ["ivr_abandoned", "ivr_self_served"] {
        assert_agrees(name, kpi(&r, "calls", name), 0.1 * entered, 0.01 * entered);
    }
    assert_agrees(
        "offered to the queue",
        kpi(&r, "calls", "offered"),
        0.8 * entered,
        0.01 * entered,
    );
}

#[test]
fn an_ivr_is_checked() {
    let text = |ivr: &str| {
        format!(
            "horizon_hours = 10\n[channels.web]\nkind = \"deferred\"\npriority = 1\narrivals = {{ rate_per_hour = 5 }}\nhandle_time = {{ dist = \"exponential\", mean_s = 60 }}\ntarget = {{ answer_within_hours = 24, fraction = 0.9 }}\n{ivr}\n[handlers]\ncount = 2\n"
        )
    };
    let e = triage_sim::Scenario::from_toml_str(
        &text("ivr = { time = { dist = \"deterministic\", value_s = 5 } }"),
        "bad.toml",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("channels.web.ivr: an IVR answers calls"), "{e}");
    let calls = |ivr: &str| {
        format!(
            "horizon_hours = 10\n[channels.calls]\nkind = \"call\"\npriority = 1\narrivals = {{ rate_per_hour = 5 }}\nhandle_time = {{ dist = \"exponential\", mean_s = 60 }}\ntarget = {{ answer_within_s = 20, fraction = 0.9 }}\n{ivr}\n[handlers]\ncount = 2\n"
        )
    };
    let e = triage_sim::Scenario::from_toml_str(
        &calls("ivr = { abandon = 0.7, self_service = 0.5 }"),
        "bad.toml",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("channels.calls.ivr.time: missing key"), "{e}");
    assert!(
        e.contains("abandon + self_service = 1.2; expected at most 1"),
        "{e}"
    );
}
