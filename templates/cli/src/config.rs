//! Where the CLI meets the client's configuration: credentials, the client itself, and the
//! exit code of each kind of failure. The two seams the client's credential chain and error
//! classification will replace are [`credentials`] and [`exit_code`].

use std::time::Duration;

use huaweicloud_bss::{Client, Credentials, Error, RetryPolicy, Site};

/// Exit code of a usage or validation error, or of a configuration problem: nothing was sent.
pub const EXIT_USAGE: u8 = 2;
/// Exit code of an error answer of the service.
pub const EXIT_SERVICE: u8 = 3;
/// Exit code of a call the service throttled (after the retries).
pub const EXIT_THROTTLED: u8 = 4;
/// Exit code of a call that got no answer (connection, timeout).
pub const EXIT_TRANSPORT: u8 = 5;
/// Exit code of an answer the CLI could not use (undecodable, too large, a broken page walk).
pub const EXIT_ANSWER: u8 = 1;

/// The exit codes, for `--help`.
pub const EXIT_CODES_HELP: &str = "Exit codes:
  0  success
  1  the answer could not be used (undecodable, too large, a page walk that cannot go on)
  2  usage or validation error, or bad configuration: nothing was sent
  3  the service answered with an error
  4  the service throttled the call (after the retries)
  5  no answer: connection failure or timeout (the call may or may not have happened)";

/// The exit code of a failed call.
///
/// Classified by the client's error variants; once the client classifies its errors itself
/// (`Error::kind()`), this match becomes a mapping of its kinds.
pub fn exit_code(error: &Error) -> u8 {
    match error {
        Error::InvalidRequest(_) | Error::Config(_) => EXIT_USAGE,
        Error::Service(e) if e.is_throttling() => EXIT_THROTTLED,
        Error::Service(_) => EXIT_SERVICE,
        Error::Timeout { .. } | Error::Transport { .. } | Error::RateLimiter { .. } => {
            EXIT_TRANSPORT
        }
        _ => EXIT_ANSWER,
    }
}

/// The credentials of a call.
///
/// Today from the environment (`HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`, optionally
/// `HUAWEICLOUD_SDK_SECURITY_TOKEN`, `HUAWEICLOUD_SDK_DOMAIN_ID`), as the client reads them;
/// the client's full chain (environment, profile file, ECS metadata) replaces this body, and
/// `profile` is handed to it.
pub fn credentials(profile: Option<&str>) -> Result<Credentials, Error> {
    if let Some(name) = profile {
        return Err(Error::Config(format!(
            "--profile {name}: this build reads credentials from the environment only (HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK)"
        )));
    }
    Credentials::from_env()
}

/// Timeout of each attempt without `--timeout`: the client's default.
const DEFAULT_TIMEOUT_SECS: u64 = 60;
/// Connect timeout: the client's default.
const CONNECT_TIMEOUT_SECS: u64 = 10;

/// Connection settings from the global flags.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// `--endpoint`.
    pub endpoint: Option<String>,
    /// `--site`.
    pub site: Option<Site>,
    /// `--profile`.
    pub profile: Option<String>,
    /// `--timeout`, in seconds.
    pub timeout: Option<u64>,
    /// `--retries`.
    pub retries: Option<u32>,
    /// `--language`.
    pub language: Option<String>,
}

impl Settings {
    /// The endpoint calls go to.
    pub fn endpoint(&self) -> String {
        match &self.endpoint {
            Some(e) => e.trim_end_matches('/').to_string(),
            None => self
                .site
                .unwrap_or(Site::International)
                .endpoint()
                .to_string(),
        }
    }

    /// The User-Agent of the CLI's calls.
    pub fn user_agent() -> String {
        format!(
            "bss-cli/{} huaweicloud-bss-rust/{}",
            env!("CARGO_PKG_VERSION"),
            huaweicloud_bss::VERSION
        )
    }

    /// A client with these settings.
    pub fn client(&self) -> Result<Client, Error> {
        let endpoint = self.endpoint();
        let timeout = Duration::from_secs(self.timeout.unwrap_or(DEFAULT_TIMEOUT_SECS));
        let mut b = Client::builder()
            .credentials(credentials(self.profile.as_deref())?)
            .user_agent(Self::user_agent())
            .timeout(timeout);
        if endpoint.starts_with("http://") {
            // No TLS: skip loading the system's root certificates, which is most of the
            // start-up time of a call to a local emulator.
            let http = reqwest::Client::builder()
                .timeout(timeout)
                .connect_timeout(Duration::from_secs(CONNECT_TIMEOUT_SECS))
                .tls_certs_only([])
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
            b = b.http_client(http);
        }
        b = b.endpoint(endpoint);
        if let Some(r) = self.retries {
            b = b.retry_policy(if r == 0 {
                RetryPolicy::disabled()
            } else {
                RetryPolicy::default().with_max_attempts(r + 1)
            });
        }
        if let Some(l) = &self.language {
            b = b.language(l.clone());
        }
        b.build()
    }
}
