//! Support of the workspace tests. The recording server and the JSON equivalence used to test
//! every operation live with the generated tests (`generated/tests/support`); the fault-injecting
//! server of the retry, timeout and error tests and of the benchmarks is [`fault_server`].

use std::path::PathBuf;

pub mod fault_server;

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}
