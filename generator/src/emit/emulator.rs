//! The `bss-emulator` crate: a local server that answers like the documented BSS API.
//!
//! Everything the emulator knows about the API (routes, parameters, types, constraints, code
//! lists, error codes, rate limits, documented answers) is written from the model into one data
//! file, `src/api.json`; its Rust sources are generic and copied from `templates/emulator/`. So
//! the emulator and the client come from the same spec and cannot drift apart. The generated
//! tests call every operation of the client against it.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;
use serde::Serialize;

use super::requests::{BuiltRequest, as_decoded, build_request};
use super::rust_types::ident;
use super::{BANNER, Tree, templates};
use crate::ir::ParamLocation;
use crate::ir::{CodeListId, CodeListType, ExampleInfo, Model, OperationInfo, Shape, TypeExpr};

/// Root of the generated operation tests.
const OPERATIONS_ROOT: &str = "//! Every operation of the client, called against the emulator.\n\n#[rustfmt::skip]\nmod operations_cases;\n#[rustfmt::skip]\nmod support;\n";

/// Adds the emulator crate under `emulator/`, but for its operation tests
/// ([`operation_tests`]), which are formatted on a thread of their own.
pub fn generate(model: &Model, tree: &mut Tree) -> Result<(), String> {
    for (name, text) in templates::EMULATOR {
        let text = if name.ends_with(".rs") {
            format!("{BANNER}{text}")
        } else {
            (*text).to_string()
        };
        tree.insert(format!("emulator/{name}"), text);
    }
    tree.insert(
        "emulator/Cargo.toml".into(),
        templates::emulator_cargo_toml(model)?,
    );
    tree.insert(
        "emulator/README.md".into(),
        templates::emulator_readme(model)?,
    );
    let api = serde_json::to_string_pretty(&api(model))
        .map_err(|e| format!("the emulator's API table does not encode: {e}"))?;
    tree.insert("emulator/src/api.json".into(), api + "\n");
    tree.insert(
        "emulator/tests/operations.rs".into(),
        format!("{BANNER}{OPERATIONS_ROOT}"),
    );
    Ok(())
}

/// `src/api.json`. Field order is declaration order and maps are `BTreeMap`s, so the file is
/// the same bytes on every run whatever `serde_json` features other crates enable.
#[derive(Serialize)]
struct Api<'a> {
    generated: &'static str,
    spec_sha256: &'a str,
    throttling: Option<Throttling<'a>>,
    auth_failures: Option<&'a crate::ir::AuthFailures>,
    error_codes: BTreeMap<&'a str, ErrorCode<'a>>,
    code_lists: BTreeMap<&'a str, Vec<&'a serde_json::Value>>,
    /// The sites of `service.yaml`; the first is the default.
    sites: Vec<&'a str>,
    /// Per code list, the codes documented on some sites only, with those sites.
    site_codes: BTreeMap<&'a str, Vec<(&'a serde_json::Value, &'a [String])>>,
    types: BTreeMap<&'a str, Vec<Field<'a>>>,
    operations: Vec<Operation<'a>>,
}

#[derive(Serialize)]
struct Throttling<'a> {
    http_status: u16,
    error_code: &'a str,
    example: &'a str,
}

#[derive(Serialize)]
struct ErrorCode<'a> {
    http_status: u16,
    message: &'a str,
}

#[derive(Serialize)]
struct Field<'a> {
    name: &'a str,
    required: bool,
    /// Sites whose documents list the field (empty: every site); `site_required`: required there.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    sites: &'a [String],
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    site_required: bool,
    schema: Schema<'a>,
}

/// What a value must look like. Constraints follow the client's own validation, so that what
/// the client lets through the emulator accepts, and the other way round.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Schema<'a> {
    String {
        #[serde(skip_serializing_if = "Option::is_none")]
        min_length: Option<u64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        max_length: Option<u64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        code_list: Option<&'a str>,
    },
    Integer {
        #[serde(skip_serializing_if = "Option::is_none")]
        minimum: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        maximum: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        max_digits: Option<u64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        code_list: Option<&'a str>,
    },
    Decimal,
    Number,
    Boolean,
    Json,
    List {
        items: Box<Schema<'a>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        min_items: Option<u64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        max_items: Option<u64>,
    },
    Map {
        values: Box<Schema<'a>>,
    },
    Object {
        name: &'a str,
    },
}

