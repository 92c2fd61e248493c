//! `triage-sim calibrate`: the grid ranked by distance, the fitted values with their ranges, and
//! the best point's figures (table, JSON, CSV).

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use super::csv_text::{finish, num};
use super::json::pretty_json;
use super::published::PublishedView;
use super::{Render, RenderError};
use crate::planning::calibrate::{Calibration, CalibrationPoint, FittedValue};

/// A calibration, with the figures file it was run against.
pub struct CalibrationView<'a> {
    /// The outcome.
    pub calibration: &'a Calibration,
    /// The figures file, as given.
    pub target: &'a str,
}

/// Points the table lists (the JSON and CSV carry all).
const SHOWN: usize = 10;

fn settings_text(p: &CalibrationPoint) -> Vec<String> {
    p.settings.iter().map(|o| o.value.clone()).collect()
}

#[derive(Serialize)]
struct PointJson<'a> {
    settings: BTreeMap<&'a str, &'a str>,
    within: usize,
    distance: f64,
    distance_se: f64,
    indistinguishable_from_best: bool,
}

#[derive(Serialize)]
struct FittedJson {
    value: f64,
    low: f64,
    high: f64,
}

impl CalibrationView<'_> {
    fn point_json<'p>(&self, p: &'p CalibrationPoint) -> PointJson<'p> {
        PointJson {
            settings: p
                .settings
                .iter()
                .map(|o| (o.key.as_str(), o.value.as_str()))
                .collect(),
            within: p.within(),
            distance: p.distance,
            distance_se: p.distance_se,
            indistinguishable_from_best: self.calibration.indistinguishable(p),
        }
    }

    fn best(&self) -> &CalibrationPoint {
        &self.calibration.points[self.calibration.best]
    }
}

fn fitted_text(f: &FittedValue) -> String {
    if f.low == f.high {
        format!("{} = {}", f.key, f.best)
    } else {
        format!(
            "{} = {} (as good within the noise: {} to {})",
            f.key, f.best, f.low, f.high
        )
    }
}

impl Render for CalibrationView<'_> {
    fn table(&self) -> String {
        let c = self.calibration;
        let best = self.best();
        let n = best.comparisons.len();
        let mut out = format!(
            "Calibration against {} ({n} figures): {} points, common random numbers\n\n",
            self.target,
            c.points.len()
        );
        let keys: Vec<&str> = best.settings.iter().map(|o| o.key.as_str()).collect();
        let widths: Vec<usize> = keys.iter().map(|k| k.chars().count().max(8)).collect();
        for (k, w) in keys.iter().zip(&widths) {
            let _ = write!(out, "{k:>w$}  ");
        }
        out.push_str("within   distance (± se)\n");
        for p in c.ranked().into_iter().take(SHOWN) {
            for (v, w) in settings_text(p).iter().zip(&widths) {
                let _ = write!(out, "{v:>w$}  ");
            }
            let mark = if c.indistinguishable(p) { " *" } else { "" };
            let _ = writeln!(
                out,
                "{:>3}/{n}  {:>9.3} ± {:.3}{mark}",
                p.within(),
                p.distance,
                p.distance_se
            );
        }
        if c.points.len() > SHOWN {
            let _ = writeln!(
                out,
                "… {} more points (--format json lists all)",
                c.points.len() - SHOWN
            );
        }
        out.push_str(
            "\n* as good as the best within the simulation's noise (1.96 standard errors)\n",
        );
        out.push_str(
            "distance: mean over figures of ((simulated − published) ÷ tolerance)²\n\nBest:\n",
        );
        for f in &c.fitted {
            let _ = writeln!(out, "  {}", fitted_text(f));
        }
        let _ = writeln!(out, "\nThe figures at the best point:\n");
        out.push_str(
            &PublishedView {
                comparisons: &best.comparisons,
            }
            .table(),
        );
        out
    }

    fn json(&self) -> String {
        #[derive(Serialize)]
        struct Document<'a> {
            target: &'a str,
            fitted: BTreeMap<&'a str, FittedJson>,
            best: PointJson<'a>,
            points: Vec<PointJson<'a>>,
            figures: serde_json::Value,
        }
        let best = self.best();
        let figures: serde_json::Value = serde_json::from_str(
            &PublishedView {
                comparisons: &best.comparisons,
            }
            .json(),
        )
        .unwrap_or(serde_json::Value::Null);
        pretty_json(&Document {
            target: self.target,
            fitted: self
                .calibration
                .fitted
                .iter()
                .map(|f| {
                    (
                        f.key.as_str(),
                        FittedJson {
                            value: f.best,
                            low: f.low,
                            high: f.high,
                        },
                    )
                })
                .collect(),
            best: self.point_json(best),
            points: self
                .calibration
                .points
                .iter()
                .map(|p| self.point_json(p))
                .collect(),
            figures,
        })
    }

    fn csv(&self) -> Result<String, RenderError> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let keys: Vec<String> = self.best().settings.iter().map(|o| o.key.clone()).collect();
        let mut header = keys.clone();
        header.extend(
            [
                "within",
                "figures",
                "distance",
                "distance_se",
                "indistinguishable_from_best",
            ]
            .map(String::from),
        );
        w.write_record(&header)?;
        for p in &self.calibration.points {
            let mut row = settings_text(p);
            row.extend([
                p.within().to_string(),
                p.comparisons.len().to_string(),
                num(p.distance),
                num(p.distance_se),
                self.calibration.indistinguishable(p).to_string(),
            ]);
            w.write_record(&row)?;
        }
        Ok(finish(w)?)
    }
}
