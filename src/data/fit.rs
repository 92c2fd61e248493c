//! Fitting a scenario to per-call records: per channel the volume, the hour-of-week profile,
//! day-to-day over-dispersion, a handle-time distribution chosen by likelihood, and patience
//! from censored waits. Every estimate comes from running sums and fixed-size tables, so memory
//! does not grow with the number of calls (only with the days and channels covered).

use std::collections::BTreeMap;

use jiff::civil::{Date, DateTime};

pub use super::durations::{Durations, FittedDist, LOG_BINS, fit_durations, log_bin};
use super::fit_calendar::{self, CalendarFit};
use super::intervals::IntervalRow;
use super::patience;
use super::read::{CallRow, Ended};
use crate::calendar::HOURS_PER_WEEK;
use crate::scenario::{MAX_DAY_CV, MAX_GROWTH};

/// Width of a patience histogram bin, seconds, and how many bins (then one for the rest).
pub(super) const BIN_S: f64 = 5.0;
pub(super) const BINS: usize = 2 * 3600 / 5;

/// Everything gathered about one channel.
#[derive(Clone, Debug)]
pub struct ChannelData {
    /// Calls (answered and abandoned).
    pub calls: u64,
    /// Of them, abandoned.
    pub abandoned: u64,
    /// Arrivals in each hour of the week, Monday 00:00 first.
    pub hour_of_week: Vec<u64>,
    /// Arrivals per date.
    pub per_day: BTreeMap<Date, u64>,
    /// Handle times of answered calls (positive ones).
    pub handle: Durations,
    /// Sum of all waits (answered and abandoned): the exposure to hanging up.
    pub exposure_s: f64,
    /// Waits of abandoned calls and of answered calls (censored), in bins of `BIN_S`.
    pub(super) abandon_bins: Vec<u64>,
    pub(super) censor_bins: Vec<u64>,
    /// Sum of waits, for the mean wait.
    wait_sum_s: f64,
    /// Sum of the answered calls' waits (the simulator's `mean_wait_s` basis).
    pub answered_wait_s: f64,
    /// From an interval report: Σ mean handle time × answered, and the answered it covers
    /// (single handle times are not in such a report).
    interval_handle: (f64, u64),
    /// True once rows of an interval report were added (counts and means, no single calls).
    pub(super) from_intervals: bool,
    /// Abandonments by a known caller, and of them those followed by another call.
    abandoned_known: u64,
    redials: u64,
    /// Calls on this channel that were redials.
    redials_in: u64,
    /// Sum of times from hanging up to calling again.
    redial_delay_sum_s: f64,
}

impl Default for ChannelData {
    fn default() -> Self {
        ChannelData {
            calls: 0,
            abandoned: 0,
            hour_of_week: vec![0; HOURS_PER_WEEK],
            per_day: BTreeMap::new(),
            handle: Durations::default(),
            exposure_s: 0.0,
            abandon_bins: vec![0; BINS + 1],
            censor_bins: vec![0; BINS + 1],
            wait_sum_s: 0.0,
            answered_wait_s: 0.0,
            interval_handle: (0.0, 0),
            from_intervals: false,
            abandoned_known: 0,
            redials: 0,
            redials_in: 0,
            redial_delay_sum_s: 0.0,
        }
    }
}

/// A caller who hung up and has not called again yet: channel and when it hung up.
type PendingRedial = (String, DateTime);

/// Callers who hung up longer ago than this (by arrival time) are taken not to redial, and
/// forgotten, so that memory stays bounded by a day's abandoners.
const REDIAL_WINDOW_S: i64 = 24 * 3600;

/// What the fit gathers from the rows, per channel.
#[derive(Clone, Debug, Default)]
pub struct Gathered {
    /// Per channel name.
    pub channels: BTreeMap<String, ChannelData>,
    /// First and last arrival.
    pub first: Option<DateTime>,
    /// Last arrival.
    pub last: Option<DateTime>,
    /// Abandoners with a caller id who may still call again.
    pending: std::collections::HashMap<String, PendingRedial>,
    rows_since_sweep: u64,
}

