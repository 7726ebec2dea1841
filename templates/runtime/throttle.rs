//! Client-side rate limiting from the documented quotas.
//!
//! Document 004 §3.4 gives most operations a quota such as "10 requests per second" (see
//! [`OperationMeta::rate_limit`](crate::request::OperationMeta::rate_limit)); the API gateway
//! answers calls over it with HTTP 429. The client spaces its own calls so that it stays within
//! the quota instead of being refused: before each attempt it waits, if needed, until sending
//! keeps every window of `per_seconds` at no more than `requests` calls of that operation.
//!
//! This is a token bucket of `requests` tokens in which each token comes back one window after
//! it was taken (a sliding window), plus a tenth of a window. The gateway counts a call when it
//! arrives, not when the client sends it, and the first call on a new connection arrives later
//! than the next ones (connect, TLS): without the margin, a call sent exactly one window after
//! the first can arrive inside the gateway's window of it (seen against the emulator on
//! loopback). A bucket refilled at a steady rate would allow twice
//! the quota within one window of the gateway's counter (a full bucket, then the refill), so it
//! would still be throttled.
//!
//! Limits are kept per account and operation and shared by every clone of a
//! [`Client`](crate::Client). The gateway counts per source IP, API and account, so several
//! processes calling with the same account share the quota without sharing this limiter: use a
//! shared one for them ([`crate::limiter`]), or keep retries on, as they absorb the occasional
//! 429. Turn the limiter off with [`ClientBuilder::rate_limiting`](crate::ClientBuilder::rate_limiting).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::request::RateLimit;

/// The window a limiter keeps `limit.requests` calls within: the documented one plus the margin
/// for arrival times (module documentation). The shared limiters use it too, so that every
/// limiter spaces calls alike.
pub(crate) fn spaced_window(limit: RateLimit) -> Duration {
    let window = Duration::from_secs(u64::from(limit.per_seconds));
    window + window / 10
}

/// The send times of every operation's recent calls, per scope (site and account).
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    windows: Mutex<HashMap<String, HashMap<&'static str, VecDeque<Instant>>>>,
}

impl RateLimiter {
    /// Waits until a call of `operation` keeps within `limit`, and books that call.
    ///
    /// Booking happens before the wait, so concurrent callers queue up in order; a caller that
    /// is dropped while waiting leaves its slot unused, which is the safe side.
    pub(crate) async fn acquire(&self, scope: &str, operation: &'static str, limit: RateLimit) -> Duration {
        let at = self.book(scope, operation, limit, Instant::now());
        let now = Instant::now();
        if at > now {
            tokio::time::sleep_until(at).await;
            at - now
        } else {
            Duration::ZERO
        }
    }

    /// Books the earliest send time at or after `now` that keeps within `limit`.
    fn book(&self, scope: &str, operation: &'static str, limit: RateLimit, now: Instant) -> Instant {
        let window = spaced_window(limit);
        let capacity = limit.requests.max(1) as usize;
        // A poisoned lock only means another caller panicked between two plain pushes: the
        // times are still valid.
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        // Looked up before inserting: the scope is the same on nearly every call, and a hit
        // then costs no allocation.
        if !windows.contains_key(scope) {
            windows.insert(scope.to_string(), HashMap::new());
        }
        let sent = windows.get_mut(scope).map(|ops| ops.entry(operation).or_default());
        let Some(sent) = sent else { return now };
        // Times are booked in increasing order, so the oldest is at the front.
        while sent.len() > capacity || sent.front().is_some_and(|t| *t + window <= now) {
            sent.pop_front();
        }
        let at = if sent.len() < capacity {
            now.max(sent.back().copied().unwrap_or(now))
        } else {
            let oldest = sent.pop_front().unwrap_or(now);
            now.max(oldest + window)
        };
        sent.push_back(at);
        at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEN_PER_SECOND: RateLimit = RateLimit { requests: 10, per_seconds: 1 };

    #[test]
    fn no_window_ever_holds_more_than_the_quota() {
        let limiter = RateLimiter::default();
        let start = Instant::now();
        // 35 calls all asking at the same moment.
        let times: Vec<Instant> = (0..35).map(|_| limiter.book("s", "Op", TEN_PER_SECOND, start)).collect();
        assert!(times[..10].iter().all(|t| *t == start), "the first 10 go at once");
        assert_eq!(times[10], start + Duration::from_millis(1100));
        assert_eq!(times[34], start + Duration::from_millis(3300));
        for (i, t) in times.iter().enumerate() {
            let in_window = times.iter().filter(|u| **u >= *t && **u < *t + Duration::from_secs(1)).count();
            assert!(in_window <= 10, "window starting at call {i} holds {in_window} calls");
        }
    }

    #[test]
    fn operations_have_their_own_quota() {
        let limiter = RateLimiter::default();
        let start = Instant::now();
        for _ in 0..10 {
            limiter.book("s", "A", TEN_PER_SECOND, start);
        }
        assert_eq!(limiter.book("s", "B", TEN_PER_SECOND, start), start);
        assert!(limiter.book("s", "A", TEN_PER_SECOND, start) > start);
    }

    #[test]
    fn accounts_have_their_own_quota() {
        let limiter = RateLimiter::default();
        let start = Instant::now();
        for _ in 0..10 {
            limiter.book("site:one", "A", TEN_PER_SECOND, start);
        }
        assert_eq!(limiter.book("site:two", "A", TEN_PER_SECOND, start), start);
        assert!(limiter.book("site:one", "A", TEN_PER_SECOND, start) > start);
    }

    #[test]
    fn slots_come_back_after_the_window() {
        let limiter = RateLimiter::default();
        let start = Instant::now();
        let limit = RateLimit { requests: 2, per_seconds: 1 };
        assert_eq!(limiter.book("s", "A", limit, start), start);
        let later = start + Duration::from_millis(400);
        assert_eq!(limiter.book("s", "A", limit, later), later);
        // The third call waits for the first slot to come back.
        assert_eq!(limiter.book("s", "A", limit, later), start + Duration::from_millis(1100));
        let much_later = start + Duration::from_secs(10);
        assert_eq!(limiter.book("s", "A", limit, much_later), much_later);
    }

    #[tokio::test(start_paused = true)]
    async fn acquire_sleeps_until_the_booked_time() {
        let limiter = RateLimiter::default();
        let limit = RateLimit { requests: 1, per_seconds: 2 };
        let start = Instant::now();
        assert_eq!(limiter.acquire("s", "A", limit).await, Duration::ZERO);
        assert_eq!(limiter.acquire("s", "A", limit).await, Duration::from_millis(2200));
        assert!(Instant::now() >= start + Duration::from_millis(2200));
    }
}
