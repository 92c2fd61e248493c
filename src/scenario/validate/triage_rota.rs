//! Validating the triage team's rota (officers, or daily shifts with shrinkage), its handle
//! time for resolved calls, and the rule pulling it onto another channel under load.

use super::*;

/// Most triage shifts a day.
const MAX_TRIAGE_SHIFTS: usize = 96;

/// Validated `shrinkage`, `handle_time_resolved` and `pulled_to`.
type TriageExtras = (
    Option<f64>,
    Option<Option<Dist>>,
    Option<Option<TriagePull>>,
);

impl Validator {
    /// `officers` (all on duty in the opening hours) or `shifts` (a daily rota): exactly one.
    /// Returns the headcount (the shifts' sum) and the shifts.
    pub(super) fn triage_staffing(
        &mut self,
        r: &RawTriage,
        span: &Range<usize>,
    ) -> Option<(u32, Vec<TriageShift>)> {
        match (&r.officers, &r.shifts) {
            (Some(o), None) => self
                .integer(o, "triage.officers".into(), 0, MAX_STAFF)
                .map(|o| (o as u32, Vec::new())),
            (None, Some(list)) => {
                if let Some(o) = r.open.as_ref().or(r.close.as_ref()) {
                    self.error("triage.open".into(), Some(o.span()), "a rota of shifts sets when officers are on duty; expected no open/close beside triage.shifts");
                    return None;
                }
                let shifts = self.triage_shifts(list)?;
                let total: u64 = shifts.iter().map(|s| u64::from(s.officers)).sum();
                if total > MAX_STAFF as u64 {
                    self.error(
                        "triage.shifts".into(),
                        Some(list.span()),
                        format!("{total} officers in all; expected at most {MAX_STAFF}"),
                    );
                    return None;
                }
                Some((total as u32, shifts))
            }
            (Some(_), Some(list)) => {
                self.error("triage.shifts".into(), Some(list.span()), "give officers (on duty in the opening hours) or shifts (a daily rota), not both");
                None
            }
            (None, None) => {
                self.error("triage.officers".into(), Some(span.clone()), "missing key; expected the number of triage officers, or shifts = [{ start = \"08:00\", hours = 10, officers = 4 }, …]");
                None
            }
        }
    }

    /// `triage.shifts`: each with a start time of day, a length of up to 24 hours and officers.
    fn triage_shifts(
        &mut self,
        list: &Spanned<Vec<Spanned<RawTriageShift>>>,
    ) -> Option<Vec<TriageShift>> {
        if list.get_ref().is_empty() || list.get_ref().len() > MAX_TRIAGE_SHIFTS {
            self.error(
                "triage.shifts".into(),
                Some(list.span()),
                format!(
                    "{} shifts; expected from 1 to {MAX_TRIAGE_SHIFTS}",
                    list.get_ref().len()
                ),
            );
            return None;
        }
        let mut out = Vec::new();
        let mut ok = true;
        for (i, raw) in list.get_ref().iter().enumerate() {
            let path = format!("triage.shifts.{i}");
            let (span, r) = (raw.span(), raw.get_ref());
            let start = self
                .required(
                    &r.start,
                    &path,
                    "start",
                    &span,
                    "a time of day, e.g. \"08:00\"",
                )
                .and_then(|t| self.time_of_day(t, join(&path, "start")));
            let hours = self.required_number(
                &r.hours,
                &path,
                "hours",
                &span,
                "the shift's length in hours",
                |h| h > 0.0 && h <= 24.0,
                "a number of hours above 0 and at most 24",
            );
            let officers = self.required_integer(
                &r.officers,
                (&path, "officers"),
                &span,
                "the officers rostered on the shift",
                (0, MAX_STAFF),
            );
            match (start, hours, officers) {
                (Some(start), Some(hours), Some(officers)) => out.push(TriageShift {
                    start,
                    length: SimTime::from_secs(hours * SECS_PER_HOUR),
                    officers: officers as u32,
                }),
                _ => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// `shrinkage`, `handle_time_resolved` and `pulled_to`.
    pub(super) fn triage_extras(&mut self, r: &RawTriage, channels: &[Channel]) -> TriageExtras {
        let shrinkage = match &r.shrinkage {
            None => Some(0.0),
            Some(v) if r.shifts.is_none() => {
                self.error(
                    "triage.shrinkage".into(),
                    Some(v.span()),
                    "shrinkage thins a rota's shifts; expected it only beside triage.shifts",
                );
                None
            }
            Some(v) => self.number(
                v,
                "triage.shrinkage".into(),
                |x| (0.0..1.0).contains(&x),
                "a fraction from 0 up to (not including) 1",
            ),
        };
        let resolved = match &r.handle_time_resolved {
            None => Some(None),
            Some(d) => self.dist(d, "triage.handle_time_resolved").map(Some),
        };
        let pulled_to = match &r.pulled_to {
            None => Some(None),
            Some(p) => self.triage_pull(p, channels).map(Some),
        };
        (shrinkage, resolved, pulled_to)
    }

    /// `pulled_to = { channel, queue_over }`: a call channel the team does not triage.
    fn triage_pull(
        &mut self,
        raw: &Spanned<RawTriagePull>,
        channels: &[Channel],
    ) -> Option<TriagePull> {
        let (path, span, r) = ("triage.pulled_to", raw.span(), raw.get_ref());
        let channel = self
            .required(
                &r.channel,
                path,
                "channel",
                &span,
                "the channel officers are pulled onto, e.g. \"999\"",
            )
            .and_then(|name| {
                let index = self.channel_index(name, join(path, "channel"), channels)?;
                if channels[index].kind != ChannelKind::Call {
                    self.error(
                        join(path, "channel"),
                        Some(name.span()),
                        format!(
                            "\"{}\" is not a phone channel; expected a kind = \"call\" channel",
                            name.get_ref()
                        ),
                    );
                    return None;
                }
                Some(index)
            });
        let queue_over = self.required_integer(
            &r.queue_over,
            (path, "queue_over"),
            &span,
            "the number of the channel's callers waiting beyond which idle officers are pulled",
            (0, i64::from(u32::MAX)),
        );
        Some(TriagePull {
            channel: channel?,
            queue_over: queue_over? as u32,
        })
    }
}
