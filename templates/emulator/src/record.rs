//! The requests the emulator received, for tests to assert on.

use serde::Serialize;

/// Headers whose values are credentials: kept for assertions, never shown by `Debug` or the
/// control endpoint.
const SECRET_HEADERS: &[&str] = &["authorization", "x-auth-token", "x-security-token"];

/// One request as the emulator received and answered it.
///
/// `Debug` shows header names and the body length, not credentials or body contents: bodies
/// may carry passwords, verification codes or identity numbers.
#[derive(Clone, Serialize)]
pub struct RecordedRequest {
    pub(crate) operation: Option<String>,
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    #[serde(serialize_with = "redacted_headers")]
    pub(crate) headers: Vec<(String, String)>,
    #[serde(rename = "body_bytes", serialize_with = "body_len")]
    pub(crate) body: Vec<u8>,
    pub(crate) status: u16,
    pub(crate) error_code: Option<String>,
    pub(crate) detail: Option<String>,
}

impl RecordedRequest {
    /// The operation the request was routed to; `None` when no operation matched.
    pub fn operation(&self) -> Option<&str> {
        self.operation.as_deref()
    }
    /// HTTP method.
    pub fn method(&self) -> &str {
        &self.method
    }
    /// The path as sent, still percent-encoded.
    pub fn path(&self) -> &str {
        &self.path
    }
    /// Decoded query pairs, in the order sent.
    pub fn query(&self) -> &[(String, String)] {
        &self.query
    }
    /// The first value of a query parameter.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
    /// A header value (name in any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    /// The body bytes.
    pub fn body(&self) -> &[u8] {
        &self.body
    }
    /// The body as JSON, when it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
    /// HTTP status of the emulator's answer.
    pub fn status(&self) -> u16 {
        self.status
    }
    /// `error_code` of the emulator's answer, when it refused the call.
    pub fn error_code(&self) -> Option<&str> {
        self.error_code.as_deref()
    }
    /// Why the emulator refused the call, beyond the documented message (also sent in the
    /// `X-Emulator-Detail` header).
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }
}

fn is_secret(name: &str) -> bool {
    SECRET_HEADERS.iter().any(|s| s.eq_ignore_ascii_case(name))
}

fn redacted_headers<S: serde::Serializer>(headers: &[(String, String)], s: S) -> Result<S::Ok, S::Error> {
    let shown: Vec<(&str, &str)> =
        headers.iter().map(|(n, v)| (n.as_str(), if is_secret(n) { "<redacted>" } else { v.as_str() })).collect();
    shown.serialize(s)
}

fn body_len<S: serde::Serializer>(body: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(body.len() as u64)
}

impl std::fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordedRequest")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query_names", &self.query.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>())
            .field("header_names", &self.headers.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>())
            .field("body_len", &self.body.len())
            .field("status", &self.status)
            .field("error_code", &self.error_code)
            .field("detail", &self.detail)
            .finish()
    }
}
