//! Strict JSON: duplicate member names rejected, trailing bytes rejected, depth,
//! value count and size bounded. Everything the verifier reads as JSON goes through
//! [`parse`].

use core::cell::Cell;
use core::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::error::{err, Error, ErrorCode};

/// Most JSON values (scalars, arrays and objects, at any depth) in one document.
///
/// Each parsed value costs 32 to 100 bytes of heap whatever its size in the input, so
/// without a bound 4 MiB of `[0,0,…]` or `{"a":0,"b":0,…}` would take 13 to 22 times
/// its size. Real envelopes, headers, payloads and trust policies hold tens of values.
pub(crate) const MAX_VALUES: usize = 100_000;

/// serde_json stops at 128 levels of nesting with an error that can only be told
/// apart by its text; depth limits above this are lowered to it, so that the
/// visitor's own limit is always the one that applies.
const MAX_SUPPORTED_DEPTH: usize = 126;

/// Parses `bytes` as exactly one JSON value with no duplicate member names in any
/// object, at most `max_depth` levels of nesting (126 at most) and at most
/// [`MAX_VALUES`] values.
///
/// `what` names the document in error messages ("protected header", …); syntax
/// errors get `syntax_code`.
pub(crate) fn parse(
    bytes: &[u8],
    max_depth: usize,
    what: &str,
    syntax_code: ErrorCode,
) -> Result<Value, Error> {
    let state = State {
        values_left: Cell::new(MAX_VALUES),
        failure: Cell::new(None),
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = StrictSeed {
        depth_left: max_depth.min(MAX_SUPPORTED_DEPTH),
        state: &state,
    }
    .deserialize(&mut de)
    .map_err(|e| classify(e, state.failure.take(), what, syntax_code))?;
    de.end().map_err(|_| {
        err(
            syntax_code,
            format!("{what}: unexpected bytes after the JSON value"),
        )
    })?;
    Ok(value)
}

/// Why the strict visitor stopped a parse (serde_json's own errors are syntax).
enum Failure {
    /// An object has this member name twice.
    Duplicate(String),
    /// Nesting deeper than the depth limit.
    TooDeep,
    /// More than [`MAX_VALUES`] values.
    TooManyValues,
}

/// What the visitors of one parse share.
struct State {
    values_left: Cell<usize>,
    /// Set by the visitor that rejects the document, with the error it returns.
    failure: Cell<Option<Failure>>,
}

impl State {
    fn fail<E: de::Error>(&self, failure: Failure) -> E {
        let message = match &failure {
            Failure::Duplicate(name) => format!("duplicate member {name:?}"),
            Failure::TooDeep => "nesting too deep".to_owned(),
            Failure::TooManyValues => "too many values".to_owned(),
        };
        self.failure.set(Some(failure));
        E::custom(message)
    }
}

fn classify(
    e: serde_json::Error,
    failure: Option<Failure>,
    what: &str,
    syntax_code: ErrorCode,
) -> Error {
    match failure {
        Some(Failure::Duplicate(name)) => err(
            ErrorCode::JsonDuplicateMember,
            format!("{what}: member \"{name}\" appears more than once"),
        ),
        Some(Failure::TooDeep) => err(
            ErrorCode::LimitExceeded,
            format!("{what}: JSON nesting is deeper than allowed"),
        ),
        Some(Failure::TooManyValues) => err(
            ErrorCode::LimitExceeded,
            format!("{what}: more than {MAX_VALUES} JSON values, the limit for one document"),
        ),
        None => err(syntax_code, format!("{what} is not valid JSON: {e}")),
    }
}

/// Objects up to this many members are checked pair by pair.
const SMALL_OBJECT: usize = 16;

/// Rejects objects whose member names differ only in ASCII case (Go's JSON decoder
/// would merge them into one struct field). Only for objects that notation-go
/// decodes into structs; not for free-form maps such as annotations.
pub(crate) fn reject_case_duplicates(object: &Map<String, Value>, what: &str) -> Result<(), Error> {
    let duplicate = |key: &String| {
        err(
            ErrorCode::JsonDuplicateMember,
            format!("{what}: member \"{key}\" appears more than once (names differ only in case)"),
        )
    };
    // Small objects (every real one): compare pairs without allocating.
    if object.len() <= SMALL_OBJECT {
        for (j, key) in object.keys().enumerate() {
            if object.keys().take(j).any(|k| k.eq_ignore_ascii_case(key)) {
                return Err(duplicate(key));
            }
        }
        return Ok(());
    }
    let mut seen = std::collections::HashSet::with_capacity(object.len());
    for key in object.keys() {
        if !seen.insert(key.to_ascii_lowercase()) {
            return Err(duplicate(key));
        }
    }
    Ok(())
}

struct StrictSeed<'s> {
    depth_left: usize,
    state: &'s State,
}

impl<'de> DeserializeSeed<'de> for StrictSeed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        // Counted before the value is read, so the one over the limit is never built.
        match self.state.values_left.get().checked_sub(1) {
            Some(left) => self.state.values_left.set(left),
            None => return Err(self.state.fail(Failure::TooManyValues)),
        }
        deserializer.deserialize_any(StrictVisitor {
            depth_left: self.depth_left,
            state: self.state,
        })
    }
}

struct StrictVisitor<'s> {
    depth_left: usize,
    state: &'s State,
}

impl<'s> StrictVisitor<'s> {
    fn child<E: de::Error>(&self) -> Result<StrictSeed<'s>, E> {
        match self.depth_left.checked_sub(1) {
            Some(depth_left) => Ok(StrictSeed {
                depth_left,
                state: self.state,
            }),
            None => Err(self.state.fail(Failure::TooDeep)),
        }
    }
}

