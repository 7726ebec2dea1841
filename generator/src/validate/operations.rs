//! Checks of an operation: path and parameters, body and responses, error codes, pagination,
//! and its examples (in [`super::examples`]); the operation's part of the model.

use super::*;

pub(super) fn check_operation(
    c: &mut Checker,
    gi: usize,
    oi: usize,
    op: &Operation,
    types: &Types,
    code_lists: &BTreeMap<String, CodeListInfo>,
) -> Option<OperationInfo> {
    let file = Some(gi);
    let at = |rest: &[Seg]| -> NodePath {
        let mut p = node_path!["operations", oi];
        p.extend_from_slice(rest);
        p
    };
    let errors_before = c.diags.len();
    let group = c.group(gi).value.group.id.clone();

    if !op.path.starts_with('/') {
        c.err(
            file,
            at(&node_path!["path"]),
            "path must start with `/`",
            None,
        );
    }
    if op.callers.is_empty() {
        c.err(
            file,
            at(&node_path!["callers"]),
            "an operation needs at least one caller",
            Some("partner and/or customer, from the section's 接口约束"),
        );
    }
    for (i, s) in op.sites.iter().enumerate() {
        c.site_ref(file, at(&node_path!["sites", i]), s);
    }
    for (i, a) in op.auth.iter().enumerate() {
        if !c.auth_ids.contains(a) {
            c.err(
                file,
                at(&node_path!["auth", i]),
                format!("auth scheme `{a}` is not defined in service.yaml"),
                None,
            );
        }
    }
    if let Some(rl) = &op.rate_limit {
        c.fixup_ref(
            file,
            at(&node_path!["rate_limit", "fixup"]),
            &rl.fixup,
            None,
        );
        if rl.requests == 0 || rl.per_seconds == 0 {
            c.err(
                file,
                at(&node_path!["rate_limit"]),
                "a rate limit needs positive `requests` and `per_seconds`",
                None,
            );
        }
    }
    if let Some(p) = &op.permission {
        c.fixup_ref(file, at(&node_path!["permission", "fixup"]), &p.fixup, None);
    }
    if let Some(d) = &op.deprecated {
        if !c.op_ids.contains_key(&d.replacement) {
            c.err(
                file,
                at(&node_path!["deprecated", "replacement"]),
                format!(
                    "replacement `{}` is not an operation of the spec",
                    d.replacement
                ),
                None,
            );
        }
    }

    outcome_lookup(c, file, op, &at);

    // Parameters, with common headers substituted.
    let service = &c.set.service.value;
    let mut params = Vec::new();
    let mut wire_seen = BTreeSet::new();
    for (pi, p) in op.parameters.iter().enumerate() {
        let ppath = at(&node_path!["parameters", pi]);
        c.fixup_ref(file, ppath.clone(), &p.fixup, None);
        let resolved: Parameter = match &p.common {
            Some(name) => {
                let extra = p.name.is_some()
                    || p.location.is_some()
                    || p.ty.is_some()
                    || p.description.is_some();
                if extra {
                    c.err(
                        file,
                        ppath.clone(),
                        "a `common:` parameter takes no other keys but `fixup`",
                        Some("change the header in service.yaml `common_headers` instead"),
                    );
                }
                match service
                    .common_headers
                    .iter()
                    .find(|h| h.name.as_deref() == Some(name))
                {
                    Some(h) => {
                        let mut h = h.clone();
                        h.location = Some(ParamLocation::Header);
                        h
                    }
                    None => {
                        c.err(
                            file,
                            ppath.clone(),
                            format!("common header `{name}` is not defined in service.yaml"),
                            None,
                        );
                        continue;
                    }
                }
            }
            None => p.clone(),
        };
        let (Some(name), Some(location), Some(ty_text), Some(description)) = (
            &resolved.name,
            resolved.location,
            &resolved.ty,
            &resolved.description,
        ) else {
            c.err(
                file,
                ppath,
                "a parameter needs `name`, `in`, `type` and `description` (or `common:`)",
                None,
            );
            continue;
        };
        if !wire_seen.insert((location, name.to_ascii_lowercase())) {
            c.err(
                file,
                ppath.clone(),
                format!("parameter `{name}` is listed twice"),
                None,
            );
        }
        let ty = match types.parse(ty_text) {
            Ok(t) => t,
            Err(TypeExprError::Syntax(e)) => {
                c.err(file, ppath, e, None);
                continue;
            }
            Err(TypeExprError::Unknown(_)) => {
                c.err(file, ppath.clone(), format!("parameter `{name}` has a structured type; path, query and header values are scalars or lists of scalars"), None);
                continue;
            }
        };
        if ty.named().is_some() || matches!(ty, TypeExpr::Map(_) | TypeExpr::Json) {
            c.err(file, ppath.clone(), format!("parameter `{name}` has a structured type; path, query and header values are scalars or lists of scalars"), None);
        }
        if location == ParamLocation::Path && !resolved.required {
            c.err(
                file,
                ppath.clone(),
                format!("path parameter `{name}` must be required"),
                Some("add `required: true`"),
            );
        }
        if resolved.presence.is_some() && location != ParamLocation::Query {
            c.err(
                file,
                ppath.clone(),
                "`presence` applies to query parameters only",
                None,
            );
        }
        let code_list =
            check_code_list_ref(c, file, ppath.clone(), &resolved.code_list, &ty, code_lists);
        let constraints = Constraints {
            max_length: resolved.max_length,
            min_length: resolved.min_length,
            minimum: resolved.minimum,
            maximum: resolved.maximum,
            min_items: None,
            max_items: resolved.max_items,
        };
        params.push(ParamInfo {
            shape: Shape::of(&ty, code_list, &constraints),
            constraints,
            name: name.clone(),
            rust: String::new(),
            rust_name: p.rust_name.clone().or_else(|| resolved.rust_name.clone()),
            redaction_test: None,
            location: location.into(),
            ty,
            code_list,
            required: resolved.required,
            description: description.clone(),
            default: resolved.default.clone(),
            sensitive: resolved.sensitive,
            presence: resolved.presence.as_ref().map(Into::into),
        });
    }

    // Path template placeholders against path parameters.
    let placeholders = path_placeholders(&op.path);
    match placeholders {
        Err(e) => c.err(
            file,
            at(&node_path!["path"]),
            e,
            Some("write placeholders as `{name}`"),
        ),
        Ok(ph) => {
            let declared: BTreeSet<String> = params
                .iter()
                .filter(|p| p.location == crate::ir::ParamLocation::Path)
                .map(|p| p.name.clone())
                .collect();
            for n in ph.difference(&declared) {
                c.err(file, at(&node_path!["path"]), format!("placeholder `{{{n}}}` has no path parameter"), Some(&format!("add `{{ name: {n}, in: path, type: string, required: true, description: ... }}`")));
            }
            for n in declared.difference(&ph) {
                c.err(
                    file,
                    at(&node_path!["parameters"]),
                    format!(
                        "path parameter `{n}` does not appear in the path template `{}`",
                        op.path
                    ),
                    Some(
                        "add the placeholder to the path, or make the parameter a query parameter",
                    ),
                );
            }
        }
    }

    // Body and responses.
    if let Some(b) = &op.request_body {
        if !types.contains_key(b) {
            c.err(
                file,
                at(&node_path!["request_body"]),
                format!("body type `{b}` is not defined"),
                Some(&suggest(b, types.keys())),
            );
        }
        if op.method == crate::spec::model::Method::Get {
            c.err(
                file,
                at(&node_path!["request_body"]),
                "a GET operation cannot have a body",
                None,
            );
        }
    }
    if !op.responses.iter().any(|r| (200..300).contains(&r.status)) {
        c.err(
            file,
            at(&node_path!["responses"]),
            "no success (2xx) response is documented",
            Some("add `{ status: 200, type: ... }` or `{ status: 204 }`"),
        );
    }
    for (ri, r) in op.responses.iter().enumerate() {
        if let Some(t) = &r.ty {
            if !types.contains_key(t) {
                c.err(
                    file,
                    at(&node_path!["responses", ri, "type"]),
                    format!("response type `{t}` is not defined"),
                    Some(&suggest(t, types.keys())),
                );
            }
        }
    }

    // Error codes.
    let mut errors = Vec::new();
    for (ei, e) in op.errors.iter().enumerate() {
        let epath = at(&node_path!["errors", ei]);
        // An error entry's fixup either explains its status or how its broken code was read.
        let fixup_kind = e
            .fixup
            .as_ref()
            .and_then(|id| op.fixups.iter().find(|f| &f.id == id))
            .map(|f| f.kind);
        let status_fixup = fixup_kind != Some(FixupKind::ErrorCode) && e.fixup.is_some();
        c.fixup_ref(
            file,
            epath.clone(),
            &e.fixup,
            Some(
                fixup_kind
                    .filter(|k| *k == FixupKind::ErrorCode)
                    .unwrap_or(FixupKind::ErrorStatus),
            ),
        );
        match c.known_codes.get(&e.code).copied() {
            None => c.err(file, epath.clone(), format!("error code `{}` is not in the global table (errors.yaml) nor in `extra_error_codes`", e.code), Some("add it to the group's `extra_error_codes` with its source")),
            Some(status) => {
                let global = c.codes.contains_key(&e.code);
                if global && status != e.status && !status_fixup {
                    c.err(file, epath.clone(), format!("`{}` is documented here with HTTP {} but table 13-3 says {status}", e.code, e.status), Some("encode the operation's status and add an `error_status` fixup saying so"));
                }
                if global && status == e.status && status_fixup {
                    c.err(file, epath.clone(), format!("the `error_status` fixup of `{}` no longer applies: both tables say {status}", e.code), Some("remove the fixup"));
                }
            }
        }
        errors.push((e.status, e.code.clone()));
    }

    // Pagination.
    if let Some(pg) = &op.pagination {
        for (key, pname) in [("offset", &pg.offset), ("limit", &pg.limit)] {
            let found = params
                .iter()
                .any(|p| &p.name == pname && p.ty.is_integral())
                || op
                    .request_body
                    .as_ref()
                    .and_then(|b| types.get(b))
                    .is_some_and(|t| {
                        t.fields
                            .iter()
                            .any(|f| &f.name == pname && f.ty.is_integral())
                    });
            if !found {
                c.err(
                    file,
                    at(&node_path!["pagination", key]),
                    format!(
                        "pagination {key} `{pname}` is not an integer query parameter or body field"
                    ),
                    None,
                );
            }
        }
        let resp = op
            .responses
            .iter()
            .find(|r| (200..300).contains(&r.status))
            .and_then(|r| r.ty.as_ref())
            .and_then(|t| types.get(t));
        match resp {
            None => c.err(
                file,
                at(&node_path!["pagination"]),
                "pagination needs a success response type",
                None,
            ),
            Some(t) => {
                if !field_at(types, t, &pg.items).is_some_and(|f| matches!(f.ty, TypeExpr::List(_)))
                {
                    c.err(
                        file,
                        at(&node_path!["pagination", "items"]),
                        format!("`{}` is not a list field of `{}`", pg.items, t.name),
                        None,
                    );
                }
                if let Some(total) = &pg.total {
                    if !field_at(types, t, total).is_some_and(|f| f.ty.is_integral()) {
                        c.err(
                            file,
                            at(&node_path!["pagination", "total"]),
                            format!("`{total}` is not an integer field of `{}`", t.name),
                            None,
                        );
                    }
                }
            }
        }
    }

    // Examples.
    let mut examples = Vec::new();
    let mut example_names = BTreeSet::new();
    for (xi, ex) in op.examples.iter().enumerate() {
        if !example_names.insert(ex.name.clone()) {
            c.err(
                file,
                at(&node_path!["examples", xi, "name"]),
                format!("example name `{}` is used twice", ex.name),
                None,
            );
        }
        let mut info = ExampleInfo {
            name: ex.name.clone(),
            tests: Default::default(),
            query: Vec::new(),
            headers: BTreeMap::new(),
            path_params: BTreeMap::new(),
            request_body: None,
            breaks_constraint: false,
            response_status: None,
            response_body: None,
            unusable: Vec::new(),
        };
        if let Some(req) = &ex.request {
            let rpath = at(&node_path!["examples", xi, "request"]);
            check_request_example(c, file, &rpath, req, &params);
            info.query = crate::ir::QueryPair::parse_all(req.query.as_deref().unwrap_or_default());
            if req.breaks_constraint.is_some() {
                c.fixup_ref(
                    file,
                    {
                        let mut p = rpath.clone();
                        p.push(Seg::Key("breaks_constraint".into()));
                        p
                    },
                    &req.breaks_constraint,
                    Some(FixupKind::ExampleConstraint),
                );
                info.breaks_constraint = true;
            }
            info.headers = req.headers.clone();
            info.path_params = req.path_params.clone();
            let body_ty = op.request_body.as_deref();
            info.request_body = usable_body(
                c,
                file,
                &rpath,
                req.body.as_deref(),
                req.repair.as_ref(),
                req.unrepairable.as_deref(),
                body_ty,
                types,
                &mut info.unusable,
            );
            if req.body.is_some() && body_ty.is_none() {
                c.err(
                    file,
                    rpath,
                    "the example has a body but the operation has no `request_body`",
                    None,
                );
            }
        }
        if let Some(resp) = &ex.response {
            let rpath = at(&node_path!["examples", xi, "response"]);
            let ty = check_response_example(c, file, &rpath, resp, op);
            info.response_status = Some(resp.status);
            info.response_body = usable_body(
                c,
                file,
                &rpath,
                resp.body.as_deref(),
                resp.repair.as_ref(),
                resp.unrepairable.as_deref(),
                ty.as_deref(),
                types,
                &mut info.unusable,
            );
        }
        examples.push(info);
    }

    if c.diags.len() > errors_before {
        return None;
    }
    Some(OperationInfo {
        id: op.id.clone(),
        names: Default::default(),
        group,
        title_zh: op.title_zh.clone(),
        summary: op.summary.clone(),
        description: op.description.clone(),
        source: (&op.source).into(),
        method: op.method.into(),
        path: op.path.clone(),
        callers: op.callers.iter().map(|c| (*c).into()).collect(),
        sites: op.sites.clone(),
        audit_events: op.audit_events.clone(),
        auth: op.auth.clone(),
        caller_note: op.caller_note.clone(),
        constraints_note: op.constraints_note.clone(),
        idempotent: op.idempotent,
        outcome_lookup: op.outcome_lookup.as_ref().map(|l| match &l.operation {
            Some(id) => crate::ir::OutcomeLookup::Operation(id.clone()),
            None => crate::ir::OutcomeLookup::None(l.none.clone().unwrap_or_default()),
        }),
        rate_limit: op.rate_limit.as_ref().map(Into::into),
        permission: op.permission.as_ref().map(Into::into),
        deprecated: op.deprecated.as_ref().map(Into::into),
        params,
        body: op.request_body.as_deref().and_then(|b| types.id(b)),
        responses: op
            .responses
            .iter()
            .map(|r| ResponseInfo {
                status: r.status,
                ty: r.ty.as_deref().and_then(|t| types.id(t)),
            })
            .collect(),
        errors,
        // Resolved once the Rust names are chosen (`resolve::pagination`).
        pagination: None,
        examples,
        fixups: op.fixups.iter().map(Into::into).collect(),
    })
}

