//! Taking a recruitment plan down to what it needs. Month by month, each class is the
//! smallest that brings its month on target given the classes before it; months later in
//! the run may then need more on the same day, and with few replications a month's verdict is
//! noisy, so the classes found one by one can add up to more than one intake would need. The
//! plan's intakes are merged day by day, and each day's recruits (latest day first) taken down
//! by bisection to the fewest that keep every reachable month met, split back into classes
//! within the class limits. Every candidate is simulated, so the plan stays one that is seen to
//! meet its months.

use super::hire::{HireOptions, Intake, months_met};
use crate::scenario::Scenario;
use crate::stats::Results;

/// `count` recruits starting on `day` (date `date`) as classes of at most `largest`, as even
/// as possible.
pub(super) fn classes(date: &str, day: i64, count: u32, largest: u32) -> Vec<Intake> {
    if count == 0 {
        return Vec::new();
    }
    let n = count.div_ceil(largest.max(1));
    (0..n)
        .map(|k| Intake {
            start_date: date.to_owned(),
            start_day: day,
            count: count / n + u32::from(k < count % n),
        })
        .collect()
}

/// The plan with each day's recruits as few as keep every reachable month met; `run`
/// simulates a plan and counts towards `budget` simulations at most.
pub(super) fn trim(
    s: &Scenario,
    opts: &HireOptions,
    (intakes, results): (Vec<Intake>, Results),
    reachable: &[bool],
    run: &mut dyn FnMut(&[Intake]) -> Results,
    mut budget: usize,
) -> (Vec<Intake>, Results) {
    let all_met = |r: &Results| {
        months_met(s, r, opts)
            .iter()
            .zip(reachable)
            .all(|((m, _), r)| *m || !*r)
    };
    if !all_met(&results) {
        return (intakes, results);
    }
    // Days in order, with their dates and totals.
    let mut days: Vec<(i64, String, u32)> = Vec::new();
    for i in &intakes {
        match days.iter_mut().find(|d| d.0 == i.start_day) {
            Some(d) => d.2 += i.count,
            None => days.push((i.start_day, i.start_date.clone(), i.count)),
        }
    }
    days.sort_by_key(|d| d.0);
    let plan_of = |days: &[(i64, String, u32)]| -> Vec<Intake> {
        days.iter()
            .flat_map(|(day, date, n)| classes(date, *day, *n, opts.class.1))
            .collect()
    };
    let mut best = (plan_of(&days), results);
    for k in (0..days.len()).rev() {
        let total = days[k].2;
        // Candidates: none, or from the smallest class up to today's total.
        let (mut lo, mut hi) = (opts.class.0.min(total), total);
        let mut try_count = |n: u32, days: &mut Vec<(i64, String, u32)>, budget: &mut usize| {
            if *budget == 0 {
                return None;
            }
            *budget -= 1;
            days[k].2 = n;
            let plan = plan_of(days);
            let r = run(&plan);
            days[k].2 = total;
            all_met(&r).then_some((plan, r))
        };
        if let Some(found) = try_count(0, &mut days, &mut budget) {
            best = found;
            days[k].2 = 0;
            continue;
        }
        let mut chosen = total;
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match try_count(mid, &mut days, &mut budget) {
                Some(found) => {
                    (hi, chosen, best) = (mid, mid, found);
                }
                None if budget == 0 => break,
                None => lo = mid + 1,
            }
        }
        days[k].2 = chosen;
    }
    best
}

#[cfg(test)]
mod tests {
    use super::classes;

    #[test]
    fn recruits_split_into_even_classes_within_the_limit() {
        let sizes =
            |n, max| -> Vec<u32> { classes("d", 0, n, max).iter().map(|c| c.count).collect() };
        assert_eq!(sizes(50, 30), vec![25, 25]);
        assert_eq!(sizes(61, 30), vec![21, 20, 20]);
        assert_eq!(sizes(7, 30), vec![7]);
        assert!(sizes(0, 30).is_empty());
    }
}
