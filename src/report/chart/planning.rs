//! Charts of the planning commands: the staffing curve, handlers needed by hour, paired differences, sweeps.

use super::*;

/// Service level against handlers, with its 95% band, the target line and the answer marked,
/// on an axis zoomed to them.
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
    let (y0, y1) = curve_range(a);
    {
        let mut chart = ChartBuilder::on(root)
            .caption(
                format!("{name}: service level against handlers"),
                ("sans-serif", 26),
            )
            .margin(16)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(f64::from(lo) - 1.0..f64::from(hi) + 1.0, y0..y1)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .x_labels(((hi - lo + 3) as usize).min(16))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| plain_number(*y))
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
                vec![(n, y0), (n, y1)],
                BLACK.stroke_width(2),
            )))
            .map_err(draw_err)?
            .label(format!("recommended: {} handlers", a.handlers_needed))
            .legend(legend_line(BLACK.stroke_width(2)));
        draw_legend(&mut chart, SeriesLabelPosition::LowerRight, 16)
    }
}

/// The staffing curve's service-level axis (%): zoomed to every band and target, so that small
/// differences show.
fn curve_range(a: &StaffAnswer) -> (f64, f64) {
    let shown = a.curve.iter().flat_map(|c| {
        c.channels.iter().flat_map(|ch| {
            let e = ch.service_level;
            [e.ci_low, e.ci_high, ch.target].map(|v| 100.0 * v)
        })
    });
    zoomed(shown, (0.0, 100.0), 2.0)
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
        let y = (rows.len() - i) as f64 - 0.5; // the first (best priority) on top
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
        let (bx, by) = root.get_base_pixel(); // the panel draws relative to its own corner
        let (px, py) = (px - bx, py - by);
        let label = format!("{}{}", names[i], if d.significant { "" } else { " (n.s.)" });
        root.draw(&Text::new(label, (px - 150, py - 8), ("sans-serif", 15)))
            .map_err(draw_err)?;
    }
    Ok(())
}

/// Paired differences B − A with their 95% intervals (a forest chart): one panel per KPI in
/// `kpis` (those with differences), the channels in priority order from the top.
pub(super) fn draw_compare_forest<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    diffs: &[KpiDifference],
    kpis: &[&str],
    title: &str,
) -> Result<(), ChartError> {
    let shown: Vec<&str> = kpis
        .iter()
        .copied()
        .filter(|k| {
            diffs
                .iter()
                .any(|d| d.kpi == *k && d.difference.mean.is_finite())
        })
        .collect();
    if shown.is_empty() {
        return Err(ChartError::Empty("no differences for those KPIs"));
    }
    let root = root.titled(title, ("sans-serif", 22)).map_err(draw_err)?;
    let panels = root.split_evenly((shown.len(), 1));
    for (panel, kpi) in panels.iter().zip(shown) {
        draw_forest_panel(panel, diffs, kpi)?;
    }
    Ok(())
}

/// One KPI's panel of the forest chart.
fn draw_forest_panel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    diffs: &[KpiDifference],
    kpi: &str,
) -> Result<(), ChartError> {
    let rows: Vec<&KpiDifference> = diffs
        .iter()
        .filter(|d| d.kpi == kpi && d.difference.mean.is_finite())
        .collect();
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
    let mut chart = ChartBuilder::on(root)
        .margin(12)
        .x_label_area_size(44)
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
        .x_label_formatter(&|x| plain_number(*x))
        .x_desc(format!(
            "B − A in {}{} (95% CI, paired by replication)",
            kpi_name_words(kpi),
            match crate::stats::kpi::unit_of(kpi) {
                crate::stats::kpi::Unit::Share => ", percentage points",
                crate::stats::kpi::Unit::Seconds => ", seconds",
                crate::stats::kpi::Unit::Hours => ", hours",
                _ => "",
            }
        ))
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 16))
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
