//! Strict JSON: duplicate member names rejected, trailing bytes rejected, depth,
//! value count and size bounded. Everything the verifier reads as JSON goes through
//! [`parse`].

use core::cell::Cell;
use core::fmt;
use core::marker::PhantomData;
use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

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
    parse_tree(bytes, max_depth, what, syntax_code)
}

/// [`parse`], its strings and member names borrowed from `bytes` where they
/// are written without escapes: for documents whose long strings are read in
/// place, such as an envelope's base64 members.
pub(crate) fn parse_borrowed<'a>(
    bytes: &'a [u8],
    max_depth: usize,
    what: &str,
    syntax_code: ErrorCode,
) -> Result<Borrowed<'a>, Error> {
    parse_tree(bytes, max_depth, what, syntax_code)
}

/// A JSON value as [`parse_borrowed`] reads it: [`Value`] with borrowed text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Borrowed<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'a, str>),
    Array(Vec<Borrowed<'a>>),
    Object(BTreeMap<Cow<'a, str>, Borrowed<'a>>),
}

impl Borrowed<'_> {
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Borrowed::String(s) => Some(s),
            _ => None,
        }
    }
}

/// Parses `bytes` into both trees (at most `max_depth` levels) and compares
/// them: the same acceptance, the same error (code and message) or the same
/// values. `Ok(accepted)`, or `Err` saying how they differ (unit tests, the
/// `envelope` fuzz target).
pub(crate) fn compare_trees(bytes: &[u8], max_depth: usize) -> Result<bool, String> {
    let code = ErrorCode::EnvelopeNotJson;
    same(
        parse(bytes, max_depth, "document", code),
        parse_borrowed(bytes, max_depth, "document", code),
    )
}

fn same(
    value: Result<Value, Error>,
    borrowed: Result<Borrowed<'_>, Error>,
) -> Result<bool, String> {
    match (value, borrowed) {
        (Ok(value), Ok(borrowed)) => {
            let borrowed = owned(borrowed);
            if borrowed == value {
                Ok(true)
            } else {
                Err(format!("the trees differ: {value} and {borrowed}"))
            }
        }
        (Err(e), Err(b)) if (e.code(), e.message()) == (b.code(), b.message()) => Ok(false),
        (value, borrowed) => Err(format!(
            "the trees differ: {:?} and {:?}",
            value.map(|_| ()),
            borrowed.map(|_| ())
        )),
    }
}

/// A [`Borrowed`] tree as the [`Value`] it stands for.
fn owned(value: Borrowed<'_>) -> Value {
    match value {
        Borrowed::Null => Value::Null,
        Borrowed::Bool(b) => Value::Bool(b),
        Borrowed::Number(n) => Value::Number(n),
        Borrowed::String(s) => Value::String(s.into_owned()),
        Borrowed::Array(items) => Value::Array(items.into_iter().map(owned).collect()),
        Borrowed::Object(members) => Value::Object(
            members
                .into_iter()
                .map(|(k, v)| (k.into_owned(), owned(v)))
                .collect(),
        ),
    }
}

