//! Checks the loaded spec and resolves it into the [`Model`].
//!
//! Every check reports against the spec node that causes it, with a hint. All problems are
//! collected before returning, so one `lint` run shows them all.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use sha2::{Digest, Sha256};

use crate::diag::{Diagnostic, Diagnostics};
use crate::ir::{
    CodeListId, CodeListInfo, Constraints, ExampleInfo, FieldInfo, FileColumnInfo, FileFormatInfo,
    GroupModel, Model, OperationInfo, ParamInfo, ResponseInfo, Shape, TypeExpr, TypeExprError,
    TypeId, TypeInfo,
};
use crate::naming::case as names;
use crate::node_path;
use crate::spec::locate::{NodePath, Seg};
use crate::spec::model::{
    CodeList, CodeListType, FixupKind, GroupFile, Operation, ParamLocation, Parameter,
    RequestExample, ResponseExample,
};
use crate::spec::{SpecFile, SpecSet};

/// The context every check shares: the spec, the problems found so far, and the spec-wide
/// facts checks look up (documents, fixups and which fixups are referred to).
struct Checker<'a> {
    set: &'a SpecSet,
    diags: Vec<Diagnostic>,
    /// Document ids of `service.yaml`.
    documents: BTreeSet<String>,
    /// Every declared fixup, by id.
    fixup_kinds: HashMap<String, FixupKind>,
    /// The fixups something refers to.
    fixup_refs: BTreeSet<String>,
}

impl<'a> Checker<'a> {
    fn file_diag(
        &self,
        file: Option<usize>,
        path: &[Seg],
        msg: String,
        hint: Option<String>,
    ) -> Diagnostic {
        match file {
            Some(i) => self.set.groups[i].diag(path, msg, hint),
            None => self.set.service.diag(path, msg, hint),
        }
    }
    fn err(
        &mut self,
        file: Option<usize>,
        path: NodePath,
        msg: impl Into<String>,
        hint: Option<&str>,
    ) {
        let d = self.file_diag(file, &path, msg.into(), hint.map(str::to_string));
        self.diags.push(d);
    }
    fn group(&self, i: usize) -> &'a SpecFile<GroupFile> {
        &self.set.groups[i]
    }

    /// A source names a document of `service.yaml`.
    fn source(&mut self, file: Option<usize>, path: NodePath, doc: &str) {
        if !self.documents.contains(doc) {
            self.err(
                file,
                path,
                format!("document `{doc}` is not listed in service.yaml"),
                Some("use a document id of service.yaml `documents`"),
            );
        }
    }

    /// A reference to fixup `id` (if any) names a declared fixup, of kind `kind` when given;
    /// the fixup then counts as referred to.
    fn fixup_ref(
        &mut self,
        file: Option<usize>,
        path: NodePath,
        id: &Option<String>,
        kind: Option<FixupKind>,
    ) {
        let Some(id) = id else { return };
        match self.fixup_kinds.get(id).copied() {
            None => self.err(
                file,
                path,
                format!("fixup `{id}` is not declared"),
                Some("declare it in the `fixups` of the operation whose section it concerns"),
            ),
            Some(k) => {
                if let Some(want) = kind {
                    if k != want {
                        self.err(
                            file,
                            path,
                            format!("fixup `{id}` has kind {k:?}, expected {want:?}"),
                            None,
                        );
                    }
                }
                self.fixup_refs.insert(id.clone());
            }
        }
    }
}

/// Every fixup the spec declares, by id.
fn declared_fixups(set: &SpecSet) -> HashMap<String, FixupKind> {
    set.groups
        .iter()
        .flat_map(|g| {
            g.value
                .operations
                .iter()
                .flat_map(|o| o.fixups.iter())
                .chain(g.value.file_formats.values().flat_map(|f| f.fixups.iter()))
        })
        .map(|f| (f.id.clone(), f.kind))
        .collect()
}

/// The types during the checks: by name, and by [`TypeId`] (the index of the name among the
/// sorted names, as in [`Model::types`]).
struct Types<'a> {
    map: &'a BTreeMap<String, TypeInfo>,
    names: &'a [String],
}

