//! An exact decimal for money.
//!
//! The documents type amounts as `BigDecimal`, `Double`, `Number` or a string, and bills carry up
//! to eight decimal places, so amounts are never `f64`. The wire form (number or quoted string) is
//! remembered so that a value is sent back the way it came.

use std::fmt;
use std::str::FromStr;

/// An exact decimal number, as used for every amount of money.
#[derive(Clone, Copy, Default, Eq)]
pub struct Decimal {
    value: rust_decimal::Decimal,
    quoted: bool,
}

impl Decimal {
    /// The value.
    pub fn value(&self) -> rust_decimal::Decimal {
        self.value
    }

    /// Whether the service sent (and this value will send) the number as a JSON string.
    pub fn is_quoted(&self) -> bool {
        self.quoted
    }

    /// The same value, sent as a JSON string.
    #[must_use]
    pub fn quoted(mut self) -> Self {
        self.quoted = true;
        self
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl std::hash::Hash for Decimal {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // Equal values hash equally whatever their wire form, as `PartialEq` compares values.
        self.value.normalize().hash(state);
    }
}

impl From<rust_decimal::Decimal> for Decimal {
    fn from(value: rust_decimal::Decimal) -> Self {
        Decimal { value, quoted: false }
    }
}

impl From<i64> for Decimal {
    fn from(v: i64) -> Self {
        rust_decimal::Decimal::from(v).into()
    }
}

impl From<i32> for Decimal {
    fn from(v: i32) -> Self {
        rust_decimal::Decimal::from(v).into()
    }
}

impl FromStr for Decimal {
    type Err = rust_decimal::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s.trim()).map(Decimal::from)
    }
}

/// Accepts plain and scientific notation (`1e-8`), which JSON numbers may use.
fn parse(s: &str) -> Result<rust_decimal::Decimal, rust_decimal::Error> {
    if s.contains(['e', 'E']) {
        rust_decimal::Decimal::from_scientific(s)
    } else {
        rust_decimal::Decimal::from_str_exact(s)
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.value, f)
    }
}

impl fmt::Debug for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.value, f)
    }
}

impl serde::Serialize for Decimal {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = self.value.to_string();
        if self.quoted {
            serializer.serialize_str(&text)
        } else {
            // A raw JSON number keeps every digit; going through f64 would not.
            match serde_json::value::RawValue::from_string(text) {
                Ok(raw) => raw.serialize(serializer),
                Err(e) => Err(serde::ser::Error::custom(e)),
            }
        }
    }
}

impl<'de> serde::Deserialize<'de> for Decimal {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Visitor)
    }
}

struct Visitor;

impl serde::de::Visitor<'_> for Visitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal number or a string holding one")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Decimal, E> {
        parse(v.trim()).map(|value| Decimal { value, quoted: true }).map_err(|e| E::custom(format!("`{v}` is not a decimal: {e}")))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(rust_decimal::Decimal::from(v).into())
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Decimal, E> {
        // Rust prints the shortest text that reads back as the same f64, which is the text the
        // server sent for any amount of up to 15 significant digits.
        if !v.is_finite() {
            return Err(E::custom("a decimal must be finite"));
        }
        parse(&format!("{v}")).map(Decimal::from).map_err(E::custom)
    }
}
