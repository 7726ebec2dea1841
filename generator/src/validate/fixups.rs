//! Fixups that no longer apply: declared, of a kind attached to a node, and referred to by
//! nothing.

use super::*;

/// Reports every attached fixup nothing refers to (run after every other check).
pub(super) fn check_unreferenced(c: &mut Checker) {
    let set = c.set;
    // Declared fixups that nothing references no longer apply, for the kinds that are attached
    // to a node (the others describe a whole section and stand on their own).
    for (gi, g) in set.groups.iter().enumerate() {
        for (oi, op) in g.value.operations.iter().enumerate() {
            for (fi, f) in op.fixups.iter().enumerate() {
                let attached = matches!(
                    f.kind,
                    FixupKind::ExampleRepair
                        | FixupKind::TypeRename
                        | FixupKind::ErrorStatus
                        | FixupKind::TypeCorrection
                );
                if attached && !c.fixup_refs.contains(&f.id) {
                    c.err(Some(gi), node_path!["operations", oi, "fixups", fi, "id"], format!("fixup `{}` is declared but nothing refers to it", f.id), Some("reference it from the node it corrects (`fixup:` on a field, type, error or `repair`), or delete it if the documents were corrected"));
                }
            }
        }
    }
}
