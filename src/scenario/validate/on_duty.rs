//! Validating a group given on duty hour by hour (`on_duty_by_hour_of_week`) instead of a
//! headcount and a rota.

use super::*;

impl Validator {
    /// A group given by `on_duty_by_hour_of_week` (168 whole numbers, Monday 00:00 first)
    /// instead of a headcount and a rota.
    pub(super) fn group_on_duty(
        &mut self,
        name: &str,
        g: &RawGroup,
        table: &Spanned<Vec<Spanned<i64>>>,
        channels: &[Channel],
        start: Date,
    ) -> Option<Group> {
        let path = format!("handlers.groups.{name}");
        let key = join(&path, "on_duty_by_hour_of_week");
        let rota_keys = [
            ("headcount", g.headcount.as_ref().map(Spanned::span)),
            ("teams", g.teams.as_ref().map(Spanned::span)),
            ("shift_start", g.shift_start.as_ref().map(Spanned::span)),
            ("shift_hours", g.shift_hours.as_ref().map(Spanned::span)),
            ("pattern", g.pattern.as_ref().map(Spanned::span)),
            ("non_call_work", g.non_call_work.as_ref().map(Spanned::span)),
            ("meal_break", g.meal_break.as_ref().map(Spanned::span)),
        ];
        let mut ok = true;
        for (k, found) in rota_keys {
            if let Some(at) = found {
                self.error(
                    join(&path, k),
                    Some(at),
                    format!("on_duty_by_hour_of_week gives the handlers on the phones hour by hour; expected no {k} beside it"),
                );
                ok = false;
            }
        }
        let values = table.get_ref();
        if values.len() != HOURS_PER_WEEK {
            self.error(
                key.clone(),
                Some(table.span()),
                format!(
                    "got {} values; expected {HOURS_PER_WEEK} whole numbers of handlers, Monday 00:00 first",
                    values.len()
                ),
            );
            return None;
        }
        let mut levels = Vec::with_capacity(HOURS_PER_WEEK);
        for (i, v) in values.iter().enumerate() {
            match self.integer(v, format!("{key}.{i}"), 0, MAX_STAFF) {
                Some(n) => levels.push(n as u32),
                None => ok = false,
            }
        }
        let served = self.served(g, &path, channels);
        let overflow = self.overflow(g, &path, channels);
        let reserve = self.reserve(g, &path, channels);
        ok.then_some(())?;
        let first_hour = start.weekday().to_monday_zero_offset() as usize * HOURS_PER_DAY;
        let on_duty = OnDuty::by_hour_of_week(&levels, first_hour);
        Some(Group {
            name: name.to_owned(),
            headcount: on_duty.max(),
            teams: 1,
            shift: None,
            channels: served?,
            reserve: reserve?,
            overflow: overflow?,
            non_call_work: 0.0,
            removed: 0,
            on_duty: Some(on_duty),
        })
    }
}
