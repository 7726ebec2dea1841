//! `bss-codegen diff`: each kind of spec change is found and classified for users of the crate.

use std::path::PathBuf;

use bss_codegen::diff::{Impact, SpecDiff, Subject};
use bss_tests::root;

/// The products group of the real spec, with `edit` applied to `groups/products.yaml`.
fn spec_with(name: &str, edit: impl FnOnce(String) -> String) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bss-diff-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("groups")).expect("mkdir");
    let spec = root().join("spec");
    for rel in ["service.yaml", "errors.yaml", "groups/products.yaml"] {
        std::fs::copy(spec.join(rel), dir.join(rel)).expect("copy");
    }
    let path = dir.join("groups/products.yaml");
    let text = std::fs::read_to_string(&path).expect("read");
    let edited = edit(text.clone());
    assert_ne!(text, edited, "the edit of {name} changed nothing");
    std::fs::write(&path, edited).expect("write");
    dir
}

fn diff_of(name: &str, edit: impl FnOnce(String) -> String) -> SpecDiff {
    diff_between(name, |t| t + "\n", edit)
}

/// The diff from the spec edited by `old` to the spec edited by `new`.
fn diff_between(
    name: &str,
    old: impl FnOnce(String) -> String,
    new: impl FnOnce(String) -> String,
) -> SpecDiff {
    let old =
        bss_codegen::load(&spec_with(&format!("{name}-old"), old)).expect("old spec is valid");
    let new =
        bss_codegen::load(&spec_with(&format!("{name}-new"), new)).expect("new spec is valid");
    bss_codegen::diff::diff(&old, &new)
}

const ABBREVIATION: &str = "      - { name: abbreviation, type: string, max_length: 200, description: \"Abbreviated name of the cloud service type.\" }\n";

fn with_note_field(t: String) -> String {
    t.replace(
        ABBREVIATION,
        &format!(
            "{ABBREVIATION}      - {{ name: note, type: string, description: \"A note.\" }}\n"
        ),
    )
}

const LIMIT: &str =
    "      - { name: limit, in: query, type: integer, minimum: 1, maximum: 1000, default: 10,";

fn with_tag_parameter(t: String) -> String {
    t.replacen(LIMIT, &format!("      - {{ name: tag, in: query, type: string, description: \"A tag filter.\" }}\n{LIMIT}"), 1)
}

#[track_caller]
fn expect(d: &SpecDiff, impact: Impact, subject: Subject, location: &str, words: &str) {
    assert!(
        d.changes.iter().any(|c| c.impact == impact
            && c.subject == subject
            && c.location == location
            && c.description.contains(words)),
        "expected {impact:?} {subject:?} change at {location} ({words}), got:\n{}",
        bss_codegen::diff::to_text(d)
    );
}

#[test]
fn identical_specs_have_no_changes() {
    let d = diff_of("same", |t| t + "# a comment\n");
    assert!(d.changes.is_empty(), "{}", bss_codegen::diff::to_text(&d));
    assert_eq!(d.suggested_bump, "none");
    assert!(bss_codegen::diff::to_markdown(&d).contains("No semantic changes"));
}

#[test]
fn removing_an_operation_breaks_and_adding_one_does_not() {
    let d = diff_of("rename-op", |t| {
        t.replace("  - id: ListConversions\n", "  - id: ListConversionRates\n")
    });
    expect(
        &d,
        Impact::Breaking,
        Subject::Operation,
        "ListConversions",
        "removed",
    );
    expect(
        &d,
        Impact::Compatible,
        Subject::Operation,
        "ListConversionRates",
        "added",
    );
    assert!(d.is_breaking());
    // Before 1.0 a breaking change bumps the minor version.
    assert_eq!(
        (d.suggested_bump.as_str(), d.suggested_version.as_str()),
        ("minor", "0.2.0")
    );
}

#[test]
fn removing_a_field_breaks() {
    let d = diff_between("remove-field", with_note_field, |t| t + "\n");
    expect(
        &d,
        Impact::Breaking,
        Subject::Field,
        "ServiceType.note",
        "removed",
    );
}

#[test]
fn adding_an_optional_field_is_compatible() {
    let d = diff_of("add-field", with_note_field);
    expect(
        &d,
        Impact::Compatible,
        Subject::Field,
        "ServiceType.note",
        "optional field added",
    );
    assert!(!d.is_breaking());
    assert_eq!(
        (d.suggested_bump.as_str(), d.suggested_version.as_str()),
        ("patch", "0.1.1")
    );
}

#[test]
fn changing_a_type_breaks() {
    let d = diff_of("change-type", |t| {
        t.replacen(
            "type: integer, required: true, minimum: 1, maximum: 10000,",
            "type: long, required: true, minimum: 1, maximum: 10000,",
            1,
        )
    });
    expect(
        &d,
        Impact::Breaking,
        Subject::Field,
        "DemandProductInfo.subscription_num",
        "type changed from Integer to Long",
    );
}

#[test]
fn making_a_request_field_optional_or_required_breaks() {
    let d = diff_of("required", |t| {
        t.replacen(
            "      - { name: region, type: string, required: true, max_length: 64,",
            "      - { name: region, type: string, max_length: 64,",
            1,
        )
    });
    expect(
        &d,
        Impact::Breaking,
        Subject::Field,
        "DemandProductInfo.region",
        "required changed from true to false",
    );
}

