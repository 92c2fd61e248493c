//! Fitting a scenario to per-call records: per channel the volume, the hour-of-week profile,
//! day-to-day over-dispersion, a handle-time distribution chosen by likelihood, and patience
//! from censored waits. Every estimate comes from running sums and fixed-size tables, so memory
//! does not grow with the number of calls (only with the days and channels covered).

use std::collections::BTreeMap;

use jiff::civil::{Date, DateTime};
use statrs::function::gamma::{digamma, ln_gamma};

use super::fit_calendar::{self, CalendarFit};
use super::intervals::IntervalRow;
use super::patience;
use super::read::{CallRow, Ended};
use super::reservoir::Reservoir;
use crate::calendar::HOURS_PER_WEEK;

/// Width of a patience histogram bin, seconds, and how many bins (then one for the rest).
pub(super) const BIN_S: f64 = 5.0;
pub(super) const BINS: usize = 2 * 3600 / 5;

/// Running sums of positive durations, enough for the exponential, lognormal and gamma MLEs.
#[derive(Clone, Debug, Default)]
pub struct Durations {
    n: u64,
    sum: f64,
    sum_sq: f64,
    sum_ln: f64,
    sum_ln_sq: f64,
    /// Counts in [`LOG_BINS`] logarithmic bins (for the fit chart), empty until the first.
    pub(super) log_bins: Vec<u64>,
    /// An even sample of the durations (for an empirical distribution).
    pub(super) sample: Reservoir,
}

/// Logarithmic bins of durations for the fit chart: eight a decade from 1 s to 10^5 s, the
/// first also holding shorter ones and the last longer ones.
pub const LOG_BINS: usize = 40;

/// The bin of a duration of `x` seconds.
pub fn log_bin(x: f64) -> usize {
    (8.0 * x.max(1.0).log10())
        .floor()
        .clamp(0.0, (LOG_BINS - 1) as f64) as usize
}

impl Durations {
    fn add(&mut self, x: f64) {
        if self.log_bins.is_empty() {
            self.log_bins = vec![0; LOG_BINS];
        }
        self.log_bins[log_bin(x)] += 1;
        self.sample.offer(x);
        self.n += 1;
        self.sum += x;
        self.sum_sq += x * x;
        self.sum_ln += x.ln();
        self.sum_ln_sq += x.ln() * x.ln();
    }
}

/// A fitted duration distribution, with its mean log-likelihood per observation.
#[derive(Clone, Debug, PartialEq)]
pub struct FittedDist {
    /// `exponential`, `lognormal` or `gamma`.
    pub kind: &'static str,
    /// Mean, seconds.
    pub mean_s: f64,
    /// Standard deviation, seconds.
    pub sd_s: f64,
    /// Mean log-likelihood per observation.
    pub log_likelihood: f64,
}

/// The three candidate fits of durations, best first by the Bayesian information criterion
/// (the likelihood less ½ ln n per parameter, so that the two-parameter gamma, which contains
/// the exponential, wins only when the data say so); empty when fewer than two durations are
/// known.
pub fn fit_durations(d: &Durations) -> Vec<FittedDist> {
    if d.n < 2 {
        return Vec::new();
    }
    let n = d.n as f64;
    let mean = d.sum / n;
    let mean_ln = d.sum_ln / n;
    let var_ln = (d.sum_ln_sq / n - mean_ln * mean_ln).max(1e-12);
    let mut fits = vec![FittedDist {
        kind: "exponential",
        mean_s: mean,
        sd_s: mean,
        log_likelihood: -mean.ln() - 1.0,
    }];
    // Lognormal: μ and σ² are the mean and variance of the logs.
    let sigma2 = var_ln;
    let ln_mean = (mean_ln + sigma2 / 2.0).exp();
    fits.push(FittedDist {
        kind: "lognormal",
        mean_s: ln_mean,
        sd_s: ln_mean * (sigma2.exp() - 1.0).sqrt(),
        log_likelihood: -mean_ln - 0.5 * (2.0 * std::f64::consts::PI * sigma2).ln() - 0.5,
    });
    // Gamma: the shape solves ln k − ψ(k) = ln(mean) − mean(ln x) (Newton from Minka's start).
    let s = mean.ln() - mean_ln;
    if s > 0.0 {
        let mut k = (3.0 - s + ((s - 3.0).powi(2) + 24.0 * s).sqrt()) / (12.0 * s);
        for _ in 0..50 {
            let f = k.ln() - digamma(k) - s;
            let df = 1.0 / k - trigamma(k);
            let next = (k - f / df).max(k / 10.0);
            if (next - k).abs() < 1e-12 * k {
                k = next;
                break;
            }
            k = next;
        }
        let theta = mean / k;
        fits.push(FittedDist {
            kind: "gamma",
            mean_s: mean,
            sd_s: k.sqrt() * theta,
            log_likelihood: (k - 1.0) * mean_ln - k - ln_gamma(k) - k * theta.ln(),
        });
    }
    let bic = |f: &FittedDist| {
        let params = if f.kind == "exponential" { 1.0 } else { 2.0 };
        n * f.log_likelihood - params / 2.0 * n.ln()
    };
    fits.sort_by(|a, b| bic(b).total_cmp(&bic(a)));
    fits
}

