//! Compares the documented model with the spec, fact by fact.
//!
//! Operations are matched by method and path, then by section number and Chinese title (so a
//! changed path is one `path_changed`, not a removal and an addition). Within a matched
//! operation: parameters by location and name, body and response fields by their path, nested
//! types through the type a field names. Every printed table is compared, but a difference of a
//! shared type, or of a shared code list, is listed once however many sections print it. Error
//! rows are matched by code. A difference is explained when a [`Claim`] names it (kind, section,
//! item and, optionally, the documented value); a claim that explains nothing is reported as
//! `fixup_stale`.
//!
//! The spec is read only through [`crate::docs::spec_view`]. Split by concern:
//! `operations` (matching, one operation), `fields` (parameters, fields, constraints, code
//! values), `tables` (error rows, the global table, rate limits, permissions), `examples`, and
//! `output` (text, Markdown, JSON).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

mod examples;
mod fields;
mod operations;
mod output;
mod tables;

pub use output::{to_json, to_markdown, to_text};

use super::model::Document;
use super::read::lines;
use super::spec_view::SpecView;

/// Kinds of drift (the `kind` of the JSON output).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum DriftKind {
    OperationAdded,
    OperationRemoved,
    PathChanged,
    MethodChanged,
    ParameterAdded,
    ParameterRemoved,
    FieldAdded,
    FieldRemoved,
    TypeChanged,
    RequiredChanged,
    ConstraintChanged,
    CodeValueAdded,
    CodeValueRemoved,
    ErrorCodeAdded,
    ErrorCodeRemoved,
    ErrorCodeChanged,
    RateLimitChanged,
    PermissionChanged,
    ExampleChanged,
    DeprecationChanged,
    FixupStale,
}

impl DriftKind {
    /// The snake_case name.
    pub fn as_str(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

/// One unexplained difference.
#[derive(Clone, Debug, Serialize)]
pub struct Drift {
    /// What changed.
    pub kind: DriftKind,
    /// Section of the document.
    pub section: Option<String>,
    /// Spec operation id, when one matches.
    pub operation: Option<String>,
    /// Parameter or field path (`query.limit`, `response.budget_infos[].used_amount`), error code,
    /// `rate_limit`, `permission`, `request_example`, ...
    pub item: String,
    /// Line of the document stating the fact.
    pub doc_line: Option<usize>,
    /// Where the spec states it.
    pub spec_location: Option<String>,
    /// What the document states.
    pub document: Option<String>,
    /// What the spec states.
    pub spec: Option<String>,
    /// One line for people.
    pub message: String,
}

/// A recorded claim about the document: "section S states D for item I; the spec deliberately
/// differs (fixup F)". It explains exactly the drift with that kind, section and item (and
/// documented value, when given).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// Id of the spec fixup that records the decision.
    pub fixup: String,
    /// Drift kind it explains.
    pub kind: DriftKind,
    /// Section of the document, as in the drift (absent for a fact the document does not place,
    /// such as a spec row of a table the document lacks).
    #[serde(default)]
    pub section: Option<String>,
    /// Item, as in the drift.
    pub item: String,
    /// What the document states, as in the drift's `document`; absent matches any value.
    #[serde(default)]
    pub document: Option<String>,
    /// What the spec states, as in the drift's `spec`; absent matches any value.
    #[serde(default)]
    pub spec: Option<String>,
    /// For a name the document misprints (a `*_added` claim): the spec's item, whose `*_removed`
    /// drift the claim explains too. A documented body field the spec sends as a query parameter
    /// names the parameter (`query.<name>`), whose `parameter_removed` it explains.
    #[serde(default)]
    pub replaces: Option<String>,
}

impl Claim {
    fn explains(
        &self,
        kind: DriftKind,
        section: Option<&str>,
        item: &str,
        document: &Option<String>,
        spec: &Option<String>,
    ) -> bool {
        if section != self.section.as_deref() {
            return false;
        }
        let removed: &[DriftKind] = match self.kind {
            DriftKind::FieldAdded => &[DriftKind::FieldRemoved, DriftKind::ParameterRemoved],
            DriftKind::ParameterAdded => &[DriftKind::ParameterRemoved, DriftKind::FieldRemoved],
            DriftKind::ErrorCodeAdded => &[DriftKind::ErrorCodeRemoved],
            _ => &[],
        };
        let direct = self.kind == kind
            && self.item == item
            && (self.document.is_none() || self.document == *document)
            && (self.spec.is_none() || self.spec == *spec);
        direct || (removed.contains(&kind) && self.replaces.as_deref() == Some(item))
    }
}

/// Tally of one class of facts.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Counts {
    /// Facts compared.
    pub compared: usize,
    /// Equal in both.
    pub equal: usize,
    /// Different, explained by a claim.
    pub explained: usize,
    /// Different, unexplained.
    pub drift: usize,
    /// Different in the same way as a table of the same spec type already reported (a shared
    /// type printed in several sections): listed once.
    pub repeated: usize,
}

