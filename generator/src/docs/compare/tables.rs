//! Error rows, the global error table, rate limits and permissions.

use std::collections::BTreeSet;

use super::{At, Cx, DriftKind, norm_title};
use crate::docs::model::Operation;
use crate::docs::read::lines;
use crate::docs::spec_view::SpecOperation;

pub(super) fn errors(cx: &mut Cx, d: &Operation, s: &SpecOperation, at: &At) {
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

pub(super) fn global_errors(cx: &mut Cx) {
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
    // A row naming, by title, method and path, an operation no current section documents (one
    // the revision removed or marked deprecated) still describes that spec operation: the
    // removal or deprecation is the one change, reported at its section.
    let named = || {
        (0..cx.spec.operations.len()).find(|s| {
            let o = &cx.spec.operations[*s];
            !current.contains(s)
                && norm_title(&o.title_zh) == t
                && o.method == method
                && o.path == path
        })
    };
    exact(&titled)
        .or(titled.first().copied())
        .or_else(|| exact(&current))
        .or_else(named)
}

/// One row of the rate-limit or permission table: the API it names (title, method, path) and
/// what it states, compared with the operation it describes.
struct TableRow<'r> {
    class: &'static str,
    kind: DriftKind,
    line: usize,
    title: &'r str,
    method: &'r str,
    path: &'r str,
    value: String,
}

/// Compares rows with the spec; `spec_value` gives an operation's value. The row's API (title,
/// method and path) is part of the compared fact, so a row printing another API's URL is drift
/// (explained by a claim) even when its value is right.
fn rows(
    cx: &mut Cx,
    pairs: &[(usize, usize)],
    rows: Vec<TableRow>,
    spec_value: impl Fn(&SpecOperation) -> Option<String>,
) {
    let Some(class) = rows.first().map(|r| (r.class, r.kind)) else {
        return;
    };
    let mut covered = BTreeSet::new();
    for r in &rows {
        let section = cx.section_at(r.line);
        let item = format!("{}[{}]", r.class.trim_end_matches('s'), r.title);
        let doc = format!("{} {} {}: {}", r.title, r.method, r.path, r.value);
        let found = row_operation(cx, pairs, r.title, r.method, r.path);
        covered.extend(found);
        let Some(j) = found else {
            let at = At {
                section,
                operation: None,
                location: None,
            };
            let msg = "a row that describes no operation of the spec";
            cx.fact(
                r.class,
                false,
                r.kind,
                &at,
                &item,
                Some(r.line),
                Some(doc),
                None,
                msg,
            );
            continue;
        };
        let s = &cx.spec.operations[j];
        let at = At {
            section,
            operation: Some(s.id.clone()),
            location: Some(s.location.clone()),
        };
        let spec = spec_value(s).map(|v| format!("{} {} {}: {v}", s.title_zh, s.method, s.path));
        let ok = spec.as_deref().map(lines::half_width) == Some(lines::half_width(&doc));
        let msg = "the row differs from the operation it describes (API title, URL or value)";
        cx.fact(
            r.class,
            ok,
            r.kind,
            &at,
            &item,
            Some(r.line),
            Some(doc),
            spec,
            msg,
        );
    }
    for (j, s) in cx.spec.operations.iter().enumerate() {
        if let Some(v) = spec_value(s).filter(|_| !covered.contains(&j) && !s.deprecated) {
            let at = At {
                section: Some(s.section.clone()),
                operation: Some(s.id.clone()),
                location: Some(s.location.clone()),
            };
            let item = format!("{}[{}]", class.0.trim_end_matches('s'), s.title_zh);
            let msg = "the spec states a value no row of the table gives";
            cx.fact(
                class.0,
                false,
                class.1,
                &at,
                &item,
                None,
                None,
                Some(v),
                msg,
            );
        }
    }
}

pub(super) fn rate_limits(cx: &mut Cx, pairs: &[(usize, usize)]) {
    let doc = cx.doc;
    let table = doc
        .rate_limits
        .iter()
        .map(|r| TableRow {
            class: "rate_limits",
            kind: DriftKind::RateLimitChanged,
            line: r.line,
            title: &r.title,
            method: &r.method,
            path: &r.path,
            value: format!(
                "{}/{}s {}",
                r.requests,
                r.per_seconds,
                r.dimensions.join(",")
            ),
        })
        .collect();
    rows(cx, pairs, table, |s| {
        s.rate_limit
            .as_ref()
            .map(|(n, w, d)| format!("{n}/{w}s {}", d.join(",")))
    });
}

pub(super) fn permissions(cx: &mut Cx, pairs: &[(usize, usize)]) {
    let doc = cx.doc;
    let table = doc
        .permissions
        .iter()
        .map(|p| TableRow {
            class: "permissions",
            kind: DriftKind::PermissionChanged,
            line: p.line,
            title: &p.title,
            method: &p.method,
            path: &p.path,
            value: format!("{} [{}]", p.items.join(" "), p.names.join("; ")),
        })
        .collect();
    rows(cx, pairs, table, |s| {
        s.permission.as_ref().map(|(items, names)| {
            let names: Vec<String> = names
                .iter()
                .map(|x| lines::half_width(x).replace(" (", "("))
                .collect();
            format!("{} [{}]", items.join(" "), names.join("; "))
        })
    });
}
