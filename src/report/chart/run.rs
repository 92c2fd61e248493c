//! Charts of one run: the hour-of-week heat map and staffing profile, the wait distribution, the trend by week.

use super::*;

/// A channel's service level in every hour of the week as a heat map (day rows × hour columns)
/// on the fixed scale centred on the target, cells missing the target outlined in black, over
/// the handlers on duty and busy.
pub(super) fn draw_hour_of_week<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    results: &Results,
    channel: &str,
) -> Result<(), ChartError> {
    let (top, bottom) = root.split_vertically(SIZE.1 * 64 / 100);
    draw_heat_map(&top, results, channel)?;
    draw_staffing_profile(&bottom, results)
}

/// Handlers on duty and busy in each hour of the week, on the heat map's time axis.
pub(super) fn draw_staffing_profile<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    results: &Results,
) -> Result<(), ChartError> {
    let series = |kpi: &str| -> Vec<(f64, f64)> {
        results
            .intervals
            .hour_of_week
            .handlers
            .iter()
            .enumerate()
            .filter_map(|(h, k)| {
                get(k, kpi)
                    .filter(|e| e.mean.is_finite())
                    .map(|e| (h as f64 + 0.5, e.mean))
            })
            .collect()
    };
    let (staffed, busy) = (series("mean_staffed"), series("mean_busy"));
    // Headroom above the lines for the legend (two rows of text, a third of the panel).
    let top = staffed.iter().chain(&busy).map(|p| p.1).fold(1.0, f64::max) * 1.9;
    let mut chart = ChartBuilder::on(area)
        .margin(16)
        .x_label_area_size(36)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..168.0, 0.0..top)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .x_labels(8)
        .x_label_formatter(&|_| String::new())
        .y_desc("handlers")
        .x_desc("hour of the week (Monday 00:00 to Sunday 24:00)")
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 15))
        .draw()
        .map_err(draw_err)?;
    label_days(area, &chart)?;
    for (points, label, colour) in [
        (staffed, "handlers on duty", PALETTE[0]),
        (busy, "handlers busy (workload)", PALETTE[1]),
    ] {
        chart
            .draw_series(LineSeries::new(points, colour.stroke_width(2)))
            .map_err(draw_err)?
            .label(label)
            .legend(legend_line(colour.stroke_width(2)));
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight, 13)
}

pub(super) fn draw_heat_map<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    results: &Results,
    channel: &str,
) -> Result<(), ChartError> {
    let c = channel_index(results, channel)?;
    let cells = &results.intervals.hour_of_week.channels[c];
    let target = results.targets.get(c).copied().unwrap_or(f64::NAN);
    let values: Vec<f64> = cells
        .iter()
        .map(|k| get(k, "service_level").map_or(f64::NAN, |e| e.mean))
        .collect();
    let scale = if target.is_finite() {
        ColourScale::AroundTarget { target }
    } else {
        let finite = || values.iter().copied().filter(|v| v.is_finite());
        ColourScale::Range {
            low: finite().fold(1.0, f64::min),
            high: finite().fold(0.0, f64::max),
            percent: true,
        }
    };
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!(
                "{}: {channel} service level by hour of the week (target {:.0}%)",
                results.scenario,
                100.0 * target
            ),
            ("sans-serif", 22),
        )
        .margin(16)
        .margin_right(COLOUR_BAR_WIDTH)
        .x_label_area_size(50)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..24.0, 0.0..7.0)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(13)
        .x_label_formatter(&|x| format!("{x:02.0}:00"))
        .y_labels(8)
        .y_label_formatter(&|_| String::new())
        .x_desc("hour of day (callers counted in the hour they arrived)")
        .y_desc("day of week")
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 17))
        .draw()
        .map_err(draw_err)?;
    for (h, v) in values.iter().enumerate() {
        let (day, hour) = ((h / 24) as f64, (h % 24) as f64);
        heat_cell(&mut chart, (hour, 6.0 - day), *v, &scale)?;
    }
    let base = root.get_base_pixel();
    for (d, name) in DAYS.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(0.0, 6.5 - d as f64));
        root.draw(&Text::new(
            *name,
            (x - base.0 - 44, y - base.1 - 8),
            ("sans-serif", 15),
        ))
        .map_err(draw_err)?;
    }
    let (top, bottom) = (
        chart.backend_coord(&(24.0, 7.0)).1 - base.1,
        chart.backend_coord(&(24.0, 0.0)).1 - base.1,
    );
    draw_colour_bar(root, &scale, (top, bottom), "service level")
}

