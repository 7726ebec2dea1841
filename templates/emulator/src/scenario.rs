//! Answers forced per operation by a test: a documented error code, a server error, a custom
//! body, a delay, for every call or for the next few.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// What the emulator does with the next calls of one operation instead of answering normally.
///
/// ```
/// use std::time::Duration;
/// use bss_emulator::Scenario;
///
/// // The next two calls fail with 503, then the operation answers normally again.
/// let flaky = Scenario::server_error(503).times(2);
/// // Every call waits two seconds, then answers normally.
/// let slow = Scenario::delay(Duration::from_secs(2));
/// // A documented error code, with the status and message the documents give it.
/// let refused = Scenario::error_code("CBC.99000037");
/// # let _ = (flaky, slow, refused);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Answer with this documented error code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) error_code: Option<String>,
    /// Answer with this status (with `body`, or with the documented `CBC.0999` body for a 5xx).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) status: Option<u16>,
    /// Answer with this body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) body: Option<String>,
    /// Wait this long before answering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) delay_ms: Option<u64>,
    /// Apply to this many calls, then answer normally again (`None`: every call).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) times: Option<u32>,
}

impl Scenario {
    /// Answer with a documented error code, with the HTTP status the operation documents for
    /// it (or the global error table's) and the documented message.
    pub fn error_code(code: impl Into<String>) -> Self {
        Self { error_code: Some(code.into()), ..Self::default() }
    }

    /// Answer with a server error status (500–599) and the documented `CBC.0999` body.
    pub fn server_error(status: u16) -> Self {
        Self { status: Some(status), ..Self::default() }
    }

    /// Answer with any status and body, for answers the documents do not describe (a
    /// malformed body, an unexpected field, an HTML error page).
    pub fn body(status: u16, body: impl Into<String>) -> Self {
        Self { status: Some(status), body: Some(body.into()), ..Self::default() }
    }

    /// Wait before answering normally.
    pub fn delay(delay: Duration) -> Self {
        Self::default().with_delay(delay)
    }

    /// Also wait before answering.
    #[must_use]
    pub fn with_delay(mut self, delay: Duration) -> Self {
        self.delay_ms = Some(u64::try_from(delay.as_millis()).unwrap_or(u64::MAX));
        self
    }

    /// Apply to the next `n` calls only.
    #[must_use]
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }

    pub(crate) fn delay_duration(&self) -> Option<Duration> {
        self.delay_ms.map(Duration::from_millis)
    }
}

/// Why a scenario was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// No operation has this id.
    #[error("no operation is called `{0}`")]
    UnknownOperation(String),
    /// The error code is neither in the operation's error table nor in the global one.
    #[error("`{code}` is not a documented error code of {operation}")]
    UnknownErrorCode {
        /// The operation.
        operation: String,
        /// The code.
        code: String,
    },
    /// The scenario asks for something impossible.
    #[error("invalid scenario: {0}")]
    Invalid(String),
}