/// What the strict visitor builds values with: [`Value`] or [`Borrowed`].
trait Tree<'de>: Sized {
    type Members: Default;
    fn null() -> Self;
    fn bool(v: bool) -> Self;
    fn number(v: Number) -> Self;
    fn string(v: Cow<'de, str>) -> Self;
    fn array(items: Vec<Self>) -> Self;
    fn object(object: Self::Members) -> Self;
    fn contains(object: &Self::Members, key: &str) -> bool;
    fn insert(object: &mut Self::Members, key: Cow<'de, str>, value: Self);
}

impl<'de> Tree<'de> for Value {
    type Members = Map<String, Value>;
    fn null() -> Self {
        Value::Null
    }
    fn bool(v: bool) -> Self {
        Value::Bool(v)
    }
    fn number(v: Number) -> Self {
        Value::Number(v)
    }
    fn string(v: Cow<'de, str>) -> Self {
        Value::String(v.into_owned())
    }
    fn array(items: Vec<Self>) -> Self {
        Value::Array(items)
    }
    fn object(object: Self::Members) -> Self {
        Value::Object(object)
    }
    fn contains(object: &Self::Members, key: &str) -> bool {
        object.contains_key(key)
    }
    fn insert(object: &mut Self::Members, key: Cow<'de, str>, value: Self) {
        object.insert(key.into_owned(), value);
    }
}

impl<'de> Tree<'de> for Borrowed<'de> {
    type Members = BTreeMap<Cow<'de, str>, Borrowed<'de>>;
    fn null() -> Self {
        Borrowed::Null
    }
    fn bool(v: bool) -> Self {
        Borrowed::Bool(v)
    }
    fn number(v: Number) -> Self {
        Borrowed::Number(v)
    }
    fn string(v: Cow<'de, str>) -> Self {
        Borrowed::String(v)
    }
    fn array(items: Vec<Self>) -> Self {
        Borrowed::Array(items)
    }
    fn object(object: Self::Members) -> Self {
        Borrowed::Object(object)
    }
    fn contains(object: &Self::Members, key: &str) -> bool {
        object.contains_key(key)
    }
    fn insert(object: &mut Self::Members, key: Cow<'de, str>, value: Self) {
        object.insert(key, value);
    }
}

fn parse_tree<'a, T: Tree<'a>>(
    bytes: &'a [u8],
    max_depth: usize,
    what: &str,
    syntax_code: ErrorCode,
) -> Result<T, Error> {
    let state = State {
        values_left: Cell::new(MAX_VALUES),
        failure: Cell::new(None),
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = StrictSeed::<T> {
        depth_left: max_depth.min(MAX_SUPPORTED_DEPTH),
        state: &state,
        tree: PhantomData,
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
pub(crate) fn reject_case_duplicates<'k>(
    keys: impl ExactSizeIterator<Item = &'k str> + Clone,
    what: &str,
) -> Result<(), Error> {
    let duplicate = |key: &str| {
        err(
            ErrorCode::JsonDuplicateMember,
            format!("{what}: member \"{key}\" appears more than once (names differ only in case)"),
        )
    };
    // Small objects (every real one): compare pairs without allocating.
    if keys.len() <= SMALL_OBJECT {
        for (j, key) in keys.clone().enumerate() {
            if keys.clone().take(j).any(|k| k.eq_ignore_ascii_case(key)) {
                return Err(duplicate(key));
            }
        }
        return Ok(());
    }
    let mut seen = std::collections::HashSet::with_capacity(keys.len());
    for key in keys {
        if !seen.insert(key.to_ascii_lowercase()) {
            return Err(duplicate(key));
        }
    }
    Ok(())
}

struct StrictSeed<'s, T> {
    depth_left: usize,
    state: &'s State,
    tree: PhantomData<T>,
}

impl<'de, T: Tree<'de>> DeserializeSeed<'de> for StrictSeed<'_, T> {
    type Value = T;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        // Counted before the value is read, so the one over the limit is never built.
        match self.state.values_left.get().checked_sub(1) {
            Some(left) => self.state.values_left.set(left),
            None => return Err(self.state.fail(Failure::TooManyValues)),
        }
        deserializer.deserialize_any(StrictVisitor {
            depth_left: self.depth_left,
            state: self.state,
            tree: self.tree,
        })
    }
}

struct StrictVisitor<'s, T> {
    depth_left: usize,
    state: &'s State,
    tree: PhantomData<T>,
}

impl<'s, T> StrictVisitor<'s, T> {
    fn child<E: de::Error>(&self) -> Result<StrictSeed<'s, T>, E> {
        match self.depth_left.checked_sub(1) {
            Some(depth_left) => Ok(StrictSeed {
                depth_left,
                state: self.state,
                tree: PhantomData,
            }),
            None => Err(self.state.fail(Failure::TooDeep)),
        }
    }
}

