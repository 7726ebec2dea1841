//! The command line: exit status 2 and a located message for an invalid spec.

use std::process::Command;

#[test]
fn lint_exits_with_2_and_names_the_location() {
    let dir = std::env::temp_dir().join(format!("bss-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("groups")).expect("mkdir");
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    std::fs::copy(spec.join("errors.yaml"), dir.join("errors.yaml")).expect("copy");
    let service = std::fs::read_to_string(spec.join("service.yaml")).expect("read");
    std::fs::write(
        dir.join("service.yaml"),
        service.replacen("    kind: token\n", "    kind: password\n", 1),
    )
    .expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_bss-codegen"))
        .args(["lint", "--spec"])
        .arg(&dir)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("service.yaml:") && stderr.contains("unknown variant `password`"),
        "{stderr}"
    );
}

#[test]
fn check_fails_with_a_diff_when_the_output_is_stale() {
    let out_dir = std::env::temp_dir().join(format!("bss-cli-out-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out_dir);
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let ok = Command::new(env!("CARGO_BIN_EXE_bss-codegen"))
        .args(["generate", "--spec"])
        .arg(&spec)
        .arg("--out")
        .arg(&out_dir)
        .status()
        .expect("run");
    assert!(ok.success());
    let check = |d: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_bss-codegen"))
            .args(["check", "--spec"])
            .arg(&spec)
            .arg("--out")
            .arg(d)
            .output()
            .expect("run")
    };
    assert!(check(&out_dir).status.success());
    let lib = out_dir.join("src/lib.rs");
    let text = std::fs::read_to_string(&lib).expect("read");
    std::fs::write(
        &lib,
        text.replacen("pub const VERSION", "pub const VERSION_EDITED", 1),
    )
    .expect("write");
    let out = check(&out_dir);
    assert_eq!(out.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(
        diff.contains("--- a/src/lib.rs")
            && diff.contains("-pub const VERSION_EDITED")
            && diff.contains("+pub const VERSION"),
        "{diff}"
    );
}

#[test]
fn diff_fails_on_breaking_changes_only_when_asked() {
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let copy = |name: &str, edit: &dyn Fn(String) -> String| {
        let dir = std::env::temp_dir().join(format!("bss-cli-diff-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("groups")).expect("mkdir");
        for rel in ["service.yaml", "errors.yaml"] {
            std::fs::copy(spec.join(rel), dir.join(rel)).expect("copy");
        }
        let text = std::fs::read_to_string(spec.join("groups/products.yaml")).expect("read");
        std::fs::write(dir.join("groups/products.yaml"), edit(text)).expect("write");
        dir
    };
    let old = copy("old", &|t| t);
    let new = copy("new", &|t| {
        t.replace("  - id: ListConversions\n", "  - id: ListConversionRates\n")
    });
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_bss-codegen"))
            .arg("diff")
            .arg(&old)
            .arg(&new)
            .args(extra)
            .output()
            .expect("run")
    };
    let plain = run(&[]);
    assert!(plain.status.success(), "{plain:?}");
    assert!(String::from_utf8_lossy(&plain.stdout).contains("BREAKING"));
    let strict = run(&["--fail-on-breaking", "--format", "markdown"]);
    assert_eq!(strict.status.code(), Some(1), "{strict:?}");
    assert!(String::from_utf8_lossy(&strict.stdout).contains("## Spec changes"));
    let same = Command::new(env!("CARGO_BIN_EXE_bss-codegen"))
        .arg("diff")
        .arg(&old)
        .arg(&old)
        .arg("--fail-on-breaking")
        .output()
        .expect("run");
    assert!(same.status.success());
    assert_eq!(
        String::from_utf8_lossy(&same.stdout),
        "no semantic changes\n"
    );
}
