//! Where the client's credentials come from: the chain the official Huawei Cloud SDKs resolve,
//! with the same names and precedence, each provider also usable on its own.
//!
//! 1. [`EnvProvider`]: `HUAWEICLOUD_SDK_AK` and `HUAWEICLOUD_SDK_SK` (both needed), and
//!    optionally `HUAWEICLOUD_SDK_SECURITY_TOKEN` and `HUAWEICLOUD_SDK_DOMAIN_ID`.
//! 2. [`ProfileProvider`]: the INI file named by `HUAWEICLOUD_SDK_CREDENTIALS_FILE`, by default
//!    `~/.huaweicloud/credentials`. BSS is a global service, so its credentials are those of the
//!    `[global]` section (keys `ak`, `sk`, `security_token`, `domain_id`), as the official BSS
//!    clients read them; [`ProfileProvider::section`] picks another (`[basic]`, whose
//!    `project_id` BSS does not use).
//! 3. [`MetadataProvider`]: on an ECS instance with an agency, temporary AK/SK and a security
//!    token from the metadata service (`http://169.254.169.254/openstack/latest/securitykey`),
//!    fetched again [`DEFAULT_REFRESH_MARGIN`] (40 minutes) before they expire.
//!
//! A client built without [`ClientBuilder::credentials`](crate::ClientBuilder::credentials) or
//! [`ClientBuilder::credentials_provider`](crate::ClientBuilder::credentials_provider) uses
//! [`DefaultChain`]: the environment and the profile file are read when the client is built,
//! and the first of them that holds an AK/SK pair is used for the client's life; when neither
//! does, each call takes its credentials from the metadata service (cached, and refreshed by one
//! call while the others wait). A provider that lacks its source is skipped, as in the official
//! chain; when none has credentials, the calls fail with [`Error::Credentials`](crate::Error::Credentials)
//! listing why each was skipped.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use huaweicloud_bss::credentials::{MetadataProvider, ProfileProvider};
//! use huaweicloud_bss::Client;
//!
//! // The official chain (the default): environment, profile file, ECS metadata.
//! let client = Client::builder().build()?;
//!
//! // One provider on its own: a profile file's [global] section…
//! let credentials = ProfileProvider::new().path("/etc/bss/credentials").credentials()?;
//! let client = Client::builder().credentials(credentials).build()?;
//!
//! // …or the metadata service, refreshed as the credentials near their expiry.
//! let client = Client::builder().credentials_provider(MetadataProvider::new()).build()?;
//! # let _ = client;
//! # Ok(())
//! # }
//! ```
//!
//! No secret leaves a provider except in the credentials it returns: `Debug` of every provider
//! and of [`Credentials`] redacts them, and errors name the variable, key or field involved,
//! never its value.

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::auth::Credentials;

/// Environment variable of the access key.
pub const ENV_AK: &str = "HUAWEICLOUD_SDK_AK";
/// Environment variable of the secret key.
pub const ENV_SK: &str = "HUAWEICLOUD_SDK_SK";
/// Environment variable of the security token of temporary credentials.
pub const ENV_SECURITY_TOKEN: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";
/// Environment variable of the account (domain) id.
pub const ENV_DOMAIN_ID: &str = "HUAWEICLOUD_SDK_DOMAIN_ID";
/// Environment variable naming the profile file.
pub const ENV_CREDENTIALS_FILE: &str = "HUAWEICLOUD_SDK_CREDENTIALS_FILE";
/// The profile file's place under the home directory.
pub const DEFAULT_PROFILE_PATH: &str = ".huaweicloud/credentials";
/// The profile section of global services, BSS among them.
pub const GLOBAL_SECTION: &str = "global";
/// The ECS metadata service.
pub const DEFAULT_METADATA_ENDPOINT: &str = "http://169.254.169.254";
/// Path of the temporary credentials on the metadata service.
pub const SECURITY_KEY_PATH: &str = "/openstack/latest/securitykey";
/// Path of the metadata service's session token (`PUT`), sent back in `X-Metadata-Token`.
pub const METADATA_TOKEN_PATH: &str = "/meta-data/latest/api/token";
/// How long before they expire temporary credentials are fetched again (the official SDKs'
/// threshold).
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(40 * 60);
/// Timeout of one request to the metadata service (the official SDKs').
pub const DEFAULT_METADATA_TIMEOUT: Duration = Duration::from_secs(3);
/// Lifetime asked for the metadata session token, in seconds (6 hours).
const METADATA_TOKEN_TTL_SECONDS: &str = "21600";

