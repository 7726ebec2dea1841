//! Table rows as spec parameters and fields: types, mandatory flags, constraints and the code
//! lists their cells print.

use super::names;
use super::yaml::{Flow, scalar};
use super::{CodeListDraft, Cx};
use crate::docs::model::{Constraint, DocType, Row};

/// A rendered list entry (`{ name: ..., ... }`) and what a person must confirm about it.
pub(super) struct Entry {
    pub(super) flow: String,
    pub(super) checks: Vec<String>,
}

/// Where a row goes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// A parameter in `header`, `path` or `query`.
    Param(&'static str),
    /// A field of a request body type (the mandatory column matters).
    RequestField,
    /// A field of a response or nested type.
    Field,
}

/// The spec type of a documented type, and whether the reading is unsure.
fn spec_type(t: &DocType) -> (String, bool) {
    match t {
        DocType::String => ("string".into(), false),
        DocType::Integer => ("integer".into(), false),
        DocType::Long => ("long".into(), false),
        DocType::Double | DocType::BigDecimal | DocType::Number => ("decimal".into(), false),
        DocType::Boolean => ("boolean".into(), false),
        DocType::List(i) => {
            let (inner, unsure) = spec_type(i);
            (format!("list<{inner}>"), unsure)
        }
        DocType::Object(n) => (n.clone(), false),
        DocType::Unknown(_) => ("string".into(), true),
    }
}

fn leaf(t: &DocType) -> &DocType {
    match t {
        DocType::List(i) => leaf(i),
        other => other,
    }
}

/// Drafts one row.
pub(super) fn row(cx: &mut Cx, r: &Row, place: Place, table: Option<&str>) -> Entry {
    let mut checks = Vec::new();
    let printed: Option<String> = r
        .type_text
        .as_deref()
        .map(|t| t.split_whitespace().collect());
    let (ty, doc_type) = match &r.ty {
        None => {
            let numeric = r.constraints.iter().any(|c| {
                matches!(
                    c,
                    Constraint::Range { .. }
                        | Constraint::Minimum { .. }
                        | Constraint::Maximum { .. }
                )
            });
            let (ty, why) = if numeric {
                ("integer", " from the numeric range")
            } else {
                ("string", "")
            };
            checks.push(format!(
                "line {}: the table prints no type; {ty} assumed{why}",
                r.line
            ));
            (ty.to_string(), None)
        }
        Some(t) => {
            let (ty, unsure) = spec_type(t);
            if unsure {
                checks.push(format!(
                    "line {}: type `{}` not understood; string assumed",
                    r.line,
                    printed.as_deref().unwrap_or("")
                ));
            }
            let recorded = unsure
                || matches!(
                    leaf(t),
                    DocType::Double | DocType::BigDecimal | DocType::Number
                );
            if let Some(n) = t.named() {
                cx.referenced.insert(n.to_string());
                if !cx.defined.contains(n) {
                    checks.push(format!(
                        "line {}: type {n} has no table in this section; define it or use the spec's",
                        r.line
                    ));
                }
            }
            (ty, printed.clone().filter(|_| recorded))
        }
    };
    let lower = r.name.to_ascii_lowercase();
    if [
        "password",
        "verification",
        "verify_code",
        "id_number",
        "token",
        "mobile",
        "email",
        "phone",
    ]
    .iter()
    .any(|p| lower.contains(p))
    {
        checks.push(format!(
            "{}: a secret or personal data? then add `sensitive: true`",
            r.name
        ));
    }
    let mut flow = Flow::default().str("name", &r.name);
    if let Place::Param(loc) = place {
        flow = flow.raw("in", loc);
    }
    flow = flow.str("type", &ty);
    match (r.required, place) {
        (Some(true), _) => flow = flow.raw("required", "true"),
        (None, Place::Param(_) | Place::RequestField) => checks.push(format!(
            "line {}: the table has no mandatory column; optional assumed",
            r.line
        )),
        _ => {}
    }
    match (doc_type, place) {
        (Some(d), Place::Param(_)) => checks.push(format!(
            "line {}: documented type {d} (parameters have no doc_type)",
            r.line
        )),
        (Some(d), _) => flow = flow.str("doc_type", &d),
        (None, _) => {}
    }
    let (keys, values) = constraints(r, &ty, &mut checks);
    for (k, v) in keys {
        if k == "min_items" && matches!(place, Place::Param(_)) {
            checks.push(format!(
                "line {}: at least {v} items (parameters have no min_items)",
                r.line
            ));
            continue;
        }
        flow = flow.raw(k, v);
    }
    // A boolean's values are its type's; the spec gives booleans no code list.
    let boolean = ty == "boolean";
    if boolean && values.iter().any(|(v, _)| v != "true" && v != "false") {
        checks.push(format!(
            "line {}: a Boolean with values other than true and false",
            r.line
        ));
    }
    if !values.is_empty() && !boolean {
        let name = code_list(cx, r, &ty, values, table, &mut checks);
        flow = flow.str("code_list", &name);
    }
    flow = flow.raw("description", "TODO");
    Entry {
        flow: flow.render(),
        checks,
    }
}

