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
    exact(&titled)
        .or(titled.first().copied())
        .or_else(|| exact(&current))
}

pub(super) fn rate_limits(cx: &mut Cx, pairs: &[(usize, usize)]) {
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

pub(super) fn permissions(cx: &mut Cx, pairs: &[(usize, usize)]) {
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
