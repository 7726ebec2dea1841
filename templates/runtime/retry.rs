//! Retries: when a failed call is repeated, and how long the client waits in between.
//!
//! # What is retried
//!
//! | failure | idempotent operation | other operations |
//! |---|---|---|
//! | HTTP 429, or error code `APIGW.0308` / `APIG.0308` (throttled by the API gateway) | retried | retried |
//! | the connection could not be opened (refused, DNS, TLS, connect timeout) | retried | retried |
//! | HTTP 500, 502, 503, 504; `CBC.0250` (flow control of the service) under another status than 429 | retried | **not** retried |
//! | timeout or broken connection after the request was sent (reset, truncated answer) | retried | **not** retried |
//! | any other answer: 4xx, HTTP 200 with an error code, an undecodable or oversized body | not retried | not retried |
//!
//! [`Error::retry`](crate::Error::retry) applies these rules to an error the client returned:
//! whether it may be sent again, and why ([`RetryReason`](crate::RetryReason)).
//!
//! An operation is idempotent when the spec says repeating it is harmless
//! ([`OperationMeta::idempotent`](crate::request::OperationMeta::idempotent)): queries and price
//! enquiries. Payments, renewals, unsubscriptions, transfers, freezes and account creation are
//! not, and the client never repeats them once they may have reached the service: after a
//! timeout, a reset connection or a 5xx the order may have been paid even though no answer
//! arrived, so the error is handed to the caller, who can look the outcome up.
//!
//! The documentation's status table (004 §13.8) advises against retrying a 503; for a query a
//! repeat is harmless, and a 503 from the gateway or a load balancer is usually transient, so
//! queries retry it within the bounds of the policy like the other 5xx.
//!
//! Throttling answers are the exception. HTTP 429 with `APIGW.0308` (or `APIG.0308`) comes from
//! the API gateway in front of the service, which refuses the call *before* forwarding it: the
//! service never saw the request, so sending it again cannot do anything twice. The same holds
//! for a connection that could not be opened: nothing was sent at all.
//!
//! # How long the client waits
//!
//! Before retry `n` (1 for the second attempt) the client waits a random duration between zero
//! and `min(max_backoff, initial_backoff × 2ⁿ⁻¹)` ("exponential backoff with full jitter"), so
//! that many clients throttled at once do not come back in lockstep. When the answer carries
//! `Retry-After: <seconds>`, the client waits that long instead, but never longer than
//! [`RetryPolicy::with_max_retry_after`]. No retry starts once the next wait would take the
//! call past [`RetryPolicy::with_max_elapsed`]; the last error is returned instead. Each attempt
//! is signed afresh (a new `X-Sdk-Date`) and counts against the client-side rate limit.
//!
//! # Time limits
//!
//! Three settings bound how long a call takes, each measured from a different point:
//!
//! | setting | bounds | when it is reached |
//! |---|---|---|
//! | `timeout` ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout), [`CallOptions::timeout`](crate::CallOptions::timeout); default 60 s) | one attempt: connecting, sending, and receiving the whole answer | the attempt fails with [`Error::Timeout`](crate::Error::Timeout); it is retried like any timeout (above) |
//! | `max_elapsed` ([`RetryPolicy::with_max_elapsed`]; default 30 s) | when the last retry may **start**, counted from the start of the call | no retry whose wait would end past it is made; the last error is returned |
//! | deadline ([`ClientBuilder::operation_timeout`](crate::ClientBuilder::operation_timeout), [`CallOptions::operation_timeout`](crate::CallOptions::operation_timeout) or [`CallOptions::deadline`](crate::CallOptions::deadline); none by default) | the whole call: rate-limit waits, every attempt and every wait between attempts | see below |
//!
//! `max_elapsed` does not stop an attempt in flight, so without a deadline a call can last up
//! to `max_elapsed` plus one `timeout` (plus the waits of the rate limiter). With a deadline it
//! is over by the deadline, whatever the server does:
//!
//! - each attempt's `timeout` is cut to the time left, and an attempt still running at the
//!   deadline fails the call with [`Error::DeadlineExceeded`](crate::Error::DeadlineExceeded) (its `attempts` count it: it may
//!   have reached the service);
//! - a wait before a retry (backoff or `Retry-After`, even one of `99999999999` seconds) that
//!   would end at or after the deadline is not made: the call fails at once with the last
//!   attempt's error, as when `max_elapsed` is reached;
//! - the wait for the client-side rate limit ends at the deadline too, with
//!   [`Error::DeadlineExceeded`](crate::Error::DeadlineExceeded) and `attempts` counting only the attempts already sent.
//!
//! The deadline is never extended by retries: a retry is only started when it can start
//! before the deadline, and it then has only the time left.

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

