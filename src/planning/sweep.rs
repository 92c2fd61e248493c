//! Sweeps: a grid over one or two scenario parameters, each point replicated.
//!
//! Parameters are `--set` key paths with a range, `key=start..end[:step]`. Points run one after
//! another, each with its replications in parallel; results do not depend on the thread count.

use std::fmt;
use std::str::FromStr;

use crate::scenario::Override;
use crate::stats::Results;

/// One swept parameter: a key path and the values it takes.
#[derive(Clone, Debug, PartialEq)]
pub struct Vary {
    /// Dotted key path, as for `--set`.
    pub key: String,
    /// Values, in order.
    pub values: Vec<f64>,
}

/// Most values one `--vary` range may take.
pub const MAX_VALUES: usize = 10_000;

impl FromStr for Vary {
    type Err = String;

    /// Parses `key=start..end[:step]` (inclusive; step defaults to 1).
    fn from_str(s: &str) -> Result<Vary, String> {
        let bad =
            || format!("expected KEY=START..END[:STEP], e.g. handlers.count=10..20:2; got \"{s}\"");
        let (key, range) = s.split_once('=').ok_or_else(bad)?;
        let (range, step_text) = match range.split_once(':') {
            Some((r, st)) => (r, st.trim()),
            None => (range, "1"),
        };
        let step = step_text.parse::<f64>().map_err(|_| bad())?;
        let (start, end) = range.split_once("..").ok_or_else(bad)?;
        let places = decimal_places(start.trim())
            .zip(decimal_places(step_text))
            .map(|(a, b)| a.max(b));
        let (start, end): (f64, f64) = (
            start.trim().parse().map_err(|_| bad())?,
            end.trim().parse().map_err(|_| bad())?,
        );
        if key.trim().is_empty()
            || !step.is_finite()
            || step <= 0.0
            || !start.is_finite()
            || !end.is_finite()
            || end < start
        {
            return Err(bad());
        }
        // Counted in floating point first: a huge range must not wrap around as an integer.
        let count = ((end - start) / step + 1e-9).floor() + 1.0;
        if count.is_nan() || count > MAX_VALUES as f64 {
            return Err(format!(
                "{count:.0} values in \"{s}\"; expected at most {MAX_VALUES}"
            ));
        }
        let n = count as usize;
        // start + i·step, rounded to the decimals the user wrote (0.2..0.4:0.1 gives 0.3, not
        // 0.30000000000000004); written with an exponent, the values are left as computed.
        let values = (0..n)
            .map(|i| {
                let v = start + step * i as f64;
                match places {
                    Some(p) => {
                        let scale = 10f64.powi(p);
                        let r = (v * scale).round() / scale;
                        if r.is_finite() { r } else { v }
                    }
                    None => v,
                }
            })
            .collect();
        Ok(Vary {
            key: key.trim().to_owned(),
            values,
        })
    }
}

/// Digits after the decimal point of a number as written (`Some(0)` for "12"), or `None` for a
/// number with an exponent or more than 15 decimals, whose values are not rounded.
fn decimal_places(text: &str) -> Option<i32> {
    if text.contains(['e', 'E']) {
        return None;
    }
    let places = text.split_once('.').map_or(0, |(_, frac)| frac.len());
    (places <= 15).then_some(places as i32)
}

impl fmt::Display for Vary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.key)
    }
}

/// A value as TOML: whole numbers without a decimal point (so `handlers.count=12` stays an integer).
pub fn toml_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// The grid of overrides: every combination of the parameters' values.
pub fn grid(vary: &[Vary]) -> Vec<Vec<Override>> {
    let mut points: Vec<Vec<Override>> = vec![Vec::new()];
    for v in vary {
        points = points
            .into_iter()
            .flat_map(|p| {
                v.values.iter().map(move |x| {
                    let mut q = p.clone();
                    q.push(Override {
                        key: v.key.clone(),
                        value: toml_number(*x),
                    });
                    q
                })
            })
            .collect();
    }
    points
}

/// One evaluated grid point.
#[derive(Clone, Debug)]
pub struct Point {
    /// The overrides that define it.
    pub settings: Vec<Override>,
    /// Its results.
    pub results: Results,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_ranges_are_refused_not_wrapped_to_nothing() {
        for text in ["k=0..1e20", "k=-1e308..1e308:1e-300", "k=0..1:1e-300"] {
            let e = text.parse::<Vary>().expect_err(text);
            assert!(e.contains("expected at most 10000"), "{text}: {e}");
        }
        assert_eq!("k=1..3".parse::<Vary>().unwrap().values, [1.0, 2.0, 3.0]);
    }

    #[test]
    fn values_keep_the_decimals_written() {
        let v: Vary = "k=0.2..0.4:0.1".parse().unwrap();
        assert_eq!(v.values, [0.2, 0.3, 0.4]);
        let v: Vary = "k=0.05..0.15:0.05".parse().unwrap();
        assert_eq!(v.values, [0.05, 0.1, 0.15]);
        // With an exponent nothing is rounded away.
        let v: Vary = "k=1e-3..0.2:0.1".parse().unwrap();
        assert_eq!(v.values, [1e-3, 1e-3 + 0.1]);
    }

    #[test]
    fn parses_ranges_and_builds_the_grid() {
        let v: Vary = "handlers.count=10..14:2".parse().unwrap();
        assert_eq!(v.values, vec![10.0, 12.0, 14.0]);
        let w: Vary = "triage.officers=1..2".parse().unwrap();
        let g = grid(&[v, w]);
        assert_eq!(g.len(), 6);
        assert_eq!(g[1][1].value, "2");
        assert!("x=3..1".parse::<Vary>().is_err());
        assert!("x=1..3:0".parse::<Vary>().is_err());
        assert!("x=1..".parse::<Vary>().is_err());
        assert_eq!(toml_number(0.25), "0.25");
    }
}
