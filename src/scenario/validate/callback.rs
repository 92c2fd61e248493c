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
        let offer_when_waiting_over = self
            .required_integer(
                &r.offer_when_waiting_over,
                (path, "offer_when_waiting_over"),
                &span,
                "the number of callers waiting beyond which a joining caller is offered a call-back",
                (0, i64::from(u32::MAX)),
            )
            .map(|k| k as u32);
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
            offer_when_waiting_over: offer_when_waiting_over?,
            accept: accept?,
            success: success?,
            attempt_time: attempt_time?,
            retry_after: retry_after?,
            max_attempts: max_attempts?,
        })
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
