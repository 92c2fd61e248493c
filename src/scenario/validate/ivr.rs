//! Validating a channel's IVR stage: its time in the menu and the shares who hang up or serve
//! themselves there.

use super::*;
use crate::scenario::Ivr;
use crate::scenario::raw::RawIvr;

impl Validator {
    /// The optional stages of a caller on the line: the call-back offer and the IVR.
    #[allow(clippy::type_complexity)]
    pub(super) fn call_stages(
        &mut self,
        r: &RawChannel,
        path: &str,
        kind: Option<ChannelKind>,
    ) -> (Option<Option<CallbackOffer>>, Option<Option<Ivr>>) {
        let callback = self.optional_callback_offer(r, path, kind);
        let ivr = match &r.ivr {
            None => Some(None),
            Some(raw) => self.ivr(raw, &join(path, "ivr"), kind).map(Some),
        };
        (callback, ivr)
    }

    fn ivr(&mut self, raw: &Spanned<RawIvr>, path: &str, kind: Option<ChannelKind>) -> Option<Ivr> {
        let (r, span) = (raw.get_ref(), raw.span());
        if kind.is_some_and(|k| k != ChannelKind::Call) {
            self.error(
                path.to_owned(),
                Some(span),
                "an IVR answers calls; expected ivr only on a kind = \"call\" channel",
            );
            return None;
        }
        let time = self
            .required(
                &r.time,
                path,
                "time",
                &span,
                "a distribution of time in the menu",
            )
            .and_then(|d| self.dist(d, &join(path, "time")));
        let share = |me: &mut Self, v: &Option<Spanned<f64>>, key: &str| match v {
            None => Some(0.0),
            Some(v) => me.probability(v, join(path, key)),
        };
        let abandon = share(self, &r.abandon, "abandon");
        let self_service = share(self, &r.self_service, "self_service");
        if let (Some(a), Some(s)) = (abandon, self_service)
            && a + s > 1.0 + 1e-12
        {
            self.error(
                join(path, "self_service"),
                r.self_service.as_ref().map(|v| v.span()),
                format!("abandon + self_service = {}; expected at most 1", a + s),
            );
            return None;
        }
        Some(Ivr {
            time: time?,
            abandon: abandon?,
            self_service: self_service?,
        })
    }
}
