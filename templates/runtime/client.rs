//! The client: configuration, authentication, and the one generic call path every operation uses.

use std::collections::HashMap;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use tracing::Instrument;

use crate::auth::{Auth, Credentials, Kind};
use crate::call_options::CallOptions;
use crate::credentials::ProvideCredentials;
use crate::codec::{self, Screened};
use crate::error::{Error, Failure, ServiceError, TransportError};
use crate::error_codes::ErrorCode;
use crate::request::{ApiRequest, OperationMeta, RequestWriter, Validator};
use crate::retry::{self, RetryPolicy};
use crate::signer;
use crate::limiter::{Call, InProcessLimiter, RateLimiter};
use crate::request::RateLimit;

/// A documented site of the service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Site {
    /// The international site, `https://bss-intl.myhuaweicloud.com`.
    International,
    /// The China site, `https://bss.myhuaweicloud.com`.
    China,
}

impl Site {
    /// The site's id in the spec (`international`, `china`).
    pub fn id(self) -> &'static str {
        match self {
            Site::International => "international",
            Site::China => "china",
        }
    }

    /// The site's endpoint.
    pub fn endpoint(self) -> &'static str {
        match self {
            Site::International => "https://bss-intl.myhuaweicloud.com",
            Site::China => "https://bss.myhuaweicloud.com",
        }
    }
}

/// A successful answer: the decoded body with the HTTP facts of the answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Response<T> {
    body: T,
    status: u16,
    request_id: Option<String>,
    attempts: u32,
}

impl<T> Response<T> {
    /// The decoded body.
    pub fn into_inner(self) -> T {
        self.body
    }
    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }
    /// HTTP status of the answer.
    pub fn status(&self) -> u16 {
        self.status
    }
    /// `X-Request-Id` of the answer, for support tickets.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
    /// How many times the call was sent: 1 unless it was retried (see [`RetryPolicy`]).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl<T> Deref for Response<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.body
    }
}

/// The body of an operation that answers without one (e.g. HTTP 204).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct NoContent;

impl<'de> serde::Deserialize<'de> for NoContent {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(d).map(|_| NoContent)
    }
}

/// Builds a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    endpoint: String,
    credentials: Option<Auth>,
    language: Option<String>,
    user_agent: String,
    timeout: Duration,
    operation_timeout: Option<Duration>,
    connect_timeout: Duration,
    http: Option<reqwest::Client>,
    validate: bool,
    retry: RetryPolicy,
    rate_limiting: bool,
    limiter: Option<Arc<dyn RateLimiter>>,
    quotas: HashMap<String, RateLimit>,
    quota_account: Option<String>,
    max_response_bytes: usize,
    site: Option<Site>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            endpoint: Site::International.endpoint().to_string(),
            credentials: None,
            language: None,
            user_agent: format!("huaweicloud-bss-rust/{}", crate::VERSION),
            timeout: Duration::from_secs(60),
            operation_timeout: None,
            connect_timeout: Duration::from_secs(10),
            http: None,
            validate: true,
            retry: RetryPolicy::default(),
            rate_limiting: true,
            limiter: None,
            quotas: HashMap::new(),
            quota_account: None,
            max_response_bytes: Self::DEFAULT_MAX_RESPONSE_BYTES,
            site: None,
        }
    }
}

impl ClientBuilder {
    /// Default of [`ClientBuilder::max_response_bytes`]: 32 MiB, far above the largest
    /// documented page (bill records are paged by at most 1000).
    pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

