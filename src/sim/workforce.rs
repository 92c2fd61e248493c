//! The people: call handlers in shift groups, on rotas, with skills, hires and attrition.
//!
//! Each handler is an entity (group, team, state). Idle handlers of a group sit in an
//! [`IdleSet`] with O(1) insert, remove and take, so the hot path (a caller finds a free
//! handler; a handler takes the next caller) does not depend on the number of handlers.
//! The rota itself is arithmetic: team `t` of a group works day `d` when
//! `pattern[(d + t·len/teams) mod len]` is on, from `shift_start` for `shift_hours`.

use rand::RngExt;
use rand_distr::{Distribution, Exp1};

use super::lazy_pool::LazyPool;
use crate::rng::{SimRng, StreamKind, stream};
use crate::scenario::{Group, Handlers, Hire, OnDuty, Scenario, Shift};
#[cfg(test)]
use crate::time::HOUR_S;
use crate::time::{DAY_S, DAY_US, DAYS_PER_YEAR, SimTime};

/// What a handler is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HandlerState {
    /// Not on duty (off shift, absent, in training, or gone).
    Off,
    /// On duty and free.
    Idle,
    /// On a call or a work item.
    Busy,
    /// Holding one or more chats (and no call).
    Chatting,
}

/// One call handler.
#[derive(Clone, Debug)]
pub struct Handler {
    /// Index of the handler's group.
    pub group: u16,
    /// Current state.
    pub state: HandlerState,
    /// Chats held now.
    pub chats: u8,
    /// Whether the shift ended (or a meal break came) while busy: go off when the contact in
    /// hand ends.
    pub leaving: bool,
    /// Whether going off (or off) is for the shift's meal break: back at [`Event::BreakOver`].
    ///
    /// [`Event::BreakOver`]: crate::sim::event::Event::BreakOver
    pub on_break: bool,
    /// When the current shift ends.
    pub shift_end: SimTime,
    /// When training ends (available from then on).
    pub trained_at: SimTime,
    /// Length of the ramp after training.
    pub ramp: SimTime,
    /// Handle-time multiplier at the end of training.
    pub initial_factor: f64,
    /// When the handler leaves the force (attrition).
    pub leaves_at: SimTime,
}

impl Handler {
    /// Handle-time multiplier at `now`: decays linearly from the initial factor to 1 over the ramp.
    #[inline]
    pub fn handle_factor(&self, now: SimTime) -> f64 {
        if self.initial_factor == 1.0 || now >= self.trained_at.after(self.ramp) {
            return 1.0;
        }
        let done = now.since(self.trained_at).as_secs() / self.ramp.as_secs().max(1e-9);
        self.initial_factor + (1.0 - self.initial_factor) * done.clamp(0.0, 1.0)
    }

    /// Whether the handler can work a shift starting at `now` (trained, not yet gone).
    pub fn employable(&self, now: SimTime) -> bool {
        self.trained_at <= now && now < self.leaves_at
    }
}

/// A set of handler indices with O(1) insert, remove and take.
#[derive(Clone, Debug, Default)]
pub struct IdleSet {
    items: Vec<u32>,
}

impl IdleSet {
    /// Adds handler `h`; `pos` is the shared position table (one entry per handler).
    #[inline]
    pub fn insert(&mut self, h: u32, pos: &mut [u32]) {
        pos[h as usize] = self.items.len() as u32;
        self.items.push(h);
    }

    /// Removes handler `h` (which must be in the set).
    #[inline]
    pub fn remove(&mut self, h: u32, pos: &mut [u32]) {
        let i = pos[h as usize] as usize;
        let last = self.items.pop().unwrap_or(h);
        if last != h {
            self.items[i] = last;
            pos[last as usize] = i as u32;
        }
    }

    /// Takes the most recently added handler.
    #[inline]
    pub fn take(&mut self) -> Option<u32> {
        self.items.pop()
    }

    /// How many handlers are in the set.
    #[inline]
    pub fn len(&self) -> u32 {
        self.items.len() as u32
    }

    /// The handlers in the set.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.items.iter().copied()
    }
}

