//! Protected 999 capacity (issue #12): trunk reservation and queue-length flex rules, each
//! checked against the exact stationary distribution of a small continuous-time Markov chain
//! (exponential arrivals, handle times and patience, equal service rates for both channels so
//! that the number busy is a sufficient state).

use crate::support::{assert_agrees, kpi, scenario, stationary};
use triage_sim::replicate;

/// Per hour: 999 and 101 arrival rates; mean handle time and patience in seconds.
struct Rates {
    lambda_999_per_h: f64,
    lambda_101_per_h: f64,
    handle_s: f64,
    patience_999_s: f64,
    patience_101_s: f64,
}

impl Rates {
    fn per_s(&self) -> (f64, f64, f64, f64, f64) {
        (
            self.lambda_999_per_h / 3600.0,
            self.lambda_101_per_h / 3600.0,
            1.0 / self.handle_s,
            1.0 / self.patience_999_s,
            1.0 / self.patience_101_s,
        )
    }

    /// The two channels, in TOML.
    fn channels(&self) -> String {
        format!(
            r#"horizon_hours = 2500
warmup_hours = 25
replications = 10
seed = 12
[channels.999]
kind = "call"
priority = 0
arrivals = {{ rate_per_hour = {} }}
handle_time = {{ dist = "exponential", mean_s = {} }}
patience = {{ dist = "exponential", mean_s = {} }}
target = {{ answer_within_s = 10, fraction = 0.9 }}
[channels.101]
kind = "call"
priority = 1
arrivals = {{ rate_per_hour = {} }}
handle_time = {{ dist = "exponential", mean_s = {} }}
patience = {{ dist = "exponential", mean_s = {} }}
target = {{ answer_within_s = 60, fraction = 0.8 }}
"#,
            self.lambda_999_per_h,
            self.handle_s,
            self.patience_999_s,
            self.lambda_101_per_h,
            self.handle_s,
            self.patience_101_s
        )
    }
}

/// What the chain predicts per channel: mean queue time over offered callers (`asa_s`), the
/// abandonment rate and the probability of having to queue.
#[derive(Debug)]
struct Exact {
    asa_s: [f64; 2],
    abandonment: [f64; 2],
    p_wait: [f64; 2],
}

/// One pool of `n` handlers serving both channels, 999 first, that takes a 101 caller only
/// while at least `reserve` other handlers stay idle. State: (busy, 999 queue, 101 queue).
fn reservation_chain(r: &Rates, n: usize, reserve: usize, q_max: usize) -> Exact {
    let (l1, l2, mu, t1, t2) = r.per_s();
    let index = |b: usize, q1: usize, q2: usize| (b * (q_max + 1) + q1) * (q_max + 1) + q2;
    let states = (n + 1) * (q_max + 1) * (q_max + 1);
    let mut out = vec![Vec::new(); states];
    for b in 0..=n {
        for q1 in 0..=q_max {
            for q2 in 0..=q_max {
                let moves = &mut out[index(b, q1, q2)];
                let idle = n - b;
                // 999 arrival: any idle handler takes it.
                if idle > 0 {
                    moves.push((index(b + 1, q1, q2), l1));
                } else if q1 < q_max {
                    moves.push((index(b, q1 + 1, q2), l1));
                }
                // 101 arrival: taken only if `reserve` others stay idle.
                if idle > reserve {
                    moves.push((index(b + 1, q1, q2), l2));
                } else if q2 < q_max {
                    moves.push((index(b, q1, q2 + 1), l2));
                }
                // A completion: the freed handler takes 999, else 101 if the reserve holds.
                if b > 0 {
                    let next = if q1 > 0 {
                        index(b, q1 - 1, q2)
                    } else if q2 > 0 && idle >= reserve {
                        index(b, q1, q2 - 1)
                    } else {
                        index(b - 1, q1, q2)
                    };
                    moves.push((next, b as f64 * mu));
                }
                if q1 > 0 {
                    moves.push((index(b, q1 - 1, q2), q1 as f64 * t1));
                }
                if q2 > 0 {
                    moves.push((index(b, q1, q2 - 1), q2 as f64 * t2));
                }
            }
        }
    }
    let pi = stationary(&out);
    let (mut eq1, mut eq2, mut all_busy, mut reserved) = (0.0, 0.0, 0.0, 0.0);
    for b in 0..=n {
        for q1 in 0..=q_max {
            for q2 in 0..=q_max {
                let p = pi[index(b, q1, q2)];
                eq1 += p * q1 as f64;
                eq2 += p * q2 as f64;
                all_busy += if b == n { p } else { 0.0 };
                reserved += if n - b <= reserve { p } else { 0.0 };
            }
        }
    }
    Exact {
        asa_s: [eq1 / l1, eq2 / l2],
        abandonment: [t1 * eq1 / l1, t2 * eq2 / l2],
        p_wait: [all_busy, reserved],
    }
}

