//! Property tests: random valid scenarios on short horizons keep every invariant.

use proptest::prelude::*;
use triage_sim::stats::{Estimate, get};
use triage_sim::{Scenario, replicate_with_threads};

use crate::conservation::assert_conserved;

fn dist() -> impl Strategy<Value = String> {
    prop_oneof![
        (1.0..600.0f64).prop_map(|m| format!("{{ dist = \"exponential\", mean_s = {m} }}")),
        (1.0..600.0f64, 0.1..2.0f64).prop_map(|(m, cv)| format!(
            "{{ dist = \"lognormal\", mean_s = {m}, sd_s = {} }}",
            m * cv
        )),
        (1.0..600.0f64, 0.1..2.0f64)
            .prop_map(|(m, cv)| format!("{{ dist = \"gamma\", mean_s = {m}, sd_s = {} }}", m * cv)),
        (1.0..600.0f64).prop_map(|v| format!("{{ dist = \"deterministic\", value_s = {v} }}")),
        (0.0..100.0f64, 1.0..500.0f64)
            .prop_map(|(a, w)| format!("{{ dist = \"uniform\", min_s = {a}, max_s = {} }}", a + w)),
        prop::collection::vec(0.0..400.0f64, 1..6).prop_map(|v| format!(
            "{{ dist = \"empirical\", values_s = [{}, 1.0] }}",
            v.iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    ]
}

fn channel(i: usize) -> impl Strategy<Value = String> {
    // Channel c0 is always a call, so that the triage team (which answers c0) is valid.
    let kind = if i == 0 {
        Just("call").boxed()
    } else {
        prop_oneof![Just("call"), Just("deferred"), Just("chat")].boxed()
    };
    let extras = (
        prop::option::of((0.0..=1.0f64, 1..4i64)),
        prop::option::of(0.0..0.3f64),
        any::<bool>(),
        1..4i64,
    );
    (kind, 0..3i64, 0.0..120.0f64, dist(), prop::option::of(dist()), 0.0..120.0f64, 0.0..=1.0f64, extras).prop_map(
        move |(kind, priority, rate, handle, patience, within, fraction, (redial, drops, transfer, concurrency))| {
            let mut text = format!(
                "[channels.c{i}]\nkind = \"{kind}\"\npriority = {priority}\narrivals = {{ rate_per_hour = {rate}, hour_of_day = [1, 1, 1, 1, 1, 1, 2, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 2, 2, 1, 1, 1], day_cv = 0.1 }}\nhandle_time = {handle}\ntarget = {{ answer_within_s = {within}, fraction = {fraction} }}\n"
            );
            if kind != "deferred" {
                if let Some(p) = patience {
                    text += &format!("patience = {p}\n");
                }
                if let Some((p, max)) = redial {
                    text += &format!("redial = {{ probability = {p}, delay = {{ dist = \"exponential\", mean_s = 60 }}, max_attempts = {max} }}\n");
                }
            }
            if kind == "chat" {
                text += &format!("concurrency = {concurrency}\n");
            }
            if kind == "call" {
                if let Some(f) = drops {
                    text += &format!("drops = {{ fraction = {f}, handle_time = {{ dist = \"exponential\", mean_s = 60 }} }}\n");
                }
                if transfer {
                    text += "transfer = { dist = \"uniform\", min_s = 1, max_s = 5 }\n";
                }
            }
            text
        },
    )
}

fn workforce() -> impl Strategy<Value = String> {
    prop_oneof![
        (0..25i64).prop_map(|n| format!("[handlers]\ncount = {n}\n")),
        (1..12i64, 1..3i64, 0.0..0.4f64, any::<bool>()).prop_map(|(n, teams, shrink, hires)| {
            let mut t = format!(
                "[handlers]\nshrinkage = {shrink}\nattrition_per_year = 0.5\n[handlers.groups.days]\nheadcount = {n}\nteams = {teams}\npattern = \"2on1off\"\nshift_start = \"06:00\"\nshift_hours = 13\n[handlers.groups.nights]\nheadcount = {n}\nshift_start = \"19:00\"\nshift_hours = 11\n"
            );
            if hires {
                t += "[[handlers.hires]]\ngroup = \"days\"\nstart_date = 2024-01-01\ncount = 3\ntraining_weeks = 0.1\nramp_weeks = 0.1\ninitial_aht_factor = 1.5\n";
            }
            t
        }),
    ]
}

fn scenario_text() -> impl Strategy<Value = String> {
    let channels = (1..=3usize).prop_flat_map(|n| (0..n).map(channel).collect::<Vec<_>>());
    let triage = prop::option::of((
        0..4i64,
        any::<bool>(),
        dist(),
        0.0..0.6f64,
        0.0..0.4f64,
        any::<bool>(),
    ));
    (channels, workforce(), triage, any::<u32>()).prop_map(|(chs, handlers, triage, seed)| {
        let mut text = format!("horizon_hours = 40\nwarmup_hours = 2\nreplications = 3\nseed = {seed}\n{}{handlers}", chs.join(""));
        if let Some((officers, queue, handle, resolve, escalate, hours)) = triage {
            let policy = if queue { "queue" } else { "when_free" };
            text += &format!("[triage]\nofficers = {officers}\nchannels = [\"c0\"]\npolicy = \"{policy}\"\nhandle_time = {handle}\nresolve_fraction = {resolve}\nescalate_fraction = {escalate}\n");
            if hours {
                text += "open = \"08:00\"\nclose = \"20:00\"\n";
            }
        }
        text
    })
}

fn in_unit_interval(e: Estimate) -> bool {
    e.mean.is_nan() || (0.0..=1.0 + 1e-12).contains(&e.mean)
}

proptest! {
    #![proptest_config(crate::support::proptest_config(256))]

    #[test]
    fn random_scenarios_keep_every_invariant(text in scenario_text()) {
        // Some random scenarios are legitimately refused (deferred triage channel, unstable):
        // those must be refused with located errors, never a panic.
        let s = match Scenario::from_toml_str(&text, "random.toml") {
            Ok(s) => s,
            Err(e) => {
                prop_assert!(e.to_string().starts_with("random.toml:"), "{}", e);
                return Ok(());
            }
        };
        let results = replicate_with_threads(&s, 1);
        assert_conserved(&s, &results);
        for (name, kpis) in &results.channels {
            for (k, e) in kpis {
                prop_assert!(e.mean.is_nan() || e.mean >= 0.0, "{name}.{k} negative: {e:?}");
                prop_assert!(!e.mean.is_infinite(), "{name}.{k} infinite");
                if !e.ci_low.is_nan() {
                    prop_assert!(e.ci_low <= e.mean && e.mean <= e.ci_high, "{name}.{k}: CI misses mean {e:?}");
                }
            }
            for k in ["service_level", "abandonment_rate", "p_wait"] {
                prop_assert!(in_unit_interval(get(kpis, k).unwrap()), "{name}.{k} outside [0,1]");
            }
        }
        // Never more busy handlers (or officers) than staffed.
                prop_assert!(in_unit_interval(get(&results.handlers, "occupancy").unwrap()));
        // Never more chats per handler than any chat channel allows.
        let most = s.channels.iter().map(|c| c.concurrency).max().unwrap_or(1);
        prop_assert!(get(&results.handlers, "max_chats_per_handler").unwrap().mean <= f64::from(most));
        if let Some(t) = &results.triage {
            prop_assert!(in_unit_interval(get(t, "occupancy").unwrap()));
        }
        let again = replicate_with_threads(&s, 2);
        prop_assert_eq!(format!("{:?}", results.per_replication), format!("{:?}", again.per_replication));
    }
}

/// The generator must mostly produce valid scenarios, or the property above tests little.
#[test]
fn most_generated_scenarios_are_valid() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = scenario_text();
    let total = 400;
    let valid = (0..total)
        .filter(|_| {
            let text = strategy.new_tree(&mut runner).unwrap().current();
            Scenario::from_toml_str(&text, "random.toml").is_ok()
        })
        .count();
    assert!(
        valid * 2 > total,
        "only {valid} of {total} generated scenarios are valid"
    );
}
