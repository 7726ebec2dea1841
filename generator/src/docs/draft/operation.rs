//! The operation entry of a draft: responses, error rows, rate limit and permission of 3.3 and
//! 3.4, deprecation, pagination and examples.

use std::collections::BTreeSet;

use super::fields::{self, Entry, Place};
use super::yaml::{Flow, Out, scalar, seq};
use super::{Cx, TypeDraft, names, source};
use crate::docs::model::{Example, Row};
use crate::docs::read::lines;

/// The `responses` entries (rendered, with their checks).
pub(super) struct Responses {
    entries: Vec<(String, Vec<String>)>,
    success_type: Option<String>,
    success_status: u16,
}

/// Drafts the responses; body types go to `types`.
pub(super) fn responses(cx: &mut Cx, types: &mut Vec<TypeDraft>) -> Responses {
    let op = cx.op;
    let success = |s: &u16| (200..300).contains(s);
    let example_status = op
        .response_examples
        .iter()
        .filter_map(|e| e.status)
        .find(success);
    let stated = op.responses.iter().filter_map(|r| r.status).find(success);
    let mut checks = Vec::new();
    let status = stated.or(example_status).unwrap_or_else(|| {
        checks.push("the section prints no success status; 200 assumed".into());
        200
    });
    let rows: Vec<&Row> = op
        .responses
        .iter()
        .filter(|r| r.status.is_none_or(|s| success(&s)))
        .flat_map(|r| &r.rows)
        .collect();
    let errors_only = !rows.is_empty() && rows.iter().all(|r| r.name.starts_with("error_"));
    let mut entries = Vec::new();
    let mut success_type = None;
    if status == 204 || rows.is_empty() {
        if rows.is_empty() && status != 204 {
            checks.push(format!(
                "status {status} without a response table: no body type"
            ));
        }
        if !rows.is_empty() && !errors_only {
            checks.push("a response table printed for an answer without a body".into());
        }
        entries.push((
            Flow::default()
                .raw("status", status.to_string())
                .raw("description", "TODO")
                .render(),
            checks,
        ));
    } else {
        let name = format!("{}Response", cx.id);
        let fields = rows
            .iter()
            .map(|r| fields::row(cx, r, Place::Field, None))
            .collect();
        types.push(TypeDraft {
            name: name.clone(),
            table: None,
            checks: vec!["name derived from the operation id".into()],
            fields,
        });
        entries.push((
            Flow::default()
                .raw("status", status.to_string())
                .str("type", &name)
                .render(),
            checks,
        ));
        success_type = Some(name);
    }
    let failures: Vec<_> = op
        .responses
        .iter()
        .filter(|r| r.status.is_some_and(|s| s >= 300) && !r.rows.is_empty())
        .collect();
    for (k, r) in failures.iter().enumerate() {
        let st = r.status.unwrap_or_default();
        let name = if k == 0 {
            format!("{}ErrorResponse", cx.id)
        } else {
            format!("{}Error{st}Response", cx.id)
        };
        let fields = r
            .rows
            .iter()
            .map(|row| fields::row(cx, row, Place::Field, None))
            .collect();
        types.push(TypeDraft {
            name: name.clone(),
            table: None,
            checks: vec![format!(
                "line {}: the body of status {st}; name derived from the operation id",
                r.line
            )],
            fields,
        });
        entries.push((
            Flow::default()
                .raw("status", st.to_string())
                .str("type", &name)
                .render(),
            Vec::new(),
        ));
    }
    Responses {
        entries,
        success_type,
        success_status: status,
    }
}

/// Error rows, one per code in documented order: (status, code, checks).
fn error_rows(cx: &Cx) -> Vec<(u16, String, Vec<String>)> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for e in &cx.op.errors {
        if !seen.insert(e.code.clone()) {
            continue;
        }
        let mut checks = Vec::new();
        let global = cx.doc.global_errors.iter().find(|g| g.code == e.code);
        if e.joined {
            checks.push(format!(
                "line {}: the code is printed split by a line wrap; read as {}",
                e.line, e.code
            ));
        }
        let status = match (e.status, global) {
            (Some(s), Some(g)) if s != g.status => {
                checks.push(format!(
                    "line {}: the global table gives {} status {}; keep the section's and add an error_status fixup",
                    e.line, e.code, g.status
                ));
                s
            }
            (Some(s), _) => s,
            (None, Some(g)) => {
                checks.push(format!(
                    "line {}: no status printed; {} of the global table",
                    e.line, g.status
                ));
                g.status
            }
            (None, None) => {
                checks.push(format!(
                    "line {}: no status printed and the code is not in the global table; 400 assumed",
                    e.line
                ));
                400
            }
        };
        out.push((status, e.code.clone(), checks));
    }
    out
}

