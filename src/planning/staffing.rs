//! The planner's question: the fewest call handlers for which every target is met.
//!
//! Candidates differ only in the number of handlers added and run with the scenario's seed and
//! replications, so every candidate sees the same callers (common random numbers) and the
//! comparison between candidates is paired. The search brackets by doubling, then bisects, and
//! never evaluates a candidate twice. Beside each candidate's mean service levels it reports the
//! share of replications in which every target was met (with a Wilson 95% interval): the risk
//! of missing the target is one minus that share.

use std::collections::BTreeMap;

use serde::Serialize;

use super::risk::assess_at_risk;
use super::units::Units;

use super::target_check::{assess, missed};
use crate::scenario::Scenario;

pub use super::roster_change::{
    Joining, removable, roster_size, stable_floor, with_added, with_delta, with_removed,
};
use crate::stats::Estimate;
use crate::stats::{Results, Runner};

/// What the search may change and which targets count.
#[derive(Clone, Debug, Default)]
pub struct StaffOptions {
    /// Add handlers to this group (by name); otherwise spread over the groups by size.
    pub group: Option<String>,
    /// Channels whose targets must be met; empty = every channel.
    pub channels: Vec<String>,
    /// Most handlers the search may add.
    pub max_added: u32,
    /// Require the service level in every interval of this kind, not only over the period.
    pub every_interval: Option<IntervalKind>,
    /// Answer at a stated risk: a candidate meets the targets when P(every target met over
    /// the period) ≥ 1 − risk, decided by the Wilson interval of that share, with replications
    /// doubled until the interval leaves no doubt or `max_replications` is reached.
    pub risk: Option<f64>,
    /// The most replications a candidate may get under `risk` (0: 256).
    pub max_replications: u32,
    /// Add recruits (trained as the scenario's latest cohort, starting on the run's first
    /// day) instead of handlers already in post.
    pub as_recruits: bool,
}

/// Replications a candidate may get under `--risk` unless told otherwise.
pub const DEFAULT_MAX_REPLICATIONS: u32 = 256;

/// Intervals in which a target can be required.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IntervalKind {
    /// Every hour of the week (168 cells).
    HourOfWeek,
    /// Every week of the run.
    Week,
}

/// Why a search could not answer.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum StaffError {
    /// `--group` names no group.
    #[error("no handler group named \"{0}\"; expected one of the scenario's groups: {1}")]
    NoSuchGroup(String, String),
    /// `--channel` names no channel.
    #[error("no channel named \"{0}\"; expected one of {1}")]
    NoSuchChannel(String, String),
    /// Even the largest candidate misses a target: the limit, and what was still missed there
    /// (empty when nothing was simulated).
    #[error("targets still missed with {0} handlers added (the --max-added limit){1}")]
    NotReached(u32, String),
    /// `--as-recruits` copies the training of the scenario's own recruits.
    #[error(
        "--as-recruits trains new handlers as the scenario's recruits are; expected a [[handlers.hires]] cohort (with training_weeks, ramp_weeks) to copy, in a scenario with shift groups"
    )]
    NoRecruitsToCopy,
    /// Officers can only be varied when the scenario has a triage team.
    #[error("the scenario has no [triage] team whose officers could be varied")]
    NoTriage,
    /// A rota of shifts has no single team size to vary.
    #[error(
        "the triage team works a rota (triage.shifts); vary a shift's officers instead, e.g. --vary triage.shifts.0.officers=2..6 with sweep"
    )]
    TriageRota,
}

/// One channel's result at one candidate.
#[derive(Clone, Debug, Serialize)]
pub struct ChannelCheck {
    /// Channel name.
    pub channel: String,
    /// Service level across replications, on the target's clock.
    pub service_level: Estimate,
    /// The KPI that service level is: `service_level`, or `national_service_level` for a
    /// target on the national clock.
    pub service_level_kpi: &'static str,
    /// The required service level.
    pub target: f64,
    /// Whether the mean service level meets the target (and the mean abandonment its cap).
    pub met: bool,
    /// Share of replications whose service level fell below the target.
    pub risk_of_missing: f64,
    /// Abandonment rate across replications.
    pub abandonment_rate: Estimate,
    /// The highest acceptable abandonment rate, if set.
    pub max_abandonment: Option<f64>,
    /// With `--every-interval`: the interval with the lowest mean service level, and that level.
    pub worst_interval: Option<(String, Estimate)>,
}

