//! Lowering: once every check has passed, the checked parts become the [`Model`]: types and
//! code lists are listed by id, each type learns its direction, the naming pass chooses every
//! Rust name, pagination is resolved, and groups learn which groups their types need.

use super::*;

/// Builds the model from the checked groups, types and code lists (still in spec order).
pub(super) fn model(
    set: &SpecSet,
    mut groups: Vec<GroupModel>,
    types: BTreeMap<String, TypeInfo>,
    code_lists: BTreeMap<String, CodeListInfo>,
) -> Result<Model, Diagnostics> {
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
    mark_answer_status(&mut types, &groups);

    // Rust names, once the model is complete and still in spec order.
    let (crate_ident, error_code_variants) =
        match crate::naming::assign(set, &mut groups, &mut types, &mut code_lists) {
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
        error_code_variants,
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

/// Top-level members of a success answer that the decoder reads itself (`client::decode`): an
/// answer carrying an error code is an error, so a success value never holds one.
const ANSWER_STATUS_FIELDS: &[&str] = &["error_code", "error_msg", "error_message"];

/// Marks the error code and message of each success answer's type as read by the decoder only.
/// A type that is also sent, or nested in another type, keeps them: there they are data (a
/// per-item failure), not the status of the answer.
fn mark_answer_status(types: &mut [TypeInfo], groups: &[GroupModel]) {
    let nested: BTreeSet<TypeId> = types
        .iter()
        .flat_map(|t| t.fields.iter().filter_map(|f| f.ty.named()))
        .collect();
    let answers: BTreeSet<TypeId> = groups
        .iter()
        .flat_map(|g| &g.operations)
        .flat_map(|op| &op.responses)
        .filter(|r| (200..300).contains(&r.status))
        .filter_map(|r| r.ty)
        .filter(|t| !nested.contains(t))
        .collect();
    for id in answers {
        let t = &mut types[id.0 as usize];
        if t.input {
            continue;
        }
        for f in &mut t.fields {
            f.answer_status = ANSWER_STATUS_FIELDS.contains(&f.name.as_str());
        }
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