/// Version and date of the document compared.
#[derive(Clone, Debug, Serialize)]
pub struct DocumentId {
    /// Version.
    pub version: Option<String>,
    /// Date.
    pub date: Option<String>,
}

/// The result of a comparison.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The document.
    pub document: DocumentId,
    /// Unexplained differences.
    pub drift: Vec<Drift>,
    /// Number of differences explained by claims.
    pub explained: usize,
    /// Counts per class of facts.
    pub classes: BTreeMap<String, Counts>,
    /// Facts the checker does not compare, with how many the document holds.
    pub not_compared: BTreeMap<String, usize>,
    /// Claims by the drift kind they explain.
    pub claims_by_kind: BTreeMap<String, usize>,
    /// The spec's fixups by kind (all of them, whether or not they carry claims), so a reviewer
    /// sees when their number grows; filled by the caller from
    /// [`crate::docs::spec_view::SpecFixups`].
    pub fixups_by_kind: BTreeMap<String, usize>,
}

impl Report {
    /// Unexplained drift, by kind.
    pub fn drift_by_kind(&self) -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        for d in &self.drift {
            *m.entry(d.kind.as_str()).or_insert(0) += 1;
        }
        m
    }
}

pub(super) struct Cx<'a> {
    doc: &'a Document,
    spec: &'a SpecView,
    claims: &'a [Claim],
    used: Vec<bool>,
    drift: Vec<Drift>,
    explained: usize,
    classes: BTreeMap<String, Counts>,
    not_compared: BTreeMap<String, usize>,
    /// Document tables (by first row line) already compared with a spec type.
    compared_tables: BTreeSet<(usize, String)>,
    /// Spec types being compared, outermost first (a guard against recursive types).
    stack: Vec<String>,
    /// Differences of shared types already listed.
    reported: BTreeSet<String>,
    seen_codes: BTreeSet<(String, String, DriftKind)>,
}

/// Where a fact is, for the drift record.
#[derive(Clone)]
pub(super) struct At {
    section: Option<String>,
    operation: Option<String>,
    location: Option<String>,
}

pub(super) fn norm_title(s: &str) -> String {
    lines::half_width(s).split_whitespace().collect()
}

