//! Mapping of spec types to Rust type tokens.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::ir::{CodeListId, Model, Shape, TypeId};

/// An identifier token; names were validated, so raw identifiers are never needed.
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// Path of a type from inside the module of group `from_group`.
pub fn type_path(model: &Model, id: TypeId, from_group: &str) -> TokenStream {
    let t = &model[id];
    item_path(&t.rust, Some(&t.group), from_group)
}

/// Path of a code list from inside the module of group `from_group`.
pub fn code_list_path(model: &Model, id: CodeListId, from_group: &str) -> TokenStream {
    let c = &model[id];
    item_path(&c.name, c.group.as_deref(), from_group)
}

/// Path of an item of group `group` (`None`: the shared `codes` module) from `from_group`.
fn item_path(name: &str, group: Option<&str>, from_group: &str) -> TokenStream {
    let id = ident(name);
    match group {
        Some(g) if g == from_group => quote!(#id),
        Some(g) => {
            let g = ident(g);
            quote!(crate::#g::#id)
        }
        None => quote!(crate::codes::#id),
    }
}

/// Rust type of a value (without the `Option` of an optional field).
pub fn rust_type(model: &Model, shape: &Shape, from_group: &str) -> TokenStream {
    match shape {
        Shape::Text { .. } => quote!(::std::string::String),
        Shape::Integer { long: false, .. } => quote!(i32),
        Shape::Integer { long: true, .. } => quote!(i64),
        Shape::Decimal => quote!(crate::Decimal),
        Shape::Number => quote!(f64),
        Shape::Boolean => quote!(bool),
        Shape::Json => quote!(::serde_json::Value),
        Shape::Code(cl) => code_list_path(model, *cl, from_group),
        Shape::Object(t) => type_path(model, *t, from_group),
        Shape::List { item, .. } => {
            let i = rust_type(model, item, from_group);
            quote!(::std::vec::Vec<#i>)
        }
        Shape::Map(inner) => {
            let i = rust_type(model, inner, from_group);
            quote!(::std::collections::BTreeMap<::std::string::String, #i>)
        }
    }
}

/// `#[doc = r"..."]` attributes: a doc block, printed as `///` lines.
pub fn doc_attrs(lines: &[String]) -> TokenStream {
    doc_block(lines, false)
}

/// `#![doc = r"..."]` attributes: the doc of the enclosing module, printed as `//!` lines.
pub fn inner_doc_attrs(lines: &[String]) -> TokenStream {
    doc_block(lines, true)
}

/// Starts each line of a doc block carried by a single attribute.
const LINE_START: char = '\u{1}';

/// The attributes of a doc block. syn and prettyplease work per attribute, and one per doc line
/// cost 3% of the instructions of `generate`; so a block is one attribute whose value holds
/// every line, each after a [`LINE_START`]. prettyplease prints it as a single `///` line where
/// a doc line would be, since a doc comment stands on lines of its own, and
/// [`split_doc_blocks`] cuts that line into the block's lines. A block with a line that
/// prettyplease would not print as one `///` line keeps one attribute per line.
fn doc_block(lines: &[String], inner: bool) -> TokenStream {
    let text = |l: &String| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    };
    let values: Vec<String> = if lines.iter().any(|l| l.contains(['\n', '\r', LINE_START])) {
        lines.iter().map(text).collect()
    } else if lines.is_empty() {
        Vec::new()
    } else {
        vec![
            lines
                .iter()
                .map(|l| format!("{LINE_START}{}", text(l)))
                .collect(),
        ]
    };
    let attrs = values.iter().map(|v| {
        let v = doc_literal(v);
        if inner {
            quote!(#![doc = #v])
        } else {
            quote!(#[doc = #v])
        }
    });
    quote!(#(#attrs)*)
}

/// Cuts every doc block that [`doc_block`] carried in one attribute into its `///` (or `//!`)
/// lines, each trimmed of trailing spaces as prettyplease trims a doc line.
pub fn split_doc_blocks(text: String) -> String {
    if !text.contains(LINE_START) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for line in text.split_inclusive('\n') {
        let code = line.trim_start_matches(' ');
        let indent = &line[..line.len() - code.len()];
        let block = ["///", "//!"].into_iter().find_map(|style| {
            let lines = code.strip_prefix(style)?.strip_prefix(LINE_START)?;
            Some((style, lines.strip_suffix('\n').unwrap_or(lines)))
        });
        let Some((style, lines)) = block else {
            out.push_str(line);
            continue;
        };
        for l in lines.split(LINE_START) {
            out.push_str(indent);
            out.push_str(style);
            out.push_str(l.trim_end_matches(' '));
            out.push('\n');
        }
    }
    out
}

/// A doc line as a raw string literal. prettyplease prints a one-line doc attribute as a `///`
/// comment of the literal's value, so the form of the literal never shows in the output. A raw
/// literal is lexed, and read back by syn and prettyplease, by copying, where a quoted one is
/// escaped and unescaped a character at a time (6% of the instructions of `generate`).
fn doc_literal(text: &str) -> Literal {
    // A text with a line break may be printed as the attribute itself, literal and all.
    if !text.contains(['\n', '\r']) {
        let mut hashes = String::new();
        if text.contains('"') {
            while text.contains(&format!("\"{hashes}")) {
                hashes.push('#');
            }
        }
        if let Ok(lit) = format!("r{hashes}\"{text}\"{hashes}").parse() {
            return lit;
        }
    }
    Literal::string(text)
}

/// A string literal token, the same as `Literal::string` makes. That function escapes every
/// character through `char::escape_debug`, which for a CJK character scans the tables of
/// printable characters: the literals of the spec's texts were 4% of the instructions of
/// `generate`. Here printable ASCII and CJK ideographs (printable, and never grapheme extenders)
/// are copied in runs, and the lexer verifies the result.
pub fn lit_str(text: &str) -> Literal {
    let mut repr = String::with_capacity(text.len() + 2);
    repr.push('"');
    let mut run = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, ' '..='~' | '\u{4e00}'..='\u{9fff}') && c != '"' && c != '\\' {
            continue;
        }
        repr.push_str(&text[run..i]);
        run = i + c.len_utf8();
        match c {
            // As proc-macro2 writes it: `\0` would run into a following octal digit.
            '\0' if chars.peek().is_some_and(|(_, n)| ('0'..='7').contains(n)) => {
                repr.push_str("\\x00")
            }
            '\0' => repr.push_str("\\0"),
            c => repr.extend(c.escape_debug()),
        }
    }
    repr.push_str(&text[run..]);
    repr.push('"');
    repr.parse().unwrap_or_else(|_| Literal::string(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn print(tokens: TokenStream) -> String {
        prettyplease::unparse(&syn::parse2(tokens).expect("parses"))
    }

    #[test]
    fn string_literals_are_the_ones_proc_macro2_makes() {
        for text in [
            "",
            "plain ASCII",
            "\"quoted\" and 'single' \\ back",
            "tab\tnew\nline\rcr",
            "nul\0 nul\u{0}7 nul\u{0}8 \u{1}\u{7f}",
            "管理账户（中文），全角：标点。",
            "accents é ü, e\u{301} combining, \u{200b} zero width, \u{feff}",
            "emoji 🙂 and \u{10ffff}",
        ] {
            assert_eq!(
                lit_str(text).to_string(),
                Literal::string(text).to_string(),
                "{text:?}"
            );
        }
    }

    /// Docs in every place the emitters put them come out as with one quoted literal per line.
    #[test]
    fn doc_blocks_print_like_one_quoted_attribute_per_line() {
        let long = "a line far longer than the hundred columns that prettyplease fills, which must \
                    not move the code around it to other lines";
        let blocks: Vec<Vec<String>> = [
            &["plain", "", "a \"quote\"", "\"# and \"## too", long][..],
            &["back\\slash \\n", "管理账户 — é", "trailing  ", "  "],
            &["two\nlines", "ends a block comment */\nthen more"],
            &["carriage\rreturn"],
            &["start \u{1} mark"],
            &[long],
            &[],
        ]
        .iter()
        .map(|b| b.iter().map(|l| l.to_string()).collect())
        .collect();
        let quoted = |lines: &[String], inner: bool| {
            let attrs = lines.iter().map(|l| {
                let text = if l.is_empty() {
                    String::new()
                } else {
                    format!(" {l}")
                };
                if inner {
                    quote!(#![doc = #text])
                } else {
                    quote!(#[doc = #text])
                }
            });
            quote!(#(#attrs)*)
        };
        for (i, b) in blocks.iter().enumerate() {
            let other = &blocks[(i + 1) % blocks.len()];
            let file = |doc: &dyn Fn(&[String], bool) -> TokenStream| {
                let (m, s, f, v, x) = (
                    doc(b, true),
                    doc(b, false),
                    doc(other, false),
                    doc(b, false),
                    doc(other, false),
                );
                quote! {
                    #m
                    #s
                    #[derive(Debug)]
                    pub struct S {
                        #f
                        #[serde(rename = "a_rather_long_wire_name_that_fills_the_line_with_text")]
                        pub field: ::std::option::Option<::std::collections::BTreeMap<String, i64>>,
                    }
                    pub enum E {
                        #v
                        Variant,
                    }
                    impl S {
                        #x
                        pub fn method(&self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                            todo!()
                        }
                    }
                }
            };
            let blocks_printed = split_doc_blocks(print(file(&doc_block)));
            assert_eq!(blocks_printed, print(file(&quoted)), "block {i}");
        }
    }
}