    /// Uses a documented site (the default is [`Site::International`]). Where the sites
    /// document different fields or codes for the same call, requests are validated against
    /// this site's, also when [`ClientBuilder::endpoint`] then sends them elsewhere (an
    /// emulator, a proxy).
    #[must_use]
    pub fn site(mut self, site: Site) -> Self {
        self.endpoint = site.endpoint().to_string();
        self.site = Some(site);
        self
    }
    /// Uses any endpoint URL, e.g. a local emulator or a proxy. Unless [`ClientBuilder::site`]
    /// says which site's documents the calls follow, the per-site checks apply only when the
    /// URL is a site's own endpoint.
    #[must_use]
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = url.into();
        self
    }
    /// The credentials to call with. Without them (or a
    /// [`credentials_provider`](ClientBuilder::credentials_provider)), the client resolves the
    /// official SDKs' chain: environment, profile file, ECS metadata (see [`crate::credentials`]).
    #[must_use]
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(Auth::Static(credentials));
        self
    }
    /// Asks `provider` for the credentials of each attempt instead (temporary credentials that
    /// are refreshed, such as [`MetadataProvider`](crate::credentials::MetadataProvider)'s).
    #[must_use]
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Auth::Provider(Arc::new(provider)));
        self
    }
    /// Sends `X-Language` (e.g. `en_US`) on every call that accepts it.
    #[must_use]
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }
    /// Replaces the `User-Agent`.
    #[must_use]
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = ua.into();
        self
    }
    /// Timeout of one attempt: connecting, sending, and receiving the whole answer (default
    /// 60 s). With retries, each attempt has its own; [`RetryPolicy::with_max_elapsed`] bounds
    /// when the last retry may start, [`ClientBuilder::operation_timeout`] the whole call (see
    /// [the `retry` module](crate::retry#time-limits)).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
    /// A deadline for every call, this long after it starts (none by default): every attempt,
    /// every wait between attempts (`Retry-After` included) and the rate limiter's wait end by
    /// then. An attempt still running at the deadline is cut short and the call fails with
    /// [`Error::DeadlineExceeded`]; a retry whose wait would end after it is not made, and the
    /// last error is returned at once. See [the `retry` module](crate::retry#time-limits).
    #[must_use]
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }
    /// Connection timeout (default 10 s).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }
    /// Uses your own `reqwest::Client` (proxies, TLS settings, connection pool); the timeouts of
    /// this builder are then not applied.
    #[must_use]
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }
    /// Turns client-side validation of documented constraints off (on by default).
    #[must_use]
    pub fn validate_requests(mut self, on: bool) -> Self {
        self.validate = on;
        self
    }
    /// When and how often failed calls are repeated (default [`RetryPolicy::default`]; use
    /// [`RetryPolicy::disabled`] to send every call once). Operations the spec does not mark
    /// idempotent are never repeated once they may have reached the service.
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }
    /// Turns the client-side rate limiter off (on by default).
    ///
    /// When on, the client waits before a call that would exceed the operation's documented
    /// quota (e.g. 10 requests per second), counting the calls of this client and all its
    /// clones (or of everything sharing its [`ClientBuilder::rate_limiter`]). Turn it off when
    /// something else already paces the calls:
    ///
    /// ```
    /// use huaweicloud_bss::{Client, Credentials};
    ///
    /// let client = Client::builder()
    ///     .credentials(Credentials::aksk("AK", "SK"))
    ///     .rate_limiting(false)
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), huaweicloud_bss::Error>(())
    /// ```
    #[must_use]
    pub fn rate_limiting(mut self, on: bool) -> Self {
        self.rate_limiting = on;
        self
    }
    /// Paces calls with `limiter` instead of an [`InProcessLimiter`] of this client's own: one
    /// shared with other clients, or a `RedisLimiter` shared with other processes (see
    /// [`crate::limiter`]). Has no effect when [`ClientBuilder::rate_limiting`] is off.
    #[must_use]
    pub fn rate_limiter(mut self, limiter: Arc<dyn RateLimiter>) -> Self {
        self.limiter = Some(limiter);
        self
    }
    /// Paces `operation` (its id, e.g. `"ShowSubCustomerBudget"`) at `limit` instead of its
    /// documented quota: for a quota raised (or lowered) for your account, which the client
    /// cannot discover. Every process sharing a limiter should be given the same quota.
    #[must_use]
    pub fn quota(mut self, operation: impl Into<String>, limit: RateLimit) -> Self {
        self.quotas.insert(operation.into(), limit);
        self
    }
    /// The account the quotas are counted for (see [`Call::scope`]). By default the domain id
    /// of the credentials when they carry one, otherwise a hash of the access key (or token),
    /// so that clients with different access keys of one account have separate budgets unless
    /// they are given the domain id or this name. Credentials from a provider (temporary ones,
    /// whose access key changes) count as one account, `provider`, unless given this name.
    #[must_use]
    pub fn quota_account(mut self, account: impl Into<String>) -> Self {
        self.quota_account = Some(account.into());
        self
    }
    /// The largest response body the client reads (default [`ClientBuilder::DEFAULT_MAX_RESPONSE_BYTES`]);
    /// a larger answer fails with [`Error::ResponseTooLarge`] instead of filling memory.
    #[must_use]
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let endpoint = reqwest::Url::parse(&self.endpoint).map_err(|e| Error::Config(format!("endpoint `{}` is not a URL: {e}", self.endpoint)))?;
        if !matches!(endpoint.scheme(), "http" | "https") || endpoint.host_str().is_none() {
            return Err(Error::Config(format!("endpoint `{endpoint}` must be an http(s) URL with a host")));
        }
        let credentials = self.credentials.unwrap_or_else(Auth::default_chain);
        let custom_http = self.http.is_some();
        let http = match self.http {
            Some(h) => h,
            None => reqwest::Client::builder()
                .timeout(self.timeout)
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };
        let host = match endpoint.port() {
            Some(p) => format!("{}:{p}", endpoint.host_str().unwrap_or_default()),
            None => endpoint.host_str().unwrap_or_default().to_string(),
        };
        let base = format!("{}://{}{}", endpoint.scheme(), host, endpoint.path().trim_end_matches('/'));
        let base_url = reqwest::Url::parse(&base).map_err(|e| Error::Config(format!("endpoint `{base}` is not a URL: {e}")))?;
        let account = self.quota_account.unwrap_or_else(|| quota_account(&credentials));
        let scope = format!("{host}/{account}");
        let limiter = match (self.rate_limiting, self.limiter) {
            (false, _) => None,
            (true, Some(l)) => Some(l),
            (true, None) => Some(Arc::new(InProcessLimiter::default()) as Arc<dyn RateLimiter>),
        };
        let site = self.site.or_else(|| {
            [Site::International, Site::China].into_iter().find(|s| s.endpoint() == self.endpoint.trim_end_matches('/'))
        });
        Ok(Client {
            inner: Arc::new(Inner {
                site,
                base,
                base_url,
                prefix: endpoint.path().trim_end_matches('/').to_string(),
                host,
                credentials,
                language: self.language,
                user_agent_value: reqwest::header::HeaderValue::from_str(&self.user_agent).ok(),
                user_agent: self.user_agent,
                http,
                validate: self.validate,
                retry: self.retry,
                limiter,
                quotas: self.quotas,
                scope,
                timeout: self.timeout,
                operation_timeout: self.operation_timeout,
                http_timeout: if custom_http { None } else { Some(self.timeout) },
                max_response_bytes: self.max_response_bytes,
            }),
            options: None,
        })
    }
}

/// The BSS API client. Cheap to clone; clones share the connection pool and the client-side
/// rate limits.
///
/// # Tracing
///
/// Each call runs in a `bss.call` span (DEBUG level) with the fields `operation` and `method`,
/// and, once it is over, `attempts`, `status` and `request_id`. Each attempt runs in a child
/// `bss.attempt` span with `attempt`, `status` and `request_id`, and emits DEBUG events when the
/// answer arrives, when the call is retried (with the reason and the wait) and when it waits for
/// the rate limit. URLs, headers, bodies, credentials and signatures are never recorded; error
/// answers are traced by their code only, since a message can echo request values.
///
/// ```no_run
/// # async fn run() -> Result<(), huaweicloud_bss::Error> {
/// use huaweicloud_bss::{Client, Credentials};
///
/// // Any subscriber works; this one prints the spans of this crate at DEBUG level.
/// tracing_subscriber::fmt().with_max_level(tracing::Level::DEBUG).init();
///
/// let client = Client::builder().credentials(Credentials::from_env()?).build()?;
/// // Calls now log lines such as
/// // DEBUG bss.call{operation="ListServiceTypes" method="GET"}:bss.attempt{attempt=1 status=200 request_id="…"}: answer received
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// Per-call settings of this handle ([`Client::with_options`]); `None` for the client as
    /// built, so the usual call reads no option.
    options: Option<Arc<CallOptions>>,
}

