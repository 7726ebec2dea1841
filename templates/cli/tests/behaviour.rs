//! The CLI's behaviour beyond one call per operation: bad input, exit codes, dry runs, output
//! formats, page walks, help, completions and the man page.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bss_emulator::Scenario;
use support::{bss, run, start};

const BUDGET: &[&str] = &[
    "budgets",
    "show-sub-customer-budget",
    "--customer-id",
    "053a48736500d5f40ffec01689b88480",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shows_a_budget_against_the_emulator() {
    let emulator = start().await;
    let out = bss(&emulator, BUDGET).await;
    out.assert_exit(0, &emulator);
    let json = out.json();
    assert!(json.get("budget_amount").is_some(), "{json}");
    assert_eq!(
        emulator.requests()[0].query_param("customer_id"),
        Some("053a48736500d5f40ffec01689b88480")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_value_out_of_range_names_the_flag_and_sends_nothing() {
    let emulator = start().await;
    let long = "x".repeat(65);
    let out = bss(
        &emulator,
        &[
            "budgets",
            "show-sub-customer-budget",
            "--customer-id",
            &long,
        ],
    )
    .await;
    out.assert_exit(2, &emulator);
    assert!(
        out.stderr
            .contains("--customer-id is 65 characters long; the maximum is 64"),
        "{}",
        out.stderr
    );
    assert!(emulator.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_body_is_refused_with_its_position() {
    let emulator = start().await;
    let out = bss(
        &emulator,
        &[
            "budgets",
            "update-sub-customer-budget",
            "--body",
            "{\"customer_id\": }",
        ],
    )
    .await;
    out.assert_exit(2, &emulator);
    assert!(
        out.stderr
            .contains("--body is not JSON: expected a JSON value at line 1 column 17"),
        "{}",
        out.stderr
    );
    assert!(emulator.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_of_the_wrong_type_is_refused() {
    let emulator = start().await;
    let out = bss(
        &emulator,
        &[
            "budgets",
            "update-sub-customer-budget",
            "--body",
            r#"{"customer_id": "c", "budget_amount": "lots"}"#,
        ],
    )
    .await;
    out.assert_exit(2, &emulator);
    assert!(
        out.stderr
            .contains("--body does not fit ModSubCustomerBudgetReq"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("lots"), "{}", out.stderr);
    let missing = bss(
        &emulator,
        &["budgets", "update-sub-customer-budget", "--body", "{}"],
    )
    .await;
    missing.assert_exit(2, &emulator);
    assert!(
        missing.stderr.contains("missing field `customer_id`"),
        "{}",
        missing.stderr
    );
    assert!(emulator.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_flag_is_a_usage_error() {
    let emulator = start().await;
    let out = bss(
        &emulator,
        &[
            "budgets",
            "show-sub-customer-budget",
            "--customer-id",
            "c",
            "--no-such-flag",
            "1",
        ],
    )
    .await;
    out.assert_exit(2, &emulator);
    assert!(out.stderr.contains("--no-such-flag"), "{}", out.stderr);
    assert!(emulator.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn body_flags_build_the_body_and_keep_numbers_numbers() {
    let emulator = start().await;
    let out = bss(
        &emulator,
        &[
            "budgets",
            "update-sub-customer-budget",
            "--customer-id",
            "c1",
            "--budget-amount",
            "100.5",
        ],
    )
    .await;
    out.assert_exit(0, &emulator);
    let sent = emulator.requests()[0].json().expect("a JSON body");
    assert_eq!(sent["customer_id"], "c1");
    assert_eq!(sent["budget_amount"].as_f64(), Some(100.5), "{sent}");
    // A flag overrides the same member of --body.
    let both = bss(
        &emulator,
        &[
            "budgets",
            "update-sub-customer-budget",
            "--body",
            r#"{"customer_id": "a", "budget_amount": 1}"#,
            "--customer-id",
            "b",
        ],
    )
    .await;
    both.assert_exit(0, &emulator);
    assert_eq!(
        emulator.requests()[1].json().expect("body")["customer_id"],
        "b"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_come_from_stdin_and_files() {
    let emulator = start().await;
    let endpoint = emulator.url();
    let creds = [
        ("HUAWEICLOUD_SDK_AK", emulator.access_key()),
        ("HUAWEICLOUD_SDK_SK", emulator.secret_key()),
    ];
    let body = r#"{"customer_id": "from-stdin", "budget_amount": 3}"#;
    let out = run(
        &[
            "budgets",
            "update-sub-customer-budget",
            "--body",
            "-",
            "--endpoint",
            &endpoint,
        ],
        &creds,
        Some(body),
    )
    .await;
    out.assert_exit(0, &emulator);
    assert_eq!(
        emulator.requests()[0].json().expect("body")["customer_id"],
        "from-stdin"
    );
    let file = std::env::temp_dir().join(format!("bss-cli-body-{}.json", std::process::id()));
    std::fs::write(&file, body.replace("from-stdin", "from-file")).expect("write the body file");
    let arg = format!("@{}", file.display());
    let out = run(
        &[
            "budgets",
            "update-sub-customer-budget",
            "--body",
            &arg,
            "--endpoint",
            &endpoint,
        ],
        &creds,
        None,
    )
    .await;
    let _ = std::fs::remove_file(&file);
    out.assert_exit(0, &emulator);
    assert_eq!(
        emulator.requests()[1].json().expect("body")["customer_id"],
        "from-file"
    );
    let missing = run(
        &[
            "budgets",
            "update-sub-customer-budget",
            "--body",
            "@/no/such/file.json",
            "--endpoint",
            &endpoint,
        ],
        &creds,
        None,
    )
    .await;
    missing.assert_exit(2, &emulator);
    assert!(
        missing.stderr.contains("--body @/no/such/file.json"),
        "{}",
        missing.stderr
    );
}

/// A local listener that counts the connections it is offered.
async fn counting_listener() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            seen.fetch_add(1, Ordering::SeqCst);
            drop(socket);
        }
    });
    (url, count)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_prints_the_request_with_secrets_redacted_and_never_sends() {
    let (url, connections) = counting_listener().await;
    let creds = [
        ("HUAWEICLOUD_SDK_AK", "AKTESTVISIBLE0001"),
        ("HUAWEICLOUD_SDK_SK", "sk-must-never-show"),
    ];
    let args = [
        "budgets",
        "update-sub-customer-budget",
        "--customer-id",
        "c1",
        "--budget-amount",
        "7.25",
        "--dry-run",
        "--endpoint",
        &url,
        "--language",
        "en_US",
    ];
    let out = run(&args, &creds, None).await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let expected_first = format!("POST {url}/v2/partners/sub-customers/budget\n");
    assert!(out.stdout.starts_with(&expected_first), "{}", out.stdout);
    assert!(out.stdout.contains("X-Language: en_US"), "{}", out.stdout);
    assert!(
        out.stdout.contains("Authorization: <redacted>"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("\"budget_amount\": 7.25"),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains("sk-must-never-show") && !out.stdout.contains("AKTESTVISIBLE0001"),
        "{}",
        out.stdout
    );
    // A query parameter goes into the URL; no credentials are needed to see it.
    let out = run(
        &[
            "budgets",
            "show-sub-customer-budget",
            "--customer-id",
            "a b",
            "--dry-run",
            "--endpoint",
            &url,
        ],
        &[],
        None,
    )
    .await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stdout.starts_with(&format!(
            "GET {url}/v2/partners/sub-customers/budget?customer_id=a%20b\n"
        )),
        "{}",
        out.stdout
    );
    // A dry run of an invalid request is refused like a real one.
    let out = run(
        &[
            "budgets",
            "show-sub-customer-budget",
            "--customer-id",
            &"x".repeat(65),
            "--dry-run",
            "--endpoint",
            &url,
        ],
        &[],
        None,
    )
    .await;
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "a dry run opened a connection"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_undocumented_code_is_sent_with_a_warning() {
    let out = run(
        &[
            "budgets",
            "update-sub-customer-budget",
            "--customer-id",
            "c",
            "--budget-amount",
            "1",
            "--budget-type",
            "WEEKLY",
            "--dry-run",
        ],
        &[],
        None,
    )
    .await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "warning: --budget-type: `WEEKLY` is not a documented code (MONTHLY, PACKAGE)"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout.contains("\"budget_type\": \"WEEKLY\""),
        "{}",
        out.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_error_prints_the_documented_meaning_and_exits_3() {
    let emulator = start().await;
    emulator
        .set_scenario("ShowSubCustomerBudget", Scenario::error_code("CBC.0151"))
        .expect("scenario");
    let out = bss(&emulator, BUDGET).await;
    out.assert_exit(3, &emulator);
    assert!(out.stderr.contains("CBC.0151"), "{}", out.stderr);
    assert!(out.stderr.contains("HTTP 403"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttling_exits_4() {
    let emulator = start().await;
    emulator
        .set_scenario("ShowSubCustomerBudget", Scenario::error_code("CBC.0250"))
        .expect("scenario");
    let out = bss(&emulator, BUDGET).await;
    out.assert_exit(4, &emulator);
    assert!(out.stderr.contains("CBC.0250"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_answer_exits_5_and_missing_credentials_exit_2() {
    // A port that was just free: nothing listens there.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        format!("http://{}", l.local_addr().expect("addr"))
    };
    let creds = [("HUAWEICLOUD_SDK_AK", "ak"), ("HUAWEICLOUD_SDK_SK", "sk")];
    let mut args = BUDGET.to_vec();
    args.extend(["--endpoint", &closed, "--retries", "0"]);
    let out = run(&args, &creds, None).await;
    assert_eq!(out.code, Some(5), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("may or may not have reached the service"),
        "{}",
        out.stderr
    );
    let out = run(&args, &[], None).await;
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("HUAWEICLOUD_SDK_AK"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn output_formats_and_queries() {
    let emulator = start().await;
    let with = |extra: &[&'static str]| {
        let mut a = BUDGET.to_vec();
        a.extend_from_slice(extra);
        a
    };
    let yaml = bss(&emulator, &with(&["-o", "yaml"])).await;
    yaml.assert_exit(0, &emulator);
    assert!(
        yaml.stdout
            .lines()
            .any(|l| l.starts_with("budget_amount: ")),
        "{}",
        yaml.stdout
    );
    let picked = bss(&emulator, &with(&["--query", "budget_type"])).await;
    picked.assert_exit(0, &emulator);
    let full = bss(&emulator, BUDGET).await.json();
    assert_eq!(picked.json(), full["budget_type"]);
    let csv = bss(&emulator, &with(&["-o", "csv"])).await;
    csv.assert_exit(0, &emulator);
    assert!(
        csv.stdout
            .lines()
            .next()
            .is_some_and(|h| h.contains("budget_amount")),
        "{}",
        csv.stdout
    );
    assert_eq!(csv.stdout.lines().count(), 2, "{}", csv.stdout);
    let table = bss(&emulator, &with(&["-o", "table"])).await;
    assert!(
        table.stdout.starts_with("BUDGET_AMOUNT") || table.stdout.contains("BUDGET_AMOUNT"),
        "{}",
        table.stdout
    );
    let bad = bss(&emulator, &with(&["--query", "a[x]"])).await;
    bad.assert_exit(2, &emulator);
    assert!(
        bad.stderr.contains("an index must be an integer"),
        "{}",
        bad.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_streams_items_as_json_lines() {
    let emulator = start().await;
    let out = bss(
        &emulator,
        &["customers", "list-sub-customers", "--body", "{}", "--all"],
    )
    .await;
    out.assert_exit(0, &emulator);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(!lines.is_empty(), "no items");
    for l in &lines {
        let item: serde_json::Value =
            serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}"));
        assert!(item.is_object(), "{l}");
    }
    assert!(!emulator.requests().is_empty());
}

#[tokio::test]
async fn help_shows_the_spec_and_the_exit_codes() {
    let out = run(
        &["budgets", "show-sub-customer-budget", "--help"],
        &[],
        None,
    )
    .await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    for needle in [
        "查询客户预算 (ShowSubCustomerBudget)",
        "GET /v2/partners/sub-customers/budget",
        "Rate limit: 25 requests per 1 s",
        "CBC.0100",
        "--customer-id",
        "Example:",
        "Exit codes:",
    ] {
        assert!(
            out.stdout.contains(needle),
            "`{needle}` missing from:\n{}",
            out.stdout
        );
    }
    let legacy = run(&["legacy", "--help"], &[], None).await;
    assert!(
        legacy
            .stdout
            .contains("[deprecated: use bss budgets show-sub-customer-budget]"),
        "{}",
        legacy.stdout
    );
    let old = run(
        &[
            "legacy",
            "show-sub-customer-budget-old",
            "--partner-id",
            "p",
            "--customer-id",
            "c",
            "--dry-run",
        ],
        &[],
        None,
    )
    .await;
    assert_eq!(old.code, Some(0), "{}", old.stderr);
    assert!(
        old.stderr
            .contains("use `bss budgets show-sub-customer-budget`"),
        "{}",
        old.stderr
    );
    let top = run(&["--help"], &[], None).await;
    assert!(
        top.stdout.contains("budgets") && top.stdout.contains("Exit codes:"),
        "{}",
        top.stdout
    );
}

#[tokio::test]
async fn completions_and_the_man_page() {
    let bash = run(&["completions", "bash"], &[], None).await;
    assert_eq!(bash.code, Some(0), "{}", bash.stderr);
    assert!(
        bash.stdout.contains("show-sub-customer-budget"),
        "no subcommands in the script"
    );
    let man = run(&["man"], &[], None).await;
    assert_eq!(man.code, Some(0), "{}", man.stderr);
    assert!(
        man.stdout.starts_with(".ie") || man.stdout.contains(".TH bss"),
        "{}",
        &man.stdout[..man.stdout.len().min(300)]
    );
}

#[tokio::test]
async fn a_dry_run_redacts_sensitive_body_members() {
    let out = run(
        &[
            "customers",
            "check-user-identity",
            "--search-type",
            "email",
            "--search-value",
            "someone@example.com",
            "--dry-run",
        ],
        &[],
        None,
    )
    .await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stdout.contains("\"search_value\": \"<redacted>\""),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains("someone@example.com"),
        "{}",
        out.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn debug_logs_each_attempt_to_stderr() {
    let emulator = start().await;
    let mut args = BUDGET.to_vec();
    args.push("--debug");
    let out = bss(&emulator, &args).await;
    out.assert_exit(0, &emulator);
    assert!(
        out.stderr.contains("bss.attempt{attempt=1"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("answer received"), "{}", out.stderr);
    assert!(
        !out.stderr.contains(emulator.secret_key()),
        "{}",
        out.stderr
    );
    out.json();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amounts_print_as_the_service_sent_them() {
    let emulator = start().await;
    let answer = r#"{"budget_amount": "1234567890.10", "used_amount": 0.25, "measure_id": 1, "currency": "USD", "budget_type": "MONTHLY"}"#;
    emulator
        .set_scenario("ShowSubCustomerBudget", Scenario::body(200, answer))
        .expect("scenario");
    let out = bss(&emulator, BUDGET).await;
    out.assert_exit(0, &emulator);
    assert!(
        out.stdout.contains(r#""budget_amount":"1234567890.10""#),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(r#""used_amount":0.25"#),
        "{}",
        out.stdout
    );
    let yaml = bss(&emulator, &[BUDGET, &["-o", "yaml"]].concat()).await;
    assert!(
        yaml.stdout.contains("budget_amount: \"1234567890.10\""),
        "{}",
        yaml.stdout
    );
}
