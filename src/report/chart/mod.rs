//! Charts as SVG (plotters): the staffing curve, the hour-of-week heat map, paired differences
//! and sweep surfaces. The only module that knows plotters.
//!
//! Colours come from a colour-blind-safe palette (Okabe–Ito) and lines also differ in marker,
//! so charts survive greyscale printing. Text is SVG text, so no font files are needed.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use crate::calendar::HOURS_PER_WEEK;
use crate::planning::interval_staffing::IntervalStaffing;
use crate::planning::staffing::StaffAnswer;
use crate::planning::sweep::Point;
use crate::stats::Results;
use crate::stats::get;
use crate::stats::paired::KpiDifference;

/// Okabe–Ito colours: distinguishable with colour-blindness.
const PALETTE: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
];
/// Default chart size in pixels.
pub const SIZE: (u32, u32) = (960, 600);

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// plotters failed to draw.
    #[error("drawing the chart failed: {0}")]
    Draw(String),
    /// There is nothing to draw.
    #[error("nothing to chart: {0}")]
    Empty(&'static str),
}

fn draw_err<E: std::fmt::Debug>(e: E) -> ChartError {
    ChartError::Draw(format!("{e:?}"))
}

/// Service level against handlers, with its 95% band, the target line and the answer marked.
fn draw_staffing_curve<DB: DrawingBackend>(
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
            let band: Vec<(f64, f64)> = pts
                .iter()
                .map(|p| (p.0, p.3))
                .chain(pts.iter().rev().map(|p| (p.0, p.2)))
                .collect();
            chart
                .draw_series(std::iter::once(Polygon::new(band, colour.mix(0.2))))
                .map_err(draw_err)?;
            chart
                .draw_series(LineSeries::new(
                    pts.iter().map(|p| (p.0, p.1)),
                    colour.stroke_width(3),
                ))
                .map_err(draw_err)?
                .label(format!("{} service level (95% CI band)", ch.channel))
                .legend(legend_line(colour.stroke_width(3)));
            chart
                .draw_series(
                    pts.iter()
                        .map(|p| Circle::new((p.0, p.1), 4, colour.filled())),
                )
                .map_err(draw_err)?;
            let target = 100.0 * ch.target;
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(f64::from(lo) - 1.0, target), (f64::from(hi) + 1.0, target)],
                    8,
                    6,
                    colour.stroke_width(2),
                ))
                .map_err(draw_err)?
                .label(format!("{} target {:.0}%", ch.channel, target))
                .legend(legend_line(colour.stroke_width(1)));
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

/// A colour on the viridis scale (colour-blind safe, readable in greyscale) for `t` in [0, 1].
fn viridis(t: f64) -> RGBColor {
    const STOPS: [(f64, (u8, u8, u8)); 5] = [
        (0.0, (68, 1, 84)),
        (0.25, (59, 82, 139)),
        (0.5, (33, 145, 140)),
        (0.75, (94, 201, 98)),
        (1.0, (253, 231, 37)),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let i = STOPS
        .iter()
        .rposition(|(x, _)| *x <= t)
        .unwrap_or(0)
        .min(STOPS.len() - 2);
    let ((x0, a), (x1, b)) = (STOPS[i], STOPS[i + 1]);
    let f = (t - x0) / (x1 - x0);
    let mix = |p: u8, q: u8| (f64::from(p) + f * (f64::from(q) - f64::from(p))).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// A channel's service level in every hour of the week as a heat map (day rows × hour columns),
/// cells missing the target outlined in black.
fn draw_hour_of_week<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    results: &Results,
    channel: &str,
) -> Result<(), ChartError> {
    let (top, bottom) = root.split_vertically(SIZE.1 * 64 / 100);
    draw_heat_map(&top, results, channel)?;
    draw_staffing_profile(&bottom, results)
}

/// Handlers on duty and busy in each hour of the week, on the heat map's time axis.
fn draw_staffing_profile<DB: DrawingBackend>(
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
    // Headroom above the lines for the legend.
    let top = staffed.iter().chain(&busy).map(|p| p.1).fold(1.0, f64::max) * 1.5;
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

/// A legend's sample of a series: a short line in the series' style.
fn legend_line(style: ShapeStyle) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style)
}