/// `extra_error_codes`: the codes of the section the global table lacks.
pub(super) fn extra_error_codes(out: &mut Out, cx: &Cx) {
    let known = |code: &str| {
        cx.doc.global_errors.iter().any(|g| g.code == code)
            || cx.spec.is_some_and(|v| {
                v.errors.iter().any(|e| e.code == code)
                    || v.operations
                        .iter()
                        .any(|o| o.errors.iter().any(|(_, c)| c == code))
            })
    };
    let extra: Vec<_> = error_rows(cx)
        .into_iter()
        .filter(|(_, code, _)| !known(code))
        .collect();
    if extra.is_empty() {
        return;
    }
    out.line(0, "");
    out.line(0, "extra_error_codes:");
    if cx.doc.global_errors.is_empty() {
        out.checks(
            2,
            &["the document has no global error table: every code is listed here; drop those errors.yaml has".into()],
        );
    }
    for (status, code, _) in extra {
        out.checks(
            2,
            &[format!(
                "{code} is not in the global error table; write its English message"
            )],
        );
        let e = Flow::default()
            .str("code", &code)
            .raw("http_status", status.to_string())
            .raw("message", "TODO")
            .raw("source", source(&cx.op.section, None));
        out.line(2, &format!("- {}", e.render()));
    }
}

fn norm_title(t: &str) -> String {
    lines::half_width(t)
        .split_whitespace()
        .collect::<String>()
        .replace("(旧)", "")
}

/// The row of 3.3 or 3.4 that describes the operation: by title (current operations only, since
/// retired ones share their titles), then by method and path.
fn table_row<'a, T>(
    cx: &Cx,
    rows: &'a [T],
    what: &str,
    title: impl Fn(&T) -> &str,
    url: impl Fn(&T) -> (&str, &str),
) -> Option<(&'a T, Vec<String>)> {
    let op = cx.op;
    let same_url = |r: &T| url(r) == (op.method.as_str(), op.path.as_str());
    let by_title: Vec<&T> = rows
        .iter()
        .filter(|r| !op.deprecated && norm_title(title(r)) == norm_title(&op.title))
        .collect();
    let mut checks = Vec::new();
    let row = match by_title.iter().find(|r| same_url(r)).or(by_title.first()) {
        Some(r) => {
            if !same_url(r) {
                let (m, p) = url(r);
                checks.push(format!(
                    "the {what} row of this title prints another URL ({m} {p}): a rate_limit_url or permission_name fixup may be needed"
                ));
            }
            *r
        }
        None => {
            let r = rows.iter().find(|r| same_url(r))?;
            checks.push(format!(
                "the {what} row was found by URL; its title differs from the section's"
            ));
            r
        }
    };
    Some((row, checks))
}

fn section_of(cx: &Cx, line: usize) -> String {
    let k = cx.doc.sections.partition_point(|s| s.line <= line);
    k.checked_sub(1)
        .and_then(|k| cx.doc.sections.get(k))
        .map_or_else(|| "TODO".into(), |s| s.number.clone())
}

/// Path parameter values of a request line (`GET https://host/v2/x/abc?q=1 HTTP/1.1`).
fn path_params(template: &str, request_line: &str) -> Option<Vec<(String, String)>> {
    let url = request_line.split_whitespace().nth(1)?;
    let path = match url.find("://") {
        Some(i) => &url[i + 3..][url[i + 3..].find('/')?..],
        None => url,
    };
    let path = path.split('?').next()?;
    let t: Vec<&str> = template.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    if t.len() != p.len() {
        return None;
    }
    Some(
        t.iter()
            .zip(&p)
            .filter_map(|(t, v)| {
                let name = t.strip_prefix('{')?.strip_suffix('}')?;
                Some((name.to_string(), v.to_string()))
            })
            .collect(),
    )
}

fn body_checks(e: &Example, what: &str) -> Vec<String> {
    match (&e.body, &e.json, &e.json_error) {
        (Some(_), None, err) => vec![format!(
            "line {}: the {what} body is not valid JSON ({}); add a repair with an example_repair fixup, or mark it unrepairable",
            e.line,
            err.as_deref().unwrap_or("unparsed")
        )],
        _ => Vec::new(),
    }
}

