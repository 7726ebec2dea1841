//! The one error type of the client, what every error tells about itself (its metadata: class,
//! code, message, request id, HTTP status, attempts, whether it may be retried and whether the
//! call may have reached the service), and the documented error-code table's row types.

use std::fmt;
use std::time::Duration;

use crate::client::Site;
use crate::error_codes::ErrorCode;
use crate::request::OperationMeta;

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

/// How far a failed call got: whether it may have reached the service and been acted on.
///
/// This is what a caller needs before sending a payment, a renewal or a cancellation again:
/// after [`Delivery::NotSent`] and [`Delivery::Refused`] nothing happened; after
/// [`Delivery::MayHaveBeenProcessed`] look the outcome up first (each operation that is not
/// idempotent names the query that shows it, [`Error::outcome_lookup`]).
///
/// For a call that was retried this describes the last attempt. Only idempotent operations are
/// repeated after an attempt that may have been processed, and repeating those is harmless.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Delivery {
    /// Nothing was sent: the request broke a documented constraint, the client is misconfigured,
    /// the rate limiter could not decide, or the connection could not be opened.
    NotSent,
    /// The service, or the API gateway in front of it, received the call and refused it without
    /// acting on it: a 4xx answer, an HTTP-200 answer carrying an error code, or throttling.
    Refused,
    /// The call may have been processed: the connection broke or timed out after the request was
    /// sent, the service answered with a 5xx status, or its answer could not be read.
    MayHaveBeenProcessed,
}

impl Delivery {
    /// Whether the service may have acted on the call.
    pub fn may_have_been_processed(self) -> bool {
        self == Delivery::MayHaveBeenProcessed
    }
}

impl fmt::Display for Delivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Delivery::NotSent => "never sent",
            Delivery::Refused => "sent and refused",
            Delivery::MayHaveBeenProcessed => "may have been processed",
        })
    }
}

/// The class of an [`Error`], to match on without listing variants ([`Error::kind`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request breaks a documented constraint ([`Error::InvalidRequest`]).
    InvalidRequest,
    /// The client is misconfigured, or the request could not be built ([`Error::Config`]).
    Configuration,
    /// The shared rate limiter could not decide on the call ([`Error::RateLimiter`]).
    RateLimiter,
    /// No credentials could be had for the call: no provider of the chain has keys, or the
    /// metadata service did not answer ([`Error::Credentials`]).
    Credentials,
    /// The call's deadline passed ([`Error::DeadlineExceeded`]); [`Error::delivery`] tells
    /// whether an attempt was under way.
    DeadlineExceeded,
    /// The connection could not be opened (refused, DNS, TLS, connect timeout).
    Connect,
    /// No complete answer arrived in time after the request was sent.
    Timeout,
    /// The connection broke after the request was sent (reset, closed, truncated answer).
    ConnectionBroken,
    /// The call was throttled: HTTP 429 or a throttling code.
    Throttled,
    /// The service answered with HTTP 500, 502, 503 or 504 (or another 5xx).
    ServerError,
    /// The customer does not belong to the site the client calls (`CBC.0150`, `CBC.0156`).
    WrongSite,
    /// Any other error answer of the service: a 4xx status or an HTTP-200 business error.
    Service,
    /// The answer could not be decoded, or was larger than the client accepts.
    BadResponse,
    /// A paginated walk stopped ([`Error::Pagination`]).
    Pagination,
}

/// Why a failed call may, or may not, be sent again ([`RetryVerdict::reason`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryReason {
    /// Throttled: by the API gateway, which refused the call before the service saw it, or
    /// (for an idempotent operation) by the service's own flow control.
    Throttled,
    /// A transient server error (HTTP 500, 502, 503, 504) of an idempotent operation.
    ServerError,
    /// The connection could not be opened, so nothing was sent.
    ConnectFailed,
    /// An idempotent operation timed out.
    Timeout,
    /// The connection of an idempotent operation broke.
    ConnectionBroken,
    /// A failure the client repeats for idempotent operations, but this operation is not
    /// idempotent and may have been processed: look the outcome up instead.
    NotIdempotent,
    /// The service refused the request as it is (a 4xx status or a business error code):
    /// sending it unchanged fails the same way.
    Refused,
    /// The request breaks a documented constraint.
    InvalidRequest,
    /// The client is misconfigured, or the request could not be built.
    Configuration,
    /// The rate limiter's store did not answer.
    RateLimiter,
    /// No credentials could be had for the call; nothing was sent.
    Credentials,
    /// The call's deadline passed: no time is left for another attempt.
    Deadline,
    /// The answer could not be read, or was too large.
    BadResponse,
    /// A paginated walk found the service's pages inconsistent.
    Pagination,
}

