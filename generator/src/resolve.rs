//! Resolutions that need the Rust names the naming pass chose: pagination, resolved once here so
//! that no emitter looks its parameters and answer fields up again.

use crate::ir::{
    AnswerPath, GroupModel, OperationInfo, PageParam, PaginationInfo, PathStep, TypeExpr, TypeInfo,
};
use crate::spec::SpecSet;
use crate::spec::model::{OffsetUnit, Pagination};

/// Resolves the pagination of every operation. `groups` are in the order of `set.groups`, with
/// their operations in spec order; the checks have passed, so every name resolves.
pub fn pagination(set: &SpecSet, groups: &mut [GroupModel], types: &[TypeInfo]) {
    for (g, spec) in groups.iter_mut().zip(&set.groups) {
        for (op, sop) in g.operations.iter_mut().zip(&spec.value.operations) {
            op.pagination = sop.pagination.as_ref().and_then(|p| resolve(p, op, types));
        }
    }
}

fn resolve(p: &Pagination, op: &OperationInfo, types: &[TypeInfo]) -> Option<PaginationInfo> {
    let offset = param(op, types, &p.offset)?;
    let limit = param(op, types, &p.limit)?;
    let first_offset = match p.offset_unit {
        OffsetUnit::Record => 0,
        OffsetUnit::Page => offset.default.or(offset.constraints.minimum).unwrap_or(1),
    };
    let answer = types.get(op.success_type()?.0 as usize)?;
    Some(PaginationInfo {
        first_offset,
        offset_unit: p.offset_unit.into(),
        items: path(types, answer, &p.items)?,
        total: match &p.total {
            Some(t) => Some(path(types, answer, t)?),
            None => None,
        },
        offset,
        limit,
    })
}

/// A pagination parameter: a query parameter, else a top-level field of the body type.
fn param(op: &OperationInfo, types: &[TypeInfo], name: &str) -> Option<PageParam> {
    if let Some(p) = op.params.iter().find(|p| p.name == name) {
        return Some(PageParam {
            wire: p.name.clone(),
            rust: p.rust.clone(),
            in_body: false,
            optional: !p.required,
            long: p.ty == TypeExpr::Long,
            default: p.default.as_ref().and_then(serde_json::Value::as_i64),
            constraints: p.constraints.clone(),
        });
    }
    let body = types.get(op.body?.0 as usize)?;
    let f = body.fields.iter().find(|f| f.name == name)?;
    Some(PageParam {
        wire: f.name.clone(),
        rust: f.rust.clone(),
        in_body: true,
        optional: !f.required,
        long: f.ty == TypeExpr::Long,
        default: f.default.as_ref().and_then(serde_json::Value::as_i64),
        constraints: f.constraints.clone(),
    })
}

/// The fields along a dotted answer path (`data.orderInfos`).
fn path(types: &[TypeInfo], t: &TypeInfo, text: &str) -> Option<AnswerPath> {
    let mut steps = Vec::new();
    let mut current = t;
    let mut segments = text.split('.').peekable();
    while let Some(seg) = segments.next() {
        let f = current.fields.iter().find(|f| f.name == seg)?;
        steps.push(PathStep {
            rust: f.rust.clone(),
            // Fields of types that are only received are optional (see `emit::models`).
            optional: !(current.input && f.required),
            ty: f.ty.clone(),
            code_list: f.code_list,
            shape: f.shape.clone(),
        });
        if segments.peek().is_some() {
            current = match &f.ty {
                TypeExpr::Named(n) => types.get(n.0 as usize)?,
                _ => return None,
            };
        }
    }
    Some(AnswerPath {
        text: text.to_string(),
        steps,
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::ir::{Model, OffsetUnit, TypeExpr};

    fn model() -> Model {
        crate::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")).expect("spec")
    }

    #[test]
    fn record_offsets_start_at_zero_and_name_their_fields() {
        let m = model();
        let op = m
            .operations()
            .find(|o| o.id == "ListServiceTypes")
            .expect("op");
        let p = op.pagination.as_ref().expect("paginated");
        assert_eq!(p.offset_unit, OffsetUnit::Record);
        assert_eq!(p.first_offset, 0);
        assert_eq!(
            (p.offset.wire.as_str(), p.offset.rust.as_str()),
            ("offset", "offset")
        );
        assert!(!p.offset.in_body && p.offset.optional && !p.offset.long);
        assert_eq!(p.limit.default, Some(10));
        assert_eq!(p.items.text, "service_types");
        let items = p.items.last().expect("items field");
        assert!(matches!(items.ty, TypeExpr::List(_)));
        assert_eq!(
            p.total.as_ref().map(|t| t.text.as_str()),
            Some("total_count")
        );
    }

    #[test]
    fn page_numbers_start_at_the_documented_default_or_minimum() {
        let m = model();
        for op in m.operations() {
            let Some(p) = &op.pagination else { continue };
            match p.offset_unit {
                OffsetUnit::Record => assert_eq!(p.first_offset, 0, "{}", op.id),
                OffsetUnit::Page => {
                    let want = p
                        .offset
                        .default
                        .or(p.offset.constraints.minimum)
                        .unwrap_or(1);
                    assert_eq!(p.first_offset, want, "{}", op.id);
                    assert!(p.first_offset >= 0, "{}", op.id);
                }
            }
            // A dotted path has one step per segment, each naming a Rust field.
            for path in std::iter::once(&p.items).chain(&p.total) {
                assert_eq!(path.steps.len(), path.text.split('.').count(), "{}", op.id);
                assert!(path.steps.iter().all(|s| !s.rust.is_empty()), "{}", op.id);
            }
        }
        assert!(
            m.operations()
                .filter_map(|o| o.pagination.as_ref())
                .any(|p| p.items.steps.len() == 2),
            "the spec pages through a nested list (data.orderInfos)"
        );
    }
}
