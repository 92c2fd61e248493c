//! Designing a rota: which shifts (start, length, pattern of days) and how many heads on each,
//! so that the handlers on the phones cover an hourly requirement in every hour of the week at
//! the fewest full-time equivalents.
//!
//! A covering integer program. Its linear relaxation is solved with `good_lp` on the pure-Rust
//! `microlp` backend; the integer rota is the cheaper of two roundings of it (every unit up,
//! which still covers every hour as every coefficient is positive; or down, then the gaps
//! filled greedily), less any unit that can go with every hour still covered. Branch and bound on the ~400 candidate shifts of a real week ran for over
//! ten minutes, so the answer is this rounding with its distance from the LP bound. One variable
//! per candidate shift: a start hour, a length, and either a 7-day pattern in one of its seven
//! rotations (heads who work given weekdays, e.g. Monday to Friday) or a longer pattern worked
//! by a crew of teams staggered so that the same number is on every day (4-on-4-off: two teams,
//! one on each day). A head covers the hours of its shift on its days, spilling past midnight
//! into the next day; `1 − shrinkage` of those rostered are on the phones. The linear
//! relaxation gives a lower bound, so the answer says how close to optimal it is.
//!
//! With a meal-break window (`[handlers] meal_break_window`), every shift long enough has one
//! candidate per whole-hour break start in the window: the break takes its minutes off the
//! coverage of the hours it falls in, so the program also chooses where the breaks go (staggered
//! where the need is high). A shift too short for the window has no break.

use super::rota_solve::{Candidate, few_shifts, round_best, solve_relaxed, solve_relaxed_by};

use crate::calendar::HOURS_PER_WEEK;

/// What the rota may use.
#[derive(Clone, Debug, PartialEq)]
pub struct RotaOptions {
    /// Shift lengths in hours, e.g. `[8, 10, 12]`.
    pub lengths: Vec<u32>,
    /// Day patterns as the scenario writes them, e.g. `["5on2off", "4on4off"]`.
    pub patterns: Vec<String>,
    /// First and last allowed start hour of the day (inclusive), e.g. `(6, 22)`.
    pub starts: (u32, u32),
    /// Share of rostered heads on the phones (1 − shrinkage).
    pub on_duty_share: f64,
    /// Hours of one FTE's week.
    pub fte_hours_per_week: f64,
    /// Weekday of the run's first day (Monday 0): 7-day patterns are written from it.
    pub start_weekday: usize,
    /// Where each shift's meal break may go, if breaks are to be placed.
    pub meal_break: Option<crate::scenario::BreakWindow>,
    /// Unsocial hours paid at a premium, if any: the rota then minimises cost, not FTE.
    pub unsocial: Option<Unsocial>,
    /// At most this many distinct shifts (lines of the rota), if given.
    pub max_shifts: Option<usize>,
}

/// Hours of the day paid at a premium (nights, say 20:00 to 06:00).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Unsocial {
    /// First hour of the day paid at the premium.
    pub from_hour: u32,
    /// Hour at which it stops (before `from_hour`: the window crosses midnight).
    pub until_hour: u32,
    /// Extra pay per unsocial hour, as a share of the plain rate (0.2: 20% more).
    pub premium: f64,
}

impl Unsocial {
    /// Whether hour of the day `h` is paid at the premium.
    fn covers(self, h: u32) -> bool {
        if self.from_hour <= self.until_hour {
            (self.from_hour..self.until_hour).contains(&h)
        } else {
            h >= self.from_hour || h < self.until_hour
        }
    }

    /// A shift's pay relative to plain time: 1 + the premium × its share of unsocial hours.
    fn factor(self, start: u32, hours: u32) -> f64 {
        let unsocial = (start..start + hours)
            .filter(|h| self.covers(h % 24))
            .count();
        1.0 + self.premium * unsocial as f64 / f64::from(hours.max(1))
    }
}

/// A designed shift's meal break.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct RotaBreak {
    /// Whole hours from the shift's start to the break.
    pub after_hours: u32,
    /// Its length in minutes.
    pub minutes: f64,
}

