//! Charts of the planning commands: the staffing curve, handlers needed by hour, paired differences, sweeps.

use super::*;

/// Service level against handlers, with its 95% band, the target line and the answer marked.
pub(super) fn draw_staffing_curve<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    name: &str,
    a: &StaffAnswer,
) -> Result<(), ChartError> {
    let first = a.curve.first().ok_or(ChartError::Empty("no candidates"))?;
    let (lo, hi) = (
        a.curve.iter().map(|c| c.handlers).min().unwrap_or(0),
        a.curve.iter().map(|c| c.handlers).max().unwrap_or(1),
    );
    {
        let mut chart = ChartBuilder::on(root)
            .caption(
                format!("{name}: service level against handlers"),
                ("sans-serif", 26),
            )
            .margin(16)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(f64::from(lo) - 1.0..f64::from(hi) + 1.0, 0.0..100.0)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .x_labels(((hi - lo + 3) as usize).min(16))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .x_desc("call handlers (total)")
            .y_desc("service level (% of callers answered within target)")
            .label_style(("sans-serif", 16))
            .axis_desc_style(("sans-serif", 18))
            .draw()
            .map_err(draw_err)?;
        for (k, ch) in first.channels.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            let pts: Vec<(f64, f64, f64, f64)> = a
                .curve
                .iter()
                .map(|c| {
                    let e = c.channels[k].service_level;
                    (
                        f64::from(c.handlers),
                        100.0 * e.mean,
                        100.0 * e.ci_low,
                        100.0 * e.ci_high,
                    )
                })
                .collect();
            draw_mean_and_band(
                &mut chart,
                &pts,
                colour,
                format!("{} service level (95% CI band)", ch.channel),
            )?;
            let target = 100.0 * ch.target;
            dashed_target(
                &mut chart,
                (f64::from(lo) - 1.0, f64::from(hi) + 1.0),
                target,
                (colour, 2, 1),
                format!("{} target {:.0}%", ch.channel, target),
            )?;
        }
        let n = f64::from(a.handlers_needed);
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(n, 0.0), (n, 100.0)],
                BLACK.stroke_width(2),
            )))
            .map_err(draw_err)?
            .label(format!("recommended: {} handlers", a.handlers_needed))
            .legend(legend_line(BLACK.stroke_width(2)));
        draw_legend(&mut chart, SeriesLabelPosition::LowerRight, 16)
    }
}

/// Handlers needed in each hour of the week (`staff --by-interval`): the iterative staffing
/// algorithm's answer and stationary Erlang C as steps, beside the rota's staffed level and
/// the offered load.
pub(super) fn draw_interval_staffing<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    name: &str,
    r: &IntervalStaffing,
) -> Result<(), ChartError> {
    if r.isa.len() != HOURS_PER_WEEK {
        return Err(ChartError::Empty("no hours of the week"));
    }
    let steps = |values: &[f64]| -> Vec<(f64, f64)> {
        values
            .iter()
            .enumerate()
            .flat_map(|(h, &v)| [(h as f64, v), (h as f64 + 1.0, v)])
            .collect()
    };
    let whole = |v: &[u32]| v.iter().map(|&x| f64::from(x)).collect::<Vec<f64>>();
    let (isa, stationary) = (steps(&whole(&r.isa)), steps(&whole(&r.stationary)));
    let (rota, offered) = (steps(&r.rota), steps(&r.offered_erlangs));
    // Headroom above the lines for the legend.
    let top = [&isa, &stationary, &rota, &offered]
        .iter()
        .flat_map(|series| series.iter().map(|p| p.1))
        .fold(1.0, f64::max)
        * 1.3;
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!(
                "{name}: handlers needed by hour (P(wait) ≤ {:.0}%)",
                100.0 * r.alpha
            ),
            ("sans-serif", 24),
        )
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..168.0, 0.0..top)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .x_labels(8)
        .x_label_formatter(&|_| String::new())
        .y_label_formatter(&|y| format!("{y:.0}"))
        .y_desc("handlers on duty")
        .x_desc("hour of the week (Monday 00:00 to Sunday 24:00)")
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 16))
        .draw()
        .map_err(draw_err)?;
    label_days(root, &chart)?;
    let grey = RGBColor(150, 150, 150);
    for (points, label, colour, width) in [
        (offered, "offered load (Erlangs)", grey, 1),
        (rota, "the rota's handlers on duty", PALETTE[2], 2),
        (stationary, "stationary Erlang C", PALETTE[1], 2),
        (isa, "needed (iterative staffing algorithm)", PALETTE[0], 3),
    ] {
        chart
            .draw_series(LineSeries::new(points, colour.stroke_width(width)))
            .map_err(draw_err)?
            .label(label)
            .legend(legend_line(colour.stroke_width(width)));
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight, 14)
}

