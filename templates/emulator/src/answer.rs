//! What the emulator answers to one request, before it is recorded and sent.

use serde_json::Value;

/// The emulator's answer to one request, before it is recorded and sent.
pub(crate) struct Answer {
    pub status: u16,
    pub body: Option<String>,
    pub operation: Option<String>,
    pub error_code: Option<String>,
    /// Why the emulator refused the call, beyond the documented message.
    pub detail: Option<String>,
}

impl Answer {
    pub(crate) fn json(status: u16, body: &Value) -> Self {
        Self { status, body: Some(body.to_string()), operation: None, error_code: None, detail: None }
    }
}
