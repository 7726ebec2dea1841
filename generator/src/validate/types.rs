//! Checks of the types: sources, fixups, fields, type expressions and code-list references;
//! each type's fields resolved.

use super::*;

/// Checks every type; the types, by name.
pub(super) fn check(
    c: &mut Checker,
    type_origin: &BTreeMap<String, (usize, String)>,
    type_ids: &BTreeMap<String, TypeId>,
    code_lists: &BTreeMap<String, CodeListInfo>,
) -> BTreeMap<String, TypeInfo> {
    let set = c.set;
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
                for (si, s) in f.sites.iter().enumerate() {
                    c.site_ref(
                        Some(gi),
                        node_path!["types", tname, "fields", fi, "sites", si],
                        s,
                    );
                }
                let ty = match parse_type(&f.ty, type_ids) {
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
                    c,
                    Some(gi),
                    node_path!["types", tname, "fields", fi, "code_list"],
                    &f.code_list,
                    &ty,
                    code_lists,
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
                    answer_status: false,
                    redaction_test: None,
                    ty,
                    code_list,
                    required: f.required && f.sites.is_empty(),
                    sites: f.sites.clone(),
                    site_required: f.required && !f.sites.is_empty(),
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
                    rust: tname.clone(),
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

    types
}