/// Draws the legend of the chart's labelled series in the house style: a white, bordered box.
fn draw_legend<'a, DB: DrawingBackend + 'a, X: Ranged, Y: Ranged>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    position: SeriesLabelPosition,
    size: u32,
) -> Result<(), ChartError> {
    chart
        .configure_series_labels()
        .position(position)
        .label_font(("sans-serif", size))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(draw_err)
}

/// Writes Mon … Sun under the middle of each day of a 168-hour axis.
fn label_days<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
) -> Result<(), ChartError> {
    for (d, name) in ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        .iter()
        .enumerate()
    {
        // backend_coord is in image pixels; the panel draws relative to its own corner.
        let (px, py) = chart.backend_coord(&(d as f64 * 24.0 + 12.0, 0.0));
        let (bx, by) = area.get_base_pixel();
        area.draw(&Text::new(
            *name,
            (px - bx - 12, py - by + 6),
            ("sans-serif", 14),
        ))
        .map_err(draw_err)?;
    }
    Ok(())
}

/// Handlers needed in each hour of the week (`staff --by-interval`): the iterative staffing
/// algorithm's answer and stationary Erlang C as steps, beside the rota's staffed level and
/// the offered load.
fn draw_interval_staffing<DB: DrawingBackend>(
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

fn draw_heat_map<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    results: &Results,
    channel: &str,
) -> Result<(), ChartError> {
    let c = results
        .channels
        .iter()
        .position(|(n, _)| n == channel)
        .ok_or(ChartError::Empty("no such channel"))?;
    let cells = &results.intervals.hour_of_week.channels[c];
    let target = results.targets.get(c).copied().unwrap_or(f64::NAN);
    let values: Vec<f64> = cells
        .iter()
        .map(|k| get(k, "service_level").map_or(f64::NAN, |e| e.mean))
        .collect();
    let lowest = values
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(1.0, f64::min)
        .min(target);
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    {
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
            let row = 6.0 - day;
            let t = (v - lowest) / (1.0 - lowest).max(1e-9);
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(hour, row), (hour + 1.0, row + 1.0)],
                    viridis(t).filled(),
                )))
                .map_err(draw_err)?;
            if v.is_finite() && *v < target {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(hour, row), (hour + 1.0, row + 1.0)],
                        BLACK.stroke_width(2),
                    )))
                    .map_err(draw_err)?;
            }
        }
        for (d, name) in DAYS.iter().enumerate() {
            let (x, y) = chart.backend_coord(&(0.0, 6.5 - d as f64));
            root.draw(&Text::new(*name, (x - 44, y - 8), ("sans-serif", 15)))
                .map_err(draw_err)?;
        }
        root.draw(&Text::new(
            format!(
                "colour: {:.0}% (dark) to 100% (light); outlined: below target",
                100.0 * lowest
            ),
            (80, root.dim_in_pixel().1 as i32 - 18),
            ("sans-serif", 15),
        ))
        .map_err(draw_err)
    }
}

/// Paired differences B − A with their 95% intervals (a forest chart), for one KPI.
fn draw_compare_forest<DB: DrawingBackend>(
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
            let (px, py) = chart.backend_coord(&(lo - pad, y));
            let label = format!("{}{}", names[i], if d.significant { "" } else { " (n.s.)" });
            root.draw(&Text::new(label, (px - 150, py - 8), ("sans-serif", 15)))
                .map_err(draw_err)?;
        }
        Ok(())
    }
}

/// A sweep: one parameter as lines of a KPI per channel, two as a heat map of the first channel.
fn draw_sweep<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    points: &[Point],
    kpi: &str,
) -> Result<(), ChartError> {
    let first = points.first().ok_or(ChartError::Empty("no points"))?;
    let value =
        |p: &Point, c: usize| get(&p.results.channels[c].1, kpi).map_or(f64::NAN, |e| e.mean);
    let x = |p: &Point, i: usize| p.settings[i].value.parse::<f64>().unwrap_or(f64::NAN);
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
    {
        if first.settings.len() == 1 {
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
        } else {
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
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(i, j), (i + 1.0, j + 1.0)],
                        viridis(t).filled(),
                    )))
                    .map_err(draw_err)?;
                if kpi == "service_level" && v >= target {
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(i, j), (i + 1.0, j + 1.0)],
                            BLACK.stroke_width(2),
                        )))
                        .map_err(draw_err)?;
                }
            }
            Ok(())
        }
    }
}

