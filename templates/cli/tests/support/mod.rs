//! Shared helpers of the CLI's tests: an emulator, the `bss` binary run against it, and JSON
//! equivalence as the client's own tests judge it.

#![allow(dead_code)]

use bss_emulator::Emulator;

/// An emulator with throttling off, so that tests running in parallel do not share quotas.
pub async fn start() -> Emulator {
    Emulator::builder()
        .throttling(false)
        .start()
        .await
        .expect("the emulator starts")
}

/// What one run of the binary left.
pub struct Output {
    /// Exit code (`None`: killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Output {
    /// Asserts the exit code, showing the emulator's reason for a refusal.
    pub fn assert_exit(&self, code: i32, emulator: &Emulator) {
        if self.code != Some(code) {
            let why = emulator
                .requests()
                .last()
                .and_then(|r| r.detail().map(str::to_owned));
            panic!(
                "exit code {:?}, expected {code}\nstdout:\n{}\nstderr:\n{}\nemulator's reason: {why:?}",
                self.code, self.stdout, self.stderr
            );
        }
    }

    /// Standard output as one JSON document.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

/// Runs `bss ARGS --endpoint <emulator>` with the emulator's credentials.
pub async fn bss(emulator: &Emulator, args: &[&str]) -> Output {
    let endpoint = emulator.url();
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--endpoint", &endpoint, "--retries", "0"]);
    run(
        &all,
        &[
            ("HUAWEICLOUD_SDK_AK", emulator.access_key()),
            ("HUAWEICLOUD_SDK_SK", emulator.secret_key()),
        ],
        None,
    )
    .await
}

/// Runs the binary with exactly these arguments and variables (no credentials unless given),
/// and `stdin` on its standard input.
pub async fn run(args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    use tokio::io::AsyncWriteExt;
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_bss"));
    cmd.args(args)
        .env_remove("HUAWEICLOUD_SDK_AK")
        .env_remove("HUAWEICLOUD_SDK_SK")
        .env_remove("HUAWEICLOUD_SDK_SECURITY_TOKEN")
        .env_remove("HUAWEICLOUD_SDK_DOMAIN_ID")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("the bss binary starts");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).await.expect("write stdin");
    }
    drop(input);
    let out = child.wait_with_output().await.expect("the bss binary runs");
    Output {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Whether two JSON documents say the same thing: `null` members count as absent, numbers
/// compare by value, and a numeric or boolean string equals what it spells (the documented
/// examples quote numbers that the client decodes as numbers).
pub fn equivalent(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as V;
    match (a, b) {
        (V::Object(x), V::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x
                .iter()
                .chain(y.iter())
                .filter(|(_, v)| !v.is_null())
                .map(|(k, _)| k)
                .collect();
            keys.into_iter()
                .all(|k| equivalent(x.get(k).unwrap_or(&V::Null), y.get(k).unwrap_or(&V::Null)))
        }
        (V::Array(x), V::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equivalent(p, q))
        }
        (V::Number(_) | V::String(_), V::Number(_) | V::String(_))
            if a.is_number() || b.is_number() =>
        {
            let num = |v: &V| match v {
                V::Number(n) => n.to_string().parse::<f64>().ok(),
                V::String(s) => s.trim().parse::<f64>().ok(),
                _ => None,
            };
            num(a).is_some() && num(a) == num(b)
        }
        (V::Bool(x), V::String(s)) | (V::String(s), V::Bool(x)) => {
            s == if *x { "true" } else { "false" }
        }
        _ => a == b,
    }
}
