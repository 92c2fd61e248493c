//! Solving the rota's covering program: the linear relaxation (`good_lp` on the pure-Rust
//! `microlp` backend, also the LP bound), and whole heads from it — the best of rounding the
//! relaxation (every unit up; or down, the gaps filled greedily) and of diving (fix the units
//! the relaxation already gives whole, else the largest fractional one, and solve again for
//! what is still uncovered), each less any unit that can go with every hour still covered.

use good_lp::{Expression, Solution, SolverModel, constraint, variable, variables};

use super::rota::{RotaError, RotaShift};
use crate::calendar::HOURS_PER_WEEK;

/// Most relaxations one dive solves (each fixes at least one unit).
const MAX_DIVE_STEPS: usize = 400;

/// A candidate shift: its group form and the coverage one unit of it gives.
#[derive(Clone)]
pub(super) struct Candidate {
    /// The shift, with no heads yet.
    pub(super) shift: RotaShift,
    /// On-duty heads per hour of the week from one unit (before shrinkage).
    pub(super) cover: Vec<f64>,
    /// FTE of one unit.
    pub(super) fte: f64,
    /// What one unit costs, in plain FTE's pay: its FTE with any unsocial-hours premium. The
    /// program minimises this (equal to `fte` without a premium).
    pub(super) cost: f64,
}

/// Solves the linear relaxation of the covering program over `cands`: the units of each.
pub(super) fn solve_relaxed(
    cands: &[Candidate],
    required: &[f64],
    share: f64,
) -> Result<Vec<f64>, RotaError> {
    solve_relaxed_by(cands, required, share, &|c| c.cost)
}

/// [`solve_relaxed`] minimising `weight` per unit instead of the cost.
pub(super) fn solve_relaxed_by(
    cands: &[Candidate],
    required: &[f64],
    share: f64,
    weight: &dyn Fn(&Candidate) -> f64,
) -> Result<Vec<f64>, RotaError> {
    let mut vars = variables!();
    let x: Vec<_> = cands
        .iter()
        .map(|_| vars.add(variable().min(0.0)))
        .collect();
    let objective: Expression = cands.iter().zip(&x).map(|(c, v)| weight(c) * *v).sum();
    let mut model = vars.minimise(objective).using(good_lp::microlp);
    for (h, &need) in required.iter().enumerate().filter(|(_, n)| **n > 1e-9) {
        let covered: Expression = cands
            .iter()
            .zip(&x)
            .filter(|(c, _)| c.cover[h] > 0.0)
            .map(|(c, v)| share * c.cover[h] * *v)
            .sum();
        model = model.with(constraint!(covered >= need));
    }
    let solution = model.solve().map_err(|e| match e {
        good_lp::ResolutionError::Infeasible => RotaError::Solver(
            "no mix of the shifts offered covers every hour that needs handlers; expected more shift lengths, patterns or start hours".into(),
        ),
        other => RotaError::Solver(other.to_string()),
    })?;
    Ok(x.iter().map(|v| solution.value(*v).max(0.0)).collect())
}

/// The candidates a rota of at most `most` distinct shifts chooses from: the relaxation is
/// solved again and again without the shifts it used least (the fewest FTE on them; half the
/// excess at a time, at least one), the others all still on offer, until it uses at most
/// `most`; the only shift left covering an hour with a need is never taken out. A heuristic:
/// it returns the shifts the last relaxation uses with their units there, or how few it
/// reached.
pub(super) fn few_shifts(
    cands: &[Candidate],
    need: &[f64],
    share: f64,
    mut relaxed: Vec<f64>,
    most: usize,
) -> Result<Vec<(usize, f64)>, RotaError> {
    let mut active: Vec<usize> = (0..cands.len()).collect();
    loop {
        let in_use: Vec<(usize, f64)> = active
            .iter()
            .zip(&relaxed)
            .filter(|(_, u)| **u > 1e-7)
            .map(|(&i, &u)| (i, u))
            .collect();
        if in_use.len() <= most {
            return Ok(in_use);
        }
        let mut used: Vec<(usize, f64)> =
            in_use.iter().map(|&(i, u)| (i, u * cands[i].fte)).collect();
        // The least used first (ties: the later candidate), skipping any sole cover of an hour.
        used.sort_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        let excess = used.len() - most;
        let mut dropped: Vec<usize> = Vec::new();
        for &(i, _) in &used {
            if dropped.len() == excess.div_ceil(2) {
                break;
            }
            let still = |h: usize| {
                active
                    .iter()
                    .any(|&j| j != i && !dropped.contains(&j) && cands[j].cover[h] > 0.0)
            };
            if (0..HOURS_PER_WEEK).all(|h| need[h] < 1e-9 || still(h)) {
                dropped.push(i);
            }
        }
        if dropped.is_empty() {
            return Err(RotaError::TooFewShifts {
                most,
                fewest: used.len(),
            });
        }
        active.retain(|i| !dropped.contains(i));
        let sub: Vec<Candidate> = active.iter().map(|&i| cands[i].clone()).collect();
        relaxed = solve_relaxed(&sub, need, share)?;
    }
}

