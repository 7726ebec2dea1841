//! The error-code and HTTP-status tables as static data.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::rust_types::{doc_attrs, ident, lit_str};

use crate::ir::Model;
use crate::ir::RetryAdvice;

/// `src/error_codes.rs`.
pub fn error_codes(model: &Model) -> TokenStream {
    // Which operations document each code, so an error can say where it is expected.
    let mut by_code: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for op in model.operations() {
        for (_, code) in &op.errors {
            let ops = by_code.entry(code.clone()).or_default();
            if !ops.contains(&op.id) {
                ops.push(op.id.clone());
            }
        }
    }
    let mut rows: Vec<(String, u16, String, String, bool)> = model
        .error_codes
        .iter()
        .map(|e| {
            (
                e.code.clone(),
                e.http_status,
                e.message.clone(),
                e.meaning_zh.clone(),
                true,
            )
        })
        .collect();
    for g in &model.groups {
        for e in &g.extra_error_codes {
            rows.push((
                e.code.clone(),
                e.http_status,
                e.message.clone(),
                e.meaning_zh.clone().unwrap_or_default(),
                false,
            ));
        }
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows.dedup_by(|a, b| a.0 == b.0);
    let entries = rows.iter().map(|(code, status, message, meaning, global)| {
        let ops = by_code.get(code).map_or(&[][..], Vec::as_slice);
        let ops = ops.iter().map(|o| lit_str(o));
        let (code, message, meaning) = (lit_str(code), lit_str(message), lit_str(meaning));
        quote! {
            ErrorCodeInfo { code: #code, http_status: #status, message: #message, meaning_zh: #meaning, in_global_table: #global, operations: &[#(#ops),*] },
        }
    });
    let statuses = model.http_statuses.iter().map(|s| {
        let (status, name, meaning) = (s.status, lit_str(&s.name), lit_str(&s.meaning));
        let advice = match s.advice {
            None => quote!(None),
            Some(RetryAdvice::DoNotRetry) => quote!(Some(RetryAdvice::DoNotRetry)),
            Some(RetryAdvice::MayRetry) => quote!(Some(RetryAdvice::MayRetry)),
            Some(RetryAdvice::RetryAfter) => quote!(Some(RetryAdvice::RetryAfter)),
        };
        quote!(HttpStatusInfo { status: #status, name: #name, meaning: #meaning, advice: #advice },)
    });
    let count = rows.len();
    // The typed codes: one variant per row, in the table's order, so a variant's position is
    // its row.
    let variant = |code: &str| {
        ident(
            model
                .error_code_variants
                .get(code)
                .map_or(code, String::as_str),
        )
    };
    let variants = rows.iter().map(|(code, status, message, meaning, _)| {
        let v = variant(code);
        let ops = by_code.get(code).map_or(&[][..], Vec::as_slice);
        let mut doc = vec![format!("`{code}`, HTTP {status}: {message}")];
        if !meaning.is_empty() {
            doc.push(String::new());
            doc.push(format!("Documented meaning: {meaning}"));
        }
        doc.push(String::new());
        doc.push(if ops.is_empty() {
            "No operation lists it.".to_string()
        } else {
            format!(
                "Listed by: {}.",
                ops.iter()
                    .map(|o| format!("`{o}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
        let doc = doc_attrs(&doc);
        quote! { #doc #v, }
    });
    let indexes = rows.iter().enumerate().map(|(i, (code, ..))| {
        let v = variant(code);
        quote!(ErrorCode::#v => ::std::option::Option::Some(#i),)
    });
    let all = rows.iter().map(|(code, ..)| {
        let v = variant(code);
        quote!(ErrorCode::#v,)
    });
    // The doc example of `ErrorCode`: the first code an operation lists (the spec's own codes,
    // so that the example compiles for any spec).
    let example = rows
        .iter()
        .find_map(|(code, status, ..)| by_code.get(code).and_then(|ops| ops.first()).map(|op| (code, status, op)))
        .map(|(code, status, op)| {
            format!(
                "```\nuse {krate}::ErrorCode;\n\nlet code = ErrorCode::from(\"{code}\");\nassert_eq!(code, ErrorCode::{variant});\nassert_eq!((code.as_str(), code.http_status()), (\"{code}\", Some({status})));\nassert!(code.operations().contains(&\"{op}\"));\nassert_eq!(ErrorCode::from(\"NOT.DOCUMENTED\"), ErrorCode::Unknown(\"NOT.DOCUMENTED\".into()));\n```",
                krate = model.crate_ident,
                variant = model.error_code_variants.get(code).map_or(code.as_str(), String::as_str),
            )
        })
        .unwrap_or_default();
    let mut example_doc = vec![
        "An error code, typed: one variant per documented code ([`ERROR_CODES`]), each with its"
            .to_string(),
        "HTTP status, documented message and meaning, and the operations that list it; any"
            .to_string(),
        "other code is kept as received in [`ErrorCode::Unknown`].".to_string(),
    ];
    if !example.is_empty() {
        example_doc.push(String::new());
        example_doc.extend(example.lines().map(str::to_string));
    }
    let example_doc = doc_attrs(&example_doc);
    quote! {
        //! The documented error codes (document 004 §13.9, plus codes only an operation's own
        //! table lists) and HTTP status meanings (§13.8).

        pub use crate::error::{ErrorCodeInfo, HttpStatusInfo, RetryAdvice};

        /// Every documented error code, sorted by code.
        pub static ERROR_CODES: [ErrorCodeInfo; #count] = [
            #(#entries)*
        ];

        /// Documented HTTP statuses, sorted by status.
        pub static HTTP_STATUSES: &[HttpStatusInfo] = &[
            #(#statuses)*
        ];

        /// Looks up a documented error code.
        pub fn lookup(code: &str) -> ::std::option::Option<&'static ErrorCodeInfo> {
            ERROR_CODES.binary_search_by(|e| e.code.cmp(code)).ok().map(|i| &ERROR_CODES[i])
        }

        #example_doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ErrorCode {
            #(#variants)*
            /// A code the documentation does not list, as received.
            Unknown(::std::string::String),
        }

        impl ErrorCode {
            /// Every documented code, in the order of [`ERROR_CODES`].
            pub const DOCUMENTED: [ErrorCode; #count] = [#(#all)*];

            /// The row of [`ERROR_CODES`] of a documented code.
            fn index(&self) -> ::std::option::Option<usize> {
                match self {
                    #(#indexes)*
                    ErrorCode::Unknown(_) => ::std::option::Option::None,
                }
            }

            /// The code as sent, e.g. `CBC.0100`.
            pub fn as_str(&self) -> &str {
                match (self, self.index()) {
                    (ErrorCode::Unknown(code), _) => code,
                    (_, ::std::option::Option::Some(i)) => ERROR_CODES[i].code,
                    (_, ::std::option::Option::None) => "",
                }
            }

            /// The documented row of the code: HTTP status, message, meaning, operations.
            pub fn info(&self) -> ::std::option::Option<&'static ErrorCodeInfo> {
                self.index().map(|i| &ERROR_CODES[i])
            }

            /// The HTTP status the documentation gives the code.
            pub fn http_status(&self) -> ::std::option::Option<u16> {
                self.info().map(|e| e.http_status)
            }

            /// The documented English message.
            pub fn message(&self) -> ::std::option::Option<&'static str> {
                self.info().map(|e| e.message)
            }

            /// The operations whose documentation lists the code.
            pub fn operations(&self) -> &'static [&'static str] {
                self.info().map_or(&[], |e| e.operations)
            }
        }

        impl ::std::convert::From<&str> for ErrorCode {
            fn from(code: &str) -> Self {
                match ERROR_CODES.binary_search_by(|e| e.code.cmp(code)) {
                    ::std::result::Result::Ok(i) => ErrorCode::DOCUMENTED[i].clone(),
                    ::std::result::Result::Err(_) => ErrorCode::Unknown(code.to_string()),
                }
            }
        }

        impl ::std::str::FromStr for ErrorCode {
            type Err = ::std::convert::Infallible;
            fn from_str(code: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(ErrorCode::from(code))
            }
        }

        impl ::std::fmt::Display for ErrorCode {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// Looks up a documented HTTP status.
        pub fn http_status(status: u16) -> ::std::option::Option<&'static HttpStatusInfo> {
            HTTP_STATUSES.iter().find(|s| s.status == status)
        }
    }
}
