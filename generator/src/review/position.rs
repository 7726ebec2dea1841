//! Where a change stands in the new spec: the file and line a reviewer sees in the pull request.
//!
//! A change names its item by location (`ListServiceTypes.limit`, `ServiceType.note`,
//! `MeasureType::2`); this module finds that item's node in the spec files through the loader's
//! position index. An item that no longer exists is placed on the line that now stands where it
//! was: the next item of the same list that survived, else the previous one, else the list
//! itself. Pull-request views show annotations only on lines of a diff hunk, and the line right
//! after a deletion is always in its hunk, while the parent's line often is not.

use std::path::Path;

use serde::Serialize;

use crate::diff::{Change, Subject};
use crate::spec::SpecSet;
use crate::spec::locate::{Locations, NodePath, Seg};

/// A position in a spec file, as shown to reviewers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SpecPos {
    /// The file: the spec directory as given joined with the file's relative path
    /// (`spec/groups/products.yaml` when run from the repository root).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// One file of a spec set.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FileId {
    Service,
    Errors,
    Group(usize),
}

fn file_of(set: &SpecSet, f: FileId) -> (&Path, &Locations) {
    match f {
        FileId::Service => (&set.service.path, &set.service.locations),
        FileId::Errors => (&set.errors.path, &set.errors.locations),
        FileId::Group(g) => (&set.groups[g].path, &set.groups[g].locations),
    }
}

fn file_by_path(set: &SpecSet, path: &Path) -> Option<FileId> {
    if set.service.path == path {
        return Some(FileId::Service);
    }
    if set.errors.path == path {
        return Some(FileId::Errors);
    }
    set.groups
        .iter()
        .position(|g| g.path == path)
        .map(FileId::Group)
}

/// Top-level items a change can name.
#[derive(Clone, Copy)]
enum Top {
    Operation,
    Type,
    CodeList,
    ErrorCode,
    FileFormat,
}

impl Top {
    /// The key of the list or map holding these items in a file.
    fn container(self) -> &'static str {
        match self {
            Top::Operation => "operations",
            Top::Type => "types",
            Top::CodeList => "code_lists",
            Top::ErrorCode => "error_codes",
            Top::FileFormat => "file_formats",
        }
    }
}

/// An item with its file and node path.
type Item = (FileId, String, NodePath);

fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

/// Every top-level item of a kind in a set, in file order within each file.
fn tops(set: &SpecSet, kind: Top) -> Vec<Item> {
    let mut out = Vec::new();
    let groups = set.groups.iter().enumerate();
    match kind {
        Top::Operation => {
            for (g, file) in groups {
                for (i, op) in file.value.operations.iter().enumerate() {
                    out.push((
                        FileId::Group(g),
                        op.id.clone(),
                        vec![key("operations"), Seg::Index(i)],
                    ));
                }
            }
        }
        Top::Type => {
            for (g, file) in groups {
                for name in file.value.types.keys() {
                    out.push((
                        FileId::Group(g),
                        name.clone(),
                        vec![key("types"), key(name)],
                    ));
                }
            }
        }
        Top::CodeList => {
            for name in set.service.value.code_lists.keys() {
                out.push((
                    FileId::Service,
                    name.clone(),
                    vec![key("code_lists"), key(name)],
                ));
            }
            for (g, file) in groups {
                for name in file.value.code_lists.keys() {
                    out.push((
                        FileId::Group(g),
                        name.clone(),
                        vec![key("code_lists"), key(name)],
                    ));
                }
            }
        }
        Top::ErrorCode => {
            for (k, e) in set.errors.value.error_codes.iter().enumerate() {
                out.push((
                    FileId::Errors,
                    e.code.clone(),
                    vec![key("error_codes"), Seg::Index(k)],
                ));
            }
            for (g, file) in groups {
                for (k, e) in file.value.extra_error_codes.iter().enumerate() {
                    out.push((
                        FileId::Group(g),
                        e.code.clone(),
                        vec![key("extra_error_codes"), Seg::Index(k)],
                    ));
                }
            }
        }
        Top::FileFormat => {
            for (g, file) in groups {
                for name in file.value.file_formats.keys() {
                    out.push((
                        FileId::Group(g),
                        name.clone(),
                        vec![key("file_formats"), key(name)],
                    ));
                }
            }
        }
    }
    out
}

