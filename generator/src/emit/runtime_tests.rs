//! Generated tests of the runtime's behaviour, per operation, type and code list of the spec:
//! pagination streams against a local listing server, redaction of every sensitive field,
//! decoder robustness against arbitrary and mutated bodies, and forward compatibility. The
//! scenarios themselves are generic functions of `templates/crate/tests/runtime_support.rs`;
//! what is generated here is the per-operation data they need.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::{Value, json};

use super::requests::{literal, qualify_code_list, qualify_type};
use super::rust_types::{ident, lit_str};
use crate::ir::{CodeListType, OffsetUnit, ParamLocation};
use crate::ir::{Model, OperationInfo, PAGING_SCENARIOS, Shape, TypeExpr, TypeId, TypeInfo};
use crate::synth;

/// Root of the runtime test binary.
pub const ROOT: &str = "//! Runtime behaviour of every operation: pagination streams, redaction of sensitive fields,\n//! decoder robustness, forward compatibility.\n\n#[rustfmt::skip]\nmod runtime_cases;\n#[rustfmt::skip]\nmod runtime_support;\n#[rustfmt::skip]\nmod support;\n";

/// `tests/runtime_cases/mod.rs`.
pub const CASES_MOD: &str = "//! The generated cases, one module per concern.\n\nmod compat;\nmod decoding;\nmod pagination;\nmod redaction;\n";

