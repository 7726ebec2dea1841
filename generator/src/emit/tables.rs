//! The error-code and HTTP-status tables as static data.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::rust_types::lit_str;

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

        /// Looks up a documented HTTP status.
        pub fn http_status(status: u16) -> ::std::option::Option<&'static HttpStatusInfo> {
            HTTP_STATUSES.iter().find(|s| s.status == status)
        }
    }
}
