//! Semantic diff of two specs, classified for users of the generated crate.
//!
//! A change is *breaking* when code that compiles and works against the old crate may stop
//! compiling or behave differently for the same call: removing an operation, parameter, field,
//! type or code value; changing a type, method or path; changing whether something is required
//! (required members are constructor arguments); narrowing a constraint (client-side validation
//! then refuses values it accepted). Everything else is *compatible*: additions of optional
//! members, code-list values (unknown values are kept by the open enums), error codes, rate
//! limits, deprecations, documentation.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use crate::ir::{Constraints, FieldInfo, Model, OperationInfo, OutcomeLookup, ParamInfo};

/// How a change affects users of the generated crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// Existing code may stop compiling or behave differently.
    Breaking,
    /// Existing code keeps working.
    Compatible,
}

/// What kind of spec element changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// An operation.
    Operation,
    /// A path, query or header parameter.
    Parameter,
    /// A named type.
    Type,
    /// A field of a type.
    Field,
    /// A code list or one of its values.
    CodeList,
    /// An error code.
    ErrorCode,
    /// A documented rate limit.
    RateLimit,
    /// A deprecation.
    Deprecation,
    /// A file format or one of its columns.
    FileFormat,
    /// The generated crate's API as the generator shapes it, recorded in `spec/api-changes.yaml`
    /// (see [`crate::review::api_changes`]).
    GeneratedApi,
}

/// One semantic change.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// Breaking or compatible.
    pub impact: Impact,
    /// What changed.
    pub subject: Subject,
    /// Where, e.g. `ListCustomerOrders.offset` or `CustomerInfo.name`.
    pub location: String,
    /// What happened, in words.
    pub description: String,
}

/// The diff of two specs.
#[derive(Clone, Debug, Serialize)]
pub struct SpecDiff {
    /// Version of the generated crate in the old spec.
    pub old_version: String,
    /// Version of the generated crate in the new spec.
    pub new_version: String,
    /// Changes, breaking first, then by subject and location.
    pub changes: Vec<Change>,
    /// The semver bump the changes call for: `major`, `minor`, `patch` or `none`.
    pub suggested_bump: String,
    /// The version the crate should get, from the old version and the bump.
    pub suggested_version: String,
}

impl SpecDiff {
    /// Whether any change breaks users.
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.impact == Impact::Breaking)
    }
}

struct Diff {
    changes: Vec<Change>,
}

impl Diff {
    fn push(
        &mut self,
        impact: Impact,
        subject: Subject,
        location: impl Into<String>,
        description: impl Into<String>,
    ) {
        self.changes.push(Change {
            impact,
            subject,
            location: location.into(),
            description: description.into(),
        });
    }
    fn breaking(
        &mut self,
        subject: Subject,
        location: impl Into<String>,
        description: impl Into<String>,
    ) {
        self.push(Impact::Breaking, subject, location, description);
    }
    fn compatible(
        &mut self,
        subject: Subject,
        location: impl Into<String>,
        description: impl Into<String>,
    ) {
        self.push(Impact::Compatible, subject, location, description);
    }
}

/// Compares two resolved specs.
pub fn diff(old: &Model, new: &Model) -> SpecDiff {
    let mut d = Diff {
        changes: Vec::new(),
    };
    operations(&mut d, old, new);
    types(&mut d, old, new);
    code_lists(&mut d, old, new);
    error_codes(&mut d, old, new);
    file_formats(&mut d, old, new);
    d.changes.sort();
    d.changes.dedup();
    let old_version = old.service.service.crate_version.clone();
    let new_version = new.service.service.crate_version.clone();
    let (suggested_bump, suggested_version) = bump(&old_version, &d.changes);
    SpecDiff {
        old_version,
        new_version,
        changes: d.changes,
        suggested_bump,
        suggested_version,
    }
}

