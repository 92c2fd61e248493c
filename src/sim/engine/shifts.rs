//! Shifts: teams coming on and going off duty, shrinkage, joiners and leavers.

use super::*;

impl Engine<'_> {
    pub(super) fn schedule_capacity(&mut self, at: SimTime, event: Event) {
        if at < self.s.horizon {
            self.events.schedule(at, event);
        }
    }

    pub(super) fn shift_start(&mut self, g: usize, team: usize) {
        let Some(shift) = self.wf.groups[g].shift.clone() else {
            return;
        };
        let teams = self.wf.groups[g].teams.len() as u32;
        let (_, end) = next_shift(&shift, teams, team as u32, self.now);
        let members = self.wf.groups[g].teams[team].clone();
        let month = usize::from(
            self.calendar
                .day(self.now.whole_days() as usize)
                .month_of_year,
        );
        let mut arrived = Vec::new();
        for h in members {
            let employable = self.wf.handlers[h as usize].employable(self.now);
            if !employable || !self.wf.turns_up(g, month) {
                continue;
            }
            let handler = &mut self.wf.handlers[h as usize];
            handler.shift_end = end;
            if handler.state == HandlerState::Off {
                self.on_duty += 1;
                self.wf.on_duty_in_group[g] += 1;
                arrived.push(h);
            } else {
                handler.leaving = false; // still finishing the last shift: stays on
                handler.on_break = false;
            }
        }
        self.tally.set_on_duty(self.now, self.on_duty);
        for h in arrived {
            self.handler_available(h);
        }
        if let Some(b) = shift.meal_break {
            // From the shift's own start: one in progress when the run starts began earlier.
            // (The break starts before the shift ends: `length − after` is positive.)
            let at = SimTime(end.0.saturating_sub(shift.length.0 - b.after.0));
            if at >= self.now {
                let event = Event::MealBreak {
                    group: g as u16,
                    team: team as u16,
                };
                self.schedule_capacity(at, event);
            }
        }
        self.schedule_capacity(
            end,
            Event::ShiftEnd {
                group: g as u16,
                team: team as u16,
            },
        );
        let (next, _) = next_shift(&shift, teams, team as u32, end);
        self.schedule_capacity(
            next,
            Event::ShiftStart {
                group: g as u16,
                team: team as u16,
            },
        );
    }

    pub(super) fn shift_end(&mut self, g: usize, team: usize) {
        let members = self.wf.groups[g].teams[team].clone();
        for h in members {
            self.send_home(h);
        }
        self.tally.set_on_duty(self.now, self.on_duty);
    }

    /// The team's meal break: each handler on this shift goes off now if idle, after the
    /// contact in hand otherwise, and is back after the break's length.
    pub(super) fn meal_break(&mut self, g: usize, team: usize) {
        let Some(b) = self.wf.groups[g].shift.as_ref().and_then(|s| s.meal_break) else {
            return;
        };
        for i in 0..self.wf.groups[g].teams[team].len() {
            let h = self.wf.groups[g].teams[team][i];
            let handler = &mut self.wf.handlers[h as usize];
            if handler.state == HandlerState::Off
                || handler.leaving
                || handler.shift_end <= self.now
            {
                continue; // absent, on non-call work, or already going home
            }
            handler.on_break = true;
            match handler.state {
                HandlerState::Idle => {
                    handler.state = HandlerState::Off;
                    self.wf.on_duty_in_group[g] -= 1;
                    self.wf.remove_idle(h);
                    self.on_duty -= 1;
                    let back = self.now.after(b.length);
                    self.events.schedule(back, Event::BreakOver { handler: h });
                }
                HandlerState::Busy | HandlerState::Chatting => handler.leaving = true,
                HandlerState::Off => {}
            }
        }
        self.tally.set_on_duty(self.now, self.on_duty);
    }

    /// Handler `h`, busy when its break came, has finished the contact in hand: off for the
    /// break's length (or home, if the shift has ended meanwhile).
    pub(super) fn start_break(&mut self, h: u32) {
        let handler = &mut self.wf.handlers[h as usize];
        let g = usize::from(handler.group);
        handler.leaving = false;
        handler.state = HandlerState::Off;
        self.on_duty -= 1;
        self.wf.on_duty_in_group[g] -= 1;
        self.tally.set_on_duty(self.now, self.on_duty);
        if let Some(b) = self.wf.groups[g].shift.as_ref().and_then(|s| s.meal_break) {
            let back = self.now.after(b.length);
            self.events.schedule(back, Event::BreakOver { handler: h });
        }
    }

    /// Handler `h`'s break is over: back on duty unless its shift has ended (or it has left).
    pub(super) fn break_over(&mut self, h: u32) {
        let handler = &mut self.wf.handlers[h as usize];
        if !handler.on_break {
            return;
        }
        handler.on_break = false;
        if handler.state == HandlerState::Off
            && self.now < handler.shift_end
            && self.now < handler.leaves_at
        {
            self.wf.on_duty_in_group[usize::from(handler.group)] += 1;
            self.on_duty += 1;
            self.tally.set_on_duty(self.now, self.on_duty);
            self.handler_available(h);
        }
    }

    /// Ends handler `h`'s duty: at once if idle, after the contact in hand otherwise.
    pub(super) fn send_home(&mut self, h: u32) {
        let handler = &mut self.wf.handlers[h as usize];
        if handler.shift_end > self.now {
            return; // on a later shift already
        }
        match handler.state {
            HandlerState::Idle => {
                handler.state = HandlerState::Off;
                self.wf.on_duty_in_group[usize::from(handler.group)] -= 1;
                self.wf.remove_idle(h);
                self.on_duty -= 1;
            }
            HandlerState::Busy | HandlerState::Chatting => handler.leaving = true,
            HandlerState::Off => {}
        }
    }

    pub(super) fn roster(&mut self, h: u32, joins: bool) {
        let handler = &mut self.wf.handlers[h as usize];
        if joins {
            if handler.state == HandlerState::Off && self.now < handler.leaves_at {
                self.wf.on_duty_in_group[usize::from(handler.group)] += 1;
                self.on_duty += 1;
                self.tally.set_on_duty(self.now, self.on_duty);
                self.handler_available(h);
            }
        } else {
            handler.shift_end = self.now;
            self.send_home(h);
            self.tally.set_on_duty(self.now, self.on_duty);
        }
    }

    /// A group on duty by interval: its own handlers on duty now follow the level (the lowest
    /// numbered on; those going off finish the contact in hand), then the next change.
    pub(super) fn on_duty_level(&mut self, g: usize) {
        let state = &self.wf.groups[g];
        let Some(levels) = &state.on_duty else {
            return;
        };
        let target = levels
            .level_at(self.now)
            .saturating_sub(state.removed)
            .min(state.own);
        let next = levels.next_change_after(self.now);
        let was = state.level;
        let mut arrived = Vec::new();
        for i in target.min(was)..target.max(was) {
            let h = self.wf.groups[g].teams[0][i as usize];
            let handler = &mut self.wf.handlers[h as usize];
            if target > was {
                handler.shift_end = SimTime::NEVER;
                if handler.state == HandlerState::Off {
                    self.on_duty += 1;
                    self.wf.on_duty_in_group[g] += 1;
                    arrived.push(h);
                } else {
                    handler.leaving = false; // still finishing before going off: stays on
                }
            } else {
                handler.shift_end = self.now;
                self.send_home(h);
            }
        }
        self.wf.groups[g].level = target;
        self.tally.set_on_duty(self.now, self.on_duty);
        for h in arrived {
            self.handler_available(h);
        }
        if let Some(at) = next {
            self.schedule_capacity(at, Event::OnDutyLevel { group: g as u16 });
        }
    }
}