/// The distribution of waits until first answer (a CDF) for the given channels, with each
/// channel's answer-time threshold marked. Waits beyond the 99th percentile are off the chart.
fn draw_wait_cdf<DB: DrawingBackend>(
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
            .build_cartesian_2d(0.0..x_max, 0.0..100.0)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .x_desc("wait until first answer (seconds)")
            .y_desc("callers answered within (% of those answered)")
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style(("sans-serif", 15))
            .axis_desc_style(("sans-serif", 17))
            .draw()
            .map_err(draw_err)?;
        for (k, &c) in picked.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            let q = &results.wait_quantiles[c];
            // Step curve: the share answered within x is the highest quantile at or below x.
            let mut pts = vec![(0.0, 0.0)];
            for (i, &w) in q
                .iter()
                .enumerate()
                .filter(|(_, w)| w.is_finite() && **w <= x_max)
            {
                pts.push((w, i as f64));
                pts.push((w, i as f64 + 1.0));
            }
            let name = results.channels[c].0.clone();
            chart
                .draw_series(LineSeries::new(pts, colour.stroke_width(3)))
                .map_err(draw_err)?
                .label(name.clone())
                .legend(legend_line(colour.stroke_width(3)));
            let t = results.thresholds_s[c];
            if t <= x_max {
                chart
                    .draw_series(DashedLineSeries::new(
                        vec![(t, 0.0), (t, 100.0)],
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
            }
        }
        draw_legend(&mut chart, SeriesLabelPosition::LowerRight, 15)
    }
}

/// The year week by week: one channel's service level (top, with its target) and another's
/// mean wait (bottom), with the weeks hiring cohorts reach the phones marked.
fn draw_trend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    results: &Results,
    sl_channel: &str,
    wait_channel: &str,
    cohorts: &[(usize, String)],
) -> Result<(), ChartError> {
    let a = results
        .channels
        .iter()
        .position(|(n, _)| n == sl_channel)
        .ok_or(ChartError::Empty("no such channel"))?;
    let b = results
        .channels
        .iter()
        .position(|(n, _)| n == wait_channel)
        .ok_or(ChartError::Empty("no such channel"))?;
    let weeks = &results.intervals.week.channels;
    let series = |c: usize, kpi: &str, scale: f64| -> Vec<(f64, f64)> {
        weeks[c]
            .iter()
            .enumerate()
            .filter_map(|(w, k)| {
                get(k, kpi)
                    .filter(|e| e.mean.is_finite())
                    .map(|e| (w as f64, e.mean * scale))
            })
            .collect()
    };
    let (sl, wait) = (
        series(a, "service_level", 100.0),
        series(b, "mean_wait_s", 1.0),
    );
    let n = weeks[a].len().max(1) as f64;
    let wait_max = wait.iter().map(|p| p.1).fold(1.0, f64::max) * 1.1;
    let target = 100.0 * results.targets[a];
    {
        let (top, bottom) = root.split_vertically(SIZE.1 / 2);
        let mut upper = ChartBuilder::on(&top)
            .caption(
                format!("{}: week by week", results.scenario),
                ("sans-serif", 24),
            )
            .margin(12)
            .x_label_area_size(30)
            .y_label_area_size(70)
            .build_cartesian_2d(0.0..n, 0.0..100.0)
            .map_err(draw_err)?;
        upper
            .configure_mesh()
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_desc(format!("{sl_channel} service level (%)"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 15))
            .draw()
            .map_err(draw_err)?;
        upper
            .draw_series(LineSeries::new(sl, PALETTE[0].stroke_width(3)))
            .map_err(draw_err)?
            .label(format!("{sl_channel} service level"))
            .legend(legend_line(PALETTE[0].stroke_width(3)));
        upper
            .draw_series(DashedLineSeries::new(
                vec![(0.0, target), (n, target)],
                8,
                6,
                BLACK.stroke_width(1),
            ))
            .map_err(draw_err)?
            .label(format!("target {target:.0}%"))
            .legend(legend_line(BLACK.stroke_width(1)));
        let mut lower = ChartBuilder::on(&bottom)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(0.0..n, 0.0..wait_max)
            .map_err(draw_err)?;
        lower
            .configure_mesh()
            .x_label_formatter(&|x| format!("{x:.0}"))
            .x_desc("week of the run")
            .y_desc(format!("{wait_channel} mean wait (s)"))
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 15))
            .draw()
            .map_err(draw_err)?;
        lower
            .draw_series(LineSeries::new(wait, PALETTE[1].stroke_width(3)))
            .map_err(draw_err)?
            .label(format!("{wait_channel} mean wait until first answer"))
            .legend(legend_line(PALETTE[1].stroke_width(3)));
        for (week, label) in cohorts {
            let x = *week as f64;
            for (chart_top, chart) in [(true, &mut upper), (false, &mut lower)] {
                let y_max = if chart_top { 100.0 } else { wait_max };
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(x, 0.0), (x, y_max)],
                        PALETTE[2].stroke_width(2),
                    )))
                    .map_err(draw_err)?;
            }
            upper
                .draw_series(std::iter::once(Text::new(
                    label.clone(),
                    (x + 0.3, 8.0),
                    ("sans-serif", 13),
                )))
                .map_err(draw_err)?;
        }
        for chart in [&mut upper, &mut lower] {
            draw_legend(chart, SeriesLabelPosition::LowerLeft, 14)?;
        }
        Ok(())
    }
}

