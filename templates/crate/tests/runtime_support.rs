//! Support of the generated runtime tests: a scripted listing server for the pagination streams,
//! a deterministic decoder fuzzer, and forward-compatibility checks.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

use super::support::{read_request, Received};

/// Serves the answer `handler` gives for each request, and records the requests.
pub async fn serve_with<F>(handler: F) -> (String, Arc<Mutex<Vec<Received>>>)
where
    F: Fn(&Received) -> (u16, String) + Send + Sync + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let log: Arc<Mutex<Vec<Received>>> = Arc::default();
    let l = log.clone();
    let handler = Arc::new(handler);
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let l = l.clone();
            let handler = handler.clone();
            tokio::spawn(async move {
                let Some(r) = read_request(&mut sock).await else { return };
                let (status, body) = handler(&r);
                l.lock().expect("lock").push(r);
                // One write: a separate head and body would wait on Nagle and delayed ACKs.
                let answer = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nX-Request-Id: test-request-id\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = sock.write_all(answer.as_bytes()).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    (url, log)
}

/// A client of `url` with test credentials. The HTTP client is shared by every test (building
/// one loads the TLS roots, which takes long); without a connection pool, no connection outlives
/// the runtime of its test.
pub fn client(url: &str) -> huaweicloud_bss::Client {
    static HTTP: std::sync::LazyLock<reqwest::Client> = std::sync::LazyLock::new(|| {
        reqwest::Client::builder().pool_max_idle_per_host(0).timeout(std::time::Duration::from_secs(10)).build().expect("HTTP client")
    });
    huaweicloud_bss::Client::builder()
        .http_client(HTTP.clone())
        .endpoint(url)
        .credentials(huaweicloud_bss::Credentials::aksk("TESTAK", "TESTSK"))
        .build()
        .expect("client")
}

/// Pagination streams against a server that lists numbered items.
pub mod paging {
    use super::*;
    use futures_util::StreamExt;
    use huaweicloud_bss::pagination::{Items, Page, Paginated, PaginationError, Pages};
    use huaweicloud_bss::{Client, Error};
    use serde_json::Value;

    /// How a paginated operation pages, as the spec says.
    #[derive(Clone, Copy)]
    pub struct Shape {
        /// Offset parameter or body field.
        pub offset: &'static str,
        /// Page-size parameter or body field.
        pub limit: &'static str,
        /// Offset and limit are fields of the JSON body rather than query parameters.
        pub in_body: bool,
        /// The offset is a page number.
        pub pages: bool,
        /// Offset of the first page.
        pub first: i64,
        /// Dotted path of the items in the answer.
        pub items: &'static str,
        /// Dotted path of the total count.
        pub total: Option<&'static str>,
        /// The JSON of the `n`th item; items differ from each other.
        pub item: fn(usize) -> Value,
        /// Documented page size of a request that sets none.
        pub default_size: Option<i64>,
    }

    /// Everything a scenario needs about one operation.
    pub struct Case<R: Paginated> {
        pub shape: Shape,
        /// A valid request with the offset unset (or at the first page when it is required).
        pub request: fn() -> R,
        pub pages: fn(&Client, R) -> Pages<R>,
        pub items: fn(&Client, R) -> Items<R>,
    }

    /// What the server holds and how it misbehaves.
    #[derive(Clone, Copy)]
    pub struct Listing {
        /// Number of items.
        pub count: usize,
        /// The total count the answers carry: `None` for none.
        pub total: Option<usize>,
        /// The server answers at most this many items per page.
        pub cap: Option<usize>,
        /// The server ignores the offset and always answers the first page.
        pub stuck: bool,
        /// The server answers HTTP 400 from this call on (0-based).
        pub fail_from: Option<usize>,
    }

    impl Listing {
        pub fn of(count: usize) -> Self {
            Listing { count, total: Some(count), cap: None, stuck: false, fail_from: None }
        }
        pub fn without_total(mut self) -> Self {
            self.total = None;
            self
        }
    }

    /// Sets `value` at a dotted path, creating objects on the way.
    fn put(doc: &mut Value, path: &str, value: Value) {
        let mut cur = doc;
        let mut segments = path.split('.').peekable();
        while let Some(seg) = segments.next() {
            if segments.peek().is_none() {
                cur[seg] = value;
                return;
            }
            if !cur[seg].is_object() {
                cur[seg] = Value::Object(Default::default());
            }
            cur = &mut cur[seg];
        }
    }

    /// The integer a request carries for `name`, in its query or its JSON body.
    fn sent(shape: &Shape, r: &Received, name: &str) -> Option<i64> {
        if shape.in_body {
            let body: Value = serde_json::from_slice(&r.body).ok()?;
            match &body[name] {
                Value::Number(n) => n.as_i64(),
                Value::String(s) => s.parse().ok(),
                _ => None,
            }
        } else {
            let (_, query) = r.target.split_once('?').unwrap_or((&r.target, ""));
            super::super::support::query_pairs(query).into_iter().find(|(k, _)| k == name).and_then(|(_, v)| v.parse().ok())
        }
    }

    /// Serves `listing` the way the operation pages.
    pub async fn serve(shape: Shape, listing: Listing) -> (String, Arc<Mutex<Vec<Received>>>) {
        let calls = Arc::new(Mutex::new(0usize));
        super::serve_with(move |r| {
            let call = {
                let mut c = calls.lock().expect("lock");
                *c += 1;
                *c - 1
            };
            if listing.fail_from.is_some_and(|f| call >= f) {
                return (400, r#"{"error_code":"CBC.0100","error_msg":"Invalid parameter."}"#.to_string());
            }
            let (Some(offset), Some(limit)) = (sent(&shape, r, shape.offset), sent(&shape, r, shape.limit)) else {
                return (400, r#"{"error_code":"CBC.0100","error_msg":"offset or limit missing"}"#.to_string());
            };
            let size = listing.cap.map_or(limit, |c| limit.min(c as i64)).max(0) as usize;
            let start = if listing.stuck {
                0
            } else if shape.pages {
                ((offset - shape.first).max(0) as usize) * limit.max(0) as usize
            } else {
                offset.max(0) as usize
            };
            let end = (start + size).min(listing.count);
            let items: Vec<Value> = (start.min(end)..end).map(shape.item).collect();
            let mut doc = Value::Object(Default::default());
            put(&mut doc, shape.items, Value::Array(items));
            if let (Some(path), Some(total)) = (shape.total, listing.total) {
                put(&mut doc, path, Value::from(total));
            }
            (200, doc.to_string())
        })
        .await
    }

    /// The request of a case with page size `size` and, when given, the offset `offset`.
    fn request<R: Paginated>(case: &Case<R>, size: i64, offset: Option<i64>) -> R {
        let mut r = (case.request)();
        r.set_page_size(size).expect("page size");
        if let Some(o) = offset {
            r.set_offset(o).expect("offset");
        }
        r
    }

    /// The offsets and page sizes the server received, in order.
    fn sent_pages(shape: &Shape, log: &Mutex<Vec<Received>>) -> Vec<(i64, i64)> {
        log.lock()
            .expect("lock")
            .iter()
            .map(|r| (sent(shape, r, shape.offset).expect("offset sent"), sent(shape, r, shape.limit).expect("page size sent")))
            .collect()
    }

    /// Collects a pages stream: the item JSON of each page, then the error that ended it.
    async fn collect_pages<R: Paginated>(mut pages: Pages<R>) -> (Vec<Vec<Value>>, Option<Error>) {
        let mut out = Vec::new();
        while let Some(page) = pages.next().await {
            match page {
                Ok(p) => {
                    assert_eq!(p.request_id(), Some("test-request-id"));
                    out.push(Page::items(p.body()).iter().map(|i| serde_json::to_value(i).expect("item encodes")).collect());
                }
                Err(e) => {
                    assert!(pages.next().await.is_none(), "the stream ends after an error");
                    return (out, Some(e));
                }
            }
        }
        (out, None)
    }

    /// Collects an items stream.
    async fn collect_items<R: Paginated>(mut items: Items<R>) -> (Vec<Value>, Option<Error>) {
        let mut out = Vec::new();
        while let Some(item) = items.next().await {
            match item {
                Ok(i) => out.push(serde_json::to_value(&i).expect("item encodes")),
                Err(e) => {
                    assert!(items.next().await.is_none(), "the stream ends after an error");
                    return (out, Some(e));
                }
            }
        }
        (out, None)
    }

    fn expected(shape: &Shape, range: std::ops::Range<usize>) -> Vec<Value> {
        range.map(shape.item).collect()
    }

    fn assert_items(shape: &Shape, got: &[Value], range: std::ops::Range<usize>) {
        let want = expected(shape, range);
        assert_eq!(got.len(), want.len(), "items received: {got:?}");
        for (g, w) in got.iter().zip(&want) {
            assert!(super::super::support::equivalent(g, w), "item {g} is not {w}");
        }
    }

    /// Offsets of consecutive pages of `size` from the first.
    fn offsets(shape: &Shape, size: i64, calls: usize) -> Vec<(i64, i64)> {
        (0..calls as i64).map(|i| (if shape.pages { shape.first + i } else { i * size }, size)).collect()
    }

    /// Walks `listing` with page size `size`: pages, then items, each from a fresh server.
    /// Returns the pages, the items, and the requests of the pages walk.
    async fn walk<R: Paginated>(case: &Case<R>, listing: Listing, size: i64, offset: Option<i64>) -> (Vec<Vec<Value>>, Option<Error>, Vec<Value>, Option<Error>, Vec<(i64, i64)>) {
        let (url, log) = serve(case.shape, listing).await;
        let client = super::client(&url);
        let (pages, page_err) = collect_pages((case.pages)(&client, request(case, size, offset))).await;
        let sent = sent_pages(&case.shape, &log);
        let (url, log) = serve(case.shape, listing).await;
        let client = super::client(&url);
        let (items, item_err) = collect_items((case.items)(&client, request(case, size, offset))).await;
        assert_eq!(sent_pages(&case.shape, &log), sent, "the items stream makes the same calls as the pages stream");
        (pages, page_err, items, item_err, sent)
    }

    fn ok(e: Option<Error>) {
        if let Some(e) = e {
            panic!("unexpected error: {e:?}");
        }
    }

    /// The streams can move to other tasks (`tokio::spawn`) and need no pinning.
    fn send_and_unpin<T: Send + Unpin>(_: &T) {}

    /// An empty listing: one call, one empty page, no items.
    pub async fn empty<R: Paginated>(case: Case<R>) {
        let client = super::client("http://127.0.0.1:9");
        send_and_unpin(&(case.pages)(&client, (case.request)()));
        send_and_unpin(&(case.items)(&client, (case.request)()));
        let (pages, pe, items, ie, sent) = walk(&case, Listing::of(0), 3, None).await;
        ok(pe);
        ok(ie);
        assert_eq!(pages, vec![Vec::<Value>::new()]);
        assert!(items.is_empty());
        assert_eq!(sent, offsets(&case.shape, 3, 1), "the first call asks for the first page");
    }

    /// Fewer items than a page, no total: one call.
    pub async fn one_short_page<R: Paginated>(case: Case<R>) {
        let (pages, pe, items, ie, sent) = walk(&case, Listing::of(2).without_total(), 3, None).await;
        ok(pe);
        ok(ie);
        assert_eq!(pages.len(), 1);
        assert_items(&case.shape, &items, 0..2);
        assert_eq!(sent, offsets(&case.shape, 3, 1));
    }

    /// Exactly a page with a total: the total ends the walk after one call.
    pub async fn exactly_a_page<R: Paginated>(case: Case<R>) {
        let (pages, pe, items, ie, sent) = walk(&case, Listing::of(3), 3, None).await;
        ok(pe);
        ok(ie);
        assert_eq!(pages.len(), 1);
        assert_items(&case.shape, &items, 0..3);
        assert_eq!(sent, offsets(&case.shape, 3, 1));
    }

    /// Exactly a page without a total: a second call finds the empty page that ends the walk.
    pub async fn exactly_a_page_without_total<R: Paginated>(case: Case<R>) {
        let (pages, pe, items, ie, sent) = walk(&case, Listing::of(3).without_total(), 3, None).await;
        ok(pe);
        ok(ie);
        assert_eq!(pages.len(), 2);
        assert!(pages[1].is_empty());
        assert_items(&case.shape, &items, 0..3);
        assert_eq!(sent, offsets(&case.shape, 3, 2));
    }

    /// Ten items in pages of three, with a total: four calls, every item once, in order.
    pub async fn many_pages<R: Paginated>(case: Case<R>) {
        let (pages, pe, items, ie, sent) = walk(&case, Listing::of(10), 3, None).await;
        ok(pe);
        ok(ie);
        assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), vec![3, 3, 3, 1]);
        assert_items(&case.shape, &items, 0..10);
        assert_eq!(sent, offsets(&case.shape, 3, 4));
    }

    /// Ten items in pages of three, no total: the short last page ends the walk.
    pub async fn many_pages_without_total<R: Paginated>(case: Case<R>) {
        let (pages, pe, items, ie, sent) = walk(&case, Listing::of(10).without_total(), 3, None).await;
        ok(pe);
        ok(ie);
        assert_eq!(pages.len(), 4);
        assert_items(&case.shape, &items, 0..10);
        assert_eq!(sent, offsets(&case.shape, 3, 4));
    }

    /// The total count ends the walk even though the server would list more.
    pub async fn total_count_stop<R: Paginated>(case: Case<R>) {
        let listing = Listing { total: Some(6), ..Listing::of(10) };
        let (pages, pe, items, ie, sent) = walk(&case, listing, 3, None).await;
        ok(pe);
        ok(ie);
        assert_eq!(pages.len(), 2);
        assert_items(&case.shape, &items, 0..6);
        assert_eq!(sent, offsets(&case.shape, 3, 2));
    }

    /// A server that ignores the offset: the repeated page is an error, not an endless loop.
    pub async fn never_advances<R: Paginated>(case: Case<R>) {
        let listing = Listing { stuck: true, ..Listing::of(10) };
        let (pages, pe, items, ie, sent) = walk(&case, listing, 3, None).await;
        assert_eq!(pages.len(), 1, "the repeated page is not yielded");
        assert_items(&case.shape, &items, 0..3);
        assert_eq!(sent, offsets(&case.shape, 3, 2));
        let second = sent[1].0;
        for e in [pe, ie] {
            match e {
                Some(Error::Pagination { offset, problem: PaginationError::Repeated, .. }) => assert_eq!(offset, second),
                other => panic!("expected a repeated-page error, got {other:?}"),
            }
        }
    }

    /// A listing that never ends is cut at the page bound.
    pub async fn page_bound<R: Paginated>(case: Case<R>) {
        let listing = Listing::of(1000).without_total();
        let (url, log) = serve(case.shape, listing).await;
        let client = super::client(&url);
        let (pages, err) = collect_pages((case.pages)(&client, request(&case, 3, None)).max_pages(4)).await;
        assert_eq!(pages.len(), 4);
        assert!(matches!(err, Some(Error::Pagination { problem: PaginationError::TooManyPages(4), .. })), "{err:?}");
        assert_eq!(sent_pages(&case.shape, &log).len(), 4, "no call beyond the bound");
        let (url, log) = serve(case.shape, listing).await;
        let client = super::client(&url);
        let (items, err) = collect_items((case.items)(&client, request(&case, 3, None)).max_pages(2)).await;
        assert_items(&case.shape, &items, 0..6);
        assert!(matches!(err, Some(Error::Pagination { problem: PaginationError::TooManyPages(2), .. })), "{err:?}");
        assert_eq!(sent_pages(&case.shape, &log).len(), 2);
    }

    /// A request without a page size is sent with the documented one, so that the short last
    /// page ends the walk without another call.
    pub async fn documented_page_size<R: Paginated>(case: Case<R>) {
        let size = case.shape.default_size.expect("a documented page size");
        assert_eq!((case.request)().page_size(), None, "the test request sets no page size");
        let listing = Listing::of(size as usize + 1).without_total();
        let (url, log) = serve(case.shape, listing).await;
        let client = super::client(&url);
        let (pages, err) = collect_pages((case.pages)(&client, (case.request)())).await;
        ok(err);
        assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), vec![size as usize, 1]);
        assert_eq!(sent_pages(&case.shape, &log), offsets(&case.shape, size, 2));
    }

    /// An offset that would overflow its 32-bit parameter ends the walk with a clear error.
    /// (Validation is off: most operations document a smaller maximum, which it would report.)
    pub async fn offset_out_of_range<R: Paginated>(case: Case<R>) {
        let max = i64::from(i32::MAX);
        let (start, next) = if case.shape.pages { (max, max + 1) } else { (max - 1, max + 2) };
        let listing = Listing { stuck: true, ..Listing::of(10).without_total() };
        let (url, log) = serve(case.shape, listing).await;
        let client = huaweicloud_bss::Client::builder()
            .endpoint(url)
            .credentials(huaweicloud_bss::Credentials::aksk("TESTAK", "TESTSK"))
            .validate_requests(false)
            .build()
            .expect("client");
        let (pages, err) = collect_pages((case.pages)(&client, request(&case, 3, Some(start)))).await;
        assert_eq!(pages.len(), 1);
        assert!(
            matches!(err, Some(Error::Pagination { offset, problem: PaginationError::OutOfRange(o), .. }) if offset == next && o == next),
            "{err:?}"
        );
        assert_eq!(sent_pages(&case.shape, &log).len(), 1, "nothing is sent with an offset that does not fit");
    }

    /// The walk starts at the request's own offset.
    pub async fn starts_at_request_offset<R: Paginated>(case: Case<R>) {
        let (start, skipped) = if case.shape.pages { (case.shape.first + 1, 3) } else { (4, 4) };
        let (_, pe, items, ie, sent) = walk(&case, Listing::of(10), 3, Some(start)).await;
        ok(pe);
        ok(ie);
        assert_items(&case.shape, &items, skipped..10);
        assert_eq!(sent[0], (start, 3));
    }

    /// A service error on the second call ends both streams with that error.
    pub async fn error_mid_walk<R: Paginated>(case: Case<R>) {
        let listing = Listing { fail_from: Some(1), ..Listing::of(10) };
        let (pages, pe, items, ie, sent) = walk(&case, listing, 3, None).await;
        assert_eq!(pages.len(), 1);
        assert_items(&case.shape, &items, 0..3);
        assert_eq!(sent.len(), 2);
        for e in [pe, ie] {
            let e = e.expect("the error is yielded");
            assert_eq!(e.as_service().map(|s| (s.status, s.code().map(|c| c.as_str()))), Some((400, Some("CBC.0100"))), "{e:?}");
        }
    }

    /// A server that answers fewer items than asked (a capped page size): record offsets advance
    /// by what was received, so nothing is skipped.
    pub async fn capped_page_size<R: Paginated>(case: Case<R>) {
        assert!(!case.shape.pages, "only record offsets can follow a capped page size");
        let listing = Listing { cap: Some(2), ..Listing::of(5) };
        let (_, pe, items, ie, sent) = walk(&case, listing, 3, None).await;
        ok(pe);
        ok(ie);
        assert_items(&case.shape, &items, 0..5);
        assert_eq!(sent, vec![(0, 3), (2, 3), (4, 3)]);
    }
}

