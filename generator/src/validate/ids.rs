//! Identities: group ids, type names, operation ids and fixup ids are well-formed and unique.

use super::*;

/// Checks the identities and fills the checker's operation ids; the defined type names, each
/// with the group file (index and id) defining it.
pub(super) fn check(
    c: &mut Checker,
    code_lists: &BTreeMap<String, CodeListInfo>,
) -> BTreeMap<String, (usize, String)> {
    let set = c.set;
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

    c.op_ids = op_ids;
    type_origin
}