/// One evaluated candidate.
#[derive(Clone, Debug, Serialize)]
pub struct Candidate {
    /// Total handlers (the scenario's roster plus those added).
    pub handlers: u32,
    /// Handlers added to the scenario's own (negative: removed).
    pub added: i32,
    /// Every target met on average.
    pub met: bool,
    /// Share of replications in which every target was met.
    pub p_met: f64,
    /// Wilson 95% interval of `p_met`.
    pub p_met_ci: (f64, f64),
    /// Replications this candidate was simulated for.
    pub replications: u32,
    /// Under `--risk`: whether the Wilson interval settled the decision (false: the
    /// replication cap was reached with 1 − risk inside the interval; decided by the point
    /// estimate).
    pub resolved: bool,
    /// Handler occupancy.
    pub occupancy: Estimate,
    /// Per channel whose target counts.
    pub channels: Vec<ChannelCheck>,
}

/// The answer of a search.
#[derive(Clone, Debug, Serialize)]
pub struct StaffAnswer {
    /// The fewest handlers in all that meet every target.
    pub handlers_needed: u32,
    /// Handlers the scenario has now (its roster, hires included).
    pub handlers_current: u32,
    /// `handlers_needed − handlers_current`: a shortfall when positive, a surplus when negative.
    pub handlers_added: i32,
    /// The scenario's own roster size (the same as `handlers_current`, kept for older readers).
    pub base_handlers: u32,
    /// True when even the fewest handlers that keep the queues stable meet every target (the
    /// answer is then that stable minimum, not a target-driven one).
    pub at_stable_minimum: bool,
    /// Full-time equivalents the answer needs (see [`Units`]).
    pub fte_needed: f64,
    /// Heads the answer needs.
    pub headcount_needed: u32,
    /// Mean handlers on the phones at once the answer needs.
    pub on_duty_needed: f64,
    /// Full-time equivalents the scenario has now.
    pub fte_current: f64,
    /// The answer's workforce in heads, FTE and on duty, per group.
    pub units: Units,
    /// The risk the answer was sought at (`--risk`), if any.
    pub risk: Option<f64>,
    /// The intervals every target was required in (`--every-interval`), if any.
    pub every_interval: Option<IntervalKind>,
    /// Every candidate evaluated, by number of handlers.
    pub curve: Vec<Candidate>,
    /// Number of candidates simulated.
    pub evaluations: usize,
    /// Replications per candidate.
    pub replications: u32,
    /// Seed shared by every candidate.
    pub seed: u64,
}