/// One shift of the designed rota, as a scenario group.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct RotaShift {
    /// Start hour of the day.
    pub start_hour: u32,
    /// Length in hours.
    pub hours: u32,
    /// The pattern as given (`5on2off`).
    pub pattern: String,
    /// The days it works, in words: `Mon–Fri`, or `every day (2 teams)` for a crew.
    pub days: String,
    /// The pattern string for the scenario file, written from the run's first day.
    pub scenario_pattern: String,
    /// Teams in the group (1 for a 7-day rotation; the crew's teams otherwise).
    pub teams: u32,
    /// Heads per team.
    pub headcount: u32,
    /// The meal break placed in the shift, if any.
    pub meal_break: Option<RotaBreak>,
    /// Full-time equivalents of the shift's heads.
    pub fte: f64,
    /// Their pay in plain FTE's pay (FTE with the unsocial-hours premium).
    pub cost: f64,
}

/// The designed rota.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct RotaDesign {
    /// The shifts with at least one head.
    pub shifts: Vec<RotaShift>,
    /// Heads in all.
    pub heads: u32,
    /// Full-time equivalents in all.
    pub fte: f64,
    /// The linear relaxation's FTE: no rota of these shifts needs fewer.
    pub lp_bound_fte: f64,
    /// Pay in plain FTE's pay (equal to `fte` without an unsocial-hours premium): what the
    /// rota minimises.
    pub cost: f64,
    /// No rota of these shifts costs less (the relaxation minimising cost).
    pub lp_bound_cost: f64,
    /// Handlers needed on the phones per hour of the week (Monday 00:00 first).
    pub required: Vec<u32>,
    /// Handlers on the phones the rota gives per hour of the week.
    pub covered: Vec<f64>,
    /// Rostered on-the-phone hours a week beyond the requirement.
    pub over_coverage_hours: f64,
    /// The most distinct shifts the rota was allowed (`--max-shifts`), if limited; the LP
    /// bounds are those of any number of shifts.
    pub max_shifts: Option<usize>,
}

/// Why no rota could be designed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum RotaError {
    /// A pattern string that is not runs of days on and off.
    #[error("pattern {0:?}: expected runs of days on and off, e.g. 5on2off or 4on4off")]
    BadPattern(String),
    /// A pattern longer than a week that would not cover every day evenly.
    #[error(
        "pattern {0:?}: its teams cannot be staggered to cover every day evenly; expected a 7-day pattern or one like 4on4off"
    )]
    Uneven(String),
    /// No shift could be built from the options.
    #[error("no shift to choose from; expected at least one length, pattern and start hour")]
    NoShifts,
    /// No rota of as few distinct shifts as asked was found.
    #[error(
        "--max-shifts {most}: no rota of so few of these shifts found (the search reached {fewest}, each then the only one covering some hour); expected a larger number, or longer shifts or more patterns to choose from"
    )]
    TooFewShifts {
        /// The most distinct shifts asked for.
        most: usize,
        /// The fewest shifts the search reached.
        fewest: usize,
    },
    /// The solver failed.
    #[error("the solver found no rota: {0}")]
    Solver(String),
}

/// Parses `5on2off` or `2off5on` into days on (true) and off, as the scenario does.
pub fn parse_pattern(text: &str) -> Result<Vec<bool>, RotaError> {
    crate::scenario::parse_day_pattern(text).ok_or_else(|| RotaError::BadPattern(text.to_owned()))
}

