//! Arrival processes: non-homogeneous Poisson demand sampled exactly, and incident bursts.
//!
//! A channel's rate is constant within each hour of the run (profile weight × growth × the
//! day's Gamma multiplier). The next arrival is found by inversion: one unit-exponential draw
//! is spent against the integrated rate hour by hour, so no peak is ever skipped and no draw is
//! wasted (unlike thinning). A flat profile without growth or dispersion takes a fast path.

use rand::RngExt;
use rand_distr::{Distribution, Exp1, Gamma};

use crate::calendar::{Calendar, HOURS_PER_YEAR};
use crate::rng::{SimRng, StreamKind, stream};
use crate::scenario::{Bursts, Channel};
use crate::time::{HOUR_US, HOURS_PER_WEEK, SECS_PER_HOUR, SimTime, per_second};

/// The fresh-arrival process of one channel.
pub struct ArrivalProcess {
    rng: SimRng,
    day_rng: SimRng,
    hour_of_week: Vec<f64>,
    month: Vec<f64>,
    scale_per_s: f64,
    mean_gap_s: f64,
    growth_per_hour: f64,
    day_gamma: Option<Gamma<f64>>,
    /// Whole-day surges: (probability, factor), drawn from their own stream.
    surge: Option<(f64, f64, SimRng)>,
    flat: bool,
    hour: u64,
    rate_per_s: f64,
    day: u64,
    day_multiplier: f64,
}

impl ArrivalProcess {
    /// The process for `channel` in replication `replication`.
    pub fn new(channel: &Channel, seed: u64, replication: u32) -> ArrivalProcess {
        let d = &channel.demand;
        let day_gamma = (d.day_cv > 0.0)
            .then(|| Gamma::new(1.0 / (d.day_cv * d.day_cv), d.day_cv * d.day_cv).ok())
            .flatten();
        let flat = d
            .hour_of_week
            .iter()
            .chain(&d.month)
            .all(|w| (*w - 1.0).abs() < 1e-12)
            && d.growth_per_year == 0.0
            && day_gamma.is_none()
            && d.surge_probability == 0.0;
        ArrivalProcess {
            rng: stream(seed, replication, &channel.name, StreamKind::Arrivals),
            day_rng: stream(seed, replication, &channel.name, StreamKind::DayMultiplier),
            hour_of_week: d.hour_of_week.clone(),
            month: d.month.clone(),
            scale_per_s: per_second(d.scale_per_hour),
            mean_gap_s: SECS_PER_HOUR / d.scale_per_hour,
            growth_per_hour: (1.0 + d.growth_per_year).ln() / HOURS_PER_YEAR,
            day_gamma,
            surge: (d.surge_probability > 0.0).then(|| {
                let rng = stream(seed, replication, &channel.name, StreamKind::SurgeDays);
                (d.surge_probability, d.surge_factor, rng)
            }),
            flat,
            hour: u64::MAX,
            rate_per_s: 0.0,
            day: u64::MAX,
            day_multiplier: 1.0,
        }
    }

    /// Follows `channel`'s demand from now on (a dated change), keeping the random streams and
    /// today's day multiplier.
    pub fn retune(&mut self, channel: &Channel, seed: u64, replication: u32) {
        let fresh = ArrivalProcess::new(channel, seed, replication);
        self.hour_of_week = fresh.hour_of_week;
        self.month = fresh.month;
        self.scale_per_s = fresh.scale_per_s;
        self.mean_gap_s = fresh.mean_gap_s;
        self.growth_per_hour = fresh.growth_per_hour;
        self.day_gamma = fresh.day_gamma;
        self.flat = fresh.flat;
        self.surge = match (self.surge.take(), fresh.surge) {
            (Some((_, _, rng)), Some((p, factor, _))) => Some((p, factor, rng)),
            (_, new) => new,
        };
        self.hour = u64::MAX;
    }

    /// The rate (per second) in force during hour `hour` of the run.
    fn rate_in_hour(&mut self, hour: u64, calendar: &Calendar) -> f64 {
        if hour != self.hour {
            let day = hour / 24;
            while self.day != day {
                // Days are visited in order, so each day's multiplier is drawn exactly once.
                self.day = if self.day == u64::MAX {
                    0
                } else {
                    self.day + 1
                };
                self.day_multiplier = self
                    .day_gamma
                    .as_ref()
                    .map_or(1.0, |g| g.sample(&mut self.day_rng));
                if let Some((p, factor, rng)) = &mut self.surge
                    && rng.random::<f64>() < *p
                {
                    self.day_multiplier *= *factor;
                }
            }
            let d = calendar.day(day as usize);
            let weight = self.hour_of_week[usize::from(d.weekday) * 24 + (hour % 24) as usize]
                * self.month[usize::from(d.month_of_year)];
            let growth = (self.growth_per_hour * hour as f64).exp();
            self.hour = hour;
            self.rate_per_s = self.scale_per_s * weight * growth * self.day_multiplier;
        }
        self.rate_per_s
    }

