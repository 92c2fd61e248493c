//! The backtest chart: for one channel, the simulated 95% band and mean against the data's
//! values in every hour of the week — service level above, calls offered below.

use super::*;
use crate::planning::backtest::{COMPARED, IntervalComparison};

/// Colour of actual values outside the simulated band.
const OUTSIDE: RGBColor = RGBColor(213, 94, 0);

pub(super) fn draw_backtest<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    hours: &[IntervalComparison],
    (channel, target): (&str, f64),
) -> Result<(), ChartError> {
    let root = root
        .titled(
            &format!("Backtest of {channel}: the data against the simulation, hour of the week"),
            ("sans-serif", 20),
        )
        .map_err(draw_err)?;
    let (top, bottom) = root.split_vertically(SIZE.1 * 50 / 100);
    let kpi = |name: &str| COMPARED.iter().position(|k| *k == name).unwrap_or(0);
    draw_panel(
        &top,
        hours,
        kpi("service_level"),
        Some(target),
        "service level (%)",
    )?;
    draw_panel(&bottom, hours, kpi("offered"), None, "calls offered")
}

/// One KPI's band, mean and actual points on the 168-hour axis; shares drawn as percentages.
fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    hours: &[IntervalComparison],
    k: usize,
    target: Option<f64>,
    y_desc: &str,
) -> Result<(), ChartError> {
    let scale = if target.is_some() { 100.0 } else { 1.0 };
    let (band, actual) = panel_points(hours, k, scale);
    let (y_min, y_max) = y_range(&band, &actual, target.map(|t| t * scale));
    let mut chart = week_plane(area, (y_min, y_max), y_desc, 12)?;
    day_labels(area, &chart, y_min)?;
    let colour = PALETTE[0];
    draw_band(&mut chart, &band, colour)?;
    chart
        .draw_series(LineSeries::new(
            band.iter().map(|p| (p.0, p.1)),
            colour.stroke_width(2),
        ))
        .map_err(draw_err)?;
    if let Some(t) = target {
        chart
            .draw_series(DashedLineSeries::new(
                vec![(0.0, t * scale), (HOURS_PER_WEEK as f64, t * scale)],
                8,
                6,
                BLACK.stroke_width(1),
            ))
            .map_err(draw_err)?;
    }
    chart
        .draw_series(actual.iter().map(|&(x, y, inside)| {
            let style = if inside {
                BLACK.filled()
            } else {
                OUTSIDE.filled()
            };
            Circle::new((x, y), 3, style)
        }))
        .map_err(draw_err)?;
    let key = match (actual.is_empty(), target.is_some()) {
        (true, _) => {
            "blue band: simulated 95% · line: simulated mean · the data give no values here"
        }
        (false, true) => {
            "blue band: simulated 95% · line: simulated mean · dots: the data (orange: outside the band) · dashes: target"
        }
        (false, false) => {
            "blue band: simulated 95% · line: simulated mean · dots: the data (orange: outside the band)"
        }
    };
    let (w, _) = area.dim_in_pixel();
    area.draw(&Text::new(key, (w as i32 / 2 - 330, 0), ("sans-serif", 13)))
        .map_err(draw_err)
}

/// Band points `(x, mean, low, high)` and actual points `(x, value, inside the band)`, scaled.
#[allow(clippy::type_complexity)]
fn panel_points(
    hours: &[IntervalComparison],
    k: usize,
    scale: f64,
) -> (Vec<(f64, f64, f64, f64)>, Vec<(f64, f64, bool)>) {
    let x = |h: usize| h as f64 + 0.5;
    let band = hours
        .iter()
        .enumerate()
        .map(|(h, c)| {
            let b = c.simulated[k];
            (x(h), b.mean * scale, b.low * scale, b.high * scale)
        })
        .filter(|p| p.1.is_finite() && p.2.is_finite() && p.3.is_finite())
        .collect();
    let actual = hours
        .iter()
        .enumerate()
        .filter(|(_, c)| c.actual[k].is_finite())
        .map(|(h, c)| {
            (
                x(h),
                c.actual[k] * scale,
                c.simulated[k].covers(c.actual[k]),
            )
        })
        .collect();
    (band, actual)
}

/// The y axis zoomed to the band, the data and the target, with a little room; shares (with
/// a target) never past 100%.
fn y_range(
    band: &[(f64, f64, f64, f64)],
    actual: &[(f64, f64, bool)],
    target: Option<f64>,
) -> (f64, f64) {
    let values = band
        .iter()
        .flat_map(|p| [p.2, p.3])
        .chain(actual.iter().map(|p| p.1))
        .chain(target);
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    let pad = ((hi - lo) * 0.08).max(0.5);
    let top = if target.is_some() {
        (hi + pad).min(100.0)
    } else {
        hi + pad
    };
    ((lo - pad).max(0.0), top)
}

/// Mon … Sun under the middle of each day, below an axis that starts at `y_min`.
fn day_labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Plane<'_, DB>,
    y_min: f64,
) -> Result<(), ChartError> {
    for (d, name) in ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        .iter()
        .enumerate()
    {
        // Pixels relative to the panel's corner.
        let (px, py) = chart.backend_coord(&(d as f64 * 24.0 + 12.0, y_min));
        let (bx, by) = area.get_base_pixel();
        area.draw(&Text::new(
            *name,
            (px - bx - 12, py - by + 8),
            ("sans-serif", 14),
        ))
        .map_err(draw_err)?;
    }
    Ok(())
}
