//! Criterion benchmarks of the generated client.
//!
//! * `signing/*`: `SDK-HMAC-SHA256` signing of a typical request.
//! * `ListSubCustomers/generated_client`: one call through the generated client (build the
//!   request, validate it, serialize, sign, send, receive, check for an error code, decode)
//!   against a local keep-alive server answering a page of 10 customers.
//! * `ListSubCustomers/hand_written`: the same call written by hand with reqwest, serde_json and
//!   the same signer, against the same server, with the same `reqwest::Client`.
//!
//! After the run the ratio of the two means is printed, and the ratio measured again in
//! alternating blocks of calls (the median over rounds, with its range), which a change of load
//! on a shared machine between the two Criterion measurements does not skew. Run with
//! `cargo bench -p bss-tests --bench overhead` (see the repository README);
//! `cargo test --all-targets` runs each benchmark once as a test.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use bss_tests::fault_server::{FaultServer, Step};
use criterion::Criterion;
use huaweicloud_bss::customers::{ListSubCustomersRequest, QuerySubCustomerListBody};
use huaweicloud_bss::signer::{SignableRequest, sdk_date, sign};
use huaweicloud_bss::{Client, Credentials, RetryPolicy};
use serde::{Deserialize, Serialize};

const AK: &str = "BENCHACCESSKEY000001";
const SK: &str = "bench-secret-key-0123456789abcdef";
const PATH: &str = "/v2/partners/sub-customers/query";

/// Total time and iterations measured per benchmark, for the ratio printed at the end.
static TOTALS: Mutex<BTreeMap<&'static str, (Duration, u64)>> = Mutex::new(BTreeMap::new());

fn record(name: &'static str, elapsed: Duration, iters: u64) {
    let mut totals = TOTALS.lock().expect("totals lock");
    let entry = totals.entry(name).or_default();
    entry.0 += elapsed;
    entry.1 += iters;
}

/// A page of 10 customers, as ListSubCustomers answers it.
fn page() -> String {
    let customers: Vec<String> = (0..10)
        .map(|i| {
            format!(
                r#"{{"customer":"Customer {i} Ltd.","account_name":"account_{i}","customer_id":"0a1b2c3d4e5f60718293a4b5c6d7e8f{i}","associated_on":"2024-03-01T08:05:01Z","association_type":"1","label":"gold","telephone":"0086-1380000000{i}","verified_status":"1","country_code":"0086","customer_type":1,"is_frozen":0,"account_managers":[{{"account_name":"manager_{i}"}}],"xaccount_id":"partner-user-{i}","xaccount_type":"partner_platform","customer_level":"V2","email":"customer{i}@example.com"}}"#
            )
        })
        .collect();
    format!(
        r#"{{"count":57,"customer_infos":[{}]}}"#,
        customers.join(",")
    )
}

fn signing(c: &mut Criterion) {
    let mut group = c.benchmark_group("signing");
    let body = br#"{"account_name":"account","offset":0,"limit":10,"association_type":"1"}"#;
    let headers = vec![
        ("Content-Type".to_string(), "application/json".to_string()),
        (
            "User-Agent".to_string(),
            "huaweicloud-bss-rust/0.1.0".to_string(),
        ),
        ("X-Security-Token".to_string(), "t".repeat(1024)),
    ];
    group.bench_function("post_with_body", |b| {
        b.iter(|| {
            let request = SignableRequest {
                method: "POST",
                host: "bss-intl.myhuaweicloud.com",
                path: PATH,
                query: &[],
                headers: &headers,
                body,
            };
            black_box(sign(black_box(&request), AK, SK, "20240301T080501Z"))
        })
    });
    let query: Vec<(String, String)> = [("offset", "0"), ("limit", "10"), ("status", "2")]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    group.bench_function("get_with_query", |b| {
        b.iter(|| {
            let request = SignableRequest {
                method: "GET",
                host: "bss-intl.myhuaweicloud.com",
                path: "/v2/orders/customer-orders",
                query: &query,
                headers: &headers[..2],
                body: b"",
            };
            black_box(sign(black_box(&request), AK, SK, "20240301T080501Z"))
        })
    });
    group.finish();
}

