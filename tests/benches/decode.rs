//! Criterion benchmarks of decoding the largest documented answers.
//!
//! For each of the five largest response examples of the spec (by size of the documented body,
//! read from `spec/` through `bss_codegen::load`, so the bodies stay those of the spec):
//!
//! * `decode/<Operation>/typed`: `serde_json::from_slice` into the generated response type;
//! * `decode/<Operation>/decode_answer`: [`huaweicloud_bss::decode_answer`], what the client
//!   does with a success body (the error-code check included);
//! * `decode/<Operation>/value`: `serde_json::from_slice` into `serde_json::Value`, the cost of
//!   reading the same JSON without a schema.
//!
//! After the run the ratios typed / Value and decode_answer / Value are printed. The benchmarks
//! name their operations and types explicitly (decoding into a type needs the type at compile
//! time); a check before the run fails when they are no longer the five largest examples, so
//! the selection cannot silently drift from the spec. `cargo test --all-targets` runs each
//! benchmark once as a test.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use criterion::Criterion;
use huaweicloud_bss::{coupons, decode_answer, invoices, legacy, orders};
use serde::de::DeserializeOwned;

/// How many of the largest examples are measured.
const LARGEST: usize = 5;

/// One measured operation: its id and its decoders, instantiated for its response type.
struct Case {
    operation: &'static str,
    typed: fn(&[u8]) -> bool,
    answer: fn(&'static str, &[u8]) -> bool,
}

fn typed<T: DeserializeOwned>(body: &[u8]) -> bool {
    serde_json::from_slice::<T>(body).is_ok()
}

fn answer<T: DeserializeOwned>(operation: &'static str, body: &[u8]) -> bool {
    decode_answer::<T>(operation, 200, body).is_ok()
}

fn value(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body).is_ok()
}

macro_rules! cases {
    ($($operation:literal => $ty:ty,)*) => {
        [$(Case { operation: $operation, typed: typed::<$ty>, answer: answer::<$ty> },)*]
    };
}

/// The five largest documented response examples, largest first.
fn cases() -> [Case; LARGEST] {
    cases! {
        "ShowCustomerOrderDetails" => orders::ShowCustomerOrderDetailsResponse,
        "ListInvoices" => invoices::ListInvoicesResponse,
        "ShowCustomerOrderDetailsOld" => legacy::ShowCustomerOrderDetailsOldResponse,
        "ListSubCustomerCoupons" => coupons::ListSubCustomerCouponsResponse,
        "ListPayPerUseCustomerResourcesOld" => legacy::ListPayPerUseCustomerResourcesOldResponse,
    }
}

/// The largest documented success body of every operation that has one, largest first.
fn documented_bodies() -> Vec<(String, String)> {
    let model = bss_codegen::load(&bss_tests::root().join("spec")).expect("the spec loads");
    let mut bodies: Vec<(String, String)> = model
        .operations()
        .filter_map(|op| {
            op.examples
                .iter()
                .filter(|e| e.response_status.is_none_or(|s| (200..300).contains(&s)))
                .filter_map(|e| e.response_body.clone())
                .max_by_key(String::len)
                .map(|body| (op.id.clone(), body))
        })
        .collect();
    bodies.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    bodies
}

/// A benchmark: the operation and the decoder (`typed`, `decode_answer` or `value`).
type Key = (&'static str, &'static str);

/// A decoder of a body, true when it accepts it.
type Decoder = Box<dyn Fn(&[u8]) -> bool>;

/// Total time and iterations measured per benchmark, for the ratios printed at the end.
static TOTALS: Mutex<BTreeMap<Key, (Duration, u64)>> = Mutex::new(BTreeMap::new());

fn record(key: Key, elapsed: Duration, iters: u64) {
    let mut totals = TOTALS.lock().expect("totals lock");
    let entry = totals.entry(key).or_default();
    entry.0 += elapsed;
    entry.1 += iters;
}

fn decode(c: &mut Criterion, cases: &[Case], bodies: &BTreeMap<String, String>) {
    let mut group = c.benchmark_group("decode");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for case in cases {
        let body = bodies[case.operation].as_bytes();
        // Every decoder must accept the documented body, or the comparison is meaningless.
        assert!((case.typed)(body), "{} does not decode", case.operation);
        assert!(
            (case.answer)(case.operation, body),
            "{} is not a success",
            case.operation
        );
        assert!(value(body), "{} is not JSON", case.operation);

        let typed_fn = case.typed;
        let answer_fn = case.answer;
        let operation = case.operation;
        let variants: [(&'static str, Decoder); 3] = [
            ("typed", Box::new(typed_fn)),
            ("decode_answer", Box::new(move |b| answer_fn(operation, b))),
            ("value", Box::new(value)),
        ];
        for (variant, f) in &variants {
            group.bench_function(format!("{operation}/{variant}"), |b| {
                b.iter_custom(|iters| {
                    let start = Instant::now();
                    for _ in 0..iters {
                        black_box(f(black_box(body)));
                    }
                    let elapsed = start.elapsed();
                    record((operation, variant), elapsed, iters);
                    elapsed
                })
            });
        }
    }
    group.finish();
}

fn print_ratios(cases: &[Case], bodies: &BTreeMap<String, String>) {
    let totals = TOTALS.lock().expect("totals lock");
    let mean = |operation: &'static str, variant: &'static str| {
        totals
            .get(&(operation, variant))
            .filter(|(_, iters)| *iters >= 100)
            .map(|(elapsed, iters)| elapsed.as_secs_f64() / *iters as f64)
    };
    let mut printed = false;
    for case in cases {
        let op = case.operation;
        if let (Some(typed), Some(answer), Some(value)) = (
            mean(op, "typed"),
            mean(op, "decode_answer"),
            mean(op, "value"),
        ) {
            if !printed {
                println!(
                    "\nDecoding the largest documented answers (mean of every timed iteration, \
                     warm-up included):"
                );
                printed = true;
            }
            println!(
                "  {op} ({} bytes): typed {:.2} µs, decode_answer {:.2} µs, serde_json::Value \
                 {:.2} µs; typed / Value {:.3}, decode_answer / Value {:.3}",
                bodies[op].len(),
                typed * 1e6,
                answer * 1e6,
                value * 1e6,
                typed / value,
                answer / value
            );
        }
    }
    if !printed {
        println!(
            "(run `cargo bench -p bss-tests --bench decode` to print the typed / Value ratios)"
        );
    }
}

fn main() {
    let cases = cases();
    let documented = documented_bodies();
    let largest: Vec<&str> = documented
        .iter()
        .take(LARGEST)
        .map(|(op, _)| op.as_str())
        .collect();
    let chosen: Vec<&str> = cases.iter().map(|c| c.operation).collect();
    assert_eq!(
        chosen, largest,
        "the decode benchmarks must measure the {LARGEST} largest documented answers: update \
         `cases()` in tests/benches/decode.rs"
    );
    let bodies: BTreeMap<String, String> = documented.into_iter().collect();

    let mut criterion = Criterion::default().configure_from_args();
    decode(&mut criterion, &cases, &bodies);
    criterion.final_summary();
    print_ratios(&cases, &bodies);
}
