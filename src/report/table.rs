//! Results as a terminal table: one column per channel, each cell `mean ± half-width`.

use std::fmt::Write;

use crate::erlang::{ErlangInput, ErlangResult};
use crate::stats::Results;
use crate::stats::kpi::{Unit, unit_of};
use crate::stats::{Estimate, Kpis, get};

/// How a KPI is shown, decided by its unit in the KPI table.
pub(crate) fn cell(kpi: &str, e: Estimate) -> String {
    if e.mean.is_nan() {
        return "n/a".into();
    }
    let hw = e.half_width();
    let pm = |x: String, h: String| {
        if hw.is_nan() {
            x
        } else {
            format!("{x} ± {h}")
        }
    };
    match unit_of(kpi) {
        Unit::Share => pm(
            format!("{:.2}%", e.mean * 100.0),
            format!("{:.2}", hw * 100.0),
        ),
        Unit::Seconds => pm(format!("{:.1} s", e.mean), format!("{hw:.1}")),
        Unit::Level => pm(format!("{:.3}", e.mean), format!("{hw:.3}")),
        Unit::Count | Unit::Hours => pm(format!("{:.0}", e.mean), format!("{hw:.0}")),
    }
}

/// One block of the results table: a column per channel (or pool), a row per KPI, then the
/// `extra` rows (a label and one cell per column).
fn section(
    out: &mut String,
    title: &str,
    columns: &[(&str, &Kpis<Estimate>)],
    extra: &[(&'static str, Vec<String>)],
) {
    let mut names: Vec<&'static str> = Vec::new();
    for (_, kpis) in columns {
        for (k, _) in kpis.iter() {
            if !names.contains(k) {
                names.push(k);
            }
        }
    }
    let mut cells: Vec<Vec<String>> = names
        .iter()
        .map(|k| {
            columns
                .iter()
                .map(|(_, kpis)| get(kpis, k).map_or("—".into(), |e| cell(k, e)))
                .collect()
        })
        .collect();
    for (label, row) in extra {
        names.push(label);
        cells.push(row.clone());
    }
    let first = names
        .iter()
        .map(|k| k.len())
        .max()
        .unwrap_or(0)
        .max(title.len());
    let widths: Vec<usize> = (0..columns.len())
        .map(|j| {
            cells
                .iter()
                .map(|r| r[j].chars().count())
                .chain([columns[j].0.len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let _ = write!(out, "{title:<first$}");
    for (j, (name, _)) in columns.iter().enumerate() {
        let _ = write!(out, "  {name:>w$}", w = widths[j]);
    }
    out.push('\n');
    for (k, row) in names.iter().zip(&cells) {
        let _ = write!(out, "{k:<first$}");
        for (j, c) in row.iter().enumerate() {
            let _ = write!(out, "  {c:>w$}", w = widths[j]);
        }
        out.push('\n');
    }
}

/// Each channel's target and whether the run meets it: two rows under the channels' KPIs.
fn target_rows(results: &Results) -> [(&'static str, Vec<String>); 2] {
    let outcomes: Vec<_> = (0..results.channels.len())
        .map(|c| results.target_outcome(c))
        .collect();
    [
        (
            "target",
            outcomes
                .iter()
                .map(|t| {
                    let pct = format!("{:.1}", t.target * 100.0);
                    let pct = pct.trim_end_matches(".0");
                    let clock = if t.kpi == "national_service_level" {
                        " (national clock)"
                    } else {
                        ""
                    };
                    let within = super::describe::duration_text(t.answer_within_s);
                    format!("{pct}% in {within}{clock}")
                })
                .collect(),
        ),
        (
            "met",
            outcomes
                .iter()
                .map(|t| match (t.met, t.met_with_confidence) {
                    (true, true) => "yes".to_string(),
                    (true, false) => "yes (CI crosses)".to_string(),
                    (false, _) => "NO".to_string(),
                })
                .collect(),
        ),
    ]
}

/// The table for `results`; `with_timing` adds the wall-clock time and events per second.
pub fn results_table(results: &Results, with_timing: bool) -> String {
    let mut out = format!(
        "{} — {}, seed {}, mean ± 95% CI half-width\n\n",
        results.scenario,
        super::counted(results.replications, "replication"),
        results.seed
    );
    let columns: Vec<(&str, &Kpis<Estimate>)> = results
        .channels
        .iter()
        .map(|(n, k)| (n.as_str(), k))
        .collect();
    let target_rows = target_rows(results);
    section(&mut out, "channel", &columns, &target_rows);
    out.push('\n');
    let mut pools = vec![("handlers", &results.handlers)];
    if let Some(t) = &results.triage {
        pools.push(("triage", t));
    }
    section(&mut out, "pool", &pools, &[]);
    out.push('\n');
    for ((name, kpis), cells) in results
        .channels
        .iter()
        .zip(&results.intervals.hour_of_week.channels)
    {
        let offered = get(kpis, "offered").map_or(0.0, |e| e.mean);
        let worst = cells
            .iter()
            .enumerate()
            .filter_map(|(i, k)| {
                get(k, "service_level")
                    .filter(|e| e.mean.is_finite())
                    .map(|e| (i, e))
            })
            .min_by(|a, b| a.1.mean.total_cmp(&b.1.mean));
        if let (Some((i, e)), true) = (worst, offered > 0.0) {
            let _ = writeln!(
                out,
                "{name}: lowest hourly service level {} in {} (see --format json/csv for every hour, month and week)",
                cell("service_level", e),
                results.interval_labels.hour_of_week[i]
            );
        }
    }
    let _ = write!(out, "\n{} events", results.events);
    if with_timing {
        let _ = write!(
            out,
            " in {:.3} s ({:.1} M events/s)",
            results.wall_s,
            results.events as f64 / results.wall_s.max(1e-9) / 1e6
        );
    }
    out.push('\n');
    out
}

/// The table for an analytic Erlang answer.
pub fn erlang_table(input: &ErlangInput, r: &ErlangResult) -> String {
    let model = if input.patience_s.is_some() {
        "Erlang A (M/M/n+M)"
    } else {
        "Erlang C (M/M/n)"
    };
    let mut out = format!(
        "{model}: {} calls/h, AHT {} s, {} agents, load {:.3} Erlangs\n",
        input.rate_per_hour,
        input.aht_s,
        input.agents,
        input.load()
    );
    let _ = writeln!(out, "p_wait         {:.6}", r.p_wait);
    let _ = writeln!(
        out,
        "service_level  {:.6}  (answered within {} s, share of all arrivals)",
        r.service_level, input.target_s
    );
    let _ = writeln!(
        out,
        "asa_s          {:.4}  (mean time in queue over all arrivals)",
        r.asa_s
    );
    let _ = writeln!(out, "p_abandon      {:.6}", r.p_abandon);
    let _ = writeln!(out, "occupancy      {:.6}", r.occupancy);
    out
}