#[test]
fn narrowing_a_constraint_breaks_and_widening_does_not() {
    let narrow = diff_of("narrow", |t| {
        t.replacen(
            "type: integer, required: true, minimum: 1, maximum: 10000,",
            "type: integer, required: true, minimum: 1, maximum: 100,",
            1,
        )
    });
    expect(
        &narrow,
        Impact::Breaking,
        Subject::Field,
        "DemandProductInfo.subscription_num",
        "maximum changed from `10000` to `100` (narrower)",
    );
    let wide = diff_of("widen", |t| {
        t.replacen(
            "type: integer, required: true, minimum: 1, maximum: 10000,",
            "type: integer, required: true, minimum: 0, maximum: 10000,",
            1,
        )
    });
    expect(
        &wide,
        Impact::Compatible,
        Subject::Field,
        "DemandProductInfo.subscription_num",
        "minimum changed from `1` to `0` (wider)",
    );
    let param = diff_of("param-narrow", |t| {
        t.replacen(
            "minimum: 1, maximum: 1000, default: 10,",
            "minimum: 1, maximum: 500, default: 10,",
            1,
        )
    });
    expect(
        &param,
        Impact::Breaking,
        Subject::Parameter,
        "ListServiceTypes.limit",
        "narrower",
    );
}

#[test]
fn code_list_values_added_are_compatible_and_removed_break() {
    let added = diff_of("code-added", |t| {
        t.replace("      - { value: 2, name: duration, zh: 时长 }\n", "      - { value: 2, name: duration, zh: 时长 }\n      - { value: 99, name: novelty, zh: 新 }\n")
    });
    expect(
        &added,
        Impact::Compatible,
        Subject::CodeList,
        "MeasureType::99",
        "value added",
    );
    assert!(!added.is_breaking());
    let removed = diff_of("code-removed", |t| {
        t.replace("      - { value: 2, name: duration, zh: 时长 }\n", "")
    });
    expect(
        &removed,
        Impact::Breaking,
        Subject::CodeList,
        "MeasureType::2",
        "value removed",
    );
}

#[test]
fn parameters_added_and_removed() {
    let removed = diff_between("param-removed", with_tag_parameter, |t| t + "\n");
    expect(
        &removed,
        Impact::Breaking,
        Subject::Parameter,
        "ListServiceTypes.tag",
        "parameter removed",
    );
    let added = diff_of("param-added", with_tag_parameter);
    expect(
        &added,
        Impact::Compatible,
        Subject::Parameter,
        "ListServiceTypes.tag",
        "optional parameter added",
    );
}

#[test]
fn error_codes_rate_limits_and_deprecations_are_compatible() {
    let d = diff_of("misc", |t| {
        t.replacen("    rate_limit: { requests: 10, per_seconds: 1,", "    rate_limit: { requests: 5, per_seconds: 1,", 1)
            .replacen("    idempotent: true\n", "    idempotent: true\n    deprecated: { replacement: ListResourceTypes, note: Going away. }\n", 1)
    });
    expect(
        &d,
        Impact::Compatible,
        Subject::RateLimit,
        "ListServiceTypes",
        "from `10/1s` to `5/1s`",
    );
    expect(
        &d,
        Impact::Compatible,
        Subject::Deprecation,
        "ListServiceTypes",
        "deprecated; use ListResourceTypes",
    );
    assert!(!d.is_breaking());
}

#[test]
fn outcome_lookups_and_sensitive_parameters_are_compatible_changes() {
    let d = diff_of("outcome-sensitive", |t| {
        t.replacen(
            "    idempotent: true\n",
            "    idempotent: false\n    outcome_lookup: { operation: ListResourceTypes }\n",
            1,
        )
        .replacen(
            LIMIT,
            &LIMIT.replace("in: query,", "in: query, sensitive: true,"),
            1,
        )
    });
    expect(
        &d,
        Impact::Compatible,
        Subject::Operation,
        "ListServiceTypes",
        "outcome lookup changed from - to ListResourceTypes",
    );
    expect(
        &d,
        Impact::Compatible,
        Subject::Parameter,
        "ListServiceTypes.limit",
        "sensitive changed from false to true",
    );
    assert!(!d.is_breaking());
}

#[test]
fn reports_render_as_text_markdown_and_json() {
    let d = diff_of("render", |t| {
        t.replace("  - id: ListConversions\n", "  - id: ListConversionRates\n")
    });
    let md = bss_codegen::diff::to_markdown(&d);
    assert!(
        md.contains("### Breaking") && md.contains("| Operation | `ListConversions` |"),
        "{md}"
    );
    assert!(
        md.contains("### CHANGELOG entry") && md.contains("## 0.2.0"),
        "{md}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&bss_codegen::diff::to_json(&d)).expect("json");
    assert_eq!(json["suggested_bump"], "minor");
    assert!(json["changes"].as_array().is_some_and(|c| {
        c.iter()
            .any(|c| c["impact"] == "breaking" && c["location"] == "ListConversions")
    }));
    assert!(bss_codegen::diff::to_text(&d).contains("BREAKING"));
}

#[test]
fn base_revision_reads_the_spec_from_git() {
    // The spec at HEAD compared with the working tree: whatever the difference, the command
    // must load both. Skipped outside a git checkout (a source tarball).
    let spec = root().join("spec");
    let inside = std::process::Command::new("git")
        .arg("-C")
        .arg(&spec)
        .args(["rev-parse", "HEAD"])
        .output();
    if !inside.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: not a git checkout");
        return;
    }
    let dir = bss_codegen::spec_at_revision(&spec, "HEAD").expect("spec at HEAD");
    assert!(dir.join("service.yaml").is_file() && dir.join("groups/products.yaml").is_file());
    let old = bss_codegen::load(&dir).expect("spec at HEAD is valid");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(old.operations().count() >= 58);
    assert!(bss_codegen::spec_at_revision(&spec, "no-such-revision").is_err());
}