impl<'de> Visitor<'de> for StrictVisitor<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.child()?)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(self.state.fail(Failure::Duplicate(key)));
            }
            let value = map.next_value_seed(self.child()?)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Value, Error> {
        parse(s.as_bytes(), 8, "test", ErrorCode::EnvelopeNotJson)
    }

    #[test]
    fn accepts_plain_json() {
        assert_eq!(p(r#"{"a":[1,"x",{"b":null}]}"#).unwrap()["a"][1], "x");
    }

    #[test]
    fn rejects_duplicates_at_any_depth() {
        assert_eq!(
            p(r#"{"a":1,"a":2}"#).unwrap_err().code(),
            ErrorCode::JsonDuplicateMember
        );
        assert_eq!(
            p(r#"{"a":{"b":1,"b":1}}"#).unwrap_err().code(),
            ErrorCode::JsonDuplicateMember
        );
    }

    #[test]
    fn rejects_trailing_bytes_and_bad_syntax() {
        assert_eq!(
            p(r#"{"a":1} x"#).unwrap_err().code(),
            ErrorCode::EnvelopeNotJson
        );
        assert_eq!(
            p(r#"{"a":1"#).unwrap_err().code(),
            ErrorCode::EnvelopeNotJson
        );
        assert!(p("{\"a\":1}\n  ").is_ok());
    }

    #[test]
    fn bounds_depth() {
        let deep = "[".repeat(9) + &"]".repeat(9);
        assert_eq!(p(&deep).unwrap_err().code(), ErrorCode::LimitExceeded);
        let ok = "[".repeat(8) + &"]".repeat(8);
        assert!(p(&ok).is_ok());
        let very_deep = "[".repeat(100_000);
        assert_eq!(p(&very_deep).unwrap_err().code(), ErrorCode::LimitExceeded);
    }

    #[test]
    fn depth_limits_above_serde_json_s_own_are_lowered_to_it() {
        let nested = |n: usize| "[".repeat(n) + &"]".repeat(n);
        let unlimited =
            |s: &str| parse(s.as_bytes(), usize::MAX, "test", ErrorCode::EnvelopeNotJson);
        assert!(unlimited(&nested(MAX_SUPPORTED_DEPTH)).is_ok());
        for n in [MAX_SUPPORTED_DEPTH + 1, 128, 129, 10_000] {
            let e = unlimited(&nested(n)).unwrap_err();
            assert_eq!(e.code(), ErrorCode::LimitExceeded, "{n}: {}", e.message());
            assert_eq!(e.message(), "test: JSON nesting is deeper than allowed");
        }
    }

    #[test]
    fn bounds_the_number_of_values() {
        let array = |n: usize| format!("[{}]", vec!["0"; n].join(","));
        // The array itself is a value too.
        assert!(p(&array(MAX_VALUES - 1)).is_ok());
        let e = p(&array(MAX_VALUES)).unwrap_err();
        assert_eq!(e.code(), ErrorCode::LimitExceeded);
        assert_eq!(
            e.message(),
            "test: more than 100000 JSON values, the limit for one document"
        );
        let members = |n: usize| {
            let members: Vec<String> = (0..n).map(|i| format!(r#""{i}":[]"#)).collect();
            format!("{{{}}}", members.join(","))
        };
        assert!(p(&members(MAX_VALUES - 1)).is_ok());
        assert_eq!(
            p(&members(MAX_VALUES)).unwrap_err().code(),
            ErrorCode::LimitExceeded
        );
    }

    #[test]
    fn messages_do_not_depend_on_the_text_of_serde_json_errors() {
        // serde_json appends " at line L column C" to the visitor's error; the name
        // is reported whole all the same.
        let e = p(r#"{"a at line 1":1,"a at line 1":2}"#).unwrap_err();
        assert_eq!(e.code(), ErrorCode::JsonDuplicateMember);
        assert_eq!(
            e.message(),
            r#"test: member "a at line 1" appears more than once"#
        );
        // Values that read like the visitor's errors are just values.
        let tricky = r#"{"nesting too deep":"too many values","duplicate member":1}"#;
        assert!(p(tricky).is_ok());
        assert_eq!(
            p(r#"["nesting too deep""#).unwrap_err().code(),
            ErrorCode::EnvelopeNotJson
        );
    }

    #[test]
    fn case_duplicates() {
        let v = p(r#"{"alg":1,"ALG":2}"#).unwrap();
        let e = reject_case_duplicates(v.as_object().unwrap(), "x").unwrap_err();
        assert_eq!(e.code(), ErrorCode::JsonDuplicateMember);
        // Small objects are checked pair by pair, large ones through a set: both
        // report the same member (the later one in key order).
        for fill in [0, SMALL_OBJECT] {
            let members: Vec<String> = (0..fill)
                .map(|i| format!(r#""m{i}":0"#))
                .chain([r#""Cty":0"#.to_owned(), r#""cty":1"#.to_owned()])
                .collect();
            let v = p(&format!("{{{}}}", members.join(","))).unwrap();
            let e = reject_case_duplicates(v.as_object().unwrap(), "x").unwrap_err();
            assert!(e.message().contains(r#"member "cty""#), "{fill}: {e}");
            let ok = p(&format!("{{{}}}", members[..fill].join(","))).unwrap();
            assert!(reject_case_duplicates(ok.as_object().unwrap(), "x").is_ok());
        }
    }
}
