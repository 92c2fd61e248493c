//! Reading the text: TOML syntax and the keys each table takes, located by line, column and key
//! path, in words a planner reads (with the closest valid key for a mistyped one). Every unknown
//! key is reported at once; a syntax error or a wrong type stops the reading.

use serde_path_to_error::Segment;
use toml::de::{DeTable, DeValue};

use super::super::raw::RawScenario;
use super::Diagnostic;

/// At most this many unknown keys are reported from one file (each costs a parse).
const MOST_UNKNOWN_KEYS: usize = 50;

/// What reading the text gave: the raw scenario (without any unknown keys, which are among
/// the problems), or none when a syntax error, a wrong type or a missing key stopped it.
pub(super) struct Parsed {
    /// The scenario as written, less its unknown keys.
    pub raw: Option<RawScenario>,
    /// Every unknown key, then the first wrong type or missing key, in the file's order.
    pub problems: Vec<Diagnostic>,
}

/// The raw scenario in `text`, and its problems: a syntax error alone; otherwise every unknown
/// key at once, then the first wrong type or missing key, if any. With only unknown keys
/// wrong, the rest is still read, so that validation can report its problems beside them.
///
/// Each unknown key is taken out of the parsed document and the document read again, so the
/// next one is found; the document keeps every key's place in the original text, so each
/// problem is located there.
pub(super) fn parse(text: &str) -> Parsed {
    let mut document = match DeTable::parse(text) {
        Ok(d) => d,
        Err(e) => {
            return Parsed {
                raw: None,
                problems: vec![syntax_error(text, &e)],
            };
        }
    };
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut raw = None;
    loop {
        let de = toml::de::Deserializer::from(document.clone());
        let e = match serde_path_to_error::deserialize::<_, RawScenario>(de) {
            Ok(r) => {
                raw = Some(r);
                break;
            }
            Err(e) => e,
        };
        let segments = user_segments(e.path());
        let inner = e.into_inner();
        let unknown = inner.message().starts_with("unknown field `");
        problems.push(Diagnostic {
            key: segments.join("."),
            span: inner.span(),
            message: with_suggestion(&plain_types(inner.message().trim_end())),
        });
        if !unknown
            || problems.len() >= MOST_UNKNOWN_KEYS
            || !remove_key(document.get_mut(), &segments)
        {
            break;
        }
    }
    problems.sort_by_key(|d| d.span.as_ref().map(|s| s.start)); // in the file's order
    Parsed { raw, problems }
}

/// The keys the unknown ones among `problems` were probably meant to be (`horizon_hour` →
/// `horizon_hours`): a "missing key" for one of them says the same thing again.
pub(super) fn meant(problems: &[Diagnostic]) -> Vec<String> {
    problems
        .iter()
        .filter_map(|d| {
            let (_, rest) = d.message.split_once("did you mean `")?;
            let suggested = rest.split('`').next()?;
            Some(match d.key.rsplit_once('.') {
                Some((parent, _)) => format!("{parent}.{suggested}"),
                None => suggested.to_owned(),
            })
        })
        .collect()
}

/// A TOML syntax error, with a duplicate key named.
fn syntax_error(text: &str, e: &toml::de::Error) -> Diagnostic {
    let span = e.span();
    let mut message = e.message().trim_end().to_owned();
    // toml says only "duplicate key": name it, from the text it points at.
    if message == "duplicate key"
        && let Some(key) = span.as_ref().and_then(|r| text.get(r.clone()))
    {
        message = format!(
            "duplicate key `{}`; expected each key once in a table",
            key.trim()
        );
    }
    Diagnostic {
        key: String::new(),
        span,
        message,
    }
}

/// Takes the key at `path` (tables by key, arrays by index) out of `table`; false if there is
/// none, which ends the search for more unknown keys rather than looping.
fn remove_key(table: &mut DeTable<'_>, path: &[String]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut here = table;
    let mut at = 0;
    while at < parents.len() {
        let Some(value) = entry(here, &parents[at]) else {
            return false;
        };
        at += 1;
        let mut value = value.get_mut();
        // An array of tables: the next segment is the index.
        while let DeValue::Array(items) = value {
            let Some(item) = parents.get(at).and_then(|i| i.parse::<usize>().ok()) else {
                return false;
            };
            let Some(item) = items.get_mut(item) else {
                return false;
            };
            at += 1;
            value = item.get_mut();
        }
        let DeValue::Table(next) = value else {
            return false;
        };
        here = next;
    }
    let key = here
        .keys()
        .find(|k| k.get_ref().as_ref() == last.as_str())
        .cloned();
    key.is_some_and(|k| here.remove(&k).is_some())
}

/// The value under `key` in `table`.
fn entry<'t, 'i>(
    table: &'t mut DeTable<'i>,
    key: &str,
) -> Option<&'t mut toml::Spanned<DeValue<'i>>> {
    table
        .iter_mut()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .map(|(_, v)| v)
}

/// serde's "unknown field `patiense`, expected one of `…`" with "; did you mean `patience`?"
/// when one of the keys it lists is close.
fn with_suggestion(message: &str) -> String {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message.to_owned();
    };
    let Some((name, expected)) = rest.split_once('`') else {
        return message.to_owned();
    };
    let keys: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    match crate::scenario::closest(name, &keys) {
        Some(key) => format!("{message}; did you mean `{key}`?"),
        None => message.to_owned(),
    }
}

/// serde's type names in words a planner reads: "expected i64" → "expected a whole number".
fn plain_types(message: &str) -> String {
    // Structs are the parser's own (`RawHandlers`): a user wrote a table.
    if let Some(at) = message.find("expected struct ") {
        return format!("{}expected a table of keys", &message[..at]);
    }
    const WORDS: [(&str, &str); 10] = [
        ("expected a map", "expected a table of keys"),
        ("expected a sequence", "expected a list, e.g. [1, 2]"),
        ("expected f64", "expected a number"),
        ("expected i64", "expected a whole number"),
        ("expected u64", "expected a whole number of at least 0"),
        ("expected u32", "expected a whole number of at least 0"),
        ("expected u16", "expected a whole number of at least 0"),
        ("expected u8", "expected a whole number of at least 0"),
        (
            "expected a TOML datetime",
            "expected a date such as 2024-04-01",
        ),
        ("expected a boolean", "expected true or false"),
    ];
    WORDS
        .iter()
        .find(|(serde, _)| message.ends_with(serde))
        .map_or_else(
            || message.to_owned(),
            |(serde, plain)| format!("{}{plain}", &message[..message.len() - serde.len()]),
        )
}

/// The user-visible segments of a deserialisation error's key path (serde_spanned's internals
/// removed): table keys and array indices.
fn user_segments(path: &serde_path_to_error::Path) -> Vec<String> {
    path.iter()
        .filter_map(|seg| match seg {
            Segment::Map { key } if key.starts_with("$__") => None,
            Segment::Map { key } => Some(key.clone()),
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Enum { variant } => Some(variant.clone()),
            Segment::Unknown => None,
        })
        .collect()
}
