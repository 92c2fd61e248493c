//! Staffing at a stated risk: a candidate meets the targets when the share of replications
//! in which every target is met, P(met), is at least 1 − risk. The decision is read off the
//! Wilson 95% interval of that share, and a candidate whose interval straddles 1 − risk is run
//! again with twice the replications (common random numbers: the first ones are the same
//! replications again) until the interval is clear of it or a cap is reached.

use super::staffing::{Candidate, DEFAULT_MAX_REPLICATIONS, StaffOptions};

/// A candidate assessed by `run` (which simulates it for the replications given): on the
/// targets' means, or under `--risk` by P(every target met) with sequential replications.
pub(super) fn assess_at_risk(
    opts: &StaffOptions,
    first: u32,
    mut run: impl FnMut(u32) -> Candidate,
) -> Candidate {
    let Some(risk) = opts.risk else {
        return run(first);
    };
    let cap = match opts.max_replications {
        0 => DEFAULT_MAX_REPLICATIONS,
        n => n,
    }
    .max(first);
    let need = 1.0 - risk;
    let mut reps = first;
    loop {
        let mut c = run(reps);
        let (low, high) = c.p_met_ci;
        c.resolved = low >= need || high < need;
        if c.resolved || reps >= cap {
            c.met = if c.resolved {
                low >= need
            } else {
                c.p_met >= need
            };
            return c;
        }
        reps = reps.saturating_mul(2).min(cap);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planning::staffing::wilson;
    use crate::stats::Estimate;
    use rand::{RngExt, SeedableRng};

    /// A candidate whose replications each meet every target with probability `p` (a fixed
    /// stream, so the k of n is the first n draws': replications are common random numbers).
    fn bernoulli(p: f64, seed: u64) -> impl FnMut(u32) -> Candidate {
        let mut rng = crate::rng::SimRng::seed_from_u64(seed);
        let draws: Vec<bool> = (0..100_000).map(|_| rng.random::<f64>() < p).collect();
        move |n| {
            let k = draws[..n as usize].iter().filter(|m| **m).count();
            Candidate {
                handlers: 1,
                added: 0,
                met: false,
                p_met: k as f64 / f64::from(n),
                p_met_ci: wilson(k, n as usize),
                replications: n,
                resolved: true,
                occupancy: Estimate::from_samples(&[]),
                channels: Vec::new(),
            }
        }
    }

    fn at_risk(risk: f64, cap: u32) -> StaffOptions {
        StaffOptions {
            risk: Some(risk),
            max_replications: cap,
            ..StaffOptions::default()
        }
    }

    #[test]
    fn replications_double_until_the_interval_clears_the_line() {
        // Every replication meets: Wilson's lower bound for n of n passes 90% first at n = 35,
        // so from 8 the doubling runs 8, 16, 32 (lower 89.3%) and stops at 64 (94.3%).
        let mut asked = Vec::new();
        let mut always = bernoulli(1.0, 1);
        let c = assess_at_risk(&at_risk(0.1, 0), 8, |n| {
            asked.push(n);
            always(n)
        });
        assert_eq!(asked, [8, 16, 32, 64]);
        assert!(c.met && c.resolved && c.replications == 64);
        // Half the replications meet: clearly short of 90% at once.
        let c = assess_at_risk(&at_risk(0.1, 0), 8, bernoulli(0.5, 2));
        assert!(!c.met && c.resolved && c.replications == 8, "{c:?}");
        // A share sitting on the line is not settled by the cap: decided on the estimate, and
        // said so.
        let c = assess_at_risk(&at_risk(0.1, 64), 8, bernoulli(0.9, 3));
        assert!(!c.resolved && c.replications == 64, "{c:?}");
        assert_eq!(c.met, c.p_met >= 0.9);
    }

    #[test]
    fn the_decision_is_right_at_least_as_often_as_its_intervals_promise() {
        // Known truth: P(met) = 0.95 is above the 90% line and 0.85 below it. Over 400
        // independent candidates each, a resolved decision is wrong only when the 95% Wilson
        // interval misses the truth: at most about 2.5% (one-sided); allow 5% (binomial
        // sd of the count at 2.5% of 400 is 3.1, so 20 is over 3 sd above).
        for (p, truth) in [(0.95, true), (0.85, false)] {
            let wrong = (0..400)
                .filter(|seed| {
                    let c = assess_at_risk(&at_risk(0.1, 1024), 8, bernoulli(p, 1000 + seed));
                    c.met != truth
                })
                .count();
            assert!(wrong <= 20, "P(met) = {p}: {wrong} of 400 decided wrongly");
        }
    }
}