/// A group's live state.
#[derive(Clone, Debug)]
pub struct GroupState {
    /// Idle handlers on duty.
    pub idle: IdleSet,
    /// Handlers holding chats.
    pub chatting: IdleSet,
    /// Handler indices of each team.
    pub teams: Vec<Vec<u32>>,
    /// The group's shift, if it works one.
    pub shift: Option<Shift>,
    /// The group's handlers on duty by interval, if given so; then its own handlers are the
    /// first `own` of team 0 and the rest are recruits, always on once trained.
    pub on_duty: Option<OnDuty>,
    /// Handlers of the group's own (not recruits): its rostered heads.
    pub own: u32,
    /// Handlers taken off every interval's level (the staffing search's surplus).
    pub removed: u32,
    /// Of the group's own handlers, how many the current interval puts on duty.
    pub level: u32,
    /// When the group's handlers are interchangeable and the engine chose lazy completions:
    /// who is free when (the idle set is then unused).
    pub lazy: Option<LazyPool>,
}

impl GroupState {
    /// The state of group `g` before anyone is on duty, its teams still empty.
    fn new(g: &Group) -> GroupState {
        GroupState {
            idle: IdleSet::default(),
            chatting: IdleSet::default(),
            teams: vec![Vec::new(); g.teams as usize],
            shift: g.shift.clone(),
            on_duty: g.on_duty.clone(),
            own: g.rostered(),
            removed: g.removed,
            level: 0,
            lazy: None,
        }
    }
}

/// All handlers and their groups.
pub struct Workforce {
    /// Every handler, rostered and hired.
    pub handlers: Vec<Handler>,
    /// Position of each handler in its group's idle or chatting set.
    pub pos: Vec<u32>,
    /// Per group.
    pub groups: Vec<GroupState>,
    /// Random absences per shift, per group.
    pub shrink_rng: Vec<SimRng>,
    /// Share of rostered handlers absent from a shift, by calendar month.
    pub shrinkage: [f64; 12],
    /// Per group: share of those who turn up put on non-call work for the shift.
    pub non_call_work: Vec<f64>,
    /// Per group: handlers on duty now (for call-back offers by expected wait).
    pub on_duty_in_group: Vec<u32>,
    /// Whether any group has lazy completions (none: arming is skipped at once).
    pub any_lazy: bool,
}

/// When a hiring cohort joins and when it has finished training. A cohort with a negative
/// start day joined before the run: its remaining training is shortened accordingly.
fn joins_and_trained(hire: &Hire) -> (SimTime, SimTime) {
    let first_day = SimTime((hire.start_day.max(0) as u64) * DAY_US);
    let trained = if hire.start_day < 0 {
        SimTime(
            hire.training
                .0
                .saturating_sub(hire.start_day.unsigned_abs() * DAY_US),
        )
    } else {
        first_day.after(hire.training)
    };
    (first_day, trained)
}

impl Handler {
    /// A handler of group `gi`, off duty, taking calls from `trained_at` with handle times × a
    /// factor falling from `factor` to 1 over `ramp`, leaving at `leaves_at`.
    fn new(gi: usize, trained_at: SimTime, ramp: SimTime, factor: f64, leaves_at: SimTime) -> Self {
        Handler {
            group: gi as u16,
            state: HandlerState::Off,
            chats: 0,
            leaving: false,
            on_break: false,
            shift_end: SimTime::NEVER,
            trained_at,
            ramp,
            initial_factor: factor,
            leaves_at,
        }
    }
}

/// When a handler who joined at `joined` with `tenure` days in post (`None`: the rota's own)
/// leaves, by one exponential draw from `rng` (none without attrition).
fn leaving_time(h: &Handlers, rng: &mut SimRng, joined: SimTime, tenure: Option<f64>) -> SimTime {
    if !h.has_attrition() {
        return SimTime::NEVER;
    }
    let draw: f64 = Exp1.sample(rng);
    if h.attrition_by_tenure.is_empty() {
        // The constant rate, in exactly the arithmetic of the scenarios before tenure bands.
        let per_s = h.attrition_per_year / (DAYS_PER_YEAR * DAY_S);
        return joined.after(SimTime::from_secs(draw / per_s));
    }
    h.days_to_leaving(tenure, draw)
        .map_or(SimTime::NEVER, |days| {
            joined.after(SimTime::from_secs(days * DAY_S))
        })
}