    /// The first arrival after `now`, or `None` if there is none before `horizon`.
    pub fn next_after(
        &mut self,
        now: SimTime,
        horizon: SimTime,
        calendar: &Calendar,
    ) -> Option<SimTime> {
        if self.scale_per_s <= 0.0 {
            return None;
        }
        let mut budget: f64 = Exp1.sample(&mut self.rng);
        if self.flat {
            let at = now.after(SimTime::from_secs(budget * self.mean_gap_s));
            return (at < horizon).then_some(at);
        }
        let mut t = now;
        while t < horizon {
            let hour = t.0 / HOUR_US;
            let rate = self.rate_in_hour(hour, calendar);
            let hour_end = SimTime((hour + 1) * HOUR_US);
            let mass = rate * hour_end.since(t).as_secs();
            if budget < mass {
                let at = t.after(SimTime::from_secs(budget / rate));
                return (at < horizon).then_some(at);
            }
            budget -= mass;
            t = hour_end;
        }
        None
    }
}

/// One burst in progress: its remaining calls spread uniformly over what is left of its window.
#[derive(Clone, Copy, Debug)]
struct ActiveBurst {
    remaining: u32,
    end: SimTime,
}

/// The incident-burst process of one channel.
pub struct BurstProcess {
    rng: SimRng,
    spec: Bursts,
    active: Vec<ActiveBurst>,
    free: Vec<u32>,
}

impl BurstProcess {
    /// The process for a channel with bursts.
    pub fn new(channel: &Channel, spec: &Bursts, seed: u64, replication: u32) -> BurstProcess {
        BurstProcess {
            rng: stream(seed, replication, &channel.name, StreamKind::Bursts),
            spec: spec.clone(),
            active: Vec::new(),
            free: Vec::new(),
        }
    }

    /// Follows new burst settings from now on (a dated change); bursts under way go on.
    pub fn retune(&mut self, spec: &Bursts) {
        self.spec = spec.clone();
    }

    /// Time from one burst to the next (exponential), or `None` for a zero rate.
    pub fn next_start_after(&mut self, now: SimTime) -> Option<SimTime> {
        if self.spec.per_week <= 0.0 {
            return None;
        }
        let unit: f64 = Exp1.sample(&mut self.rng);
        let gap_s = unit / (self.spec.per_week / (HOURS_PER_WEEK as f64 * SECS_PER_HOUR));
        Some(now.after(SimTime::from_secs(gap_s)))
    }

    /// Starts a burst at `now`; returns its id and the time of its first call.
    pub fn start(&mut self, now: SimTime) -> (u32, SimTime) {
        let (lo, hi) = self.spec.calls;
        let calls = self.rng.random_range(lo..=hi);
        let (wlo, whi) = self.spec.window_s;
        let window = wlo + (whi - wlo) * self.rng.random::<f64>();
        let burst = ActiveBurst {
            remaining: calls,
            end: now.after(SimTime::from_secs(window)),
        };
        let id = match self.free.pop() {
            Some(id) => {
                self.active[id as usize] = burst;
                id
            }
            None => {
                self.active.push(burst);
                // Ids are reused once a burst ends; a u32 holds as many open bursts as memory.
                u32::try_from(self.active.len() - 1).unwrap_or(u32::MAX)
            }
        };
        let first = self.next_call(id, now).unwrap_or(now);
        (id, first)
    }

