//! The outcome of replicating a scenario: every KPI as a mean with its confidence interval,
//! whole-run and per interval, with the per-replication values kept for paired comparisons.

use crate::scenario::Scenario;
use crate::stats::{Estimate, IntervalKpis, Kpis, ReplicationKpis, summarise, summarise_intervals};

/// The outcome of replicating a scenario.
#[derive(Clone, Debug)]
pub struct Results {
    /// Scenario name.
    pub scenario: String,
    /// Master seed used.
    pub seed: u64,
    /// Number of replications.
    pub replications: u32,
    /// Per channel: name and KPI estimates.
    pub channels: Vec<(String, Kpis<Estimate>)>,
    /// Per channel: the service-level target fraction.
    pub targets: Vec<f64>,
    /// Per channel: the KPI the target is measured by (`service_level`, or
    /// `national_service_level` for a target on the national clock).
    pub target_kpis: Vec<&'static str>,
    /// Per channel: the answer-time threshold of the target, seconds.
    pub thresholds_s: Vec<f64>,
    /// Per channel: mean over replications of the wait quantiles at 1%, 2%, …, 100% (seconds).
    pub wait_quantiles: Vec<Vec<f64>>,
    /// The call-handler pool's KPIs.
    pub handlers: Kpis<Estimate>,
    /// The triage team's KPIs, if any.
    pub triage: Option<Kpis<Estimate>>,
    /// KPIs per hour of the week, month and week of the run.
    pub intervals: IntervalKpis<Estimate>,
    /// Labels of the interval cells: hour of week (`Mon 07`), month (`2024-07`), week start date.
    pub interval_labels: IntervalLabels,
    /// Events processed, summed over replications.
    pub events: u64,
    /// Wall-clock seconds for all replications (the only field that varies between runs).
    pub wall_s: f64,
    /// The KPIs of each replication, in order (for paired comparisons and tests).
    pub per_replication: Vec<ReplicationKpis>,
}

/// Labels of the interval cells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntervalLabels {
    /// `Mon 00` … `Sun 23`.
    pub hour_of_week: Vec<String>,
    /// `YYYY-MM` of each month of the run.
    pub month: Vec<String>,
    /// Start date of each week of the run.
    pub week: Vec<String>,
    /// `00:00` … `23:00`.
    pub hour_of_day: Vec<String>,
    /// The date of each day of the run, when the results keep days (`Scenario::day_intervals`).
    pub day: Vec<String>,
}

impl IntervalLabels {
    fn new(s: &Scenario, iv: &IntervalKpis<Estimate>) -> IntervalLabels {
        let start = s.start_date;
        let months = iv.month.handlers.len();
        let weeks = iv.week.handlers.len();
        let days = iv.day.channels.first().map_or(0, Vec::len);
        IntervalLabels {
            hour_of_week: (0..crate::calendar::HOURS_PER_WEEK)
                .map(crate::calendar::hour_of_week_label)
                .collect(),
            month: (0..months)
                .map(|m| {
                    let d = start
                        .first_of_month()
                        .checked_add(jiff::Span::new().months(m as i64))
                        .unwrap_or(start);
                    format!("{:04}-{:02}", d.year(), d.month())
                })
                .collect(),
            hour_of_day: (0..crate::time::HOURS_PER_DAY)
                .map(|h| format!("{h:02}:00"))
                .collect(),
            week: (0..weeks)
                .map(|w| {
                    start
                        .checked_add(jiff::Span::new().days(7 * w as i64))
                        .unwrap_or(start)
                        .to_string()
                })
                .collect(),
            day: (0..days)
                .map(|d| {
                    start
                        .checked_add(jiff::Span::new().days(d as i64))
                        .unwrap_or(start)
                        .to_string()
                })
                .collect(),
        }
    }
}

