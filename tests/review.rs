//! Spec review: annotations on the changed line of the new spec, the pull-request comment with
//! the break and the semver bump, accepted breaks with their reasons, stale entries, JUnit, the
//! CHANGELOG section, and the workflow that runs it all.

use std::path::{Path, PathBuf};

use bss_codegen::review::{self, Review, accepted};
use bss_tests::root;

/// A copy of the products group of the real spec with `edit` applied to its group file, and
/// `accepted` (when given) as its accepted-breaks.yaml.
fn spec_with(name: &str, edit: impl FnOnce(String) -> String, accepted: Option<&str>) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bss-review-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("groups")).expect("mkdir");
    let spec = root().join("spec");
    for rel in ["service.yaml", "errors.yaml", "groups/products.yaml"] {
        std::fs::copy(spec.join(rel), dir.join(rel)).expect("copy");
    }
    let path = dir.join("groups/products.yaml");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, edit(text)).expect("write");
    if let Some(a) = accepted {
        std::fs::write(dir.join(accepted::FILE_NAME), a).expect("write accepted");
    }
    dir
}

const CODE: &str = "      - { name: service_type_code, type: string, max_length: 64, description: \"Code of the cloud service type, e.g. hws.service.type.obs.\" }\n";

/// The old side has a `note` field in the middle of the response type `ServiceType`; the new
/// side (the real spec) does not: the pull request removes a response field.
fn with_note(t: String) -> String {
    assert!(
        t.contains(CODE),
        "the products group changed; update the test"
    );
    t.replacen(
        CODE,
        &format!("      - {{ name: note, type: string, description: \"A note.\" }}\n{CODE}"),
        1,
    )
}

/// The review of the note's removal, with the new side's accepted breaks.
fn review_of(name: &str, accepted_text: Option<&str>) -> (Review, PathBuf) {
    let old_dir = spec_with(&format!("{name}-old"), with_note, None);
    let new_dir = spec_with(&format!("{name}-new"), |t| t, accepted_text);
    let old = bss_codegen::load(&old_dir).expect("old spec is valid");
    let new = bss_codegen::load(&new_dir).expect("new spec is valid");
    let old_set = bss_codegen::spec::load_dir(&old_dir).expect("old files");
    let new_set = bss_codegen::spec::load_dir(&new_dir).expect("new files");
    let accepted = accepted::load(&new_dir.join(accepted::FILE_NAME)).expect("accepted file");
    let sides = review::Sides {
        old: &old_set,
        new: &new_set,
        new_dir: &new_dir,
    };
    let r = review::review(bss_codegen::diff::diff(&old, &new), Some(&sides), &accepted);
    (r, new_dir)
}

/// 1-based line of the first line of `file` that starts with `prefix`.
fn line_of(file: &Path, prefix: &str) -> usize {
    let text = std::fs::read_to_string(file).expect("read");
    text.lines()
        .position(|l| l.starts_with(prefix))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("no line starting with {prefix:?} in {}", file.display()))
}

fn products(dir: &Path) -> String {
    review::position::display_path(&dir.join("groups/products.yaml"))
}

const ACCEPTED: &str = "accepted:
  - location: ServiceType.note
    subject: field
    change: field removed
    reason: Huawei no longer returns the note (reference of 2026-11).
    version: 0.2.0
";

#[test]
fn a_removed_response_field_is_an_error_on_the_line_where_it_stood() {
    let (r, new_dir) = review_of("error", None);
    let github = review::github::to_github(&r);
    // The field is gone from the new file: the annotation goes on the line that now stands where
    // it was, the field that followed it, which is inside the pull request's diff hunk.
    let line = line_of(&new_dir.join("groups/products.yaml"), CODE.trim_end());
    let expected = format!(
        "::error file={},line={line},col=9,title=Breaking spec change (field)::ServiceType.note: field removed.",
        products(&new_dir)
    );
    assert!(
        github.lines().any(|l| l.starts_with(&expected)),
        "expected a line starting with\n{expected}\ngot:\n{github}"
    );
    assert!(github.contains("minor bump (0.1.0 -> 0.2.0)"), "{github}");
    assert_eq!(r.blocking().count(), 1);
}

