//! The type and range cells of parameter and field tables.

use super::lines;
use crate::docs::model::{Constraint, DocType};

/// Reads a type cell (`List<Custo merOrder V2>`, `BasicInfo Object`, `Intger`).
pub fn doc_type(text: &str) -> Option<DocType> {
    let t: String = lines::half_width(text).split_whitespace().collect();
    if t.is_empty() || t == "-" {
        return None;
    }
    Some(parse_type(&t, 0))
}

fn parse_type(t: &str, depth: usize) -> DocType {
    for prefix in ["List<", "list<"] {
        if let Some(inner) = t.strip_prefix(prefix).and_then(|r| r.strip_suffix('>')) {
            if depth < 8 {
                return DocType::List(Box::new(parse_type(inner, depth + 1)));
            }
        }
    }
    match t {
        "String" | "string" => DocType::String,
        "Integer" | "integer" | "Int" | "int" => DocType::Integer,
        "Long" | "long" => DocType::Long,
        "Double" | "double" => DocType::Double,
        "BigDecimal" => DocType::BigDecimal,
        "Number" | "number" => DocType::Number,
        "Boolean" | "boolean" => DocType::Boolean,
        _ => {
            let base = t
                .strip_suffix("Object")
                .filter(|b| !b.is_empty())
                .unwrap_or(t);
            let upper = base.chars().next().is_some_and(|c| c.is_ascii_uppercase());
            if upper && base.chars().all(|c| c.is_ascii_alphanumeric()) && base != "Intger" {
                DocType::Object(base.to_string())
            } else {
                DocType::Unknown(t.to_string())
            }
        }
    }
}

/// Reads a range cell into constraints; `-`, `--` and an empty cell state none.
pub fn constraints(text: &str) -> Vec<Constraint> {
    let t = lines::cell(text);
    if t.is_empty() || t.chars().all(|c| c == '-') {
        return Vec::new();
    }
    match parse(&t) {
        Some(c) => c,
        None => vec![Constraint::Unparsed { text: t }],
    }
}

/// The `最大长度: N` that opens a description cell, if any.
pub fn leading_length(description: &str) -> Option<String> {
    let t = lines::cell(description);
    let rest = after_label(&t, &["最大长度"])?.trim_start();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    (!digits.is_empty()).then(|| format!("最大长度: {digits}"))
}

fn number<T: std::str::FromStr>(s: &str) -> Option<T> {
    let s: String = s.split_whitespace().collect();
    s.parse().ok()
}

fn after_label<'a>(t: &'a str, labels: &[&str]) -> Option<&'a str> {
    labels
        .iter()
        .find_map(|l| t.strip_prefix(l))
        .and_then(|r| r.trim_start().strip_prefix(':'))
}

fn parse(t: &str) -> Option<Vec<Constraint>> {
    if let Some(n) = after_label(t, &["最大长度"]) {
        return Some(vec![Constraint::MaxLength { value: number(n)? }]);
    }
    if let Some(n) = after_label(t, &["最大个数", "列表最大长度"]) {
        return Some(vec![Constraint::MaxItems { value: number(n)? }]);
    }
    if let Some(n) = after_label(t, &["最大值"]) {
        return Some(vec![Constraint::Maximum { value: number(n)? }]);
    }
    if let Some(rest) = after_label(t, &["长度"]) {
        let rest = rest.trim();
        if let Some(inner) = rest.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            let (a, b) = inner.split_once('-')?;
            return Some(vec![
                Constraint::MinLength { value: number(a)? },
                Constraint::MaxLength { value: number(b)? },
            ]);
        }
        let n = number(rest)?;
        return Some(vec![
            Constraint::MinLength { value: n },
            Constraint::MaxLength { value: n },
        ]);
    }
    for (pre, post) in [("最多支持", "个"), ("只支持", "个")] {
        if let Some(n) = t.strip_prefix(pre).and_then(|r| r.strip_suffix(post)) {
            return Some(vec![Constraint::MaxItems { value: number(n)? }]);
        }
    }
    if let Some(n) = t
        .strip_prefix("大于等于")
        .and_then(|r| r.strip_suffix("的整数"))
    {
        return Some(vec![Constraint::Minimum { value: number(n)? }]);
    }
    if let Some(n) = number::<u64>(t) {
        return Some(vec![Constraint::MaxLength { value: n }]);
    }
    bracket(t)
}

