//! The shared rate limiter (`RedisLimiter`, the generated crate's `redis` feature) against a real
//! `redis-server` started on a free port: several worker processes (`src/bin/quota_worker.rs`)
//! calling `ShowSubCustomerBudget` (documented quota 25 per second) of one emulator with
//! throttling on, with and without the shared limiter; Redis killed and restarted mid-run; a
//! changed quota reaching the limiter. Skipped with a message where `redis-server` is missing
//! (`scripts/install-redis` installs it).

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bss_emulator::Emulator;
use bss_tests::quota_workers::{self, Report};
use bss_tests::redis_server::RedisServer;
use huaweicloud_bss::budgets::{SHOW_SUB_CUSTOMER_BUDGET, ShowSubCustomerBudgetRequest};
use huaweicloud_bss::limiter::{Acquire, Call, FailureMode, RateLimiter, RedisLimiter};
use huaweicloud_bss::request::RateLimit;
use huaweicloud_bss::{Client, Credentials, Error, RetryPolicy};

const WORKER: &str = env!("CARGO_BIN_EXE_quota_worker");
const QUOTA: RateLimit = RateLimit {
    requests: 25,
    per_seconds: 1,
};

/// The tests measure rates: one at a time, so that they do not slow each other down.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

async fn run_workers(processes: usize, args: Vec<String>) -> Vec<Report> {
    tokio::task::spawn_blocking(move || {
        quota_workers::wait(quota_workers::spawn(Path::new(WORKER), processes, &args))
    })
    .await
    .expect("workers")
}

