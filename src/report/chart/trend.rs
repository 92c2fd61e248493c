//! The year week by week: one channel's service level with its target, another's waits (to
//! the first answer and, behind triage, to a call handler), each with its 95% band, dated
//! ticks, and the weeks hiring cohorts reach the phones marked.

use super::*;

/// The year week by week: one channel's service level (top, with its target) and another's
/// mean wait (bottom), with the weeks hiring cohorts reach the phones marked.
pub(super) fn draw_trend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    results: &Results,
    sl_channel: &str,
    wait_channel: &str,
    cohorts: &[(usize, String)],
) -> Result<(), ChartError> {
    let a = channel_index(results, sl_channel)?;
    let b = channel_index(results, wait_channel)?;
    let (sl, mut wait) = (
        weekly_series(results, a, "service_level", 100.0),
        weekly_series(results, b, "mean_wait_s", 1.0),
    );
    // Behind triage, the wait to a call handler is the one callers complain of.
    let handler = weekly_series(results, b, "mean_handler_wait_s", 1.0);
    let handler = if handler.iter().any(|p| p.1 > 0.0) {
        handler
    } else {
        Vec::new()
    };
    let labels = &results.interval_labels.week;
    let n = labels.len().max(1) as f64;
    let target = 100.0 * results.targets[a];
    wait.extend(&handler); // for the range; drawn apart below
    let (sl_range, wait_range) = trend_ranges(&sl, &wait, target);
    wait.truncate(wait.len() - handler.len());
    let (top, bottom) = root.split_vertically(SIZE.1 / 2);
    let caption = format!("{}: week by week", results.scenario);
    let mut upper = trend_panel(
        &top,
        Some(caption),
        (n, sl_range),
        labels,
        ("", format!("{sl_channel} service level (%)")),
    )?;
    draw_line_and_band(
        &mut upper,
        &sl,
        PALETTE[0],
        format!("{sl_channel} service level (95% CI band)"),
    )?;
    dashed_target(
        &mut upper,
        (0.0, n),
        target,
        (BLACK, 1, 1),
        format!("target {target:.0}%"),
    )?;
    let mut lower = trend_panel(
        &bottom,
        None,
        (n, wait_range),
        labels,
        ("week starting", format!("{wait_channel} mean wait (s)")),
    )?;
    draw_line_and_band(
        &mut lower,
        &wait,
        PALETTE[1],
        format!("{wait_channel} mean wait until first answer (95% CI band)"),
    )?;
    if !handler.is_empty() {
        draw_line_and_band(
            &mut lower,
            &handler,
            PALETTE[3],
            format!("{wait_channel} mean wait to a call handler (95% CI band)"),
        )?;
    }
    mark_cohorts((&mut upper, sl_range), (&mut lower, wait_range), cohorts)?;
    draw_legend(&mut upper, SeriesLabelPosition::LowerLeft, 14)?;
    draw_legend(&mut lower, SeriesLabelPosition::UpperLeft, 14)
}

/// One panel of the trend: weeks across (dated ticks), `y_range` up, titled by `caption`.
fn trend_panel<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    caption: Option<String>,
    (weeks, y_range): (f64, (f64, f64)),
    labels: &[String],
    (x_desc, y_desc): (&str, String),
) -> Result<Plane<'a, DB>, ChartError> {
    let mut builder = ChartBuilder::on(area);
    if let Some(caption) = caption {
        builder.caption(caption, ("sans-serif", 24));
    }
    let mut panel = builder
        .margin(12)
        .x_label_area_size(if x_desc.is_empty() { 30 } else { 40 })
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..weeks, y_range.0..y_range.1)
        .map_err(draw_err)?;
    panel
        .configure_mesh()
        .x_labels(labels.len().clamp(2, 13))
        .x_label_formatter(&|x| week_tick(labels, *x))
        .x_desc(x_desc)
        .y_desc(y_desc)
        .y_label_formatter(&|y| plain_number(*y))
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 15))
        .draw()
        .map_err(draw_err)?;
    Ok(panel)
}

/// The trend panels' y ranges: the service level zoomed to the weekly means and the target
/// (bands wider than that are cut at the edge) with the bottom third free for the legend; the
/// waits from zero with the top third free.
fn trend_ranges(
    sl: &[(f64, f64, f64, f64)],
    wait: &[(f64, f64, f64, f64)],
    target: f64,
) -> ((f64, f64), (f64, f64)) {
    let (lo, hi) = zoomed(sl.iter().map(|p| p.1).chain([target]), (0.0, 100.0), 2.0);
    (
        ((lo - 0.5 * (hi - lo)).max(0.0), hi),
        (0.0, wait.iter().map(|p| p.1).fold(1.0, f64::max) * 1.5),
    )
}

/// A week axis tick: the week's first day ("8 Jan 2024" at the first tick and each new year,
/// "8 Jan" otherwise); nothing between weeks, so short runs do not repeat a label.
fn week_tick(labels: &[String], x: f64) -> String {
    let w = x.round();
    if (x - w).abs() > 1e-6 || w < 0.0 {
        return String::new();
    }
    let Some(label) = labels.get(w as usize) else {
        return String::new();
    };
    let Ok(day) = label.parse::<jiff::civil::Date>() else {
        return label.clone();
    };
    let new_year = w == 0.0 || day.month() == 1 && day.day() <= 7;
    if new_year {
        day.strftime("%-d %b %Y").to_string()
    } else {
        day.strftime("%-d %b").to_string()
    }
}

/// Channel `c`'s `kpi` week by week, times `scale`, as `(middle of the week, mean, ci_low,
/// ci_high)`, leaving out weeks where it is undefined.
fn weekly_series(results: &Results, c: usize, kpi: &str, scale: f64) -> Vec<(f64, f64, f64, f64)> {
    results.intervals.week.channels[c]
        .iter()
        .enumerate()
        .filter_map(|(w, k)| {
            get(k, kpi).filter(|e| e.mean.is_finite()).map(|e| {
                let band = |v: f64| {
                    if v.is_finite() {
                        v * scale
                    } else {
                        e.mean * scale
                    }
                };
                (
                    w as f64 + 0.5,
                    e.mean * scale,
                    band(e.ci_low),
                    band(e.ci_high),
                )
            })
        })
        .collect()
}

/// The weeks hiring cohorts reach the phones, as vertical lines on both trend panels (each
/// with its y range), labelled on the upper one.
fn mark_cohorts<'a, DB: DrawingBackend>(
    (upper, upper_y): (&mut Plane<'a, DB>, (f64, f64)),
    (lower, lower_y): (&mut Plane<'a, DB>, (f64, f64)),
    cohorts: &[(usize, String)],
) -> Result<(), ChartError> {
    for (week, label) in cohorts {
        let x = *week as f64;
        for (chart, (y0, y1)) in [(&mut *upper, upper_y), (&mut *lower, lower_y)] {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x, y0), (x, y1)],
                    PALETTE[2].stroke_width(2),
                )))
                .map_err(draw_err)?;
        }
        upper
            .draw_series(std::iter::once(Text::new(
                label.clone(),
                (x + 0.3, upper_y.1 - 0.12 * (upper_y.1 - upper_y.0)),
                ("sans-serif", 13),
            )))
            .map_err(draw_err)?;
    }
    Ok(())
}
