//! The house rules of ARCHITECTURE.md's "Layers", checked by reading the source: which layer
//! may use which, where clap, plotters and anyhow may appear, and how long files and
//! functions may grow. A change that breaks a rule fails here with the rule it broke.
//!
//! A file may exceed a size limit when its first lines carry a one-line reason:
//! `// house: long file — WHY` or `// house: long fn NAME — WHY`.

use std::path::{Path, PathBuf};

/// The layers, bottom first. A module may use its own layer and the layers before it, except
/// where `NEVER` says otherwise.
const LAYERS: &[(&str, &[&str])] = &[
    ("bottom", &["time", "calendar", "rng", "dist", "erlang"]),
    ("scenario", &["scenario"]),
    ("sim", &["sim"]),
    ("stats", &["stats"]),
    ("data", &["data"]),
    ("planning", &["planning"]),
    ("report", &["report"]),
    ("cli", &["cli"]),
];

/// Edges that are never allowed even though the order would permit them: (from, to, why).
const NEVER: &[(&str, &str, &str)] =
    &[("report", "sim", "report reads results, never engine state")];

/// Crates confined to one folder: (crate, the folder allowed to use it).
const CONFINED: &[(&str, &str)] = &[
    ("clap", "src/cli"),
    ("anyhow", "src/cli"),
    ("plotters", "src/report/chart"),
    ("ctrlc", "src/cli"),
];

const MAX_FILE_LINES: usize = 600;
const MAX_FN_LINES: usize = 80;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn all_files() -> Vec<(String, String)> {
    let mut paths = Vec::new();
    rust_files(&src(), &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")))
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// The layer index of a top-level module name.
fn layer_of_module(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, mods)| mods.contains(&module))
}

/// The layer of a file under `src/`: its first path component (or file stem).
fn layer_of_file(rel: &str) -> Option<usize> {
    let first = rel.strip_prefix("src/")?.split('/').next()?;
    layer_of_module(first.trim_end_matches(".rs"))
}

/// The top-level modules a file's code names through `crate::` (tests included: a test module
/// must not reach up either).
fn crate_uses(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.push((n + 1, name));
            }
        }
        // `use crate::{a, b}` groups.
        if let Some(at) = code.find("crate::{") {
            let inner = &code[at + "crate::{".len()..];
            for part in inner.split([',', '}']) {
                let name = part.trim().split("::").next().unwrap_or("").to_owned();
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    found.push((n + 1, name));
                }
            }
        }
    }
    found
}

#[test]
fn every_module_belongs_to_a_layer() {
    for (rel, _) in all_files() {
        if rel == "src/lib.rs" || rel == "src/main.rs" {
            continue;
        }
        assert!(
            layer_of_file(&rel).is_some(),
            "{rel} is in no layer; add its folder to LAYERS in tests/it/layers.rs and ARCHITECTURE.md"
        );
    }
}

#[test]
fn layers_use_only_the_layers_below_them() {
    let mut broken = Vec::new();
    for (rel, text) in all_files() {
        let Some(own) = layer_of_file(&rel) else {
            continue;
        };
        for (line, module) in crate_uses(&text) {
            let Some(used) = layer_of_module(&module) else {
                continue; // a crate-root re-export such as crate::Scenario
            };
            let (from, to) = (LAYERS[own].0, LAYERS[used].0);
            if used > own {
                broken.push(format!(
                    "{rel}:{line}: the {from} layer uses crate::{module} ({to}), a layer above it"
                ));
            }
            if let Some((_, _, why)) = NEVER.iter().find(|(f, t, _)| *f == from && *t == to) {
                broken.push(format!("{rel}:{line}: {from} uses crate::{module}: {why}"));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "layer rules broken:\n{}",
        broken.join("\n")
    );
}

#[test]
fn confined_crates_stay_in_their_folder() {
    let mut broken = Vec::new();
    for (rel, text) in all_files() {
        for (krate, home) in CONFINED {
            if rel.starts_with(home) {
                continue;
            }
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                if code.contains(&format!("{krate}::")) || code.contains(&format!("use {krate}")) {
                    broken.push(format!(
                        "{rel}:{}: uses {krate}, which only {home} may",
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn the_engine_reads_no_globals() {
    for (rel, text) in all_files() {
        if rel.starts_with("src/sim") {
            for (n, line) in text.lines().enumerate() {
                let item = line.trim_start();
                assert!(
                    !(item.starts_with("static ")
                        || item.starts_with("pub static ")
                        || item.contains("thread_local!")),
                    "{rel}:{}: the engine keeps no global state; pass it in RunOptions",
                    n + 1
                );
            }
        }
    }
}

#[test]
fn nothing_prints_with_the_panicking_macros() {
    // `print!`, `eprint!` and their `ln` forms panic on a closed or full stream (`2>/dev/full`,
    // `| true`): messages go through `cli::say` and output through `cli::sink`.
    let mut broken = Vec::new();
    for (rel, text) in all_files() {
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for mac in ["print!(", "println!(", "eprint!(", "eprintln!("] {
                let at = code.find(mac);
                let standalone = at.is_some_and(|i| {
                    !code[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_')
                });
                if standalone && !rel.contains("/tests") && !code.contains("#[cfg(test)]") {
                    broken.push(format!("{rel}:{}: {mac}…) can panic; use cli::say", n + 1));
                }
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

/// A one-line reason at the top of a file for a size exception.
fn excused(text: &str, what: &str) -> bool {
    text.lines()
        .take(12)
        .any(|l| l.starts_with("// house: ") && l.contains(what))
}

#[test]
fn files_and_functions_stay_small() {
    let mut broken = Vec::new();
    for (rel, text) in all_files() {
        let lines: Vec<&str> = text.lines().collect();
        if lines.len() > MAX_FILE_LINES && !excused(&text, "long file") {
            broken.push(format!(
                "{rel}: {} lines (over {MAX_FILE_LINES}): split it by concept",
                lines.len()
            ));
        }
        // rustfmt puts a function's closing brace alone at the indent of its `fn` line.
        for (i, line) in lines.iter().enumerate() {
            let trimmed = line.trim_start();
            let indent = &line[..line.len() - trimmed.len()];
            let signature = trimmed
                .strip_prefix("pub ")
                .or_else(|| trimmed.strip_prefix("pub(crate) "))
                .or_else(|| trimmed.strip_prefix("pub(super) "))
                .unwrap_or(trimmed);
            let signature = signature.strip_prefix("const ").unwrap_or(signature);
            let Some(rest) = signature.strip_prefix("fn ") else {
                continue;
            };
            if line.trim_end().ends_with(';') {
                continue;
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let close = format!("{indent}}}");
            let Some(end) = lines[i + 1..].iter().position(|l| *l == close) else {
                continue;
            };
            let length = end + 2;
            if length > MAX_FN_LINES && !excused(&text, &format!("long fn {name} ")) {
                broken.push(format!(
                    "{rel}:{}: fn {name} is {length} lines (over {MAX_FN_LINES})",
                    i + 1
                ));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "house rules on size broken (or give a one-line reason at the top of the file, \
         `// house: long file — WHY` / `// house: long fn NAME — WHY`):\n{}",
        broken.join("\n")
    );
}
