//! The CHANGELOG section for the next version of the crate, and its place in `CHANGELOG.md`.

use std::fmt::Write as _;

use super::{Review, Reviewed};
use crate::diff::Impact;

/// Changes of the generated API that the generator made, not the spec: the `- ` items of
/// `templates/crate/API-CHANGES.md`, which a spec diff cannot see.
pub const API_CHANGES: &str = include_str!("../../../templates/crate/API-CHANGES.md");

/// The items of an API-changes file: each `- ` line with its continuation lines, joined.
pub fn api_changes(text: &str) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    let mut in_comment = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("<!--") {
            in_comment = !t.ends_with("-->");
            continue;
        }
        if in_comment {
            in_comment = !t.ends_with("-->");
            continue;
        }
        if let Some(item) = t.strip_prefix("- ") {
            items.push(item.to_string());
        } else if let (false, Some(last)) = (t.is_empty(), items.last_mut()) {
            last.push(' ');
            last.push_str(t);
        }
    }
    items
}

/// The section for the suggested version: the bump, breaking changes first (with the reason of
/// each accepted one), then additions, then other compatible changes, then the changes of the
/// generated API that the generator made ([`API_CHANGES`]).
pub fn section(r: &Review) -> String {
    section_with(r, &api_changes(API_CHANGES))
}

/// [`section`], with the generator's API changes given.
pub fn section_with(r: &Review, api: &[String]) -> String {
    let mut s = format!("## {}\n\n", r.suggested_version);
    if r.changes.is_empty() && api.is_empty() {
        s.push_str("No changes for users of the crate.\n");
        return s;
    }
    if r.changes.is_empty() {
        s.push_str("No changes of the spec.\n");
        generated_api(&mut s, api);
        return s;
    }
    let breaking = r
        .changes
        .iter()
        .any(|c| c.change.impact == Impact::Breaking);
    let _ = writeln!(
        s,
        "Version bump: {} from {}{}.",
        r.suggested_bump,
        r.old_version,
        match (breaking, r.old_version.starts_with("0.")) {
            (true, true) => " (breaking: before 1.0, Cargo treats a minor bump as incompatible)",
            (true, false) => " (breaking)",
            _ => "",
        }
    );
    let added = |c: &&Reviewed| c.change.description.contains("added");
    let groups: [(&str, Vec<&Reviewed>); 3] = [
        (
            "Breaking changes",
            r.changes
                .iter()
                .filter(|c| c.change.impact == Impact::Breaking)
                .collect(),
        ),
        ("Added", r.compatible().filter(added).collect()),
        ("Changed", r.compatible().filter(|c| !added(c)).collect()),
    ];
    for (title, items) in groups {
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(s, "\n### {title}\n");
        for c in items {
            let _ = write!(s, "- `{}`: {}", c.change.location, c.change.description);
            if let Some(a) = &c.accepted {
                let _ = write!(s, ". {}", a.reason.trim_end_matches('.'));
            }
            s.push_str(".\n");
        }
    }
    generated_api(&mut s, api);
    s
}

/// The generator's own changes of the crate's API, after those of the spec.
fn generated_api(s: &mut String, api: &[String]) {
    if api.is_empty() {
        return;
    }
    s.push_str("\n### Generated API\n\n");
    for item in api {
        let _ = writeln!(s, "- {item}");
    }
}

/// `changelog` with `section` as its newest entry: after the preamble (everything before the
/// first `## ` heading), replacing a section of the same heading, so a release step can run
/// twice.
pub fn insert(changelog: &str, section: &str) -> String {
    let heading = section.lines().next().unwrap_or_default();
    let lines: Vec<&str> = changelog.split_inclusive('\n').collect();
    let is_section = |l: &str| l.starts_with("## ");
    let first = lines
        .iter()
        .position(|l| is_section(l))
        .unwrap_or(lines.len());
    let mut out: String = lines[..first].concat();
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
    }
    out.push_str(section.trim_end());
    out.push_str("\n\n");
    let mut rest = &lines[first..];
    if rest
        .first()
        .is_some_and(|l| l.trim_end() == heading.trim_end())
    {
        let end = rest[1..]
            .iter()
            .position(|l| is_section(l))
            .map_or(rest.len(), |i| i + 1);
        rest = &rest[end..];
    }
    out.push_str(&rest.concat());
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_changes_are_the_list_items_outside_the_comment() {
        let text =
            "<!-- About.\n- not an item -->\n\n- **Breaking:** one\n  continued.\n- Added: two.\n";
        assert_eq!(
            api_changes(text),
            ["**Breaking:** one continued.", "Added: two."]
        );
        assert!(api_changes("<!-- only a comment -->\n").is_empty());
        // The file the generator ships parses, and says what this version changed.
        assert!(
            api_changes(API_CHANGES)
                .iter()
                .any(|i| i.contains("DeadlineExceeded"))
        );
    }
}
