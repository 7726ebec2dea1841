//! Checks the loaded spec and resolves it into the [`Model`]: the checks of the service, code
//! lists, types and fixups are here, those of operations, examples and file formats in their
//! modules, all sharing one `Checker`; `lower` builds the model once they pass.
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

mod claims;
mod codes;
mod examples;
mod files;
mod fixups;
mod ids;
mod lower;
mod operations;
mod service;
mod types;

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
    /// Reports a site id that `service.yaml` does not define.
    fn site_ref(&mut self, file: Option<usize>, path: NodePath, site: &str) {
        if !self.set.service.value.sites.iter().any(|x| x.id == site) {
            self.err(
                file,
                path,
                format!("site `{site}` is not defined in service.yaml"),
                None,
            );
        }
    }

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

    service::check(&mut c);

    let code_lists = codes::check(&mut c);

    let type_origin = ids::check(&mut c, &code_lists);

    // Type ids: indexes among the sorted type names, as in the model.
    let type_names: Vec<String> = type_origin.keys().cloned().collect();
    let type_ids: BTreeMap<String, TypeId> = type_names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.clone(), TypeId(i as u32)))
        .collect();

    let types = types::check(&mut c, &type_origin, &type_ids, &code_lists);

    // Operations.
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

    fixups::check_unreferenced(&mut c);
    c.diags.extend(claims::check(set));

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
