//! Where the tests and benches find the partner reference: `shared/seeds` beside the checkout,
//! or the folder `BSS_SEEDS` names. Without it they skip, and say so.

use std::path::PathBuf;

/// File name of the partner reference among the seeds.
pub const PARTNER_REFERENCE: &str = "004_803616da9eb89efa.txt";

/// The partner reference's path and bytes, or `None` (with a printed skip message) when absent.
pub fn partner_reference() -> Option<(PathBuf, Vec<u8>)> {
    let dir = std::env::var_os("BSS_SEEDS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/seeds"));
    let path = dir.join(PARTNER_REFERENCE);
    match std::fs::read(&path) {
        Ok(bytes) => Some((path, bytes)),
        Err(_) => {
            eprintln!(
                "skipped: {} is absent (set BSS_SEEDS to the seeds folder)",
                path.display()
            );
            None
        }
    }
}