/// The semver bump for the changes, from `version`: before 1.0 a breaking change bumps the
/// minor number (Cargo's rule), after it the major number.
pub fn bump(version: &str, changes: &[Change]) -> (String, String) {
    let parts: Vec<u64> = version
        .split(['.', '-', '+'])
        .take(3)
        .map(|p| p.parse().unwrap_or(0))
        .collect();
    let (major, minor, patch) = (
        parts.first().copied().unwrap_or(0),
        parts.get(1).copied().unwrap_or(0),
        parts.get(2).copied().unwrap_or(0),
    );
    let breaking = changes.iter().any(|c| c.impact == Impact::Breaking);
    if changes.is_empty() {
        ("none".into(), version.into())
    } else if breaking && major == 0 {
        ("minor".into(), format!("0.{}.0", minor + 1))
    } else if breaking {
        ("major".into(), format!("{}.0.0", major + 1))
    } else if major == 0 {
        ("patch".into(), format!("0.{minor}.{}", patch + 1))
    } else {
        ("minor".into(), format!("{major}.{}.0", minor + 1))
    }
}

fn operations(d: &mut Diff, old: &Model, new: &Model) {
    let o: BTreeMap<&str, &OperationInfo> = old.operations().map(|o| (o.id.as_str(), o)).collect();
    let n: BTreeMap<&str, &OperationInfo> = new.operations().map(|o| (o.id.as_str(), o)).collect();
    for (id, op) in &o {
        let Some(nop) = n.get(id) else {
            d.breaking(
                Subject::Operation,
                *id,
                format!("operation removed ({} {})", op.method.as_str(), op.path),
            );
            continue;
        };
        if op.method != nop.method || op.path != nop.path {
            d.breaking(
                Subject::Operation,
                *id,
                format!(
                    "endpoint changed from {} {} to {} {}",
                    op.method.as_str(),
                    op.path,
                    nop.method.as_str(),
                    nop.path
                ),
            );
        }
        if op.group != nop.group {
            d.breaking(
                Subject::Operation,
                *id,
                format!(
                    "moved from group `{}` to `{}` (module and cargo feature)",
                    op.group, nop.group
                ),
            );
        }
        let (ob, nb) = (
            op.body.map(|b| old[b].name.as_str()),
            nop.body.map(|b| new[b].name.as_str()),
        );
        if ob != nb {
            d.breaking(
                Subject::Operation,
                *id,
                format!("request body changed from {} to {}", show(&ob), show(&nb)),
            );
        }
        let (os, ns) = (
            op.success_type().map(|t| old[t].name.as_str()),
            nop.success_type().map(|t| new[t].name.as_str()),
        );
        if os != ns {
            d.breaking(
                Subject::Operation,
                *id,
                format!("response type changed from {} to {}", show(&os), show(&ns)),
            );
        }
        if op.idempotent != nop.idempotent {
            d.compatible(
                Subject::Operation,
                *id,
                format!(
                    "idempotent changed from {} to {} (retry behaviour)",
                    op.idempotent, nop.idempotent
                ),
            );
        }
        if op.outcome_lookup != nop.outcome_lookup {
            let shown = |l: &Option<OutcomeLookup>| match l {
                Some(OutcomeLookup::Operation(id)) => id.clone(),
                Some(OutcomeLookup::None(_)) => "none".to_string(),
                None => "-".to_string(),
            };
            d.compatible(
                Subject::Operation,
                *id,
                format!(
                    "outcome lookup changed from {} to {} (Error::outcome_lookup)",
                    shown(&op.outcome_lookup),
                    shown(&nop.outcome_lookup)
                ),
            );
        }
        let removed_auth: Vec<&String> = op.auth.iter().filter(|a| !nop.auth.contains(a)).collect();
        if !removed_auth.is_empty() {
            d.breaking(
                Subject::Operation,
                *id,
                format!("no longer accepts auth {removed_auth:?}"),
            );
        }
        let added_auth: Vec<&String> = nop.auth.iter().filter(|a| !op.auth.contains(a)).collect();
        if !added_auth.is_empty() {
            d.compatible(
                Subject::Operation,
                *id,
                format!("now also accepts auth {added_auth:?}"),
            );
        }
        if op.callers != nop.callers {
            d.compatible(
                Subject::Operation,
                *id,
                format!("callers changed from {:?} to {:?}", op.callers, nop.callers),
            );
        }
        let rl = |o: &OperationInfo| {
            o.rate_limit
                .as_ref()
                .map(|r| format!("{}/{}s", r.requests, r.per_seconds))
        };
        if rl(op) != rl(nop) {
            d.compatible(
                Subject::RateLimit,
                *id,
                format!(
                    "rate limit changed from {} to {}",
                    show(&rl(op)),
                    show(&rl(nop))
                ),
            );
        }
        match (&op.deprecated, &nop.deprecated) {
            (None, Some(dep)) => d.compatible(
                Subject::Deprecation,
                *id,
                format!("deprecated; use {}", dep.replacement),
            ),
            (Some(_), None) => d.compatible(Subject::Deprecation, *id, "no longer deprecated"),
            _ => {}
        }
        if op
            .pagination
            .as_ref()
            .map(|p| (&p.offset.wire, &p.limit.wire, &p.items.text))
            != nop
                .pagination
                .as_ref()
                .map(|p| (&p.offset.wire, &p.limit.wire, &p.items.text))
        {
            let impact = if op.pagination.is_some() {
                Impact::Breaking
            } else {
                Impact::Compatible
            };
            d.push(
                impact,
                Subject::Operation,
                *id,
                "pagination changed (page and item streams)",
            );
        }
        let oe: BTreeSet<&(u16, String)> = op.errors.iter().collect();
        let ne: BTreeSet<&(u16, String)> = nop.errors.iter().collect();
        for (s, c) in ne.difference(&oe) {
            d.compatible(
                Subject::ErrorCode,
                *id,
                format!("documents error {c} (HTTP {s})"),
            );
        }
        for (s, c) in oe.difference(&ne) {
            d.compatible(
                Subject::ErrorCode,
                *id,
                format!("no longer documents error {c} (HTTP {s})"),
            );
        }
        params(d, (old, new), id, &op.params, &nop.params);
    }
    for (id, op) in &n {
        if !o.contains_key(id) {
            d.compatible(
                Subject::Operation,
                *id,
                format!("operation added ({} {})", op.method.as_str(), op.path),
            );
        }
    }
}

