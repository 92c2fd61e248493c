//! Analytic queueing formulas: Erlang B, Erlang C (M/M/n) and Erlang A (M/M/n+M).
//!
//! These are the yardsticks the simulator is tested against and the `erlang` command's answer.
//! Erlang B uses its stable recursion; Erlang A's incomplete gamma functions are evaluated as
//! a positive series in log space, so nothing overflows for hundreds of agents or loads near 1.
//! Formulas and reference values: `docs/queueing.md` (from calibration §6).

use crate::time::per_second;
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
    Unstable {
        /// The offered load, in Erlangs.
        load: f64,
        /// The number of agents asked about.
        agents: u32,
    },
    /// A rate, time or patience that is not a positive finite number.
    #[error("{0} must be a finite number above 0")]
    NotPositive(&'static str),
    /// A probability outside (0, 1).
    #[error("{0} must be a probability between 0 and 1 (exclusive), e.g. 0.01")]
    NotProbability(&'static str),
    /// No number of agents within reach meets the goal (e.g. a service level of 1 with a
    /// positive target time can only be approached).
    #[error(
        "no number of agents up to {0} beyond the load meets the goal; expected a reachable service level or occupancy cap"
    )]
    Unreachable(u32),
}

/// Erlang B blocking probability for `n` servers and offered load `a` Erlangs.
pub fn erlang_b(n: u32, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=n {
        b = a * b / (f64::from(k) + a * b);
        if b == 0.0 {
            break; // Underflowed: it stays 0 (4 billion agents would otherwise take seconds).
        }
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
/// Below z = s + 1 it sums γ(s, z) = z^s e^{-z} Σ_k z^k / (s (s+1) … (s+k)), a series of
/// positive terms summed with a running scale, so there is no cancellation and no overflow.
/// Above, that series would need about z − s terms before they shrink (a hang for z = 10¹⁴),
/// so it takes γ = Γ(s) − Γ(s, z) with the upper function's continued fraction (modified
/// Lentz), which converges fastest there.
pub fn ln_lower_gamma(s: f64, z: f64) -> f64 {
    if z <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if z > s + 1.0 {
        let ln_gamma_s = statrs::function::gamma::ln_gamma(s);
        let upper_share = (ln_upper_gamma_cf(s, z) - ln_gamma_s).exp();
        return ln_gamma_s + (-upper_share).ln_1p();
    }
    // Terms relative to the largest so far (`term` ≤ 1, the sum in those units); the largest's
    // log is `ln_scale` plus the log of `pending`, a product taken to logs only now and then,
    // so each term costs a multiplication and a division rather than a logarithm.
    let (mut term, mut sum, mut pending, mut ln_scale) = (1.0f64, 1.0f64, 1.0f64, -s.ln());
    let mut k = 0.0;
    loop {
        k += 1.0;
        term *= z / (s + k);
        if term > 1.0 {
            sum = sum / term + 1.0;
            pending *= term;
            term = 1.0;
            if pending > 1e100 {
                ln_scale += pending.ln();
                pending = 1.0;
            }
        } else {
            sum += term;
        }
        // Past the peak (s + k > z) terms shrink; stop when below e^-40 of the largest.
        if s + k > z && term < 4.25e-18 {
            break;
        }
    }
    s * z.ln() - z + ln_scale + pending.ln() + sum.ln()
}

/// Natural log of the upper incomplete gamma function Γ(s, z) for z > s + 1, by its continued
/// fraction Γ(s, z) = e^{−z} z^s / (z + 1 − s − 1(1 − s) / (z + 3 − s − 2(2 − s) / …)).
fn ln_upper_gamma_cf(s: f64, z: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let mut b = z + 1.0 - s;
    let mut c = 1.0 / TINY;
    let mut d = 1.0 / b;
    let mut h = d;
    let mut i = 0.0;
    loop {
        i += 1.0;
        let an = -i * (i - s);
        b += 2.0;
        d = an * d + b;
        if d.abs() < TINY {
            d = TINY;
        }
        c = b + an / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() < f64::EPSILON || i > 1e9 {
            break;
        }
    }
    s * z.ln() - z + h.ln()
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
        per_second(self.rate_per_hour) * self.aht_s
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
        let lambda = per_second(self.rate_per_hour);
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
            // Rounding can put an overloaded queue's occupancy a hair above 1.
            occupancy: (lambda * (1.0 - p_abandon) / (nf * mu)).min(1.0),
        }
    }
}

