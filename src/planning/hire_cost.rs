//! What a recruitment plan costs: a one-off cost per recruit (recruiting and training) and each
//! recruit's yearly cost for the days it is expected in post before the run ends (training
//! included, thinned by the scenario's attrition for its tenure). The rota already in post costs
//! the same under every plan and is left out, so plans and baselines compare directly.

use serde::Serialize;

use super::hire::Intake;
use crate::scenario::Scenario;
use crate::time::{DAY_S, DAYS_PER_YEAR};

/// Costs given to `hire`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HireCosts {
    /// One-off cost of each recruit (recruiting and training), any unit.
    pub per_recruit: f64,
    /// Yearly cost of a handler in post, same unit (the scenario's `cost_per_handler`).
    pub per_handler_year: f64,
}

/// A plan's cost.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PlanCost {
    /// Recruits × the cost per recruit.
    pub recruiting: f64,
    /// Expected recruit-years in post before the run ends × the yearly cost.
    pub salaries: f64,
    /// Both.
    pub total: f64,
}

/// The cost of `intakes` over `s`'s run.
pub fn cost_of(s: &Scenario, intakes: &[Intake], costs: HireCosts) -> PlanCost {
    let run_days = (s.horizon.as_secs() / DAY_S).floor() as i64;
    let years_in_post: f64 = intakes
        .iter()
        .map(|i| {
            // Mid-day survival, day by day from the intake to the run's end.
            let days = (i.start_day.max(0)..run_days)
                .map(|d| s.handlers.kept(Some(0.0), (d - i.start_day) as f64 + 0.5))
                .sum::<f64>();
            f64::from(i.count) * days / DAYS_PER_YEAR
        })
        .sum();
    let recruits: u32 = intakes.iter().map(|i| i.count).sum();
    let recruiting = f64::from(recruits) * costs.per_recruit;
    let salaries = years_in_post * costs.per_handler_year;
    PlanCost {
        recruiting,
        salaries,
        total: recruiting + salaries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recruit_for_a_whole_year_without_attrition_costs_a_year() {
        let mut s = Scenario::default_scenario();
        s.horizon = crate::time::SimTime::from_secs(365.0 * DAY_S);
        s.handlers.attrition_per_year = 0.0;
        s.handlers.attrition_by_tenure.clear();
        let intake = |start_day, count| Intake {
            start_date: String::new(),
            start_day,
            count,
        };
        let costs = HireCosts {
            per_recruit: 5000.0,
            per_handler_year: 30000.0,
        };
        let c = cost_of(&s, &[intake(0, 2)], costs);
        assert_eq!(c.recruiting, 10000.0);
        assert!((c.salaries - 2.0 * 30000.0 * 365.0 / DAYS_PER_YEAR).abs() < 1e-6);
        // Half a year later: half the salaries.
        let later = cost_of(&s, &[intake(182, 2)], costs);
        assert!((later.salaries - 2.0 * 30000.0 * 183.0 / DAYS_PER_YEAR).abs() < 1e-6);
        // With attrition, fewer recruit-years.
        s.handlers.attrition_per_year = 0.5;
        assert!(cost_of(&s, &[intake(0, 2)], costs).salaries < c.salaries);
    }
}
