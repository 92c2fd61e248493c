//! Scenario errors that say where: file, line, column and key path, and what was expected.

use std::fmt;
use std::ops::Range;

/// One problem found in a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// Dotted key path, e.g. `channels.999.handle_time.sd_s` (empty for the whole file).
    pub key: String,
    /// Byte range in the source text, when known.
    pub span: Option<Range<usize>>,
    /// What is wrong and what was expected.
    pub message: String,
}

/// Every problem found in one scenario source, ready to print.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioError {
    origin: String,
    lines: Vec<(usize, usize, Diagnostic)>,
    /// Per diagnostic: the `--set` flag it concerns, reported instead of a file position.
    flags: Vec<Option<String>>,
}

impl ScenarioError {
    /// Collects diagnostics about `text`, read from `origin` (a path or `--set` flag).
    pub fn new(origin: &str, text: &str, diagnostics: Vec<Diagnostic>) -> ScenarioError {
        let lines: Vec<(usize, usize, Diagnostic)> = diagnostics
            .into_iter()
            .map(|d| {
                let (line, col) = d.span.as_ref().map_or((1, 1), |s| line_col(text, s.start));
                (line, col, d)
            })
            .collect();
        let flags = vec![None; lines.len()];
        ScenarioError {
            origin: origin.to_owned(),
            lines,
            flags,
        }
    }

    /// Reports each diagnostic about an overridden key against its `--set` flag.
    pub fn attribute_to_flags(mut self, overrides: &[super::Override]) -> ScenarioError {
        for (flag, (_, _, d)) in self.flags.iter_mut().zip(&self.lines) {
            if let Some(o) = overrides.iter().rev().find(|o| o.covers(&d.key)) {
                *flag = Some(o.to_string());
            }
        }
        self
    }

    /// The diagnostics, each with its 1-based line and column.
    pub fn diagnostics(&self) -> impl Iterator<Item = (usize, usize, &Diagnostic)> {
        self.lines.iter().map(|(l, c, d)| (*l, *c, d))
    }

    /// How many problems were found.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// True when no problem was recorded (never the case for a returned error).
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// The 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, ((line, col, d), flag)) in self.lines.iter().zip(&self.flags).enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            let key = if d.key.is_empty() {
                String::new()
            } else {
                format!(" {}:", d.key)
            };
            match flag {
                Some(flag) => write!(f, "{flag}:{key} {}", d.message)?,
                None => write!(f, "{}:{line}:{col}:{key} {}", self.origin, d.message)?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_line_and_column() {
        let text = "a = 1\nbb = 2\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        assert_eq!(line_col(text, 11), (2, 6));
    }

    #[test]
    fn prints_one_line_per_problem() {
        let e = ScenarioError::new(
            "s.toml",
            "x = 1\ny = 2\n",
            vec![
                Diagnostic {
                    key: "x".into(),
                    span: Some(4..5),
                    message: "bad".into(),
                },
                Diagnostic {
                    key: "y".into(),
                    span: Some(10..11),
                    message: "worse".into(),
                },
            ],
        );
        assert_eq!(e.to_string(), "s.toml:1:5: x: bad\ns.toml:2:5: y: worse");
    }
}

/// The candidate closest to a mistyped `name` ("did you mean …?"), if one is close enough:
/// at most a third of its letters different (two for short names), or differing only in case.
pub fn closest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = name.to_lowercase();
    candidates
        .iter()
        .map(|c| (strsim::levenshtein(&lower, &c.to_lowercase()), *c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// `a`, `b` and `c`, with "; did you mean `b`?" when `name` is close to one of them.
pub fn one_of(name: &str, candidates: &[&str]) -> String {
    let listed: Vec<String> = candidates.iter().map(|c| format!("`{c}`")).collect();
    let mut out = listed.join(", ");
    if let Some(c) = closest(name, candidates) {
        out += &format!("; did you mean `{c}`?");
    }
    out
}

#[cfg(test)]
mod suggestion_tests {
    use super::*;

    #[test]
    fn a_close_name_is_suggested_and_a_far_one_is_not() {
        let keys = ["patience", "priority", "handle_time", "target"];
        assert_eq!(closest("patiense", &keys), Some("patience"));
        assert_eq!(closest("Target", &keys), Some("target"));
        assert_eq!(closest("handletime", &keys), Some("handle_time"));
        assert_eq!(closest("volume", &keys), None);
        assert_eq!(
            one_of("evening", &["days999", "nights101"]),
            "`days999`, `nights101`"
        );
        assert_eq!(
            one_of("night101", &["days999", "nights101"]),
            "`days999`, `nights101`; did you mean `nights101`?"
        );
    }
}