fn args(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn total(reports: &[Report], f: impl Fn(&Report) -> usize) -> usize {
    reports.iter().map(f).sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn processes_sharing_the_redis_limiter_are_never_throttled_and_without_it_they_are() {
    let _serial = SERIAL.lock().await;
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let emulator = Emulator::start().await.expect("emulator");
    assert!(emulator.throttling());
    let endpoint = emulator.url().to_string();

    // Four processes, 20 calls each: 80 calls against a quota of 25 per second.
    let shared = run_workers(
        4,
        args(&[
            "--endpoint",
            &endpoint,
            "--redis",
            &redis.url(),
            "--calls",
            "20",
        ]),
    )
    .await;
    let errors: Vec<&String> = shared.iter().flat_map(|r| &r.errors).collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        total(&shared, |r| r.throttled),
        0,
        "throttled with the shared limiter: {shared:?}"
    );
    assert_eq!(total(&shared, |r| r.ok), 80);
    assert_eq!(shared.iter().map(|r| r.fallbacks).sum::<u64>(), 0);
    // Together within the quota: after the first 25, at most 25 per second.
    let times = quota_workers::all_ok_times(&shared);
    let span = (times[79] - times[0]) as f64 / 1000.0;
    let rate = 55.0 / span;
    println!(
        "shared limiter: 80 calls in {span:.2} s, {rate:.1}/s after the first window, busiest second {}",
        quota_workers::busiest_window(&times, 1000)
    );
    assert!(
        rate <= 25.0,
        "{rate:.1} calls per second after the first window"
    );
    // The keys name the site and a hash of the access key, never the key itself.
    if let Some(keys) = redis.cli(&["--scan", "--pattern", "*"]) {
        assert!(!keys.contains(bss_emulator::DEFAULT_ACCESS_KEY), "{keys}");
        assert!(!keys.contains(bss_emulator::DEFAULT_SECRET_KEY), "{keys}");
    }

    // The same run with each process pacing itself: together they exceed the quota.
    emulator.reset();
    let alone = run_workers(4, args(&["--endpoint", &endpoint, "--calls", "20"])).await;
    let errors: Vec<&String> = alone.iter().flat_map(|r| &r.errors).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let throttled = total(&alone, |r| r.throttled);
    println!("in-process limiters only: {throttled} of 80 calls throttled");
    assert!(
        throttled > 0,
        "no 429 without the shared limiter: {alone:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_killed_and_restarted_mid_run_is_survived() {
    let _serial = SERIAL.lock().await;
    let Some(mut redis) = RedisServer::start() else {
        return;
    };
    let emulator = Emulator::start().await.expect("emulator");
    let endpoint = emulator.url().to_string();
    let url = redis.url();

    let run = {
        let args = args(&[
            "--endpoint",
            &endpoint,
            "--redis",
            &url,
            "--tasks",
            "2",
            "--seconds",
            "7",
        ]);
        tokio::spawn(run_workers(4, args))
    };
    tokio::time::sleep(Duration::from_millis(1500)).await;
    redis.kill();
    let killed_at = unix_ms();

    // While Redis is away, a limiter that must fail does so at once, with a clear error.
    let started = Instant::now();
    let failing = run_workers(
        1,
        args(&[
            "--endpoint",
            &endpoint,
            "--redis",
            &url,
            "--fail",
            "--calls",
            "3",
        ]),
    )
    .await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(failing[0].ok, 0, "{failing:?}");
    assert_eq!(failing[0].errors.len(), 3, "{failing:?}");
    assert!(
        failing[0].errors[0].contains("rate limiter cannot decide"),
        "{failing:?}"
    );

    tokio::time::sleep(Duration::from_millis(1500).saturating_sub(started.elapsed())).await;
    redis.restart();
    let restarted_at = unix_ms();
    let reports = run.await.expect("run");

    let errors: Vec<&String> = reports.iter().flat_map(|r| &r.errors).collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert!(
        reports.iter().all(|r| r.fallbacks > 0),
        "every process noticed the outage: {reports:?}"
    );
    let ok_after: usize = reports
        .iter()
        .map(|r| r.ok_at.iter().filter(|t| **t > restarted_at).count())
        .sum();
    assert!(ok_after > 0, "no call after Redis came back: {reports:?}");
    // Once every process has asked Redis again (within the retry interval, 1 s) and the
    // fallback's bookings have left the window (1.1 s), the shared budget holds again.
    let settled = restarted_at + 2500;
    let late_429: Vec<u64> = reports
        .iter()
        .flat_map(|r| r.throttled_at.iter().copied())
        .filter(|t| *t > settled)
        .collect();
    let during: usize = reports
        .iter()
        .map(|r| {
            r.throttled_at
                .iter()
                .filter(|t| **t > killed_at && **t <= settled)
                .count()
        })
        .sum();
    println!(
        "Redis away for {} ms: {} fallbacks, {during} calls throttled meanwhile, {ok_after} calls after it came back",
        restarted_at - killed_at,
        reports.iter().map(|r| r.fallbacks).sum::<u64>()
    );
    assert!(
        late_429.is_empty(),
        "throttled after Redis came back: {late_429:?}"
    );
    let dbsize = redis.cli(&["DBSIZE"]);
    if let Some(n) = dbsize {
        assert_ne!(n, "0", "the limiter writes to the restarted Redis");
    }
}

/// Records what the client asks its limiter.
#[derive(Debug, Default)]
struct Recording(Mutex<Vec<(String, RateLimit, String)>>);

impl RateLimiter for Recording {
    fn acquire<'a>(&'a self, call: Call<'a>) -> Acquire<'a> {
        let mut seen = self.0.lock().unwrap_or_else(|e| e.into_inner());
        seen.push((
            call.operation.to_string(),
            call.limit,
            call.scope.to_string(),
        ));
        Box::pin(async { Ok(Duration::ZERO) })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_spec_quota_and_its_changes_reach_the_limiter() {
    let _serial = SERIAL.lock().await;
    // The documented quota, as the spec holds it, is what the client asks the limiter for.
    let spec = bss_codegen::spec::load_dir(&bss_tests::root().join("spec")).expect("spec loads");
    let documented = spec
        .groups
        .iter()
        .flat_map(|g| &g.value.operations)
        .find(|o| o.id == "ShowSubCustomerBudget")
        .and_then(|o| o.rate_limit.as_ref())
        .map(|r| (r.requests, r.per_seconds))
        .expect("ShowSubCustomerBudget documents a quota");
    let meta = SHOW_SUB_CUSTOMER_BUDGET
        .rate_limit
        .expect("the generated operation carries its quota");
    assert_eq!((meta.requests, meta.per_seconds), documented);

    let emulator = Emulator::builder()
        .throttling(false)
        .start()
        .await
        .expect("emulator");
    let recording = Arc::new(Recording::default());
    let client = |quota: Option<RateLimit>| {
        let mut b = Client::builder()
            .endpoint(emulator.url())
            .credentials(Credentials::aksk(
                emulator.access_key(),
                emulator.secret_key(),
            ))
            .retry_policy(RetryPolicy::disabled())
            .rate_limiter(recording.clone());
        if let Some(q) = quota {
            b = b.quota("ShowSubCustomerBudget", q);
        }
        b.build().expect("client")
    };
    let request = || ShowSubCustomerBudgetRequest::new("053a48736500d5f40ffec01689b88480");
    client(None)
        .show_sub_customer_budget(request())
        .await
        .expect("call");
    let raised = RateLimit {
        requests: 50,
        per_seconds: 1,
    };
    client(Some(raised))
        .show_sub_customer_budget(request())
        .await
        .expect("call");
    {
        let seen = recording.0.lock().unwrap_or_else(|e| e.into_inner());
        assert_eq!(seen.len(), 2);
        assert_eq!(
            (seen[0].0.as_str(), seen[0].1),
            ("ShowSubCustomerBudget", meta)
        );
        assert_eq!(seen[1].1, raised);
        // Site and account, the account as a hash of the access key.
        let url = emulator.url();
        let host = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        assert!(
            seen[0].2.starts_with(&format!("{host}/ak-")),
            "{}",
            seen[0].2
        );
        assert!(!seen[0].2.contains(emulator.access_key()), "{}", seen[0].2);
    }

    let Some(redis) = RedisServer::start() else {
        return;
    };
    // In Redis, a changed quota applies from the next call on, to the calls already booked.
    let limiter = RedisLimiter::builder(redis.url())
        .failure_mode(FailureMode::Fail)
        .build()
        .expect("limiter");
    let deadline = Instant::now() + Duration::from_secs(60);
    for _ in 0..10 {
        let wait = limiter
            .acquire(Call::new("Op", QUOTA, "h/a", deadline))
            .await
            .expect("slot");
        assert_eq!(wait, Duration::ZERO);
    }
    let lowered = RateLimit {
        requests: 5,
        per_seconds: 1,
    };
    let wait = limiter
        .acquire(Call::new("Op", lowered, "h/a", deadline))
        .await
        .expect("slot");
    assert!(
        wait > Duration::from_millis(900) && wait <= Duration::from_millis(1100),
        "{wait:?}"
    );
    let wait = limiter
        .acquire(Call::new("Op", QUOTA, "h/a", deadline))
        .await
        .expect("slot");
    assert_eq!(wait, Duration::ZERO, "raised again: a free slot");

    // Across processes: two workers told of a quota of 10 per second keep to it together.
    let emulator = Emulator::start().await.expect("emulator");
    let reports = run_workers(
        2,
        args(&[
            "--endpoint",
            &emulator.url(),
            "--redis",
            &redis.url(),
            "--quota",
            "10",
            "--calls",
            "15",
        ]),
    )
    .await;
    let errors: Vec<&String> = reports.iter().flat_map(|r| &r.errors).collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(total(&reports, |r| r.throttled), 0);
    let times = quota_workers::all_ok_times(&reports);
    assert_eq!(times.len(), 30);
    // 30 calls at 10 per 1.1 s: the last ten go out 2.2 s after the first.
    let span = times[29] - times[0];
    assert!(
        span >= 2000,
        "30 calls in {span} ms at a quota of 10 per second"
    );
}

#[tokio::test]
async fn a_failing_limiter_fails_the_call_before_it_is_sent() {
    #[derive(Debug)]
    struct Broken;
    impl RateLimiter for Broken {
        fn acquire<'a>(&'a self, call: Call<'a>) -> Acquire<'a> {
            Box::pin(async move {
                Err(Error::RateLimiter {
                    operation: call.operation,
                    reason: "store away".into(),
                })
            })
        }
    }
    let emulator = Emulator::builder()
        .throttling(false)
        .start()
        .await
        .expect("emulator");
    let client = Client::builder()
        .endpoint(emulator.url())
        .credentials(Credentials::aksk(
            emulator.access_key(),
            emulator.secret_key(),
        ))
        .rate_limiter(Arc::new(Broken))
        .build()
        .expect("client");
    let err = client
        .show_sub_customer_budget(ShowSubCustomerBudgetRequest::new(
            "053a48736500d5f40ffec01689b88480",
        ))
        .await
        .expect_err("the limiter refuses");
    assert!(matches!(err, Error::RateLimiter { .. }), "{err:?}");
    assert_eq!(err.attempts(), 0);
    assert!(emulator.requests().is_empty(), "nothing was sent");
}
