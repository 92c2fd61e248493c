//! What `fit --chart` draws for one channel, the data beside the fit: calls per day against
//! the fitted rate and day-to-day spread, handle times against the chosen distribution, and the
//! Kaplan–Meier survival of patience against the fitted exponential.

use jiff::civil::Date;
use statrs::distribution::{ContinuousCDF, Exp, Gamma, LogNormal};

use super::fit::{BIN_S, BINS, ChannelData, ChannelFit, FittedDist, LOG_BINS};

/// One channel's observed and fitted curves.
#[derive(Clone, Debug)]
pub struct FitCurves {
    /// The channel's name.
    pub channel: String,
    /// Per day: the date, calls that day, and the fit's expected calls with its standard
    /// deviation (Poisson and the day-to-day spread `day_cv`).
    pub daily: Vec<(Date, u64, f64, f64)>,
    /// Per logarithmic bin of handle time: from, to (seconds), calls observed, calls the best
    /// fit expects.
    pub handle: Vec<(f64, f64, u64, f64)>,
    /// The best handle-time fit's name (`lognormal` …), if any.
    pub handle_kind: Option<&'static str>,
    /// Patience survival: (seconds, Kaplan–Meier, fitted exponential, the Kaplan–Meier
    /// standard error by Greenwood's formula), while at least 1% of the calls are at risk.
    pub survival: Vec<(f64, f64, f64, f64)>,
}

/// The curves of channel `fit` from the data gathered for it, over `days` days from `start`.
pub fn fit_curves(fit: &ChannelFit, data: &ChannelData, start: Date, days: i64) -> FitCurves {
    FitCurves {
        channel: fit.name.clone(),
        daily: daily(fit, data, start, days),
        handle: fit
            .handle
            .first()
            .map_or_else(Vec::new, |best| handle_bins(best, &data.handle.log_bins)),
        handle_kind: fit.handle.first().map(|f| f.kind),
        survival: survival(fit, data),
    }
}

/// Calls per day beside the fitted expectation: every call (redials too, as the data count
/// them) spread by the hour-of-week profile.
fn daily(
    fit: &ChannelFit,
    data: &ChannelData,
    start: Date,
    days: i64,
) -> Vec<(Date, u64, f64, f64)> {
    let per_hour = data.calls as f64 / (days.max(1) as f64 * 24.0);
    (0..days)
        .filter_map(|d| start.checked_add(jiff::Span::new().days(d)).ok())
        .map(|date| {
            let wd = date.weekday().to_monday_zero_offset() as usize;
            let weight: f64 = fit
                .hour_of_week
                .as_ref()
                .map_or(24.0, |w| w[wd * 24..wd * 24 + 24].iter().sum());
            let e = per_hour * weight;
            let sd = (e + (fit.day_cv * e).powi(2)).sqrt();
            (date, *data.per_day.get(&date).unwrap_or(&0), e, sd)
        })
        .collect()
}

/// Observed and expected counts in each logarithmic bin of handle time.
fn handle_bins(best: &FittedDist, counts: &[u64]) -> Vec<(f64, f64, u64, f64)> {
    let n: u64 = counts.iter().sum();
    let cdf = cdf_of(best);
    (0..LOG_BINS)
        .map(|k| {
            let lo = if k == 0 {
                0.0
            } else {
                10f64.powf(k as f64 / 8.0)
            };
            let hi = if k + 1 == LOG_BINS {
                f64::INFINITY
            } else {
                10f64.powf((k + 1) as f64 / 8.0)
            };
            let p = cdf(hi) - cdf(lo);
            (lo, hi, counts.get(k).copied().unwrap_or(0), n as f64 * p)
        })
        .collect()
}

/// The cumulative distribution of a fitted duration (NaN everywhere if its parameters are
/// unusable).
fn cdf_of(f: &FittedDist) -> Box<dyn Fn(f64) -> f64> {
    fn unusable<E>(_: E) -> Box<dyn Fn(f64) -> f64> {
        Box::new(|_| f64::NAN)
    }
    fn boxed<D: ContinuousCDF<f64, f64> + 'static>(d: D) -> Box<dyn Fn(f64) -> f64> {
        Box::new(move |x| {
            if x.is_infinite() {
                1.0
            } else {
                d.cdf(x.max(0.0))
            }
        })
    }
    let (mean, sd) = (f.mean_s.max(1e-9), f.sd_s.max(1e-9));
    match f.kind {
        "lognormal" => {
            let sigma2 = (1.0 + (sd / mean).powi(2)).ln();
            let mu = mean.ln() - sigma2 / 2.0;
            LogNormal::new(mu, sigma2.sqrt()).map_or_else(unusable, boxed)
        }
        "gamma" => Gamma::new((mean / sd).powi(2), mean / sd.powi(2)).map_or_else(unusable, boxed),
        "deterministic" => {
            let value = f.mean_s;
            Box::new(move |x| if x >= value { 1.0 } else { 0.0 })
        }
        _ => Exp::new(1.0 / mean).map_or_else(unusable, boxed),
    }
}

/// The Kaplan–Meier survival of patience per 5-second bin beside the fitted exponential's,
/// while at least 1% of the calls are at risk.
fn survival(fit: &ChannelFit, data: &ChannelData) -> Vec<(f64, f64, f64, f64)> {
    let Some(mean) = fit.patience_mean_s.filter(|_| !data.from_intervals) else {
        return Vec::new(); // no patience fit, or no single waits to draw
    };
    let mut at_risk = data.calls as f64;
    let floor = at_risk * 0.01;
    let (mut km, mut greenwood) = (1.0, 0.0);
    let mut out = vec![(0.0, 1.0, 1.0, 0.0)];
    for b in 0..=BINS {
        if at_risk < floor.max(1.0) {
            break;
        }
        let events = data.abandon_bins[b] as f64;
        km *= 1.0 - events / at_risk;
        if at_risk > events {
            greenwood += events / (at_risk * (at_risk - events));
        }
        let t = (b as f64 + 1.0) * BIN_S;
        out.push((t, km, (-t / mean).exp(), km * greenwood.sqrt()));
        at_risk -= events + data.censor_bins[b] as f64;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::fit::log_bin;

    #[test]
    fn expected_handle_counts_add_up_to_the_calls_and_follow_the_fit() {
        let best = FittedDist {
            kind: "lognormal",
            mean_s: 300.0,
            sd_s: 300.0,
            log_likelihood: 0.0,
        };
        let mut counts = vec![0; LOG_BINS];
        counts[log_bin(250.0)] = 1000;
        let bins = handle_bins(&best, &counts);
        let expected: f64 = bins.iter().map(|b| b.3).sum();
        assert!((expected - 1000.0).abs() < 1e-6, "{expected}");
        // The lognormal with mean and sd 300 s has its median at 212 s: the fullest bin.
        let fullest = bins.iter().max_by(|a, b| a.3.total_cmp(&b.3)).unwrap();
        assert!(fullest.0 <= 212.2 && 212.2 < fullest.1, "{fullest:?}");
        for kind in ["exponential", "gamma"] {
            let f = FittedDist {
                kind,
                ..best.clone()
            };
            let total: f64 = handle_bins(&f, &counts).iter().map(|b| b.3).sum();
            assert!((total - 1000.0).abs() < 1e-6, "{kind}: {total}");
        }
    }
}
