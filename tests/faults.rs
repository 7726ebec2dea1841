//! The generated client against a fault-injecting server on 127.0.0.1: throttling, server
//! errors, broken connections, timeouts, bad bodies. Every test asserts the exact outcome, the
//! number of attempts the client reports and the number of requests the server received, and
//! that an operation the spec does not mark idempotent is never sent twice once it may have
//! reached the service.

use std::time::Duration;

use bss_tests::fault_server::{
    AK, FaultServer, Received, SERVICE_TYPES, SK, Step, client_builder, list_service_types,
    pay_order, request_id,
};
use huaweicloud_bss::customers::{FreezeSubCustomersBody, FreezeSubCustomersRequest};
use huaweicloud_bss::subscriptions::{
    CancelResourcesSubscriptionRequest, UnsubscribeResourcesBody, UnsubscribeType,
};
use huaweicloud_bss::{Client, ClientBuilder, Credentials, Error, RetryPolicy};

/// The order the payment tests pay.
const ORDER_ID: &str = "CS2403011200ABCDE";

const THROTTLED: &str = r#"{"status_code":429,"request_id":"7e6c1c610","error_code":"APIGW.0308","error_message":"The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 second","encoded_authorization_message":""}"#;
const OTHER_ERROR: &str = r#"{"error_code":"CBC.0999","error_msg":"Other errors."}"#;

/// Three attempts with waits of at most a few milliseconds.
fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(2))
        .with_max_backoff(Duration::from_millis(10))
        .with_max_retry_after(Duration::from_millis(20))
}

fn builder(server: &FaultServer) -> ClientBuilder {
    client_builder(server).retry_policy(quick_retries())
}

fn client(server: &FaultServer) -> Client {
    builder(server).build().expect("client")
}

fn service_error(error: &Error) -> &huaweicloud_bss::ServiceError {
    error
        .as_service()
        .unwrap_or_else(|| panic!("expected a service error, got {error:?}"))
}

/// Every request the server received carries the same call: method, target and body.
fn assert_same_call(received: &[Received]) {
    let first = &received[0];
    for r in received {
        assert_eq!(
            (&r.method, &r.target, &r.body),
            (&first.method, &first.target, &first.body)
        );
    }
}

// ---- throttling ----------------------------------------------------------------------------

#[tokio::test]
async fn throttled_payment_is_retried_because_the_gateway_refused_it() {
    let server = FaultServer::start(vec![Step::json(429, THROTTLED), Step::empty(204)]).await;
    let response = client(&server)
        .pay_orders(pay_order(ORDER_ID))
        .await
        .expect("paid on the second attempt");
    assert_eq!(response.attempts(), 2);
    assert_eq!(response.status(), 204);
    assert_eq!(response.request_id(), Some(request_id(1).as_str()));
    assert_eq!(server.count(), 2);
    assert_same_call(&server.received());
}

#[tokio::test]
async fn throttling_code_with_429_is_retried_until_attempts_run_out() {
    let apig = r#"{"error_code":"APIG.0308","error_msg":"The request is throttled."}"#;
    let server = FaultServer::start(vec![
        Step::json(429, apig),
        Step::json(429, THROTTLED),
        Step::json(429, apig),
        Step::json(200, SERVICE_TYPES),
    ])
    .await;
    let error = client(&server)
        .list_service_types(list_service_types())
        .await
        .expect_err("3 attempts, all throttled");
    let e = service_error(&error);
    assert_eq!(
        (e.status, e.code().map(|c| c.as_str()), e.attempts),
        (429, Some("APIG.0308"), 3)
    );
    assert!(e.is_throttling());
    assert_eq!(error.attempts(), 3);
    assert_eq!(error.request_id(), Some(request_id(2).as_str()));
    assert_eq!(server.count(), 3, "max_attempts bounds the calls");
}

