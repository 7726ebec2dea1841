//! Page streams that fail part way keep their place and continue from it: against the emulator,
//! with a page made to fail by a scenario (a server error, a delay past the client's timeout),
//! the stream reports the offset and page it stopped at, and resuming (the same stream, or a new
//! one started at a saved position) asks for that page next instead of starting over.

use std::time::Duration;

use bss_emulator::{Emulator, Scenario};
use futures_util::StreamExt;
use huaweicloud_bss::pagination::Position;
use huaweicloud_bss::products::ListServiceTypesRequest;
use huaweicloud_bss::{Client, Credentials, Error, RetryPolicy};

const OPERATION: &str = "ListServiceTypes";

async fn emulator() -> Emulator {
    Emulator::builder()
        .throttling(false)
        .start()
        .await
        .expect("emulator starts")
}

fn client(emulator: &Emulator, timeout: Duration) -> Client {
    Client::builder()
        .endpoint(emulator.url())
        .credentials(Credentials::aksk(
            emulator.access_key(),
            emulator.secret_key(),
        ))
        .retry_policy(RetryPolicy::disabled())
        .timeout(timeout)
        .build()
        .expect("client")
}

/// A page of a listing of five service types, `codes` being those of this page.
fn page(codes: &[&str]) -> Scenario {
    let types: Vec<serde_json::Value> = codes
        .iter()
        .map(|c| serde_json::json!({"service_type_name": c, "service_type_code": c, "abbreviation": c}))
        .collect();
    Scenario::body(
        200,
        serde_json::json!({"total_count": 5, "service_types": types}).to_string(),
    )
}

fn set(emulator: &Emulator, scenario: Scenario) {
    emulator
        .set_scenario(OPERATION, scenario)
        .expect("scenario");
}

/// The `offset` of every ListServiceTypes call the emulator received, in order.
fn offsets(emulator: &Emulator) -> Vec<String> {
    emulator
        .requests_of(OPERATION)
        .iter()
        .map(|r| r.query_param("offset").unwrap_or("-").to_string())
        .collect()
}

fn request() -> ListServiceTypesRequest {
    ListServiceTypesRequest::new().limit(2)
}

#[tokio::test]
async fn a_page_stream_resumes_at_the_page_that_failed() {
    let emulator = emulator().await;
    let client = client(&emulator, Duration::from_secs(10));
    let mut pages = client.list_service_types_pages(request());
    assert_eq!(pages.position(), Some(Position::at_offset(0)));

    set(&emulator, page(&["a", "b"]));
    let first = pages.next().await.expect("a page").expect("page 1");
    assert_eq!(first.service_types.as_deref().map(<[_]>::len), Some(2));
    let second_page = pages.position().expect("the listing goes on");
    assert_eq!(
        (second_page.offset, second_page.page, second_page.skip),
        (2, 2, 0)
    );

    // Page 2 fails: the stream ends, but keeps its place.
    set(&emulator, Scenario::server_error(503));
    let error = pages
        .next()
        .await
        .expect("an outcome")
        .expect_err("page 2 fails");
    assert_eq!(error.status(), Some(503), "{error:?}");
    assert!(
        pages.next().await.is_none(),
        "the first error ends the stream"
    );
    assert_eq!(pages.position(), Some(second_page));

    // Resumed, it asks for page 2 again, then goes on to the end of the listing.
    set(&emulator, page(&["c", "d"]));
    assert!(pages.resume());
    let second = pages.next().await.expect("a page").expect("page 2");
    assert_eq!(
        second.service_types.as_ref().expect("types")[0]
            .service_type_code
            .as_deref(),
        Some("c")
    );
    set(&emulator, page(&["e"]));
    pages.next().await.expect("a page").expect("page 3");
    assert!(pages.next().await.is_none());
    assert_eq!(pages.position(), None, "the listing has ended");
    assert!(!pages.resume(), "nothing to resume after the end");
    assert_eq!(offsets(&emulator), ["0", "2", "2", "4"]);
}

#[tokio::test]
async fn an_item_stream_restarts_at_a_saved_position_without_repeating_items() {
    let emulator = emulator().await;
    let client = client(&emulator, Duration::from_millis(300));
    let mut items = client.list_service_types_items(request());

    set(&emulator, page(&["a", "b"]));
    let a = items.next().await.expect("an item").expect("a");
    assert_eq!(a.service_type_code.as_deref(), Some("a"));
    // In the middle of page 1: one of its items was handed out.
    let saved = items.position().expect("in the listing");
    assert_eq!((saved.offset, saved.page, saved.skip), (0, 1, 1));
    let b = items.next().await.expect("an item").expect("b");
    assert_eq!(b.service_type_code.as_deref(), Some("b"));

    // Page 2 times out: the position is that of page 2.
    set(&emulator, Scenario::delay(Duration::from_secs(2)));
    let error = items
        .next()
        .await
        .expect("an outcome")
        .expect_err("page 2 times out");
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    let failed = items.position().expect("stopped in the listing");
    assert_eq!((failed.offset, failed.page, failed.skip), (2, 2, 0));

    // A new stream started at the position saved in the middle of page 1 (as a process that
    // stored it would) fetches page 1 again but hands out only the item not yet received.
    let stored = serde_json::to_string(&saved).expect("serialize");
    let restored: Position = serde_json::from_str(&stored).expect("deserialize");
    set(&emulator, page(&["a", "b"]));
    let mut again = client
        .list_service_types_items(request())
        .start_at(restored);
    let next = again.next().await.expect("an item").expect("b");
    assert_eq!(next.service_type_code.as_deref(), Some("b"));
    set(&emulator, page(&["c", "d"]));
    let next = again.next().await.expect("an item").expect("c");
    assert_eq!(next.service_type_code.as_deref(), Some("c"));

    // And a stream started where the first one failed begins at page 2.
    emulator.clear_requests();
    let mut from_failure = client.list_service_types_items(request()).start_at(failed);
    let c = from_failure.next().await.expect("an item").expect("c");
    assert_eq!(c.service_type_code.as_deref(), Some("c"));
    assert_eq!(offsets(&emulator), ["2"]);
}
