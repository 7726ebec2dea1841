//! Writing the generated tree, or comparing it with what is on disk.

use std::collections::BTreeSet;
use std::path::Path;

use crate::emit::Tree;

/// What [`write()`] did to the files of the output directory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Files that did not exist.
    pub created: usize,
    /// Files whose content changed.
    pub changed: usize,
    /// Generated files no longer produced, removed.
    pub removed: usize,
    /// Files already as generated, left untouched.
    pub unchanged: usize,
}

impl std::fmt::Display for Written {
    /// `2 files changed, 1 created, 0 removed, 67 unchanged`, or `70 files unchanged`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let files = |n: usize| if n == 1 { "file" } else { "files" };
        if self.created + self.changed + self.removed == 0 {
            return write!(f, "{} {} unchanged", self.unchanged, files(self.unchanged));
        }
        write!(
            f,
            "{} {} changed, {} created, {} removed, {} unchanged",
            self.changed,
            files(self.changed),
            self.created,
            self.removed,
            self.unchanged
        )
    }
}

/// Writes the tree into `dir`, removing generated files that are no longer produced; a file
/// already as generated is not written again (its modification time stays).
pub fn write(tree: &Tree, dir: &Path) -> std::io::Result<Written> {
    let mut written = Written::default();
    for stale in on_disk(dir)?.difference(&tree.keys().cloned().collect()) {
        std::fs::remove_file(dir.join(stale))?;
        written.removed += 1;
    }
    for (rel, content) in tree {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        match std::fs::read(&path) {
            Ok(old) if old == content.as_bytes() => written.unchanged += 1,
            Ok(_) => {
                std::fs::write(&path, content)?;
                written.changed += 1;
            }
            Err(_) => {
                std::fs::write(&path, content)?;
                written.created += 1;
            }
        }
    }
    Ok(written)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_says_what_changed() {
        let dir = std::env::temp_dir().join(format!("bss-output-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let tree: Tree = [("a.rs", "a"), ("b/c.rs", "c"), ("d.rs", "d")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let first = write(&tree, &dir).expect("write");
        assert_eq!(
            (first.created, first.changed, first.removed, first.unchanged),
            (3, 0, 0, 0)
        );

        let again = write(&tree, &dir).expect("write");
        assert_eq!(
            again,
            Written {
                unchanged: 3,
                ..Written::default()
            }
        );
        assert_eq!(again.to_string(), "3 files unchanged");

        let mut edited = tree.clone();
        edited.insert("a.rs".into(), "A".into());
        edited.remove("d.rs");
        edited.insert("e.rs".into(), "e".into());
        let third = write(&edited, &dir).expect("write");
        assert_eq!(
            third.to_string(),
            "1 file changed, 1 created, 1 removed, 1 unchanged"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
