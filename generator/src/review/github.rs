//! GitHub Actions workflow commands: one annotation per change, on its line of the new spec.
//!
//! A step that prints these lines makes GitHub attach them to the pull request's diff: `::error`
//! for a breaking change no entry accepts, `::warning` for an accepted one (still worth a look,
//! with its reason) and for a stale entry, `::notice` for a compatible change.

use std::fmt::Write as _;

use super::{Review, SpecPos};
use crate::diff::Impact;

/// Escapes the message of a workflow command.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file`, `title`) of a workflow command.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One workflow command line: `::LEVEL file=..,line=..,col=..,title=..::MESSAGE`.
pub fn command(level: &str, at: Option<&SpecPos>, title: &str, message: &str) -> String {
    let mut props = Vec::new();
    if let Some(p) = at {
        props.push(format!("file={}", escape_property(&p.file)));
        props.push(format!("line={}", p.line));
        props.push(format!("col={}", p.column));
    }
    props.push(format!("title={}", escape_property(title)));
    format!("::{level} {}::{}", props.join(","), escape_data(message))
}

/// One annotation per change and per stale accepted entry.
pub fn to_github(r: &Review) -> String {
    let mut s = String::new();
    for c in &r.changes {
        let subject = super::accepted::subject_name(&c.change);
        let (level, title, message) = match (c.change.impact, &c.accepted) {
            (Impact::Breaking, None) => (
                "error",
                format!("Breaking spec change ({subject})"),
                format!(
                    "{}: {}. Users of the crate need a {} bump ({} -> {}); to accept the break, \
                     list it in spec/accepted-breaks.yaml with the reason.",
                    c.change.location,
                    c.change.description,
                    r.suggested_bump,
                    r.old_version,
                    r.suggested_version
                ),
            ),
            (Impact::Breaking, Some(a)) => (
                "warning",
                format!("Accepted breaking spec change ({subject})"),
                format!(
                    "{}: {}. Accepted for {}: {}",
                    c.change.location, c.change.description, a.version, a.reason
                ),
            ),
            (Impact::Compatible, _) => (
                "notice",
                format!("Compatible spec change ({subject})"),
                format!("{}: {}", c.change.location, c.change.description),
            ),
        };
        let _ = writeln!(s, "{}", command(level, c.at.as_ref(), &title, &message));
    }
    for a in &r.stale {
        let at = SpecPos {
            file: a.file.clone(),
            line: a.line,
            column: 1,
        };
        let _ = writeln!(
            s,
            "{}",
            command(
                "warning",
                Some(&at),
                "Stale accepted break",
                &format!(
                    "`{}` matches no breaking change of this diff (already shipped, or misnamed); \
                     remove the entry.",
                    a.location
                ),
            )
        );
    }
    s
}
