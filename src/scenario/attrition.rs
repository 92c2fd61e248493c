//! Leaving the force: a yearly attrition rate, higher in a recruit's first months if the
//! scenario says so (`[[handlers.attrition_by_tenure]]`).
//!
//! Time to leaving has a piecewise-constant hazard in tenure: each band's rate until its
//! `under_months`, then `attrition_per_year`. One unit-exponential draw per handler fixes when
//! it leaves (the draw is the cumulative hazard it survives), so a scenario without bands draws
//! exactly as before and common random numbers hold across band settings. Handlers on the rota
//! when the run starts have an unknown tenure and are taken as past every band; a cohort joined
//! before the run counts its tenure from its own start date.

use super::Handlers;
use crate::time::DAYS_PER_YEAR;

/// A recruit's leaving rate until a tenure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TenureBand {
    /// Tenure (days in post, training included) at which the band ends.
    pub until_days: f64,
    /// Yearly leaving rate within the band.
    pub per_year: f64,
}

impl Handlers {
    /// Whether anyone can leave: some rate is above zero.
    pub fn has_attrition(&self) -> bool {
        self.attrition_per_year > 0.0 || self.attrition_by_tenure.iter().any(|b| b.per_year > 0.0)
    }

    /// Cumulative leaving hazard over `days` from a tenure of `tenure` days (`None`: past
    /// every band, as the rota's own handlers are).
    fn hazard(&self, tenure: Option<f64>, days: f64) -> f64 {
        let days = days.max(0.0);
        let Some(mut at) = tenure else {
            return self.attrition_per_year * days / DAYS_PER_YEAR;
        };
        let end = at + days;
        let mut total = 0.0;
        for band in &self.attrition_by_tenure {
            if at >= end {
                break;
            }
            if at < band.until_days {
                let to = band.until_days.min(end);
                total += band.per_year * (to - at) / DAYS_PER_YEAR;
                at = to;
            }
        }
        total + self.attrition_per_year * (end - at).max(0.0) / DAYS_PER_YEAR
    }

    /// Expected share still in post `days` later of handlers with `tenure` days in post now
    /// (`None`: the rota's own, past every band).
    pub fn kept(&self, tenure: Option<f64>, days: f64) -> f64 {
        (-self.hazard(tenure, days)).exp()
    }

    /// Days until a handler with `tenure` days in post leaves, for a unit-exponential draw
    /// `draw` (the cumulative hazard it survives); `None` if it never leaves.
    pub fn days_to_leaving(&self, tenure: Option<f64>, draw: f64) -> Option<f64> {
        let mut at = tenure.unwrap_or(f64::INFINITY);
        let mut left = draw;
        let mut days = 0.0;
        for band in &self.attrition_by_tenure {
            if at >= band.until_days {
                continue;
            }
            let span = band.until_days - at;
            let hazard = band.per_year * span / DAYS_PER_YEAR;
            if hazard >= left {
                return Some(days + left * DAYS_PER_YEAR / band.per_year);
            }
            left -= hazard;
            days += span;
            at = band.until_days;
        }
        (self.attrition_per_year > 0.0)
            .then(|| days + left * DAYS_PER_YEAR / self.attrition_per_year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handlers(rate: f64, bands: &[(f64, f64)]) -> Handlers {
        let mut h = crate::scenario::Scenario::default_scenario().handlers;
        h.attrition_per_year = rate;
        h.attrition_by_tenure = bands
            .iter()
            .map(|&(until_days, per_year)| TenureBand {
                until_days,
                per_year,
            })
            .collect();
        h
    }

    #[test]
    fn without_bands_the_rate_is_constant() {
        let h = handlers(0.2, &[]);
        let k = h.kept(Some(0.0), 365.25);
        assert!((k - (-0.2f64).exp()).abs() < 1e-12);
        assert_eq!(h.kept(None, 100.0), h.kept(Some(3.0), 100.0));
        assert!((h.days_to_leaving(Some(0.0), 0.2).unwrap() - 365.25).abs() < 1e-9);
        assert_eq!(handlers(0.0, &[]).days_to_leaving(Some(0.0), 0.5), None);
    }

    #[test]
    fn a_first_year_band_applies_to_recruits_only() {
        let h = handlers(0.1, &[(365.25, 0.3)]);
        // Two years from joining: 0.3 for one, then 0.1.
        assert!((h.kept(Some(0.0), 730.5) - (-0.4f64).exp()).abs() < 1e-12);
        // Half a year in: half a year of 0.3 left.
        assert!((h.kept(Some(182.625), 365.25) - (-0.2f64).exp()).abs() < 1e-12);
        assert!((h.kept(None, 365.25) - (-0.1f64).exp()).abs() < 1e-12);
        // A draw of 0.3 is survived through the band exactly; 0.4 is half a year past it.
        assert!((h.days_to_leaving(Some(0.0), 0.3).unwrap() - 365.25).abs() < 1e-9);
        assert!((h.days_to_leaving(Some(0.0), 0.35).unwrap() - 547.875).abs() < 1e-9);
        assert!((h.days_to_leaving(None, 0.1).unwrap() - 365.25).abs() < 1e-9);
    }

    #[test]
    fn leaving_days_invert_the_survival() {
        let h = handlers(0.05, &[(91.0, 0.8), (365.0, 0.25)]);
        for &tenure in &[0.0, 30.0, 200.0, 500.0] {
            for &draw in &[0.01, 0.1, 0.3, 1.0, 2.5] {
                let d = h.days_to_leaving(Some(tenure), draw).unwrap();
                let survived = -h.kept(Some(tenure), d).ln();
                assert!(
                    (survived - draw).abs() < 1e-9,
                    "{tenure} {draw}: {survived}"
                );
            }
        }
        // Bands only: a recruit who survives them never leaves.
        let h = handlers(0.0, &[(365.0, 0.25)]);
        assert_eq!(h.days_to_leaving(Some(0.0), 1.0), None);
        assert!(h.days_to_leaving(Some(0.0), 0.2).is_some());
        assert!(h.has_attrition());
    }
}