/// `[1-100]`, `(0-2147483647]`, `[0-最大整数]`, `[0-4000000 0]` (digits split by a wrap), or a
/// list of values: `[email mobile name]`, `[0,2,3]`, `[-1]`, `[YES] NO]`.
fn bracket(t: &str) -> Option<Vec<Constraint>> {
    let open = t.chars().next()?;
    let close = t.chars().last()?;
    if !matches!(open, '[' | '(') || !matches!(close, ']' | ')') || t.len() < 2 {
        return None;
    }
    let inner = &t[open.len_utf8()..t.len() - close.len_utf8()];
    let compact: String = inner.split_whitespace().collect();
    // A range has a `-` after its first character (a leading `-` is a sign).
    if let Some(pos) = compact
        .char_indices()
        .skip(1)
        .find(|(_, c)| *c == '-')
        .map(|(i, _)| i)
    {
        let (a, b) = (&compact[..pos], &compact[pos + 1..]);
        let min = number::<i64>(a)?;
        let (max, max_integer) = if b == "最大整数" {
            (None, true)
        } else {
            (Some(number::<i64>(b)?), false)
        };
        return Some(vec![Constraint::Range {
            min: Some(min),
            max,
            min_exclusive: open == '(',
            max_exclusive: close == ')',
            max_integer,
        }]);
    }
    let values: Vec<String> = inner
        .split(|c: char| c.is_whitespace() || c == ',' || c == ']' || c == '[')
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect();
    if values.is_empty() || open != '[' {
        return None;
    }
    Some(vec![Constraint::Values { values }])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(min: i64, max: Option<i64>) -> Constraint {
        Constraint::Range {
            min: Some(min),
            max,
            min_exclusive: false,
            max_exclusive: false,
            max_integer: false,
        }
    }

    #[test]
    fn lengths_in_all_their_spellings() {
        for t in [
            "最大长度：32",
            "最大长度: 32",
            "最大长度： 32",
            "最大长 度： 32",
            "32",
        ] {
            assert_eq!(constraints(t), [Constraint::MaxLength { value: 32 }], "{t}");
        }
        assert_eq!(
            constraints("长度：[2-9]"),
            [
                Constraint::MinLength { value: 2 },
                Constraint::MaxLength { value: 9 }
            ]
        );
        assert_eq!(
            constraints("长度：6"),
            [
                Constraint::MinLength { value: 6 },
                Constraint::MaxLength { value: 6 }
            ]
        );
        assert!(constraints("-").is_empty());
        assert!(constraints("--").is_empty());
    }

    #[test]
    fn ranges_and_their_ends() {
        assert_eq!(constraints("[1-50]"), [range(1, Some(50))]);
        assert_eq!(constraints("[0-7000000 0]"), [range(0, Some(70000000))]);
        assert_eq!(
            constraints("[0-最大整数]"),
            [Constraint::Range {
                min: Some(0),
                max: None,
                min_exclusive: false,
                max_exclusive: false,
                max_integer: true
            }]
        );
        assert_eq!(
            constraints("(0-99]"),
            [Constraint::Range {
                min: Some(0),
                max: Some(99),
                min_exclusive: true,
                max_exclusive: false,
                max_integer: false
            }]
        );
    }

    #[test]
    fn value_lists() {
        let v = |vs: &[&str]| {
            vec![Constraint::Values {
                values: vs.iter().map(|s| s.to_string()).collect(),
            }]
        };
        assert_eq!(
            constraints("[red green blue]"),
            v(&["red", "green", "blue"])
        );
        assert_eq!(constraints("[0,4,5]"), v(&["0", "4", "5"]));
        assert_eq!(constraints("[-1]"), v(&["-1"]));
        assert_eq!(constraints("[ON] OFF]"), v(&["ON", "OFF"]));
        assert_eq!(constraints("[-1,0,1]"), v(&["-1", "0", "1"]));
    }

    #[test]
    fn item_counts_and_bounds() {
        assert_eq!(
            constraints("最大个数：7"),
            [Constraint::MaxItems { value: 7 }]
        );
        assert_eq!(
            constraints("列表最大长度：7"),
            [Constraint::MaxItems { value: 7 }]
        );
        assert_eq!(
            constraints("最多支持7个"),
            [Constraint::MaxItems { value: 7 }]
        );
        assert_eq!(
            constraints("大于等于3 的整数"),
            [Constraint::Minimum { value: 3 }]
        );
        assert_eq!(
            constraints("最大值：12"),
            [Constraint::Maximum { value: 12 }]
        );
        assert_eq!(
            constraints("一些话"),
            [Constraint::Unparsed {
                text: "一些话".into()
            }]
        );
        assert_eq!(
            constraints("[1-x]"),
            [Constraint::Unparsed {
                text: "[1-x]".into()
            }]
        );
    }

    #[test]
    fn a_length_opening_a_description() {
        assert_eq!(
            leading_length("最大长度： 12 名称。").as_deref(),
            Some("最大长度: 12")
        );
        assert_eq!(leading_length("名称。最大长度：12"), None);
    }

    #[test]
    fn types_are_normalized() {
        assert_eq!(
            doc_type("List<Fru it Basket V2>"),
            Some(DocType::List(Box::new(DocType::Object(
                "FruitBasketV2".into()
            ))))
        );
        assert_eq!(
            doc_type("Basket Object"),
            Some(DocType::Object("Basket".into()))
        );
        assert_eq!(
            doc_type("list<string>"),
            Some(DocType::List(Box::new(DocType::String)))
        );
        assert_eq!(doc_type("Intger"), Some(DocType::Unknown("Intger".into())));
        assert_eq!(
            doc_type("List<Basket Object>"),
            Some(DocType::List(Box::new(DocType::Object("Basket".into()))))
        );
        assert_eq!(doc_type(""), None);
    }
}
