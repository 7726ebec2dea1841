//! Tests shipped with the generated crate: every documented example round-trips through the
//! generated types, and every operation is called against a local HTTP server with the
//! documented values, asserting what goes on the wire and what comes back.

use proc_macro2::TokenStream;
use quote::quote;

use super::requests::{BuiltRequest, as_decoded, build_request, qualify_type};
use super::rust_types::{ident, lit_str};
use crate::ir::{ExampleInfo, Model, OperationInfo};

/// `tests/cases/mod.rs` of the generated crate: the example tests.
/// `file_tests` are the tests of the documented sample files, which share the file.
pub fn examples_test(model: &Model, file_tests: Vec<TokenStream>) -> TokenStream {
    let mut tests = Vec::new();
    for op in model.operations() {
        let feature = op.group.as_str();
        let mut called = false;
        for ex in &op.examples {
            if let (Some(b), Some(body)) = (op.body, &ex.request_body) {
                let name = ident(&ex.tests.request_body);
                let ty = qualify_type(model, b);
                let body = lit_str(body);
                tests.push(quote! {
                    #[cfg(feature = #feature)]
                    #[test]
                    fn #name() {
                        support::roundtrip::<#ty>(#body);
                    }
                });
            }
            let resp_ty = ex
                .response_status
                .and_then(|s| op.responses.iter().find(|r| r.status == s))
                .and_then(|r| r.ty);
            if let (Some(t), Some(body)) = (resp_ty, &ex.response_body) {
                let name = ident(&ex.tests.response_body);
                let ty = qualify_type(model, t);
                let decoded = as_decoded(model, t, body);
                let check = if decoded == *body {
                    let body = lit_str(body);
                    quote!(support::roundtrip::<#ty>(#body);)
                } else {
                    let (body, decoded) = (lit_str(body), lit_str(&decoded));
                    quote!(support::decodes_as::<#ty>(#body, #decoded);)
                };
                tests.push(quote! {
                    #[cfg(feature = #feature)]
                    #[test]
                    fn #name() {
                        #check
                    }
                });
            }
            if let Some(t) = call_test(model, op, ex) {
                tests.push(t);
                called = true;
            }
        }
        // Every operation goes over the wire at least once, with values built from its types
        // when the documents give no usable example.
        if !called {
            if let Some(t) = call_test(model, op, &crate::synth::example(model, op)) {
                tests.push(t);
            }
        }
    }
    tests.extend(file_tests);
    quote! {
        //! One test per documented example of the spec, and per documented sample file.
        #![allow(deprecated)]

        use super::support;

        #(#tests)*
    }
}

fn call_test(model: &Model, op: &OperationInfo, ex: &ExampleInfo) -> Option<TokenStream> {
    let krate = ident(&model.crate_ident);
    let BuiltRequest {
        setup,
        expected_path,
        query,
    } = build_request(model, op, ex)?;
    let feature = op.group.as_str();
    let method = ident(&op.names.method);
    let name = ident(&ex.tests.call);
    let expected_body = match ex.request_body.as_deref().map(lit_str) {
        Some(json) => quote! {
            let sent: serde_json::Value = serde_json::from_slice(&r.body).expect("the client sends JSON");
            let documented: serde_json::Value = serde_json::from_str(#json).expect("documented body");
            assert!(support::equivalent(&sent, &documented), "sent body differs from the documented one:\n{sent:#}\n---\n{documented:#}");
        },
        None => quote!(assert!(r.body.is_empty(), "no body expected");),
    };
    let status = ex
        .response_status
        .filter(|s| (200..300).contains(s))
        .unwrap_or(200);
    let response = ex.response_body.clone().unwrap_or_else(|| {
        if op.success_type().is_some() {
            "{}".into()
        } else {
            String::new()
        }
    });
    let response = lit_str(&response);
    let expect_response = match (ex.response_body.as_deref(), op.success_type()) {
        (Some(json), Some(t)) => {
            let json = lit_str(&as_decoded(model, t, json));
            quote! {
            let documented: serde_json::Value = serde_json::from_str(#json).expect("documented response");
            let decoded = serde_json::to_value(answer.body()).expect("encode");
            assert!(support::equivalent(&documented, &decoded), "decoded response differs:\n{documented:#}\n---\n{decoded:#}");
            }
        }
        _ => quote!(),
    };
    let headers = ex
        .headers
        .iter()
        .map(|(k, v)| quote!(assert_eq!(r.header(#k), Some(#v));));
    let http_method = op.method.as_str();
    // An example recorded as breaking a documented constraint must be refused before anything
    // is sent; it then goes out with validation turned off.
    let send = if ex.breaks_constraint {
        quote! {
            let refused = client.#method(request.clone()).await;
            assert!(matches!(refused, Err(#krate::Error::InvalidRequest(_))), "validation lets the documented example through: {refused:?}");
            assert!(log.lock().expect("lock").is_empty(), "a refused request reached the server");
            let client = #krate::Client::builder()
                .endpoint(client.endpoint().to_string())
                .credentials(#krate::Credentials::aksk("TESTAK", "TESTSK"))
                .validate_requests(false)
                .build()
                .expect("client");
            let answer = client.#method(request).await.expect("the documented call succeeds");
        }
    } else {
        quote!(let answer = client.#method(request).await.expect("the documented call succeeds");)
    };
    let expected_query: Vec<TokenStream> = query.iter().map(|(k, v)| quote!((#k, #v))).collect();
    Some(quote! {
        #[cfg(feature = #feature)]
        #[tokio::test]
        async fn #name() {
            let (url, log) = support::serve(#status, #response.to_string()).await;
            let client = #krate::Client::builder()
                .endpoint(url)
                .credentials(#krate::Credentials::aksk("TESTAK", "TESTSK"))
                .build()
                .expect("client");
            #setup
            #send
            assert_eq!(answer.request_id(), Some("test-request-id"));
            let log = log.lock().expect("lock");
            assert_eq!(log.len(), 1, "exactly one request is sent");
            let r = &log[0];
            r.assert_signed_call(#http_method, #expected_path, &[#(#expected_query),*]);
            #(#headers)*
            #expected_body
            #expect_response
        }
    })
}
