//! The one error type of the client, and the documented error-code table's row types.

use std::fmt;
use std::time::Duration;

/// Retry advice the documentation gives for an HTTP status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryAdvice {
    /// Fix the request; do not retry it.
    DoNotRetry,
    /// The request may be resubmitted unchanged.
    MayRetry,
    /// Wait as long as the `Retry-After` header says, then retry.
    RetryAfter,
}

/// A documented HTTP status (document 004 §13.8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HttpStatusInfo {
    /// The status code.
    pub status: u16,
    /// The documented name.
    pub name: &'static str,
    /// What it means.
    pub meaning: &'static str,
    /// Documented retry advice, if any.
    pub advice: Option<RetryAdvice>,
}

/// A documented error code (document 004 §13.9 or an operation's own table).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorCodeInfo {
    /// The code, e.g. `CBC.0100`.
    pub code: &'static str,
    /// HTTP status the global table gives it.
    pub http_status: u16,
    /// Documented English message.
    pub message: &'static str,
    /// Documented Chinese meaning.
    pub meaning_zh: &'static str,
    /// Whether the global table (§13.9) lists it; otherwise only an operation's table does.
    pub in_global_table: bool,
    /// Operations whose documentation lists the code.
    pub operations: &'static [&'static str],
}

/// A request value that breaks a documented constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// Path of the offending value, e.g. `body.product_infos[2].subscription_num`.
    pub field: String,
    /// The rule it breaks, e.g. `must be at most 10000`.
    pub rule: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {}", self.field, self.rule)
    }
}

/// `Debug` of [`Error`] shows the length of a kept response body, never its bytes: an answer may
/// hold personal data (phone numbers, addresses) that must not reach logs.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest(e) => f.debug_tuple("InvalidRequest").field(e).finish(),
            Error::Config(m) => f.debug_tuple("Config").field(m).finish(),
            Error::Timeout { operation, source, attempts } => f.debug_struct("Timeout").field("operation", operation).field("source", source).field("attempts", attempts).finish(),
            Error::Transport { operation, source, attempts } => f.debug_struct("Transport").field("operation", operation).field("source", source).field("attempts", attempts).finish(),
            Error::Service(e) => f.debug_tuple("Service").field(e).finish(),
            Error::Decode { operation, status, reason, body, request_id, attempts } => f
                .debug_struct("Decode")
                .field("operation", operation)
                .field("status", status)
                .field("reason", reason)
                .field("body_len", &body.len())
                .field("request_id", request_id)
                .field("attempts", attempts)
                .finish(),
            Error::ResponseTooLarge { operation, status, limit, request_id, attempts } => f
                .debug_struct("ResponseTooLarge")
                .field("operation", operation)
                .field("status", status)
                .field("limit", limit)
                .field("request_id", request_id)
                .field("attempts", attempts)
                .finish(),
            Error::Pagination { operation, offset, problem, .. } => {
                f.debug_struct("Pagination").field("operation", operation).field("offset", offset).field("problem", problem).finish()
            }
            Error::RateLimiter { operation, reason } => f.debug_struct("RateLimiter").field("operation", operation).field("reason", reason).finish(),
            Error::DeadlineExceeded { operation, budget, attempts } => f.debug_struct("DeadlineExceeded").field("operation", operation).field("budget", budget).field("attempts", attempts).finish(),
        }
    }
}

/// An error answer of the service: an HTTP error status, or HTTP 200 with an error code.
#[derive(Clone, PartialEq, Eq)]
pub struct ServiceError {
    /// HTTP status of the answer.
    pub status: u16,
    /// `error_code` of the body, if it had one.
    pub code: Option<String>,
    /// `error_msg` (or `error_message`) of the body.
    pub message: Option<String>,
    /// `X-Request-Id` of the answer, for support tickets.
    pub request_id: Option<String>,
    /// The operation that failed.
    pub operation: &'static str,
    /// The body as received (bounded), kept when it could not be read as an error body.
    pub raw_body: Option<String>,
    /// How many times the call was sent; this is the answer to the last attempt.
    pub attempts: u32,
    /// The answer's `Retry-After` (seconds form), when it had one.
    pub retry_after: Option<Duration>,
}

