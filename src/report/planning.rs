//! Renderings of the planning commands: the staffing search, paired comparisons and sweeps.

use std::fmt::Write;

use std::collections::BTreeMap;

use serde::Serialize;

use super::json::pretty_json;

use super::csv_text::{finish, num};
use crate::planning::interval_staffing::IntervalStaffing;
use crate::planning::sweep::Point;
use crate::report::table::cell;
use crate::stats::paired::KpiDifference;
use crate::stats::{Estimate, Kpis, get};

/// A share as a whole percentage, e.g. "90%".
pub(super) fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// Which compared KPIs the table shows (JSON and CSV carry all).
const COMPARE_TABLE_KPIS: [&str; 7] = [
    "service_level",
    "mean_wait_s",
    "abandonment_rate",
    "p_wait",
    "p90_wait_s",
    "occupancy",
    "mean_staffed",
];

/// A difference B − A with its sign: shares in percentage points ("+2.42 pp ± 0.40"), the rest
/// in the KPI's unit.
fn difference_cell(kpi: &str, e: Estimate) -> String {
    if e.mean.is_nan() {
        return "n/a".into();
    }
    let hw = e.half_width();
    let (value, half) = match crate::stats::kpi::unit_of(kpi) {
        crate::stats::kpi::Unit::Share => (
            format!("{:+.2} pp", 100.0 * e.mean),
            format!("{:.2}", 100.0 * hw),
        ),
        crate::stats::kpi::Unit::Seconds => (format!("{:+.1} s", e.mean), format!("{hw:.1}")),
        crate::stats::kpi::Unit::Level => (format!("{:+.3}", e.mean), format!("{hw:.3}")),
        _ => (format!("{:+.0}", e.mean), format!("{hw:.0}")),
    };
    if hw.is_nan() {
        value
    } else {
        format!("{value} ± {half}")
    }
}

/// Paired differences as a table.
pub fn compare_table(
    a: &str,
    b: &str,
    reps: u32,
    diffs: &[KpiDifference],
    (only_a, only_b): (&[String], &[String]),
) -> String {
    let mut out = format!(
        "B − A, paired over {reps} replications (common random numbers); A = {a}, B = {b}\n\n"
    );
    let _ = writeln!(
        out,
        "{:<22} {:<18} {:>17} {:>17} {:>22}",
        "scope", "kpi", "A", "B", "B − A (95% CI)"
    );
    for d in diffs
        .iter()
        .filter(|d| COMPARE_TABLE_KPIS.contains(&d.kpi.as_str()))
    {
        let scope = if d.channel.is_empty() {
            d.scope.clone()
        } else {
            d.channel.clone()
        };
        let diff = difference_cell(&d.kpi, d.difference);
        let note = if d.significant {
            ""
        } else {
            "  not significant"
        };
        let _ = writeln!(
            out,
            "{scope:<22} {:<18} {:>17} {:>17} {diff:>22}{note}",
            d.kpi,
            cell(&d.kpi, d.a),
            cell(&d.kpi, d.b)
        );
    }
    // "A met its 90.0% target": the percentage is each side's target, not its estimate.
    let verdict = |side: &str, target: Option<f64>, met: Option<bool>| match (target, met) {
        (Some(t), Some(met)) => format!(
            "{side} {} its {:.1}% target",
            if met { "met" } else { "MISSED" },
            t * 100.0
        ),
        _ => format!("{side} has no such target"),
    };
    for d in diffs
        .iter()
        .filter(|d| d.met_a.is_some() || d.met_b.is_some())
    {
        let _ = writeln!(
            out,
            "{} {}: {}, {}",
            d.channel,
            d.kpi,
            verdict("A", d.target_a, d.met_a),
            verdict("B", d.target_b, d.met_b)
        );
    }
    for (side, names) in [("A", only_a), ("B", only_b)] {
        if !names.is_empty() {
            let _ = writeln!(out, "only in {side}, so not compared: {}", names.join(", "));
        }
    }
    out
}

