//! What every error of the generated client says about itself, against a fault-injecting server
//! on 127.0.0.1: its class, typed code, message, request id, status, attempts, whether and why
//! it may be retried, and whether the call may have reached the service (with the query that
//! shows the outcome of an operation that is not idempotent); that sensitive parameters stay out
//! of errors and logs; the wrong-site explanation; and both documented error-body shapes.

use std::error::Error as _;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bss_tests::fault_server::{
    AK, FaultServer, SK, Step, client_builder, list_service_types, pay_order, request_id,
};
use huaweicloud_bss::budgets::ShowSubCustomerBudgetRequest;
use huaweicloud_bss::orders::{
    CancelCustomerOrderBody, CancelCustomerOrderRequest, ListCustomerOrdersRequest,
    ShowCustomerOrderDetailsRequest,
};
use huaweicloud_bss::products::ListServiceTypesRequest;
use huaweicloud_bss::request::OperationMeta;
use huaweicloud_bss::{
    Client, ClientBuilder, Credentials, Delivery, Error, ErrorCode, ErrorKind,
    ProvideErrorMetadata, RetryPolicy, RetryReason,
};

const ORDER_ID: &str = "CS2403SECRETORDER77";
const CUSTOMER_ID: &str = "customer-secret-0815";

fn builder(server: &FaultServer) -> ClientBuilder {
    client_builder(server).retry_policy(
        RetryPolicy::default()
            .with_initial_backoff(Duration::from_millis(2))
            .with_max_backoff(Duration::from_millis(5)),
    )
}

fn client(server: &FaultServer) -> Client {
    builder(server).build().expect("client")
}

/// The error's Display with every source below it, as an application logging it would print.
fn chain(error: &Error) -> String {
    let mut text = error.to_string();
    let mut next = error.source();
    while let Some(e) = next {
        text.push_str(" <- ");
        text.push_str(&e.to_string());
        next = e.source();
    }
    text
}

// ---- did it happen? ------------------------------------------------------------------------

#[tokio::test]
async fn a_refused_connection_was_never_sent_and_may_be_retried() {
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr")
    };
    let client = Client::builder()
        .endpoint(format!("http://{closed}"))
        .credentials(Credentials::aksk(AK, SK))
        .retry_policy(RetryPolicy::disabled())
        .rate_limiting(false)
        .build()
        .expect("client");
    let error = client
        .pay_orders(pay_order(ORDER_ID))
        .await
        .expect_err("nobody listens");
    let m = error.metadata();
    assert_eq!(
        (m.operation, m.kind, m.delivery, m.attempts),
        (Some("PayOrders"), ErrorKind::Connect, Delivery::NotSent, 1)
    );
    assert!(m.retry.is_retryable());
    assert_eq!(m.retry.reason(), RetryReason::ConnectFailed);
    assert_eq!((m.code, m.status, m.request_id), (None, None, None));
    let Error::Transport { source, .. } = &error else {
        panic!("expected a transport error, got {error:?}");
    };
    assert!(source.is_connect() && !source.is_timeout());
    assert!(chain(&error).contains("never sent"), "{}", chain(&error));
}

#[tokio::test]
async fn a_payment_whose_connection_broke_may_have_been_processed() {
    for fault in [Step::Reset, Step::Close] {
        let server = FaultServer::start(vec![fault.clone(), Step::empty(204)]).await;
        let error = client(&server)
            .pay_orders(pay_order(ORDER_ID))
            .await
            .expect_err("broken");
        assert_eq!(error.kind(), ErrorKind::ConnectionBroken, "{fault:?}");
        assert_eq!(error.delivery(), Delivery::MayHaveBeenProcessed);
        assert!(error.delivery().may_have_been_processed());
        assert!(!error.retry().is_retryable());
        assert_eq!(error.retry().reason(), RetryReason::NotIdempotent);
        assert_eq!(error.outcome_lookup(), Some("ShowCustomerOrderDetails"));
        assert_eq!(error.attempts(), 1);
        assert_eq!(server.count(), 1);
        assert!(
            error.to_string().contains(
                "may have been processed (look the outcome up with ShowCustomerOrderDetails"
            ),
            "{error}"
        );
    }
}

#[tokio::test]
async fn a_query_whose_connection_broke_is_retryable_and_needs_no_lookup() {
    let server = FaultServer::start(vec![Step::Reset]).await;
    let error = builder(&server)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("client")
        .list_service_types(list_service_types())
        .await
        .expect_err("reset");
    assert_eq!(
        (error.kind(), error.delivery()),
        (ErrorKind::ConnectionBroken, Delivery::MayHaveBeenProcessed)
    );
    assert!(error.retry().is_retryable());
    assert_eq!(error.retry().reason(), RetryReason::ConnectionBroken);
    assert_eq!(error.outcome_lookup(), None);
}