impl Gathered {
    /// Links a known caller's call to its abandonment before: a redial on the channel it hung
    /// up on. Returns whether `row` is a redial.
    fn link_redial(&mut self, row: &CallRow, caller: &str) -> bool {
        let Some((channel, hung_up)) = self.pending.remove(caller) else {
            return false;
        };
        let delay = hung_up.duration_until(row.arrived).as_secs_f64();
        if !(0.0..=REDIAL_WINDOW_S as f64).contains(&delay) {
            return false;
        }
        if let Some(c) = self.channels.get_mut(&channel) {
            c.redials += 1;
            c.redial_delay_sum_s += delay;
        }
        true
    }

    /// Forgets abandoners who hung up more than the redial window before `now`.
    fn sweep_pending(&mut self, now: DateTime) {
        self.rows_since_sweep += 1;
        if self.rows_since_sweep < 100_000 {
            return;
        }
        self.rows_since_sweep = 0;
        self.pending
            .retain(|_, (_, t)| t.duration_until(now).as_secs() <= REDIAL_WINDOW_S);
    }

    /// Adds one interval of an ACD report: its counts for volume and profiles, its mean
    /// handle time, and its mean wait for the answered and — roughly — the abandoned.
    pub fn add_interval(&mut self, row: &IntervalRow) {
        self.first = Some(self.first.map_or(row.start, |f| f.min(row.start)));
        self.last = Some(self.last.map_or(row.start, |l| l.max(row.start)));
        let c = match self.channels.get_mut(&row.channel) {
            Some(c) => c,
            None => self.channels.entry(row.channel.clone()).or_default(),
        };
        c.from_intervals = true;
        c.calls += row.answered + row.abandoned;
        c.abandoned += row.abandoned;
        let date = row.start.date();
        let weekday = date.weekday().to_monday_zero_offset() as usize;
        c.hour_of_week[weekday * 24 + row.start.hour() as usize] += row.answered + row.abandoned;
        *c.per_day.entry(date).or_insert(0) += row.answered + row.abandoned;
        let asa = row.asa_s.unwrap_or(0.0);
        // Abandoners' waits are not in a report: taken as the interval's mean wait.
        let waited = asa * (row.answered + row.abandoned) as f64;
        c.exposure_s += waited;
        c.wait_sum_s += waited;
        c.answered_wait_s += asa * row.answered as f64;
        if let Some(aht) = row.aht_s.filter(|a| *a > 0.0) {
            c.interval_handle.0 += aht * row.answered as f64;
            c.interval_handle.1 += row.answered;
        }
    }

    /// Adds one row.
    pub fn add(&mut self, row: &CallRow) {
        let redial = match &row.caller {
            Some(caller) => {
                let linked = self.link_redial(row, caller);
                if row.ended == Ended::Abandoned {
                    let hung_up = row
                        .arrived
                        .checked_add(
                            jiff::SignedDuration::try_from_secs_f64(row.wait_s)
                                .unwrap_or(jiff::SignedDuration::ZERO),
                        )
                        .unwrap_or(row.arrived);
                    self.pending
                        .insert(caller.clone(), (row.channel.clone(), hung_up));
                }
                self.sweep_pending(row.arrived);
                linked
            }
            None => false,
        };
        self.first = Some(self.first.map_or(row.arrived, |f| f.min(row.arrived)));
        self.last = Some(self.last.map_or(row.arrived, |l| l.max(row.arrived)));
        let c = match self.channels.get_mut(&row.channel) {
            Some(c) => c,
            None => self.channels.entry(row.channel.clone()).or_default(),
        };
        c.calls += 1;
        if row.caller.is_some() && row.ended == Ended::Abandoned {
            c.abandoned_known += 1;
        }
        c.redials_in += u64::from(redial);
        let date = row.arrived.date();
        let weekday = date.weekday().to_monday_zero_offset() as usize;
        c.hour_of_week[weekday * 24 + row.arrived.hour() as usize] += 1;
        *c.per_day.entry(date).or_insert(0) += 1;
        c.exposure_s += row.wait_s;
        c.wait_sum_s += row.wait_s;
        let bin = ((row.wait_s / BIN_S) as usize).min(BINS);
        match row.ended {
            Ended::Abandoned => {
                c.abandoned += 1;
                c.abandon_bins[bin] += 1;
            }
            Ended::Answered => {
                c.censor_bins[bin] += 1;
                c.answered_wait_s += row.wait_s;
                if let Some(h) = row.handle_s.filter(|h| *h > 0.0) {
                    c.handle.add(h);
                }
            }
        }
    }
}

