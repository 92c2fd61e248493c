//! Charts: each kind renders from a tiny seeded run as valid SVG with its title, labels and series.

use triage_sim::planning::staffing::{StaffOptions, search};
use triage_sim::report::chart;

use crate::support::mmn;

/// The numbers of attribute `name` in an SVG element's text.
fn attribute(element: &str, name: &str) -> Option<f64> {
    let start = element.find(&format!(" {name}=\""))? + name.len() + 3;
    element[start..].split('"').next()?.parse().ok()
}

/// The legend boxes of an SVG chart (the house style's white, 85%-opaque rectangles) as
/// `(left, top, right, bottom)` pixels.
fn legend_boxes(svg: &str) -> Vec<(f64, f64, f64, f64)> {
    svg.lines()
        .filter(|l| l.starts_with("<rect") && l.contains("opacity=\"0.85\" fill=\"#FFFFFF\""))
        .filter_map(|l| {
            let (x, y) = (attribute(l, "x")?, attribute(l, "y")?);
            Some((
                x,
                y,
                x + attribute(l, "width")?,
                y + attribute(l, "height")?,
            ))
        })
        .collect()
}

/// The data marks of an SVG chart: each line drawn 2 px or wider (its vertices) and each
/// circle (its centre). Mesh, axes and thin target lines are 1 px.
fn data_marks(svg: &str) -> Vec<Vec<(f64, f64)>> {
    svg.lines()
        .filter_map(|l| {
            if l.starts_with("<circle") {
                return Some(vec![(attribute(l, "cx")?, attribute(l, "cy")?)]);
            }
            if !l.starts_with("<polyline") || attribute(l, "stroke-width")? < 2.0 {
                return None;
            }
            let points = l.split("points=\"").nth(1)?.split('"').next()?;
            Some(
                points
                    .split_whitespace()
                    .filter_map(|p| {
                        let (x, y) = p.split_once(',')?;
                        Some((x.parse().ok()?, y.parse().ok()?))
                    })
                    .collect(),
            )
        })
        .collect()
}

/// No legend box lies over a data mark (a legend's own samples, wholly inside it, excepted).
pub fn assert_legends_clear_of_data(svg: &str) {
    for (x0, y0, x1, y1) in legend_boxes(svg) {
        let inside = |&(x, y): &(f64, f64)| x > x0 && x < x1 && y > y0 && y < y1;
        for mark in data_marks(svg) {
            if mark.iter().all(inside) {
                continue; // the legend's sample of a series
            }
            if let Some(p) = mark.iter().find(|p| inside(p)) {
                panic!(
                    "legend box {:?} covers the data point {p:?}",
                    (x0, y0, x1, y1)
                );
            }
        }
    }
}

/// The plot areas of an SVG chart, `(left, top, right, bottom)` pixels: the extent of each
/// panel's mesh (plotters draws grid lines as faint `<line>`s spanning the plot).
fn plot_areas(svg: &str) -> Vec<(f64, f64, f64, f64)> {
    let mut areas: Vec<(f64, f64, f64, f64)> = Vec::new();
    for l in svg.lines().filter(|l| l.starts_with("<line opacity=\"0.")) {
        let (Some(x1), Some(y1), Some(x2), Some(y2)) = (
            attribute(l, "x1"),
            attribute(l, "y1"),
            attribute(l, "x2"),
            attribute(l, "y2"),
        ) else {
            continue;
        };
        if x1 == x2 {
            // A vertical grid line spans its panel's height.
            let (top, bottom) = (y1.min(y2), y1.max(y2));
            match areas.iter_mut().find(|a| a.1 == top && a.3 == bottom) {
                Some(a) => (a.0, a.2) = (a.0.min(x1), a.2.max(x1)),
                None => areas.push((x1, top, x1, bottom)),
            }
        }
    }
    areas
}

