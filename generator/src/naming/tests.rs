//! The naming pass on small edits of the real spec: each collision is rejected at its node, and
//! the names it chooses reach the IR.

use std::path::{Path, PathBuf};

use super::*;
use crate::diag::Diagnostic;

/// The real spec's service, errors and products files in a fresh directory, `edit` applied to
/// the products group.
fn spec_with(name: &str, edit: impl FnOnce(String) -> String) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let dir = std::env::temp_dir().join(format!("bss-naming-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("groups")).expect("mkdir");
    for rel in ["service.yaml", "errors.yaml", "groups/products.yaml"] {
        std::fs::copy(root.join(rel), dir.join(rel)).expect("copy");
    }
    let path = dir.join("groups/products.yaml");
    let text = std::fs::read_to_string(&path).expect("read");
    let edited = edit(text.clone());
    assert_ne!(text, edited, "the edit of {name} changed nothing");
    std::fs::write(&path, edited).expect("write");
    dir
}

fn errors(dir: &Path) -> Vec<Diagnostic> {
    match crate::load(dir) {
        Ok(_) => panic!("{} was accepted", dir.display()),
        Err(d) => d.0,
    }
}

fn line_of(dir: &Path, needle: &str) -> usize {
    std::fs::read_to_string(dir.join("groups/products.yaml"))
        .expect("read")
        .lines()
        .position(|l| l.contains(needle))
        .expect("needle")
        + 1
}

/// Exactly one diagnostic, on the line holding `needle`, whose message contains `message`.
#[track_caller]
fn rejected(dir: &Path, needle: &str, message: &str) -> Diagnostic {
    let errs = errors(dir);
    let line = line_of(dir, needle);
    assert_eq!(errs.len(), 1, "{errs:?}");
    let d = errs.into_iter().next().expect("one");
    assert_eq!(d.file, Path::new("groups/products.yaml"));
    assert_eq!(d.line, line, "{d}");
    assert!(d.message.contains(message), "{d}");
    assert!(d.hint.is_some(), "{d}");
    d
}

/// Inserts a parameter line after the first `{ common: X-Language }` (of `ListServiceTypes`).
fn with_param(text: String, param: &str) -> String {
    text.replacen(
        "      - { common: X-Language }\n",
        &format!("      - {{ common: X-Language }}\n      - {param}\n"),
        1,
    )
}

#[test]
fn a_parameter_named_new_collides_with_the_constructor() {
    let dir = spec_with("new", |t| {
        with_param(
            t,
            r#"{ name: new, in: query, type: string, description: "Clash." }"#,
        )
    });
    let d = rejected(
        &dir,
        "name: new,",
        "parameter `new` collides with a name the generated crate reserves: the method `new` of `ListServiceTypesRequest` is its constructor",
    );
    assert!(d.hint.is_some_and(|h| h.contains("rust_name")));
}

#[test]
fn rust_name_resolves_the_collision_and_keeps_the_wire_name() {
    let dir = spec_with("new-renamed", |t| {
        with_param(
            t,
            r#"{ name: new, rust_name: new_value, in: query, type: string, description: "Renamed." }"#,
        )
    });
    let model = crate::load(&dir).expect("valid");
    let op = model
        .operations()
        .find(|o| o.id == "ListServiceTypes")
        .expect("op");
    let p = op.params.iter().find(|p| p.name == "new").expect("param");
    assert_eq!(p.rust, "new_value");
}

#[test]
fn a_rust_name_must_be_a_snake_case_identifier() {
    let dir = spec_with("bad-rust-name", |t| {
        with_param(
            t,
            r#"{ name: new, rust_name: NewValue, in: query, type: string, description: "Bad." }"#,
        )
    });
    rejected(&dir, "rust_name: NewValue", "rust_name `NewValue` is not");
}

#[test]
fn two_parameters_that_differ_in_case_share_a_field() {
    let dir = spec_with("param-case", |t| {
        with_param(
            t,
            "{ name: page_no, in: query, type: integer, description: \"Page.\" }\n      - { name: pageNo, in: query, type: integer, description: \"Clash.\" }",
        )
    });
    rejected(
        &dir,
        "name: pageNo,",
        "parameters `page_no` and `pageNo` both become the Rust field `page_no` of `ListServiceTypesRequest`",
    );
}

#[test]
fn a_parameter_named_body_collides_with_the_body_field() {
    let dir = spec_with("param-body", |t| {
        t.replacen(
            "    request_body: RateOnDemandReq\n",
            "    parameters:\n      - { name: body, in: query, type: string, description: \"Clash.\" }\n    request_body: RateOnDemandReq\n",
            1,
        )
    });
    rejected(
        &dir,
        "name: body,",
        "parameter `body` collides with a name the generated crate reserves: the Rust field `body`",
    );
}

#[test]
fn a_keyword_is_escaped_and_the_escaped_name_still_collides() {
    let dir = spec_with("keyword", |t| {
        with_param(
            t,
            "{ name: type, in: query, type: string, description: \"Escaped.\" }\n      - { name: type_, in: query, type: string, description: \"Clash.\" }",
        )
    });
    rejected(
        &dir,
        "name: type_,",
        "parameters `type` and `type_` both become the Rust field `type_`",
    );
}

#[test]
fn a_code_value_named_unknown_is_renamed_and_checked() {
    let dir = spec_with("unknown", |t| {
        t.replacen(
            "      - { value: 1, name: currency, zh: 货币 }",
            "      - { value: 1, name: unknown, zh: 货币 }\n      - { value: 5, name: unknown_, zh: 其他 }",
            1,
        )
    });
    rejected(
        &dir,
        "name: unknown_,",
        "names `unknown` and `unknown_` both become the variant `Unknown_` of `MeasureType`",
    );
}

#[test]
fn a_type_named_like_a_request_struct_collides_with_it() {
    let dir = spec_with("request-struct", |t| {
        t.replacen("  RateOnDemandReq:\n", "  ListServiceTypesRequest:\n", 1)
            .replace(
                "request_body: RateOnDemandReq",
                "request_body: ListServiceTypesRequest",
            )
    });
    rejected(
        &dir,
        "  ListServiceTypesRequest:",
        "operation `ListServiceTypes` and type `ListServiceTypesRequest` both become the item `ListServiceTypesRequest`",
    );
}

#[test]
fn example_names_that_meet_after_case_conversion_share_their_tests() {
    let dir = spec_with("examples", |t| {
        t.replacen(
            "    examples:\n      - name: documented\n",
            "    examples:\n      - name: Documented\n      - name: documented\n",
            1,
        )
    });
    let errs = errors(&dir);
    assert!(
        errs.iter().any(|d| d
            .message
            .contains("examples `Documented` and `documented` both become the test function `list_service_types_documented_request_body`")),
        "{errs:?}"
    );
}

#[test]
fn a_group_named_like_a_runtime_module_collides_with_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let dir = std::env::temp_dir().join(format!("bss-naming-{}-group", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("groups")).expect("mkdir");
    for rel in ["service.yaml", "errors.yaml"] {
        std::fs::copy(root.join(rel), dir.join(rel)).expect("copy");
    }
    let text = std::fs::read_to_string(root.join("groups/products.yaml"))
        .expect("read")
        .replacen("  id: products\n", "  id: codes\n", 1);
    std::fs::write(dir.join("groups/codes.yaml"), text).expect("write");
    let errs = errors(&dir);
    assert!(
        errs.iter().any(|d| d.message
            == "group `codes` collides with a name the generated crate reserves: the crate-root item `codes` is a runtime item"
            && d.file == Path::new("groups/codes.yaml")),
        "{errs:?}"
    );
}

#[test]
fn the_names_reach_the_ir() {
    let model = crate::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")).expect("spec");
    assert_eq!(model.crate_ident, "huaweicloud_bss");
    let op = model
        .operations()
        .find(|o| o.id == "ListServiceTypes")
        .expect("op");
    assert_eq!(op.names.method, "list_service_types");
    assert_eq!(op.names.request, "ListServiceTypesRequest");
    assert_eq!(op.names.meta, "LIST_SERVICE_TYPES");
    assert_eq!(op.names.pages.as_deref(), Some("list_service_types_pages"));
    assert_eq!(op.names.items.as_deref(), Some("list_service_types_items"));
    assert_eq!(
        op.names.tests.paging.len(),
        crate::ir::PAGING_SCENARIOS.len()
    );
    let cl = &model[model.code_list_named("MeasureType").expect("code list")];
    assert_eq!(cl.variants[0], "Currency");
    assert_eq!(cl.unknown, "Unknown");
}

#[test]
fn collision_messages_name_both_parties() {
    let at = |i| At {
        file: None,
        path: node_path!["x", i],
    };
    let mut ns = Namespace::new("method", Some("Client".into()), "hint");
    ns.reserve(&["new"], "its constructor");
    ns.claim("list", Claim::spec("operation", "List", at(0)))
        .expect("free");
    let c = ns
        .claim("list", Claim::spec("operation", "LIST", at(1)))
        .expect_err("taken");
    assert_eq!(
        c.message(),
        "operations `List` and `LIST` both become the method `list` of `Client`"
    );
    assert_eq!(c.at(), Some(&at(1)));
    let c = ns
        .claim("new", Claim::spec("operation", "New", at(2)))
        .expect_err("reserved");
    assert_eq!(
        c.message(),
        "operation `New` collides with a name the generated crate reserves: the method `new` of `Client` is its constructor"
    );
    // The same claim twice is no collision (an operation takes its method name once per use).
    ns.claim("list", Claim::spec("operation", "List", at(0)))
        .expect("same claim");
}

#[test]
fn the_reserved_crate_root_items_are_the_ones_lib_rs_declares() {
    // `CRATE_ROOT_ITEMS` repeats what `emit::lib_rs` writes; this keeps the two in step.
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let model = crate::load(&spec).expect("spec");
    let tree = crate::emit::generate(&model).expect("generates");
    let lib = &tree["src/lib.rs"];
    let groups: Vec<&str> = model.groups.iter().map(|g| g.info.id.as_str()).collect();
    let mut declared = Vec::new();
    // A `use` list too long for one line is printed over several; join it back.
    let mut lines = Vec::new();
    let mut open: Option<String> = None;
    for line in lib.lines().map(str::trim) {
        match open.take() {
            Some(mut started) => {
                started.push_str(line);
                if line.ends_with(';') {
                    lines.push(started);
                } else {
                    open = Some(started);
                }
            }
            None if line.contains("use ") && line.ends_with('{') => open = Some(line.to_string()),
            None => lines.push(line.to_string()),
        }
    }
    for line in lines.iter().map(|l| l.as_str()) {
        let line = line.trim_start_matches("pub ");
        if let Some(m) = line.strip_prefix("mod ") {
            declared.push(m.trim_end_matches(';').to_string());
        } else if let Some(u) = line.strip_prefix("use ") {
            let items = u.trim_end_matches(';');
            let items = match items.split_once("::{") {
                Some((_, list)) => list.trim_end_matches('}').to_string(),
                None => items.rsplit("::").next().unwrap_or_default().to_string(),
            };
            declared.extend(
                items
                    .split(',')
                    .map(|i| i.trim().to_string())
                    .filter(|i| !i.is_empty()),
            );
        } else if let Some(c) = line.strip_prefix("const ") {
            declared.push(c.split(':').next().unwrap_or_default().to_string());
        }
    }
    let runtime: Vec<&String> = declared
        .iter()
        .filter(|d| !groups.contains(&d.as_str()))
        .collect();
    assert!(runtime.len() > 20, "{declared:?}");
    for item in runtime {
        assert!(
            CRATE_ROOT_ITEMS.contains(&item.as_str()),
            "lib.rs declares `{item}`, which the naming pass does not reserve"
        );
    }
}

#[test]
fn the_runtime_client_methods_are_reserved() {
    // An operation named like a method of the runtime's `Client` would give it a second method
    // of that name; `RESERVED_METHOD_NAMES` must cover every one.
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let model = crate::load(&spec).expect("spec");
    let tree = crate::emit::generate(&model).expect("generates");
    assert!(
        tree.contains_key("src/client.rs"),
        "the runtime's Client ships as src/client.rs; update this test if it moved"
    );
    // Every inherent method, private ones included, in whichever runtime file holds an
    // `impl Client` block.
    let mut methods = Vec::new();
    for (path, text) in tree.iter().filter(|(p, _)| p.starts_with("src/")) {
        let mut rest = text.as_str();
        while let Some(start) = rest.find("\nimpl Client {") {
            let block = &rest[start..];
            let end = block
                .find("\n}\n")
                .unwrap_or_else(|| panic!("end of impl in {path}"));
            for line in block[..end].lines().map(str::trim) {
                if let Some(i) = line.find("fn ") {
                    let head = &line[..i];
                    if head.is_empty() || head.starts_with("pub") || head.starts_with("async") {
                        let name: String = line[i + 3..]
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                            .collect();
                        methods.push(name);
                    }
                }
            }
            rest = &block[end..];
        }
    }
    assert!(methods.contains(&"call".to_string()), "{methods:?}");
    for m in methods {
        assert!(
            case::RESERVED_METHOD_NAMES.contains(&m.as_str()),
            "Client::{m} is not reserved"
        );
    }
}

#[test]
fn a_request_body_named_req_is_called_body_with_bare_setters() {
    let model = crate::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")).expect("spec");
    let body = &model[model.type_named("RateOnDemandReq").expect("type")];
    assert_eq!(body.name, "RateOnDemandReq", "the documented name stays");
    assert_eq!(body.rust, "RateOnDemandBody");
    let precision = body
        .fields
        .iter()
        .find(|f| f.name == "inquiry_precision")
        .expect("field");
    assert_eq!(precision.setter.as_deref(), Some("inquiry_precision"));
    // A type named `…Req` that is no request body keeps its name; so does any other body.
    let other = &model[model.type_named("FreezeSubCustomersOldBody").expect("type")];
    assert_eq!(other.rust, other.name);
    let versioned = &model[model.type_named("CreateSubCustomerReqV2").expect("type")];
    assert_eq!(versioned.rust, "CreateSubCustomerBodyV2");
}

#[test]
fn a_body_renamed_like_another_type_collides_with_it() {
    let dir = spec_with("body-rename", |t| {
        t.replacen("  RenewRateOnPeriodReq:\n", "  RateOnDemandBody:\n", 1)
            .replace(
                "request_body: RenewRateOnPeriodReq",
                "request_body: RateOnDemandBody",
            )
    });
    rejected(
        &dir,
        "  RateOnDemandReq:",
        "types `RateOnDemandBody` and `RateOnDemandReq` both become the item `RateOnDemandBody`",
    );
}

#[test]
fn a_body_field_named_new_collides_with_the_constructor() {
    let dir = spec_with("body-new", |t| {
        t.replacen(
            "      - { name: inquiry_precision, type: integer, code_list: InquiryPrecision,",
            "      - { name: new, type: string, description: \"Clash.\" }\n      - { name: inquiry_precision, type: integer, code_list: InquiryPrecision,",
            1,
        )
    });
    let d = rejected(
        &dir,
        "name: new,",
        "field `new` collides with a name the generated crate reserves: the method `new` of `RateOnDemandBody` is its constructor",
    );
    assert!(
        d.hint
            .is_some_and(|h| h.contains("setter named like the field"))
    );
}

#[test]
fn a_success_answer_drops_its_error_code_but_a_nested_failure_keeps_it() {
    let model = crate::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")).expect("spec");
    let answer = &model[model.type_named("ListServiceTypesResponse").expect("type")];
    let status: Vec<&str> = answer
        .fields
        .iter()
        .filter(|f| f.answer_status)
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(status, ["error_code", "error_msg"]);
    // Per-item failures of a batch are data, not the status of the answer.
    let nested = model
        .types
        .iter()
        .filter(|t| !t.fields.iter().any(|f| f.answer_status))
        .any(|t| t.fields.iter().any(|f| f.name == "error_code"));
    assert!(nested, "no type keeps an error_code");
}
