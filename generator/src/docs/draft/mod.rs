//! `docs draft`: one documented operation written as a spec group file, so that adding a newly
//! documented API starts from the document's facts.
//!
//! The draft holds facts only (names, types, ranges, code values, error codes, rate limit,
//! permission, example payloads, the Chinese title); every description and summary is `TODO`
//! for a person, and every reading the document leaves open (a placeholder operation id, a
//! guessed code-list name, an assumed type) is marked by a `# CHECK:` comment above it. Every
//! placeholder is a valid string, so the draft loads as a group file as it is.
//!
//! Given the spec, the draft reuses what the spec already has: a nested type of the same name
//! and fields, a code list of the same values, the error codes the spec knows, and the ids of
//! operations it already encodes; a name the spec uses for another shape is marked.
//!
//! Split by concern: `fields` (rows as parameters and fields, code lists), `operation`
//! (responses, errors, limits, examples), `names` (placeholder names) and `yaml` (the writer).

mod fields;
mod names;
mod operation;
mod yaml;

use std::collections::BTreeSet;
use std::fmt;

use self::fields::{Entry, Place};
use self::yaml::{Flow, Out, scalar};
use crate::docs::model::{Document, Operation};
use crate::docs::spec_view::{PARTNER_DOCUMENT, SpecOperation, SpecView};

/// A drafted operation.
#[derive(Clone, Debug)]
pub struct Draft {
    /// The placeholder operation id (derived from the method and path).
    pub operation_id: String,
    /// The group file, as YAML.
    pub yaml: String,
    /// Number of `# CHECK:` marks in it.
    pub checks: usize,
}

/// Why no draft can be written for a section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DraftError {
    /// The document has no section with this number.
    NoSection {
        /// The section asked for.
        section: String,
    },
    /// The section exists but documents no HTTP operation.
    NotAnOperation {
        /// The section asked for.
        section: String,
        /// Its title.
        title: String,
        /// Operation sections below it (for a chapter), at most a few.
        below: Vec<String>,
    },
}

impl fmt::Display for DraftError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DraftError::NoSection { section } => {
                write!(f, "the document has no section {section}")
            }
            DraftError::NotAnOperation {
                section,
                title,
                below,
            } => {
                write!(
                    f,
                    "section {section} ({title}) documents no operation (no `URI` method line)"
                )?;
                if !below.is_empty() {
                    write!(f, "; operation sections in it: {}", below.join(", "))?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for DraftError {}

/// A code list found in the rows of the section.
struct CodeListDraft {
    name: String,
    integer: bool,
    /// The values as printed, to reuse the list for another field with the same values.
    values: Vec<String>,
    /// Rendered `{ value, name, zh }` entries.
    entries: Vec<String>,
    table: Option<String>,
    line: usize,
    checks: Vec<String>,
}

/// A drafted type.
struct TypeDraft {
    name: String,
    table: Option<String>,
    checks: Vec<String>,
    fields: Vec<Entry>,
}

/// What drafting one section collects before it is written.
struct Cx<'d> {
    doc: &'d Document,
    op: &'d Operation,
    spec: Option<&'d SpecView>,
    /// The spec operation of the same method and path, if the spec has one.
    existing: Option<&'d SpecOperation>,
    /// The group file (`spec/groups/x.yaml`) of the spec operations of the same chapter.
    home: Option<String>,
    id: String,
    /// Names of the nested types the section has tables for.
    defined: BTreeSet<String>,
    /// Names of types the section's rows name.
    referenced: BTreeSet<String>,
    code_lists: Vec<CodeListDraft>,
}

impl<'d> Cx<'d> {
    /// The spec operation with this method and path.
    fn spec_operation(&self, method: &str, path: &str) -> Option<&'d SpecOperation> {
        self.spec?
            .operations
            .iter()
            .find(|o| o.method == method && o.path == path)
    }
}