#[test]
fn the_comment_names_the_break_and_the_semver_bump() {
    let (r, new_dir) = review_of("comment", None);
    let md = review::report::to_markdown(&r);
    let line = line_of(&new_dir.join("groups/products.yaml"), CODE.trim_end());
    assert!(md.contains("### Breaking\n"), "{md}");
    assert!(
        md.contains(&format!(
            "| Field | `ServiceType.note` | field removed | {}:{line} |",
            products(&new_dir)
        )),
        "{md}"
    );
    assert!(
        md.contains("Suggested version bump: **minor** (`0.1.0` → `0.2.0`)"),
        "{md}"
    );
    assert!(md.contains("1 to review"), "{md}");
    assert!(!md.contains("### Accepted breaking changes"), "{md}");
}

#[test]
fn an_accepted_break_passes_with_its_reason_shown() {
    let (r, new_dir) = review_of("accepted", Some(ACCEPTED));
    assert_eq!(r.blocking().count(), 0, "{}", review::report::to_text(&r));
    assert!(r.stale.is_empty());
    let md = review::report::to_markdown(&r);
    assert!(!md.contains("### Breaking\n"), "{md}");
    assert!(
        md.contains("### Accepted breaking changes")
            && md.contains(
                "| Field | `ServiceType.note` | field removed | 0.2.0 | Huawei no longer returns the note (reference of 2026-11). |"
            ),
        "{md}"
    );
    // Accepted breaks still call for the bump.
    assert!(
        md.contains("**minor**") && md.contains("0 to review"),
        "{md}"
    );
    let github = review::github::to_github(&r);
    assert!(!github.contains("::error"), "{github}");
    let line = line_of(&new_dir.join("groups/products.yaml"), CODE.trim_end());
    assert!(
        github.contains(&format!(
            "::warning file={},line={line},col=9,title=Accepted breaking spec change (field)::ServiceType.note: field removed. Accepted for 0.2.0: Huawei no longer returns the note",
            products(&new_dir)
        )),
        "{github}"
    );
    let junit = review::junit::to_junit(&r);
    assert!(
        !junit.contains("<failure") && junit.contains("accepted for 0.2.0"),
        "{junit}"
    );
    let log = review::changelog::section(&r);
    assert!(
        log.contains("- `ServiceType.note`: field removed. Huawei no longer returns the note"),
        "{log}"
    );
}

#[test]
fn an_entry_matching_no_break_is_reported_stale() {
    let text = format!(
        "{ACCEPTED}  - location: ListNothing\n    reason: Retired by Huawei.\n    version: 0.2.0\n  - location: ServiceType.note\n    change: renamed\n    reason: Wrong words.\n    version: 0.2.0\n"
    );
    let (r, new_dir) = review_of("stale", Some(&text));
    // The first entry still accepts the break; the two others match nothing.
    assert_eq!(r.blocking().count(), 0);
    let stale: Vec<(&str, usize)> = r
        .stale
        .iter()
        .map(|s| (s.location.as_str(), s.line))
        .collect();
    assert_eq!(stale, [("ListNothing", 7), ("ServiceType.note", 10)]);
    let file = review::position::display_path(&new_dir.join(accepted::FILE_NAME));
    let md = review::report::to_markdown(&r);
    assert!(
        md.contains("### Stale accepted entries")
            && md.contains(&format!("- `{file}:7`: `ListNothing`")),
        "{md}"
    );
    let github = review::github::to_github(&r);
    assert!(
        github.contains(&format!(
            "::warning file={file},line=7,col=1,title=Stale accepted break::`ListNothing` matches no breaking change"
        )),
        "{github}"
    );
    assert!(review::report::to_text(&r).contains("stale"));
    assert!(review::junit::to_junit(&r).contains("<skipped message=\"stale"));
}

