//! KPIs per interval — hour of the week, month, week, hour of the day and (when asked) day of
//! the run — for one replication, and their summary across replications.

use super::measure::{Estimate, Kpis, interval_cell_kpis, level_kpis, reported, summarise};
use crate::scenario::Scenario;
use crate::sim::tally::{Cell, Tally};
use crate::time::HOURS_PER_DAY;

/// KPIs per interval: `channels[channel][cell]` and `handlers[cell]`.
#[derive(Clone, Debug)]
pub struct IntervalSeries<T> {
    /// Per channel, per cell.
    pub channels: Vec<Vec<Kpis<T>>>,
    /// The handler pool, per cell.
    pub handlers: Vec<Kpis<T>>,
}

/// Per-interval KPIs by hour of the week, month of the run and week of the run.
#[derive(Clone, Debug)]
pub struct IntervalKpis<T> {
    /// 168 cells, Monday 00:00 first.
    pub hour_of_week: IntervalSeries<T>,
    /// One cell per calendar month of the run.
    pub month: IntervalSeries<T>,
    /// One cell per week of the run.
    pub week: IntervalSeries<T>,
    /// 24 cells, 00:00 first: every day of the run's hour of day together (the published
    /// "worst hours of the day").
    pub hour_of_day: IntervalSeries<T>,
    /// One cell per day of the run, channels only — empty unless the scenario asks
    /// (`Scenario::day_intervals`, set by `backtest`).
    pub day: IntervalSeries<T>,
}

/// One interval kind's KPIs from its cells and time integrals.
fn series(
    s: &Scenario,
    cells: &[Vec<Cell>],
    on_duty: &[u128],
    busy: &[u128],
    seconds: &[f64],
) -> IntervalSeries<f64> {
    IntervalSeries {
        channels: cells
            .iter()
            .enumerate()
            .map(|(i, per_cell)| {
                let r = reported(s, i);
                per_cell.iter().map(|c| interval_cell_kpis(r, c)).collect()
            })
            .collect(),
        handlers: (0..seconds.len())
            .map(|i| level_kpis(on_duty[i], busy[i], seconds[i]))
            .collect(),
    }
}

/// The per-interval KPIs of one replication: hour of week, month, week, the hour of day folded
/// from the week, and the days when the scenario asks.
pub(super) fn interval_kpis(s: &Scenario, tally: &Tally) -> IntervalKpis<f64> {
    let (on, busy) = (&tally.handlers_on_duty, &tally.handlers_busy);
    let (how_s, month_s, week_s) = tally.interval_seconds(s.horizon);
    let iv = &tally.intervals;
    let day_cells: Vec<Vec<Cell>> = iv.hour_of_week.iter().map(|c| by_hour_of_day(c)).collect();
    IntervalKpis {
        hour_of_week: series(
            s,
            &iv.hour_of_week,
            &on.by_hour_of_week,
            &busy.by_hour_of_week,
            &how_s,
        ),
        month: series(s, &iv.month, &on.by_month, &busy.by_month, &month_s),
        week: series(s, &iv.week, &on.by_week, &busy.by_week, &week_s),
        hour_of_day: series(
            s,
            &day_cells,
            &sum_by_hour_of_day(&on.by_hour_of_week),
            &sum_by_hour_of_day(&busy.by_hour_of_week),
            &sum_by_hour_of_day(&how_s),
        ),
        day: if s.day_intervals {
            series(s, &iv.day, &[], &[], &[])
        } else {
            IntervalSeries {
                channels: vec![Vec::new(); s.channels.len()],
                handlers: Vec::new(),
            }
        },
    }
}

/// The 168 hour-of-week cells folded into 24 hours of the day.
fn by_hour_of_day(hour_of_week: &[Cell]) -> Vec<Cell> {
    let mut day = vec![Cell::default(); HOURS_PER_DAY];
    for (h, cell) in hour_of_week.iter().enumerate() {
        day[h % HOURS_PER_DAY].merge(cell);
    }
    day
}

/// Hour-of-week values (time integrals, seconds) summed into 24 hours of the day.
fn sum_by_hour_of_day<T: Copy + Default + std::ops::AddAssign>(hour_of_week: &[T]) -> Vec<T> {
    let mut day = vec![T::default(); HOURS_PER_DAY];
    for (h, x) in hour_of_week.iter().enumerate() {
        day[h % HOURS_PER_DAY] += *x;
    }
    day
}

/// Summarises per-interval KPIs across replications, cell by cell.
pub fn summarise_intervals(reps: &[&IntervalKpis<f64>]) -> IntervalKpis<Estimate> {
    let series = |pick: fn(&IntervalKpis<f64>) -> &IntervalSeries<f64>| {
        let first = pick(reps[0]);
        IntervalSeries {
            channels: (0..first.channels.len())
                .map(|c| {
                    (0..first.channels[c].len())
                        .map(|cell| {
                            summarise(
                                &reps
                                    .iter()
                                    .map(|r| &pick(r).channels[c][cell])
                                    .collect::<Vec<_>>(),
                            )
                        })
                        .collect()
                })
                .collect(),
            handlers: (0..first.handlers.len())
                .map(|cell| {
                    summarise(
                        &reps
                            .iter()
                            .map(|r| &pick(r).handlers[cell])
                            .collect::<Vec<_>>(),
                    )
                })
                .collect(),
        }
    };
    IntervalKpis {
        hour_of_week: series(|k| &k.hour_of_week),
        month: series(|k| &k.month),
        week: series(|k| &k.week),
        hour_of_day: series(|k| &k.hour_of_day),
        day: series(|k| &k.day),
    }
}
