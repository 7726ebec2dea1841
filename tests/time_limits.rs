//! The call deadline and per-call settings against a fault-injecting server on 127.0.0.1: a
//! deadline bounds every attempt, every wait between attempts (`Retry-After` included) and the
//! rate limiter's wait; `Client::with_options` changes the timeout, retry policy and validation
//! of the calls made through one handle, and of nothing else.

use std::time::{Duration, Instant};

use bss_tests::fault_server::{
    FaultServer, SERVICE_TYPES, Step, client_builder, list_service_types, pay_order,
};
use futures_util::StreamExt;
use huaweicloud_bss::products::ListServiceTypesRequest;
use huaweicloud_bss::request::RateLimit;
use huaweicloud_bss::{CallOptions, ClientBuilder, Error, RetryPolicy};

/// The order the payment tests pay.
const ORDER_ID: &str = "CS2403011200ABCDE";

const THROTTLED: &str = r#"{"error_code":"APIGW.0308","error_msg":"Throttled."}"#;
const UNAVAILABLE: &str = r#"{"error_code":"CBC.0999","error_msg":"Other errors."}"#;

/// Retries with waits of a few milliseconds, the default `Retry-After` cap (20 s), and no
/// elapsed-time bound that would end a test before its deadline does.
fn retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(attempts)
        .with_initial_backoff(Duration::from_millis(2))
        .with_max_backoff(Duration::from_millis(10))
        .with_max_elapsed(Duration::from_secs(60))
}

fn builder(server: &FaultServer) -> ClientBuilder {
    client_builder(server).retry_policy(retries(3))
}

#[track_caller]
fn deadline_exceeded(error: &Error) -> (Duration, u32) {
    match error {
        Error::DeadlineExceeded {
            operation,
            budget,
            attempts,
        } => {
            assert!(!operation.is_empty());
            (*budget, *attempts)
        }
        other => panic!("expected the deadline to pass, got {other:?}"),
    }
}