#[tokio::test]
async fn a_payment_that_timed_out_may_have_been_processed() {
    let server = FaultServer::start(vec![Step::empty(204).after(Duration::from_millis(600))]).await;
    let error = builder(&server)
        .timeout(Duration::from_millis(100))
        .build()
        .expect("client")
        .pay_orders(pay_order(ORDER_ID))
        .await
        .expect_err("timed out");
    let Error::Timeout { source, .. } = &error else {
        panic!("expected a timeout, got {error:?}");
    };
    assert!(source.is_timeout() && !source.is_connect());
    assert_eq!(
        (error.kind(), error.delivery(), error.retry().reason()),
        (
            ErrorKind::Timeout,
            Delivery::MayHaveBeenProcessed,
            RetryReason::NotIdempotent
        )
    );
    assert_eq!(error.outcome_lookup(), Some("ShowCustomerOrderDetails"));
}

#[tokio::test]
async fn a_server_error_of_a_payment_may_have_been_processed() {
    let body = r#"{"error_code":"CBC.0999","error_msg":"Other errors."}"#;
    let server = FaultServer::start(vec![Step::json(503, body)]).await;
    let error = client(&server)
        .pay_orders(pay_order(ORDER_ID))
        .await
        .expect_err("503");
    let m = error.metadata();
    assert_eq!(m.kind, ErrorKind::ServerError);
    assert_eq!(m.code, Some(&ErrorCode::Cbc0999));
    assert_eq!(m.message, Some("Other errors."));
    assert_eq!(m.status, Some(503));
    assert_eq!(m.request_id, Some(request_id(0).as_str()));
    assert_eq!(m.delivery, Delivery::MayHaveBeenProcessed);
    assert_eq!(
        (m.retry.is_retryable(), m.retry.reason()),
        (false, RetryReason::NotIdempotent)
    );
    assert!(
        error
            .to_string()
            .ends_with("may have been processed (look the outcome up with ShowCustomerOrderDetails before sending it again)"),
        "{error}"
    );
    // The service error says the same about itself.
    assert_eq!(error.as_service().expect("service").metadata(), m);
}

#[tokio::test]
async fn a_business_error_was_refused_and_is_not_retried() {
    let body = r#"{"error_code":"CBC.0100","error_msg":"parameter error."}"#;
    for status in [400, 200] {
        let server = FaultServer::start(vec![Step::json(status, body)]).await;
        let error = client(&server)
            .list_service_types(list_service_types())
            .await
            .expect_err("refused");
        assert_eq!(
            (error.kind(), error.delivery()),
            (ErrorKind::Service, Delivery::Refused)
        );
        assert_eq!(
            (error.retry().is_retryable(), error.retry().reason()),
            (false, RetryReason::Refused)
        );
        // Matched as a typed code, with its documented facts.
        match error.code() {
            Some(ErrorCode::Cbc0100) => {}
            other => panic!("expected CBC.0100, got {other:?}"),
        }
        let code = error.code().expect("code");
        assert_eq!((code.as_str(), code.http_status()), ("CBC.0100", Some(400)));
        assert!(code.operations().contains(&"ListServiceTypes"));
        assert_eq!(server.count(), 1);
    }
}

#[tokio::test]
async fn throttling_was_refused_and_may_be_retried_after_the_wait() {
    let body = r#"{"error_code":"APIGW.0308","error_message":"throttled"}"#;
    let server = FaultServer::start(vec![Step::json(429, body).header("Retry-After", "7")]).await;
    let error = builder(&server)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("client")
        .pay_orders(pay_order(ORDER_ID))
        .await
        .expect_err("throttled");
    assert_eq!(
        (error.kind(), error.delivery()),
        (ErrorKind::Throttled, Delivery::Refused)
    );
    let retry = error.retry();
    assert!(retry.is_retryable());
    assert_eq!(
        (retry.reason(), retry.retry_after()),
        (RetryReason::Throttled, Some(Duration::from_secs(7)))
    );
    // Not in the documented table: kept as received.
    assert_eq!(
        error.code(),
        Some(&ErrorCode::Unknown("APIGW.0308".to_string()))
    );
}

#[tokio::test]
async fn an_invalid_request_was_never_sent() {
    let server = FaultServer::start(vec![]).await;
    let error = client(&server)
        .list_service_types(ListServiceTypesRequest::new().limit(0))
        .await
        .expect_err("limit below its minimum");
    let m = error.metadata();
    assert_eq!(
        (m.kind, m.delivery, m.attempts, m.retry.reason()),
        (
            ErrorKind::InvalidRequest,
            Delivery::NotSent,
            0,
            RetryReason::InvalidRequest
        )
    );
    assert_eq!(server.count(), 0);
}

