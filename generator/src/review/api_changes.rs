//! `spec/api-changes.yaml`: changes to the generated crate's API that come from the generator
//! rather than from the spec (a setter style, an error type, a new client setting).
//!
//! The spec diff cannot see these: both sides of it are the same documents. So the change that
//! makes one records it here, and `diff` reports every entry the base side of the comparison does
//! not have yet, by `id`. A breaking entry is a reviewed decision by construction (it is written
//! with the change and reviewed with it), so it counts as accepted, with its own reason; it still
//! calls for the version bump and is listed in the CHANGELOG section like a spec change.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;

use crate::diff::{Change, Impact, Subject};
use crate::spec::locate::{Locations, Seg};

use super::accepted::AcceptedBreak;
use super::position::{SpecPos, display_path};

/// Name of the file in the spec directory.
pub const FILE_NAME: &str = "api-changes.yaml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    changes: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: String,
    impact: String,
    location: String,
    change: String,
    #[serde(default)]
    reason: Option<String>,
    version: String,
}

/// One recorded change of the generated API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiChange {
    /// Stable key: an entry is new when the base has no entry with this id.
    pub id: String,
    /// Breaking or compatible.
    pub impact: Impact,
    /// The Rust item or area, e.g. `Error` or `request and body types`.
    pub location: String,
    /// What changed, for users of the crate.
    pub change: String,
    /// Why users may take a break (required for breaking entries).
    pub reason: Option<String>,
    /// The crate version that ships it.
    pub version: String,
    /// Where the entry is written.
    pub at: SpecPos,
}

impl ApiChange {
    /// The change as the diff reports it.
    pub fn to_change(&self) -> Change {
        Change {
            impact: self.impact,
            subject: Subject::GeneratedApi,
            location: self.location.clone(),
            description: self.change.clone(),
        }
    }

    /// The acceptance a breaking entry carries by being written.
    pub fn acceptance(&self) -> Option<AcceptedBreak> {
        (self.impact == Impact::Breaking).then(|| AcceptedBreak {
            location: self.location.clone(),
            subject: Some("generated_api".into()),
            change: Some(self.change.clone()),
            reason: self.reason.clone().unwrap_or_default(),
            version: self.version.clone(),
            file: self.at.file.clone(),
            line: self.at.line,
        })
    }
}

/// Reads the entries of the spec directory `dir`. A missing file records nothing; a malformed
/// one is an error naming the file, line and column.
pub fn load(dir: &Path) -> Result<Vec<ApiChange>, String> {
    let path = dir.join(FILE_NAME);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    parse(&text, &display_path(&path))
}

/// Reads entries from the text of a file shown as `file`.
pub fn parse(text: &str, file: &str) -> Result<Vec<ApiChange>, String> {
    let parsed: File = crate::spec::yaml::from_str(text)
        .map_err(|e| format!("{file}:{}:{}: {}", e.line(), e.column(), e.message()))?;
    let locations = Locations::index(text);
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (i, e) in parsed.changes.into_iter().enumerate() {
        let (line, column) = locations.find(&[Seg::Key("changes".into()), Seg::Index(i)]);
        let bad = |what: &str| format!("{file}:{line}:{column}: API change {i}: {what}");
        let impact = match e.impact.as_str() {
            "breaking" => Impact::Breaking,
            "compatible" => Impact::Compatible,
            other => {
                return Err(bad(&format!(
                    "`impact` is {other:?}; write `breaking` or `compatible`"
                )));
            }
        };
        for (key, value) in [
            ("id", &e.id),
            ("location", &e.location),
            ("change", &e.change),
        ] {
            if value.trim().is_empty() {
                return Err(bad(&format!("`{key}` is empty")));
            }
        }
        if !seen.insert(e.id.clone()) {
            return Err(bad(&format!("id `{}` is used twice", e.id)));
        }
        let reason = e.reason.map(|r| r.trim().to_string());
        if impact == Impact::Breaking && reason.as_deref().is_none_or(str::is_empty) {
            return Err(bad(
                "a breaking change needs a `reason`: say why users may take it",
            ));
        }
        if !super::accepted::is_version(&e.version) {
            return Err(bad(&format!(
                "`version` {:?} is not a version like 0.2.0",
                e.version
            )));
        }
        out.push(ApiChange {
            id: e.id,
            impact,
            location: e.location,
            change: e.change.trim().to_string(),
            reason,
            version: e.version,
            at: SpecPos {
                file: file.to_string(),
                line,
                column,
            },
        });
    }
    Ok(out)
}

/// The entries of `new` that `old` does not have (by id), in `new`'s order.
pub fn since(old: &[ApiChange], new: &[ApiChange]) -> Vec<ApiChange> {
    let known: BTreeSet<&str> = old.iter().map(|c| c.id.as_str()).collect();
    new.iter()
        .filter(|c| !known.contains(c.id.as_str()))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = "changes:\n  - id: setters\n    impact: breaking\n    location: request and body types\n    change: one setter style\n    reason: 0.x\n    version: 0.2.0\n  - id: deadline\n    impact: compatible\n    location: ClientBuilder::deadline\n    change: added\n    version: 0.2.0\n";

    #[test]
    fn entries_carry_their_position_and_acceptance() {
        let c = parse(TWO, "spec/api-changes.yaml").unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!((c[1].at.line, c[1].impact), (8, Impact::Compatible));
        let a = c[0].acceptance().unwrap();
        assert!(a.matches(&c[0].to_change()));
        assert_eq!(c[1].acceptance(), None);
    }

    #[test]
    fn only_entries_the_base_lacks_are_new() {
        let new = parse(TWO, "f").unwrap();
        let old = parse(&TWO[..TWO.find("  - id: deadline").unwrap()], "f").unwrap();
        let ids: Vec<String> = since(&old, &new).into_iter().map(|c| c.id).collect();
        assert_eq!(ids, ["deadline"]);
    }

    #[test]
    fn bad_entries_are_located() {
        let no_reason = TWO.replace("    reason: 0.x\n", "");
        assert_eq!(
            parse(&no_reason, "f").unwrap_err(),
            "f:2:5: API change 0: a breaking change needs a `reason`: say why users may take it"
        );
        let twice = TWO.replace("id: deadline", "id: setters");
        assert!(
            parse(&twice, "f")
                .unwrap_err()
                .contains("id `setters` is used twice")
        );
        let impact = TWO.replace("impact: compatible", "impact: minor");
        assert!(
            parse(&impact, "f")
                .unwrap_err()
                .starts_with("f:8:5: API change 1: `impact`")
        );
    }
}
