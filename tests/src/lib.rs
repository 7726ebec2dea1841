//! Support of the workspace tests. The recording server and the JSON equivalence used to test
//! every operation live with the generated tests (`generated/tests/support`); the fault-injecting
//! server of the retry, timeout and error tests and of the benchmarks is [`fault_server`]; the
//! shared rate limiter's tests and benchmark start a [`redis_server`] and [`quota_workers`]; the
//! archive readers' memory test builds a [`usage_archive`] and counts with [`counting_alloc`].

use std::path::PathBuf;

pub mod counting_alloc;
pub mod fault_server;
pub mod quota_workers;
pub mod redis_server;
pub mod usage_archive;

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}
