//! Charts as SVG or PNG (plotters): the staffing curve, handlers needed by hour, the
//! hour-of-week heat map, the wait distribution, the trend by week, paired differences,
//! sweeps, backtests, recruitment plans and rotas. The only module that knows plotters: `style`
//! holds the shared pieces, `colour` the heat maps' colour scales and bar, `run` the charts of
//! one run, `trend` its year week by week, `planning` those of the staffing commands, `sweep` the sweeps, `plans` those of
//! `hire` and `rota`, `backtest` the data against the simulation, `fit` the data against a
//! fitted scenario.
//!
//! Colours come from a colour-blind-safe palette (Okabe–Ito) and lines also differ in marker,
//! so charts survive greyscale printing. Text is measured (SVG) and drawn (PNG) with DejaVu
//! Sans, compiled into the binary from `assets/fonts`, so no fonts need installing.

mod backtest;
mod colour;
mod fit;
mod planning;
mod plans;
mod run;
mod style;
mod sweep;
mod trend;

use backtest::*;
use colour::*;
use fit::*;
use planning::*;
use plans::*;
use run::*;
use style::*;
use sweep::*;
use trend::*;

pub use run::cohort_weeks;

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
    /// Paired differences of some KPIs (`compare`), a panel each.
    Compare {
        /// The differences.
        diffs: &'a [KpiDifference],
        /// The KPIs to show.
        kpis: &'a [&'a str],
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
    /// A backtest of one channel: the simulated band and the data by hour of the week.
    Backtest {
        /// The channel's 168 hours of the week, Monday 00:00 first.
        hours: &'a [crate::planning::backtest::IntervalComparison],
        /// The channel's name.
        channel: &'a str,
        /// The channel's target fraction (the service level's dashed line).
        target: f64,
    },
    /// One channel's data against its fitted scenario (`fit --chart`).
    Fit {
        /// The observed and fitted curves.
        curves: &'a crate::data::FitCurves,
    },
    /// A recruitment plan (`hire --chart`): heads and service level by month, intakes marked.
    Hire {
        /// Scenario name, for the title.
        name: &'a str,
        /// The plan.
        plan: &'a crate::planning::hire::HirePlan,
        /// The channel whose service level the months show.
        channel: &'a str,
        /// Its target fraction.
        target: f64,
    },
    /// A designed rota (`rota --chart`): the hourly requirement against the rota's coverage.
    Rota {
        /// Scenario name, for the title.
        name: &'a str,
        /// The design.
        rota: &'a crate::planning::rota::RotaDesign,
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
            Chart::Compare { diffs, kpis, title } => draw_compare_forest(root, diffs, kpis, title),
            Chart::Sweep { points, kpi } => draw_sweep(root, points, kpi),
            Chart::Waits { results, channels } => draw_wait_cdf(root, results, channels),
            Chart::IntervalStaffing { name, result } => draw_interval_staffing(root, name, result),
            Chart::Backtest {
                hours,
                channel,
                target,
            } => draw_backtest(root, hours, (channel, *target)),
            Chart::Fit { curves } => draw_fit(root, curves),
            Chart::Hire {
                name,
                plan,
                channel,
                target,
            } => draw_hire(root, name, plan, (channel, *target)),
            Chart::Rota { name, rota } => draw_rota(root, name, rota),
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

/// The paired-difference forest chart of `kpis` (a panel each) as SVG.
pub fn compare_forest(
    diffs: &[KpiDifference],
    kpis: &[&str],
    title: &str,
) -> Result<String, ChartError> {
    Chart::Compare { diffs, kpis, title }.to_svg()
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