/// Whole units from the relaxation, the cheaper of two roundings: every unit rounded up, or
/// rounded down and the remaining gaps filled greedily (most uncovered hours per cost first);
/// then units taken away, the dearest shifts first, while every hour stays covered.
fn round(cands: &[Candidate], required: &[u32], share: f64, relaxed: &[f64]) -> Vec<u32> {
    let up: Vec<u32> = relaxed
        .iter()
        .map(|u| (u - 1e-7).ceil().max(0.0) as u32)
        .collect();
    let down: Vec<u32> = relaxed
        .iter()
        .map(|u| (u + 1e-7).floor().max(0.0) as u32)
        .collect();
    let cost = |units: &[u32]| total_cost(cands, units);
    let a = trim(cands, required, share, up);
    let b = trim(cands, required, share, fill(cands, required, share, down));
    if cost(&b) < cost(&a) - 1e-9 { b } else { a }
}

/// What `units` of the candidates cost in all.
fn total_cost(cands: &[Candidate], units: &[u32]) -> f64 {
    cands
        .iter()
        .zip(units)
        .map(|(c, n)| c.cost * f64::from(*n))
        .sum()
}

/// On-the-phone coverage per hour of the week of `units`.
fn coverage(cands: &[Candidate], share: f64, units: &[u32]) -> Vec<f64> {
    let mut covered = vec![0.0; HOURS_PER_WEEK];
    for (c, &n) in cands.iter().zip(units).filter(|(_, n)| **n > 0) {
        for (h, cov) in covered.iter_mut().enumerate() {
            *cov += share * c.cover[h] * f64::from(n);
        }
    }
    covered
}

/// Adds units, the one covering the most still-uncovered need per cost first, until every
/// hour is covered.
fn fill(cands: &[Candidate], required: &[u32], share: f64, mut units: Vec<u32>) -> Vec<u32> {
    let mut covered = coverage(cands, share, &units);
    loop {
        let gap = |h: usize| (f64::from(required[h]) - covered[h]).max(0.0);
        if (0..HOURS_PER_WEEK).all(|h| gap(h) < 1e-9) {
            return units;
        }
        let best = (0..cands.len())
            .map(|i| {
                let gain: f64 = (0..HOURS_PER_WEEK)
                    .map(|h| gap(h).min(share * cands[i].cover[h]))
                    .sum();
                (i, gain / cands[i].cost)
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(i, _)| i)
            .unwrap_or(0);
        units[best] += 1;
        for (h, cov) in covered.iter_mut().enumerate() {
            *cov += share * cands[best].cover[h];
        }
    }
}

/// Takes units away, the dearest shifts first, while every hour stays covered.
fn trim(cands: &[Candidate], required: &[u32], share: f64, mut units: Vec<u32>) -> Vec<u32> {
    let mut covered = coverage(cands, share, &units);
    let mut order: Vec<usize> = (0..cands.len()).collect();
    order.sort_by(|&a, &b| cands[b].cost.total_cmp(&cands[a].cost).then(a.cmp(&b)));
    loop {
        let mut removed = false;
        for &i in &order {
            while units[i] > 0
                && (0..HOURS_PER_WEEK).all(|h| {
                    covered[h] - share * cands[i].cover[h] >= f64::from(required[h]) - 1e-9
                })
            {
                units[i] -= 1;
                for (h, cov) in covered.iter_mut().enumerate() {
                    *cov -= share * cands[i].cover[h];
                }
                removed = true;
            }
        }
        if !removed {
            return units;
        }
    }
}

/// Whole units covering `required`: the cheaper of rounding `relaxed` and of a dive.
pub(super) fn round_best(
    cands: &[Candidate],
    required: &[u32],
    share: f64,
    relaxed: &[f64],
) -> Result<Vec<u32>, RotaError> {
    let rounded = round(cands, required, share, relaxed);
    let dived = dive(cands, required, share, relaxed)?;
    let cost = |units: &[u32]| total_cost(cands, units);
    Ok(if cost(&dived) < cost(&rounded) - 1e-9 {
        dived
    } else {
        rounded
    })
}

/// Diving: fix the whole units of the relaxation (or, when none is whole, one unit of the
/// largest fractional one), solve the relaxation again for the hours still uncovered, repeat.
fn dive(
    cands: &[Candidate],
    required: &[u32],
    share: f64,
    first: &[f64],
) -> Result<Vec<u32>, RotaError> {
    let mut units = vec![0u32; cands.len()];
    let mut covered = vec![0.0; HOURS_PER_WEEK];
    let mut relaxed = first.to_vec();
    for _ in 0..MAX_DIVE_STEPS {
        let mut fixed = false;
        for (i, x) in relaxed.iter().enumerate() {
            let whole = (x + 1e-7).floor().max(0.0) as u32;
            if whole > 0 {
                units[i] += whole;
                fixed = true;
                for (h, cov) in covered.iter_mut().enumerate() {
                    *cov += share * cands[i].cover[h] * f64::from(whole);
                }
            }
        }
        if !fixed {
            let i = (0..relaxed.len())
                .max_by(|&a, &b| relaxed[a].total_cmp(&relaxed[b]).then(b.cmp(&a)))
                .unwrap_or(0);
            units[i] += 1;
            for (h, cov) in covered.iter_mut().enumerate() {
                *cov += share * cands[i].cover[h];
            }
        }
        let need: Vec<f64> = required
            .iter()
            .zip(&covered)
            .map(|(r, c)| (f64::from(*r) - c).max(0.0))
            .collect();
        if need.iter().all(|n| *n < 1e-9) {
            break;
        }
        relaxed = solve_relaxed(cands, &need, share)?;
    }
    Ok(trim(
        cands,
        required,
        share,
        fill(cands, required, share, units),
    ))
}
