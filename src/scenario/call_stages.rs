//! What happens to a caller on the line besides the queue: an IVR menu before it, and a
//! call-back offer in it.

use crate::dist::Dist;
use crate::time::SimTime;

/// A call-back offer ("queue buster", virtual hold): a caller who joins the call handlers'
/// queue behind more than `offer_when_waiting_over` others (or whose expected wait passes a
/// threshold, [`OfferWhen`]) is offered a call-back; one who
/// accepts leaves the line but keeps its place, and no longer hangs up. When its turn comes a
/// handler calls it back: the attempt reaches the caller with probability `success` and the
/// call is then handled as usual; a failed attempt costs the handler `attempt_time`, and the
/// caller is tried again `retry_after` later, at the back of the queue, up to `max_attempts`
/// attempts in all.
#[derive(Clone, Debug)]
pub struct CallbackOffer {
    /// When a joining caller is offered one.
    pub offer_when: OfferWhen,
    /// Share of callers offered a call-back who accept it.
    pub accept: f64,
    /// Probability that one call-back attempt reaches the caller.
    pub success: f64,
    /// Handler time spent on an attempt that does not reach the caller.
    pub attempt_time: Dist,
    /// Time from a failed attempt's end to the caller's next turn in the queue.
    pub retry_after: Dist,
    /// Most attempts in all (the first included).
    pub max_attempts: u8,
}

/// An IVR stage before the queue: every caller spends `time` in the menu; a share hangs up
/// there and a share serves itself (e.g. is sent to report online); the rest are offered to
/// the queue, their wait starting then (the ACD's clock).
#[derive(Clone, Debug)]
pub struct Ivr {
    /// Time in the menu.
    pub time: Dist,
    /// Share of callers who hang up in the menu.
    pub abandon: f64,
    /// Share who leave served by it (self-service leakage).
    pub self_service: f64,
}

/// When a caller joining the handlers' queue is offered a call-back.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum OfferWhen {
    /// More than this many callers already wait for a handler (`offer_when_waiting_over`).
    QueueOver(u32),
    /// Its expected wait passes this (`offer_when_expected_wait_over_s`): the callers ahead of
    /// it and itself, times the channel's mean handle time, over the handlers on duty whose
    /// group serves the channel (the estimate a queue announcement gives; groups that only
    /// flex onto the channel are not counted). With nobody on duty it is offered one.
    ExpectedWaitOver(SimTime),
}