/// Wilson score 95% interval of a proportion `k / n`.
pub fn wilson(k: usize, n: usize) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (z, n_f, p) = (1.959_964, n as f64, k as f64 / n as f64);
    let centre = (p + z * z / (2.0 * n_f)) / (1.0 + z * z / n_f);
    let half = z / (1.0 + z * z / n_f) * (p * (1.0 - p) / n_f + z * z / (4.0 * n_f * n_f)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// Most candidates [`search`] simulates when it may add up to `max_added` handlers: the
/// bracket 0, 1, 2, 4, … and the bisection inside the last doubling.
pub fn max_evaluations(max_added: u32) -> u32 {
    let doublings = u32::BITS - max_added.saturating_sub(1).leading_zeros();
    2 * doublings + 2
}

/// The smallest `added` in `0..=max_added` for which `met(added)` holds, assuming `met` is
/// monotone: brackets 0, 1, 2, 4, … until met, then bisects between the last miss and the
/// first hit. Calls `met` at most [`max_evaluations`] times; `None` if even `max_added` misses.
fn fewest_meeting(max_added: u32, mut met: impl FnMut(u32) -> bool) -> Option<u32> {
    let (mut lo, mut hi) = (None::<u32>, 0u32);
    while !met(hi) {
        lo = Some(hi);
        if hi >= max_added {
            return None;
        }
        hi = (if hi == 0 { 1 } else { hi * 2 }).min(max_added);
    }
    if let Some(mut miss) = lo {
        while hi - miss > 1 {
            let mid = miss + (hi - miss) / 2;
            if met(mid) { hi = mid } else { miss = mid }
        }
    }
    Some(hi)
}

/// The most negative `delta` in `floor..=0` for which `met(delta)` holds, given that `met(0)`
/// does and that `met` is monotone: probes −1, −2, −4, … down to `floor` until a miss, then
/// bisects between the miss and the last hit.
fn fewest_meeting_below(floor: i32, mut met: impl FnMut(i32) -> bool) -> i32 {
    let (mut hit, mut step) = (0i32, 1i32);
    let miss = loop {
        if hit == floor {
            return floor;
        }
        let probe = (-step).max(floor);
        if met(probe) {
            hit = probe;
            step = step.saturating_mul(2);
        } else {
            break probe;
        }
    };
    let mut miss = miss;
    while hit - miss > 1 {
        let mid = miss + (hit - miss) / 2;
        if met(mid) { hit = mid } else { miss = mid }
    }
    hit
}

/// Finds the fewest handlers to add to `s` so that every counted target is met on average.
///
/// `evaluate` runs a candidate scenario (normally [`Runner::replicate`]); it is a parameter so
/// tests can count evaluations and the command line can pass its stoppable runner.
pub fn search_with(
    s: &Scenario,
    opts: &StaffOptions,
    mut evaluate: impl FnMut(&Scenario) -> Results,
) -> Result<StaffAnswer, StaffError> {
    let (group, counted) = resolve(s, opts)?;
    let joining = joining_of(s, opts)?;
    let base = roster_size(s);
    let floor = stable_floor(s, group, opts.max_added);
    if floor > opts.max_added as i32 {
        return Err(StaffError::NotReached(
            opts.max_added,
            "; the stable minimum is above it".into(),
        ));
    }
    let mut seen: BTreeMap<i32, Candidate> = BTreeMap::new();
    let mut check = |delta: i32, seen: &mut BTreeMap<i32, Candidate>| -> bool {
        if let Some(c) = seen.get(&delta) {
            return c.met;
        }
        let candidate = assess_at_risk(opts, s.replications, |reps| {
            let mut candidate_scenario = with_delta(s, delta, group, joining);
            candidate_scenario.replications = reps;
            let results = evaluate(&candidate_scenario);
            assess(s, delta, base, &counted, opts.every_interval, &results)
        });
        let met = candidate.met;
        seen.insert(delta, candidate);
        met
    };
    // A base that meets every target searches downwards for its surplus (never below the
    // stable minimum); one that misses searches upwards for its shortfall — from the stable
    // minimum when the base itself cannot keep up.
    let start = floor.max(0);
    let best = if check(start, &mut seen) {
        if start == 0 {
            fewest_meeting_below(floor, |d| check(d, &mut seen))
        } else {
            start
        }
    } else {
        let room = opts.max_added - start.unsigned_abs();
        let found =
            fewest_meeting(room, |a| check(start + a as i32, &mut seen)).ok_or_else(|| {
                let largest = seen.values().next_back();
                StaffError::NotReached(opts.max_added, largest.map_or(String::new(), missed))
            })?;
        start + found as i32
    };
    let evaluations = seen.len();
    let needed = (i64::from(base) + i64::from(best)).max(0) as u32;
    let units = Units::of(&with_delta(s, best, group, joining));
    Ok(StaffAnswer {
        fte_needed: units.fte,
        headcount_needed: units.headcount,
        on_duty_needed: units.on_duty,
        fte_current: Units::of(s).fte,
        units,
        every_interval: opts.every_interval,
        risk: opts.risk,
        handlers_needed: needed,
        handlers_current: base,
        handlers_added: best,
        at_stable_minimum: best == floor,
        base_handlers: base,
        curve: seen.into_values().collect(),
        evaluations,
        replications: s.replications,
        seed: s.seed,
    })
}

/// How the handlers a search adds join: in post, or as recruits trained as the scenario's own.
fn joining_of(s: &Scenario, opts: &StaffOptions) -> Result<Joining, StaffError> {
    if !opts.as_recruits {
        return Ok(Joining::InPost);
    }
    if s.handlers.is_pool() {
        return Err(StaffError::NoRecruitsToCopy);
    }
    Joining::recruits_like(s).ok_or(StaffError::NoRecruitsToCopy)
}

/// The group handlers are added to, and the channels whose targets count, named in `opts`.
fn resolve(s: &Scenario, opts: &StaffOptions) -> Result<(Option<usize>, Vec<usize>), StaffError> {
    let group = match &opts.group {
        None => None,
        Some(name) => Some(
            s.handlers
                .groups
                .iter()
                .position(|g| &g.name == name)
                .ok_or_else(|| {
                    let names: Vec<&str> =
                        s.handlers.groups.iter().map(|g| g.name.as_str()).collect();
                    StaffError::NoSuchGroup(name.clone(), crate::scenario::one_of(name, &names))
                })?,
        ),
    };
    let counted = if opts.channels.is_empty() {
        (0..s.channels.len()).collect()
    } else {
        opts.channels
            .iter()
            .map(|n| {
                s.channels.iter().position(|c| &c.name == n).ok_or_else(|| {
                    let names: Vec<&str> = s.channels.iter().map(|c| c.name.as_str()).collect();
                    StaffError::NoSuchChannel(n.clone(), crate::scenario::one_of(n, &names))
                })
            })
            .collect::<Result<_, _>>()?
    };
    Ok((group, counted))
}

/// Evaluates one candidate: `s` with `added` handlers, against the targets `opts` counts.
pub fn evaluate(s: &Scenario, opts: &StaffOptions, added: u32) -> Result<Candidate, StaffError> {
    let (group, counted) = resolve(s, opts)?;
    let joining = joining_of(s, opts)?;
    let results = Runner::default().replicate(&with_added(s, added, group, joining));
    Ok(assess(
        s,
        added as i32,
        roster_size(s),
        &counted,
        opts.every_interval,
        &results,
    ))
}

/// [`search_with`] using the default [`Runner`].
pub fn search(s: &Scenario, opts: &StaffOptions) -> Result<StaffAnswer, StaffError> {
    search_with(s, opts, |c| Runner::default().replicate(c))
}

/// One triage team size and the handlers it needs.
#[derive(Clone, Debug, Serialize)]
pub struct Combination {
    /// Triage officers.
    pub officers: u32,
    /// The handler search at that team size.
    pub answer: StaffAnswer,
    /// Handlers × cost per handler + officers × cost per officer.
    pub cost: f64,
}

/// The cheapest mix of triage officers and handlers that meets every target.
#[derive(Clone, Debug, Serialize)]
pub struct MixAnswer {
    /// Total handlers of the cheapest mix.
    pub handlers_needed: u32,
    /// Handlers added in the cheapest mix (negative: removed).
    pub handlers_added: i32,
    /// Officers of the cheapest mix.
    pub officers_needed: u32,
    /// Cost of the cheapest mix.
    pub cost: f64,
    /// Every team size that can meet the targets, with its handler search.
    pub combinations: Vec<Combination>,
}

/// For each triage team size in `officers`, the fewest handlers meeting every target; and the
/// cheapest combination by the scenario's costs per handler and per officer.
pub fn search_officers(
    s: &Scenario,
    opts: &StaffOptions,
    officers: &[u32],
) -> Result<MixAnswer, StaffError> {
    search_officers_with(s, opts, officers, &Runner::default())
}

/// [`search_officers`] running its candidates through `runner`.
pub fn search_officers_with(
    s: &Scenario,
    opts: &StaffOptions,
    officers: &[u32],
    runner: &Runner,
) -> Result<MixAnswer, StaffError> {
    let Some(triage) = &s.triage else {
        return Err(StaffError::NoTriage);
    };
    if !triage.shifts.is_empty() {
        return Err(StaffError::TriageRota);
    }
    let mut combinations = Vec::new();
    for &n in officers {
        let mut variant = s.clone();
        if let Some(t) = &mut variant.triage {
            t.officers = n;
        }
        match search_with(&variant, opts, |c| runner.replicate(c)) {
            Ok(answer) => {
                let cost = f64::from(answer.handlers_needed) * s.handlers.cost_per_handler
                    + f64::from(n) * triage.cost_per_officer;
                combinations.push(Combination {
                    officers: n,
                    answer,
                    cost,
                });
            }
            Err(StaffError::NotReached(..)) => continue,
            Err(e) => return Err(e),
        }
    }
    let best = combinations
        .iter()
        .min_by(|a, b| a.cost.total_cmp(&b.cost).then(a.officers.cmp(&b.officers)))
        .ok_or(StaffError::NotReached(
            opts.max_added,
            " at every team size tried".into(),
        ))?;
    Ok(MixAnswer {
        handlers_needed: best.answer.handlers_needed,
        handlers_added: best.answer.handlers_added,
        officers_needed: best.officers,
        cost: best.cost,
        combinations: combinations.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_finds_every_threshold_within_its_evaluation_bound() {
        for max_added in [0u32, 1, 2, 3, 7, 8, 9, 100, 500, 1000] {
            for need in 0..=max_added + 1 {
                let mut calls = 0;
                let found = fewest_meeting(max_added, |added| {
                    calls += 1;
                    added >= need
                });
                let want = (need <= max_added).then_some(need);
                assert_eq!(found, want, "max_added {max_added}, need {need}");
                assert!(
                    calls <= max_evaluations(max_added),
                    "max_added {max_added}, need {need}: {calls} calls"
                );
            }
        }
    }

    #[test]
    fn the_downward_search_finds_every_threshold() {
        for floor in [-1i32, -7, -40] {
            for threshold in floor..=0 {
                let mut calls = 0;
                let got = fewest_meeting_below(floor, |d| {
                    calls += 1;
                    d >= threshold
                });
                assert_eq!(got, threshold, "floor {floor}");
                assert!(calls <= 2 * 6 + 2, "{calls} evaluations");
            }
        }
    }

    #[test]
    fn wilson_interval_of_known_cases() {
        let (lo, hi) = wilson(8, 10);
        assert!(
            (lo - 0.4902).abs() < 1e-3 && (hi - 0.9433).abs() < 1e-3,
            "{lo} {hi}"
        );
        assert_eq!(wilson(0, 0), (0.0, 1.0));
    }
}
