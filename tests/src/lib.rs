//! Support of the workspace tests. The local HTTP server and the JSON equivalence used to test the
//! client live with the generated tests (`generated/tests/support`), which exercise every operation.

use std::path::PathBuf;

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}
