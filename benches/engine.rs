//! Criterion benchmarks of one replication of the engine, reported as events per second.
//!
//! `cargo bench --bench engine` runs: the yardstick model (issue 7), an M/M/20 queue and the
//! Staffordshire 2024 scenario (the default), each for one replication of its own horizon.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use triage_sim::{Scenario, sim};

fn load(name: &str) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("benches/scenarios")
        .join(name);
    Scenario::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn engine(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    for (name, scenario) in [
        ("yardstick_1y", load("yardstick.toml")),
        ("mm20_1y", load("mm20.toml")),
        ("staffordshire_2024_1y", Scenario::default_scenario()),
    ] {
        let events = sim::run(&scenario, 0).events;
        group.throughput(Throughput::Elements(events));
        group.bench_function(name, |b| b.iter(|| sim::run(black_box(&scenario), 0)));
    }
    group.finish();
}

/// How long a planner waits for `staff` on the 2024 scenario with a stricter 999 target
/// (97% within 10 s), 4 replications per candidate.
fn staffing_search(c: &mut Criterion) {
    let mut s = Scenario::default_scenario();
    s.replications = 4;
    s.channels
        .iter_mut()
        .filter(|ch| ch.name == "999")
        .for_each(|ch| ch.target.fraction = 0.97);
    let opts = triage_sim::planning::staffing::StaffOptions {
        channels: vec!["999".into()],
        max_added: 500,
        ..Default::default()
    };
    let mut group = c.benchmark_group("staffing");
    group.sample_size(10);
    group.bench_function("staffordshire_2024_999_97pct", |b| {
        b.iter(|| triage_sim::planning::staffing::search(black_box(&s), &opts).expect("reachable"))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    // No plots: criterion's plotters backend needs a system font, which CI machines and
    // containers often lack (it used to panic there); the numbers are what we quote.
    config = Criterion::default().without_plots();
    targets = engine, staffing_search
}
criterion_main!(benches);