/// One row per difference: its interval, its mean, and its name left of the axis (grey and
/// "(n.s.)" where the interval spans 0). `scale` turns shares into percentage points; `x_left`
/// is the axis's left end.
fn draw_forest_rows<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &mut Plane<'_, DB>,
    rows: &[&KpiDifference],
    names: &[String],
    (scale, x_left): (f64, f64),
) -> Result<(), ChartError> {
    for (i, d) in rows.iter().enumerate() {
        let y = i as f64 + 0.5;
        let colour = if d.significant {
            PALETTE[0]
        } else {
            RGBColor(150, 150, 150)
        };
        let e = d.difference;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(e.ci_low * scale, y), (e.ci_high * scale, y)],
                colour.stroke_width(3),
            )))
            .map_err(draw_err)?;
        chart
            .draw_series(std::iter::once(Circle::new(
                (e.mean * scale, y),
                6,
                colour.filled(),
            )))
            .map_err(draw_err)?;
        let (px, py) = chart.backend_coord(&(x_left, y));
        let label = format!("{}{}", names[i], if d.significant { "" } else { " (n.s.)" });
        root.draw(&Text::new(label, (px - 150, py - 8), ("sans-serif", 15)))
            .map_err(draw_err)?;
    }
    Ok(())
}

/// Paired differences B − A with their 95% intervals (a forest chart), for one KPI.
pub(super) fn draw_compare_forest<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    diffs: &[KpiDifference],
    kpi: &str,
    title: &str,
) -> Result<(), ChartError> {
    let rows: Vec<&KpiDifference> = diffs
        .iter()
        .filter(|d| d.kpi == kpi && d.difference.mean.is_finite())
        .collect();
    if rows.is_empty() {
        return Err(ChartError::Empty("no differences for that KPI"));
    }
    let scale = if crate::stats::kpi::unit_of(kpi) == crate::stats::kpi::Unit::Share {
        100.0
    } else {
        1.0
    };
    let lo = rows
        .iter()
        .map(|d| d.difference.ci_low.min(d.difference.mean))
        .fold(0.0, f64::min)
        * scale;
    let hi = rows
        .iter()
        .map(|d| d.difference.ci_high.max(d.difference.mean))
        .fold(0.0, f64::max)
        * scale;
    let pad = ((hi - lo) * 0.1).max(1e-6);
    let n = rows.len();
    {
        let mut chart = ChartBuilder::on(root)
            .caption(title, ("sans-serif", 22))
            .margin(16)
            .x_label_area_size(50)
            .y_label_area_size(160)
            .build_cartesian_2d(lo - pad..hi + pad, 0.0..n as f64)
            .map_err(draw_err)?;
        let names: Vec<String> = rows
            .iter()
            .map(|d| {
                if d.channel.is_empty() {
                    d.scope.clone()
                } else {
                    d.channel.clone()
                }
            })
            .collect();
        chart
            .configure_mesh()
            .y_labels(n + 1)
            .y_label_formatter(&|_| String::new())
            .x_desc(format!(
                "B − A in {kpi}{} (95% CI, paired by replication)",
                if scale == 100.0 {
                    ", percentage points"
                } else {
                    ""
                }
            ))
            .label_style(("sans-serif", 15))
            .axis_desc_style(("sans-serif", 17))
            .draw()
            .map_err(draw_err)?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, 0.0), (0.0, n as f64)],
                BLACK.stroke_width(1),
            )))
            .map_err(draw_err)?;
        draw_forest_rows(root, &mut chart, &rows, &names, (scale, lo - pad))
    }
}

