//! Validating channels: kind, priority, handle time, patience, redials, drops, transfer legs and targets.

use super::*;

impl Validator {
    pub(super) fn channels(
        &mut self,
        raw: &Spanned<BTreeMap<String, Spanned<RawChannel>>>,
        start: Date,
        profiles: &Profiles,
    ) -> Option<Vec<Channel>> {
        if raw.get_ref().is_empty() {
            self.error(
                "channels".into(),
                Some(raw.span()),
                "no channels; expected at least one [channels.NAME] table",
            );
            return None;
        }
        if !self.channel_count_ok(raw) {
            return None;
        }
        let mut out = Vec::new();
        let mut pending_redials = Vec::new();
        let mut ok = true;
        for (name, ch) in raw.get_ref() {
            if !self.printable_name("channels", name, ch.span()) {
                ok = false;
                continue;
            }
            match self.channel(name, ch, start, profiles) {
                Some((c, callback)) => {
                    ok &= self.callback_name_free(raw.get_ref(), name, ch, callback.as_ref());
                    if let Some(to) = ch
                        .get_ref()
                        .redial
                        .as_ref()
                        .and_then(|r| r.get_ref().to.as_ref())
                    {
                        pending_redials.push((name.clone(), to));
                    }
                    out.push(c);
                    out.extend(callback);
                }
                None => ok = false,
            }
        }
        out.sort_by(|a, b| (a.priority, &a.name).cmp(&(b.priority, &b.name)));
        // Cross-references by name, resolved once the order is final.
        let index = |out: &[Channel], n: &str| out.iter().position(|c| c.name == n);
        for (from, to) in pending_redials {
            let (Some(i), Some(j)) = (index(&out, &from), index(&out, to.get_ref())) else {
                let known: Vec<&str> = out.iter().map(|c| c.name.as_str()).collect();
                self.error(
                    format!("channels.{from}.redial.to"),
                    Some(to.span()),
                    format!(
                        "no channel named \"{}\"; expected one of {}",
                        to.get_ref(),
                        known.join(", ")
                    ),
                );
                ok = false;
                continue;
            };
            if let Some(r) = &mut out[i].redial {
                r.to = Some(j);
            }
        }
        for i in 0..out.len() {
            if out[i].drops.is_some() {
                let cb = format!("{}-callbacks", out[i].name);
                if let (Some(j), Some(d)) = (index(&out, &cb), &mut out[i].drops) {
                    d.callback_channel = j;
                }
            }
        }
        ok.then_some(out)
    }

    /// At most [`MAX_CHANNELS`] channels.
    fn channel_count_ok(&mut self, raw: &Spanned<BTreeMap<String, Spanned<RawChannel>>>) -> bool {
        if raw.get_ref().len() > MAX_CHANNELS {
            self.error(
                "channels".into(),
                Some(raw.span()),
                format!(
                    "{} channels; expected at most {MAX_CHANNELS} (events and queues number channels in 16 bits)",
                    raw.get_ref().len()
                ),
            );
            return false;
        }
        true
    }

    /// The call-back channel a channel's drops create must not clash with a channel of the file.
    fn callback_name_free(
        &mut self,
        all: &BTreeMap<String, Spanned<RawChannel>>,
        name: &str,
        ch: &Spanned<RawChannel>,
        callback: Option<&Channel>,
    ) -> bool {
        let Some(cb) = callback.filter(|cb| all.contains_key(&cb.name)) else {
            return true;
        };
        self.error(
            format!("channels.{name}.drops"),
            ch.get_ref().drops.as_ref().map(Spanned::span),
            format!(
                "drops create the call-back channel \"{}\", which the file also defines; expected another name for one of them",
                cb.name
            ),
        );
        false
    }

    /// A channel, and the call-back channel its drops create.
    pub(super) fn channel(
        &mut self,
        name: &str,
        raw: &Spanned<RawChannel>,
        start: Date,
        profiles: &Profiles,
    ) -> Option<(Channel, Option<Channel>)> {
        let path = format!("channels.{name}");
        let span = raw.span();
        let r = raw.get_ref();
        if name.is_empty() {
            self.error(
                path.clone(),
                Some(span.clone()),
                "a channel needs a non-empty name",
            );
        }
        let kind = self.channel_kind(r, &path, &span);
        let priority = self
            .required(
                &r.priority,
                &path,
                "priority",
                &span,
                "a whole number (lower is served first)",
            )
            .map(|p| *p.get_ref());
        let arrivals = self
            .required(
                &r.arrivals,
                &path,
                "arrivals",
                &span,
                "arrivals = { rate_per_hour = … } or { annual_volume = … }",
            )
            .and_then(|a| self.arrivals(a, &join(&path, "arrivals"), start, profiles));
        let handle_time = self
            .required(
                &r.handle_time,
                &path,
                "handle_time",
                &span,
                "a distribution, e.g. { dist = \"exponential\", mean_s = 300 }",
            )
            .and_then(|d| self.dist(d, &join(&path, "handle_time")));
        let patience = self.patience(r, &path, kind);
        let target = self
            .required(
                &r.target,
                &path,
                "target",
                &span,
                "target = { answer_within_s = …, fraction = … }",
            )
            .and_then(|t| self.target(t, &join(&path, "target")));
        self.national_clock_has_a_transfer_leg(r, &path, target.as_ref());
        let concurrency = self.concurrency(r, &path, kind);
        let (redial, drops, transfer, bursts) = self.channel_extras(r, &path, name, priority);
        let (callback_offer, ivr) = self.call_stages(r, &path, kind);
        let (rate_per_hour, demand) = arrivals?;
        let (drops, callback) = drops?.map_or((None, None), |(d, c)| (Some(d), Some(c)));
        let channel = Channel {
            name: name.to_owned(),
            kind: kind?,
            priority: priority?,
            rate_per_hour,
            demand,
            handle_time: handle_time?,
            patience: patience?,
            target: target?,
            concurrency: concurrency?,
            redial: redial?,
            drops,
            transfer: transfer?,
            bursts: bursts?,
            callback: callback_offer?,
            ivr: ivr?,
        };
        Some((channel, callback))
    }

