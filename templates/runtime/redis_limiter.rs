//! A rate limiter shared through Redis (cargo feature `redis`).
//!
//! Every call books its send time in one Redis list per scope and operation, through a Lua
//! script that runs atomically on the server: one round trip per call, times read from the
//! Redis server's clock (`TIME`), so the clocks of the calling machines do not matter. The
//! script keeps the same sliding window as the in-process limiter (at most `requests` booked
//! times within every window of `per_seconds` plus a tenth), so any number of processes stay
//! within the quota together.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use super::{Acquire, Call, RateLimiter};
use crate::error::Error;
use crate::throttle;

/// Books one call. KEYS[1]: the booked send times (µs of the server's clock, oldest first) of
/// one operation in one scope. ARGV[1]: the quota's requests; ARGV[2]: its spaced window in µs.
/// Answers the wait in µs before the booked time.
///
/// Times are written with `%d`: Redis turns Lua numbers into strings with 14 significant
/// digits, too few for microseconds since the epoch. The list expires once its last time has
/// left the window, so idle operations leave nothing behind.
const SCRIPT: &str = r"
local capacity = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local key = KEYS[1]
local n = redis.call('LLEN', key)
while n > 0 do
  local oldest = tonumber(redis.call('LINDEX', key, 0))
  if n > capacity or oldest + window <= now then
    redis.call('LPOP', key)
    n = n - 1
  else
    break
  end
end
local at = now
if n >= capacity then
  at = math.max(now, tonumber(redis.call('LPOP', key)) + window)
elseif n > 0 then
  at = math.max(now, tonumber(redis.call('LINDEX', key, -1)))
end
redis.call('RPUSH', key, string.format('%d', at))
redis.call('PEXPIRE', key, math.floor((at - now + window) / 1000) + 1000)
return at - now
";

/// What a [`RedisLimiter`] does when Redis does not answer in time (unreachable, slow,
/// restarting).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum FailureMode {
    /// Paces the call with an in-process limiter instead and logs a warning (once per outage).
    /// Calls go on, but each process then grants itself the whole quota until Redis is back:
    /// keep retries on to absorb the 429s that may follow.
    #[default]
    FallBack,
    /// Fails the call, before sending it, with [`Error::RateLimiter`].
    Fail,
}

/// Configures a [`RedisLimiter`].
#[derive(Debug)]
pub struct RedisLimiterBuilder {
    url: String,
    key_prefix: String,
    failure_mode: FailureMode,
    timeout: Duration,
    retry_interval: Duration,
}

impl RedisLimiterBuilder {
    /// Prefix of every key the limiter writes (default `huaweicloud-bss:quota`); keys are
    /// `{prefix}:{host}/{account}:{operation}`.
    #[must_use]
    pub fn key_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.key_prefix = prefix.into();
        self
    }
    /// What happens when Redis does not answer (default [`FailureMode::FallBack`]).
    #[must_use]
    pub fn failure_mode(mut self, mode: FailureMode) -> Self {
        self.failure_mode = mode;
        self
    }
    /// How long one call waits for Redis's answer (default 250 ms), never past the call's
    /// [deadline](super::Call::deadline).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
    /// After Redis failed to answer, how long calls skip it and go straight to the failure mode
    /// (default 1 s); the first call after that asks Redis again.
    #[must_use]
    pub fn retry_interval(mut self, interval: Duration) -> Self {
        self.retry_interval = interval;
        self
    }
    /// Checks the URL; the connection is opened by the first call (inside its runtime) and
    /// reopened after Redis comes back.
    pub fn build(self) -> Result<RedisLimiter, Error> {
        let shown = redacted(&self.url);
        let client = redis::Client::open(self.url.as_str()).map_err(|e| Error::Config(format!("Redis URL `{shown}`: {e}")))?;
        Ok(RedisLimiter {
            client,
            shown,
            manager: OnceLock::new(),
            script: redis::Script::new(SCRIPT),
            key_prefix: self.key_prefix,
            failure_mode: self.failure_mode,
            timeout: self.timeout,
            retry_interval: self.retry_interval,
            fallback: throttle::RateLimiter::default(),
            skip_until: Mutex::new(None),
            fallbacks: AtomicU64::new(0),
        })
    }
}

/// The URL without user name and password, for messages and `Debug`.
fn redacted(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut u) => {
            if !u.username().is_empty() {
                let _ = u.set_username("<redacted>");
            }
            if u.password().is_some() {
                let _ = u.set_password(Some("<redacted>"));
            }
            u.to_string()
        }
        Err(_) => "<unparsable URL>".to_string(),
    }
}

