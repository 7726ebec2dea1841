//! `/_emulator/…`: the same controls as the [`Emulator`](crate::Emulator) methods, over HTTP,
//! for tests written in other languages against the binary. Not authenticated: the emulator
//! listens on 127.0.0.1 unless told otherwise.
//!
//! | request | effect |
//! |---|---|
//! | `GET /_emulator/operations` | the operations, with method, path and rate limit |
//! | `GET /_emulator/requests` | the recorded requests (credentials redacted, body sizes only) |
//! | `DELETE /_emulator/requests` | forgets them |
//! | `PUT /_emulator/scenarios/{OperationId}` | sets a scenario: `{"error_code": "CBC.0999"}`, `{"status": 503, "times": 2}`, `{"status": 200, "body": "…"}`, `{"delay_ms": 1500}` |
//! | `DELETE /_emulator/scenarios/{OperationId}`, `DELETE /_emulator/scenarios` | clears one, or all |
//! | `PUT /_emulator/throttling` | `{"enabled": false}` turns rate limits off |
//! | `POST /_emulator/reset` | forgets requests, scenarios, state and rate-limit windows |

use serde_json::{Value, json};

use crate::answer::Answer;
use crate::record::RecordedRequest;
use crate::scenario::{Scenario, ScenarioError};

/// What the control endpoints change: the server's shared state implements it, so this module
/// needs nothing of the server.
pub(crate) trait Controls {
    /// The recorded requests, oldest first.
    fn requests(&self) -> Vec<RecordedRequest>;
    /// Forgets the recorded requests.
    fn clear_requests(&self);
    /// Sets the scenario of one operation.
    fn set_scenario(&self, operation: &str, scenario: Scenario) -> Result<(), ScenarioError>;
    /// Clears the scenario of one operation, or of all (`None`).
    fn clear_scenario(&self, operation: Option<&str>);
    /// Turns the rate limits on or off.
    fn set_throttling(&self, on: bool);
    /// Forgets requests, scenarios, state and rate-limit windows.
    fn reset(&self);
    /// Checks requests against another site's documents.
    fn set_site(&self, site: &str) -> Result<(), String>;
}

fn ok(body: Value) -> Answer {
    Answer { status: 200, body: Some(body.to_string()), operation: None, error_code: None, detail: None }
}

fn done() -> Answer {
    Answer { status: 204, body: None, operation: None, error_code: None, detail: None }
}

fn bad(status: u16, message: String) -> Answer {
    Answer { status, body: Some(json!({ "error_msg": message }).to_string()), operation: None, error_code: None, detail: Some(message) }
}

/// Answers a control request; `rest` is the path after `/_emulator/`.
pub(crate) fn handle(shared: &impl Controls, method: &str, rest: &str, body: &[u8]) -> Answer {
    match (method, rest) {
        ("GET", "operations") => {
            let ops: Vec<Value> = crate::operations()
                .into_iter()
                .map(|o| json!({"id": o.id, "group": o.group, "title_zh": o.title_zh, "method": o.method, "path": o.path, "rate_limit": o.rate_limit.map(|(r, s)| json!({"requests": r, "per_seconds": s}))}))
                .collect();
            ok(Value::Array(ops))
        }
        ("GET", "requests") => ok(serde_json::to_value(shared.requests()).unwrap_or_default()),
        ("DELETE", "requests") => {
            shared.clear_requests();
            done()
        }
        ("DELETE", "scenarios") => {
            shared.clear_scenario(None);
            done()
        }
        ("PUT", "throttling") => match serde_json::from_slice::<Value>(body).ok().and_then(|v| v.get("enabled").and_then(Value::as_bool)) {
            Some(on) => {
                shared.set_throttling(on);
                done()
            }
            None => bad(400, "expected {\"enabled\": true|false}".into()),
        },
        ("PUT", "site") => match serde_json::from_slice::<Value>(body).ok().and_then(|v| v.get("site").and_then(Value::as_str).map(str::to_string)) {
            Some(site) => match shared.set_site(&site) {
                Ok(()) => done(),
                Err(e) => bad(400, e),
            },
            None => bad(400, "expected {\"site\": \"international\"|\"china\"}".into()),
        },
        ("POST", "reset") => {
            shared.reset();
            done()
        }
        (_, rest) if rest.starts_with("scenarios/") => {
            let operation = &rest["scenarios/".len()..];
            match method {
                "PUT" => match serde_json::from_slice::<Scenario>(body) {
                    Ok(s) => match shared.set_scenario(operation, s) {
                        Ok(()) => done(),
                        Err(e) => bad(400, e.to_string()),
                    },
                    Err(e) => bad(400, format!("not a scenario: {e}")),
                },
                "DELETE" => {
                    shared.clear_scenario(Some(operation));
                    done()
                }
                _ => bad(405, format!("{method} is not supported on /_emulator/{rest}")),
            }
        }
        _ => bad(404, format!("no control endpoint {method} /_emulator/{rest}")),
    }
}
