//! A staffing level in the three units a rota is built from: heads, full-time equivalents and
//! handlers on the phones at once.
//!
//! - **Headcount**: people on the rota (a shift group's teams, its recruits). For the
//!   always-on pool or an always-on group, whose `count`/`headcount` is seats staffed around
//!   the clock, the heads needed to fill them: the FTE below, rounded up.
//! - **FTE**: contracted hours ÷ `handlers.fte_hours_per_week` (37 by default). A head on a
//!   12-hour 4-on-4-off rota works 12 × 4 ÷ 8 × 7 = 42 hours a week: 1.14 FTE at 37 hours. A
//!   seat staffed 24/7 needs 168 hours a week grossed up by shrinkage: 168 ÷ 37 ÷ (1 − s) FTE.
//!   A group given on duty by interval (`on_duty_by_hour_of_week`, a staffing file) counts
//!   as its mean seats.
//! - **On duty**: the long-run mean number on the phones, after the rota pattern, shrinkage
//!   and non-call work ([`Handlers::on_duty_share`]).

use serde::Serialize;

use crate::scenario::{Group, Handlers, Scenario};
use crate::time::DAY_S;

/// One group's staffing in the three units.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupUnits {
    /// The group's name (`handlers` for the always-on pool).
    pub name: String,
    /// People on the rota, or needed to fill always-on seats.
    pub headcount: u32,
    /// Full-time equivalents.
    pub fte: f64,
    /// Mean number on the phones at once over the run (recruits from when they are trained;
    /// attrition left out).
    pub on_duty: f64,
}

/// A whole workforce's staffing in the three units, per group and in total.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Units {
    /// Total heads.
    pub headcount: u32,
    /// Total full-time equivalents.
    pub fte: f64,
    /// Total mean on the phones at once.
    pub on_duty: f64,
    /// The hours of one FTE's week the figures use.
    pub fte_hours_per_week: f64,
    /// Per group, in the scenario's order.
    pub groups: Vec<GroupUnits>,
}

impl Units {
    /// The staffing of `s`'s workforce (its rota, with every recruit in post).
    pub fn of(s: &Scenario) -> Units {
        let h = &s.handlers;
        let run_days = s.horizon.as_secs() / DAY_S;
        let groups: Vec<GroupUnits> = if h.is_pool() {
            vec![always_on("handlers", f64::from(h.count), h)]
        } else {
            h.groups
                .iter()
                .enumerate()
                .map(|(i, g)| group_units(i, g, h, run_days))
                .collect()
        };
        Units {
            headcount: groups.iter().map(|g| g.headcount).sum(),
            fte: groups.iter().map(|g| g.fte).sum(),
            on_duty: groups.iter().map(|g| g.on_duty).sum(),
            fte_hours_per_week: h.fte_hours_per_week,
            groups,
        }
    }
}

/// Seats staffed around the clock (a mean when the seats vary by interval): 168 hours a week
/// each, grossed up by shrinkage.
fn always_on(name: &str, seats: f64, h: &Handlers) -> GroupUnits {
    let fte = seats * 168.0 / h.fte_hours_per_week / (1.0 - h.shrinkage).max(1e-9);
    GroupUnits {
        name: name.to_owned(),
        headcount: fte.ceil() as u32,
        fte,
        on_duty: seats,
    }
}

