//! Tests shipped with the generated crate: every documented example round-trips through the
//! generated types, and every operation is called against a local HTTP server with the
//! documented values, checking what goes on the wire and what comes back.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust_types::{ident, lit_str};
use crate::ir::ParamLocation;
use crate::ir::{ExampleInfo, Model, OperationInfo, ParamInfo, TypeExpr};

/// `tests/examples.rs` of the generated crate.
pub fn examples_test(model: &Model) -> TokenStream {
    let krate = ident(&model.crate_ident);
    let mut tests = Vec::new();
    for op in model.operations() {
        let feature = op.group.as_str();
        let mut called = false;
        for ex in &op.examples {
            if let (Some(b), Some(body)) = (&op.body, &ex.request_body) {
                let name = ident(&ex.tests.request_body);
                let ty = ident(b);
                let group = ident(&model.types[b].group);
                let body = lit_str(body);
                tests.push(quote! {
                    #[cfg(feature = #feature)]
                    #[test]
                    fn #name() {
                        support::roundtrip::<#krate::#group::#ty>(#body);
                    }
                });
            }
            let resp_ty = ex
                .response_status
                .and_then(|s| op.responses.iter().find(|r| r.status == s))
                .and_then(|r| r.ty.as_ref());
            if let (Some(t), Some(body)) = (resp_ty, &ex.response_body) {
                let name = ident(&ex.tests.response_body);
                let ty = ident(t);
                let group = ident(&model.types[t].group);
                let body = lit_str(body);
                tests.push(quote! {
                    #[cfg(feature = #feature)]
                    #[test]
                    fn #name() {
                        support::roundtrip::<#krate::#group::#ty>(#body);
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
    tests.extend(super::files::tests(model));
    quote! {
        //! One test per documented example of the spec, and per documented sample file.
        #![allow(deprecated)]

        use super::support;

        #(#tests)*
    }
}

/// A literal of a parameter value as the documented example writes it.
pub(super) fn literal(model: &Model, p: &ParamInfo, raw: &str) -> TokenStream {
    let krate = ident(&model.crate_ident);
    if let Some(cl) = &p.code_list {
        let path = qualify(model, cl);
        return match model.code_lists[cl].def.ty {
            crate::ir::CodeListType::Integer => {
                let n: i64 = raw.parse().unwrap_or_default();
                quote!(#path::from_value(#n))
            }
            crate::ir::CodeListType::String => quote!(#path::from_value(#raw)),
        };
    }
    match &p.ty {
        TypeExpr::Integer => {
            let n: i32 = raw.parse().unwrap_or_default();
            quote!(#n)
        }
        TypeExpr::Long => {
            let n: i64 = raw.parse().unwrap_or_default();
            quote!(#n)
        }
        TypeExpr::Boolean => {
            let b = raw == "true";
            quote!(#b)
        }
        TypeExpr::Decimal => quote!(#raw.parse::<#krate::Decimal>().expect("decimal")),
        TypeExpr::List(_) => quote!(vec![#raw.to_string()]),
        _ => quote!(#raw),
    }
}

/// Path of a code list or type as seen from a test of the crate.
pub(super) fn qualify(model: &Model, name: &str) -> TokenStream {
    let krate = ident(&model.crate_ident);
    let id = ident(name);
    let group = model
        .code_lists
        .get(name)
        .and_then(|c| c.group.clone())
        .or_else(|| model.types.get(name).map(|t| t.group.clone()));
    match group {
        Some(g) => {
            let g = ident(&g);
            quote!(#krate::#g::#id)
        }
        None => quote!(#krate::codes::#id),
    }
}

/// Percent-encodes a path segment the way the official SDKs do: everything but the unreserved
/// characters of RFC 3986. Written independently of the runtime so the test checks it.
fn encode_segment(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The statements that build an operation's request from an example (`let request = ...;`),
/// with the path and query the server should see.
pub(super) struct BuiltRequest {
    /// Statements ending with `let request = ...;`.
    pub setup: TokenStream,
    /// Path the request goes to, percent-encoded.
    pub expected_path: String,
    /// Query pairs as documented.
    pub query: Vec<(String, String)>,
}

pub(super) fn build_request(
    model: &Model,
    op: &OperationInfo,
    ex: &ExampleInfo,
) -> Option<BuiltRequest> {
    if op.body.is_some() && ex.request_body.is_none() {
        return None;
    }
    let krate = ident(&model.crate_ident);
    let group = ident(&op.group);
    let req = ident(&op.names.request);
    let query: Vec<(String, String)> = ex
        .query
        .as_deref()
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_string(), v.to_string())
        })
        .collect();
    let mut ctor = Vec::new();
    let mut setters = Vec::new();
    let mut expected_path = op.path.clone();
    for p in &op.params {
        let value = match p.location {
            ParamLocation::Query => query
                .iter()
                .find(|(k, _)| k == &p.name)
                .map(|(_, v)| v.clone()),
            ParamLocation::Header => ex
                .headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(&p.name))
                .map(|(_, v)| v.clone()),
            ParamLocation::Path => Some(
                ex.path_params
                    .get(&p.name)
                    .cloned()
                    .unwrap_or_else(|| format!("test-{}", p.name)),
            ),
        };
        if p.location == ParamLocation::Path {
            expected_path = expected_path.replace(
                &format!("{{{}}}", p.name),
                &encode_segment(value.as_deref().unwrap_or_default()),
            );
        }
        let fid = ident(&p.rust);
        match (p.required, value) {
            (true, Some(v)) => ctor.push(literal(model, p, &v)),
            (true, None) => ctor.push(literal(model, p, "test")),
            (false, Some(v)) => {
                let lit = literal(model, p, &v);
                setters.push(quote!(.#fid(#lit)));
            }
            (false, None) => {}
        }
    }
    let body_setup = match (&op.body, &ex.request_body) {
        (Some(b), Some(json)) => {
            let ty = ident(b);
            let g = ident(&model.types[b].group);
            ctor.push(quote!(body));
            let json = lit_str(json);
            quote!(let body: #krate::#g::#ty = serde_json::from_str(#json).expect("documented body decodes");)
        }
        _ => quote!(),
    };
    let setup = quote! {
        #body_setup
        let request = #krate::#group::#req::new(#(#ctor),*) #(#setters)*;
    };
    Some(BuiltRequest {
        setup,
        expected_path,
        query,
    })
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
    let check_response = match (ex.response_body.as_deref().map(lit_str), op.success_type()) {
        (Some(json), Some(_)) => quote! {
            let documented: serde_json::Value = serde_json::from_str(#json).expect("documented response");
            let decoded = serde_json::to_value(answer.body()).expect("encode");
            assert!(support::equivalent(&documented, &decoded), "decoded response differs:\n{documented:#}\n---\n{decoded:#}");
        },
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
            #check_response
        }
    })
}