impl Workforce {
    /// Builds the handlers of `s` for replication `replication`.
    pub fn new(s: &Scenario, groups: &[Group], replication: u32) -> Workforce {
        let mut handlers = Vec::new();
        let mut states: Vec<GroupState> = groups.iter().map(GroupState::new).collect();
        let h = &s.handlers;
        let mut attrition: Vec<SimRng> = groups
            .iter()
            .map(|g| stream(s.seed, replication, &g.name, StreamKind::Attrition))
            .collect();
        let mut add = |gi: usize, team: usize, handler: Handler| {
            states[gi].teams[team].push(handlers.len() as u32);
            handlers.push(handler);
        };
        for (gi, g) in groups.iter().enumerate() {
            for team in 0..g.teams as usize {
                for _ in 0..g.team_size(team as u32) {
                    // On-duty levels are who was logged in: the group's own never leave.
                    let leaves_at = if g.on_duty.is_some() {
                        SimTime::NEVER
                    } else {
                        leaving_time(h, &mut attrition[gi], SimTime::ZERO, None)
                    };
                    add(
                        gi,
                        team,
                        Handler::new(gi, SimTime::ZERO, SimTime::ZERO, 1.0, leaves_at),
                    );
                }
            }
        }
        for hire in &h.hires {
            let (first_day, trained) = joins_and_trained(hire);
            let teams = groups[hire.group].teams as usize;
            // A cohort that started before the run is part-way through its tenure bands.
            let tenure = Some((-hire.start_day).max(0) as f64);
            for k in 0..hire.count as usize {
                let leaves_at = leaving_time(h, &mut attrition[hire.group], first_day, tenure);
                let factor = hire.initial_aht_factor;
                let joining = Handler::new(hire.group, trained, hire.ramp, factor, leaves_at);
                add(hire.group, k % teams, joining);
            }
        }
        let shrink_rng = groups
            .iter()
            .map(|g| stream(s.seed, replication, &g.name, StreamKind::Shrinkage))
            .collect();
        Workforce {
            pos: vec![0; handlers.len()],
            handlers,
            groups: states,
            shrink_rng,
            shrinkage: s.handlers.shrinkage_by_month,
            non_call_work: groups.iter().map(|g| g.non_call_work).collect(),
            on_duty_in_group: vec![0; groups.len()],
            any_lazy: false,
        }
    }

    /// Whether a handler of `group` takes calls on a shift starting in calendar `month` (0 =
    /// January): one draw per handler per shift, absent with the month's shrinkage and, if
    /// present, on non-call work with the group's share.
    pub fn turns_up(&mut self, group: usize, month: usize) -> bool {
        let shrinkage = self.shrinkage[month];
        let non_call = self.non_call_work[group];
        let away = if non_call == 0.0 {
            shrinkage
        } else {
            1.0 - (1.0 - shrinkage) * (1.0 - non_call)
        };
        away == 0.0 || self.shrink_rng[group].random::<f64>() >= away
    }

    /// Marks handler `h` idle and available from `now`.
    #[inline]
    pub fn make_idle(&mut self, h: u32, now: SimTime) {
        let handler = &mut self.handlers[h as usize];
        handler.state = HandlerState::Idle;
        let g = usize::from(handler.group);
        match &mut self.groups[g].lazy {
            Some(pool) => pool.set_free(h, now),
            None => self.groups[g].idle.insert(h, &mut self.pos),
        }
    }

    /// Takes a handler of group `g` idle at `now`, if any.
    #[inline]
    pub fn take_idle(&mut self, g: usize, now: SimTime) -> Option<u32> {
        let group = &mut self.groups[g];
        match &mut group.lazy {
            Some(pool) => pool.take_free(now),
            None => group.idle.take(),
        }
    }

    /// Whether group `g` has interchangeable handlers whose completions are lazy: these
    /// handlers are in no idle set, and only [`Workforce::take_idle`] finds them free.
    #[inline]
    pub fn is_lazy(&self, g: usize) -> bool {
        self.groups[g].lazy.is_some()
    }

    /// Whether group `g`'s handlers are interchangeable for good: always on duty from time
    /// zero, never leaving, with no ramp (the engine adds what routing decides).
    pub fn interchangeable(&self, g: usize) -> bool {
        let group = &self.groups[g];
        let first = group.teams.iter().flatten().next().copied().unwrap_or(0);
        group.shift.is_none()
            && group.on_duty.is_none()
            && group.teams.iter().flatten().enumerate().all(|(i, &h)| {
                let handler = &self.handlers[h as usize];
                h == first + i as u32
                    && handler.trained_at == SimTime::ZERO
                    && handler.leaves_at == SimTime::NEVER
                    && handler.initial_factor == 1.0
            })
    }

