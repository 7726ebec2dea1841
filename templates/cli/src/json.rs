//! A JSON tree that keeps numbers as the text the service sent, so that decimals (prices,
//! amounts) print exactly, whatever `serde_json` features other crates enable; and its
//! JSON and YAML renderings.

use std::fmt::Write as _;

/// A JSON value; objects keep their members in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string.
    Text(String),
    /// An array.
    Array(Vec<Node>),
    /// An object.
    Object(Vec<(String, Node)>),
}

impl Node {
    /// Parses JSON text (as `serde_json` writes it, or as a user types it).
    pub fn parse(text: &str) -> Result<Node, String> {
        let mut p = Parser {
            s: text.as_bytes(),
            at: 0,
        };
        let v = p.value(0)?;
        p.ws();
        if p.at != p.s.len() {
            return Err(p.fail("trailing characters"));
        }
        Ok(v)
    }

    /// The member `name` of an object.
    pub fn get(&self, name: &str) -> Option<&Node> {
        match self {
            Node::Object(m) => m.iter().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A scalar as a table cell or CSV field; arrays and objects as compact JSON.
    pub fn cell(&self) -> String {
        match self {
            Node::Null => String::new(),
            Node::Bool(b) => b.to_string(),
            Node::Number(n) => n.clone(),
            Node::Text(s) => s.clone(),
            _ => self.json(false),
        }
    }

    /// JSON text, pretty (two-space indent) or compact.
    pub fn json(&self, pretty: bool) -> String {
        let mut out = String::new();
        self.write_json(&mut out, pretty, 0);
        out
    }

    fn write_json(&self, out: &mut String, pretty: bool, depth: usize) {
        let nl = |out: &mut String, d: usize| {
            if pretty {
                out.push('\n');
                out.push_str(&"  ".repeat(d));
            }
        };
        match self {
            Node::Null => out.push_str("null"),
            Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Node::Number(n) => out.push_str(n),
            Node::Text(s) => quote(out, s),
            Node::Array(items) if items.is_empty() => out.push_str("[]"),
            Node::Object(m) if m.is_empty() => out.push_str("{}"),
            Node::Array(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    nl(out, depth + 1);
                    v.write_json(out, pretty, depth + 1);
                }
                nl(out, depth);
                out.push(']');
            }
            Node::Object(m) => {
                out.push('{');
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    nl(out, depth + 1);
                    quote(out, k);
                    out.push_str(if pretty { ": " } else { ":" });
                    v.write_json(out, pretty, depth + 1);
                }
                nl(out, depth);
                out.push('}');
            }
        }
    }

    /// YAML text (block style; strings quoted whenever YAML could read them as another type).
    pub fn yaml(&self) -> String {
        let mut out = String::new();
        match self {
            Node::Array(v) if !v.is_empty() => self.write_yaml(&mut out, 0),
            Node::Object(m) if !m.is_empty() => self.write_yaml(&mut out, 0),
            scalar => {
                out.push_str(&yaml_scalar(scalar));
                out.push('\n');
            }
        }
        out
    }

    fn write_yaml(&self, out: &mut String, indent: usize) {
        let pad = "  ".repeat(indent);
        match self {
            Node::Array(items) => {
                for v in items {
                    match v {
                        // `- key: value` with the other members under the first: the item
                        // rendered one level deeper, its first indent replaced by the dash.
                        Node::Array(i) if !i.is_empty() => v.yaml_item(out, &pad, indent),
                        Node::Object(m) if !m.is_empty() => v.yaml_item(out, &pad, indent),
                        _ => {
                            out.push_str(&pad);
                            out.push('-');
                            v.yaml_child(out, indent + 1);
                        }
                    }
                }
            }
            Node::Object(m) => {
                for (k, v) in m {
                    out.push_str(&pad);
                    out.push_str(&yaml_key(k));
                    out.push(':');
                    v.yaml_child(out, indent + 1);
                }
            }
            _ => {}
        }
    }