#[derive(Serialize)]
struct Param<'a> {
    name: &'a str,
    location: &'static str,
    required: bool,
    schema: Schema<'a>,
}

#[derive(Serialize)]
struct RateLimit {
    requests: u32,
    per_seconds: u32,
}

#[derive(Serialize)]
struct Pagination<'a> {
    offset: &'a str,
    offset_in_body: bool,
    first_offset: i64,
    items: &'a str,
}

#[derive(Serialize)]
struct Operation<'a> {
    id: &'a str,
    group: &'a str,
    title_zh: &'a str,
    method: &'a str,
    path: &'a str,
    idempotent: bool,
    rate_limit: Option<RateLimit>,
    params: Vec<Param<'a>>,
    body: Option<&'a str>,
    success_status: u16,
    /// The documented answer, verbatim, or one built from the types (`success_body_built`).
    success_body: Option<String>,
    success_body_built: bool,
    errors: Vec<(u16, &'a str)>,
    error_message_field: &'static str,
    pagination: Option<Pagination<'a>>,
}

fn api(model: &Model) -> Api<'_> {
    let mut error_codes: BTreeMap<&str, ErrorCode> = model
        .error_codes
        .iter()
        .map(|e| {
            (
                e.code.as_str(),
                ErrorCode {
                    http_status: e.http_status,
                    message: &e.message,
                },
            )
        })
        .collect();
    for e in model.groups.iter().flat_map(|g| &g.extra_error_codes) {
        error_codes.entry(&e.code).or_insert(ErrorCode {
            http_status: e.http_status,
            message: &e.message,
        });
    }
    let code_lists = model
        .code_lists
        .iter()
        .map(|cl| {
            let values = cl.def.values.iter().map(|v| &v.value).collect();
            (cl.name.as_str(), values)
        })
        .collect();
    let site_codes = model
        .code_lists
        .iter()
        .filter(|cl| cl.def.values.iter().any(|v| !v.sites.is_empty()))
        .map(|cl| {
            let values = cl
                .def
                .values
                .iter()
                .filter(|v| !v.sites.is_empty())
                .map(|v| (&v.value, v.sites.as_slice()))
                .collect();
            (cl.name.as_str(), values)
        })
        .collect();
    let types = model
        .types
        .iter()
        .filter(|t| t.input)
        .map(|t| {
            let fields = t
                .fields
                .iter()
                .map(|f| Field {
                    name: &f.name,
                    required: f.required,
                    sites: &f.sites,
                    site_required: f.site_required,
                    schema: schema(model, &f.shape),
                })
                .collect();
            (t.name.as_str(), fields)
        })
        .collect();
    let service = &model.service;
    Api {
        generated: "DO NOT EDIT. Generated by bss-codegen from spec/ (see the repository README).",
        spec_sha256: &model.spec_hash,
        throttling: service.throttling.as_ref().map(|t| Throttling {
            http_status: t.http_status,
            error_code: &t.error_code,
            example: t.example.trim(),
        }),
        auth_failures: service.auth_failures.as_ref(),
        error_codes,
        code_lists,
        sites: service.sites.iter().map(|s| s.id.as_str()).collect(),
        site_codes,
        types,
        operations: model.operations().map(|op| operation(model, op)).collect(),
    }
}

