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
                if !key.trim().is_empty() && key_parts(key).iter().all(|p| !p.is_empty()) =>
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

/// The parts of a dotted key path, TOML's way: a part in quotes (`channels."a.b".priority`)
/// is one part, without its quotes; bare parts are trimmed.
pub fn key_parts(key: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut part = String::new();
    let mut quote: Option<char> = None;
    let mut quoted = false;
    for ch in key.chars() {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => part.push(c),
            (None, '"' | '\'') if part.trim().is_empty() => {
                quote = Some(ch);
                quoted = true;
                part.clear();
            }
            (None, '.') => {
                parts.push(if quoted {
                    std::mem::take(&mut part)
                } else {
                    part.trim().to_owned()
                });
                part.clear();
                quoted = false;
            }
            (None, c) if quoted && c.is_whitespace() => {}
            (None, c) => part.push(c),
        }
    }
    parts.push(if quoted { part } else { part.trim().to_owned() });
    parts
}

impl Override {
    /// Whether a diagnostic about `key` concerns this override.
    pub fn covers(&self, key: &str) -> bool {
        let own = key_parts(&self.key).join(".");
        key == own || key.starts_with(&format!("{own}.")) || own.starts_with(&format!("{key}."))
    }

    /// Whether the override removes its key (the value `{}`: an empty table is no table), as a
    /// change that ends a call-back or an IVR needs.
    fn removes(&self) -> bool {
        self.value.trim() == "{}"
    }

    /// Applies this override to `doc`.
    fn apply_to(&self, doc: &mut DocumentMut) -> Result<(), String> {
        let parts = key_parts(&self.key);
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        let value = (!self.removes()).then(|| self.parsed_value());
        set_path(doc.as_table_mut(), &parts, 0, value)
    }

    fn parsed_value(&self) -> Value {
        self.value
            .parse::<Value>()
            .unwrap_or_else(|_| Value::from(self.value.as_str()))
    }
}

/// Removes the top-level key `key` from scenario `text`, then applies `overrides`; `None` when
/// the text does not parse (the normal parser reports that).
pub fn apply_without(
    text: &str,
    key: &str,
    overrides: &[Override],
) -> Option<Result<String, (Override, String)>> {
    let mut doc = text.parse::<DocumentMut>().ok()?;
    doc.as_table_mut().remove(key);
    for o in overrides {
        if let Err(why) = o.apply_to(&mut doc) {
            return Some(Err((o.clone(), why)));
        }
    }
    Some(Ok(doc.to_string()))
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
        o.apply_to(&mut doc).map_err(|why| (o.clone(), why))?;
    }
    Ok(doc.to_string())
}

/// Sets `parts[at..]` below `table` to `value`, creating tables on the way, or removes it
/// (`None`; a path that is not there is left so). A number after an array
/// (`triage.shifts.0.officers`, `arrivals.hour_of_day.7`) picks its element.
fn set_path(
    table: &mut dyn TableLike,
    parts: &[&str],
    at: usize,
    value: Option<Value>,
) -> Result<(), String> {
    let part = parts[at];
    if at + 1 == parts.len() {
        match value {
            Some(value) => table.insert(part, Item::Value(value)),
            None => table.remove(part),
        };
        return Ok(());
    }
    if table.get(part).is_none() {
        if value.is_none() {
            return Ok(());
        }
        table.insert(part, Item::Table(Table::new()));
    }
    let here = || parts[..=at].join(".");
    let Some(item) = table.get_mut(part) else {
        return Err(format!("{} could not be created", here()));
    };
    if let Some(t) = item.as_table_like_mut() {
        return set_path(t, parts, at + 1, value);
    }
    let len = match &*item {
        Item::ArrayOfTables(a) => a.len(),
        Item::Value(Value::Array(a)) => a.len(),
        _ => {
            return Err(format!(
                "{} is a value, not a table; expected a key path into the scenario",
                here()
            ));
        }
    };
    let index = parts[at + 1];
    let Some(i) = index.parse::<usize>().ok().filter(|&i| i < len) else {
        return Err(format!(
            "{} is a list of {len} entries; got \"{index}\", expected an index from 0 to {}",
            here(),
            len.saturating_sub(1)
        ));
    };
    let last = at + 2 == parts.len();
    match item {
        Item::ArrayOfTables(a) if !last => match a.get_mut(i) {
            Some(t) => set_path(t, parts, at + 2, value),
            None => Err(format!("{}.{i} is missing", here())),
        },
        Item::Value(Value::Array(a)) => match a.get_mut(i) {
            Some(element) if last => {
                let value = value.ok_or_else(|| {
                    format!("{}.{i}: {{}} removes a table; expected a value", here())
                })?;
                let decor = element.decor().clone();
                *element = value;
                *element.decor_mut() = decor;
                Ok(())
            }
            Some(Value::InlineTable(t)) => set_path(t, parts, at + 2, value),
            _ => Err(format!(
                "{}.{i} is a value, not a table; expected a key path into the scenario",
                here()
            )),
        },
        _ => Err(format!(
            "{}.{i} is a table; expected a key inside it, e.g. {}.{i}.count",
            here(),
            here()
        )),
    }
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

    #[test]
    fn indexes_into_lists_of_tables_and_values() {
        let text = "[t]\nshifts = [{ n = 1 }, { n = 2 }]\nw = [1.0, 2.0, 3.0]\n[[h]]\ncount = 5\n[[h]]\ncount = 6\n";
        let out = apply(
            text,
            &[o("t.shifts.1.n=7"), o("t.w.2=9.5"), o("h.0.count=8")],
        )
        .unwrap();
        let doc: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(doc["t"]["shifts"][1]["n"].as_integer(), Some(7));
        assert_eq!(doc["t"]["shifts"][0]["n"].as_integer(), Some(1));
        assert_eq!(doc["t"]["w"][2].as_float(), Some(9.5));
        assert_eq!(doc["h"][0]["count"].as_integer(), Some(8));
        for (flag, expected) in [
            (
                "t.shifts.5.n=1",
                "t.shifts is a list of 2 entries; got \"5\", expected an index from 0 to 1",
            ),
            ("t.w.x=1", "t.w is a list of 3 entries; got \"x\""),
            ("h.1=3", "h.1 is a table; expected a key inside it"),
            ("t.w.0.a=1", "t.w.0 is a value, not a table"),
        ] {
            let err = apply(text, &[o(flag)]).unwrap_err();
            assert!(err.1.contains(expected), "{flag}: {}", err.1);
        }
    }
}