#[test]
fn a_malformed_accepted_file_is_refused_with_its_line() {
    let missing_reason = "accepted:\n  - location: X\n    version: 0.2.0\n";
    let e = accepted::parse(missing_reason, "spec/accepted-breaks.yaml").unwrap_err();
    assert!(
        e.starts_with("spec/accepted-breaks.yaml:2:") && e.contains("reason"),
        "{e}"
    );
    let empty_reason = "accepted:\n  - location: X\n    reason: \" \"\n    version: 0.2.0\n";
    let e = accepted::parse(empty_reason, "a.yaml").unwrap_err();
    assert!(e.starts_with("a.yaml:2:") && e.contains("reason"), "{e}");
    let bad_version = "accepted:\n  - location: X\n    reason: Why.\n    version: next\n";
    let e = accepted::parse(bad_version, "a.yaml").unwrap_err();
    assert!(e.contains("version"), "{e}");
    let misspelt = "accepted:\n  - location: X\n    reson: Why.\n    version: 0.2.0\n";
    let e = accepted::parse(misspelt, "a.yaml").unwrap_err();
    assert!(e.starts_with("a.yaml:") && e.contains("reson"), "{e}");
    // The repository's own file parses.
    accepted::load(&root().join("spec").join(accepted::FILE_NAME))
        .expect("spec/accepted-breaks.yaml");
}

#[test]
fn added_and_renamed_items_are_placed_on_their_lines() {
    let old_dir = spec_with("places-old", |t| t, None);
    let new_dir = spec_with(
        "places-new",
        |t| {
            t.replace("  - id: ListConversions\n", "  - id: ListConversionRates\n")
                .replace(
                    "      - { value: 2, name: duration, zh: 时长 }\n",
                    "      - { value: 2, name: duration, zh: 时长 }\n      - { value: 99, name: novelty, zh: 新 }\n",
                )
                .replacen(LIMIT, &format!("      - {{ name: tag, in: query, type: string, description: \"A tag.\" }}\n{LIMIT}"), 1)
                .replacen("      - { status: 403, code: CBC.0151 }\n", "", 1)
        },
        None,
    );
    let load = |d: &Path| {
        (
            bss_codegen::load(d).expect("valid"),
            bss_codegen::spec::load_dir(d).expect("files"),
        )
    };
    let ((old, old_set), (new, new_set)) = (load(&old_dir), load(&new_dir));
    let sides = review::Sides {
        old: &old_set,
        new: &new_set,
        new_dir: &new_dir,
    };
    let r = review::review(bss_codegen::diff::diff(&old, &new), Some(&sides), &[]);
    let at = |location: &str| {
        r.changes
            .iter()
            .find(|c| c.change.location == location)
            .and_then(|c| c.at.as_ref())
            .map(|p| p.line)
            .unwrap_or_else(|| panic!("no located change at {location}"))
    };
    let group = new_dir.join("groups/products.yaml");
    let renamed = line_of(&group, "  - id: ListConversionRates");
    assert_eq!(at("ListConversionRates"), renamed);
    // The removed id is shown where its successor now stands.
    assert_eq!(at("ListConversions"), renamed);
    assert_eq!(
        at("MeasureType::99"),
        line_of(&group, "      - { value: 99, name: novelty")
    );
    assert_eq!(
        at("ListServiceTypes.tag"),
        line_of(&group, "      - { name: tag, in: query")
    );
    // The operation's error list lost CBC.0151: the row that followed it stands there now.
    let error = r
        .changes
        .iter()
        .find(|c| {
            c.change.location == "ListServiceTypes" && c.change.description.contains("CBC.0151")
        })
        .and_then(|c| c.at.as_ref())
        .expect("located error change");
    assert_eq!(
        error.line,
        line_of(&group, "      - { status: 500, code: CBC.0999 }")
    );
}

const LIMIT: &str =
    "      - { name: limit, in: query, type: integer, minimum: 1, maximum: 1000, default: 10,";

