//! The candidates of the staffing search: a scenario with handlers added (an in-post cohort)
//! or removed (off the rostered teams), and the fewest it may keep and stay stable.

use crate::scenario::{Group, Hire, Scenario, offered_load, patient_demand};
use crate::time::SimTime;

/// The scenario's own roster size: the pool's count, or every group's teams, plus hires.
pub fn roster_size(s: &Scenario) -> u32 {
    s.handlers.roster_size()
}

/// How the handlers a candidate adds join.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Joining {
    /// Already in post when the run starts, at full speed (clones of the staff).
    #[default]
    InPost,
    /// Recruits starting on `start_day` (days from the run's start), with this training and
    /// ramp-up (those of the scenario's own latest cohort), and leaving with its attrition.
    Recruits {
        /// First day, in days from the run's start.
        start_day: i64,
        /// Time in training before taking calls.
        training: SimTime,
        /// Time over which handle times fall to normal after training.
        ramp: SimTime,
        /// Handle-time multiplier at the end of training.
        initial_aht_factor: f64,
    },
}

impl Joining {
    /// The same recruits starting on `day` (days from the run's start); in-post handlers
    /// unchanged.
    pub fn starting_on(self, day: i64) -> Joining {
        match self {
            Joining::Recruits {
                training,
                ramp,
                initial_aht_factor,
                ..
            } => Joining::Recruits {
                start_day: day,
                training,
                ramp,
                initial_aht_factor,
            },
            Joining::InPost => Joining::InPost,
        }
    }

    /// Recruits starting on the run's first day, trained as the scenario's latest cohort is,
    /// if it has one.
    pub fn recruits_like(s: &Scenario) -> Option<Joining> {
        s.handlers.hires.last().map(|h| Joining::Recruits {
            start_day: 0,
            training: h.training,
            ramp: h.ramp,
            initial_aht_factor: h.initial_aht_factor,
        })
    }
}

/// `s` with `added` more handlers: on the always-on pool, in `group`, or spread over the groups
/// in proportion to their size, joining as `joining` says (in post, or as recruits; the pool
/// has no cohorts and always gets handlers in post).
pub fn with_added(s: &Scenario, added: u32, group: Option<usize>, joining: Joining) -> Scenario {
    let mut out = s.clone();
    if added == 0 {
        return out;
    }
    if out.handlers.is_pool() {
        out.handlers.count += added;
        return out;
    }
    let sizes: Vec<u32> = out
        .handlers
        .groups
        .iter()
        .map(|g| g.headcount * g.teams)
        .collect();
    let shares: Vec<u32> = match group {
        Some(g) => (0..sizes.len())
            .map(|i| if i == g { added } else { 0 })
            .collect(),
        None => largest_remainder(added, &sizes),
    };
    for (g, count) in shares.into_iter().enumerate().filter(|(_, c)| *c > 0) {
        let (start_day, training, ramp, initial_aht_factor) = match joining {
            Joining::InPost => (-1, SimTime::ZERO, SimTime::ZERO, 1.0),
            Joining::Recruits {
                start_day,
                training,
                ramp,
                initial_aht_factor,
            } => (start_day, training, ramp, initial_aht_factor),
        };
        out.handlers.hires.push(Hire {
            group: g,
            start_day,
            count,
            training,
            ramp,
            initial_aht_factor,
        });
    }
    out
}

/// `s` with `removed` fewer rostered handlers: off the always-on pool, off `group`, or spread
/// over the groups in proportion to their rosters (hires are never removed).
pub fn with_removed(s: &Scenario, removed: u32, group: Option<usize>) -> Scenario {
    let mut out = s.clone();
    if removed == 0 {
        return out;
    }
    if out.handlers.is_pool() {
        out.handlers.count = out.handlers.count.saturating_sub(removed);
        return out;
    }
    let sizes: Vec<u32> = out.handlers.groups.iter().map(Group::rostered).collect();
    let shares: Vec<u32> = match group {
        Some(g) => (0..sizes.len())
            .map(|i| if i == g { removed } else { 0 })
            .collect(),
        None => largest_remainder(removed.min(sizes.iter().sum()), &sizes),
    };
    for (g, share) in out.handlers.groups.iter_mut().zip(shares) {
        g.removed += share.min(g.rostered());
    }
    out
}

/// `s` with `delta` handlers more (positive, joining as `joining` says) or fewer (negative).
pub fn with_delta(s: &Scenario, delta: i32, group: Option<usize>, joining: Joining) -> Scenario {
    if delta >= 0 {
        with_added(s, delta.unsigned_abs(), group, joining)
    } else {
        with_removed(s, delta.unsigned_abs(), group)
    }
}