/// What a staffing level must achieve, for [`ErlangInput::agents_needed`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AgentsGoal {
    /// Required service level: the share of arrivals answered within the target.
    pub fraction: f64,
    /// Highest acceptable occupancy, if any.
    pub max_occupancy: Option<f64>,
    /// Share of rostered agents unavailable (leave, training, sickness), in `[0, 1)`.
    pub shrinkage: f64,
}

/// The fewest agents meeting a goal, like the calculators planners use.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct AgentsAnswer {
    /// Agents on duty needed.
    pub agents_needed: u32,
    /// Rostered positions: agents ÷ (1 − shrinkage), rounded up.
    pub positions_needed: u32,
    /// Performance at `agents_needed`.
    pub result: ErlangResult,
}

/// Fewest agents [`ErlangInput::agents_needed`] tries beyond the first stable number (it
/// tries ten times the load when that is more).
const MAX_EXTRA_AGENTS: u32 = 1_000;

impl ErlangInput {
    /// The fewest agents (from the smallest stable number up) whose service level reaches
    /// `goal.fraction` and whose occupancy stays within `goal.max_occupancy`.
    pub fn agents_needed(&self, goal: AgentsGoal) -> Result<AgentsAnswer, ErlangError> {
        positive(self.rate_per_hour, "rate_per_hour")?;
        positive(self.aht_s, "aht_s")?;
        if !(0.0..=1.0).contains(&goal.fraction) {
            return Err(ErlangError::NotPositive("fraction (at most 1)"));
        }
        if !(0.0..1.0).contains(&goal.shrinkage) {
            return Err(ErlangError::NotPositive("1 − shrinkage"));
        }
        let load = self.load();
        let first = if self.patience_s.is_some() {
            1
        } else {
            load.floor() as u32 + 1
        };
        let extra = MAX_EXTRA_AGENTS.max((10.0 * load).min(f64::from(u32::MAX / 2)) as u32);
        let last = first.saturating_add(extra);
        for agents in first..=last {
            let result = ErlangInput { agents, ..*self }.solve()?;
            let occupancy_ok = goal.max_occupancy.is_none_or(|m| result.occupancy <= m);
            if result.service_level >= goal.fraction && occupancy_ok {
                let positions = (f64::from(agents) / (1.0 - goal.shrinkage) - 1e-9).ceil();
                return Ok(AgentsAnswer {
                    agents_needed: agents,
                    positions_needed: positions as u32,
                    result,
                });
            }
        }
        Err(ErlangError::Unreachable(extra))
    }
}

fn positive(x: f64, name: &'static str) -> Result<(), ErlangError> {
    if x.is_finite() && x > 0.0 {
        Ok(())
    } else {
        Err(ErlangError::NotPositive(name))
    }
}

/// A loss system (Erlang B, M/M/n/n): callers who find every agent busy are turned away, as a
/// `when_free` triage team turns calls away to the handlers.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LossResult {
    /// Offered load in Erlangs.
    pub offered_erlangs: f64,
    /// Number of agents.
    pub agents: u32,
    /// Probability an arriving caller finds every agent busy (is blocked).
    pub p_block: f64,
    /// Load carried by the agents, Erlangs: offered × (1 − p_block).
    pub carried_erlangs: f64,
    /// Mean share of agents busy.
    pub occupancy: f64,
}

/// Erlang B for `agents` agents facing Poisson `rate_per_hour` with mean handle `aht_s`.
pub fn loss(rate_per_hour: f64, aht_s: f64, agents: u32) -> Result<LossResult, ErlangError> {
    for (name, x) in [("rate_per_hour", rate_per_hour), ("aht_s", aht_s)] {
        if !(x.is_finite() && x > 0.0) {
            return Err(ErlangError::NotPositive(name));
        }
    }
    let offered = rate_per_hour * aht_s / 3600.0;
    let p_block = erlang_b(agents, offered);
    let carried = offered * (1.0 - p_block);
    Ok(LossResult {
        offered_erlangs: offered,
        agents,
        p_block,
        carried_erlangs: carried,
        occupancy: if agents == 0 {
            f64::NAN
        } else {
            carried / f64::from(agents)
        },
    })
}

