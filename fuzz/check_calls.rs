//! What the `calls` fuzz target checks for one input, shared with the corpus replay test
//! (`tests/it/fuzz_corpus.rs`): the bytes as a force's export — per-call records, an ACD
//! interval report or a staffing file, told apart by the header as `fit` tells them.
//!
//! Promises: reading never panics; a refusal names the file (and, for a row, its line); a
//! file that reads and spans dates a run can cover fits to a scenario that validates (the
//! fitted file is never "not valid (a bug)"); `--strict` reading refuses or agrees with the
//! lenient reading's usable rows.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use triage_sim::data::{self, Gathered, ReadOptions, ReadReport};
use triage_sim::scenario::Scenario;

/// A file name of its own for each input, so that tests replaying the corpus in parallel
/// threads never share one.
fn scratch_path() -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("triage-sim-fuzz-{}-{n}.csv", std::process::id()))
}

/// Reads `data` as each kind of export and fits it. Panics when a promise is broken.
pub fn check_export_bytes(data: &[u8]) {
    let path = scratch_path();
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let shown = path.display().to_string();
    let names_the_file = |e: &data::read::ReadError| {
        let message = e.to_string();
        assert!(
            message.starts_with(&shown),
            "an error without the file: {message}"
        );
    };
    let lenient = ReadOptions::default();
    let mut gathered = Gathered::default();
    let read = if data::is_interval_report(&path, &lenient) {
        data::read_intervals(&path, &lenient, |row| gathered.add_interval(row)).map(|rows| {
            ReadReport {
                rows,
                used: rows,
                ..ReadReport::default()
            }
        })
    } else {
        let strict = ReadOptions {
            strict: true,
            ..ReadOptions::default()
        };
        let mut strictly = 0u64;
        let strict_read = data::read_calls(&path, &strict, |_| strictly += 1);
        let read = data::read_calls(&path, &lenient, |row| gathered.add(row));
        match (&strict_read, &read) {
            (Ok(s), Ok(l)) => assert_eq!(
                (s.used, strictly),
                (l.used, l.used),
                "strict and lenient disagree"
            ),
            (Err(e), _) => names_the_file(e),
            _ => {}
        }
        read
    };
    match read {
        Err(e) => names_the_file(&e),
        Ok(report) => fits_to_a_valid_scenario(&gathered, &report, &shown),
    }
    if let Err(e) = data::read_staffing(&path, jiff::civil::date(2024, 1, 1)) {
        names_the_file(&e);
    }
    std::fs::remove_file(&path).ok();
}

/// `fit`'s own path after reading: a span a run covers gives a scenario that validates.
fn fits_to_a_valid_scenario(gathered: &Gathered, report: &ReadReport, shown: &str) {
    let (Some(first), Some(last)) = (gathered.first, gathered.last) else {
        return;
    };
    if data::data_period(first, last.date().at(23, 0, 0, 0)).is_err() {
        return; // refused with the data's dates, before fitting, as `fit` does
    }
    let Some(fit) = data::fit(gathered) else {
        return;
    };
    for choice in [data::HandleChoice::Best, data::HandleChoice::Empirical] {
        let Ok(text) = data::fitted_toml(&fit, shown, report, choice) else {
            continue; // refused in words: a load no scenario can carry
        };
        if let Err(e) = Scenario::from_toml_str(&text, "the fitted scenario") {
            panic!("the fitted scenario is not valid:\n{e}\n{text}");
        }
    }
}
