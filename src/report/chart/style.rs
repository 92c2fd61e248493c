//! Shared drawing pieces: the error mapping, the colour scale, legends and day labels.

use super::*;

pub(super) fn draw_err<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError::Draw(e.to_string())
}

/// A colour on the viridis scale (colour-blind safe, readable in greyscale) for `t` in [0, 1].
pub(super) fn viridis(t: f64) -> RGBColor {
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

/// A chart on two continuous axes, as every chart here draws.
pub(super) type Plane<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// One heat-map cell from `(x, y)` to `(x + 1, y + 1)`, coloured by `t` on the viridis scale
/// and outlined in black when `outlined`.
pub(super) fn heat_cell<DB: DrawingBackend>(
    chart: &mut Plane<'_, DB>,
    (x, y): (f64, f64),
    t: f64,
    outlined: bool,
) -> Result<(), ChartError> {
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(x, y), (x + 1.0, y + 1.0)],
            viridis(t).filled(),
        )))
        .map_err(draw_err)?;
    if outlined {
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

/// A mean line with its 95% band and a marker at each point; `points` are
/// `(x, mean, ci_low, ci_high)`.
pub(super) fn draw_mean_and_band<DB: DrawingBackend>(
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
    chart
        .draw_series(
            points
                .iter()
                .map(|p| Circle::new((p.0, p.1), 4, colour.filled())),
        )
        .map_err(draw_err)?;
    Ok(())
}
