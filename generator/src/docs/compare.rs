//! Compares the documented model with the spec, fact by fact.
//!
//! Operations are matched by method and path, then by section number and Chinese title (so a
//! changed path is one `path_changed`, not a removal and an addition). Within a matched
//! operation: parameters by location and name, body and response fields by their path, nested
//! types by the type a field names (each spec type is compared once, where it is first reached),
//! code values by value (each code list value once), error rows by code. A difference is
//! explained when a [`Claim`] names it (kind, section, item and, optionally, the documented
//! value); a claim that explains nothing is reported as `fixup_stale`.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::model::{Constraint, DocType, Document, Example, Operation, Row};
use super::read::lines;
use super::spec_view::{SpecExample, SpecField, SpecOperation, SpecType, SpecView};
use crate::ir::{Constraints, TypeExpr};

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
    /// Section of the document.
    pub section: String,
    /// Item, as in the drift.
    pub item: String,
    /// What the document states, as in the drift's `document`; absent matches any value.
    #[serde(default)]
    pub document: Option<String>,
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

struct Cx<'a> {
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
struct At {
    section: Option<String>,
    operation: Option<String>,
    location: Option<String>,
}

fn norm_title(s: &str) -> String {
    lines::half_width(s).split_whitespace().collect()
}

impl Cx<'_> {
    #[allow(clippy::too_many_arguments)]
    fn fact(
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
        let claim = self.claims.iter().position(|cl| {
            cl.kind == kind
                && at.section.as_deref() == Some(cl.section.as_str())
                && cl.item == item
                && (cl.document.is_none() || cl.document == document)
        });
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

    fn skip(&mut self, what: &str) {
        *self.not_compared.entry(what.to_string()).or_insert(0) += 1;
    }

    fn section_at(&self, line: usize) -> Option<String> {
        self.doc
            .sections
            .iter()
            .take_while(|s| s.line <= line)
            .last()
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
    let pairs = match_operations(&mut cx);
    for (d, s) in &pairs {
        operation(&mut cx, &doc.operations[*d], &spec.operations[*s]);
    }
    global_errors(&mut cx);
    rate_limits(&mut cx, &pairs);
    permissions(&mut cx, &pairs);
    for _ in doc.operations.iter().flat_map(|o| &o.other_tables) {
        cx.skip("tables of operation sections the reader does not interpret");
    }
    cx.skip("descriptions (prose is not compared)");
    for (i, c) in claims.iter().enumerate() {
        if !cx.used[i] {
            let at = At {
                section: Some(c.section.clone()),
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
    }
}

fn match_operations(cx: &mut Cx) -> Vec<(usize, usize)> {
    let (doc, spec) = (cx.doc, cx.spec);
    let mut spec_used = vec![false; spec.operations.len()];
    let mut doc_match: Vec<Option<usize>> = vec![None; doc.operations.len()];
    for (i, d) in doc.operations.iter().enumerate() {
        let cands: Vec<usize> = (0..spec.operations.len())
            .filter(|&j| {
                !spec_used[j]
                    && spec.operations[j].method == d.method
                    && spec.operations[j].path == d.path
            })
            .collect();
        let pick = cands
            .iter()
            .copied()
            .find(|&j| spec.operations[j].section == d.section)
            .or(cands.first().copied());
        if let Some(j) = pick {
            spec_used[j] = true;
            doc_match[i] = Some(j);
        }
    }
    // Second pass: a changed path or method keeps its section and title.
    for (i, d) in doc.operations.iter().enumerate() {
        if doc_match[i].is_some() {
            continue;
        }
        let title = norm_title(&d.title);
        let by = |f: &dyn Fn(&SpecOperation) -> bool| {
            (0..spec.operations.len()).find(|&j| !spec_used[j] && f(&spec.operations[j]))
        };
        let pick = by(&|s| s.section == d.section && norm_title(&s.title_zh) == title)
            .or_else(|| by(&|s| norm_title(&s.title_zh) == title))
            .or_else(|| by(&|s| s.section == d.section));
        if let Some(j) = pick {
            spec_used[j] = true;
            doc_match[i] = Some(j);
        }
    }
    let mut pairs = Vec::new();
    for (i, d) in doc.operations.iter().enumerate() {
        let at = At {
            section: Some(d.section.clone()),
            operation: None,
            location: None,
        };
        match doc_match[i] {
            Some(j) => {
                let s = &spec.operations[j];
                let at = At {
                    operation: Some(s.id.clone()),
                    location: Some(s.location.clone()),
                    ..at
                };
                cx.fact(
                    "operations",
                    s.path == d.path,
                    DriftKind::PathChanged,
                    &at,
                    "path",
                    Some(d.uri_line),
                    Some(d.path.clone()),
                    Some(s.path.clone()),
                    "the documented path differs",
                );
                cx.fact(
                    "operations",
                    s.method == d.method,
                    DriftKind::MethodChanged,
                    &at,
                    "method",
                    Some(d.uri_line),
                    Some(d.method.clone()),
                    Some(s.method.clone()),
                    "the documented method differs",
                );
                pairs.push((i, j));
            }
            None => {
                let msg = format!(
                    "a documented operation the spec lacks: start from `bss-codegen docs draft --doc FILE --section {}`",
                    d.section
                );
                cx.fact(
                    "operations",
                    false,
                    DriftKind::OperationAdded,
                    &at,
                    &format!("{} {}", d.method, d.path),
                    Some(d.line),
                    Some(d.title.clone()),
                    None,
                    &msg,
                );
            }
        }
    }
    for (j, s) in spec.operations.iter().enumerate() {
        if !spec_used[j] {
            let at = At {
                section: Some(s.section.clone()),
                operation: Some(s.id.clone()),
                location: Some(s.location.clone()),
            };
            cx.fact("operations", false, DriftKind::OperationRemoved, &at, &format!("{} {}", s.method, s.path), None, None, Some(s.id.clone()), "the spec has an operation of the partner reference that the document no longer documents");
        }
    }
    pairs
}

fn operation(cx: &mut Cx, d: &Operation, s: &SpecOperation) {
    let at = At {
        section: Some(d.section.clone()),
        operation: Some(s.id.clone()),
        location: Some(s.location.clone()),
    };
    cx.fact(
        "deprecations",
        d.deprecated == s.deprecated,
        DriftKind::DeprecationChanged,
        &at,
        "deprecated",
        Some(d.line),
        Some(d.deprecated.to_string()),
        Some(s.deprecated.to_string()),
        "the document and the spec disagree on whether the operation is deprecated",
    );
    // Parameters.
    let mut seen: BTreeSet<(&str, String)> = BTreeSet::new();
    for (loc, row) in d.parameters() {
        let item = format!("{loc}.{}", row.name);
        seen.insert((loc, row.name.clone()));
        match s
            .params
            .iter()
            .find(|(l, p)| *l == loc && p.name == row.name)
        {
            Some((_, p)) => {
                cx.fact(
                    "parameters",
                    true,
                    DriftKind::ParameterAdded,
                    &at,
                    &item,
                    Some(row.line),
                    None,
                    None,
                    "",
                );
                field(cx, &at, &item, row, p);
            }
            None => cx.fact(
                "parameters",
                false,
                DriftKind::ParameterAdded,
                &at,
                &item,
                Some(row.line),
                row.type_text.clone(),
                None,
                "a documented parameter the spec lacks",
            ),
        }
    }
    for (loc, p) in &s.params {
        if !seen.contains(&(*loc, p.name.clone())) {
            let item = format!("{loc}.{}", p.name);
            cx.fact(
                "parameters",
                false,
                DriftKind::ParameterRemoved,
                &at,
                &item,
                None,
                None,
                Some(type_text(&p.ty)),
                "a spec parameter the section does not document",
            );
        }
    }
    // Request body.
    match &s.body {
        Some(t) => fields(cx, d, &at, "body", &d.body, t),
        None => {
            for row in &d.body {
                cx.fact(
                    "fields",
                    false,
                    DriftKind::FieldAdded,
                    &at,
                    &format!("body.{}", row.name),
                    Some(row.line),
                    row.type_text.clone(),
                    None,
                    "a documented body field; the spec has no request body",
                );
            }
        }
    }
    // Responses: the table of each status goes with the spec's response of that status; a table
    // without a status goes with the success response.
    // A status heading without a table (`状态码: 204`, or one printed before the example)
    // states no fields.
    for r in d.responses.iter().filter(|r| !r.rows.is_empty()) {
        let spec_ty = match r.status {
            Some(st) => s
                .responses
                .iter()
                .find(|(x, _)| *x == st)
                .and_then(|(_, t)| t.clone()),
            None => s
                .responses
                .iter()
                .find(|(x, _)| (200..300).contains(x))
                .and_then(|(_, t)| t.clone()),
        };
        let prefix = match r.status {
            Some(st) if !(200..300).contains(&st) => format!("response({st})"),
            _ => "response".to_string(),
        };
        match spec_ty {
            Some(t) => fields(cx, d, &at, &prefix, &r.rows, &t),
            None if r.rows.is_empty() => {}
            None if r.rows.iter().all(|row| row.name.starts_with("error_")) => cx.skip(
                "error fields listed for a response without a body (the error body is shared)",
            ),
            None if r.status.is_some_and(|st| st >= 400) => cx.skip(
                "error-status response tables the spec gives no type (the error body is shared)",
            ),
            None => {
                for row in &r.rows {
                    cx.fact(
                        "fields",
                        false,
                        DriftKind::FieldAdded,
                        &at,
                        &format!("{prefix}.{}", row.name),
                        Some(row.line),
                        row.type_text.clone(),
                        None,
                        "a documented response field; the spec's response has no body type",
                    );
                }
            }
        }
    }
    errors(cx, d, s, &at);
    examples(cx, d, s, &at);
}

fn fields(cx: &mut Cx, d: &Operation, at: &At, prefix: &str, rows: &[Row], spec_type: &str) {
    let table = (rows.first().map_or(0, |r| r.line), spec_type.to_string());
    if cx.stack.iter().any(|t| t == spec_type)
        || cx.stack.len() > 16
        || !cx.compared_tables.insert(table)
    {
        return;
    }
    let Some(st) = cx.spec.types.get(spec_type) else {
        cx.skip("types the spec names but does not define");
        return;
    };
    cx.stack.push(spec_type.to_string());
    fields_of(cx, d, at, prefix, rows, spec_type, st);
    cx.stack.pop();
}

fn fields_of(
    cx: &mut Cx,
    d: &Operation,
    at: &At,
    prefix: &str,
    rows: &[Row],
    spec_type: &str,
    st: &SpecType,
) {
    let at = At {
        location: Some(st.location.clone()),
        ..at.clone()
    };
    let mut seen = BTreeSet::new();
    for row in rows {
        let item = format!("{prefix}.{}", row.name);
        seen.insert(row.name.as_str());
        let Some(f) = st.fields.iter().find(|f| f.name == row.name) else {
            cx.fact(
                "fields",
                false,
                DriftKind::FieldAdded,
                &at,
                &item,
                Some(row.line),
                row.type_text.clone(),
                None,
                &format!("a documented field that spec type {spec_type} lacks"),
            );
            continue;
        };
        cx.fact(
            "fields",
            true,
            DriftKind::FieldAdded,
            &at,
            &item,
            Some(row.line),
            None,
            None,
            "",
        );
        field(cx, &at, &item, row, f);
        if let (Some(doc_name), Some(spec_name)) =
            (row.ty.as_ref().and_then(DocType::named), f.ty.named())
        {
            let sep = if matches!(f.ty, TypeExpr::List(_)) {
                "[]"
            } else {
                ""
            };
            match d
                .nested(doc_name)
                .or_else(|| nested_by_spec_name(cx, d, spec_name))
            {
                Some(t) => fields(cx, d, &at, &format!("{item}{sep}"), &t.rows, spec_name),
                None => cx.skip("nested types whose table is not in the operation's section"),
            }
        }
    }
    for f in &st.fields {
        if !seen.contains(f.name.as_str()) && !f.from_example {
            cx.fact(
                "fields",
                false,
                DriftKind::FieldRemoved,
                &at,
                &format!("{prefix}.{}", f.name),
                None,
                None,
                Some(type_text(&f.ty)),
                &format!("a field of spec type {spec_type} the document's table does not list"),
            );
        }
    }
}

fn nested_by_spec_name<'d>(
    cx: &Cx,
    d: &'d Operation,
    spec_name: &str,
) -> Option<&'d super::model::NestedType> {
    let doc_name = cx
        .spec
        .types
        .get(spec_name)
        .and_then(|t| t.doc_name.clone());
    d.nested(doc_name.as_deref().unwrap_or(spec_name))
}

fn type_text(t: &TypeExpr) -> String {
    match t {
        TypeExpr::String => "string".into(),
        TypeExpr::Integer => "integer".into(),
        TypeExpr::Long => "long".into(),
        TypeExpr::Decimal => "decimal".into(),
        TypeExpr::Number => "number".into(),
        TypeExpr::Boolean => "boolean".into(),
        TypeExpr::DateTime => "date-time".into(),
        TypeExpr::Date => "date".into(),
        TypeExpr::Month => "month".into(),
        TypeExpr::Json => "json".into(),
        TypeExpr::List(i) => format!("list<{}>", type_text(i)),
        TypeExpr::Map(i) => format!("map<{}>", type_text(i)),
        TypeExpr::Named(n) => n.clone(),
    }
}

fn types_agree(cx: &Cx, d: &DocType, s: &TypeExpr) -> bool {
    match (d, s) {
        (
            DocType::String,
            TypeExpr::String | TypeExpr::DateTime | TypeExpr::Date | TypeExpr::Month,
        ) => true,
        (DocType::Integer, TypeExpr::Integer)
        | (DocType::Long, TypeExpr::Long)
        | (DocType::Boolean, TypeExpr::Boolean) => true,
        (
            DocType::Double | DocType::BigDecimal | DocType::Number,
            TypeExpr::Decimal | TypeExpr::Number,
        ) => true,
        (DocType::List(a), TypeExpr::List(b)) => types_agree(cx, a, b),
        (DocType::Object(n), TypeExpr::Named(m)) => {
            n == m || cx.spec.types.get(m).and_then(|t| t.doc_name.as_deref()) == Some(n.as_str())
        }
        _ => false,
    }
}

fn field(cx: &mut Cx, at: &At, item: &str, row: &Row, f: &SpecField) {
    if let Some(dt) = &row.ty {
        let printed: String = row
            .type_text
            .as_deref()
            .unwrap_or("")
            .split_whitespace()
            .collect();
        let recorded = f
            .doc_type
            .as_ref()
            .is_some_and(|t| t.split_whitespace().collect::<String>() == printed);
        let ok = recorded || types_agree(cx, dt, &f.ty);
        cx.fact(
            "types",
            ok,
            DriftKind::TypeChanged,
            at,
            item,
            Some(row.line),
            row.type_text.clone(),
            Some(f.doc_type.clone().unwrap_or_else(|| type_text(&f.ty))),
            "the documented type and the spec's type disagree",
        );
    }
    if let Some(r) = row.required {
        cx.fact(
            "required",
            r == f.required,
            DriftKind::RequiredChanged,
            at,
            item,
            Some(row.line),
            Some(r.to_string()),
            Some(f.required.to_string()),
            "the documented mandatory flag differs",
        );
    }
    if row
        .constraints
        .iter()
        .any(|c| matches!(c, Constraint::Unparsed { .. }))
    {
        cx.skip("range cells the reader cannot read");
    } else {
        let expected = expected_constraints(&row.constraints, &f.ty);
        let ok = constraints_agree(&expected, &f.constraints, &row.constraints, &f.ty);
        cx.fact(
            "constraints",
            ok,
            DriftKind::ConstraintChanged,
            at,
            item,
            Some(row.line),
            Some(show(&expected)),
            Some(show(&f.constraints)),
            "the documented range or length differs",
        );
    }
    code_values(cx, at, item, row, f);
}

/// The single number of a one-value list (`[6]`, `[-1]`): on a string a length, on a number the
/// value itself.
fn single_number(cs: &[Constraint]) -> Option<i64> {
    cs.iter().find_map(|c| match c {
        Constraint::Values { values } if values.len() == 1 => values[0].parse().ok(),
        _ => None,
    })
}

fn expected_constraints(cs: &[Constraint], ty: &TypeExpr) -> Constraints {
    let list = matches!(ty, TypeExpr::List(_));
    let integral = matches!(ty, TypeExpr::Integer | TypeExpr::Long);
    let numeric = integral || matches!(ty, TypeExpr::Decimal | TypeExpr::Number);
    let mut out = Constraints::default();
    for c in cs {
        match c {
            Constraint::MaxLength { value } if list => out.max_items = Some(*value),
            Constraint::MaxLength { value } => out.max_length = Some(*value),
            Constraint::MinLength { value } => out.min_length = Some(*value),
            Constraint::MaxItems { value } => out.max_items = Some(*value),
            Constraint::Minimum { value } => out.minimum = Some(*value),
            Constraint::Maximum { value } => out.maximum = Some(*value),
            Constraint::Range {
                min,
                max,
                min_exclusive,
                max_exclusive,
                max_integer,
            } => {
                // An excluded end is one step inside on integers; the spec cannot say it on
                // decimals, where the end is left out.
                let min = if *min_exclusive {
                    min.map(|m| m + 1).filter(|_| integral)
                } else {
                    *min
                };
                let max = if *max_exclusive {
                    max.map(|m| m - 1).filter(|_| integral)
                } else {
                    *max
                };
                let max = match (max, max_integer, ty) {
                    (None, true, TypeExpr::Long) => Some(i64::MAX),
                    (None, true, _) => Some(i64::from(i32::MAX)),
                    (m, _, _) => m,
                };
                if list {
                    out.min_items = min.and_then(|m| u64::try_from(m).ok());
                    out.max_items = max.and_then(|m| u64::try_from(m).ok());
                } else if numeric || !matches!(ty, TypeExpr::String) {
                    out.minimum = min;
                    out.maximum = max;
                } else {
                    out.min_length = min.and_then(|m| u64::try_from(m).ok());
                    out.max_length = max.and_then(|m| u64::try_from(m).ok());
                }
            }
            Constraint::Values { .. } | Constraint::Unparsed { .. } => {}
        }
    }
    if let Some(n) = single_number(cs) {
        if numeric {
            out.minimum = Some(n);
            out.maximum = Some(n);
        } else if let (TypeExpr::String, Ok(n)) = (ty, u64::try_from(n)) {
            out.min_length = Some(n);
            out.max_length = Some(n);
        }
    }
    out
}

/// Whether the documented constraints and the spec's agree. Two readings are accepted besides
/// equality: a list of integer values the spec encodes as their range (`[0,1]` as 0..=1), and
/// the 32-bit bound of `integer` that the spec may state where the document gives no maximum.
fn constraints_agree(
    doc: &Constraints,
    spec: &Constraints,
    cs: &[Constraint],
    ty: &TypeExpr,
) -> bool {
    if doc == spec {
        return true;
    }
    let mut alt = doc.clone();
    let ints: Vec<i64> = cs
        .iter()
        .flat_map(|c| match c {
            Constraint::Values { values } => values.iter().filter_map(|v| v.parse().ok()).collect(),
            _ => Vec::new(),
        })
        .collect();
    if matches!(ty, TypeExpr::Integer | TypeExpr::Long) && !ints.is_empty() {
        alt.minimum = ints.iter().min().copied();
        alt.maximum = ints.iter().max().copied();
        if alt == *spec {
            return true;
        }
        alt = doc.clone();
    }
    if matches!(ty, TypeExpr::Integer)
        && alt.maximum.is_none()
        && spec.maximum == Some(i64::from(i32::MAX))
    {
        alt.maximum = spec.maximum;
    }
    alt == *spec
}

fn show(c: &Constraints) -> String {
    let mut parts = Vec::new();
    let mut add = |n: &str, v: Option<String>| {
        if let Some(v) = v {
            parts.push(format!("{n}={v}"));
        }
    };
    add("min_length", c.min_length.map(|v| v.to_string()));
    add("max_length", c.max_length.map(|v| v.to_string()));
    add("minimum", c.minimum.map(|v| v.to_string()));
    add("maximum", c.maximum.map(|v| v.to_string()));
    add("min_items", c.min_items.map(|v| v.to_string()));
    add("max_items", c.max_items.map(|v| v.to_string()));
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}

fn code_values(cx: &mut Cx, at: &At, item: &str, row: &Row, f: &SpecField) {
    let mut doc: Vec<String> = row.code_values.iter().map(|c| c.value.clone()).collect();
    let length = matches!(f.ty, TypeExpr::String) && single_number(&row.constraints).is_some();
    for c in row.constraints.iter().filter(|_| !length) {
        if let Constraint::Values { values } = c {
            for v in values {
                if !doc.contains(v) {
                    doc.push(v.clone());
                }
            }
        }
    }
    let Some(list) = &f.code_list else {
        for v in doc {
            cx.fact(
                "code_values",
                false,
                DriftKind::CodeValueAdded,
                at,
                item,
                Some(row.line),
                Some(v),
                None,
                "the document lists code values; the spec field has no code list",
            );
        }
        return;
    };
    let spec: Vec<String> = cx.spec.code_lists.get(list).cloned().unwrap_or_default();
    if doc.is_empty() {
        cx.skip("code lists whose values the field's cells do not print");
        return;
    }
    for v in &doc {
        let ok = spec.contains(v);
        let kind = DriftKind::CodeValueAdded;
        if !ok && !cx.seen_codes.insert((list.clone(), v.clone(), kind)) {
            continue;
        }
        cx.fact(
            "code_values",
            ok,
            kind,
            at,
            item,
            Some(row.line),
            Some(v.clone()),
            Some(list.clone()),
            "a documented code value the spec's code list lacks",
        );
    }
    for v in &spec {
        if doc.contains(v) {
            continue;
        }
        let kind = DriftKind::CodeValueRemoved;
        if !cx.seen_codes.insert((list.clone(), v.clone(), kind)) {
            continue;
        }
        cx.fact(
            "code_values",
            false,
            kind,
            at,
            item,
            Some(row.line),
            None,
            Some(format!("{list}: {v}")),
            "a value of the spec's code list the document does not list here",
        );
    }
}

fn errors(cx: &mut Cx, d: &Operation, s: &SpecOperation, at: &At) {
    let mut seen = BTreeSet::new();
    for e in &d.errors {
        if !seen.insert(e.code.clone()) {
            continue;
        }
        match s.errors.iter().find(|(_, c)| *c == e.code) {
            None => cx.fact(
                "errors",
                false,
                DriftKind::ErrorCodeAdded,
                at,
                &e.code,
                Some(e.line),
                e.status.map(|s| s.to_string()),
                None,
                "a documented error row the spec's operation lacks",
            ),
            Some((st, _)) => {
                let ok = e.status.is_none_or(|x| x == *st);
                cx.fact(
                    "errors",
                    ok,
                    DriftKind::ErrorCodeChanged,
                    at,
                    &e.code,
                    Some(e.line),
                    e.status.map(|s| s.to_string()),
                    Some(st.to_string()),
                    "the documented status of the error row differs",
                );
            }
        }
    }
    for (st, c) in &s.errors {
        if !seen.contains(c) {
            cx.fact(
                "errors",
                false,
                DriftKind::ErrorCodeRemoved,
                at,
                c,
                None,
                None,
                Some(st.to_string()),
                "a spec error row the section does not list",
            );
        }
    }
}

fn global_errors(cx: &mut Cx) {
    let section = cx
        .doc
        .global_errors
        .first()
        .and_then(|e| cx.section_at(e.line));
    let at = At {
        section,
        operation: None,
        location: Some("spec/errors.yaml: error_codes".into()),
    };
    let mut seen = BTreeSet::new();
    for e in &cx.doc.global_errors {
        seen.insert(e.code.clone());
        match cx.spec.errors.iter().find(|s| s.code == e.code) {
            None => cx.fact(
                "global_errors",
                false,
                DriftKind::ErrorCodeAdded,
                &at,
                &e.code,
                Some(e.line),
                Some(format!("{} {}", e.status, e.message)),
                None,
                "a row of the global error table the spec lacks",
            ),
            Some(s) => {
                let ok = s.status == e.status && lines::cell(&s.message) == e.message;
                cx.fact(
                    "global_errors",
                    ok,
                    DriftKind::ErrorCodeChanged,
                    &at,
                    &e.code,
                    Some(e.line),
                    Some(format!("{} {}", e.status, e.message)),
                    Some(format!("{} {}", s.status, s.message)),
                    "the status or message of the global error row differs",
                );
            }
        }
    }
    let spec_errors = cx.spec.errors.clone();
    for s in spec_errors.iter().filter(|s| !seen.contains(&s.code)) {
        cx.fact(
            "global_errors",
            false,
            DriftKind::ErrorCodeRemoved,
            &at,
            &s.code,
            None,
            None,
            Some(format!("{} {}", s.status, s.message)),
            "a spec row the global error table does not list",
        );
    }
}

/// Finds the spec operation a row of 3.3 or 3.4 describes: by title, then by method and path.
fn row_operation(
    cx: &Cx,
    pairs: &[(usize, usize)],
    title: &str,
    method: &str,
    path: &str,
) -> Option<usize> {
    let t = norm_title(title);
    let current: Vec<usize> = pairs
        .iter()
        .filter(|(d, _)| !cx.doc.operations[*d].deprecated)
        .map(|(_, s)| *s)
        .collect();
    let titled: Vec<usize> = current
        .iter()
        .copied()
        .filter(|&s| norm_title(&cx.spec.operations[s].title_zh) == t)
        .collect();
    let exact = |c: &[usize]| {
        c.iter()
            .copied()
            .find(|&s| cx.spec.operations[s].method == method && cx.spec.operations[s].path == path)
    };
    exact(&titled)
        .or(titled.first().copied())
        .or_else(|| exact(&current))
}

fn rate_limits(cx: &mut Cx, pairs: &[(usize, usize)]) {
    let mut covered = BTreeSet::new();
    for r in &cx.doc.rate_limits {
        let section = cx.section_at(r.line);
        let found = row_operation(cx, pairs, &r.title, &r.method, &r.path);
        covered.extend(found);
        let doc = format!(
            "{}/{}s {}",
            r.requests,
            r.per_seconds,
            r.dimensions.join(",")
        );
        let Some(j) = found else {
            let at = At {
                section,
                operation: None,
                location: None,
            };
            cx.fact(
                "rate_limits",
                false,
                DriftKind::RateLimitChanged,
                &at,
                "rate_limit",
                Some(r.line),
                Some(doc),
                None,
                &format!(
                    "a rate-limit row ({} {} {}) that matches no operation of the spec",
                    r.title, r.method, r.path
                ),
            );
            continue;
        };
        let s = &cx.spec.operations[j];
        let at = At {
            section,
            operation: Some(s.id.clone()),
            location: Some(s.location.clone()),
        };
        let spec = s
            .rate_limit
            .as_ref()
            .map(|(n, w, d)| format!("{n}/{w}s {}", d.join(",")));
        cx.fact(
            "rate_limits",
            spec.as_deref() == Some(doc.as_str()),
            DriftKind::RateLimitChanged,
            &at,
            "rate_limit",
            Some(r.line),
            Some(doc),
            spec,
            "the documented rate limit differs",
        );
    }
    for (j, s) in cx.spec.operations.iter().enumerate() {
        if s.rate_limit.is_some() && !covered.contains(&j) && !s.deprecated {
            let at = At {
                section: Some(s.section.clone()),
                operation: Some(s.id.clone()),
                location: Some(s.location.clone()),
            };
            let spec = s
                .rate_limit
                .as_ref()
                .map(|(n, w, d)| format!("{n}/{w}s {}", d.join(",")));
            cx.fact(
                "rate_limits",
                false,
                DriftKind::RateLimitChanged,
                &at,
                "rate_limit",
                None,
                None,
                spec,
                "the spec has a rate limit no row of the rate-limit table gives",
            );
        }
    }
}

fn permissions(cx: &mut Cx, pairs: &[(usize, usize)]) {
    let mut covered = BTreeSet::new();
    for p in &cx.doc.permissions {
        let section = cx.section_at(p.line);
        let found = row_operation(cx, pairs, &p.title, &p.method, &p.path);
        covered.extend(found);
        let doc = format!("{} [{}]", p.items.join(" "), p.names.join("; "));
        let Some(j) = found else {
            let at = At {
                section,
                operation: None,
                location: None,
            };
            cx.fact(
                "permissions",
                false,
                DriftKind::PermissionChanged,
                &at,
                "permission",
                Some(p.line),
                Some(doc),
                None,
                &format!(
                    "a permission row ({} {} {}) that matches no operation of the spec",
                    p.title, p.method, p.path
                ),
            );
            continue;
        };
        let s = &cx.spec.operations[j];
        let at = At {
            section,
            operation: Some(s.id.clone()),
            location: Some(s.location.clone()),
        };
        let spec = s.permission.as_ref().map(|(i, n)| {
            format!(
                "{} [{}]",
                i.join(" "),
                n.iter()
                    .map(|x| lines::half_width(x).replace(" (", "("))
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        });
        cx.fact(
            "permissions",
            spec.as_deref() == Some(doc.as_str()),
            DriftKind::PermissionChanged,
            &at,
            "permission",
            Some(p.line),
            Some(doc),
            spec,
            "the documented permission differs",
        );
    }
    for (j, s) in cx.spec.operations.iter().enumerate() {
        if s.permission.is_some() && !covered.contains(&j) {
            let at = At {
                section: Some(s.section.clone()),
                operation: Some(s.id.clone()),
                location: Some(s.location.clone()),
            };
            cx.fact(
                "permissions",
                false,
                DriftKind::PermissionChanged,
                &at,
                "permission",
                None,
                None,
                s.permission.as_ref().map(|(i, _)| i.join(" ")),
                "the spec has a permission no row of the permission table gives",
            );
        }
    }
}

fn same_body(doc: &Example, spec: Option<&str>) -> bool {
    match (&doc.body, spec) {
        (None, None) => true,
        (Some(_), None) | (None, Some(_)) => false,
        (Some(text), Some(s)) => match (&doc.json, serde_json::from_str::<serde_json::Value>(s)) {
            (Some(a), Ok(b)) => *a == b,
            _ => {
                text.split_whitespace().collect::<String>()
                    == s.split_whitespace().collect::<String>()
            }
        },
    }
}

fn examples(cx: &mut Cx, d: &Operation, s: &SpecOperation, at: &At) {
    let spec: Vec<&SpecExample> = s.examples.iter().collect();
    for (i, e) in d.request_examples.iter().enumerate() {
        let se = spec.get(i);
        let item = format!("request_example[{i}]");
        let ok = se.is_some_and(|x| {
            same_body(e, x.request_body.as_deref()) && (e.query.is_none() || e.query == x.query)
        });
        cx.fact(
            "examples",
            ok,
            DriftKind::ExampleChanged,
            at,
            &item,
            Some(e.line),
            e.body.clone().or(e.query.clone()),
            se.and_then(|x| x.request_body.clone().or(x.query.clone())),
            "the documented request example differs",
        );
    }
    let with_response: Vec<&&SpecExample> = spec
        .iter()
        .filter(|x| x.response_body.is_some() || x.response_status.is_some())
        .collect();
    for (i, e) in d.response_examples.iter().enumerate() {
        let se = with_response.get(i);
        let item = format!("response_example[{i}]");
        let ok = se.is_some_and(|x| {
            same_body(e, x.response_body.as_deref())
                && (e.status.is_none() || e.status == x.response_status)
        });
        cx.fact(
            "examples",
            ok,
            DriftKind::ExampleChanged,
            at,
            &item,
            Some(e.line),
            e.body.clone(),
            se.and_then(|x| x.response_body.clone()),
            "the documented response example differs",
        );
    }
}

/// The report as text, ending with the counts per class.
pub fn to_text(r: &Report) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "document version {} ({})\n",
        r.document.version.as_deref().unwrap_or("?"),
        r.document.date.as_deref().unwrap_or("?")
    ));
    for d in &r.drift {
        out.push_str(&format!(
            "{} §{} {} {}{}: {}{}{}\n",
            d.kind.as_str(),
            d.section.as_deref().unwrap_or("?"),
            d.operation.as_deref().unwrap_or("-"),
            d.item,
            d.doc_line
                .map(|l| format!(" (line {l})"))
                .unwrap_or_default(),
            d.message,
            d.document
                .as_ref()
                .map(|x| format!("; document: {}", one_line(x)))
                .unwrap_or_default(),
            d.spec
                .as_ref()
                .map(|x| format!("; spec: {}", one_line(x)))
                .unwrap_or_default(),
        ));
    }
    out.push_str("\nnot compared:\n");
    for (what, n) in &r.not_compared {
        out.push_str(&format!("  {what}: {n}\n"));
    }
    out.push_str("\ndrift by kind:\n");
    for (k, n) in r.drift_by_kind() {
        out.push_str(&format!("  {k}: {n}\n"));
    }
    out.push_str("\nclaims by kind:\n");
    for (k, n) in &r.claims_by_kind {
        out.push_str(&format!("  {k}: {n}\n"));
    }
    out.push_str(&format!(
        "\n{:<16} {:>9} {:>7} {:>9} {:>6} {:>8}\n",
        "class", "compared", "equal", "explained", "drift", "repeated"
    ));
    for (class, c) in &r.classes {
        out.push_str(&format!(
            "{:<16} {:>9} {:>7} {:>9} {:>6} {:>8}\n",
            class, c.compared, c.equal, c.explained, c.drift, c.repeated
        ));
    }
    out
}