fn examples(out: &mut Out, cx: &Cx, success_status: u16) {
    let op = cx.op;
    let n = op.request_examples.len().max(op.response_examples.len());
    if n == 0 {
        return;
    }
    out.line(4, "examples:");
    for i in 0..n {
        let name = if i == 0 {
            "documented".to_string()
        } else {
            format!("documented_{}", i + 1)
        };
        out.line(6, &format!("- name: {name}"));
        if let Some(e) = op.request_examples.get(i) {
            let params = e
                .request_line
                .as_deref()
                .and_then(|l| path_params(&op.path, l));
            let has_path = op.path.contains('{');
            if e.query.is_some() || e.body.is_some() || (has_path && params.is_some()) {
                out.line(8, "request:");
                if let Some(q) = &e.query {
                    out.line(10, &format!("query: {}", scalar(q)));
                }
                match params {
                    Some(ps) if !ps.is_empty() => {
                        let f = ps.iter().fold(Flow::default(), |f, (k, v)| f.str(k, v));
                        out.line(10, &format!("path_params: {}", f.render()));
                    }
                    None if has_path => out.checks(
                        10,
                        &[format!(
                            "line {}: path parameter values not found in the request line",
                            e.line
                        )],
                    ),
                    _ => {}
                }
                if let Some(b) = &e.body {
                    out.checks(10, &body_checks(e, "request"));
                    out.text(10, "body", b);
                }
            }
        }
        if let Some(e) = op.response_examples.get(i) {
            out.line(8, "response:");
            let status = e.status.unwrap_or_else(|| {
                out.checks(
                    10,
                    &[format!(
                        "line {}: the example prints no status; {success_status} assumed",
                        e.line
                    )],
                );
                success_status
            });
            out.line(10, &format!("status: {status}"));
            if let Some(b) = &e.body {
                out.checks(10, &body_checks(e, "response"));
                out.text(10, "body", b);
            }
        }
    }
}

/// Offset and limit parameters or body fields, and the list the answer pages through.
fn pagination(cx: &Cx, success_type: Option<&str>) -> Option<String> {
    let op = cx.op;
    let names: Vec<&str> = op
        .query
        .iter()
        .chain(&op.body)
        .map(|r| r.name.as_str())
        .collect();
    let offset = ["offset", "page_index", "page_no"]
        .into_iter()
        .find(|n| names.contains(n))?;
    let limit = ["limit", "page_size"]
        .into_iter()
        .find(|n| names.contains(n))?;
    success_type?;
    let rows: Vec<&Row> = op
        .responses
        .iter()
        .filter(|r| r.status.is_none_or(|s| (200..300).contains(&s)))
        .flat_map(|r| &r.rows)
        .collect();
    let items = rows.iter().find(|r| {
        r.type_text
            .as_deref()
            .is_some_and(|t| t.to_ascii_lowercase().starts_with("list"))
    })?;
    let total = rows
        .iter()
        .find(|r| r.name == "total_count" || r.name == "total")
        .map(|r| scalar(&r.name));
    let unit = if offset == "offset" { "record" } else { "page" };
    Some(
        Flow::default()
            .str("offset", offset)
            .str("limit", limit)
            .raw("offset_unit", unit)
            .str("items", &items.name)
            .opt("total", total)
            .render(),
    )
}

