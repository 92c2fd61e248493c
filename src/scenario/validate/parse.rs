//! Reading the text: TOML syntax and the keys each table takes, stopping at the first
//! problem, located by line, column and key path, in words a planner reads (with the closest
//! valid key for a mistyped one).

use serde_path_to_error::Segment;

use super::super::raw::RawScenario;
use super::Diagnostic;

/// The raw scenario in `text`, or its first syntax or key error.
pub(super) fn parse(text: &str) -> Result<RawScenario, Diagnostic> {
    let de = toml::Deserializer::parse(text).map_err(|e| {
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
    })?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let key = key_path(e.path());
        let inner = e.into_inner();
        Diagnostic {
            key,
            span: inner.span(),
            message: with_suggestion(&plain_types(inner.message().trim_end())),
        }
    })
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

/// The user-visible key path of a deserialisation error (serde_spanned's internals removed).
fn key_path(path: &serde_path_to_error::Path) -> String {
    let mut out = String::new();
    for seg in path.iter() {
        let part = match seg {
            Segment::Map { key } if key.starts_with("$__") => continue,
            Segment::Map { key } => key.clone(),
            Segment::Seq { index } => index.to_string(),
            Segment::Enum { variant } => variant.clone(),
            Segment::Unknown => continue,
        };
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(&part);
    }
    out
}
