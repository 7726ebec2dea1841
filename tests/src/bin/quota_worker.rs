//! One worker process of the shared-quota tests and benchmark: calls `ShowSubCustomerBudget`
//! (documented quota: 25 per second) of an emulator from several tasks, with retries off so that
//! every 429 is seen, and prints one JSON line with what happened.
//!
//! ```text
//! quota_worker --endpoint URL [--redis URL] [--prefix P] [--fail] [--no-limiter]
//!              [--tasks K] [--calls N | --seconds S] [--quota Q] [--start-at MS]
//! ```
//!
//! Without `--redis` the client paces with its own in-process limiter (or none with
//! `--no-limiter`); `--quota Q` replaces the documented quota with Q per second; `--calls` is per
//! task; `--start-at` waits until that time before the first call, so that the processes of a
//! timed run cover the same seconds. Times are milliseconds since the Unix epoch.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use huaweicloud_bss::budgets::ShowSubCustomerBudgetRequest;
use huaweicloud_bss::limiter::{FailureMode, RedisLimiter};
use huaweicloud_bss::request::RateLimit;
use huaweicloud_bss::{Client, Credentials, Error, RetryPolicy};
use serde_json::json;

const CUSTOMER: &str = "053a48736500d5f40ffec01689b88480";

#[derive(Debug, Default)]
struct Options {
    endpoint: String,
    redis: Option<String>,
    prefix: Option<String>,
    fail: bool,
    no_limiter: bool,
    tasks: usize,
    calls: Option<usize>,
    seconds: Option<f64>,
    quota: Option<u32>,
    start_at: Option<u64>,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        tasks: 1,
        ..Options::default()
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--endpoint" => o.endpoint = value()?,
            "--redis" => o.redis = Some(value()?),
            "--prefix" => o.prefix = Some(value()?),
            "--fail" => o.fail = true,
            "--no-limiter" => o.no_limiter = true,
            "--tasks" => o.tasks = value()?.parse().map_err(|e| format!("--tasks: {e}"))?,
            "--calls" => o.calls = Some(value()?.parse().map_err(|e| format!("--calls: {e}"))?),
            "--seconds" => {
                o.seconds = Some(value()?.parse().map_err(|e| format!("--seconds: {e}"))?)
            }
            "--start-at" => {
                o.start_at = Some(value()?.parse().map_err(|e| format!("--start-at: {e}"))?)
            }
            "--quota" => o.quota = Some(value()?.parse().map_err(|e| format!("--quota: {e}"))?),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if o.endpoint.is_empty() || (o.calls.is_none() && o.seconds.is_none()) {
        return Err("--endpoint and one of --calls or --seconds are required".into());
    }
    Ok(o)
}

fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

#[derive(Debug, Default)]
struct Outcome {
    ok_at: Vec<u64>,
    throttled_at: Vec<u64>,
    errors: Vec<String>,
}

#[tokio::main]
async fn main() {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("quota_worker: {e}");
            std::process::exit(2);
        }
    };
    let mut builder = Client::builder()
        .endpoint(&o.endpoint)
        .credentials(Credentials::aksk(
            bss_emulator::DEFAULT_ACCESS_KEY,
            bss_emulator::DEFAULT_SECRET_KEY,
        ))
        .retry_policy(RetryPolicy::disabled())
        .rate_limiting(!o.no_limiter);
    if let Some(q) = o.quota {
        builder = builder.quota(
            "ShowSubCustomerBudget",
            RateLimit {
                requests: q,
                per_seconds: 1,
            },
        );
    }
    let redis = match &o.redis {
        Some(url) => {
            let mut b = RedisLimiter::builder(url);
            if let Some(p) = &o.prefix {
                b = b.key_prefix(p);
            }
            if o.fail {
                b = b.failure_mode(FailureMode::Fail);
            }
            let limiter = Arc::new(b.build().expect("Redis URL"));
            builder = builder.rate_limiter(limiter.clone());
            Some(limiter)
        }
        None => None,
    };
    let client = builder.build().expect("client");
    if let Some(at) = o.start_at {
        tokio::time::sleep(Duration::from_millis(at.saturating_sub(unix_ms()))).await;
    }
    let until = o
        .seconds
        .map(|s| Instant::now() + Duration::from_secs_f64(s));
    let started = unix_ms();
    let tasks: Vec<_> = (0..o.tasks)
        .map(|_| {
            let client = client.clone();
            let calls = o.calls;
            tokio::spawn(async move {
                let mut out = Outcome::default();
                let mut n = 0;
                loop {
                    if calls.is_some_and(|c| n >= c) || until.is_some_and(|u| Instant::now() >= u) {
                        break;
                    }
                    n += 1;
                    let result = client
                        .show_sub_customer_budget(ShowSubCustomerBudgetRequest::new(CUSTOMER))
                        .await;
                    // A call that was granted its slot after the end of a timed run is not
                    // counted: it measures the quota, not the run's length.
                    if until.is_some_and(|u| Instant::now() >= u) && result.is_ok() {
                        break;
                    }
                    match result {
                        Ok(_) => out.ok_at.push(unix_ms()),
                        Err(Error::Service(e)) if e.status == 429 => {
                            out.throttled_at.push(unix_ms())
                        }
                        Err(e) => out.errors.push(e.to_string()),
                    }
                }
                out
            })
        })
        .collect();
    let mut all = Outcome::default();
    for t in tasks {
        let out = t.await.expect("task");
        all.ok_at.extend(out.ok_at);
        all.throttled_at.extend(out.throttled_at);
        all.errors.extend(out.errors);
    }
    all.ok_at.sort_unstable();
    all.throttled_at.sort_unstable();
    let report = json!({
        "started": started,
        "ok": all.ok_at.len(),
        "throttled": all.throttled_at.len(),
        "errors": all.errors,
        "fallbacks": redis.as_ref().map_or(0, |r| r.fallbacks()),
        "ok_at": all.ok_at,
        "throttled_at": all.throttled_at,
    });
    println!("{report}");
}
