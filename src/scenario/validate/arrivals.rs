//! Validating arrivals: rates, profiles, growth, day-to-day dispersion and incident bursts.

use super::*;

/// The highest mean arrival rate a channel may have: a billion calls an hour.
const MAX_RATE_PER_HOUR: f64 = 1e9;

impl Validator {
    /// Relative weights: `len` finite values ≥ 0, not all 0, scaled to mean 1. They are
    /// divided by the largest first, so that weights near the largest float (1e308) do not
    /// overflow their sum and vanish.
    pub(super) fn weights(
        &mut self,
        value: &Spanned<Vec<f64>>,
        key: String,
        len: usize,
        what: &str,
    ) -> Option<Vec<f64>> {
        let raw = value.get_ref();
        let largest = raw.iter().copied().fold(0.0, f64::max);
        let w: Vec<f64> = raw.iter().map(|x| x / largest).collect();
        let sum: f64 = w.iter().sum();
        let positive = sum.is_finite() && sum > 0.0;
        if raw.len() != len || raw.iter().any(|x| !x.is_finite() || *x < 0.0) || !positive {
            self.error(
                key,
                Some(value.span()),
                format!(
                    "got {} values; expected {len} weights ({what}), each at least 0, not all 0",
                    raw.len()
                ),
            );
            return None;
        }
        Some(w.iter().map(|x| x * len as f64 / sum).collect())
    }