/// ψ′(k) by recurrence and its asymptotic series.
fn trigamma(mut k: f64) -> f64 {
    let mut acc = 0.0;
    while k < 6.0 {
        acc += 1.0 / (k * k);
        k += 1.0;
    }
    let k2 = k * k;
    acc + 1.0 / k + 1.0 / (2.0 * k2) + 1.0 / (6.0 * k2 * k) - 1.0 / (30.0 * k2 * k2 * k)
        + 1.0 / (42.0 * k2 * k2 * k2 * k)
}

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
                        .checked_add(jiff::SignedDuration::from_secs_f64(row.wait_s))
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
        .map(|(name, c)| fit_channel(name, c, (start, days), &covered))
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

fn fit_channel(
    name: &str,
    c: &ChannelData,
    (start, days): (Date, i64),
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
    let growth_per_year = fit_calendar::growth(&c.per_day, start, days);
    let month =
        fit_calendar::month_profile(&c.per_day, start, days, growth_per_year.unwrap_or(0.0));
    let calendar = CalendarFit {
        hour_of_week: hour_of_week.as_deref(),
        month: month.as_deref(),
        growth: growth_per_year.unwrap_or(0.0),
    };
    let day_cv = fit_calendar::day_cv(&c.per_day, start, days, &calendar);
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
fn patience(c: &ChannelData, warnings: &mut Vec<String>) -> (Option<f64>, f64, Option<f64>) {
    let (patience_mean_s, patience_se_s) = if c.abandoned > 0 {
        let m = c.exposure_s / c.abandoned as f64;
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

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_distr::{Distribution, Exp, Gamma, LogNormal};

    fn sums(xs: impl Iterator<Item = f64>) -> Durations {
        let mut d = Durations::default();
        xs.for_each(|x| d.add(x));
        d
    }

    #[test]
    fn each_shape_is_recognised_with_its_moments() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
        let n = 20_000;
        // Gamma k = 3, θ = 100: mean 300, sd 173.2.
        let g = Gamma::new(3.0, 100.0).unwrap();
        let fits = fit_durations(&sums((0..n).map(|_| g.sample(&mut rng))));
        assert_eq!(fits[0].kind, "gamma");
        assert!(
            (fits[0].mean_s - 300.0).abs() < 6.0 && (fits[0].sd_s - 173.2).abs() < 5.0,
            "{fits:?}"
        );
        // Lognormal μ = 5, σ = 0.8.
        let l = LogNormal::new(5.0, 0.8).unwrap();
        let fits = fit_durations(&sums((0..n).map(|_| l.sample(&mut rng))));
        assert_eq!(fits[0].kind, "lognormal");
        let mean = (5.0f64 + 0.32).exp();
        assert!((fits[0].mean_s / mean - 1.0).abs() < 0.02, "{fits:?}");
        // Exponential mean 200: the gamma's extra shape parameter does not pay for itself.
        let e = Exp::new(1.0 / 200.0).unwrap();
        let fits = fit_durations(&sums((0..n).map(|_| e.sample(&mut rng))));
        assert_eq!(fits[0].kind, "exponential");
        assert!((fits[0].mean_s - 200.0).abs() < 6.0);
    }
}
