//! Mapping of spec types to Rust type tokens.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::ir::{Model, TypeExpr};

/// An identifier token; names were validated, so raw identifiers are never needed.
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// Path of a named type or code list from inside a group module.
pub fn named_path(model: &Model, name: &str, from_group: &str) -> TokenStream {
    let group = model
        .types
        .get(name)
        .map(|t| Some(t.group.clone()))
        .or_else(|| model.code_lists.get(name).map(|c| c.group.clone()))
        .flatten();
    let id = ident(name);
    match group {
        Some(g) if g == from_group => quote!(#id),
        Some(g) => {
            let g = ident(&g);
            quote!(crate::#g::#id)
        }
        None => quote!(crate::codes::#id),
    }
}

/// Rust type of a value (without the `Option` of an optional field).
pub fn rust_type(
    model: &Model,
    ty: &TypeExpr,
    code_list: Option<&str>,
    from_group: &str,
) -> TokenStream {
    if let Some(cl) = code_list {
        let leaf = named_path(model, cl, from_group);
        return match ty {
            TypeExpr::List(_) => quote!(::std::vec::Vec<#leaf>),
            _ => leaf,
        };
    }
    match ty {
        TypeExpr::String | TypeExpr::DateTime | TypeExpr::Date | TypeExpr::Month => {
            quote!(::std::string::String)
        }
        TypeExpr::Integer => quote!(i32),
        TypeExpr::Long => quote!(i64),
        TypeExpr::Decimal => quote!(crate::Decimal),
        TypeExpr::Number => quote!(f64),
        TypeExpr::Boolean => quote!(bool),
        TypeExpr::Json => quote!(::serde_json::Value),
        TypeExpr::List(inner) => {
            let i = rust_type(model, inner, None, from_group);
            quote!(::std::vec::Vec<#i>)
        }
        TypeExpr::Map(inner) => {
            let i = rust_type(model, inner, None, from_group);
            quote!(::std::collections::BTreeMap<::std::string::String, #i>)
        }
        TypeExpr::Named(n) => named_path(model, n, from_group),
    }
}

/// `#[doc = r"..."]` attributes, one per line.
pub fn doc_attrs(lines: &[String]) -> TokenStream {
    doc_lines(lines, false)
}

/// `#![doc = r"..."]` attributes, one per line: the doc of the enclosing module.
pub fn inner_doc_attrs(lines: &[String]) -> TokenStream {
    doc_lines(lines, true)
}

fn doc_lines(lines: &[String], inner: bool) -> TokenStream {
    let attrs = lines.iter().map(|l| {
        let text = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        let text = doc_literal(&text);
        if inner {
            quote!(#![doc = #text])
        } else {
            quote!(#[doc = #text])
        }
    });
    quote!(#(#attrs)*)
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
/// are copied in runs, and the lexer checks the result.
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

    #[test]
    fn raw_doc_literals_print_like_quoted_ones() {
        let lines = [
            "plain",
            "",
            "a \"quote\"",
            "\"# and \"## too",
            "back\\slash \\n",
            "管理账户 — é",
            "trailing  ",
            "two\nlines",
            "ends a block comment */\nthen more",
            "carriage\rreturn",
        ]
        .map(String::from);
        let quoted = lines.iter().map(|l| {
            let text = if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            };
            quote!(#[doc = #text])
        });
        let raw = doc_attrs(&lines);
        assert_eq!(
            print(quote!(#raw struct S;)),
            print(quote!(#(#quoted)* struct S;))
        );
    }
}