#[tokio::test]
async fn retry_after_is_honoured_and_every_attempt_is_signed_afresh() {
    let server = FaultServer::start(vec![
        Step::json(429, THROTTLED).header("Retry-After", "1"),
        Step::json(200, SERVICE_TYPES),
    ])
    .await;
    let policy = quick_retries().with_max_retry_after(Duration::from_secs(5));
    let client = builder(&server)
        .retry_policy(policy)
        .build()
        .expect("client");
    let response = client
        .list_service_types(list_service_types())
        .await
        .expect("second attempt succeeds");
    assert_eq!(response.attempts(), 2);
    assert_eq!(response.total_count, Some(1));
    let received = server.received();
    assert_eq!(received.len(), 2);
    let gap = received[1].at - received[0].at;
    assert!(
        gap >= Duration::from_millis(950),
        "Retry-After: 1 was not honoured (gap {gap:?})"
    );
    // One second apart, so the dates (second resolution) and signatures differ; both verify.
    let dates: Vec<&str> = received
        .iter()
        .map(|r| r.header("X-Sdk-Date").expect("X-Sdk-Date"))
        .collect();
    assert_ne!(
        dates[0], dates[1],
        "the retry must carry a fresh X-Sdk-Date"
    );
    assert_ne!(
        received[0].header("Authorization"),
        received[1].header("Authorization")
    );
    for r in &received {
        assert_signature_valid(r);
    }
}

