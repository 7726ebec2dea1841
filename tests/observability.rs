//! Tracing of the generated client: every call gets a span with the operation id, every attempt
//! one with its number, HTTP status and request id; no credential, signature, header value or
//! body ever reaches a tracing event or span.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bss_tests::fault_server::{FaultServer, Step};
use huaweicloud_bss::customers::{CreateCustomerV2Body, CreateSubCustomerRequest};
use huaweicloud_bss::products::ListServiceTypesRequest;
use huaweicloud_bss::{Client, Credentials, RetryPolicy};
use tracing_subscriber::fmt::format::FmtSpan;

const AK: &str = "TRACEACCESSKEY0000001";
const SK: &str = "trace-secret-key-must-never-be-logged";
const SECURITY_TOKEN: &str = "trace-security-token-must-never-be-logged";
const IAM_TOKEN: &str = "trace-iam-token-must-never-be-logged";
const PASSWORD: &str = "Pa55word-never-logged";
const VERIFICATION_CODE: &str = "739184";
const EMAIL: &str = "never.logged@example.com";
const BODY_MARKER: &str = "response-body-marker-never-logged";
const ERROR_MESSAGE_MARKER: &str = "error-message-marker-never-logged";

/// Everything the subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("capture lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("capture lock")).into_owned()
    }
}

/// Runs `f` with a subscriber that records every span and event at TRACE level, and returns
/// what it wrote.
async fn traced<F: std::future::Future<Output = ()>>(f: F) -> String {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::NEW | FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // The test runtime is single-threaded, so every task of the call (and the server) logs
    // through this subscriber.
    let _guard = tracing::subscriber::set_default(subscriber);
    f.await;
    captured.text()
}

fn assert_absent(log: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(
            !log.contains(secret),
            "`{secret}` leaked into the tracing output:\n{log}"
        );
    }
}

#[tokio::test]
async fn spans_carry_operation_attempt_status_and_request_id_but_no_secret() {
    let server = FaultServer::start(vec![
        Step::json(
            429,
            r#"{"error_code":"APIGW.0308","error_msg":"throttled"}"#,
        ),
        Step::json(
            200,
            &format!(r#"{{"domain_id":"d-1","domain_name":"{BODY_MARKER}"}}"#),
        ),
    ])
    .await;
    let client = Client::builder()
        .endpoint(&server.url)
        .credentials(
            Credentials::aksk(AK, SK)
                .with_security_token(SECURITY_TOKEN)
                .with_domain_id("domain-0001"),
        )
        .retry_policy(RetryPolicy::default().with_initial_backoff(Duration::from_millis(1)))
        .rate_limiting(false)
        .build()
        .expect("client");
    let body = CreateCustomerV2Body::new("partner-user-1", "partner-platform")
        .domain_area("MX")
        .email(EMAIL)
        .verification_code(VERIFICATION_CODE)
        .password(PASSWORD);
    let log = traced(async {
        let response = client
            .create_sub_customer(CreateSubCustomerRequest::new(body))
            .await
            .expect("created on the second attempt");
        assert_eq!(response.attempts(), 2);
    })
    .await;

    // What must be there: the call span, both attempts with their status and request id.
    for expected in [
        "bss.call",
        "operation=\"CreateSubCustomer\"",
        "bss.attempt",
        "attempt=1",
        "attempt=2",
        "status=429",
        "status=200",
        "request_id=\"req-0\"",
        "request_id=\"req-1\"",
        "attempts=2",
        "retrying",
    ] {
        assert!(
            log.contains(expected),
            "`{expected}` missing from the tracing output:\n{log}"
        );
    }
    // What must not: credentials, the signatures actually sent, sensitive body fields, bodies.
    let received = server.received();
    assert_eq!(received.len(), 2);
    let signatures: Vec<&str> = received
        .iter()
        .map(|r| r.header("Authorization").expect("signed"))
        .collect();
    assert_absent(&log, &signatures);
    assert_absent(
        &log,
        &[
            AK,
            SK,
            SECURITY_TOKEN,
            PASSWORD,
            VERIFICATION_CODE,
            EMAIL,
            BODY_MARKER,
            "partner-user-1",
        ],
    );
}

#[tokio::test]
async fn error_answers_and_token_credentials_are_traced_without_secrets() {
    let server = FaultServer::start(vec![Step::json(
        400,
        &format!(r#"{{"error_code":"CBC.0100","error_msg":"{ERROR_MESSAGE_MARKER}"}}"#),
    )])
    .await;
    let client = Client::builder()
        .endpoint(&server.url)
        .credentials(Credentials::token(IAM_TOKEN))
        .build()
        .expect("client");
    let log = traced(async {
        let error = client
            .list_service_types(ListServiceTypesRequest::new().limit(10))
            .await
            .expect_err("HTTP 400");
        assert_eq!(error.status(), Some(400));
    })
    .await;
    for expected in [
        "operation=\"ListServiceTypes\"",
        "attempt=1",
        "status=400",
        "request_id=\"req-0\"",
        "CBC.0100",
    ] {
        assert!(
            log.contains(expected),
            "`{expected}` missing from the tracing output:\n{log}"
        );
    }
    assert_absent(&log, &[IAM_TOKEN, ERROR_MESSAGE_MARKER]);
    assert_eq!(
        server.received()[0].header("X-Auth-Token"),
        Some(IAM_TOKEN),
        "the token was sent, so its absence from the log means something"
    );
}
