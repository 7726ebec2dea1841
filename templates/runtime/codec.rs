//! Serde helpers shared by the generated models, and the one-pass decoding of success bodies.

// Which helpers are used depends on the API groups (cargo features) enabled.
#![allow(dead_code)]

use std::borrow::Cow;
use std::fmt;

use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer, SeqAccessDeserializer, StringDeserializer};
use serde::de::{DeserializeOwned, DeserializeSeed, EnumAccess, Error as _, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// Decodes a value that the service may send as a JSON string (`"1"`, `"true"`): the documented
/// examples do this for numbers and booleans.
pub(crate) fn lenient<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<T, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    from_lenient(v)
}

/// [`lenient`] for optional fields; `null` is `None`.
pub(crate) fn lenient_opt<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Option<T>, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    if v.is_null() {
        return Ok(None);
    }
    from_lenient(v).map(Some)
}

fn from_lenient<E: serde::de::Error, T: DeserializeOwned>(v: serde_json::Value) -> Result<T, E> {
    let v = match v {
        serde_json::Value::String(s) => {
            let t = s.trim();
            match serde_json::from_str::<serde_json::Value>(t) {
                Ok(parsed @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_))) => parsed,
                _ => serde_json::Value::String(s),
            }
        }
        other => other,
    };
    serde_json::from_value(v).map_err(E::custom)
}

/// Decodes an integer code, also when sent as a string.
pub(crate) fn int_code<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    match Loose::deserialize(d)? {
        Loose::Number(n) => n.as_i64().ok_or_else(|| D::Error::custom(format!("code {n} is not an integer"))),
        Loose::Text(s) => s.trim().parse().map_err(|_| D::Error::custom(format!("code `{s}` is not an integer"))),
        other => Err(D::Error::custom(format!("expected an integer code, found {}", other.into_value()))),
    }
}

/// Decodes a string code, also when sent as a number. The text is borrowed from the body when
/// it can be: enums only match it against their values, so most codes never allocate.
pub(crate) fn str_code<'de, D: Deserializer<'de>>(d: D) -> Result<Cow<'de, str>, D::Error> {
    match Loose::deserialize(d)? {
        Loose::Text(s) => Ok(s),
        Loose::Number(n) => Ok(Cow::Owned(n.to_string())),
        other => Err(D::Error::custom(format!("expected a string code, found {}", other.into_value()))),
    }
}

/// Decodes sensitive text (a phone or ID number) that the service may send as a JSON number. A
/// value that does not decode is described by its JSON kind only, so the error never quotes it.
// Unused when no enabled group has a sensitive field.
#[allow(dead_code)]
pub(crate) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    text_opt(d)?.ok_or_else(|| D::Error::custom("expected text, found null"))
}

/// [`text`] for optional fields; `null` is `None`.
#[allow(dead_code)]
pub(crate) fn text_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Loose::deserialize(d)? {
        Loose::Text(s) => Ok(Some(s.into_owned())),
        Loose::Number(n) => Ok(Some(n.to_string())),
        Loose::Null => Ok(None),
        Loose::Bool(_) => Err(D::Error::custom("expected text, found a boolean")),
        Loose::Other(serde_json::Value::Array(_)) => Err(D::Error::custom("expected text, found an array")),
        Loose::Other(_) => Err(D::Error::custom("expected text, found an object")),
    }
}

/// A JSON value read just far enough for the helpers above: scalars as they are (text borrowed
/// from the body when it has no escapes), arrays and objects as a [`serde_json::Value`], which
/// only ever ends up in an error message. Reading it consumes exactly what
/// `serde_json::Value::deserialize` does, and every helper raises its error after the value is
/// read, as it did when it read a `Value`, so the errors (and their positions) are unchanged.
enum Loose<'de> {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    Text(Cow<'de, str>),
    Other(serde_json::Value),
}

impl Loose<'_> {
    /// The value as `serde_json::Value` would have held it, for messages.
    fn into_value(self) -> serde_json::Value {
        match self {
            Loose::Null => serde_json::Value::Null,
            Loose::Bool(b) => serde_json::Value::Bool(b),
            Loose::Number(n) => serde_json::Value::Number(n),
            Loose::Text(s) => serde_json::Value::String(s.into_owned()),
            Loose::Other(v) => v,
        }
    }
}