#[test]
fn junit_fails_one_case_per_unaccepted_break() {
    let (r, _) = review_of("junit", None);
    let junit = review::junit::to_junit(&r);
    assert!(junit.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    assert_eq!(junit.matches("<testcase ").count(), r.changes.len());
    assert_eq!(junit.matches("<failure ").count(), 1, "{junit}");
    assert!(junit.contains("failures=\"1\""), "{junit}");
    assert!(
        junit.contains("name=\"ServiceType.note: field removed\""),
        "{junit}"
    );
    assert!(junit.trim_end().ends_with("</testsuites>"));
}

#[test]
fn workflow_commands_escape_their_properties_and_data() {
    let at = review::SpecPos {
        file: "spec/a,b:c.yaml".into(),
        line: 3,
        column: 1,
    };
    let line = review::github::command("error", Some(&at), "T: x, y", "50% done\nnext");
    assert_eq!(
        line,
        "::error file=spec/a%2Cb%3Ac.yaml,line=3,col=1,title=T%3A x%2C y::50%25 done%0Anext"
    );
}

#[test]
fn the_changelog_section_goes_first_and_replaces_its_own_version() {
    let (r, _) = review_of("changelog", Some(ACCEPTED));
    let section = review::changelog::section(&r);
    assert!(
        section.starts_with("## 0.2.0\n\nVersion bump: minor from 0.1.0"),
        "{section}"
    );
    let breaking = section
        .find("### Breaking changes")
        .expect("breaking section");
    assert!(
        section
            .find("### Added")
            .is_none_or(|added| added > breaking),
        "{section}"
    );
    // The generator's own API changes, which no spec diff sees, come last.
    let with_api = review::changelog::section_with(&r, &["**Breaking:** renamed.".to_string()]);
    let generated = with_api
        .find("### Generated API\n\n- **Breaking:** renamed.\n")
        .expect("generated API section");
    assert!(generated > breaking, "{with_api}");
    let existing = "# Changelog\n\nIntro.\n\n## 0.1.0\n\nFirst release.\n";
    let once = review::changelog::insert(existing, &section);
    assert!(
        once.starts_with("# Changelog\n\nIntro.\n\n## 0.2.0\n"),
        "{once}"
    );
    assert!(once.ends_with("## 0.1.0\n\nFirst release.\n"), "{once}");
    // A second run replaces its own section instead of adding another.
    assert_eq!(review::changelog::insert(&once, &section), once);
    // The crate's CHANGELOG.md has the same shape.
    let real =
        std::fs::read_to_string(root().join("generated/CHANGELOG.md")).expect("CHANGELOG.md");
    let updated = review::changelog::insert(&real, &section);
    assert!(updated.find("## 0.2.0") < updated.find("## 0.1.0"));
}

#[test]
fn generate_and_check_leave_the_changelog_alone() {
    let dir = std::env::temp_dir().join(format!("bss-review-out-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("CHANGELOG.md"), "# Changelog\n").expect("write");
    std::fs::write(dir.join("stale.rs"), "// no longer generated\n").expect("write");
    let tree: bss_codegen::emit::Tree = [("lib.rs".to_string(), "// generated\n".to_string())]
        .into_iter()
        .collect();
    bss_codegen::output::write(&tree, &dir).expect("write tree");
    assert!(
        !dir.join("stale.rs").exists(),
        "a stale generated file is removed"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("CHANGELOG.md")).expect("kept"),
        "# Changelog\n"
    );
    assert_eq!(bss_codegen::output::diff(&tree, &dir).expect("diff"), "");
}

#[test]
fn the_workflow_runs_the_script_with_pinned_actions() {
    let text = std::fs::read_to_string(root().join(".github/workflows/spec-review.yml"))
        .expect("workflow");
    assert!(
        text.contains("scripts/spec-review --tests --fail-on-breaking"),
        "{text}"
    );
    let uses: Vec<&str> = text
        .lines()
        .filter_map(|l| {
            l.trim_start()
                .trim_start_matches("- ")
                .strip_prefix("uses: ")
        })
        .collect();
    assert!(uses.len() >= 3, "{uses:?}");
    for u in &uses {
        let sha = u
            .split_once('@')
            .map(|(_, r)| r.split_whitespace().next().unwrap_or_default())
            .unwrap_or_default();
        assert!(
            sha.len() == 40 && sha.bytes().all(|b| b.is_ascii_hexdigit()),
            "not pinned by a full commit SHA: {u}"
        );
    }
    assert!(
        uses.iter()
            .any(|u| u.starts_with("marocchino/sticky-pull-request-comment@"))
    );
    let test_all = std::fs::read_to_string(root().join("scripts/test-all")).expect("test-all");
    assert!(
        test_all.contains("scripts/spec-review --base HEAD~1")
            && test_all.contains("scripts/actionlint")
    );
}
