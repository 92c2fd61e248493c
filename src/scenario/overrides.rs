//! `--set key.path=value`: changing any scenario value without editing the file.
//!
//! Overrides are applied to the file's text with toml_edit, which keeps every untouched line
//! where it was, and the result is validated like any file. A problem with an overridden key is
//! reported against the `--set` flag rather than a line of the file.

use std::fmt;
use std::str::FromStr;

use toml_edit::{DocumentMut, Item, Table, TableLike, Value};

/// One `--set key.path=value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Override {
    /// Dotted key path, e.g. `handlers.count` or `channels.999.arrivals.rate_per_hour`.
    pub key: String,
    /// The value as typed: a TOML value (`12`, `0.5`, `"queue"`, `[1, 2]`), or a bare word taken
    /// as a string (`queue`).
    pub value: String,
}

impl fmt::Display for Override {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "--set {}={}", self.key, self.value)
    }
}

/// The most dot-separated parts a `--set` key may have: the deepest scenario key has six, and a
/// key thousands of levels deep would make the edit's memory grow with the square of its depth.
const MAX_KEY_PARTS: usize = 16;

impl FromStr for Override {
    type Err = String;

    fn from_str(s: &str) -> Result<Override, String> {
        if let Some((key, _)) = s.split_once('=')
            && key.split('.').count() > MAX_KEY_PARTS
        {
            return Err(format!(
                "a key of {} parts; expected at most {MAX_KEY_PARTS} (scenario keys are a few levels deep, e.g. handlers.groups.days.headcount)",
                key.split('.').count()
            ));
        }
        match s.split_once('=') {
            Some((key, value))
                if !key.trim().is_empty() && key.split('.').all(|p| !p.trim().is_empty()) =>
            {
                Ok(Override {
                    key: key.trim().to_owned(),
                    value: value.trim().to_owned(),
                })
            }
            _ => Err(format!(
                "expected KEY.PATH=VALUE, e.g. handlers.count=120; got \"{s}\""
            )),
        }
    }
}

impl Override {
    /// Whether a diagnostic about `key` concerns this override.
    pub fn covers(&self, key: &str) -> bool {
        key == self.key
            || key.starts_with(&format!("{}.", self.key))
            || self.key.starts_with(&format!("{key}."))
    }

    fn parsed_value(&self) -> Value {
        self.value
            .parse::<Value>()
            .unwrap_or_else(|_| Value::from(self.value.as_str()))
    }
}

/// Applies `overrides` to scenario `text`. Returns the new text, or the override that could not
/// be applied (its path runs through a value that is not a table) with the reason.
pub fn apply(text: &str, overrides: &[Override]) -> Result<String, (Override, String)> {
    if overrides.is_empty() {
        return Ok(text.to_owned());
    }
    // A file that does not parse is reported by the normal parser, with its own location.
    let Ok(mut doc) = text.parse::<DocumentMut>() else {
        return Ok(text.to_owned());
    };
    for o in overrides {
        let parts: Vec<&str> = o.key.split('.').map(str::trim).collect();
        let (last, parents) = parts.split_last().expect("validated as non-empty");
        let mut table: &mut dyn TableLike = doc.as_table_mut();
        for (i, part) in parents.iter().enumerate() {
            if table.get(part).is_none() {
                table.insert(part, Item::Table(Table::new()));
            }
            match table.get_mut(part).and_then(Item::as_table_like_mut) {
                Some(t) => table = t,
                None => {
                    let at = parts[..=i].join(".");
                    return Err((
                        o.clone(),
                        format!(
                            "{at} is a value, not a table; expected a key path into the scenario"
                        ),
                    ));
                }
            }
        }
        table.insert(last, Item::Value(o.parsed_value()));
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(s: &str) -> Override {
        s.parse().unwrap()
    }

    #[test]
    fn sets_existing_and_new_keys_keeping_lines() {
        let text = "a = 1\n[t]\nx = { y = 2 }\nz = \"s\"\n";
        let out = apply(
            text,
            &[o("a=5"), o("t.x.y=3.5"), o("t.z=queue"), o("u.v=[1, 2]")],
        )
        .unwrap();
        let doc: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(doc["a"].as_integer(), Some(5));
        assert_eq!(doc["t"]["x"]["y"].as_float(), Some(3.5));
        assert_eq!(doc["t"]["z"].as_str(), Some("queue"));
        assert_eq!(doc["u"]["v"].as_array().map(Vec::len), Some(2));
        assert_eq!(
            out.lines().nth(3),
            Some("z = \"queue\""),
            "untouched lines stay put:\n{out}"
        );
    }

    #[test]
    fn refuses_malformed_flags_and_paths_through_values() {
        assert!("handlers.count".parse::<Override>().is_err());
        assert!("=3".parse::<Override>().is_err());
        assert!("a..b=3".parse::<Override>().is_err());
        let err = apply("a = 1\n", &[o("a.b=2")]).unwrap_err();
        assert!(err.1.contains("a is a value, not a table"), "{}", err.1);
    }
}