/// The fitted parameters of one channel.
#[derive(Clone, Debug)]
pub struct ChannelFit {
    /// Channel name.
    pub name: String,
    /// Calls in the data.
    pub calls: u64,
    /// Mean fresh arrivals per hour over the data's days (redials, when the `caller` column
    /// links them, left out: the simulator adds them back).
    pub rate_per_hour: f64,
    /// Redials, when callers are known: the share of abandonments followed by another call
    /// within a day, its standard error, and the mean delay in seconds.
    pub redial: Option<(f64, f64, f64)>,
    /// Month weights (January first), when the data covers two months or more.
    pub month: Option<Vec<f64>>,
    /// Yearly growth, when the data spans two years or more.
    pub growth_per_year: Option<f64>,
    /// Hour-of-week weights (mean 1), or `None` when the data covers less than a week.
    pub hour_of_week: Option<Vec<f64>>,
    /// An even sample of up to 1,000 handle times (empty from an interval report).
    pub handle_sample: Vec<f64>,
    /// Day-level over-dispersion: the coefficient of variation of the day multiplier.
    pub day_cv: f64,
    /// Handle-time fits, best first.
    pub handle: Vec<FittedDist>,
    /// Exponential patience (MLE from censored waits): mean, seconds; `None` without
    /// abandonment.
    pub patience_mean_s: Option<f64>,
    /// Exponential and lognormal patience on the binned censored waits, best first by BIC
    /// (empty without abandonments, or from an interval report).
    pub patience_fits: Vec<FittedDist>,
    /// Its standard error.
    pub patience_se_s: f64,
    /// Kaplan–Meier median patience, seconds, when the survival curve reaches one half.
    pub patience_median_km_s: Option<f64>,
    /// Share of calls abandoned.
    pub abandonment_rate: f64,
    /// Mean wait, seconds.
    pub mean_wait_s: f64,
    /// Doubts worth a comment in the fitted file.
    pub warnings: Vec<String>,
}

/// The whole fit.
#[derive(Clone, Debug)]
pub struct Fit {
    /// First day covered.
    pub start: Date,
    /// Days covered (first to last arrival, whole days).
    pub days: i64,
    /// Per channel, by name.
    pub channels: Vec<ChannelFit>,
}

/// Fits every channel gathered; `None` without any call.
pub fn fit(g: &Gathered) -> Option<Fit> {
    let (first, last) = (g.first?, g.last?);
    let start = first.date();
    let days = (last.date() - start).get_days() as i64 + 1;
    let covered = fit_calendar::hours_covered(first, last);
    let channels = g
        .channels
        .iter()
        .map(|(name, c)| {
            let hours = (
                usize::from(first.hour() as u8),
                usize::from(last.hour() as u8),
            );
            fit_channel(name, c, (start, days, hours), &covered)
        })
        .collect();
    Some(Fit {
        start,
        days,
        channels,
    })
}

