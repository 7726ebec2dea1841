//! Serde helpers shared by the generated models.

// Which helpers are used depends on the API groups (cargo features) enabled.
#![allow(dead_code)]

use std::fmt;

use serde::de::{DeserializeOwned, Error as _};
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
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Number(n) => n.as_i64().ok_or_else(|| D::Error::custom(format!("code {n} is not an integer"))),
        serde_json::Value::String(s) => s.trim().parse().map_err(|_| D::Error::custom(format!("code `{s}` is not an integer"))),
        other => Err(D::Error::custom(format!("expected an integer code, found {other}"))),
    }
}

/// Decodes a string code, also when sent as a number.
pub(crate) fn str_code<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Ok(s),
        serde_json::Value::Number(n) => Ok(n.to_string()),
        other => Err(D::Error::custom(format!("expected a string code, found {other}"))),
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
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Ok(Some(s)),
        serde_json::Value::Number(n) => Ok(Some(n.to_string())),
        serde_json::Value::Null => Ok(None),
        serde_json::Value::Bool(_) => Err(D::Error::custom("expected text, found a boolean")),
        serde_json::Value::Array(_) => Err(D::Error::custom("expected text, found an array")),
        serde_json::Value::Object(_) => Err(D::Error::custom("expected text, found an object")),
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
