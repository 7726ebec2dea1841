//! Spec review where reviewers look: a [`SpecDiff`] joined with the accepted breaks of
//! `spec/accepted-breaks.yaml` and with each change's position in the new spec, rendered for a
//! pull-request comment ([`report`]), workflow annotations ([`github`]), test reports
//! ([`junit`]) and the crate's CHANGELOG ([`changelog`]).
//!
//! The comparison itself stays in [`crate::diff`]; this module only decides what a reviewer must
//! act on: a breaking change no accepted entry covers, and an entry that covers nothing.

pub mod accepted;
pub mod api_changes;
pub mod changelog;
pub mod docs_github;
pub mod github;
pub mod junit;
pub mod position;
pub mod report;

use std::path::Path;

use serde::Serialize;

use crate::diff::{Change, Impact, SpecDiff};
use crate::spec::SpecSet;

pub use accepted::AcceptedBreak;
pub use position::SpecPos;

/// A change with where it stands and whether it was accepted.
#[derive(Clone, Debug, Serialize)]
pub struct Reviewed {
    /// The change.
    #[serde(flatten)]
    pub change: Change,
    /// Its position in the new spec, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<SpecPos>,
    /// The accepted entry covering it (breaking changes only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<AcceptedBreak>,
}

impl Reviewed {
    /// Breaking and not accepted: what `--fail-on-breaking` fails on.
    pub fn is_blocking(&self) -> bool {
        self.change.impact == Impact::Breaking && self.accepted.is_none()
    }
}

/// A reviewed diff.
#[derive(Clone, Debug, Serialize)]
pub struct Review {
    /// Version of the generated crate in the old spec.
    pub old_version: String,
    /// Version of the generated crate in the new spec.
    pub new_version: String,
    /// The semver bump the changes call for (accepted breaks still call for it).
    pub suggested_bump: String,
    /// The version the crate should get.
    pub suggested_version: String,
    /// Changes in the diff's order: breaking first, then by subject and location.
    pub changes: Vec<Reviewed>,
    /// Accepted entries that match no breaking change: the break shipped (the base moved past
    /// it) or the entry names it wrongly. Either way the entry should go.
    pub stale: Vec<AcceptedBreak>,
}

/// The spec sets of both sides, for positions; the directory of the new one as it should be
/// shown (relative to the repository root for GitHub).
pub struct Sides<'a> {
    /// The old spec.
    pub old: &'a SpecSet,
    /// The new spec.
    pub new: &'a SpecSet,
    /// The new spec's directory, as given on the command line.
    pub new_dir: &'a Path,
}

/// Joins a diff with positions (when `sides` is given) and accepted breaks.
pub fn review(diff: SpecDiff, sides: Option<&Sides<'_>>, accepted: &[AcceptedBreak]) -> Review {
    let mut used = vec![false; accepted.len()];
    let changes = diff
        .changes
        .into_iter()
        .map(|change| {
            let at = sides.and_then(|s| position::locate(&change, s.old, s.new, s.new_dir));
            let hit = accepted.iter().position(|a| a.matches(&change));
            // Every entry matching the change is in use (not stale), not only the first.
            for (i, a) in accepted.iter().enumerate() {
                if a.matches(&change) {
                    used[i] = true;
                }
            }
            Reviewed {
                at,
                accepted: hit.map(|i| accepted[i].clone()),
                change,
            }
        })
        .collect();
    let stale = accepted
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(a, _)| a.clone())
        .collect();
    Review {
        old_version: diff.old_version,
        new_version: diff.new_version,
        suggested_bump: diff.suggested_bump,
        suggested_version: diff.suggested_version,
        changes,
        stale,
    }
}

impl Review {
    /// Breaking changes no entry accepts.
    pub fn blocking(&self) -> impl Iterator<Item = &Reviewed> {
        self.changes.iter().filter(|c| c.is_blocking())
    }

    /// Breaking changes an entry accepts.
    pub fn accepted(&self) -> impl Iterator<Item = &Reviewed> {
        self.changes.iter().filter(|c| c.accepted.is_some())
    }

    /// Compatible changes.
    pub fn compatible(&self) -> impl Iterator<Item = &Reviewed> {
        self.changes
            .iter()
            .filter(|c| c.change.impact == Impact::Compatible)
    }

    /// JSON for tools: the diff's fields, each change with `at` and `accepted`, and `stale`.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }
}
