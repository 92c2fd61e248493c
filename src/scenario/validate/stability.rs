//! Validating the stability check: infinitely patient demand must stay below capacity.

use super::*;

/// Most group–channel links for which the skill test runs (a maximum flow over them).
const MAX_SKILL_LINKS: usize = 100_000;

impl Validator {
    /// Refuses a scenario whose infinitely patient demand cannot be served in the long run.
    ///
    /// Capacity is the long-run mean number of handlers on duty: the always-on pool, or each
    /// group's headcount × teams × share of days on × shift length ÷ 24 × (1 − shrinkage).
    /// Callers who accept a call-back stop hanging up: once queues are long every caller is
    /// offered one, so a channel with call-backs brings `accept` × its load as patient demand.
    pub(super) fn check_stability(&mut self, s: &Scenario, raw: &RawScenario) {
        let load = offered_load(s);
        let patient = super::super::offered_load::patient_demand(s, &load);
        let need: f64 = patient.iter().map(|(_, e)| e).sum();
        let have = s.handlers.mean_staffed();
        if need >= have && need > 0.0 {
            let list: Vec<String> = patient
                .iter()
                .map(|(i, e)| format!("{} ({e:.2})", s.channels[*i].name))
                .collect();
            let raw_h = raw.handlers.as_ref().map(|h| h.get_ref());
            let span = raw_h
                .and_then(|h| h.count.as_ref().map(Spanned::span))
                .or_else(|| raw_h.and_then(|h| h.groups.as_ref().map(Spanned::span)));
            let staffed = if s.handlers.is_pool() {
                format!("only {} are staffed", s.handlers.count)
            } else {
                format!("the rota staffs only {have:.2} on average")
            };
            self.error(
                s.handlers.staffing_key().into(),
                span,
                format!(
                    "unstable: infinitely patient demand needs {need:.2} busy handlers on average but {staffed} (short by {:.2}); channels and their load in Erlangs: {}. Expected more than {need:.2} handlers, or patience on these channels",
                    need - have,
                    list.join(", ")
                ),
            );
        } else if !s.handlers.is_pool() {
            self.check_skill_capacity(s, raw, &patient);
        }
        if let Some(t) = &s.triage {
            let patient_triaged = t.channels.iter().any(|&i| s.channels[i].patience.is_none());
            if t.policy == TriagePolicy::Queue
                && patient_triaged
                && load.triage_erlangs >= f64::from(t.officers)
            {
                let span = raw
                    .triage
                    .as_ref()
                    .and_then(|t| t.get_ref().officers.as_ref())
                    .map(Spanned::span);
                self.error(
                    "triage.officers".into(),
                    span,
                    format!(
                        "unstable: every triaged call queues for an officer and needs {:.2} busy officers on average but only {} are on duty (short by {:.2}); expected more officers, patience, or policy = \"when_free\"",
                        load.triage_erlangs,
                        t.officers,
                        load.triage_erlangs - f64::from(t.officers)
                    ),
                );
            }
        }
    }

    /// Refuses patient demand that the pool could serve but the groups able to serve it
    /// cannot (skills): see [`crate::scenario::skill_capacity`].
    fn check_skill_capacity(&mut self, s: &Scenario, raw: &RawScenario, patient: &[(usize, f64)]) {
        let mut load = vec![0.0; s.channels.len()];
        for &(c, e) in patient {
            load[c] = e;
        }
        // The flow is cheap for any real centre; thousands of groups each serving thousands of
        // channels are left to the pooled test.
        let links: usize = s.handlers.groups.iter().map(|g| g.channels.len()).sum();
        if links > MAX_SKILL_LINKS {
            return;
        }
        let serves: Vec<Vec<usize>> = s
            .handlers
            .groups
            .iter()
            .map(|g| g.channels.clone())
            .collect();
        let staffed: Vec<f64> = s
            .handlers
            .groups
            .iter()
            .map(|g| s.handlers.mean_staffed_in(g))
            .collect();
        let Some(short) = crate::scenario::skill_capacity::shortfall(&load, &serves, &staffed)
        else {
            return;
        };
        let channels: Vec<String> = short
            .channels
            .iter()
            .map(|&c| format!("{} ({:.2} Erlangs)", s.channels[c].name, load[c]))
            .collect();
        let groups: Vec<&str> = short
            .groups
            .iter()
            .map(|&g| s.handlers.groups[g].name.as_str())
            .collect();
        let span = raw
            .handlers
            .as_ref()
            .and_then(|h| h.get_ref().groups.as_ref().map(Spanned::span));
        self.error(
            "handlers.groups".into(),
            span,
            format!(
                "unstable: infinitely patient demand on {} can be answered only by {}, which staff{} {:.2} on average (short by {:.2}); expected more handlers in {}, more groups serving these channels, or patience on them",
                channels.join(", "),
                if groups.is_empty() { "no group".to_string() } else { format!("group{} {}", if groups.len() == 1 { "" } else { "s" }, groups.join(", ")) },
                if groups.len() == 1 { "s" } else { "" },
                short.staffed,
                short.load - short.staffed,
                if groups.len() == 1 { "it" } else { "them" },
            ),
        );
    }
}
