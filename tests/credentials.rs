//! The credential chain of the official SDKs: environment, profile file, ECS metadata service.
//! The metadata service is a scripted server on 127.0.0.1 (no test sends traffic anywhere
//! else); the calls signed with its temporary credentials go to the emulator, which verifies
//! them. The client's default (the chain, read from the process environment) is tested in a
//! child process of this test binary, given its own environment.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bss_emulator::Emulator;
use bss_tests::fault_server::{FaultServer, Step};
use huaweicloud_bss::credentials::{
    CredentialsError, DefaultChain, EnvProvider, MetadataProvider, ProfileProvider,
    ProvideCredentials,
};
use huaweicloud_bss::products::ListServiceTypesRequest;
use huaweicloud_bss::{Client, Credentials, Error, RetryPolicy};

const TEMP_AK: &str = "TEMPORARYACCESSKEY01";
const TEMP_SK: &str = "temporary-secret-key-0001";
const TEMP_TOKEN: &str = "temporary-security-token-0001";

/// `t` as the metadata service writes it: `2024-05-01T08:30:00.000000Z`.
fn utc(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).expect("after 1970");
    let (days, secs) = (d.as_secs() / 86_400, d.as_secs() % 86_400);
    // Civil date from days since 1970-01-01 (the proleptic Gregorian calendar).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        d.subsec_micros()
    )
}

/// The metadata service's answer: temporary credentials number `n`, expiring in `valid`.
fn security_key(n: u32, valid: Duration) -> Step {
    let body = serde_json::json!({"credential": {
        "access": format!("{TEMP_AK}{n}"),
        "secret": format!("{TEMP_SK}{n}"),
        "securitytoken": format!("{TEMP_TOKEN}{n}"),
        "expires_at": utc(SystemTime::now() + valid),
    }});
    Step::json(200, &body.to_string())
}

fn access_key(c: &Credentials) -> String {
    c.access_key().expect("AK/SK credentials").to_string()
}

async fn provide(provider: &MetadataProvider) -> Result<Credentials, CredentialsError> {
    provider.provide_credentials().await
}

fn metadata(server: &FaultServer) -> MetadataProvider {
    MetadataProvider::new()
        .endpoint(&server.url)
        .timeout(Duration::from_secs(2))
}