impl<'de, T: Tree<'de>> Visitor<'de> for StrictVisitor<'_, T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<T, E> {
        Ok(T::bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<T, E> {
        Ok(T::number(Number::from(v)))
    }

    fn visit_u64<E>(self, v: u64) -> Result<T, E> {
        Ok(T::number(Number::from(v)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<T, E> {
        Ok(Number::from_f64(v).map_or_else(T::null, T::number))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<T, E> {
        Ok(T::string(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<T, E> {
        Ok(T::string(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<T, E> {
        Ok(T::string(Cow::Owned(v)))
    }

    fn visit_unit<E>(self) -> Result<T, E> {
        Ok(T::null())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.child()?)? {
            items.push(item);
        }
        Ok(T::array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut object = T::Members::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if T::contains(&object, &key) {
                return Err(self.state.fail(Failure::Duplicate(key.into_owned())));
            }
            let value = map.next_value_seed(self.child()?)?;
            T::insert(&mut object, key, value);
        }
        Ok(T::object(object))
    }
}

/// A member name, borrowed when written without escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(KeySeed)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Value, Error> {
        // Both trees accept the same documents, refuse the same with the same
        // error, and hold the same values.
        compare_trees(s.as_bytes(), 8).unwrap();
        parse(s.as_bytes(), 8, "test", ErrorCode::EnvelopeNotJson)
    }

    /// compare_trees tells a difference: a value changed, an error changed.
    #[test]
    fn compare_trees_finds_differences() {
        assert_eq!(compare_trees(br#"{"a":["x",1]}"#, 8), Ok(true));
        assert_eq!(compare_trees(br#"{"a":1,"a":2}"#, 8), Ok(false));
        let value = parse(br#"{"a":"x"}"#, 8, "", ErrorCode::EnvelopeNotJson).unwrap();
        let other = parse_borrowed(br#"{"a":"y"}"#, 8, "", ErrorCode::EnvelopeNotJson);
        assert!(same(Ok(value), other).is_err());
        let e = parse(b"[", 8, "", ErrorCode::EnvelopeNotJson);
        let b = parse_borrowed(b"[", 8, "", ErrorCode::PayloadNotObject);
        assert!(same(e, b).is_err());
    }

    fn keys(v: &Value) -> impl ExactSizeIterator<Item = &str> + Clone {
        v.as_object().unwrap().keys().map(String::as_str)
    }

    /// Strings and member names written without escapes are borrowed; with
    /// escapes they are read as `Value` reads them.
    #[test]
    fn borrowed_strings_borrow_unless_escaped() {
        let text = r#"{"plain":"abc","esc\u0061ped":"a\"b","n":[1,-2,2.5,null,true]}"#;
        let Borrowed::Object(members) =
            parse_borrowed(text.as_bytes(), 8, "test", ErrorCode::EnvelopeNotJson).unwrap()
        else {
            panic!("an object")
        };
        let (plain_key, plain) = members.get_key_value("plain").unwrap();
        assert!(matches!(plain_key, Cow::Borrowed(_)));
        assert!(matches!(plain, Borrowed::String(Cow::Borrowed("abc"))));
        let (escaped_key, escaped) = members.get_key_value("escaped").unwrap();
        assert!(matches!(escaped_key, Cow::Owned(_)));
        assert_eq!(escaped.as_str(), Some("a\"b"));
        assert_eq!(owned(Borrowed::Object(members)), p(text).unwrap());
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
        let e = reject_case_duplicates(keys(&v), "x").unwrap_err();
        assert_eq!(e.code(), ErrorCode::JsonDuplicateMember);
        // Small objects are checked pair by pair, large ones through a set: both
        // report the same member (the later one in key order).
        for fill in [0, SMALL_OBJECT] {
            let members: Vec<String> = (0..fill)
                .map(|i| format!(r#""m{i}":0"#))
                .chain([r#""Cty":0"#.to_owned(), r#""cty":1"#.to_owned()])
                .collect();
            let v = p(&format!("{{{}}}", members.join(","))).unwrap();
            let e = reject_case_duplicates(keys(&v), "x").unwrap_err();
            assert!(e.message().contains(r#"member "cty""#), "{fill}: {e}");
            let ok = p(&format!("{{{}}}", members[..fill].join(","))).unwrap();
            assert!(reject_case_duplicates(keys(&ok), "x").is_ok());
        }
    }
}
