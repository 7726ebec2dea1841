//! Broken specs give a clear message naming file, line and column; never a panic.

use std::path::{Path, PathBuf};

use bss_tests::root;

/// Copies the real spec into a temporary directory and applies `edit` to one file.
fn broken(name: &str, file: &str, edit: impl FnOnce(String) -> String) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bss-bad-spec-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("groups")).expect("mkdir");
    let spec = root().join("spec");
    for rel in ["service.yaml", "errors.yaml", "groups/products.yaml"] {
        std::fs::copy(spec.join(rel), dir.join(rel)).expect("copy");
    }
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    let edited = edit(text.clone());
    assert_ne!(text, edited, "the edit of {name} changed nothing");
    std::fs::write(&path, edited).expect("write");
    dir
}

fn errors(dir: &Path) -> Vec<bss_codegen::Diagnostic> {
    match bss_codegen::load(dir) {
        Ok(_) => panic!("the broken spec in {} was accepted", dir.display()),
        Err(d) => d.0,
    }
}

fn line_of(dir: &Path, file: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(dir.join(file)).expect("read");
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle present")
        + 1
}

#[track_caller]
fn expect(dir: &Path, file: &str, line: usize, message: &str) {
    let errs = errors(dir);
    assert!(
        errs.iter().any(|e| e.file == Path::new(file)
            && e.line == line
            && e.column >= 1
            && e.message.contains(message)),
        "expected `{message}` at {file}:{line}, got:\n{}",
        errs.iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn unknown_key() {
    let dir = broken("unknown-key", "groups/products.yaml", |t| {
        t.replacen(
            "    idempotent: true\n",
            "    idempotent: true\n    retriable: true\n",
            1,
        )
    });
    let line = line_of(&dir, "groups/products.yaml", "retriable: true");
    expect(
        &dir,
        "groups/products.yaml",
        line,
        "unknown field `retriable`",
    );
}

#[test]
fn dangling_type_reference() {
    let dir = broken("dangling", "groups/products.yaml", |t| {
        t.replacen(
            "type: \"list<ServiceType>\"",
            "type: \"list<ServiceTyp>\"",
            1,
        )
    });
    let line = line_of(&dir, "groups/products.yaml", "list<ServiceTyp>");
    expect(
        &dir,
        "groups/products.yaml",
        line,
        "type `ServiceTyp` is not defined",
    );
    let e = errors(&dir)
        .into_iter()
        .find(|e| e.message.contains("ServiceTyp"))
        .expect("error");
    assert_eq!(e.hint.as_deref(), Some("did you mean `ServiceType`?"));
}

#[test]
fn duplicate_operation_id() {
    let dir = broken("duplicate-id", "groups/products.yaml", |t| {
        t.replacen("  - id: ListResourceTypes", "  - id: ListServiceTypes", 1)
    });
    let text = std::fs::read_to_string(dir.join("groups/products.yaml")).expect("read");
    let second = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("- id: ListServiceTypes"))
        .nth(1)
        .expect("second")
        .0
        + 1;
    expect(
        &dir,
        "groups/products.yaml",
        second,
        "operation id `ListServiceTypes` is used twice",
    );
}

#[test]
fn operation_named_like_a_pagination_stream() {
    // `ListServiceTypes` is paginated, so its client gets `list_service_types_pages`.
    let dir = broken("stream-name", "groups/products.yaml", |t| {
        t.replacen(
            "  - id: ListResourceTypes",
            "  - id: ListServiceTypesPages",
            1,
        )
    });
    let line = line_of(&dir, "groups/products.yaml", "- id: ListServiceTypesPages");
    expect(
        &dir,
        "groups/products.yaml",
        line,
        "operations `ListServiceTypes` and `ListServiceTypesPages` both become the method `list_service_types_pages`",
    );
}

#[test]
fn field_names_colliding_after_case_conversion() {
    let dir = broken("collide", "groups/products.yaml", |t| {
        t.replacen(
            "      - { name: abbreviation, type: string, max_length: 200, description: \"Abbreviated name of the cloud service type.\" }",
            "      - { name: abbreviation, type: string, max_length: 200, description: \"Abbreviated name of the cloud service type.\" }\n      - { name: serviceTypeCode, type: string, description: \"Clash.\" }",
            1,
        )
    });
    let line = line_of(&dir, "groups/products.yaml", "serviceTypeCode");
    expect(
        &dir,
        "groups/products.yaml",
        line,
        "both become the Rust field `service_type_code`",
    );
}

#[test]
fn reserved_type_name() {
    let dir = broken("reserved", "groups/products.yaml", |t| {
        t.replace("ServiceType:\n", "Client:\n")
            .replace("list<ServiceType>", "list<Client>")
    });
    let line = line_of(&dir, "groups/products.yaml", "  Client:");
    expect(
        &dir,
        "groups/products.yaml",
        line,
        "collides with a name the generated crate reserves",
    );
}

#[test]
fn path_template_without_its_parameter() {
    let dir = broken("path", "groups/products.yaml", |t| {
        t.replacen(
            "path: /v2/products/service-types\n",
            "path: /v2/products/service-types/{service_type_code}\n",
            1,
        )
    });
    let line = line_of(
        &dir,
        "groups/products.yaml",
        "/v2/products/service-types/{service_type_code}",
    );
    expect(
        &dir,
        "groups/products.yaml",
        line,
        "placeholder `{service_type_code}` has no path parameter",
    );
}

#[test]
fn example_that_does_not_fit_its_type() {
    let dir = broken("example-type", "groups/products.yaml", |t| {
        t.replacen("\"total_count\": 1,", "\"total_count\": {\"n\": 1},", 1)
    });
    let errs = errors(&dir);
    assert!(
        errs.iter().any(|e| e
            .message
            .contains("does not fit `ListServiceTypesResponse`")
            && e.message.contains("$.total_count")),
        "{errs:?}"
    );
}

#[test]
fn unknown_error_code() {
    let dir = broken("error-code", "groups/products.yaml", |t| {
        t.replacen(
            "{ status: 403, code: CBC.0151 }",
            "{ status: 403, code: CBC.0152X }",
            1,
        )
    });
    let line = line_of(&dir, "groups/products.yaml", "CBC.0152X");
    expect(
        &dir,
        "groups/products.yaml",
        line,
        "error code `CBC.0152X` is not in the global table",
    );
}

#[test]
fn error_status_mismatch_needs_a_fixup() {
    let dir = broken("status", "groups/products.yaml", |t| {
        t.replacen(
            "      - { status: 403, code: CBC.0154, fixup: renew-rate-cbc0154-status }",
            "      - { status: 403, code: CBC.0154 }",
            1,
        )
    });
    let line = line_of(&dir, "groups/products.yaml", "code: CBC.0154 }");
    expect(&dir, "groups/products.yaml", line, "table 13-3 says 401");
}

#[test]
fn broken_indentation() {
    let dir = broken("indent", "groups/products.yaml", |t| {
        t.replacen("    method: GET\n", "   method: GET\n", 1)
    });
    let errs = errors(&dir);
    assert!(
        errs.iter()
            .all(|e| e.file == Path::new("groups/products.yaml") && e.line > 1),
        "{errs:?}"
    );
}

#[test]
fn invalid_utf8() {
    let dir = broken("utf8", "groups/products.yaml", |t| {
        t.replacen("查询云服务类型列表", "查询云服务类型列表\u{fffd}", 1)
    });
    let path = dir.join("groups/products.yaml");
    let mut bytes = std::fs::read(&path).expect("read");
    let i = bytes
        .windows(3)
        .position(|w| w == "\u{fffd}".as_bytes())
        .expect("marker");
    bytes.splice(i..i + 3, [0xff]);
    std::fs::write(&path, bytes).expect("write");
    let line = line_of_lossy(&path, "查询云服务类型列表");
    expect(&dir, "groups/products.yaml", line, "not valid UTF-8");
}

fn line_of_lossy(path: &Path, needle: &str) -> usize {
    String::from_utf8_lossy(&std::fs::read(path).expect("read"))
        .lines()
        .position(|l| l.contains(needle))
        .expect("needle")
        + 1
}

#[test]
fn broken_example_json_needs_a_repair() {
    // The first response example (ListServiceTypes) loses its closing brace.
    let dir = broken("json", "groups/products.yaml", |t| {
        t.replacen(
            "              ]\n            }\n\n  - id: ListResourceTypes",
            "              ]\n\n  - id: ListResourceTypes",
            1,
        )
    });
    let errs = errors(&dir);
    assert!(
        errs.iter().any(|e| e
            .message
            .starts_with("the documented body is not valid JSON")
            && e.hint.as_deref().is_some_and(|h| h.contains("repair"))),
        "{errs:?}"
    );
}

#[test]
fn repair_naming_an_undeclared_fixup() {
    let dir = broken("undeclared-fixup", "groups/products.yaml", |t| {
        t.replacen(
            "      - id: service-resources-example-page-break\n        kind: example_repair",
            "      - id: service-resources-example-page-breakX\n        kind: example_repair",
            1,
        )
    });
    let line = line_of(&dir, "groups/products.yaml", "          repair:");
    expect(
        &dir,
        "groups/products.yaml",
        line,
        "fixup `service-resources-example-page-break` is not declared",
    );
}

/// Line numbers (1-based) of the lines that contain `needle`.
fn lines_of(dir: &Path, file: &str, needle: &str) -> Vec<usize> {
    std::fs::read_to_string(dir.join(file))
        .expect("read")
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
        .collect()
}

/// A duplicate key is reported at its second occurrence, and the message names the first one
/// as `file:line:column`.
#[track_caller]
fn expect_duplicate(dir: &Path, file: &str, key: &str, first: (usize, usize), second: usize) {
    let errs = errors(dir);
    let wanted = format!("key `{key}` appears twice");
    let first_at = format!("first at {file}:{}:{}", first.0, first.1);
    assert!(
        errs.iter().any(|e| e.file == Path::new(file)
            && e.line == second
            && e.message.contains(&wanted)
            && e.message.contains(&first_at)
            && e.hint.is_some()),
        "expected `{wanted}` at {file}:{second} naming `{first_at}`, got:\n{}",
        errs.iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn type_pasted_twice() {
    let dir = broken("dup-type", "groups/products.yaml", |t| {
        let start = t.find("  ServiceType:\n").expect("ServiceType");
        let end = start
            + t[start..]
                .find("  ListServiceTypesResponse:")
                .expect("next type");
        let block = t[start..end].to_string();
        t.replacen(
            "  ResourceTypes:\n",
            &format!("{block}  ResourceTypes:\n"),
            1,
        )
    });
    let lines = lines_of(&dir, "groups/products.yaml", "  ServiceType:");
    assert_eq!(lines.len(), 2);
    expect_duplicate(
        &dir,
        "groups/products.yaml",
        "ServiceType",
        (lines[0], 3),
        lines[1],
    );
}

#[test]
fn operation_field_twice() {
    let dir = broken("dup-field", "groups/products.yaml", |t| {
        t.replacen(
            "    idempotent: true\n",
            "    idempotent: true\n    idempotent: false\n",
            1,
        )
    });
    let first = line_of(&dir, "groups/products.yaml", "idempotent: true");
    let second = line_of(&dir, "groups/products.yaml", "idempotent: false");
    expect_duplicate(
        &dir,
        "groups/products.yaml",
        "idempotent",
        (first, 5),
        second,
    );
}

#[test]
fn nested_mapping_key_twice() {
    // In a flow mapping nested three levels deep (service.yaml → sites[0] → source).
    let dir = broken("dup-nested", "service.yaml", |t| {
        t.replacen(
            "source: { document: \"004\", section: \"3.1.1\", table: \"表 3-1\" }",
            "source: { document: \"004\", section: \"3.1.1\", section: \"3.1.2\" }",
            1,
        )
    });
    let line = line_of(&dir, "service.yaml", "section: \"3.1.2\"");
    let text = std::fs::read_to_string(dir.join("service.yaml")).expect("read");
    let row = text.lines().nth(line - 1).expect("line");
    let column = |needle: &str| row[..row.find(needle).expect("needle")].chars().count() + 1;
    expect_duplicate(
        &dir,
        "service.yaml",
        "section",
        (line, column("section: \"3.1.1\"")),
        line,
    );
    let e = errors(&dir)
        .into_iter()
        .find(|e| e.message.contains("appears twice"))
        .expect("error");
    assert_eq!(e.column, column("section: \"3.1.2\""));
    assert!(e.message.starts_with("sites[0].source: "), "{}", e.message);
}

/// The claim of ListConversions' `conversions-language-header` fixup, which each test breaks.
const CLAIM: &str = r#"kind: parameter_removed, item: "header.X-Language" }"#;

#[test]
fn claim_with_an_empty_item() {
    let dir = broken("claim-empty-item", "groups/products.yaml", |t| {
        t.replacen(CLAIM, r#"kind: parameter_removed, item: "" }"#, 1)
    });
    let line = line_of(&dir, "groups/products.yaml", r#"item: "" }"#);
    expect(&dir, "groups/products.yaml", line, "has an empty item");
}

#[test]
fn claim_of_an_unknown_kind() {
    let dir = broken("claim-unknown-kind", "groups/products.yaml", |t| {
        t.replacen(
            CLAIM,
            r#"kind: parameter_vanished, item: "header.X-Language" }"#,
            1,
        )
    });
    let line = line_of(&dir, "groups/products.yaml", "parameter_vanished");
    expect(
        &dir,
        "groups/products.yaml",
        line,
        "unknown variant `parameter_vanished`",
    );
}

#[test]
fn claim_with_a_wildcard_or_a_replaces_without_twin() {
    let dir = broken("claim-wildcard", "groups/products.yaml", |t| {
        t.replacen(
            CLAIM,
            r#"kind: parameter_removed, item: "header.*", replaces: "header.Y" }"#,
            1,
        )
    });
    let line = line_of(&dir, "groups/products.yaml", r#"item: "header.*""#);
    expect(&dir, "groups/products.yaml", line, "is not one item");
    expect(&dir, "groups/products.yaml", line, "has no removed twin");
}

#[test]
fn query_parameter_named_like_the_constructor() {
    // The request struct of `ListServiceTypes` has `new`; an optional parameter `new` would give
    // it a second `pub fn new` (E0592) if lint let it through.
    let dir = broken("param-new", "groups/products.yaml", |t| {
        t.replacen(
            "      - { common: X-Language }\n",
            "      - { common: X-Language }\n      - { name: new, in: query, type: string, description: \"Clash.\" }\n",
            1,
        )
    });
    let line = line_of(&dir, "groups/products.yaml", "name: new,");
    expect(
        &dir,
        "groups/products.yaml",
        line,
        "parameter `new` collides with a name the generated crate reserves: the method `new` of `ListServiceTypesRequest` is its constructor",
    );
}
