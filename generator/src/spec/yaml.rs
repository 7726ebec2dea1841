//! YAML to serde, straight from `saphyr-parser`'s event stream.
//!
//! The spec needs three things a general-purpose YAML deserializer does not give together:
//! every error placed at a line and column (including the ones serde's derived code raises, such
//! as an unknown or missing field), a duplicate mapping key refused with the positions of both
//! occurrences, and no unsafe or archived code underneath. The events are read once and fed to
//! the visitors directly; no document tree is built.
//!
//! Scalars resolve as in the YAML 1.2 core schema, the way `serde_yaml` resolves them (so the
//! spec reads the same as it did with it): a plain scalar is null, a boolean, an integer or a
//! float when it looks like one, a string otherwise; a quoted or block scalar is always a
//! string; a string field accepts any scalar as written (`version: 1.10` stays `"1.10"`).
//! Aliases are not part of the spec format and are refused (an anchor alone changes nothing).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError, StrInput};
use serde::de::{self, DeserializeSeed, Visitor};

/// Containers nested deeper than this are refused: the deserializer recurses once per level.
const MAX_DEPTH: usize = 128;

/// Decodes one YAML document.
pub fn from_str<'de, T: de::Deserialize<'de>>(text: &'de str) -> Result<T, Error> {
    let mut de = De {
        parser: Parser::new_from_str(text),
        peeked: None,
        depth: 0,
    };
    de.expect_start()?;
    let value = T::deserialize(&mut de)?;
    de.expect_end()?;
    Ok(value)
}

/// A decoding error with its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    message: String,
    /// 1-based line and column; `None` until the innermost node that saw the error places it.
    position: Option<(usize, usize)>,
    /// Steps from the node the error is about up to the root (innermost first).
    path: Vec<Step>,
    duplicate_of: Option<(usize, usize)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

impl Error {
    fn new(message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
            position: None,
            path: Vec::new(),
            duplicate_of: None,
        }
    }

    fn at(mut self, mark: Marker) -> Error {
        if self.position.is_none() {
            self.position = Some(position(mark));
        }
        self
    }

    fn within(mut self, step: Step) -> Error {
        self.path.push(step);
        self
    }

    /// 1-based line.
    pub fn line(&self) -> usize {
        self.position.map_or(1, |p| p.0)
    }

    /// 1-based column, in characters.
    pub fn column(&self) -> usize {
        self.position.map_or(1, |p| p.1)
    }

    /// For a duplicate mapping key: line and column of its first occurrence (the error itself is
    /// placed at the second).
    pub fn duplicate_of(&self) -> Option<(usize, usize)> {
        self.duplicate_of
    }

    /// The message, prefixed with the path of the node it is about (`operations[2].method: …`),
    /// without the position.
    pub fn message(&self) -> String {
        if self.path.is_empty() {
            return self.message.clone();
        }
        let mut path = String::new();
        for step in self.path.iter().rev() {
            match step {
                Step::Key(k) if path.is_empty() => path.push_str(k),
                Step::Key(k) => {
                    path.push('.');
                    path.push_str(k);
                }
                Step::Index(i) => {
                    path.push('[');
                    path.push_str(&i.to_string());
                    path.push(']');
                }
            }
        }
        format!("{path}: {}", self.message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.message(),
            self.line(),
            self.column()
        )
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Error {
        Error::new(msg.to_string())
    }
}

fn position(mark: Marker) -> (usize, usize) {
    (mark.line().max(1), mark.col() + 1)
}

fn scan_error(e: ScanError) -> Error {
    Error::new(e.info().to_string()).at(*e.marker())
}

struct De<'de> {
    parser: Parser<'de, StrInput<'de>>,
    peeked: Option<(Event<'de>, Marker)>,
    depth: usize,
}

impl<'de> De<'de> {
    fn next(&mut self) -> Result<(Event<'de>, Marker), Error> {
        if let Some(ev) = self.peeked.take() {
            return Ok(ev);
        }
        match self.parser.next_event() {
            Some(Ok((ev, span))) => Ok((ev, span.start)),
            Some(Err(e)) => Err(scan_error(e)),
            None => Err(Error::new("unexpected end of the file")),
        }
    }