fn raw_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// An expression building a valid request of `op`; `overrides` sets parameters and top-level
/// body fields by wire name.
fn request_expr(
    model: &Model,
    op: &OperationInfo,
    overrides: &BTreeMap<String, Value>,
) -> TokenStream {
    let krate = ident(&model.crate_ident);
    let group = ident(&op.group);
    let req = ident(&op.names.request);
    let mut args = Vec::new();
    let mut setters = Vec::new();
    for p in &op.params {
        let value = overrides
            .get(&p.name)
            .cloned()
            .or_else(|| p.required.then(|| synth::value(model, &p.shape, 0)));
        let Some(value) = value else { continue };
        let lit = literal(model, p, &raw_text(&value));
        if p.required {
            args.push(lit);
        } else {
            let fid = ident(&p.rust);
            setters.push(quote!(.#fid(#lit)));
        }
    }
    if let Some(b) = op.body {
        let mut doc = synth::object(model, b, 0);
        {
            for f in &model[b].fields {
                if let Some(v) = overrides.get(&f.name) {
                    doc[&f.name] = v.clone();
                }
            }
        }
        let ty = qualify_type(model, b);
        let text = doc.to_string();
        args.push(quote!(serde_json::from_str::<#ty>(#text).expect("the test body decodes")));
    }
    if args.is_empty() && setters.is_empty() {
        quote!(#krate::#group::#req::new())
    } else {
        quote!(#krate::#group::#req::new(#(#args),*) #(#setters)*)
    }
}

/// JSON of the `n`th listed item: a distinct text (or number) in its first plain field, looked
/// for through nested objects.
fn item_json(model: &Model, items_ty: &TypeExpr) -> Option<TokenStream> {
    let TypeExpr::List(inner) = items_ty else {
        return None;
    };
    fn numbered(model: &Model, ty: &TypeExpr, depth: usize) -> Option<TokenStream> {
        match ty {
            TypeExpr::String => Some(quote!(format!("item-{n}"))),
            TypeExpr::Integer | TypeExpr::Long | TypeExpr::Decimal => Some(quote!(n)),
            TypeExpr::Named(name) if depth < 4 => {
                let t = &model[*name];
                let plain = |want: fn(&TypeExpr) -> bool| {
                    t.fields
                        .iter()
                        .filter(|f| f.code_list.is_none() && want(&f.ty))
                        .find_map(|f| Some((f.name.as_str(), numbered(model, &f.ty, depth + 1)?)))
                };
                let (w, v) = plain(|t| *t == TypeExpr::String)
                    .or_else(|| plain(TypeExpr::is_integral))
                    .or_else(|| plain(|t| *t == TypeExpr::Decimal))
                    .or_else(|| plain(|t| matches!(t, TypeExpr::Named(_))))?;
                Some(quote!({ #w: #v }))
            }
            _ => None,
        }
    }
    let v = numbered(model, inner, 0)?;
    Some(quote!(serde_json::json!(#v)))
}

fn op_items_type(op: &OperationInfo) -> Option<&TypeExpr> {
    op.pagination.as_ref()?.items.last().map(|f| &f.ty)
}

/// `tests/runtime_cases/pagination.rs`.
pub fn pagination(model: &Model) -> Result<TokenStream, String> {
    let krate = ident(&model.crate_ident);
    let mut items = Vec::new();
    for op in model.operations() {
        let Some(p) = &op.pagination else { continue };
        let feature = op.group.as_str();
        let fail = |w: &str| format!("pagination test of {}: {w}", op.id);
        let (offset, limit, first) = (&p.offset, &p.limit, p.first_offset);
        let mut overrides = BTreeMap::new();
        if !offset.optional {
            overrides.insert(offset.wire.clone(), json!(first));
        }
        if !limit.optional {
            overrides.insert(limit.wire.clone(), json!(3));
        }
        let request = request_expr(model, op, &overrides);
        let item = op_items_type(op)
            .and_then(|t| item_json(model, t))
            .ok_or_else(|| fail("no field to number the items by"))?;
        let case = ident(&op.names.tests.paging_case);
        let pages_fn = ident(
            op.names
                .pages
                .as_deref()
                .ok_or_else(|| fail("page stream"))?,
        );
        let items_fn = ident(
            op.names
                .items
                .as_deref()
                .ok_or_else(|| fail("item stream"))?,
        );
        let group = ident(&op.group);
        let req = ident(&op.names.request);
        let (o, l, i) = (
            p.offset.wire.as_str(),
            p.limit.wire.as_str(),
            p.items.text.as_str(),
        );
        let in_body = offset.in_body;
        let pages = matches!(p.offset_unit, OffsetUnit::Page);
        let total = match &p.total {
            Some(t) => {
                let t = t.text.as_str();
                quote!(::std::option::Option::Some(#t))
            }
            None => quote!(::std::option::Option::None),
        };
        let default_size = limit.default.filter(|_| limit.optional);
        let default_size_tokens = match default_size {
            Some(n) => quote!(::std::option::Option::Some(#n)),
            None => quote!(::std::option::Option::None),
        };
        items.push(quote! {
            #[cfg(feature = #feature)]
            fn #case() -> paging::Case<#krate::#group::#req> {
                paging::Case {
                    shape: paging::Shape { offset: #o, limit: #l, in_body: #in_body, pages: #pages, first: #first, items: #i, total: #total, item: |n| #item, default_size: #default_size_tokens },
                    request: || #request,
                    pages: |client, request| client.#pages_fn(request),
                    items: |client, request| client.#items_fn(request),
                }
            }
        });
        let runs = |s: &str| match s {
            "documented_page_size" => default_size.is_some(),
            "offset_out_of_range" => !offset.long,
            "exactly_a_page" | "many_pages" | "total_count_stop" => p.total.is_some(),
            "capped_page_size" => p.total.is_some() && !pages,
            _ => true,
        };
        for (s, name) in PAGING_SCENARIOS.iter().zip(&op.names.tests.paging) {
            if !runs(s) {
                continue;
            }
            let name = ident(name);
            let scenario = ident(s);
            items.push(quote! {
                #[cfg(feature = #feature)]
                #[tokio::test]
                async fn #name() {
                    paging::#scenario(#case()).await;
                }
            });
        }
    }
    Ok(quote! {
        //! The pagination streams of every list operation against a local server holding numbered
        //! items: empty, one page, exactly a page, many pages, the total-count stop, a server that
        //! never advances, the page bound, a start offset, an error mid-walk, a capped page size.
        #![allow(deprecated, clippy::redundant_closure)]

        use super::super::runtime_support::paging;

        #(#items)*
    })
}

/// A recognisable secret for the `n`th redaction test.
fn secret(n: usize) -> String {
    format!("S3cr3t-{n:03}-Zq")
}

/// `tests/runtime_cases/redaction.rs`: one test per sensitive field and parameter.
pub fn redaction(model: &Model) -> TokenStream {
    let mut tests = Vec::new();
    let mut n = 0;
    for (tid, t) in model.types_with_ids() {
        for f in t.fields.iter().filter(|f| f.sensitive) {
            n += 1;
            let s = secret(n);
            let mut doc = synth::object(model, tid, 0);
            doc[&f.name] = match &f.ty {
                TypeExpr::List(_) => json!([s]),
                _ => json!(s),
            };
            let text = doc.to_string();
            let rust = f.rust.as_str();
            let ty = qualify_type(model, tid);
            let feature = t.group.as_str();
            let Some(name) = f.redaction_test.as_deref().map(ident) else {
                continue;
            };
            // Phone and ID numbers may arrive as JSON numbers; they are redacted all the same.
            let as_number = if f.ty == TypeExpr::String {
                doc[&f.name] = json!(98_765_432_123_u64);
                let text = doc.to_string();
                quote!(redaction::hidden::<#ty>(#text, "98765432123", #rust);)
            } else {
                quote!()
            };
            tests.push(quote! {
                #[cfg(feature = #feature)]
                #[test]
                fn #name() {
                    redaction::hidden::<#ty>(#text, #s, #rust);
                    #as_number
                }
            });
        }
    }
    // Requests: sensitive parameters, and sensitive fields of the body itself.
    for op in model.operations() {
        let feature = op.group.as_str();
        for p in op.params.iter().filter(|p| p.sensitive) {
            n += 1;
            let s = secret(n);
            let mut overrides = BTreeMap::new();
            overrides.insert(p.name.clone(), Value::String(s.clone()));
            let request = request_expr(model, op, &overrides);
            let rust = p.rust.as_str();
            let fid = ident(rust);
            let Some(name) = p.redaction_test.as_deref().map(ident) else {
                continue;
            };
            let present = if p.location == ParamLocation::Path || p.required {
                quote!(assert!(request.#fid.to_string().contains(#s));)
            } else {
                quote!(assert!(request.#fid.as_ref().is_some_and(|v| v.to_string().contains(#s)));)
            };
            tests.push(quote! {
                #[cfg(feature = #feature)]
                #[test]
                fn #name() {
                    let request = #request;
                    #present
                    redaction::debug_hides(&request, #s, #rust);
                    redaction::writer_hides(&request, #s);
                }
            });
        }
        let Some(body) = op.body.map(|b| &model[b]) else {
            continue;
        };
        let body_field = ident(op.names.body.as_deref().unwrap_or_default());
        for (f, name) in body
            .fields
            .iter()
            .zip(&op.names.tests.body_redaction)
            .filter_map(|(f, n)| Some((f, n.as_deref()?)))
        {
            let name = ident(name);
            n += 1;
            let s = secret(n);
            let mut overrides = BTreeMap::new();
            overrides.insert(
                f.name.clone(),
                match &f.ty {
                    TypeExpr::List(_) => json!([s]),
                    _ => json!(s),
                },
            );
            let request = request_expr(model, op, &overrides);
            let rust = f.rust.as_str();
            tests.push(quote! {
                #[cfg(feature = #feature)]
                #[test]
                fn #name() {
                    let request = #request;
                    assert!(serde_json::to_string(&request.#body_field).expect("encodes").contains(#s));
                    redaction::debug_hides(&request, #s, #rust);
                    redaction::writer_hides(&request, #s);
                }
            });
        }
    }
    quote! {
        //! Every field and parameter the spec marks sensitive is redacted in `Debug` of its type, of
        //! the request carrying it, of the answer, and of the errors keeping its body.
        #![allow(deprecated)]

        use super::super::runtime_support::redaction;

        #[test]
        fn credentials_builder_and_client_are_redacted() {
            redaction::credentials_hidden();
        }

        #(#tests)*
    }
}

/// Wire names of the members, anywhere below `root`, whose value is a map or free JSON: an
/// unknown member added inside one of those is data, not an unknown field, so the unknown-fields
/// test leaves them as they are.
fn open_members(model: &Model, root: TypeId) -> BTreeSet<&str> {
    fn leaf(ty: &TypeExpr) -> &TypeExpr {
        match ty {
            TypeExpr::List(i) => leaf(i),
            other => other,
        }
    }
    let mut open = BTreeSet::new();
    let mut seen = BTreeSet::from([root]);
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        for f in &model[id].fields {
            match leaf(&f.ty) {
                TypeExpr::Map(_) | TypeExpr::Json => {
                    open.insert(f.name.as_str());
                }
                TypeExpr::Named(n) if seen.insert(*n) => stack.push(*n),
                _ => {}
            }
        }
    }
    open
}

fn success_examples(op: &OperationInfo) -> Vec<&str> {
    op.examples
        .iter()
        .filter(|e| e.response_status.is_some_and(|s| (200..300).contains(&s)))
        .filter_map(|e| e.response_body.as_deref())
        .collect()
}

/// `tests/runtime_cases/decoding.rs`: one decoder test per operation.
pub fn decoding(model: &Model) -> TokenStream {
    let krate = ident(&model.crate_ident);
    let tests = model.operations().map(|op| {
        let feature = op.group.as_str();
        let ty = match op.success_type() {
            Some(t) => qualify_type(model, t),
            None => quote!(#krate::NoContent),
        };
        let id = op.id.as_str();
        let ok = success_examples(op).into_iter().map(lit_str);
        let errors: Vec<Literal> = op
            .examples
            .iter()
            .filter(|e| e.response_status.is_some_and(|s| s >= 300))
            .filter_map(|e| e.response_body.as_deref())
            .map(lit_str)
            .collect();
        let name = ident(&op.names.tests.decoder);
        quote! {
            #[cfg(feature = #feature)]
            #[test]
            fn #name() {
                fuzz::decoder::<#ty>(#id, &[#(#ok),*], &[#(#errors),*]);
            }
        }
    });
    quote! {
        //! Every operation's answer decoder against arbitrary bytes and mutated documented bodies
        //! (truncated, flipped bytes, values of other JSON types, huge numbers, deep nesting): it
        //! never panics, and every outcome is a value or the right kind of error.

        use super::super::runtime_support::fuzz;

        #(#tests)*
    }
}

/// Top-level fields of `t` that carry numbers or booleans, with a value for each.
fn numeric_fields(model: &Model, t: &TypeInfo) -> Vec<(String, Value)> {
    t.fields
        .iter()
        .filter_map(|f| {
            let scalar = |ty: &TypeExpr| {
                matches!(
                    ty,
                    TypeExpr::Integer
                        | TypeExpr::Long
                        | TypeExpr::Number
                        | TypeExpr::Decimal
                        | TypeExpr::Boolean
                )
            };
            let int_code = f
                .code_list
                .is_some_and(|cl| model[cl].def.ty == CodeListType::Integer);
            let value = match &f.ty {
                TypeExpr::List(inner) if scalar(inner) && (f.code_list.is_none() || int_code) => {
                    let Shape::List { item, .. } = &f.shape else {
                        return None;
                    };
                    json!([synth::value(model, item, 0)])
                }
                TypeExpr::Decimal => json!(12.5),
                TypeExpr::Number => json!(1.25),
                TypeExpr::Boolean => json!(true),
                ty if scalar(ty) && (f.code_list.is_none() || int_code) => {
                    synth::value(model, &f.shape, 0)
                }
                _ => return None,
            };
            Some((f.name.clone(), value))
        })
        .collect()
}

/// `tests/runtime_cases/compat.rs`: unknown codes, unknown fields, numbers sent as strings.
pub fn compat(model: &Model) -> TokenStream {
    let mut tests = Vec::new();
    for (cl_id, cl) in model.code_lists_with_ids() {
        let path = qualify_code_list(model, cl_id);
        let unknown = ident(&cl.unknown);
        let cfg = match &cl.group {
            Some(g) => quote!(#[cfg(feature = #g)]),
            None => quote!(),
        };
        let (json_text, expected, code) = match cl.def.ty {
            CodeListType::Integer => (
                "987654321".to_string(),
                quote!(#path::#unknown(987_654_321)),
                json!(987_654_321),
            ),
            CodeListType::String => (
                "\"FUTURE_CODE_x-1\"".to_string(),
                quote!(#path::#unknown("FUTURE_CODE_x-1".to_string())),
                json!("FUTURE_CODE_x-1"),
            ),
        };
        let name = ident(&cl.unknown_test);
        // The same code inside the first type that uses the code list.
        let inside = model.types_with_ids().find_map(|(tid, t)| {
            let f = t.fields.iter().find(|f| f.code_list == Some(cl_id))?;
            Some((tid, t, f))
        });
        let inside = match inside {
            Some((tid, t, f)) => {
                let ty = qualify_type(model, tid);
                let doc = lit_str(&synth::object(model, tid, 0).to_string());
                let w = f.name.as_str();
                let code = match &f.ty {
                    TypeExpr::List(_) => json!([code]),
                    _ => code,
                }
                .to_string();
                let tg = t.group.as_str();
                quote! {
                    #[cfg(feature = #tg)]
                    compat::unknown_code_in::<#ty>(serde_json::from_str(#doc).expect("JSON"), #w, serde_json::from_str(#code).expect("JSON"));
                }
            }
            None => quote!(),
        };
        tests.push(quote! {
            #cfg
            #[test]
            fn #name() {
                compat::unknown_code::<#path>(#json_text, #expected);
                #inside
            }
        });
    }
    for op in model.operations() {
        let Some(t) = op.success_type() else { continue };
        let feature = op.group.as_str();
        let ty = qualify_type(model, t);
        let examples = success_examples(op).into_iter().map(lit_str);
        let open = open_members(model, t).into_iter();
        let name = ident(&op.names.tests.unknown_fields);
        tests.push(quote! {
            #[cfg(feature = #feature)]
            #[test]
            fn #name() {
                compat::ignores_unknown_fields::<#ty>(&[#(#examples),*], &[#(#open),*]);
            }
        });
    }
    for (tid, t) in model.types_with_ids() {
        let fields = numeric_fields(model, t);
        if fields.is_empty() {
            continue;
        }
        let mut doc = synth::object(model, tid, 0);
        for (f, v) in &fields {
            doc[f] = v.clone();
        }
        let text = lit_str(&doc.to_string());
        let names_: Vec<&str> = fields.iter().map(|(f, _)| f.as_str()).collect();
        let ty = qualify_type(model, tid);
        let feature = t.group.as_str();
        let name = ident(&t.numbers_test);
        tests.push(quote! {
            #[cfg(feature = #feature)]
            #[test]
            fn #name() {
                compat::numbers_as_strings::<#ty>(serde_json::from_str(#text).expect("JSON"), &[#(#names_),*]);
            }
        });
    }
    quote! {
        //! Forward compatibility: unknown codes of every code list survive decode and encode
        //! unchanged, unknown members of every answer are ignored, and numbers and booleans sent as
        //! strings decode into the numeric fields of every type.

        use super::super::runtime_support::compat;

        #(#tests)*
    }
}