fn schema<'a>(model: &'a Model, shape: &Shape) -> Schema<'a> {
    match shape {
        Shape::Text {
            min_length,
            max_length,
            ..
        } => Schema::String {
            min_length: *min_length,
            max_length: *max_length,
            code_list: None,
        },
        Shape::Integer {
            minimum,
            maximum,
            max_digits,
            ..
        } => Schema::Integer {
            minimum: *minimum,
            maximum: *maximum,
            max_digits: *max_digits,
            code_list: None,
        },
        // A code list names the documented values; the client validates no other constraint on them.
        Shape::Code(cl) => {
            let c = &model[*cl];
            let code_list = Some(c.name.as_str());
            match c.def.ty {
                CodeListType::Integer => Schema::Integer {
                    minimum: None,
                    maximum: None,
                    max_digits: None,
                    code_list,
                },
                CodeListType::String => Schema::String {
                    min_length: None,
                    max_length: None,
                    code_list,
                },
            }
        }
        Shape::Decimal => Schema::Decimal,
        Shape::Number => Schema::Number,
        Shape::Boolean => Schema::Boolean,
        Shape::Json => Schema::Json,
        Shape::List {
            item,
            min_items,
            max_items,
        } => Schema::List {
            items: Box::new(schema(model, item)),
            min_items: *min_items,
            max_items: *max_items,
        },
        Shape::Map(inner) => Schema::Map {
            values: Box::new(schema(model, inner)),
        },
        Shape::Object(t) => Schema::Object {
            name: &model[*t].name,
        },
    }
}

fn operation<'a>(model: &'a Model, op: &'a OperationInfo) -> Operation<'a> {
    let success_status = op
        .responses
        .iter()
        .map(|r| r.status)
        .find(|s| (200..300).contains(s))
        .unwrap_or(200);
    let documented = op
        .examples
        .iter()
        .filter(|ex| ex.response_status.is_none_or(|s| s == success_status))
        .find_map(|ex| ex.response_body.clone());
    let (success_body, success_body_built) = match (documented, op.success_type()) {
        (Some(body), _) => (Some(body), false),
        (None, Some(t)) => (
            serde_json::to_string_pretty(&crate::synth::full_object(model, t, 0)).ok(),
            true,
        ),
        (None, None) => (None, false),
    };
    let pagination = op.pagination.as_ref().map(|p| Pagination {
        offset: &p.offset.wire,
        offset_in_body: p.offset.in_body,
        first_offset: p.first_offset,
        items: &p.items.text,
    });
    Operation {
        id: &op.id,
        group: &op.group,
        title_zh: &op.title_zh,
        method: op.method.as_str(),
        path: &op.path,
        idempotent: op.idempotent,
        rate_limit: op.rate_limit.as_ref().map(|r| RateLimit {
            requests: r.requests,
            per_seconds: r.per_seconds,
        }),
        params: op
            .params
            .iter()
            .map(|p| Param {
                name: &p.name,
                location: match p.location {
                    ParamLocation::Path => "path",
                    ParamLocation::Query => "query",
                    ParamLocation::Header => "header",
                },
                required: p.required,
                schema: schema(model, &p.shape),
            })
            .collect(),
        body: op.body.map(|b| model[b].name.as_str()),
        success_status,
        success_body,
        success_body_built,
        errors: op.errors.iter().map(|(s, c)| (*s, c.as_str())).collect(),
        error_message_field: error_message_field(model, op),
        pagination,
    }
}

/// The member carrying the error message: `error_msg`, unless the operation's documented error
/// body names it otherwise (CancelCustomerOrder's `error_message`).
fn error_message_field(model: &Model, op: &OperationInfo) -> &'static str {
    let renamed = op
        .responses
        .iter()
        .filter(|r| r.status >= 300)
        .filter_map(|r| r.ty.map(|t| &model[t]))
        .any(|t| {
            t.fields.iter().any(|f| f.name == "error_message")
                && !t.fields.iter().any(|f| f.name == "error_msg")
        });
    if renamed {
        "error_message"
    } else {
        "error_msg"
    }
}

/// The example an operation test sends: the first documented one the client can build that
/// keeps the documented constraints and code lists, else one built from the types.
pub(super) fn test_example(model: &Model, op: &OperationInfo) -> (ExampleInfo, BuiltRequest) {
    op.examples
        .iter()
        .filter(|ex| !ex.breaks_constraint && fits_code_lists(model, op, ex))
        .find_map(|ex| build_request(model, op, ex).map(|b| (ex.clone(), b)))
        .unwrap_or_else(|| {
            let ex = crate::synth::example(model, op);
            let built = build_request(model, op, &ex).expect("a built example has every part");
            (ex, built)
        })
}

