//! The checked-in crate is exactly what the generator makes from the spec, generation is
//! deterministic, and the spec files match the JSON Schema of the format.

use bss_tests::root;

#[test]
fn generated_crate_matches_the_spec() {
    let tree = bss_codegen::generate(&root().join("spec")).expect("spec generates");
    let diff =
        bss_codegen::output::diff(&tree, &root().join("generated")).expect("read generated/");
    assert!(
        diff.is_empty(),
        "generated/ is stale; run `cargo run -p bss-codegen -- generate`:\n{diff}"
    );
}

#[test]
fn generation_is_deterministic() {
    let a = bss_codegen::generate(&root().join("spec")).expect("first run");
    let b = bss_codegen::generate(&root().join("spec")).expect("second run");
    assert_eq!(a, b);
    // Every generated file carries the banner.
    for (path, text) in &a {
        assert!(
            text.contains("DO NOT EDIT"),
            "{path} has no DO-NOT-EDIT banner"
        );
    }
}

#[test]
fn spec_hash_is_recorded_in_the_crate() {
    let model = bss_codegen::load(&root().join("spec")).expect("spec loads");
    let lib = std::fs::read_to_string(root().join("generated/src/lib.rs")).expect("lib.rs");
    assert_eq!(model.spec_hash.len(), 64);
    assert!(lib.contains(&model.spec_hash));
    assert_eq!(huaweicloud_bss::SPEC_SHA256, model.spec_hash);
}

#[test]
fn schema_file_is_up_to_date() {
    let on_disk: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("spec/spec.schema.json")).expect("schema file"),
    )
    .expect("schema is JSON");
    assert_eq!(
        on_disk,
        bss_codegen::spec_schema(),
        "run `cargo run -p bss-codegen -- schema`"
    );
}

#[test]
fn every_spec_file_validates_against_the_schema() {
    let schema = bss_codegen::spec_schema();
    let spec = root().join("spec");
    let mut files = vec![
        ("service", spec.join("service.yaml")),
        ("errors", spec.join("errors.yaml")),
    ];
    for e in std::fs::read_dir(spec.join("groups")).expect("groups dir") {
        files.push(("group", e.expect("entry").path()));
    }
    for (kind, path) in files {
        let mut s = schema["$defs"][kind].clone();
        // The per-file schemas keep their own `$defs`; validate against that schema alone.
        s.as_object_mut().expect("object").remove("$schema");
        let validator = jsonschema::validator_for(&s).expect("schema compiles");
        let doc: serde_json::Value =
            bss_codegen::spec::yaml::from_str(&std::fs::read_to_string(&path).expect("read"))
                .expect("yaml");
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{} does not match the schema:\n{}",
            path.display(),
            errors.join("\n")
        );
    }
}

#[test]
fn openapi_export_is_a_3_0_3_document_with_every_operation() {
    let model = bss_codegen::load(&root().join("spec")).expect("spec loads");
    let doc = bss_codegen::openapi::export(&model);
    assert_eq!(doc["openapi"], "3.0.3");
    let mut ids = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            ids.push(op["operationId"].as_str().expect("operationId").to_string());
            assert!(["get", "post", "put", "delete", "patch"].contains(&method.as_str()));
            // Every `$ref` resolves.
            let text = op.to_string();
            for part in text.split("#/components/schemas/").skip(1) {
                let name: String = part
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                assert!(
                    doc["components"]["schemas"].get(&name).is_some(),
                    "{path}: dangling $ref {name}"
                );
            }
        }
    }
    assert_eq!(ids.len(), model.operations().count());
    for op in model.operations() {
        assert!(ids.contains(&op.id), "{} missing from the export", op.id);
    }
}
