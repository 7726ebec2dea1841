//! Checks of the code lists (service-wide and per group): names, value types, duplicates.

use super::*;

/// Checks every code list; the ones that can be used, by name.
pub(super) fn check(c: &mut Checker) -> BTreeMap<String, CodeListInfo> {
    let set = c.set;
    // Code lists: service-wide, then per group.
    let mut code_lists: BTreeMap<String, CodeListInfo> = BTreeMap::new();
    let mut code_list_origin: BTreeSet<String> = BTreeSet::new();
    let mut add_code_list = |c: &mut Checker<'_>,
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
        add_code_list(c, None, None, name, def);
    }
    for (gi, g) in set.groups.iter().enumerate() {
        for (name, def) in &g.value.code_lists {
            add_code_list(c, Some(gi), Some(g.value.group.id.clone()), name, def);
        }
    }

    code_lists
}