#[test]
fn every_operation_that_is_not_idempotent_names_how_to_look_its_outcome_up() {
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let model = bss_codegen::load(&spec).expect("spec/ loads");
    let mut checked = 0;
    for op in model.operations().filter(|o| !o.idempotent) {
        match &op.outcome_lookup {
            Some(bss_codegen::ir::OutcomeLookup::Operation(id)) => {
                let target = model
                    .operations()
                    .find(|o| &o.id == id)
                    .expect("checked by lint");
                assert!(target.idempotent, "{}: {id} is not a query", op.id);
                // The operation's rustdoc links the lookup as a method of the same `Client`
                // impl, which exists whenever the operation's own cargo feature is on.
                assert_eq!(
                    target.group, op.group,
                    "{}: {id} is in another group",
                    op.id
                );
            }
            Some(bss_codegen::ir::OutcomeLookup::None(why)) => {
                assert!(!why.is_empty(), "{}", op.id)
            }
            None => panic!(
                "{} is not idempotent but spec/ gives it no outcome_lookup",
                op.id
            ),
        }
        checked += 1;
    }
    assert!(checked >= 29, "{checked}");
    assert_eq!(
        huaweicloud_bss::orders::PAY_ORDERS.outcome_lookup,
        Some("ShowCustomerOrderDetails")
    );
    assert_eq!(
        huaweicloud_bss::orders::LIST_CUSTOMER_ORDERS.outcome_lookup,
        None
    );
    assert_eq!(
        huaweicloud_bss::orders::LIST_CUSTOMER_ORDERS.sensitive_params,
        &["order_id", "customer_id", "indirect_partner_id"]
    );
}

// ---- typed codes ---------------------------------------------------------------------------

#[test]
fn documented_codes_are_typed_and_unknown_ones_kept() {
    assert!(ErrorCode::DOCUMENTED.len() > 200);
    for code in &ErrorCode::DOCUMENTED {
        let info = code.info().expect("a documented code has its row");
        assert_eq!(ErrorCode::from(info.code), *code);
        assert_eq!(code.to_string(), info.code);
    }
    assert_eq!(ErrorCode::from("CBC.0156"), ErrorCode::Cbc0156);
    assert_eq!(
        ErrorCode::Cbc0156.message(),
        Some("Access denied. The customer does not belong to the website you are now at.")
    );
    let unknown: ErrorCode = "CBC.4242".parse().expect("infallible");
    assert_eq!(unknown, ErrorCode::Unknown("CBC.4242".into()));
    assert_eq!(
        (unknown.as_str(), unknown.info(), unknown.operations()),
        ("CBC.4242", None, &[][..])
    );
}

#[test]
fn each_operation_lists_its_documented_codes_typed() {
    let meta: &OperationMeta = &huaweicloud_bss::budgets::SHOW_SUB_CUSTOMER_BUDGET;
    let codes: Vec<(u16, ErrorCode)> = meta.documented_codes().collect();
    assert!(codes.contains(&(403, ErrorCode::Cbc0150)), "{codes:?}");
    for (_, code) in &codes {
        assert!(
            code.operations().contains(&meta.id),
            "{code} does not name {}",
            meta.id
        );
    }
}

// ---- what errors print ---------------------------------------------------------------------

/// Everything a tracing subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn sensitive_parameters_stay_out_of_errors_and_logs() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let mut printed = Vec::new();
    // Query parameters, a broken connection and a timeout.
    for step in [
        Step::Reset,
        Step::empty(200).after(Duration::from_millis(600)),
    ] {
        let server = FaultServer::start(vec![step]).await;
        let request = ListCustomerOrdersRequest::new()
            .order_id(ORDER_ID)
            .customer_id(CUSTOMER_ID)
            .limit(10);
        let error = builder(&server)
            .retry_policy(RetryPolicy::disabled())
            .timeout(Duration::from_millis(100))
            .build()
            .expect("client")
            .list_customer_orders(request)
            .await
            .expect_err("no answer");
        let url = match &error {
            Error::Transport { source, .. } | Error::Timeout { source, .. } => source.url(),
            other => panic!("expected a transport error, got {other:?}"),
        };
        assert!(
            url.contains("order_id=<redacted>") && url.contains("customer_id=<redacted>"),
            "{url}"
        );
        assert!(url.contains("limit=10"), "other values stay: {url}");
        printed.push(chain(&error));
        printed.push(format!("{error:?}"));
    }
    // A path parameter.
    let server = FaultServer::start(vec![Step::Reset]).await;
    let error = builder(&server)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("client")
        .show_customer_order_details(ShowCustomerOrderDetailsRequest::new(ORDER_ID))
        .await
        .expect_err("reset");
    assert!(
        chain(&error).contains("/v2/orders/customer-orders/details/<redacted>"),
        "{}",
        chain(&error)
    );
    printed.push(chain(&error));
    printed.push(format!("{error:?}"));

    let log = String::from_utf8_lossy(&captured.0.lock().expect("lock")).into_owned();
    assert!(!log.is_empty(), "the subscriber saw the calls");
    for text in printed.iter().chain([&log]) {
        for secret in [ORDER_ID, CUSTOMER_ID] {
            assert!(!text.contains(secret), "`{secret}` leaked:\n{text}");
        }
    }
}

