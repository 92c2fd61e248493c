//! Heat-map colours: one scale for service levels, fixed and centred on the target so that
//! charts of different years compare at a glance, viridis for everything else, and the colour
//! bar that says which is which.

use super::*;

/// How far below its target the service-level scale reaches, in fractions: cells at or below
/// `target − SPAN_BELOW_TARGET` all take the darkest red (the bar says "≤").
const SPAN_BELOW_TARGET: f64 = 0.3;

/// How a heat map turns a value into a colour.
#[derive(Clone, Copy, Debug)]
pub(super) enum ColourScale {
    /// A service level against its target (fractions): white at the target, reds below it
    /// down to `target − 30 pp`, blues above it up to 100%. The same for every chart with that
    /// target; cells below the target are outlined.
    AroundTarget {
        /// The target service level.
        target: f64,
    },
    /// Any other KPI: viridis from the lowest value shown (dark) to the highest (light).
    Range {
        /// The lowest value shown.
        low: f64,
        /// The highest value shown.
        high: f64,
        /// Whether the values are shares, labelled as percentages.
        percent: bool,
    },
}

impl ColourScale {
    /// The colour of `value` (white-grey where undefined).
    pub(super) fn colour(&self, value: f64) -> RGBColor {
        if !value.is_finite() {
            return RGBColor(220, 220, 220);
        }
        self.gradient(self.position(value))
    }

    /// The colour at position `p` (0 bottom, 1 top) of this scale's bar.
    fn gradient(&self, p: f64) -> RGBColor {
        match self {
            ColourScale::AroundTarget { .. } => diverging(p),
            ColourScale::Range { .. } => viridis(p),
        }
    }

    /// Where `value` sits on the bar, 0 (bottom) to 1 (top); the target at the middle.
    fn position(&self, value: f64) -> f64 {
        let p = match *self {
            ColourScale::AroundTarget { target } => {
                let low = target - SPAN_BELOW_TARGET;
                if value < target {
                    0.5 * (value - low) / SPAN_BELOW_TARGET
                } else if target < 1.0 {
                    0.5 + 0.5 * (value - target) / (1.0 - target)
                } else {
                    1.0
                }
            }
            ColourScale::Range { low, high, .. } => (value - low) / (high - low).max(1e-12),
        };
        p.clamp(0.0, 1.0)
    }

    /// Whether a cell of `value` is outlined: below its target (service levels only).
    pub(super) fn outlined(&self, value: f64) -> bool {
        matches!(*self, ColourScale::AroundTarget { target } if value < target)
    }

    /// The bar's labelled ticks: (position, text).
    fn ticks(&self) -> Vec<(f64, String)> {
        match *self {
            ColourScale::AroundTarget { target } => {
                let pct = |v: f64| format!("{:.0}%", 100.0 * v);
                vec![
                    (0.0, format!("≤ {}", pct(target - SPAN_BELOW_TARGET))),
                    (0.25, pct(target - SPAN_BELOW_TARGET / 2.0)),
                    (0.5, format!("{} target", pct(target))),
                    (1.0, pct(1.0)),
                ]
            }
            ColourScale::Range { low, high, percent } => (0..=4)
                .map(|i| {
                    let (p, v) = (f64::from(i) / 4.0, low + f64::from(i) / 4.0 * (high - low));
                    let text = if percent {
                        format!("{:.1}%", 100.0 * v)
                    } else {
                        crate::report::rate_text(v)
                    };
                    (p, text)
                })
                .collect(),
        }
    }
}

/// A colour on the viridis scale (colour-blind safe, readable in greyscale) for `t` in [0, 1].
pub(super) fn viridis(t: f64) -> RGBColor {
    blend(
        &[
            (0.0, (68, 1, 84)),
            (0.25, (59, 82, 139)),
            (0.5, (33, 145, 140)),
            (0.75, (94, 201, 98)),
            (1.0, (253, 231, 37)),
        ],
        t,
    )
}

/// Red (0) through white (0.5) to blue (1): ColorBrewer's RdBu, colour-blind safe.
fn diverging(t: f64) -> RGBColor {
    blend(
        &[
            (0.0, (178, 24, 43)),
            (0.25, (239, 138, 98)),
            (0.5, (247, 247, 247)),
            (0.75, (103, 169, 207)),
            (1.0, (33, 102, 172)),
        ],
        t,
    )
}

/// The colour at `t` in [0, 1] between the `stops`, linearly.
fn blend(stops: &[(f64, (u8, u8, u8))], t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let i = stops
        .iter()
        .rposition(|(x, _)| *x <= t)
        .unwrap_or(0)
        .min(stops.len() - 2);
    let ((x0, a), (x1, b)) = (stops[i], stops[i + 1]);
    let f = (t - x0) / (x1 - x0);
    let mix = |p: u8, q: u8| (f64::from(p) + f * (f64::from(q) - f64::from(p))).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Width in pixels a colour bar and its labels take at the right of a chart.
pub(super) const COLOUR_BAR_WIDTH: u32 = 130;

/// Draws `scale` as a vertical bar at the right of `root`, from pixel row `top` to `bottom`
/// (the plot's own), titled `title`, with the outline rule under it for service levels.
pub(super) fn draw_colour_bar<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    scale: &ColourScale,
    (top, bottom): (i32, i32),
    title: &str,
) -> Result<(), ChartError> {
    let x = root.dim_in_pixel().0 as i32 - COLOUR_BAR_WIDTH as i32 + 14;
    let height = (bottom - top).max(1);
    for row in 0..height {
        let colour = scale.gradient(1.0 - f64::from(row) / f64::from(height));
        root.draw(&Rectangle::new(
            [(x, top + row), (x + 18, top + row + 1)],
            colour.filled(),
        ))
        .map_err(draw_err)?;
    }
    root.draw(&Rectangle::new([(x, top), (x + 18, bottom)], BLACK))
        .map_err(draw_err)?;
    for (p, text) in scale.ticks() {
        let y = bottom - (p * f64::from(height)).round() as i32;
        root.draw(&PathElement::new(vec![(x + 18, y), (x + 23, y)], BLACK))
            .map_err(draw_err)?;
        root.draw(&Text::new(text, (x + 26, y - 7), ("sans-serif", 13)))
            .map_err(draw_err)?;
    }
    root.draw(&Text::new(
        title.to_owned(),
        (x - 6, top - 22),
        ("sans-serif", 13),
    ))
    .map_err(draw_err)?;
    if matches!(scale, ColourScale::AroundTarget { .. }) {
        for (i, line) in ["outlined:", "below target"].iter().enumerate() {
            root.draw(&Text::new(
                *line,
                (x - 6, bottom + 28 + 15 * i as i32),
                ("sans-serif", 13),
            ))
            .map_err(draw_err)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_service_level_scale_is_fixed_and_centred_on_the_target() {
        let scale = ColourScale::AroundTarget { target: 0.9 };
        assert_eq!(scale.position(0.9), 0.5);
        assert_eq!(scale.position(1.0), 1.0);
        assert_eq!(scale.position(0.6), 0.0);
        assert_eq!(scale.position(0.26), 0.0, "clamped at target − 30 pp");
        assert!((scale.position(0.75) - 0.25).abs() < 1e-12);
        assert_eq!(scale.colour(0.9), RGBColor(247, 247, 247));
        assert!(scale.outlined(0.899) && !scale.outlined(0.9));
        let range = ColourScale::Range {
            low: 0.0,
            high: 1.0,
            percent: true,
        };
        assert!(!range.outlined(0.1));
    }
}