/// The fewest agents whose blocking probability is at most `max_blocking` (in (0, 1)).
pub fn loss_agents(
    rate_per_hour: f64,
    aht_s: f64,
    max_blocking: f64,
) -> Result<LossResult, ErlangError> {
    if !(max_blocking > 0.0 && max_blocking < 1.0) {
        return Err(ErlangError::NotProbability("--max-blocking"));
    }
    let first = loss(rate_per_hour, aht_s, 0)?;
    // Erlang B falls with every agent; by the load plus 50 standard deviations it is tiny.
    let limit =
        (first.offered_erlangs + 50.0 * first.offered_erlangs.sqrt() + 50.0).min(1e9) as u32;
    let (mut n, mut b) = (0u32, 1.0);
    while b > max_blocking {
        if n >= limit {
            return Err(ErlangError::Unreachable(limit));
        }
        n += 1;
        b = first.offered_erlangs * b / (f64::from(n) + first.offered_erlangs * b);
    }
    loss(rate_per_hour, aht_s, n)
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
    fn both_branches_of_the_lower_gamma_agree_where_they_meet() {
        // Γ(s) − Γ(s, z) against the series just below z = s + 1, for small and large s.
        for s in [0.5f64, 3.0, 40.0, 833.0, 1e5] {
            let z = s + 1.0;
            let series = ln_lower_gamma(s, z);
            let ln_gamma_s = statrs::function::gamma::ln_gamma(s);
            let cf = ln_gamma_s + (-(ln_upper_gamma_cf(s, z) - ln_gamma_s).exp()).ln_1p();
            assert!(
                ((series - cf) / series).abs() < 1e-11,
                "s={s}: series {series}, continued fraction {cf}"
            );
        }
    }

    #[test]
    fn extreme_patience_and_overload_answer_at_once() {
        // λ/θ = 2.8e14: the series alone would need ~1e14 terms.
        for agents in [10, 500] {
            let r = ErlangInput {
                rate_per_hour: 1e6,
                aht_s: 180.0,
                agents,
                target_s: 20.0,
                patience_s: Some(1e12),
            }
            .solve()
            .expect("solvable");
            // Fluid limit of an overloaded queue: the excess abandons.
            let excess = 1.0 - f64::from(agents) / 180.0 / (1e6 / 3600.0);
            assert!((r.p_abandon - excess).abs() < 1e-3, "{agents}: {r:?}");
            assert!(r.p_wait > 0.999 && r.occupancy <= 1.0, "{agents}: {r:?}");
        }
    }

    #[test]
    fn erlang_b_stops_once_blocking_underflows() {
        assert_eq!(erlang_b(u32::MAX, 10.0), 0.0);
        assert_eq!(erlang_b(5, 0.0), 0.0);
    }

    #[test]
    fn erlang_b_small_case() {
        // B(2, 1) = (1/2) / (1 + 1 + 1/2) = 0.2
        assert!((erlang_b(2, 1.0) - 0.2).abs() < 1e-15);
    }

    #[test]
    fn loss_systems_match_erlang_b_tables() {
        // Erlang B tables: 10 Erlangs on 15 lines block 3.65%; 1% blocking needs 18 lines.
        let r = loss(600.0, 60.0, 15).unwrap();
        assert!((r.offered_erlangs - 10.0).abs() < 1e-12);
        assert!((r.p_block - 0.036_496).abs() < 1e-6, "{}", r.p_block);
        assert!((r.carried_erlangs - 10.0 * (1.0 - r.p_block)).abs() < 1e-12);
        let r = loss_agents(600.0, 60.0, 0.01).unwrap();
        assert_eq!(r.agents, 18);
        assert!(r.p_block <= 0.01 && loss(600.0, 60.0, 17).unwrap().p_block > 0.01);
        assert!(loss(0.0, 60.0, 3).is_err());
    }
}