impl RetryReason {
    /// A short label (`"throttled"`, `"server error"`, …), as the `bss.call` traces print it.
    pub fn as_str(self) -> &'static str {
        match self {
            RetryReason::Throttled => "throttled",
            RetryReason::ServerError => "server error",
            RetryReason::ConnectFailed => "connect failed",
            RetryReason::Timeout => "timeout",
            RetryReason::ConnectionBroken => "connection broken",
            RetryReason::NotIdempotent => "not idempotent",
            RetryReason::Refused => "refused",
            RetryReason::InvalidRequest => "invalid request",
            RetryReason::Configuration => "configuration",
            RetryReason::RateLimiter => "rate limiter",
            RetryReason::Credentials => "credentials",
            RetryReason::Deadline => "deadline",
            RetryReason::BadResponse => "bad response",
            RetryReason::Pagination => "pagination",
        }
    }
}

/// Whether the client's retry policy repeats a failure, and why: the classification the client
/// applies between attempts (see [`crate::retry`]), made public so that a caller retrying on its
/// own applies the same rules.
///
/// A retryable error the client returned has used up its attempts or its time
/// ([`RetryPolicy`](crate::RetryPolicy)); sending it again later is safe.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryVerdict {
    retryable: bool,
    reason: RetryReason,
    retry_after: Option<Duration>,
}

impl RetryVerdict {
    fn retry(reason: RetryReason, retry_after: Option<Duration>) -> Self {
        RetryVerdict { retryable: true, reason, retry_after }
    }

    fn stop(reason: RetryReason) -> Self {
        RetryVerdict { retryable: false, reason, retry_after: None }
    }

    /// Whether sending the call again is safe and may succeed.
    pub fn is_retryable(&self) -> bool {
        self.retryable
    }

    /// Why.
    pub fn reason(&self) -> RetryReason {
        self.reason
    }

    /// How long the answer asked the client to wait (`Retry-After`), when it did.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }
}

/// The metadata of an error, in one value, in the manner of aws-sdk-rust's
/// `ProvideErrorMetadata`: what a log line or a support ticket needs, whatever the variant.
///
/// Given by [`ProvideErrorMetadata::metadata`], not built by callers: the type is
/// `#[non_exhaustive]` (fields may be added in a minor version), so a struct literal does not
/// compile (E0639).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorMetadata<'a> {
    /// The operation id, e.g. `PayOrders`; `None` for errors that belong to no call.
    pub operation: Option<&'static str>,
    /// The class of the error.
    pub kind: ErrorKind,
    /// The service's error code, when it answered with one.
    pub code: Option<&'a ErrorCode>,
    /// The service's error message, when it answered with one.
    pub message: Option<&'a str>,
    /// `X-Request-Id` of the answer.
    pub request_id: Option<&'a str>,
    /// HTTP status of the answer.
    pub status: Option<u16>,
    /// How many times the call was sent.
    pub attempts: u32,
    /// Whether it may be retried, and why.
    pub retry: RetryVerdict,
    /// Whether the call may have reached the service.
    pub delivery: Delivery,
}

/// Errors that describe themselves with [`ErrorMetadata`]: [`Error`] and [`ServiceError`].
pub trait ProvideErrorMetadata {
    /// The metadata of the error.
    fn metadata(&self) -> ErrorMetadata<'_>;
}

/// What went wrong below HTTP: the connection could not be opened, broke, or timed out. Our own
/// type, so that no dependency's error type is part of the crate's API; the underlying error is
/// its [`source`](std::error::Error::source).
///
/// It prints the URL of the call with the values of sensitive parameters (order, customer and
/// resource ids, codes; marked `sensitive` in the spec) replaced by `<redacted>`; the underlying
/// error carries no URL.
pub struct TransportError {
    failure: Failure,
    url: String,
    meta: &'static OperationMeta,
    source: Box<dyn std::error::Error + Send + Sync>,
}