/// A 999 desk of `n999` and a 101 desk of `n101` that is pulled onto 999 while more than
/// `queue_over` 999 callers wait. State: (999 desk busy, 101 desk busy, 999 queue, 101 queue).
fn threshold_chain(r: &Rates, n999: usize, n101: usize, queue_over: usize, q_max: usize) -> Exact {
    let (l1, l2, mu, t1, t2) = r.per_s();
    let index = |a: usize, b: usize, q1: usize, q2: usize| {
        ((a * (n101 + 1) + b) * (q_max + 1) + q1) * (q_max + 1) + q2
    };
    let states = (n999 + 1) * (n101 + 1) * (q_max + 1) * (q_max + 1);
    let mut out = vec![Vec::new(); states];
    for a in 0..=n999 {
        for b in 0..=n101 {
            for q1 in 0..=q_max {
                for q2 in 0..=q_max {
                    let moves = &mut out[index(a, b, q1, q2)];
                    // 999 arrival: the 999 desk if free; else it queues, and a queue longer than
                    // the threshold pulls an idle 101 handler onto the oldest 999 caller.
                    if a < n999 {
                        moves.push((index(a + 1, b, q1, q2), l1));
                    } else if q1 + 1 > queue_over && b < n101 {
                        moves.push((index(a, b + 1, q1, q2), l1));
                    } else if q1 < q_max {
                        moves.push((index(a, b, q1 + 1, q2), l1));
                    }
                    if b < n101 {
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
                    if b > 0 {
                        let next = if q1 > queue_over {
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
    let (mut eq1, mut eq2, mut desk_full, mut all_101_busy) = (0.0, 0.0, 0.0, 0.0);
    for a in 0..=n999 {
        for b in 0..=n101 {
            for q1 in 0..=q_max {
                for q2 in 0..=q_max {
                    let p = pi[index(a, b, q1, q2)];
                    eq1 += p * q1 as f64;
                    eq2 += p * q2 as f64;
                    desk_full += if a == n999 { p } else { 0.0 };
                    all_101_busy += if b == n101 { p } else { 0.0 };
                }
            }
        }
    }
    Exact {
        asa_s: [eq1 / l1, eq2 / l2],
        abandonment: [t1 * eq1 / l1, t2 * eq2 / l2],
        p_wait: [desk_full, all_101_busy],
    }
}

fn check(results: &triage_sim::Results, exact: &Exact) {
    for (c, name) in ["999", "101"].iter().enumerate() {
        let label = |k: &str| format!("{name} {k}");
        assert_agrees(
            &label("asa_s"),
            kpi(results, name, "asa_s"),
            exact.asa_s[c],
            0.02 * exact.asa_s[c].max(5.0),
        );
        assert_agrees(
            &label("abandonment_rate"),
            kpi(results, name, "abandonment_rate"),
            exact.abandonment[c],
            0.004,
        );
        assert_agrees(
            &label("p_wait"),
            kpi(results, name, "p_wait"),
            exact.p_wait[c],
            0.006,
        );
    }
}

#[test]
fn trunk_reservation_matches_its_markov_chain() {
    let rates = Rates {
        lambda_999_per_h: 50.0,
        lambda_101_per_h: 70.0,
        handle_s: 120.0,
        patience_999_s: 60.0,
        patience_101_s: 300.0,
    };
    let text = format!(
        "{}[handlers.groups.desk]\nheadcount = 4\nreserve = {{ channel = \"999\", idle = 1 }}\n",
        rates.channels()
    );
    let exact = reservation_chain(&rates, 4, 1, 60);
    check(&replicate(&scenario(&text)), &exact);
    // The reservation is what the chain says it is: without it, 999 waits longer.
    let open = reservation_chain(&rates, 4, 0, 60);
    assert!(
        open.asa_s[0] > 1.5 * exact.asa_s[0],
        "{open:?} vs {exact:?}"
    );
}

#[test]
fn a_queue_length_rule_pulls_the_101_desk_onto_999_as_its_markov_chain_says() {
    let rates = Rates {
        lambda_999_per_h: 55.0,
        lambda_101_per_h: 30.0,
        handle_s: 120.0,
        patience_999_s: 60.0,
        patience_101_s: 400.0,
    };
    let text = format!(
        "{}[handlers.groups.desk999]\nheadcount = 2\nchannels = [\"999\"]\n\
         [handlers.groups.desk101]\nheadcount = 2\nchannels = [\"101\"]\n\
         overflow = {{ channel = \"999\", queue_over = 1 }}\n",
        rates.channels()
    );
    let exact = threshold_chain(&rates, 2, 2, 1, 40);
    check(&replicate(&scenario(&text)), &exact);
    // Without the rule (a threshold the queue never passes) 999 waits much longer.
    let never = threshold_chain(&rates, 2, 2, 40, 40);
    assert!(
        never.asa_s[0] > 1.3 * exact.asa_s[0],
        "{never:?} vs {exact:?}"
    );
}

#[test]
fn flex_rule_errors_name_the_key() {
    let rates = Rates {
        lambda_999_per_h: 10.0,
        lambda_101_per_h: 10.0,
        handle_s: 60.0,
        patience_999_s: 60.0,
        patience_101_s: 60.0,
    };
    let text = format!(
        "{}[handlers.groups.a]\nheadcount = 2\nchannels = [\"999\"]\n\
         reserve = {{ channel = \"998\" }}\n\
         [handlers.groups.b]\nheadcount = 2\nchannels = [\"101\"]\n\
         overflow = {{ channel = \"999\" }}\n\
         [handlers.groups.c]\nheadcount = 2\nchannels = [\"101\"]\n\
         overflow = {{ channel = \"999\", queue_over = -1 }}\n",
        rates.channels()
    );
    let e = triage_sim::Scenario::from_toml_str(&text, "bad.toml")
        .expect_err("should be rejected")
        .to_string();
    for expected in [
        "handlers.groups.a.reserve.channel: no channel named \"998\"",
        "handlers.groups.a.reserve.idle: missing key; expected how many idle handlers to keep for it",
        "handlers.groups.b.overflow.after_s: missing key; expected after_s (the wait after which the group helps, seconds) or queue_over (the queue length beyond which it helps), or both",
        "handlers.groups.c.overflow.queue_over: got -1; expected a whole number from 0 to",
    ] {
        assert!(e.contains(expected), "missing {expected:?} in:\n{e}");
    }
}

#[test]
fn callers_are_conserved_with_every_flex_rule_on() {
    let rates = Rates {
        lambda_999_per_h: 60.0,
        lambda_101_per_h: 90.0,
        handle_s: 150.0,
        patience_999_s: 90.0,
        patience_101_s: 600.0,
    };
    let text = format!(
        "{}[handlers.groups.desk999]\nheadcount = 2\nchannels = [\"999\", \"101\"]\n\
         reserve = {{ channel = \"999\", idle = 1 }}\n\
         [handlers.groups.desk101]\nheadcount = 3\nchannels = [\"101\"]\n\
         overflow = {{ channel = \"999\", after_s = 15, queue_over = 2 }}\n",
        rates.channels()
    );
    let s = scenario(&text);
    crate::conservation::assert_conserved(&s, &replicate(&s));
}

#[test]
fn a_flex_window_applies_the_rule_only_in_its_hours() {
    let rates = Rates {
        lambda_999_per_h: 60.0,
        lambda_101_per_h: 30.0,
        handle_s: 120.0,
        patience_999_s: 60.0,
        patience_101_s: 600.0,
    };
    let text = |rule: &str| {
        format!(
            "{}[handlers.groups.desk999]\nheadcount = 2\nchannels = [\"999\"]\n\
             [handlers.groups.desk101]\nheadcount = 3\nchannels = [\"101\"]\n{rule}\n",
            rates.channels()
        )
    };
    let asa_999 = |rule: &str, hour: usize| {
        let r = replicate(&scenario(&text(rule)));
        let cells = &r.intervals.hour_of_day.channels[0];
        triage_sim::stats::get(&cells[hour], "asa_s").unwrap().mean
    };
    let window =
        "overflow = { channel = \"999\", queue_over = 0, from = \"08:00\", until = \"20:00\" }";
    let always = "overflow = { channel = \"999\", queue_over = 0 }";
    let (in_window, all_day) = (asa_999(window, 14), asa_999(always, 14));
    let (outside, never) = (asa_999(window, 2), asa_999("", 2));
    assert!(
        never > 3.0 * all_day,
        "the rule matters: {never} vs {all_day}"
    );
    assert!(
        (in_window / all_day - 1.0).abs() < 0.15,
        "14:00: {in_window} vs {all_day}"
    );
    assert!(
        (outside / never - 1.0).abs() < 0.15,
        "02:00: {outside} vs {never}"
    );
    let e = triage_sim::Scenario::from_toml_str(
        &text("overflow = { channel = \"999\", queue_over = 0, from = \"08:00\" }"),
        "x.toml",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("handlers.groups.desk101.overflow.until: missing key; a flex window needs both from and until"), "{e}");
}
