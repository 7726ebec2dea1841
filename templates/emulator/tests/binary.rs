//! The `bss-emulator` binary: starts on the port it is given, answers the client, and exposes
//! its controls over HTTP.

use std::process::Stdio;

use huaweicloud_bss::{Client, Credentials};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

#[tokio::test]
async fn the_binary_serves_the_client_and_its_controls() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bss-emulator"))
        .args(["--port", "0", "--no-throttling"])
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let first = lines
        .next_line()
        .await
        .expect("read")
        .expect("a first line");
    let url = first
        .split(" listening on ")
        .nth(1)
        .expect("the first line names the URL")
        .trim()
        .to_string();
    assert!(
        url.starts_with("http://127.0.0.1:"),
        "binds 127.0.0.1 by default: {url}"
    );

    let client = Client::builder()
        .endpoint(url.clone())
        .credentials(Credentials::aksk(
            bss_emulator::DEFAULT_ACCESS_KEY,
            bss_emulator::DEFAULT_SECRET_KEY,
        ))
        .build()
        .expect("client");
    let answer = client
        .show_sub_customer_budget(huaweicloud_bss::budgets::ShowSubCustomerBudgetRequest::new(
            "053a48736500d5f40ffec01689b88480",
        ))
        .await
        .expect("the binary answers");
    assert_eq!(
        answer.body().budget_type,
        Some(huaweicloud_bss::budgets::BudgetType::Monthly)
    );

    let http = reqwest::Client::new();
    let scenario = http
        .put(format!("{url}/_emulator/scenarios/ShowSubCustomerBudget"))
        .body(r#"{"error_code":"CBC.99000037","times":1}"#)
        .send()
        .await
        .expect("control endpoint");
    assert_eq!(scenario.status(), 204);
    let err = client
        .show_sub_customer_budget(huaweicloud_bss::budgets::ShowSubCustomerBudgetRequest::new(
            "053a48736500d5f40ffec01689b88480",
        ))
        .await
        .expect_err("the scenario forces an error");
    assert_eq!(err.status(), Some(400));

    let recorded = http
        .get(format!("{url}/_emulator/requests"))
        .send()
        .await
        .expect("requests")
        .text()
        .await
        .expect("body");
    let recorded: serde_json::Value = serde_json::from_str(&recorded).expect("JSON");
    let recorded = recorded.as_array().expect("a list");
    assert_eq!(recorded.len(), 2);
    assert_eq!(recorded[1]["error_code"], "CBC.99000037");
    let auth = recorded[0]["headers"]
        .as_array()
        .expect("headers")
        .iter()
        .find(|h| h[0] == "authorization")
        .expect("authorization recorded");
    assert_eq!(
        auth[1], "<redacted>",
        "credentials never leave the emulator"
    );

    let unknown = http
        .put(format!("{url}/_emulator/scenarios/NoSuchOperation"))
        .body("{}")
        .send()
        .await
        .expect("control endpoint");
    assert_eq!(unknown.status(), 400);
    child.kill().await.expect("stop the binary");
}
