//! Sampling distributions for durations (handle times, patience, triage times), in seconds.
//!
//! A [`Dist`] is built only from checked parameters (see `scenario::validate`), so sampling
//! cannot fail. Every variant knows its mean, which the stability check and the `check`
//! command use.

use rand::RngExt;
use rand_distr::{Distribution, Exp, Gamma, LogNormal};

use crate::rng::SimRng;

/// A non-negative duration distribution, sampled in seconds.
#[derive(Clone, Debug)]
pub enum Dist {
    /// Exponential with the given mean.
    Exponential {
        /// The mean, in seconds.
        mean_s: f64,
        /// The sampler built from it.
        inner: Exp<f64>,
    },
    /// Lognormal with the given mean and standard deviation of the duration itself.
    Lognormal {
        /// The mean, in seconds.
        mean_s: f64,
        /// The standard deviation, in seconds.
        sd_s: f64,
        /// The sampler built from them.
        inner: LogNormal<f64>,
    },
    /// Gamma with the given mean and standard deviation.
    Gamma {
        /// The mean, in seconds.
        mean_s: f64,
        /// The standard deviation, in seconds.
        sd_s: f64,
        /// The sampler built from them.
        inner: Gamma<f64>,
    },
    /// Always the same value.
    Deterministic {
        /// The value, in seconds.
        value_s: f64,
    },
    /// Uniform between two bounds.
    Uniform {
        /// The lower bound, in seconds.
        min_s: f64,
        /// The upper bound, in seconds.
        max_s: f64,
    },
    /// One of a list of observed values, each equally likely (resampling).
    Empirical {
        /// The observed values, in seconds.
        values_s: Vec<f64>,
        /// Their mean, in seconds.
        mean_s: f64,
    },
}

/// Why a distribution's parameters cannot be sampled.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DistError {
    /// A mean that is not a finite number above zero.
    #[error("mean_s must be a finite number of seconds above 0")]
    Mean,
    /// A standard deviation that is not a finite number above zero.
    #[error(
        "sd_s must be a finite number of seconds above 0 (use dist = \"deterministic\" for no variation)"
    )]
    Sd,
    /// A value that is negative or not finite.
    #[error("durations must be finite and at least 0 seconds")]
    Value,
    /// Uniform bounds out of order or all zero.
    #[error("need 0 <= min_s <= max_s and max_s > 0")]
    Bounds,
    /// An empirical list with no values, or only zeros.
    #[error("the list of values must not be empty and must have a mean above 0")]
    Empty,
}

fn check_positive(x: f64, err: DistError) -> Result<f64, DistError> {
    if x.is_finite() && x > 0.0 {
        Ok(x)
    } else {
        Err(err)
    }
}

impl Dist {
    /// Exponential with mean `mean_s`.
    pub fn exponential(mean_s: f64) -> Result<Dist, DistError> {
        let mean_s = check_positive(mean_s, DistError::Mean)?;
        let inner = Exp::new(1.0 / mean_s).map_err(|_| DistError::Mean)?;
        Ok(Dist::Exponential { mean_s, inner })
    }

    /// Lognormal whose samples have mean `mean_s` and standard deviation `sd_s`.
    pub fn lognormal(mean_s: f64, sd_s: f64) -> Result<Dist, DistError> {
        let mean_s = check_positive(mean_s, DistError::Mean)?;
        let sd_s = check_positive(sd_s, DistError::Sd)?;
        let sigma2 = (1.0 + (sd_s / mean_s).powi(2)).ln();
        let mu = mean_s.ln() - sigma2 / 2.0;
        let inner = LogNormal::new(mu, sigma2.sqrt()).map_err(|_| DistError::Sd)?;
        Ok(Dist::Lognormal {
            mean_s,
            sd_s,
            inner,
        })
    }

    /// Gamma whose samples have mean `mean_s` and standard deviation `sd_s`.
    pub fn gamma(mean_s: f64, sd_s: f64) -> Result<Dist, DistError> {
        let mean_s = check_positive(mean_s, DistError::Mean)?;
        let sd_s = check_positive(sd_s, DistError::Sd)?;
        let shape = (mean_s / sd_s).powi(2);
        let scale = sd_s * sd_s / mean_s;
        let inner = Gamma::new(shape, scale).map_err(|_| DistError::Sd)?;
        Ok(Dist::Gamma {
            mean_s,
            sd_s,
            inner,
        })
    }

    /// Always `value_s`.
    pub fn deterministic(value_s: f64) -> Result<Dist, DistError> {
        Ok(Dist::Deterministic {
            value_s: check_positive(value_s, DistError::Mean)?,
        })
    }

    /// Uniform on `[min_s, max_s]`.
    pub fn uniform(min_s: f64, max_s: f64) -> Result<Dist, DistError> {
        if !(min_s.is_finite() && max_s.is_finite()) {
            return Err(DistError::Value);
        }
        if min_s < 0.0 || min_s > max_s || max_s <= 0.0 {
            return Err(DistError::Bounds);
        }
        Ok(Dist::Uniform { min_s, max_s })
    }