/// The operation entry.
pub(super) fn write(
    out: &mut Out,
    cx: &Cx,
    params: &[Entry],
    request_body: Option<&str>,
    responses: &Responses,
) {
    let op = cx.op;
    if cx.existing.is_none() {
        out.checks(
            2,
            &["id derived from the method and path; use the PascalCase name of the public reference".into()],
        );
    }
    out.line(2, &format!("- id: {}", scalar(&cx.id)));
    out.line(4, &format!("title_zh: {}", scalar(&op.title)));
    out.line(4, "summary: TODO");
    out.line(4, &format!("source: {}", source(&op.section, None)));
    out.line(4, &format!("method: {}", op.method));
    out.line(4, &format!("path: {}", scalar(&op.path)));
    out.checks(4, &["who may call: the section's 接口约束".into()]);
    out.line(4, "callers: [partner]");
    out.checks(4, &["accepted credentials: the section's 接口约束".into()]);
    out.line(4, "auth: [aksk, token]");
    let query_title = op.title.contains("查询");
    let idempotent = op.method == "GET" || query_title;
    if op.method != "GET" {
        out.checks(
            4,
            &[format!(
                "{} {}: true only when repeating the call is harmless (a query)",
                op.method, op.path
            )],
        );
    }
    out.line(4, &format!("idempotent: {idempotent}"));
    let doc = cx.doc;
    match table_row(
        cx,
        &doc.rate_limits,
        "rate-limit",
        |r| &r.title,
        |r| (r.method.as_str(), r.path.as_str()),
    ) {
        Some((r, mut checks)) => {
            let dims: Vec<&str> = r
                .dimensions
                .iter()
                .map(String::as_str)
                .filter(|d| matches!(*d, "source_ip" | "api" | "parent_uid"))
                .collect();
            if dims.len() != r.dimensions.len() {
                checks.push(format!(
                    "line {}: dimensions not understood were left out: {}",
                    r.line,
                    r.dimensions.join(", ")
                ));
            }
            out.checks(4, &checks);
            let f = Flow::default()
                .raw("requests", r.requests.to_string())
                .raw("per_seconds", r.per_seconds.to_string())
                .raw("dimensions", seq(&dims))
                .raw("source", source(&section_of(cx, r.line), None));
            out.line(4, &format!("rate_limit: {}", f.render()));
        }
        None if !doc.rate_limits.is_empty() && !op.deprecated => {
            out.comment(4, "no row of the rate-limit table describes this operation")
        }
        None => {}
    }
    match table_row(
        cx,
        &doc.permissions,
        "permission",
        |r| &r.title,
        |r| (r.method.as_str(), r.path.as_str()),
    ) {
        Some((p, checks)) => {
            out.checks(4, &checks);
            out.line(4, "permission:");
            out.line(6, &format!("items: {}", seq(&p.items)));
            out.line(6, &format!("names_zh: {}", seq(&p.names)));
            out.line(
                6,
                &format!("source: {}", source(&section_of(cx, p.line), None)),
            );
        }
        None if !doc.permissions.is_empty() && !op.deprecated => {
            out.comment(4, "no row of the permission table describes this operation")
        }
        None => {}
    }
    if op.deprecated {
        let title = norm_title(&op.title);
        let current = doc
            .operations
            .iter()
            .find(|o| !o.deprecated && norm_title(&o.title) == title);
        let replacement = match current {
            Some(o) => {
                out.checks(
                    4,
                    &[format!(
                        "retired; §{} has the same title: use the spec id of that operation",
                        o.section
                    )],
                );
                cx.spec_operation(&o.method, &o.path)
                    .map_or_else(|| names::operation_id(&o.method, &o.path), |s| s.id.clone())
            }
            None => {
                out.checks(4, &["retired: name the operation that replaces it".into()]);
                "TODO".into()
            }
        };
        out.line(
            4,
            &format!(
                "deprecated: {}",
                Flow::default()
                    .str("replacement", &replacement)
                    .raw("note", "TODO")
                    .render()
            ),
        );
    }
    if !params.is_empty() {
        out.line(4, "parameters:");
        for p in params {
            out.checks(6, &p.checks);
            out.line(6, &format!("- {}", p.flow));
        }
        if op.header.iter().any(|h| h.name == "X-Language") {
            out.comment(
                6,
                "X-Language: `{ common: X-Language }` uses the common header of service.yaml when the row agrees with it",
            );
        }
    }
    if let Some(b) = request_body {
        out.line(4, &format!("request_body: {}", scalar(b)));
    }
    out.line(4, "responses:");
    for (e, checks) in &responses.entries {
        out.checks(6, checks);
        out.line(6, &format!("- {e}"));
    }
    let errors = error_rows(cx);
    if !errors.is_empty() {
        out.line(4, "errors:");
        for (status, code, checks) in errors {
            out.checks(6, &checks);
            let f = Flow::default()
                .raw("status", status.to_string())
                .str("code", &code);
            out.line(6, &format!("- {}", f.render()));
        }
    }
    if let Some(p) = pagination(cx, responses.success_type.as_deref()) {
        out.checks(
            4,
            &[
                "pagination read from the parameter names: confirm the unit, items and total"
                    .into(),
            ],
        );
        out.line(4, &format!("pagination: {p}"));
    }
    examples(out, cx, responses.success_status);
}