/// The distribution of waits until first answer (a CDF) for the given channels, on the service
/// level's basis (out of callers offered, so it tops out at the share answered and crosses the
/// threshold at the service level), with each channel's target marked. Waits beyond the 99th
/// percentile are off the chart.
pub(super) fn draw_wait_cdf<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    results: &Results,
    channels: &[&str],
) -> Result<(), ChartError> {
    let picked: Vec<usize> = channels
        .iter()
        .filter_map(|n| results.channels.iter().position(|(c, _)| c == n))
        .collect();
    if picked.is_empty() {
        return Err(ChartError::Empty("no such channels"));
    }
    let x_max = picked
        .iter()
        .flat_map(|&c| [results.wait_quantiles[c][98], results.thresholds_s[c] * 1.5])
        .filter(|x| x.is_finite())
        .fold(1.0, f64::max);
    {
        let mut chart = ChartBuilder::on(root)
            .caption(
                format!("{}: waits until first answer", results.scenario),
                ("sans-serif", 24),
            )
            .margin(16)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d((1.0..x_max.max(2.0)).log_scale(), 0.0..100.0)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .x_label_formatter(&|x| plain_number(*x))
            .x_desc("wait until first answer (seconds, log scale; answered within 1 s at the left)")
            .y_desc("callers answered within (% of those offered)")
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style(("sans-serif", 15))
            .axis_desc_style(("sans-serif", 17))
            .draw()
            .map_err(draw_err)?;
        for (k, &c) in picked.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            let q = &results.wait_quantiles[c];
            // On the service level's basis: the quantiles are of callers answered, the service
            // level is out of callers offered, so the curve is scaled by the share answered.
            let share = answered_share(results, c);
            // Step curve: the share answered within x is the highest quantile at or below x.
            let mut pts = vec![(1.0, 0.0)];
            for (i, w) in q
                .iter()
                .enumerate()
                .filter(|(_, w)| w.is_finite() && **w <= x_max)
                .map(|(i, w)| (i, w.max(1.0)))
            {
                pts.push((w, share * i as f64));
                pts.push((w, share * (i as f64 + 1.0)));
            }
            let name = results.channels[c].0.clone();
            chart
                .draw_series(LineSeries::new(pts, colour.stroke_width(3)))
                .map_err(draw_err)?
                .label(format!(
                    "{name} ({:.0}% of callers answered)",
                    100.0 * share
                ))
                .legend(legend_line(colour.stroke_width(3)));
            let t = results.thresholds_s[c];
            if t <= x_max {
                chart
                    .draw_series(DashedLineSeries::new(
                        vec![(t.max(1.0), 0.0), (t.max(1.0), 100.0)],
                        6,
                        6,
                        colour.stroke_width(2),
                    ))
                    .map_err(draw_err)?
                    .label(format!(
                        "{name} target: {:.0}% within {t} s",
                        100.0 * results.targets[c]
                    ))
                    .legend(legend_line(colour.stroke_width(1)));
                // The target itself: the curve passes above this mark where it is met.
                chart
                    .draw_series(std::iter::once(Cross::new(
                        (t.max(1.0), 100.0 * results.targets[c]),
                        7,
                        colour.stroke_width(3),
                    )))
                    .map_err(draw_err)?;
            }
        }
        draw_legend(&mut chart, SeriesLabelPosition::LowerRight, 15)
    }
}

