//! The emulator's behaviour as a client sees it: authentication refusals, documented errors for
//! invalid requests, throttling, scenarios, recorded requests, state and paging. (Every
//! operation's round trip is in the emulator crate's own generated tests.)

use std::time::{Duration, SystemTime};

use bss_emulator::{Emulator, Scenario, ScenarioError};
use futures_util::StreamExt;
use huaweicloud_bss::budgets::{
    ListSubCustomerBudgetRequest, ShowSubCustomerBudgetRequest, UpdateSubCustomerBudgetRequest,
};
use huaweicloud_bss::customers::{ListSubCustomersRequest, SendVerificationMessageCodeRequest};
use huaweicloud_bss::orders::{
    CancelCustomerOrderRequest, PayOrdersRequest, ShowCustomerOrderDetailsRequest,
};
use huaweicloud_bss::products::ListUsageTypesRequest;
use huaweicloud_bss::signer::{SignableRequest, sdk_date, sign};
use huaweicloud_bss::{Client, Credentials, Error, RetryPolicy, Site};
use serde_json::json;

const CUSTOMER: &str = "053a48736500d5f40ffec01689b88480";

async fn emulator() -> Emulator {
    Emulator::builder()
        .throttling(false)
        .start()
        .await
        .expect("emulator starts")
}

fn client_with(emulator: &Emulator, credentials: Credentials) -> Client {
    Client::builder()
        .endpoint(emulator.url())
        .credentials(credentials)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("client")
}

fn client(emulator: &Emulator) -> Client {
    client_with(
        emulator,
        Credentials::aksk(emulator.access_key(), emulator.secret_key()),
    )
}

fn service_error(err: &Error) -> &huaweicloud_bss::ServiceError {
    match err {
        Error::Service(e) => e,
        other => panic!("expected a service error, got {other:?}"),
    }
}

fn body<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).expect("request body")
}

fn show_budget() -> ShowSubCustomerBudgetRequest {
    ShowSubCustomerBudgetRequest::new(CUSTOMER)
}

// --- authentication -------------------------------------------------------------------------

#[tokio::test]
async fn a_wrong_secret_key_is_refused_with_the_gateway_answer() {
    let emulator = emulator().await;
    let client = client_with(
        &emulator,
        Credentials::aksk(emulator.access_key(), "not-the-secret"),
    );
    let err = client
        .show_sub_customer_budget(show_budget())
        .await
        .unwrap_err();
    let e = service_error(&err);
    assert_eq!(e.status, 401);
    assert_eq!(e.code().map(|c| c.as_str()), Some("APIGW.0301"));
    assert_eq!(
        e.message.as_deref(),
        Some("Incorrect IAM authentication information: verify aksk signature fail")
    );
    assert_eq!(err.attempts(), 1, "a refused signature is not retried");
    let recorded = emulator.requests();
    assert_eq!(recorded[0].status(), 401);
    assert_eq!(
        recorded[0].detail(),
        Some("the signature does not match the request")
    );
}

#[tokio::test]
async fn an_unknown_access_key_and_a_refused_token_get_their_documented_messages() {
    let emulator = Emulator::builder()
        .throttling(false)
        .token("the-only-token")
        .start()
        .await
        .expect("emulator");
    let unknown = client_with(&emulator, Credentials::aksk("SOMEOTHERKEY", "sk"));
    let err = unknown
        .show_sub_customer_budget(show_budget())
        .await
        .unwrap_err();
    assert!(
        service_error(&err)
            .message
            .as_deref()
            .is_some_and(|m| m.contains("Get secretKey failed")),
        "{err:?}"
    );

    let wrong_token = client_with(&emulator, Credentials::token("another-token"));
    let err = wrong_token
        .show_sub_customer_budget(show_budget())
        .await
        .unwrap_err();
    assert_eq!(
        service_error(&err).message.as_deref(),
        Some("Incorrect IAM authentication information: decrypt token fail")
    );
    let right_token = client_with(&emulator, Credentials::token("the-only-token"));
    right_token
        .show_sub_customer_budget(show_budget())
        .await
        .expect("the configured token is accepted");
}