    fn peek(&mut self) -> Result<&Event<'de>, Error> {
        if self.peeked.is_none() {
            let ev = self.next()?;
            self.peeked = Some(ev);
        }
        match &self.peeked {
            Some((ev, _)) => Ok(ev),
            None => Err(Error::new("unexpected end of the file")),
        }
    }

    fn expect_start(&mut self) -> Result<(), Error> {
        loop {
            let (ev, mark) = self.next()?;
            match ev {
                Event::StreamStart | Event::Nothing => {}
                Event::DocumentStart(_) => return Ok(()),
                Event::StreamEnd => return Err(Error::new("the file is empty").at(mark)),
                _ => return Err(Error::new("expected the start of a YAML document").at(mark)),
            }
        }
    }

    fn expect_end(&mut self) -> Result<(), Error> {
        loop {
            let (ev, mark) = self.next()?;
            match ev {
                Event::DocumentEnd | Event::Nothing => {}
                Event::StreamEnd => return Ok(()),
                Event::DocumentStart(_) => {
                    return Err(Error::new(
                        "the file holds more than one YAML document; a spec file is one document",
                    )
                    .at(mark));
                }
                _ => return Err(Error::new("unexpected content after the document").at(mark)),
            }
        }
    }

    fn enter(&mut self, mark: Marker) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Error::new(format!("nesting deeper than {MAX_DEPTH} levels")).at(mark));
        }
        Ok(())
    }

    /// Hands a node that is not a scalar to the visitor (which refuses it unless it expects a
    /// sequence or a mapping).
    fn container<V: Visitor<'de>>(
        &mut self,
        ev: Event<'de>,
        mark: Marker,
        visitor: V,
    ) -> Result<V::Value, Error> {
        match ev {
            Event::SequenceStart(..) => {
                self.enter(mark)?;
                let mut seq = Seq {
                    de: self,
                    index: 0,
                    done: false,
                };
                let value = visitor.visit_seq(&mut seq)?;
                if !seq.done {
                    return Err(Error::new("the sequence has more items than expected").at(mark));
                }
                self.depth -= 1;
                Ok(value)
            }
            Event::MappingStart(..) => {
                self.enter(mark)?;
                let mut map = Map {
                    de: self,
                    seen: HashMap::new(),
                    key: None,
                    done: false,
                };
                let value = visitor.visit_map(&mut map)?;
                if !map.done {
                    return Err(Error::new("the mapping has more keys than expected").at(mark));
                }
                self.depth -= 1;
                Ok(value)
            }
            Event::Alias(_) => Err(Error::new(
                "aliases (`*name`) are not part of the spec format; write the value out",
            )),
            _ => Err(Error::new("expected a value")),
        }
    }

    /// Skips one node, with everything nested in it.
    fn skip(&mut self, ev: Event<'de>) -> Result<(), Error> {
        let mut open = match ev {
            Event::SequenceStart(..) | Event::MappingStart(..) => 1usize,
            _ => return Ok(()),
        };
        while open > 0 {
            match self.next()?.0 {
                Event::SequenceStart(..) | Event::MappingStart(..) => open += 1,
                Event::SequenceEnd | Event::MappingEnd => open -= 1,
                _ => {}
            }
        }
        Ok(())
    }
}

/// Calls `$scalar` on a scalar node and hands any other node to [`De::container`]; the error is
/// placed at the node.
macro_rules! node {
    ($de:expr, $visitor:ident, $scalar:ident) => {{
        let (ev, mark) = $de.next()?;
        match ev {
            Event::Scalar(value, style, _, tag) => Scalar {
                value,
                plain: style == ScalarStyle::Plain && tag.is_none(),
            }
            .$scalar($visitor),
            other => $de.container(other, mark, $visitor),
        }
        .map_err(|e| e.at(mark))
    }};
}

