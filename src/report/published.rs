//! Published figures beside the simulation: the table, JSON and CSV of `triage-sim published`.

use std::fmt::Write;

use serde::Serialize;

use super::csv_text::{finish, num};
use super::json::pretty_json;
use super::{Render, RenderError};
use crate::planning::published::Comparison;
use crate::stats::Estimate;
use crate::stats::kpi::{Unit, unit_of};

/// The comparisons of a figures file.
pub struct PublishedView<'a> {
    /// Every figure beside its simulated counterpart, in the file's order.
    pub comparisons: &'a [Comparison],
}

/// A value in the KPI's unit: shares as percentages, times in seconds.
fn value(kpi: &str, x: f64) -> String {
    let name = kpi.rsplit('.').next().unwrap_or(kpi);
    match unit_of(name) {
        Unit::Share => format!("{:.1}%", 100.0 * x),
        Unit::Seconds => format!("{x:.1} s"),
        Unit::Level => format!("{x:.2}"),
        Unit::Count | Unit::Hours => format!("{x:.0}"),
    }
}

impl PublishedView<'_> {
    fn within(&self) -> usize {
        self.comparisons.iter().filter(|c| c.within).count()
    }
}

#[derive(Serialize)]
struct FigureJson<'a> {
    name: &'a str,
    scenario: String,
    kpi: &'a str,
    interval: &'a [String],
    period: &'a str,
    basis: &'a str,
    source: &'a str,
    published: f64,
    tolerance: f64,
    simulated: Estimate,
    within: bool,
}

#[derive(Serialize)]
struct Document<'a> {
    figures: Vec<FigureJson<'a>>,
    within: usize,
    total: usize,
}

impl Render for PublishedView<'_> {
    fn table(&self) -> String {
        let width = self
            .comparisons
            .iter()
            .map(|c| c.figure.name.chars().count())
            .max()
            .unwrap_or(0)
            .max(48);
        let mut out = format!(
            "{:<width$} {:>12} {:>24}  {:<14}\n",
            "figure", "published", "simulated (95% CI)", "within?"
        );
        for c in self.comparisons {
            let f = &c.figure;
            let sim = format!(
                "{} ± {}",
                value(&f.kpi, c.simulated.mean),
                value(&f.kpi, c.simulated.half_width())
            );
            let _ = writeln!(
                out,
                "{:<width$} {:>12} {:>24}  {:<14}",
                f.name,
                value(&f.kpi, f.value),
                sim,
                if c.within {
                    "yes".to_owned()
                } else {
                    format!("no (±{})", value(&f.kpi, f.tolerance))
                }
            );
        }
        let (k, n) = (self.within(), self.comparisons.len());
        let _ = writeln!(
            out,
            "\n{k} of {n} figures within tolerance ({:.0}%).",
            100.0 * k as f64 / n.max(1) as f64
        );
        out.lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    }

    fn json(&self) -> String {
        let figures = self
            .comparisons
            .iter()
            .map(|c| FigureJson {
                name: &c.figure.name,
                scenario: c.figure.scenario.display().to_string(),
                kpi: &c.figure.kpi,
                interval: &c.figure.cells,
                period: &c.figure.period,
                basis: &c.figure.basis,
                source: &c.figure.source,
                published: c.figure.value,
                tolerance: c.figure.tolerance,
                simulated: c.simulated,
                within: c.within,
            })
            .collect();
        pretty_json(&Document {
            figures,
            within: self.within(),
            total: self.comparisons.len(),
        })
    }

    fn csv(&self) -> Result<String, RenderError> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "name",
            "kpi",
            "interval",
            "published",
            "tolerance",
            "mean",
            "ci_low",
            "ci_high",
            "within",
        ])?;
        for c in self.comparisons {
            let f = &c.figure;
            w.write_record([
                f.name.as_str(),
                &f.kpi,
                &f.cells.join(" "),
                &num(f.value),
                &num(f.tolerance),
                &num(c.simulated.mean),
                &num(c.simulated.ci_low),
                &num(c.simulated.ci_high),
                &c.within.to_string(),
            ])?;
        }
        Ok(finish(w)?)
    }
}
