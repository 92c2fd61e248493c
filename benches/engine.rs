//! Criterion benchmarks of one replication of the engine, reported as events per second.
//!
//! `cargo bench --bench engine` runs: the yardstick model (issue 7), an M/M/20 queue and the
//! Staffordshire 2024 scenario (the default), each for one replication of its own horizon;
//! beside the first two, a hand-written minimal loop of the same model (`support/
//! minimal_loop.rs`, group `baseline`), so the ratio is measured in one run; then how long a
//! planner waits for `staff`, `hire` and `rota` on the 2024 scenario.

#[path = "support/minimal_loop.rs"]
mod minimal_loop;

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

/// The hand-written loop of the yardstick and M/M/20 (issue #18's yardstick for speed), with
/// its service level beside triage-sim's to show it is the same model.
fn baseline(c: &mut Criterion) {
    let mut group = c.benchmark_group("baseline");
    group.sample_size(10);
    let year_s = 8760.0 * 3600.0;
    for (name, (classes, servers), file) in [
        (
            "minimal_loop_yardstick_1y",
            minimal_loop::yardstick(),
            "yardstick.toml",
        ),
        ("minimal_loop_mm20_1y", minimal_loop::mm20(), "mm20.toml"),
    ] {
        let counts = minimal_loop::simulate(&classes, servers, year_s, 1);
        let ours = triage_sim::replicate(&load(file));
        let answered_in_time = counts.within_target as f64 / counts.arrivals as f64;
        eprintln!(
            "{name}: {} events; answered within target {:.2}% of arrivals, abandoned {:.2}% \
             (triage-sim, first channel: service level {:.2}%)",
            counts.events,
            100.0 * answered_in_time,
            100.0 * counts.abandoned as f64 / counts.arrivals as f64,
            100.0
                * triage_sim::stats::get(&ours.channels[0].1, "service_level")
                    .map_or(f64::NAN, |e| e.mean),
        );
        group.throughput(Throughput::Elements(counts.events));
        group.bench_function(name, |b| {
            b.iter(|| minimal_loop::simulate(black_box(&classes), servers, year_s, 1))
        });
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

/// How long a planner waits for `hire` (2024 scenario, 95% of 999 calls within 10 s, 4
/// replications) and for `rota` (the hourly requirement by the iterative staffing algorithm,
/// 12 iterations at most as the command runs it, then the shifts; with and without a 45-minute
/// meal-break window). `rota`'s check run of the designed scenario is one more replication set.
fn plans(c: &mut Criterion) {
    use triage_sim::planning::{hire, interval_staffing, rota};
    let mut s = Scenario::default_scenario();
    s.replications = 4;
    let mut strict = s.clone();
    strict
        .channels
        .iter_mut()
        .filter(|ch| ch.name == "999")
        .for_each(|ch| ch.target.fraction = 0.95);
    let opts = hire::HireOptions {
        channels: vec![0],
        group: None,
        class: (1, 30),
        risk: None,
        max_evaluations: 120,
        intake_days: None,
        costs: None,
    };
    let mut group = c.benchmark_group("plans");
    group.sample_size(10);
    group.bench_function("hire_2024_999_95pct", |b| {
        b.iter(|| hire::plan(black_box(&strict), &opts, triage_sim::replicate).expect("a cohort"))
    });
    let rota_opts = |window| rota::RotaOptions {
        lengths: vec![8, 10, 12],
        patterns: vec!["4on4off".into(), "5on2off".into()],
        starts: (6, 22),
        on_duty_share: 1.0 - s.handlers.shrinkage,
        fte_hours_per_week: s.handlers.fte_hours_per_week,
        start_weekday: 0,
        meal_break: window,
        unsocial: None,
        max_shifts: None,
    };
    let window = triage_sim::scenario::BreakWindow {
        minutes: 45.0,
        from_hours: 3.0,
        to_hours: 6.0,
    };
    for (name, window) in [("rota_2024", None), ("rota_2024_meal_breaks", Some(window))] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let need = interval_staffing::iterative_staffing(black_box(&s), 0.1, 12);
                rota::design(&need.isa, &rota_opts(window)).expect("a rota")
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    // No plots: criterion's plotters backend needs a system font, which CI machines and
    // containers often lack (it used to panic there); the numbers are what we quote.
    config = Criterion::default().without_plots();
    targets = engine, baseline, staffing_search, plans
}
criterion_main!(benches);