/// The stage at which a transport error happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The request could not be built (an invalid header value): nothing was sent.
    Build,
    /// The connection could not be opened: nothing was sent.
    Connect,
    /// No complete answer arrived in time.
    Timeout,
    /// Too many redirects, or a redirect that could not be followed.
    Redirect,
    /// The connection broke after the request was (or may have been) sent.
    Broken,
}

impl TransportError {
    pub(crate) fn new(failure: Failure, url: String, meta: &'static OperationMeta, source: Box<dyn std::error::Error + Send + Sync>) -> Self {
        TransportError { failure, url, meta, source }
    }

    /// Whether the connection could not be opened (refused, DNS, TLS, connect timeout): nothing
    /// was sent.
    pub fn is_connect(&self) -> bool {
        self.failure == Failure::Connect
    }

    /// Whether the call ran out of time (a connect timeout included).
    pub fn is_timeout(&self) -> bool {
        self.failure == Failure::Timeout || (self.failure == Failure::Connect && source_is_timeout(&*self.source))
    }

    /// Whether the request could not even be built (an invalid header value such as a
    /// `User-Agent` with a line break): nothing was sent.
    pub fn is_request_invalid(&self) -> bool {
        self.failure == Failure::Build
    }

    /// The URL of the call, with the values of sensitive parameters redacted.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Whether the call may have reached the service.
    pub fn delivery(&self) -> Delivery {
        match self.failure {
            Failure::Build | Failure::Connect => Delivery::NotSent,
            Failure::Timeout | Failure::Redirect | Failure::Broken => Delivery::MayHaveBeenProcessed,
        }
    }
}

/// Whether an error or one of its sources says it timed out (by its text: the sources are other
/// crates' types, which this module does not name).
fn source_is_timeout(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(e);
    while let Some(e) = next {
        if e.to_string().contains("timed out") {
            return true;
        }
        next = e.source();
    }
    false
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.failure {
            Failure::Build => "the request could not be built",
            Failure::Connect => "could not connect",
            Failure::Timeout => "no complete answer in time",
            Failure::Redirect => "redirect not followed",
            Failure::Broken => "the connection broke",
        };
        write!(f, "{what} ({})", self.url)
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError").field("failure", &self.failure).field("url", &self.url).field("source", &self.source).finish()
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
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
            Error::Credentials { operation, source } => f.debug_struct("Credentials").field("operation", operation).field("source", source).finish(),
            Error::DeadlineExceeded { operation, budget, attempts } => f.debug_struct("DeadlineExceeded").field("operation", operation).field("budget", budget).field("attempts", attempts).finish(),
        }
    }
}

/// An error answer of the service: an HTTP error status, or HTTP 200 with an error code.
///
/// The body may carry the code and message as `{"error_code", "error_msg"}` or as
/// `{"error_code", "error_message"}` (the API gateway's answers, and some operations'); both
/// are read.
#[derive(Clone, PartialEq, Eq)]
pub struct ServiceError {
    /// HTTP status of the answer.
    pub status: u16,
    /// `error_code` of the body, if it had one ([`ServiceError::code`]).
    pub(crate) code: Option<ErrorCode>,
    /// `error_msg` (or `error_message`) of the body.
    pub message: Option<String>,
    /// `X-Request-Id` of the answer, for support tickets.
    pub request_id: Option<String>,
    /// The operation that failed.
    pub operation: &'static str,
    /// The body as received, cut to its first 64 KiB; `None` only for a blank body. It is kept
    /// whether or not it could be read as an error body, since error answers may carry more than
    /// the code and message (a quota, per-item details). `Debug` shows only its length.
    pub raw_body: Option<String>,
    /// How many times the call was sent; this is the answer to the last attempt.
    pub attempts: u32,
    /// The answer's `Retry-After` (seconds form), when it had one.
    pub retry_after: Option<Duration>,
    /// The operation's metadata, when the error comes from a call (not from
    /// [`decode_answer`](crate::decode_answer)).
    pub(crate) meta: Option<&'static OperationMeta>,
    /// The endpoint the client called, for the wrong-site explanation.
    pub(crate) endpoint: Option<String>,
}

impl ServiceError {
    /// The error code of the answer, typed: a documented code is a named variant
    /// (`ErrorCode::Cbc0100`), any other is kept as [`ErrorCode::Unknown`].
    pub fn code(&self) -> Option<&ErrorCode> {
        self.code.as_ref()
    }

