//! The spec as the comparison sees it: the one place that reads the resolved model
//! ([`crate::ir::Model`]), so that a change of the model's shape is ported here only. What the
//! model does not keep (the documented text of a repaired example, the fixups' claims) is read
//! here from the loaded spec files ([`SpecSet`]).

use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::Diagnostics;
use crate::docs::compare::{Claim, DriftKind};
use crate::ir::{Constraints, Model, NamedTypeExpr, ParamLocation};
use crate::spec::SpecSet;
use crate::spec::model::Fixup;

/// The id of the partner reference in `service.yaml`.
pub const PARTNER_DOCUMENT: &str = "004";

/// A field or parameter.
#[derive(Clone, Debug)]
pub struct SpecField {
    /// Wire name.
    pub name: String,
    /// Type, with type names.
    pub ty: NamedTypeExpr,
    /// Documented type text recorded by the spec, when it differs from `ty`.
    pub doc_type: Option<String>,
    /// Required.
    pub required: bool,
    /// Constraints.
    pub constraints: Constraints,
    /// Code list name.
    pub code_list: Option<String>,
    /// Only a documented example shows the field (no table row is expected).
    pub from_example: bool,
}

/// A named type.
#[derive(Clone, Debug)]
pub struct SpecType {
    /// Name in the spec.
    pub name: String,
    /// Documented name, when the spec renamed it.
    pub doc_name: Option<String>,
    /// Where it is defined.
    pub location: String,
    /// Fields.
    pub fields: Vec<SpecField>,
}

/// An example.
#[derive(Clone, Debug)]
pub struct SpecExample {
    /// Query string of the request.
    pub query: Option<String>,
    /// Request body: as documented when the view comes from [`load`] (or [`documented_examples`]
    /// was applied), else the usable (possibly repaired) body of the model.
    pub request_body: Option<String>,
    /// Response status.
    pub response_status: Option<u16>,
    /// Response body, as for `request_body`.
    pub response_body: Option<String>,
}