#[tokio::test]
async fn calls_signed_with_metadata_credentials_carry_the_security_token() {
    let server = FaultServer::start(vec![
        Step::json(200, "session-token-1"),
        security_key(1, Duration::from_secs(3600)),
    ])
    .await;
    let emulator = Emulator::builder()
        .credentials(format!("{TEMP_AK}1"), format!("{TEMP_SK}1"))
        .throttling(false)
        .start()
        .await
        .expect("emulator");
    let provider = metadata(&server);
    let client = Client::builder()
        .endpoint(emulator.url())
        .credentials_provider(provider.clone())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("client");
    for _ in 0..3 {
        client
            .list_service_types(ListServiceTypesRequest::new())
            .await
            .expect("the emulator accepts the temporary credentials");
    }
    let calls = emulator.requests_of("ListServiceTypes");
    assert_eq!(calls.len(), 3);
    for call in &calls {
        assert_eq!(
            call.header("X-Security-Token"),
            Some(format!("{TEMP_TOKEN}1").as_str())
        );
        assert!(
            call.header("Authorization")
                .is_some_and(|a| a.contains(&format!("Access={TEMP_AK}1"))),
            "{:?}",
            call.header("Authorization")
        );
    }
    // One session token and one fetch served the three calls.
    let asked = server.received();
    let asked: Vec<(&str, &str, Option<&str>)> = asked
        .iter()
        .map(|r| {
            (
                r.method.as_str(),
                r.target.as_str(),
                r.header("X-Metadata-Token")
                    .or(r.header("X-Metadata-Token-Ttl-Seconds")),
            )
        })
        .collect();
    assert_eq!(
        asked,
        [
            ("PUT", "/meta-data/latest/api/token", Some("21600")),
            (
                "GET",
                "/openstack/latest/securitykey",
                Some("session-token-1")
            ),
        ]
    );
    assert_eq!(provider.fetches(), 1);

    // Secrets stay out of Debug.
    let shown = format!("{provider:?} {client:?}");
    for secret in [format!("{TEMP_SK}1"), format!("{TEMP_TOKEN}1")] {
        assert!(!shown.contains(&secret), "{shown}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn credentials_are_refreshed_once_before_they_expire_under_concurrent_calls() {
    let server = FaultServer::start(vec![
        Step::json(200, "session"),
        security_key(1, Duration::from_secs(4)),
        security_key(2, Duration::from_secs(3600)),
    ])
    .await;
    // Refreshed two seconds before expiry: two seconds after the first fetch.
    let provider = metadata(&server).refresh_margin(Duration::from_secs(2));
    let burst = |provider: &MetadataProvider| {
        let tasks: Vec<_> = (0..64)
            .map(|_| {
                let p = provider.clone();
                tokio::spawn(async move { provide(&p).await.map(|c| access_key(&c)) })
            })
            .collect();
        async move {
            let mut seen = Vec::new();
            for t in tasks {
                seen.push(t.await.expect("task").expect("credentials"));
            }
            seen
        }
    };
    let first = burst(&provider).await;
    assert!(
        first.iter().all(|c| *c == format!("{TEMP_AK}1")),
        "one set of credentials: {first:?}"
    );
    assert_eq!(provider.fetches(), 1, "64 concurrent calls, one fetch");
    assert_eq!(server.count(), 2);

    tokio::time::sleep(Duration::from_millis(2200)).await;
    let second = burst(&provider).await;
    assert!(
        second.iter().all(|c| *c == format!("{TEMP_AK}2")),
        "{second:?}"
    );
    assert_eq!(provider.fetches(), 2, "one refresh for 64 concurrent calls");
    assert_eq!(server.count(), 3);
    let expires = provider.expires_at().expect("cached");
    assert!(expires > SystemTime::now() + Duration::from_secs(3000));
}

#[tokio::test]
async fn a_failed_refresh_keeps_unexpired_credentials_and_then_fails_without_secrets() {
    let server = FaultServer::start(vec![
        // A service without session tokens.
        Step::empty(404),
        security_key(1, Duration::from_secs(3)),
        Step::json(500, r#"{"secret":"do-not-echo"}"#),
        Step::json(500, r#"{"secret":"do-not-echo"}"#),
    ])
    .await;
    // Issued for 3 s, less than twice the margin: refreshed at half their life, 1.5 s.
    let provider = metadata(&server).refresh_margin(Duration::from_secs(2));
    let first = provide(&provider).await.expect("fetched");
    tokio::time::sleep(Duration::from_millis(1700)).await;
    // Due for a refresh, which fails: the credentials have not expired, so they are used.
    let kept = provide(&provider).await.expect("kept");
    assert_eq!(access_key(&first), format!("{TEMP_AK}1"));
    assert_eq!(access_key(&kept), access_key(&first));
    assert_eq!(provider.fetches(), 2);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let error = provide(&provider)
        .await
        .expect_err("expired, and the refresh fails");
    assert_eq!(provider.fetches(), 3);
    let text = error.to_string();
    assert!(text.contains("HTTP 500"), "{text}");
    assert!(!text.contains("do-not-echo"), "{text}");
    // Without session tokens, none was sent.
    assert!(
        server
            .received()
            .iter()
            .all(|r| r.header("X-Metadata-Token").is_none())
    );

    // A client call with no credentials to be had is not sent, and says why.
    let emulator = Emulator::start().await.expect("emulator");
    let client = Client::builder()
        .endpoint(emulator.url())
        .credentials_provider(provider)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("client");
    let error = client
        .list_service_types(ListServiceTypesRequest::new())
        .await
        .expect_err("no credentials");
    assert!(
        matches!(
            &error,
            Error::Credentials {
                operation: "ListServiceTypes",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(error.attempts(), 0);
    assert!(emulator.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_calls_share_one_failed_fetch() {
    let server = FaultServer::start(vec![
        Step::empty(404),
        Step::json(503, "{}").after(Duration::from_millis(200)),
        Step::empty(404),
        security_key(1, Duration::from_secs(3600)),
    ])
    .await;
    let provider = metadata(&server);
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let p = provider.clone();
            tokio::spawn(async move { provide(&p).await.map(|c| access_key(&c)) })
        })
        .collect();
    for t in tasks {
        let error = t.await.expect("task").expect_err("the fetch failed");
        assert!(error.to_string().contains("HTTP 503"), "{error}");
    }
    assert_eq!(provider.fetches(), 1, "16 calls waited for one fetch");
    assert_eq!(server.count(), 2);
    // The next call asks again.
    let c = provide(&provider).await.expect("fetched");
    assert_eq!(access_key(&c), format!("{TEMP_AK}1"));
    assert_eq!(provider.fetches(), 2);
}

#[tokio::test]
async fn a_refused_session_token_is_replaced_once() {
    let server = FaultServer::start(vec![
        Step::json(200, "old-session"),
        Step::json(401, "{}"),
        Step::json(200, "new-session"),
        security_key(1, Duration::from_secs(3600)),
    ])
    .await;
    let provider = metadata(&server);
    provide(&provider)
        .await
        .expect("fetched with the new session token");
    let received = server.received();
    assert_eq!(received.len(), 4);
    assert_eq!(received[1].header("X-Metadata-Token"), Some("old-session"));
    assert_eq!(received[3].header("X-Metadata-Token"), Some("new-session"));
}

/// A fresh directory under the system's temporary one.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bss-credentials-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

const PROFILE: &str = "# invented keys\n[basic]\nak = BASICAK\nsk = basic-sk\nproject_id = p1\n\n[global]\nak = GLOBALAK\nsk = global-sk\nsecurity_token = global-token\ndomain_id = global-domain\n";

fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + Send + Sync + 'static {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |k| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
}

#[tokio::test]
async fn the_chain_takes_the_environment_then_the_profile_then_the_metadata_service() {
    let dir = scratch("chain");
    let file = dir.join("credentials");
    std::fs::write(&file, PROFILE).expect("profile");
    let home = dir.join("home");
    std::fs::create_dir_all(home.join(".huaweicloud")).expect("home");
    std::fs::write(
        home.join(".huaweicloud/credentials"),
        PROFILE.replace("GLOBALAK", "HOMEAK"),
    )
    .expect("home profile");
    let file_var = file.to_string_lossy().into_owned();
    let home_var = home.to_string_lossy().into_owned();
    // Metadata requests beyond the script get HTTP 599: a chain that asked would fail.
    let unused = FaultServer::start(Vec::new()).await;
    let chain = |lookup: &[(&str, &str)]| {
        DefaultChain::from_lookup(vars(lookup)).metadata(metadata(&unused))
    };
    let shown = |c: Credentials| format!("{c:?}");

    // The environment first, even with a profile file.
    let env_first = chain(&[
        ("HUAWEICLOUD_SDK_AK", "ENVAK"),
        ("HUAWEICLOUD_SDK_SK", "env-sk"),
        ("HUAWEICLOUD_SDK_DOMAIN_ID", "env-domain"),
        ("HUAWEICLOUD_SDK_CREDENTIALS_FILE", &file_var),
    ]);
    let c = shown(env_first.provide_credentials().await.expect("env"));
    assert!(
        c.contains("access_key: ENVA…") && c.contains("env-domain"),
        "{c}"
    );

    // An access key without its secret is no credentials: the file named by the variable is next,
    // its [global] section (BSS is a global service), with its token and domain.
    let profile_next = chain(&[
        ("HUAWEICLOUD_SDK_AK", "ENVAK"),
        ("HUAWEICLOUD_SDK_CREDENTIALS_FILE", &file_var),
        ("HOME", &home_var),
    ]);
    let c = shown(profile_next.provide_credentials().await.expect("profile"));
    assert!(c.contains("access_key: GLOB…"), "{c}");
    assert!(
        c.contains("security_token: <redacted>") && c.contains("global-domain"),
        "{c}"
    );

    // Without the variable, the file under the home directory.
    let home_file = chain(&[("HOME", &home_var)]);
    let c = shown(home_file.provide_credentials().await.expect("home profile"));
    assert!(c.contains("access_key: HOME…"), "{c}");
    assert_eq!(unused.count(), 0);

    // Nothing in the environment or the file: the metadata service.
    let server = FaultServer::start(vec![
        Step::empty(405),
        security_key(7, Duration::from_secs(3600)),
    ])
    .await;
    let from_metadata =
        DefaultChain::from_lookup(vars(&[("HOME", "/nonexistent")])).metadata(metadata(&server));
    let c = shown(from_metadata.provide_credentials().await.expect("metadata"));
    assert!(c.contains("access_key: TEMP…"), "{c}");

    // Nowhere: the error says why each provider was skipped.
    let nowhere = DefaultChain::from_lookup(vars(&[(
        "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
        &dir.join("missing").to_string_lossy(),
    )]))
    .metadata(metadata(
        &FaultServer::start(vec![Step::empty(404), Step::json(404, "{}")]).await,
    ));
    let error = nowhere
        .provide_credentials()
        .await
        .expect_err("no credentials");
    let text = error.to_string();
    for part in [
        "HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK are not both set",
        "cannot read",
        "HTTP 404",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }

    // Each provider on its own.
    assert!(
        EnvProvider::from_lookup(vars(&[("HUAWEICLOUD_SDK_SK", "x")]))
            .credentials()
            .is_err()
    );
    let basic = ProfileProvider::new()
        .path(&file)
        .section("basic")
        .credentials()
        .expect("basic section");
    assert!(shown(basic).contains("access_key: BASI…"));
    let error = ProfileProvider::new()
        .path(&file)
        .section("other")
        .credentials()
        .expect_err("no such section");
    assert!(
        error.to_string().contains("has no [other] section"),
        "{error}"
    );
    std::fs::write(&file, "[global]\nak = GLOBALAK\nsk global-secret-value\n")
        .expect("bad profile");
    let error = ProfileProvider::new()
        .path(&file)
        .credentials()
        .expect_err("bad line");
    let text = error.to_string();
    assert!(text.contains("line 3"), "{text}");
    assert!(!text.contains("global-secret-value"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

const CHILD: &str = "child_builds_a_client_without_credentials";

/// Runs [`child_builds_a_client_without_credentials`] in a child process with `env` (and none of
/// the official variables inherited); returns whether its call succeeded.
fn run_child(endpoint: &str, home: &str, env: &[(&str, &str)]) -> bool {
    let mut command = std::process::Command::new(std::env::current_exe().expect("test binary"));
    command.args([
        "--exact",
        CHILD,
        "--include-ignored",
        "--nocapture",
        "--test-threads=1",
    ]);
    for (k, _) in std::env::vars() {
        if k.starts_with("HUAWEICLOUD_SDK_") {
            command.env_remove(k);
        }
    }
    command
        .env("BSS_CHILD_ENDPOINT", endpoint)
        .env("HOME", home)
        .env_remove("USERPROFILE");
    for (k, v) in env {
        command.env(k, v);
    }
    let output = command.output().expect("child runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("1 passed") || stdout.contains("1 failed"),
        "the child test ran: {stdout}"
    );
    output.status.success()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_built_without_credentials_resolves_the_chain() {
    let emulator = Emulator::start().await.expect("emulator");
    let (ak, sk) = (
        emulator.access_key().to_string(),
        emulator.secret_key().to_string(),
    );
    let dir = scratch("default");
    let good = dir.join("good");
    let wrong = dir.join("wrong");
    std::fs::write(
        &good,
        format!("[basic]\nak = WRONGAK\nsk = wrong\n[global]\nak = {ak}\nsk = {sk}\n"),
    )
    .expect("profile");
    std::fs::write(&wrong, "[global]\nak = WRONGAK\nsk = wrong\n").expect("profile");
    let (url, home) = (emulator.url(), dir.to_string_lossy().into_owned());
    let (good, wrong) = (
        good.to_string_lossy().into_owned(),
        wrong.to_string_lossy().into_owned(),
    );
    let outcomes = tokio::task::spawn_blocking(move || {
        [
            // The environment wins over a file with other keys.
            run_child(
                &url,
                &home,
                &[
                    ("HUAWEICLOUD_SDK_AK", &ak),
                    ("HUAWEICLOUD_SDK_SK", &sk),
                    ("HUAWEICLOUD_SDK_CREDENTIALS_FILE", &wrong),
                ],
            ),
            // Without it, the [global] section of the file the variable names.
            run_child(&url, &home, &[("HUAWEICLOUD_SDK_CREDENTIALS_FILE", &good)]),
            // A file with the wrong keys: the emulator refuses the call, so the child's test fails.
            run_child(&url, &home, &[("HUAWEICLOUD_SDK_CREDENTIALS_FILE", &wrong)]),
        ]
    })
    .await
    .expect("children");
    assert_eq!(outcomes, [true, true, false]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Run by [`a_client_built_without_credentials_resolves_the_chain`] in a child process; does
/// nothing when run otherwise.
#[tokio::test]
#[ignore = "run in a child process by a_client_built_without_credentials_resolves_the_chain"]
async fn child_builds_a_client_without_credentials() {
    let Ok(endpoint) = std::env::var("BSS_CHILD_ENDPOINT") else {
        return;
    };
    let client = Client::builder()
        .endpoint(endpoint)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("a client without credentials builds");
    client
        .list_service_types(ListServiceTypesRequest::new())
        .await
        .expect("signed with the chain's credentials");
}

#[test]
fn providers_are_shared_as_trait_objects() {
    let providers: Vec<Arc<dyn ProvideCredentials>> = vec![
        Arc::new(Credentials::aksk("AKAKAKAK", "secret-value")),
        Arc::new(EnvProvider::new()),
        Arc::new(ProfileProvider::new()),
        Arc::new(MetadataProvider::new()),
        Arc::new(DefaultChain::new()),
    ];
    let shown = format!("{providers:?}");
    assert!(!shown.contains("secret-value"), "{shown}");
}