struct Inner {
    /// Scheme, host and path prefix of the endpoint, without a trailing slash.
    base: String,
    /// `base`, parsed once: each call only sets the path and query (see [`request_url`]).
    base_url: reqwest::Url,
    /// The site whose documents requests are validated against, when known.
    site: Option<Site>,
    /// The endpoint's path prefix (usually empty).
    prefix: String,
    /// `host[:port]` exactly as the Host header carries it.
    host: String,
    credentials: Auth,
    language: Option<String>,
    user_agent: String,
    /// `user_agent` as a header value, made once; `None` when it is not a valid one, which
    /// then fails each call as it always did.
    user_agent_value: Option<reqwest::header::HeaderValue>,
    http: reqwest::Client,
    validate: bool,
    retry: RetryPolicy,
    /// Shared by every clone of the client; `None` when rate limiting is off.
    limiter: Option<Arc<dyn RateLimiter>>,
    /// Quotas that replace the documented ones, by operation id.
    quotas: HashMap<String, RateLimit>,
    /// Whose quota the calls count against: `host[:port]/account` (see [`Call::scope`]).
    scope: String,
    /// The timeout of one HTTP exchange: a limiter asking a server answers within it.
    timeout: Duration,
    /// Each call's deadline, from its start.
    operation_timeout: Option<Duration>,
    /// The timeout the HTTP client applies to each request: `timeout`, unless the client was
    /// given its own `reqwest::Client`, whose timeout is unknown.
    http_timeout: Option<Duration>,
    max_response_bytes: usize,
}

/// The account part of the rate-limit scope: the domain id, or a hash of the access key or
/// token (identifiers the gateway counts by, which must not appear in keys or logs as such).
fn quota_account(credentials: &Auth) -> String {
    use sha2::Digest;
    let hashed = |prefix: &str, secret: &str| format!("{prefix}-{}", hex::encode(&sha2::Sha256::digest(secret.as_bytes())[..8]));
    let credentials = match credentials {
        Auth::Static(c) => c,
        Auth::Provider(_) => return "provider".to_string(),
    };
    match credentials.kind() {
        Kind::AkSk { domain_id: Some(d), .. } => format!("domain-{d}"),
        Kind::AkSk { access_key, .. } => hashed("ak", access_key),
        Kind::Token(token) => hashed("token", token),
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client").field("endpoint", &self.inner.base).field("credentials", &self.inner.credentials).field("options", &self.options).finish_non_exhaustive()
    }
}

#[derive(serde::Deserialize)]
struct ErrorBody {
    #[serde(default, deserialize_with = "code_text")]
    error_code: Option<String>,
    #[serde(default)]
    error_msg: Option<String>,
    #[serde(default)]
    error_message: Option<String>,
}

fn code_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    use serde::Deserialize;
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Null => None,
        other => Some(other.to_string()),
    })
}

/// Content-Type and User-Agent: the headers every call starts with.
const COMMON_HEADERS: usize = 2;

/// Header names used on every call, parsed once.
static X_SDK_DATE: reqwest::header::HeaderName = reqwest::header::HeaderName::from_static("x-sdk-date");

/// Looked up by its parsed name: a `&str` name is parsed on every lookup.
static X_REQUEST_ID: reqwest::header::HeaderName = reqwest::header::HeaderName::from_static("x-request-id");

/// The `error_code` of an HTTP-200 answer that is not an error.
const SUCCESS_CODE: &str = "CBC.0000";

/// Raw bodies kept in errors are cut to this many bytes.
const RAW_BODY_LIMIT: usize = 64 * 1024;

impl Client {
    /// A builder with the documented defaults.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The endpoint calls go to.
    pub fn endpoint(&self) -> &str {
        &self.inner.base
    }

    /// This client, with `options` replacing its configuration for every call made through the
    /// returned handle (operations, `_pages` and `_items` streams alike). The handle shares the
    /// connection pool, credentials and rate limits; options set on `self` already stay unless
    /// `options` replaces them. See [`CallOptions`].
    ///
    /// ```no_run
    /// # #[cfg(feature = "products")]
    /// # async fn run(client: huaweicloud_bss::Client) -> Result<(), huaweicloud_bss::Error> {
    /// use std::time::Duration;
    /// use huaweicloud_bss::CallOptions;
    /// use huaweicloud_bss::products::ListServiceTypesRequest;
    ///
    /// let types = client
    ///     .with_options(CallOptions::new().operation_timeout(Duration::from_secs(3)))
    ///     .list_service_types(ListServiceTypesRequest::new().limit(10))
    ///     .await?;
    /// # let _ = types;
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_options(&self, options: CallOptions) -> Client {
        let options = match &self.options {
            Some(own) => own.merged(options),
            None => options,
        };
        Client { inner: Arc::clone(&self.inner), options: Some(Arc::new(options)) }
    }

