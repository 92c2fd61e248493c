//! What a command will cost before it starts: simulated contacts, seconds and memory.
//!
//! A planner's what-if can ask for a million calls an hour over a century. The estimate is
//! made from the validated scenario alone (no simulation), and a command whose estimate
//! passes [`Limits`] is refused with the figures unless the user passes `--force`.
//! Estimates are upper-leaning: every caller is assumed to redial as often as allowed.

use std::fmt;

use crate::calendar::HOURS_PER_WEEK;
use crate::scenario::Scenario;
use crate::time::{DAY_S, SECS_PER_HOUR, per_second};

/// Contacts one core simulates per second on a realistic scenario: half of what the 2024
/// scenario measures (4.1 M/s on the 2-core CI machine), so the time is not underestimated.
pub const CONTACTS_PER_CORE_SECOND: f64 = 2.0e6;

/// Memory one reported interval cell (one channel or the handler pool, in one hour of week,
/// month or week) takes while the replications are gathered and reported: measured as 0.9 KB
/// while gathering and up to 1.7 KB at the peak of rendering (5,000 channels).
const BYTES_PER_RESULT_CELL: f64 = 2048.0;

/// Memory one handler takes in a running replication: measured as 60 bytes (6.4 million
/// handlers in 383 MB).
const BYTES_PER_HANDLER: f64 = 64.0;

/// A handler's cost in contacts' worth of time: setting it up, and each simulated day of its
/// shifts (measured as 0.07 and 0.02 on 6.4 million handlers; doubled and more, to lean up).
const CONTACTS_PER_HANDLER: f64 = 0.2;
const CONTACTS_PER_HANDLER_DAY: f64 = 0.05;

/// Channels over which the cost of one contact doubles: each event looks across the queues
/// (measured: 22× at 1,000 channels, 117× at 5,000).
const CHANNELS_PER_DOUBLING: f64 = 40.0;

/// Memory a caller in the system takes, with its timers, queue slot and slab growth.
const BYTES_PER_CALLER: f64 = 256.0;

/// Memory one replication needs whatever its size (streams, histograms, tallies).
const BYTES_PER_REPLICATION: f64 = 1024.0 * 1024.0;

/// An estimate of the work a command will do.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Work {
    /// Contacts simulated, summed over every replication and scenario (redials and call-backs
    /// included), plus one per simulated hour per shift group or hiring cohort for the
    /// calendar's own events.
    pub contacts: f64,
    /// Replications run in all.
    pub replications: f64,
    /// Bytes of results held until the replications are summarised.
    pub result_bytes: f64,
    /// Bytes one running replication needs at its busiest (callers in the system).
    pub replication_bytes: f64,
    /// The largest contributor, for the message: `channels.NAME` and its peak rate per hour.
    pub busiest: Option<(String, f64)>,
    /// Hours simulated per replication.
    pub horizon_hours: f64,
}

