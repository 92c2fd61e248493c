//! Lazy completions in the engine: which groups get them, and arming a finish as an event
//! when a caller may be waiting for it (the pool itself is `sim::lazy_pool`).

use super::*;

impl Engine<'_> {
    /// Gives lazy completions (`sim::lazy_pool`) to every group whose handlers are
    /// interchangeable and whose routing never looks at who is idle: no flex rule, no trunk
    /// reservation anywhere, no chats, no dated changes. Not for per-call logs, which name
    /// the handler, nor for the number-in-system distribution, which needs every end.
    pub(super) fn use_lazy_completions(&mut self) {
        if !self.s.changes.is_empty() || self.group_reserve.iter().any(Option::is_some) {
            return;
        }
        for g in 0..self.wf.groups.len() {
            let calls_only = self.group_queues[g]
                .iter()
                .all(|q| self.s.channels[q.channel()].kind != ChannelKind::Chat);
            if calls_only && self.group_overflow[g].is_none() && self.wf.interchangeable(g) {
                self.wf.make_lazy(g);
            }
        }
    }

    /// A caller of `channel` now waits: each lazy group serving it arms its earliest finish.
    pub(super) fn arm_for_waiting(&mut self, channel: usize) {
        if !self.wf.any_lazy {
            return;
        }
        for i in 0..self.groups_for_channel[channel].len() {
            let g = self.groups_for_channel[channel][i];
            self.arm_earliest(g);
        }
    }

    /// Makes lazy group `g`'s earliest unarmed finish an event (nothing for other groups).
    pub(super) fn arm_earliest(&mut self, g: usize) {
        if let Some(pool) = &mut self.wf.groups[g].lazy
            && let Some((h, at)) = pool.arm_earliest()
        {
            // Counted when the call started; the event will be counted when it happens.
            self.tally.events -= u64::from(at <= self.s.horizon);
            self.events
                .schedule(at.max(self.now), Event::HandlerFree { handler: h });
        }
    }

    /// Whether a caller waits in a queue group `g` serves.
    pub(super) fn waiting_for_group(&self, g: usize) -> bool {
        self.handler_queues_live > 0
            && self.group_queues[g]
                .iter()
                .any(|q| self.queue_live[q.index()] > 0)
    }
}

#[cfg(test)]
mod tests {
    //! Lazy completions against an event per completion, on the same scenario and streams:
    //! everything a run observes must be identical, to the microsecond.

    use super::*;

    /// Two priorities with abandonment, redials, an IVR, call-back offers, drops, the transfer
    /// leg and a daily profile on one pool that is short at the peak.
    const POOL: &str = r#"
horizon_hours = 600
warmup_hours = 24
[channels.999]
kind = "call"
priority = 0
arrivals = { rate_per_hour = 40, hour_of_day = [0.3, 0.3, 0.3, 0.3, 0.3, 0.4, 0.6, 0.9, 1.2, 1.5, 1.6, 1.6, 1.5, 1.5, 1.4, 1.4, 1.4, 1.5, 1.6, 1.6, 1.3, 1.0, 0.7, 0.5] }
handle_time = { dist = "lognormal", mean_s = 240, sd_s = 200 }
patience = { dist = "exponential", mean_s = 120 }
transfer = { dist = "uniform", min_s = 1, max_s = 5 }
drops = { fraction = 0.05, handle_time = { dist = "lognormal", mean_s = 300, sd_s = 150 } }
target = { answer_within_s = 10, fraction = 0.9 }
[channels.101]
kind = "call"
priority = 1
arrivals = { rate_per_hour = 30 }
handle_time = { dist = "lognormal", mean_s = 420, sd_s = 300 }
patience = { dist = "exponential", mean_s = 600 }
ivr = { time = { dist = "deterministic", value_s = 20 }, abandon = 0.05, self_service = 0.05 }
redial = { probability = 0.3, delay = { dist = "exponential", mean_s = 600 } }
callback = { offer_when_waiting_over = 3, accept = 0.5, success = 0.9 }
target = { answer_within_s = 60, fraction = 0.8 }
[handlers]
count = 7
"#;

