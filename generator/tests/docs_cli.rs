//! The `docs` commands: exit status 2 for a file that is not a reference, 1 on drift, 0 when
//! claims explain every difference.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const DOC: &str = "文档版本 5\n发布日期 2032-06-07\n\n1 管理水果\n\n1.1 摘水果\n\nURI\n\nPOST /v9/fruits/pick\n\n状态码\n\nHTTP状态码\t错误码\t错误描述\n400\tFRU.0100\t参数错误。\n";

fn temp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bss-docs-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

fn run(args: &[&str], files: &[&Path]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bss-codegen"));
    cmd.args(args);
    for f in files {
        cmd.arg(f);
    }
    cmd.current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .output()
        .expect("run")
}

#[test]
fn a_file_that_is_not_a_reference_exits_with_2_and_says_why() {
    let not_doc = temp("notes.txt", "some notes\nwithout sections\n");
    let out = run(&["docs", "dump", "--doc"], &[&not_doc]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no numbered section headings"));
    let out = run(&["docs", "check", "--doc"], &[&not_doc]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn dump_prints_the_model() {
    let doc = temp("fruit.txt", DOC);
    let out = run(&["docs", "dump", "--doc"], &[&doc]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["version"]["value"], "5");
    assert_eq!(json["operations"][0]["path"], "/v9/fruits/pick");
    assert_eq!(json["operations"][0]["errors"][0]["code"], "FRU.0100");
}

#[test]
fn check_exits_1_on_drift_and_0_when_claims_explain_it() {
    let doc = temp("fruit2.txt", DOC);
    let out = run(&["docs", "check", "--format", "json", "--doc"], &[&doc]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let drift = report["drift"].as_array().expect("drift list");
    assert!(
        drift
            .iter()
            .any(|d| d["kind"] == "operation_added" && d["section"] == "1.1")
    );
    assert!(drift.iter().any(|d| d["kind"] == "operation_removed"));
    // One claim per reported fact.
    let claims: Vec<serde_json::Value> = drift
        .iter()
        .map(|d| serde_json::json!({"fixup": "test", "kind": d["kind"], "section": d["section"], "item": d["item"], "document": d["document"]}))
        .collect();
    let claims_file = temp(
        "claims.yaml",
        &serde_json::to_string(&claims).expect("json"),
    );
    let out = run(
        &["docs", "check", "--format", "json", "--claims"],
        &[&claims_file, Path::new("--doc"), &doc],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["explained"].as_u64(), Some(drift.len() as u64));
    assert_eq!(report["drift"].as_array().map(Vec::len), Some(0));
}