/// Redials: the share of known callers' abandonments followed by a call, its standard error,
/// and the mean delay; `None` without known callers.
fn redial_fit(c: &ChannelData) -> Option<(f64, f64, f64)> {
    (c.abandoned_known > 0).then(|| {
        let n = c.abandoned_known as f64;
        let p = c.redials as f64 / n;
        let delay = if c.redials > 0 {
            c.redial_delay_sum_s / c.redials as f64
        } else {
            0.0
        };
        (p, (p * (1.0 - p) / n).sqrt(), delay)
    })
}

/// Growth within what a scenario takes (sparse data can give thousands of per cent a year),
/// or none when the last year has (next to) no calls: −100% a year is no trend to simulate.
fn capped_growth(g: f64, warnings: &mut Vec<String>) -> Option<f64> {
    if g.is_nan() || g <= -0.99 {
        warnings.push(
            "the last year has next to no calls beside the first: growth not fitted (the data end or thin out)".into(),
        );
        return None;
    }
    if g <= MAX_GROWTH {
        return Some(g);
    }
    warnings.push(format!(
        "growth of {:.0}% a year from the first year to the last is beyond any contact centre's (too few calls in the first year): capped at {:.0}%",
        g * 100.0,
        MAX_GROWTH * 100.0
    ));
    Some(MAX_GROWTH)
}

/// `day_cv` within what a scenario takes (data sparse by day can give any spread).
fn capped_day_cv(day_cv: f64, warnings: &mut Vec<String>) -> f64 {
    if day_cv <= MAX_DAY_CV {
        return day_cv;
    }
    warnings.push(format!(
        "day-to-day spread day_cv {day_cv:.2} is beyond any contact centre's (the data are too sparse or irregular by day): capped at {MAX_DAY_CV}"
    ));
    MAX_DAY_CV
}

fn fit_channel(
    name: &str,
    c: &ChannelData,
    (start, days, (first_hour, last_hour)): (Date, i64, (usize, usize)),
    covered: &[u64; HOURS_PER_WEEK],
) -> ChannelFit {
    // Over the hours the data covers, from the hour of the first call to the end of the hour
    // of the last (an export that starts at 10:00 does not dilute its first day).
    let hours = covered.iter().sum::<u64>().max(1) as f64;
    let rate_per_hour = (c.calls - c.redials_in) as f64 / hours;
    let redial = redial_fit(c);
    let mut warnings = Vec::new();
    let hour_of_week = if covered.iter().all(|&n| n > 0) {
        let per_hour: Vec<f64> = (0..HOURS_PER_WEEK)
            .map(|h| c.hour_of_week[h] as f64 / covered[h] as f64)
            .collect();
        let mean = per_hour.iter().sum::<f64>() / HOURS_PER_WEEK as f64;
        (mean > 0.0).then(|| per_hour.iter().map(|x| x / mean).collect())
    } else {
        warnings.push("the data covers less than a week: no hour-of-week profile".into());
        None
    };
    let growth_per_year =
        fit_calendar::growth(&c.per_day, start, days).and_then(|g| capped_growth(g, &mut warnings));
    let month =
        fit_calendar::month_profile(&c.per_day, start, days, growth_per_year.unwrap_or(0.0));
    let calendar = CalendarFit {
        hour_of_week: hour_of_week.as_deref(),
        month: month.as_deref(),
        growth: growth_per_year.unwrap_or(0.0),
        first_hour,
        last_hour,
    };
    let day_cv = capped_day_cv(
        fit_calendar::day_cv(&c.per_day, start, days, &calendar),
        &mut warnings,
    );
    // With growth the scenario states the first year's rate.
    let rate_per_hour = match growth_per_year {
        Some(_) => rate_per_hour * fit_calendar::first_year_factor(&c.per_day, start, days),
        None => rate_per_hour,
    };
    if c.from_intervals {
        warnings.push(
            "an interval report cannot tell redials from fresh calls: the rate counts both".into(),
        );
    }
    let handle = if c.from_intervals {
        interval_handle(c, &mut warnings)
    } else {
        fit_durations(&c.handle)
    };
    if handle.is_empty() {
        warnings.push("fewer than two handle times: handle time not fitted".into());
    }
    let (patience_mean_s, patience_se_s, patience_median_km_s) = patience(c, &mut warnings);
    ChannelFit {
        name: name.to_owned(),
        calls: c.calls,
        rate_per_hour,
        redial,
        month,
        growth_per_year,
        hour_of_week,
        handle_sample: c.handle.sample.values().to_vec(),
        day_cv,
        handle,
        patience_fits: match (c.from_intervals, patience_mean_s) {
            (false, Some(m)) => patience::fit_patience(&c.abandon_bins, &c.censor_bins, m),
            _ => Vec::new(),
        },
        patience_mean_s,
        patience_se_s,
        patience_median_km_s,
        abandonment_rate: c.abandoned as f64 / c.calls.max(1) as f64,
        mean_wait_s: c.wait_sum_s / c.calls.max(1) as f64,
        warnings,
    }
}