/// The `{name}` placeholders of a path template.
pub fn path_placeholders(path: &str) -> Result<BTreeSet<String>, String> {
    let mut out = BTreeSet::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("unclosed `{{` in path `{path}`"))?;
        let name = &after[..close];
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!(
                "placeholder `{{{name}}}` in `{path}` is not an identifier"
            ));
        }
        if !out.insert(name.to_string()) {
            return Err(format!(
                "placeholder `{{{name}}}` appears twice in `{path}`"
            ));
        }
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return Err(format!("unmatched `}}` in path `{path}`"));
    }
    Ok(out)
}

/// The field at a dotted path (`data.orderInfos`) below a type, through named types.
fn field_at<'a>(types: &Types<'a>, t: &'a TypeInfo, path: &str) -> Option<&'a FieldInfo> {
    let mut current = t;
    let mut segments = path.split('.').peekable();
    while let Some(seg) = segments.next() {
        let f = current.fields.iter().find(|f| f.name == seg)?;
        if segments.peek().is_none() {
            return Some(f);
        }
        current = match &f.ty {
            TypeExpr::Named(n) => types.by_id(*n)?,
            _ => return None,
        };
    }
    None
}

/// `outcome_lookup`: only on operations that are not idempotent, naming either an idempotent
/// operation of the spec or, with `none`, why no operation shows the outcome.
fn outcome_lookup(
    c: &mut Checker,
    file: Option<usize>,
    op: &Operation,
    at: &dyn Fn(&[Seg]) -> NodePath,
) {
    // Every operation of spec/ that is not idempotent has one (a test of the real spec checks
    // it); the checker does not demand it, so that `diff --base` still loads older revisions.
    let Some(l) = &op.outcome_lookup else {
        return;
    };
    if op.idempotent {
        c.err(
            file,
            at(&node_path!["outcome_lookup"]),
            "an idempotent operation needs no `outcome_lookup`: it is simply repeated",
            Some("remove `outcome_lookup`, or set `idempotent: false` if repeating the call is not harmless"),
        );
    }
    match (&l.operation, &l.none) {
        (Some(id), None) => {
            let target = c
                .set
                .groups
                .iter()
                .flat_map(|g| &g.value.operations)
                .find(|o| o.id == *id);
            match target {
                None => c.err(
                    file,
                    at(&node_path!["outcome_lookup", "operation"]),
                    format!("outcome_lookup `{id}` is not an operation of the spec"),
                    Some("name the query operation (by id) whose answer shows whether the call was processed"),
                ),
                Some(t) if !t.idempotent => c.err(
                    file,
                    at(&node_path!["outcome_lookup", "operation"]),
                    format!("outcome_lookup `{id}` is not idempotent: looking the outcome up must be harmless"),
                    Some("name a query operation"),
                ),
                Some(_) => {}
            }
        }
        (None, Some(why)) if !why.trim().is_empty() => {}
        _ => c.err(
            file,
            at(&node_path!["outcome_lookup"]),
            "outcome_lookup needs exactly one of `operation` and `none` (a non-empty reason)",
            None,
        ),
    }
}
