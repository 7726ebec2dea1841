//! The SDK-HMAC-SHA256 signer against vectors produced by the official Huawei Cloud
//! Python SDK (`fixtures/signing/make_vectors.py` writes `fixtures/signing/vectors.json`).

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use huaweicloud_bss::signer::{SignableRequest, encode_path_segment, encode_query, sdk_date, sign};
use serde_json::Value;

fn vectors() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/signing/vectors.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("vectors.json is valid JSON")
}

fn cases() -> Vec<Value> {
    let vectors = vectors();
    let cases = vectors["cases"].as_array().expect("a cases array").clone();
    assert!(
        cases.len() >= 20,
        "expected the full vector set, got {}",
        cases.len()
    );
    cases
}

fn text<'a>(case: &'a Value, field: &str) -> &'a str {
    case[field]
        .as_str()
        .unwrap_or_else(|| panic!("{}: field {field} is not a string", case["name"]))
}

fn pairs(case: &Value, field: &str) -> Vec<(String, String)> {
    case[field]
        .as_array()
        .unwrap_or_else(|| panic!("{}: field {field} is not a list", case["name"]))
        .iter()
        .map(|pair| {
            let name = pair[0].as_str().expect("pair name is a string");
            let value = pair[1].as_str().expect("pair value is a string");
            (name.to_string(), value.to_string())
        })
        .collect()
}

/// The headers the caller hands to `sign`: all the SDK sent except Host and
/// X-Sdk-Date (which `sign` adds itself), plus the unsigned ones, which the signer
/// must leave out by itself.
fn caller_headers(case: &Value) -> Vec<(String, String)> {
    let host = text(case, "host");
    let date = text(case, "sdk_date");
    let mut headers = Vec::new();
    for (name, value) in pairs(case, "headers") {
        match name.to_ascii_lowercase().as_str() {
            "host" => assert_eq!(value, host, "{}: Host header", case["name"]),
            "x-sdk-date" => assert_eq!(value, date, "{}: X-Sdk-Date header", case["name"]),
            _ => headers.push((name, value)),
        }
    }
    headers.extend(pairs(case, "unsigned_headers"));
    headers
}

#[test]
fn vectors_record_the_sdk_version() {
    let vectors = vectors();
    let version = vectors["huaweicloudsdkcore_version"].as_str().unwrap_or("");
    assert!(
        !version.is_empty(),
        "vectors.json must name the SDK version"
    );
    assert_eq!(vectors["algorithm"], "SDK-HMAC-SHA256");
}

