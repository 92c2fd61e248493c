//! Shared drawing pieces: the error mapping, legends, day labels, heat-map cells, targets and
//! bands.

use super::*;

pub(super) fn draw_err<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError::Draw(e.to_string())
}

/// A legend's sample of a series: a short line in the series' style.
pub(super) fn legend_line(style: ShapeStyle) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style)
}

/// Draws the legend of the chart's labelled series in the house style: a white, bordered box.
pub(super) fn draw_legend<'a, DB: DrawingBackend + 'a, X: Ranged, Y: Ranged>(
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
pub(super) fn label_days<DB: DrawingBackend>(
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

/// A plot over the 168 hours of the week (ticks without labels: the caller writes the days)
/// from `y_min` to `y_max`, titled `y_desc` on the side, with `margin_top` pixels above it.
pub(super) fn week_plane<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    (y_min, y_max): (f64, f64),
    y_desc: &str,
    margin_top: u32,
) -> Result<Plane<'a, DB>, ChartError> {
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .margin_top(margin_top)
        .x_label_area_size(30)
        .y_label_area_size(64)
        .build_cartesian_2d(0.0..HOURS_PER_WEEK as f64, y_min..y_max)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .x_labels(8)
        .x_label_formatter(&|_| String::new())
        .y_label_formatter(&|v| format!("{v:.0}"))
        .y_desc(y_desc)
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 15))
        .draw()
        .map_err(draw_err)?;
    Ok(chart)
}

/// A chart on two continuous axes, as every chart here draws.
pub(super) type Plane<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// One heat-map cell from `(x, y)` to `(x + 1, y + 1)` showing `value` in `scale`'s colour,
/// outlined in black where the scale says so (below target).
pub(super) fn heat_cell<DB: DrawingBackend>(
    chart: &mut Plane<'_, DB>,
    (x, y): (f64, f64),
    value: f64,
    scale: &ColourScale,
) -> Result<(), ChartError> {
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(x, y), (x + 1.0, y + 1.0)],
            scale.colour(value).filled(),
        )))
        .map_err(draw_err)?;
    if scale.outlined(value) {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(x, y), (x + 1.0, y + 1.0)],
                BLACK.stroke_width(2),
            )))
            .map_err(draw_err)?;
    }
    Ok(())
}

/// A dashed horizontal line at `y` from `x0` to `x1` (a target), with its legend entry drawn
/// `legend_width` wide.
pub(super) fn dashed_target<DB: DrawingBackend>(
    chart: &mut Plane<'_, DB>,
    (x0, x1): (f64, f64),
    y: f64,
    (colour, width, legend_width): (RGBColor, u32, u32),
    label: String,
) -> Result<(), ChartError> {
    chart
        .draw_series(DashedLineSeries::new(
            vec![(x0, y), (x1, y)],
            8,
            6,
            colour.stroke_width(width),
        ))
        .map_err(draw_err)?
        .label(label)
        .legend(legend_line(colour.stroke_width(legend_width)));
    Ok(())
}

/// The shaded band of `points` `(x, mean, low, high)`, from low to high, in `colour`.
pub(super) fn draw_band<DB: DrawingBackend>(
    chart: &mut Plane<'_, DB>,
    points: &[(f64, f64, f64, f64)],
    colour: RGBColor,
) -> Result<(), ChartError> {
    let outline: Vec<(f64, f64)> = points
        .iter()
        .map(|p| (p.0, p.3))
        .chain(points.iter().rev().map(|p| (p.0, p.2)))
        .collect();
    chart
        .draw_series(std::iter::once(Polygon::new(outline, colour.mix(0.2))))
        .map_err(draw_err)?;
    Ok(())
}

/// A mean line with its 95% band, labelled `label` in the legend; `points` are
/// `(x, mean, ci_low, ci_high)`.
pub(super) fn draw_line_and_band<DB: DrawingBackend>(
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
        .label(label)
        .legend(legend_line(colour.stroke_width(3)));
    Ok(())
}

/// [`draw_line_and_band`] with a marker at each point.
pub(super) fn draw_mean_and_band<DB: DrawingBackend>(
    chart: &mut Plane<'_, DB>,
    points: &[(f64, f64, f64, f64)],
    colour: RGBColor,
    label: String,
) -> Result<(), ChartError> {
    draw_line_and_band(chart, points, colour, label)?;
    chart
        .draw_series(
            points
                .iter()
                .map(|p| Circle::new((p.0, p.1), 4, colour.filled())),
        )
        .map_err(draw_err)?;
    Ok(())
}

/// A number as a tick label: whole numbers without decimals ("12", not "12.0"), others to
/// three significant figures.
pub(super) fn plain_number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        crate::report::rate_text(v)
    }
}

/// An axis range showing every one of `values` (and so every band and target passed in), a
/// tenth of their span to spare each side, at least `min_span` wide, kept within `bounds`:
/// a curve from 95.9% to 97.9% fills the chart instead of lying flat on 0–100%.
pub(super) fn zoomed(
    values: impl Iterator<Item = f64>,
    (floor, ceiling): (f64, f64),
    min_span: f64,
) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if lo > hi {
        return (floor.max(0.0), floor.max(0.0) + 1.0);
    }
    let grow = ((min_span - (hi - lo)).max(0.0)) / 2.0;
    let pad = 0.1 * (hi - lo).max(min_span);
    let (mut lo, mut hi) = (lo - grow - pad, hi + grow + pad);
    // Against a bound, the window slides rather than shrinks.
    if hi > ceiling {
        (lo, hi) = (lo - (hi - ceiling), ceiling);
    }
    if lo < floor {
        (lo, hi) = (floor, hi + (floor - lo));
    }
    let (lo, hi) = (lo.max(floor), hi.min(ceiling));
    (lo, hi.max(lo + 1e-9))
}

#[cfg(test)]
mod tests {
    use super::zoomed;

    #[test]
    fn a_zoomed_axis_holds_every_value_and_stays_in_bounds() {
        let (lo, hi) = zoomed([95.9, 97.9, 90.0].into_iter(), (0.0, 100.0), 2.0);
        assert!(lo <= 90.0 && hi >= 97.9 && lo > 80.0, "{lo}..{hi}");
        let (lo, hi) = zoomed([99.5, 100.0].into_iter(), (0.0, 100.0), 2.0);
        assert!(
            hi == 100.0 && lo <= 98.0,
            "at least the minimum span: {lo}..{hi}"
        );
        let (lo, hi) = zoomed([f64::NAN].into_iter(), (0.0, 100.0), 2.0);
        assert!(lo < hi);
    }
}
