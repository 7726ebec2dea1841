//! Matching operations, and the comparison of one matched operation.

use std::collections::BTreeSet;

use super::examples::examples;
use super::fields::{field, fields, type_text};
use super::tables::errors;
use super::{At, Cx, DriftKind, norm_title};
use crate::docs::model::Operation;
use crate::docs::spec_view::SpecOperation;

pub(super) fn match_operations(cx: &mut Cx) -> Vec<(usize, usize)> {
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

pub(super) fn operation(cx: &mut Cx, d: &Operation, s: &SpecOperation) {
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
    // Request body.
    match &s.body {
        Some(t) => fields(cx, d, &at, "body", &d.body, t),
        None => {
            for row in &d.body {
                let item = format!("body.{}", row.name);
                cx.fact(
                    "fields",
                    false,
                    DriftKind::FieldAdded,
                    &at,
                    &item,
                    Some(row.line),
                    row.type_text.clone(),
                    None,
                    "a documented body field; the spec has no request body",
                );
                // A claim may say the spec sends the documented field as a parameter: the rest
                // of the row is compared with it.
                let Some(r) = cx.replaced(DriftKind::FieldAdded, &at, &item) else {
                    continue;
                };
                let Some((loc, name)) = r.split_once('.') else {
                    continue;
                };
                if let Some((_, p)) = s.params.iter().find(|(l, p)| *l == loc && p.name == name) {
                    field(cx, &at, &item, row, p);
                }
            }
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