    /// Sends one request: validate, encode, then authenticate, send and decode each attempt.
    pub(crate) async fn execute<R: ApiRequest>(&self, request: &R) -> Result<Response<R::Output>, Error> {
        let meta = request.meta();
        // Fields only: never the URL, headers or bodies, which may carry secrets.
        let span = tracing::debug_span!(
            "bss.call",
            operation = meta.id,
            method = meta.method,
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        // The spans are handed down rather than looked up with `Span::current()` on every call.
        self.call(request, meta, span.clone()).instrument(span).await
    }

    async fn call<R: ApiRequest>(&self, request: &R, meta: &'static OperationMeta, call_span: tracing::Span) -> Result<Response<R::Output>, Error> {
        let inner = &*self.inner;
        let started = Instant::now();
        let options = self.options.as_deref();
        let validate = options.and_then(|o| o.validate).unwrap_or(inner.validate);
        let policy = options.and_then(|o| o.retry.as_ref()).unwrap_or(&inner.retry);
        // The per-attempt timeout set on the request, when it is not the HTTP client's own.
        let attempt_timeout = options.and_then(|o| o.timeout);
        let deadline = Deadline::of(started, options.and_then(|o| o.operation_timeout).or(inner.operation_timeout), options.and_then(|o| o.deadline));
        if validate {
            let mut v = Validator::for_site(inner.site.map(Site::id));
            request.validate(&mut v);
            v.finish().map_err(Error::InvalidRequest)?;
        }
        let mut w = RequestWriter::default();
        request.write(&mut w)?;
        let op_path = w.render_path(meta.path)?;
        // The query is sent exactly as signed.
        let query = signer::encode_query(&w.query);
        // The signed path includes any prefix of the endpoint.
        let path = if inner.prefix.is_empty() { op_path } else { format!("{}{op_path}", inner.prefix) };
        let url = request_url(&inner.base_url, &path, &query);
        let body = w.body.take().unwrap_or_default();

        // Room for the authentication headers each attempt adds. `attempt` relies on the first
        // `COMMON_HEADERS` being these two.
        let mut headers: Vec<(String, String)> = Vec::with_capacity(w.headers.len() + 4);
        headers.push(("Content-Type".into(), "application/json".into()));
        headers.push(("User-Agent".into(), inner.user_agent.clone()));
        if let Some(lang) = &inner.language {
            if !w.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("X-Language")) {
                headers.push(("X-Language".into(), lang.clone()));
            }
        }
        headers.append(&mut w.headers);
        let method = reqwest::Method::from_bytes(meta.method.as_bytes()).map_err(|e| Error::Config(e.to_string()))?;
        let prepared = Prepared { meta, method, url, path, query: w.query, body };
        let common_headers = headers.len();

        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let limit = if inner.quotas.is_empty() { meta.rate_limit } else { inner.quotas.get(meta.id).copied().or(meta.rate_limit) };
            if let (Some(limiter), Some(limit)) = (&inner.limiter, limit) {
                let asked_by = Instant::now() + attempt_timeout.unwrap_or(inner.timeout);
                let call = Call::new(meta.id, limit, &inner.scope, deadline.map_or(asked_by, |d| d.at.min(asked_by)));
                let acquired = match deadline {
                    None => limiter.acquire(call).await,
                    Some(d) => match tokio::time::timeout_at(d.at.into(), limiter.acquire(call)).await {
                        Ok(acquired) => acquired,
                        Err(_) => Err(d.exceeded(meta.id)),
                    },
                };
                let waited = match acquired {
                    Ok(waited) => waited,
                    Err(error) => {
                        let error = error.with_attempts(attempt - 1);
                        call_span.record("attempts", attempt - 1);
                        return Err(error);
                    }
                };
                if !waited.is_zero() {
                    tracing::debug!(waited_ms = waited.as_millis() as u64, "waited for the client-side rate limit");
                }
            }
            let attempt_span = tracing::debug_span!("bss.attempt", attempt, status = tracing::field::Empty, request_id = tracing::field::Empty);
            // Each attempt adds its own authentication headers to the common ones.
            headers.truncate(common_headers);
            // The deadline cuts the attempt's own timeout short when it comes first; an attempt
            // with no time left is not sent at all.
            let (timeout, cut_by) = match deadline {
                Some(d) => {
                    let left = d.at.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        call_span.record("attempts", attempt - 1);
                        return Err(d.exceeded(meta.id).with_attempts(attempt - 1));
                    }
                    match attempt_timeout.or(inner.http_timeout) {
                        Some(own) if own <= left => (attempt_timeout, None),
                        _ => (Some(left), Some(d)),
                    }
                }
                None => (attempt_timeout, None),
            };
            let result = self.attempt::<R::Output>(&prepared, &mut headers, timeout, attempt_span.clone()).instrument(attempt_span).await;
            // The call span gets the facts of the last attempt.
            let finish = |status: Option<u16>, request_id: Option<&str>| {
                call_span.record("attempts", attempt);
                if let Some(s) = status {
                    call_span.record("status", s);
                }
                if let Some(r) = request_id {
                    call_span.record("request_id", r);
                }
            };
            let error = match (result, cut_by) {
                (Ok(mut response), _) => {
                    response.attempts = attempt;
                    finish(Some(response.status), response.request_id());
                    return Ok(response);
                }
                (Err(Error::Timeout { .. }), Some(d)) if Instant::now() >= d.at => {
                    let error = d.exceeded(meta.id).with_attempts(attempt);
                    tracing::debug!(attempt, "giving up: the deadline passed during the attempt");
                    finish(None, None);
                    return Err(error);
                }
                (Err(e), _) => e.with_attempts(attempt),
            };
            // The rules callers see in `Error::retry`, applied here between attempts.
            let verdict = error.retry();
            if !verdict.is_retryable() {
                finish(error.status(), error.request_id());
                return Err(error);
            }
            let (reason, retry_after) = (verdict.reason().as_str(), verdict.retry_after());
            if attempt >= policy.max_attempts() {
                tracing::debug!(attempt, reason, "giving up: no attempts left");
                finish(error.status(), error.request_id());
                return Err(error);
            }
            let delay = policy.delay(attempt, retry_after);
            if started.elapsed() + delay > policy.max_elapsed() {
                tracing::debug!(attempt, reason, delay_ms = delay.as_millis() as u64, "giving up: the retry would start after the maximum elapsed time");
                finish(error.status(), error.request_id());
                return Err(error);
            }
            // A retry that could not even start before the deadline is not waited for.
            if deadline.is_some_and(|d| Instant::now() + delay >= d.at) {
                tracing::debug!(attempt, reason, delay_ms = delay.as_millis() as u64, "giving up: the retry would start after the deadline");
                finish(error.status(), error.request_id());
                return Err(error);
            }
            tracing::debug!(attempt, reason, delay_ms = delay.as_millis() as u64, "retrying");
            tokio::time::sleep(delay).await;
        }
    }

    /// One attempt: sign (with a fresh date), send, read the bounded body, decode. `headers`
    /// holds every header but the authentication ones, which this adds.
    async fn attempt<T: serde::de::DeserializeOwned>(&self, p: &Prepared, headers: &mut Vec<(String, String)>, timeout: Option<Duration>, span: tracing::Span) -> Result<Response<T>, Error> {
        let inner = &*self.inner;
        let meta = p.meta;
        // The date and signature of an AK/SK call, sent after every other header.
        let mut signed = None;
        let credentials = inner.credentials.current().await.map_err(|source| Error::Credentials { operation: meta.id, source })?;
        match credentials.kind() {
            Kind::Token(token) => headers.push(("X-Auth-Token".into(), token.clone())),
            Kind::AkSk { access_key, secret_key, security_token, domain_id } => {
                if let Some(t) = security_token {
                    headers.push(("X-Security-Token".into(), t.clone()));
                }
                if let Some(d) = domain_id {
                    headers.push(("X-Domain-Id".into(), d.clone()));
                }
                let date = signer::sdk_date(SystemTime::now());
                let signature = signer::sign(
                    &signer::SignableRequest { method: meta.method, host: &inner.host, path: &p.path, query: &p.query, headers, body: &p.body },
                    access_key,
                    secret_key,
                    &date,
                );
                signed = Some((date, signature.authorization));
            }
        }
        // Headers go out in the order they are signed, date and signature last. The common two
        // (see `call`) and the names of the last two are ready-made rather than parsed again.
        let mut rb = inner.http.request(p.method.clone(), p.url.clone());
        rb = rb.header(reqwest::header::CONTENT_TYPE, reqwest::header::HeaderValue::from_static("application/json"));
        rb = match &inner.user_agent_value {
            Some(ua) => rb.header(reqwest::header::USER_AGENT, ua.clone()),
            None => rb.header("User-Agent", inner.user_agent.as_str()),
        };
        for (n, v) in &headers[COMMON_HEADERS..] {
            rb = rb.header(n.as_str(), v.as_str());
        }
        if let Some((date, authorization)) = signed {
            rb = rb.header(X_SDK_DATE.clone(), date).header(reqwest::header::AUTHORIZATION, authorization);
        }
        if !p.body.is_empty() {
            rb = rb.body(p.body.clone());
        }
        // Replaces the HTTP client's timeout (reqwest applies it to connecting, sending and
        // reading the whole body).
        if let Some(t) = timeout {
            rb = rb.timeout(t);
        }
        let transport = |source: reqwest::Error| {
            let failure = if source.is_builder() {
                Failure::Build
            } else if source.is_connect() {
                Failure::Connect
            } else if source.is_timeout() {
                Failure::Timeout
            } else if source.is_redirect() {
                Failure::Redirect
            } else {
                Failure::Broken
            };
            tracing::debug!(error = ?failure, "no answer");
            let timeout = source.is_timeout();
            // reqwest's error would print the whole URL, sensitive query values included.
            let source = TransportError::new(failure, shown_url(&inner.host, p), meta, Box::new(source.without_url()));
            if timeout { Error::Timeout { operation: meta.id, source, attempts: 1 } } else { Error::Transport { operation: meta.id, source, attempts: 1 } }
        };
        let mut resp = rb.send().await.map_err(transport)?;
        let status = resp.status().as_u16();
        // Kept until the answer is decoded: `Retry-After` only matters for an error answer.
        let answer_headers = std::mem::take(resp.headers_mut());
        let request_id = answer_headers.get(&X_REQUEST_ID).and_then(|v| v.to_str().ok()).map(str::to_string);
        span.record("status", status);
        if let Some(r) = &request_id {
            span.record("request_id", r.as_str());
        }
        let limit = inner.max_response_bytes;
        let too_large = |request_id: Option<String>| {
            tracing::debug!(status, limit, "response body too large");
            Error::ResponseTooLarge { operation: meta.id, status, limit, request_id, attempts: 1 }
        };
        if resp.content_length().is_some_and(|n| n > limit as u64) {
            return Err(too_large(request_id));
        }
        // A body of known length (checked above) is taken whole: reqwest hands one that arrived
        // in one piece over without copying it. Its error carries the URL, which `chunk` errors
        // do not and which must not reach error messages. A body of unknown length is collected
        // here, checking the limit as it grows.
        let mut streamed = Vec::new();
        let whole = if resp.content_length().is_some() {
            let whole = resp.bytes().await.map_err(transport)?;
            if whole.len() > limit {
                return Err(too_large(request_id));
            }
            Some(whole)
        } else {
            while let Some(chunk) = resp.chunk().await.map_err(transport)? {
                if streamed.len() + chunk.len() > limit {
                    return Err(too_large(request_id));
                }
                streamed.extend_from_slice(&chunk);
            }
            None
        };
        let bytes: &[u8] = whole.as_deref().unwrap_or(&streamed);
        tracing::debug!(status, request_id = request_id.as_deref(), bytes = bytes.len(), "answer received");
        let mut result = decode(meta.id, status, request_id, bytes);
        if let Err(Error::Service(e)) = &mut result {
            e.retry_after = answer_headers.get(reqwest::header::RETRY_AFTER).and_then(|v| v.to_str().ok()).and_then(retry::parse_retry_after);
            e.meta = Some(meta);
            e.endpoint = Some(inner.base.clone());
            tracing::debug!(status, code = e.code.as_ref().map(ErrorCode::as_str), "error answer");
        }
        result
    }
}