    /// The documented meaning of the error code, when the documentation lists it.
    pub fn documented(&self) -> Option<&'static ErrorCodeInfo> {
        self.code.as_ref().and_then(ErrorCode::info)
    }

    /// Whether the operation's own documentation lists this code.
    pub fn is_documented_for_operation(&self) -> bool {
        self.documented().is_some_and(|e| e.operations.contains(&self.operation))
    }

    /// Whether the service throttled the call (HTTP 429 or a throttling code).
    pub fn is_throttling(&self) -> bool {
        self.is_refused_by_gateway() || self.code_is(&SERVICE_THROTTLING_CODES)
    }

    /// Whether the customer does not belong to the site the client calls (`CBC.0150`,
    /// `CBC.0156`): the call should go to the other site ([`Site`](crate::Site)).
    pub fn is_wrong_site(&self) -> bool {
        self.code_is(&WRONG_SITE_CODES)
    }

    /// Whether the API gateway throttled the call before the service saw it.
    pub(crate) fn is_refused_by_gateway(&self) -> bool {
        self.status == THROTTLED_STATUS || self.code_is(&GATEWAY_THROTTLING_CODES)
    }

    fn code_is(&self, codes: &[&str]) -> bool {
        self.code.as_ref().is_some_and(|c| codes.contains(&c.as_str()))
    }

    /// Whether the operation is known to be idempotent (unknown for a replayed answer).
    fn idempotent(&self) -> bool {
        self.meta.is_some_and(|m| m.idempotent)
    }

    /// Whether the call may have reached the service: a 5xx answer may follow work done,
    /// any other error answer says the call was refused.
    pub fn delivery(&self) -> Delivery {
        if (500..600).contains(&self.status) && !self.is_throttling() { Delivery::MayHaveBeenProcessed } else { Delivery::Refused }
    }

    /// The class of the error.
    pub fn kind(&self) -> ErrorKind {
        if self.is_throttling() {
            ErrorKind::Throttled
        } else if self.is_wrong_site() {
            ErrorKind::WrongSite
        } else if (500..600).contains(&self.status) {
            ErrorKind::ServerError
        } else {
            ErrorKind::Service
        }
    }

    /// Whether the client's retry policy repeats this answer, and why (see [`crate::retry`]).
    pub fn retry(&self) -> RetryVerdict {
        let idempotent = self.idempotent();
        if self.is_refused_by_gateway() || (idempotent && self.is_throttling()) {
            return RetryVerdict::retry(RetryReason::Throttled, self.retry_after);
        }
        let server_error = matches!(self.status, 500 | 502 | 503 | 504);
        if idempotent && server_error {
            return RetryVerdict::retry(RetryReason::ServerError, self.retry_after);
        }
        if server_error || self.is_throttling() {
            return RetryVerdict::stop(RetryReason::NotIdempotent);
        }
        RetryVerdict::stop(RetryReason::Refused)
    }
}

impl ProvideErrorMetadata for ServiceError {
    fn metadata(&self) -> ErrorMetadata<'_> {
        ErrorMetadata {
            operation: Some(self.operation),
            kind: self.kind(),
            code: self.code(),
            message: self.message.as_deref(),
            request_id: self.request_id.as_deref(),
            status: Some(self.status),
            attempts: self.attempts,
            retry: self.retry(),
            delivery: self.delivery(),
        }
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
/// The codes of a call made at the site the customer does not belong to.
pub(crate) const WRONG_SITE_CODES: [&str; 2] = ["CBC.0150", "CBC.0156"];

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
        write!(f, "{}", Tries(self.attempts))?;
        // Worth saying only where repeating the call is not harmless.
        if self.delivery().may_have_been_processed() && self.meta.is_some_and(|m| !m.idempotent) {
            write!(f, "; {}", Reached(self.delivery(), self.meta))?;
        }
        if self.is_wrong_site() {
            write!(f, ". {}", WrongSite(self.endpoint.as_deref()))?;
        }
        Ok(())
    }
}

/// Which site a call went to, and that the other one exists.
struct WrongSite<'a>(Option<&'a str>);