#[derive(Serialize)]
struct HandQuery<'a> {
    account_name: &'a str,
    offset: i32,
    limit: i32,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandManager {
    account_name: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandCustomer {
    customer: Option<String>,
    account_name: Option<String>,
    customer_id: Option<String>,
    associated_on: Option<String>,
    association_type: Option<String>,
    label: Option<String>,
    telephone: Option<String>,
    verified_status: Option<String>,
    country_code: Option<String>,
    customer_type: Option<i32>,
    is_frozen: Option<i32>,
    account_managers: Option<Vec<HandManager>>,
    xaccount_id: Option<String>,
    xaccount_type: Option<String>,
    customer_level: Option<String>,
    email: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandPage {
    error_code: Option<String>,
    error_msg: Option<String>,
    customer_infos: Option<Vec<HandCustomer>>,
    count: Option<i32>,
}

/// ListSubCustomers written by hand: serialize, sign, send, read, decode.
async fn hand_written(http: &reqwest::Client, base: &str, host: &str) -> HandPage {
    let body = serde_json::to_vec(&HandQuery {
        account_name: "account",
        offset: 0,
        limit: 10,
    })
    .expect("body");
    let headers = [("Content-Type".to_string(), "application/json".to_string())];
    let date = sdk_date(SystemTime::now());
    let signature = sign(
        &SignableRequest {
            method: "POST",
            host,
            path: PATH,
            query: &[],
            headers: &headers,
            body: &body,
        },
        AK,
        SK,
        &date,
    );
    let response = http
        .post(format!("{base}{PATH}"))
        .header("Content-Type", "application/json")
        .header("X-Sdk-Date", date)
        .header("Authorization", signature.authorization)
        .body(body)
        .send()
        .await
        .expect("sent");
    assert!(response.status().is_success());
    let bytes = response.bytes().await.expect("body");
    let page: HandPage = serde_json::from_slice(&bytes).expect("decoded");
    assert!(page.error_code.is_none());
    page
}

/// ListSubCustomers through the generated client.
async fn generated(client: &Client) -> usize {
    let request = ListSubCustomersRequest::new(
        QuerySubCustomerListBody::new()
            .account_name("account")
            .offset(0)
            .limit(10),
    );
    let page = client.list_sub_customers(request).await.expect("call");
    page.customer_infos.as_ref().map_or(0, Vec::len)
}

fn per_request(c: &mut Criterion) {
    // The server runs on its own thread so that the client's runtime measures only the client.
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("server runtime");
    let server = server_rt.block_on(FaultServer::always(Step::json(200, &page())));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let http = reqwest::Client::builder().build().expect("reqwest client");
    let host = server.url.trim_start_matches("http://").to_string();
    let client = Client::builder()
        .endpoint(&server.url)
        .credentials(Credentials::aksk(AK, SK))
        .http_client(http.clone())
        .retry_policy(RetryPolicy::disabled())
        .rate_limiting(false)
        .build()
        .expect("client");
    // Both answer the same page before anything is measured.
    let (n, hand) = rt.block_on(async {
        (
            generated(&client).await,
            hand_written(&http, &server.url, &host).await,
        )
    });
    assert_eq!((n, hand.customer_infos.map_or(0, |c| c.len())), (10, 10));

    let mut group = c.benchmark_group("ListSubCustomers");
    group.bench_function("generated_client", |b| {
        b.to_async(&rt).iter_custom(|iters| {
            let client = client.clone();
            async move {
                let start = Instant::now();
                for _ in 0..iters {
                    black_box(generated(&client).await);
                }
                let elapsed = start.elapsed();
                record("generated_client", elapsed, iters);
                elapsed
            }
        })
    });
    group.bench_function("hand_written", |b| {
        b.to_async(&rt).iter_custom(|iters| {
            let (http, base, host) = (http.clone(), server.url.clone(), host.clone());
            async move {
                let start = Instant::now();
                for _ in 0..iters {
                    black_box(hand_written(&http, &base, &host).await);
                }
                let elapsed = start.elapsed();
                record("hand_written", elapsed, iters);
                elapsed
            }
        })
    });
    group.finish();
    // Criterion measures the two one after the other, so a change in the load of a shared
    // machine between them shows up in their ratio. When they were measured (not in a test
    // run), they are measured again in alternating blocks, which cancels such drift.
    let measured = TOTALS
        .lock()
        .expect("totals lock")
        .get("generated_client")
        .is_some_and(|(_, iters)| *iters >= 100);
    if measured {
        let url = server.url.clone();
        let ratios = rt.block_on(paired(&client, &http, &url, &host));
        *PAIRED.lock().expect("paired lock") = Some(ratios);
    }
    drop(server_rt);
}

/// Rounds and calls per block of the paired measurement.
const PAIRED_ROUNDS: usize = 40;
const PAIRED_BLOCK: u32 = 200;

/// Per round: mean µs per call of the generated client and of the hand-written call.
static PAIRED: Mutex<Option<Vec<(f64, f64)>>> = Mutex::new(None);

/// Alternating blocks of calls, the order swapped every round.
async fn paired(
    client: &Client,
    http: &reqwest::Client,
    base: &str,
    host: &str,
) -> Vec<(f64, f64)> {
    let mut rounds = Vec::with_capacity(PAIRED_ROUNDS);
    for round in 0..PAIRED_ROUNDS {
        let mut times = [0.0; 2];
        let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
        for which in order {
            let start = Instant::now();
            for _ in 0..PAIRED_BLOCK {
                if which == 0 {
                    black_box(generated(client).await);
                } else {
                    black_box(hand_written(http, base, host).await);
                }
            }
            times[which] = start.elapsed().as_secs_f64() * 1e6 / f64::from(PAIRED_BLOCK);
        }
        rounds.push((times[0], times[1]));
    }
    rounds
}

fn print_ratio() {
    let totals = TOTALS.lock().expect("totals lock");
    let mean = |name: &str| {
        totals
            .get(name)
            .filter(|(_, iters)| *iters >= 100)
            .map(|(elapsed, iters)| elapsed.as_secs_f64() / *iters as f64)
    };
    match (mean("generated_client"), mean("hand_written")) {
        (Some(generated), Some(hand)) => println!(
            "\nListSubCustomers per request (mean of every timed iteration, warm-up included): \
             generated client {:.1} µs, hand-written reqwest + serde_json {:.1} µs, ratio {:.3}",
            generated * 1e6,
            hand * 1e6,
            generated / hand
        ),
        _ => {
            println!("(run `cargo bench -p bss-tests` to print the generated / hand-written ratio)")
        }
    }
    if let Some(rounds) = PAIRED.lock().expect("paired lock").as_ref() {
        let median = |mut v: Vec<f64>| {
            v.sort_by(f64::total_cmp);
            (v[v.len() / 2], v[0], v[v.len() - 1])
        };
        let (generated, _, _) = median(rounds.iter().map(|r| r.0).collect());
        let (hand, _, _) = median(rounds.iter().map(|r| r.1).collect());
        let (ratio, low, high) = median(rounds.iter().map(|r| r.0 / r.1).collect());
        println!(
            "ListSubCustomers in {PAIRED_ROUNDS} rounds of alternating blocks of {PAIRED_BLOCK} \
             calls (medians): generated client {generated:.1} µs, hand-written {hand:.1} µs, \
             ratio {ratio:.3} (rounds range {low:.3}..{high:.3})"
        );
    }
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    signing(&mut criterion);
    per_request(&mut criterion);
    criterion.final_summary();
    print_ratio();
}
