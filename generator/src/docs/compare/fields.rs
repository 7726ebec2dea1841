//! Parameters and fields: types, mandatory flags, constraints, code values, nested types.

use std::collections::BTreeSet;

use super::{At, Cx, DriftKind};
use crate::docs::model::{Constraint, DocType, Operation, Row};
use crate::docs::read::codes;
use crate::docs::spec_view::{SpecField, SpecType};
use crate::ir::{Constraints, NamedTypeExpr as TypeExpr};

pub(super) fn fields(
    cx: &mut Cx,
    d: &Operation,
    at: &At,
    prefix: &str,
    rows: &[Row],
    spec_type: &str,
) {
    let table = (rows.first().map_or(0, |r| r.line), spec_type.to_string());
    if cx.stack.iter().any(|t| t == spec_type)
        || cx.stack.len() > 16
        || !cx.compared_tables.insert(table)
    {
        return;
    }
    let Some(st) = cx.spec.types.get(spec_type) else {
        cx.skip("types the spec names but does not define");
        return;
    };
    cx.stack.push(spec_type.to_string());
    fields_of(cx, d, at, prefix, rows, spec_type, st);
    cx.stack.pop();
}

fn fields_of(
    cx: &mut Cx,
    d: &Operation,
    at: &At,
    prefix: &str,
    rows: &[Row],
    spec_type: &str,
    st: &SpecType,
) {
    let at = At {
        location: Some(st.location.clone()),
        ..at.clone()
    };
    let mut seen = BTreeSet::new();
    for row in rows {
        let item = format!("{prefix}.{}", row.name);
        seen.insert(row.name.as_str());
        let f = match st.fields.iter().find(|f| f.name == row.name) {
            Some(f) => {
                cx.fact(
                    "fields",
                    true,
                    DriftKind::FieldAdded,
                    &at,
                    &item,
                    Some(row.line),
                    None,
                    None,
                    "",
                );
                f
            }
            None => {
                cx.fact(
                    "fields",
                    false,
                    DriftKind::FieldAdded,
                    &at,
                    &item,
                    Some(row.line),
                    row.type_text.clone(),
                    None,
                    &format!("a documented field that spec type {spec_type} lacks"),
                );
                // A misprinted name a claim maps to a spec field: the rest of the row is compared
                // with that field.
                let renamed = cx.replaced(DriftKind::FieldAdded, &at, &item);
                let target = renamed
                    .as_deref()
                    .and_then(|r| r.strip_prefix(prefix))
                    .and_then(|r| r.strip_prefix('.'));
                // Its removal stays a difference (explained by the same claim).
                match st.fields.iter().find(|f| Some(f.name.as_str()) == target) {
                    Some(f) => f,
                    None => continue,
                }
            }
        };
        field(cx, &at, &item, row, f);
        if let (Some(doc_name), Some(spec_name)) =
            (row.ty.as_ref().and_then(DocType::named), f.ty.named())
        {
            let sep = if matches!(f.ty, TypeExpr::List(_)) {
                "[]"
            } else {
                ""
            };
            match d
                .nested(doc_name)
                .or_else(|| nested_by_spec_name(cx, d, spec_name))
            {
                Some(t) => fields(cx, d, &at, &format!("{item}{sep}"), &t.rows, spec_name),
                None => cx.skip("nested types whose table is not in the operation's section"),
            }
        }
    }
    for f in &st.fields {
        if !seen.contains(f.name.as_str()) && !f.from_example {
            cx.fact(
                "fields",
                false,
                DriftKind::FieldRemoved,
                &at,
                &format!("{prefix}.{}", f.name),
                None,
                None,
                Some(type_text(&f.ty)),
                &format!("a field of spec type {spec_type} the document's table does not list"),
            );
        }
    }
}

fn nested_by_spec_name<'d>(
    cx: &Cx,
    d: &'d Operation,
    spec_name: &str,
) -> Option<&'d crate::docs::model::NestedType> {
    let doc_name = cx
        .spec
        .types
        .get(spec_name)
        .and_then(|t| t.doc_name.clone());
    d.nested(doc_name.as_deref().unwrap_or(spec_name))
}

pub(super) fn type_text(t: &TypeExpr) -> String {
    match t {
        TypeExpr::String => "string".into(),
        TypeExpr::Integer => "integer".into(),
        TypeExpr::Long => "long".into(),
        TypeExpr::Decimal => "decimal".into(),
        TypeExpr::Number => "number".into(),
        TypeExpr::Boolean => "boolean".into(),
        TypeExpr::DateTime => "date-time".into(),
        TypeExpr::Date => "date".into(),
        TypeExpr::Month => "month".into(),
        TypeExpr::Json => "json".into(),
        TypeExpr::List(i) => format!("list<{}>", type_text(i)),
        TypeExpr::Map(i) => format!("map<{}>", type_text(i)),
        TypeExpr::Named(n) => n.clone(),
    }
}