/// The share of channel `c`'s answerable callers (offered, less those that dropped at once:
/// the service level's denominator) who were answered by a person (1 where unknown).
fn answered_share(results: &Results, c: usize) -> f64 {
    let k = &results.channels[c].1;
    let dropped = get(k, "dropped").map_or(0.0, |e| e.mean);
    match (get(k, "first_answered"), get(k, "offered")) {
        (Some(a), Some(o)) if o.mean - dropped > 0.0 => {
            (a.mean / (o.mean - dropped)).clamp(0.0, 1.0)
        }
        _ => 1.0,
    }
}

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
    let date = |x: &f64| week_tick(labels, *x);
    let (top, bottom) = root.split_vertically(SIZE.1 / 2);
    let mut upper = ChartBuilder::on(&top)
        .caption(
            format!("{}: week by week", results.scenario),
            ("sans-serif", 24),
        )
        .margin(12)
        .x_label_area_size(30)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..n, sl_range.0..sl_range.1)
        .map_err(draw_err)?;
    upper
        .configure_mesh()
        .x_labels(labels.len().clamp(2, 13))
        .x_label_formatter(&date)
        .y_desc(format!("{sl_channel} service level (%)"))
        .y_label_formatter(&|y| crate::report::rate_text(*y))
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 15))
        .draw()
        .map_err(draw_err)?;
    draw_trend_line(
        &mut upper,
        &sl,
        PALETTE[0],
        format!("{sl_channel} service level"),
    )?;
    dashed_target(
        &mut upper,
        (0.0, n),
        target,
        (BLACK, 1, 1),
        format!("target {target:.0}%"),
    )?;
    let mut lower = ChartBuilder::on(&bottom)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..n, wait_range.0..wait_range.1)
        .map_err(draw_err)?;
    lower
        .configure_mesh()
        .x_labels(labels.len().clamp(2, 13))
        .x_label_formatter(&date)
        .x_desc("week starting")
        .y_desc(format!("{wait_channel} mean wait (s)"))
        .y_label_formatter(&|y| crate::report::rate_text(*y))
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 15))
        .draw()
        .map_err(draw_err)?;
    draw_trend_line(
        &mut lower,
        &wait,
        PALETTE[1],
        format!("{wait_channel} mean wait until first answer"),
    )?;
    if !handler.is_empty() {
        draw_trend_line(
            &mut lower,
            &handler,
            PALETTE[3],
            format!("{wait_channel} mean wait to a call handler"),
        )?;
    }
    mark_cohorts((&mut upper, sl_range), (&mut lower, wait_range), cohorts)?;
    draw_legend(&mut upper, SeriesLabelPosition::LowerLeft, 14)?;
    draw_legend(&mut lower, SeriesLabelPosition::UpperLeft, 14)
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

/// A weekly series with its 95% band, without markers (a year has 53 of them).
fn draw_trend_line<DB: DrawingBackend>(
    chart: &mut Plane<'_, DB>,
    points: &[(f64, f64, f64, f64)],
    colour: RGBColor,
    label: String,
) -> Result<(), ChartError> {
    draw_band(chart, points, colour)?;
    chart
        .draw_series(LineSeries::new(
            points.iter().map(|p| (p.0, p.1)),
            colour.stroke_width(3),
        ))
        .map_err(draw_err)?
        .label(format!("{label} (95% CI band)"))
        .legend(legend_line(colour.stroke_width(3)));
    Ok(())
}

/// The position of the channel named `name` in `results`.
fn channel_index(results: &Results, name: &str) -> Result<usize, ChartError> {
    results
        .channels
        .iter()
        .position(|(n, _)| n == name)
        .ok_or(ChartError::Empty("no such channel"))
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

/// The weeks of the run in which each hiring cohort reaches the phones (after training), with
/// labels such as `+31 (days, lates)`, or `+16 (4 groups)` when more than two groups share a week.
pub fn cohort_weeks(s: &crate::Scenario) -> Vec<(usize, String)> {
    let groups = s.handlers.effective_groups(s.channels.len());
    let mut weeks: Vec<(usize, u32, Vec<&str>)> = Vec::new();
    for h in s.handlers.hires.iter().filter(|h| h.start_day >= 0) {
        let on_phones_h = h.start_day as f64 * 24.0 + h.training.as_hours();
        let week = (on_phones_h / 168.0).floor() as usize;
        let group = groups[h.group].name.as_str();
        // Cohorts reaching the phones in the same week share one mark.
        match weeks.iter_mut().find(|(w, _, _)| *w == week) {
            Some((_, count, names)) => {
                *count += h.count;
                names.push(group);
            }
            None => weeks.push((week, h.count, vec![group])),
        }
    }
    weeks
        .into_iter()
        .map(|(week, count, names)| {
            let label = if names.len() <= 2 {
                format!("+{count} ({})", names.join(", "))
            } else {
                format!("+{count} ({} groups)", names.len())
            };
            (week, label)
        })
        .collect()
}
