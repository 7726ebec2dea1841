//! `diff` as the review workflow runs it: `--fail-on-breaking` fails only on breaks that
//! `accepted-breaks.yaml` does not accept, stale entries are reported, `--format github` puts the
//! break on its line, `--changelog` extends a CHANGELOG; `docs check --format github`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod seed;

const CODE: &str = "      - { name: service_type_code, type: string, max_length: 64, description: \"Code of the cloud service type, e.g. hws.service.type.obs.\" }\n";

fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

/// A spec of the products group; `note` adds a field to `ServiceType` before `service_type_code`.
fn copy(name: &str, note: bool, accepted: Option<&str>) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bss-review-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("groups")).expect("mkdir");
    for rel in ["service.yaml", "errors.yaml"] {
        std::fs::copy(spec_dir().join(rel), dir.join(rel)).expect("copy");
    }
    let text = std::fs::read_to_string(spec_dir().join("groups/products.yaml")).expect("read");
    assert!(
        text.contains(CODE),
        "the products group changed; update the test"
    );
    let text = if note {
        text.replacen(
            CODE,
            &format!("      - {{ name: note, type: string, description: \"A note.\" }}\n{CODE}"),
            1,
        )
    } else {
        text
    };
    std::fs::write(dir.join("groups/products.yaml"), text).expect("write");
    if let Some(a) = accepted {
        std::fs::write(dir.join("accepted-breaks.yaml"), a).expect("write");
    }
    dir
}

fn diff(old: &Path, new: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bss-codegen"))
        .arg("diff")
        .arg(old)
        .arg(new)
        .args(extra)
        .output()
        .expect("run")
}

const ACCEPTED: &str = "accepted:\n  - location: ServiceType.note\n    reason: Huawei no longer returns the note.\n    version: 0.2.0\n";

#[test]
fn fail_on_breaking_fails_only_on_unaccepted_breaks() {
    let old = copy("old", true, None);
    let new = copy("new", false, None);
    let out = diff(&old, &new, &["--fail-on-breaking", "--format", "github"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = std::fs::read_to_string(new.join("groups/products.yaml"))
        .expect("read")
        .lines()
        .position(|l| l == CODE.trim_end())
        .expect("line")
        + 1;
    assert!(
        stdout.contains(&format!(
            "::error file={}/groups/products.yaml,line={line},",
            new.display()
        )) && stdout.contains("ServiceType.note: field removed"),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 breaking change(s) not accepted"));

    let accepted = copy("accepted", false, Some(ACCEPTED));
    let out = diff(
        &old,
        &accepted,
        &["--fail-on-breaking", "--format", "markdown"],
    );
    assert!(out.status.success(), "{out:?}");
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains("### Accepted breaking changes")
            && md.contains("Huawei no longer returns the note."),
        "{md}"
    );

    // The same entry in a pull request without the break: stale, reported, not failing.
    let same = diff(&accepted, &accepted, &["--fail-on-breaking"]);
    assert!(same.status.success(), "{same:?}");
    let stderr = String::from_utf8_lossy(&same.stderr);
    assert!(
        stderr.contains("accepted-breaks.yaml:2: stale accepted break `ServiceType.note`"),
        "{stderr}"
    );

    // --accepted names another file; a malformed one is refused with its line (exit 2).
    let bad = accepted.join("bad.yaml");
    std::fs::write(&bad, "accepted:\n  - location: X\n    reason: Why.\n").expect("write");
    let out = diff(
        &old,
        &new,
        &["--accepted", bad.to_str().expect("utf-8 path")],
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.yaml:2:"));
}

#[test]
fn changelog_format_prints_the_section_or_extends_a_file() {
    let old = copy("log-old", true, None);
    let new = copy("log-new", false, Some(ACCEPTED));
    let out = diff(&old, &new, &["--format", "changelog"]);
    assert!(out.status.success(), "{out:?}");
    let section = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        section.starts_with("## 0.2.0\n")
            && section.contains("### Breaking changes\n\n- `ServiceType.note`: field removed. Huawei no longer returns the note.\n"),
        "{section}"
    );
    let log = new.join("CHANGELOG.md");
    std::fs::write(&log, "# Changelog\n\n## 0.1.0\n\nFirst release.\n").expect("write");
    let out = diff(
        &old,
        &new,
        &[
            "--format",
            "changelog",
            "--changelog",
            log.to_str().expect("utf-8 path"),
        ],
    );
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        std::fs::read_to_string(&log).expect("read"),
        format!("# Changelog\n\n{section}\n## 0.1.0\n\nFirst release.\n")
    );
    let misuse = diff(
        &old,
        &new,
        &["--changelog", log.to_str().expect("utf-8 path")],
    );
    assert_eq!(misuse.status.code(), Some(2));
}

#[test]
fn docs_check_github_annotates_the_spec_lines() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Some((doc, _)) = seed::partner_reference() else {
        return;
    };
    let out = Command::new(env!("CARGO_BIN_EXE_bss-codegen"))
        .args(["docs", "check", "--format", "github", "--doc"])
        .arg(&doc)
        .current_dir(manifest.join(".."))
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Exit 1 with drift, 0 without; either way every line is an annotation.
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
    assert!(
        stdout.lines().all(|l| l.starts_with("::error ")),
        "{stdout}"
    );
    if out.status.code() == Some(1) {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with("::error file=spec/groups/")
                    && l.contains(",line=")
                    && l.contains("(document line ")),
            "{stdout}"
        );
    }
}

const API_CHANGES: &str = "changes:\n  - id: setters\n    impact: breaking\n    location: request and body types\n    change: setters take the field's name\n    reason: one style for every type\n    version: 0.2.0\n";

#[test]
fn generator_changes_new_since_the_base_join_the_diff_as_accepted_breaks() {
    let old = copy("api-old", false, None);
    let new = copy("api-new", false, None);
    std::fs::write(new.join("api-changes.yaml"), API_CHANGES).expect("write");
    let out = diff(&old, &new, &["--format", "changelog", "--fail-on-breaking"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.starts_with("## 0.2.0\n"), "{text}");
    assert!(
        text.contains("### Breaking changes\n\n- `request and body types`: setters take the field's name. one style for every type.\n"),
        "{text}"
    );
    let github = diff(&old, &new, &["--format", "github"]);
    let github = String::from_utf8_lossy(&github.stdout);
    assert!(github.contains("api-changes.yaml,line=2"), "{github}");
    // Once the base has the entry, it is no longer a change.
    std::fs::write(old.join("api-changes.yaml"), API_CHANGES).expect("write");
    let out = diff(&old, &new, &["--format", "changelog"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("No changes for users of the crate."),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // A malformed file is a located error, not a silent skip.
    std::fs::write(
        new.join("api-changes.yaml"),
        API_CHANGES.replace("    reason: one style for every type\n", ""),
    )
    .expect("write");
    let out = diff(&old, &new, &[]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("api-changes.yaml:2:5: API change 0: a breaking change needs a `reason`")
    );
    let _ = std::fs::remove_dir_all(old);
    let _ = std::fs::remove_dir_all(new);
}