    /// Resamples the observed `values_s`.
    pub fn empirical(values_s: Vec<f64>) -> Result<Dist, DistError> {
        if values_s.iter().any(|v| !v.is_finite() || *v < 0.0) {
            return Err(DistError::Value);
        }
        let mean_s = values_s.iter().sum::<f64>() / values_s.len() as f64;
        if values_s.is_empty() || mean_s <= 0.0 {
            return Err(DistError::Empty);
        }
        Ok(Dist::Empirical { values_s, mean_s })
    }

    /// The mean of the distribution, in seconds.
    pub fn mean_s(&self) -> f64 {
        match self {
            Dist::Exponential { mean_s, .. }
            | Dist::Lognormal { mean_s, .. }
            | Dist::Gamma { mean_s, .. }
            | Dist::Empirical { mean_s, .. } => *mean_s,
            Dist::Deterministic { value_s } => *value_s,
            Dist::Uniform { min_s, max_s } => (min_s + max_s) / 2.0,
        }
    }

    /// One sample, in seconds (never negative).
    #[inline]
    pub fn sample(&self, rng: &mut SimRng) -> f64 {
        match self {
            Dist::Exponential { inner, .. } => inner.sample(rng),
            Dist::Lognormal { inner, .. } => inner.sample(rng),
            Dist::Gamma { inner, .. } => inner.sample(rng),
            Dist::Deterministic { value_s } => *value_s,
            Dist::Uniform { min_s, max_s } => min_s + (max_s - min_s) * rng.random::<f64>(),
            Dist::Empirical { values_s, .. } => values_s[rng.random_range(0..values_s.len())],
        }
    }

    /// A short human description, e.g. `lognormal(mean 300 s, sd 300 s)`.
    pub fn describe(&self) -> String {
        match self {
            Dist::Exponential { mean_s, .. } => format!("exponential(mean {mean_s} s)"),
            Dist::Lognormal { mean_s, sd_s, .. } => {
                format!("lognormal(mean {mean_s} s, sd {sd_s} s)")
            }
            Dist::Gamma { mean_s, sd_s, .. } => format!("gamma(mean {mean_s} s, sd {sd_s} s)"),
            Dist::Deterministic { value_s } => format!("deterministic({value_s} s)"),
            Dist::Uniform { min_s, max_s } => format!("uniform({min_s} s to {max_s} s)"),
            Dist::Empirical { values_s, mean_s } => {
                format!("empirical({} values, mean {mean_s:.1} s)", values_s.len())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn sample_mean_sd(d: &Dist, n: usize) -> (f64, f64) {
        let mut rng = SimRng::seed_from_u64(7);
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64;
        (m, v.sqrt())
    }

    #[test]
    fn moments_match_parameters() {
        // With n = 400k and CV <= 1 the standard error of the mean is below 0.16% of it;
        // 1% tolerance is > 6 standard errors.
        for d in [
            Dist::exponential(180.0).unwrap(),
            Dist::lognormal(300.0, 200.0).unwrap(),
            Dist::gamma(90.0, 45.0).unwrap(),
            Dist::uniform(10.0, 30.0).unwrap(),
            Dist::empirical(vec![10.0, 20.0, 60.0]).unwrap(),
        ] {
            let (m, _) = sample_mean_sd(&d, 400_000);
            assert!(
                (m / d.mean_s() - 1.0).abs() < 0.01,
                "{} gave mean {m}",
                d.describe()
            );
        }
        let (_, sd) = sample_mean_sd(&Dist::lognormal(300.0, 200.0).unwrap(), 400_000);
        assert!((sd / 200.0 - 1.0).abs() < 0.03, "lognormal sd {sd}");
        let (_, sd) = sample_mean_sd(&Dist::gamma(90.0, 45.0).unwrap(), 400_000);
        assert!((sd / 45.0 - 1.0).abs() < 0.02, "gamma sd {sd}");
    }

    #[test]
    fn rejects_what_cannot_be_sampled() {
        assert_eq!(Dist::exponential(-1.0).unwrap_err(), DistError::Mean);
        assert_eq!(Dist::exponential(f64::NAN).unwrap_err(), DistError::Mean);
        assert_eq!(Dist::lognormal(10.0, 0.0).unwrap_err(), DistError::Sd);
        assert_eq!(Dist::uniform(5.0, 1.0).unwrap_err(), DistError::Bounds);
        assert_eq!(Dist::empirical(vec![]).unwrap_err(), DistError::Empty);
        assert_eq!(Dist::empirical(vec![-1.0]).unwrap_err(), DistError::Value);
        assert_eq!(Dist::deterministic(0.0).unwrap_err(), DistError::Mean);
    }
}
