//! The shared rate limiter: what the Redis round trip costs per call against the in-process
//! limiter (same run, a quota far above the call rate so that nobody waits), and the combined
//! throughput of 4 worker processes with 1, 4 and 16 tasks each against the emulator's
//! `ShowSubCustomerBudget` (25 per second), as a fraction of the quota.
//!
//! Run with `cargo bench -p bss-tests --bench shared_quota`; needs `redis-server`
//! (`scripts/install-redis`) and skips with a message without it. `cargo test --all-targets`
//! runs the Criterion part once and leaves the throughput runs out (they take about 15 s).

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bss_emulator::Emulator;
use bss_tests::quota_workers;
use bss_tests::redis_server::RedisServer;
use criterion::Criterion;
use huaweicloud_bss::budgets::ShowSubCustomerBudgetRequest;
use huaweicloud_bss::limiter::{Call, InProcessLimiter, RateLimiter, RedisLimiter};
use huaweicloud_bss::request::RateLimit;
use huaweicloud_bss::{Client, Credentials, RetryPolicy};

const WORKER: &str = env!("CARGO_BIN_EXE_quota_worker");
/// High enough that no call waits: only the limiter's own work is measured.
const UNLIMITED: RateLimit = RateLimit {
    requests: 1_000_000,
    per_seconds: 1,
};
/// Four windows of the spaced quota (1.1 s each): at most 100 calls.
const RUN_SECONDS: f64 = 4.4;

fn call(scope: &str) -> Call<'_> {
    Call::new(
        "Bench",
        UNLIMITED,
        scope,
        Instant::now() + Duration::from_secs(60),
    )
}

/// Mean time of one acquisition, over alternating blocks of both limiters (load changes on a
/// shared machine hit both alike).
fn paired(rt: &tokio::runtime::Runtime, a: &dyn RateLimiter, b: &dyn RateLimiter) -> (f64, f64) {
    let (mut ta, mut tb) = (Duration::ZERO, Duration::ZERO);
    let (blocks, per_block) = (20, 200);
    rt.block_on(async {
        for _ in 0..blocks {
            for (limiter, total) in [(a, &mut ta), (b, &mut tb)] {
                let started = Instant::now();
                for _ in 0..per_block {
                    limiter.acquire(call("paired/a")).await.expect("slot");
                }
                *total += started.elapsed();
            }
        }
    });
    let n = f64::from(blocks * per_block);
    (ta.as_secs_f64() * 1e6 / n, tb.as_secs_f64() * 1e6 / n)
}

fn main() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let timed = std::env::args().any(|a| a == "--bench");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let in_process = InProcessLimiter::new();
    let shared = rt.block_on(async { RedisLimiter::new(redis.url()).expect("limiter") });

    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("limiter");
    group.bench_function("in_process", |b| {
        b.to_async(&rt)
            .iter(|| async { in_process.acquire(call("bench/a")).await.expect("slot") })
    });
    group.bench_function("redis", |b| {
        b.to_async(&rt)
            .iter(|| async { shared.acquire(call("bench/a")).await.expect("slot") })
    });
    group.finish();

    // The whole call against the emulator (throttling off), with each limiter.
    let emulator = rt.block_on(async {
        Emulator::builder()
            .throttling(false)
            .start()
            .await
            .expect("emulator")
    });
    let client = |limiter: Arc<dyn RateLimiter>| {
        Client::builder()
            .endpoint(emulator.url())
            .credentials(Credentials::aksk(
                emulator.access_key(),
                emulator.secret_key(),
            ))
            .retry_policy(RetryPolicy::disabled())
            .quota("ShowSubCustomerBudget", UNLIMITED)
            .rate_limiter(limiter)
            .build()
            .expect("client")
    };
    let local_client = client(Arc::new(InProcessLimiter::new()));
    let redis_client = client(Arc::new(RedisLimiter::new(redis.url()).expect("limiter")));
    let request = || ShowSubCustomerBudgetRequest::new("053a48736500d5f40ffec01689b88480");
    let mut group = criterion.benchmark_group("call");
    for (name, c) in [("in_process", &local_client), ("redis", &redis_client)] {
        group.bench_function(name, |b| {
            b.to_async(&rt)
                .iter(|| async { c.show_sub_customer_budget(request()).await.expect("answer") })
        });
    }
    group.finish();
    if !timed {
        return;
    }

    let (local, remote) = paired(&rt, &in_process, &shared);
    println!(
        "acquire, paired blocks: in-process {local:.2} µs, Redis {remote:.1} µs: the round trip adds {:.1} µs per call",
        remote - local
    );

    // Combined throughput of four processes against the quota, throttling on.
    let throttled = rt.block_on(async { Emulator::start().await.expect("emulator") });
    for tasks in [1, 4, 16] {
        throttled.reset();
        let prefix = format!("bench-{tasks}");
        // Every process starts its clock at the same moment, once all have started.
        let start_at = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as u64 + 1000)
            .unwrap_or(0);
        let args: Vec<String> = [
            "--endpoint",
            &throttled.url(),
            "--redis",
            &redis.url(),
            "--prefix",
            &prefix,
            "--tasks",
            &tasks.to_string(),
            "--seconds",
            &RUN_SECONDS.to_string(),
            "--start-at",
            &start_at.to_string(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let reports = quota_workers::wait(quota_workers::spawn(Path::new(WORKER), 4, &args));
        let ok: usize = reports.iter().map(|r| r.ok).sum();
        let throttled_calls: usize = reports.iter().map(|r| r.throttled).sum();
        let errors: usize = reports.iter().map(|r| r.errors.len()).sum();
        let fallbacks: u64 = reports.iter().map(|r| r.fallbacks).sum();
        let quota = 25.0 * RUN_SECONDS;
        println!(
            "4 processes x {tasks:>2} tasks: {ok} calls in the same {RUN_SECONDS} s = {:.1} % of the quota (25/s; at most {:.1} % with the tenth of a window of margin), {throttled_calls} throttled, {errors} errors, {fallbacks} fallbacks",
            ok as f64 / quota * 100.0,
            100.0 / 1.1
        );
    }
}
