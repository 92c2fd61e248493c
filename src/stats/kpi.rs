//! The one table of every KPI: its name, unit, which direction is better and what it means.
//!
//! Tables, charts, CSV and JSON format a KPI from its [`Unit`] here, never by guessing from its
//! name. A test checks that every KPI a replication reports has a row.

use Better::{Higher, Lower, Neither};
use Unit::{Count, Hours, Level, Seconds, Share};

/// What a KPI's number measures, which decides how it is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A share between 0 and 1 (service level, occupancy, rates): shown as a percentage.
    Share,
    /// A duration in seconds.
    Seconds,
    /// A duration in hours.
    Hours,
    /// A count of callers or events.
    Count,
    /// A time-average number (handlers on duty, callers waiting).
    Level,
}

/// Which direction of a KPI is better, for a planner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Better {
    /// More is better (service level).
    Higher,
    /// Less is better (waits, abandonment).
    Lower,
    /// Neither: a volume or a description of the system.
    Neither,
}

/// One row of the KPI table.
#[derive(Clone, Copy, Debug)]
pub struct Kpi {
    /// The name used in JSON keys, CSV rows and `--kpi`.
    pub name: &'static str,
    /// What the number measures.
    pub unit: Unit,
    /// Which direction is better.
    pub better: Better,
    /// One sentence of meaning.
    pub meaning: &'static str,
}

const fn kpi(name: &'static str, unit: Unit, better: Better, meaning: &'static str) -> Kpi {
    Kpi {
        name,
        unit,
        better,
        meaning,
    }
}