#[test]
fn signatures_match_the_official_sdk() {
    let mut failures = Vec::new();
    for case in cases() {
        let name = text(&case, "name");
        let query = pairs(&case, "query");
        let headers = caller_headers(&case);
        let request = SignableRequest {
            method: text(&case, "method"),
            host: text(&case, "host"),
            path: text(&case, "path"),
            query: &query,
            headers: &headers,
            body: text(&case, "body").as_bytes(),
        };
        let signature = sign(
            &request,
            text(&case, "ak"),
            text(&case, "sk"),
            text(&case, "sdk_date"),
        );

        let checks = [
            ("sdk_date", signature.sdk_date.as_str()),
            ("canonical_request", signature.canonical_request.as_str()),
            ("string_to_sign", signature.string_to_sign.as_str()),
            ("signed_headers", signature.signed_headers.as_str()),
            ("signature", signature.signature.as_str()),
            ("authorization", signature.authorization.as_str()),
        ];
        for (field, actual) in checks {
            let expected = text(&case, field);
            if actual != expected {
                failures.push(format!(
                    "{name}: {field} differs\n--- expected\n{expected}\n--- actual\n{actual}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn wire_uri_matches_the_official_sdk() {
    // What goes on the wire must be what was signed: the path as given plus the
    // canonical query, exactly as the SDK sends it.
    for case in cases() {
        let query = encode_query(&pairs(&case, "query"));
        let path = text(&case, "path");
        let uri = if query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{query}")
        };
        assert_eq!(uri, text(&case, "wire_uri"), "{}", case["name"]);
    }
}

#[test]
fn path_parameters_are_escaped_like_the_sdk() {
    let mut seen = 0;
    for case in cases() {
        let Some(params) = case["path_params"].as_object() else {
            continue;
        };
        let mut path = text(&case, "path_template").to_string();
        for (key, value) in params {
            let value = value.as_str().expect("path parameter is a string");
            path = path.replace(&format!("{{{key}}}"), &encode_path_segment(value));
        }
        assert_eq!(path, text(&case, "path"), "{}", case["name"]);
        seen += 1;
    }
    assert!(seen >= 2, "expected vectors with path parameters");
}

#[test]
fn path_segment_escaping() {
    assert_eq!(encode_path_segment("AZaz09-_.~"), "AZaz09-_.~");
    assert_eq!(encode_path_segment("a b/c%d+e"), "a%20b%2Fc%25d%2Be");
    assert_eq!(encode_path_segment("订单"), "%E8%AE%A2%E5%8D%95");
    assert_eq!(encode_path_segment(""), "");
}

#[test]
fn query_encoding_sorts_and_escapes() {
    let query = vec![
        ("b".to_string(), "x y".to_string()),
        ("a".to_string(), "2".to_string()),
        ("a".to_string(), "1".to_string()),
        ("c".to_string(), String::new()),
    ];
    assert_eq!(encode_query(&query), "a=1&a=2&b=x%20y&c=");
    assert_eq!(encode_query(&[]), "");
}

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

#[test]
fn sdk_date_formats_utc() {
    assert_eq!(sdk_date(UNIX_EPOCH), "19700101T000000Z");
    assert_eq!(sdk_date(at(1)), "19700101T000001Z");
    assert_eq!(sdk_date(at(86_399)), "19700101T235959Z");
    assert_eq!(sdk_date(at(1_706_523_330)), "20240129T101530Z");
    // Leap days: 2000 (divisible by 400), 2024, and the day after one.
    assert_eq!(sdk_date(at(951_782_400)), "20000229T000000Z");
    assert_eq!(sdk_date(at(1_709_164_799)), "20240228T235959Z");
    assert_eq!(sdk_date(at(1_709_164_800)), "20240229T000000Z");
    assert_eq!(sdk_date(at(1_709_251_199)), "20240229T235959Z");
    assert_eq!(sdk_date(at(1_709_251_200)), "20240301T000000Z");
    // 2100 is not a leap year.
    assert_eq!(sdk_date(at(4_107_542_399)), "21000228T235959Z");
    assert_eq!(sdk_date(at(4_107_542_400)), "21000301T000000Z");
    // Year ends and the 32-bit rollover.
    assert_eq!(sdk_date(at(1_704_067_199)), "20231231T235959Z");
    assert_eq!(sdk_date(at(2_147_483_648)), "20380119T031408Z");
    assert_eq!(sdk_date(at(253_402_300_799)), "99991231T235959Z");
    // Sub-second parts are truncated.
    assert_eq!(
        sdk_date(at(1_706_523_330) + Duration::from_millis(999)),
        "20240129T101530Z"
    );
}

#[test]
fn sdk_date_before_the_epoch() {
    assert_eq!(
        sdk_date(UNIX_EPOCH - Duration::from_secs(1)),
        "19691231T235959Z"
    );
    assert_eq!(
        sdk_date(UNIX_EPOCH - Duration::from_millis(1)),
        "19691231T235959Z"
    );
    assert_eq!(
        sdk_date(UNIX_EPOCH - Duration::from_secs(68_256_000)),
        "19671103T000000Z"
    );
    // 1600 is a leap year (divisible by 400), and the proleptic calendar reaches year 1.
    assert_eq!(
        sdk_date(UNIX_EPOCH - Duration::from_secs(11_670_955_200)),
        "16000229T120000Z"
    );
    assert_eq!(
        sdk_date(UNIX_EPOCH - Duration::from_secs(62_135_596_800)),
        "00010101T000000Z"
    );
}

#[test]
fn sdk_date_at_the_limits_of_system_time_does_not_panic() {
    let far = Duration::from_secs(u64::MAX / 2);
    if let Some(time) = UNIX_EPOCH.checked_add(far) {
        assert!(sdk_date(time).ends_with('Z'));
    }
    if let Some(time) = UNIX_EPOCH.checked_sub(far) {
        assert!(sdk_date(time).ends_with('Z'));
    }
}

#[test]
fn debug_redacts_the_signature() {
    let headers = vec![("X-Security-Token".to_string(), "secret-token".to_string())];
    let request = SignableRequest {
        method: "GET",
        host: "bss.myhuaweicloud.com",
        path: "/v2/x",
        query: &[],
        headers: &headers,
        body: b"",
    };
    let signature = sign(&request, "AK", "SK", "20240129T101530Z");
    let debug = format!("{signature:?}");
    assert_eq!(signature.signature.len(), 64);
    assert!(!debug.contains(&signature.signature), "{debug}");
    assert!(!debug.contains(&signature.authorization), "{debug}");
    assert!(debug.contains("<redacted>"), "{debug}");
    let pretty = format!("{signature:#?}");
    assert!(!pretty.contains(&signature.signature), "{pretty}");
    // The request's Debug must not leak header values such as a security token.
    assert!(!format!("{request:?}").contains("secret-token"));
}

#[test]
fn host_and_date_entries_in_headers_are_ignored() {
    let plain = SignableRequest {
        method: "GET",
        host: "bss.myhuaweicloud.com",
        path: "/v2/x",
        query: &[],
        headers: &[],
        body: b"",
    };
    let overridden_headers = vec![
        ("HOST".to_string(), "evil.example".to_string()),
        ("x-sdk-date".to_string(), "19700101T000000Z".to_string()),
    ];
    let overridden = SignableRequest {
        headers: &overridden_headers,
        ..plain
    };
    let a = sign(&plain, "AK", "SK", "20240129T101530Z");
    let b = sign(&overridden, "AK", "SK", "20240129T101530Z");
    assert_eq!(a, b);
}

#[test]
fn odd_inputs_do_not_panic() {
    let query = vec![("\u{0}".to_string(), "%".to_string())];
    let headers = vec![
        (String::new(), String::new()),
        ("X-A".to_string(), "1".to_string()),
        ("x-a".to_string(), "2".to_string()),
    ];
    let request = SignableRequest {
        method: "",
        host: "",
        path: "",
        query: &query,
        headers: &headers,
        body: &[0xff, 0xfe],
    };
    let signature = sign(&request, "", &"k".repeat(200), "");
    assert!(signature.canonical_request.starts_with("\n/\n%00=%25\n"));
    // A repeated name (in any case) is signed once, with the last value.
    assert!(signature.canonical_request.contains("\nx-a:2\n"));
    assert!(!signature.canonical_request.contains("x-a:1"));
}