/// Which channels a run's charts show by default.
pub struct ChartChannels<'a> {
    /// The best-priority channel (service level by hour, trend's top panel).
    pub first: &'a str,
    /// The next call channel (trend's bottom panel), or the first again.
    pub second: &'a str,
    /// Every channel a caller waits on (not deferred work): the wait distribution.
    pub phones: Vec<&'a str>,
}

impl<'a> ChartChannels<'a> {
    /// The default choice for scenario `s`.
    pub fn of(s: &'a crate::Scenario) -> ChartChannels<'a> {
        use crate::scenario::ChannelKind;
        let first = s.channels.first().map_or("", |c| c.name.as_str());
        let second = s
            .channels
            .iter()
            .filter(|c| c.kind == ChannelKind::Call)
            .map(|c| c.name.as_str())
            .find(|n| *n != first)
            .unwrap_or(first);
        let phones = s
            .channels
            .iter()
            .filter(|c| c.kind != ChannelKind::Deferred)
            .map(|c| c.name.as_str())
            .collect();
        ChartChannels {
            first,
            second,
            phones,
        }
    }
}

/// The weeks of the run in which each hiring cohort reaches the phones (after training), with
/// labels such as `+31 (days)`.
pub fn cohort_weeks(s: &crate::Scenario) -> Vec<(usize, String)> {
    let groups = s.handlers.effective_groups(s.channels.len());
    s.handlers
        .hires
        .iter()
        .filter(|h| h.start_day >= 0)
        .map(|h| {
            let on_phones_h = h.start_day as f64 * 24.0 + h.training.as_hours();
            (
                (on_phones_h / 168.0).floor() as usize,
                format!("+{} ({})", h.count, groups[h.group].name),
            )
        })
        .fold(Vec::<(usize, String)>::new(), |mut acc, (week, label)| {
            // Cohorts reaching the phones in the same week share one mark.
            match acc.iter_mut().find(|(w, _)| *w == week) {
                Some((_, l)) => *l = format!("{l}, {label}"),
                None => acc.push((week, label)),
            }
            acc
        })
}

/// A chart to draw: which kind, and what it shows.
pub enum Chart<'a> {
    /// Service level against handlers (`staff`).
    StaffingCurve {
        /// Scenario name, for the title.
        name: &'a str,
        /// The search's answer and curve.
        answer: &'a StaffAnswer,
    },
    /// One channel's service level in every hour of the week.
    HourOfWeek {
        /// The results to chart.
        results: &'a Results,
        /// The channel.
        channel: &'a str,
    },
    /// Paired differences of one KPI (`compare`).
    Compare {
        /// The differences.
        diffs: &'a [KpiDifference],
        /// The KPI to show.
        kpi: &'a str,
        /// The title.
        title: &'a str,
    },
    /// A sweep of one or two parameters.
    Sweep {
        /// The grid points.
        points: &'a [Point],
        /// The KPI to show.
        kpi: &'a str,
    },
    /// Handlers needed in each hour of the week (`staff --by-interval`).
    IntervalStaffing {
        /// Scenario name, for the title.
        name: &'a str,
        /// The algorithm's answer.
        result: &'a IntervalStaffing,
    },
    /// The distribution of waits until first answer.
    Waits {
        /// The results to chart.
        results: &'a Results,
        /// The channels to show.
        channels: &'a [&'a str],
    },
    /// The run week by week, with hiring cohorts.
    Trend {
        /// The results to chart.
        results: &'a Results,
        /// Channel whose weekly service level is shown.
        service_level_of: &'a str,
        /// Channel whose weekly mean wait is shown.
        wait_of: &'a str,
        /// Weeks in which cohorts reach the phones, with labels.
        cohorts: &'a [(usize, String)],
    },
}