/// When and how often a failed call is repeated. See the [module documentation](self) for
/// which failures are retried.
///
/// The default makes at most 3 attempts, waits between 0 and 200 ms before the first retry
/// (doubling up to 5 s), honours `Retry-After` up to 20 s, and gives up when a retry would
/// start more than 30 s after the first attempt.
///
/// ```
/// use std::time::Duration;
/// use huaweicloud_bss::{Client, Credentials, RetryPolicy};
///
/// let policy = RetryPolicy::default()
///     .with_max_attempts(5)
///     .with_initial_backoff(Duration::from_millis(100))
///     .with_max_backoff(Duration::from_secs(2))
///     .with_max_elapsed(Duration::from_secs(10))
///     .with_max_retry_after(Duration::from_secs(5));
/// assert_eq!(policy.max_attempts(), 5);
///
/// let client = Client::builder()
///     .credentials(Credentials::aksk("AK", "SK"))
///     .retry_policy(policy)
///     .build()?;
///
/// // Or: every call is sent once, whatever happens.
/// let once = Client::builder()
///     .credentials(Credentials::aksk("AK", "SK"))
///     .retry_policy(RetryPolicy::disabled())
///     .build()?;
/// # let _ = (client, once);
/// # Ok::<(), huaweicloud_bss::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// Sends every call exactly once.
    pub fn disabled() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    /// At most this many attempts per call, the first one included (default 3). `0` counts as 1.
    #[must_use]
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The upper bound of the first wait (default 200 ms); it doubles for each further retry.
    #[must_use]
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The largest upper bound a wait can reach by doubling (default 5 s).
    #[must_use]
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// No retry starts later than this after the first attempt started (default 30 s). The
    /// timeout of a single attempt is the client's [`timeout`](crate::ClientBuilder::timeout).
    #[must_use]
    pub fn with_max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = elapsed;
        self
    }

    /// The longest `Retry-After` the client waits for (default 20 s); longer requests are cut
    /// to this.
    #[must_use]
    pub fn with_max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// At most this many attempts per call.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Upper bound of the first wait.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// Largest upper bound of a wait.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// Time after which no retry starts.
    pub fn max_elapsed(&self) -> Duration {
        self.max_elapsed
    }

    /// Longest `Retry-After` honoured.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// Whether a call may be sent more than once.
    pub fn is_enabled(&self) -> bool {
        self.max_attempts > 1
    }

    /// The upper bound of the wait before retry `retry` (1 for the second attempt).
    pub(crate) fn backoff_ceiling(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.saturating_sub(1)).unwrap_or(u32::MAX);
        self.initial_backoff.saturating_mul(factor).min(self.max_backoff)
    }

    /// The wait before retry `retry`: `Retry-After` (capped) when the answer had one, otherwise
    /// a random duration up to [`RetryPolicy::backoff_ceiling`].
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        match retry_after {
            Some(wait) => wait.min(self.max_retry_after),
            None => full_jitter(self.backoff_ceiling(retry)),
        }
    }
}

/// A uniformly random duration in `[0, ceiling]`.
fn full_jitter(ceiling: Duration) -> Duration {
    let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
    if nanos == 0 {
        return Duration::ZERO;
    }
    Duration::from_nanos(random_u64() % nanos.saturating_add(1))
}

/// A random number from the standard library's per-process random hash keys: every
/// `RandomState` gets fresh keys, so hashing nothing with it gives a fresh value.
fn random_u64() -> u64 {
    std::collections::hash_map::RandomState::new().build_hasher().finish()
}

/// `Retry-After` in its seconds form (`Retry-After: 3`). The HTTP-date form is not used by the
/// API gateway and is ignored, as are values that are not numbers.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceiling_doubles_up_to_the_maximum() {
        let p = RetryPolicy::default().with_initial_backoff(Duration::from_millis(100)).with_max_backoff(Duration::from_millis(750));
        assert_eq!(p.backoff_ceiling(1), Duration::from_millis(100));
        assert_eq!(p.backoff_ceiling(2), Duration::from_millis(200));
        assert_eq!(p.backoff_ceiling(3), Duration::from_millis(400));
        assert_eq!(p.backoff_ceiling(4), Duration::from_millis(750));
        assert_eq!(p.backoff_ceiling(64), Duration::from_millis(750));
    }

    #[test]
    fn jitter_stays_below_the_ceiling_and_varies() {
        let p = RetryPolicy::default().with_initial_backoff(Duration::from_millis(10));
        let waits: Vec<Duration> = (0..200).map(|_| p.delay(1, None)).collect();
        assert!(waits.iter().all(|w| *w <= Duration::from_millis(10)));
        let distinct: std::collections::BTreeSet<_> = waits.iter().collect();
        assert!(distinct.len() > 100, "full jitter should spread the waits, got {} distinct values", distinct.len());
        assert_eq!(full_jitter(Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn retry_after_is_honoured_and_capped() {
        let p = RetryPolicy::default().with_max_retry_after(Duration::from_secs(4));
        assert_eq!(p.delay(1, Some(Duration::from_secs(2))), Duration::from_secs(2));
        assert_eq!(p.delay(1, Some(Duration::from_secs(3600))), Duration::from_secs(4));
        assert_eq!(parse_retry_after(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after("-1"), None);
    }

    #[test]
    fn disabled_makes_one_attempt() {
        assert_eq!(RetryPolicy::disabled().max_attempts(), 1);
        assert!(!RetryPolicy::disabled().is_enabled());
        assert_eq!(RetryPolicy::default().with_max_attempts(0).max_attempts(), 1);
    }
}