/// Every KPI triage-sim reports, per channel, for the handler pool and for the triage team.
pub const KPIS: &[Kpi] = &[
    kpi("offered", Count, Neither, "callers who arrived"),
    kpi(
        "answered",
        Count,
        Neither,
        "callers answered by a call handler",
    ),
    kpi(
        "abandoned",
        Count,
        Lower,
        "callers who hung up before a call handler answered",
    ),
    kpi(
        "abandonment_rate",
        Share,
        Lower,
        "abandoned ÷ offered, dropped calls left out",
    ),
    kpi(
        "service_level",
        Share,
        Higher,
        "offered callers first answered by a human within the target time",
    ),
    kpi(
        "mean_wait_s",
        Seconds,
        Lower,
        "mean wait until the first human answer, over callers so answered",
    ),
    kpi(
        "p50_wait_s",
        Seconds,
        Lower,
        "median wait until the first human answer",
    ),
    kpi(
        "p90_wait_s",
        Seconds,
        Lower,
        "90th percentile of the wait until the first human answer",
    ),
    kpi(
        "p95_wait_s",
        Seconds,
        Lower,
        "95th percentile of the wait until the first human answer",
    ),
    kpi(
        "p99_wait_s",
        Seconds,
        Lower,
        "99th percentile of the wait until the first human answer",
    ),
    kpi(
        "p_wait",
        Share,
        Lower,
        "share of offered callers who had to queue",
    ),
    kpi(
        "waited_over_15min_rate",
        Share,
        Lower,
        "share of offered callers who waited over 15 minutes for a first human answer",
    ),
    kpi(
        "asa_s",
        Seconds,
        Lower,
        "mean time in queue over all offered callers, abandoners included",
    ),
    kpi(
        "mean_queue_len",
        Level,
        Lower,
        "time-average number of the channel's callers waiting",
    ),
    kpi(
        "max_queue_len",
        Count,
        Lower,
        "most of the channel's callers waiting at once",
    ),
    kpi(
        "first_answered",
        Count,
        Neither,
        "callers answered by a human at all",
    ),
    kpi(
        "in_system",
        Count,
        Neither,
        "callers still waiting or with an officer when the run ended",
    ),
    kpi("first_attempts", Count, Neither, "callers' first attempts"),
    kpi(
        "redials",
        Count,
        Lower,
        "attempts by callers who had hung up",
    ),
    kpi("unique_callers", Count, Neither, "distinct callers"),
    kpi(
        "dropped",
        Count,
        Neither,
        "calls that ended at once (misdials, pocket calls)",
    ),
    kpi(
        "national_service_level",
        Share,
        Higher,
        "service level on the Home Office clock, BT transfer leg included",
    ),
    kpi(
        "national_mean_wait_s",
        Seconds,
        Lower,
        "mean wait on the Home Office clock",
    ),
    kpi(
        "national_p90_wait_s",
        Seconds,
        Lower,
        "90th percentile of the wait on the Home Office clock",
    ),
    kpi(
        "intercepted",
        Count,
        Neither,
        "callers answered by a triage officer",
    ),
    kpi(
        "intercept_rate",
        Share,
        Neither,
        "intercepted ÷ offered to triage",
    ),
    kpi(
        "resolved_at_triage",
        Count,
        Neither,
        "callers whose need triage resolved",
    ),
    kpi(
        "ivr_calls",
        Count,
        Neither,
        "callers who entered the IVR menu (offered counts those who went on to the queue)",
    ),
    kpi(
        "ivr_abandoned",
        Count,
        Lower,
        "callers who hung up in the IVR menu",
    ),
    kpi(
        "ivr_self_served",
        Count,
        Neither,
        "callers the IVR served (sent online, given information): self-service leakage",
    ),
    kpi(
        "redirected_at_triage",
        Count,
        Neither,
        "callers triage sent elsewhere (to report online, to another department)",
    ),
    kpi(
        "resolved_rate",
        Share,
        Neither,
        "resolved at triage ÷ offered to triage",
    ),
    kpi(
        "forwarded",
        Count,
        Neither,
        "triaged callers sent on to the call handlers' queue",
    ),
    kpi(
        "escalated",
        Count,
        Neither,
        "triaged callers sent on with 999 priority",
    ),
    kpi(
        "abandoned_after_triage",
        Count,
        Lower,
        "callers who hung up waiting for a handler after triage",
    ),
    kpi(
        "mean_handler_wait_s",
        Seconds,
        Lower,
        "mean time from arrival until a call handler answered",
    ),
    kpi(
        "p50_handler_wait_s",
        Seconds,
        Lower,
        "median time until a call handler answered",
    ),
    kpi(
        "p90_handler_wait_s",
        Seconds,
        Lower,
        "90th percentile of the time until a call handler answered",
    ),
    kpi(
        "p95_handler_wait_s",
        Seconds,
        Lower,
        "95th percentile of the time until a call handler answered",
    ),
    kpi(
        "p99_handler_wait_s",
        Seconds,
        Lower,
        "99th percentile of the time until a call handler answered",
    ),
    kpi(
        "callbacks_offered",
        Count,
        Neither,
        "callers offered a call-back on joining a long queue",
    ),
    kpi(
        "callbacks_accepted",
        Count,
        Neither,
        "callers who accepted a call-back and left the line keeping their place",
    ),
    kpi(
        "callbacks_completed",
        Count,
        Higher,
        "call-backs that reached the caller (counted as answered)",
    ),
    kpi(
        "callbacks_failed",
        Count,
        Lower,
        "accepted call-backs that never reached the caller",
    ),
    kpi(
        "mean_callback_time_s",
        Seconds,
        Lower,
        "mean time from arrival until a call-back reached the caller",
    ),
    kpi(
        "pulled_calls",
        Count,
        Neither,
        "callers answered by triage officers pulled onto their channel under load",
    ),
    kpi("mean_staffed", Level, Neither, "mean handlers on duty"),
    kpi("mean_busy", Level, Neither, "mean handlers busy"),
    kpi("occupancy", Share, Neither, "busy time ÷ on-duty time"),
    kpi(
        "overtime_h",
        Hours,
        Lower,
        "hours worked past shift ends to finish the contact in hand",
    ),
    kpi(
        "max_chats_per_handler",
        Count,
        Neither,
        "most chats one handler held at once",
    ),
];

/// The row of the KPI named `name`, if there is one.
pub fn lookup(name: &str) -> Option<&'static Kpi> {
    KPIS.iter().find(|k| k.name == name)
}

/// The unit of the KPI named `name`; a name not in the table is taken as a count.
pub fn unit_of(name: &str) -> Unit {
    lookup(name).map_or(Unit::Count, |k| k.unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        for (i, a) in KPIS.iter().enumerate() {
            assert!(KPIS[i + 1..].iter().all(|b| b.name != a.name), "{}", a.name);
        }
    }
}