impl Results {
    /// Summarises the KPIs of every replication of `scenario`, given in replication order.
    pub fn summarise(
        scenario: &Scenario,
        per_replication: Vec<ReplicationKpis>,
        wall_s: f64,
    ) -> Results {
        let channels = scenario
            .channels
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let reps: Vec<&Kpis<f64>> =
                    per_replication.iter().map(|r| &r.channels[i]).collect();
                (c.name.clone(), summarise(&reps))
            })
            .collect();
        let handlers = summarise(
            &per_replication
                .iter()
                .map(|r| &r.handlers)
                .collect::<Vec<_>>(),
        );
        // A team that starts (or ends) with a dated change is reported for the whole run.
        let triage = scenario.in_any_part(|p| p.triage.is_some()).then(|| {
            summarise(
                &per_replication
                    .iter()
                    .filter_map(|r| r.triage.as_ref())
                    .collect::<Vec<_>>(),
            )
        });
        let intervals = summarise_intervals(
            &per_replication
                .iter()
                .map(|r| &r.intervals)
                .collect::<Vec<_>>(),
        );
        Results {
            interval_labels: IntervalLabels::new(scenario, &intervals),
            intervals,
            scenario: scenario.name.clone(),
            thresholds_s: scenario
                .channels
                .iter()
                .map(|c| c.target.answer_within.as_secs())
                .collect(),
            wait_quantiles: (0..scenario.channels.len())
                .map(|c| {
                    (0..100)
                        .map(|q| {
                            let xs: Vec<f64> = per_replication
                                .iter()
                                .map(|r| r.wait_quantiles[c][q])
                                .collect();
                            Estimate::from_samples(&xs).mean
                        })
                        .collect()
                })
                .collect(),
            targets: scenario
                .channels
                .iter()
                .map(|c| c.target.fraction)
                .collect(),
            target_kpis: scenario
                .channels
                .iter()
                .map(|c| c.target.clock.service_level_kpi())
                .collect(),
            seed: scenario.seed,
            replications: scenario.replications,
            channels,
            handlers,
            triage,
            events: per_replication.iter().map(|r| r.events).sum(),
            wall_s,
            per_replication,
        }
    }

    /// These results without what only a single run reports: the per-interval KPIs, the wait
    /// quantiles and each replication's KPIs. A sweep keeps one such summary per point, so
    /// its memory does not grow with its replications or the run's horizon.
    pub fn into_summary(mut self) -> Results {
        let empty = || super::intervals::IntervalSeries {
            channels: Vec::new(),
            handlers: Vec::new(),
        };
        self.intervals = IntervalKpis {
            hour_of_week: empty(),
            month: empty(),
            week: empty(),
            hour_of_day: empty(),
            day: empty(),
        };
        self.interval_labels = IntervalLabels {
            hour_of_week: Vec::new(),
            month: Vec::new(),
            week: Vec::new(),
            hour_of_day: Vec::new(),
            day: Vec::new(),
        };
        self.wait_quantiles = Vec::new();
        self.per_replication = Vec::new();
        self
    }
}