/// The value of `kpi` for channel `c` at sweep point `p` (NaN where it is undefined).
fn sweep_value(p: &Point, c: usize, kpi: &str) -> f64 {
    get(&p.results.channels[c].1, kpi).map_or(f64::NAN, |e| e.mean)
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

/// A one-parameter sweep: `kpi` of every channel against the parameter.
fn draw_sweep_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    points: &[Point],
    kpi: &str,
) -> Result<(), ChartError> {
    let first = &points[0];
    let value = |p: &Point, c: usize| sweep_value(p, c, kpi);
    let x = setting;
    let xs: Vec<f64> = points.iter().map(|p| x(p, 0)).collect();
    let (x0, x1) = (
        xs.iter().copied().fold(f64::INFINITY, f64::min),
        xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    );
    let title = format!(
        "{}: {kpi} over {}",
        first.results.scenario,
        first
            .settings
            .iter()
            .map(|o| o.key.as_str())
            .collect::<Vec<_>>()
            .join(" × ")
    );
    let ys: Vec<f64> = points
        .iter()
        .flat_map(|p| (0..p.results.channels.len()).map(|c| value(p, c)))
        .filter(|v| v.is_finite())
        .collect();
    let (y0, y1) = (
        ys.iter().copied().fold(0.0, f64::min),
        ys.iter().copied().fold(1e-9, f64::max) * 1.05,
    );
    let mut chart = ChartBuilder::on(root)
        .caption(&title, ("sans-serif", 22))
        .margin(16)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(x0..x1.max(x0 + 1e-9), y0..y1)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .x_desc(first.settings[0].key.clone())
        .y_desc(kpi)
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 17))
        .draw()
        .map_err(draw_err)?;
    for (c, (name, _)) in first.results.channels.iter().enumerate() {
        let colour = PALETTE[c % PALETTE.len()];
        chart
            .draw_series(LineSeries::new(
                points
                    .iter()
                    .map(|p| (x(p, 0), value(p, c)))
                    .filter(|q| q.1.is_finite()),
                colour.stroke_width(3),
            ))
            .map_err(draw_err)?
            .label(name.clone())
            .legend(legend_line(colour.stroke_width(3)));
    }
    draw_legend(&mut chart, SeriesLabelPosition::MiddleRight, 15)
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
            format!("{v}"),
            (px - 10, py + 6),
            ("sans-serif", 15),
        ))
        .map_err(draw_err)?;
    }
    for (j, v) in uy.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(0.0, j as f64 + 0.5));
        root.draw(&Text::new(
            format!("{v}"),
            (px - 60, py - 8),
            ("sans-serif", 15),
        ))
        .map_err(draw_err)?;
    }
    Ok(())
}

/// A two-parameter sweep: the first channel's `kpi` as a heat map over both parameters.
fn draw_sweep_heat_map<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    points: &[Point],
    kpi: &str,
) -> Result<(), ChartError> {
    let first = &points[0];
    let value = |p: &Point, c: usize| sweep_value(p, c, kpi);
    let x = setting;
    let xs: Vec<f64> = points.iter().map(|p| x(p, 0)).collect();
    let ys: Vec<f64> = points.iter().map(|p| x(p, 1)).collect();
    let mut ux: Vec<f64> = xs.clone();
    ux.dedup();
    let mut uy: Vec<f64> = ys.clone();
    uy.sort_by(f64::total_cmp);
    uy.dedup();
    let target = first.results.targets.first().copied().unwrap_or(f64::NAN);
    let vals: Vec<f64> = points.iter().map(|p| value(p, 0)).collect();
    let (v0, v1) = (
        vals.iter().copied().fold(f64::INFINITY, f64::min),
        vals.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    );
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!(
                "{kpi} by {} × {}",
                first.settings[0].key, first.settings[1].key
            ),
            ("sans-serif", 20),
        )
        .margin(16)
        .x_label_area_size(50)
        .y_label_area_size(90)
        .build_cartesian_2d(0.0..ux.len() as f64, 0.0..uy.len() as f64)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(ux.len() + 1)
        .y_labels(uy.len() + 1)
        .x_label_formatter(&|_| String::new())
        .y_label_formatter(&|_| String::new())
        .x_desc(first.settings[0].key.clone())
        .y_desc(first.settings[1].key.clone())
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 17))
        .draw()
        .map_err(draw_err)?;
    label_grid_cells(root, &chart, &ux, &uy)?;
    root.draw(&Text::new(
        format!(
            "{}, channel {}: colour from {v0:.3} (dark) to {v1:.3} (light){}",
            first.results.scenario,
            first.results.channels[0].0,
            if kpi == "service_level" {
                "; outlined: meets its target"
            } else {
                ""
            }
        ),
        (90, SIZE.1 as i32 - 18),
        ("sans-serif", 15),
    ))
    .map_err(draw_err)?;
    for p in points {
        let (i, j) = (
            ux.iter().position(|v| *v == x(p, 0)).unwrap_or(0) as f64,
            uy.iter().position(|v| *v == x(p, 1)).unwrap_or(0) as f64,
        );
        let v = value(p, 0);
        let t = (v - v0) / (v1 - v0).max(1e-9);
        heat_cell(&mut chart, (i, j), t, kpi == "service_level" && v >= target)?;
    }
    Ok(())
}