fn types_agree(cx: &Cx, d: &DocType, s: &TypeExpr) -> bool {
    match (d, s) {
        (
            DocType::String,
            TypeExpr::String | TypeExpr::DateTime | TypeExpr::Date | TypeExpr::Month,
        ) => true,
        (DocType::Integer, TypeExpr::Integer)
        | (DocType::Long, TypeExpr::Long)
        | (DocType::Boolean, TypeExpr::Boolean) => true,
        (
            DocType::Double | DocType::BigDecimal | DocType::Number,
            TypeExpr::Decimal | TypeExpr::Number,
        ) => true,
        (DocType::List(a), TypeExpr::List(b)) => types_agree(cx, a, b),
        (DocType::Object(n), TypeExpr::Named(m)) => {
            n == m || cx.spec.types.get(m).and_then(|t| t.doc_name.as_deref()) == Some(n.as_str())
        }
        _ => false,
    }
}

pub(super) fn field(cx: &mut Cx, at: &At, item: &str, row: &Row, f: &SpecField) {
    if let Some(dt) = &row.ty {
        let printed: String = row
            .type_text
            .as_deref()
            .unwrap_or("")
            .split_whitespace()
            .collect();
        let recorded = f
            .doc_type
            .as_ref()
            .is_some_and(|t| t.split_whitespace().collect::<String>() == printed);
        let ok = recorded || types_agree(cx, dt, &f.ty);
        cx.fact(
            "types",
            ok,
            DriftKind::TypeChanged,
            at,
            item,
            Some(row.line),
            row.type_text.clone(),
            Some(f.doc_type.clone().unwrap_or_else(|| type_text(&f.ty))),
            "the documented type and the spec's type disagree",
        );
    }
    if let Some(r) = row.required {
        cx.fact(
            "required",
            r == f.required,
            DriftKind::RequiredChanged,
            at,
            item,
            Some(row.line),
            Some(r.to_string()),
            Some(f.required.to_string()),
            "the documented mandatory flag differs",
        );
    }
    if row
        .constraints
        .iter()
        .any(|c| matches!(c, Constraint::Unparsed { .. }))
    {
        cx.skip("range cells the reader cannot read");
    } else {
        let expected = expected_constraints(&row.constraints, &f.ty);
        let ok = constraints_agree(&expected, &f.constraints, &row.constraints, &f.ty);
        cx.fact(
            "constraints",
            ok,
            DriftKind::ConstraintChanged,
            at,
            item,
            Some(row.line),
            Some(show(&expected)),
            Some(show(&f.constraints)),
            "the documented range or length differs",
        );
    }
    code_values(cx, at, item, row, f);
}

/// The single number of a one-value list (`[6]`, `[-1]`): on a string a length, on a number the
/// value itself.
fn single_number(cs: &[Constraint]) -> Option<i64> {
    cs.iter().find_map(|c| match c {
        Constraint::Values { values } if values.len() == 1 => values[0].parse().ok(),
        _ => None,
    })
}

fn expected_constraints(cs: &[Constraint], ty: &TypeExpr) -> Constraints {
    let list = matches!(ty, TypeExpr::List(_));
    let integral = matches!(ty, TypeExpr::Integer | TypeExpr::Long);
    let numeric = integral || matches!(ty, TypeExpr::Decimal | TypeExpr::Number);
    let mut out = Constraints::default();
    for c in cs {
        match c {
            Constraint::MaxLength { value } if list => out.max_items = Some(*value),
            Constraint::MaxLength { value } => out.max_length = Some(*value),
            Constraint::MinLength { value } => out.min_length = Some(*value),
            Constraint::MaxItems { value } => out.max_items = Some(*value),
            Constraint::Minimum { value } => out.minimum = Some(*value),
            Constraint::Maximum { value } => out.maximum = Some(*value),
            range @ Constraint::Range { .. } => {
                let Some((min, max)) =
                    range.inclusive_range(integral, matches!(ty, TypeExpr::Long))
                else {
                    continue;
                };
                if list {
                    out.min_items = min.and_then(|m| u64::try_from(m).ok());
                    out.max_items = max.and_then(|m| u64::try_from(m).ok());
                } else if numeric || !matches!(ty, TypeExpr::String) {
                    out.minimum = min;
                    out.maximum = max;
                } else {
                    out.min_length = min.and_then(|m| u64::try_from(m).ok());
                    out.max_length = max.and_then(|m| u64::try_from(m).ok());
                }
            }
            Constraint::Values { .. } | Constraint::Unparsed { .. } => {}
        }
    }
    if let Some(n) = single_number(cs) {
        if numeric {
            out.minimum = Some(n);
            out.maximum = Some(n);
        } else if let (TypeExpr::String, Ok(n)) = (ty, u64::try_from(n)) {
            out.min_length = Some(n);
            out.max_length = Some(n);
        }
    }
    out
}

