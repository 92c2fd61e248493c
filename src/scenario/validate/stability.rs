//! Validating the stability check: infinitely patient demand must stay below capacity.

use super::*;

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
}