/// The axis ranges hold the data: plotters clips what falls outside a plot to its edge, so no
/// vertex of a data line (drawn 3 px wide: means, not bands or guides) may sit on a plot's top
/// edge, and every dashed target (2 px) lies strictly inside its plot.
pub fn assert_ranges_hold_data_and_targets(svg: &str) {
    let areas = plot_areas(svg);
    assert!(!areas.is_empty(), "no plot area found");
    let lines = svg.lines().filter(|l| l.starts_with("<polyline"));
    for l in lines {
        let width = attribute(l, "stroke-width").unwrap_or(0.0);
        let Some(points) = l
            .split("points=\"")
            .nth(1)
            .and_then(|p| p.split('"').next())
        else {
            continue;
        };
        let vertices: Vec<(f64, f64)> = points
            .split_whitespace()
            .filter_map(|p| {
                let (x, y) = p.split_once(',')?;
                Some((x.parse().ok()?, y.parse().ok()?))
            })
            .collect();
        for &(x, y) in &vertices {
            let Some(area) = areas
                .iter()
                .find(|a| x >= a.0 - 1.0 && x <= a.2 + 1.0 && y >= a.1 - 1.0 && y <= a.3 + 1.0)
            else {
                continue; // a legend sample, outside every plot
            };
            if width == 3.0 {
                assert!(
                    y > area.1 + 0.5,
                    "a data line is cut at the top of {area:?}: {l}"
                );
            }
            let horizontal = vertices.len() == 2 && vertices[0].1 == vertices[1].1;
            if width == 2.0 && horizontal {
                assert!(
                    y > area.1 + 0.5 && y < area.3 - 0.5,
                    "a target line on the edge of {area:?}: {l}"
                );
            }
        }
    }
}

/// Checks an SVG document: parses as XML-ish text, has the size, contains every snippet and
/// keeps its legends off the data.
pub fn assert_svg(svg: &str, must_contain: &[&str]) {
    assert!(
        svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
        "not an SVG document"
    );
    assert!(
        svg.contains("width=\"960\"") && svg.contains("height=\"600\""),
        "unexpected size"
    );
    for s in must_contain {
        assert!(svg.contains(s), "missing {s:?}");
    }
    assert_legends_clear_of_data(svg);
}

#[test]
fn staffing_curve_chart() {
    let mut s = mmn(200.0, 180.0, 11, 20.0, None, 20_000.0);
    s.channels[0].target.fraction = 0.85;
    s.replications = 4;
    let answer = search(
        &s,
        &StaffOptions {
            max_added: 100,
            ..StaffOptions::default()
        },
    )
    .unwrap();
    let svg = chart::staffing_curve("M/M/n", &answer).unwrap();
    assert_svg(
        &svg,
        &[
            "M/M/n: service level against handlers",
            "call handlers (total)",
            "service level (%",
            "recommended: 14 handlers",
            "calls target 85%",
        ],
    );
    assert_ranges_hold_data_and_targets(&svg);
    // One line per channel plus its markers: a polyline per series.
    assert!(svg.matches("<polyline").count() >= 1);
}

#[test]
fn hour_of_week_heat_map() {
    let mut s = triage_sim::Scenario::default_scenario();
    s.replications = 2;
    s.horizon = triage_sim::time::SimTime::from_hours(24.0 * 14.0);
    let results = triage_sim::replicate(&s);
    let svg = chart::hour_of_week(&results, "999").unwrap();
    assert_svg(
        &svg,
        &[
            "999 service level by hour of the week (target 90%)",
            "hour of day",
            "day of week",
            "Mon",
            "Sun",
            "below target",
            "90% target",
            "≤ 60%",
        ],
    );
    // 168 coloured cells.
    assert!(svg.matches("<rect").count() >= 168);
    assert!(chart::hour_of_week(&results, "nope").is_err());
}