macro_rules! by_resolution {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            node!(self, visitor, deserialize_any)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for &mut De<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        node!(self, visitor, deserialize_any)
    }

    by_resolution! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128 deserialize_f32 deserialize_f64 deserialize_unit deserialize_seq
        deserialize_map deserialize_bytes deserialize_byte_buf
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        node!(self, visitor, deserialize_str)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        node!(self, visitor, deserialize_str)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        node!(self, visitor, deserialize_str)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        node!(self, visitor, deserialize_str)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let none = match self.peek()? {
            Event::Scalar(value, ScalarStyle::Plain, _, None) => is_null(value),
            _ => false,
        };
        if none {
            self.next()?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    /// Only unit variants, written as their name: the spec format has no other enums.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let (ev, mark) = self.next()?;
        match ev {
            Event::Scalar(value, ..) => Scalar {
                value,
                plain: false,
            }
            .deserialize_enum_of(name, variants, visitor),
            other => self.container(other, mark, visitor),
        }
        .map_err(|e| e.at(mark))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let (ev, mark) = self.next()?;
        if let Event::Alias(_) = ev {
            return Err(Error::new(
                "aliases (`*name`) are not part of the spec format; write the value out",
            )
            .at(mark));
        }
        self.skip(ev)?;
        visitor.visit_unit()
    }
}

/// One scalar node.
struct Scalar<'de> {
    value: Cow<'de, str>,
    /// Plain and untagged: resolved by its look; otherwise always a string.
    plain: bool,
}

impl<'de> Scalar<'de> {
    fn visit_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
            Cow::Owned(s) => visitor.visit_string(s),
        }
    }

    fn deserialize_enum_of<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_enum(de::value::CowStrDeserializer::<Error>::new(self.value))
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if !self.plain {
            return self.visit_str(visitor);
        }
        let v: &str = &self.value;
        if is_null(v) {
            return visitor.visit_unit();
        }
        match v {
            "true" | "True" | "TRUE" => return visitor.visit_bool(true),
            "false" | "False" | "FALSE" => return visitor.visit_bool(false),
            _ => {}
        }
        if let Some(n) = int(v) {
            return match n {
                Int::U64(n) => visitor.visit_u64(n),
                Int::I64(n) => visitor.visit_i64(n),
                Int::U128(n) => visitor.visit_u128(n),
                Int::I128(n) => visitor.visit_i128(n),
            };
        }
        if let Some(f) = float(v) {
            return visitor.visit_f64(f);
        }
        self.visit_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.visit_str(visitor)
    }
}