fn show<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref()
        .map_or_else(|| "none".to_string(), |v| format!("`{v}`"))
}

fn params(
    d: &mut Diff,
    (om, nm): (&Model, &Model),
    op: &str,
    old: &[ParamInfo],
    new: &[ParamInfo],
) {
    for p in old {
        let loc = format!("{op}.{}", p.name);
        let Some(np) = new
            .iter()
            .find(|n| n.name == p.name && n.location == p.location)
        else {
            d.breaking(Subject::Parameter, loc, "parameter removed");
            continue;
        };
        let (pt, npt) = (p.ty.with_names(om), np.ty.with_names(nm));
        if pt != npt {
            d.breaking(
                Subject::Parameter,
                &loc,
                format!("type changed from {pt:?} to {npt:?}"),
            );
        }
        let (pc, npc) = (
            p.code_list.map(|c| om[c].name.as_str()),
            np.code_list.map(|c| nm[c].name.as_str()),
        );
        if pc != npc {
            d.breaking(
                Subject::Parameter,
                &loc,
                format!("code list changed from {} to {}", show(&pc), show(&npc)),
            );
        }
        if p.required != np.required {
            d.breaking(
                Subject::Parameter,
                &loc,
                format!(
                    "required changed from {} to {} (constructor arguments)",
                    p.required, np.required
                ),
            );
        }
        if p.sensitive != np.sensitive {
            d.compatible(
                Subject::Parameter,
                &loc,
                format!(
                    "sensitive changed from {} to {} (redacted in Debug and in the URLs errors print)",
                    p.sensitive, np.sensitive
                ),
            );
        }
        constraints(d, Subject::Parameter, &loc, &p.constraints, &np.constraints);
    }
    for p in new {
        if !old
            .iter()
            .any(|o| o.name == p.name && o.location == p.location)
        {
            let loc = format!("{op}.{}", p.name);
            if p.required {
                d.breaking(
                    Subject::Parameter,
                    loc,
                    "required parameter added (constructor argument)",
                );
            } else {
                d.compatible(Subject::Parameter, loc, "optional parameter added");
            }
        }
    }
}