impl Results {
    /// The estimate at a KPI's JSON key path of `run`'s output: `channels.<ch>.<kpi>`,
    /// `handlers.<kpi>`, `triage.<kpi>`, or `intervals.<kind>.channels.<ch>.<kpi>` /
    /// `intervals.<kind>.handlers.<kpi>` at the interval `cells` given by label. Several cells
    /// are combined weighted by the channel's offered contacts in each (equally for handlers);
    /// the combined half-width is the weighted sum of the cells' half-widths (conservative).
    pub fn estimate_at(&self, path: &str, cells: &[String]) -> Result<Estimate, String> {
        let parts: Vec<&str> = path.split('.').collect();
        let (kpi, inner) = match parts.split_last() {
            Some((kpi, inner)) if !inner.is_empty() => (*kpi, inner),
            _ => {
                return Err(format!(
                    "\"{path}\": expected a path such as channels.999.mean_wait_s"
                ));
            }
        };
        let whole_run = |scope: &[&str]| -> Result<&Kpis<Estimate>, String> {
            match scope {
                ["handlers"] => Ok(&self.handlers),
                ["triage"] => self
                    .triage
                    .as_ref()
                    .ok_or("the scenario has no triage team".into()),
                ["channels", name @ ..] => self.channel_kpis(&name.join(".")),
                _ => Err(format!(
                    "\"{path}\": expected channels.<name>.<kpi>, handlers.<kpi>, triage.<kpi> or intervals.<kind>.…"
                )),
            }
        };
        let found = |kpis: &Kpis<Estimate>| {
            crate::stats::get(kpis, kpi).ok_or_else(|| format!("no KPI \"{kpi}\" at \"{path}\""))
        };
        let ["intervals", kind, scope @ ..] = inner else {
            if !cells.is_empty() {
                return Err(format!(
                    "\"{path}\" is a whole-run KPI; expected no interval"
                ));
            }
            return found(whole_run(inner)?);
        };
        let (series, labels) = self.interval_series(kind)?;
        if cells.is_empty() {
            return Err(format!(
                "\"{path}\" is per interval; expected an interval label"
            ));
        }
        let (per_cell, weights): (&Vec<Kpis<Estimate>>, Option<&Vec<Kpis<Estimate>>>) = match scope
        {
            ["handlers"] => (&series.handlers, None),
            ["channels", name @ ..] => {
                let name = name.join(".");
                let c = self
                    .channels
                    .iter()
                    .position(|(n, _)| *n == name)
                    .ok_or_else(|| self.no_channel(&name))?;
                (&series.channels[c], Some(&series.channels[c]))
            }
            _ => {
                return Err(format!(
                    "\"{path}\": expected intervals.<kind>.channels.<name>.<kpi> or intervals.<kind>.handlers.<kpi>"
                ));
            }
        };
        let (mut total, mut mean, mut half) = (0.0, 0.0, 0.0);
        for label in cells {
            let i = labels
                .iter()
                .position(|l| l == label)
                .ok_or_else(|| format!("no {kind} interval \"{label}\" in the run"))?;
            let e = found(&per_cell[i])?;
            let w = weights
                .and_then(|w| crate::stats::get(&w[i], "offered"))
                .map_or(1.0, |o| o.mean);
            total += w;
            mean += w * e.mean;
            half += w * e.half_width();
        }
        let (mean, half) = (mean / total, half / total);
        Ok(Estimate {
            mean,
            ci_low: mean - half,
            ci_high: mean + half,
        })
    }

    fn no_channel(&self, name: &str) -> String {
        let known: Vec<&str> = self.channels.iter().map(|(n, _)| n.as_str()).collect();
        format!(
            "no channel \"{name}\"; expected one of {}",
            known.join(", ")
        )
    }

    fn channel_kpis(&self, name: &str) -> Result<&Kpis<Estimate>, String> {
        self.channels
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, k)| k)
            .ok_or_else(|| self.no_channel(name))
    }

    fn interval_series(
        &self,
        kind: &str,
    ) -> Result<(&crate::stats::IntervalSeries<Estimate>, &Vec<String>), String> {
        let (iv, l) = (&self.intervals, &self.interval_labels);
        match kind {
            "hour_of_week" => Ok((&iv.hour_of_week, &l.hour_of_week)),
            "month" => Ok((&iv.month, &l.month)),
            "week" => Ok((&iv.week, &l.week)),
            "hour_of_day" => Ok((&iv.hour_of_day, &l.hour_of_day)),
            other => Err(format!(
                "no interval kind \"{other}\"; expected hour_of_week, month, week or hour_of_day"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_keeps_the_estimates_and_drops_what_grows_with_the_run() {
        let mut s = Scenario::default_scenario();
        s.horizon = crate::time::SimTime::from_secs(14.0 * 86_400.0);
        s.warmup = crate::time::SimTime::ZERO;
        s.replications = 3;
        let full = crate::stats::replicate(&s);
        let summary = full.clone().into_summary();
        assert_eq!(
            format!("{:?}", summary.channels),
            format!("{:?}", full.channels)
        );
        assert_eq!(
            format!("{:?}", summary.handlers),
            format!("{:?}", full.handlers)
        );
        assert_eq!(
            format!("{:?}", summary.triage),
            format!("{:?}", full.triage)
        );
        assert!(summary.per_replication.is_empty() && full.per_replication.len() == 3);
        assert!(summary.intervals.week.channels.is_empty());
        assert!(!full.intervals.week.channels.is_empty());
    }
}