/// Why a provider has no credentials. Names the source (a variable, a file and key, an
/// endpoint), never a secret.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{provider}: {message}")]
pub struct CredentialsError {
    /// The provider: `environment`, `profile`, `ECS metadata` or `chain`.
    pub provider: &'static str,
    /// What is missing or went wrong.
    pub message: String,
}

impl CredentialsError {
    fn new(provider: &'static str, message: impl Into<String>) -> Self {
        CredentialsError { provider, message: message.into() }
    }
}

/// What [`ProvideCredentials::provide_credentials`] returns.
pub type CredentialsFuture<'a> = Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials the client asks before each attempt of a call.
///
/// Implement it for credentials from elsewhere (a vault, a sidecar); cache in the provider, as
/// it is asked once per attempt. [`Credentials`] itself is a provider that always gives itself.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// The credentials to sign the next attempt with.
    fn provide_credentials(&self) -> CredentialsFuture<'_>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let credentials = self.clone();
        Box::pin(async move { Ok(credentials) })
    }
}

/// Looks up a variable; a test gives its own.
type Lookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

fn process_env() -> Lookup {
    Arc::new(|name| std::env::var(name).ok())
}

/// Credentials from the environment variables of the official SDKs; see the [module](self) docs.
#[derive(Clone)]
pub struct EnvProvider {
    lookup: Lookup,
}

impl EnvProvider {
    /// Reads the process environment.
    pub fn new() -> Self {
        EnvProvider { lookup: process_env() }
    }

    /// Reads variables from `lookup` instead of the process environment (for tests, or a
    /// configuration system).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        EnvProvider { lookup: Arc::new(lookup) }
    }

    /// The credentials the variables hold: both `HUAWEICLOUD_SDK_AK` and `HUAWEICLOUD_SDK_SK`
    /// must be set (blank counts as unset).
    pub fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let get = |k: &str| (self.lookup)(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let (Some(ak), Some(sk)) = (get(ENV_AK), get(ENV_SK)) else {
            return Err(CredentialsError::new("environment", format!("{ENV_AK} and {ENV_SK} are not both set")));
        };
        Ok(assemble(ak, sk, get(ENV_SECURITY_TOKEN), get(ENV_DOMAIN_ID)))
    }
}

impl Default for EnvProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for EnvProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnvProvider").finish_non_exhaustive()
    }
}

impl ProvideCredentials for EnvProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let result = self.credentials();
        Box::pin(async move { result })
    }
}

fn assemble(ak: String, sk: String, token: Option<String>, domain: Option<String>) -> Credentials {
    let mut c = Credentials::aksk(ak, sk);
    if let Some(t) = token {
        c = c.with_security_token(t);
    }
    if let Some(d) = domain {
        c = c.with_domain_id(d);
    }
    c
}

/// Credentials from a profile file of the official SDKs; see the [module](self) docs.
///
/// The file is INI: `[section]` headers, `key = value` (or `key: value`) lines, comment lines
/// starting with `#` or `;`. Keys are matched without regard to case.
///
/// ```text
/// [global]
/// ak = <access key>
/// sk = <secret key>
/// domain_id = <account id>
/// ```
#[derive(Clone)]
pub struct ProfileProvider {
    lookup: Lookup,
    path: Option<PathBuf>,
    section: String,
}