impl<'a> Types<'a> {
    fn get(&self, name: &str) -> Option<&'a TypeInfo> {
        self.map.get(name)
    }
    fn by_id(&self, id: TypeId) -> Option<&'a TypeInfo> {
        self.map.get(self.names.get(id.0 as usize)?)
    }
    fn contains_key(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }
    fn keys(&self) -> impl Iterator<Item = &'a String> + use<'a> {
        self.map.keys()
    }
    fn id(&self, name: &str) -> Option<TypeId> {
        let i = self.names.binary_search_by(|n| n.as_str().cmp(name)).ok()?;
        Some(TypeId(i as u32))
    }
}

/// The id of the code list `name` among the sorted names, as in [`Model::code_lists`].
fn code_list_id(code_lists: &BTreeMap<String, CodeListInfo>, name: &str) -> Option<CodeListId> {
    code_lists
        .contains_key(name)
        .then(|| CodeListId(code_lists.keys().take_while(|k| k.as_str() < name).count() as u32))
}

/// Parses a type expression, resolving type names with `type_ids`.
fn parse_type(text: &str, type_ids: &BTreeMap<String, TypeId>) -> Result<TypeExpr, TypeExprError> {
    TypeExpr::parse(text, &|n| type_ids.get(n).copied())
}

impl Types<'_> {
    /// Parses a type expression against these types.
    fn parse(&self, text: &str) -> Result<TypeExpr, TypeExprError> {
        TypeExpr::parse(text, &|n| self.id(n))
    }
}