/// Signs a request by hand, then sends it with reqwest, possibly altered after signing.
async fn send_signed(
    emulator: &Emulator,
    body: &str,
    sent_body: &str,
    date: SystemTime,
) -> reqwest::Response {
    let host = emulator.addr().to_string();
    let path = "/v2/partners/sub-customers/budget/query";
    let headers = vec![("Content-Type".to_string(), "application/json".to_string())];
    let date = sdk_date(date);
    let signed = sign(
        &SignableRequest {
            method: "POST",
            host: &host,
            path,
            query: &[],
            headers: &headers,
            body: body.as_bytes(),
        },
        emulator.access_key(),
        emulator.secret_key(),
        &date,
    );
    reqwest::Client::new()
        .post(format!("{}{path}", emulator.url()))
        .header("Content-Type", "application/json")
        .header("X-Sdk-Date", signed.sdk_date)
        .header("Authorization", signed.authorization)
        .body(sent_body.to_string())
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn a_body_changed_after_signing_is_refused() {
    let emulator = emulator().await;
    let signed = r#"{"customer_ids":["a"]}"#;
    let ok = send_signed(&emulator, signed, signed, SystemTime::now()).await;
    assert_eq!(ok.status(), 200);
    let tampered = send_signed(
        &emulator,
        signed,
        r#"{"customer_ids":["b"]}"#,
        SystemTime::now(),
    )
    .await;
    assert_eq!(tampered.status(), 401);
    let text = tampered.text().await.expect("body");
    let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(v["error_code"], "APIGW.0301");
    assert!(v["request_id"].is_string());
}

#[tokio::test]
async fn a_stale_sdk_date_is_refused_unless_the_clock_check_is_off() {
    let emulator = emulator().await;
    let body = r#"{"customer_ids":["a"]}"#;
    let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
    let stale = send_signed(&emulator, body, body, an_hour_ago).await;
    assert_eq!(stale.status(), 401);
    assert_eq!(
        stale
            .headers()
            .get("X-Emulator-Detail")
            .map(|v| v.to_str().unwrap_or_default()),
        Some("X-Sdk-Date is too far from the emulator's clock")
    );

    let replaying = Emulator::builder()
        .clock_check(false)
        .start()
        .await
        .expect("emulator");
    let accepted = send_signed(&replaying, body, body, an_hour_ago).await;
    assert_eq!(accepted.status(), 200);
}

#[tokio::test]
async fn a_request_without_credentials_is_refused() {
    let emulator = emulator().await;
    let answer = reqwest::Client::new()
        .get(format!(
            "{}/v2/partners/sub-customers/budget?customer_id=x",
            emulator.url()
        ))
        .send()
        .await
        .expect("sent");
    assert_eq!(answer.status(), 401);
}

// --- validation -----------------------------------------------------------------------------

#[tokio::test]
async fn invalid_requests_get_cbc_0100_with_the_documented_message() {
    let emulator = emulator().await;
    let client = Client::builder()
        .endpoint(emulator.url())
        .credentials(Credentials::aksk(
            emulator.access_key(),
            emulator.secret_key(),
        ))
        .validate_requests(false)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("client");
    let too_many: Vec<String> = (0..101).map(|i| format!("customer-{i}")).collect();
    let err = client
        .list_sub_customer_budget(ListSubCustomerBudgetRequest::new(body(
            json!({ "customer_ids": too_many }),
        )))
        .await
        .unwrap_err();
    let e = service_error(&err);
    assert_eq!(
        (e.status, e.code().map(|c| c.as_str())),
        (400, Some("CBC.0100"))
    );
    assert_eq!(e.message.as_deref(), Some("parameter error."));
    assert_eq!(
        emulator.requests()[0].detail(),
        Some("body.customer_ids has 101 items; the maximum is 100")
    );

    let long_id = "x".repeat(65);
    let err = client
        .show_sub_customer_budget(ShowSubCustomerBudgetRequest::new(long_id))
        .await
        .unwrap_err();
    assert_eq!(
        service_error(&err).code().map(|c| c.as_str()),
        Some("CBC.0100")
    );
    assert_eq!(
        emulator.requests()[1].detail(),
        Some("query parameter `customer_id` is 65 characters long; the maximum is 64")
    );

    // Values outside a documented code list are refused too; the client lets them through,
    // since a newer service may know them.
    let err = client
        .update_sub_customer_budget(UpdateSubCustomerBudgetRequest::new(body(json!({
            "customer_id": CUSTOMER,
            "budget_amount": 100,
            "budget_type": "WEEKLY",
        }))))
        .await
        .unwrap_err();
    assert_eq!(
        service_error(&err).code().map(|c| c.as_str()),
        Some("CBC.0100")
    );
    assert!(
        emulator.requests()[2]
            .detail()
            .is_some_and(|d| d.contains("body.budget_type is `WEEKLY`")),
        "{:?}",
        emulator.requests()[2]
    );
}

#[tokio::test]
async fn malformed_bodies_and_missing_parameters_are_refused() {
    let emulator = emulator().await;
    let body = r#"{"customer_ids": "not-a-list"}"#;
    let answer = send_signed(&emulator, body, body, SystemTime::now()).await;
    assert_eq!(answer.status(), 400);
    assert_eq!(emulator.requests()[0].error_code(), Some("CBC.0100"));
    assert_eq!(
        emulator.requests()[0].detail(),
        Some("body.customer_ids is a string, not a list")
    );

    let not_json = "{customer_ids:";
    let answer = send_signed(&emulator, not_json, not_json, SystemTime::now()).await;
    assert_eq!(answer.status(), 400);
    assert!(
        emulator.requests()[1]
            .detail()
            .is_some_and(|d| d.starts_with("the request body is not JSON"))
    );
}

#[tokio::test]
async fn unknown_paths_and_methods_get_404() {
    let emulator = emulator().await;
    for (method, path) in [
        (reqwest::Method::GET, "/v2/no/such/api"),
        (reqwest::Method::DELETE, "/v2/partners/sub-customers/budget"),
    ] {
        let answer = reqwest::Client::new()
            .request(method, format!("{}{path}", emulator.url()))
            .send()
            .await
            .expect("sent");
        assert_eq!(answer.status(), 404, "{path}");
    }
    assert_eq!(emulator.requests()[0].operation(), None);
}

// --- throttling -----------------------------------------------------------------------------

#[tokio::test]
async fn the_documented_quota_is_enforced_with_the_documented_answer() {
    let emulator = Emulator::start().await.expect("emulator");
    // The client's own limiter would space the calls out; turn it off to hit the quota.
    let client = Client::builder()
        .endpoint(emulator.url())
        .credentials(Credentials::aksk(
            emulator.access_key(),
            emulator.secret_key(),
        ))
        .rate_limiting(false)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("client");
    // ShowSubCustomerBudget: 25 requests per second.
    let mut throttled = None;
    for _ in 0..30 {
        if let Err(e) = client.show_sub_customer_budget(show_budget()).await {
            throttled = Some(e);
            break;
        }
    }
    let err = throttled.expect("the 26th call within a second is throttled");
    let e = service_error(&err);
    assert_eq!(
        (e.status, e.code().map(|c| c.as_str())),
        (429, Some("APIGW.0308"))
    );
    assert!(e.is_throttling());
    assert!(
        e.message
            .as_deref()
            .is_some_and(|m| m.contains("limit:25,time:1 second")),
        "{e:?}"
    );
    let accepted = emulator
        .requests()
        .iter()
        .filter(|r| r.status() == 200)
        .count();
    assert_eq!(accepted, 25);

    emulator.set_throttling(false);
    for _ in 0..30 {
        client
            .show_sub_customer_budget(show_budget())
            .await
            .expect("no quota once throttling is off");
    }
}

#[tokio::test]
async fn the_clients_own_rate_limiter_keeps_within_the_quota() {
    let emulator = Emulator::start().await.expect("emulator");
    let client = client(&emulator);
    for _ in 0..30 {
        client
            .show_sub_customer_budget(show_budget())
            .await
            .expect("the client spaces its calls");
    }
    assert!(emulator.requests().iter().all(|r| r.status() == 200));
}

// --- scenarios ------------------------------------------------------------------------------

#[tokio::test]
async fn a_forced_error_code_comes_with_its_documented_status_and_message() {
    let emulator = emulator().await;
    emulator
        .set_scenario(
            "ShowSubCustomerBudget",
            Scenario::error_code("CBC.99005024"),
        )
        .expect("a documented code");
    let err = client(&emulator)
        .show_sub_customer_budget(show_budget())
        .await
        .unwrap_err();
    let e = service_error(&err);
    assert_eq!(
        (e.status, e.code().map(|c| c.as_str())),
        (400, Some("CBC.99005024"))
    );
    assert!(e.is_documented_for_operation());
    assert_eq!(
        e.message.as_deref(),
        Some(
            "This API cannot be invoked because the association type of the customer is incorrect."
        )
    );

    assert_eq!(
        emulator.set_scenario("ShowSubCustomerBudget", Scenario::error_code("CBC.12345")),
        Err(ScenarioError::UnknownErrorCode {
            operation: "ShowSubCustomerBudget".into(),
            code: "CBC.12345".into()
        })
    );
    assert!(matches!(
        emulator.set_scenario("NoSuchOperation", Scenario::server_error(500)),
        Err(ScenarioError::UnknownOperation(_))
    ));
    assert!(matches!(
        emulator.set_scenario("ShowSubCustomerBudget", Scenario::server_error(404)),
        Err(ScenarioError::Invalid(_))
    ));
}

#[tokio::test]
async fn transient_5xx_are_retried_for_idempotent_operations_only() {
    let emulator = emulator().await;
    let retrying = Client::builder()
        .endpoint(emulator.url())
        .credentials(Credentials::aksk(
            emulator.access_key(),
            emulator.secret_key(),
        ))
        .retry_policy(RetryPolicy::default().with_initial_backoff(Duration::from_millis(5)))
        .build()
        .expect("client");
    emulator
        .set_scenario(
            "ShowSubCustomerBudget",
            Scenario::server_error(503).times(2),
        )
        .expect("scenario");
    let answer = retrying
        .show_sub_customer_budget(show_budget())
        .await
        .expect("the third attempt succeeds");
    assert_eq!(answer.attempts(), 3);
    let statuses: Vec<u16> = emulator.requests().iter().map(|r| r.status()).collect();
    assert_eq!(statuses, [503, 503, 200]);

    emulator.clear_requests();
    emulator
        .set_scenario(
            "UpdateSubCustomerBudget",
            Scenario::server_error(500).times(1),
        )
        .expect("scenario");
    let err = retrying
        .update_sub_customer_budget(UpdateSubCustomerBudgetRequest::new(body(json!({
            "customer_id": CUSTOMER,
            "budget_amount": 100,
            "budget_type": "MONTHLY",
        }))))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(err.attempts(), 1, "a non-idempotent call is not repeated");
    assert_eq!(emulator.requests().len(), 1);
}

#[tokio::test]
async fn a_delay_runs_into_the_client_timeout() {
    let emulator = emulator().await;
    emulator
        .set_scenario(
            "ShowSubCustomerBudget",
            Scenario::delay(Duration::from_secs(2)),
        )
        .expect("scenario");
    let client = Client::builder()
        .endpoint(emulator.url())
        .credentials(Credentials::aksk(
            emulator.access_key(),
            emulator.secret_key(),
        ))
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("client");
    let err = client
        .show_sub_customer_budget(show_budget())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
}

#[tokio::test]
async fn a_custom_body_reaches_the_client_as_is() {
    let emulator = emulator().await;
    emulator
        .set_scenario(
            "ShowSubCustomerBudget",
            Scenario::body(200, "<html>gateway</html>").times(1),
        )
        .expect("scenario");
    let client = client(&emulator);
    let err = client
        .show_sub_customer_budget(show_budget())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { status: 200, .. }), "{err:?}");
    client
        .show_sub_customer_budget(show_budget())
        .await
        .expect("the scenario applied to one call only");
}