    /// Two always-on desks with skills and a triage team with opening hours (so callers are
    /// forwarded and, at closing, moved to the handlers).
    const DESKS: &str = r#"
horizon_hours = 400
[channels.999]
kind = "call"
priority = 0
arrivals = { rate_per_hour = 20 }
handle_time = { dist = "exponential", mean_s = 300 }
patience = { dist = "exponential", mean_s = 300 }
target = { answer_within_s = 10, fraction = 0.9 }
[channels.101]
kind = "call"
priority = 1
arrivals = { rate_per_hour = 40 }
handle_time = { dist = "exponential", mean_s = 400 }
patience = { dist = "exponential", mean_s = 900 }
target = { answer_within_s = 60, fraction = 0.8 }
[handlers.groups.desk999]
headcount = 3
channels = ["999"]
[handlers.groups.both]
headcount = 4
channels = ["999", "101"]
[triage]
officers = 2
channels = ["101"]
policy = "queue"
open = "08:00"
close = "20:00"
handle_time = { dist = "exponential", mean_s = 120 }
resolve_fraction = 0.4
"#;

    /// Deterministic times on a congested pool: completions tie with each other and with
    /// patience running out.
    const TIES: &str = r#"
horizon_hours = 300
[channels.c]
kind = "call"
priority = 0
arrivals = { rate_per_hour = 130 }
handle_time = { dist = "deterministic", value_s = 120 }
patience = { dist = "deterministic", value_s = 60 }
target = { answer_within_s = 20, fraction = 0.8 }
[handlers]
count = 4
"#;

    fn run(s: &Scenario, lazy: bool) -> (Tally, bool) {
        let mut e = Engine::new(s, 3);
        if lazy {
            e.use_lazy_completions();
        }
        let engaged = (0..e.wf.groups.len()).any(|g| e.wf.is_lazy(g));
        e.start();
        e.run_until_horizon(poll::Poll::of(RunOptions::default()));
        (e.tally, engaged)
    }

    /// What a run observed, in full (the level integrals' working state left out).
    fn observed(t: &Tally) -> String {
        let levels = [
            &t.handlers_on_duty,
            &t.handlers_busy,
            &t.officers_busy,
            &t.officers_on_duty,
        ]
        .map(|l| (l.area, &l.by_hour_of_week, &l.by_month, &l.by_week));
        format!(
            "{:?}",
            (
                &t.channels,
                &t.intervals,
                levels,
                t.overtime,
                t.officers_pulled,
                t.events
            )
        )
    }

    #[test]
    fn lazy_completions_observe_exactly_what_events_do() {
        for (name, text) in [("pool", POOL), ("desks", DESKS), ("ties", TIES)] {
            let s = Scenario::from_toml_str(text, "t.toml").unwrap();
            let (eager, _) = run(&s, false);
            let (lazy, engaged) = run(&s, true);
            assert!(engaged, "{name}: lazy completions not used");
            let (a, b) = (observed(&eager), observed(&lazy));
            assert!(a == b, "{name}: runs differ\n{a}\n{b}");
            let answered: u64 = eager.channels.iter().map(|c| c.all.answered).sum();
            let abandoned: u64 = eager.channels.iter().map(|c| c.all.abandoned).sum();
            assert!(
                answered > 1_000 && abandoned > 10,
                "{name}: too little happened"
            );
        }
    }

    #[test]
    fn handlers_who_differ_or_are_looked_at_keep_their_events() {
        let with = |extra: &str| {
            let text = POOL.replace("[handlers]\ncount = 7\n", extra);
            let s = Scenario::from_toml_str(&text, "t.toml").unwrap();
            run(&s, true).1
        };
        assert!(with("[handlers]\ncount = 7\n"));
        for extra in [
            // A shift: who is busy at its end matters.
            "[handlers.groups.g]\nheadcount = 7\nshift_start = \"07:00\"\nshift_hours = 12\n",
            // Recruits ramp up: who answers matters.
            "[handlers.groups.g]\nheadcount = 7\n[[handlers.hires]]\ngroup = \"g\"\nstart_date = 2024-01-03\ncount = 2\ntraining_weeks = 0\nramp_weeks = 4\ninitial_aht_factor = 1.3\n",
            // Leavers.
            "[handlers]\nattrition_per_year = 0.5\n[handlers.groups.g]\nheadcount = 7\n",
            // Trunk reservation counts the idle.
            "[handlers.groups.g]\nheadcount = 7\nreserve = { channel = \"999\", idle = 1 }\n",
        ] {
            assert!(!with(extra), "lazy with {extra}");
        }
    }
}