/// Validates the spec and builds the model, or returns every problem found.
pub fn build(set: &SpecSet) -> Result<Model, Diagnostics> {
    let mut c = Checker {
        set,
        diags: Vec::new(),
        documents: set
            .service
            .value
            .documents
            .iter()
            .map(|d| d.id.clone())
            .collect(),
        fixup_kinds: declared_fixups(set),
        fixup_refs: BTreeSet::new(),
    };

    // Documents, sites, auth schemes.
    for (i, d) in set.service.value.documents.iter().enumerate() {
        if d.file.is_some() == d.url.is_some() {
            c.err(
                None,
                node_path!["documents", i],
                format!("document `{}` needs exactly one of `file` and `url`", d.id),
                Some("`file` names a seed in shared/seeds/, `url` the base of public web pages"),
            );
        }
    }
    let auth_ids: BTreeSet<String> = set
        .service
        .value
        .auth_schemes
        .iter()
        .map(|a| a.id.clone())
        .collect();

    // Error codes: global table, sorted and unique.
    let mut codes: HashMap<String, u16> = HashMap::new();
    let mut prev: Option<&str> = None;
    for (i, e) in set.errors.value.error_codes.iter().enumerate() {
        if codes.insert(e.code.clone(), e.http_status).is_some() {
            let d = set.errors.diag(
                &node_path!["error_codes", i, "code"],
                format!("error code `{}` is listed twice", e.code),
                None,
            );
            c.diags.push(d);
        }
        if prev.is_some_and(|p| p > e.code.as_str()) {
            let d = set.errors.diag(
                &node_path!["error_codes", i, "code"],
                format!(
                    "error codes are not sorted: `{}` comes after `{}`",
                    e.code,
                    prev.unwrap_or_default()
                ),
                Some("keep error_codes sorted by code so revisions diff cleanly".into()),
            );
            c.diags.push(d);
        }
        prev = Some(&e.code);
    }

    // Code lists: service-wide, then per group.
    let mut code_lists: BTreeMap<String, CodeListInfo> = BTreeMap::new();
    let mut code_list_origin: BTreeSet<String> = BTreeSet::new();
    let mut add_code_list = |c: &mut Checker,
                             file: Option<usize>,
                             group: Option<String>,
                             name: &String,
                             def: &CodeList| {
        let path = node_path!["code_lists", name];
        if !names::is_upper_camel(name) {
            c.err(
                file,
                path.clone(),
                format!("code list name `{name}` is not UpperCamelCase"),
                Some("rename it; Rust type names are derived from it unchanged"),
            );
        }
        if code_list_origin.contains(name) {
            c.err(file, path.clone(), format!("code list `{name}` is defined twice"), Some("code-list names are unique across the spec; reuse the existing one if the values are identical"));
            return;
        }
        let mut seen_values = BTreeSet::new();
        for (i, v) in def.values.iter().enumerate() {
            let vpath = node_path!["code_lists", name, "values", i];
            let ok = match def.ty {
                CodeListType::Integer => v.value.is_i64(),
                CodeListType::String => v.value.is_string(),
            };
            if !ok {
                c.err(
                    file,
                    vpath.clone(),
                    format!(
                        "value {} does not match the code list type {:?}",
                        v.value, def.ty
                    ),
                    Some("quote string codes; write integer codes bare"),
                );
            }
            if !seen_values.insert(v.value.to_string()) {
                c.err(
                    file,
                    vpath.clone(),
                    format!("value {} is listed twice in code list `{name}`", v.value),
                    None,
                );
            }
        }
        code_list_origin.insert(name.clone());
        code_lists.insert(
            name.clone(),
            CodeListInfo {
                name: name.clone(),
                variants: Vec::new(),
                unknown: String::new(),
                unknown_test: String::new(),
                group,
                def: def.into(),
            },
        );
    };
    for (name, def) in &set.service.value.code_lists {
        add_code_list(&mut c, None, None, name, def);
    }
    for (gi, g) in set.groups.iter().enumerate() {
        for (name, def) in &g.value.code_lists {
            add_code_list(&mut c, Some(gi), Some(g.value.group.id.clone()), name, def);
        }
    }

    // Groups, types and operation ids: collect names first so references can be resolved.
    let mut group_ids: BTreeSet<String> = BTreeSet::new();
    let mut type_origin: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut op_ids: HashMap<String, usize> = HashMap::new();
    let mut fixup_ids: HashMap<String, usize> = HashMap::new();
    for (gi, g) in set.groups.iter().enumerate() {
        let gid = &g.value.group.id;
        if !names::is_snake(gid) {
            c.err(
                Some(gi),
                node_path!["group", "id"],
                format!("group id `{gid}` is not a snake_case identifier"),
                Some("it becomes a module and a cargo feature name"),
            );
        }
        if !group_ids.insert(gid.clone()) {
            c.err(
                Some(gi),
                node_path!["group", "id"],
                format!("group id `{gid}` is used by two files"),
                None,
            );
        }
        let expected = format!("groups/{gid}.yaml");
        if g.path.to_string_lossy().replace('\\', "/") != expected {
            c.err(
                Some(gi),
                node_path!["group", "id"],
                format!("group `{gid}` must live in `{expected}`"),
                Some("name the file after the group id"),
            );
        }
        for name in g.value.types.keys() {
            let path = node_path!["types", name];
            if !names::is_upper_camel(name) {
                c.err(
                    Some(gi),
                    path.clone(),
                    format!("type name `{name}` is not UpperCamelCase"),
                    Some("rename it; the Rust type name is taken unchanged"),
                );
            }
            if code_lists.contains_key(name) {
                c.err(
                    Some(gi),
                    path.clone(),
                    format!("type name `{name}` is also a code list"),
                    None,
                );
            }
            if let Some((other, _)) = type_origin.get(name) {
                let other_path = set.groups[*other].path.display().to_string();
                c.err(Some(gi), path, format!("type `{name}` is already defined in {other_path}"), Some("type names are unique across the spec: reuse it when the shape is identical, otherwise pick a distinct name and record a `type_rename` fixup"));
            } else {
                type_origin.insert(name.clone(), (gi, gid.clone()));
            }
        }
        for (oi, op) in g.value.operations.iter().enumerate() {
            let path = node_path!["operations", oi, "id"];
            if !names::is_upper_camel(&op.id) {
                c.err(
                    Some(gi),
                    path.clone(),
                    format!("operation id `{}` is not PascalCase", op.id),
                    Some(
                        "use the operation name of the public API reference, e.g. ListServiceTypes",
                    ),
                );
            }
            if op_ids.insert(op.id.clone(), gi).is_some() {
                c.err(
                    Some(gi),
                    path.clone(),
                    format!("operation id `{}` is used twice", op.id),
                    None,
                );
            }
            for (fi, f) in op.fixups.iter().enumerate() {
                if fixup_ids.insert(f.id.clone(), gi).is_some() {
                    c.err(
                        Some(gi),
                        node_path!["operations", oi, "fixups", fi, "id"],
                        format!("fixup id `{}` is used twice", f.id),
                        None,
                    );
                }
            }
        }
        for (ff, fmt) in &g.value.file_formats {
            for (fi, f) in fmt.fixups.iter().enumerate() {
                if fixup_ids.insert(f.id.clone(), gi).is_some() {
                    c.err(
                        Some(gi),
                        node_path!["file_formats", ff, "fixups", fi, "id"],
                        format!("fixup id `{}` is used twice", f.id),
                        None,
                    );
                }
            }
        }
    }

    // Type ids: indexes among the sorted type names, as in the model.
    let type_names: Vec<String> = type_origin.keys().cloned().collect();
    let type_ids: BTreeMap<String, TypeId> = type_names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.clone(), TypeId(i as u32)))
        .collect();

    // Service-wide answers name known documents too.
    let service = &set.service.value;
    if let Some(t) = &service.throttling {
        c.source(
            None,
            node_path!["throttling", "source", "document"],
            &t.source.document,
        );
    }
    if let Some(a) = &service.auth_failures {
        c.source(
            None,
            node_path!["auth_failures", "source", "document"],
            &a.source.document,
        );
    }

    // Extra error codes per group join the known codes.
    let mut known_codes = codes.clone();
    let mut extra_declared: HashMap<String, usize> = HashMap::new();
    for (gi, g) in set.groups.iter().enumerate() {
        for (i, e) in g.value.extra_error_codes.iter().enumerate() {
            if let Some(first) = extra_declared.insert(e.code.clone(), gi) {
                c.err(
                    Some(gi),
                    node_path!["extra_error_codes", i, "code"],
                    format!(
                        "`{}` is already declared in the extra_error_codes of {}",
                        e.code,
                        set.groups[first].path.display()
                    ),
                    Some("declare an extra code once; operations of every group may use it"),
                );
            }
            if codes.contains_key(&e.code) {
                c.err(
                    Some(gi),
                    node_path!["extra_error_codes", i, "code"],
                    format!("`{}` is already in the global error-code table", e.code),
                    Some("remove it from extra_error_codes"),
                );
            }
            known_codes.insert(e.code.clone(), e.http_status);
        }
    }

    // Types: fields, type expressions, code lists.
    let mut types: BTreeMap<String, TypeInfo> = BTreeMap::new();
    for (gi, g) in set.groups.iter().enumerate() {
        let gid = g.value.group.id.clone();
        c.source(
            Some(gi),
            node_path!["group", "source", "document"],
            &g.value.group.source.document,
        );
        for (tname, def) in &g.value.types {
            c.source(
                Some(gi),
                node_path!["types", tname, "source", "document"],
                &def.source.document,
            );
            c.fixup_ref(
                Some(gi),
                node_path!["types", tname, "fixup"],
                &def.fixup,
                None,
            );
            if def.doc_name.is_some() && def.fixup.is_none() {
                c.err(
                    Some(gi),
                    node_path!["types", tname, "doc_name"],
                    format!(
                        "type `{tname}` is renamed from `{}` without a fixup",
                        def.doc_name.clone().unwrap_or_default()
                    ),
                    Some("add `fixup:` naming a `type_rename` fixup that says why"),
                );
            }
            let mut fields = Vec::new();
            let mut wire_seen = BTreeSet::new();
            for (fi, f) in def.fields.iter().enumerate() {
                let fpath = node_path!["types", tname, "fields", fi];
                if !wire_seen.insert(f.name.clone()) {
                    c.err(
                        Some(gi),
                        fpath.clone(),
                        format!("field `{}` is listed twice in `{tname}`", f.name),
                        None,
                    );
                }
                c.fixup_ref(Some(gi), fpath.clone(), &f.fixup, None);
                let ty = match parse_type(&f.ty, &type_ids) {
                    Ok(t) => t,
                    Err(TypeExprError::Syntax(e)) => {
                        c.err(Some(gi), node_path!["types", tname, "fields", fi, "type"], e, Some("types: string, integer, long, decimal, number, boolean, date-time, date, month, json, list<T>, map<T>, or a type name"));
                        continue;
                    }
                    Err(TypeExprError::Unknown(n)) => {
                        c.err(
                            Some(gi),
                            node_path!["types", tname, "fields", fi, "type"],
                            format!("type `{n}` is not defined"),
                            Some(&suggest(&n, type_origin.keys())),
                        );
                        continue;
                    }
                };
                let code_list = check_code_list_ref(
                    &mut c,
                    Some(gi),
                    node_path!["types", tname, "fields", fi, "code_list"],
                    &f.code_list,
                    &ty,
                    &code_lists,
                );
                let constraints = Constraints {
                    max_length: f.max_length,
                    min_length: f.min_length,
                    minimum: f.minimum,
                    maximum: f.maximum,
                    min_items: f.min_items,
                    max_items: f.max_items,
                };
                fields.push(FieldInfo {
                    shape: Shape::of(&ty, code_list, &constraints),
                    constraints,
                    name: f.name.clone(),
                    rust: String::new(),
                    rust_name: f.rust_name.clone(),
                    setter: None,
                    redaction_test: None,
                    ty,
                    code_list,
                    required: f.required,
                    description: f.description.clone(),
                    doc_type: f.doc_type.clone(),
                    default: f.default.clone(),
                    sensitive: f.sensitive,
                    from_example: f.origin.is_some(),
                });
            }
            if let Some(pf) = &def.partial_failures {
                if !def.fields.iter().any(|f| &f.name == pf) {
                    c.err(
                        Some(gi),
                        node_path!["types", tname, "partial_failures"],
                        format!("`{pf}` is not a field of `{tname}`"),
                        None,
                    );
                }
            }
            types.insert(
                tname.clone(),
                TypeInfo {
                    name: tname.clone(),
                    numbers_test: String::new(),
                    group: gid.clone(),
                    def: def.into(),
                    fields,
                    input: false,
                    output: false,
                },
            );
        }
    }

    // Operations.
    let tys = Types {
        map: &types,
        names: &type_names,
    };
    let mut groups = Vec::new();
    for (gi, g) in set.groups.iter().enumerate() {
        let mut ops = Vec::new();
        for (oi, op) in g.value.operations.iter().enumerate() {
            if let Some(info) = check_operation(
                &mut c,
                gi,
                oi,
                op,
                &tys,
                &code_lists,
                &auth_ids,
                &known_codes,
                &codes,
                &op_ids,
            ) {
                ops.push(info);
            }
            c.source(
                Some(gi),
                node_path!["operations", oi, "source", "document"],
                &op.source.document,
            );
        }
        let mut file_formats = BTreeMap::new();
        for (name, ff) in &g.value.file_formats {
            c.source(
                Some(gi),
                node_path!["file_formats", name.as_str(), "source", "document"],
                &ff.source.document,
            );
            if let Some(info) = check_file_format(&mut c, gi, name, ff, &tys, &code_lists) {
                file_formats.insert(name.clone(), info);
            }
        }
        groups.push(GroupModel {
            info: (&g.value.group).into(),
            operations: ops,
            types: g
                .value
                .types
                .keys()
                .filter_map(|n| type_ids.get(n).copied())
                .collect(),
            code_lists: g
                .value
                .code_lists
                .keys()
                .filter_map(|n| code_list_id(&code_lists, n))
                .collect(),
            extra_error_codes: g.value.extra_error_codes.iter().map(Into::into).collect(),
            file_formats,
            depends_on: BTreeSet::new(),
        });
    }

    // Declared fixups that nothing references no longer apply, for the kinds that are attached
    // to a node (the others describe a whole section and stand on their own).
    for (gi, g) in set.groups.iter().enumerate() {
        for (oi, op) in g.value.operations.iter().enumerate() {
            for (fi, f) in op.fixups.iter().enumerate() {
                let attached = matches!(
                    f.kind,
                    FixupKind::ExampleRepair
                        | FixupKind::TypeRename
                        | FixupKind::ErrorStatus
                        | FixupKind::TypeCorrection
                );
                if attached && !c.fixup_refs.contains(&f.id) {
                    c.err(Some(gi), node_path!["operations", oi, "fixups", fi, "id"], format!("fixup `{}` is declared but nothing refers to it", f.id), Some("reference it from the node it corrects (`fixup:` on a field, type, error or `repair`), or delete it if the documents were corrected"));
                }
            }
        }
    }

    if !c.diags.is_empty() {
        c.diags
            .sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        c.diags.dedup();
        return Err(Diagnostics(c.diags));
    }

    // From here on types and code lists are referred to by id only.
    let mut types: Vec<TypeInfo> = types.into_values().collect();
    let mut code_lists: Vec<CodeListInfo> = code_lists.into_values().collect();

    // Direction of each type: reachable from bodies (input) or responses (output).
    let mut inputs = Vec::new();
    let mut outputs = Vec::new();
    for g in &groups {
        for op in &g.operations {
            inputs.extend(op.body);
            outputs.extend(op.responses.iter().filter_map(|r| r.ty));
        }
    }
    mark_reachable(&mut types, inputs, true);
    mark_reachable(&mut types, outputs, false);

    // Rust names, once the model is complete and still in spec order.
    let crate_ident = match crate::naming::assign(set, &mut groups, &mut types, &mut code_lists) {
        Ok(c) => c,
        Err(mut diags) => {
            diags.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
            diags.dedup();
            return Err(Diagnostics(diags));
        }
    };

    crate::resolve::pagination(set, &mut groups, &types);

    // Feature dependencies between groups.
    for gm in &mut groups {
        let mut deps = BTreeSet::new();
        for t in &gm.types {
            for f in &types[t.0 as usize].fields {
                if let Some(n) = f.ty.named() {
                    deps.insert(types[n.0 as usize].group.clone());
                }
                if let Some(cl) = f.code_list {
                    if let Some(g) = &code_lists[cl.0 as usize].group {
                        deps.insert(g.clone());
                    }
                }
            }
        }
        for ff in gm.file_formats.values() {
            for col in &ff.columns {
                if let Some(cl) = col.code_list {
                    if let Some(g) = &code_lists[cl.0 as usize].group {
                        deps.insert(g.clone());
                    }
                }
            }
        }
        for op in &gm.operations {
            for p in &op.params {
                if let Some(cl) = p.code_list {
                    if let Some(g) = &code_lists[cl.0 as usize].group {
                        deps.insert(g.clone());
                    }
                }
            }
        }
        deps.remove(&gm.info.id);
        gm.depends_on = deps;
    }
    groups.sort_by(|a, b| a.info.id.cmp(&b.info.id));

    let mut error_codes: Vec<crate::ir::ErrorCode> = set
        .errors
        .value
        .error_codes
        .iter()
        .map(Into::into)
        .collect();
    error_codes.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(Model {
        service: (&set.service.value).into(),
        crate_ident,
        http_statuses: set
            .errors
            .value
            .http_statuses
            .iter()
            .map(Into::into)
            .collect(),
        error_codes,
        groups,
        types,
        code_lists,
        spec_hash: spec_hash(set),
    })
}

