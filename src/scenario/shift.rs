//! A shift group's daily shift on a repeating pattern of days, and meal breaks within shifts.

use crate::time::SimTime;

/// A daily shift on a repeating pattern of days.
#[derive(Clone, Debug, PartialEq)]
pub struct Shift {
    /// Start, as a time of day (since midnight).
    pub start: SimTime,
    /// Length of the shift.
    pub length: SimTime,
    /// Days on (true) and off (false), repeating from the start date.
    pub pattern: Vec<bool>,
    /// The meal break each handler on the shift takes, if any.
    pub meal_break: Option<MealBreak>,
}

/// Where `rota` may place each designed shift's meal break (`[handlers] meal_break_window`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BreakWindow {
    /// The break's length in minutes.
    pub minutes: f64,
    /// Earliest start, hours after the shift's start.
    pub from_hours: f64,
    /// Latest start, hours after the shift's start.
    pub to_hours: f64,
}

/// A meal break within a shift: each handler on duty goes off `after` the shift's start (once
/// the contact in hand is done) for `length`, and comes back unless the shift has ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MealBreak {
    /// From the shift's start to the break.
    pub after: SimTime,
    /// How long it lasts.
    pub length: SimTime,
}
