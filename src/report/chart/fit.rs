//! The fit chart: one channel's data beside its fitted scenario — calls per day against the
//! fitted rate and spread (top), handle times against the chosen distribution (bottom left),
//! patience survival against the fitted exponential (bottom right).

use plotters::coord::combinators::IntoLogRange;

use super::*;
use crate::data::FitCurves;

pub(super) fn draw_fit<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &FitCurves,
) -> Result<(), ChartError> {
    let root = root
        .titled(
            &format!(
                "Fit of {}: the data (dots, bars) against the fitted scenario (lines)",
                c.channel
            ),
            ("sans-serif", 20),
        )
        .map_err(draw_err)?;
    let (top, bottom) = root.split_vertically(SIZE.1 * 45 / 100);
    let (left, right) = bottom.split_horizontally(SIZE.0 / 2);
    draw_daily(&top, c)?;
    draw_handle(&left, c)?;
    draw_survival(&right, c)
}

/// Calls per day: the data as dots, the fit's expectation as a line in its 95% band.
fn draw_daily<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: &FitCurves,
) -> Result<(), ChartError> {
    let n = c.daily.len().max(1) as f64;
    let top = c
        .daily
        .iter()
        .map(|d| (d.1 as f64).max(d.2 + 2.0 * d.3))
        .fold(1.0, f64::max)
        * 1.08;
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .caption("calls per day (band: fitted 95%)", ("sans-serif", 15))
        .x_label_area_size(30)
        .y_label_area_size(64)
        .build_cartesian_2d(0.0..n, 0.0..top)
        .map_err(draw_err)?;
    let dates: Vec<String> = c.daily.iter().map(|d| d.0.to_string()).collect();
    chart
        .configure_mesh()
        .x_labels(6)
        .x_label_formatter(&|x| dates.get(*x as usize).cloned().unwrap_or_default())
        .y_label_formatter(&|v| format!("{v:.0}"))
        .y_desc("calls")
        .label_style(("sans-serif", 13))
        .axis_desc_style(("sans-serif", 14))
        .draw()
        .map_err(draw_err)?;
    let colour = PALETTE[0];
    let x = |i: usize| i as f64 + 0.5;
    // The fitted mean and its band of ±1.96 sd, never below zero calls.
    let band: Vec<(f64, f64, f64, f64)> = c
        .daily
        .iter()
        .enumerate()
        .map(|(i, d)| (x(i), d.2, (d.2 - 1.96 * d.3).max(0.0), d.2 + 1.96 * d.3))
        .collect();
    draw_band(&mut chart, &band, colour)?;
    chart
        .draw_series(LineSeries::new(
            c.daily.iter().enumerate().map(|(i, d)| (x(i), d.2)),
            colour.stroke_width(2),
        ))
        .map_err(draw_err)?;
    chart
        .draw_series(
            c.daily
                .iter()
                .enumerate()
                .map(|(i, d)| Circle::new((x(i), d.1 as f64), 3, BLACK.filled())),
        )
        .map_err(draw_err)?;
    Ok(())
}

/// Handle times: the data's counts per logarithmic bin as bars, the fit's expected counts as a
/// line.
fn draw_handle<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: &FitCurves,
) -> Result<(), ChartError> {
    let shown: Vec<&(f64, f64, u64, f64)> =
        c.handle.iter().filter(|b| b.2 > 0 || b.3 >= 0.5).collect();
    let lo = shown.first().map_or(1.0, |b| b.0.max(1.0));
    let hi = shown.last().map_or(1e4, |b| b.1.min(1e5)).max(lo * 10.0);
    let top = shown
        .iter()
        .map(|b| (b.2 as f64).max(b.3))
        .fold(1.0, f64::max)
        * 1.1;
    let caption = format!(
        "handle time, seconds (line: {})",
        c.handle_kind.unwrap_or("no fit")
    );
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .caption(caption, ("sans-serif", 15))
        .x_label_area_size(30)
        .y_label_area_size(64)
        .build_cartesian_2d((lo..hi).log_scale(), 0.0..top)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .y_desc("calls")
        .label_style(("sans-serif", 13))
        .axis_desc_style(("sans-serif", 14))
        .draw()
        .map_err(draw_err)?;
    chart
        .draw_series(shown.iter().map(|b| {
            Rectangle::new(
                [(b.0.max(lo), 0.0), (b.1.min(hi), b.2 as f64)],
                RGBColor(160, 160, 160).filled(),
            )
        }))
        .map_err(draw_err)?;
    let mid = |b: &(f64, f64, u64, f64)| (b.0.max(lo) * b.1.min(hi)).sqrt();
    chart
        .draw_series(LineSeries::new(
            shown.iter().map(|b| (mid(b), b.3)),
            PALETTE[1].stroke_width(3),
        ))
        .map_err(draw_err)?;
    Ok(())
}

/// Patience: the Kaplan–Meier survival of the data against the fitted exponential.
fn draw_survival<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: &FitCurves,
) -> Result<(), ChartError> {
    let t_max = c.survival.last().map_or(60.0, |p| p.0.max(60.0));
    // Zoomed to the curves: a patient line sits near 100% and would look flat on 0–100%.
    let lowest = c.survival.iter().map(|p| p.1.min(p.2)).fold(1.0, f64::min);
    let y_min = (lowest - (1.0 - lowest) * 0.15 - 0.01).max(0.0);
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .caption(
            "patience: share still willing to wait after t s (dots: data, line: fit)",
            ("sans-serif", 15),
        )
        .x_label_area_size(30)
        .y_label_area_size(56)
        .build_cartesian_2d(0.0..t_max, y_min..1.005)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{:.1}%", v * 100.0))
        .label_style(("sans-serif", 13))
        .draw()
        .map_err(draw_err)?;
    if c.survival.is_empty() {
        return area
            .draw(&Text::new(
                "no single waits with abandonment: no curve to draw",
                (90, 120),
                ("sans-serif", 14),
            ))
            .map_err(draw_err);
    }
    chart
        .draw_series(
            c.survival
                .iter()
                .map(|p| Circle::new((p.0, p.1), 2, BLACK.filled())),
        )
        .map_err(draw_err)?;
    chart
        .draw_series(LineSeries::new(
            c.survival.iter().map(|p| (p.0, p.2)),
            PALETTE[1].stroke_width(3),
        ))
        .map_err(draw_err)?;
    Ok(())
}
