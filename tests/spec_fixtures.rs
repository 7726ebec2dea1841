//! The generator on specs other than the real one: the small fixture specs of
//! `tests/fixtures/specs/` (described in `tests/fixtures/README.md`).
//!
//! * Each rejected fixture (`rejected/<name>/`) holds exactly one defect; its `expected.txt` lists
//!   the located diagnostics `bss_codegen::load` must report, and the only places where a
//!   diagnostic may appear.
//! * Each accepted fixture (`<name>/`) is generated into the checked-in crate
//!   `tests/snapshots/<name>/`, a workspace member, so `cargo build/clippy/test --workspace`
//!   compiles and tests it. The test here fails with a diff when a snapshot is stale;
//!   `BSS_UPDATE_SNAPSHOTS=1 cargo test -p bss-tests --test spec_fixtures` rewrites them.

use std::path::{Path, PathBuf};

use bss_codegen::{Diagnostic, emit::Tree, output};
use bss_tests::root;

/// Accepted fixtures, each with a snapshot crate.
const ACCEPTED: &[&str] = &["kinds", "paging"];

/// Rejected fixtures, one defect each.
const REJECTED: &[&str] = &[
    "code-list-named-like-request",
    "code-values-same-variant",
    "duplicate-field-key",
    "duplicate-type-key",
    "error-codes-same-variant",
    "example-names-collide",
    "field-on-unknown-site",
    "field-case-collision",
    "file-format-named-like-request",
    "group-named-like-runtime-module",
    "operation-case-collision",
    "operation-named-like-client-method",
    "operation-named-like-stream",
    "outcome-lookup-unknown-operation",
    "param-named-body",
    "param-named-new",
    "type-case-collision",
    "type-named-error",
];

/// Set to rewrite the snapshot crates instead of comparing them.
const UPDATE_ENV: &str = "BSS_UPDATE_SNAPSHOTS";

/// Files of the generated tree that a snapshot leaves out: the emulator and the CLI are further
/// crates per fixture, and the real spec's `generated/emulator/` and `generated/cli/` already
/// compile and test their templates.
const SNAPSHOT_EXCLUDES: &[&str] = &["cli/", "emulator/"];

fn specs() -> PathBuf {
    root().join("tests/fixtures/specs")
}

/// One line of `expected.txt`.
#[derive(Debug)]
struct Expected {
    file: PathBuf,
    /// The line, or the lines one of which the diagnostic may name (a collision between two
    /// definitions may be reported at either).
    lines: Vec<usize>,
    /// Text the diagnostic's message must contain; `None` for an `also` line, which only allows
    /// further diagnostics at that place (the first of two colliding definitions, say).
    substring: Option<String>,
}

/// Parses `expected.txt`: `#` comments, `FILE:LINE: SUBSTRING` (or `FILE:LINE|LINE: SUBSTRING`)
/// for a diagnostic that must be reported, and `also FILE:LINE` for a place where further
/// diagnostics are allowed.
fn parse_expected(text: &str) -> Result<Vec<Expected>, String> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = || format!("expected.txt:{}: cannot read `{raw}`", i + 1);
        let (also, rest) = match line.strip_prefix("also ") {
            Some(rest) => (true, rest.trim()),
            None => (false, line),
        };
        let (file, rest) = rest.split_once(':').ok_or_else(bad)?;
        let (number, substring) = match rest.split_once(':') {
            Some((n, s)) => (n, Some(s.trim())),
            None => (rest, None),
        };
        let lines = number
            .split('|')
            .map(|n| n.trim().parse::<usize>().map_err(|_| bad()))
            .collect::<Result<Vec<_>, _>>()?;
        let substring = match (also, substring) {
            (true, None) => None,
            (false, Some(s)) if !s.is_empty() => Some(s.to_string()),
            _ => return Err(bad()),
        };
        out.push(Expected {
            file: PathBuf::from(file),
            lines,
            substring,
        });
    }
    if !out.iter().any(|e| e.substring.is_some()) {
        return Err("expected.txt names no diagnostic".into());
    }
    Ok(out)
}