impl ProfileProvider {
    /// The file `HUAWEICLOUD_SDK_CREDENTIALS_FILE` names, or `~/.huaweicloud/credentials`; its
    /// `[global]` section.
    pub fn new() -> Self {
        ProfileProvider { lookup: process_env(), path: None, section: GLOBAL_SECTION.to_string() }
    }

    /// [`ProfileProvider::new`], with the variables (`HUAWEICLOUD_SDK_CREDENTIALS_FILE`, `HOME`,
    /// `USERPROFILE`) read from `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        ProfileProvider { lookup: Arc::new(lookup), ..Self::new() }
    }

    /// Reads this file instead.
    #[must_use]
    pub fn path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Reads this section instead of `[global]`.
    #[must_use]
    pub fn section(mut self, section: impl Into<String>) -> Self {
        self.section = section.into();
        self
    }

    /// The file this provider reads, when one can be named.
    pub fn file(&self) -> Option<PathBuf> {
        if let Some(p) = &self.path {
            return Some(p.clone());
        }
        let get = |k: &str| (self.lookup)(k).filter(|v| !v.trim().is_empty());
        if let Some(p) = get(ENV_CREDENTIALS_FILE) {
            return Some(PathBuf::from(p));
        }
        get("HOME").or_else(|| get("USERPROFILE")).map(|home| PathBuf::from(home).join(DEFAULT_PROFILE_PATH))
    }

    /// Reads the file and returns the credentials of its section, which must hold `ak` and `sk`.
    pub fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let fail = |m: String| CredentialsError::new("profile", m);
        let path = self.file().ok_or_else(|| fail(format!("{ENV_CREDENTIALS_FILE} is not set and there is no home directory")))?;
        let text = std::fs::read_to_string(&path).map_err(|e| fail(format!("cannot read `{}`: {e}", path.display())))?;
        let keys = ini_section(&text, &self.section).map_err(|(line, what)| fail(format!("`{}` line {line}: {what}", path.display())))?;
        let Some(keys) = keys else {
            return Err(fail(format!("`{}` has no [{}] section", path.display(), self.section)));
        };
        let get = |k: &str| keys.iter().find(|(n, _)| n.eq_ignore_ascii_case(k)).map(|(_, v)| v.clone()).filter(|v| !v.is_empty());
        let (Some(ak), Some(sk)) = (get("ak"), get("sk")) else {
            return Err(fail(format!("the [{}] section of `{}` lacks `ak` or `sk`", self.section, path.display())));
        };
        Ok(assemble(ak, sk, get("security_token"), get("domain_id")))
    }
}

impl Default for ProfileProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for ProfileProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfileProvider").field("file", &self.file()).field("section", &self.section).finish()
    }
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let result = self.credentials();
        Box::pin(async move { result })
    }
}

/// The `key = value` pairs of a profile section, in file order.
type Pairs = Vec<(String, String)>;

/// The `key = value` pairs of `[section]`, `None` when the file has no such section; a line that
/// is neither a section, a pair, a comment nor blank is an error (its 1-based number, and why),
/// which never quotes the line: it may hold a secret.
fn ini_section(text: &str, section: &str) -> Result<Option<Pairs>, (usize, &'static str)> {
    let mut current: Option<bool> = None;
    let mut found: Option<Pairs> = None;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[') {
            let name = name.strip_suffix(']').ok_or((i + 1, "a section header must end with `]`"))?;
            let is_it = name.trim() == section;
            if is_it {
                found.get_or_insert_with(Vec::new);
            }
            current = Some(is_it);
            continue;
        }
        let (key, value) = line.split_once(['=', ':']).ok_or((i + 1, "the line is neither `[section]` nor `key = value`"))?;
        match current {
            None => return Err((i + 1, "a key appears before any section")),
            Some(true) => found.get_or_insert_with(Vec::new).push((key.trim().to_string(), value.trim().to_string())),
            Some(false) => {}
        }
    }
    Ok(found)
}