// --- recording ------------------------------------------------------------------------------

#[tokio::test]
async fn recorded_requests_keep_what_arrived_and_hide_credentials_in_debug() {
    let emulator = emulator().await;
    client(&emulator)
        .show_sub_customer_budget(show_budget().indirect_partner_id("reseller-1"))
        .await
        .expect("call");
    let recorded = emulator.requests_of("ShowSubCustomerBudget");
    assert_eq!(recorded.len(), 1);
    let r = &recorded[0];
    assert_eq!(r.query_param("customer_id"), Some(CUSTOMER));
    assert_eq!(r.query_param("indirect_partner_id"), Some("reseller-1"));
    assert!(
        r.header("authorization")
            .is_some_and(|a| a.starts_with("SDK-HMAC-SHA256"))
    );
    let debug = format!("{r:?}");
    assert!(!debug.contains("Signature="), "{debug}");
    assert!(
        !debug.contains(CUSTOMER),
        "query values stay out of Debug: {debug}"
    );
    emulator.reset();
    assert!(emulator.requests().is_empty());
}

// --- state ----------------------------------------------------------------------------------

#[tokio::test]
async fn a_budget_set_is_read_back() {
    let emulator = emulator().await;
    let client = client(&emulator);
    client
        .update_sub_customer_budget(UpdateSubCustomerBudgetRequest::new(body(json!({
            "customer_id": CUSTOMER,
            "budget_amount": 1234.5,
            "budget_type": "PACKAGE",
        }))))
        .await
        .expect("set");
    let shown = client
        .show_sub_customer_budget(show_budget())
        .await
        .expect("show");
    let shown = serde_json::to_value(shown.body()).expect("encode");
    assert_eq!(shown["budget_amount"], json!(1234.5));
    assert_eq!(shown["budget_type"], "PACKAGE");

    let listed = client
        .list_sub_customer_budget(ListSubCustomerBudgetRequest::new(body(
            json!({ "customer_ids": [CUSTOMER] }),
        )))
        .await
        .expect("list");
    let listed = serde_json::to_value(listed.body()).expect("encode");
    assert_eq!(
        listed["budget_infos"],
        json!([{ "customer_id": CUSTOMER, "budget_amount": 1234.5, "used_amount": 0, "budget_type": "PACKAGE" }])
    );
}

