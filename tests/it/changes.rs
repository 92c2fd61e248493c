//! Dated changes (`[[changes]]`, issue #12 item 5): from a date the run follows the changed
//! scenario — demand, a triage team that starts, opening hours — with everything already in the
//! system carried over, and a change that changes nothing changing no output.

use crate::conservation::assert_conserved;
use crate::support::{assert_agrees, pool_kpi, scenario};
use triage_sim::stats::{Estimate, get};
use triage_sim::{Scenario, replicate};

/// January and February 2024 (60 days), one call channel, plenty of handlers.
fn two_months(extra: &str) -> Scenario {
    scenario(&format!(
        r#"horizon_hours = 1440
start_date = 2024-01-01
replications = 8
seed = 77
[channels.c]
kind = "call"
priority = 1
arrivals = {{ rate_per_hour = 20 }}
handle_time = {{ dist = "exponential", mean_s = 300 }}
target = {{ answer_within_s = 60, fraction = 0.8 }}
[handlers]
count = 30
{extra}"#
    ))
}

fn monthly(r: &triage_sim::Results, kpi: &str, month: usize) -> Estimate {
    get(&r.intervals.month.channels[0][month], kpi).unwrap()
}

#[test]
fn demand_follows_a_change_from_its_date() {
    let s = two_months("[[changes]]\nfrom = 2024-02-01\nchannels.c.arrivals.rate_per_hour = 40\n");
    assert_eq!(s.changes.len(), 1);
    let r = replicate(&s);
    assert_conserved(&s, &r);
    assert_agrees("January", monthly(&r, "offered", 0), 20.0 * 744.0, 150.0);
    assert_agrees("February", monthly(&r, "offered", 1), 40.0 * 696.0, 200.0);
}

#[test]
fn a_triage_team_starting_on_a_date_takes_only_later_calls() {
    // 1,000 officers who resolve everything: every call from February on is resolved at
    // triage, every January call reaches a handler (the channel reports triage KPIs although
    // the base scenario has no team).
    let s = two_months(
        r#"[[changes]]
from = 2024-02-01
triage = { officers = 1000, channels = ["c"], policy = "when_free", handle_time = { dist = "exponential", mean_s = 60 }, resolve_fraction = 1 }
"#,
    );
    let r = replicate(&s);
    assert_conserved(&s, &r);
    for rep in &r.per_replication {
        let month = |m: usize, k: &str| get(&rep.intervals.month.channels[0][m], k).unwrap();
        let resolved = get(&rep.channels[0], "resolved_at_triage").unwrap();
        let in_triage_at_the_end = get(&rep.channels[0], "in_system").unwrap();
        assert_eq!(
            resolved + in_triage_at_the_end,
            month(1, "offered"),
            "February's calls, all resolved (bar any still with an officer at the end)"
        );
        assert!(in_triage_at_the_end <= 5.0);
        assert_eq!(
            month(0, "answered"),
            month(0, "offered"),
            "January's, all answered"
        );
        assert_eq!(month(1, "answered"), 0.0);
    }
}

#[test]
fn opening_hours_that_change_mid_run_staff_each_part() {
    // Two officers all day in January, 08:00–20:00 from February: on average
    // (2 × 744 + 2 × 12/24 × 696) / 1440 on duty. One-second calls make overtime negligible.
    let s = two_months(
        r#"[triage]
officers = 2
channels = ["c"]
policy = "when_free"
handle_time = { dist = "deterministic", value_s = 1 }
resolve_fraction = 0.5
[[changes]]
from = 2024-02-01
triage.open = "08:00"
triage.close = "20:00"
"#,
    );
    let r = replicate(&s);
    assert_conserved(&s, &r);
    let staffed = pool_kpi(r.triage.as_ref().unwrap(), "mean_staffed");
    assert_agrees(
        "officers on duty",
        staffed,
        (2.0 * 744.0 + 696.0) / 1440.0,
        0.01,
    );
}

#[test]
fn a_change_to_the_same_values_changes_no_output() {
    let plain = replicate(&two_months(""));
    let same = replicate(&two_months(
        "[[changes]]\nfrom = 2024-01-20\nchannels.c.arrivals.rate_per_hour = 20\nhandlers.shrinkage = 0\n",
    ));
    assert_eq!(
        format!("{:?}", plain.channels),
        format!("{:?}", same.channels)
    );
}

#[test]
fn changes_are_checked_and_located() {
    let err = |extra: &str| {
        Scenario::from_toml_str(
            &format!("horizon_hours = 1440\nstart_date = 2024-01-01\n[channels.c]\nkind = \"call\"\npriority = 1\narrivals = {{ rate_per_hour = 20 }}\nhandle_time = {{ dist = \"exponential\", mean_s = 300 }}\ntarget = {{ answer_within_s = 60, fraction = 0.8 }}\n[handlers]\ncount = 30\n{extra}"),
            "s.toml",
        )
        .expect_err("should be refused")
        .to_string()
    };
    let cases = [
        (
            "[[changes]]\nfrom = 2024-02-01\nhorizon_hours = 10\n",
            "s.toml:11:1: changes.0.horizon_hours: the run's own settings",
        ),
        (
            "[[changes]]\nfrom = 2023-12-01\nhandlers.count = 3\n",
            "changes.0.from: 2023-12-01 is not inside the run",
        ),
        (
            "[[changes]]\nfrom = 2024-02-01\nhandlers.shrinkage = 0.1\n[[changes]]\nfrom = 2024-01-15\nhandlers.shrinkage = 0.2\n",
            "changes.1.from: 2024-01-15 is not after the previous change",
        ),
        (
            "[[changes]]\nfrom = 2024-02-01\n",
            "changes.0: a change that sets nothing",
        ),
        (
            "[[changes]]\nfrom = \"soon\"\nhandlers.shrinkage = 0.1\n",
            "changes.0.from: missing or not a date",
        ),
        (
            "[[changes]]\nfrom = 2024-02-01\nhandlers.count = 40\n",
            "handlers: a change may not alter the handlers' count",
        ),
        (
            "[[changes]]\nfrom = 2024-02-01\nchannels.d = { kind = \"call\", priority = 2, arrivals = { rate_per_hour = 1 }, handle_time = { dist = \"exponential\", mean_s = 60 }, target = { answer_within_s = 60, fraction = 0.8 } }\n",
            "channels: a change may not add, remove or re-kind channels",
        ),
        (
            "[[changes]]\nfrom = 2024-02-01\nchannels.c.handle_time.mean_s = -5\n",
            "s.toml:11:1: channels.c.handle_time.mean_s: mean_s must be a finite number of seconds above 0 (in the scenario as changed from 2024-02-01)",
        ),
    ];
    for (extra, expected) in cases {
        let e = err(extra);
        assert!(e.contains(expected), "missing {expected:?} in:\n{e}");
    }
}
