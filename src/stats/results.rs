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
}

impl IntervalLabels {
    fn new(s: &Scenario, iv: &IntervalKpis<Estimate>) -> IntervalLabels {
        let start = s.start_date;
        let months = iv.month.handlers.len();
        let weeks = iv.week.handlers.len();
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
        let triage = scenario.triage.as_ref().map(|_| {
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
}
