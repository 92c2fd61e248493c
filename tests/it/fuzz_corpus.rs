//! The fuzz target's checks over its committed corpus, on stable Rust in every test run.
//! The corpus (fuzz/corpus/scenario) holds the seeds and what fuzzing found interesting;
//! fuzz/regressions holds inputs that once broke a promise.

#[path = "../../fuzz/check.rs"]
pub(crate) mod check;
#[path = "../../fuzz/check_calls.rs"]
pub(crate) mod check_calls;

fn inputs(dir: &str) -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut paths: Vec<_> = entries.map(|e| e.expect("entry").path()).collect();
    paths.sort();
    paths
}

#[test]
fn every_committed_fuzz_input_keeps_the_promises() {
    let corpus = inputs("fuzz/corpus/scenario");
    assert!(corpus.len() >= 20, "the corpus went missing");
    for path in corpus.iter().chain(&inputs("fuzz/regressions")) {
        let Ok(data) = std::fs::read(path) else {
            continue; // Removed meanwhile by a fuzzer working on the same corpus.
        };
        let outcome = std::panic::catch_unwind(|| check::check_scenario_bytes(&data));
        assert!(outcome.is_ok(), "{} broke a promise", path.display());
    }
}

#[test]
fn every_committed_export_fuzz_input_keeps_the_promises() {
    let corpus = inputs("fuzz/corpus/calls");
    assert!(corpus.len() >= 5, "the corpus went missing");
    for path in corpus.iter().chain(&inputs("fuzz/regressions/calls")) {
        let Ok(data) = std::fs::read(path) else {
            continue;
        };
        let outcome = std::panic::catch_unwind(|| check_calls::check_export_bytes(&data));
        assert!(outcome.is_ok(), "{} broke a promise", path.display());
    }
}
