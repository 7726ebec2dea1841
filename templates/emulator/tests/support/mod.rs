//! Shared helpers of the emulator's tests.

#![allow(dead_code)]

// JSON equivalence as the client's own example tests judge it (numbers written as strings in
// the documents equal the numbers the types carry).
#[path = "../../../tests/support/mod.rs"]
mod client_support;
pub use client_support::equivalent;

use bss_emulator::Emulator;
use huaweicloud_bss::{Client, Credentials, Error, RetryPolicy};

/// An emulator with throttling off, so that tests running in parallel do not share quotas.
pub async fn start() -> Emulator {
    Emulator::builder().throttling(false).start().await.expect("the emulator starts")
}

fn builder(emulator: &Emulator) -> huaweicloud_bss::ClientBuilder {
    Client::builder()
        .endpoint(emulator.url())
        .credentials(Credentials::aksk(emulator.access_key(), emulator.secret_key()))
        .retry_policy(RetryPolicy::disabled())
}

/// A client signed with the emulator's credentials, without retries.
pub fn client(emulator: &Emulator) -> Client {
    builder(emulator).build().expect("client")
}

/// The same, without client-side validation, to see what the emulator refuses.
pub fn unvalidated_client(emulator: &Emulator) -> Client {
    builder(emulator).validate_requests(false).build().expect("client")
}

/// Asserts that `err` is a service error with this status and code.
pub fn assert_service_error(err: &Error, status: u16, code: &str) {
    match err {
        Error::Service(e) => {
            assert_eq!(e.status, status, "status of {err:?}");
            assert_eq!(e.code().map(|c| c.as_str()), Some(code), "code of {err:?}");
        }
        other => panic!("expected a service error {status} {code}, got {other:?}"),
    }
}

/// The answer of a call the emulator must accept; a refusal fails with the emulator's reason.
pub fn accepted<T>(emulator: &Emulator, result: Result<T, Error>) -> T {
    result.unwrap_or_else(|err| {
        let why = emulator.requests().last().and_then(|r| r.detail().map(str::to_owned));
        panic!("the emulator refused the call: {err:?}; its reason: {why:?}")
    })
}
