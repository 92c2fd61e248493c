//! Charts of plans over time and over the week: `hire` (heads and service level by month, the
//! intakes marked) and `rota` (the hourly requirement against the designed rota's coverage).

use super::*;
use crate::planning::hire::HirePlan;
use crate::planning::rota::RotaDesign;

/// Colour of months that miss their target.
const MISSED: RGBColor = RGBColor(213, 94, 0);
/// Colour of months no intake can reach in time.
const UNREACHABLE: RGBColor = RGBColor(150, 150, 150);

/// `hire --chart`: heads by month above, the first counted channel's service level below.
pub(super) fn draw_hire<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    name: &str,
    plan: &HirePlan,
    (channel, target): (&str, f64),
) -> Result<(), ChartError> {
    let root = root
        .titled(
            &format!(
                "{name}: recruitment plan, {} recruits in {} class{}",
                plan.recruits_total,
                plan.intakes.len(),
                if plan.intakes.len() == 1 { "" } else { "es" }
            ),
            ("sans-serif", 20),
        )
        .map_err(draw_err)?;
    let (top, bottom) = root.split_vertically(SIZE.1 * 52 / 100);
    draw_heads(&top, plan)?;
    draw_month_service(&bottom, plan, channel, target)
}

/// Month labels under an axis of `n` months: every month up to 14, else every few.
fn month_label(plan: &HirePlan, x: f64) -> String {
    let n = plan.months.len();
    let step = n.div_ceil(14).max(1);
    let i = x.round();
    if (x - i).abs() > 1e-6 || i < 0.0 || i as usize >= n || !(i as usize).is_multiple_of(step) {
        return String::new();
    }
    plan.months[i as usize].month.clone()
}

/// A panel with the plan's months across (labelled under each) and `y` up.
fn month_axes<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    plan: &HirePlan,
    (y_min, y_max): (f64, f64),
    (y_desc, y_label): (&str, &dyn Fn(&f64) -> String),
) -> Result<Plane<'a, DB>, ChartError> {
    let n = plan.months.len();
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .margin_top(28)
        .x_label_area_size(28)
        .y_label_area_size(64)
        .build_cartesian_2d(-0.5..(n as f64 - 0.5), y_min..y_max)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .x_labels(n.min(14) + 1)
        .x_label_formatter(&|x| month_label(plan, *x))
        .y_label_formatter(y_label)
        .y_desc(y_desc)
        .label_style(("sans-serif", 13))
        .axis_desc_style(("sans-serif", 15))
        .draw()
        .map_err(draw_err)?;
    Ok(chart)
}

/// Where an intake sits on the month axis: its month's index plus the share of the month gone.
fn intake_x(plan: &HirePlan, start_date: &str) -> Option<f64> {
    let month = start_date.get(..7)?;
    let m = plan.months.iter().position(|o| o.month == month)?;
    let day: f64 = start_date.get(8..10)?.parse().ok()?;
    Some(m as f64 + (day - 1.0) / 30.5)
}

/// Heads in post and in training by month, each intake a dashed line "+N". (Handlers on the
/// phones, a few in ten of those in post on a 24/7 rota, are in the table: drawn on the same
/// axis they would look flat.)
fn draw_heads<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    plan: &HirePlan,
) -> Result<(), ChartError> {
    let highest = plan
        .months
        .iter()
        .flat_map(|m| [m.in_post, f64::from(m.in_training)])
        .filter(|v| v.is_finite())
        .fold(1.0, f64::max);
    let mut chart = month_axes(
        area,
        plan,
        (0.0, highest * 1.18),
        ("handlers (heads)", &|v| format!("{v:.0}")),
    )?;
    let training = PALETTE[4];
    chart
        .draw_series(plan.months.iter().enumerate().map(|(i, m)| {
            let x = i as f64;
            Rectangle::new(
                [(x - 0.3, 0.0), (x + 0.3, f64::from(m.in_training))],
                training.mix(0.6).filled(),
            )
        }))
        .map_err(draw_err)?;
    chart
        .draw_series(
            LineSeries::new(
                plan.months
                    .iter()
                    .enumerate()
                    .map(|(i, m)| (i as f64, m.in_post)),
                PALETTE[0].stroke_width(2),
            )
            .point_size(3),
        )
        .map_err(draw_err)?;
    // Intakes on the same day (a plan may add a second class to a full one) share one mark.
    let mut marks: Vec<(&str, u32)> = Vec::new();
    for intake in &plan.intakes {
        match marks.iter_mut().find(|(d, _)| *d == intake.start_date) {
            Some(mark) => mark.1 += intake.count,
            None => marks.push((&intake.start_date, intake.count)),
        }
    }
    for (date, count) in marks {
        let Some(x) = intake_x(plan, date) else {
            continue;
        };
        chart
            .draw_series(DashedLineSeries::new(
                vec![(x, 0.0), (x, highest * 1.05)],
                6,
                4,
                BLACK.stroke_width(1),
            ))
            .map_err(draw_err)?;
        chart
            .draw_series(std::iter::once(Text::new(
                format!("+{count}"),
                (x, highest * 1.16),
                ("sans-serif", 14),
            )))
            .map_err(draw_err)?;
    }
    let (w, _) = area.dim_in_pixel();
    area.draw(&Text::new(
        "blue: heads in post (expected, start of month) · yellow bars: in training · dashed: an intake starts (+ recruits)",
        (w as i32 / 2 - 380, 4),
        ("sans-serif", 13),
    ))
    .map_err(draw_err)
}