/// Handlers the search may remove: the pool's, or the rostered heads of `group` (of every
/// group when none is named), less one so that someone is left.
pub fn removable(s: &Scenario, group: Option<usize>) -> u32 {
    let h = &s.handlers;
    let heads = if h.is_pool() {
        h.count
    } else {
        match group {
            Some(g) => h.groups[g].rostered(),
            None => h.groups.iter().map(Group::rostered).sum(),
        }
    };
    heads.saturating_sub(1)
}

/// The smallest change that keeps the queues stable — the long-run staffed level above the
/// infinitely patient load (the validator's stability test), one handler at least: negative
/// for a stable scenario with handlers to spare, positive for an unstable one (at most
/// `max_added + 1`, meaning not within reach).
pub fn stable_floor(s: &Scenario, group: Option<usize>, max_added: u32) -> i32 {
    let need: f64 = patient_demand(s, &offered_load(s))
        .iter()
        .map(|(_, e)| e)
        .sum();
    let stable = |d: i32| {
        with_delta(s, d, group, Joining::InPost)
            .handlers
            .mean_staffed()
            > need
    };
    let (mut lo, mut hi) = (-(removable(s, group) as i64) as i32, 0i32);
    if !stable(hi) {
        // Unstable now: the first stable number added, by bisection over 1..=max_added.
        let top = max_added.min(i32::MAX as u32) as i32;
        if !stable(top) {
            return top.saturating_add(1);
        }
        let (mut miss, mut hit) = (0i32, top);
        while hit - miss > 1 {
            let mid = miss + (hit - miss) / 2;
            if stable(mid) { hit = mid } else { miss = mid }
        }
        return hit;
    }
    if stable(lo) {
        return lo;
    }
    // stable(hi) and not stable(lo): bisect for the most negative stable change.
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if stable(mid) { hi = mid } else { lo = mid }
    }
    hi
}

/// Splits `total` in proportion to `weights`, rounding by largest remainder.
fn largest_remainder(total: u32, weights: &[u32]) -> Vec<u32> {
    let sum: u64 = weights.iter().map(|&w| u64::from(w)).sum::<u64>().max(1);
    let exact: Vec<f64> = weights
        .iter()
        .map(|&w| f64::from(total) * w as f64 / sum as f64)
        .collect();
    let mut out: Vec<u32> = exact.iter().map(|x| x.floor() as u32).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .total_cmp(&(exact[a] - exact[a].floor()))
            .then(a.cmp(&b))
    });
    let mut left = total - out.iter().sum::<u32>();
    for i in order.into_iter().cycle().take(weights.len() * 2) {
        if left == 0 {
            break;
        }
        out[i] += 1;
        left -= 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removal_comes_off_the_last_teams_first() {
        let g = Group {
            name: "g".into(),
            headcount: 5,
            teams: 4,
            shift: None,
            channels: vec![0],
            reserve: None,
            overflow: None,
            non_call_work: 0.0,
            removed: 6,
            on_duty: None,
        };
        let sizes: Vec<u32> = (0..4).map(|t| g.team_size(t)).collect();
        assert_eq!(sizes, [4, 4, 3, 3]);
        assert_eq!(g.rostered(), 14);
        assert_eq!(sizes.iter().sum::<u32>(), g.rostered());
    }

    #[test]
    fn largest_remainder_splits_exactly() {
        // 4.44, 3.11, 2.44: the tied remainders go to the lower index first.
        assert_eq!(largest_remainder(10, &[40, 28, 22]), vec![5, 3, 2]);
        assert_eq!(largest_remainder(10, &[50, 30, 20]), vec![5, 3, 2]);
        assert_eq!(largest_remainder(5, &[1, 1, 1]), vec![2, 2, 1]);
        assert_eq!(largest_remainder(1, &[1, 1]), vec![1, 0]);
        assert_eq!(largest_remainder(7, &[0, 5]).iter().sum::<u32>(), 7);
    }

    #[test]
    fn recruits_join_on_the_first_day_trained_as_the_scenarios_cohort() {
        let s = Scenario::default_scenario();
        let last = s
            .handlers
            .hires
            .last()
            .expect("the 2024 scenario has recruits")
            .clone();
        let joining = Joining::recruits_like(&s).unwrap();
        let out = with_added(&s, 10, None, joining);
        let added = &out.handlers.hires[s.handlers.hires.len()..];
        assert_eq!(added.iter().map(|h| h.count).sum::<u32>(), 10);
        for h in added {
            assert_eq!(h.start_day, 0);
            assert_eq!((h.training, h.ramp), (last.training, last.ramp));
            assert_eq!(h.initial_aht_factor, last.initial_aht_factor);
            assert!(!h.in_post_at_start() || h.training == SimTime::ZERO);
        }
        // In post: before the run, no training.
        let in_post = with_added(&s, 10, None, Joining::InPost);
        let added = &in_post.handlers.hires[s.handlers.hires.len()..];
        assert!(
            added
                .iter()
                .all(|h| h.start_day == -1 && h.in_post_at_start())
        );
    }
}