#[tokio::test]
async fn wrong_site_errors_say_which_site_was_called_and_that_the_other_exists() {
    for code in ["CBC.0150", "CBC.0156"] {
        let body = format!(r#"{{"error_code":"{code}","error_msg":"Access denied."}}"#);
        let server = FaultServer::start(vec![Step::json(403, &body)]).await;
        let error = client(&server)
            .show_sub_customer_budget(ShowSubCustomerBudgetRequest::new(CUSTOMER_ID))
            .await
            .expect_err("wrong site");
        assert_eq!(error.kind(), ErrorKind::WrongSite);
        assert!(error.as_service().is_some_and(|e| e.is_wrong_site()));
        let text = error.to_string();
        for part in [
            server.url.as_str(),
            "does not belong to the site this client calls",
            "https://bss-intl.myhuaweicloud.com",
            "https://bss.myhuaweicloud.com",
        ] {
            assert!(text.contains(part), "{code}: `{part}` missing from: {text}");
        }
    }
    // Any other 403 is not about the site.
    let server = FaultServer::start(vec![Step::json(
        403,
        r#"{"error_code":"CBC.0151","error_msg":"Access denied."}"#,
    )])
    .await;
    let error = client(&server)
        .show_sub_customer_budget(ShowSubCustomerBudgetRequest::new(CUSTOMER_ID))
        .await
        .expect_err("forbidden");
    assert_eq!(error.kind(), ErrorKind::Service);
    assert!(!error.to_string().contains("site"), "{error}");
}

// ---- error bodies --------------------------------------------------------------------------

#[tokio::test]
async fn both_documented_error_body_shapes_are_read() {
    let cancel = || CancelCustomerOrderRequest::new(CancelCustomerOrderBody::new(ORDER_ID));
    for (status, body) in [
        (
            400,
            r#"{"error_code":"CBC.30000010","error_msg":"shape one"}"#,
        ),
        (
            400,
            r#"{"error_code":"CBC.30000010","error_message":"shape two"}"#,
        ),
        (
            200,
            r#"{"error_code":"CBC.30000010","error_message":"shape two in a 200"}"#,
        ),
    ] {
        let server = FaultServer::start(vec![Step::json(status, body)]).await;
        let error = client(&server)
            .cancel_customer_order(cancel())
            .await
            .expect_err(body);
        let expected: serde_json::Value = serde_json::from_str(body).expect("json");
        let message = expected
            .get("error_msg")
            .or_else(|| expected.get("error_message"))
            .and_then(|m| m.as_str());
        assert_eq!(error.message(), message, "{body}");
        assert_eq!(error.code().map(ErrorCode::as_str), Some("CBC.30000010"));
        assert_eq!(error.status(), Some(status));
        assert_eq!(error.delivery(), Delivery::Refused);
    }
}

#[tokio::test]
async fn the_raw_body_of_an_error_is_kept_unless_blank() {
    let body =
        r#"{"error_code":"CBC.0100","error_msg":"parameter error.","quota_info":{"left":3}}"#;
    let server = FaultServer::start(vec![Step::json(400, body), Step::json(400, "")]).await;
    let client = client(&server);
    let error = client
        .list_service_types(list_service_types())
        .await
        .expect_err("400");
    let e = error.as_service().expect("service error");
    assert_eq!(
        e.raw_body.as_deref(),
        Some(body),
        "kept although it was readable"
    );
    assert!(
        format!("{error:?}").contains(&format!("raw_body_len: Some({})", body.len())),
        "{error:?}"
    );
    let error = client
        .list_service_types(list_service_types())
        .await
        .expect_err("400");
    assert_eq!(error.as_service().and_then(|e| e.raw_body.as_deref()), None);
    assert_eq!(server.count(), 2);
}
