//! The fitted scenario as a commented TOML file: every value with where it came from.

use std::fmt::Write;

use super::fit::{ChannelFit, Fit};
use super::read::ReadReport;

/// Occupancy at which the placeholder pool is sized.
const PLACEHOLDER_OCCUPANCY: f64 = 0.85;

/// A TOML basic string.
fn quoted(s: &str) -> String {
    let mut out = String::from('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// How the fitted file gives handle times.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HandleChoice {
    /// The distribution chosen by BIC among exponential, lognormal and gamma.
    #[default]
    Best,
    /// The data's own handle times: an even sample of up to 1,000 as an empirical distribution.
    Empirical,
}

/// The handle time written for a channel whose data have none, seconds.
const PLACEHOLDER_HANDLE_S: f64 = 300.0;

/// The scenario text for `fit`, from the data at `source`, with handle times as `handle` says;
/// or why no scenario can carry the data (a load beyond any contact centre's).
pub fn fitted_toml(
    fit: &Fit,
    source: &str,
    report: &ReadReport,
    handle: HandleChoice,
) -> Result<String, String> {
    let mut t = String::new();
    let _ = writeln!(t, "# Fitted by `triage-sim fit` from {source}:");
    let _ = writeln!(
        t,
        "# {} rows read, {} used, {} outside the dates asked for.",
        report.rows, report.used, report.outside_dates
    );
    for (class, n) in &report.classes {
        let _ = writeln!(t, "#   {n} rows: {class}");
    }
    for (value, n) in &report.other_outcomes {
        let _ = writeln!(t, "#   {n} rows with outcome {value:?}, skipped");
    }
    let _ = writeln!(t, "name = {}", quoted(&format!("fitted from {source}")));
    let _ = writeln!(t, "start_date = {}", fit.start);
    let _ = writeln!(
        t,
        "horizon_hours = {}          # the {} days the data covers",
        fit.days * 24,
        fit.days
    );
    let _ = writeln!(t, "replications = 10\nseed = 1");
    // Priorities are not in the data: a channel whose callers wait less is taken to come first.
    let mut order: Vec<&ChannelFit> = fit.channels.iter().collect();
    order.sort_by(|a, b| a.mean_wait_s.total_cmp(&b.mean_wait_s));
    let mut load = 0.0;
    for (priority, c) in order.iter().enumerate() {
        load += channel(&mut t, c, priority, handle);
    }
    let needed = (load / PLACEHOLDER_OCCUPANCY).ceil().max(1.0);
    if needed.is_nan() || needed > crate::scenario::MAX_STAFF as f64 {
        return Err(format!(
            "the data's volumes and handle times come to {load:.0} Erlangs, which would need {needed:.0} handlers, more than the {} a scenario takes; expected the records of one contact centre (see the handle times kept over 4 hours, if any)",
            crate::scenario::MAX_STAFF
        ));
    }
    let count = needed as u32;
    let _ = writeln!(
        t,
        "\n[handlers]\n# Placeholder, not estimated: the fitted load of {load:.2} Erlangs at {:.0}% occupancy, round the\n# clock. For handlers on duty by half-hour from the data's agent activity (scaled to reproduce\n# its waits), fit again with `--staffing-out staffing.csv` and run or backtest with\n# `--staffing staffing.csv`; or set your rota here.\ncount = {count}",
        PLACEHOLDER_OCCUPANCY * 100.0
    );
    Ok(t)
}

/// The inside of a channel's `arrivals = { … }`.
fn arrivals(c: &ChannelFit) -> String {
    let mut arrivals = format!("rate_per_hour = {:.6}", c.rate_per_hour);
    if c.day_cv > 0.0 {
        let _ = write!(arrivals, ", day_cv = {:.4}", c.day_cv);
    }
    if let Some(g) = c.growth_per_year {
        let _ = write!(arrivals, ", growth = {g:.4}");
    }
    if let Some(m) = &c.month {
        let list: Vec<String> = m.iter().map(|x| format!("{x:.4}")).collect();
        let _ = write!(arrivals, ",\n  month = [{}]", list.join(", "));
    }
    if let Some(w) = &c.hour_of_week {
        let rows: Vec<String> = w
            .chunks(24)
            .map(|day| {
                day.iter()
                    .map(|x| format!("{x:.4}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .collect();
        let _ = write!(
            arrivals,
            ",\n  hour_of_week = [\n    {}\n  ]",
            rows.join(",\n    ")
        );
    }
    arrivals
}

/// Writes a channel's fitted redials, if any were seen.
fn redial(t: &mut String, c: &ChannelFit) {
    if let Some((p, se, delay)) = c.redial.filter(|(p, _, _)| *p > 0.0) {
        let _ = writeln!(
            t,
            "# redials: the share of known callers' abandonments followed by a call within a day (± {se:.4}); the\n# export has no attempt numbers, so max_attempts is generous rather than fitted"
        );
        let _ = writeln!(
            t,
            "redial = {{ probability = {p:.4}, delay = {{ dist = \"exponential\", mean_s = {:.3} }}, max_attempts = 10 }}",
            delay.max(1.0)
        );
    }
}

/// Writes one channel's table; returns its offered load in Erlangs.
/// The handle-time line with its comment; returns the channel's offered load in Erlangs.
fn handle_time(t: &mut String, c: &ChannelFit, choice: HandleChoice) -> f64 {
    match c.handle.first() {
        // The data's own times, unless every one is written as 0.0 s (zero-second services,
        // which the parametric fit leaves out): a list whose mean is 0 is no handle time.
        Some(_)
            if choice == HandleChoice::Empirical && c.handle_sample.iter().any(|x| *x >= 0.05) =>
        {
            let _ = writeln!(
                t,
                "# handle time: {} of the data's handle times, drawn evenly (a reservoir sample), each equally likely",
                c.handle_sample.len()
            );
            let values: Vec<String> = c.handle_sample.iter().map(|x| format!("{x:.1}")).collect();
            let rows: Vec<String> = values.chunks(16).map(|r| r.join(", ")).collect();
            let _ = writeln!(
                t,
                "handle_time = {{ dist = \"empirical\", values_s = [\n  {}\n] }}",
                rows.join(",\n  ")
            );
            // The load of what is simulated: the sample's own mean (the parametric fit's can
            // differ by far when a few very long services dominate the sample).
            let sample_mean = c.handle_sample.iter().sum::<f64>() / c.handle_sample.len() as f64;
            c.rate_per_hour * sample_mean / 3600.0
        }
        Some(best) if best.log_likelihood.is_nan() => {
            let _ = writeln!(
                t,
                "# handle time: the report's mean (an interval report has no single handle times)"
            );
            let _ = writeln!(
                t,
                "handle_time = {{ dist = \"exponential\", mean_s = {:.3} }}",
                best.mean_s
            );
            c.rate_per_hour * best.mean_s / 3600.0
        }
        Some(best) => {
            let _ = writeln!(
                t,
                "# handle time chosen by BIC among (mean log-likelihood per call): {}",
                c.handle
                    .iter()
                    .map(|f| format!("{} {:.4}", f.kind, f.log_likelihood))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let dist = if best.kind == "exponential" {
                format!("{{ dist = \"exponential\", mean_s = {:.3} }}", best.mean_s)
            } else if best.kind == "deterministic" {
                format!(
                    "{{ dist = \"deterministic\", value_s = {:.3} }}   # every handle time the same",
                    best.mean_s
                )
            } else {
                format!(
                    "{{ dist = \"{}\", mean_s = {:.3}, sd_s = {:.3} }}",
                    best.kind, best.mean_s, best.sd_s
                )
            };
            let _ = writeln!(t, "handle_time = {dist}");
            c.rate_per_hour * best.mean_s / 3600.0
        }
        None => {
            let _ = writeln!(
                t,
                "handle_time = {{ dist = \"exponential\", mean_s = {PLACEHOLDER_HANDLE_S} }}   # placeholder: not in the data"
            );
            // The placeholder is simulated, so the pool must carry its load too.
            c.rate_per_hour * PLACEHOLDER_HANDLE_S / 3600.0
        }
    }
}

fn channel(t: &mut String, c: &ChannelFit, priority: usize, handle: HandleChoice) -> f64 {
    let _ = writeln!(t, "\n[channels.{}]", quoted(&c.name));
    for w in &c.warnings {
        let _ = writeln!(t, "# warning: {w}");
    }
    let _ = writeln!(
        t,
        "# {} calls, {:.1}% abandoned, mean wait {:.1} s",
        c.calls,
        c.abandonment_rate * 100.0,
        c.mean_wait_s
    );
    let _ = writeln!(t, "kind = \"call\"");
    let _ = writeln!(
        t,
        "priority = {priority}                  # not in the data: ordered by mean wait, shortest first"
    );
    let arrivals = arrivals(c);
    let _ = writeln!(
        t,
        "# arrivals: the mean rate over the days covered (the first year's with growth); day_cv\n# from daily counts beyond Poisson; growth from two years or more; month weights from two\n# months or more (a month without a week of data at 1)"
    );
    let _ = writeln!(t, "arrivals = {{ {arrivals} }}");
    let load = handle_time(t, c, handle);
    if let Some(m) = c.patience_mean_s {
        let km = c
            .patience_median_km_s
            .map_or("not reached".to_owned(), |x| format!("{x:.0} s"));
        let _ = writeln!(
            t,
            "# patience: exponential MLE from censored waits (answered callers censored), ± {:.1} s; Kaplan–Meier median {km}",
            c.patience_se_s
        );
        match c.patience_fits.first().filter(|f| f.kind == "lognormal") {
            Some(l) => {
                let _ = writeln!(
                    t,
                    "# the lognormal fits the binned censored waits better (BIC; mean log-likelihood per caller: {})",
                    c.patience_fits
                        .iter()
                        .map(|f| format!("{} {:.5}", f.kind, f.log_likelihood))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                let _ = writeln!(
                    t,
                    "patience = {{ dist = \"lognormal\", mean_s = {:.3}, sd_s = {:.3} }}",
                    l.mean_s, l.sd_s
                );
            }
            None => {
                let _ = writeln!(
                    t,
                    "patience = {{ dist = \"exponential\", mean_s = {m:.3} }}"
                );
            }
        }
    }
    redial(t, c);
    let _ = writeln!(
        t,
        "target = {{ answer_within_s = 60, fraction = 0.8 }}   # not in the data: set the channel's target"
    );
    load
}