impl fmt::Display for WrongSite<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sites = [Site::International, Site::China];
        let used = self.0.and_then(|e| sites.into_iter().find(|s| s.endpoint() == e));
        match (used, self.0) {
            (Some(used), _) => {
                let other = sites.into_iter().find(|s| *s != used).unwrap_or(used);
                write!(
                    f,
                    "The customer does not belong to the site this client calls, {} ({}); the other site, {} ({}), may hold it: build the client with `.site(Site::{other:?})`",
                    site_name(used),
                    used.endpoint(),
                    site_name(other),
                    other.endpoint()
                )
            }
            (None, Some(endpoint)) => write!(
                f,
                "The customer does not belong to the site this client calls ({endpoint}); the documented sites are international ({}) and China ({}): call the one the customer belongs to",
                Site::International.endpoint(),
                Site::China.endpoint()
            ),
            (None, None) => write!(
                f,
                "The customer does not belong to the site called; the documented sites are international ({}) and China ({}): call the one the customer belongs to",
                Site::International.endpoint(),
                Site::China.endpoint()
            ),
        }
    }
}

fn site_name(site: Site) -> &'static str {
    match site {
        Site::International => "the international site",
        Site::China => "the China site",
    }
}

/// Whether a call may have reached the service, and for one that may have been processed, the
/// query that shows its outcome.
struct Reached(Delivery, Option<&'static OperationMeta>);

impl fmt::Display for Reached {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        match self.1.and_then(|m| m.outcome_lookup) {
            Some(lookup) if self.0.may_have_been_processed() => write!(f, " (look the outcome up with {lookup} before sending it again)"),
            _ => Ok(()),
        }
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
/// Every error describes itself the same way, whatever the variant ([`ErrorMetadata`]):
/// [`Error::kind`] (its class), [`Error::code`] and [`Error::message`] (the service's, when
/// it answered), [`Error::request_id`], [`Error::status`], [`Error::attempts`],
/// [`Error::retry`] (whether and why it may be retried) and [`Error::delivery`] (whether the
/// call may have reached the service; for operations that are not idempotent,
/// [`Error::outcome_lookup`] names the query that shows whether it was processed).
///
/// ```
/// use huaweicloud_bss::{Delivery, Error, ErrorKind};
///
/// fn report(error: &Error) -> String {
///     match error.kind() {
///         ErrorKind::Throttled | ErrorKind::ServerError if error.retry().is_retryable() => {
///             format!("try again later ({})", error.retry().reason().as_str())
///         }
///         ErrorKind::InvalidRequest => format!("fix the request: {error}"),
///         _ => match error.delivery() {
///             Delivery::MayHaveBeenProcessed => format!(
///                 "may have been processed; check with {}",
///                 error.outcome_lookup().unwrap_or("a query"),
///             ),
///             _ => format!("{error} (code {:?}, request id {:?})", error.code(), error.request_id()),
///         },
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
    #[error("{operation} timed out{}: {}", Tries(*attempts), Reached(source.delivery(), Some(source.meta)))]
    Timeout {
        /// The operation.
        operation: &'static str,
        /// What happened.
        #[source]
        source: TransportError,
        /// How many times the call was sent (or tried to be).
        attempts: u32,
    },
    /// The connection failed or broke.
    #[error("{operation}: transport error{}: {}", Tries(*attempts), Reached(source.delivery(), Some(source.meta)))]
    Transport {
        /// The operation.
        operation: &'static str,
        /// What happened.
        #[source]
        source: TransportError,
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
    /// No credentials could be had for the call (see [`crate::credentials`]: a metadata service
    /// that does not answer, no provider of the chain with credentials); it was not sent.
    #[error("{operation}: no credentials: {source}")]
    Credentials {
        /// The operation.
        operation: &'static str,
        /// Why; never a secret.
        #[source]
        source: crate::credentials::CredentialsError,
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

    /// The class of the error, to match on without listing variants.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidRequest(_) => ErrorKind::InvalidRequest,
            Error::Config(_) => ErrorKind::Configuration,
            Error::RateLimiter { .. } => ErrorKind::RateLimiter,
            Error::Credentials { .. } => ErrorKind::Credentials,
            Error::DeadlineExceeded { .. } => ErrorKind::DeadlineExceeded,
            Error::Timeout { source, .. } | Error::Transport { source, .. } => match source.failure {
                Failure::Build => ErrorKind::Configuration,
                Failure::Connect => ErrorKind::Connect,
                Failure::Timeout => ErrorKind::Timeout,
                Failure::Redirect => ErrorKind::BadResponse,
                Failure::Broken => ErrorKind::ConnectionBroken,
            },
            Error::Service(e) => e.kind(),
            Error::Decode { .. } | Error::ResponseTooLarge { .. } => ErrorKind::BadResponse,
            Error::Pagination { .. } => ErrorKind::Pagination,
        }
    }

    /// The operation id of the failed call (`None` for a misconfigured client or request).
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::InvalidRequest(_) | Error::Config(_) => None,
            Error::Service(e) => Some(e.operation),
            Error::Timeout { operation, .. }
            | Error::Transport { operation, .. }
            | Error::Pagination { operation, .. }
            | Error::Decode { operation, .. }
            | Error::ResponseTooLarge { operation, .. }
            | Error::RateLimiter { operation, .. }
            | Error::Credentials { operation, .. }
            | Error::DeadlineExceeded { operation, .. } => Some(operation),
        }
    }

    /// The service's error code, typed, when it answered with one.
    pub fn code(&self) -> Option<&ErrorCode> {
        self.as_service().and_then(ServiceError::code)
    }

    /// The service's error message, when it answered with one.
    pub fn message(&self) -> Option<&str> {
        self.as_service().and_then(|e| e.message.as_deref())
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
            Error::InvalidRequest(_) | Error::Config(_) | Error::Pagination { .. } | Error::RateLimiter { .. } | Error::Credentials { .. } => 0,
            Error::Service(e) => e.attempts,
            Error::Timeout { attempts, .. } | Error::Transport { attempts, .. } | Error::Decode { attempts, .. } | Error::ResponseTooLarge { attempts, .. } | Error::DeadlineExceeded { attempts, .. } => *attempts,
        }
    }

    /// Whether the call may have reached the service (see [`Delivery`]).
    pub fn delivery(&self) -> Delivery {
        match self {
            Error::InvalidRequest(_) | Error::Config(_) | Error::RateLimiter { .. } | Error::Credentials { .. } => Delivery::NotSent,
            Error::Timeout { source, .. } | Error::Transport { source, .. } => source.delivery(),
            Error::Service(e) => e.delivery(),
            Error::Decode { .. } | Error::Pagination { .. } => Delivery::MayHaveBeenProcessed,
            // Cut short during an attempt, or while waiting before the first one.
            Error::DeadlineExceeded { attempts: 0, .. } => Delivery::NotSent,
            Error::DeadlineExceeded { .. } => Delivery::MayHaveBeenProcessed,
            Error::ResponseTooLarge { status, .. } => {
                if (400..500).contains(status) { Delivery::Refused } else { Delivery::MayHaveBeenProcessed }
            }
        }
    }

    /// Whether the client's retry policy repeats this failure, and why; the same rules the
    /// client applies between attempts ([`crate::retry`]).
    pub fn retry(&self) -> RetryVerdict {
        let idempotent = self.meta().is_some_and(|m| m.idempotent);
        match self {
            Error::Service(e) => e.retry(),
            Error::Timeout { source, .. } | Error::Transport { source, .. } => match source.failure {
                Failure::Connect => RetryVerdict::retry(RetryReason::ConnectFailed, None),
                Failure::Build => RetryVerdict::stop(RetryReason::Configuration),
                Failure::Redirect => RetryVerdict::stop(RetryReason::BadResponse),
                Failure::Timeout if idempotent => RetryVerdict::retry(RetryReason::Timeout, None),
                Failure::Broken if idempotent => RetryVerdict::retry(RetryReason::ConnectionBroken, None),
                Failure::Timeout | Failure::Broken => RetryVerdict::stop(RetryReason::NotIdempotent),
            },
            Error::InvalidRequest(_) => RetryVerdict::stop(RetryReason::InvalidRequest),
            Error::Config(_) => RetryVerdict::stop(RetryReason::Configuration),
            Error::RateLimiter { .. } => RetryVerdict::stop(RetryReason::RateLimiter),
            Error::Credentials { .. } => RetryVerdict::stop(RetryReason::Credentials),
            Error::DeadlineExceeded { .. } => RetryVerdict::stop(RetryReason::Deadline),
            Error::Decode { .. } | Error::ResponseTooLarge { .. } => RetryVerdict::stop(RetryReason::BadResponse),
            Error::Pagination { .. } => RetryVerdict::stop(RetryReason::Pagination),
        }
    }

    /// For an operation that is not idempotent, the id of the query operation that shows
    /// whether the call was processed (e.g. `ShowCustomerOrderDetails` for `PayOrders`): the
    /// thing to call after a [`Delivery::MayHaveBeenProcessed`] error, before sending the call
    /// again. `None` for idempotent operations, which can simply be repeated.
    pub fn outcome_lookup(&self) -> Option<&'static str> {
        self.meta().and_then(|m| m.outcome_lookup)
    }

    /// The metadata of the operation that failed, when the error comes from a call.
    fn meta(&self) -> Option<&'static OperationMeta> {
        match self {
            Error::Service(e) => e.meta,
            Error::Timeout { source, .. } | Error::Transport { source, .. } => Some(source.meta),
            _ => None,
        }
    }

    /// Records how many times the call was sent.
    pub(crate) fn with_attempts(mut self, n: u32) -> Self {
        match &mut self {
            Error::InvalidRequest(_) | Error::Config(_) | Error::Pagination { .. } | Error::RateLimiter { .. } | Error::Credentials { .. } => {}
            Error::Service(e) => e.attempts = n,
            Error::Timeout { attempts, .. } | Error::Transport { attempts, .. } | Error::Decode { attempts, .. } | Error::ResponseTooLarge { attempts, .. } | Error::DeadlineExceeded { attempts, .. } => *attempts = n,
        }
        self
    }
}