/// Reports narrowed constraints as breaking and widened ones as compatible.
fn constraints(d: &mut Diff, subject: Subject, loc: &str, o: &Constraints, n: &Constraints) {
    // (name, old, new, whether a larger value narrows)
    let bounds: [(&str, Option<i128>, Option<i128>, bool); 6] = [
        (
            "max_length",
            o.max_length.map(i128::from),
            n.max_length.map(i128::from),
            false,
        ),
        (
            "min_length",
            o.min_length.map(i128::from),
            n.min_length.map(i128::from),
            true,
        ),
        (
            "maximum",
            o.maximum.map(i128::from),
            n.maximum.map(i128::from),
            false,
        ),
        (
            "minimum",
            o.minimum.map(i128::from),
            n.minimum.map(i128::from),
            true,
        ),
        (
            "max_items",
            o.max_items.map(i128::from),
            n.max_items.map(i128::from),
            false,
        ),
        (
            "min_items",
            o.min_items.map(i128::from),
            n.min_items.map(i128::from),
            true,
        ),
    ];
    for (name, ov, nv, larger_narrows) in bounds {
        if ov == nv {
            continue;
        }
        let narrower = match (ov, nv) {
            (None, Some(_)) => true,
            (Some(_), None) => false,
            (Some(a), Some(b)) => (b > a) == larger_narrows,
            (None, None) => false,
        };
        let text = format!("{name} changed from {} to {}", show(&ov), show(&nv));
        if narrower {
            d.breaking(subject, loc, format!("{text} (narrower)"));
        } else {
            d.compatible(subject, loc, format!("{text} (wider)"));
        }
    }
}

fn types(d: &mut Diff, old: &Model, new: &Model) {
    for t in &old.types {
        let name = &t.name;
        let Some(nt) = new.type_named(name).map(|id| &new[id]) else {
            d.breaking(Subject::Type, name, "type removed");
            continue;
        };
        if t.group != nt.group {
            d.breaking(
                Subject::Type,
                name,
                format!("moved from module `{}` to `{}`", t.group, nt.group),
            );
        }
        fields(d, (old, new), name, &t.fields, &nt.fields, nt.input);
    }
    for name in new.types.iter().map(|t| &t.name) {
        if old.type_named(name).is_none() {
            d.compatible(Subject::Type, name, "type added");
        }
    }
}

fn fields(
    d: &mut Diff,
    (om, nm): (&Model, &Model),
    ty: &str,
    old: &[FieldInfo],
    new: &[FieldInfo],
    input: bool,
) {
    for f in old {
        let loc = format!("{ty}.{}", f.name);
        let Some(nf) = new.iter().find(|n| n.name == f.name) else {
            d.breaking(Subject::Field, loc, "field removed");
            continue;
        };
        let (ft, nft) = (f.ty.with_names(om), nf.ty.with_names(nm));
        if ft != nft {
            d.breaking(
                Subject::Field,
                &loc,
                format!("type changed from {ft:?} to {nft:?}"),
            );
        }
        let (fc, nfc) = (
            f.code_list.map(|c| om[c].name.as_str()),
            nf.code_list.map(|c| nm[c].name.as_str()),
        );
        if fc != nfc {
            d.breaking(
                Subject::Field,
                &loc,
                format!("code list changed from {} to {}", show(&fc), show(&nfc)),
            );
        }
        if f.required != nf.required && input {
            d.breaking(
                Subject::Field,
                &loc,
                format!(
                    "required changed from {} to {} (constructor arguments)",
                    f.required, nf.required
                ),
            );
        }
        if f.sensitive != nf.sensitive {
            d.compatible(
                Subject::Field,
                &loc,
                format!(
                    "sensitive changed from {} to {} (Debug redaction)",
                    f.sensitive, nf.sensitive
                ),
            );
        }
        constraints(d, Subject::Field, &loc, &f.constraints, &nf.constraints);
    }
    for f in new {
        if !old.iter().any(|o| o.name == f.name) {
            let loc = format!("{ty}.{}", f.name);
            if f.required && input {
                d.breaking(
                    Subject::Field,
                    loc,
                    "required field added (constructor argument)",
                );
            } else {
                d.compatible(Subject::Field, loc, "optional field added");
            }
        }
    }
}

