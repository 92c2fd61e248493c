//! Every file in `scenarios/` loads, validates and runs (on a shortened horizon).

use triage_sim::time::SimTime;
use triage_sim::{Scenario, replicate};

#[test]
fn every_shipped_scenario_loads_and_runs() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let mut s = Scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
            s.horizon = s.horizon.min(s.warmup.after(SimTime::from_hours(200.0)));
            s.replications = s.replications.min(3);
            let results = replicate(&s);
            assert!(results.events > 0, "{} simulated nothing", path.display());
            every_kpi_is_in_the_kpi_table(&results);
            seen += 1;
        }
    }
    assert!(
        seen >= 2,
        "expected the shipped scenarios in {}",
        dir.display()
    );
}

#[test]
fn the_default_scenario_is_the_2024_scenario() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/");
    let read = |f: &str| std::fs::read_to_string(format!("{dir}{f}")).unwrap();
    assert_eq!(
        read("default.toml"),
        read("staffordshire-2024.toml"),
        "default.toml is a copy of the 2024 scenario"
    );
}

#[test]
fn the_default_scenario_is_the_shipped_file() {
    let shipped = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/default.toml"
    ))
    .unwrap();
    assert_eq!(shipped, triage_sim::scenario::DEFAULT_SCENARIO_TOML);
    let _ = Scenario::default_scenario();
}

/// Every KPI a run reports has a row (unit, direction, meaning) in `stats::kpi::KPIS`, so no
/// consumer has to guess its unit from its name.
fn every_kpi_is_in_the_kpi_table(results: &triage_sim::Results) {
    let iv = &results.intervals.hour_of_week;
    let names = results
        .channels
        .iter()
        .flat_map(|(_, k)| k.iter())
        .chain(results.handlers.iter())
        .chain(results.triage.iter().flatten())
        .chain(iv.channels.iter().flatten().flatten())
        .chain(iv.handlers.iter().flatten())
        .map(|(name, _)| *name);
    for name in names {
        assert!(
            triage_sim::stats::kpi::lookup(name).is_some(),
            "KPI {name} has no row in stats::kpi::KPIS"
        );
    }
}

/// The README's "your first scenario" shows the shipped file as it is, and what it says the
/// commands answer is what they answer (fixed seed: change the README when the draws change).
#[test]
fn the_readme_walkthrough_is_true() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let file = std::fs::read_to_string(format!("{root}/scenarios/northshire.toml")).unwrap();
    let section = &readme[readme
        .find("## Your first scenario")
        .expect("the walkthrough")..];
    let block = section
        .split("```toml\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .unwrap();
    assert_eq!(
        block, file,
        "the README shows scenarios/northshire.toml as it is"
    );

    let s = Scenario::load(std::path::Path::new(&format!(
        "{root}/scenarios/northshire.toml"
    )))
    .unwrap();
    let results = replicate(&s);
    let met: Vec<bool> = (0..results.channels.len())
        .map(|c| results.target_outcome(c).met)
        .collect();
    assert_eq!(
        met,
        [false, true],
        "999 misses, 101 meets, as the README says"
    );
    let answer = triage_sim::planning::staffing::search(
        &s,
        &triage_sim::planning::staffing::StaffOptions {
            max_added: 100,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(answer.handlers_needed, 50, "the README's staffing answer");
    assert!(section.contains("50 handlers (+4)"));
}