fn diagnostics(dir: &Path) -> Result<Vec<Diagnostic>, String> {
    match bss_codegen::load(dir) {
        Ok(_) => Err(format!(
            "{} was accepted; it must be rejected",
            dir.display()
        )),
        Err(d) => Ok(d.0),
    }
}

/// Loads a rejected fixture and checks its diagnostics against `expected.txt`.
#[track_caller]
fn check_rejected(name: &str) {
    let dir = specs().join("rejected").join(name);
    let text = std::fs::read_to_string(dir.join("expected.txt")).expect("expected.txt");
    let expected = parse_expected(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let wanted = expected
        .iter()
        .filter_map(|e| {
            e.substring
                .as_ref()
                .map(|s| format!("{}:{:?}: {s}", e.file.display(), e.lines))
        })
        .collect::<Vec<_>>()
        .join("\n");
    let diags = diagnostics(&dir).unwrap_or_else(|e| panic!("{name}: {e}; expected:\n{wanted}"));
    let mut problems = Vec::new();
    for e in &expected {
        let Some(substring) = &e.substring else {
            continue;
        };
        let found = diags.iter().any(|d| {
            d.file == e.file
                && e.lines.contains(&d.line)
                && d.column >= 1
                && d.message.contains(substring)
        });
        if !found {
            problems.push(format!(
                "missing: a diagnostic at {}:{} containing {substring:?}",
                e.file.display(),
                e.lines
                    .iter()
                    .map(|l| l.to_string())
                    .collect::<Vec<_>>()
                    .join(" or ")
            ));
        }
    }
    for d in &diags {
        if !expected
            .iter()
            .any(|e| e.file == d.file && e.lines.contains(&d.line))
        {
            problems.push(format!(
                "unexpected (a second defect in the fixture, or a wrong location): {d}"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "rejected fixture `{name}`:\n{}\nall diagnostics:\n{}",
        problems.join("\n"),
        diags
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The generated tree of an accepted fixture, as its snapshot holds it.
fn snapshot_tree(name: &str) -> Tree {
    let tree = bss_codegen::generate(&specs().join(name))
        .unwrap_or_else(|e| panic!("accepted fixture `{name}` does not generate:\n{e}"));
    tree.into_iter()
        .filter(|(path, _)| !SNAPSHOT_EXCLUDES.iter().any(|x| path.starts_with(x)))
        .collect()
}

/// Compares (or, with `BSS_UPDATE_SNAPSHOTS` set, rewrites) the snapshot crate of a fixture.
#[track_caller]
fn check_snapshot(name: &str) {
    let tree = snapshot_tree(name);
    let dir = root().join("tests/snapshots").join(name);
    if std::env::var_os(UPDATE_ENV).is_some() {
        output::write(&tree, &dir).expect("write the snapshot");
        eprintln!("rewrote {}", dir.display());
        return;
    }
    let diff = output::diff(&tree, &dir).expect("read the snapshot");
    assert!(
        diff.is_empty(),
        "tests/snapshots/{name} is stale; run `{UPDATE_ENV}=1 cargo test -p bss-tests --test spec_fixtures`:\n{diff}"
    );
    // `output::diff` reads a missing file as empty, so an empty stray file would pass unseen.
    let mut on_disk = Vec::new();
    files_under(&dir, &dir, &mut on_disk);
    on_disk.sort();
    let generated: Vec<&String> = tree.keys().collect();
    assert_eq!(
        on_disk.iter().collect::<Vec<_>>(),
        generated,
        "tests/snapshots/{name} holds other files than the generator makes"
    );
}

/// Relative paths of the files under `dir`, without `target/` and hidden files.
fn files_under(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("read the snapshot") {
        let path = entry.expect("entry").path();
        let rel = path
            .strip_prefix(root)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "target"
            || path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        {
            continue;
        }
        if path.is_dir() {
            files_under(root, &path, out);
        } else {
            out.push(rel);
        }
    }
}

fn subdirs(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .expect("fixture directory")
        .map(|e| e.expect("entry"))
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

#[test]
fn every_fixture_directory_has_a_test() {
    let mut accepted = subdirs(&specs());
    accepted.retain(|d| d != "rejected");
    let mut listed: Vec<String> = ACCEPTED.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(
        accepted, listed,
        "ACCEPTED and tests/fixtures/specs/ differ"
    );
    let mut listed: Vec<String> = REJECTED.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(
        subdirs(&specs().join("rejected")),
        listed,
        "REJECTED and tests/fixtures/specs/rejected/ differ"
    );
}

#[test]
fn snapshots_are_workspace_members_with_their_own_package_names() {
    let workspace = std::fs::read_to_string(root().join("Cargo.toml")).expect("Cargo.toml");
    let service = std::fs::read_to_string(root().join("spec/service.yaml")).expect("service.yaml");
    let real = service
        .lines()
        .find_map(|l| l.trim().strip_prefix("crate_name: "))
        .expect("crate_name in spec/service.yaml");
    let mut names = vec![real.to_string()];
    for name in ACCEPTED {
        let member = format!("\"tests/snapshots/{name}\"");
        assert_eq!(
            workspace.matches(&member).count(),
            2,
            "{member} must be in both `members` and `default-members` of the workspace, so CI builds it"
        );
        let tree = snapshot_tree(name);
        let manifest = tree.get("Cargo.toml").expect("Cargo.toml generated");
        let package = manifest
            .lines()
            .find_map(|l| l.strip_prefix("name = \""))
            .and_then(|l| l.strip_suffix('"'))
            .expect("package name");
        assert!(
            !names.iter().any(|n| n == package),
            "fixture `{name}`: package name `{package}` is already used; give it its own `crate_name`"
        );
        names.push(package.to_string());
    }
}

/// The accepted fixtures keep covering what `tests/fixtures/README.md` says they cover; read from
/// the YAML text, so the check does not depend on the generator's model.
#[test]
fn accepted_fixtures_cover_every_kind_location_and_variant() {
    let mut text = String::new();
    for name in ACCEPTED {
        for entry in std::fs::read_dir(specs().join(name).join("groups")).expect("groups") {
            text += &std::fs::read_to_string(entry.expect("entry").path()).expect("read");
        }
    }
    let wanted = [
        // Type kinds.
        "type: string,",
        "type: integer,",
        "type: long,",
        "type: decimal,",
        "type: number,",
        "type: boolean,",
        "type: date-time,",
        "type: date,",
        "type: month,",
        "type: json,",
        "type: \"list<string>\"",
        "type: \"map<string>\"",
        "type: Dimensions,",
        "min_length:",
        "max_length:",
        "minimum:",
        "maximum:",
        "min_items:",
        "max_items:",
        "code_list:",
        "    type: string\n",
        "    type: integer\n",
        // Parameter locations.
        "in: path,",
        "in: query,",
        "in: header,",
        "{ common: X-Language }",
        "request_body:",
        // Pagination variants.
        "offset_unit: record",
        "offset_unit: page",
        "items: data.records",
        "total: data.total",
        // Files, deprecations, secrets.
        "file_formats:",
        "aliases:",
        "samples:",
        "deprecated:",
        "sensitive: true",
        // Rust keywords and awkward names on the wire.
        "name: type,",
        "name: match,",
        "name: self,",
        "name: async,",
        "name: 2fa-mode,",
        "name: new,",
    ];
    let missing: Vec<&str> = wanted.into_iter().filter(|w| !text.contains(w)).collect();
    assert!(missing.is_empty(), "no accepted fixture has: {missing:?}");
    // Pagination without a total, and a page walk starting at the documented default.
    assert!(text.contains("offset_unit: page, items: records }"));
    assert!(text.contains("name: page, in: query, type: integer, minimum: 1, default: 1,"));
}

#[test]
fn expected_files_are_read_as_documented() {
    let e = parse_expected("# c\ngroups/a.yaml:12: `new`\nalso groups/a.yaml:3\nx.yaml:4|9: y\n")
        .expect("ok");
    assert_eq!(e.len(), 3);
    assert_eq!(
        (&e[0].lines[..], e[0].substring.as_deref()),
        (&[12][..], Some("`new`"))
    );
    assert_eq!(
        (&e[1].lines[..], e[1].substring.as_deref()),
        (&[3][..], None)
    );
    assert_eq!(
        (&e[2].lines[..], e[2].substring.as_deref()),
        (&[4, 9][..], Some("y"))
    );
    for bad in [
        "groups/a.yaml: x",
        "groups/a.yaml:x: y",
        "groups/a.yaml:3",
        "groups/a.yaml:3: ",
        "groups/a.yaml:3|: x",
        "also groups/a.yaml:3: x",
        "also groups/a.yaml:3\n",
    ] {
        assert!(parse_expected(bad).is_err(), "{bad:?} was read");
    }
}

// Accepted fixtures: generated, and identical to their snapshot crate.

#[test]
fn snapshot_kinds() {
    check_snapshot("kinds");
}

#[test]
fn snapshot_paging() {
    check_snapshot("paging");
}

// Rejected fixtures: one test each, so a run lists which defects are caught.

#[test]
fn rejected_code_list_named_like_request() {
    check_rejected("code-list-named-like-request");
}

#[test]
fn rejected_code_values_same_variant() {
    check_rejected("code-values-same-variant");
}

#[test]
fn rejected_error_codes_same_variant() {
    check_rejected("error-codes-same-variant");
}

#[test]
fn rejected_outcome_lookup_unknown_operation() {
    check_rejected("outcome-lookup-unknown-operation");
}

#[test]
fn rejected_duplicate_field_key() {
    check_rejected("duplicate-field-key");
}

#[test]
fn rejected_duplicate_type_key() {
    check_rejected("duplicate-type-key");
}

/// The duplicate-key diagnostic names both positions: the first definition's line appears in its
/// message or hint.
#[test]
fn duplicate_type_key_names_the_first_position() {
    let dir = specs().join("rejected/duplicate-type-key");
    let text = std::fs::read_to_string(dir.join("groups/widgets.yaml")).expect("read");
    let lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "  Widget:")
        .map(|(i, _)| i + 1)
        .collect();
    let [first, second] = lines[..] else {
        panic!("the fixture pastes `Widget` exactly twice: {lines:?}");
    };
    let diags = diagnostics(&dir).unwrap_or_else(|e| panic!("{e}"));
    let d = diags
        .iter()
        .find(|d| d.line == second)
        .unwrap_or_else(|| panic!("no diagnostic at line {second}: {diags:?}"));
    let text = format!("{} {}", d.message, d.hint.as_deref().unwrap_or_default());
    let numbers: Vec<&str> = text.split(|c: char| !c.is_ascii_digit()).collect();
    assert!(
        numbers.contains(&first.to_string().as_str()),
        "the diagnostic does not name line {first} of the first `Widget`: {d}"
    );
}

#[test]
fn rejected_example_names_collide() {
    check_rejected("example-names-collide");
}

#[test]
fn rejected_field_case_collision() {
    check_rejected("field-case-collision");
}

#[test]
fn rejected_file_format_named_like_request() {
    check_rejected("file-format-named-like-request");
}

#[test]
fn rejected_group_named_like_runtime_module() {
    check_rejected("group-named-like-runtime-module");
}

#[test]
fn rejected_operation_case_collision() {
    check_rejected("operation-case-collision");
}

#[test]
fn rejected_operation_named_like_client_method() {
    check_rejected("operation-named-like-client-method");
}

#[test]
fn rejected_operation_named_like_stream() {
    check_rejected("operation-named-like-stream");
}

#[test]
fn rejected_param_named_body() {
    check_rejected("param-named-body");
}

#[test]
fn rejected_param_named_new() {
    check_rejected("param-named-new");
}

#[test]
fn rejected_type_case_collision() {
    check_rejected("type-case-collision");
}

#[test]
fn rejected_field_on_unknown_site() {
    check_rejected("field-on-unknown-site");
}

#[test]
fn rejected_type_named_error() {
    check_rejected("type-named-error");
}