impl<'de> Deserialize<'de> for Loose<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LooseVisitor)
    }
}

struct LooseVisitor;

// Mirrors the visitor of `serde_json::Value` (numbers, null and nested values alike).
impl<'de> Visitor<'de> for LooseVisitor {
    type Value = Loose<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Loose<'de>, E> {
        Ok(Loose::Bool(v))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Loose<'de>, E> {
        Ok(Loose::Number(v.into()))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Loose<'de>, E> {
        Ok(Loose::Number(v.into()))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Loose<'de>, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Loose::Null, Loose::Number))
    }
    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Loose<'de>, E> {
        Ok(Loose::Text(Cow::Borrowed(v)))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Loose<'de>, E> {
        Ok(Loose::Text(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Loose<'de>, E> {
        Ok(Loose::Text(Cow::Owned(v)))
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Loose<'de>, E> {
        Ok(Loose::Null)
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Loose<'de>, E> {
        Ok(Loose::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Loose<'de>, D::Error> {
        Loose::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Loose<'de>, A::Error> {
        serde_json::Value::deserialize(SeqAccessDeserializer::new(seq)).map(Loose::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Loose<'de>, A::Error> {
        serde_json::Value::deserialize(MapAccessDeserializer::new(map)).map(Loose::Other)
    }
}

/// Debug stand-in for a sensitive value: shows whether it is set, never what it is.
// Unused when no enabled group has a sensitive field.
#[allow(dead_code)]
pub(crate) struct Redacted<'a, T>(pub(crate) &'a T);

impl<T: IsSet> fmt::Debug for Redacted<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_set() { f.write_str("\"<redacted>\"") } else { f.write_str("None") }
    }
}

/// Whether a possibly optional value holds something.
#[allow(dead_code)]
pub(crate) trait IsSet {
    fn is_set(&self) -> bool;
}

impl<T> IsSet for Option<T> {
    fn is_set(&self) -> bool {
        self.is_some()
    }
}

impl IsSet for String {
    fn is_set(&self) -> bool {
        true
    }
}

/// Values that are always set (required fields of any scalar type the spec knows).
macro_rules! always_set {
    ($($t:ty),*) => {$(
        impl IsSet for $t {
            fn is_set(&self) -> bool {
                true
            }
        }
    )*};
}

always_set!(i32, i64, f64, bool, crate::Decimal, serde_json::Value);

impl<T> IsSet for Vec<T> {
    fn is_set(&self) -> bool {
        true
    }
}

impl<T> IsSet for std::collections::BTreeMap<String, T> {
    fn is_set(&self) -> bool {
        true
    }
}

/// A success body decoded by [`decode_success`].
pub(crate) enum Screened<T> {
    /// The top level of the body has no error code, or only the success code: this is the answer.
    Clean(T),
    /// The body may carry an error code; the caller must look (a second pass, off the usual path).
    Unsure(T),
}

/// Decodes a success body into `T` exactly as `serde_json::from_slice` does, watching the
/// top-level keys go by on the way.
///
/// HTTP-200 answers can carry a business error in a top-level `error_code`, and most response
/// types do not have that field, so the client used to read every success body twice: once for
/// the code, once into `T`. Watching the single pass into `T` tells, for the usual answer, that
/// there is no error code to look at. `None` when `T` does not decode.
pub(crate) fn decode_success<T: DeserializeOwned>(bytes: &[u8], success_code: &str) -> Option<Screened<T>> {
    let mut watch = Watch { object: false, codes: 0, only_success: true, success_code };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let body = T::deserialize(TopLevel { de: &mut de, watch: &mut watch }).ok()?;
    de.end().ok()?;
    // Only a top-level object read key by key through `TopMap` tells the whole story: a type
    // that skips the body (`NoContent`) or reads it another way leaves the check to the caller.
    let clean = watch.object && (watch.codes == 0 || (watch.codes == 1 && watch.only_success));
    Some(if clean { Screened::Clean(body) } else { Screened::Unsure(body) })
}

