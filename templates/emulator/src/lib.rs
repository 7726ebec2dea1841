//! A local server that answers like the Huawei Cloud BSS API, for integration tests and for
//! trying the `huaweicloud-bss` client without a Huawei Cloud account.
//!
//! The emulator is generated from the same spec as the client: its routes, parameter and body
//! checks, code lists, error codes, rate limits and answers all come from `src/api.json`, which
//! `bss-codegen` writes from `spec/`. For every documented operation it
//!
//! * routes by method and path, and answers `404` for anything else;
//! * verifies `SDK-HMAC-SHA256` signatures (or the presence of an `X-Auth-Token`) and answers
//!   the gateway's documented `401 APIGW.0301` when they do not verify;
//! * enforces the documented rate limits with the gateway's documented `429 APIGW.0308`
//!   (switchable);
//! * checks path, query, header and body against the documented types, required members,
//!   lengths, ranges and code lists, answering `400 CBC.0100` with the documented message;
//! * answers with the documented response example, or one built from the types;
//! * keeps a little state where the documents describe a flow (see [`Emulator`]);
//! * records every request, and lets a test force an answer per operation ([`Scenario`]).
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let emulator = bss_emulator::Emulator::start().await?;
//! let client = huaweicloud_bss::Client::builder()
//!     .endpoint(emulator.url())
//!     .credentials(huaweicloud_bss::Credentials::aksk(
//!         bss_emulator::DEFAULT_ACCESS_KEY,
//!         bss_emulator::DEFAULT_SECRET_KEY,
//!     ))
//!     .build()?;
//! # let _ = client;
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

#[rustfmt::skip]
mod answer;
#[rustfmt::skip]
mod api;
#[rustfmt::skip]
mod auth;
#[rustfmt::skip]
mod control;
#[rustfmt::skip]
mod lock;
#[rustfmt::skip]
mod record;
#[rustfmt::skip]
mod router;
#[rustfmt::skip]
mod scenario;
#[rustfmt::skip]
mod server;
#[rustfmt::skip]
mod state;
#[rustfmt::skip]
mod throttle;
#[rustfmt::skip]
mod validate;

pub use api::{OperationSummary, operations};
pub use record::RecordedRequest;
pub use scenario::{Scenario, ScenarioError};
pub use server::{DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, Emulator, EmulatorBuilder};

/// SHA-256 of the spec the emulator was generated from; equals `huaweicloud_bss::SPEC_SHA256`
/// when client and emulator come from the same spec.
pub fn spec_sha256() -> &'static str {
    &api::api().spec_sha256
}
