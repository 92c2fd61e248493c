//! Analytic queueing formulas: Erlang B, Erlang C (M/M/n) and Erlang A (M/M/n+M).
//!
//! These are the yardsticks the simulator is tested against and the `erlang` command's answer.
//! Erlang B uses its stable recursion; Erlang A's incomplete gamma functions are evaluated as
//! a positive series in log space, so nothing overflows for hundreds of agents or loads near 1.
//! Formulas and reference values: `docs/queueing.md` (from calibration §6).

use serde::Serialize;

/// The inputs of an analytic answer-time calculation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ErlangInput {
    /// Poisson arrivals per hour.
    pub rate_per_hour: f64,
    /// Mean (exponential) handle time in seconds.
    pub aht_s: f64,
    /// Number of agents.
    pub agents: u32,
    /// Answer-time threshold for the service level, in seconds.
    pub target_s: f64,
    /// Mean (exponential) patience in seconds; `None` for Erlang C (infinitely patient).
    pub patience_s: Option<f64>,
}

/// Steady-state performance of an M/M/n or M/M/n+M queue.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ErlangResult {
    /// Probability an arriving caller must wait (is not answered at once).
    pub p_wait: f64,
    /// Share of all arrivals answered within the target (abandoners count as not answered).
    pub service_level: f64,
    /// Mean time in queue over all arrivals, abandoners' time included, in seconds.
    pub asa_s: f64,
    /// Probability a caller abandons.
    pub p_abandon: f64,
    /// Mean share of agents busy.
    pub occupancy: f64,
}

/// Why an analytic answer does not exist.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ErlangError {
    /// Erlang C needs the offered load below the number of agents.
    #[error(
        "offered load {load:.3} Erlangs needs more than {agents} agents: with infinitely patient callers the queue grows without bound"
    )]
    Unstable { load: f64, agents: u32 },
    /// A rate, time or patience that is not a positive finite number.
    #[error("{0} must be a finite number above 0")]
    NotPositive(&'static str),
}

/// Erlang B blocking probability for `n` servers and offered load `a` Erlangs.
pub fn erlang_b(n: u32, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=n {
        b = a * b / (f64::from(k) + a * b);
    }
    b
}

/// Erlang C probability of waiting, for `a < n`.
pub fn erlang_c(n: u32, a: f64) -> f64 {
    let b = erlang_b(n, a);
    let n = f64::from(n);
    n * b / (n - a * (1.0 - b))
}

/// Natural log of the lower incomplete gamma function γ(s, z), for s > 0 and z ≥ 0.
///
/// Uses γ(s, z) = z^s e^{-z} Σ_k z^k / (s (s+1) … (s+k)), a series of positive terms summed
/// with a running scale, so there is no cancellation and no overflow.
pub fn ln_lower_gamma(s: f64, z: f64) -> f64 {
    if z <= 0.0 {
        return f64::NEG_INFINITY;
    }
    let ln_z = z.ln();
    let mut ln_term = -s.ln();
    let (mut scale, mut sum) = (ln_term, 1.0);
    let mut k = 0.0;
    loop {
        k += 1.0;
        ln_term += ln_z - (s + k).ln();
        if ln_term > scale {
            sum = sum * (scale - ln_term).exp() + 1.0;
            scale = ln_term;
        } else {
            sum += (ln_term - scale).exp();
        }
        // Past the peak (s + k > z) terms shrink geometrically; stop when negligible.
        if s + k > z && ln_term - scale < -40.0 {
            break;
        }
    }
    s * ln_z - z + scale + sum.ln()
}

impl ErlangInput {
    /// Computes Erlang C (no patience) or Erlang A (with patience).
    pub fn solve(&self) -> Result<ErlangResult, ErlangError> {
        positive(self.rate_per_hour, "rate_per_hour")?;
        positive(self.aht_s, "aht_s")?;
        if !(self.target_s.is_finite() && self.target_s >= 0.0) {
            return Err(ErlangError::NotPositive("target_s"));
        }
        match self.patience_s {
            None => self.erlang_c(),
            Some(p) => {
                positive(p, "patience_s")?;
                Ok(self.erlang_a(p))
            }
        }
    }

