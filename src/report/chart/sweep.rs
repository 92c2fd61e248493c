//! Sweep charts: a KPI against one parameter (a line per channel with its 95% band and target),
//! or over two (a heat map with its colour bar). Axes are zoomed to the data and the target;
//! parameters and KPIs are named in words, shares drawn as percentages.

use super::*;
use crate::stats::kpi::{Unit, unit_of};

/// A parameter's key in words: `channels.calls.arrivals.rate_per_hour` → "calls arrivals rate
/// per hour", `handlers.groups.days.headcount` → "group days headcount".
pub(super) fn parameter_words(key: &str) -> String {
    let segments: Vec<&str> = key.split('.').collect();
    let shown: Vec<String> = match segments.as_slice() {
        ["channels", name, rest @ ..] if !rest.is_empty() => std::iter::once(name.to_string())
            .chain(rest.iter().map(|s| s.to_string()))
            .collect(),
        ["handlers", "groups", name, rest @ ..] if !rest.is_empty() => ["group", name]
            .iter()
            .chain(rest)
            .map(|s| s.to_string())
            .collect(),
        _ => segments.iter().map(|s| s.to_string()).collect(),
    };
    shown.join(" ").replace('_', " ")
}

/// A KPI's axis title: its name in words and its unit ("mean wait (s)").
fn kpi_words(kpi: &str) -> String {
    let unit = match unit_of(kpi) {
        Unit::Share => " (%)",
        Unit::Seconds => " (s)",
        Unit::Hours => " (h)",
        Unit::Count | Unit::Level => "",
    };
    format!("{}{unit}", kpi_name_words(kpi))
}

/// A KPI's name in words, without its unit suffix: `mean_wait_s` → "mean wait".
pub(super) fn kpi_name_words(kpi: &str) -> String {
    let bare = match unit_of(kpi) {
        Unit::Seconds => kpi.strip_suffix("_s"),
        Unit::Hours => kpi.strip_suffix("_h"),
        _ => None,
    };
    bare.unwrap_or(kpi).replace('_', " ")
}

/// How `kpi` is drawn: × 100 for shares (percentages), as it is otherwise.
fn kpi_scale(kpi: &str) -> f64 {
    if unit_of(kpi) == Unit::Share {
        100.0
    } else {
        1.0
    }
}

/// The estimate of `kpi` for channel `c` at sweep point `p` (NaN where it is undefined).
fn sweep_estimate(p: &Point, c: usize, kpi: &str) -> (f64, f64, f64) {
    get(&p.results.channels[c].1, kpi).map_or((f64::NAN, f64::NAN, f64::NAN), |e| {
        (e.mean, e.ci_low, e.ci_high)
    })
}

/// The value of the sweep's parameter `i` at point `p`.
fn setting(p: &Point, i: usize) -> f64 {
    p.settings[i].value.parse::<f64>().unwrap_or(f64::NAN)
}

/// A sweep: a line per channel over one parameter, or a heat map over two.
pub(super) fn draw_sweep<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    points: &[Point],
    kpi: &str,
) -> Result<(), ChartError> {
    let first = points.first().ok_or(ChartError::Empty("no points"))?;
    if first.settings.len() == 1 {
        draw_sweep_lines(root, points, kpi)
    } else {
        draw_sweep_heat_map(root, points, kpi)
    }
}

/// A one-parameter sweep: `kpi` of every channel against the parameter, with its 95% band and,
/// for the service level, each channel's target dashed.
fn draw_sweep_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    points: &[Point],
    kpi: &str,
) -> Result<(), ChartError> {
    let first = &points[0];
    let scale = kpi_scale(kpi);
    let xs: Vec<f64> = points.iter().map(|p| setting(p, 0)).collect();
    let (x0, x1) = (
        xs.iter().copied().fold(f64::INFINITY, f64::min),
        xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    );
    let series: Vec<Vec<(f64, f64, f64, f64)>> = (0..first.results.channels.len())
        .map(|c| channel_series(points, c, kpi, scale))
        .collect();
    let targets: Vec<f64> = if kpi == "service_level" {
        first.results.targets.iter().map(|t| scale * t).collect()
    } else {
        Vec::new()
    };
    let shown = series
        .iter()
        .flatten()
        .flat_map(|q| [q.2, q.3])
        .chain(targets.iter().copied());
    let bounds = if scale == 100.0 {
        (0.0, 100.0)
    } else {
        (0.0, f64::INFINITY)
    };
    let (y0, y1) = zoomed(shown, bounds, if scale == 100.0 { 2.0 } else { 1e-6 });
    let x_words = parameter_words(&first.settings[0].key);
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!(
                "{}: {} by {x_words}",
                first.results.scenario,
                kpi_words(kpi)
            ),
            ("sans-serif", 22),
        )
        .margin(16)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(x0..x1.max(x0 + 1e-9), y0..y1)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .x_labels(xs.len().clamp(2, 12))
        .x_label_formatter(&|v| plain_number(*v))
        .y_label_formatter(&|v| plain_number(*v))
        .x_desc(x_words.clone())
        .y_desc(kpi_words(kpi))
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 17))
        .draw()
        .map_err(draw_err)?;
    for (c, (name, _)) in first.results.channels.iter().enumerate() {
        let colour = PALETTE[c % PALETTE.len()];
        draw_mean_and_band(
            &mut chart,
            &series[c],
            colour,
            format!("{name} (95% CI band)"),
        )?;
        if let Some(&t) = targets.get(c).filter(|t| t.is_finite()) {
            dashed_target(
                &mut chart,
                (x0, x1),
                t,
                (colour, 2, 1),
                format!("{name} target {t:.0}%"),
            )?;
        }
    }
    draw_legend(&mut chart, SeriesLabelPosition::LowerRight, 15)
}

