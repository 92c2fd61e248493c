//! The command-line flags that carry values (--vary, --set) never panic and never yield
//! something silently empty or non-finite, whatever is typed.

use proptest::prelude::*;
use triage_sim::planning::sweep::{MAX_VALUES, Vary};
use triage_sim::scenario::{Override, apply_overrides};

/// Ranges as users type them, and as they mistype them.
fn range_text() -> impl Strategy<Value = String> {
    let number = prop_oneof![
        any::<f64>().prop_map(|x| x.to_string()),
        (-1e6..1e6f64).prop_map(|x| x.to_string()),
        (0u32..50).prop_map(|x| x.to_string()),
        Just("1e308".to_owned()),
        Just("-1e308".to_owned()),
        Just("1e-300".to_owned()),
        Just("nan".to_owned()),
        Just("inf".to_owned()),
    ];
    (
        prop_oneof![Just("handlers.count"), Just(""), Just("a.b")],
        number.clone(),
        number.clone(),
        prop::option::of(number),
    )
        .prop_map(|(key, a, b, step)| match step {
            Some(st) => format!("{key}={a}..{b}:{st}"),
            None => format!("{key}={a}..{b}"),
        })
}

proptest! {
    #![proptest_config(crate::support::proptest_config(512))]

    #[test]
    fn vary_ranges_are_finite_ordered_and_never_empty(text in prop_oneof![range_text(), ".*"]) {
        if let Ok(v) = text.parse::<Vary>() {
            prop_assert!(!v.values.is_empty() && v.values.len() <= MAX_VALUES, "{text}: {v:?}");
            prop_assert!(v.values.iter().all(|x| x.is_finite()), "{text}: {v:?}");
            prop_assert!(v.values.windows(2).all(|w| w[0] <= w[1]), "{text}: {v:?}");
        }
    }

    #[test]
    fn set_flags_never_panic(flag in prop_oneof![".*", "[a-z0-9_.]{1,20}=.{0,20}"]) {
        if let Ok(o) = flag.parse::<Override>() {
            let text = include_str!("../../benches/scenarios/yardstick.toml");
            let _ = apply_overrides(text, &[o]);
        }
    }
}