#[tokio::test]
async fn a_huge_retry_after_does_not_hold_a_payment_past_the_deadline() {
    // Throttling is retried even for payments; the answer asks for a wait of three millennia,
    // which the policy cuts to 20 s, which the deadline does not allow.
    let server = FaultServer::start(vec![
        Step::json(429, THROTTLED).header("Retry-After", "99999999999"),
        Step::empty(204),
    ])
    .await;
    let client = builder(&server)
        .operation_timeout(Duration::from_millis(800))
        .build()
        .expect("client");
    let started = Instant::now();
    let error = client
        .pay_orders(pay_order(ORDER_ID))
        .await
        .expect_err("no retry fits");
    let took = started.elapsed();
    let e = error.as_service().expect("the throttling answer");
    assert_eq!((e.status, e.attempts), (429, 1));
    assert_eq!(e.retry_after, Some(Duration::from_secs(99_999_999_999)));
    assert!(took < Duration::from_millis(800), "returned after {took:?}");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn without_a_deadline_the_same_answer_is_waited_for() {
    // The control of the test above: the same wait, capped at 50 ms, is made.
    let server = FaultServer::start(vec![
        Step::json(429, THROTTLED).header("Retry-After", "99999999999"),
        Step::empty(204),
    ])
    .await;
    let client = builder(&server)
        .retry_policy(retries(3).with_max_retry_after(Duration::from_millis(50)))
        .build()
        .expect("client");
    let response = client
        .pay_orders(pay_order(ORDER_ID))
        .await
        .expect("paid on the retry");
    assert_eq!(response.attempts(), 2);
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn the_deadline_cuts_a_slow_attempt_short() {
    let server = FaultServer::start(vec![
        Step::json(200, SERVICE_TYPES).after(Duration::from_secs(3)),
        Step::json(200, SERVICE_TYPES),
    ])
    .await;
    // The attempt's own timeout (60 s) is far away; the deadline is not.
    let client = builder(&server)
        .operation_timeout(Duration::from_millis(300))
        .build()
        .expect("client");
    let started = Instant::now();
    let error = client
        .list_service_types(list_service_types())
        .await
        .expect_err("the deadline passes");
    let took = started.elapsed();
    assert_eq!(deadline_exceeded(&error), (Duration::from_millis(300), 1));
    assert_eq!(error.attempts(), 1);
    assert!(
        took >= Duration::from_millis(300) && took < Duration::from_millis(1500),
        "returned after {took:?}"
    );
    assert_eq!(server.count(), 1, "no retry after the deadline");
}

#[tokio::test]
async fn the_deadline_bounds_attempts_and_backoff_together() {
    // Every attempt of the query fails after 150 ms and is retried; ten attempts would take
    // 1.5 s, the deadline allows 400 ms: the third attempt is cut short.
    let server = FaultServer::start(vec![
        Step::json(503, UNAVAILABLE)
            .after(Duration::from_millis(150));
        10
    ])
    .await;
    let client = builder(&server)
        .retry_policy(retries(10))
        .build()
        .expect("client");
    let started = Instant::now();
    let error = client
        .with_options(CallOptions::new().operation_timeout(Duration::from_millis(400)))
        .list_service_types(list_service_types())
        .await
        .expect_err("the deadline passes");
    let took = started.elapsed();
    let (budget, attempts) = deadline_exceeded(&error);
    assert_eq!(budget, Duration::from_millis(400));
    // Three on an idle machine; a loaded one may get through fewer before the deadline.
    assert!((2..=3).contains(&attempts), "{error:?}");
    assert!(
        took < Duration::from_millis(1000),
        "returned after {took:?}"
    );
    assert_eq!(
        server.count(),
        attempts as usize,
        "nothing is sent after the deadline"
    );
}

#[tokio::test]
async fn an_absolute_deadline_bounds_every_page_of_a_stream_together() {
    let server = FaultServer::start(vec![
        Step::json(200, SERVICE_TYPES)
            .after(Duration::from_secs(3));
        2
    ])
    .await;
    let client = builder(&server).build().expect("client");
    let deadline = Instant::now() + Duration::from_millis(300);
    let mut pages = client
        .with_options(CallOptions::new().deadline(deadline))
        .list_service_types_pages(list_service_types());
    let first = pages.next().await.expect("one item");
    let (budget, attempts) = deadline_exceeded(&first.expect_err("the deadline passes"));
    assert!(budget <= Duration::from_millis(300), "{budget:?}");
    assert_eq!(attempts, 1);
    assert!(Instant::now() < deadline + Duration::from_secs(1));
}

#[tokio::test]
async fn the_rate_limit_wait_ends_at_the_deadline_unsent() {
    let server = FaultServer::start(vec![Step::json(200, SERVICE_TYPES); 2]).await;
    let client = builder(&server)
        .rate_limiting(true)
        .quota(
            "ListServiceTypes",
            RateLimit {
                requests: 1,
                per_seconds: 30,
            },
        )
        .build()
        .expect("client");
    client
        .list_service_types(list_service_types())
        .await
        .expect("first call");
    let started = Instant::now();
    let error = client
        .with_options(CallOptions::new().operation_timeout(Duration::from_millis(200)))
        .list_service_types(list_service_types())
        .await
        .expect_err("the next slot is 30 s away");
    assert_eq!(
        deadline_exceeded(&error),
        (Duration::from_millis(200), 0),
        "nothing was sent"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn per_call_settings_apply_to_their_handle_only() {
    let server = FaultServer::start(vec![
        Step::json(200, SERVICE_TYPES).after(Duration::from_millis(400)),
        Step::json(200, SERVICE_TYPES).after(Duration::from_millis(400)),
    ])
    .await;
    let client = builder(&server).build().expect("client");
    let hurried = client.with_options(
        CallOptions::new()
            .timeout(Duration::from_millis(100))
            .retry_policy(RetryPolicy::disabled()),
    );
    match hurried.list_service_types(list_service_types()).await {
        Err(Error::Timeout { attempts: 1, .. }) => {}
        other => panic!("expected one attempt to time out, got {other:?}"),
    }
    // The client itself keeps its 60 s timeout.
    let response = client
        .list_service_types(list_service_types())
        .await
        .expect("in time");
    assert_eq!(response.attempts(), 1);
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn per_call_settings_replace_the_retry_policy_and_validation() {
    let server = FaultServer::start(vec![
        Step::json(503, UNAVAILABLE),
        Step::json(200, SERVICE_TYPES),
        Step::json(200, SERVICE_TYPES),
    ])
    .await;
    let client = builder(&server)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("client");
    // The client sends once; this handle retries.
    let retrying = client.with_options(CallOptions::new().retry_policy(retries(3)));
    let response = retrying
        .list_service_types(list_service_types())
        .await
        .expect("retried");
    assert_eq!(response.attempts(), 2);

    // `limit` is documented as 1..=1000: refused by the client, sent by a handle that does not
    // validate (and a later option keeps the earlier ones).
    let too_many = ListServiceTypesRequest::new().limit(5000);
    match client.list_service_types(too_many.clone()).await {
        Err(Error::InvalidRequest(e)) => assert_eq!(e.field, "limit"),
        other => panic!("expected the request to be refused, got {other:?}"),
    }
    let unchecked = retrying.with_options(CallOptions::new().validate_requests(false));
    unchecked
        .list_service_types(too_many)
        .await
        .expect("sent unchecked");
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn a_deadline_already_past_sends_nothing() {
    let server = FaultServer::start(vec![Step::json(200, SERVICE_TYPES)]).await;
    let client = builder(&server).build().expect("client");
    let error = client
        .with_options(CallOptions::new().deadline(Instant::now()))
        .list_service_types(list_service_types())
        .await
        .expect_err("no time left");
    assert_eq!(deadline_exceeded(&error), (Duration::ZERO, 0));
    assert_eq!(server.count(), 0);
}