    fn yaml_item(&self, out: &mut String, pad: &str, indent: usize) {
        let mut inner = String::new();
        self.write_yaml(&mut inner, indent + 1);
        out.push_str(pad);
        out.push_str("- ");
        out.push_str(&inner[pad.len() + 2..]);
    }

    /// The value after `key:` or `-`: inline when scalar or empty, else on the next lines.
    fn yaml_child(&self, out: &mut String, indent: usize) {
        match self {
            Node::Array(v) if !v.is_empty() => {
                out.push('\n');
                self.write_yaml(out, indent);
            }
            Node::Object(m) if !m.is_empty() => {
                out.push('\n');
                self.write_yaml(out, indent);
            }
            scalar => {
                out.push(' ');
                out.push_str(&yaml_scalar(scalar));
                out.push('\n');
            }
        }
    }
}

fn yaml_key(k: &str) -> String {
    if plain_safe(k) {
        k.to_string()
    } else {
        yaml_quoted(k)
    }
}

fn yaml_scalar(v: &Node) -> String {
    match v {
        Node::Null => "null".into(),
        Node::Bool(b) => b.to_string(),
        Node::Number(n) => n.clone(),
        Node::Text(s) if plain_safe(s) => s.clone(),
        Node::Text(s) => yaml_quoted(s),
        Node::Array(_) => "[]".into(),
        Node::Object(_) => "{}".into(),
    }
}

/// Whether a string reads back as the same string when written plain.
fn plain_safe(s: &str) -> bool {
    let reserved = [
        "true", "false", "yes", "no", "on", "off", "null", "~", "y", "n",
    ];
    !s.is_empty()
        && !reserved.contains(&s.to_ascii_lowercase().as_str())
        && s.parse::<f64>().is_err()
        // A leading digit may read as a date, a time or a number in YAML 1.1 (`2024-01-01`).
        && !s.starts_with(|c: char| c.is_ascii_digit() || c.is_whitespace() || "-?:,[]{}#&*!|>'\"%@`.+".contains(c))
        && !s.ends_with(char::is_whitespace)
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.chars().any(|c| c.is_control())
}

fn yaml_quoted(s: &str) -> String {
    // A JSON string is a valid double-quoted YAML scalar.
    let mut out = String::new();
    quote(&mut out, s);
    out
}

