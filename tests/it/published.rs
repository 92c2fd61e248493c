//! `triage-sim published`: published figures beside the simulation (issue #12's evidence file).

use std::path::Path;

use triage_sim::planning::published::{Comparison, compare, load_figures, scenarios_of};
use triage_sim::stats::Runner;

/// Loads a figures file, runs its scenarios and compares.
fn comparisons(file: &Path) -> Result<Vec<Comparison>, String> {
    let figures = load_figures(file)?;
    let loaded: Vec<_> = scenarios_of(&figures)
        .into_iter()
        .map(|p| {
            let s = triage_sim::Scenario::load(&p).unwrap();
            (p, s)
        })
        .collect();
    compare(&figures, &loaded, &Runner::default())
}

fn run(figures_toml: &str) -> Result<Vec<(String, bool, f64)>, String> {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        root.join("scenarios/mm14-patience.toml"),
        dir.path().join("mm14.toml"),
    )
    .unwrap();
    let file = dir.path().join("figures.toml");
    std::fs::write(&file, figures_toml).unwrap();
    Ok(comparisons(&file)?
        .into_iter()
        .map(|c| (c.figure.name, c.within, c.simulated.mean))
        .collect())
}

fn figure(name: &str, kpi: &str, interval: &str, value: f64, tolerance: f64) -> String {
    format!(
        "[[figure]]\nname = \"{name}\"\nscenario = \"mm14.toml\"\nkpi = \"{kpi}\"\n{interval}value = {value}\ntolerance = {tolerance}\nsource = \"Erlang A\"\n"
    )
}

#[test]
fn figures_are_matched_against_the_simulation_within_their_tolerance() {
    // Erlang A for the mm14 scenario: service level 0.91679, ASA 4.195 s.
    let text = [
        figure(
            "service level",
            "channels.calls.service_level",
            "",
            0.91679,
            0.005,
        ),
        figure("asa", "channels.calls.asa_s", "", 4.195, 0.3),
        figure("wrong", "channels.calls.p_wait", "", 0.5, 0.01),
        figure(
            "an hour of the day",
            "intervals.hour_of_day.channels.calls.service_level",
            "interval = [\"09:00\", \"10:00\"]\n",
            0.91679,
            0.02,
        ),
        figure("occupancy", "handlers.occupancy", "", 0.7043, 0.01),
    ]
    .concat();
    let got = run(&text).unwrap();
    let within: Vec<bool> = got.iter().map(|g| g.1).collect();
    assert_eq!(within, [true, true, false, true, true], "{got:?}");
}

#[test]
fn bad_figures_are_refused_with_the_figure_and_key() {
    let e = run(&figure("x", "channels.nope.service_level", "", 1.0, 0.1)).unwrap_err();
    assert!(
        e.contains("figure 1 (x): kpi: no channel \"nope\"; expected one of calls"),
        "{e}"
    );
    let e = run(&figure(
        "y",
        "intervals.month.channels.calls.service_level",
        "",
        1.0,
        0.1,
    ))
    .unwrap_err();
    assert!(
        e.contains("is per interval; expected an interval label"),
        "{e}"
    );
    let e = run(&figure(
        "z",
        "intervals.fortnight.channels.calls.service_level",
        "interval = \"1\"\n",
        1.0,
        0.1,
    ))
    .unwrap_err();
    assert!(e.contains("no interval kind \"fortnight\""), "{e}");
    let e = run(&figure("t", "channels.calls.service_level", "", 1.0, -1.0)).unwrap_err();
    assert!(
        e.contains("figure 1 (t): tolerance: got -1; expected a number of at least 0"),
        "{e}"
    );
    let e = run("[[figure]]\nname = \"u\"\n").unwrap_err();
    assert!(e.contains("figures.toml: missing field"), "{e}");
}

/// docs/calibration.md states how many of the published figures the shipped scenarios match;
/// this keeps the statement true.
#[test]
fn the_calibration_document_states_the_published_comparison_truly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let comparisons = comparisons(&root.join("scenarios/published/staffordshire.toml")).unwrap();
    let within = comparisons.iter().filter(|c| c.within).count();
    let claim = format!("{within} of {} figures within tolerance", comparisons.len());
    let doc = std::fs::read_to_string(root.join("docs/calibration.md")).unwrap();
    assert!(
        doc.contains(&claim),
        "docs/calibration.md should say \"{claim}\""
    );
    for c in &comparisons {
        assert!(
            doc.contains(&c.figure.name),
            "docs/calibration.md should list \"{}\"",
            c.figure.name
        );
    }
}