/// A [`RateLimiter`] whose budget lives in Redis and is shared by every client, in any
/// process on any machine, that calls with the same account through the same Redis (and key
/// prefix).
///
/// ```no_run
/// # async fn run() -> Result<(), huaweicloud_bss::Error> {
/// use std::sync::Arc;
/// use huaweicloud_bss::{Client, Credentials};
/// use huaweicloud_bss::limiter::{FailureMode, RedisLimiter};
///
/// let limiter = RedisLimiter::builder("redis://127.0.0.1:6379/").failure_mode(FailureMode::FallBack).build()?;
/// let client = Client::builder().credentials(Credentials::from_env()?).rate_limiter(Arc::new(limiter)).build()?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
pub struct RedisLimiter {
    client: redis::Client,
    /// The URL without credentials.
    shown: String,
    /// Made by the first call: making it needs the runtime.
    manager: OnceLock<ConnectionManager>,
    script: redis::Script,
    key_prefix: String,
    failure_mode: FailureMode,
    timeout: Duration,
    retry_interval: Duration,
    /// Paces calls while Redis is away ([`FailureMode::FallBack`]).
    fallback: throttle::RateLimiter,
    /// Set when Redis failed: until then, calls do not ask it.
    skip_until: Mutex<Option<Instant>>,
    fallbacks: AtomicU64,
}

impl fmt::Debug for RedisLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisLimiter")
            .field("url", &self.shown)
            .field("key_prefix", &self.key_prefix)
            .field("failure_mode", &self.failure_mode)
            .field("timeout", &self.timeout)
            .field("retry_interval", &self.retry_interval)
            .finish_non_exhaustive()
    }
}

impl RedisLimiter {
    /// A builder for the Redis server at `url` (`redis://[user:password@]host[:port][/db]`,
    /// `rediss://` for TLS when the `redis` crate is built with it).
    pub fn builder(url: impl Into<String>) -> RedisLimiterBuilder {
        RedisLimiterBuilder {
            url: url.into(),
            key_prefix: "huaweicloud-bss:quota".to_string(),
            failure_mode: FailureMode::default(),
            timeout: Duration::from_millis(250),
            retry_interval: Duration::from_secs(1),
        }
    }

    /// A limiter for the Redis server at `url` with the defaults.
    pub fn new(url: impl Into<String>) -> Result<Self, Error> {
        Self::builder(url).build()
    }

    /// How many calls Redis could not decide on (they went to the failure mode).
    pub fn fallbacks(&self) -> u64 {
        self.fallbacks.load(Ordering::Relaxed)
    }

    fn manager(&self) -> Result<ConnectionManager, String> {
        if let Some(m) = self.manager.get() {
            return Ok(m.clone());
        }
        // Reconnection is the manager's: a broken connection is reopened on the next command.
        // Its own waits stay within the limiter's timeout, which bounds every command.
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(self.timeout))
            .set_response_timeout(Some(self.timeout))
            .set_number_of_retries(1)
            .set_max_delay(self.timeout);
        let made = ConnectionManager::new_lazy_with_config(self.client.clone(), config).map_err(|e| e.to_string())?;
        Ok(self.manager.get_or_init(|| made).clone())
    }

    /// Books the call in Redis: the wait before its slot.
    async fn ask(&self, call: &Call<'_>) -> Result<Duration, String> {
        let mut manager = self.manager()?;
        let window = throttle::spaced_window(call.limit);
        let key = format!("{}:{}:{}", self.key_prefix, call.scope, call.operation);
        let wait: i64 = self
            .script
            .key(key)
            .arg(call.limit.requests.max(1))
            .arg(u64::try_from(window.as_micros()).unwrap_or(u64::MAX))
            .invoke_async(&mut manager)
            .await
            .map_err(|e| e.to_string())?;
        Ok(Duration::from_micros(u64::try_from(wait).unwrap_or(0)))
    }

    fn skipping(&self, now: Instant) -> bool {
        let skip = self.skip_until.lock().unwrap_or_else(|e| e.into_inner());
        skip.is_some_and(|until| now < until)
    }

    async fn decide(&self, call: Call<'_>) -> Result<Duration, Error> {
        let now = Instant::now();
        let reason = if self.skipping(now) {
            None
        } else {
            let budget = self.timeout.min(call.deadline.saturating_duration_since(now));
            let answer = match tokio::time::timeout(budget, self.ask(&call)).await {
                Ok(answer) => answer,
                Err(_) => Err(format!("no answer within {} ms", budget.as_millis())),
            };
            match answer {
                Ok(wait) => {
                    let recovered = self.skip_until.lock().unwrap_or_else(|e| e.into_inner()).take().is_some();
                    if recovered {
                        tracing::info!(redis = %self.shown, "Redis answers again: the shared rate limit applies");
                    }
                    if !wait.is_zero() {
                        tokio::time::sleep(wait).await;
                    }
                    return Ok(wait);
                }
                Err(reason) => Some(reason),
            }
        };
        self.fallbacks.fetch_add(1, Ordering::Relaxed);
        if let Some(reason) = &reason {
            // Only the call that finds Redis gone warns; the others of the interval skip it.
            let first = self.skip_until.lock().unwrap_or_else(|e| e.into_inner()).replace(Instant::now() + self.retry_interval).is_none();
            match self.failure_mode {
                FailureMode::FallBack if first => tracing::warn!(redis = %self.shown, reason = reason.as_str(), "Redis does not answer: calls are paced in this process only"),
                FailureMode::Fail if first => tracing::warn!(redis = %self.shown, reason = reason.as_str(), "Redis does not answer: calls fail until it does"),
                _ => tracing::debug!(redis = %self.shown, reason = reason.as_str(), "Redis still does not answer"),
            }
        }
        match self.failure_mode {
            FailureMode::Fail => Err(Error::RateLimiter {
                operation: call.operation,
                reason: reason.unwrap_or_else(|| format!("Redis at {} did not answer moments ago", self.shown)),
            }),
            FailureMode::FallBack => Ok(self.fallback.acquire(call.scope, call.operation, call.limit).await),
        }
    }
}