/// When a call must be over, and how long it was given.
#[derive(Clone, Copy, Debug)]
struct Deadline {
    at: Instant,
    budget: Duration,
}

impl Deadline {
    /// The earlier of `started + operation_timeout` and `deadline`, if either is set.
    fn of(started: Instant, operation_timeout: Option<Duration>, deadline: Option<Instant>) -> Option<Deadline> {
        let relative = operation_timeout.map(|t| started + t);
        let at = match (relative, deadline) {
            (Some(a), Some(b)) => a.min(b),
            (a, b) => a.or(b)?,
        };
        Some(Deadline { at, budget: at.saturating_duration_since(started) })
    }

    fn exceeded(self, operation: &'static str) -> Error {
        Error::DeadlineExceeded { operation, budget: self.budget, attempts: 0 }
    }
}

/// What every attempt of a call sends but the headers; only the date and signature change
/// between attempts.
struct Prepared {
    meta: &'static OperationMeta,
    method: reqwest::Method,
    url: reqwest::Url,
    /// The path as signed (with the endpoint's prefix).
    path: String,
    /// The decoded query pairs, as signed.
    query: Vec<(String, String)>,
    body: Vec<u8>,
}

/// The URL of a call: `base` (the endpoint, parsed once) with the signed `path` (the endpoint's
/// prefix included) and the encoded `query`. It is the URL that parsing `base + path + "?" + query`
/// gives, without parsing the scheme and host again on every call (for a domain name that
/// includes its IDNA processing).
fn request_url(base: &reqwest::Url, path: &str, query: &str) -> reqwest::Url {
    let mut url = base.clone();
    url.set_path(path);
    // `base` has no query of its own.
    if !query.is_empty() {
        url.set_query(Some(query));
    }
    url
}