#[tokio::test]
async fn orders_paid_or_cancelled_show_their_status_and_cannot_change_again() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let status = |order: &'static str| {
        let client = client.clone();
        async move {
            let details = client
                .show_customer_order_details(ShowCustomerOrderDetailsRequest::new(order))
                .await
                .expect("details");
            let v = serde_json::to_value(details.body()).expect("encode");
            assert_eq!(v["order_info"]["order_id"], order);
            v["order_info"]["status"].clone()
        }
    };
    client
        .pay_orders(PayOrdersRequest::new(body(
            json!({ "order_id": "CS-PAID", "use_coupon": "NO", "use_discount": "NO" }),
        )))
        .await
        .expect("pay");
    assert_eq!(status("CS-PAID").await, json!(5));
    let again = client
        .pay_orders(PayOrdersRequest::new(body(
            json!({ "order_id": "CS-PAID", "use_coupon": "NO", "use_discount": "NO" }),
        )))
        .await
        .unwrap_err();
    assert_eq!(
        service_error(&again).code().map(|c| c.as_str()),
        Some("CBC.0150")
    );

    client
        .cancel_customer_order(CancelCustomerOrderRequest::new(body(
            json!({ "order_id": "CS-CANCELLED" }),
        )))
        .await
        .expect("cancel");
    assert_eq!(status("CS-CANCELLED").await, json!(4));
}