/// The members of a top-level item a change can name below it (parameters, fields, values,
/// documented errors, columns), with the key of the list holding them.
fn members(
    set: &SpecSet,
    kind: Top,
    f: FileId,
    top: &NodePath,
) -> (&'static str, Vec<(String, NodePath)>) {
    let at = |k: &str, i: usize| {
        let mut p = top.clone();
        p.push(key(k));
        p.push(Seg::Index(i));
        p
    };
    let group = match f {
        FileId::Group(g) => Some(&set.groups[g].value),
        _ => None,
    };
    let name = match top.get(1) {
        Some(Seg::Key(n)) => n.as_str(),
        _ => "",
    };
    match kind {
        Top::Operation => {
            let Some(Seg::Index(i)) = top.get(1) else {
                return ("parameters", Vec::new());
            };
            let Some(op) = group.and_then(|g| g.operations.get(*i)) else {
                return ("parameters", Vec::new());
            };
            let params = op
                .parameters
                .iter()
                .enumerate()
                .map(|(j, p)| {
                    let n = p
                        .name
                        .clone()
                        .or_else(|| p.common.clone())
                        .unwrap_or_default();
                    (n, at("parameters", j))
                })
                .collect();
            ("parameters", params)
        }
        Top::Type => {
            let fields = group
                .and_then(|g| g.types.get(name))
                .map(|t| {
                    t.fields
                        .iter()
                        .enumerate()
                        .map(|(j, fl)| (fl.name.clone(), at("fields", j)))
                        .collect()
                })
                .unwrap_or_default();
            ("fields", fields)
        }
        Top::CodeList => {
            let list = match f {
                FileId::Service => set.service.value.code_lists.get(name),
                _ => group.and_then(|g| g.code_lists.get(name)),
            };
            let values = list
                .map(|l| {
                    l.values
                        .iter()
                        .enumerate()
                        .map(|(k, v)| (v.value.to_string(), at("values", k)))
                        .collect()
                })
                .unwrap_or_default();
            ("values", values)
        }
        Top::FileFormat => {
            let columns = group
                .and_then(|g| g.file_formats.get(name))
                .map(|ff| {
                    ff.columns
                        .iter()
                        .enumerate()
                        .map(|(k, c)| (c.name.clone(), at("columns", k)))
                        .collect()
                })
                .unwrap_or_default();
            ("columns", columns)
        }
        Top::ErrorCode => ("", Vec::new()),
    }
}

/// The documented errors of the operation at `top`.
fn operation_errors(set: &SpecSet, f: FileId, top: &NodePath) -> Vec<(String, NodePath)> {
    let (FileId::Group(g), Some(Seg::Index(i))) = (f, top.get(1)) else {
        return Vec::new();
    };
    let Some(op) = set.groups[g].value.operations.get(*i) else {
        return Vec::new();
    };
    op.errors
        .iter()
        .enumerate()
        .map(|(k, e)| {
            let mut p = top.clone();
            p.push(key("errors"));
            p.push(Seg::Index(k));
            (e.code.clone(), p)
        })
        .collect()
}

/// What a change names: a top-level item, optionally one of its members, optionally a key of
/// the item that holds the changed property.
struct Target {
    top: Top,
    id: String,
    member: Option<String>,
    errors_member: bool,
    property: Option<&'static str>,
}

fn target(change: &Change, old: &SpecSet, new: &SpecSet) -> Target {
    let loc = change.location.as_str();
    let split = |sep: &str| -> (String, Option<String>) {
        match loc.split_once(sep) {
            Some((a, b)) => (a.to_string(), Some(b.to_string())),
            None => (loc.to_string(), None),
        }
    };
    let plain = |top: Top, property: Option<&'static str>| Target {
        top,
        id: loc.to_string(),
        member: None,
        errors_member: false,
        property,
    };
    match change.subject {
        Subject::Operation => plain(Top::Operation, operation_property(&change.description)),
        Subject::RateLimit => plain(Top::Operation, Some("rate_limit")),
        Subject::Deprecation => plain(Top::Operation, Some("deprecated")),
        Subject::Type | Subject::GeneratedApi => plain(Top::Type, None),
        Subject::Parameter | Subject::Field | Subject::FileFormat => {
            let (id, member) = split(".");
            let top = match change.subject {
                Subject::Parameter => Top::Operation,
                Subject::Field => Top::Type,
                _ => Top::FileFormat,
            };
            Target {
                top,
                id,
                member,
                errors_member: false,
                property: None,
            }
        }
        Subject::CodeList => {
            let (id, member) = split("::");
            Target {
                top: Top::CodeList,
                id,
                member,
                errors_member: false,
                property: None,
            }
        }
        Subject::ErrorCode => {
            let is_op = |s: &SpecSet| tops(s, Top::Operation).iter().any(|(_, id, _)| id == loc);
            if is_op(new) || is_op(old) {
                // "documents error CBC.0100 (HTTP 400)": the code is the word before the status.
                let code = change
                    .description
                    .split_once("error ")
                    .and_then(|(_, rest)| rest.split_whitespace().next())
                    .map(str::to_string);
                Target {
                    top: Top::Operation,
                    id: loc.to_string(),
                    member: code,
                    errors_member: true,
                    property: None,
                }
            } else {
                plain(Top::ErrorCode, None)
            }
        }
    }
}