/// Paired differences as JSON, with the channels only one side has (`only_in_a`, `only_in_b`).
pub fn compare_json(
    a: &str,
    b: &str,
    diffs: &[KpiDifference],
    (only_in_a, only_in_b): (&[String], &[String]),
) -> String {
    #[derive(Serialize)]
    struct CompareDocument<'a> {
        a: &'a str,
        b: &'a str,
        differences: serde_json::Value,
        only_in_a: &'a [String],
        only_in_b: &'a [String],
    }
    // Through a JSON value, whose objects list their keys in name order: the order this
    // document has always had.
    pretty_json(&CompareDocument {
        a,
        b,
        differences: serde_json::to_value(diffs).unwrap_or_default(),
        only_in_a,
        only_in_b,
    })
}

/// Paired differences as CSV.
pub fn compare_csv(diffs: &[KpiDifference]) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "scope",
        "channel",
        "kpi",
        "a_mean",
        "b_mean",
        "diff_mean",
        "diff_ci_low",
        "diff_ci_high",
        "significant",
        "target_a",
        "met_a",
        "target_b",
        "met_b",
    ])?;
    let or_blank = |x: Option<String>| x.unwrap_or_default();
    for d in diffs {
        w.write_record([
            &d.scope,
            &d.channel,
            &d.kpi,
            &num(d.a.mean),
            &num(d.b.mean),
            &num(d.difference.mean),
            &num(d.difference.ci_low),
            &num(d.difference.ci_high),
            &d.significant.to_string(),
            &or_blank(d.target_a.map(num)),
            &or_blank(d.met_a.map(|m| m.to_string())),
            &or_blank(d.target_b.map(num)),
            &or_blank(d.met_b.map(|m| m.to_string())),
        ])?;
    }
    finish(w)
}

/// A sweep as a table of one KPI per channel.
pub fn sweep_table(points: &[Point], kpi: &str) -> String {
    let mut out = String::new();
    let Some(first) = points.first() else {
        return out;
    };
    // Each setting's column as wide as its key (a long key path must not run into the next).
    let widths: Vec<usize> = first
        .settings
        .iter()
        .map(|o| o.key.chars().count().max(22))
        .collect();
    for (o, w) in first.settings.iter().zip(&widths) {
        let _ = write!(out, "  {:>w$}", o.key);
    }
    for (name, _) in &first.results.channels {
        let _ = write!(out, "  {:>22}", format!("{name} {kpi}"));
    }
    out.push('\n');
    for p in points {
        for (o, w) in p.settings.iter().zip(&widths) {
            let _ = write!(out, "  {:>w$}", o.value);
        }
        for (_, kpis) in &p.results.channels {
            let _ = write!(
                out,
                "  {:>22}",
                get(kpis, kpi).map_or("—".into(), |e| cell(kpi, e))
            );
        }
        out.push('\n');
    }
    out
}

/// KPIs by name, in name order (as the sweep JSON has always listed them).
fn kpi_map(kpis: &Kpis<Estimate>) -> BTreeMap<&'static str, Estimate> {
    kpis.iter().copied().collect()
}

/// A `--vary` value: a number where it reads as one, else the text as given.
#[derive(Serialize)]
#[serde(untagged)]
enum Setting<'a> {
    Number(f64),
    Text(&'a str),
}

/// One sweep point in the JSON document (fields in name order).
#[derive(Serialize)]
struct SweepPoint<'a> {
    channels: BTreeMap<&'a str, BTreeMap<&'static str, Estimate>>,
    handlers: BTreeMap<&'static str, Estimate>,
    settings: BTreeMap<&'a str, Setting<'a>>,
    triage: Option<BTreeMap<&'static str, Estimate>>,
}

/// The sweep JSON document.
#[derive(Serialize)]
struct SweepDocument<'a> {
    parameters: Vec<&'a str>,
    points: Vec<SweepPoint<'a>>,
}