impl<'de> de::Deserializer<'de> for Scalar<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        Scalar::deserialize_any(self, visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.visit_str(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.visit_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.visit_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.plain && is_null(&self.value) {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_enum_of(name, variants, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf unit
        unit_struct seq tuple tuple_struct map struct ignored_any
    }
}

fn is_null(v: &str) -> bool {
    matches!(v, "" | "~" | "null" | "Null" | "NULL")
}

enum Int {
    U64(u64),
    I64(i64),
    U128(u128),
    I128(i128),
}

/// An integer of the core schema: decimal (no leading zero: `007` is a string, as in
/// `serde_yaml`), or `0x`/`0o`/`0b` with an optional sign before the prefix.
fn int(v: &str) -> Option<Int> {
    let (negative, unsigned) = match v.as_bytes().first()? {
        b'-' => (true, &v[1..]),
        b'+' => (false, &v[1..]),
        _ => (false, v),
    };
    let (radix, digits) = if let Some(d) = unsigned.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = unsigned.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = unsigned.strip_prefix("0b") {
        (2, d)
    } else {
        if unsigned.len() > 1 && unsigned.starts_with('0') {
            return None;
        }
        (10, unsigned)
    };
    // `from_str_radix` accepts a sign of its own; the sign was taken above.
    if digits.is_empty() || !digits.bytes().all(|b| (b as char).is_digit(radix)) {
        return None;
    }
    let magnitude = u128::from_str_radix(digits, radix).ok()?;
    if negative {
        if magnitude == 0 {
            return Some(Int::U64(0));
        }
        if let Ok(n) = i64::try_from(magnitude) {
            return Some(Int::I64(-n));
        }
        if magnitude == i64::MAX as u128 + 1 {
            return Some(Int::I64(i64::MIN));
        }
        return i128::try_from(magnitude).ok().map(|n| Int::I128(-n));
    }
    Some(match u64::try_from(magnitude) {
        Ok(n) => Int::U64(n),
        Err(_) => Int::U128(magnitude),
    })
}

/// A finite float, `.inf` or `.nan` of the core schema.
fn float(v: &str) -> Option<f64> {
    let unsigned = v.strip_prefix(['+', '-']).unwrap_or(v);
    match unsigned {
        ".inf" | ".Inf" | ".INF" => {
            return Some(if v.starts_with('-') {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            });
        }
        ".nan" | ".NaN" | ".NAN" if v == unsigned => return Some(f64::NAN),
        _ => {}
    }
    let digits = unsigned.bytes().filter(u8::is_ascii_digit).count();
    // Rust also parses `inf`, `nan` and `infinity`; YAML does not. Leading zeros make a string.
    let leading_zero = unsigned.len() > 1
        && unsigned.starts_with('0')
        && unsigned.bytes().all(|b| b.is_ascii_digit());
    if digits == 0 || leading_zero || unsigned.starts_with(['+', '-']) {
        return None;
    }
    v.parse::<f64>().ok().filter(|f| f.is_finite())
}

struct Seq<'a, 'de> {
    de: &'a mut De<'de>,
    index: usize,
    done: bool,
}

impl<'de> de::SeqAccess<'de> for Seq<'_, 'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if self.done {
            return Ok(None);
        }
        if let Event::SequenceEnd = self.de.peek()? {
            self.de.next()?;
            self.done = true;
            return Ok(None);
        }
        let index = self.index;
        self.index += 1;
        seed.deserialize(&mut *self.de)
            .map(Some)
            .map_err(|e| e.within(Step::Index(index)))
    }
}

struct Map<'a, 'de> {
    de: &'a mut De<'de>,
    /// Keys read so far and where: a key read twice is an error naming both places.
    seen: HashMap<Cow<'de, str>, Marker>,
    key: Option<Cow<'de, str>>,
    done: bool,
}

