//! Writing the generated tree, or comparing it with what is on disk.

use std::collections::BTreeSet;
use std::path::Path;

use crate::emit::Tree;

/// Writes the tree into `dir`, removing generated files that are no longer produced.
pub fn write(tree: &Tree, dir: &Path) -> std::io::Result<()> {
    for stale in on_disk(dir)?.difference(&tree.keys().cloned().collect()) {
        std::fs::remove_file(dir.join(stale))?;
    }
    for (rel, content) in tree {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        if std::fs::read(&path).ok().as_deref() != Some(content.as_bytes()) {
            std::fs::write(&path, content)?;
        }
    }
    Ok(())
}

/// Files in the output directory that people keep, not the generator: `generate` leaves them in
/// place and `check` does not compare them. `CHANGELOG.md` ships with the crate but is extended
/// at release time from `diff --format changelog`, so no spec states its content.
pub const KEPT_BY_HAND: &[&str] = &["CHANGELOG.md"];

/// Files of the generated crate on disk (the crate's `target/` and hand-kept files excluded).
fn on_disk(dir: &Path) -> std::io::Result<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        for e in entries {
            let p = e?.path();
            let rel = p
                .strip_prefix(dir)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            if rel == "target" || rel.starts_with('.') || KEPT_BY_HAND.contains(&rel.as_str()) {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(rel);
            }
        }
    }
    Ok(out)
}

/// A unified diff between the tree and `dir`; empty when they are identical.
pub fn diff(tree: &Tree, dir: &Path) -> std::io::Result<String> {
    let mut out = String::new();
    let disk = on_disk(dir)?;
    let all: BTreeSet<String> = disk.iter().cloned().chain(tree.keys().cloned()).collect();
    for rel in all {
        let old = std::fs::read(dir.join(&rel))
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        let new = tree.get(&rel).cloned().unwrap_or_default();
        if old != new {
            let d = similar::TextDiff::from_lines(&old, &new);
            out.push_str(
                &d.unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{rel}"), &format!("b/{rel}"))
                    .to_string(),
            );
        }
    }
    Ok(out)
}