/// A group: its rostered heads and recruits on their pattern's hours. On the phones counts
/// each cohort for the share of the run it is out of training (attrition left out).
fn group_units(index: usize, g: &Group, h: &Handlers, run_days: f64) -> GroupUnits {
    let cohorts = || h.hires.iter().filter(|r| r.group == index);
    let recruits: u32 = cohorts().map(|r| r.count).sum();
    let in_post = |r: &crate::scenario::Hire| {
        let from = (r.start_day as f64 + r.training.as_secs() / DAY_S).max(0.0);
        f64::from(r.count) * ((run_days - from) / run_days.max(1e-9)).clamp(0.0, 1.0)
    };
    let present = f64::from(g.rostered()) + cohorts().map(in_post).sum::<f64>();
    let heads = g.rostered() + recruits;
    if let Some(levels) = &g.on_duty {
        // Seats given interval by interval: their mean, and the recruits always on.
        let mean = levels.mean_less(g.removed);
        return GroupUnits {
            on_duty: mean + cohorts().map(in_post).sum::<f64>(),
            ..always_on(&g.name, mean + f64::from(recruits), h)
        };
    }
    let Some(shift) = &g.shift else {
        return GroupUnits {
            on_duty: present,
            ..always_on(&g.name, f64::from(heads), h)
        };
    };
    let days_on = shift.pattern.iter().filter(|d| **d).count() as f64;
    let hours_per_week =
        days_on / shift.pattern.len() as f64 * 7.0 * shift.length.as_secs() / DAY_S * 24.0;
    GroupUnits {
        name: g.name.clone(),
        headcount: heads,
        fte: f64::from(heads) * hours_per_week / h.fte_hours_per_week,
        on_duty: present * h.on_duty_share(g),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(handlers: &str) -> Scenario {
        let text = format!(
            "horizon_hours = 24\n[channels.c]\nkind = \"call\"\npriority = 0\narrivals = {{ rate_per_hour = 10 }}\nhandle_time = {{ dist = \"exponential\", mean_s = 60 }}\ntarget = {{ answer_within_s = 10, fraction = 0.8 }}\n{handlers}"
        );
        Scenario::from_toml_str(&text, "u.toml").expect("valid")
    }

    #[test]
    fn a_twelve_hour_four_on_four_off_rota_in_heads_fte_and_on_duty() {
        // Two teams of 10 on 07:00 for 12 h, 4 on 4 off, 20% shrinkage, 37-hour FTE:
        // 20 heads × 42 h ÷ 37 = 22.70 FTE; on duty 20 × 4/8 × 12/24 × 0.8 = 4.0.
        let u = Units::of(&scenario(
            "[handlers]\nshrinkage = 0.2\n[handlers.groups.days]\nheadcount = 10\nteams = 2\nshift_start = \"07:00\"\nshift_hours = 12\npattern = \"4on4off\"\n",
        ));
        assert_eq!(u.headcount, 20);
        assert!((u.fte - 20.0 * 42.0 / 37.0).abs() < 1e-9, "{u:?}");
        assert!((u.on_duty - 4.0).abs() < 1e-9, "{u:?}");
    }

    #[test]
    fn seats_staffed_around_the_clock_need_several_heads_each() {
        // 5 seats, 168 h each, 25% shrinkage, 40-hour FTE: 5 × 168 ÷ 40 ÷ 0.75 = 28 FTE.
        let u = Units::of(&scenario(
            "[handlers]\ncount = 5\nshrinkage = 0.25\nfte_hours_per_week = 40\n",
        ));
        assert!((u.fte - 28.0).abs() < 1e-9, "{u:?}");
        assert_eq!((u.headcount, u.on_duty), (28, 5.0));
    }

    #[test]
    fn recruits_count_on_the_phones_from_when_they_are_trained() {
        // 4 always on, 2 recruits in post from day 5 of a 10-day run: 4 + 2 × ½ = 5 on duty.
        let text = "horizon_hours = 240\nstart_date = 2024-01-01\n[channels.c]\nkind = \"call\"\npriority = 0\narrivals = { rate_per_hour = 10 }\nhandle_time = { dist = \"exponential\", mean_s = 60 }\ntarget = { answer_within_s = 10, fraction = 0.8 }\n[handlers.groups.g]\nheadcount = 4\nchannels = [\"c\"]\n[[handlers.hires]]\ngroup = \"g\"\nstart_date = 2024-01-06\ncount = 2\ntraining_weeks = 0\n";
        let u = Units::of(&Scenario::from_toml_str(text, "u.toml").expect("valid"));
        assert!((u.on_duty - 5.0).abs() < 1e-9, "{u:?}");
        assert!((u.fte - 6.0 * 168.0 / 37.0).abs() < 1e-9, "{u:?}");
    }
}
