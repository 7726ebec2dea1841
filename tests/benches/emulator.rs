//! Criterion benchmark: throughput of the generated client against the local emulator.
//!
//! `ListSubCustomers` (a signed POST with a JSON body, answered with the documented page) goes
//! from the generated client through the emulator, which verifies the signature, validates the
//! body and answers, on 127.0.0.1. With concurrency 1 one call waits for the previous; with
//! concurrency 32, 32 tasks share one client (and its connection pool). The emulator runs on
//! its own runtime thread, the client on another, so each gets one of the machine's cores when
//! it has two. Calls per second of each are printed at the end.
//!
//! Run with `cargo bench -p bss-tests --bench emulator`; `cargo test --all-targets` runs each
//! benchmark once as a test.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use bss_emulator::Emulator;
use criterion::{Criterion, Throughput};
use huaweicloud_bss::customers::{ListSubCustomersRequest, QuerySubCustomerListBody};
use huaweicloud_bss::{Client, Credentials, RetryPolicy};

/// Time and calls measured per concurrency, for the summary printed at the end.
static TOTALS: Mutex<BTreeMap<usize, (Duration, u64)>> = Mutex::new(BTreeMap::new());

async fn call(client: &Client) {
    let request = ListSubCustomersRequest::new(QuerySubCustomerListBody::new().offset(0).limit(10));
    let page = client
        .list_sub_customers(request)
        .await
        .expect("the emulator answers");
    black_box(page.customer_infos.as_ref().map_or(0, Vec::len));
}

/// `calls` calls split over `concurrency` tasks.
async fn run(client: &Client, calls: u64, concurrency: usize) {
    let per_task = calls.div_ceil(concurrency as u64);
    let mut tasks = Vec::with_capacity(concurrency);
    let mut left = calls;
    for _ in 0..concurrency {
        let n = per_task.min(left);
        left -= n;
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..n {
                call(&client).await;
            }
        }));
    }
    for t in tasks {
        t.await.expect("task");
    }
}

fn throughput(c: &mut Criterion) {
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("server runtime");
    let emulator = server_rt
        .block_on(
            Emulator::builder()
                .throttling(false)
                .record_limit(0)
                .start(),
        )
        .expect("emulator");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("client runtime");
    let client = Client::builder()
        .endpoint(emulator.url())
        .credentials(Credentials::aksk(
            emulator.access_key(),
            emulator.secret_key(),
        ))
        .retry_policy(RetryPolicy::disabled())
        .rate_limiting(false)
        .build()
        .expect("client");
    // A warm-up call opens the connection; the emulator records nothing (`record_limit(0)`).
    rt.block_on(call(&client));

    let mut group = c.benchmark_group("emulator_ListSubCustomers");
    group.throughput(Throughput::Elements(1));
    for concurrency in [1usize, 32] {
        group.bench_function(format!("concurrency_{concurrency}"), |b| {
            b.to_async(&rt).iter_custom(|iters| {
                let client = client.clone();
                async move {
                    let start = Instant::now();
                    run(&client, iters, concurrency).await;
                    let elapsed = start.elapsed();
                    let mut totals = TOTALS.lock().expect("totals");
                    let entry = totals.entry(concurrency).or_default();
                    entry.0 += elapsed;
                    entry.1 += iters;
                    elapsed
                }
            })
        });
    }
    group.finish();
    drop(emulator);
    drop(server_rt);
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    throughput(&mut criterion);
    criterion.final_summary();
    let totals = TOTALS.lock().expect("totals");
    for (concurrency, (elapsed, calls)) in totals.iter() {
        if *calls >= 100 {
            println!(
                "emulator ListSubCustomers, concurrency {concurrency}: {:.0} calls/s ({calls} calls)",
                *calls as f64 / elapsed.as_secs_f64()
            );
        }
    }
}