impl ServiceError {
    /// The documented meaning of the error code, when the documentation lists it.
    pub fn documented(&self) -> Option<&'static ErrorCodeInfo> {
        self.code.as_deref().and_then(crate::error_codes::lookup)
    }

    /// Whether the operation's own documentation lists this code.
    pub fn is_documented_for_operation(&self) -> bool {
        self.documented().is_some_and(|e| e.operations.contains(&self.operation))
    }

    /// Whether the service throttled the call (HTTP 429 or a throttling code).
    pub fn is_throttling(&self) -> bool {
        self.is_refused_by_gateway() || self.code.as_deref().is_some_and(|c| SERVICE_THROTTLING_CODES.contains(&c))
    }

    /// Whether the API gateway throttled the call before the service saw it.
    pub(crate) fn is_refused_by_gateway(&self) -> bool {
        self.status == THROTTLED_STATUS || self.code.as_deref().is_some_and(|c| GATEWAY_THROTTLING_CODES.contains(&c))
    }
}

// The throttling facts of the spec (`throttling` in service.yaml, the 429 codes of errors.yaml),
// held here so that the runtime is plain Rust; a test of the generator's repository
// (templates/runtime/spec_facts.rs) compares them with the spec.

/// HTTP status of a throttled call.
pub(crate) const THROTTLED_STATUS: u16 = 429;
/// The API gateway's throttling code, and its older spelling (`APIG.`) that older answers carry.
pub(crate) const GATEWAY_THROTTLING_CODES: [&str; 2] = ["APIGW.0308", "APIG.0308"];
/// The service's own flow-control codes: documented with HTTP 429, but sent under other statuses.
pub(crate) const SERVICE_THROTTLING_CODES: [&str; 1] = ["CBC.0250"];

impl fmt::Debug for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceError")
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("request_id", &self.request_id)
            .field("operation", &self.operation)
            .field("raw_body_len", &self.raw_body.as_ref().map(String::len))
            .field("attempts", &self.attempts)
            .field("retry_after", &self.retry_after)
            .finish()
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed with HTTP {}", self.operation, self.status)?;
        if let Some(c) = &self.code {
            write!(f, ", {c}")?;
        }
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        } else if let Some(d) = self.documented() {
            write!(f, ": {}", d.message)?;
        }
        if let Some(r) = &self.request_id {
            write!(f, " (request id {r})")?;
        }
        write!(f, "{}", Tries(self.attempts))
    }
}

/// " after N attempts" when a call was sent more than once.
struct Tries(u32);

impl fmt::Display for Tries {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 > 1 { write!(f, " after {} attempts", self.0) } else { Ok(()) }
    }
}

