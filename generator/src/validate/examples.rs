//! Checks of documented examples: request values against the parameters, and bodies against
//! their types, with the repairs and fixups that make a broken body usable.

use super::*;

pub(super) fn check_request_example(
    c: &mut Checker,
    file: Option<usize>,
    rpath: &NodePath,
    req: &RequestExample,
    params: &[ParamInfo],
) {
    if let Some(q) = &req.query {
        for pair in crate::ir::QueryPair::parse_all(q) {
            let key = pair.key.as_str();
            if !params
                .iter()
                .any(|p| p.location == crate::ir::ParamLocation::Query && p.name == key)
            {
                let mut p = rpath.clone();
                p.push(Seg::Key("query".into()));
                c.err(
                    file,
                    p,
                    format!(
                        "query parameter `{key}` of the example is not a parameter of the operation"
                    ),
                    None,
                );
            }
        }
    }
    for h in req.headers.keys() {
        if !params.iter().any(|p| {
            p.location == crate::ir::ParamLocation::Header && p.name.eq_ignore_ascii_case(h)
        }) {
            let mut p = rpath.clone();
            p.extend(node_path!["headers", h]);
            c.err(
                file,
                p,
                format!("header `{h}` of the example is not a parameter of the operation"),
                None,
            );
        }
    }
    for k in req.path_params.keys() {
        if !params
            .iter()
            .any(|p| p.location == crate::ir::ParamLocation::Path && &p.name == k)
        {
            let mut p = rpath.clone();
            p.extend(node_path!["path_params", k]);
            c.err(
                file,
                p,
                format!("path parameter `{k}` of the example is not a parameter of the operation"),
                None,
            );
        }
    }
}

pub(super) fn check_response_example(
    c: &mut Checker,
    file: Option<usize>,
    rpath: &NodePath,
    resp: &ResponseExample,
    op: &Operation,
) -> Option<String> {
    match op.responses.iter().find(|r| r.status == resp.status) {
        Some(r) => r.ty.clone(),
        None => {
            let mut p = rpath.clone();
            p.push(Seg::Key("status".into()));
            c.err(
                file,
                p,
                format!(
                    "the example's status {} is not a documented response",
                    resp.status
                ),
                None,
            );
            None
        }
    }
}

/// Decides which body of an example is usable (documented, repaired, or none) and checks it
/// against its type.
#[allow(clippy::too_many_arguments)]
pub(super) fn usable_body(
    c: &mut Checker,
    file: Option<usize>,
    rpath: &NodePath,
    body: Option<&str>,
    repair: Option<&crate::spec::model::Repair>,
    unrepairable: Option<&str>,
    ty: Option<&str>,
    types: &Types,
    unusable: &mut Vec<String>,
) -> Option<String> {
    let sub = |k: &str| {
        let mut p = rpath.clone();
        p.push(Seg::Key(k.into()));
        p
    };
    let body = body?;
    let documented_valid = serde_json::from_str::<serde_json::Value>(body).is_ok();
    let usable = match (repair, unrepairable) {
        (Some(_), Some(_)) => {
            c.err(
                file,
                sub("unrepairable"),
                "an example body cannot be both repaired and unrepairable",
                None,
            );
            return None;
        }
        (Some(r), None) => {
            c.fixup_ref(
                file,
                sub("repair"),
                &Some(r.fixup.clone()),
                Some(FixupKind::ExampleRepair),
            );
            // A repair is justified by a body that is not JSON, or JSON that contradicts the
            // operation's own tables (a number where the table says String, say).
            let documented_fits = documented_valid
                && ty.and_then(|t| types.id(t)).is_none_or(|t| {
                    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
                    let mut problems = Vec::new();
                    fit(&v, &TypeExpr::Named(t), types, "$", &mut problems);
                    problems.is_empty()
                });
            if documented_fits {
                c.err(
                    file,
                    sub("repair"),
                    "the documented body is valid JSON and fits its type: the repair no longer applies",
                    Some("remove `repair` and its fixup"),
                );
            }
            if let Err(e) = serde_json::from_str::<serde_json::Value>(&r.body) {
                c.err(
                    file,
                    sub("repair"),
                    format!("the repaired body is not valid JSON: {e}"),
                    None,
                );
                return None;
            }
            r.body.clone()
        }
        (None, Some(reason)) => {
            if documented_valid {
                c.err(
                    file,
                    sub("unrepairable"),
                    "the documented body is valid JSON: it is not unrepairable",
                    Some("remove `unrepairable`"),
                );
            }
            unusable.push(reason.to_string());
            return None;
        }
        (None, None) => {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(body) {
                c.err(file, sub("body"), format!("the documented body is not valid JSON ({e})"), Some("add `repair: { fixup, body }` with an `example_repair` fixup, or `unrepairable: reason`"));
                return None;
            }
            body.to_string()
        }
    };
    if let Some((t, id)) = ty.and_then(|t| Some((t, types.id(t)?))) {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&usable) {
            let mut problems = Vec::new();
            fit(&v, &TypeExpr::Named(id), types, "$", &mut problems);
            for p in problems {
                c.err(file, sub("body"), format!("the example does not fit `{t}`: {p}"), Some("encode the field the example shows (with `origin: example` when no table lists it), or record a fixup"));
            }
        }
    }
    Some(usable)
}

/// Checks a JSON value against a type expression, leniently where the runtime is lenient
/// (numbers sent as strings, null for absent).
pub(super) fn fit(
    v: &serde_json::Value,
    ty: &TypeExpr,
    types: &Types,
    at: &str,
    out: &mut Vec<String>,
) {
    use serde_json::Value as V;
    if v.is_null() {
        return;
    }
    let numeric_string = |s: &str| s.trim().parse::<f64>().is_ok();
    let ok = match ty {
        TypeExpr::String | TypeExpr::DateTime | TypeExpr::Date | TypeExpr::Month => v.is_string(),
        TypeExpr::Integer | TypeExpr::Long => {
            v.is_i64() || v.is_u64() || v.as_str().is_some_and(|s| s.trim().parse::<i64>().is_ok())
        }
        TypeExpr::Decimal | TypeExpr::Number => {
            v.is_number() || v.as_str().is_some_and(numeric_string)
        }
        TypeExpr::Boolean => v.is_boolean() || matches!(v.as_str(), Some("true" | "false")),
        TypeExpr::Json => true,
        TypeExpr::List(inner) => {
            if let V::Array(items) = v {
                for (i, item) in items.iter().enumerate() {
                    fit(item, inner, types, &format!("{at}[{i}]"), out);
                }
                true
            } else {
                false
            }
        }
        TypeExpr::Map(inner) => {
            if let V::Object(m) = v {
                for (k, item) in m {
                    fit(item, inner, types, &format!("{at}.{k}"), out);
                }
                true
            } else {
                false
            }
        }
        TypeExpr::Named(n) => {
            if let (V::Object(m), Some(t)) = (v, types.by_id(*n)) {
                for (k, item) in m {
                    match t.fields.iter().find(|f| &f.name == k) {
                        Some(f) => fit(item, &f.ty, types, &format!("{at}.{k}"), out),
                        None => out.push(format!("`{at}.{k}` is not a field of `{}`", t.name)),
                    }
                }
                true
            } else {
                false
            }
        }
    };
    if !ok {
        out.push(format!("`{at}` is {v} but the type is {ty:?}"));
    }
}