/// Channel `c`'s `kpi` at each point, times `scale`, as `(setting, mean, ci_low, ci_high)`.
fn channel_series(points: &[Point], c: usize, kpi: &str, scale: f64) -> Vec<(f64, f64, f64, f64)> {
    points
        .iter()
        .map(|p| {
            let (m, lo, hi) = sweep_estimate(p, c, kpi);
            (setting(p, 0), scale * m, scale * lo, scale * hi)
        })
        .filter(|q| q.1.is_finite())
        .collect()
}

/// Writes each grid column's and row's parameter value under and beside its cells.
fn label_grid_cells<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Plane<'_, DB>,
    ux: &[f64],
    uy: &[f64],
) -> Result<(), ChartError> {
    for (i, v) in ux.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
        root.draw(&Text::new(
            plain_number(*v),
            (px - 10, py + 6),
            ("sans-serif", 15),
        ))
        .map_err(draw_err)?;
    }
    for (j, v) in uy.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(0.0, j as f64 + 0.5));
        root.draw(&Text::new(
            plain_number(*v),
            (px - 50, py - 8),
            ("sans-serif", 15),
        ))
        .map_err(draw_err)?;
    }
    Ok(())
}

/// A two-parameter sweep: the first channel's `kpi` as a heat map over both parameters; the
/// service level on the fixed scale centred on its target, other KPIs from lowest to highest.
fn draw_sweep_heat_map<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    points: &[Point],
    kpi: &str,
) -> Result<(), ChartError> {
    let first = &points[0];
    let sorted_unique = |i: usize| {
        let mut v: Vec<f64> = points.iter().map(|p| setting(p, i)).collect();
        v.sort_by(f64::total_cmp);
        v.dedup();
        v
    };
    let (ux, uy) = (sorted_unique(0), sorted_unique(1));
    let target = first.results.targets.first().copied().unwrap_or(f64::NAN);
    let values: Vec<f64> = points.iter().map(|p| sweep_estimate(p, 0, kpi).0).collect();
    let scale = if kpi == "service_level" && target.is_finite() {
        ColourScale::AroundTarget { target }
    } else {
        let finite = || values.iter().copied().filter(|v| v.is_finite());
        ColourScale::Range {
            low: finite().fold(f64::INFINITY, f64::min),
            high: finite().fold(f64::NEG_INFINITY, f64::max),
            percent: unit_of(kpi) == Unit::Share,
        }
    };
    let (x_words, y_words) = (
        parameter_words(&first.settings[0].key),
        parameter_words(&first.settings[1].key),
    );
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!(
                "{}: {} {} by {x_words} and {y_words}",
                first.results.scenario,
                first.results.channels[0].0,
                kpi_name_words(kpi)
            ),
            ("sans-serif", 20),
        )
        .margin(16)
        .margin_right(COLOUR_BAR_WIDTH)
        .x_label_area_size(50)
        .y_label_area_size(80)
        .build_cartesian_2d(0.0..ux.len() as f64, 0.0..uy.len() as f64)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(ux.len() + 1)
        .y_labels(uy.len() + 1)
        .x_label_formatter(&|_| String::new())
        .y_label_formatter(&|_| String::new())
        .x_desc(x_words)
        .y_desc(y_words)
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 17))
        .draw()
        .map_err(draw_err)?;
    label_grid_cells(root, &chart, &ux, &uy)?;
    for (p, v) in points.iter().zip(&values) {
        let cell = |i: usize, along: &[f64]| {
            along.iter().position(|u| *u == setting(p, i)).unwrap_or(0) as f64
        };
        heat_cell(&mut chart, (cell(0, &ux), cell(1, &uy)), *v, &scale)?;
    }
    let (top, bottom) = (
        chart.backend_coord(&(0.0, uy.len() as f64)).1,
        chart.backend_coord(&(0.0, 0.0)).1,
    );
    draw_colour_bar(root, &scale, (top, bottom), &kpi_words(kpi))
}

#[cfg(test)]
mod tests {
    use super::parameter_words;

    #[test]
    fn parameters_are_named_in_words() {
        assert_eq!(
            parameter_words("channels.calls.arrivals.rate_per_hour"),
            "calls arrivals rate per hour"
        );
        assert_eq!(
            parameter_words("handlers.groups.days999.non_call_work"),
            "group days999 non call work"
        );
        assert_eq!(parameter_words("handlers.count"), "handlers count");
    }
}