fn quote(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Nesting beyond this is refused, so a hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 128;

struct Parser<'a> {
    s: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn fail(&self, what: &str) -> String {
        let line = self.s[..self.at.min(self.s.len())]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        let col = self.s[..self.at.min(self.s.len())]
            .iter()
            .rev()
            .take_while(|b| **b != b'\n')
            .count()
            + 1;
        format!("{what} at line {line} column {col}")
    }

    fn ws(&mut self) {
        while self.at < self.s.len() && self.s[self.at].is_ascii_whitespace() {
            self.at += 1;
        }
    }

    fn eat(&mut self, word: &str) -> bool {
        if self.s[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, String> {
        if depth > MAX_DEPTH {
            return Err(self.fail("nesting too deep"));
        }
        self.ws();
        match self.s.get(self.at) {
            None => Err(self.fail("unexpected end of input")),
            Some(b'n') if self.eat("null") => Ok(Node::Null),
            Some(b't') if self.eat("true") => Ok(Node::Bool(true)),
            Some(b'f') if self.eat("false") => Ok(Node::Bool(false)),
            Some(b'"') => self.string().map(Node::Text),
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                self.ws();
                if self.eat("]") {
                    return Ok(Node::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    if self.eat(",") {
                        continue;
                    }
                    if self.eat("]") {
                        return Ok(Node::Array(items));
                    }
                    return Err(self.fail("expected `,` or `]`"));
                }
            }
            Some(b'{') => {
                self.at += 1;
                let mut members = Vec::new();
                self.ws();
                if self.eat("}") {
                    return Ok(Node::Object(members));
                }
                loop {
                    self.ws();
                    if self.s.get(self.at) != Some(&b'"') {
                        return Err(self.fail("expected a member name"));
                    }
                    let k = self.string()?;
                    self.ws();
                    if !self.eat(":") {
                        return Err(self.fail("expected `:`"));
                    }
                    let v = self.value(depth + 1)?;
                    members.push((k, v));
                    self.ws();
                    if self.eat(",") {
                        continue;
                    }
                    if self.eat("}") {
                        return Ok(Node::Object(members));
                    }
                    return Err(self.fail("expected `,` or `}`"));
                }
            }
            Some(c) if *c == b'-' || c.is_ascii_digit() => {
                let start = self.at;
                self.at += 1;
                while self.at < self.s.len()
                    && matches!(
                        self.s[self.at],
                        b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-'
                    )
                {
                    self.at += 1;
                }
                let text = std::str::from_utf8(&self.s[start..self.at]).unwrap_or_default();
                if text.parse::<f64>().is_err() {
                    self.at = start;
                    return Err(self.fail("malformed number"));
                }
                Ok(Node::Number(text.to_string()))
            }
            Some(_) => Err(self.fail("expected a JSON value")),
        }
    }

    fn string(&mut self) -> Result<String, String> {
        self.at += 1;
        let mut out = Vec::new();
        loop {
            let Some(&c) = self.s.get(self.at) else {
                return Err(self.fail("unterminated string"));
            };
            self.at += 1;
            match c {
                b'"' => return String::from_utf8(out).map_err(|_| self.fail("invalid UTF-8")),
                b'\\' => {
                    let Some(&e) = self.s.get(self.at) else {
                        return Err(self.fail("unterminated string"));
                    };
                    self.at += 1;
                    let ch = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) && self.eat("\\u") {
                                let lo = self.hex4()?;
                                0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF)
                            } else {
                                hi
                            };
                            char::from_u32(code).unwrap_or('\u{FFFD}')
                        }
                        _ => return Err(self.fail("bad escape")),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                c => out.push(c),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let digits = self
            .s
            .get(self.at..self.at + 4)
            .ok_or_else(|| self.fail("bad \\u escape"))?;
        let text = std::str::from_utf8(digits).map_err(|_| self.fail("bad \\u escape"))?;
        let v = u32::from_str_radix(text, 16).map_err(|_| self.fail("bad \\u escape"))?;
        self.at += 4;
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_text() {
        let n = Node::parse(r#"{"amount": 0.10, "big": 12345678901234567890.000001}"#).unwrap();
        assert_eq!(
            n.json(false),
            r#"{"amount":0.10,"big":12345678901234567890.000001}"#
        );
    }

    #[test]
    fn yaml_quotes_what_would_read_as_another_type() {
        let n = Node::parse(
            r#"{"a": "true", "b": "0.5", "c": "plain", "d": [], "e": [1, {"f": null}]}"#,
        )
        .unwrap();
        assert_eq!(
            n.yaml(),
            "a: \"true\"\nb: \"0.5\"\nc: plain\nd: []\ne:\n  - 1\n  - f: null\n"
        );
        let n = Node::parse(r#"[{"a": "2024-01-01", "b": [[1, 2], {"c": {}}]}]"#).unwrap();
        assert_eq!(
            n.yaml(),
            "- a: \"2024-01-01\"\n  b:\n    - - 1\n      - 2\n    - c: {}\n"
        );
    }

    #[test]
    fn errors_are_located() {
        let e = Node::parse("{\n  \"a\": tru }").unwrap_err();
        assert_eq!(e, "expected a JSON value at line 2 column 8");
        assert!(Node::parse("[1,]").is_err());
        assert!(Node::parse("1 2").is_err());
        assert!(
            Node::parse(&"[".repeat(1000))
                .unwrap_err()
                .contains("too deep")
        );
    }
}
