//! Strict JSON: duplicate member names rejected, trailing bytes rejected, depth and
//! size bounded. Everything the verifier reads as JSON goes through [`parse`].

use core::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::error::{err, Error, ErrorCode};

/// Parses `bytes` as exactly one JSON value with no duplicate member names in any
/// object and at most `max_depth` levels of nesting.
///
/// `what` names the document in error messages ("protected header", …); syntax
/// errors get `syntax_code`.
pub(crate) fn parse(
    bytes: &[u8],
    max_depth: usize,
    what: &str,
    syntax_code: ErrorCode,
) -> Result<Value, Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = StrictSeed {
        depth_left: max_depth,
    }
    .deserialize(&mut de)
    .map_err(|e| classify(e, what, syntax_code))?;
    de.end().map_err(|_| {
        err(
            syntax_code,
            format!("{what}: unexpected bytes after the JSON value"),
        )
    })?;
    Ok(value)
}

fn classify(e: serde_json::Error, what: &str, syntax_code: ErrorCode) -> Error {
    let text = e.to_string();
    if let Some(name) = text.strip_prefix(DUPLICATE_PREFIX) {
        let name = name.split(" at line").next().unwrap_or(name);
        err(
            ErrorCode::JsonDuplicateMember,
            format!("{what}: member {name} appears more than once"),
        )
    } else if text.starts_with(DEPTH_MESSAGE) || text.starts_with("recursion limit exceeded") {
        err(
            ErrorCode::LimitExceeded,
            format!("{what}: JSON nesting is deeper than allowed"),
        )
    } else {
        err(syntax_code, format!("{what} is not valid JSON: {text}"))
    }
}

const DUPLICATE_PREFIX: &str = "duplicate member ";
const DEPTH_MESSAGE: &str = "nesting too deep";

/// Rejects objects whose member names differ only in ASCII case (Go's JSON decoder
/// would merge them into one struct field). Only for objects that notation-go
/// decodes into structs; not for free-form maps such as annotations.
pub(crate) fn reject_case_duplicates(object: &Map<String, Value>, what: &str) -> Result<(), Error> {
    let mut seen = std::collections::HashSet::with_capacity(object.len());
    for key in object.keys() {
        if !seen.insert(key.to_ascii_lowercase()) {
            return Err(err(
                ErrorCode::JsonDuplicateMember,
                format!(
                    "{what}: member \"{key}\" appears more than once (names differ only in case)"
                ),
            ));
        }
    }
    Ok(())
}

struct StrictSeed {
    depth_left: usize,
}

impl<'de> DeserializeSeed<'de> for StrictSeed {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(StrictVisitor {
            depth_left: self.depth_left,
        })
    }
}

struct StrictVisitor {
    depth_left: usize,
}

impl StrictVisitor {
    fn child<E: de::Error>(&self) -> Result<StrictSeed, E> {
        match self.depth_left.checked_sub(1) {
            Some(depth_left) => Ok(StrictSeed { depth_left }),
            None => Err(E::custom(DEPTH_MESSAGE)),
        }
    }
}

impl<'de> Visitor<'de> for StrictVisitor {
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
                return Err(de::Error::custom(format!("{DUPLICATE_PREFIX}\"{key}\"")));
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
    fn case_duplicates() {
        let v = p(r#"{"alg":1,"ALG":2}"#).unwrap();
        let e = reject_case_duplicates(v.as_object().unwrap(), "x").unwrap_err();
        assert_eq!(e.code(), ErrorCode::JsonDuplicateMember);
    }
}
