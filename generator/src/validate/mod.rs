//! Checks the loaded spec and resolves it into the [`Model`]: the checks of the service, code
//! lists, types and fixups are here, those of operations, examples and file formats in their
//! modules, all sharing one [`Checker`]; [`lower`] builds the model once they pass.
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

mod examples;
mod files;
mod lower;
mod operations;

use examples::{check_request_example, check_response_example, usable_body};
use files::check_file_format;
use operations::check_operation;
pub use operations::path_placeholders;

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
    /// Auth scheme ids of `service.yaml`.
    auth_ids: BTreeSet<String>,
    /// The global error-code table: code → HTTP status.
    codes: HashMap<String, u16>,
    /// The global table and every group's extra codes.
    known_codes: HashMap<String, u16>,
    /// Operation ids, with the group file defining each.
    op_ids: HashMap<String, usize>,
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
        auth_ids: BTreeSet::new(),
        codes: HashMap::new(),
        known_codes: HashMap::new(),
        op_ids: HashMap::new(),
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
    c.auth_ids = auth_ids;
    c.codes = codes;
    c.known_codes = known_codes;
    c.op_ids = op_ids;
    let tys = Types {
        map: &types,
        names: &type_names,
    };
    let mut groups = Vec::new();
    for (gi, g) in set.groups.iter().enumerate() {
        let mut ops = Vec::new();
        for (oi, op) in g.value.operations.iter().enumerate() {
            if let Some(info) = check_operation(&mut c, gi, oi, op, &tys, &code_lists) {
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

    lower::model(set, groups, types, code_lists)
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