/// Drafts the operation of `section` (`8.1.2`; full-width digits and a leading `§` are
/// accepted). With `spec`, names
/// and definitions the spec already has are reused (see the module documentation).
pub fn draft(doc: &Document, section: &str, spec: Option<&SpecView>) -> Result<Draft, DraftError> {
    let section = crate::docs::read::lines::half_width(section);
    let section = section.trim().trim_start_matches('§').trim();
    let Some(op) = doc.operations.iter().find(|o| o.section == section) else {
        return Err(match doc.sections.iter().find(|s| s.number == section) {
            None => DraftError::NoSection {
                section: section.to_string(),
            },
            Some(s) => {
                let prefix = format!("{section}.");
                DraftError::NotAnOperation {
                    section: section.to_string(),
                    title: s.title.clone(),
                    below: doc
                        .operations
                        .iter()
                        .filter(|o| o.section.starts_with(&prefix))
                        .take(8)
                        .map(|o| o.section.clone())
                        .collect(),
                }
            }
        });
    };
    let existing = spec.and_then(|v| {
        v.operations
            .iter()
            .find(|o| o.method == op.method && o.path == op.path)
    });
    let chapter = op.section.rsplit_once('.').map(|(p, _)| format!("{p}."));
    let home = spec.zip(chapter).and_then(|(v, chapter)| {
        v.operations
            .iter()
            .find(|o| o.section.starts_with(&chapter))
            .and_then(|o| o.location.split_once(':'))
            .map(|(file, _)| file.to_string())
    });
    let mut cx = Cx {
        doc,
        op,
        spec,
        existing,
        home,
        id: existing.map_or_else(
            || names::operation_id(&op.method, &op.path),
            |o| o.id.clone(),
        ),
        defined: op.types.iter().map(|t| t.name.clone()).collect(),
        referenced: BTreeSet::new(),
        code_lists: Vec::new(),
    };
    let params: Vec<Entry> = op
        .parameters()
        .map(|(loc, r)| fields::row(&mut cx, r, Place::Param(loc), None))
        .collect();
    let mut types = Vec::new();
    let request_body = (!op.body.is_empty()).then(|| {
        let name = format!("{}Body", cx.id);
        let fields = op
            .body
            .iter()
            .map(|r| fields::row(&mut cx, r, Place::RequestField, None))
            .collect();
        let mut checks = vec!["name derived from the operation id".to_string()];
        if matches!(op.method.as_str(), "GET" | "DELETE") {
            checks.push(format!(
                "a {} with a body table: its rows may be query parameters",
                op.method
            ));
        }
        types.push(TypeDraft {
            name: name.clone(),
            table: None,
            checks,
            fields,
        });
        name
    });
    let responses = operation::responses(&mut cx, &mut types);
    let mut seen = BTreeSet::new();
    let mut reused = Vec::new();
    for t in &op.types {
        let mut checks = Vec::new();
        if let Some(st) = spec.and_then(|v| v.types.get(&t.name)) {
            let spec_fields: Vec<&str> = st
                .fields
                .iter()
                .filter(|f| !f.from_example)
                .map(|f| f.name.as_str())
                .collect();
            let doc_fields: Vec<&str> = t.rows.iter().map(|r| r.name.as_str()).collect();
            if spec_fields == doc_fields {
                reused.push(format!(
                    "{}: the spec's type of this name has the same fields ({}); reused",
                    t.name, st.location
                ));
                continue;
            }
            checks.push(format!(
                "line {}: the spec's type {} ({}) has other fields: rename this one with a type_rename fixup, or change the spec's",
                t.line, t.name, st.location
            ));
        }
        let mut name = t.name.clone();
        while !seen.insert(name.clone()) {
            name.push('2');
            checks.push(format!(
                "line {}: a second table of {} in the section; renamed",
                t.line, t.name
            ));
        }
        if !cx.referenced.contains(&t.name) {
            checks.push(format!(
                "line {}: no row of the section names type {}",
                t.line, t.name
            ));
        }
        checks.push(format!(
            "line {}: if the spec has a type of this name and shape, reuse it; if the shape differs, rename it (type_rename fixup)",
            t.line
        ));
        let label = Some(t.label.as_str()).filter(|l| !l.is_empty());
        let fields = t
            .rows
            .iter()
            .map(|r| fields::row(&mut cx, r, Place::Field, label))
            .collect();
        types.push(TypeDraft {
            name,
            table: label.map(str::to_string),
            checks,
            fields,
        });
    }
    let mut out = Out::default();
    write(
        &mut out,
        &cx,
        &params,
        request_body.as_deref(),
        &responses,
        &types,
        &reused,
    );
    Ok(Draft {
        operation_id: cx.id.clone(),
        checks: out.checks,
        yaml: out.finish(),
    })
}

