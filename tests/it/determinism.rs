//! Same scenario and seed: bit-identical output, whatever the thread count.

use triage_sim::report::{results_csv, results_json};
use triage_sim::{Scenario, replicate_with_threads};

fn output(s: &Scenario, threads: usize) -> String {
    results_json(&replicate_with_threads(s, threads), false)
}

#[test]
fn one_thread_and_many_give_identical_output() {
    let mut s = Scenario::default_scenario();
    s.replications = 6;
    let one = output(&s, 1);
    assert_eq!(one, output(&s, 4));
    assert_eq!(one, output(&s, 1));
    let csv = |t| results_csv(&replicate_with_threads(&s, t), false).unwrap();
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
