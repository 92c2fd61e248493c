//! Durations (handle times) from running sums: the exponential, lognormal and gamma fitted by
//! maximum likelihood and ranked by BIC, or a single value when every duration is the same;
//! and the logarithmic bins the fit chart draws them in.

use statrs::function::gamma::{digamma, ln_gamma};

use super::reservoir::Reservoir;

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
    /// Counts one duration of `x` seconds.
    pub(super) fn add(&mut self, x: f64) {
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
    /// `exponential`, `lognormal` or `gamma`; `deterministic` when every duration is the same.
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
    let var_ln = d.sum_ln_sq / n - mean_ln * mean_ln;
    if var_ln < 1e-10 {
        // Every duration the same (to a part in 10⁵): no spread for a distribution to fit.
        return vec![FittedDist {
            kind: "deterministic",
            mean_s: mean,
            sd_s: 0.0,
            log_likelihood: 0.0,
        }];
    }
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

    #[test]
    fn durations_all_the_same_are_one_value_not_a_spread() {
        // A realistic export with every handle time 120 s used to give a lognormal of sd 0,
        // which the fitted scenario then refused as a bug.
        let fits = fit_durations(&sums(std::iter::repeat_n(120.0, 50)));
        assert_eq!(fits.len(), 1);
        assert_eq!(
            (fits[0].kind, fits[0].mean_s, fits[0].sd_s),
            ("deterministic", 120.0, 0.0)
        );
        let spread = fit_durations(&sums([120.0, 121.0].into_iter().cycle().take(50)));
        assert_ne!(spread[0].kind, "deterministic");
    }
}