// --- sites and error bodies -----------------------------------------------------------------

/// Posts JSON with a token (the emulator accepts any non-empty one), returning the status, the
/// body and the refusal's `X-Emulator-Detail`.
async fn post_json(
    emulator: &Emulator,
    path: &str,
    body: &serde_json::Value,
) -> (u16, serde_json::Value, String) {
    send_json(emulator, reqwest::Method::POST, path, body).await
}

async fn send_json(
    emulator: &Emulator,
    method: reqwest::Method,
    path: &str,
    body: &serde_json::Value,
) -> (u16, serde_json::Value, String) {
    let answer = reqwest::Client::new()
        .request(method, format!("{}{path}", emulator.url()))
        .header("Content-Type", "application/json")
        .header("X-Auth-Token", "a-token")
        .body(body.to_string())
        .send()
        .await
        .expect("sent");
    let status = answer.status().as_u16();
    let detail = answer
        .headers()
        .get("X-Emulator-Detail")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let text = answer.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or_default(),
        detail,
    )
}

const SEND_CODE: &str = "/v2/bases/verificationcode/send";

fn email_code() -> serde_json::Value {
    json!({ "receiver_type": 2, "email": "someone@example.com" })
}

fn sms_code() -> serde_json::Value {
    json!({ "receiver_type": 1, "mobile_phone": "13800000000" })
}

