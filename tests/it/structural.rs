//! Structural mutations of the shipped scenarios: tables swapped, values wrapped in arrays,
//! tables where numbers belong, keys removed, huge and negative counts. Whatever the shape,
//! loading gives a located error or a scenario that keeps every promise the fuzz target checks
//! (`fuzz/check.rs`: finite loads and estimates; small ones simulated and conserved).

use proptest::prelude::*;

use crate::fuzz_corpus::check;

/// Scenarios to mutate, each cut to two days (without its dated changes) so most mutants are
/// also simulated.
fn bases() -> Vec<toml::Table> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    [
        "scenarios/default.toml",
        "scenarios/staffordshire-2022.toml",
        "scenarios/mm14-patience.toml",
        "benches/scenarios/yardstick.toml",
    ]
    .iter()
    .map(|p| {
        let text = std::fs::read_to_string(root.join(p)).expect("shipped scenario");
        let mut table: toml::Table = toml::from_str(&text).expect("valid TOML");
        table.insert("horizon_hours".into(), toml::Value::Integer(48));
        table.insert("warmup_hours".into(), toml::Value::Integer(0));
        table.insert("replications".into(), toml::Value::Integer(1));
        table.remove("changes"); // Dated changes would fall after the two days.
        table
    })
    .collect()
}

/// Every key path in `table` (tables are entered; arrays and values are leaves).
fn key_paths(table: &toml::Table, prefix: &[String], out: &mut Vec<Vec<String>>) {
    for (key, value) in table {
        let mut path = prefix.to_vec();
        path.push(key.clone());
        out.push(path.clone());
        if let toml::Value::Table(inner) = value {
            key_paths(inner, &path, out);
        }
    }
}

fn slot<'a>(table: &'a mut toml::Table, path: &[String]) -> Option<&'a mut toml::Value> {
    let (last, parents) = path.split_last()?;
    let mut here = table;
    for key in parents {
        here = here.get_mut(key)?.as_table_mut()?;
    }
    here.get_mut(last)
}

/// Values that are the wrong shape or size almost anywhere.
fn odd_value(pick: u8) -> toml::Value {
    use toml::Value::*;
    match pick % 10 {
        0 => Integer(i64::MAX),
        1 => Integer(-1),
        2 => Integer(4_294_967_296),
        3 => Float(1e300),
        4 => Float(-0.0),
        5 => Integer(0),
        6 => String("x".repeat(300)),
        7 => Array(Vec::new()),
        8 => Table(toml::Table::new()),
        _ => Boolean(true),
    }
}

/// Applies one mutation, chosen by `kind`, to the key paths `a` and `b` of `table`.
fn mutate(table: &mut toml::Table, kind: u8, a: usize, b: usize, pick: u8) {
    let mut paths = Vec::new();
    key_paths(table, &[], &mut paths);
    if paths.is_empty() {
        return;
    }
    let pa = paths[a % paths.len()].clone();
    let pb = paths[b % paths.len()].clone();
    match kind % 5 {
        // Swap two values (two tables, a table and a number, …), unless one holds the other.
        0 if !pb.starts_with(&pa) && !pa.starts_with(&pb) => {
            let va = slot(table, &pa).map(|v| v.clone());
            let vb = slot(table, &pb).map(|v| v.clone());
            if let (Some(va), Some(vb)) = (va, vb) {
                *slot(table, &pa).expect("still there") = vb;
                *slot(table, &pb).expect("still there") = va;
            }
        }
        // Wrap a value (often a table) in an array.
        1 => {
            if let Some(v) = slot(table, &pa) {
                *v = toml::Value::Array(vec![v.clone()]);
            }
        }
        // Replace a value with one of the wrong shape or size.
        2 | 3 => {
            if let Some(v) = slot(table, &pa) {
                *v = odd_value(pick);
            }
        }
        // Remove a key.
        _ => {
            if let Some((last, parents)) = pa.split_last() {
                let mut here = &mut *table;
                for key in parents {
                    match here.get_mut(key).and_then(toml::Value::as_table_mut) {
                        Some(t) => here = t,
                        None => return,
                    }
                }
                here.remove(last);
            }
        }
    }
}

proptest! {
    #![proptest_config(crate::support::proptest_config(256))]

    #[test]
    fn structurally_mutated_scenarios_keep_the_promises(
        base in 0usize..4,
        mutations in proptest::collection::vec((any::<u8>(), any::<usize>(), any::<usize>(), any::<u8>()), 1..4),
    ) {
        let mut table = bases().swap_remove(base);
        for (kind, a, b, pick) in mutations {
            mutate(&mut table, kind, a, b, pick);
        }
        let text = toml::to_string(&table).expect("a table serialises");
        check::check_scenario_bytes(text.as_bytes());
    }
}

#[test]
fn the_mutations_reach_the_simulation_and_the_errors() {
    // Neither half of the property is vacuous: unmutated bases simulate, mutants often fail.
    for table in bases() {
        let text = toml::to_string(&table).expect("serialises");
        if let Err(e) = triage_sim::scenario::Scenario::from_toml_str(&text, "m.toml") {
            panic!("{e}");
        }
    }
    let mut table = bases().swap_remove(0);
    mutate(&mut table, 1, 0, 0, 0);
    let text = toml::to_string(&table).expect("serialises");
    let err = triage_sim::scenario::Scenario::from_toml_str(&text, "m.toml")
        .expect_err("a value wrapped in an array");
    assert!(err.to_string().contains("m.toml"), "{err}");
}
