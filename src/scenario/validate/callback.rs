//! Validating call-back offers ("queue buster", virtual hold) on a channel.

use super::*;

/// Handler time on a call-back attempt that does not reach the caller, when not given.
const DEFAULT_ATTEMPT_S: f64 = 60.0;
/// Time before trying a caller again after a failed attempt, when not given.
const DEFAULT_RETRY_S: f64 = 900.0;
/// Attempts in all, when not given.
const DEFAULT_MAX_ATTEMPTS: u8 = 3;

impl Validator {
    /// `channels.NAME.callback` if given.
    pub(super) fn optional_callback_offer(
        &mut self,
        r: &RawChannel,
        path: &str,
        kind: Option<ChannelKind>,
    ) -> Option<Option<CallbackOffer>> {
        match &r.callback {
            None => Some(None),
            Some(c) => self
                .callback_offer(c, &join(path, "callback"), kind)
                .map(Some),
        }
    }

    /// `channels.NAME.callback`: only callers on the line can be offered a call-back.
    pub(super) fn callback_offer(
        &mut self,
        raw: &Spanned<RawCallback>,
        path: &str,
        kind: Option<ChannelKind>,
    ) -> Option<CallbackOffer> {
        let r = raw.get_ref();
        let span = raw.span();
        if kind.is_some_and(|k| k != ChannelKind::Call) {
            self.error(
                path.to_owned(),
                Some(span.clone()),
                "only callers on the line are offered a call-back; expected callback only on a kind = \"call\" channel",
            );
            return None;
        }
        let offer_when = self.offer_when(r, path, &span);
        let accept = self.required_probability(
            &r.accept,
            path,
            "accept",
            &span,
            "the share of callers offered a call-back who accept it",
        );
        let success = match &r.success {
            None => Some(1.0),
            Some(v) => self.number(
                v,
                join(path, "success"),
                |x| x > 0.0 && x <= 1.0,
                "a probability above 0 and at most 1 that an attempt reaches the caller",
            ),
        };
        let attempt_time = self.dist_or(&r.attempt_time, path, "attempt_time", DEFAULT_ATTEMPT_S);
        let retry_after = self.dist_or(&r.retry_after, path, "retry_after", DEFAULT_RETRY_S);
        let max_attempts = match &r.max_attempts {
            None => Some(DEFAULT_MAX_ATTEMPTS),
            Some(m) => self
                .integer(m, join(path, "max_attempts"), 1, 100)
                .map(|m| m as u8),
        };
        Some(CallbackOffer {
            offer_when: offer_when?,
            accept: accept?,
            success: success?,
            attempt_time: attempt_time?,
            retry_after: retry_after?,
            max_attempts: max_attempts?,
        })
    }

    /// `offer_when_waiting_over` (callers ahead) or `offer_when_expected_wait_over_s`: one of
    /// the two.
    fn offer_when(
        &mut self,
        r: &RawCallback,
        path: &str,
        span: &Range<usize>,
    ) -> Option<OfferWhen> {
        match (&r.offer_when_waiting_over, &r.offer_when_expected_wait_over_s) {
            (Some(_), Some(w)) => {
                self.error(
                    join(path, "offer_when_expected_wait_over_s"),
                    Some(w.span()),
                    "give offer_when_waiting_over (callers ahead) or offer_when_expected_wait_over_s, not both",
                );
                None
            }
            (None, Some(w)) => self
                .number(
                    w,
                    join(path, "offer_when_expected_wait_over_s"),
                    |x| (0.0..=1e9).contains(&x),
                    "a number of seconds from 0",
                )
                .map(|s| OfferWhen::ExpectedWaitOver(SimTime::from_secs(s))),
            _ => self
                .required_integer(
                    &r.offer_when_waiting_over,
                    (path, "offer_when_waiting_over"),
                    span,
                    "the number of callers waiting beyond which a joining caller is offered a call-back (or offer_when_expected_wait_over_s)",
                    (0, i64::from(u32::MAX)),
                )
                .map(|k| OfferWhen::QueueOver(k as u32)),
        }
    }

    /// An optional distribution, a fixed `default_s` seconds when left out.
    fn dist_or(
        &mut self,
        raw: &Option<Spanned<RawDist>>,
        path: &str,
        key: &str,
        default_s: f64,
    ) -> Option<Dist> {
        match raw {
            None => Some(Dist::Deterministic { value_s: default_s }),
            Some(d) => self.dist(d, &join(path, key)),
        }
    }
}