/// A small deterministic PRNG (SplitMix64): the same seed always gives the same inputs.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: &str) -> Self {
        Rng(seed.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x1000_0000_01b3)))
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

/// Decoder robustness: arbitrary bytes and mutated documented bodies never make decoding panic.
pub mod fuzz {
    use super::Rng;
    use huaweicloud_bss::Error;
    use serde::de::DeserializeOwned;
    use serde::Serialize;
    use serde_json::Value;

    const SENTINEL: &str = "\u{1}fuzz\u{1}";

    /// Raw JSON put in place of a value: other types, huge and tiny numbers, odd text, nesting.
    fn replacements() -> Vec<String> {
        let mut r: Vec<String> = [
            "null", "true", "0", "-1", "1.5", "\"\"", "\"12\"", "\"x\"", "[]", "{}", "1e400", "-1e400",
            "123456789012345678901234567890", "-9223372036854775809", "18446744073709551616", "1e-400",
            "\"1e999\"", "\"\\ud800\"", "\"99999999999999999999999999999.5\"",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        r.push(format!("{}{}", "[".repeat(300), "]".repeat(300)));
        r.push(format!("{}0{}", "{\"k\":".repeat(300), "}".repeat(300)));
        r
    }

    /// JSON fragments random documents are made of.
    const TOKENS: &[&str] = &[
        "{", "}", "[", "]", ":", ",", "\"", "\"a\"", "\"error_code\"", "\"CBC.0000\"", "\"CBC.0100\"", "0", "-", "1", "9", ".", "e", "E",
        "+", "true", "false", "null", "\\", "\\u00", " ", "\n", "\"total_count\"", "99999999999999999999", "\u{0}", "é",
    ];

    /// Every path to a value of `doc`, as JSON pointers.
    fn pointers(doc: &Value, at: String, out: &mut Vec<String>) {
        out.push(at.clone());
        match doc {
            Value::Object(m) => {
                for (k, v) in m {
                    pointers(v, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out);
                }
            }
            Value::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    pointers(v, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }

    /// The inputs for one operation: random bytes, random JSON-like text, and mutations of the
    /// documented bodies.
    pub fn inputs(seed: &str, examples: &[&str]) -> Vec<Vec<u8>> {
        let mut rng = Rng::new(seed);
        let mut out: Vec<Vec<u8>> = vec![Vec::new(), b" ".to_vec(), b"null".to_vec(), b"{}".to_vec(), b"[]".to_vec()];
        for _ in 0..24 {
            let n = rng.below(48);
            out.push((0..n).map(|_| rng.next() as u8).collect());
        }
        for _ in 0..24 {
            let n = rng.below(24);
            out.push((0..n).map(|_| TOKENS[rng.below(TOKENS.len())]).collect::<String>().into_bytes());
        }
        // Deep nesting, in and out of objects.
        out.push(format!("{}{}", "[".repeat(5000), "]".repeat(5000)).into_bytes());
        out.push(format!("{}1{}", "{\"a\":".repeat(5000), "}".repeat(5000)).into_bytes());
        let examples: Vec<&str> = if examples.is_empty() { vec!["{}"] } else { examples.to_vec() };
        for ex in examples {
            let bytes = ex.as_bytes();
            // Truncations.
            for i in 0..16 {
                out.push(bytes[..bytes.len() * i / 16].to_vec());
            }
            // Flipped, inserted and deleted bytes.
            for _ in 0..24 {
                let mut b = bytes.to_vec();
                if b.is_empty() {
                    break;
                }
                let at = rng.below(b.len());
                match rng.below(3) {
                    0 => b[at] ^= 1 << rng.below(8),
                    1 => b.insert(at, rng.next() as u8),
                    _ => {
                        b.remove(at);
                    }
                }
                out.push(b);
            }
            // Values replaced by other types, huge numbers, deep nesting.
            let Ok(doc) = serde_json::from_str::<Value>(ex) else { continue };
            let mut ptrs = Vec::new();
            pointers(&doc, String::new(), &mut ptrs);
            let step = ptrs.len().div_ceil(24).max(1);
            let all = replacements();
            for (i, p) in ptrs.iter().enumerate().filter(|(i, _)| i % step == 0) {
                for r in [&all[i % all.len()], &all[rng.below(all.len())], &all[rng.below(all.len())]] {
                    let mut d = doc.clone();
                    if let Some(slot) = d.pointer_mut(p) {
                        *slot = Value::String(SENTINEL.into());
                    }
                    let text = d.to_string().replacen(&Value::String(SENTINEL.into()).to_string(), r, 1);
                    out.push(text.into_bytes());
                }
            }
        }
        out
    }

    fn show(bytes: &[u8]) -> String {
        let s = String::from_utf8_lossy(bytes);
        if s.chars().count() > 300 { format!("{}… ({} bytes)", s.chars().take(300).collect::<String>(), bytes.len()) } else { s.into_owned() }
    }

    /// Feeds every input to serde and to the client's answer decoder as a success body of
    /// `operation` (type `T`) and as an error body: nothing panics, a decoded value re-encodes to
    /// JSON that decodes to the same value, and each outcome is the error kind it must be.
    pub fn decoder<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(operation: &'static str, examples: &[&str], error_examples: &[&str]) {
        let mut all = inputs(operation, examples);
        let mut error_inputs = inputs(&format!("{operation}/error"), error_examples);
        error_inputs.push(br#"{"error_code":"CBC.0100","error_msg":"Invalid parameter."}"#.to_vec());
        for bytes in &all {
            let outcome = std::panic::catch_unwind(|| {
                if let Ok(value) = serde_json::from_slice::<T>(bytes) {
                    let again = serde_json::to_vec(&value).expect("a decoded value encodes");
                    let back: T = serde_json::from_slice(&again).expect("an encoded value decodes");
                    assert_eq!(back, value, "re-encoding changes the value");
                }
                match huaweicloud_bss::decode_answer::<T>(operation, 200, bytes) {
                    Ok(_) => {}
                    Err(Error::Decode { status: 200, body, .. }) => assert_eq!(body, *bytes, "the undecodable body is kept"),
                    Err(Error::Service(e)) => assert!(e.code().is_some(), "an HTTP-200 service error has a code"),
                    Err(other) => panic!("unexpected error kind: {other:?}"),
                }
            });
            assert!(outcome.is_ok(), "{operation}: decoding panicked on {}", show(bytes));
        }
        all.append(&mut error_inputs);
        for bytes in &all {
            for status in [400, 429, 500] {
                let outcome = std::panic::catch_unwind(|| match huaweicloud_bss::decode_answer::<T>(operation, status, bytes) {
                    Err(Error::Service(e)) => {
                        assert_eq!((e.status, e.operation), (status, operation));
                        assert_eq!(e.raw_body.is_some(), !bytes.iter().all(u8::is_ascii_whitespace), "a non-blank error body is kept");
                    }
                    other => panic!("HTTP {status} must be a service error, got {other:?}"),
                });
                assert!(outcome.is_ok(), "{operation}: decoding an HTTP {status} answer panicked on {}", show(bytes));
            }
        }
    }
}

/// Forward compatibility checks.
pub mod compat {
    use serde::de::DeserializeOwned;
    use serde::Serialize;
    use serde_json::Value;

    /// An unknown code decodes, and encodes back to exactly the same JSON.
    pub fn unknown_code<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(json: &str, expected: T) {
        let value: T = serde_json::from_str(json).expect("an unknown code decodes");
        assert_eq!(value, expected);
        assert_eq!(serde_json::to_string(&value).expect("encodes"), json, "the unknown code is sent back unchanged");
    }

    /// An unknown code inside a value of `T` at `field` survives decode and encode.
    pub fn unknown_code_in<T: DeserializeOwned + Serialize>(mut doc: Value, field: &str, code: Value) {
        doc[field] = code.clone();
        let value: T = serde_json::from_value(doc).expect("a value with an unknown code decodes");
        let back = serde_json::to_value(&value).expect("encodes");
        assert_eq!(back[field], code, "the unknown code is sent back unchanged");
    }

    /// Adds an unknown member to every object of `doc`, except inside the members named in
    /// `open` (maps and free JSON, where any member is data).
    fn add_unknown(doc: &mut Value, open: &[&str]) {
        match doc {
            Value::Object(m) => {
                for (k, v) in m.iter_mut() {
                    if !open.contains(&k.as_str()) {
                        add_unknown(v, open);
                    }
                }
                m.insert("x_field_added_later".into(), serde_json::json!({"nested": [1, "two", null, {"deep": true}]}));
            }
            Value::Array(a) => a.iter_mut().for_each(|v| add_unknown(v, open)),
            _ => {}
        }
    }

    /// Unknown members anywhere in a documented body are ignored: the body decodes to the same
    /// value as without them. `open` names the members whose values are maps or free JSON.
    pub fn ignores_unknown_fields<T: DeserializeOwned + PartialEq + std::fmt::Debug>(examples: &[&str], open: &[&str]) {
        let examples: Vec<&str> = if examples.is_empty() { vec!["{}"] } else { examples.to_vec() };
        for ex in examples {
            let plain: T = serde_json::from_str(ex).expect("the documented body decodes");
            let mut doc: Value = serde_json::from_str(ex).expect("JSON");
            add_unknown(&mut doc, open);
            assert!(doc.to_string().contains("x_field_added_later"));
            let extended: T = serde_json::from_value(doc).expect("unknown fields do not fail decoding");
            assert_eq!(extended, plain);
        }
    }

    /// Numbers and booleans sent as strings decode to the same value as sent plainly.
    pub fn numbers_as_strings<T: DeserializeOwned + PartialEq + std::fmt::Debug>(doc: Value, fields: &[&str]) {
        let plain: T = serde_json::from_value(doc.clone()).expect("the plain value decodes");
        let mut quoted = doc;
        for f in fields {
            let v = &mut quoted[*f];
            *v = match v.take() {
                Value::Array(a) => Value::Array(a.into_iter().map(|x| Value::String(x.to_string())).collect()),
                Value::Null => panic!("field `{f}` is not set in the test value"),
                Value::String(s) => Value::String(s),
                other => Value::String(other.to_string()),
            };
        }
        let text = quoted.to_string();
        let decoded: T = serde_json::from_value(quoted).unwrap_or_else(|e| panic!("quoted numbers do not decode ({e}): {text}"));
        assert_eq!(decoded, plain);
    }
}

/// Redaction checks.
pub mod redaction {
    use std::fmt::Debug;

    use huaweicloud_bss::{decode_answer, Error};
    use serde::de::DeserializeOwned;
    use serde::Serialize;

    /// Neither `Debug` nor pretty `Debug` of `value` shows `secret`; both name `field`.
    pub fn debug_hides<T: Debug>(value: &T, secret: &str, field: &str) {
        for debug in [format!("{value:?}"), format!("{value:#?}")] {
            assert!(!debug.contains(secret), "Debug shows the secret: {debug}");
            assert!(debug.contains(field), "Debug does not name `{field}`: {debug}");
            assert!(debug.contains("<redacted>"), "Debug does not mark the redaction: {debug}");
        }
    }

    /// The wire parts a request writes (before signing) do not show `secret` in `Debug`.
    pub fn writer_hides<R: huaweicloud_bss::request::ApiRequest>(request: &R, secret: &str) {
        let mut w = huaweicloud_bss::request::RequestWriter::default();
        request.write(&mut w).expect("the request encodes");
        let debug = format!("{w:?}");
        assert!(!debug.contains(secret), "RequestWriter shows the secret: {debug}");
        assert!(debug.contains("RequestWriter"), "{debug}");
    }

    /// Credentials, and the builder and client holding them, never show the secret key, the
    /// security token, the IAM token or the whole access key.
    pub fn credentials_hidden() {
        let secrets = ["AKIDEXAMPLE1234", "sk-S3cr3t-value", "st-S3cr3t-value", "iam-S3cr3t-token"];
        let aksk = huaweicloud_bss::Credentials::aksk(secrets[0], secrets[1]).with_security_token(secrets[2]).with_domain_id("domain-1");
        let token = huaweicloud_bss::Credentials::token(secrets[3]);
        for credentials in [aksk, token] {
            let builder = huaweicloud_bss::Client::builder().endpoint("http://127.0.0.1:9").credentials(credentials.clone());
            let shown = [format!("{credentials:?}"), format!("{credentials:#?}"), format!("{builder:?}")];
            let client = builder.build().expect("client");
            for debug in shown.iter().chain([&format!("{client:?}")]) {
                for s in secrets {
                    assert!(!debug.contains(s), "Debug shows `{s}`: {debug}");
                }
                assert!(debug.contains("<redacted>"), "{debug}");
            }
        }
        let aksk = huaweicloud_bss::Credentials::aksk(secrets[0], secrets[1]);
        assert!(format!("{aksk:?}").contains("AKID…"), "the access key is recognisable by its first characters");
    }

    /// `json` decodes into a `T` holding `secret` (it re-encodes with it), and the secret shows
    /// neither in `Debug` of the value, nor of the answer, nor of the errors of an undecodable
    /// answer or an error answer carrying the same body.
    pub fn hidden<T: DeserializeOwned + Serialize + Debug>(json: &str, secret: &str, field: &str) {
        // A body printed as a byte list would hold the secret as this run of numbers.
        let as_bytes = format!("{:?}", secret.as_bytes());
        let as_bytes = as_bytes.trim_matches(['[', ']']);
        let value: T = serde_json::from_str(json).expect("the test value decodes");
        let encoded = serde_json::to_string(&value).expect("encodes");
        assert!(encoded.contains(secret), "the secret is not in the value: {encoded}");
        debug_hides(&value, secret, field);
        let answer = decode_answer::<T>("Redaction", 200, json.as_bytes()).expect("the answer decodes");
        debug_hides(&answer, secret, field);
        let broken = format!("{json},");
        let err = decode_answer::<T>("Redaction", 200, broken.as_bytes()).expect_err("a trailing comma does not decode");
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
        for shown in [format!("{err:?}"), format!("{err:#?}"), err.to_string()] {
            assert!(!shown.contains(secret) && !shown.contains(as_bytes), "the decode error shows the secret: {shown}");
        }
        let err = decode_answer::<T>("Redaction", 400, json.as_bytes()).expect_err("HTTP 400 is an error");
        assert!(err.as_service().is_some_and(|e| e.raw_body.as_deref() == Some(json)), "the raw body is kept");
        for shown in [format!("{err:?}"), format!("{err:#?}"), err.to_string()] {
            assert!(!shown.contains(secret) && !shown.contains(as_bytes), "the service error shows the secret: {shown}");
        }
    }
}
