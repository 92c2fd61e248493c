//! Validating the workforce: the always-on pool or shift groups, rotas, skills, overflow and hires.

use super::*;

/// A full-time week when the scenario gives none: 37 hours, the usual contract of police
/// staff in England and Wales (an assumption, documented in docs/planning.md).
const DEFAULT_FTE_HOURS_PER_WEEK: f64 = 37.0;

impl Validator {
    pub(super) fn handlers(
        &mut self,
        raw: &Spanned<RawHandlers>,
        channels: &[Channel],
        start: Date,
    ) -> Option<Handlers> {
        let (h, span) = (raw.get_ref(), raw.span());
        let shrinkage_by_month = self.shrinkage_by_month(h);
        let attrition = match &h.attrition_per_year {
            None => Some(0.0),
            Some(v) => self.number(
                v,
                "handlers.attrition_per_year".into(),
                |x| (0.0..=10.0).contains(&x),
                "a yearly rate from 0 to 10",
            ),
        };
        let by_tenure = self.attrition_by_tenure(h);
        let break_window = self.break_window(h);
        let (count, groups) = self.pool_or_groups(h, &span, channels, start);
        let hires = self.hires(h, groups.as_deref(), start);
        self.every_channel_served(groups.as_deref(), channels, &span);
        let max_occupancy = match &h.max_occupancy {
            None => Some(None),
            Some(v) => self
                .probability(v, "handlers.max_occupancy".into())
                .map(Some),
        };
        let cost = match &h.cost_per_handler {
            None => Some(1.0),
            Some(v) => self.number(
                v,
                "handlers.cost_per_handler".into(),
                |x| x >= 0.0,
                "a cost of at least 0",
            ),
        };
        let fte_hours = self.optional_number(
            &h.fte_hours_per_week,
            "handlers.fte_hours_per_week".into(),
            DEFAULT_FTE_HOURS_PER_WEEK,
            |x| x > 0.0 && x <= 168.0,
            "hours in a full-time week, above 0 and at most 168",
        );
        Some(Handlers {
            count: count?,
            fte_hours_per_week: fte_hours?,
            groups: groups?,
            // The mean over the months; exactly the scalar when one was given.
            shrinkage: match (&h.shrinkage_by_month, shrinkage_by_month) {
                (Some(_), Some(m)) => m.iter().sum::<f64>() / 12.0,
                (_, m) => m?[0],
            },
            shrinkage_by_month: shrinkage_by_month?,
            attrition_per_year: attrition?,
            attrition_by_tenure: by_tenure?,
            meal_break_window: break_window?,
            hires: hires?,
            max_occupancy: max_occupancy?,
            cost_per_handler: cost?,
        })
    }

    /// `count` (an always-on pool) or `groups`, exactly one of them.
    fn pool_or_groups(
        &mut self,
        h: &RawHandlers,
        span: &Range<usize>,
        channels: &[Channel],
        start: Date,
    ) -> (Option<u32>, Option<Vec<Group>>) {
        match (&h.count, &h.groups) {
            (Some(c), None) => (
                self.integer(c, "handlers.count".into(), 0, MAX_STAFF)
                    .map(|c| c as u32),
                Some(Vec::new()),
            ),
            (None, Some(g)) => (Some(0), self.groups(g, channels, start)),
            (Some(c), Some(_)) => {
                self.error(
                    "handlers.count".into(),
                    Some(c.span()),
                    "give count (an always-on pool) or shift groups, not both",
                );
                (None, None)
            }
            (None, None) => {
                self.error("handlers.count".into(), Some(span.clone()), "missing key; expected the number of call handlers (count) or [handlers.groups.NAME] tables");
                (None, None)
            }
        }
    }

    /// `hires`: cohorts joining shift groups.
    fn hires(
        &mut self,
        h: &RawHandlers,
        groups: Option<&[Group]>,
        start: Date,
    ) -> Option<Vec<Hire>> {
        match (&h.hires, groups) {
            (None, _) => Some(Vec::new()),
            (Some(list), Some(groups)) if !groups.is_empty() => {
                let mut out = Vec::new();
                let mut ok = true;
                for (i, hire) in list.get_ref().iter().enumerate() {
                    match self.hire(hire, &format!("handlers.hires.{i}"), groups, start) {
                        Some(x) => out.push(x),
                        None => ok = false,
                    }
                }
                ok.then_some(out)
            }
            (Some(list), Some(_)) => {
                self.error(
                    "handlers.hires".into(),
                    Some(list.span()),
                    "hires join a shift group; expected [handlers.groups.NAME] tables",
                );
                None
            }
            (Some(_), None) => None,
        }
    }