/// The service level by month with its 95% interval, the target dashed; missed months orange,
/// months no intake could reach grey.
fn draw_month_service<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    plan: &HirePlan,
    channel: &str,
    target: f64,
) -> Result<(), ChartError> {
    let n = plan.months.len();
    let values = plan
        .months
        .iter()
        .flat_map(|m| [m.service_level.ci_low, m.service_level.ci_high])
        .chain([target])
        .filter(|v| v.is_finite())
        .map(|v| v * 100.0);
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let pad = ((hi - lo) * 0.1).max(1.0);
    let (y_min, y_max) = ((lo - pad).max(0.0), (hi + pad).min(100.0));
    let y_desc = format!("{channel} service level");
    let mut chart = month_axes(
        area,
        plan,
        (y_min, y_max),
        (&y_desc, &|v| format!("{v:.0}%")),
    )?;
    chart
        .draw_series(DashedLineSeries::new(
            vec![(-0.5, target * 100.0), (n as f64 - 0.5, target * 100.0)],
            8,
            6,
            BLACK.stroke_width(1),
        ))
        .map_err(draw_err)?;
    for (i, m) in plan.months.iter().enumerate() {
        let colour = if m.unreachable {
            UNREACHABLE
        } else if m.met {
            PALETTE[0]
        } else {
            MISSED
        };
        let sl = m.service_level;
        if !sl.mean.is_finite() {
            continue;
        }
        let x = i as f64;
        chart
            .draw_series(std::iter::once(ErrorBar::new_vertical(
                x,
                sl.ci_low * 100.0,
                sl.mean * 100.0,
                sl.ci_high * 100.0,
                colour.stroke_width(2),
                10,
            )))
            .map_err(draw_err)?;
        chart
            .draw_series(std::iter::once(Circle::new(
                (x, sl.mean * 100.0),
                4,
                colour.filled(),
            )))
            .map_err(draw_err)?;
    }
    let (w, _) = area.dim_in_pixel();
    area.draw(&Text::new(
        "bars: 95% interval · blue: met · orange: missed · grey: training cannot reach it · dashes: target",
        (w as i32 / 2 - 330, 2),
        ("sans-serif", 13),
    ))
    .map_err(draw_err)
}

/// `rota --chart`: handlers needed on the phones in each hour of the week against the rota's
/// expected coverage (rostered × the share on the phones).
pub(super) fn draw_rota<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    name: &str,
    rota: &RotaDesign,
) -> Result<(), ChartError> {
    let title = format!(
        "{name}: designed rota, {} heads, {:.1} FTE (LP bound {:.1})",
        rota.heads, rota.fte, rota.lp_bound_fte
    );
    let root = root.titled(&title, ("sans-serif", 20)).map_err(draw_err)?;
    let highest = rota
        .required
        .iter()
        .map(|&r| f64::from(r))
        .chain(rota.covered.iter().copied())
        .fold(1.0, f64::max);
    // Room above the highest hour for the legend, which then never covers data.
    let mut chart = week_plane(&root, (0.0, highest * 1.3), "handlers on the phones", 30)?;
    label_days(&root, &chart)?;
    // Steps: each hour's value held across the hour.
    let steps = |v: &[f64]| -> Vec<(f64, f64)> {
        v.iter()
            .enumerate()
            .flat_map(|(h, &y)| [(h as f64, y), (h as f64 + 1.0, y)])
            .collect()
    };
    let covered = steps(&rota.covered);
    let area: Vec<(f64, f64)> = covered
        .iter()
        .copied()
        .chain([(HOURS_PER_WEEK as f64, 0.0), (0.0, 0.0)])
        .collect();
    let cover_colour = PALETTE[0];
    chart
        .draw_series(std::iter::once(Polygon::new(area, cover_colour.mix(0.25))))
        .map_err(draw_err)?;
    chart
        .draw_series(LineSeries::new(covered, cover_colour.stroke_width(2)))
        .map_err(draw_err)?
        .label("rota: expected on the phones")
        .legend(legend_line(cover_colour.stroke_width(2)));
    let need: Vec<f64> = rota.required.iter().map(|&r| f64::from(r)).collect();
    chart
        .draw_series(LineSeries::new(steps(&need), BLACK.stroke_width(2)))
        .map_err(draw_err)?
        .label("needed (hourly requirement)")
        .legend(legend_line(BLACK.stroke_width(2)));
    let short = mark_short_hours(&mut chart, &need, &rota.covered)?;
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight, 13)?;
    let (w, _) = root.dim_in_pixel();
    let key = if short == 0 {
        "every hour covered · shaded: the rota's coverage, over-coverage above the black line"
            .to_string()
    } else {
        format!("orange: {short} hours short of the requirement")
    };
    root.draw(&Text::new(key, (w as i32 / 2 - 220, 4), ("sans-serif", 13)))
        .map_err(draw_err)
}

/// An orange dot on every hour the rota covers less than needed; how many there are.
fn mark_short_hours<DB: DrawingBackend>(
    chart: &mut Plane<'_, DB>,
    need: &[f64],
    covered: &[f64],
) -> Result<usize, ChartError> {
    let short: Vec<(f64, f64)> = need
        .iter()
        .zip(covered)
        .enumerate()
        .filter(|(_, (n, c))| **c + 1e-9 < **n)
        .map(|(h, (n, _))| (h as f64 + 0.5, *n))
        .collect();
    chart
        .draw_series(short.iter().map(|&p| Circle::new(p, 4, MISSED.filled())))
        .map_err(draw_err)?;
    Ok(short.len())
}