/// Patience: the exponential MLE from censored waits with its standard error, and the
/// Kaplan–Meier median (none from an interval report), with the doubts as warnings.
/// The shortest mean patience a fit writes (a scenario takes none of 0 s).
const MIN_PATIENCE_S: f64 = 1.0;

fn patience(c: &ChannelData, warnings: &mut Vec<String>) -> (Option<f64>, f64, Option<f64>) {
    let (patience_mean_s, patience_se_s) = if c.abandoned > 0 {
        let mut m = c.exposure_s / c.abandoned as f64;
        if m < MIN_PATIENCE_S {
            // Callers who hang up without waiting (every wait 0): patience under a second.
            warnings.push(format!(
                "callers hung up having waited {m:.2} s on average: patience written as {MIN_PATIENCE_S:.0} s, the least a scenario takes"
            ));
            m = MIN_PATIENCE_S;
        }
        (Some(m), m / (c.abandoned as f64).sqrt())
    } else {
        warnings.push(
            "no abandoned calls: patience cannot be estimated (left out: infinitely patient)"
                .into(),
        );
        (None, f64::NAN)
    };
    let patience_median_km_s = if c.from_intervals {
        warnings.push(
            "patience from interval counts is rough (abandoners' waits taken as the interval's mean wait): fit it with calibrate --data".into(),
        );
        None
    } else {
        kaplan_meier_median(c)
    };
    if let Some(m) = patience_mean_s
        && patience_median_km_s.is_none()
        && !c.from_intervals
    {
        warnings.push(format!(
            "the survival curve of patience never falls to one half within the waits seen: the tail is not identified, and the exponential mean ({m:.0} s) rests on its assumed shape"
        ));
    }
    (patience_mean_s, patience_se_s, patience_median_km_s)
}

/// The handle time of an interval report: only its mean is known, so an exponential with it.
fn interval_handle(c: &ChannelData, warnings: &mut Vec<String>) -> Vec<FittedDist> {
    let (sum, n) = c.interval_handle;
    if n == 0 {
        return Vec::new();
    }
    warnings.push(
        "an interval report gives mean handle times only: the shape is not in the data (exponential assumed)".into(),
    );
    let mean = sum / n as f64;
    vec![FittedDist {
        kind: "exponential",
        mean_s: mean,
        sd_s: mean,
        log_likelihood: f64::NAN,
    }]
}

/// The Kaplan–Meier median of patience from the binned waits (abandonment the event, an
/// answer the censoring); `None` when the curve stays above one half.
fn kaplan_meier_median(c: &ChannelData) -> Option<f64> {
    let mut at_risk = c.calls as f64;
    let mut survival = 1.0;
    for b in 0..=BINS {
        let events = c.abandon_bins[b] as f64;
        if at_risk > 0.0 && events > 0.0 {
            survival *= 1.0 - events / at_risk;
        }
        if survival <= 0.5 {
            return Some((b as f64 + 0.5) * BIN_S);
        }
        at_risk -= events + c.censor_bins[b] as f64;
    }
    None
}