fn source(section: &str, table: Option<&str>) -> String {
    Flow::default()
        .raw("document", scalar(PARTNER_DOCUMENT))
        .str("section", section)
        .opt("table", table.map(scalar))
        .render()
}

fn write(
    out: &mut Out,
    cx: &Cx,
    params: &[Entry],
    request_body: Option<&str>,
    responses: &operation::Responses,
    types: &[TypeDraft],
    reused: &[String],
) {
    let (doc, op) = (cx.doc, cx.op);
    let version = doc.version.as_ref().map_or("?", |v| v.value.as_str());
    let date = doc.date.as_ref().map_or("?", |v| v.value.as_str());
    out.comment(
        0,
        &format!(
            "Draft of section {} ({}) of the partner reference, document version {version} of {date}, written by `bss-codegen docs draft`.",
            op.section, op.title
        ),
    );
    out.comment(
        0,
        "Facts only: descriptions and summaries are TODO for a person; each `# CHECK:` marks a reading to confirm.",
    );
    out.comment(
        0,
        "Move the parts into the group file of the chapter, then run `bss-codegen lint` and `bss-codegen docs check`.",
    );
    let parent = op.section.rsplit_once('.').map(|(p, _)| p.to_string());
    let parent_title = parent
        .as_ref()
        .and_then(|p| doc.sections.iter().find(|s| &s.number == p))
        .map(|s| s.title.clone());
    if let Some(o) = cx.existing {
        out.checks(
            0,
            &[format!(
                "the spec already has this operation: {} ({}); compare with `docs check` instead",
                o.id, o.location
            )],
        );
    }
    out.checks(
        0,
        &["the group: copy the operation into the existing group file of its chapter".into()],
    );
    out.line(0, "group:");
    out.line(2, "id: TODO");
    out.line(
        2,
        &format!(
            "title_zh: {}",
            scalar(parent_title.as_deref().unwrap_or("TODO"))
        ),
    );
    out.line(2, "summary: TODO");
    out.line(
        2,
        &format!(
            "source: {}",
            source(parent.as_deref().unwrap_or(&op.section), None)
        ),
    );
    if !cx.code_lists.is_empty() {
        out.line(0, "");
        out.line(0, "code_lists:");
        for c in &cx.code_lists {
            out.checks(2, &c.checks);
            out.line(2, &format!("{}:", scalar(&c.name)));
            out.line(
                4,
                &format!("type: {}", if c.integer { "integer" } else { "string" }),
            );
            out.line(4, "description: TODO");
            out.comment(4, &format!("read from line {}", c.line));
            out.line(
                4,
                &format!("source: {}", source(&op.section, c.table.as_deref())),
            );
            out.line(4, "values:");
            for e in &c.entries {
                out.line(6, &format!("- {e}"));
            }
        }
    }
    if !types.is_empty() || !reused.is_empty() {
        out.line(0, "");
        out.line(0, "types:");
        for r in reused {
            out.comment(2, r);
        }
        if types.is_empty() {
            out.line(2, "{}");
        }
        for t in types {
            out.checks(2, &t.checks);
            out.line(2, &format!("{}:", scalar(&t.name)));
            out.line(4, "description: TODO");
            out.line(
                4,
                &format!("source: {}", source(&op.section, t.table.as_deref())),
            );
            if t.fields.is_empty() {
                out.line(4, "fields: []");
            } else {
                out.line(4, "fields:");
                for f in &t.fields {
                    out.checks(6, &f.checks);
                    out.line(6, &format!("- {}", f.flow));
                }
            }
        }
    }
    operation::extra_error_codes(out, cx);
    out.line(0, "");
    out.line(0, "operations:");
    operation::write(out, cx, params, request_body, responses);
}
