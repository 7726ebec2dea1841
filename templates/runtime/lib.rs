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
pub use error::{Error, ServiceError, ValidationError};
pub use retry::RetryPolicy;

/// Stand-in for the generated table of documented error codes, which knows none: the
/// runtime's own tests do not depend on the table (the generated crate's tests do).
pub mod error_codes {
    pub use crate::error::{ErrorCodeInfo, HttpStatusInfo, RetryAdvice};

    /// Looks up a documented error code.
    pub fn lookup(_code: &str) -> Option<&'static ErrorCodeInfo> {
        None
    }
}

/// Version of this crate (the generated crate's own version in the copy).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg(test)]
mod spec_facts;