    /// `kind`: call, deferred or chat.
    fn channel_kind(
        &mut self,
        r: &RawChannel,
        path: &str,
        span: &Range<usize>,
    ) -> Option<ChannelKind> {
        self.required(
            &r.kind,
            path,
            "kind",
            span,
            "\"call\", \"deferred\" or \"chat\"",
        )
        .and_then(|k| match k.get_ref().as_str() {
            "call" => Some(ChannelKind::Call),
            "deferred" => Some(ChannelKind::Deferred),
            "chat" => Some(ChannelKind::Chat),
            other => {
                self.error(
                    join(path, "kind"),
                    Some(k.span()),
                    format!("got \"{other}\"; expected \"call\", \"deferred\" or \"chat\""),
                );
                None
            }
        })
    }

    /// `patience`: a distribution, except on deferred work, which waits until taken.
    fn patience(
        &mut self,
        r: &RawChannel,
        path: &str,
        kind: Option<ChannelKind>,
    ) -> Option<Option<Dist>> {
        match &r.patience {
            None => Some(None),
            Some(p) if kind == Some(ChannelKind::Deferred) => {
                self.error(join(path, "patience"), Some(p.span()), "deferred work waits until taken; expected no patience on a kind = \"deferred\" channel");
                None
            }
            Some(p) => self.dist(p, &join(path, "patience")).map(Some),
        }
    }

    /// `concurrency`: chats held at once, only on chat channels.
    fn concurrency(
        &mut self,
        r: &RawChannel,
        path: &str,
        kind: Option<ChannelKind>,
    ) -> Option<u32> {
        match &r.concurrency {
            None => Some(1),
            Some(c) if kind != Some(ChannelKind::Chat) => {
                self.error(join(path, "concurrency"), Some(c.span()), "only chats are held several at once; expected concurrency only on a kind = \"chat\" channel");
                None
            }
            Some(c) => self
                .integer(c, join(path, "concurrency"), 1, 64)
                .map(|c| c as u32),
        }
    }

    pub(super) fn redial(&mut self, raw: &Spanned<RawRedial>, path: &str) -> Option<Redial> {
        let r = raw.get_ref();
        let probability = self.required_probability(
            &r.probability,
            path,
            "probability",
            &raw.span(),
            "the share of callers who hang up and try again",
        );
        let delay = self
            .required(
                &r.delay,
                path,
                "delay",
                &raw.span(),
                "a distribution of the time before trying again",
            )
            .and_then(|d| self.dist(d, &join(path, "delay")));
        let max_attempts = match &r.max_attempts {
            None => Some(3),
            Some(m) => self
                .integer(m, join(path, "max_attempts"), 1, 100)
                .map(|m| m as u8),
        };
        let to_fraction = match (&r.to_fraction, &r.to) {
            (None, Some(_)) => Some(1.0),
            (None, None) => Some(0.0),
            (Some(f), Some(_)) => self.probability(f, join(path, "to_fraction")),
            (Some(f), None) => {
                self.error(
                    join(path, "to_fraction"),
                    Some(f.span()),
                    "to_fraction needs `to`, the channel redials may go to",
                );
                None
            }
        };
        Some(Redial {
            probability: probability?,
            delay: delay?,
            max_attempts: max_attempts?,
            to: None,
            to_fraction: to_fraction?,
        })
    }

