//! Published figures and how the scenarios compare with them: the evidence behind a calibration,
//! kept machine-checkable.
//!
//! A figures file (TOML) lists `[[figure]]` tables, each a published number with the scenario
//! that should reproduce it, the KPI path it corresponds to (the JSON key path of `run`'s output,
//! e.g. `intervals.month.channels.999.mean_wait_s`), the interval cell(s) for per-interval paths,
//! a tolerance, and its period, basis and source. [`compare`] runs every scenario once and says,
//! for each figure, the simulated mean with its confidence interval and whether the published
//! value is within tolerance. The format is documented in `docs/calibration.md`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::scenario::Scenario;
use crate::stats::{Estimate, Results, Runner};

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFigures {
    figure: Vec<RawFigure>,
}

/// One `[[figure]]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFigure {
    name: String,
    scenario: String,
    kpi: String,
    interval: Option<RawCells>,
    value: f64,
    tolerance: f64,
    period: Option<String>,
    basis: Option<String>,
    source: String,
}

/// One interval label, or several (combined weighted by the cells' offered contacts).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawCells {
    One(String),
    Many(Vec<String>),
}

/// A published figure.
#[derive(Clone, Debug)]
pub struct Figure {
    /// What it is, e.g. "999 mean answer, July 2022".
    pub name: String,
    /// The scenario file that should reproduce it (relative paths are taken from the figures
    /// file's folder).
    pub scenario: PathBuf,
    /// The KPI's JSON key path in `run`'s output.
    pub kpi: String,
    /// Interval labels for per-interval paths (empty for whole-run paths).
    pub cells: Vec<String>,
    /// The published value, in the KPI's unit (shares as fractions, times in seconds).
    pub value: f64,
    /// How far the simulated mean may be from it and still count as a match.
    pub tolerance: f64,
    /// The period it covers, in words.
    pub period: String,
    /// What it measures (e.g. the force's clock or the Home Office basis).
    pub basis: String,
    /// Where it was published.
    pub source: String,
}

/// A figure beside its simulated counterpart.
#[derive(Clone, Debug)]
pub struct Comparison {
    /// The published figure.
    pub figure: Figure,
    /// The simulated mean with its 95% interval.
    pub simulated: Estimate,
    /// Whether the simulated mean is within the figure's tolerance of the published value.
    pub within: bool,
}

/// Reads a figures file. Errors name the file and, past parsing, the figure and its key.
pub fn load_figures(path: &Path) -> Result<Vec<Figure>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let raw: RawFigures =
        toml::from_str(&text).map_err(|e| format!("{}: {}", path.display(), e.message()))?;
    let folder = path.parent().unwrap_or(Path::new("."));
    raw.figure
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            let at =
                |key: &str| format!("{}: figure {} ({}): {key}", path.display(), i + 1, f.name);
            if !f.value.is_finite() {
                return Err(format!(
                    "{}: got {}; expected a number",
                    at("value"),
                    f.value
                ));
            }
            if !(f.tolerance.is_finite() && f.tolerance >= 0.0) {
                return Err(format!(
                    "{}: got {}; expected a number of at least 0",
                    at("tolerance"),
                    f.tolerance
                ));
            }
            let cells = match f.interval {
                None => Vec::new(),
                Some(RawCells::One(c)) => vec![c],
                Some(RawCells::Many(cs)) => cs,
            };
            Ok(Figure {
                scenario: folder.join(&f.scenario),
                name: f.name,
                kpi: f.kpi,
                cells,
                value: f.value,
                tolerance: f.tolerance,
                period: f.period.unwrap_or_default(),
                basis: f.basis.unwrap_or_default(),
                source: f.source,
            })
        })
        .collect()
}

/// The scenarios the figures name, each once, in order of first mention.
pub fn scenarios_of(figures: &[Figure]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    for f in figures {
        if !out.contains(&f.scenario) {
            out.push(f.scenario.clone());
        }
    }
    out
}

/// Runs every scenario the figures name (through `runner`) and compares each figure with its
/// simulated counterpart. `loaded` are the scenarios of [`scenarios_of`], already loaded (and
/// with any `--replications` applied) by the caller.
pub fn compare(
    figures: &[Figure],
    loaded: &[(PathBuf, Scenario)],
    runner: &Runner,
) -> Result<Vec<Comparison>, String> {
    let mut results: BTreeMap<&Path, Results> = BTreeMap::new();
    for (path, scenario) in loaded {
        results.insert(path, runner.replicate(scenario));
    }
    figures
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let r = results
                .get(f.scenario.as_path())
                .ok_or_else(|| format!("figure {} ({}): scenario not loaded", i + 1, f.name))?;
            let simulated = r
                .estimate_at(&f.kpi, &f.cells)
                .map_err(|e| format!("figure {} ({}): kpi: {e}", i + 1, f.name))?;
            Ok(Comparison {
                figure: f.clone(),
                within: (simulated.mean - f.value).abs() <= f.tolerance,
                simulated,
            })
        })
        .collect()
}