    /// With shift groups, every channel must be served by one of them.
    fn every_channel_served(
        &mut self,
        groups: Option<&[Group]>,
        channels: &[Channel],
        span: &Range<usize>,
    ) {
        if let Some(groups) = groups {
            for (i, c) in channels.iter().enumerate() {
                if !groups.is_empty() && !groups.iter().any(|g| g.channels.contains(&i)) {
                    let known: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
                    self.error("handlers.groups".into(), Some(span.clone()), format!("no group serves channel \"{}\"; expected it in the channels of one of {}", c.name, known.join(", ")));
                }
            }
        }
    }

    pub(super) fn groups(
        &mut self,
        raw: &Spanned<BTreeMap<String, Spanned<RawGroup>>>,
        channels: &[Channel],
        start: Date,
    ) -> Option<Vec<Group>> {
        if raw.get_ref().is_empty() {
            self.error(
                "handlers.groups".into(),
                Some(raw.span()),
                "no groups; expected at least one [handlers.groups.NAME] table",
            );
            return None;
        }
        if raw.get_ref().len() > MAX_GROUPS {
            self.error(
                "handlers.groups".into(),
                Some(raw.span()),
                format!(
                    "{} groups; expected at most {MAX_GROUPS} (events number groups in 16 bits)",
                    raw.get_ref().len()
                ),
            );
            return None;
        }
        let mut out = Vec::new();
        let mut ok = true;
        for (name, g) in raw.get_ref() {
            if !self.printable_name("handlers.groups", name, g.span()) {
                ok = false;
                continue;
            }
            match self.group(name, g, channels, start) {
                Some(x) => out.push(x),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    pub(super) fn channel_index(
        &mut self,
        name: &Spanned<String>,
        key: String,
        channels: &[Channel],
    ) -> Option<usize> {
        let found = channels.iter().position(|c| c.name == *name.get_ref());
        if found.is_none() {
            let known: Vec<&str> = channels.iter().map(|c| c.name.as_str()).collect();
            self.error(
                key,
                Some(name.span()),
                format!(
                    "no channel named \"{}\"; expected one of {}",
                    name.get_ref(),
                    known.join(", ")
                ),
            );
        }
        found
    }

    pub(super) fn group(
        &mut self,
        name: &str,
        raw: &Spanned<RawGroup>,
        channels: &[Channel],
        start: Date,
    ) -> Option<Group> {
        let path = format!("handlers.groups.{name}");
        let (g, span) = (raw.get_ref(), raw.span());
        if let Some(table) = &g.on_duty_by_hour_of_week {
            return self.group_on_duty(name, g, table, channels, start);
        }
        let headcount = self
            .required(
                &g.headcount,
                &path,
                "headcount",
                &span,
                "the number of handlers in each team",
            )
            .and_then(|v| {
                self.integer(v, join(&path, "headcount"), 0, MAX_STAFF)
                    .map(|v| v as u32)
            });
        let teams = match &g.teams {
            None => Some(1),
            Some(v) => self
                .integer(v, join(&path, "teams"), 1, 64)
                .map(|v| v as u32),
        };
        let pattern = match &g.pattern {
            None => Some(vec![true]),
            Some(p) => self.pattern(p, join(&path, "pattern")),
        };
        let shift = self.shift(g, &path, &span, pattern);
        let served = self.served(g, &path, channels);
        let overflow = self.overflow(g, &path, channels);
        let reserve = self.reserve(g, &path, channels);
        let non_call_work = match &g.non_call_work {
            None => Some(0.0),
            Some(v) if g.shift_start.is_none() && g.shift_hours.is_none() => {
                self.error(
                    join(&path, "non_call_work"),
                    Some(v.span()),
                    "non-call work is drawn per shift; expected it only in a group with shift_start and shift_hours",
                );
                None
            }
            Some(v) => self.number(
                v,
                join(&path, "non_call_work"),
                |x| (0.0..1.0).contains(&x),
                "a fraction from 0 to below 1",
            ),
        };
        Some(Group {
            name: name.to_owned(),
            headcount: headcount?,
            teams: teams?,
            shift: shift?,
            channels: served?,
            reserve: reserve?,
            overflow: overflow?,
            non_call_work: non_call_work?,
            removed: 0,
            on_duty: None,
        })
    }

    /// `shift_start` and `shift_hours`: both (a shift on the pattern's days) or neither.
    fn shift(
        &mut self,
        g: &RawGroup,
        path: &str,
        span: &Range<usize>,
        pattern: Option<Vec<bool>>,
    ) -> Option<Option<Shift>> {
        match (&g.shift_start, &g.shift_hours) {
            (Some(s), Some(h)) => {
                let start = self.time_of_day(s, join(path, "shift_start"));
                let hours = self.number(
                    h,
                    join(path, "shift_hours"),
                    |x| x > 0.0 && x <= 24.0,
                    "a shift length in hours above 0 and at most 24",
                );
                let meal_break = match (&g.meal_break, hours) {
                    (None, _) => Some(None),
                    (Some(b), Some(hours)) => self.meal_break(b, &join(path, "meal_break"), hours),
                    (Some(_), None) => None,
                };
                (|| {
                    Some(Some(Shift {
                        start: start?.min(SimTime::from_whole_secs(DAY_US / MICROS_PER_S - 1)),
                        length: SimTime::from_hours(hours?),
                        pattern: pattern?,
                        meal_break: meal_break?,
                    }))
                })()
            }
            (None, None) => {
                if let Some(b) = &g.meal_break {
                    self.error(
                        join(path, "meal_break"),
                        Some(b.span()),
                        "a meal break is taken within a shift; expected it only in a group with shift_start and shift_hours",
                    );
                    return None;
                }
                Some(None)
            }
            (Some(_), None) => self
                .required(
                    &g.shift_hours,
                    path,
                    "shift_hours",
                    span,
                    "the shift length in hours",
                )
                .map(|_| None),
            (None, Some(_)) => self
                .required(
                    &g.shift_start,
                    path,
                    "shift_start",
                    span,
                    "the shift start \"HH:MM\"",
                )
                .map(|_| None),
        }
    }

    /// `channels` a group serves (all by default), with the call-backs of those that drop.
    pub(super) fn served(
        &mut self,
        g: &RawGroup,
        path: &str,
        channels: &[Channel],
    ) -> Option<Vec<usize>> {
        match &g.channels {
            None => Some((0..channels.len()).collect::<Vec<_>>()),
            Some(list) => {
                let mut out = Vec::new();
                let mut ok = true;
                for (i, n) in list.get_ref().iter().enumerate() {
                    match self.channel_index(n, format!("{path}.channels.{i}"), channels) {
                        Some(c) => out.push(c),
                        None => ok = false,
                    }
                }
                // A group that serves a channel with drops also makes its call-backs.
                for i in out.clone() {
                    if let Some(d) = &channels[i].drops
                        && !out.contains(&d.callback_channel)
                    {
                        out.push(d.callback_channel);
                    }
                }
                out.sort_unstable();
                out.dedup();
                ok.then_some(out)
            }
        }
    }

    /// `overflow`: the channel a group is pulled onto after a wait, or when its queue is long.
    pub(super) fn overflow(
        &mut self,
        g: &RawGroup,
        path: &str,
        channels: &[Channel],
    ) -> Option<Option<Overflow>> {
        let Some(o) = &g.overflow else {
            return Some(None);
        };
        let (op, span, r) = (join(path, "overflow"), o.span(), o.get_ref());
        let ch = self
            .required(
                &r.channel,
                &op,
                "channel",
                &span,
                "the channel the group is pulled onto",
            )
            .and_then(|c| self.channel_index(c, join(&op, "channel"), channels));
        if r.after_s.is_none() && r.queue_over.is_none() {
            self.error(
                join(&op, "after_s"),
                Some(span),
                "missing key; expected after_s (the wait after which the group helps, seconds) or queue_over (the queue length beyond which it helps), or both",
            );
            return None;
        }
        let after = match &r.after_s {
            None => Some(SimTime::NEVER),
            Some(v) => self
                .number(
                    v,
                    join(&op, "after_s"),
                    |x| x >= 0.0,
                    "a number of seconds of at least 0",
                )
                .map(SimTime::from_secs),
        };
        let queue_over = match &r.queue_over {
            None => Some(None),
            Some(v) => self
                .integer(v, join(&op, "queue_over"), 0, MAX_STAFF)
                .map(|k| Some(k as u32)),
        };
        let window = match (&r.from, &r.until) {
            (None, None) => Some(None),
            (Some(f), Some(u)) => {
                let from = self.time_of_day(f, join(&op, "from"));
                let until = self.time_of_day(u, join(&op, "until"));
                from.zip(until).map(Some)
            }
            (Some(f), None) | (None, Some(f)) => {
                self.error(
                    join(&op, if r.until.is_none() { "until" } else { "from" }),
                    Some(f.span()),
                    "missing key; a flex window needs both from and until, e.g. from = \"18:00\", until = \"22:00\"",
                );
                None
            }
        };
        Some(Some(Overflow {
            channel: ch?,
            after: after?,
            queue_over: queue_over?,
            window: window?,
        }))
    }

    /// `reserve`: idle handlers kept free for a protected channel (trunk reservation).
    pub(super) fn reserve(
        &mut self,
        g: &RawGroup,
        path: &str,
        channels: &[Channel],
    ) -> Option<Option<Reserve>> {
        let Some(r) = &g.reserve else {
            return Some(None);
        };
        let (rp, span) = (join(path, "reserve"), r.span());
        let ch = self
            .required(
                &r.get_ref().channel,
                &rp,
                "channel",
                &span,
                "the channel handlers are kept free for",
            )
            .and_then(|c| self.channel_index(c, join(&rp, "channel"), channels));
        let idle = self.required_integer(
            &r.get_ref().idle,
            (&rp, "idle"),
            &span,
            "how many idle handlers to keep for it",
            (0, MAX_STAFF),
        );
        Some(Some(Reserve {
            channel: ch?,
            idle: idle? as u32,
        }))
    }

    /// A rota pattern such as "4on4off" or "5on2off": runs of days on and off, repeating.
    pub(super) fn pattern(&mut self, value: &Spanned<String>, key: String) -> Option<Vec<bool>> {
        let parsed = crate::scenario::parse_day_pattern(&value.get_ref().replace(' ', ""));
        if parsed.is_none() {
            self.error(key, Some(value.span()), format!("got \"{}\"; expected runs of days on and off such as \"4on4off\" or \"5on2off\"", value.get_ref()));
        }
        parsed
    }

    pub(super) fn hire(
        &mut self,
        raw: &Spanned<RawHire>,
        path: &str,
        groups: &[Group],
        start: Date,
    ) -> Option<Hire> {
        let (h, span) = (raw.get_ref(), raw.span());
        let group = self
            .required(
                &h.group,
                path,
                "group",
                &span,
                "the shift group the cohort joins",
            )
            .and_then(|g| {
                let found = groups.iter().position(|x| x.name == *g.get_ref());
                if found.is_none() {
                    let known: Vec<&str> = groups.iter().map(|x| x.name.as_str()).collect();
                    self.error(
                        join(path, "group"),
                        Some(g.span()),
                        format!(
                            "no group named \"{}\"; expected one of {}",
                            g.get_ref(),
                            known.join(", ")
                        ),
                    );
                }
                found
            });
        let date = self
            .required(
                &h.start_date,
                path,
                "start_date",
                &span,
                "the cohort's first day, e.g. 2024-07-01",
            )
            .and_then(|d| self.date(d, join(path, "start_date")));
        let count = self
            .required(&h.count, path, "count", &span, "the number of new handlers")
            .and_then(|v| self.integer(v, join(path, "count"), 0, MAX_STAFF));
        let weeks = |v: &mut Self, x: &Option<Spanned<f64>>, key: &str| match x {
            None => Some(0.0),
            Some(w) => v.number(
                w,
                join(path, key),
                |x| (0.0..=520.0).contains(&x),
                "a number of weeks from 0 to 520",
            ),
        };
        let training = weeks(self, &h.training_weeks, "training_weeks");
        let ramp = weeks(self, &h.ramp_weeks, "ramp_weeks");
        let factor = match &h.initial_aht_factor {
            None => Some(1.0),
            Some(f) => self.number(
                f,
                join(path, "initial_aht_factor"),
                |x| (1.0..=10.0).contains(&x),
                "a handle-time multiplier from 1 to 10",
            ),
        };
        let start_day = date?.since(start).ok()?.get_days();
        Some(Hire {
            group: group?,
            start_day: i64::from(start_day),
            count: count? as u32,
            training: SimTime::from_hours(training? * 168.0),
            ramp: SimTime::from_hours(ramp? * 168.0),
            initial_aht_factor: factor?,
        })
    }
}