#[test]
fn compare_forest_and_sweep_charts() {
    let mut a = mmn(200.0, 180.0, 14, 20.0, Some(300.0), 10_000.0);
    a.replications = 4;
    let mut b = a.clone();
    b.handlers.count = 16;
    let diffs =
        triage_sim::stats::paired::compare(&triage_sim::replicate(&a), &triage_sim::replicate(&b));
    let svg = chart::compare_forest(&diffs, &["service_level"], "+2 handlers").unwrap();
    assert_svg(
        &svg,
        &[
            "+2 handlers",
            "B − A in service level, percentage points (95% CI, paired by replication)",
            "calls",
        ],
    );

    let points: Vec<triage_sim::planning::sweep::Point> = [12u32, 14, 16]
        .iter()
        .map(|&n| {
            let mut s = a.clone();
            s.handlers.count = n;
            triage_sim::planning::sweep::Point {
                settings: vec![triage_sim::scenario::Override {
                    key: "handlers.count".into(),
                    value: n.to_string(),
                }],
                results: triage_sim::replicate(&s),
            }
        })
        .collect();
    let svg = chart::sweep(&points, "service_level").unwrap();
    assert_ranges_hold_data_and_targets(&svg);
    assert_svg(
        &svg,
        &[
            "service level (%) by handlers count",
            "calls (95% CI band)",
            "calls target 80%",
        ],
    );
    assert_eq!(
        svg.lines()
            .filter(|l| l.trim() == "calls (95% CI band)")
            .count(),
        1,
        "one legend entry per channel"
    );
    // Two KPIs: a panel each.
    let svg = chart::compare_forest(&diffs, &["service_level", "mean_wait_s"], "two").unwrap();
    assert_svg(
        &svg,
        &["in service level, percentage", "in mean wait, seconds"],
    );
}

#[test]
fn wait_distribution_and_trend_charts() {
    let mut s = triage_sim::Scenario::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/staffordshire-2023.toml"
    )))
    .unwrap();
    s.replications = 2;
    let results = triage_sim::replicate(&s);
    let svg = chart::wait_cdf(&results, &["999", "101"]).unwrap();
    assert_svg(
        &svg,
        &[
            "waits until first answer",
            "wait until first answer (seconds, log scale",
            "callers answered within (% of those offered)",
            "999 target: 90% within 10 s",
            "101 target: 80% within 180 s",
        ],
    );
    let cohorts = chart::cohort_weeks(&s);
    assert_eq!(
        cohorts,
        vec![(31, "+16 (4 groups)".to_owned())],
        "recruited 15 May, 12 weeks' training"
    );
    let svg = chart::trend(&results, "999", "101", &cohorts).unwrap();
    assert_ranges_hold_data_and_targets(&svg);
    assert_svg(
        &svg,
        &[
            "Staffordshire 2023: week by week",
            "999 service level (%)",
            "101 mean wait (s)",
            "week starting",
            "1 Jan 2023",
            "101 mean wait to a call handler",
            "(95% CI band)",
            "+16 (4 groups)",
            "target 90%",
        ],
    );
    assert!(chart::wait_cdf(&results, &["nope"]).is_err());
}

#[test]
fn interval_staffing_chart_draws_the_week() {
    use triage_sim::planning::interval_staffing::IntervalStaffing;
    let hours = 168;
    let wave = |h: usize| 10.0 + 5.0 * (std::f64::consts::TAU * h as f64 / 24.0).sin();
    let result = IntervalStaffing {
        alpha: 0.1,
        iterations: 3,
        converged: true,
        labels: (0..hours).map(|h| format!("h{h}")).collect(),
        offered_erlangs: (0..hours).map(wave).collect(),
        isa: (0..hours).map(|h| wave(h).ceil() as u32 + 3).collect(),
        stationary: (0..hours).map(|h| wave(h).ceil() as u32 + 2).collect(),
        p_wait_isa: vec![0.1; hours],
        rota: vec![16.0; hours],
    };
    let chart = chart::Chart::IntervalStaffing {
        name: "wave",
        result: &result,
    };
    let svg = chart.to_svg().unwrap();
    assert_legends_clear_of_data(&svg);
    for label in [
        "wave: handlers needed by hour (P(wait) ≤ 10%)",
        "needed (iterative staffing algorithm)",
        "stationary Erlang C",
        "the rota&apos;s handlers on duty",
        "Mon",
        "Sun",
    ] {
        assert!(svg.contains(label), "missing {label:?}");
    }
    let empty = IntervalStaffing {
        isa: Vec::new(),
        ..result
    };
    let chart = chart::Chart::IntervalStaffing {
        name: "empty",
        result: &empty,
    };
    assert!(chart.to_svg().is_err());
}