/// Temporary credentials from the ECS metadata service; see the [module](self) docs.
///
/// The credentials are cached and shared by the clones of the provider. They are fetched
/// again once they are within the refresh margin of their expiry (or half their lifetime, for
/// credentials issued for less than twice the margin); concurrent calls then wait for a single
/// fetch. When a fetch fails while the cached credentials have not yet expired, those are used
/// and the next call tries again; otherwise the calls that waited for the failed fetch get its
/// error, and the next call tries again.
///
/// The service is asked as the official SDKs ask it: a session token is requested first
/// (`PUT /meta-data/latest/api/token`) and sent in `X-Metadata-Token`; a service that does not
/// offer one (HTTP 404 or 405) is asked without it, and an answer 401 gets a new session token
/// and one more try.
#[derive(Clone)]
pub struct MetadataProvider {
    endpoint: String,
    margin: Duration,
    timeout: Duration,
    domain_id: Option<String>,
    state: Arc<MetadataState>,
}

#[derive(Default)]
struct MetadataState {
    cached: RwLock<Option<Temporary>>,
    /// Held by the one call that fetches.
    fetching: tokio::sync::Mutex<Session>,
    fetches: std::sync::atomic::AtomicU64,
    /// Made by the first fetch, with the provider's timeout then.
    http: std::sync::OnceLock<reqwest::Client>,
}

/// What the fetches leave for the next one.
#[derive(Default)]
struct Session {
    /// The metadata service's session token, once it gave one.
    token: Option<String>,
    /// The last fetch that failed: when it ended, and why. Calls that waited for it share its
    /// error rather than asking again one after the other.
    failed: Option<(std::time::Instant, CredentialsError)>,
}

#[derive(Clone)]
struct Temporary {
    credentials: Credentials,
    expires_at: SystemTime,
    refresh_at: SystemTime,
}

impl MetadataProvider {
    /// The metadata service of the instance, [`DEFAULT_METADATA_ENDPOINT`].
    pub fn new() -> Self {
        MetadataProvider {
            endpoint: DEFAULT_METADATA_ENDPOINT.to_string(),
            margin: DEFAULT_REFRESH_MARGIN,
            timeout: DEFAULT_METADATA_TIMEOUT,
            domain_id: None,
            state: Arc::default(),
        }
    }

