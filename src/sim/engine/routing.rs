//! Routing tables: which queues each group serves, in which order, and which groups flex rules
//! may pull onto a channel. Built at the start, and again when a dated change takes effect.

use super::*;

/// Per queue: its priority (escalated callers wait with the best priority of any channel);
/// per channel: the groups serving it; per group: the queues it serves, best priority first.
#[allow(clippy::type_complexity)]
pub(super) fn queue_routing(
    s: &Scenario,
    groups: &[Group],
    triaged: &[bool],
) -> (Vec<i64>, Vec<Vec<usize>>, Vec<Vec<QueueId>>) {
    let n = s.channels.len();
    let best_priority = s.channels.iter().map(|c| c.priority).min().unwrap_or(0);
    let queue_priority: Vec<i64> = s
        .channels
        .iter()
        .flat_map(|c| [c.priority, best_priority])
        .collect();
    let groups_for_channel: Vec<Vec<usize>> = (0..n)
        .map(|c| {
            (0..groups.len())
                .filter(|&g| groups[g].channels.contains(&c))
                .collect()
        })
        .collect();
    // Escalation queues exist only for channels triaged at some time of the run (`triaged`);
    // nobody scans the others.
    let group_queues = groups
        .iter()
        .map(|g| {
            let mut qs: Vec<QueueId> = g
                .channels
                .iter()
                .flat_map(|&c| {
                    if triaged[c] {
                        QueueId::both(c).to_vec()
                    } else {
                        vec![QueueId::first_contact(c)]
                    }
                })
                .collect();
            qs.sort_by_key(|&q| (queue_priority[q.index()], q));
            qs
        })
        .collect();
    (queue_priority, groups_for_channel, group_queues)
}

/// The groups that may be pulled onto one channel, each with its flex rule.
pub(super) type Pullers = Vec<(usize, Overflow)>;

/// Per group: its flex rule (the channel it is pulled onto, and when); per channel: the groups
/// that may be pulled onto it, with their rules.
pub(super) fn overflow_routing(
    groups: &[Group],
    n: usize,
) -> (Vec<Option<Overflow>>, Vec<Pullers>) {
    let group_overflow: Vec<Option<Overflow>> = groups.iter().map(|g| g.overflow).collect();
    let mut overflow_for_channel = vec![Vec::new(); n];
    for (g, o) in group_overflow.iter().enumerate() {
        if let Some(o) = o {
            overflow_for_channel[o.channel].push((g, *o));
        }
    }
    (group_overflow, overflow_for_channel)
}
