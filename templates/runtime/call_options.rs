//! Per-call settings: overrides of the client's configuration for some calls, without a second
//! client (the connection pool, credentials and rate limits stay shared).

use std::time::{Duration, Instant};

use crate::retry::RetryPolicy;

/// Settings for the calls made through [`Client::with_options`](crate::Client::with_options),
/// each replacing the client's own; what is not set keeps the client's value.
///
/// Every operation method, `_pages` and `_items` stream of the returned client uses them, so
/// they compose with everything a [`Client`](crate::Client) does:
///
/// ```
/// use std::time::Duration;
/// use huaweicloud_bss::{CallOptions, Client, Credentials, RetryPolicy};
///
/// let client = Client::builder().credentials(Credentials::aksk("AK", "SK")).build()?;
/// // A report that must finish in 5 s, each attempt in 2 s, sent once, unchecked.
/// let urgent = client.with_options(
///     CallOptions::new()
///         .operation_timeout(Duration::from_secs(5))
///         .timeout(Duration::from_secs(2))
///         .retry_policy(RetryPolicy::disabled())
///         .validate_requests(false),
/// );
/// // `urgent.list_service_types(…)` now calls with these settings; `client` is unchanged.
/// # let _ = urgent;
/// # Ok::<(), huaweicloud_bss::Error>(())
/// ```
///
/// How `timeout`, the retry policy's `max_elapsed` and the deadline bound a call is described
/// in [the `retry` module](crate::retry#time-limits).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) deadline: Option<Instant>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) validate: Option<bool>,
}

impl CallOptions {
    /// Settings that change nothing: every call keeps the client's configuration.
    pub fn new() -> Self {
        Self::default()
    }

    /// The timeout of one attempt (replaces [`ClientBuilder::timeout`](crate::ClientBuilder::timeout)).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Each call must be over this long after it started, every attempt, backoff and rate-limit
    /// wait included (replaces [`ClientBuilder::operation_timeout`](crate::ClientBuilder::operation_timeout)).
    /// Each page of a `_pages` or `_items` stream is a call of its own; give the stream a
    /// [`deadline`](CallOptions::deadline) to bound all of them together.
    #[must_use]
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// Every call must be over by `deadline`, every attempt, backoff and rate-limit wait
    /// included. Together with [`operation_timeout`](CallOptions::operation_timeout), the
    /// earlier of the two applies.
    #[must_use]
    pub fn deadline(mut self, deadline: Instant) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// When and how often failed calls are repeated (replaces [`ClientBuilder::retry_policy`](crate::ClientBuilder::retry_policy)).
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Turns client-side validation of documented constraints on or off (replaces
    /// [`ClientBuilder::validate_requests`](crate::ClientBuilder::validate_requests)).
    #[must_use]
    pub fn validate_requests(mut self, on: bool) -> Self {
        self.validate = Some(on);
        self
    }

    /// `self`, with what `over` sets replacing it.
    pub(crate) fn merged(&self, over: CallOptions) -> CallOptions {
        CallOptions {
            timeout: over.timeout.or(self.timeout),
            operation_timeout: over.operation_timeout.or(self.operation_timeout),
            deadline: over.deadline.or(self.deadline),
            retry: over.retry.or_else(|| self.retry.clone()),
            validate: over.validate.or(self.validate),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_options_replace_only_what_they_set() {
        let first = CallOptions::new().timeout(Duration::from_secs(1)).validate_requests(false);
        let merged = first.merged(CallOptions::new().timeout(Duration::from_secs(2)).retry_policy(RetryPolicy::disabled()));
        assert_eq!(merged.timeout, Some(Duration::from_secs(2)));
        assert_eq!(merged.validate, Some(false));
        assert_eq!(merged.retry, Some(RetryPolicy::disabled()));
        assert_eq!(merged.operation_timeout, None);
    }
}