    /// Asks this endpoint instead (a local server in tests, a proxy).
    #[must_use]
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = url.into().trim_end_matches('/').to_string();
        self
    }

    /// Fetches new credentials this long before the cached ones expire (default
    /// [`DEFAULT_REFRESH_MARGIN`]).
    #[must_use]
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// Timeout of each request to the metadata service (default [`DEFAULT_METADATA_TIMEOUT`]).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Adds the account (domain) id to the credentials (sent in `X-Domain-Id`).
    #[must_use]
    pub fn domain_id(mut self, id: impl Into<String>) -> Self {
        self.domain_id = Some(id.into());
        self
    }

    /// How many times credentials were fetched from the service (including failed fetches).
    pub fn fetches(&self) -> u64 {
        self.state.fetches.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// When the cached credentials expire, if any are cached.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.cached().map(|t| t.expires_at)
    }

    fn cached(&self) -> Option<Temporary> {
        self.state.cached.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn fresh(&self) -> Option<Credentials> {
        self.cached().filter(|t| SystemTime::now() < t.refresh_at).map(|t| t.credentials)
    }

    /// The cached credentials, fetched first when they are missing or due for a refresh.
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        if let Some(c) = self.fresh() {
            return Ok(c);
        }
        let asked = std::time::Instant::now();
        let mut session = self.state.fetching.lock().await;
        // Another call may have fetched while this one waited, or failed to.
        if let Some(c) = self.fresh() {
            return Ok(c);
        }
        let failed_meanwhile = session.failed.as_ref().filter(|(at, _)| *at > asked).map(|(_, e)| e.clone());
        let fetched = match failed_meanwhile {
            Some(e) => Err(e),
            None => {
                self.state.fetches.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                self.fetch(&mut session.token).await
            }
        };
        match fetched {
            Ok(t) => {
                let c = t.credentials.clone();
                *self.state.cached.write().unwrap_or_else(|e| e.into_inner()) = Some(t);
                session.failed = None;
                Ok(c)
            }
            Err(e) => match self.cached().filter(|t| SystemTime::now() < t.expires_at) {
                Some(still_valid) => {
                    tracing::debug!(error = %e, "refreshing the temporary credentials failed; the cached ones have not expired yet");
                    Ok(still_valid.credentials)
                }
                None => {
                    session.failed = Some((std::time::Instant::now(), e.clone()));
                    Err(e)
                }
            },
        }
    }

    async fn fetch(&self, session: &mut Option<String>) -> Result<Temporary, CredentialsError> {
        let fail = |m: String| CredentialsError::new("ECS metadata", m);
        let http = match self.state.http.get() {
            Some(h) => h,
            None => {
                // A link-local service: a proxy configured for the calls must not see it.
                let built = reqwest::Client::builder().timeout(self.timeout).no_proxy().build().map_err(|e| fail(format!("cannot build the HTTP client: {e}")))?;
                self.state.http.get_or_init(|| built)
            }
        };
        if session.is_none() {
            *session = self.session_token(http, false).await?;
        }
        let url = format!("{}{SECURITY_KEY_PATH}", self.endpoint);
        let url = url.as_str();
        let get = |token: Option<String>| {
            let mut rb = http.get(url);
            if let Some(t) = token {
                rb = rb.header("X-Metadata-Token", t);
            }
            async move { rb.send().await.map_err(|e| fail(format!("`{url}` did not answer: {}", e.without_url()))) }
        };
        let mut answer = get(session.clone()).await?;
        if answer.status() == reqwest::StatusCode::UNAUTHORIZED {
            *session = self.session_token(http, true).await?;
            answer = get(session.clone()).await?;
        }
        let status = answer.status();
        if !status.is_success() {
            // The body is not shown: an answer of this service is not to be echoed.
            return Err(fail(format!("`{url}` answered HTTP {}", status.as_u16())));
        }
        let body = answer.bytes().await.map_err(|e| fail(format!("`{url}`: the answer broke off: {}", e.without_url())))?;
        let fetched_at = SystemTime::now();
        let (credentials, expires_at) = parse_security_key(&body, self.domain_id.clone()).map_err(|m| fail(format!("`{url}`: {m}")))?;
        let lifetime = expires_at.duration_since(fetched_at).unwrap_or_default();
        let refresh_at = expires_at.checked_sub(self.margin.min(lifetime / 2)).unwrap_or(fetched_at);
        tracing::debug!(valid_for_s = lifetime.as_secs(), refresh_in_s = refresh_at.duration_since(fetched_at).unwrap_or_default().as_secs(), "fetched temporary credentials from the ECS metadata service");
        Ok(Temporary { credentials, expires_at, refresh_at })
    }

    /// Asks for a session token. A service without them answers 404 or 405 (the older metadata
    /// API): `None`, unless one is `required` because the service refused a request without it.
    async fn session_token(&self, http: &reqwest::Client, required: bool) -> Result<Option<String>, CredentialsError> {
        let fail = |m: String| CredentialsError::new("ECS metadata", m);
        let url = format!("{}{METADATA_TOKEN_PATH}", self.endpoint);
        let answer = http
            .put(&url)
            .header("X-Metadata-Token-Ttl-Seconds", METADATA_TOKEN_TTL_SECONDS)
            .send()
            .await
            .map_err(|e| fail(format!("`{url}` did not answer: {}", e.without_url())))?;
        match answer.status().as_u16() {
            200 => {
                let token = answer.text().await.map_err(|e| fail(format!("`{url}`: the answer broke off: {}", e.without_url())))?;
                Ok(Some(token.trim().to_string()))
            }
            404 | 405 if !required => Ok(None),
            status => Err(fail(format!("`{url}` answered HTTP {status}"))),
        }
    }
}