    /// Consumes one call of burst `id` at `now` and returns the time of its next call, if any.
    ///
    /// With k calls left, uniform over the rest of the window, the next is the minimum of k
    /// uniforms: now + (end − now)(1 − U^{1/k}), exact sequential order statistics.
    pub fn next_call(&mut self, id: u32, now: SimTime) -> Option<SimTime> {
        let b = &mut self.active[id as usize];
        if b.remaining == 0 {
            self.free.push(id);
            return None;
        }
        let k = f64::from(b.remaining);
        b.remaining -= 1;
        let u: f64 = self.rng.random();
        let span = b.end.since(now).as_secs();
        Some(now.after(SimTime::from_secs(span * (1.0 - u.powf(1.0 / k)))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    fn channel(arrivals: &str) -> Channel {
        let text = format!(
            "horizon_hours = 1\n[channels.c]\nkind = \"call\"\npriority = 0\narrivals = {arrivals}\nhandle_time = {{ dist = \"exponential\", mean_s = 1 }}\ntarget = {{ answer_within_s = 1, fraction = 0.5 }}\n[handlers]\ncount = 1\n"
        );
        Scenario::from_toml_str(&text, "t.toml")
            .unwrap()
            .channels
            .remove(0)
    }

    #[test]
    fn day_multipliers_have_mean_one_and_the_given_cv() {
        let c = channel("{ rate_per_hour = 10, day_cv = 0.2 }");
        let mut p = ArrivalProcess::new(&c, 1, 0);
        let cal = Calendar::new(jiff::civil::Date::new(2024, 1, 1).unwrap(), 1);
        let n = 100_000u64;
        let xs: Vec<f64> = (0..n)
            .map(|d| p.rate_in_hour(d * 24, &cal) / p.scale_per_s)
            .collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
        // Standard error of the mean 0.2/√n = 0.0006; of the sd about 0.2/√(2n) · √(1+κ/2) < 0.001.
        assert!((mean - 1.0).abs() < 0.003, "mean {mean}");
        assert!((sd - 0.2).abs() < 0.004, "cv {sd}");
    }

    #[test]
    fn surge_days_come_at_their_rate_and_the_volume_includes_them() {
        // 2400 a day on average; 20 surge days a year at three times an ordinary day.
        let c = channel("{ annual_volume = 876600, surge_days_per_year = 20, surge_factor = 3 }");
        let mut p = ArrivalProcess::new(&c, 5, 0);
        let days = 20_000u64;
        let cal = Calendar::new(jiff::civil::Date::new(2024, 1, 1).unwrap(), 1);
        let per_day: Vec<f64> = (0..days)
            .map(|d| p.rate_in_hour(d * 24, &cal) * 86_400.0)
            .collect();
        let share_p = 20.0 / 365.25;
        // 2024 has 366 days: the first year's volume is spread over them.
        let ordinary = 876_600.0 / 366.0 / (1.0 + share_p * 2.0);
        let surges = per_day.iter().filter(|x| **x > 2.0 * ordinary).count() as f64;
        // Binomial(20000, 0.0548): sd ≈ 32 days.
        assert!(
            (surges - share_p * days as f64).abs() < 4.0 * 32.0,
            "{surges} surge days"
        );
        let mean = per_day.iter().sum::<f64>() / days as f64;
        // The published volume includes the surges: the mean day stays the volume's.
        assert!(
            (mean / (876_600.0 / 366.0) - 1.0).abs() < 0.01,
            "mean day {mean}"
        );
        assert!(
            per_day
                .iter()
                .all(|x| (*x - ordinary).abs() < 1e-6 * ordinary
                    || (*x - 3.0 * ordinary).abs() < 1e-6 * ordinary)
        );
    }

    #[test]
    fn a_one_hour_peak_is_never_skipped() {
        // All demand in one hour of the week: every arrival must land inside it.
        let mut weights = vec![0.0; 168];
        weights[24 * 2 + 9] = 1.0; // Wednesday 09:00
        let list: Vec<String> = weights.iter().map(|w| w.to_string()).collect();
        let c = channel(&format!(
            "{{ annual_volume = 52000, hour_of_week = [{}] }}",
            list.join(", ")
        ));
        let mut p = ArrivalProcess::new(&c, 3, 0);
        let cal = Calendar::new(jiff::civil::Date::new(2024, 1, 1).unwrap(), 60);
        let horizon = SimTime::from_hours(24.0 * 56.0);
        let (mut t, mut n) = (SimTime::ZERO, 0);
        while let Some(at) = p.next_after(t, horizon, &cal) {
            let hour_of_week = (at.0 / HOUR_US) % HOURS_PER_WEEK as u64;
            assert_eq!(hour_of_week, 24 * 2 + 9, "arrival outside the peak at {at}");
            (t, n) = (at, n + 1);
        }
        // 8 weeks of a 52,000-a-year channel, all in one hour: about 8000 arrivals.
        assert!((7600..8400).contains(&n), "{n} arrivals");
    }

    #[test]
    fn more_than_65536_open_bursts_keep_their_own_ids_and_calls() {
        // A u16 id wrapped past 65,536 open bursts and lost their calls (issue: round three).
        let c = channel("{ rate_per_hour = 1 }");
        let spec = Bursts {
            per_week: 1.0,
            calls: (2, 2),
            window_s: (1e6, 1e6),
        };
        let mut p = BurstProcess::new(&c, &spec, 1, 0);
        let n = 70_000u32;
        let ids: Vec<u32> = (0..n).map(|_| p.start(SimTime::ZERO).0).collect();
        assert!(ids.iter().enumerate().all(|(i, &id)| id == i as u32));
        // Each burst has one call left after its first: every one still gives a next call.
        let now = SimTime::from_secs(1.0);
        assert!(ids.iter().all(|&id| p.next_call(id, now).is_some()));
        assert!(ids.iter().all(|&id| p.next_call(id, now).is_none()));
    }
}
