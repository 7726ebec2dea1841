//! The archive readers' memory: reading a bill archive as a stream holds one row at a time, so
//! its peak heap use does not grow with the number of rows, where loading it whole
//! (`files::read_tar_gz`) holds every record. Counted by a global allocator, both readers in the
//! same run; the numbers are printed (`cargo test -p bss-tests --test archive_memory -- --nocapture`).
//!
//! One test only: the allocator counts the whole process, so nothing else may run beside it.

use bss_tests::counting_alloc::Counting;
use bss_tests::usage_archive;
use huaweicloud_bss::bills::CustomerUsageRecord;
use huaweicloud_bss::files::{self, TarGz};

#[global_allocator]
static ALLOC: Counting = Counting::new();

/// Reads every record as a stream; returns how many, and a checksum so nothing is optimised out.
fn stream(archive: &[u8]) -> (usize, usize) {
    let mut tar_gz = TarGz::new(archive);
    let mut count = 0;
    let mut sum = 0;
    for entry in tar_gz.records::<CustomerUsageRecord>().expect("archive") {
        let entry = entry.expect("record");
        count += 1;
        sum += entry.record.resource_id.len();
    }
    (count, sum)
}

fn load(archive: &[u8]) -> (usize, usize) {
    let files = files::read_tar_gz::<CustomerUsageRecord>(archive).expect("archive");
    let records = files.iter().flat_map(|f| &f.records);
    (
        records.clone().count(),
        records.map(|r| r.resource_id.len()).sum(),
    )
}

const KIB: f64 = 1024.0;

#[test]
fn streaming_an_archive_holds_one_row_not_the_file() {
    let small = usage_archive::build(1, 10_000);
    let large = usage_archive::build(1, 100_000);
    let two_files = usage_archive::build(2, 50_000);

    let ((rows, sum), streamed_small) = ALLOC.peak_during(|| stream(&small));
    assert_eq!(rows, 10_000);
    let ((rows, streamed_sum), streamed_large) = ALLOC.peak_during(|| stream(&large));
    assert_eq!(rows, 100_000);
    let ((rows, _), streamed_two) = ALLOC.peak_during(|| stream(&two_files));
    assert_eq!(rows, 100_000);
    let ((rows, loaded_sum), loaded_large) = ALLOC.peak_during(|| load(&large));
    assert_eq!(rows, 100_000);
    assert_eq!(
        loaded_sum, streamed_sum,
        "both readers read the same records"
    );
    let _ = sum;

    println!(
        "archive of 100,000 rows ({:.0} KiB compressed): peak heap streaming {:.0} KiB (10,000 rows: {:.0} KiB; 2 files of 50,000: {:.0} KiB), loading whole {:.0} KiB; ratio {:.0}x",
        large.len() as f64 / KIB,
        streamed_large as f64 / KIB,
        streamed_small as f64 / KIB,
        streamed_two as f64 / KIB,
        loaded_large as f64 / KIB,
        loaded_large as f64 / streamed_large.max(1) as f64,
    );

    // The stream's peak is its buffers (gzip window, tar and CSV readers, one row), not the rows.
    assert!(
        streamed_large < 512 * 1024,
        "streaming peak {streamed_large} B"
    );
    assert!(
        streamed_large <= streamed_small + 16 * 1024,
        "ten times the rows must not need more memory: {streamed_small} B for 10,000 rows, {streamed_large} B for 100,000"
    );
    assert!(
        streamed_two <= streamed_small + 16 * 1024,
        "{streamed_two} B"
    );
    assert!(
        loaded_large > 20 * streamed_large,
        "loading whole: {loaded_large} B, streaming: {streamed_large} B"
    );
}
