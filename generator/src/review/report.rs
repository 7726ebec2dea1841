//! The reviewed diff as terminal text and as a pull-request comment.

use std::fmt::Write as _;

use super::{Review, Reviewed};
use crate::diff::Impact;

fn where_(c: &Reviewed) -> String {
    c.at.as_ref()
        .map(|p| format!("{}:{}", p.file, p.line))
        .unwrap_or_default()
}

fn counts(r: &Review) -> (usize, usize, usize) {
    let breaking = r
        .changes
        .iter()
        .filter(|c| c.change.impact == Impact::Breaking)
        .count();
    (r.changes.len(), breaking, r.accepted().count())
}

/// Plain text for terminals: one line per change, then stale entries.
pub fn to_text(r: &Review) -> String {
    let mut s = String::new();
    if r.changes.is_empty() {
        s.push_str("no semantic changes\n");
    } else {
        let (all, breaking, accepted) = counts(r);
        let _ = writeln!(
            s,
            "{all} change(s), {breaking} breaking ({accepted} accepted); suggested bump: {} ({} -> {})",
            r.suggested_bump, r.old_version, r.suggested_version
        );
        for c in &r.changes {
            let tag = match (c.change.impact, &c.accepted) {
                (Impact::Breaking, None) => "BREAKING  ",
                (Impact::Breaking, Some(_)) => "accepted  ",
                (Impact::Compatible, _) => "compatible",
            };
            let _ = write!(
                s,
                "{tag} {:<11} {}: {}",
                super::accepted::subject_name(&c.change),
                c.change.location,
                c.change.description
            );
            if let Some(a) = &c.accepted {
                let _ = write!(s, " [accepted for {}: {}]", a.version, a.reason);
            }
            if c.at.is_some() {
                let _ = write!(s, " ({})", where_(c));
            }
            s.push('\n');
        }
    }
    for a in &r.stale {
        let _ = writeln!(
            s,
            "stale      {}:{}: accepted break of `{}` matches no breaking change; remove the entry",
            a.file, a.line, a.location
        );
    }
    s
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Markdown for the pull-request comment: the counts and the bump, breaking changes to review,
/// accepted breaks with their reasons, compatible changes, stale entries, and the CHANGELOG
/// section the changes call for.
pub fn to_markdown(r: &Review) -> String {
    let mut s = String::from("## Spec changes\n\n");
    if r.changes.is_empty() && r.stale.is_empty() {
        s.push_str("No semantic changes to the generated crate.\n");
        return s;
    }
    let (all, breaking, accepted) = counts(r);
    let _ = writeln!(
        s,
        "**{all}** change(s), **{breaking}** breaking ({accepted} accepted, {} to review). \
         Suggested version bump: **{}** (`{}` → `{}`).\n",
        breaking - accepted,
        r.suggested_bump,
        r.old_version,
        r.suggested_version
    );
    let blocking: Vec<&Reviewed> = r.blocking().collect();
    if !blocking.is_empty() {
        s.push_str(
            "### Breaking\n\nNot accepted: list a change in `spec/accepted-breaks.yaml`, with the \
             reason and the version that ships it, to accept it.\n\n\
             | subject | where | change | spec line |\n|---|---|---|---|\n",
        );
        for c in blocking {
            let _ = writeln!(
                s,
                "| {:?} | `{}` | {} | {} |",
                c.change.subject,
                c.change.location,
                cell(&c.change.description),
                where_(c)
            );
        }
        s.push('\n');
    }
    let accepted: Vec<&Reviewed> = r.accepted().collect();
    if !accepted.is_empty() {
        s.push_str(
            "### Accepted breaking changes\n\n\
             | subject | where | change | ships in | why |\n|---|---|---|---|---|\n",
        );
        for c in accepted {
            let a = c
                .accepted
                .as_ref()
                .map(|a| (a.version.as_str(), a.reason.as_str()));
            let (version, reason) = a.unwrap_or_default();
            let _ = writeln!(
                s,
                "| {:?} | `{}` | {} | {} | {} |",
                c.change.subject,
                c.change.location,
                cell(&c.change.description),
                version,
                cell(reason)
            );
        }
        s.push('\n');
    }
    let compatible: Vec<&Reviewed> = r.compatible().collect();
    if !compatible.is_empty() {
        s.push_str("### Compatible\n\n| subject | where | change |\n|---|---|---|\n");
        for c in compatible {
            let _ = writeln!(
                s,
                "| {:?} | `{}` | {} |",
                c.change.subject,
                c.change.location,
                cell(&c.change.description)
            );
        }
        s.push('\n');
    }
    if !r.stale.is_empty() {
        s.push_str(
            "### Stale accepted entries\n\nThese entries match no breaking change of this diff \
             (already shipped, or misnamed); remove them.\n\n",
        );
        for a in &r.stale {
            let _ = writeln!(
                s,
                "- `{}:{}`: `{}`{} — {}",
                a.file,
                a.line,
                a.location,
                a.change
                    .as_ref()
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default(),
                a.reason
            );
        }
        s.push('\n');
    }
    if !r.changes.is_empty() {
        let _ = writeln!(
            s,
            "### CHANGELOG entry\n\n```markdown\n{}```",
            super::changelog::section(r)
        );
    }
    s
}