    pub(super) fn drops(
        &mut self,
        raw: &Spanned<RawDrops>,
        path: &str,
        parent: &str,
        parent_priority: i64,
    ) -> Option<(Drops, Channel)> {
        let r = raw.get_ref();
        let fraction = self.required_probability(
            &r.fraction,
            path,
            "fraction",
            &raw.span(),
            "the share of calls that drop at once",
        );
        let handle_time = self
            .required(
                &r.handle_time,
                path,
                "handle_time",
                &raw.span(),
                "a distribution of welfare call-back times",
            )
            .and_then(|d| self.dist(d, &join(path, "handle_time")));
        let priority = r
            .priority
            .as_ref()
            .map_or(parent_priority, |p| *p.get_ref());
        let target = match &r.target {
            None => Some(Target {
                answer_within: SimTime::from_secs(SECS_PER_HOUR),
                fraction: 0.9,
                max_abandonment: None,
                clock: TargetClock::Force,
            }),
            Some(t) => self.target(t, &join(path, "target")),
        };
        let callback = Channel {
            name: format!("{parent}-callbacks"),
            kind: ChannelKind::Deferred,
            priority,
            rate_per_hour: 0.0,
            demand: Demand {
                hour_of_week: vec![1.0; HOURS_PER_WEEK],
                month: vec![1.0; 12],
                scale_per_hour: 0.0,
                growth_per_year: 0.0,
                day_cv: 0.0,
                surge_probability: 0.0,
                surge_factor: 1.0,
            },
            handle_time: handle_time?,
            patience: None,
            target: target?,
            concurrency: 1,
            redial: None,
            drops: None,
            transfer: None,
            bursts: None,
            callback: None,
            ivr: None,
        };
        Some((
            Drops {
                fraction: fraction?,
                callback_channel: usize::MAX,
            },
            callback,
        ))
    }

    /// A target on the national clock needs the transfer leg it adds.
    fn national_clock_has_a_transfer_leg(
        &mut self,
        r: &RawChannel,
        path: &str,
        target: Option<&Target>,
    ) {
        if let (Some(t), Some(raw_target)) = (target, &r.target)
            && t.clock == TargetClock::National
            && r.transfer.is_none()
        {
            let span = raw_target.get_ref().clock.as_ref().map(|c| c.span());
            self.error(
                join(path, "target.clock"),
                span,
                "the national clock adds the BT transfer leg; expected channels.NAME.transfer with it",
            );
        }
    }

    pub(super) fn target(&mut self, raw: &Spanned<RawTarget>, path: &str) -> Option<Target> {
        let r = raw.get_ref();
        let within = match (&r.answer_within_s, &r.answer_within_hours) {
            (Some(v), None) => self.number(
                v,
                join(path, "answer_within_s"),
                |x| x >= 0.0,
                "a number of seconds of at least 0",
            ),
            (None, Some(v)) => self
                .number(
                    v,
                    join(path, "answer_within_hours"),
                    |x| x >= 0.0,
                    "a number of hours of at least 0",
                )
                .map(|h| h * SECS_PER_HOUR),
            (Some(_), Some(v)) => {
                self.error(
                    join(path, "answer_within_hours"),
                    Some(v.span()),
                    "give answer_within_s or answer_within_hours, not both",
                );
                None
            }
            (None, None) => {
                self.error(join(path, "answer_within_s"), Some(raw.span()), "missing key; expected the answer-time threshold in seconds (or answer_within_hours)");
                None
            }
        };
        let fraction = self.required_probability(
            &r.fraction,
            path,
            "fraction",
            &raw.span(),
            "the share to answer within the threshold, e.g. 0.9",
        );
        let max_abandonment = match &r.max_abandonment {
            None => Some(None),
            Some(v) => self.probability(v, join(path, "max_abandonment")).map(Some),
        };
        let clock = match &r.clock {
            None => Some(TargetClock::Force),
            Some(c) => match c.get_ref().as_str() {
                "force" => Some(TargetClock::Force),
                "national" => Some(TargetClock::National),
                other => {
                    self.error(
                        join(path, "clock"),
                        Some(c.span()),
                        format!("got \"{other}\"; expected \"force\" (from the call reaching the force) or \"national\" (from BT connecting it, the Home Office basis)"),
                    );
                    None
                }
            },
        };
        Some(Target {
            answer_within: SimTime::from_secs(within?),
            fraction: fraction?,
            max_abandonment: max_abandonment?,
            clock: clock?,
        })
    }

    /// The optional parts of a channel: redials, drops (with their call-back channel), the
    /// transfer leg and incident bursts.
    #[allow(clippy::type_complexity)]
    fn channel_extras(
        &mut self,
        r: &RawChannel,
        path: &str,
        name: &str,
        priority: Option<i64>,
    ) -> (
        Option<Option<Redial>>,
        Option<Option<(Drops, Channel)>>,
        Option<Option<Dist>>,
        Option<Option<Bursts>>,
    ) {
        let redial = match &r.redial {
            None => Some(None),
            Some(rd) => self.redial(rd, &join(path, "redial")).map(Some),
        };
        let drops = match &r.drops {
            None => Some(None),
            Some(d) => self
                .drops(d, &join(path, "drops"), name, priority.unwrap_or(0))
                .map(Some),
        };
        let transfer = match &r.transfer {
            None => Some(None),
            Some(t) => self.dist(t, &join(path, "transfer")).map(Some),
        };
        let bursts = match &r.bursts {
            None => Some(None),
            Some(b) => self.bursts(b, &join(path, "bursts")).map(Some),
        };
        (redial, drops, transfer, bursts)
    }
}
