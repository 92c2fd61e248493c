//! The one place where "an always-on pool or shift groups?" is decided.
//!
//! A scenario gives either `[handlers] count` (a pool always on duty) or shift groups. Every
//! consumer — the engine, the staffing search, the validator, `check`, the report and the
//! charts — asks [`Handlers`] for its groups, roster and mean staffing instead of re-deriving
//! the answer.

use super::{Group, Handlers};
use crate::time::DAY_S;

/// The name of the one group an always-on pool forms.
pub const POOL_GROUP_NAME: &str = "handlers";

impl Handlers {
    /// True when the handlers are one always-on pool of `count` (no shift groups given).
    pub fn is_pool(&self) -> bool {
        self.groups.is_empty()
    }

    /// The scenario key that sets how many handlers there are: `handlers.count` for a pool,
    /// `handlers.groups` otherwise.
    pub fn staffing_key(&self) -> &'static str {
        if self.is_pool() {
            "handlers.count"
        } else {
            "handlers.groups"
        }
    }

    /// The groups the handlers form: the scenario's own, or for a pool one always-on group of
    /// `count` serving all `n_channels` channels.
    pub fn effective_groups(&self, n_channels: usize) -> Vec<Group> {
        if !self.is_pool() {
            return self.groups.clone();
        }
        vec![Group {
            name: POOL_GROUP_NAME.into(),
            headcount: self.count,
            teams: 1,
            shift: None,
            channels: (0..n_channels).collect(),
            reserve: None,
            overflow: None,
            non_call_work: 0.0,
            removed: 0,
            on_duty: None,
        }]
    }

    /// The roster size in heads: the pool's count, or every group's teams, plus hires.
    pub fn roster_size(&self) -> u32 {
        if self.is_pool() {
            return self.count;
        }
        self.rota_heads() + self.hires.iter().map(|h| h.count).sum::<u32>()
    }

    /// Heads on the rota itself: the pool's count, or every group's teams (no hires).
    pub fn rota_heads(&self) -> u32 {
        if self.is_pool() {
            return self.count;
        }
        self.groups.iter().map(Group::rostered).sum()
    }

    /// Recruits of cohorts that are not in post when the run starts.
    pub fn recruits_joining_later(&self) -> u32 {
        self.hires
            .iter()
            .filter(|h| !h.in_post_at_start())
            .map(|h| h.count)
            .sum()
    }

    /// Long-run mean number of handlers on duty (hires and attrition left out).
    pub fn mean_staffed(&self) -> f64 {
        if self.is_pool() {
            return f64::from(self.count);
        }
        self.groups.iter().map(|g| self.mean_staffed_in(g)).sum()
    }

    /// Long-run mean number of `g`'s handlers on duty (hires and attrition left out).
    pub fn mean_staffed_in(&self, g: &Group) -> f64 {
        match &g.on_duty {
            Some(levels) => levels.mean_less(g.removed),
            None => f64::from(g.rostered()) * self.on_duty_share(g),
        }
    }

    /// Expected mean number on the phones `day` days into the run: the rota and every cohort
    /// out of training by then, each thinned by attrition (exponential time to leaving) since
    /// the run started or the cohort joined. Equals [`Handlers::mean_staffed_with_recruits_in_post`]
    /// on day 0.
    pub fn mean_staffed_on_day(&self, day: f64) -> f64 {
        let recruits: f64 = self
            .hires
            .iter()
            .filter(|h| h.start_day as f64 + h.training.as_secs() / DAY_S <= day)
            .filter_map(|h| {
                let g = self.groups.get(h.group)?;
                let joined = (h.start_day as f64).max(0.0);
                let tenure = (-h.start_day).max(0) as f64;
                Some(
                    f64::from(h.count)
                        * self.on_duty_share(g)
                        * self.kept(Some(tenure), day - joined),
                )
            })
            .sum();
        self.mean_staffed() * self.kept(None, day) + recruits
    }

    /// [`Handlers::mean_staffed`] with the recruits already trained when the run starts (in
    /// post), as `check` reports it. Later cohorts and attrition are still left out.
    pub fn mean_staffed_with_recruits_in_post(&self) -> f64 {
        let in_post: f64 = self
            .hires
            .iter()
            .filter(|h| h.in_post_at_start())
            .filter_map(|h| {
                self.groups
                    .get(h.group)
                    .map(|g| f64::from(h.count) * self.on_duty_share(g))
            })
            .sum();
        self.mean_staffed() + in_post
    }

    /// The share of a group's rostered handlers on the phones on average: its pattern's days
    /// on, its shift's share of the day less its meal break, less shrinkage and non-call work. 1 for an always-on
    /// group, and for recruits into a group given on duty by interval (they come on top, on
    /// the phones around the clock).
    pub fn on_duty_share(&self, g: &Group) -> f64 {
        match &g.shift {
            None => 1.0,
            Some(sh) => {
                let on = sh.pattern.iter().filter(|d| **d).count() as f64 / sh.pattern.len() as f64;
                let off = sh.meal_break.map_or(0.0, |b| b.length.as_secs());
                on * (sh.length.as_secs() - off) / DAY_S
                    * (1.0 - self.shrinkage)
                    * (1.0 - g.non_call_work)
            }
        }
    }
}

/// Long-run mean number of handlers on duty: [`Handlers::mean_staffed`].
pub fn mean_staffed(h: &Handlers) -> f64 {
    h.mean_staffed()
}

/// A rota pattern such as `4on4off`, `5on2off` or `1off5on1off`: runs of days on and off,
/// repeating. `None` unless it is runs of 1 to 366 days with at least one day on.
pub fn parse_day_pattern(text: &str) -> Option<Vec<bool>> {
    let mut days = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        let n: usize = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let on = if let Some(r) = rest.strip_prefix("on") {
            rest = r;
            true
        } else {
            rest = rest.strip_prefix("off")?;
            false
        };
        if n == 0 || n > 366 {
            return None;
        }
        days.extend(std::iter::repeat_n(on, n));
    }
    days.contains(&true).then_some(days)
}