    pub(super) fn profiles(
        &mut self,
        raw: &Spanned<BTreeMap<String, Spanned<RawProfile>>>,
    ) -> Option<Profiles> {
        let mut out = BTreeMap::new();
        let mut ok = true;
        for (name, p) in raw.get_ref() {
            match self.profile(p.get_ref(), &format!("profiles.{name}")) {
                Some(w) => {
                    out.insert(name.clone(), w);
                }
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// Hour-of-week and month weights from the four optional weight lists.
    pub(super) fn profile(&mut self, p: &RawProfile, path: &str) -> Option<(Vec<f64>, Vec<f64>)> {
        let mut ok = true;
        let mut how = vec![1.0; HOURS_PER_WEEK];
        if let Some(w) = &p.hour_of_week {
            if p.hour_of_day.is_some() || p.day_of_week.is_some() {
                self.error(
                    join(path, "hour_of_week"),
                    Some(w.span()),
                    "hour_of_week replaces hour_of_day and day_of_week; expected one or the other",
                );
                ok = false;
            }
            match self.weights(
                w,
                join(path, "hour_of_week"),
                HOURS_PER_WEEK,
                "Monday 00:00 first",
            ) {
                Some(v) => how = v,
                None => ok = false,
            }
        } else {
            let hod = match &p.hour_of_day {
                Some(w) => self.weights(w, join(path, "hour_of_day"), 24, "00:00 first"),
                None => Some(vec![1.0; 24]),
            };
            let dow = match &p.day_of_week {
                Some(w) => self.weights(w, join(path, "day_of_week"), 7, "Monday first"),
                None => Some(vec![1.0; 7]),
            };
            match (hod, dow) {
                (Some(h), Some(d)) => {
                    how = (0..HOURS_PER_WEEK).map(|i| d[i / 24] * h[i % 24]).collect()
                }
                _ => ok = false,
            }
        }
        let month = match &p.month {
            Some(w) => self.weights(w, join(path, "month"), 12, "January first"),
            None => Some(vec![1.0; 12]),
        };
        ok.then_some((how, month?))
    }

    pub(super) fn arrivals(
        &mut self,
        raw: &Spanned<RawArrivals>,
        path: &str,
        start: Date,
        profiles: &Profiles,
    ) -> Option<(f64, Demand)> {
        let a = raw.get_ref();
        let hours_in_year = (days_in_first_year(start) * 24) as f64;
        let volume = self.volume(raw, path, hours_in_year);
        let growth = self.optional_number(
            &a.growth,
            join(path, "growth"),
            0.0,
            |x| x > -1.0 && x <= crate::scenario::MAX_GROWTH,
            "a yearly growth rate above -1 and at most 10 (0.05 = +5% a year)",
        );
        let day_cv = self.optional_number(
            &a.day_cv,
            join(path, "day_cv"),
            0.0,
            |x| (0.0..=crate::scenario::MAX_DAY_CV).contains(&x),
            "a coefficient of variation from 0 to 2",
        );
        let surges = self.surges(a, path);
        let shape = self.shape(a, path, profiles);
        let (how, month) = shape?;
        let volume = volume?;
        // Scale so that the expected volume of the first year is exactly `volume`.
        let days = days_in_first_year(start);
        let cal = Calendar::new(start, days);
        let weight_sum: f64 = (0..days)
            .map(|d| {
                let day = cal.day(d);
                let m = month[usize::from(day.month_of_year)];
                (0..24)
                    .map(|h| how[usize::from(day.weekday) * 24 + h] * m)
                    .sum::<f64>()
            })
            .sum();
        let (surge_probability, surge_factor) = surges?;
        // Published volumes include the surge days: the expected day multiplier is
        // 1 + p (factor − 1), so ordinary days carry the rest.
        let surge_mean = 1.0 + surge_probability * (surge_factor - 1.0);
        let demand = Demand {
            hour_of_week: how,
            month,
            scale_per_hour: volume / weight_sum / surge_mean,
            growth_per_year: growth?,
            day_cv: day_cv?,
            surge_probability,
            surge_factor,
        };
        Some((volume / hours_in_year, demand))
    }

    pub(super) fn bursts(&mut self, raw: &Spanned<RawBursts>, path: &str) -> Option<Bursts> {
        let r = raw.get_ref();
        let sp = raw.span();
        let per_week = self.required_number(
            &r.per_week,
            path,
            "per_week",
            &sp,
            "the mean number of bursts per week",
            |x| (0.0..=10_000.0).contains(&x),
            "a rate from 0 to 10000 per week",
        );
        let calls_min = self.required_integer(
            &r.calls_min,
            (path, "calls_min"),
            &sp,
            "the fewest calls a burst brings",
            (1, 1_000_000),
        );
        let calls_max = self.required_integer(
            &r.calls_max,
            (path, "calls_max"),
            &sp,
            "the most calls a burst brings",
            (1, 1_000_000),
        );
        let seconds = "a number of seconds above 0";
        let wmin = self.required_number(
            &r.window_min_s,
            path,
            "window_min_s",
            &sp,
            "the shortest window, seconds",
            |x| x > 0.0,
            seconds,
        );
        let wmax = self.required_number(
            &r.window_max_s,
            path,
            "window_max_s",
            &sp,
            "the longest window, seconds",
            |x| x > 0.0,
            seconds,
        );
        if let (Some(a), Some(b), Some(s)) = (calls_min, calls_max, &r.calls_max)
            && b < a
        {
            self.error(
                join(path, "calls_max"),
                Some(s.span()),
                format!("got {b}; expected at least calls_min ({a})"),
            );
            return None;
        }
        if let (Some(a), Some(b), Some(s)) = (wmin, wmax, &r.window_max_s)
            && b < a
        {
            self.error(
                join(path, "window_max_s"),
                Some(s.span()),
                format!(
                    "got {}; expected at least window_min_s ({})",
                    shown(b),
                    shown(a)
                ),
            );
            return None;
        }
        Some(Bursts {
            per_week: per_week?,
            calls: (calls_min? as u32, calls_max? as u32),
            window_s: (wmin?, wmax?),
        })
    }

    /// `surge_days_per_year` and `surge_factor` (both or neither): whole days far above normal.
    fn surges(&mut self, a: &RawArrivals, path: &str) -> Option<(f64, f64)> {
        match (&a.surge_days_per_year, &a.surge_factor) {
            (None, None) => Some((0.0, 1.0)),
            (Some(d), Some(f)) => {
                let days = self.number(
                    d,
                    join(path, "surge_days_per_year"),
                    |x| (0.0..=DAYS_PER_YEAR).contains(&x),
                    "a number of days from 0 to 365.25",
                );
                let factor = self.number(
                    f,
                    join(path, "surge_factor"),
                    |x| (1.0..=100.0).contains(&x),
                    "a multiplier from 1 to 100",
                );
                Some((days? / DAYS_PER_YEAR, factor?))
            }
            (Some(d), None) => {
                self.error(
                    join(path, "surge_factor"),
                    Some(d.span()),
                    "missing key; surge days need surge_factor, e.g. 1.5 for days 50% above normal",
                );
                None
            }
            (None, Some(f)) => {
                self.error(
                    join(path, "surge_days_per_year"),
                    Some(f.span()),
                    "missing key; a surge factor needs surge_days_per_year, e.g. 8",
                );
                None
            }
        }
    }

    /// `value` if it is at most `max`, else an error naming the cap.
    fn at_most(
        &mut self,
        raw: &Spanned<f64>,
        value: f64,
        max: f64,
        key: String,
        unit: &str,
    ) -> Option<f64> {
        if value <= max {
            return Some(value);
        }
        self.error(
            key,
            Some(raw.span()),
            format!(
                "got {}; expected at most {} {unit} (a billion calls an hour: far beyond any contact centre, and loads beyond it overflow)",
                shown(value),
                shown(max)
            ),
        );
        None
    }

    /// `rate_per_hour` or `annual_volume` (exactly one), as contacts in the first year.
    fn volume(
        &mut self,
        raw: &Spanned<RawArrivals>,
        path: &str,
        hours_in_year: f64,
    ) -> Option<f64> {
        let a = raw.get_ref();
        match (&a.rate_per_hour, &a.annual_volume) {
            (Some(r), None) => self
                .number(
                    r,
                    join(path, "rate_per_hour"),
                    |x| x >= 0.0,
                    "a rate of at least 0 per hour",
                )
                .and_then(|rate| {
                    self.at_most(
                        r,
                        rate,
                        MAX_RATE_PER_HOUR,
                        join(path, "rate_per_hour"),
                        "per hour",
                    )
                })
                .map(|r| r * hours_in_year),
            (None, Some(v)) => self
                .number(
                    v,
                    join(path, "annual_volume"),
                    |x| x >= 0.0,
                    "a number of contacts per year of at least 0",
                )
                .and_then(|volume| {
                    self.at_most(
                        v,
                        volume,
                        MAX_RATE_PER_HOUR * 8766.0,
                        join(path, "annual_volume"),
                        "contacts per year",
                    )
                }),
            (Some(_), Some(v)) => {
                self.error(
                    join(path, "annual_volume"),
                    Some(v.span()),
                    "give rate_per_hour or annual_volume, not both",
                );
                None
            }
            (None, None) => {
                self.error(
                    join(path, "rate_per_hour"),
                    Some(raw.span()),
                    "missing key; expected rate_per_hour (mean arrivals per hour) or annual_volume",
                );
                None
            }
        }
    }

    /// The demand's shape: a named profile or inline weights (not both).
    fn shape(
        &mut self,
        a: &RawArrivals,
        path: &str,
        profiles: &Profiles,
    ) -> Option<(Vec<f64>, Vec<f64>)> {
        let inline = RawProfile {
            hour_of_day: a.hour_of_day.clone(),
            day_of_week: a.day_of_week.clone(),
            month: a.month.clone(),
            hour_of_week: a.hour_of_week.clone(),
        };
        let has_inline = inline.hour_of_day.is_some()
            || inline.day_of_week.is_some()
            || inline.month.is_some()
            || inline.hour_of_week.is_some();
        match &a.profile {
            Some(p) if has_inline => {
                self.error(
                    join(path, "profile"),
                    Some(p.span()),
                    "give a named profile or inline weights, not both",
                );
                None
            }
            Some(p) => match profiles.get(p.get_ref()) {
                Some(w) => Some(w.clone()),
                None => {
                    let known: Vec<&str> = profiles.keys().map(String::as_str).collect();
                    self.error(join(path, "profile"), Some(p.span()), format!("no profile named \"{}\"; expected one of the [profiles.NAME] tables: {}", p.get_ref(), if known.is_empty() { "(none defined)".to_owned() } else { known.join(", ") }));
                    None
                }
            },
            None => self.profile(&inline, path),
        }
    }
}
