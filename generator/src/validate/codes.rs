//! Checks of the code lists (service-wide and per group): names, value types, duplicates.

use super::*;

/// Checks every code list, service-wide ones first; the ones that can be used, by name.
pub(super) fn check(c: &mut Checker) -> BTreeMap<String, CodeListInfo> {
    let set = c.set;
    let mut code_lists = BTreeMap::new();
    for (name, def) in &set.service.value.code_lists {
        add(c, &mut code_lists, None, None, name, def);
    }
    for (gi, g) in set.groups.iter().enumerate() {
        for (name, def) in &g.value.code_lists {
            let group = Some(g.value.group.id.clone());
            add(c, &mut code_lists, Some(gi), group, name, def);
        }
    }
    code_lists
}

/// Checks one code list of file `file` (`None`: service.yaml) and adds it unless its name is
/// taken.
fn add(
    c: &mut Checker,
    code_lists: &mut BTreeMap<String, CodeListInfo>,
    file: Option<usize>,
    group: Option<String>,
    name: &String,
    def: &CodeList,
) {
    let path = node_path!["code_lists", name];
    if !names::is_upper_camel(name) {
        c.err(
            file,
            path.clone(),
            format!("code list name `{name}` is not UpperCamelCase"),
            Some("rename it; Rust type names are derived from it unchanged"),
        );
    }
    if code_lists.contains_key(name) {
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
        for (si, s) in v.sites.iter().enumerate() {
            c.site_ref(
                file,
                node_path!["code_lists", name, "values", i, "sites", si],
                s,
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
}
