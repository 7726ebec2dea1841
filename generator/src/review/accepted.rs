//! `spec/accepted-breaks.yaml`: the breaking changes a review accepted, each with its reason and
//! the crate version that ships it.
//!
//! An entry matches a breaking change by location, optionally narrowed by subject and by words
//! of the change's description, so one entry can accept every break of an item or exactly one.
//! The file is read from the new spec (the pull request's side): accepting a break is part of the
//! change that makes it, and is reviewed with it.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diff::{Change, Impact};
use crate::spec::locate::{Locations, Seg};

use super::position::display_path;

/// Name of the file in the spec directory.
pub const FILE_NAME: &str = "accepted-breaks.yaml";

/// The file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    accepted: Vec<Entry>,
}

/// One accepted break as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    location: String,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    change: Option<String>,
    reason: String,
    version: String,
}

/// One accepted breaking change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AcceptedBreak {
    /// The change's location (`ServiceType.note`, `ListConversions`).
    pub location: String,
    /// The change's subject in snake_case (`field`, `operation`); any when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Words the change's description contains; any description when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<String>,
    /// Why the break is accepted.
    pub reason: String,
    /// The crate version that ships the break.
    pub version: String,
    /// The file, as given.
    pub file: String,
    /// The entry's line in the file.
    pub line: usize,
}

impl AcceptedBreak {
    /// Whether the entry accepts `change` (only breaking changes can be accepted).
    pub fn matches(&self, change: &Change) -> bool {
        change.impact == Impact::Breaking
            && change.location == self.location
            && self
                .subject
                .as_ref()
                .is_none_or(|s| *s == subject_name(change))
            && self
                .change
                .as_ref()
                .is_none_or(|w| change.description.contains(w.as_str()))
    }
}

/// The snake_case name of a change's subject, as the JSON report writes it.
pub fn subject_name(change: &Change) -> String {
    serde_json::to_value(change.subject)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Reads the accepted breaks of `path`. A missing file accepts nothing; a malformed one is an
/// error naming the file, line and column.
pub fn load(path: &Path) -> Result<Vec<AcceptedBreak>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    parse(&text, &display_path(path))
}

/// Reads accepted breaks from the text of a file shown as `file`.
pub fn parse(text: &str, file: &str) -> Result<Vec<AcceptedBreak>, String> {
    let parsed = decode(text)
        .map_err(|(line, column, message)| format!("{file}:{line}:{column}: {message}"))?;
    let locations = Locations::index(text);
    let mut out = Vec::new();
    for (i, e) in parsed.accepted.into_iter().enumerate() {
        let (line, column) = locations.find(&[Seg::Key("accepted".into()), Seg::Index(i)]);
        let bad = |what: &str| format!("{file}:{line}:{column}: accepted break {i}: {what}");
        if e.location.trim().is_empty() {
            return Err(bad("`location` is empty"));
        }
        if e.reason.trim().is_empty() {
            return Err(bad("`reason` is empty: say why users may take this break"));
        }
        if !is_version(&e.version) {
            return Err(bad(&format!(
                "`version` {:?} is not a version like 0.2.0",
                e.version
            )));
        }
        out.push(AcceptedBreak {
            location: e.location,
            subject: e.subject,
            change: e.change,
            reason: e.reason.trim().to_string(),
            version: e.version,
            file: file.to_string(),
            line,
        });
    }
    Ok(out)
}

/// Decodes the file, or gives the line, column and message of the error. The one place that
/// names the YAML decoder, so following the spec loader to another parser changes one call.
fn decode(text: &str) -> Result<File, (usize, usize, String)> {
    crate::spec::yaml::from_str(text).map_err(|e| (e.line(), e.column(), e.message()))
}

pub(crate) fn is_version(v: &str) -> bool {
    let core = v.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}
