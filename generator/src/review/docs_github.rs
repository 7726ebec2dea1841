//! `docs check --format github`: one `::error` annotation per unexplained difference between a
//! document revision and the spec, on the spec line that states the fact.

use std::fmt::Write as _;
use std::path::Path;

use super::SpecPos;
use super::github::command;
use super::position::display_path;
use crate::docs::compare::Report;
use crate::spec::SpecSet;
use crate::spec::locate::{NodePath, Seg};

/// The position of a drift record's `spec_location` (`spec/groups/budgets.yaml: types.X`,
/// `...: operation Id`, `spec/errors.yaml: error_codes`) in `spec`, shown under `spec_dir`.
fn position(location: &str, spec: &SpecSet, spec_dir: &Path) -> Option<SpecPos> {
    let (file, node) = location.split_once(": ").unwrap_or((location, ""));
    // The compare module names files from the repository root (`spec/...`).
    let rel = Path::new(file.strip_prefix("spec/").unwrap_or(file));
    let key = |k: &str| Seg::Key(k.to_string());
    let found = |locations: &crate::spec::locate::Locations, path: NodePath| {
        let (line, column) = locations.find(&path);
        Some(SpecPos {
            file: display_path(&spec_dir.join(rel)),
            line,
            column,
        })
    };
    if spec.service.path == rel {
        return found(&spec.service.locations, Vec::new());
    }
    if spec.errors.path == rel {
        return found(&spec.errors.locations, vec![key(node)]);
    }
    let group = spec.groups.iter().find(|g| g.path == rel)?;
    let path = if let Some(ty) = node.strip_prefix("types.") {
        vec![key("types"), key(ty)]
    } else if let Some(op) = node.strip_prefix("operation ") {
        match group.value.operations.iter().position(|o| o.id == op) {
            Some(i) => vec![key("operations"), Seg::Index(i)],
            None => vec![key("operations")],
        }
    } else {
        Vec::new()
    };
    found(&group.locations, path)
}

/// The annotations of a `docs check` report; `spec` places them on their spec lines.
pub fn to_github(report: &Report, spec: Option<&SpecSet>, spec_dir: &Path) -> String {
    let mut s = String::new();
    for d in &report.drift {
        let at = match (spec, &d.spec_location) {
            (Some(set), Some(loc)) => position(loc, set, spec_dir),
            _ => None,
        };
        let mut message = String::new();
        if let Some(section) = &d.section {
            let _ = write!(message, "section {section}, ");
        }
        if let Some(op) = &d.operation {
            let _ = write!(message, "{op} ");
        }
        let _ = write!(message, "{}: {}", d.item, d.message);
        if let Some(line) = d.doc_line {
            let _ = write!(message, " (document line {line})");
        }
        let title = format!("Spec differs from the document ({})", d.kind.as_str());
        let _ = writeln!(s, "{}", command("error", at.as_ref(), &title, &message));
    }
    s
}