#[tokio::test]
async fn retry_after_is_capped() {
    let server = FaultServer::start(vec![
        Step::json(429, THROTTLED).header("Retry-After", "3600"),
        Step::json(200, SERVICE_TYPES),
    ])
    .await;
    // The cap is 20 ms: an uncapped wait would exceed max_elapsed and give up instead.
    let response = client(&server)
        .list_service_types(list_service_types())
        .await
        .expect("retried after the cap");
    assert_eq!(response.attempts(), 2);
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_retry_that_would_pass_the_elapsed_budget_is_not_started() {
    let server = FaultServer::start(vec![
        Step::json(503, OTHER_ERROR).header("Retry-After", "5"),
        Step::json(200, SERVICE_TYPES),
    ])
    .await;
    let policy = quick_retries()
        .with_max_retry_after(Duration::from_secs(10))
        .with_max_elapsed(Duration::from_millis(500));
    let client = builder(&server)
        .retry_policy(policy)
        .build()
        .expect("client");
    let error = client
        .list_service_types(list_service_types())
        .await
        .expect_err("gives up at once");
    let e = service_error(&error);
    assert_eq!(
        (e.status, e.attempts, e.retry_after),
        (503, 1, Some(Duration::from_secs(5)))
    );
    assert_eq!(server.count(), 1);
}

// ---- server errors -------------------------------------------------------------------------

#[tokio::test]
async fn server_errors_of_a_query_are_retried() {
    for statuses in [[500, 503], [502, 504]] {
        let server = FaultServer::start(vec![
            Step::json(statuses[0], OTHER_ERROR),
            Step::json(statuses[1], ""),
            Step::json(200, SERVICE_TYPES),
        ])
        .await;
        let response = client(&server)
            .list_service_types(list_service_types())
            .await
            .expect("third attempt succeeds");
        assert_eq!(response.attempts(), 3, "{statuses:?}");
        assert_eq!(response.request_id(), Some(request_id(2).as_str()));
        assert_eq!(
            response
                .service_types
                .as_ref()
                .and_then(|s| s[0].service_type_code.as_deref()),
            Some("hws.service.type.ec2")
        );
        assert_eq!(server.count(), 3);
        assert_same_call(&server.received());
    }
}

#[tokio::test]
async fn server_errors_of_a_query_stop_after_max_attempts() {
    let server = FaultServer::start(vec![Step::json(503, OTHER_ERROR); 5]).await;
    let error = client(&server)
        .list_service_types(list_service_types())
        .await
        .expect_err("always 503");
    let e = service_error(&error);
    assert_eq!(
        (e.status, e.code().map(|c| c.as_str()), e.attempts),
        (503, Some("CBC.0999"), 3)
    );
    assert_eq!(e.documented().map(|d| d.message), Some("Other errors."));
    assert!(error.to_string().ends_with("after 3 attempts"), "{error}");
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn server_errors_of_a_payment_are_never_retried() {
    for status in [500, 502, 503, 504] {
        let server =
            FaultServer::start(vec![Step::json(status, OTHER_ERROR), Step::empty(204)]).await;
        let error = client(&server)
            .pay_orders(pay_order(ORDER_ID))
            .await
            .expect_err("no retry");
        let e = service_error(&error);
        assert_eq!((e.status, e.attempts), (status, 1));
        assert_eq!(e.request_id.as_deref(), Some(request_id(0).as_str()));
        assert_eq!(
            server.count(),
            1,
            "HTTP {status}: a payment must be sent exactly once"
        );
    }
}

#[tokio::test]
async fn retries_can_be_disabled() {
    let server = FaultServer::start(vec![
        Step::json(429, THROTTLED),
        Step::json(200, SERVICE_TYPES),
    ])
    .await;
    let client = builder(&server)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("client");
    let error = client
        .list_service_types(list_service_types())
        .await
        .expect_err("sent once");
    assert_eq!((error.status(), error.attempts()), (Some(429), 1));
    assert_eq!(server.count(), 1);
}

// ---- broken connections and timeouts -------------------------------------------------------

#[tokio::test]
async fn connection_reset_or_closed_retries_a_query() {
    for fault in [Step::Reset, Step::Close] {
        let server = FaultServer::start(vec![fault.clone(), Step::json(200, SERVICE_TYPES)]).await;
        let response = client(&server)
            .list_service_types(list_service_types())
            .await
            .expect("second attempt succeeds");
        assert_eq!(response.attempts(), 2, "{fault:?}");
        assert_eq!(server.count(), 2);
        assert_eq!(
            server.connections(),
            2,
            "the broken connection is not reused"
        );
    }
}

#[tokio::test]
async fn connection_reset_or_closed_is_not_retried_for_money_moving_calls() {
    for fault in [Step::Reset, Step::Close] {
        let server = FaultServer::start(vec![fault.clone(), Step::empty(204)]).await;
        let error = client(&server)
            .pay_orders(pay_order(ORDER_ID))
            .await
            .expect_err("no retry");
        assert!(
            matches!(error, Error::Transport { attempts: 1, .. }),
            "{fault:?}: {error:?}"
        );
        assert_eq!(
            server.count(),
            1,
            "{fault:?}: a payment must be sent exactly once"
        );

        let server = FaultServer::start(vec![fault.clone(), Step::json(200, "{}")]).await;
        let freeze = FreezeSubCustomersRequest::new(FreezeSubCustomersBody::new(
            vec!["customer-1".to_string()],
            "overdue",
        ));
        let error = client(&server)
            .freeze_sub_customers(freeze)
            .await
            .expect_err("no retry");
        assert!(
            matches!(error, Error::Transport { attempts: 1, .. }),
            "{fault:?}: {error:?}"
        );
        assert_eq!(
            server.count(),
            1,
            "{fault:?}: a freeze must be sent exactly once"
        );
    }
}

#[tokio::test]
async fn slow_answer_past_the_timeout_retries_a_query() {
    let server = FaultServer::start(vec![
        Step::json(200, SERVICE_TYPES).after(Duration::from_millis(800)),
        Step::json(200, SERVICE_TYPES),
    ])
    .await;
    let client = builder(&server)
        .timeout(Duration::from_millis(150))
        .build()
        .expect("client");
    let response = client
        .list_service_types(list_service_types())
        .await
        .expect("second attempt in time");
    assert_eq!(response.attempts(), 2);
    assert_eq!(response.request_id(), Some(request_id(1).as_str()));
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn slow_answer_past_the_timeout_is_not_retried_for_a_payment() {
    let server = FaultServer::start(vec![
        Step::empty(204).after(Duration::from_millis(800)),
        Step::empty(204),
    ])
    .await;
    let client = builder(&server)
        .timeout(Duration::from_millis(150))
        .build()
        .expect("client");
    let error = client
        .pay_orders(pay_order(ORDER_ID))
        .await
        .expect_err("timed out");
    match &error {
        Error::Timeout {
            operation,
            attempts,
            source,
        } => {
            assert_eq!((*operation, *attempts), ("PayOrders", 1));
            assert!(source.is_timeout());
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(server.count(), 1, "a payment must be sent exactly once");
}

#[tokio::test]
async fn connect_failures_are_retried_for_every_operation() {
    // A port nobody listens on: the connection is refused, so nothing is ever sent.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr")
    };
    let client = Client::builder()
        .endpoint(format!("http://{closed}"))
        .credentials(Credentials::aksk(AK, SK))
        .retry_policy(quick_retries().with_max_attempts(4))
        .rate_limiting(false)
        .build()
        .expect("client");
    let error = client
        .pay_orders(pay_order(ORDER_ID))
        .await
        .expect_err("nobody listens");
    match &error {
        Error::Transport {
            source, attempts, ..
        } => {
            assert!(source.is_connect(), "{source:?}");
            assert_eq!(*attempts, 4);
        }
        other => panic!("expected a connect error, got {other:?}"),
    }
}

// ---- bodies --------------------------------------------------------------------------------

#[tokio::test]
async fn truncated_body_retries_a_query_only() {
    let cut = Step::Truncated {
        status: 200,
        declared: SERVICE_TYPES.len(),
        body: SERVICE_TYPES.as_bytes()[..20].to_vec(),
    };
    let server = FaultServer::start(vec![cut.clone(), Step::json(200, SERVICE_TYPES)]).await;
    let response = client(&server)
        .list_service_types(list_service_types())
        .await
        .expect("second attempt complete");
    assert_eq!(response.attempts(), 2);
    assert_eq!(server.count(), 2);

    let server = FaultServer::start(vec![cut, Step::empty(204)]).await;
    let error = client(&server)
        .pay_orders(pay_order(ORDER_ID))
        .await
        .expect_err("truncated answer");
    assert!(
        matches!(error, Error::Transport { attempts: 1, .. }),
        "{error:?}"
    );
    assert_eq!(server.count(), 1, "a payment must be sent exactly once");
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_the_raw_body() {
    let body = r#"{"total_count":1,"service_types":[{"service_type_code":"#;
    let server =
        FaultServer::start(vec![Step::json(200, body), Step::json(200, SERVICE_TYPES)]).await;
    let error = client(&server)
        .list_service_types(list_service_types())
        .await
        .expect_err("malformed");
    match &error {
        Error::Decode {
            operation,
            status,
            body: raw,
            request_id: id,
            attempts,
            reason,
        } => {
            assert_eq!(
                (*operation, *status, *attempts),
                ("ListServiceTypes", 200, 1)
            );
            assert_eq!(
                raw.as_slice(),
                body.as_bytes(),
                "the raw body is kept exactly"
            );
            assert_eq!(id.as_deref(), Some(request_id(0).as_str()));
            assert!(reason.contains("EOF"), "{reason}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(server.count(), 1, "an undecodable answer is not retried");
}

#[tokio::test]
async fn wrong_types_are_a_decode_error() {
    for body in [
        r#"{"total_count":"many","service_types":[]}"#,
        r#"{"total_count":1,"service_types":{"service_type_code":"x"}}"#,
        r#"{"total_count":1,"service_types":[{"service_type_code":17}]}"#,
        r#"[1,2,3]"#,
    ] {
        let server = FaultServer::start(vec![Step::json(200, body)]).await;
        let error = client(&server)
            .list_service_types(list_service_types())
            .await
            .expect_err(body);
        match &error {
            Error::Decode {
                body: raw,
                reason,
                attempts: 1,
                ..
            } => {
                assert_eq!(raw.as_slice(), body.as_bytes());
                assert!(reason.contains("invalid type"), "{body}: {reason}");
            }
            other => panic!("{body}: expected a decode error, got {other:?}"),
        }
        assert_eq!(server.count(), 1);
    }
}

#[tokio::test]
async fn oversized_body_is_refused_with_or_without_content_length() {
    let padding = "x".repeat(4096);
    let big =
        format!(r#"{{"total_count":1,"service_types":[{{"service_type_name":"{padding}"}}]}}"#);
    for step in [
        Step::json(200, &big),
        Step::Chunked {
            status: 200,
            body: big.clone().into_bytes(),
        },
    ] {
        let server = FaultServer::start(vec![step.clone(), Step::json(200, SERVICE_TYPES)]).await;
        let client = builder(&server)
            .max_response_bytes(1024)
            .build()
            .expect("client");
        let error = client
            .list_service_types(list_service_types())
            .await
            .expect_err("too large");
        match &error {
            Error::ResponseTooLarge {
                operation,
                status,
                limit,
                request_id: id,
                attempts,
            } => {
                assert_eq!(
                    (*operation, *status, *limit, *attempts),
                    ("ListServiceTypes", 200, 1024, 1)
                );
                assert_eq!(id.as_deref(), Some(request_id(0).as_str()));
            }
            other => panic!("expected ResponseTooLarge, got {other:?}"),
        }
        assert!(
            error
                .to_string()
                .contains("exceeds the limit of 1024 bytes"),
            "{error}"
        );
        assert_eq!(server.count(), 1, "an oversized answer is not retried");
    }
    // A body of exactly the limit is read.
    let server = FaultServer::start(vec![Step::json(200, SERVICE_TYPES)]).await;
    let client = builder(&server)
        .max_response_bytes(SERVICE_TYPES.len())
        .build()
        .expect("client");
    assert_eq!(
        client
            .list_service_types(list_service_types())
            .await
            .expect("fits")
            .total_count,
        Some(1)
    );
}

#[tokio::test]
async fn http_200_with_an_error_code_is_a_service_error() {
    let body = r#"{"error_code":"CBC.0100","error_msg":"parameter error."}"#;
    let server =
        FaultServer::start(vec![Step::json(200, body), Step::json(200, SERVICE_TYPES)]).await;
    let error = client(&server)
        .list_service_types(list_service_types())
        .await
        .expect_err("error code in a 200 body");
    let e = service_error(&error);
    assert_eq!(
        (
            e.status,
            e.code().map(|c| c.as_str()),
            e.message.as_deref(),
            e.attempts
        ),
        (200, Some("CBC.0100"), Some("parameter error."), 1)
    );
    assert_eq!(e.request_id.as_deref(), Some(request_id(0).as_str()));
    assert_eq!(e.operation, "ListServiceTypes");
    assert_eq!(e.raw_body.as_deref(), Some(body));
    assert_eq!(e.documented().map(|d| d.http_status), Some(400));
    assert_eq!(server.count(), 1, "a business error is not retried");

    // CBC.0000 is the success code.
    let ok =
        r#"{"error_code":"CBC.0000","error_msg":"success","total_count":0,"service_types":[]}"#;
    let server = FaultServer::start(vec![Step::json(200, ok)]).await;
    let response = client(&server)
        .list_service_types(list_service_types())
        .await
        .expect("CBC.0000 is success");
    assert_eq!(response.total_count, Some(0));
}

#[tokio::test]
async fn partial_failures_in_a_200_body_are_returned_typed() {
    let body = r#"{"error_details":[{"id":"customer-2","error_code":"CBC.99000002","error_msg":"The customer does not exist."}]}"#;
    let server = FaultServer::start(vec![Step::json(200, body)]).await;
    let freeze = FreezeSubCustomersRequest::new(FreezeSubCustomersBody::new(
        vec!["customer-1".to_string(), "customer-2".to_string()],
        "overdue",
    ));
    let response = client(&server)
        .freeze_sub_customers(freeze)
        .await
        .expect("partial success is a success");
    let failures = response.error_details.as_deref().expect("failures kept");
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].id.as_deref(), Some("customer-2"));
    assert_eq!(failures[0].error_code.as_deref(), Some("CBC.99000002"));
    assert_eq!(
        failures[0].error_msg.as_deref(),
        Some("The customer does not exist.")
    );
    assert_eq!((response.attempts(), server.count()), (1, 1));

    let body = r#"{"order_ids":["CS24030112000001"],"fail_resource_infos":[{"resource_id":"vm-2","error_code":"CBC.30050023","error_msg":"The resource cannot be unsubscribed."}]}"#;
    let server = FaultServer::start(vec![Step::json(200, body)]).await;
    let unsubscribe = CancelResourcesSubscriptionRequest::new(UnsubscribeResourcesBody::new(
        vec!["vm-1".to_string(), "vm-2".to_string()],
        UnsubscribeType::ResourceAndRenewals,
    ));
    let response = client(&server)
        .cancel_resources_subscription(unsubscribe)
        .await
        .expect("partial success");
    assert_eq!(
        response.order_ids.as_deref(),
        Some(&["CS24030112000001".to_string()][..])
    );
    let failures = response
        .fail_resource_infos
        .as_deref()
        .expect("failures kept");
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].resource_id.as_deref(), Some("vm-2"));
    assert_eq!(failures[0].error_code.as_deref(), Some("CBC.30050023"));
}

// ---- rate limiting -------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clones_share_the_documented_rate_limit() {
    // ListServiceTypes is documented at 10 requests per second: 12 calls split over a client
    // and its clone cannot all go within the first second.
    let server = FaultServer::start(vec![Step::json(200, SERVICE_TYPES); 12]).await;
    let a = builder(&server)
        .rate_limiting(true)
        .build()
        .expect("client");
    let b = a.clone();
    let started = std::time::Instant::now();
    let calls = (0..12).map(|i| {
        let c = if i % 2 == 0 { a.clone() } else { b.clone() };
        tokio::spawn(async move {
            c.list_service_types(list_service_types())
                .await
                .map(|r| r.attempts())
        })
    });
    let mut finished = Vec::new();
    for call in calls {
        assert_eq!(call.await.expect("task").expect("call"), 1);
        finished.push(started.elapsed());
    }
    finished.sort();
    assert_eq!(server.count(), 12);
    assert!(
        finished[11] >= Duration::from_millis(990),
        "the 11th and 12th calls must wait for the window: {finished:?}"
    );
}

#[tokio::test]
async fn rate_limiting_can_be_turned_off() {
    let server = FaultServer::start(vec![Step::json(200, SERVICE_TYPES); 11]).await;
    let client = client(&server);
    let started = std::time::Instant::now();
    for _ in 0..11 {
        client
            .list_service_types(list_service_types())
            .await
            .expect("call");
    }
    assert_eq!(server.count(), 11);
    // With the limiter on, the 11th call of a 10/s operation waits until a second has passed.
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

// ---- helpers -------------------------------------------------------------------------------

/// Recomputes the SDK-HMAC-SHA256 signature of a received request with the secret key.
fn assert_signature_valid(r: &Received) {
    let authorization = r.header("Authorization").expect("Authorization");
    let signed = authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .expect("SignedHeaders");
    let headers: Vec<(String, String)> = signed
        .split(';')
        .filter(|n| *n != "host" && *n != "x-sdk-date")
        .map(|n| (n.to_string(), r.header(n).unwrap_or_default().to_string()))
        .collect();
    let (path, query) = r.target.split_once('?').unwrap_or((&r.target, ""));
    let query: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let dec = |s: &str| {
                percent_encoding::percent_decode_str(s)
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (dec(k), dec(v))
        })
        .collect();
    let request = huaweicloud_bss::signer::SignableRequest {
        method: &r.method,
        host: r.header("Host").expect("Host"),
        path,
        query: &query,
        headers: &headers,
        body: &r.body,
    };
    let date = r.header("X-Sdk-Date").expect("X-Sdk-Date");
    let expected = huaweicloud_bss::signer::sign(&request, AK, SK, date);
    assert_eq!(
        authorization, expected.authorization,
        "signature of the attempt at {date}"
    );
}