/// The key of an operation that holds the property an operation-level change is about.
fn operation_property(description: &str) -> Option<&'static str> {
    [
        ("endpoint changed", "path"),
        ("request body", "request_body"),
        ("response type", "responses"),
        ("idempotent", "idempotent"),
        ("accepts auth", "auth"),
        ("callers", "callers"),
        ("pagination", "pagination"),
    ]
    .into_iter()
    .find(|(words, _)| description.contains(words))
    .map(|(_, k)| k)
}

/// The path in the new spec that now stands where `id` stood among `old_items`: the item
/// that follows the last surviving item before it (a renamed item takes its place, a deleted
/// one leaves the next item there), else the first item. Both lists are ordered by line, since
/// map keys come sorted by name, not as written.
fn neighbour(
    (old_items, old_locs): (&[(String, NodePath)], &Locations),
    id: &str,
    (new_items, new_locs): (&[(String, NodePath)], &Locations),
) -> Option<NodePath> {
    let mut old_order: Vec<&(String, NodePath)> = old_items.iter().collect();
    old_order.sort_by_key(|(_, p)| old_locs.find(p));
    let mut new_order: Vec<&(String, NodePath)> = new_items.iter().collect();
    new_order.sort_by_key(|(_, p)| new_locs.find(p));
    let at = old_order.iter().position(|(i, _)| i == id)?;
    let previous = old_order[..at]
        .iter()
        .rev()
        .find_map(|(i, _)| new_order.iter().position(|(n, _)| n == i));
    let slot = match previous {
        Some(k) => new_order.get(k + 1).or(new_order.get(k)),
        None => new_order.first(),
    };
    slot.map(|(_, p)| p.clone())
}

/// The position of the change's item in the new spec (see the module documentation), or None
/// when neither the item nor the file that held it exists in the new spec.
pub fn locate(change: &Change, old: &SpecSet, new: &SpecSet, spec_dir: &Path) -> Option<SpecPos> {
    if change.subject == Subject::GeneratedApi {
        // Not in the spec: its entry in api-changes.yaml is its position (set by the caller).
        return None;
    }
    let t = target(change, old, new);
    let find = |set: &SpecSet| tops(set, t.top).into_iter().find(|(_, id, _)| *id == t.id);
    let (file, path) = match find(new) {
        Some((f, _, top)) => {
            let path = match &t.member {
                None => {
                    let mut p = top.clone();
                    p.extend(t.property.map(key));
                    p
                }
                Some(member) => {
                    let (list, items) = if t.errors_member {
                        ("errors", operation_errors(new, f, &top))
                    } else {
                        members(new, t.top, f, &top)
                    };
                    match items.iter().find(|(n, _)| n == member) {
                        Some((_, p)) => p.clone(),
                        None => {
                            let old_items = find(old).map(|(of, _, otop)| {
                                let items = if t.errors_member {
                                    operation_errors(old, of, &otop)
                                } else {
                                    members(old, t.top, of, &otop).1
                                };
                                (items, file_of(old, of).1)
                            });
                            let new_locs = file_of(new, f).1;
                            old_items
                                .and_then(|(oi, locs)| {
                                    neighbour((&oi, locs), member, (&items, new_locs))
                                })
                                .unwrap_or_else(|| {
                                    let mut p = top.clone();
                                    p.push(key(list));
                                    p
                                })
                        }
                    }
                }
            };
            (f, path)
        }
        None => {
            // The item is gone: place it among the items of its old file that survive.
            let (of, _, _) = find(old)?;
            let (old_path, old_locs) = file_of(old, of);
            let f = file_by_path(new, old_path)?;
            let in_file = |set: &SpecSet, file: FileId| -> Vec<(String, NodePath)> {
                tops(set, t.top)
                    .into_iter()
                    .filter(|(x, _, _)| *x == file)
                    .map(|(_, id, p)| (id, p))
                    .collect()
            };
            let path = neighbour(
                (&in_file(old, of), old_locs),
                &t.id,
                (&in_file(new, f), file_of(new, f).1),
            )
            .unwrap_or_else(|| vec![key(t.top.container())]);
            (f, path)
        }
    };
    let (rel, locs) = file_of(new, file);
    let (line, column) = locs.find(&path);
    Some(SpecPos {
        file: display_path(&spec_dir.join(rel)),
        line,
        column,
    })
}

/// A path as GitHub expects it: forward slashes, no leading `./`.
pub fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}