/// Days on and off as runs: `[on×5, off×2]` → `5on2off`.
fn runs(days: &[bool]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < days.len() {
        let n = days[i..].iter().take_while(|d| **d == days[i]).count();
        out += &format!("{n}{}", if days[i] { "on" } else { "off" });
        i += n;
    }
    out
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Every candidate shift the options allow.
fn candidates(opts: &RotaOptions) -> Result<Vec<Candidate>, RotaError> {
    let mut out = Vec::new();
    for text in &opts.patterns {
        let days = parse_pattern(text)?;
        let (len, on) = (days.len(), days.iter().filter(|d| **d).count());
        // (weekdays worked per unit-head, teams, heads per unit, scenario pattern, words)
        let forms: Vec<(Vec<f64>, u32, String, String)> = if len == 7 {
            (0..7)
                .map(|r| {
                    let works: Vec<f64> = (0..7)
                        .map(|w| f64::from(u8::from(days[(w + 7 - r) % 7])))
                        .collect();
                    let from_start: Vec<bool> = (0..7)
                        .map(|i| works[(opts.start_weekday + i) % 7] > 0.0)
                        .collect();
                    let words: Vec<&str> = (0..7)
                        .filter(|w| works[*w] > 0.0)
                        .map(|w| WEEKDAYS[w])
                        .collect();
                    (works, 1, runs(&from_start), words.join(" "))
                })
                .collect()
        } else {
            let g = gcd(len, on);
            let teams = len / g;
            let even =
                (0..g).all(|res| (res..len).step_by(g).filter(|&d| days[d]).count() == on / g);
            if !even {
                return Err(RotaError::Uneven(text.clone()));
            }
            let per_day = (on / g) as f64;
            vec![(
                vec![per_day; 7],
                teams as u32,
                runs(&days),
                format!("every day ({teams} teams)"),
            )]
        };
        for (works, teams, scenario_pattern, words) in forms {
            for start in opts.starts.0..=opts.starts.1.min(23) {
                for &hours in &opts.lengths {
                    let heads = f64::from(teams);
                    let week_hours = heads * on as f64 / len as f64 * 7.0 * f64::from(hours);
                    let fte = week_hours / opts.fte_hours_per_week;
                    let pay = opts.unsocial.map_or(1.0, |u| u.factor(start, hours));
                    for meal_break in break_starts(opts.meal_break, hours) {
                        out.push(Candidate {
                            shift: RotaShift {
                                start_hour: start,
                                hours,
                                pattern: text.clone(),
                                days: words.clone(),
                                scenario_pattern: scenario_pattern.clone(),
                                teams,
                                headcount: 0,
                                meal_break,
                                fte: 0.0,
                                cost: 0.0,
                            },
                            cover: shift_cover(&works, start, hours, meal_break),
                            fte,
                            cost: fte * pay,
                        });
                    }
                }
            }
        }
    }
    if out.is_empty() {
        return Err(RotaError::NoShifts);
    }
    Ok(out)
}

/// The breaks a shift of `hours` may have: one per whole-hour start in the window that ends
/// within the shift; no break without a window or when none fits.
fn break_starts(
    window: Option<crate::scenario::BreakWindow>,
    hours: u32,
) -> Vec<Option<RotaBreak>> {
    let Some(w) = window else {
        return vec![None];
    };
    let fits: Vec<Option<RotaBreak>> = (w.from_hours.ceil() as u32..=w.to_hours.floor() as u32)
        .filter(|&k| f64::from(k) + w.minutes / 60.0 <= f64::from(hours))
        .map(|after_hours| {
            Some(RotaBreak {
                after_hours,
                minutes: w.minutes,
            })
        })
        .collect();
    if fits.is_empty() { vec![None] } else { fits }
}

/// On-duty heads per hour of the week from one unit of a shift working `works` heads on each
/// weekday from `start` for `hours`, less its break's minutes in the hours the break covers.
fn shift_cover(works: &[f64], start: u32, hours: u32, meal_break: Option<RotaBreak>) -> Vec<f64> {
    let mut cover = vec![0.0; HOURS_PER_WEEK];
    for (w, n) in works.iter().enumerate().filter(|(_, n)| **n > 0.0) {
        let first = w * 24 + start as usize;
        for j in 0..hours as usize {
            cover[(first + j) % HOURS_PER_WEEK] += n;
        }
        if let Some(b) = meal_break {
            let mut left = b.minutes / 60.0;
            let mut j = b.after_hours as usize;
            while left > 1e-12 {
                let off = left.min(1.0);
                cover[(first + j) % HOURS_PER_WEEK] -= n * off;
                left -= off;
                j += 1;
            }
        }
    }
    cover
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// The rota with the fewest FTE (or, with an unsocial-hours premium, the lowest cost) covering `required` (handlers on the phones per hour of the
/// week, Monday 00:00 first) with the shifts `opts` allows.
pub fn design(required: &[u32], opts: &RotaOptions) -> Result<RotaDesign, RotaError> {
    let cands = candidates(opts)?;
    let share = opts.on_duty_share;
    let need: Vec<f64> = required.iter().map(|&r| f64::from(r)).collect();
    let relaxed = solve_relaxed(&cands, &need, share)?;
    let lp_bound_cost = cands.iter().zip(&relaxed).map(|(c, u)| c.cost * u).sum();
    let units = match opts.max_shifts {
        Some(most) => {
            // The last relaxation's units, on the shifts it uses, round to whole heads there.
            let (kept, units): (Vec<usize>, Vec<f64>) =
                few_shifts(&cands, &need, share, relaxed.clone(), most)?
                    .into_iter()
                    .unzip();
            let few: Vec<Candidate> = kept.iter().map(|&i| cands[i].clone()).collect();
            let whole = round_best(&few, required, share, &units)?;
            let mut units = vec![0; cands.len()];
            for (&i, n) in kept.iter().zip(whole) {
                units[i] = n;
            }
            units
        }
        None => round_best(&cands, required, share, &relaxed)?,
    };
    // With a premium the cheapest rota need not have the fewest FTE: bound those apart.
    let lp_bound_fte = if opts.unsocial.is_some() {
        let by_fte = solve_relaxed_by(&cands, &need, share, &|c| c.fte)?;
        cands.iter().zip(&by_fte).map(|(c, u)| c.fte * u).sum()
    } else {
        lp_bound_cost
    };
    let mut covered = vec![0.0; HOURS_PER_WEEK];
    let (mut shifts, mut heads, mut fte, mut cost) = (Vec::new(), 0, 0.0, 0.0);
    for (c, &n) in cands.iter().zip(&units) {
        if n == 0 {
            continue;
        }
        for (h, cov) in covered.iter_mut().enumerate() {
            *cov += share * c.cover[h] * f64::from(n);
        }
        heads += n * c.shift.teams;
        fte += c.fte * f64::from(n);
        cost += c.cost * f64::from(n);
        shifts.push(RotaShift {
            headcount: n,
            fte: c.fte * f64::from(n),
            cost: c.cost * f64::from(n),
            ..c.shift.clone()
        });
    }
    let over_coverage_hours = covered
        .iter()
        .zip(required)
        .map(|(c, r)| (c - f64::from(*r)).max(0.0))
        .sum();
    Ok(RotaDesign {
        shifts,
        heads,
        fte,
        lp_bound_fte,
        cost,
        lp_bound_cost,
        required: required.to_vec(),
        covered,
        over_coverage_hours,
        max_shifts: opts.max_shifts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(lengths: &[u32], patterns: &[&str], starts: (u32, u32)) -> RotaOptions {
        RotaOptions {
            lengths: lengths.to_vec(),
            patterns: patterns.iter().map(|p| p.to_string()).collect(),
            starts,
            on_duty_share: 1.0,
            fte_hours_per_week: 37.0,
            start_weekday: 0,
            meal_break: None,
            unsocial: None,
            max_shifts: None,
        }
    }

    #[test]
    fn a_flat_round_the_clock_need_is_two_twelve_hour_crews() {
        // 3 on the phones every hour; 12-hour 4-on-4-off crews starting 07:00 or 19:00 only:
        // 3 per team on each of the two shifts, 2 teams each: 12 heads, 12 × 42 / 37 FTE.
        let d = design(&[3; 168], &opts(&[12], &["4on4off"], (7, 7))).unwrap_err();
        assert!(
            matches!(d, RotaError::Solver(_)),
            "07:00 alone cannot cover the night"
        );
        let mut o = opts(&[12], &["4on4off"], (7, 19));
        o.starts = (7, 19);
        let d = design(&[3; 168], &o).unwrap();
        assert!(
            d.covered
                .iter()
                .zip(&d.required)
                .all(|(c, r)| *c >= f64::from(*r) - 1e-9)
        );
        assert_eq!(d.heads, 12);
        assert!((d.fte - 12.0 * 42.0 / 37.0).abs() < 1e-9, "{}", d.fte);
        assert!((d.lp_bound_fte - d.fte).abs() < 1e-6);
        assert_eq!(d.over_coverage_hours, 0.0);
    }

    #[test]
    fn weekday_patterns_follow_a_weekday_peak_within_a_small_gap_of_the_bound() {
        // 09:00-17:00 needs 10 on weekdays and 4 at weekends, 2 at all other hours.
        let required: Vec<u32> = (0..168)
            .map(|h| {
                let (day, hour) = (h / 24, h % 24);
                match (day < 5, (9..17).contains(&hour)) {
                    (true, true) => 10,
                    (false, true) => 4,
                    _ => 2,
                }
            })
            .collect();
        let o = opts(&[8, 12], &["5on2off", "4on4off"], (0, 23));
        let d = design(&required, &o).unwrap();
        assert!(
            d.covered
                .iter()
                .zip(&required)
                .all(|(c, r)| *c >= f64::from(*r) - 1e-9)
        );
        assert!(d.fte >= d.lp_bound_fte - 1e-6);
        assert!(
            d.fte <= d.lp_bound_fte * 1.15 + 1.0,
            "{} vs {}",
            d.fte,
            d.lp_bound_fte
        );
        // Some weekday-only shift carries the weekday peak.
        assert!(
            d.shifts.iter().any(|s| s.days == "Mon Tue Wed Thu Fri"),
            "{:?}",
            d.shifts
        );
    }

    #[test]
    fn a_cap_on_distinct_shifts_is_kept_and_still_covers_every_hour() {
        // A day peak on weekdays: unlimited, the rota uses many shift lines.
        let required: Vec<u32> = (0..168)
            .map(|h| {
                let (day, hour) = (h / 24, h % 24);
                match (day < 5, hour) {
                    (true, 9..=16) => 12,
                    (_, 7..=20) => 6,
                    _ => 3,
                }
            })
            .collect();
        let free = design(
            &required,
            &opts(&[8, 10, 12], &["5on2off", "4on4off"], (0, 23)),
        )
        .unwrap();
        assert!(
            free.shifts.len() > 6,
            "{} lines unlimited",
            free.shifts.len()
        );
        for most in [6, 4, 3] {
            let mut o = opts(&[8, 10, 12], &["5on2off", "4on4off"], (0, 23));
            o.max_shifts = Some(most);
            let d = design(&required, &o).unwrap();
            assert!(d.shifts.len() <= most, "{most}: {:?}", d.shifts);
            assert!(
                d.covered
                    .iter()
                    .zip(&required)
                    .all(|(c, r)| *c >= f64::from(*r) - 1e-9),
                "{most}: an hour uncovered"
            );
            // The bound is still that of any number of shifts.
            assert!((d.lp_bound_fte - free.lp_bound_fte).abs() < 1e-6);
            assert!(d.fte >= d.lp_bound_fte - 1e-6);
            assert_eq!(d.max_shifts, Some(most));
        }
        // One 8-hour crew cannot cover a round-the-clock need: a clear refusal, not a panic.
        let mut o = opts(&[8], &["4on4off"], (0, 23));
        o.max_shifts = Some(1);
        assert!(matches!(
            design(&[2; 168], &o),
            Err(RotaError::TooFewShifts { most: 1, .. })
        ));
    }

    #[test]
    fn an_unsocial_hours_premium_moves_the_shift_out_of_the_night() {
        // One needed 18:00-22:00 every day; 8-hour crews may start 14:00 to 18:00. All cost the
        // same FTE; with 50% more for 20:00-06:00, 14:00 (2 such hours) is cheapest, 18:00
        // (6) dearest.
        let need: Vec<u32> = (0..168)
            .map(|h| u32::from((18..22).contains(&(h % 24))))
            .collect();
        let mut o = opts(&[8], &["4on4off"], (14, 18));
        o.unsocial = Some(Unsocial {
            from_hour: 20,
            until_hour: 6,
            premium: 0.5,
        });
        let d = design(&need, &o).unwrap();
        assert_eq!(d.shifts.len(), 1, "{:?}", d.shifts);
        assert_eq!(d.shifts[0].start_hour, 14);
        assert!((d.cost - d.fte * (1.0 + 0.5 * 2.0 / 8.0)).abs() < 1e-9);
        assert!((d.lp_bound_cost - d.cost).abs() < 1e-6);
        assert!((d.lp_bound_fte - d.fte).abs() < 1e-6);
        // Without it, the cost is the FTE.
        o.unsocial = None;
        let plain = design(&need, &o).unwrap();
        assert_eq!(
            (plain.cost, plain.lp_bound_cost),
            (plain.fte, plain.lp_bound_fte)
        );
        // The window may cross midnight or not.
        let u = Unsocial {
            from_hour: 20,
            until_hour: 6,
            premium: 1.0,
        };
        assert!(u.covers(23) && u.covers(0) && u.covers(5) && !u.covers(6) && !u.covers(19));
        assert_eq!(u.factor(18, 8), 1.0 + 6.0 / 8.0);
    }

    #[test]
    fn patterns_parse_and_are_written_from_the_first_day() {
        assert_eq!(parse_pattern("2off5on").unwrap().len(), 7);
        assert!(parse_pattern("5on2of").is_err() && parse_pattern("0on").is_err());
        assert_eq!(runs(&parse_pattern("1off5on1off").unwrap()), "1off5on1off");
        // Mon-Fri written for a run starting on a Wednesday: Wed Thu Fri on, Sat Sun off, Mon Tue on.
        let mut o = opts(&[8], &["5on2off"], (9, 9));
        o.start_weekday = 2;
        let c = candidates(&o).unwrap();
        let monfri = c
            .iter()
            .find(|c| c.shift.days == "Mon Tue Wed Thu Fri")
            .unwrap();
        assert_eq!(monfri.shift.scenario_pattern, "3on2off2on");
        assert!(matches!(
            candidates(&opts(&[8], &["2on2off3on3off"], (9, 9))),
            Err(RotaError::Uneven(_))
        ));
    }
}