/// The URL of a call as errors show it: `scheme://host[:port]`, the path and the query, with
/// the values of the operation's sensitive parameters (path segments and query values)
/// replaced by `<redacted>`.
fn shown_url(host: &str, p: &Prepared) -> String {
    const REDACTED: &str = "<redacted>";
    let sensitive = p.meta.sensitive_params;
    let mut shown = format!("{}://{host}", p.url.scheme());
    let template: Vec<&str> = p.meta.path.split('/').collect();
    let sent: Vec<&str> = p.url.path().split('/').collect();
    // The path may start with the endpoint's prefix; the template matches its last segments
    // (values are escaped, so a value never adds a segment).
    let offset = sent.len().saturating_sub(template.len());
    for (i, segment) in sent.iter().enumerate() {
        if i > 0 {
            shown.push('/');
        }
        let name = i.checked_sub(offset).and_then(|t| template.get(t)).and_then(|t| t.strip_prefix('{')).and_then(|t| t.strip_suffix('}'));
        shown.push_str(if name.is_some_and(|n| sensitive.contains(&n)) { REDACTED } else { segment });
    }
    if let Some(query) = p.url.query() {
        shown.push('?');
        for (i, pair) in query.split('&').enumerate() {
            if i > 0 {
                shown.push('&');
            }
            match pair.split_once('=') {
                // Sensitive names are plain identifiers, which encoding leaves unchanged.
                Some((name, _)) if sensitive.contains(&name) => {
                    shown.push_str(name);
                    shown.push('=');
                    shown.push_str(REDACTED);
                }
                _ => shown.push_str(pair),
            }
        }
    }
    shown
}

fn raw(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(RAW_BODY_LIMIT)]).into_owned()
}

/// Decodes an answer of `operation` exactly as the client does after a call: an HTTP-200 body
/// carrying an error code becomes [`Error::Service`], an error status a [`ServiceError`], a body
/// that does not decode [`Error::Decode`] keeping the bytes. Useful to replay captured answers.
pub fn decode_answer<T: serde::de::DeserializeOwned>(operation: &'static str, status: u16, body: &[u8]) -> Result<Response<T>, Error> {
    decode(operation, status, None, body)
}

