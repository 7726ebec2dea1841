//! Checks of the claims fixups make about the partner reference (`fixups[].claims`), which
//! `docs check` reads: a claim must name one documented fact, so that it explains exactly one
//! difference. An unknown `kind` is already refused when the file is decoded.

use std::collections::HashMap;

use crate::diag::Diagnostic;
use crate::node_path;
use crate::spec::SpecSet;
use crate::spec::locate::NodePath;
use crate::spec::model::{ClaimKind, Fixup};

fn wildcard(s: &str) -> bool {
    s.contains(['*', '?'])
}

/// Every malformed or repeated claim of the spec, located.
pub fn check(set: &SpecSet) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // The same fact claimed twice would hide which fixup explains it.
    let mut seen: HashMap<String, String> = HashMap::new();
    for g in &set.groups {
        let fixups = g
            .value
            .operations
            .iter()
            .enumerate()
            .flat_map(|(oi, o)| {
                o.fixups
                    .iter()
                    .enumerate()
                    .map(move |(fi, f)| (node_path!["operations", oi, "fixups", fi], f))
            })
            .chain(g.value.file_formats.iter().flat_map(|(name, ff)| {
                ff.fixups
                    .iter()
                    .enumerate()
                    .map(move |(fi, f)| (node_path!["file_formats", name, "fixups", fi], f))
            }));
        for (path, f) in fixups {
            for (ci, c) in f.claims.iter().enumerate() {
                let at = |key: &str| {
                    let mut p: NodePath = path.clone();
                    p.extend(node_path!["claims", ci, key]);
                    p
                };
                let mut err = |key: &str, msg: String, hint: &str| {
                    out.push(g.diag(&at(key), msg, Some(hint.to_string())));
                };
                claim_problems(f, c, &mut err);
                let key = format!(
                    "{:?}|{:?}|{}|{:?}|{:?}",
                    c.kind, c.section, c.item, c.document, c.spec
                );
                if let Some(other) = seen.insert(key, f.id.clone()) {
                    err(
                        "item",
                        format!("fixup `{}` claims the same fact as fixup `{other}`", f.id),
                        "one documented fact is explained by one claim: keep it on the fixup that decides it",
                    );
                }
            }
        }
    }
    out
}

fn claim_problems(
    f: &Fixup,
    c: &crate::spec::model::Claim,
    err: &mut impl FnMut(&str, String, &str),
) {
    let item = c.item.trim();
    if item.is_empty() {
        err(
            "item",
            format!("a claim of fixup `{}` has an empty item", f.id),
            "name the parameter or field path, error code or row exactly as `docs check` reports it",
        );
    } else if item != c.item || wildcard(item) {
        err(
            "item",
            format!(
                "claim item `{}` of fixup `{}` is not one item (spaces around it, or a wildcard)",
                c.item, f.id
            ),
            "a claim names one fact; write one claim per item",
        );
    }
    if let Some(s) = &c.section
        && (s.is_empty() || !s.chars().all(|ch| ch.is_ascii_digit() || ch == '.'))
    {
        err(
            "section",
            format!(
                "claim section `{s}` of fixup `{}` is not a section number",
                f.id
            ),
            "use the document's section number, e.g. 12.3.2.1",
        );
    }
    for (key, v) in [("document", &c.document), ("spec", &c.spec)] {
        if v.as_deref().is_some_and(|v| v.trim().is_empty()) {
            err(
                key,
                format!("claim `{key}` of fixup `{}` is empty", f.id),
                "leave the key out to match any value, or give the value as reported",
            );
        }
    }
    if let Some(r) = &c.replaces {
        let twin = matches!(
            c.kind,
            ClaimKind::FieldAdded | ClaimKind::ParameterAdded | ClaimKind::ErrorCodeAdded
        );
        if !twin {
            err(
                "replaces",
                format!(
                    "claim of fixup `{}` has `replaces` but kind {:?} has no removed twin",
                    f.id, c.kind
                ),
                "`replaces` goes with field_added, parameter_added or error_code_added",
            );
        } else if r.trim().is_empty() || wildcard(r) {
            err(
                "replaces",
                format!("claim `replaces` of fixup `{}` is not one item", f.id),
                "name the spec's item exactly as `docs check` reports it",
            );
        }
    }
}
