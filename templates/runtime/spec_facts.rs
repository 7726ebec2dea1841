//! The runtime holds a few facts of the spec as plain Rust (the sites' endpoints, the throttling
//! status and codes) and the generated crate's dependency list; each test here fails when its copy
//! and the source differ. Not copied into the generated crate.

use std::collections::BTreeSet;
use std::path::Path;

use crate::Site;
use crate::error::{
    GATEWAY_THROTTLING_CODES, SERVICE_THROTTLING_CODES, THROTTLED_STATUS, WRONG_SITE_CODES,
};

fn spec() -> bss_codegen::spec::SpecSet {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec");
    bss_codegen::spec::load_dir(&dir).unwrap_or_else(|d| panic!("spec/ does not load:\n{d}"))
}

/// Every variant of [`Site`] with the spec's id for it; the match is exhaustive, so a new
/// variant does not compile until it is given its spec id here.
fn spec_id(site: Site) -> &'static str {
    match site {
        Site::International => "international",
        Site::China => "china",
    }
}

const SITES: [Site; 2] = [Site::International, Site::China];

#[test]
fn sites_are_the_spec_sites() {
    let spec = spec();
    let documented: Vec<(&str, &str)> = spec
        .service
        .value
        .sites
        .iter()
        .map(|s| (s.id.as_str(), s.endpoint.as_str()))
        .collect();
    let ours: Vec<(&str, &str)> = SITES.iter().map(|&s| (spec_id(s), s.endpoint())).collect();
    assert_eq!(
        ours, documented,
        "`Site` in templates/runtime/client.rs differs from `sites` in spec/service.yaml"
    );
    // The variants' doc comments name the endpoints too.
    let source = include_str!("client.rs");
    for (_, endpoint) in documented {
        assert!(
            source.contains(&format!("`{endpoint}`")),
            "no doc comment of `Site` names {endpoint}"
        );
    }
}

#[test]
fn throttling_status_and_codes_are_the_spec_ones() {
    let spec = spec();
    let throttling = spec
        .service
        .value
        .throttling
        .as_ref()
        .expect("service.yaml documents the throttling answer");
    assert_eq!(THROTTLED_STATUS, throttling.http_status);
    // The gateway's code as documented, then the same code under the gateway's older `APIG.`
    // prefix (service.yaml notes both spellings of the gateway's codes).
    let older = throttling
        .error_code
        .strip_prefix("APIGW.")
        .map(|n| format!("APIG.{n}"))
        .expect("the gateway's code starts with APIGW.");
    assert_eq!(
        GATEWAY_THROTTLING_CODES,
        [throttling.error_code.as_str(), older.as_str()]
    );
    // The service's own codes: those documented with the throttling status.
    let documented: BTreeSet<&str> = spec
        .errors
        .value
        .error_codes
        .iter()
        .filter(|e| e.http_status == throttling.http_status)
        .map(|e| e.code.as_str())
        .chain(spec.groups.iter().flat_map(|g| {
            g.value
                .extra_error_codes
                .iter()
                .filter(|e| e.http_status == throttling.http_status)
                .map(|e| e.code.as_str())
        }))
        .filter(|c| !GATEWAY_THROTTLING_CODES.contains(c))
        .collect();
    let ours: BTreeSet<&str> = SERVICE_THROTTLING_CODES.into_iter().collect();
    assert_eq!(
        ours, documented,
        "SERVICE_THROTTLING_CODES in templates/runtime/error.rs differ from the 429 codes of the spec"
    );
}

/// This package's dependencies are the generated crate's, optional ones included.
#[test]
fn dependencies_are_the_generated_crates() {
    fn dependencies(manifest: &str) -> Vec<String> {
        manifest
            .split("\n[dependencies]\n")
            .nth(1)
            .expect("a [dependencies] table")
            .lines()
            .take_while(|l| !l.starts_with('['))
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|l| {
                l.replace(", optional = true }", " }")
                    .replace(" = { version = \"1\" }", " = \"1\"")
            })
            .collect()
    }
    let ours = dependencies(include_str!("Cargo.toml"));
    let generated = dependencies(include_str!("../crate/Cargo.toml.j2"));
    assert_eq!(ours, generated);
}

#[test]
fn wrong_site_codes_are_documented_as_refusals() {
    let spec = spec();
    for code in WRONG_SITE_CODES {
        let row = spec
            .errors
            .value
            .error_codes
            .iter()
            .find(|e| e.code == code)
            .unwrap_or_else(|| {
                panic!("{code} (WRONG_SITE_CODES in error.rs) is not in spec/errors.yaml")
            });
        assert_eq!(row.http_status, 403, "{code}");
    }
}