/// A code value and its label, if any.
type Coded = (String, Option<String>);

/// The range cell as spec constraints, and the code values of the row (value, label).
fn constraints(
    r: &Row,
    ty: &str,
    checks: &mut Vec<String>,
) -> (Vec<(&'static str, String)>, Vec<Coded>) {
    let list = ty.starts_with("list<");
    let integral = ty == "integer" || ty == "long";
    let numeric = integral || ty == "decimal";
    let string = ty == "string";
    let mut out: Vec<(&'static str, String)> = Vec::new();
    let mut set = |k: &'static str, v: String| {
        out.retain(|(x, _)| *x != k);
        out.push((k, v));
    };
    let single: Option<i64> = r.constraints.iter().find_map(|c| match c {
        Constraint::Values { values } if values.len() == 1 => values[0].parse().ok(),
        _ => None,
    });
    let length = string && single.is_some();
    for c in &r.constraints {
        match c {
            Constraint::MaxLength { value } if list => set("max_items", value.to_string()),
            Constraint::MaxLength { value } => set("max_length", value.to_string()),
            Constraint::MinLength { value } => set("min_length", value.to_string()),
            Constraint::MaxItems { value } => set("max_items", value.to_string()),
            Constraint::Minimum { value } => set("minimum", value.to_string()),
            Constraint::Maximum { value } => set("maximum", value.to_string()),
            range @ Constraint::Range {
                min_exclusive,
                max_exclusive,
                ..
            } => {
                if (*min_exclusive || *max_exclusive) && !integral {
                    checks.push(format!(
                        "line {}: the range excludes an end, which the spec cannot state here; left out",
                        r.line
                    ));
                }
                let Some((min, max)) = range.inclusive_range(integral, ty == "long") else {
                    continue;
                };
                let (lo, hi) = if list {
                    ("min_items", "max_items")
                } else if numeric || !string {
                    ("minimum", "maximum")
                } else {
                    ("min_length", "max_length")
                };
                let unsigned = lo != "minimum";
                for (k, v) in [(lo, min), (hi, max)] {
                    match v {
                        Some(v) if unsigned && v < 0 => checks.push(format!(
                            "line {}: negative bound {v} for {k}; left out",
                            r.line
                        )),
                        Some(v) => set(k, v.to_string()),
                        None => {}
                    }
                }
            }
            Constraint::Values { .. } => {}
            Constraint::Unparsed { .. } => checks.push(format!(
                "line {}: the range cell could not be read; state its constraints by hand",
                r.line
            )),
        }
    }
    if let Some(n) = single {
        if numeric {
            set("minimum", n.to_string());
            set("maximum", n.to_string());
        } else if let (true, Ok(n)) = (string, u64::try_from(n)) {
            set("min_length", n.to_string());
            set("max_length", n.to_string());
            checks.push(format!(
                "line {}: `[{n}]` read as an exact length of {n}",
                r.line
            ));
        }
    }
    let mut values: Vec<Coded> = r
        .code_values
        .iter()
        .map(|c| (c.value.clone(), Some(c.label.clone())))
        .collect();
    for c in r.constraints.iter().filter(|_| !length && single.is_none()) {
        if let Constraint::Values { values: vs } = c {
            for v in vs {
                if !values.iter().any(|(x, _)| x == v) {
                    values.push((v.clone(), None));
                }
            }
        }
    }
    (out, values)
}

/// A label short enough to be a name (`月度预算`), not a sentence.
fn name_like(label: &str) -> bool {
    let n = label.chars().count();
    n > 0 && n <= 20 && !label.chars().any(|c| "。，,;；!！?？".contains(c))
}

/// Registers the code list of a row (reusing a drafted list with the same values) and returns
/// its name.
fn code_list(
    cx: &mut Cx,
    r: &Row,
    ty: &str,
    values: Vec<Coded>,
    table: Option<&str>,
    checks: &mut Vec<String>,
) -> String {
    let numbers = values.iter().all(|(v, _)| v.parse::<i64>().is_ok());
    let integral = matches!(ty, "integer" | "long" | "list<integer>" | "list<long>");
    let integer = integral && numbers;
    if integral && !numbers {
        checks.push(format!(
            "line {}: an integer field with values that are not numbers; the code list is string",
            r.line
        ));
    }
    if let Some(same) = cx
        .code_lists
        .iter()
        .find(|c| c.integer == integer && c.values.iter().eq(values.iter().map(|v| &v.0)))
    {
        return same.name.clone();
    }
    let base = names::type_name(&r.name);
    let spec_lists = cx.spec.map(|v| &v.code_lists);
    if let Some(lists) = spec_lists {
        let same = |vs: &Vec<String>| {
            vs.len() == values.len() && values.iter().all(|(v, _)| vs.contains(v))
        };
        let mut candidates: Vec<&String> = lists
            .iter()
            .filter(|(_, vs)| same(vs))
            .map(|(n, _)| n)
            .collect();
        // A list the chapter's group file uses first, then the list named like the field, then
        // one whose name ends like it.
        let used_at_home = |n: &str| {
            cx.spec.zip(cx.home.as_deref()).is_some_and(|(v, home)| {
                v.types.values().any(|t| {
                    t.location.starts_with(home)
                        && t.fields.iter().any(|f| f.code_list.as_deref() == Some(n))
                })
            })
        };
        candidates.sort_by_key(|n| (!used_at_home(n), **n != base, !n.ends_with(&base)));
        if let Some((found, others)) = candidates.split_first() {
            let also = if others.is_empty() {
                String::new()
            } else {
                let names: Vec<&str> = others.iter().map(|n| n.as_str()).collect();
                format!(" (also: {})", names.join(", "))
            };
            checks.push(format!(
                "line {}: the spec's code list {found} has the same values; reused{also}",
                r.line
            ));
            return (*found).clone();
        }
    }
    let taken = |n: &str| {
        cx.code_lists.iter().any(|c| c.name == n)
            || cx.defined.contains(n)
            || spec_lists.is_some_and(|l| l.contains_key(n))
            || cx.spec.is_some_and(|v| v.types.contains_key(n))
    };
    let mut name = base.clone();
    let mut n = 2;
    while taken(&name) {
        name = format!("{base}{n}");
        n += 1;
    }
    let mut list_checks = vec![format!(
        "name from the field {}; reuse a spec code list with the same values instead",
        r.name
    )];
    if name != base {
        list_checks.push(format!("{base} is taken by another code list or type"));
    }
    let raw: Vec<String> = values.iter().map(|(v, _)| v.clone()).collect();
    let mut used = std::collections::BTreeSet::new();
    let mut entries = Vec::new();
    let mut placeholders = false;
    let mut dropped = false;
    for (v, label) in values {
        let mut variant = names::variant(&v).unwrap_or_else(|| {
            placeholders = true;
            names::placeholder_variant(&v)
        });
        while !used.insert(variant.clone()) {
            variant.push('_');
        }
        let value = match v.parse::<i64>() {
            Ok(n) if integer => n.to_string(),
            _ => scalar(&v),
        };
        let mut flow = Flow::default().raw("value", value).str("name", &variant);
        match label.as_deref().map(str::trim) {
            Some(l) if name_like(l) => flow = flow.str("zh", l),
            Some(l) if !l.is_empty() => dropped = true,
            _ => {}
        }
        entries.push(flow.render());
    }
    if placeholders {
        list_checks.push("variant names of values that are not words are placeholders".into());
    }
    if dropped {
        list_checks.push("labels longer than a name were not copied".into());
    }
    cx.code_lists.push(CodeListDraft {
        name: name.clone(),
        integer,
        values: raw,
        entries,
        table: table.map(str::to_string),
        line: r.line,
        checks: list_checks,
    });
    name
}