/// Whether the values of a documented request lie in the documented code lists. A few examples
/// use values their own tables do not list (each recorded as a fixup); the emulator keeps to
/// the tables and refuses them.
fn fits_code_lists(model: &Model, op: &OperationInfo, ex: &ExampleInfo) -> bool {
    let body_fits = match (&op.body, &ex.request_body) {
        (Some(t), Some(json)) => serde_json::from_str(json)
            .is_ok_and(|v| value_fits(model, &TypeExpr::Named(*t), None, &v)),
        _ => true,
    };
    let query_fits = ex
        .query
        .iter()
        .filter_map(|q| Some((q.key.as_str(), q.value.as_deref()?)))
        .all(|(k, v)| {
            op.params
                .iter()
                .filter(|p| p.name == k)
                .all(|p| value_fits(model, &p.ty, p.code_list, &serde_json::Value::from(v)))
        });
    body_fits && query_fits
}

fn value_fits(
    model: &Model,
    ty: &TypeExpr,
    code_list: Option<CodeListId>,
    v: &serde_json::Value,
) -> bool {
    let text = crate::synth::param_text;
    match ty {
        TypeExpr::List(inner) => v
            .as_array()
            .is_none_or(|items| items.iter().all(|x| value_fits(model, inner, code_list, x))),
        TypeExpr::Named(n) => v.as_object().is_none_or(|members| {
            model[*n].fields.iter().all(|f| {
                members
                    .get(&f.name)
                    .is_none_or(|x| x.is_null() || value_fits(model, &f.ty, f.code_list, x))
            })
        }),
        _ => code_list
            .map(|cl| &model[cl])
            .is_none_or(|cl| cl.def.values.iter().any(|c| text(&c.value) == text(v))),
    }
}

/// `emulator/tests/operations_cases/mod.rs`.
pub fn operation_tests(model: &Model) -> TokenStream {
    let mut tests = Vec::new();
    for op in model.operations() {
        let (ex, built) = test_example(model, op);
        let setup = built.setup;
        let method = ident(&op.names.method);
        let test = ident(&op.names.tests.emulator);
        let id = op.id.as_str();
        let http_method = op.method.as_str();
        let path = built.expected_path;
        let documented = ex
            .response_body
            .as_ref()
            .and_then(|json| Some(as_decoded(model, op.success_type()?, json)));
        let expect_body = match documented {
            Some(json) => quote! {
                let documented: serde_json::Value = serde_json::from_str(#json).expect("documented response");
                let decoded = serde_json::to_value(answer.body()).expect("encode");
                assert!(support::equivalent(&documented, &decoded), "decoded answer differs from the documented one:\n{documented:#}\n---\n{decoded:#}");
            },
            None => quote!(),
        };
        tests.push(quote! {
            #[tokio::test]
            async fn #test() {
                let emulator = support::start().await;
                let client = support::client(&emulator);
                #setup
                let answer = support::accepted(&emulator, client.#method(request).await);
                assert!(answer.request_id().is_some(), "the emulator sends a request id");
                #expect_body
                let recorded = emulator.requests();
                assert_eq!(recorded.len(), 1, "exactly one request reaches the emulator");
                let r = &recorded[0];
                assert_eq!(r.operation(), Some(#id));
                assert_eq!(r.method(), #http_method);
                assert_eq!(r.path(), #path);
                assert!((200..300).contains(&r.status()), "answered {}", r.status());
            }
        });
        // A documented example that breaks a documented constraint or code list is refused
        // with CBC.0100.
        for ex in op
            .examples
            .iter()
            .filter(|ex| ex.breaks_constraint || !fits_code_lists(model, op, ex))
        {
            let Some(built) = build_request(model, op, ex) else {
                continue;
            };
            let setup = built.setup;
            let name = ident(&ex.tests.refused);
            tests.push(quote! {
                #[tokio::test]
                async fn #name() {
                    let emulator = support::start().await;
                    let client = support::unvalidated_client(&emulator);
                    #setup
                    let err = client.#method(request).await.expect_err("the emulator refuses the example");
                    support::assert_service_error(&err, 400, "CBC.0100");
                }
            });
        }
    }
    quote! {
        //! One test per operation: the client's call goes through the emulator and comes back.
        #![allow(deprecated)]

        use super::support;

        #(#tests)*
    }
}