/// Everything that can go wrong with a call.
///
/// Each variant says how far the call got: [`Error::InvalidRequest`] and [`Error::Config`]
/// were never sent; [`Error::Timeout`] and [`Error::Transport`] may or may not have reached the
/// service; [`Error::Service`], [`Error::Decode`] and [`Error::ResponseTooLarge`] carry an answer
/// of the service. [`Error::attempts`] tells how many times the call was sent (retries are
/// described in [`RetryPolicy`](crate::RetryPolicy)).
///
/// ```
/// use huaweicloud_bss::Error;
///
/// fn report(error: &Error) -> String {
///     match error {
///         Error::Service(e) => {
///             let meaning = e.documented().map_or("undocumented", |d| d.message);
///             format!("HTTP {} {:?}: {meaning} (request id {:?})", e.status, e.code, e.request_id)
///         }
///         Error::Decode { reason, body, .. } => format!("bad answer ({reason}), {} bytes kept", body.len()),
///         Error::Timeout { .. } | Error::Transport { .. } => {
///             format!("no answer after {} attempt(s): the call may or may not have been processed", error.attempts())
///         }
///         other => other.to_string(),
///     }
/// }
/// # let _ = report;
/// ```
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request breaks a documented constraint; nothing was sent.
    #[error("invalid request: {0}")]
    InvalidRequest(ValidationError),
    /// The client is misconfigured (endpoint, credentials); nothing was sent.
    #[error("configuration error: {0}")]
    Config(String),
    /// The request or the response did not complete in time.
    #[error("{operation} timed out{}", Tries(*attempts))]
    Timeout {
        /// The operation.
        operation: &'static str,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
        /// How many times the call was sent (or tried to be).
        attempts: u32,
    },
    /// The connection failed or broke.
    #[error("{operation}: transport error{}", Tries(*attempts))]
    Transport {
        /// The operation.
        operation: &'static str,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
        /// How many times the call was sent (or tried to be).
        attempts: u32,
    },
    /// The service answered with an error.
    #[error("{0}")]
    Service(Box<ServiceError>),
    /// A paginated walk could not go on safely (see [`crate::pagination`]); the pages and items
    /// yielded before are valid.
    #[error("{operation}: pagination stopped at offset {offset}: {problem}")]
    Pagination {
        /// The operation.
        operation: &'static str,
        /// Offset (record offset or page number) of the page where the walk stopped.
        offset: i64,
        /// What went wrong.
        problem: crate::pagination::PaginationError,
    },
    /// The service answered, but the body could not be decoded into the documented type.
    #[error("{operation}: undecodable response (HTTP {status}): {reason}")]
    Decode {
        /// The operation.
        operation: &'static str,
        /// HTTP status.
        status: u16,
        /// What did not decode.
        reason: String,
        /// The body as received.
        body: Vec<u8>,
        /// `X-Request-Id` of the answer.
        request_id: Option<String>,
        /// How many times the call was sent.
        attempts: u32,
    },
    /// The answer's body is larger than the client accepts
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)); it was
    /// not read further.
    #[error("{operation}: the response body (HTTP {status}) exceeds the limit of {limit} bytes")]
    ResponseTooLarge {
        /// The operation.
        operation: &'static str,
        /// HTTP status.
        status: u16,
        /// The limit in bytes.
        limit: usize,
        /// `X-Request-Id` of the answer.
        request_id: Option<String>,
        /// How many times the call was sent.
        attempts: u32,
    },
    /// The rate limiter could not decide on the call (a shared limiter whose store does not
    /// answer, with [`FailureMode::Fail`](crate::limiter)); it was not sent.
    #[error("{operation}: the rate limiter cannot decide: {reason}")]
    RateLimiter {
        /// The operation.
        operation: &'static str,
        /// Why (never a secret: URLs are shown without credentials).
        reason: String,
    },
    /// The call's deadline ([`ClientBuilder::operation_timeout`](crate::ClientBuilder::operation_timeout),
    /// [`CallOptions`](crate::CallOptions)) passed during an attempt or while waiting for the
    /// rate limiter. With `attempts` 0 nothing was sent; otherwise the last attempt was cut
    /// short and may or may not have reached the service. (A retry that could not start before
    /// the deadline is not made: the call then fails with the previous attempt's error.)
    #[error("{operation}: the deadline of {budget:?} passed{}", Tries(*attempts))]
    DeadlineExceeded {
        /// The operation.
        operation: &'static str,
        /// How long the call was given.
        budget: Duration,
        /// How many times the call was sent.
        attempts: u32,
    },
}

impl Error {
    /// The service error, if this is one.
    pub fn as_service(&self) -> Option<&ServiceError> {
        match self {
            Error::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The request id of the answer, when the service answered.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Service(e) => e.request_id.as_deref(),
            Error::Decode { request_id, .. } | Error::ResponseTooLarge { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// HTTP status of the answer, when the service answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Service(e) => Some(e.status),
            Error::Decode { status, .. } | Error::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// How many times the call was sent (or tried to be, for connections that could not be
    /// opened): 0 when nothing was sent, more than 1 after retries.
    pub fn attempts(&self) -> u32 {
        match self {
            // A pagination error is the stream's own finding about answers already received.
            Error::InvalidRequest(_) | Error::Config(_) | Error::Pagination { .. } | Error::RateLimiter { .. } => 0,
            Error::Service(e) => e.attempts,
            Error::Timeout { attempts, .. } | Error::Transport { attempts, .. } | Error::Decode { attempts, .. } | Error::ResponseTooLarge { attempts, .. } | Error::DeadlineExceeded { attempts, .. } => *attempts,
        }
    }

    /// Records how many times the call was sent.
    pub(crate) fn with_attempts(mut self, n: u32) -> Self {
        match &mut self {
            Error::InvalidRequest(_) | Error::Config(_) | Error::Pagination { .. } | Error::RateLimiter { .. } => {}
            Error::Service(e) => e.attempts = n,
            Error::Timeout { attempts, .. } | Error::Transport { attempts, .. } | Error::Decode { attempts, .. } | Error::ResponseTooLarge { attempts, .. } | Error::DeadlineExceeded { attempts, .. } => *attempts = n,
        }
        self
    }
}
