//! Calibration against published or observed figures: the values of parameters nobody can
//! observe (non-call work, patience, a desk split, …) that bring the simulated KPIs closest to
//! the figures. A grid over the varied values; every point runs the same scenarios with the
//! same seeds (common random numbers), so points differ by their settings, not by their luck.

use std::path::PathBuf;

use crate::planning::published::{Comparison, Figure, compare};
use crate::scenario::Override;
use crate::scenario::Scenario;
use crate::stats::Runner;

/// One evaluated grid point.
#[derive(Clone, Debug)]
pub struct CalibrationPoint {
    /// The settings that define it (one per varied key).
    pub settings: Vec<Override>,
    /// Every figure beside its simulated counterpart.
    pub comparisons: Vec<Comparison>,
    /// Mean squared distance in tolerances: the mean over figures of
    /// ((simulated − published) ÷ tolerance)².
    pub distance: f64,
    /// The distance's approximate standard error (delta method, from each figure's interval).
    pub distance_se: f64,
}

impl CalibrationPoint {
    /// Figures within tolerance.
    pub fn within(&self) -> usize {
        self.comparisons.iter().filter(|c| c.within).count()
    }
}

/// A fitted value with the range of values that fit as well within the simulation's noise.
#[derive(Clone, Debug, PartialEq)]
pub struct FittedValue {
    /// The varied key.
    pub key: String,
    /// Its value at the best point.
    pub best: f64,
    /// Lowest value among the points indistinguishable from the best.
    pub low: f64,
    /// Highest value among them.
    pub high: f64,
}

/// The outcome of a calibration.
#[derive(Clone, Debug)]
pub struct Calibration {
    /// Every point, in grid order.
    pub points: Vec<CalibrationPoint>,
    /// Index of the point with the smallest distance.
    pub best: usize,
    /// Per varied key: the best value and its range.
    pub fitted: Vec<FittedValue>,
}

impl Calibration {
    /// Points in order of distance, best first.
    pub fn ranked(&self) -> Vec<&CalibrationPoint> {
        let mut ranked: Vec<&CalibrationPoint> = self.points.iter().collect();
        ranked.sort_by(|a, b| a.distance.total_cmp(&b.distance));
        ranked
    }

    /// Whether point `p` fits as well as the best within the simulation's noise: its distance
    /// exceeds the best's by at most 1.96 standard errors of the difference (the two taken as
    /// independent, which common random numbers make conservative).
    pub fn indistinguishable(&self, p: &CalibrationPoint) -> bool {
        let best = &self.points[self.best];
        let se = (p.distance_se.powi(2) + best.distance_se.powi(2)).sqrt();
        p.distance - best.distance <= 1.96 * se
    }
}

/// The mean squared distance in tolerances and its standard error.
pub fn distance(comparisons: &[Comparison]) -> (f64, f64) {
    let n = comparisons.len().max(1) as f64;
    let (mut d, mut var) = (0.0, 0.0);
    for c in comparisons {
        let tol = c.figure.tolerance.max(f64::MIN_POSITIVE);
        let e = (c.simulated.mean - c.figure.value) / tol;
        d += e * e / n;
        // d(e²/n)/d(mean) = 2e/(n·tol); the mean's standard error ≈ half-width ÷ 1.96.
        let se = c.simulated.half_width() / 1.96;
        if se.is_finite() {
            var += (2.0 * e / (n * tol) * se).powi(2);
        }
    }
    (d, var.sqrt())
}

/// One grid point before it runs: its settings, and every scenario the figures name, loaded
/// with those settings where they apply.
pub type GridPoint = (Vec<Override>, Vec<(PathBuf, Scenario)>);

/// Runs every grid point — each a list of settings and the scenarios as those settings make
/// them — and compares every figure at each. `points` must not be empty.
pub fn calibrate(
    figures: &[Figure],
    points: Vec<GridPoint>,
    runner: &Runner,
    mut stop: impl FnMut() -> bool,
) -> Result<Calibration, String> {
    let mut evaluated = Vec::with_capacity(points.len());
    for (settings, loaded) in points {
        let comparisons = compare(figures, &loaded, runner)?;
        if stop() {
            break;
        }
        let (distance, distance_se) = distance(&comparisons);
        evaluated.push(CalibrationPoint {
            settings,
            comparisons,
            distance,
            distance_se,
        });
    }
    let best = (0..evaluated.len())
        .min_by(|&a, &b| evaluated[a].distance.total_cmp(&evaluated[b].distance))
        .ok_or("no grid point was evaluated")?;
    let mut calibration = Calibration {
        points: evaluated,
        best,
        fitted: Vec::new(),
    };
    calibration.fitted = fitted_values(&calibration);
    Ok(calibration)
}

/// Per varied key, the best point's value and the range over the points indistinguishable
/// from it.
fn fitted_values(c: &Calibration) -> Vec<FittedValue> {
    let value = |p: &CalibrationPoint, k: usize| p.settings[k].value.parse::<f64>().ok();
    let best = &c.points[c.best];
    (0..best.settings.len())
        .filter_map(|k| {
            let at_best = value(best, k)?;
            let close: Vec<f64> = c
                .points
                .iter()
                .filter(|p| c.indistinguishable(p))
                .filter_map(|p| value(p, k))
                .collect();
            Some(FittedValue {
                key: best.settings[k].key.clone(),
                best: at_best,
                low: close.iter().copied().fold(at_best, f64::min),
                high: close.iter().copied().fold(at_best, f64::max),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Estimate;

    fn comparison(value: f64, tolerance: f64, mean: f64, half: f64) -> Comparison {
        Comparison {
            figure: Figure {
                name: "f".into(),
                scenario: PathBuf::from("s.toml"),
                kpi: "channels.c.mean_wait_s".into(),
                cells: Vec::new(),
                value,
                tolerance,
                period: String::new(),
                basis: String::new(),
                source: String::new(),
            },
            simulated: Estimate {
                mean,
                ci_low: mean - half,
                ci_high: mean + half,
            },
            within: (mean - value).abs() <= tolerance,
        }
    }

    #[test]
    fn distance_is_the_mean_squared_miss_in_tolerances() {
        let (d, se) = distance(&[
            comparison(10.0, 2.0, 14.0, 0.0),
            comparison(5.0, 1.0, 5.0, 0.0),
        ]);
        assert_eq!(d, (4.0 + 0.0) / 2.0);
        assert_eq!(se, 0.0);
        // 1.96 half-width = one standard error of the mean: dD = 2·e/(n·tol)·se = 2·2/(2·2)·1.
        let (_, se) = distance(&[
            comparison(10.0, 2.0, 14.0, 1.96),
            comparison(5.0, 1.0, 5.0, 0.0),
        ]);
        assert!((se - 1.0).abs() < 1e-12, "{se}");
    }
}