/// An operation of the partner reference.
#[derive(Clone, Debug)]
pub struct SpecOperation {
    /// Operation id.
    pub id: String,
    /// Section of the partner reference.
    pub section: String,
    /// Chinese title.
    pub title_zh: String,
    /// Method.
    pub method: String,
    /// Path.
    pub path: String,
    /// Where it is defined.
    pub location: String,
    /// Marked deprecated.
    pub deprecated: bool,
    /// Parameters with their location (`header`, `path`, `query`).
    pub params: Vec<(&'static str, SpecField)>,
    /// Body type.
    pub body: Option<String>,
    /// Responses: status and body type.
    pub responses: Vec<(u16, Option<String>)>,
    /// Error rows: status and code.
    pub errors: Vec<(u16, String)>,
    /// Rate limit: requests, seconds, dimensions (`source_ip`, `api`, `parent_uid`).
    pub rate_limit: Option<(u32, u32, Vec<String>)>,
    /// Permission items and names.
    pub permission: Option<(Vec<String>, Vec<String>)>,
    /// Examples.
    pub examples: Vec<SpecExample>,
}

/// A row of the global error table.
#[derive(Clone, Debug)]
pub struct SpecError {
    /// Code.
    pub code: String,
    /// Status.
    pub status: u16,
    /// English message.
    pub message: String,
}

/// The part of the spec the partner reference documents.
#[derive(Clone, Debug, Default)]
pub struct SpecView {
    /// Operations whose source is the partner reference.
    pub operations: Vec<SpecOperation>,
    /// Every named type, by name.
    pub types: BTreeMap<String, SpecType>,
    /// Code list values (as text), by code list name.
    pub code_lists: BTreeMap<String, Vec<String>>,
    /// The global error table.
    pub errors: Vec<SpecError>,
}

fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn location(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
}

/// The site the partner reference (004) documents.
const PARTNER_SITE: &str = "international";

/// Whether a field or code restricted to `sites` (empty: every site) is on the partner site.
fn on_partner_site(sites: &[String]) -> bool {
    sites.is_empty() || sites.iter().any(|s| s == PARTNER_SITE)
}

/// Builds the view from the resolved model.
pub fn view(model: &Model) -> SpecView {
    let types = model
        .types
        .iter()
        .map(|t| {
            // The partner reference documents the international site: a field or code another
            // site's page documents is not the reference's to compare.
            let fields = t
                .fields
                .iter()
                .filter(|f| on_partner_site(&f.sites))
                .map(|f| SpecField {
                    name: f.name.clone(),
                    ty: f.ty.with_names(model),
                    doc_type: f.doc_type.clone(),
                    required: f.required || f.site_required,
                    constraints: f.constraints.clone(),
                    code_list: f.code_list.map(|c| model[c].name.clone()),
                    from_example: f.from_example,
                })
                .collect();
            let st = SpecType {
                name: t.name.clone(),
                doc_name: t.def.doc_name.clone(),
                location: format!("spec/groups/{}.yaml: types.{}", t.group, t.name),
                fields,
            };
            (t.name.clone(), st)
        })
        .collect();
    let code_lists = model
        .code_lists
        .iter()
        .map(|c| {
            (
                c.name.clone(),
                c.def
                    .values
                    .iter()
                    .filter(|v| on_partner_site(&v.sites))
                    .map(|v| value_text(&v.value))
                    .collect(),
            )
        })
        .collect();
    let operations = model
        .operations()
        .filter(|o| o.source.document == PARTNER_DOCUMENT)
        .map(|o| SpecOperation {
            id: o.id.clone(),
            section: o.source.section.clone(),
            title_zh: o.title_zh.clone(),
            method: o.method.as_str().to_string(),
            path: o.path.clone(),
            location: format!("spec/groups/{}.yaml: operation {}", o.group, o.id),
            deprecated: o.deprecated.is_some(),
            params: o
                .params
                .iter()
                .map(|p| {
                    let f = SpecField {
                        name: p.name.clone(),
                        ty: p.ty.with_names(model),
                        doc_type: None,
                        required: p.required,
                        constraints: p.constraints.clone(),
                        code_list: p.code_list.map(|c| model[c].name.clone()),
                        from_example: false,
                    };
                    (location(p.location), f)
                })
                .collect(),
            body: o.body.map(|b| model[b].name.clone()),
            responses: o
                .responses
                .iter()
                .map(|r| (r.status, r.ty.map(|b| model[b].name.clone())))
                .collect(),
            errors: o.errors.clone(),
            rate_limit: o.rate_limit.as_ref().map(|r| {
                let dims = r
                    .dimensions
                    .iter()
                    .map(|d| {
                        serde_json::to_value(d)
                            .ok()
                            .map(|v| value_text(&v))
                            .unwrap_or_default()
                    })
                    .collect();
                (r.requests, r.per_seconds, dims)
            }),
            permission: o
                .permission
                .as_ref()
                .map(|p| (p.items.clone(), p.names_zh.clone())),
            examples: o
                .examples
                .iter()
                .map(|e| SpecExample {
                    query: (!e.query.is_empty()).then(|| {
                        e.query
                            .iter()
                            .map(|p| match &p.value {
                                Some(v) => format!("{}={v}", p.key),
                                None => p.key.clone(),
                            })
                            .collect::<Vec<_>>()
                            .join("&")
                    }),
                    request_body: e.request_body.clone(),
                    response_status: e.response_status,
                    response_body: e.response_body.clone(),
                })
                .collect(),
        })
        .collect();
    let errors = model
        .error_codes
        .iter()
        .map(|e| SpecError {
            code: e.code.clone(),
            status: e.http_status,
            message: e.message.clone(),
        })
        .collect();
    SpecView {
        operations,
        types,
        code_lists,
        errors,
    }
}

/// The spec's fixups as the checker reads them.
#[derive(Clone, Debug, Default)]
pub struct SpecFixups {
    /// Every claim of every fixup, with the fixup's id.
    pub claims: Vec<Claim>,
    /// Number of fixups by kind (`field_name`, `example_repair`, ...).
    pub by_kind: BTreeMap<String, usize>,
}

fn all_fixups(set: &SpecSet) -> impl Iterator<Item = &Fixup> {
    set.groups.iter().flat_map(|g| {
        g.value
            .operations
            .iter()
            .flat_map(|o| o.fixups.iter())
            .chain(g.value.file_formats.values().flat_map(|f| f.fixups.iter()))
    })
}

fn snake<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The claims of the spec's fixups and the fixups' count by kind.
pub fn fixups(set: &SpecSet) -> SpecFixups {
    let mut out = SpecFixups::default();
    for f in all_fixups(set) {
        *out.by_kind.entry(snake(&f.kind)).or_insert(0) += 1;
        for c in &f.claims {
            // Both enums use the same snake_case names; the spec's lacks only `fixup_stale`.
            let Ok(kind) =
                serde_json::from_value::<DriftKind>(serde_json::Value::String(snake(&c.kind)))
            else {
                continue;
            };
            out.claims.push(Claim {
                fixup: f.id.clone(),
                kind,
                section: c.section.clone(),
                item: c.item.clone(),
                document: c.document.clone(),
                spec: c.spec.clone(),
                replaces: c.replaces.clone(),
            });
        }
    }
    out
}

/// Replaces the examples' bodies of `view` with the text the spec records as documented (the
/// model keeps only the repaired, usable body): the document is compared with what the spec says
/// it printed, and a repair stays the spec's business.
pub fn documented_examples(view: &mut SpecView, set: &SpecSet) {
    let raw: BTreeMap<&str, _> = set
        .groups
        .iter()
        .flat_map(|g| g.value.operations.iter())
        .map(|o| (o.id.as_str(), &o.examples))
        .collect();
    for op in &mut view.operations {
        let Some(examples) = raw.get(op.id.as_str()) else {
            continue;
        };
        // The model keeps one example per spec example, in order.
        if examples.len() != op.examples.len() {
            continue;
        }
        for (e, x) in op.examples.iter_mut().zip(examples.iter()) {
            if let Some(req) = &x.request {
                e.request_body = req.body.clone();
            }
            if let Some(resp) = &x.response {
                e.response_body = resp.body.clone();
            }
        }
    }
}

/// Loads the spec directory as the checker sees it: the view with the documented examples, and
/// the fixups' claims.
pub fn load(dir: &Path) -> Result<(SpecView, SpecFixups), Diagnostics> {
    let set = crate::spec::load_dir(dir)?;
    let model = crate::validate::build(&set)?;
    let mut v = view(&model);
    documented_examples(&mut v, &set);
    Ok((v, fixups(&set)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_claim_kind_is_a_drift_kind() {
        let schema = serde_json::to_value(schemars::schema_for!(crate::spec::model::ClaimKind))
            .unwrap_or_default();
        let names: Vec<String> = schema["enum"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        assert_eq!(names.len(), 20, "{schema}");
        for n in names {
            let kind = serde_json::from_value::<DriftKind>(serde_json::Value::String(n.clone()));
            assert_eq!(kind.map(|k| k.as_str()).ok(), Some(n));
        }
    }
}