/// Turns an answer into the typed body or the right error.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(operation: &'static str, status: u16, request_id: Option<String>, bytes: &[u8]) -> Result<Response<T>, Error> {
    let blank = bytes.iter().all(u8::is_ascii_whitespace);
    if (200..300).contains(&status) {
        // Many business errors arrive with HTTP 200 and an error code in the body.
        if !blank {
            // The usual answer: one pass, which also tells that there is no error code. Otherwise
            // the code is looked for on its own, and a body that does not decode is decoded again
            // below for the exact error message; both only happen off the usual path.
            let decoded = match codec::decode_success::<T>(bytes, SUCCESS_CODE) {
                Some(Screened::Clean(body)) => return Ok(Response { body, status, request_id, attempts: 1 }),
                Some(Screened::Unsure(body)) => Some(body),
                None => None,
            };
            if let Ok(ErrorBody { error_code: Some(code), error_msg, error_message }) = serde_json::from_slice::<ErrorBody>(bytes) {
                if code != SUCCESS_CODE {
                    return Err(Error::Service(Box::new(ServiceError {
                        status,
                        code: Some(ErrorCode::from(code.as_str())),
                        message: error_msg.or(error_message),
                        request_id,
                        operation,
                        raw_body: Some(raw(bytes)),
                        attempts: 1,
                        retry_after: None,
                        meta: None,
                        endpoint: None,
                    })));
                }
            }
            if let Some(body) = decoded {
                return Ok(Response { body, status, request_id, attempts: 1 });
            }
        }
        let parsed = if blank { serde_json::from_slice::<T>(b"null") } else { serde_json::from_slice::<T>(bytes) };
        return match parsed {
            Ok(body) => Ok(Response { body, status, request_id, attempts: 1 }),
            Err(e) => Err(Error::Decode { operation, status, reason: e.to_string(), body: bytes.to_vec(), request_id, attempts: 1 }),
        };
    }
    let (code, message) = match serde_json::from_slice::<ErrorBody>(bytes) {
        Ok(b) => (b.error_code.as_deref().map(ErrorCode::from), b.error_msg.or(b.error_message)),
        Err(_) => (None, None),
    };
    let raw_body = if blank { None } else { Some(raw(bytes)) };
    Err(Error::Service(Box::new(ServiceError { status, code, message, request_id, operation, raw_body, attempts: 1, retry_after: None, meta: None, endpoint: None })))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// `decode` as it was: the body is read once for an error code, then again into `T`.
    fn decode_in_two_passes<T: serde::de::DeserializeOwned>(status: u16, bytes: &[u8]) -> Result<Response<T>, Error> {
        let (operation, request_id) = ("Op", None);
        let blank = bytes.iter().all(u8::is_ascii_whitespace);
        if (200..300).contains(&status) {
            if !blank {
                if let Ok(ErrorBody { error_code: Some(code), error_msg, error_message }) = serde_json::from_slice::<ErrorBody>(bytes) {
                    if code != "CBC.0000" {
                        return Err(Error::Service(Box::new(ServiceError {
                            status,
                            code: Some(ErrorCode::from(code.as_str())),
                            message: error_msg.or(error_message),
                            request_id,
                            operation,
                            raw_body: Some(raw(bytes)),
                            attempts: 1,
                            retry_after: None,
                            meta: None,
                            endpoint: None,
                        })));
                    }
                }
            }
            let parsed = if blank { serde_json::from_slice::<T>(b"null") } else { serde_json::from_slice::<T>(bytes) };
            return match parsed {
                Ok(body) => Ok(Response { body, status, request_id, attempts: 1 }),
                Err(e) => Err(Error::Decode { operation, status, reason: e.to_string(), body: bytes.to_vec(), request_id, attempts: 1 }),
            };
        }
        decode(operation, status, request_id, bytes)
    }

    /// Everything a caller can see of an outcome.
    fn outcome<T: fmt::Debug>(result: Result<Response<T>, Error>) -> String {
        match result {
            Ok(r) => format!("Ok({:?}, {}, {:?}, {})", r.body, r.status, r.request_id, r.attempts),
            Err(Error::Service(e)) => format!("Service({}, {:?}, {:?}, {:?}, {})", e.status, e.code(), e.message, e.raw_body, e.attempts),
            Err(Error::Decode { status, reason, body, .. }) => format!("Decode({status}, {reason}, {body:?})"),
            Err(e) => format!("{e:?}"),
        }
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct WithCode {
        error_code: Option<String>,
        error_msg: Option<String>,
        items: Option<Vec<i32>>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct WithoutCode {
        items: Option<Vec<i32>>,
        count: Option<i32>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Strict {
        items: Vec<i32>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Flattened {
        items: Option<Vec<i32>>,
        #[serde(flatten)]
        rest: BTreeMap<String, serde_json::Value>,
    }

    const BODIES: &[&str] = &[
        r#"{"items":[1,2],"count":2}"#,
        r#"{"error_code":"CBC.0000","error_msg":"success","items":[1]}"#,
        r#"{"items":[1],"error_code":"CBC.0100","error_msg":"bad"}"#,
        r#"{"error_code":null,"items":[]}"#,
        r#"{"error_code":7,"error_msg":"numeric"}"#,
        r#"{"error_code":{"a":1}}"#,
        r#"{"error_code":"CBC.0100","error_msg":5}"#,
        r#"{"error_code":"CBC.0100","error_message":"alternative"}"#,
        r#"{"error_code":"CBC.0000","error_code":"CBC.0100"}"#,
        r#"{"error_code":"CBC.0100","error_code":"CBC.0000"}"#,
        r#"{"error_code":null,"error_code":null}"#,
        r#"{"error\u005fcode":"CBC.0100","items":[3]}"#,
        r#"{"error\u005fcode":"CBC.0000","items":[3]}"#,
        r#"{"it\u0065ms":[4]}"#,
        r#"{"nested":{"error_code":"CBC.0100"},"items":[]}"#,
        r#"{"failures":[{"error_code":"CBC.0100","error_msg":"one failed"}]}"#,
        r#"["CBC.0100","msg"]"#,
        "[1,2,3]",
        r#"{"items":[1,2],"count":"2"}"#,
        r#"{"items":"x"}"#,
        r#"{"items":"x","error_code":"CBC.0100"}"#,
        r#"{"items":[1]} trailing"#,
        r#"{"error_code":"CBC.0100"} trailing"#,
        r#"{"items":[1],}"#,
        "not json",
        "null",
        "  ",
        "",
        r#""text""#,
        r#"{"error_code":"CBC.0000","items":[1],"unknown":true}"#,
        "{\n  \"items\": [1, 2],\n  \"count\": 2.5\n}\n",
    ];

    fn agrees<T: serde::de::DeserializeOwned + fmt::Debug>() {
        for status in [200, 201, 204, 400, 500] {
            for body in BODIES {
                let one_pass = outcome(decode::<T>("Op", status, None, body.as_bytes()));
                let two_passes = outcome(decode_in_two_passes::<T>(status, body.as_bytes()));
                assert_eq!(one_pass, two_passes, "{} {status} {body}", std::any::type_name::<T>());
            }
        }
    }

    #[test]
    fn one_pass_decoding_agrees_with_two_passes() {
        agrees::<WithCode>();
        agrees::<WithoutCode>();
        agrees::<Strict>();
        agrees::<Flattened>();
        agrees::<Option<WithoutCode>>();
        agrees::<serde_json::Value>();
        agrees::<BTreeMap<String, serde_json::Value>>();
        agrees::<BTreeMap<String, i32>>();
        agrees::<Vec<serde_json::Value>>();
        agrees::<NoContent>();
    }

    #[test]
    fn request_urls_are_those_of_the_whole_string() {
        let endpoints = ["https://bss-intl.myhuaweicloud.com", "http://127.0.0.1:8080", "https://[::1]:443/api", "https://BÜCHER.example:8443/a/b", "http://proxy.local/prefix%20x"];
        let paths = ["/v2/orders", "/v2/orders/customer-orders/details/CS24%2F0001", "/v2/a/../b/./c", "/v2/%7Bx%7D/~user_-.", "/"];
        let queries = ["", "limit=10&offset=0", "status=2&name=a%20b%26c", "x=%E4%B8%AD"];
        for endpoint in endpoints {
            let client = Client::builder().endpoint(endpoint).credentials(Credentials::token("t")).build().expect("client");
            let inner = &*client.inner;
            for op_path in paths {
                let path = format!("{}{op_path}", inner.prefix);
                for query in queries {
                    let whole = if query.is_empty() { format!("{}{op_path}", inner.base) } else { format!("{}{op_path}?{query}", inner.base) };
                    let expected = reqwest::Url::parse(&whole).expect("URL");
                    assert_eq!(request_url(&inner.base_url, &path, query).as_str(), expected.as_str(), "{whole}");
                }
            }
        }
    }

    #[test]
    fn shown_urls_redact_sensitive_path_and_query_values_behind_any_prefix() {
        static SHOW: OperationMeta = OperationMeta {
            id: "Show",
            method: "GET",
            path: "/v2/orders/{order_id}/items/{item}",
            idempotent: true,
            rate_limit: None,
            errors: &[],
            success_statuses: &[200],
            pagination: None,
            outcome_lookup: None,
            sensitive_params: &["order_id", "customer_id"],
        };
        for (endpoint, prefix) in [("http://127.0.0.1:8080", ""), ("https://proxy.example/bss/api", "/bss/api")] {
            let base = reqwest::Url::parse(endpoint).expect("URL");
            let path = format!("{prefix}/v2/orders/CS%2F77/items/7");
            let p = Prepared {
                meta: &SHOW,
                method: reqwest::Method::GET,
                url: request_url(&base, &path, "customer_id=c-1&limit=10&customer_idx=2"),
                path,
                query: Vec::new(),
                body: Vec::new(),
            };
            let host = base.host_str().map(|h| base.port().map_or(h.to_string(), |port| format!("{h}:{port}"))).expect("host");
            assert_eq!(
                shown_url(&host, &p),
                format!("{}://{host}{prefix}/v2/orders/<redacted>/items/7?customer_id=<redacted>&limit=10&customer_idx=2", base.scheme())
            );
        }
    }

    #[tokio::test]
    async fn the_wire_carries_the_signed_headers_in_signing_order() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};

        struct Probe;
        static PROBE: OperationMeta = OperationMeta {
            id: "Probe",
            method: "POST",
            path: "/v2/probe/{id}",
            idempotent: false,
            rate_limit: None,
            errors: &[],
            success_statuses: &[200],
            pagination: None,
            outcome_lookup: None,
            sensitive_params: &[],
        };
        impl ApiRequest for Probe {
            type Output = serde_json::Value;
            fn meta(&self) -> &'static OperationMeta {
                &PROBE
            }
            fn write(&self, w: &mut RequestWriter) -> Result<(), Error> {
                w.path("id", &"a b");
                w.query("z", &"2");
                w.query("a", &"1 x");
                w.header("X-Extra", &"extra");
                w.json(&serde_json::json!({"k": 1}))
            }
            fn validate(&self, _: &mut Validator) {}
        }

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let server = tokio::spawn(async move {
            let (mut sock, _) = listener.accept().await.expect("accept");
            let mut raw = Vec::new();
            let mut buf = [0u8; 4096];
            let head_end = loop {
                let n = sock.read(&mut buf).await.expect("read");
                raw.extend_from_slice(&buf[..n]);
                if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
                    break i;
                }
            };
            let head = String::from_utf8(raw[..head_end].to_vec()).expect("ASCII head");
            let length: usize = head.lines().find_map(|l| l.strip_prefix("content-length: ")).and_then(|v| v.parse().ok()).unwrap_or(0);
            while raw.len() < head_end + 4 + length {
                let n = sock.read(&mut buf).await.expect("read");
                raw.extend_from_slice(&buf[..n]);
            }
            sock.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}").await.expect("write");
            (head, raw[head_end + 4..].to_vec())
        });
        let credentials = Credentials::aksk("AK", "SK").with_security_token("token").with_domain_id("domain");
        let client = Client::builder().endpoint(&url).credentials(credentials).language("en_US").retry_policy(RetryPolicy::disabled()).rate_limiting(false).build().expect("client");
        client.execute(&Probe).await.expect("answer");
        let (head, body) = server.await.expect("server");

        let mut lines = head.lines();
        assert_eq!(lines.next(), Some("POST /v2/probe/a%20b?a=1%20x&z=2 HTTP/1.1"));
        let headers: Vec<(String, String)> = lines.map(|l| l.split_once(": ").map(|(n, v)| (n.to_string(), v.to_string())).expect("header line")).collect();
        let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).filter(|n| !matches!(*n, "accept" | "host" | "content-length")).collect();
        assert_eq!(names, ["content-type", "user-agent", "x-language", "x-extra", "x-security-token", "x-domain-id", "x-sdk-date", "authorization"]);
        let value = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).expect(name);
        assert_eq!(value("user-agent"), format!("huaweicloud-bss-rust/{}", crate::VERSION));
        // What was sent is what was signed.
        let signed: Vec<(String, String)> = ["content-type", "user-agent", "x-language", "x-extra", "x-security-token", "x-domain-id"].iter().map(|n| (n.to_string(), value(n))).collect();
        let query = [("a".to_string(), "1 x".to_string()), ("z".to_string(), "2".to_string())];
        let request = signer::SignableRequest { method: "POST", host: &value("host"), path: "/v2/probe/a%20b", query: &query, headers: &signed, body: &body };
        assert_eq!(value("authorization"), signer::sign(&request, "AK", "SK", &value("x-sdk-date")).authorization);
        assert_eq!(body, br#"{"k":1}"#);
    }

    #[tokio::test]
    async fn an_invalid_user_agent_fails_each_call_as_a_builder_error() {
        struct Ping;
        static PING: OperationMeta = OperationMeta {
            id: "Ping",
            method: "GET",
            path: "/ping",
            idempotent: true,
            rate_limit: None,
            errors: &[],
            success_statuses: &[200],
            pagination: None,
            outcome_lookup: None,
            sensitive_params: &[],
        };
        impl ApiRequest for Ping {
            type Output = NoContent;
            fn meta(&self) -> &'static OperationMeta {
                &PING
            }
            fn write(&self, _: &mut RequestWriter) -> Result<(), Error> {
                Ok(())
            }
            fn validate(&self, _: &mut Validator) {}
        }
        // Nothing listens on port 9: a request that got as far as connecting would fail otherwise.
        for credentials in [Credentials::aksk("AK", "SK"), Credentials::token("t")] {
            let client = Client::builder().endpoint("http://127.0.0.1:9").credentials(credentials).user_agent("bad\nagent").retry_policy(RetryPolicy::disabled()).build().expect("client");
            match client.execute(&Ping).await {
                Err(Error::Transport { source, attempts: 1, .. }) => assert!(source.is_request_invalid(), "{source:?}"),
                other => panic!("expected a builder error, got {other:?}"),
            }
        }
    }

    #[test]
    fn the_usual_answer_is_read_once() {
        let screen = |body: &str| match codec::decode_success::<WithoutCode>(body.as_bytes(), SUCCESS_CODE) {
            Some(Screened::Clean(_)) => "clean",
            Some(Screened::Unsure(_)) => "unsure",
            None => "undecodable",
        };
        assert_eq!(screen(r#"{"items":[1],"count":1}"#), "clean");
        assert_eq!(screen(r#"{"error_code":"CBC.0000","error_msg":"success","items":[1]}"#), "clean");
        assert_eq!(screen(r#"{"error_code":null}"#), "clean");
        assert_eq!(screen(r#"{"failures":[{"error_code":"CBC.0100"}]}"#), "clean");
        assert_eq!(screen(r#"{"error_code":"CBC.0100"}"#), "unsure");
        assert_eq!(screen(r#"{"error\u005fcode":"CBC.0100"}"#), "unsure");
        assert_eq!(screen(r#"{"error_code":"CBC.0000","error_code":"CBC.0000"}"#), "unsure");
        assert_eq!(screen("[null, 1]"), "unsure");
        assert_eq!(screen(r#"{"items":"x"}"#), "undecodable");
        assert!(matches!(codec::decode_success::<NoContent>(b"{}", SUCCESS_CODE), Some(Screened::Unsure(_))));
    }
}