impl Cx<'_> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn fact(
        &mut self,
        class: &str,
        equal: bool,
        kind: DriftKind,
        at: &At,
        item: &str,
        doc_line: Option<usize>,
        document: Option<String>,
        spec: Option<String>,
        message: &str,
    ) {
        let c = self.classes.entry(class.to_string()).or_default();
        c.compared += 1;
        if equal {
            c.equal += 1;
            return;
        }
        let claim = self
            .claims
            .iter()
            .position(|cl| cl.explains(kind, at.section.as_deref(), item, &document, &spec));
        if let Some(i) = claim {
            self.used[i] = true;
            self.explained += 1;
            c.explained += 1;
            return;
        }
        // A difference of a shared type is listed once, however many sections print the type.
        if let Some(loc) = at.location.as_deref().filter(|l| l.contains(": types.")) {
            let field = item.rsplit('.').next().unwrap_or(item);
            let key = format!("{kind:?}|{loc}|{field}|{document:?}|{spec:?}");
            if !self.reported.insert(key) {
                c.repeated += 1;
                return;
            }
        }
        c.drift += 1;
        self.drift.push(Drift {
            kind,
            section: at.section.clone(),
            operation: at.operation.clone(),
            item: item.to_string(),
            doc_line,
            spec_location: at.location.clone(),
            document,
            spec,
            message: message.to_string(),
        });
    }

    /// The spec item a claim says the documented `item` stands for (a misprinted name): the
    /// documented row is then compared with that spec item, so a rename explains the name only.
    pub(super) fn replaced(&self, kind: DriftKind, at: &At, item: &str) -> Option<String> {
        self.claims
            .iter()
            .find(|c| c.kind == kind && c.section == at.section && c.item == item)
            .and_then(|c| c.replaces.clone())
    }

    pub(super) fn skip(&mut self, what: &str) {
        *self.not_compared.entry(what.to_string()).or_insert(0) += 1;
    }

    pub(super) fn section_at(&self, line: usize) -> Option<String> {
        let sections = &self.doc.sections;
        let after = sections.partition_point(|s| s.line <= line);
        after
            .checked_sub(1)
            .and_then(|i| sections.get(i))
            .map(|s| s.number.clone())
    }
}

/// Compares a document with the spec; `claims` explain known differences.
pub fn compare(doc: &Document, spec: &SpecView, claims: &[Claim]) -> Report {
    let mut cx = Cx {
        doc,
        spec,
        claims,
        used: vec![false; claims.len()],
        drift: Vec::new(),
        explained: 0,
        classes: BTreeMap::new(),
        not_compared: BTreeMap::new(),
        compared_tables: BTreeSet::new(),
        stack: Vec::new(),
        reported: BTreeSet::new(),
        seen_codes: BTreeSet::new(),
    };
    let pairs = operations::match_operations(&mut cx);
    for (d, s) in &pairs {
        operations::operation(&mut cx, &doc.operations[*d], &spec.operations[*s]);
    }
    tables::global_errors(&mut cx);
    tables::rate_limits(&mut cx, &pairs);
    tables::permissions(&mut cx, &pairs);
    for _ in doc.operations.iter().flat_map(|o| &o.other_tables) {
        cx.skip("tables of operation sections the reader does not interpret");
    }
    cx.skip("descriptions (prose is not compared)");
    let sections: BTreeSet<&str> = doc.sections.iter().map(|s| s.number.as_str()).collect();
    for (i, c) in claims.iter().enumerate() {
        // A claim about a section the document no longer has goes with that section's
        // operation, whose removal is reported; counted, not reported twice.
        if !cx.used[i] && c.section.as_deref().is_some_and(|s| !sections.contains(s)) {
            cx.skip("claims about sections the document does not have");
            continue;
        }
        if !cx.used[i] {
            let at = At {
                section: c.section.clone(),
                operation: None,
                location: None,
            };
            let msg = format!(
                "fixup {} explains a {} the document no longer shows",
                c.fixup,
                c.kind.as_str()
            );
            cx.fact(
                "fixups",
                false,
                DriftKind::FixupStale,
                &at,
                &c.item,
                None,
                c.document.clone(),
                Some(c.fixup.clone()),
                &msg,
            );
        }
    }
    let mut claims_by_kind = BTreeMap::new();
    for c in claims {
        *claims_by_kind.entry(c.kind.as_str()).or_insert(0) += 1;
    }
    Report {
        document: DocumentId {
            version: doc.version.as_ref().map(|v| v.value.clone()),
            date: doc.date.as_ref().map(|v| v.value.clone()),
        },
        drift: cx.drift,
        explained: cx.explained,
        classes: cx.classes,
        not_compared: cx.not_compared,
        claims_by_kind,
        fixups_by_kind: BTreeMap::new(),
    }
}