impl Work {
    /// The work of replicating `scenario` once over its replications.
    pub fn of(scenario: &Scenario) -> Work {
        let hours = scenario.horizon.as_hours();
        let years = hours / 8760.0;
        let reps = f64::from(scenario.replications);
        let mut contacts_per_rep = 0.0;
        let mut callers_at_peak = 0.0;
        let mut busiest: Option<(String, f64)> = None;
        for c in &scenario.channels {
            let d = &c.demand;
            // Mean rate over the horizon, with growth compounded to its end as an upper bound.
            let growth = (1.0 + d.growth_per_year.max(0.0)).powf(years);
            let bursts = c.bursts.as_ref().map_or(0.0, |b| {
                b.per_week / HOURS_PER_WEEK as f64 * f64::from(b.calls.1)
            });
            let redials = c.redial.as_ref().map_or(1.0, |r| {
                (0..r.max_attempts.max(1))
                    .map(|k| r.probability.powi(i32::from(k)))
                    .sum()
            });
            // A drop is one contact on its channel and one call-back on another.
            let callbacks = c.drops.as_ref().map_or(0.0, |d| d.fraction);
            let mean_rate = (c.rate_per_hour * growth + bursts) * redials * (1.0 + callbacks);
            contacts_per_rep += mean_rate * hours;
            // A surge day multiplies the peak (the mean already includes surges).
            let peak_weight = max(&d.hour_of_week) * max(&d.month) * d.surge_factor;
            let peak_rate = mean_rate * peak_weight.max(1.0);
            // How long a caller stays at most: handling plus patience (a day if patient).
            let stay_s = c.handle_time.mean_s() + c.patience.as_ref().map_or(DAY_S, |p| p.mean_s());
            callers_at_peak += per_second(peak_rate) * stay_s.min(hours * SECS_PER_HOUR);
            if busiest.as_ref().is_none_or(|(_, r)| peak_rate > *r) {
                busiest = Some((format!("channels.{}", c.name), peak_rate));
            }
        }
        // Attrition that runs the rota below its patient load piles callers up from then on:
        // at most the end's deficit, in handle times, for the rest of the run.
        let load = crate::scenario::offered_load(scenario);
        if let Some(short) = crate::scenario::attrition_shortfall(scenario, &load) {
            let shortest_handle_s = scenario
                .channels
                .iter()
                .map(|c| c.handle_time.mean_s())
                .fold(f64::INFINITY, f64::min);
            let deficit = (short.patient_erlangs - short.staffed_at_end).max(0.0);
            let rest_s = (hours / 24.0 - short.from_day) * DAY_S;
            callers_at_peak += deficit / shortest_handle_s * rest_s;
        }
        // Cells: 168 hours of week, months and weeks of the run, for each channel and the pool.
        let cells = (HOURS_PER_WEEK as f64 + hours / 730.0 + 2.0 + hours / 168.0 + 1.0)
            * (scenario.channels.len() as f64 + 2.0);
        // Shift changes and other calendar events are cheap but scale with the horizon.
        let groups =
            scenario.handlers.groups.len().max(1) as f64 + scenario.handlers.hires.len() as f64;
        // Each contact looks across the queues; each handler is set up and goes on and off duty.
        let per_contact = 1.0 + scenario.channels.len() as f64 / CHANNELS_PER_DOUBLING;
        let handlers = f64::from(scenario.handlers.roster_size());
        let handler_cost =
            handlers * (CONTACTS_PER_HANDLER + CONTACTS_PER_HANDLER_DAY * hours / 24.0);
        Work {
            contacts: reps
                * (contacts_per_rep * per_contact + hours * (groups + 1.0) + handler_cost),
            replications: reps,
            result_bytes: reps * cells * BYTES_PER_RESULT_CELL,
            replication_bytes: BYTES_PER_REPLICATION
                + callers_at_peak * BYTES_PER_CALLER
                + handlers * BYTES_PER_HANDLER,
            busiest,
            horizon_hours: hours,
        }
    }

    /// The work of `times` runs like this one (staffing candidates, sweep points).
    pub fn times(mut self, times: f64) -> Work {
        self.contacts *= times;
        self.replications *= times;
        self.result_bytes *= times;
        self
    }

    /// This work followed by `other` (results of both are held).
    pub fn then(mut self, other: Work) -> Work {
        self.contacts += other.contacts;
        self.replications += other.replications;
        self.result_bytes += other.result_bytes;
        self.replication_bytes = self.replication_bytes.max(other.replication_bytes);
        self.horizon_hours = self.horizon_hours.max(other.horizon_hours);
        if other.busiest.as_ref().map(|b| b.1) > self.busiest.as_ref().map(|b| b.1) {
            self.busiest = other.busiest;
        }
        self
    }

    /// Estimated wall-clock seconds on `cores` cores (replications run in parallel).
    pub fn seconds(&self, cores: usize) -> f64 {
        let parallel = (cores.max(1) as f64).min(self.replications.max(1.0));
        self.contacts / (CONTACTS_PER_CORE_SECOND * parallel)
    }

    /// Estimated peak memory in bytes on `cores` cores.
    pub fn bytes(&self, cores: usize) -> f64 {
        let parallel = (cores.max(1) as f64).min(self.replications.max(1.0));
        self.result_bytes + parallel * self.replication_bytes
    }
}