/// Whether the documented constraints and the spec's agree. Two readings are accepted besides
/// equality: a list of integer values the spec encodes as their range (`[0,1]` as 0..=1), and
/// the 32-bit bound of `integer` that the spec may state where the document gives no maximum.
fn constraints_agree(
    doc: &Constraints,
    spec: &Constraints,
    cs: &[Constraint],
    ty: &TypeExpr,
) -> bool {
    if doc == spec {
        return true;
    }
    let mut alt = doc.clone();
    let ints: Vec<i64> = cs
        .iter()
        .flat_map(|c| match c {
            Constraint::Values { values } => values.iter().filter_map(|v| v.parse().ok()).collect(),
            _ => Vec::new(),
        })
        .collect();
    if matches!(ty, TypeExpr::Integer | TypeExpr::Long) && !ints.is_empty() {
        alt.minimum = ints.iter().min().copied();
        alt.maximum = ints.iter().max().copied();
        if alt == *spec {
            return true;
        }
        alt = doc.clone();
    }
    if matches!(ty, TypeExpr::Integer)
        && alt.maximum.is_none()
        && spec.maximum == Some(i64::from(i32::MAX))
    {
        alt.maximum = spec.maximum;
    }
    alt == *spec
}

fn show(c: &Constraints) -> String {
    let mut parts = Vec::new();
    let mut add = |n: &str, v: Option<String>| {
        if let Some(v) = v {
            parts.push(format!("{n}={v}"));
        }
    };
    add("min_length", c.min_length.map(|v| v.to_string()));
    add("max_length", c.max_length.map(|v| v.to_string()));
    add("minimum", c.minimum.map(|v| v.to_string()));
    add("maximum", c.maximum.map(|v| v.to_string()));
    add("min_items", c.min_items.map(|v| v.to_string()));
    add("max_items", c.max_items.map(|v| v.to_string()));
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}

fn code_values(cx: &mut Cx, at: &At, item: &str, row: &Row, f: &SpecField) {
    let cells = [row.range_text.as_deref(), Some(row.description.as_str())];
    for why in cells.into_iter().flatten().filter_map(codes::unread_values) {
        cx.skip(why);
    }
    let mut doc: Vec<String> = row.code_values.iter().map(|c| c.value.clone()).collect();
    let length = matches!(f.ty, TypeExpr::String) && single_number(&row.constraints).is_some();
    for c in row.constraints.iter().filter(|_| !length) {
        if let Constraint::Values { values } = c {
            for v in values {
                if !doc.contains(v) {
                    doc.push(v.clone());
                }
            }
        }
    }
    // A boolean's two values, listed with their meaning, are the type's own domain.
    let boolean =
        matches!(f.ty, TypeExpr::Boolean) && doc.iter().all(|v| v == "true" || v == "false");
    let Some(list) = f.code_list.as_ref().filter(|_| !boolean) else {
        for v in doc {
            cx.fact(
                "code_values",
                boolean,
                DriftKind::CodeValueAdded,
                at,
                item,
                Some(row.line),
                Some(v),
                None,
                "the document lists code values; the spec field has no code list",
            );
        }
        return;
    };
    let spec: Vec<String> = cx.spec.code_lists.get(list).cloned().unwrap_or_default();
    if doc.is_empty() {
        cx.skip("code lists whose values the field's cells do not print");
        return;
    }
    for v in &doc {
        let ok = spec.contains(v);
        let kind = DriftKind::CodeValueAdded;
        if !ok && !cx.seen_codes.insert((list.clone(), v.clone(), kind)) {
            continue;
        }
        cx.fact(
            "code_values",
            ok,
            kind,
            at,
            item,
            Some(row.line),
            Some(v.clone()),
            Some(list.clone()),
            "a documented code value the spec's code list lacks",
        );
    }
    for v in &spec {
        if doc.contains(v) {
            continue;
        }
        let kind = DriftKind::CodeValueRemoved;
        if !cx.seen_codes.insert((list.clone(), v.clone(), kind)) {
            continue;
        }
        cx.fact(
            "code_values",
            false,
            kind,
            at,
            item,
            Some(row.line),
            None,
            Some(format!("{list}: {v}")),
            "a value of the spec's code list the document does not list here",
        );
    }
}
