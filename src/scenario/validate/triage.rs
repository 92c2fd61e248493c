//! Validating the triage team: officers, policy, outcomes and opening hours.

use super::*;

impl Validator {
    pub(super) fn triage(
        &mut self,
        raw: &Spanned<RawTriage>,
        channels: &[Channel],
    ) -> Option<Triage> {
        let (path, span, r) = ("triage", raw.span(), raw.get_ref());
        let staffing = self.triage_staffing(r, &span);
        let indices = self.triage_channels(r, &span, channels);
        let policy = self
            .required(
                &r.policy,
                path,
                "policy",
                &span,
                "\"when_free\" or \"queue\"",
            )
            .and_then(|p| match p.get_ref().as_str() {
                "when_free" => Some(TriagePolicy::WhenFree),
                "queue" => Some(TriagePolicy::Queue),
                other => {
                    self.error(
                        "triage.policy".into(),
                        Some(p.span()),
                        format!("got \"{other}\"; expected \"when_free\" or \"queue\""),
                    );
                    None
                }
            });
        let handle_time = self
            .required(
                &r.handle_time,
                path,
                "handle_time",
                &span,
                "a distribution of triage times",
            )
            .and_then(|d| self.dist(d, "triage.handle_time"));
        let (resolve, redirect, escalate) = self.triage_outcomes(r, path, &span)?;
        let hours = self.opening_hours(r);
        let (shrinkage, handle_time_resolved, pulled_to) = self.triage_extras(r, channels);
        let cost = self.optional_number(
            &r.cost_per_officer,
            "triage.cost_per_officer".into(),
            1.0,
            |x| x >= 0.0,
            "a cost of at least 0",
        );
        let (officers, shifts) = staffing?;
        Some(Triage {
            cost_per_officer: cost?,
            hours: hours?,
            officers,
            shifts,
            shrinkage: shrinkage?,
            handle_time_resolved: handle_time_resolved?,
            pulled_to: pulled_to?,
            channels: indices?,
            policy: policy?,
            handle_time: handle_time?,
            resolve_fraction: resolve?,
            redirect_fraction: redirect?,
            escalate_fraction: escalate?,
        })
    }

    /// `triage.channels`: known phone channels, each listed once; sorted indices.
    fn triage_channels(
        &mut self,
        r: &RawTriage,
        span: &Range<usize>,
        channels: &[Channel],
    ) -> Option<Vec<usize>> {
        let path = "triage";
        let names = self.required(
            &r.channels,
            path,
            "channels",
            span,
            "a list of channel names, e.g. [\"101\"]",
        );
        let mut indices = Vec::new();
        let mut ok = names.is_some();
        if let Some(list) = names {
            if list.get_ref().is_empty() {
                self.error(
                    "triage.channels".into(),
                    Some(list.span()),
                    "empty list; expected at least one call channel to triage",
                );
                ok = false;
            }
            for (i, name) in list.get_ref().iter().enumerate() {
                let key = format!("triage.channels.{i}");
                match self.channel_index(name, key.clone(), channels) {
                    None => ok = false,
                    Some(idx) if channels[idx].kind != ChannelKind::Call => {
                        self.error(
                            key,
                            Some(name.span()),
                            format!(
                                "\"{}\" is not a phone channel; expected a kind = \"call\" channel",
                                name.get_ref()
                            ),
                        );
                        ok = false;
                    }
                    Some(idx) if indices.contains(&idx) => {
                        self.error(
                            key,
                            Some(name.span()),
                            format!("\"{}\" is listed twice", name.get_ref()),
                        );
                        ok = false;
                    }
                    Some(idx) => indices.push(idx),
                }
            }
        }
        indices.sort_unstable();
        ok.then_some(indices)
    }

    /// `triage.open` and `triage.close`: both or neither.
    fn opening_hours(&mut self, r: &RawTriage) -> Option<Option<(SimTime, SimTime)>> {
        match (&r.open, &r.close) {
            (None, None) => Some(None),
            (Some(o), Some(c)) => {
                let (open, close) = (
                    self.time_of_day(o, "triage.open".into()),
                    self.time_of_day(c, "triage.close".into()),
                );
                let (open, close) = (open?, close?);
                if open == close {
                    // "08:00" to "08:00" could mean closed all day or open all day: refuse both.
                    self.error(
                        "triage.close".into(),
                        Some(c.span()),
                        format!("the same time as triage.open (\"{}\"): closed all day or open all day?; expected a close time other than the opening time, or open = \"00:00\", close = \"24:00\" (or neither) for round the clock", c.get_ref()),
                    );
                    return None;
                }
                Some(Some((open, close)))
            }
            (Some(o), None) => {
                self.error("triage.close".into(), Some(o.span()), "missing key; opening hours need both open and close, e.g. open = \"07:00\", close = \"24:00\"");
                None
            }
            (None, Some(c)) => {
                self.error("triage.open".into(), Some(c.span()), "missing key; opening hours need both open and close, e.g. open = \"07:00\", close = \"24:00\"");
                None
            }
        }
    }

    /// `resolve_fraction`, `redirect_fraction` and `escalate_fraction`. `None` when they add
    /// up to more than 1, which ends the triage table's validation.
    fn triage_outcomes(
        &mut self,
        r: &RawTriage,
        path: &str,
        span: &Range<usize>,
    ) -> Option<(Option<f64>, Option<f64>, Option<f64>)> {
        let resolve = self.required_probability(
            &r.resolve_fraction,
            path,
            "resolve_fraction",
            span,
            "the share of triaged calls resolved at triage",
        );
        let escalate = match &r.escalate_fraction {
            None => Some(0.0),
            Some(v) => self.probability(v, "triage.escalate_fraction".into()),
        };
        let redirect = match &r.redirect_fraction {
            None => Some(0.0),
            Some(v) => self.probability(v, "triage.redirect_fraction".into()),
        };
        let last = r
            .escalate_fraction
            .as_ref()
            .or(r.redirect_fraction.as_ref());
        if let (Some(a), Some(b), Some(c), Some(s)) = (resolve, redirect, escalate, last)
            && a + b + c > 1.0 + 1e-12
        {
            let key = if r.escalate_fraction.is_some() {
                "triage.escalate_fraction"
            } else {
                "triage.redirect_fraction"
            };
            let given: Vec<&str> = [
                ("resolve_fraction", true),
                ("redirect_fraction", r.redirect_fraction.is_some()),
                ("escalate_fraction", r.escalate_fraction.is_some()),
            ]
            .iter()
            .filter(|(_, given)| *given)
            .map(|(name, _)| *name)
            .collect();
            self.error(
                key.into(),
                Some(s.span()),
                format!("{} = {}; expected at most 1", given.join(" + "), a + b + c),
            );
            return None;
        }
        Some((resolve, redirect, escalate))
    }
}