/// A sweep as JSON: `parameters` and `points`, each with its `settings` and KPIs.
pub fn sweep_json(points: &[Point]) -> String {
    let parameters: Vec<&str> = points.first().map_or(Vec::new(), |p| {
        p.settings.iter().map(|o| o.key.as_str()).collect()
    });
    let points = points
        .iter()
        .map(|p| SweepPoint {
            settings: p
                .settings
                .iter()
                .map(|o| {
                    let value = o
                        .value
                        .parse::<f64>()
                        .map_or(Setting::Text(&o.value), Setting::Number);
                    (o.key.as_str(), value)
                })
                .collect(),
            channels: p
                .results
                .channels
                .iter()
                .map(|(n, k)| (n.as_str(), kpi_map(k)))
                .collect(),
            handlers: kpi_map(&p.results.handlers),
            triage: p.results.triage.as_ref().map(kpi_map),
        })
        .collect();
    // Through a JSON value, whose objects list their keys in name order: the order this
    // document has always had.
    pretty_json(&serde_json::to_value(SweepDocument { parameters, points }).unwrap_or_default())
}

/// A sweep as CSV: the parameters' values, then `scope,channel,kpi,mean,ci_low,ci_high`.
pub fn sweep_csv(points: &[Point]) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let Some(first) = points.first() else {
        return Ok(String::new());
    };
    let mut header: Vec<String> = first.settings.iter().map(|o| o.key.clone()).collect();
    header.extend(["scope", "channel", "kpi", "mean", "ci_low", "ci_high"].map(String::from));
    w.write_record(&header)?;
    for p in points {
        let values: Vec<String> = p.settings.iter().map(|o| o.value.clone()).collect();
        let mut rows = |scope: &str,
                        channel: &str,
                        kpis: &[(&'static str, Estimate)]|
         -> Result<(), csv::Error> {
            for (k, e) in kpis {
                let mut rec = values.clone();
                rec.extend([
                    scope.to_owned(),
                    channel.to_owned(),
                    (*k).to_owned(),
                    num(e.mean),
                    num(e.ci_low),
                    num(e.ci_high),
                ]);
                w.write_record(&rec)?;
            }
            Ok(())
        };
        for (n, k) in &p.results.channels {
            rows("channel", n, k)?;
        }
        rows("handlers", "", &p.results.handlers)?;
        if let Some(t) = &p.results.triage {
            rows("triage", "", t)?;
        }
    }
    finish(w)
}

/// Interval staffing per hour of the week, as a table.
pub fn interval_table(name: &str, r: &IntervalStaffing) -> String {
    let mut out = format!(
        "{name} — handlers needed per hour of the week for P(wait) ≤ {:.0}% (iterative staffing algorithm, {} iterations{})\n\n",
        r.alpha * 100.0,
        r.iterations,
        if r.converged {
            ", converged"
        } else {
            ", NOT converged"
        }
    );
    let _ = writeln!(
        out,
        "{:<7} {:>9} {:>5} {:>10} {:>7} {:>12} {:>9}",
        "hour", "load (E)", "ISA", "stationary", "rota", "rota − ISA", "P(wait)"
    );
    for h in 0..r.labels.len() {
        let _ = writeln!(
            out,
            "{:<7} {:>9.2} {:>5} {:>10} {:>7.1} {:>12.1} {:>9}",
            r.labels[h],
            r.offered_erlangs[h],
            r.isa[h],
            r.stationary[h],
            r.rota[h],
            r.rota[h] - f64::from(r.isa[h]),
            pct(r.p_wait_isa[h])
        );
    }
    let short = r
        .rota
        .iter()
        .zip(&r.isa)
        .filter(|(rota, isa)| **rota < f64::from(**isa))
        .count();
    let differ = r
        .isa
        .iter()
        .zip(&r.stationary)
        .filter(|(a, b)| a != b)
        .count();
    let _ = writeln!(
        out,
        "\nThe rota is short of the ISA level in {short} of 168 hours. Stationary Erlang C differs from ISA in {differ} hours: it ignores that calls from one hour are still being handled in the next (rising and falling demand)."
    );
    out
}

/// Interval staffing as CSV: one row per hour of the week.
pub fn interval_csv(r: &IntervalStaffing) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "hour_of_week",
        "offered_erlangs",
        "isa",
        "stationary",
        "rota",
        "p_wait_isa",
    ])?;
    for h in 0..r.labels.len() {
        w.write_record([
            r.labels[h].clone(),
            r.offered_erlangs[h].to_string(),
            r.isa[h].to_string(),
            r.stationary[h].to_string(),
            r.rota[h].to_string(),
            r.p_wait_isa[h].to_string(),
        ])?;
    }
    finish(w)
}