impl Default for MetadataProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for MetadataProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MetadataProvider")
            .field("endpoint", &self.endpoint)
            .field("refresh_margin", &self.margin)
            .field("cached", &self.cached().map(|t| t.credentials))
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for MetadataProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.credentials())
    }
}

/// Reads `{"credential": {"access", "secret", "securitytoken", "expires_at"}}`. Errors name the
/// field, never a value.
fn parse_security_key(body: &[u8], domain_id: Option<String>) -> Result<(Credentials, SystemTime), String> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|_| "the answer is not JSON".to_string())?;
    let credential = value.get("credential").ok_or("the answer has no `credential` object")?;
    let field = |name: &str| {
        credential.get(name).and_then(serde_json::Value::as_str).filter(|s| !s.is_empty()).map(str::to_string).ok_or(format!("`credential.{name}` is missing or not a string"))
    };
    let expires_at = field("expires_at")?;
    let expires_at = parse_utc(&expires_at).ok_or("`credential.expires_at` is not a UTC time such as 2024-05-01T08:30:00.000000Z")?;
    Ok((assemble(field("access")?, field("secret")?, Some(field("securitytoken")?), domain_id), expires_at))
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction]Z`.
fn parse_utc(text: &str) -> Option<SystemTime> {
    let text = text.strip_suffix('Z').or_else(|| text.strip_suffix("+00:00"))?;
    let (date, time) = text.split_once('T')?;
    let mut d = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (year, month, day) = (d.next()??, d.next()??, d.next()??);
    let (hms, fraction) = time.split_once('.').unwrap_or((time, ""));
    let mut t = hms.splitn(3, ':').map(|p| p.parse::<u64>().ok());
    let (hour, minute, second) = (t.next()??, t.next()??, t.next()??);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let nanos = format!("{fraction:0<9}").get(..9)?.parse::<u32>().ok()?;
    // Days from 1970-01-01 to the date (the proleptic Gregorian calendar).
    let (y, m) = if month <= 2 { (year - 1, month + 9) } else { (year, month - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = u64::try_from(era * 146_097 + doe - 719_468).ok()?;
    UNIX_EPOCH.checked_add(Duration::new(days * 86_400 + hour * 3600 + minute * 60 + second, nanos))
}

/// The official chain: [`EnvProvider`], then [`ProfileProvider`], then [`MetadataProvider`];
/// see the [module](self) docs. The client's default.
///
/// The first provider that has credentials is kept: the environment and the file are read once,
/// on the first call or by [`DefaultChain::resolve`].
#[derive(Clone, Debug)]
pub struct DefaultChain {
    env: EnvProvider,
    profile: ProfileProvider,
    metadata: MetadataProvider,
    chosen: Arc<std::sync::OnceLock<Chosen>>,
}

/// What the chain settled on.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Chosen {
    /// Credentials from the environment or the profile file.
    Static(Credentials),
    /// The metadata service, asked on each call; the errors of the providers skipped before it.
    Metadata(MetadataProvider, Vec<CredentialsError>),
}

impl DefaultChain {
    /// The chain over the process environment and the default metadata endpoint.
    pub fn new() -> Self {
        DefaultChain { env: EnvProvider::new(), profile: ProfileProvider::new(), metadata: MetadataProvider::new(), chosen: Arc::default() }
    }

    /// The chain with its variables read from `lookup` (for tests, or a configuration system).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        let lookup: Lookup = Arc::new(lookup);
        DefaultChain {
            env: EnvProvider { lookup: lookup.clone() },
            profile: ProfileProvider { lookup, ..ProfileProvider::new() },
            ..Self::new()
        }
    }

    /// Uses this profile provider (another file or section).
    #[must_use]
    pub fn profile(mut self, profile: ProfileProvider) -> Self {
        self.profile = profile;
        self
    }

    /// Uses this metadata provider (another endpoint, refresh margin or timeout).
    #[must_use]
    pub fn metadata(mut self, metadata: MetadataProvider) -> Self {
        self.metadata = metadata;
        self
    }

    /// Reads the environment, then the profile file; settles on the first that holds
    /// credentials, or on the metadata service. Done once: later calls return the same.
    pub fn resolve(&self) -> &Chosen {
        self.chosen.get_or_init(|| {
            let mut skipped = Vec::new();
            for found in [self.env.credentials(), self.profile.credentials()] {
                match found {
                    Ok(c) => return Chosen::Static(c),
                    Err(e) => skipped.push(e),
                }
            }
            Chosen::Metadata(self.metadata.clone(), skipped)
        })
    }
}

impl Default for DefaultChain {
    fn default() -> Self {
        Self::new()
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            match self.resolve() {
                Chosen::Static(c) => Ok(c.clone()),
                Chosen::Metadata(m, skipped) => m.credentials().await.map_err(|e| {
                    let mut why: Vec<String> = skipped.iter().map(ToString::to_string).collect();
                    why.push(e.to_string());
                    CredentialsError::new("chain", format!("no provider has credentials: {}", why.join("; ")))
                }),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_times_parse_as_the_metadata_service_writes_them() {
        let at = |s: &str| parse_utc(s).map(|t| t.duration_since(UNIX_EPOCH).expect("after 1970"));
        assert_eq!(at("1970-01-01T00:00:00Z"), Some(Duration::ZERO));
        assert_eq!(at("2024-05-01T08:30:00.000000Z"), Some(Duration::from_secs(1_714_552_200)));
        assert_eq!(at("2024-02-29T23:59:59.5Z"), Some(Duration::new(1_709_251_199, 500_000_000)));
        assert_eq!(at("2000-03-01T00:00:00+00:00"), Some(Duration::from_secs(951_868_800)));
        for bad in ["", "2024-05-01", "2024-05-01T08:30:00", "2024-13-01T00:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T08:30:00.x1Z", "1969-12-31T23:59:59Z"] {
            assert_eq!(parse_utc(bad), None, "{bad}");
        }
    }

    #[test]
    fn ini_sections_are_read_and_bad_lines_located_without_their_text() {
        let text = "# comment\n[basic]\nak = basic-ak\n\n[global]\nAK = global-ak\nsk: global-sk\n; another\n";
        let keys = ini_section(text, "global").expect("parses").expect("has the section");
        assert_eq!(keys, [("AK".to_string(), "global-ak".to_string()), ("sk".to_string(), "global-sk".to_string())]);
        assert_eq!(ini_section(text, "other").expect("parses"), None);
        assert_eq!(ini_section("[global]\nsecret-without-separator\n", "global"), Err((2, "the line is neither `[section]` nor `key = value`")));
        assert_eq!(ini_section("ak = x\n", "global"), Err((1, "a key appears before any section")));
    }

    #[test]
    fn the_security_key_answer_is_read_and_its_errors_quote_no_value() {
        let body = br#"{"credential":{"access":"TMPAK","secret":"TMPSK","securitytoken":"TOKEN","expires_at":"2030-01-01T00:00:00.000000Z"}}"#;
        let (c, expires) = parse_security_key(body, Some("dom".into())).expect("parses");
        assert_eq!(expires, parse_utc("2030-01-01T00:00:00Z").expect("time"));
        match c.kind() {
            crate::auth::Kind::AkSk { access_key, secret_key, security_token, domain_id } => {
                assert_eq!((access_key.as_str(), secret_key.as_str(), security_token.as_deref(), domain_id.as_deref()), ("TMPAK", "TMPSK", Some("TOKEN"), Some("dom")));
            }
            crate::auth::Kind::Token(_) => panic!("AK/SK expected"),
        }
        let wrong = br#"{"credential":{"access":"TMPAK","secret":12345678,"securitytoken":"TOKEN","expires_at":"2030-01-01T00:00:00Z"}}"#;
        let error = parse_security_key(wrong, None).expect_err("secret is not a string");
        assert_eq!(error, "`credential.secret` is missing or not a string");
        assert!(!error.contains("12345678"));
    }
}