impl<'de> de::MapAccess<'de> for Map<'_, 'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if self.done {
            return Ok(None);
        }
        let (ev, mark) = self.de.next()?;
        let (value, style, tag) = match ev {
            Event::MappingEnd => {
                self.done = true;
                return Ok(None);
            }
            Event::Scalar(value, style, _, tag) => (value, style, tag),
            _ => {
                return Err(Error::new(
                    "a mapping key must be a plain name, not a list, a mapping or an alias",
                )
                .at(mark));
            }
        };
        match self.seen.entry(value.clone()) {
            std::collections::hash_map::Entry::Occupied(first) => {
                let mut e = Error::new(format!(
                    "key `{value}` appears twice in this mapping (YAML would silently keep only the second)"
                ))
                .at(mark);
                e.duplicate_of = Some(position(*first.get()));
                return Err(e);
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(mark);
            }
        }
        self.key = Some(value.clone());
        let key = Scalar {
            value,
            plain: style == ScalarStyle::Plain && tag.is_none(),
        };
        seed.deserialize(key).map(Some).map_err(|e| e.at(mark))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        seed.deserialize(&mut *self.de).map_err(|e| {
            let key = self.key.as_deref().unwrap_or_default().to_string();
            e.within(Step::Key(key))
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Op {
        id: String,
        #[serde(default)]
        limit: Option<u16>,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        kind: Option<Kind>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Query,
        Path,
    }

    #[test]
    fn plain_scalars_resolve_like_the_core_schema() {
        let v: serde_json::Value = from_str(
            "a: 1\nb: -2\nc: 1.5\nd: true\ne: ~\nf: '7'\ng: 007\nh: 0x1f\ni: text\nj: .inf\n",
        )
        .expect("decodes");
        assert_eq!(v["a"], 1);
        assert_eq!(v["b"], -2);
        assert_eq!(v["c"], 1.5);
        assert_eq!(v["d"], true);
        assert!(v["e"].is_null());
        assert_eq!(v["f"], "7");
        assert_eq!(v["g"], "007");
        assert_eq!(v["h"], 31);
        assert_eq!(v["i"], "text");
        // serde_json has no infinity: a non-finite float becomes null.
        assert!(v["j"].is_null());
    }

    #[test]
    fn a_string_field_takes_any_scalar_as_written() {
        let op: Op = from_str("id: 1.10\n").expect("decodes");
        assert_eq!(op.id, "1.10");
    }

    #[test]
    fn options_enums_and_lists() {
        let op: Op = from_str("id: x\nlimit: 10\ntags: [a, b]\nkind: path\n").expect("decodes");
        assert_eq!(
            op,
            Op {
                id: "x".into(),
                limit: Some(10),
                tags: vec!["a".into(), "b".into()],
                kind: Some(Kind::Path),
            }
        );
        let op: Op = from_str("id: x\nlimit: null\n").expect("decodes");
        assert_eq!(op.limit, None);
    }

    #[test]
    fn unknown_field_is_placed_at_its_key_with_the_path() {
        let e =
            from_str::<BTreeMap<String, Vec<Op>>>("ops:\n  - id: a\n  - id: b\n    retries: 2\n")
                .expect_err("refused");
        assert_eq!((e.line(), e.column()), (4, 5));
        assert!(
            e.message().starts_with("ops[1]: unknown field `retries`"),
            "{}",
            e.message()
        );
    }

    #[test]
    fn type_errors_are_placed_at_the_value() {
        let e = from_str::<Op>("id: a\nlimit: 70000\n").expect_err("refused");
        assert_eq!((e.line(), e.column()), (2, 8));
        assert!(
            e.message()
                .contains("limit: invalid value: integer `70000`"),
            "{}",
            e.message()
        );
        let e = from_str::<Op>("id: a\nkind: header\n").expect_err("refused");
        assert_eq!((e.line(), e.column()), (2, 7));
        assert!(
            e.message().contains("unknown variant `header`"),
            "{}",
            e.message()
        );
    }

    #[test]
    fn missing_field_is_placed_at_its_mapping() {
        let e = from_str::<Vec<Op>>("- id: a\n- limit: 3\n").expect_err("refused");
        assert_eq!((e.line(), e.column()), (2, 3));
        assert_eq!(e.message(), "[1]: missing field `id`");
    }

    #[test]
    fn duplicate_keys_name_both_positions() {
        let e = from_str::<Op>("id: a\nlimit: 1\nid: b\n").expect_err("refused");
        assert_eq!((e.line(), e.column()), (3, 1));
        assert_eq!(e.duplicate_of(), Some((1, 1)));
        assert!(
            e.message().contains("key `id` appears twice"),
            "{}",
            e.message()
        );
        // In a free-form map and nested in a value as well.
        let e =
            from_str::<serde_json::Value>("a:\n  b: 1\n  c: {x: 1, x: 2}\n").expect_err("refused");
        assert_eq!((e.line(), e.column()), (3, 13));
        assert_eq!(e.duplicate_of(), Some((3, 7)));
        assert!(e.message().starts_with("a.c: key `x`"), "{}", e.message());
    }

    #[test]
    fn syntax_errors_deep_nesting_aliases_and_documents_are_refused_with_a_position() {
        for text in [
            "a: [1, 2\n",
            &format!("a: {}{}\n", "[".repeat(300), "]".repeat(300)),
            "a: &x 1\nb: *x\n",
            "a: 1\n---\nb: 2\n",
            "",
        ] {
            let e = from_str::<serde_json::Value>(text).expect_err(text);
            assert!(e.line() >= 1 && e.column() >= 1, "{e}");
        }
    }
}