    /// Offered load in Erlangs.
    pub fn load(&self) -> f64 {
        self.rate_per_hour / 3600.0 * self.aht_s
    }

    fn erlang_c(&self) -> Result<ErlangResult, ErlangError> {
        let (a, n) = (self.load(), self.agents);
        if a >= f64::from(n) {
            return Err(ErlangError::Unstable { load: a, agents: n });
        }
        let c = erlang_c(n, a);
        let drain = (f64::from(n) - a) / self.aht_s; // nμ − λ, per second
        Ok(ErlangResult {
            p_wait: c,
            service_level: 1.0 - c * (-drain * self.target_s).exp(),
            asa_s: c / drain,
            p_abandon: 0.0,
            occupancy: a / f64::from(n),
        })
    }

    fn erlang_a(&self, patience_s: f64) -> ErlangResult {
        let lambda = self.rate_per_hour / 3600.0;
        let (mu, theta) = (1.0 / self.aht_s, 1.0 / patience_s);
        let (a, n) = (self.load(), self.agents);
        if n == 0 {
            return ErlangResult {
                p_wait: 1.0,
                service_level: 0.0,
                asa_s: patience_s,
                p_abandon: 1.0,
                occupancy: 0.0,
            };
        }
        let nf = f64::from(n);
        let (x, y) = (nf * mu / theta, lambda / theta);
        let ln_y = y.ln();
        let b = erlang_b(n, a);
        let ln_big_a = x.ln() + y - x * ln_y + ln_lower_gamma(x, y);
        let inv_big_a = (-ln_big_a).exp();
        let p_wait = b / (b + (1.0 - b) * inv_big_a);
        let pi_n = p_wait * inv_big_a;
        let rho = a / nf;
        let p_ab_given_wait = (inv_big_a / rho + 1.0 - 1.0 / rho).clamp(0.0, 1.0);
        let p_abandon = p_ab_given_wait * p_wait;
        // Answered within t: 1 − P(W>0) + π_n x e^y y^{−(x+1)} [γ(x+1, y) − γ(x+1, y e^{−θt})].
        let ln_g_full = ln_lower_gamma(x + 1.0, y);
        let ln_g_cut = ln_lower_gamma(x + 1.0, y * (-theta * self.target_s).exp());
        let ln_coef = pi_n.ln() + x.ln() + y - (x + 1.0) * ln_y + ln_g_full;
        let waited_and_answered = ln_coef.exp() * -(ln_g_cut - ln_g_full).exp_m1();
        ErlangResult {
            p_wait,
            service_level: (1.0 - p_wait + waited_and_answered).clamp(0.0, 1.0),
            asa_s: p_abandon / theta,
            p_abandon,
            occupancy: lambda * (1.0 - p_abandon) / (nf * mu),
        }
    }
}

fn positive(x: f64, name: &'static str) -> Result<(), ErlangError> {
    if x.is_finite() && x > 0.0 {
        Ok(())
    } else {
        Err(ErlangError::NotPositive(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_gamma_matches_closed_forms() {
        // γ(1, z) = 1 − e^{−z}; γ(2, z) = 1 − (1 + z) e^{−z}.
        for z in [0.01f64, 0.5, 3.0, 40.0] {
            let g1 = 1.0 - (-z).exp();
            assert!((ln_lower_gamma(1.0, z) - g1.ln()).abs() < 1e-12, "z={z}");
            let g2 = 1.0 - (1.0 + z) * (-z).exp();
            assert!((ln_lower_gamma(2.0, z) - g2.ln()).abs() < 1e-10, "z={z}");
        }
    }

    #[test]
    fn erlang_b_small_case() {
        // B(2, 1) = (1/2) / (1 + 1 + 1/2) = 0.2
        assert!((erlang_b(2, 1.0) - 0.2).abs() < 1e-15);
    }
}