#[tokio::test]
async fn each_site_accepts_only_the_shape_its_documents_give() {
    let emulator = emulator().await;
    assert_eq!(emulator.site(), "international");
    assert_eq!(post_json(&emulator, SEND_CODE, &email_code()).await.0, 204);
    let (status, body, detail) = post_json(&emulator, SEND_CODE, &sms_code()).await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (400, Some("CBC.0100"))
    );
    assert!(detail.contains("only for the china site"), "{detail}");

    emulator.set_site("china").expect("a documented site");
    assert_eq!(post_json(&emulator, SEND_CODE, &sms_code()).await.0, 204);
    let (status, _, detail) = post_json(&emulator, SEND_CODE, &email_code()).await;
    assert_eq!(status, 400);
    assert!(
        detail.contains("only for the international site"),
        "{detail}"
    );
    // A field only one site documents is required there only.
    let (status, _, detail) = post_json(&emulator, SEND_CODE, &json!({ "receiver_type": 1 })).await;
    assert_eq!(status, 400);
    assert!(
        detail.contains("body.mobile_phone is required on the china site"),
        "{detail}"
    );
    let create = json!({ "xaccount_id": "x1", "xaccount_type": "x_IDP" });
    assert_eq!(
        post_json(&emulator, "/v2/partners/sub-customers", &create)
            .await
            .0,
        200
    );
    emulator
        .set_site("international")
        .expect("a documented site");
    let (status, _, detail) = post_json(&emulator, "/v2/partners/sub-customers", &create).await;
    assert_eq!(status, 400);
    assert!(
        detail.contains("body.domain_area is required on the international site"),
        "{detail}"
    );

    assert!(
        emulator
            .set_site("mars")
            .unwrap_err()
            .contains("international, china")
    );
    assert!(Emulator::builder().site("mars").start().await.is_err());
}

#[tokio::test]
async fn the_client_validates_against_the_site_it_is_given() {
    let emulator = Emulator::builder()
        .site("china")
        .throttling(false)
        .start()
        .await
        .expect("emulator starts");
    let china = Client::builder()
        .site(Site::China)
        .endpoint(emulator.url())
        .credentials(Credentials::aksk(
            emulator.access_key(),
            emulator.secret_key(),
        ))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("client");
    let err = china
        .send_verification_message_code(SendVerificationMessageCodeRequest::new(body(email_code())))
        .await
        .unwrap_err();
    match &err {
        Error::InvalidRequest(v) => assert!(v.field.ends_with("receiver_type"), "{v:?}"),
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(emulator.requests().is_empty(), "refused before sending");
    china
        .send_verification_message_code(SendVerificationMessageCodeRequest::new(body(sms_code())))
        .await
        .expect("the China shape is sent");
    // An endpoint that is neither site's leaves the per-site checks to the server.
    let err = client(&emulator)
        .send_verification_message_code(SendVerificationMessageCodeRequest::new(body(email_code())))
        .await
        .unwrap_err();
    assert_eq!(
        service_error(&err).code().map(|c| c.as_str()),
        Some("CBC.0100")
    );
}

#[tokio::test]
async fn error_bodies_name_the_message_member_as_each_section_documents() {
    let emulator = emulator().await;
    emulator
        .set_scenario("CancelCustomerOrder", Scenario::error_code("CBC.0999"))
        .expect("a documented code");
    emulator
        .set_scenario("PayOrders", Scenario::error_code("CBC.0999"))
        .expect("a documented code");
    // 8.3.4 documents its error body with error_message; the other sections with error_msg.
    let (status, body, _) = send_json(
        &emulator,
        reqwest::Method::PUT,
        "/v2/orders/customer-orders/cancel",
        &json!({ "order_id": "CS1" }),
    )
    .await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (500, Some("CBC.0999"))
    );
    assert!(
        body.get("error_message").is_some() && body.get("error_msg").is_none(),
        "{body}"
    );
    let (_, body, _) = post_json(
        &emulator,
        "/v3/orders/customer-orders/pay",
        &json!({ "order_id": "CS1", "use_coupon": "NO", "use_discount": "NO" }),
    )
    .await;
    assert!(
        body.get("error_msg").is_some() && body.get("error_message").is_none(),
        "{body}"
    );
    // The gateway's documented throttling answer (3.4) carries error_message and error_code.
    let throttled = Emulator::builder().start().await.expect("emulator starts");
    let mut last = (0, serde_json::Value::Null, String::new());
    for _ in 0..100 {
        last = post_json(&throttled, SEND_CODE, &email_code()).await;
        if last.0 == 429 {
            break;
        }
    }
    assert_eq!(
        (last.0, last.1["error_code"].as_str()),
        (429, Some("APIGW.0308"))
    );
    assert!(
        last.1.get("error_message").is_some() && last.1.get("error_msg").is_none(),
        "{}",
        last.1
    );
}