fn code_lists(d: &mut Diff, old: &Model, new: &Model) {
    for cl in &old.code_lists {
        let name = &cl.name;
        let Some(ncl) = new.code_list_named(name).map(|id| &new[id]) else {
            d.breaking(Subject::CodeList, name, "code list removed");
            continue;
        };
        if cl.def.ty != ncl.def.ty {
            d.breaking(
                Subject::CodeList,
                name,
                format!(
                    "value type changed from {:?} to {:?}",
                    cl.def.ty, ncl.def.ty
                ),
            );
        }
        for v in &cl.def.values {
            match ncl.def.values.iter().find(|n| n.value == v.value) {
                None => d.breaking(
                    Subject::CodeList,
                    format!("{name}::{}", v.value),
                    "value removed (its enum variant goes)",
                ),
                Some(n) if n.name != v.name => d.breaking(
                    Subject::CodeList,
                    format!("{name}::{}", v.value),
                    format!("variant renamed from `{}` to `{}`", v.name, n.name),
                ),
                Some(_) => {}
            }
        }
        for v in &ncl.def.values {
            if !cl.def.values.iter().any(|o| o.value == v.value) {
                d.compatible(
                    Subject::CodeList,
                    format!("{name}::{}", v.value),
                    "value added (older crates keep it as an unknown value)",
                );
            }
        }
    }
    for name in new.code_lists.iter().map(|c| &c.name) {
        if old.code_list_named(name).is_none() {
            d.compatible(Subject::CodeList, name, "code list added");
        }
    }
}

fn error_codes(d: &mut Diff, old: &Model, new: &Model) {
    let all = |m: &Model| -> BTreeMap<String, u16> {
        m.error_codes
            .iter()
            .map(|e| (e.code.clone(), e.http_status))
            .chain(m.groups.iter().flat_map(|g| {
                g.extra_error_codes
                    .iter()
                    .map(|e| (e.code.clone(), e.http_status))
            }))
            .collect()
    };
    let (o, n) = (all(old), all(new));
    for (code, status) in &o {
        match n.get(code) {
            None => d.compatible(
                Subject::ErrorCode,
                code,
                "error code removed from the table",
            ),
            Some(s) if s != status => d.compatible(
                Subject::ErrorCode,
                code,
                format!("HTTP status changed from {status} to {s}"),
            ),
            Some(_) => {}
        }
    }
    for code in n.keys() {
        if !o.contains_key(code) {
            d.compatible(Subject::ErrorCode, code, "error code added to the table");
        }
    }
}

fn file_formats(d: &mut Diff, old: &Model, new: &Model) {
    let all = |m: &Model| -> BTreeMap<String, crate::ir::FileFormatInfo> {
        m.groups
            .iter()
            .flat_map(|g| g.file_formats.iter().map(|(k, v)| (k.clone(), v.clone())))
            .collect()
    };
    let (o, n) = (all(old), all(new));
    for (name, f) in &o {
        let Some(nf) = n.get(name) else {
            d.breaking(Subject::FileFormat, name, "file format removed");
            continue;
        };
        for c in &f.columns {
            let loc = format!("{name}.{}", c.def.name);
            match nf.columns.iter().position(|x| x.def.name == c.def.name) {
                None => d.breaking(Subject::FileFormat, loc, "column removed"),
                Some(i) => {
                    let nc = &nf.columns[i];
                    let same_codes = nc.code_list.map(|x| new[x].name.as_str())
                        == c.code_list.map(|x| old[x].name.as_str());
                    if nc.ty != c.ty || !same_codes {
                        d.breaking(Subject::FileFormat, &loc, "column type changed");
                    }
                    if nc.def.header != c.def.header {
                        d.compatible(
                            Subject::FileFormat,
                            &loc,
                            format!(
                                "header changed from `{}` to `{}`",
                                c.def.header, nc.def.header
                            ),
                        );
                    }
                }
            }
        }
        let order = |f: &crate::ir::FileFormatInfo| {
            f.columns
                .iter()
                .map(|c| c.def.name.clone())
                .collect::<Vec<_>>()
        };
        let (oo, no) = (order(f), order(nf));
        let kept: Vec<&String> = no.iter().filter(|c| oo.contains(c)).collect();
        let old_kept: Vec<&String> = oo.iter().filter(|c| no.contains(c)).collect();
        if kept != old_kept {
            d.breaking(
                Subject::FileFormat,
                name,
                "column order changed (files are read by position)",
            );
        }
        for c in &nf.columns {
            if !f.columns.iter().any(|x| x.def.name == c.def.name) {
                d.compatible(
                    Subject::FileFormat,
                    format!("{name}.{}", c.def.name),
                    "column added",
                );
            }
        }
    }
    for name in n.keys() {
        if !o.contains_key(name) {
            d.compatible(Subject::FileFormat, name, "file format added");
        }
    }
}

