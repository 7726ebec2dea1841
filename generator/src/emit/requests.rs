//! Rust expressions that build a request of an operation from an example's values, and the
//! paths of the crate's items as a test sees them. Shared by the example, contract, emulator and
//! runtime tests, which do not import each other.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust_types::{ident, lit_str};
use crate::ir::{
    CodeListId, ExampleInfo, Model, OperationInfo, ParamInfo, ParamLocation, TypeExpr, TypeId,
};

/// A literal of a parameter value as the documented example writes it.
pub(super) fn literal(model: &Model, p: &ParamInfo, raw: &str) -> TokenStream {
    let krate = ident(&model.crate_ident);
    if let Some(cl) = p.code_list {
        let path = qualify_code_list(model, cl);
        return match model[cl].def.ty {
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

/// Path of a type as seen from a test of the crate.
pub(super) fn qualify_type(model: &Model, id: TypeId) -> TokenStream {
    let t = &model[id];
    test_path(model, &t.rust, Some(&t.group))
}

/// The documented answer `json` of type `id` as the caller sees it decoded: without the
/// top-level members the client reads itself (`error_code`, `error_msg`), which the Rust type
/// does not keep. Only compared, never sent, so its formatting does not matter.
pub(super) fn as_decoded(model: &Model, id: TypeId, json: &str) -> String {
    let dropped: Vec<&str> = model[id]
        .fields
        .iter()
        .filter(|f| f.answer_status)
        .map(|f| f.name.as_str())
        .collect();
    if dropped.is_empty() {
        return json.to_string();
    }
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(serde_json::Value::Object(mut members)) => {
            members.retain(|k, _| !dropped.contains(&k.as_str()));
            serde_json::Value::Object(members).to_string()
        }
        _ => json.to_string(),
    }
}

/// Path of a code list as seen from a test of the crate.
pub(super) fn qualify_code_list(model: &Model, id: CodeListId) -> TokenStream {
    let c = &model[id];
    test_path(model, &c.name, c.group.as_deref())
}

fn test_path(model: &Model, name: &str, group: Option<&str>) -> TokenStream {
    let krate = ident(&model.crate_ident);
    let id = ident(name);
    match group {
        Some(g) => {
            let g = ident(g);
            quote!(#krate::#g::#id)
        }
        None => quote!(#krate::codes::#id),
    }
}

/// Percent-encodes a path segment the way the official SDKs do: everything but the unreserved
/// characters of RFC 3986. Written independently of the runtime so the test verifies it.
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
        .iter()
        .map(|q| (q.key.clone(), q.value.clone().unwrap_or_default()))
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
    let body_setup = match (op.body, &ex.request_body) {
        (Some(b), Some(json)) => {
            let ty = qualify_type(model, b);
            ctor.push(quote!(body));
            let json = lit_str(json);
            quote!(let body: #ty = serde_json::from_str(#json).expect("documented body decodes");)
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