impl RateLimiter for RedisLimiter {
    fn acquire<'a>(&'a self, call: Call<'a>) -> Acquire<'a> {
        Box::pin(self.decide(call))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_shown_without_credentials() {
        let limiter = RedisLimiter::new("redis://user:s3cret@127.0.0.1:6390/2").expect("URL");
        let debug = format!("{limiter:?}");
        assert!(!debug.contains("s3cret") && !debug.contains("user"), "{debug}");
        assert!(debug.contains("127.0.0.1:6390/2"), "{debug}");
        match RedisLimiter::new("redis://:s3cret@[::1") {
            Err(Error::Config(m)) => assert!(!m.contains("s3cret"), "{m}"),
            other => panic!("expected a configuration error, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn an_unreachable_redis_falls_back_or_fails_within_the_timeout() {
        // Nothing listens on port 9.
        let limit = crate::request::RateLimit { requests: 1, per_seconds: 1 };
        let deadline = Instant::now() + Duration::from_secs(60);
        let fallback = RedisLimiter::builder("redis://127.0.0.1:9/").timeout(Duration::from_millis(200)).build().expect("URL");
        let started = Instant::now();
        assert_eq!(fallback.acquire(Call::new("Op", limit, "h/a", deadline)).await.expect("fallback"), Duration::ZERO);
        assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
        assert_eq!(fallback.fallbacks(), 1);

        let failing = RedisLimiter::builder("redis://127.0.0.1:9/").failure_mode(FailureMode::Fail).build().expect("URL");
        match failing.acquire(Call::new("Op", limit, "h/a", deadline)).await {
            Err(Error::RateLimiter { operation: "Op", reason }) => assert!(!reason.is_empty()),
            other => panic!("expected a limiter error, got {other:?}"),
        }
        // Within the retry interval, calls fail at once without asking Redis again.
        let started = Instant::now();
        assert!(matches!(failing.acquire(Call::new("Op", limit, "h/a", deadline)).await, Err(Error::RateLimiter { .. })));
        assert!(started.elapsed() < Duration::from_millis(50));
    }

    #[tokio::test]
    async fn the_call_deadline_bounds_the_wait_for_redis() {
        // A listener that accepts and never answers: Redis hanging.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("redis://{}/", listener.local_addr().expect("addr"));
        let limiter = RedisLimiter::builder(url).timeout(Duration::from_secs(30)).failure_mode(FailureMode::Fail).build().expect("URL");
        let limit = crate::request::RateLimit { requests: 1, per_seconds: 1 };
        let started = Instant::now();
        let answer = limiter.acquire(Call::new("Op", limit, "h/a", started + Duration::from_millis(300))).await;
        assert!(matches!(answer, Err(Error::RateLimiter { .. })), "{answer:?}");
        assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
        drop(listener);
    }
}
