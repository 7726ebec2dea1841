//! Criterion benchmark of `docs check` on the whole partner reference: reading the text
//! (`docs::read`), and comparing the documented model with the loaded spec (`spec_view::view`
//! and `compare::compare`). Loading the spec is measured too, for scale; it is not part of the
//! budget (under 200 ms for reading and checking).
//!
//! Runs when `shared/seeds` is present beside the checkout (or named by `BSS_SEEDS`) and says it
//! skipped otherwise. After a `cargo bench` run, the median of reading and checking, measured
//! outside Criterion in the same process, is printed against the budget.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use bss_codegen::docs::compare::compare;
use bss_codegen::docs::read;
use bss_codegen::docs::spec_view::view;
use criterion::{Criterion, criterion_group, criterion_main};

#[path = "../tests/seed/mod.rs"]
mod seed;

const BUDGET: Duration = Duration::from_millis(200);

fn benches(c: &mut Criterion) {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let Some((_, bytes)) = seed::partner_reference() else {
        return;
    };
    let text = String::from_utf8(bytes).expect("the seed is UTF-8");
    let spec = manifest.join("../spec");
    let model = bss_codegen::load(&spec).expect("the spec loads");
    let doc = read(&text).expect("the seed reads");

    c.bench_function("docs/read", |b| {
        b.iter(|| read(black_box(&text)).map(|d| d.operations.len()))
    });
    c.bench_function("docs/compare", |b| {
        b.iter(|| compare(black_box(&doc), &view(&model), &[]).drift.len())
    });
    c.bench_function("docs/read_and_check", |b| {
        b.iter(|| read_and_check(&text, &model))
    });
    c.bench_function("docs/load_spec", |b| {
        b.iter(|| bss_codegen::load(black_box(&spec)).map(|m| m.types.len()))
    });

    // `cargo test --all-targets` runs the benchmarks once each, unoptimized: no budget then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let mut times: Vec<Duration> = (0..21)
        .map(|_| {
            let start = Instant::now();
            black_box(read_and_check(&text, &model));
            start.elapsed()
        })
        .collect();
    times.sort();
    let median = times[times.len() / 2];
    let verdict = if median < BUDGET { "met" } else { "NOT met" };
    eprintln!(
        "read + check of {}: median {:.1} ms over 21 runs (min {:.1} ms); budget {} ms: {verdict}",
        seed::PARTNER_REFERENCE,
        median.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        BUDGET.as_millis()
    );
}

/// What `docs check` does once the spec is loaded.
fn read_and_check(text: &str, model: &bss_codegen::ir::Model) -> usize {
    let doc = read(text).expect("the seed reads");
    compare(&doc, &view(model), &[]).drift.len()
}

criterion_group!(docs, benches);
criterion_main!(docs);