fn mark_reachable(types: &mut [TypeInfo], roots: Vec<TypeId>, input: bool) {
    let mut stack = roots;
    while let Some(n) = stack.pop() {
        let Some(t) = types.get_mut(n.0 as usize) else {
            continue;
        };
        let flag = if input { &mut t.input } else { &mut t.output };
        if *flag {
            continue;
        }
        *flag = true;
        stack.extend(t.fields.iter().filter_map(|f| f.ty.named()));
    }
}

fn spec_hash(set: &SpecSet) -> String {
    let mut h = Sha256::new();
    let mut files: Vec<(&std::path::Path, &[u8])> = vec![
        (&set.service.path, &set.service.bytes),
        (&set.errors.path, &set.errors.bytes),
    ];
    files.extend(
        set.groups
            .iter()
            .map(|g| (g.path.as_path(), g.bytes.as_slice())),
    );
    files.sort();
    for (p, b) in files {
        h.update(p.to_string_lossy().replace('\\', "/").as_bytes());
        h.update([0]);
        h.update((b.len() as u64).to_le_bytes());
        h.update(b);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// "did you mean" for a misspelt name.
fn suggest<'n>(name: &str, candidates: impl Iterator<Item = &'n String>) -> String {
    let lower = name.to_lowercase();
    let best = candidates
        .map(|c| (strsim(&lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= 3)
        .min();
    match best {
        Some((_, c)) => format!("did you mean `{c}`?"),
        None => "define the type in a group file, or fix the name".into(),
    }
}

/// Levenshtein distance.
fn strsim(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

fn check_code_list_ref(
    c: &mut Checker,
    file: Option<usize>,
    path: NodePath,
    cl: &Option<String>,
    ty: &TypeExpr,
    code_lists: &BTreeMap<String, CodeListInfo>,
) -> Option<CodeListId> {
    let cl = cl.as_ref()?;
    let Some(info) = code_lists.get(cl) else {
        c.err(
            file,
            path,
            format!("code list `{cl}` is not defined"),
            Some("define it under `code_lists` of a group or of service.yaml"),
        );
        return None;
    };
    let leaf = match ty {
        TypeExpr::List(i) => i.as_ref(),
        t => t,
    };
    let ok = match info.def.ty {
        crate::ir::CodeListType::Integer => leaf.is_integral(),
        crate::ir::CodeListType::String => *leaf == TypeExpr::String,
    };
    if !ok {
        c.err(
            file,
            path,
            format!(
                "code list `{cl}` holds {:?} codes but the value is {leaf:?}",
                info.def.ty
            ),
            Some("an integer code list needs an integer or long value, a string one a string"),
        );
    }
    code_list_id(code_lists, cl)
}

#[allow(clippy::too_many_arguments)]
fn check_operation(
    c: &mut Checker,
    gi: usize,
    oi: usize,
    op: &Operation,
    types: &Types,
    code_lists: &BTreeMap<String, CodeListInfo>,
    auth_ids: &BTreeSet<String>,
    known_codes: &HashMap<String, u16>,
    global_codes: &HashMap<String, u16>,
    op_ids: &HashMap<String, usize>,
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
        if !c.set.service.value.sites.iter().any(|x| x.id == *s) {
            c.err(
                file,
                at(&node_path!["sites", i]),
                format!("site `{s}` is not defined in service.yaml"),
                None,
            );
        }
    }
    for (i, a) in op.auth.iter().enumerate() {
        if !auth_ids.contains(a) {
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
        if !op_ids.contains_key(&d.replacement) {
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
        match known_codes.get(&e.code) {
            None => c.err(file, epath.clone(), format!("error code `{}` is not in the global table (errors.yaml) nor in `extra_error_codes`", e.code), Some("add it to the group's `extra_error_codes` with its source")),
            Some(&status) => {
                let global = global_codes.contains_key(&e.code);
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
            query: None,
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
            info.query = req.query.clone();
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

fn check_request_example(
    c: &mut Checker,
    file: Option<usize>,
    rpath: &NodePath,
    req: &RequestExample,
    params: &[ParamInfo],
) {
    if let Some(q) = &req.query {
        for pair in q.split('&').filter(|s| !s.is_empty()) {
            let key = pair.split('=').next().unwrap_or_default();
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

fn check_response_example(
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
fn usable_body(
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
fn fit(v: &serde_json::Value, ty: &TypeExpr, types: &Types, at: &str, out: &mut Vec<String>) {
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

/// Checks a CSV file format: columns, their types and code lists, and that the documented
/// samples have a header row the reader can map and rows of the header's width.
fn check_file_format(
    c: &mut Checker,
    gi: usize,
    name: &str,
    ff: &crate::spec::model::FileFormat,
    types: &Types,
    code_lists: &BTreeMap<String, CodeListInfo>,
) -> Option<FileFormatInfo> {
    let file = Some(gi);
    let errors_before = c.diags.len();
    let at = |rest: &[Seg]| -> NodePath {
        let mut p = node_path!["file_formats", name];
        p.extend_from_slice(rest);
        p
    };
    if types.contains_key(name) || code_lists.contains_key(name) {
        c.err(
            file,
            at(&[]),
            format!("file format `{name}` has the name of a type or code list"),
            Some("the format becomes a record struct: give it its own name"),
        );
    }
    if ff.columns.is_empty() {
        c.err(
            file,
            at(&node_path!["columns"]),
            "a file format needs columns",
            None,
        );
    }
    let mut seen = BTreeSet::new();
    let mut columns = Vec::new();
    for (i, col) in ff.columns.iter().enumerate() {
        let cpath = |k: &str| at(&node_path!["columns", i, k]);
        if !names::is_snake(&col.name) {
            c.err(
                file,
                cpath("name"),
                format!("column name `{}` is not snake_case", col.name),
                None,
            );
        }
        if !seen.insert(col.name.clone()) {
            c.err(
                file,
                cpath("name"),
                format!("column name `{}` is used twice", col.name),
                None,
            );
        }
        c.fixup_ref(file, cpath("fixup"), &col.fixup, None);
        let ty = match types.parse(&col.ty) {
            Ok(
                t @ (TypeExpr::String
                | TypeExpr::Integer
                | TypeExpr::Long
                | TypeExpr::Decimal
                | TypeExpr::DateTime
                | TypeExpr::Date
                | TypeExpr::Month),
            ) => t,
            Ok(_) => {
                c.err(
                    file,
                    cpath("type"),
                    format!("a file column is text: `{}` is not supported", col.ty),
                    Some("use string, integer, long, decimal, date-time, date or month"),
                );
                continue;
            }
            Err(TypeExprError::Syntax(e)) => {
                c.err(file, cpath("type"), e, None);
                continue;
            }
            Err(TypeExprError::Unknown(n)) => {
                c.err(
                    file,
                    cpath("type"),
                    format!("a file column is text: `{n}` is not supported"),
                    Some("use string, integer, long, decimal, date-time, date or month"),
                );
                continue;
            }
        };
        if let Some(cl) = &col.code_list {
            match code_lists.get(cl) {
                None => c.err(
                    file,
                    cpath("code_list"),
                    format!("code list `{cl}` is not defined"),
                    Some(&suggest(cl, code_lists.keys())),
                ),
                Some(info) => {
                    let fits = match info.def.ty {
                        crate::ir::CodeListType::Integer => ty.is_integral(),
                        crate::ir::CodeListType::String => ty == TypeExpr::String,
                    };
                    if !fits {
                        c.err(
                            file,
                            cpath("code_list"),
                            format!("code list `{cl}` does not hold `{}` values", col.ty),
                            None,
                        );
                    }
                }
            }
        }
        columns.push(FileColumnInfo {
            rust: String::new(),
            code_list: col
                .code_list
                .as_deref()
                .and_then(|cl| code_list_id(code_lists, cl)),
            def: col.into(),
            ty,
        });
    }
    let samples: Vec<Vec<String>> = ff
        .samples
        .iter()
        .map(|s| crate::ir::split_csv_line(s))
        .collect();
    let info = FileFormatInfo {
        name: name.to_string(),
        tests: Default::default(),
        group: c.set.groups[gi].value.group.id.clone(),
        def: ff.into(),
        columns,
        samples,
    };
    if let Some((header, rows)) = info.samples.split_first() {
        if info.columns.len() == ff.columns.len() && info.column_map(header).is_none() {
            c.err(
                file,
                at(&node_path!["samples", 0]),
                format!(
                    "the sample header has {} columns where the format has {}, and not every header text is a column's `header` or `aliases`",
                    header.len(),
                    ff.columns.len()
                ),
                Some("add the sample's header texts as `aliases` of their columns"),
            );
        }
        for (ri, row) in rows.iter().enumerate() {
            if row.len() != header.len() {
                c.err(
                    file,
                    at(&node_path!["samples", ri + 1]),
                    format!(
                        "the sample row has {} cells where its header has {}",
                        row.len(),
                        header.len()
                    ),
                    None,
                );
            }
        }
    }
    (c.diags.len() == errors_before).then_some(info)
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
