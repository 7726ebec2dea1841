//! Rate limiters: what the client asks before each attempt of an operation with a quota.
//!
//! Before every attempt of an operation that has a documented quota
//! ([`OperationMeta::rate_limit`](crate::request::OperationMeta::rate_limit), or one set with
//! [`ClientBuilder::quota`](crate::ClientBuilder::quota)), the client calls its
//! [`RateLimiter`] with the operation, the quota and the scope of the call (site and account),
//! and sends once the limiter lets it.
//!
//! * [`InProcessLimiter`] (the default) counts the calls of one process.
//! * `RedisLimiter` (cargo feature `redis`) counts the calls of every process and machine that
//!   calls with the same account through one Redis server, so that together they stay within
//!   the quota (the crate README's "Running on several workers").
//! * Any type implementing [`RateLimiter`] can take their place.
//!
//! ```
//! use std::sync::Arc;
//! use huaweicloud_bss::{Client, Credentials};
//! use huaweicloud_bss::limiter::InProcessLimiter;
//!
//! // One limiter shared by two clients of the same account: they share its budget.
//! let limiter = Arc::new(InProcessLimiter::default());
//! let a = Client::builder().credentials(Credentials::aksk("AK", "SK")).rate_limiter(limiter.clone()).build()?;
//! let b = Client::builder().credentials(Credentials::aksk("AK", "SK")).rate_limiter(limiter).build()?;
//! # let _ = (a, b);
//! # Ok::<(), huaweicloud_bss::Error>(())
//! ```

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use crate::error::Error;
use crate::request::RateLimit;
use crate::throttle;

#[cfg(feature = "redis")]
#[rustfmt::skip]
#[path = "redis_limiter.rs"]
mod redis_limiter;
#[cfg(feature = "redis")]
pub use redis_limiter::{FailureMode, RedisLimiter, RedisLimiterBuilder};

/// The future a [`RateLimiter`] returns.
pub type Acquire<'a> = Pin<Box<dyn Future<Output = Result<Duration, Error>> + Send + 'a>>;

/// Paces the calls of operations with a quota.
///
/// `acquire` resolves once one more call of `call.operation` keeps within `call.limit` in
/// `call.scope`, after booking that call, with how long it waited for the quota. An error fails
/// the call before it is sent (a limiter that cannot tell should say so rather than let it
/// through, or fall back to something that can, as `RedisLimiter` does).
pub trait RateLimiter: fmt::Debug + Send + Sync {
    /// Waits for a slot of `call.operation` and books it.
    fn acquire<'a>(&'a self, call: Call<'a>) -> Acquire<'a>;
}

/// One call a [`RateLimiter`] is asked about. The client builds it; to build one (e.g. to test a
/// limiter of your own), use [`Call::new`]: the type is `#[non_exhaustive]`, so a struct literal
/// does not compile (E0639).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Call<'a> {
    /// The operation's id (`OperationMeta::id`), e.g. `ShowSubCustomerBudget`.
    pub operation: &'static str,
    /// Its quota.
    pub limit: RateLimit,
    /// Whose quota it is: the site's `host[:port]` and the account, as `host/account`. The
    /// account is the domain id when the credentials carry one, otherwise a hash of the access
    /// key (or token): never a secret. See [`ClientBuilder::quota_account`](crate::ClientBuilder::quota_account).
    pub scope: &'a str,
    /// When a limiter that asks something else (a server) must have its answer: past it, the
    /// call is better off without one. The wait for a slot itself is not bounded by it.
    pub deadline: Instant,
}

impl<'a> Call<'a> {
    /// A call of `operation` with quota `limit` in `scope`, to be decided on by `deadline`.
    pub fn new(operation: &'static str, limit: RateLimit, scope: &'a str, deadline: Instant) -> Self {
        Call { operation, limit, scope, deadline }
    }
}

/// Counts the calls of this process: each operation of each scope keeps at most its quota of
/// calls within every window of the quota's length (plus a tenth, see the `throttle` notes in
/// [`ClientBuilder::rate_limiting`](crate::ClientBuilder::rate_limiting)).
///
/// The default limiter of every client; clones of a client share theirs. Share one between
/// separately built clients of the same account with [`ClientBuilder::rate_limiter`](crate::ClientBuilder::rate_limiter).
#[derive(Debug, Default)]
pub struct InProcessLimiter {
    inner: throttle::RateLimiter,
}

impl InProcessLimiter {
    /// A limiter that has seen no call.
    pub fn new() -> Self {
        Self::default()
    }
}

impl RateLimiter for InProcessLimiter {
    fn acquire<'a>(&'a self, call: Call<'a>) -> Acquire<'a> {
        Box::pin(async move { Ok(self.inner.acquire(call.scope, call.operation, call.limit).await) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_in_process_limiter_spaces_calls_per_scope() {
        let limiter = InProcessLimiter::new();
        let limit = RateLimit { requests: 2, per_seconds: 1 };
        let deadline = Instant::now() + Duration::from_secs(60);
        let call = |scope| Call::new("Op", limit, scope, deadline);
        assert_eq!(limiter.acquire(call("h/a")).await.expect("slot"), Duration::ZERO);
        assert_eq!(limiter.acquire(call("h/a")).await.expect("slot"), Duration::ZERO);
        assert_eq!(limiter.acquire(call("h/b")).await.expect("slot"), Duration::ZERO);
        assert_eq!(limiter.acquire(call("h/a")).await.expect("slot"), Duration::from_millis(1100));
    }
}