// --- paging ---------------------------------------------------------------------------------

#[tokio::test]
async fn an_item_stream_ends_on_the_empty_page_after_the_documented_one() {
    let emulator = emulator().await;
    let client = client(&emulator);
    // The documented ListSubCustomers page is the whole listing (count 1): one call.
    let customers: Vec<_> = client
        .list_sub_customers_items(ListSubCustomersRequest::new(body(json!({}))))
        .collect()
        .await;
    assert_eq!(customers.len(), 1);
    assert_eq!(emulator.requests_of("ListSubCustomers").len(), 1);
    // The documented ListUsageTypes page has 3 of 6048 usage types: the next page comes back
    // empty, which ends the stream.
    let usage_types: Vec<_> = client
        .list_usage_types_items(ListUsageTypesRequest::new())
        .collect()
        .await;
    assert_eq!(usage_types.len(), 3);
    assert!(usage_types.iter().all(Result::is_ok), "{usage_types:?}");
    let pages = emulator.requests_of("ListUsageTypes");
    assert_eq!(pages.len(), 2);
    assert_ne!(
        pages[1].query_param("offset"),
        pages[0].query_param("offset")
    );
}

#[test]
fn client_and_emulator_come_from_the_same_spec() {
    assert_eq!(bss_emulator::spec_sha256(), huaweicloud_bss::SPEC_SHA256);
    assert_eq!(bss_emulator::operations().len(), 89);
}

#[tokio::test]
async fn hostile_requests_get_answers_not_panics() {
    let emulator = emulator().await;
    let http = reqwest::Client::new();
    let url = emulator.url();
    let cases: Vec<(reqwest::RequestBuilder, u16)> = vec![
        (
            http.get(format!(
                "{url}/v2/partners/sub-customers/budget?customer_id=%FF%FE"
            ))
            .header(
                "Authorization",
                "SDK-HMAC-SHA256 Access=, SignedHeaders=;;;, Signature=zz",
            ),
            401,
        ),
        (
            http.get(format!("{url}/v2/partners/sub-customers/budget"))
                .header("Authorization", "Basic dXNlcjpwYXNz"),
            401,
        ),
        (
            http.get(format!("{url}/v2/orders/customer-orders/details/%E0%A4%A"))
                .header("X-Auth-Token", "t"),
            404,
        ),
        (
            http.post(format!("{url}/v2/partners/sub-customers/budget/query"))
                .header("X-Auth-Token", "t")
                .body(vec![b'['; 100_000]),
            400,
        ),
        (
            http.post(format!("{url}/v2/partners/sub-customers/budget/query"))
                .header("X-Auth-Token", "t")
                .body(vec![b' '; 13 * 1024 * 1024]),
            413,
        ),
        (
            http.put(format!("{url}/_emulator/scenarios/ShowSubCustomerBudget"))
                .body(r#"{"error_code": 12}"#),
            400,
        ),
    ];
    for (i, (request, status)) in cases.into_iter().enumerate() {
        let answer = request.send().await.expect("the emulator answers");
        assert_eq!(answer.status().as_u16(), status, "case {i}");
    }
    // A connection that sends garbage and hangs up does not take the server down.
    {
        use tokio::io::AsyncWriteExt;
        let mut sock = tokio::net::TcpStream::connect(emulator.addr())
            .await
            .expect("connect");
        sock.write_all(b"\x00\x01 NOT HTTP\r\n\r\n")
            .await
            .expect("write");
    }
    client(&emulator)
        .show_sub_customer_budget(show_budget())
        .await
        .expect("still serving");
}