impl ProvideErrorMetadata for Error {
    fn metadata(&self) -> ErrorMetadata<'_> {
        ErrorMetadata {
            operation: self.operation(),
            kind: self.kind(),
            code: self.code(),
            message: self.message(),
            request_id: self.request_id(),
            status: self.status(),
            attempts: self.attempts(),
            retry: self.retry(),
            delivery: self.delivery(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrong_site(endpoint: Option<&str>) -> String {
        let e = ServiceError {
            status: 403,
            code: Some(ErrorCode::from("CBC.0156")),
            message: Some("Access denied.".into()),
            request_id: None,
            operation: "ShowSubCustomerBudget",
            raw_body: None,
            attempts: 1,
            retry_after: None,
            meta: None,
            endpoint: endpoint.map(str::to_string),
        };
        assert_eq!(e.kind(), ErrorKind::WrongSite);
        e.to_string()
    }

    #[test]
    fn a_wrong_site_error_names_the_site_called_and_the_other_one() {
        let text = wrong_site(Some(Site::International.endpoint()));
        assert!(text.contains("the site this client calls, the international site (https://bss-intl.myhuaweicloud.com)"), "{text}");
        assert!(text.contains("the other site, the China site (https://bss.myhuaweicloud.com)"), "{text}");
        assert!(text.contains(".site(Site::China)"), "{text}");
        let text = wrong_site(Some(Site::China.endpoint()));
        assert!(text.contains("calls, the China site (https://bss.myhuaweicloud.com)"), "{text}");
        assert!(text.contains(".site(Site::International)"), "{text}");
        let text = wrong_site(Some("http://127.0.0.1:8080"));
        assert!(text.contains("(http://127.0.0.1:8080)") && text.contains("bss-intl") && text.contains("bss.myhuaweicloud.com"), "{text}");
        // A replayed answer does not know the endpoint; it still names both sites.
        let text = wrong_site(None);
        assert!(text.contains("bss-intl") && text.contains("bss.myhuaweicloud.com"), "{text}");
    }

    #[test]
    fn a_replayed_answer_is_not_retried_unless_the_gateway_refused_it() {
        // Without the operation's metadata the client cannot know it is idempotent.
        let answer = |status: u16, body: &str| crate::decode_answer::<serde_json::Value>("Op", status, body.as_bytes()).expect_err("error answer");
        let e = answer(503, r#"{"error_code":"CBC.0999"}"#);
        assert_eq!((e.retry().is_retryable(), e.retry().reason(), e.delivery()), (false, RetryReason::NotIdempotent, Delivery::MayHaveBeenProcessed));
        let e = answer(429, r#"{"error_code":"APIGW.0308","error_message":"throttled"}"#);
        assert_eq!((e.retry().is_retryable(), e.message(), e.delivery()), (true, Some("throttled"), Delivery::Refused));
    }
}