    /// Gives group `g` lazy completions (see [`Workforce::interchangeable`]).
    pub fn make_lazy(&mut self, g: usize) {
        let group = &mut self.groups[g];
        let count = group.teams.iter().map(|t| t.len() as u32).sum();
        let first = group.teams.iter().flatten().next().copied().unwrap_or(0);
        group.lazy = Some(LazyPool::new(first, count));
        self.any_lazy = true;
    }

    /// Removes idle handler `h` from its group's idle set.
    pub fn remove_idle(&mut self, h: u32) {
        let g = usize::from(self.handlers[h as usize].group);
        self.groups[g].idle.remove(h, &mut self.pos);
    }
}

/// The next shift of `team` of a group with `shift` and `teams` teams that ends after `after`:
/// its (start, end), with day 0 at time zero. Shifts that began before time zero count.
pub fn next_shift(shift: &Shift, teams: u32, team: u32, after: SimTime) -> (SimTime, SimTime) {
    let len = shift.pattern.len() as i64;
    let offset = i64::from(team) * len / i64::from(teams.max(1));
    let first_day = (after.0 / DAY_US) as i64 - 1;
    for day in first_day.. {
        if shift.pattern[(day + offset).rem_euclid(len) as usize] {
            let start_us = day * DAY_US as i64 + shift.start.0 as i64;
            let end_us = start_us + shift.length.0 as i64;
            if end_us > after.0 as i64 {
                return (
                    SimTime(start_us.max(0) as u64),
                    SimTime(end_us.max(0) as u64),
                );
            }
        }
    }
    unreachable!("a validated pattern has at least one day on")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shift(start_h: u32, hours: f64, pattern: &[bool]) -> Shift {
        Shift {
            start: SimTime::from_whole_secs(u64::from(start_h) * HOUR_S),
            length: SimTime::from_hours(hours),
            pattern: pattern.to_vec(),
            meal_break: None,
        }
    }

    #[test]
    fn four_on_four_off_teams_alternate() {
        let s = shift(
            7,
            12.0,
            &[true, true, true, true, false, false, false, false],
        );
        let day = |d: u64| SimTime(d * DAY_US);
        // Team 0 works days 0-3, team 1 days 4-7.
        assert_eq!(
            next_shift(&s, 2, 0, SimTime::ZERO).0,
            day(0).after(SimTime::from_hours(7.0))
        );
        assert_eq!(
            next_shift(&s, 2, 1, SimTime::ZERO).0,
            day(4).after(SimTime::from_hours(7.0))
        );
        assert_eq!(
            next_shift(&s, 2, 0, day(3).after(SimTime::from_hours(20.0))).0,
            day(8).after(SimTime::from_hours(7.0))
        );
    }

    #[test]
    fn a_night_shift_running_at_time_zero_counts() {
        let s = shift(19, 12.0, &[true]);
        let (start, end) = next_shift(&s, 1, 0, SimTime::ZERO);
        assert_eq!((start, end), (SimTime::ZERO, SimTime::from_hours(7.0)));
    }

    #[test]
    fn idle_set_removes_anywhere() {
        let mut set = IdleSet::default();
        let mut pos = vec![0; 5];
        for h in 0..5 {
            set.insert(h, &mut pos);
        }
        set.remove(1, &mut pos);
        set.remove(4, &mut pos);
        let mut left: Vec<u32> = set.iter().collect();
        left.sort_unstable();
        assert_eq!(left, vec![0, 2, 3]);
        assert!(set.take().is_some());
    }

    #[test]
    fn ramp_decays_linearly() {
        let h = Handler {
            group: 0,
            state: HandlerState::Off,
            chats: 0,
            leaving: false,
            on_break: false,
            shift_end: SimTime::NEVER,
            trained_at: SimTime::from_hours(10.0),
            ramp: SimTime::from_hours(10.0),
            initial_factor: 1.5,
            leaves_at: SimTime::NEVER,
        };
        assert_eq!(h.handle_factor(SimTime::from_hours(10.0)), 1.5);
        assert!((h.handle_factor(SimTime::from_hours(15.0)) - 1.25).abs() < 1e-12);
        assert_eq!(h.handle_factor(SimTime::from_hours(25.0)), 1.0);
    }
}
