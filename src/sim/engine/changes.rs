//! Dated changes taking effect: from a change's date the engine follows its scenario. The
//! callers and handlers already in the system stay as they are; what is read per event
//! (handle times, patience, triage decisions, call-back offers, flex rules) follows at once,
//! and the rest is rebuilt here: routing, demand, bursts, shrinkage, the triage rota.

use super::*;
use crate::sim::arrivals::BurstProcess;

impl Engine<'_> {
    /// Change `index` takes effect now.
    pub(super) fn apply_change(&mut self, index: usize) {
        let old = self.s;
        let s: &Scenario = &self.base.changes[index].scenario;
        self.s = s;
        let n = s.channels.len();
        let groups = s.handlers.effective_groups(n);
        (
            self.queue_priority,
            self.groups_for_channel,
            self.group_queues,
        ) = queue_routing(s, &groups, &self.ever_triaged);
        let old_windows: Vec<_> = self
            .group_overflow
            .iter()
            .map(|o| o.and_then(|o| o.window))
            .collect();
        (self.group_overflow, self.overflow_for_channel) = overflow_routing(&groups, n);
        self.group_reserve = groups.iter().map(|g| g.reserve).collect();
        for (g, old) in old_windows.into_iter().enumerate() {
            if let Some((from, _)) = self.group_overflow[g].and_then(|o| o.window)
                && old.is_none_or(|(was, _)| was != from)
            {
                let wait = (from.0 + DAY_US - self.now.0 % DAY_US) % DAY_US;
                self.schedule_capacity(
                    self.now.after(SimTime(wait)),
                    Event::FlexOpens { group: g as u16 },
                );
            }
        }
        self.wf.shrinkage = s.handlers.shrinkage_by_month;
        self.wf.non_call_work = groups.iter().map(|g| g.non_call_work).collect();
        self.triaged = (0..n).map(|i| s.is_triaged(i)).collect();
        self.targets = s.channels.iter().map(|c| c.target.answer_within).collect();
        for c in 0..n {
            self.change_demand(c, old);
        }
        if triage_rota_changed(old, s) {
            self.restart_triage_rota();
        }
        // New routing may let idle handlers and officers take callers who were waiting.
        for g in 0..self.wf.groups.len() {
            self.idle_handlers_take_work(g);
        }
        self.officers_take_work();
    }

    /// Channel `c`'s arrivals and bursts follow the new scenario (their random streams go on).
    fn change_demand(&mut self, c: usize, old: &Scenario) {
        let channel = &self.s.channels[c];
        let before = &old.channels[c];
        if before.demand != channel.demand || before.rate_per_hour != channel.rate_per_hour {
            // The pending arrival was drawn at the old rate: draw afresh from now (Poisson
            // arrivals have no memory). Unchanged demand keeps its stream untouched.
            self.arrivals[c].retune(channel, self.s.seed, self.replication);
            self.schedule_next_arrival(c);
        }
        match (&old.channels[c].bursts, &channel.bursts) {
            (_, None) => self.bursts[c] = None,
            (None, Some(b)) => {
                let mut process = BurstProcess::new(channel, b, self.s.seed, self.replication);
                if let Some(at) = process.next_start_after(self.now) {
                    self.schedule_capacity_like_arrival(
                        at,
                        Event::BurstStart { channel: c as u16 },
                    );
                }
                self.bursts[c] = Some(process);
            }
            (Some(_), Some(b)) => {
                if let Some(p) = &mut self.bursts[c] {
                    p.retune(b);
                }
            }
        }
    }

    /// The triage team's rota changed (or the team came or went): the current shifts end,
    /// and the new rota starts from now, its shifts under way on duty at once.
    fn restart_triage_rota(&mut self) {
        self.rota_generation = self.rota_generation.wrapping_add(1);
        self.officers_on_duty = 0;
        self.triage_rota = self
            .s
            .triage
            .as_ref()
            .map_or_else(Vec::new, triage::triage_rota);
        self.officers_present = vec![0; self.triage_rota.len()];
        self.put_triage_rota_on_calendar();
        self.sync_officers();
        if self.officers_on_duty == 0 {
            self.send_triage_queue_to_handlers();
        }
    }
}

/// Whether the triage team's presence, officers, hours, rota or shrinkage differ.
fn triage_rota_changed(old: &Scenario, new: &Scenario) -> bool {
    match (&old.triage, &new.triage) {
        (None, None) => false,
        (Some(a), Some(b)) => {
            a.officers != b.officers
                || a.hours != b.hours
                || a.shifts != b.shifts
                || a.shrinkage != b.shrinkage
        }
        _ => true,
    }
}
