//! Credentials: an access key pair (optionally temporary) or an IAM token.
//!
//! `Debug` never shows a secret: the secret key, the security token and the IAM token are
//! printed as `<redacted>`, and the access key only by its first four characters.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use crate::credentials::{Chosen, CredentialsError, DefaultChain, ProvideCredentials};
use crate::error::Error;

/// How the client authenticates its calls.
#[derive(Clone)]
pub struct Credentials {
    kind: Kind,
}

#[derive(Clone)]
pub(crate) enum Kind {
    AkSk { access_key: String, secret_key: String, security_token: Option<String>, domain_id: Option<String> },
    Token(String),
}

impl Credentials {
    /// Access key and secret key: requests are signed with `SDK-HMAC-SHA256`.
    pub fn aksk(access_key: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Credentials { kind: Kind::AkSk { access_key: access_key.into(), secret_key: secret_key.into(), security_token: None, domain_id: None } }
    }

    /// An IAM token, sent in `X-Auth-Token`.
    pub fn token(token: impl Into<String>) -> Self {
        Credentials { kind: Kind::Token(token.into()) }
    }

    /// Adds the security token of temporary credentials (sent in `X-Security-Token`).
    /// Has no effect on token credentials.
    #[must_use]
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        if let Kind::AkSk { security_token, .. } = &mut self.kind {
            *security_token = Some(token.into());
        }
        self
    }

    /// Adds the account (domain) id, sent in `X-Domain-Id` as the official SDKs' global
    /// credentials do. Has no effect on token credentials.
    #[must_use]
    pub fn with_domain_id(mut self, id: impl Into<String>) -> Self {
        if let Kind::AkSk { domain_id, .. } = &mut self.kind {
            *domain_id = Some(id.into());
        }
        self
    }

    /// Reads credentials from the variables the official SDKs use: `HUAWEICLOUD_SDK_AK`,
    /// `HUAWEICLOUD_SDK_SK`, and optionally `HUAWEICLOUD_SDK_SECURITY_TOKEN` and
    /// `HUAWEICLOUD_SDK_DOMAIN_ID` (the environment alone; a client built without credentials
    /// resolves the whole chain of [`crate::credentials`]).
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// [`Credentials::from_env`] over any source of variables (useful in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let get = |k: &str| lookup(k).filter(|v| !v.trim().is_empty());
        let (Some(ak), Some(sk)) = (get("HUAWEICLOUD_SDK_AK"), get("HUAWEICLOUD_SDK_SK")) else {
            return Err(Error::Config("HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK must both be set".into()));
        };
        let mut c = Credentials::aksk(ak, sk);
        if let Some(t) = get("HUAWEICLOUD_SDK_SECURITY_TOKEN") {
            c = c.with_security_token(t);
        }
        if let Some(d) = get("HUAWEICLOUD_SDK_DOMAIN_ID") {
            c = c.with_domain_id(d);
        }
        Ok(c)
    }

    /// The access key of AK/SK credentials (an identifier, not a secret: it is sent with every
    /// signed call); `None` for a token.
    pub fn access_key(&self) -> Option<&str> {
        match &self.kind {
            Kind::AkSk { access_key, .. } => Some(access_key),
            Kind::Token(_) => None,
        }
    }

    pub(crate) fn kind(&self) -> &Kind {
        &self.kind
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::AkSk { access_key, security_token, domain_id, .. } => f
                .debug_struct("Credentials::AkSk")
                .field("access_key", &format_args!("{}…", access_key.chars().take(4).collect::<String>()))
                .field("secret_key", &format_args!("<redacted>"))
                .field("security_token", &format_args!("{}", if security_token.is_some() { "<redacted>" } else { "None" }))
                .field("domain_id", domain_id)
                .finish(),
            Kind::Token(_) => f.debug_struct("Credentials::Token").field("token", &format_args!("<redacted>")).finish(),
        }
    }
}

/// The client's credentials: fixed, or asked of a provider before each attempt.
#[derive(Clone, Debug)]
pub(crate) enum Auth {
    Static(Credentials),
    Provider(Arc<dyn ProvideCredentials>),
}

impl Auth {
    /// The official chain, resolved now as far as it can be without a request: credentials from
    /// the environment or the profile file are fixed; otherwise the metadata service is asked.
    pub(crate) fn default_chain() -> Self {
        let chain = DefaultChain::new();
        match chain.resolve() {
            Chosen::Static(c) => Auth::Static(c.clone()),
            Chosen::Metadata(..) => Auth::Provider(Arc::new(chain)),
        }
    }

    /// The credentials of the next attempt.
    pub(crate) async fn current(&self) -> Result<Cow<'_, Credentials>, CredentialsError> {
        match self {
            Auth::Static(c) => Ok(Cow::Borrowed(c)),
            Auth::Provider(p) => p.provide_credentials().await.map(Cow::Owned),
        }
    }
}
