//! The runtime of the generated `huaweicloud-bss` crate, compiled, linted and unit-tested where
//! it stands.
//!
//! `bss-codegen` copies the other `.rs` files of this directory verbatim into `generated/src/`
//! (the list is `RUNTIME` in `generator/src/emit/templates.rs`); this file and `spec_facts.rs`
//! are not copied. The module tree and re-exports below are those of the generated `lib.rs`,
//! so the runtime's paths (`crate::error::Error`, `crate::Client`, …) resolve here as they do
//! there, and the few generated items the runtime names have stand-ins.
//!
//! The generated crate ships its own copy instead of depending on this package: it stays one
//! self-contained crate that users can vendor or publish without a second crate in lockstep,
//! and `generated/` is exactly what users compile.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

#[rustfmt::skip]
pub mod auth;
#[rustfmt::skip]
mod call_options;
#[rustfmt::skip]
mod client;
#[rustfmt::skip]
mod codec;
#[rustfmt::skip]
pub mod credentials;
#[rustfmt::skip]
mod decimal;
#[rustfmt::skip]
mod error;
#[rustfmt::skip]
pub mod files;
#[rustfmt::skip]
pub mod limiter;
#[rustfmt::skip]
pub mod pagination;
#[rustfmt::skip]
pub mod request;
#[rustfmt::skip]
pub mod retry;
#[rustfmt::skip]
pub mod signer;
#[rustfmt::skip]
mod throttle;

pub use auth::Credentials;
pub use call_options::CallOptions;
pub use client::decode_answer;
pub use client::{Client, ClientBuilder, NoContent, Response, Site};
pub use decimal::Decimal;
pub use error::{
    Delivery, Error, ErrorKind, ErrorMetadata, ProvideErrorMetadata, RetryReason, RetryVerdict,
    ServiceError, TransportError, ValidationError,
};
pub use error_codes::ErrorCode;
pub use retry::RetryPolicy;

/// Stand-in for the generated table of documented error codes, which knows none: the
/// runtime's own tests do not depend on the table (the generated crate's tests do).
pub mod error_codes {
    pub use crate::error::{ErrorCodeInfo, HttpStatusInfo, RetryAdvice};

    /// Looks up a documented error code.
    pub fn lookup(_code: &str) -> Option<&'static ErrorCodeInfo> {
        None
    }

    /// Stand-in for the generated enum of documented codes: it knows none, so every code is
    /// kept as `Unknown`; the generated one has the same methods and a variant per code.
    #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[non_exhaustive]
    pub enum ErrorCode {
        /// A code the documentation does not list, as received.
        Unknown(String),
    }

    impl ErrorCode {
        /// The code as sent, e.g. `CBC.0100`.
        pub fn as_str(&self) -> &str {
            match self {
                ErrorCode::Unknown(code) => code,
            }
        }

        /// The documented row of the code.
        pub fn info(&self) -> Option<&'static ErrorCodeInfo> {
            lookup(self.as_str())
        }
    }

    impl From<&str> for ErrorCode {
        fn from(code: &str) -> Self {
            ErrorCode::Unknown(code.to_string())
        }
    }

    impl std::fmt::Display for ErrorCode {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
}

/// Version of this crate (the generated crate's own version in the copy).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg(test)]
mod spec_facts;