fn max(xs: &[f64]) -> f64 {
    xs.iter().copied().fold(0.0, f64::max)
}

/// What a command may cost without `--force`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// Most estimated wall-clock seconds.
    pub seconds: f64,
    /// Most estimated bytes of memory.
    pub bytes: f64,
}

impl Default for Limits {
    /// One hour and 8 GiB.
    fn default() -> Self {
        Limits {
            seconds: SECS_PER_HOUR,
            bytes: 8.0 * 1024.0 * 1024.0 * 1024.0,
        }
    }
}

/// A command refused because its estimate passes the limits.
#[derive(Clone, Debug, PartialEq)]
pub struct TooBig {
    /// The estimate.
    pub work: Work,
    /// Cores the estimate assumed.
    pub cores: usize,
    /// The limits it passed.
    pub limits: Limits,
}

impl Limits {
    /// `Ok` when `work` fits on `cores` cores, else the refusal with the estimate.
    pub fn check(&self, work: &Work, cores: usize) -> Result<(), TooBig> {
        let within = work.seconds(cores) <= self.seconds && work.bytes(cores) <= self.bytes;
        if within {
            Ok(())
        } else {
            Err(TooBig {
                work: work.clone(),
                cores,
                limits: *self,
            })
        }
    }
}

impl Work {
    /// "about N contacts (H h horizon, R replications in all; busiest …): about T on C cores
    /// and M of memory".
    pub fn describe(&self, cores: usize) -> String {
        let busiest = self.busiest.as_ref().map_or(String::new(), |(key, rate)| {
            format!("; busiest {key} at up to {}/h", count(*rate))
        });
        format!(
            "about {} contacts ({} h horizon, {} replication{} in all{busiest}): about {} on {cores} core{} and {} of memory",
            count(self.contacts),
            count(self.horizon_hours),
            count(self.replications),
            if self.replications == 1.0 { "" } else { "s" },
            duration(self.seconds(cores)),
            if cores == 1 { "" } else { "s" },
            bytes(self.bytes(cores)),
        )
    }
}

impl fmt::Display for TooBig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "this would simulate {}, over the limits of {} and {}. \
             Expected a smaller horizon_hours, arrival rate, replications or handler count; \
             pass --force to run it anyway",
            self.work.describe(self.cores),
            duration(self.limits.seconds),
            bytes(self.limits.bytes)
        )
    }
}

impl std::error::Error for TooBig {}

/// A count with a thousands-friendly scale: 950, 12.3 thousand, 8.8 million, 1.2e12.
fn count(x: f64) -> String {
    match x {
        x if x < 1e4 => format!("{x:.0}"),
        x if x < 1e6 => format!("{:.1} thousand", x / 1e3),
        x if x < 1e9 => format!("{:.1} million", x / 1e6),
        x if x < 1e12 => format!("{:.1} billion", x / 1e9),
        x => format!("{x:.1e}"),
    }
}

/// Seconds as s, min, h or days.
fn duration(s: f64) -> String {
    match s {
        s if s < 120.0 => format!("{s:.0} s"),
        s if s < 7200.0 => format!("{:.0} min", s / 60.0),
        s if s < 2.0 * DAY_S => format!("{:.1} h", s / SECS_PER_HOUR),
        s => format!("{:.0} days", s / DAY_S),
    }
}

/// Bytes as MiB, GiB or TiB.
fn bytes(b: f64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    match b {
        b if b < 1024.0 * MIB => format!("{:.0} MiB", b / MIB),
        b if b < 1024.0 * 1024.0 * MIB => format!("{:.1} GiB", b / (1024.0 * MIB)),
        b => format!("{:.1} TiB", b / (1024.0 * 1024.0 * MIB)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_read_naturally() {
        assert_eq!(count(950.0), "950");
        assert_eq!(count(8.76e9), "8.8 billion");
        assert_eq!(duration(90.0), "90 s");
        assert_eq!(duration(5400.0), "90 min");
        assert_eq!(duration(21_600.0), "6.0 h");
        assert_eq!(bytes(3.0 * 1024.0 * 1024.0 * 1024.0), "3.0 GiB");
    }
}
