//! Patience as a lognormal, fitted by maximum likelihood to censored waits: abandonments are
//! events known to their 5-second bin, answered callers are censored at their bin's middle
//! (those of the first bin, mostly answered at once, at no wait).
//! Compared with the exponential on the same binned likelihood (BIC), so the fitted file keeps
//! the exponential unless the data say otherwise.

use statrs::distribution::{ContinuousCDF, Normal};

use super::fit::{BIN_S, FittedDist};

/// The binned log-likelihood of a survival function `s` (P(patience > t)).
fn log_likelihood(abandon: &[u64], censor: &[u64], s: &dyn Fn(f64) -> f64) -> f64 {
    let last = abandon.len() - 1;
    let mut ll = 0.0;
    for b in 0..abandon.len() {
        let lo = b as f64 * BIN_S;
        let (a, c) = (abandon[b] as f64, censor[b] as f64);
        if b == last {
            // The overflow bin: beyond the table, event and censoring alike.
            ll += (a + c) * s(lo).max(1e-300).ln();
            continue;
        }
        if a > 0.0 {
            ll += a * (s(lo) - s(lo + BIN_S)).max(1e-300).ln();
        }
        // Censored at the bin's middle — except in the first bin, where most answered callers
        // waited no time at all and were never at risk (S(0) = 1 contributes nothing).
        if c > 0.0 && b > 0 {
            ll += c * s(lo + BIN_S / 2.0).max(1e-300).ln();
        }
    }
    ll
}

/// Exponential and lognormal patience fitted to the binned waits, best first by BIC, each
/// with its mean log-likelihood per caller; empty without abandonments.
pub fn fit_patience(abandon: &[u64], censor: &[u64], exponential_mean: f64) -> Vec<FittedDist> {
    let n: u64 = abandon.iter().chain(censor).sum();
    if abandon.iter().all(|&a| a == 0) || n == 0 || !exponential_mean.is_finite() {
        return Vec::new();
    }
    let n = n as f64;
    let exp_ll = log_likelihood(abandon, censor, &|t| (-t / exponential_mean).exp());
    let mut fits = vec![FittedDist {
        kind: "exponential",
        mean_s: exponential_mean,
        sd_s: exponential_mean,
        log_likelihood: exp_ll / n,
    }];
    let lognormal_ll = |p: [f64; 2]| -> f64 {
        let (mu, sigma) = (p[0], p[1].exp());
        let Ok(z) = Normal::new(mu, sigma) else {
            return f64::NEG_INFINITY;
        };
        log_likelihood(abandon, censor, &|t| {
            if t <= 0.0 { 1.0 } else { 1.0 - z.cdf(t.ln()) }
        })
    };
    let start = [exponential_mean.ln() - 0.5, 0.0];
    let (best, ll) = nelder_mead(|p| -lognormal_ll(p), start, 400);
    let (mu, sigma) = (best[0], best[1].exp());
    if (-ll).is_finite() && sigma < 10.0 {
        let mean = (mu + sigma * sigma / 2.0).exp();
        fits.push(FittedDist {
            kind: "lognormal",
            mean_s: mean,
            sd_s: mean * ((sigma * sigma).exp() - 1.0).sqrt(),
            log_likelihood: -ll / n,
        });
    }
    let bic = |f: &FittedDist| {
        let params = if f.kind == "exponential" { 1.0 } else { 2.0 };
        n * f.log_likelihood - params / 2.0 * n.ln()
    };
    fits.sort_by(|a, b| bic(b).total_cmp(&bic(a)));
    fits
}

/// Minimises `f` over two parameters by Nelder–Mead from `start`; the best point and value.
fn nelder_mead(f: impl Fn([f64; 2]) -> f64, start: [f64; 2], iterations: usize) -> ([f64; 2], f64) {
    let mut simplex = [
        start,
        [start[0] + 0.5, start[1]],
        [start[0], start[1] + 0.5],
    ];
    let mut values = simplex.map(&f);
    for _ in 0..iterations {
        let mut order = [0, 1, 2];
        order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
        let (b, m, w) = (order[0], order[1], order[2]);
        if (values[w] - values[b]).abs() < 1e-9 * (1.0 + values[b].abs()) {
            break;
        }
        let centre = [
            (simplex[b][0] + simplex[m][0]) / 2.0,
            (simplex[b][1] + simplex[m][1]) / 2.0,
        ];
        let towards = |k: f64| {
            [
                centre[0] + k * (simplex[w][0] - centre[0]),
                centre[1] + k * (simplex[w][1] - centre[1]),
            ]
        };
        let reflected = towards(-1.0);
        let fr = f(reflected);
        if fr < values[b] {
            let expanded = towards(-2.0);
            let fe = f(expanded);
            (simplex[w], values[w]) = if fe < fr {
                (expanded, fe)
            } else {
                (reflected, fr)
            };
        } else if fr < values[m] {
            (simplex[w], values[w]) = (reflected, fr);
        } else {
            let contracted = towards(0.5);
            let fc = f(contracted);
            if fc < values[w] {
                (simplex[w], values[w]) = (contracted, fc);
            } else {
                for k in [m, w] {
                    simplex[k] = [
                        (simplex[k][0] + simplex[b][0]) / 2.0,
                        (simplex[k][1] + simplex[b][1]) / 2.0,
                    ];
                    values[k] = f(simplex[k]);
                }
            }
        }
    }
    let best = (0..3)
        .min_by(|&a, &b| values[a].total_cmp(&values[b]))
        .unwrap_or(0);
    (simplex[best], values[best])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nelder_mead_finds_a_quadratic_s_minimum() {
        let (p, v) = nelder_mead(
            |p| (p[0] - 3.0).powi(2) + 2.0 * (p[1] + 1.0).powi(2),
            [0.0, 0.0],
            400,
        );
        assert!(
            (p[0] - 3.0).abs() < 1e-3 && (p[1] + 1.0).abs() < 1e-3,
            "{p:?} {v}"
        );
    }
}
