//! Checks of the CSV file formats and their documented samples.

use super::*;

/// Checks a CSV file format: columns, their types and code lists, and that the documented
/// samples have a header row the reader can map and rows of the header's width.
pub(super) fn check_file_format(
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