fn one_line(s: &str) -> String {
    let t: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() > 120 {
        format!("{}…", t.chars().take(120).collect::<String>())
    } else {
        t
    }
}

/// The report as a pull-request comment.
pub fn to_markdown(r: &Report) -> String {
    let mut out = format!(
        "### Document revision {} ({}): {} unexplained difference(s), {} explained\n\n",
        r.document.version.as_deref().unwrap_or("?"),
        r.document.date.as_deref().unwrap_or("?"),
        r.drift.len(),
        r.explained
    );
    if !r.drift.is_empty() {
        out.push_str("| kind | section | operation | item | line | document | spec |\n|---|---|---|---|---|---|---|\n");
        for d in &r.drift {
            let cell = |s: &Option<String>| {
                s.as_deref()
                    .map(|x| format!("`{}`", one_line(x).replace('|', "\\|").replace('`', "'")))
                    .unwrap_or_default()
            };
            out.push_str(&format!(
                "| {} | {} | {} | `{}` | {} | {} | {} |\n",
                d.kind.as_str(),
                d.section.as_deref().unwrap_or(""),
                d.operation.as_deref().unwrap_or(""),
                d.item,
                d.doc_line.map(|l| l.to_string()).unwrap_or_default(),
                cell(&d.document),
                cell(&d.spec)
            ));
        }
    }
    out.push_str("\n| class | compared | equal | explained | drift | repeated |\n|---|---|---|---|---|---|\n");
    for (class, c) in &r.classes {
        out.push_str(&format!(
            "| {class} | {} | {} | {} | {} | {} |\n",
            c.compared, c.equal, c.explained, c.drift, c.repeated
        ));
    }
    out
}

/// The report as JSON (the contract other tools read).
pub fn to_json(r: &Report) -> String {
    serde_json::to_string_pretty(r).unwrap_or_default() + "\n"
}