/// Plain text for terminals.
pub fn to_text(diff: &SpecDiff) -> String {
    let mut s = String::new();
    if diff.changes.is_empty() {
        s.push_str("no semantic changes\n");
        return s;
    }
    let breaking = diff
        .changes
        .iter()
        .filter(|c| c.impact == Impact::Breaking)
        .count();
    let _ = writeln!(
        s,
        "{} change(s), {breaking} breaking; suggested bump: {} ({} -> {})",
        diff.changes.len(),
        diff.suggested_bump,
        diff.old_version,
        diff.suggested_version
    );
    for c in &diff.changes {
        let tag = match c.impact {
            Impact::Breaking => "BREAKING  ",
            Impact::Compatible => "compatible",
        };
        let _ = writeln!(
            s,
            "{tag} {:<11} {}: {}",
            format!("{:?}", c.subject).to_lowercase(),
            c.location,
            c.description
        );
    }
    s
}

/// Markdown for a pull-request comment, with a CHANGELOG entry.
pub fn to_markdown(diff: &SpecDiff) -> String {
    let mut s = String::from("## Spec changes\n\n");
    if diff.changes.is_empty() {
        s.push_str("No semantic changes to the generated crate.\n");
        return s;
    }
    let breaking: Vec<&Change> = diff
        .changes
        .iter()
        .filter(|c| c.impact == Impact::Breaking)
        .collect();
    let compatible: Vec<&Change> = diff
        .changes
        .iter()
        .filter(|c| c.impact == Impact::Compatible)
        .collect();
    let _ = writeln!(
        s,
        "**{}** change(s), **{}** breaking. Suggested version bump: **{}** (`{}` → `{}`).\n",
        diff.changes.len(),
        breaking.len(),
        diff.suggested_bump,
        diff.old_version,
        diff.suggested_version
    );
    for (title, list) in [("Breaking", &breaking), ("Compatible", &compatible)] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "### {title}\n\n| subject | where | change |\n|---|---|---|"
        );
        for c in list.iter() {
            let _ = writeln!(
                s,
                "| {:?} | `{}` | {} |",
                c.subject,
                c.location,
                c.description.replace('|', "\\|")
            );
        }
        s.push('\n');
    }
    let _ = writeln!(
        s,
        "### CHANGELOG entry\n\n```markdown\n{}```",
        changelog(diff)
    );
    s
}

/// A CHANGELOG section for the suggested version.
pub fn changelog(diff: &SpecDiff) -> String {
    let mut s = format!("## {}\n", diff.suggested_version);
    for (title, impact) in [
        ("Breaking changes", Impact::Breaking),
        ("Changes", Impact::Compatible),
    ] {
        let items: Vec<&Change> = diff.changes.iter().filter(|c| c.impact == impact).collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(s, "\n### {title}\n");
        for c in items {
            let _ = writeln!(s, "- `{}`: {}", c.location, c.description);
        }
    }
    s
}

/// JSON for tools.
pub fn to_json(diff: &SpecDiff) -> String {
    serde_json::to_string_pretty(diff).unwrap_or_default() + "\n"
}
