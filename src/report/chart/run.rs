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
            let (pts, share) = wait_curve(results, c, x_max);
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
                        colour.stroke_width(1), // a guide; the cross marks the target
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

/// Channel `c`'s wait distribution up to `x_max` as a step curve on a log axis (waits under
/// 1 s at 1 s), on the service level's basis: the quantiles are of callers answered, the
/// service level is out of callers offered, so the curve is scaled by the share answered,
/// which is returned with it.
fn wait_curve(results: &Results, c: usize, x_max: f64) -> (Vec<(f64, f64)>, f64) {
    let share = answered_share(results, c);
    // The share answered within x is the highest quantile at or below x.
    let mut pts = vec![(1.0, 0.0)];
    for (i, w) in results.wait_quantiles[c]
        .iter()
        .enumerate()
        .filter(|(_, w)| w.is_finite() && **w <= x_max)
        .map(|(i, w)| (i, w.max(1.0)))
    {
        pts.push((w, share * i as f64));
        pts.push((w, share * (i as f64 + 1.0)));
    }
    (pts, share)
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

/// The position of the channel named `name` in `results`.
pub(super) fn channel_index(results: &Results, name: &str) -> Result<usize, ChartError> {
    results
        .channels
        .iter()
        .position(|(n, _)| n == name)
        .ok_or(ChartError::Empty("no such channel"))
}
