//! Which handler queue a waiting caller is in.

/// A handler queue: each channel has one for first contacts and one for callers escalated by
/// triage (who wait with the best priority of any channel). Queue `2·channel + escalated`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct QueueId(u16);

impl QueueId {
    /// The queue of `channel`'s callers on first contact, or after triage forwards them.
    #[inline]
    pub(super) fn first_contact(channel: usize) -> QueueId {
        QueueId((2 * channel) as u16)
    }

    /// The queue of `channel`'s callers escalated by triage.
    #[inline]
    pub(super) fn escalated(channel: usize) -> QueueId {
        QueueId((2 * channel + 1) as u16)
    }

    /// Both of `channel`'s queues, first contact first.
    #[inline]
    pub(super) fn both(channel: usize) -> [QueueId; 2] {
        [QueueId::first_contact(channel), QueueId::escalated(channel)]
    }

    /// How many queues `n_channels` channels have.
    pub(super) fn count(n_channels: usize) -> usize {
        2 * n_channels
    }

    /// The position of this queue in per-queue vectors.
    #[inline]
    pub(super) fn index(self) -> usize {
        usize::from(self.0)
    }

    /// The channel whose callers wait in this queue.
    #[inline]
    pub(super) fn channel(self) -> usize {
        usize::from(self.0 / 2)
    }
}