impl Chart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        // Text is measured with the embedded font for both SVG and PNG.
        register_fonts();
        root.fill(&WHITE).map_err(draw_err)?;
        match self {
            Chart::StaffingCurve { name, answer } => draw_staffing_curve(root, name, answer),
            Chart::HourOfWeek { results, channel } => draw_hour_of_week(root, results, channel),
            Chart::Compare { diffs, kpi, title } => draw_compare_forest(root, diffs, kpi, title),
            Chart::Sweep { points, kpi } => draw_sweep(root, points, kpi),
            Chart::Waits { results, channels } => draw_wait_cdf(root, results, channels),
            Chart::IntervalStaffing { name, result } => draw_interval_staffing(root, name, result),
            Chart::Trend {
                results,
                service_level_of,
                wait_of,
                cohorts,
            } => draw_trend(root, results, service_level_of, wait_of, cohorts),
        }?;
        root.present().map_err(draw_err)
    }

    /// The chart as an SVG document.
    pub fn to_svg(&self) -> Result<String, ChartError> {
        let mut out = String::new();
        self.draw(&SVGBackend::with_string(&mut out, SIZE).into_drawing_area())?;
        Ok(out)
    }

    /// The chart as a PNG image written to `path` (text drawn with the embedded DejaVu Sans).
    pub fn write_png(&self, path: &std::path::Path) -> Result<(), ChartError> {
        self.draw(&BitMapBackend::new(path, SIZE).into_drawing_area())
    }
}

/// Registers the embedded font, once: plotters measures text with it for SVG and draws it in PNG.
fn register_fonts() {
    static FONT: std::sync::Once = std::sync::Once::new();
    FONT.call_once(|| {
        let bytes: &'static [u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
        // The font is compiled in and valid; a failure could only lose text in PNGs.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, bytes);
    });
}

/// The staffing curve as SVG.
pub fn staffing_curve(name: &str, answer: &StaffAnswer) -> Result<String, ChartError> {
    Chart::StaffingCurve { name, answer }.to_svg()
}

/// The hour-of-week heat map as SVG.
pub fn hour_of_week(results: &Results, channel: &str) -> Result<String, ChartError> {
    Chart::HourOfWeek { results, channel }.to_svg()
}

/// The paired-difference forest chart as SVG.
pub fn compare_forest(
    diffs: &[KpiDifference],
    kpi: &str,
    title: &str,
) -> Result<String, ChartError> {
    Chart::Compare { diffs, kpi, title }.to_svg()
}

/// The sweep chart as SVG.
pub fn sweep(points: &[Point], kpi: &str) -> Result<String, ChartError> {
    Chart::Sweep { points, kpi }.to_svg()
}

/// The wait distribution as SVG.
pub fn wait_cdf(results: &Results, channels: &[&str]) -> Result<String, ChartError> {
    Chart::Waits { results, channels }.to_svg()
}

/// The week-by-week trend as SVG.
pub fn trend(
    results: &Results,
    service_level_of: &str,
    wait_of: &str,
    cohorts: &[(usize, String)],
) -> Result<String, ChartError> {
    Chart::Trend {
        results,
        service_level_of,
        wait_of,
        cohorts,
    }
    .to_svg()
}
