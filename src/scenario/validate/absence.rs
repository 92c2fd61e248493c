//! Validating who is away and who leaves: shrinkage (by month) and attrition (by tenure).

use super::*;

impl Validator {
    /// `[[handlers.attrition_by_tenure]]`: bands of `under_months` (increasing) and `per_year`.
    pub(super) fn attrition_by_tenure(&mut self, h: &RawHandlers) -> Option<Vec<TenureBand>> {
        let Some(raw) = &h.attrition_by_tenure else {
            return Some(Vec::new());
        };
        let mut bands = Vec::new();
        let mut ok = true;
        let mut last = 0.0;
        for (i, band) in raw.get_ref().iter().enumerate() {
            let (b, span) = (band.get_ref(), band.span());
            let parent = format!("handlers.attrition_by_tenure.{i}");
            let months = self.required_number(
                &b.under_months,
                &parent,
                "under_months",
                &span,
                "the tenure in months at which the band ends",
                |x| x > 0.0 && x <= 1200.0,
                "months of tenure above 0 and at most 1200",
            );
            let rate = self.required_number(
                &b.per_year,
                &parent,
                "per_year",
                &span,
                "the band's yearly leaving rate",
                |x| (0.0..=10.0).contains(&x),
                "a yearly rate from 0 to 10",
            );
            let in_order = match months {
                Some(m) if m <= last => {
                    let span = b.under_months.as_ref().map(Spanned::span);
                    self.error(
                        join(&parent, "under_months"),
                        span,
                        format!(
                            "bands in increasing tenure; expected more than the previous band's {} months, got {}",
                            shown(last),
                            shown(m)
                        ),
                    );
                    false
                }
                Some(m) => {
                    last = m;
                    true
                }
                None => false,
            };
            match (months, rate) {
                (Some(m), Some(r)) if in_order => bands.push(TenureBand {
                    until_days: m * DAYS_PER_YEAR / 12.0,
                    per_year: r,
                }),
                _ => ok = false,
            }
        }
        ok.then_some(bands)
    }

    /// `shrinkage` (every month alike) or `shrinkage_by_month` (12 fractions, January first).
    pub(super) fn shrinkage_by_month(&mut self, h: &RawHandlers) -> Option<[f64; 12]> {
        let fraction = |v: &Spanned<f64>, key: String, me: &mut Self| {
            me.number(
                v,
                key,
                |x| (0.0..1.0).contains(&x),
                "a fraction from 0 to below 1",
            )
        };
        match (&h.shrinkage, &h.shrinkage_by_month) {
            (None, None) => Some([0.0; 12]),
            (Some(v), None) => fraction(v, "handlers.shrinkage".into(), self).map(|x| [x; 12]),
            (Some(_), Some(m)) => {
                self.error(
                    "handlers.shrinkage_by_month".into(),
                    Some(m.span()),
                    "give shrinkage or shrinkage_by_month, not both",
                );
                None
            }
            (None, Some(m)) => {
                let values = m.get_ref();
                if values.len() != 12 {
                    self.error(
                        "handlers.shrinkage_by_month".into(),
                        Some(m.span()),
                        format!("got {} values; expected 12, January first", values.len()),
                    );
                    return None;
                }
                let mut out = [0.0; 12];
                let mut ok = true;
                for (i, v) in values.iter().enumerate() {
                    match fraction(v, format!("handlers.shrinkage_by_month.{i}"), self) {
                        Some(x) => out[i] = x,
                        None => ok = false,
                    }
                }
                ok.then_some(out)
            }
        }
    }

    /// `meal_break = { after_hours, minutes }` within a shift of `shift_hours`: the break must
    /// start after the shift does and end before it ends.
    pub(super) fn meal_break(
        &mut self,
        raw: &Spanned<RawMealBreak>,
        path: &str,
        shift_hours: f64,
    ) -> Option<Option<MealBreak>> {
        let (b, span) = (raw.get_ref(), raw.span());
        let after = self.required_number(
            &b.after_hours,
            path,
            "after_hours",
            &span,
            "the hours from the shift's start to the break",
            |x| x > 0.0 && x < shift_hours,
            &format!(
                "hours after the start within the {} h shift",
                shown(shift_hours)
            ),
        );
        let minutes = self.break_minutes(&b.minutes, path, &span);
        let (after, minutes) = (after?, minutes?);
        if after + minutes / 60.0 > shift_hours {
            self.error(
                join(path, "minutes"),
                b.minutes.as_ref().map(Spanned::span),
                format!(
                    "the break must end within the shift; expected at most {} minutes after {} h of a {} h shift, got {}",
                    shown((shift_hours - after) * 60.0),
                    shown(after),
                    shown(shift_hours),
                    shown(minutes)
                ),
            );
            return None;
        }
        Some(Some(MealBreak {
            after: SimTime::from_hours(after),
            length: SimTime::from_secs(minutes * 60.0),
        }))
    }

    /// `[handlers] meal_break_window = { minutes, from_hours, to_hours }` for `rota`.
    pub(super) fn break_window(&mut self, h: &RawHandlers) -> Option<Option<BreakWindow>> {
        let Some(raw) = &h.meal_break_window else {
            return Some(None);
        };
        let (w, span) = (raw.get_ref(), raw.span());
        let path = "handlers.meal_break_window";
        let hours = |x: f64| x > 0.0 && x < 24.0;
        let minutes = self.break_minutes(&w.minutes, path, &span);
        let from = self.required_number(
            &w.from_hours,
            path,
            "from_hours",
            &span,
            "the earliest break start, in hours after the shift's start",
            hours,
            "hours above 0 and below 24",
        );
        let to = self.required_number(
            &w.to_hours,
            path,
            "to_hours",
            &span,
            "the latest break start, in hours after the shift's start",
            hours,
            "hours above 0 and below 24",
        );
        let (minutes, from, to) = (minutes?, from?, to?);
        if to < from {
            self.error(
                join(path, "to_hours"),
                w.to_hours.as_ref().map(Spanned::span),
                format!(
                    "expected the latest start at or after from_hours = {}, got {}",
                    shown(from),
                    shown(to)
                ),
            );
            return None;
        }
        Some(Some(BreakWindow {
            minutes,
            from_hours: from,
            to_hours: to,
        }))
    }

    /// A meal break's `minutes` under `path`: above 0, at most 4 hours.
    fn break_minutes(
        &mut self,
        value: &Option<Spanned<f64>>,
        path: &str,
        span: &Range<usize>,
    ) -> Option<f64> {
        self.required_number(
            value,
            path,
            "minutes",
            span,
            "the break's length in minutes",
            |x| x > 0.0 && x <= 240.0,
            "minutes above 0 and at most 240",
        )
    }
}