/// What [`decode_success`] saw of the top level.
struct Watch<'a> {
    /// Whether the top level was an object handed to `T` through [`TopMap`].
    object: bool,
    /// How many `error_code` keys it had.
    codes: u32,
    /// Whether every one was `null` or the success code.
    only_success: bool,
    success_code: &'a str,
}

/// The deserializer of the top-level value: forwards everything, and hands a top-level object to
/// `T` through [`TopMap`]. Nested values never pass through here.
struct TopLevel<'w, 'c, D> {
    de: D,
    watch: &'w mut Watch<'c>,
}

macro_rules! forward_top_level {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {$(
        fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, Self::Error> {
            self.de.$method($($arg,)* TopVisitor { inner: visitor, watch: self.watch })
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for TopLevel<'_, '_, D> {
    type Error = D::Error;

    forward_top_level! {
        deserialize_any();
        deserialize_bool();
        deserialize_i8();
        deserialize_i16();
        deserialize_i32();
        deserialize_i64();
        deserialize_i128();
        deserialize_u8();
        deserialize_u16();
        deserialize_u32();
        deserialize_u64();
        deserialize_u128();
        deserialize_f32();
        deserialize_f64();
        deserialize_char();
        deserialize_str();
        deserialize_string();
        deserialize_bytes();
        deserialize_byte_buf();
        deserialize_option();
        deserialize_unit();
        deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str);
        deserialize_seq();
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_map();
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_identifier();
        deserialize_ignored_any();
    }

    fn is_human_readable(&self) -> bool {
        self.de.is_human_readable()
    }
}

/// `T`'s visitor of the top-level value; only an object is handled differently.
struct TopVisitor<'w, 'c, V> {
    inner: V,
    watch: &'w mut Watch<'c>,
}

macro_rules! forward_visits {
    ($($method:ident($ty:ty);)*) => {$(
        fn $method<E: serde::de::Error>(self, v: $ty) -> Result<V::Value, E> {
            self.inner.$method(v)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for TopVisitor<'_, '_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    forward_visits! {
        visit_bool(bool);
        visit_i8(i8);
        visit_i16(i16);
        visit_i32(i32);
        visit_i64(i64);
        visit_i128(i128);
        visit_u8(u8);
        visit_u16(u16);
        visit_u32(u32);
        visit_u64(u64);
        visit_u128(u128);
        visit_f32(f32);
        visit_f64(f64);
        visit_char(char);
        visit_str(&str);
        visit_borrowed_str(&'de str);
        visit_string(String);
        visit_bytes(&[u8]);
        visit_borrowed_bytes(&'de [u8]);
        visit_byte_buf(Vec<u8>);
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_none()
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_unit()
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.inner.visit_some(d)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.inner.visit_newtype_struct(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.inner.visit_seq(seq)
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.inner.visit_enum(data)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.watch.object = true;
        self.inner.visit_map(TopMap { map, watch: self.watch, code_next: false })
    }
}

/// The top-level object as `T` reads it: each key is read as text first, so that `error_code`
/// is noticed whether or not `T` has such a field, then handed to `T` as the text it is.
struct TopMap<'w, 'c, A> {
    map: A,
    watch: &'w mut Watch<'c>,
    /// Whether the value about to be read is an `error_code`.
    code_next: bool,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for TopMap<'_, '_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        let Some(key) = self.map.next_key_seed(KeyText)? else {
            return Ok(None);
        };
        self.code_next = key == "error_code";
        // serde_json hands keys without escapes over borrowed, others copied; so does this.
        let value = match key {
            Cow::Borrowed(k) => seed.deserialize(BorrowedStrDeserializer::new(k))?,
            Cow::Owned(k) => seed.deserialize(StringDeserializer::new(k))?,
        };
        Ok(Some(value))
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        if !std::mem::take(&mut self.code_next) {
            return self.map.next_value_seed(seed);
        }
        // The code is looked at and handed on to `T`; it is a short scalar, so holding it as a
        // `Value` costs next to nothing.
        let code: serde_json::Value = self.map.next_value()?;
        self.watch.codes += 1;
        if !(code.is_null() || code == self.watch.success_code) {
            self.watch.only_success = false;
        }
        seed.deserialize(code).map_err(A::Error::custom)
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// Reads an object key as text, borrowed from the body when it has no escapes.
struct KeyText;

impl<'de> DeserializeSeed<'de> for KeyText {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(KeyTextVisitor)
    }
}

struct KeyTextVisitor;

impl<'de> Visitor<'de> for KeyTextVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }
    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The helpers as they were when they read a `serde_json::Value`: the new ones must agree
    // with them on values and on errors, positions included.
    fn int_code_via_value<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::Number(n) => n.as_i64().ok_or_else(|| D::Error::custom(format!("code {n} is not an integer"))),
            serde_json::Value::String(s) => s.trim().parse().map_err(|_| D::Error::custom(format!("code `{s}` is not an integer"))),
            other => Err(D::Error::custom(format!("expected an integer code, found {other}"))),
        }
    }

    fn str_code_via_value<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => Ok(s),
            serde_json::Value::Number(n) => Ok(n.to_string()),
            other => Err(D::Error::custom(format!("expected a string code, found {other}"))),
        }
    }

    fn text_opt_via_value<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => Ok(Some(s)),
            serde_json::Value::Number(n) => Ok(Some(n.to_string())),
            serde_json::Value::Null => Ok(None),
            serde_json::Value::Bool(_) => Err(D::Error::custom("expected text, found a boolean")),
            serde_json::Value::Array(_) => Err(D::Error::custom("expected text, found an array")),
            serde_json::Value::Object(_) => Err(D::Error::custom("expected text, found an object")),
        }
    }

    fn str_code_owned<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        str_code(d).map(Cow::into_owned)
    }

    #[derive(Deserialize)]
    struct New {
        #[serde(default, deserialize_with = "int_code")]
        int: i64,
        #[serde(default, deserialize_with = "str_code_owned")]
        str: String,
        #[serde(default, deserialize_with = "text_opt")]
        text: Option<String>,
        last: Option<i32>,
    }

    #[derive(Deserialize)]
    struct Old {
        #[serde(default, deserialize_with = "int_code_via_value")]
        int: i64,
        #[serde(default, deserialize_with = "str_code_via_value")]
        str: String,
        #[serde(default, deserialize_with = "text_opt_via_value")]
        text: Option<String>,
        last: Option<i32>,
    }

    const VALUES: &[&str] = &[
        r#""x""#,
        r#""a\"b\u00e9""#,
        r#"" 12 ""#,
        "5",
        "-5",
        "1.5",
        "1e20",
        "18446744073709551615",
        "-9223372036854775809",
        "null",
        "true",
        "[1,{\"a\":2}]",
        "{\"a\":[1]}",
        "[1,",
        "\"unterminated",
    ];

    #[test]
    fn helpers_agree_with_the_value_based_ones() {
        for field in ["int", "str", "text"] {
            for value in VALUES {
                // Compact, pretty with the value last, and followed by another field: errors are
                // positioned after the value or after the closing brace.
                for body in [format!("{{\"{field}\":{value}}}"), format!("{{\n  \"{field}\": {value}\n}}\n"), format!("{{\"{field}\": {value}, \"last\": 1}}")] {
                    let new = format!("{:?}", serde_json::from_str::<New>(&body).map(|v| (v.int, v.str, v.text, v.last)));
                    let old = format!("{:?}", serde_json::from_str::<Old>(&body).map(|v| (v.int, v.str, v.text, v.last)));
                    assert_eq!(new, old, "body {body}");
                }
            }
        }
    }

    #[test]
    fn codes_are_borrowed_from_the_body_when_they_can_be() {
        let mut de = serde_json::Deserializer::from_str(r#""CBC.0000""#);
        assert!(matches!(str_code(&mut de), Ok(Cow::Borrowed("CBC.0000"))));
        let mut de = serde_json::Deserializer::from_str(r#""CBC\u002e0000""#);
        assert!(matches!(str_code(&mut de), Ok(Cow::Owned(s)) if s == "CBC.0000"));
    }
}
