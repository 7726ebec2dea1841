//! Bill archives of any size for the memory test and benchmark of the archive readers: a
//! `tar.gz` of customer usage files (`bills::CustomerUsageRecord`) with the documented header and
//! invented rows (every cell a number, which each column type reads).

use std::io::Write;

use huaweicloud_bss::bills::CustomerUsageRecord;
use huaweicloud_bss::files::FileRecord;

/// A `tar.gz` archive of `files` usage files of `rows` rows each.
pub fn build(files: usize, rows: usize) -> Vec<u8> {
    let header: Vec<&str> = CustomerUsageRecord::COLUMNS
        .iter()
        .map(|c| c.header)
        .collect();
    let mut archive = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::fast(),
    ));
    for f in 0..files {
        let mut csv = Vec::new();
        writeln!(csv, "{}", header.join(",")).expect("write");
        for r in 0..rows {
            let cells: Vec<String> = (0..header.len())
                .map(|c| format!("{}{:04}", r + 1, (c * 7 + f) % 10_000))
                .collect();
            writeln!(csv, "{}", cells.join(",")).expect("write");
        }
        let mut entry = tar::Header::new_gnu();
        entry.set_size(csv.len() as u64);
        entry.set_mode(0o644);
        entry.set_cksum();
        archive
            .append_data(
                &mut entry,
                format!("customerUsageV2_202404_{f}.csv"),
                csv.as_slice(),
            )
            .expect("append");
    }
    archive.into_inner().expect("tar").finish().expect("gzip")
}
