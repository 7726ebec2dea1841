//! Values the generator builds follow the documents' wire forms: a decimal documented as
//! `String` is a JSON string, and a field or code documented for one site only is built, exported
//! and required for that site only. Checked on the repository's own spec, whose documents state
//! both.

use std::path::PathBuf;

use bss_codegen::ir::Model;
use bss_codegen::{openapi, synth};
use serde_json::{Value, json};

fn model() -> Model {
    let spec = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec");
    bss_codegen::load(&spec).unwrap_or_else(|d| panic!("the spec loads: {d:?}"))
}

#[test]
fn decimals_documented_as_string_are_built_as_json_strings() {
    let model = model();
    // UserStoredValueCard documents face_value as String; RetrieveAmountInfoV2 documents amount
    // as BigDecimal.
    let card = model.type_named("UserStoredValueCard").expect("type");
    let built = synth::full_object(&model, card, 0);
    assert_eq!(built["face_value"], json!("1"), "{built}");
    let amounts = model.type_named("RetrieveAmountInfoV2").expect("type");
    let built = synth::full_object(&model, amounts, 0);
    assert!(built["amount"].is_number(), "{built}");

    let doc = openapi::export(&model);
    let props = &doc["components"]["schemas"]["UserStoredValueCard"]["properties"];
    assert_eq!(props["face_value"]["x-wire-type"], json!("string"));
    let props = &doc["components"]["schemas"]["RetrieveAmountInfoV2"]["properties"];
    assert_eq!(props["amount"]["x-wire-type"], json!("number"));
}

#[test]
fn site_only_fields_are_required_on_their_site_only() {
    let model = model();
    let id = model.type_named("CreateCustomerV2Req").expect("type");
    let field = |name: &str| {
        model[id]
            .fields
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("field {name}"))
    };
    let area = field("domain_area");
    assert!(!area.required && area.site_required);
    assert_eq!(area.sites, ["international"]);
    let phone = field("mobile_phone");
    assert!(!phone.required && !phone.site_required);
    assert_eq!(phone.sites, ["china"]);
    assert!(field("xaccount_id").required && field("xaccount_id").sites.is_empty());

    // Built for the default (first) site, the international one.
    let built = synth::object(&model, id, 0);
    assert!(built.get("domain_area").is_some(), "{built}");
    assert!(built.get("mobile_phone").is_none(), "{built}");

    let doc = openapi::export(&model);
    let schema = &doc["components"]["schemas"]["CreateCustomerV2Req"];
    let required: Vec<&Value> = schema["required"]
        .as_array()
        .expect("required")
        .iter()
        .collect();
    assert!(!required.contains(&&json!("domain_area")));
    assert_eq!(
        schema["properties"]["domain_area"]["x-sites"],
        json!(["international"])
    );
    assert_eq!(
        schema["properties"]["domain_area"]["x-required-on-sites"],
        json!(true)
    );
    assert_eq!(
        schema["properties"]["mobile_phone"]["x-sites"],
        json!(["china"])
    );
    let codes = &doc["components"]["schemas"]["VerificationReceiverType"]["x-site-values"];
    assert_eq!(
        codes,
        &json!([{ "value": 2, "sites": ["international"] }, { "value": 1, "sites": ["china"] }])
    );
}
