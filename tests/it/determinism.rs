//! Same scenario and seed: bit-identical output, whatever the thread count.

use triage_sim::report::{results_csv, results_json};
use triage_sim::{Scenario, replicate_with_threads};

fn output(s: &Scenario, threads: usize) -> String {
    let mut json: serde_json::Value =
        serde_json::from_str(&results_json(&replicate_with_threads(s, threads))).unwrap();
    json["wall_s"] = serde_json::Value::Null; // the only field that measures the machine
    serde_json::to_string(&json).unwrap()
}

#[test]
fn one_thread_and_many_give_identical_output() {
    let mut s = Scenario::default_scenario();
    s.replications = 6;
    let one = output(&s, 1);
    assert_eq!(one, output(&s, 4));
    assert_eq!(one, output(&s, 1));
    let csv = |t| {
        let text = results_csv(&replicate_with_threads(&s, t)).unwrap();
        text.lines()
            .filter(|l| !l.contains("wall_s"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(csv(1), csv(3));
}

#[test]
fn a_different_seed_gives_different_output() {
    let mut s = Scenario::default_scenario();
    s.replications = 2;
    let a = output(&s, 2);
    s.seed += 1;
    assert_ne!(a, output(&s, 2));
}
