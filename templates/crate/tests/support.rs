//! Support of the generated tests: a recording HTTP/1.1 server on 127.0.0.1 and JSON
//! equivalence.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A request as the server received it.
#[derive(Clone, Debug, Default)]
pub struct Received {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// Checks method, path, query (in any order) and the AK/SK signature headers of a call made
    /// with the test credentials.
    #[track_caller]
    pub fn assert_signed_call(&self, method: &str, path: &str, query: &[(&str, &str)]) {
        assert_eq!(self.method, method);
        let (sent_path, sent_query) = self.target.split_once('?').unwrap_or((self.target.as_str(), ""));
        assert_eq!(sent_path, path);
        let mut sent = query_pairs(sent_query);
        sent.sort();
        let mut documented: Vec<(String, String)> = query.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        documented.sort();
        assert_eq!(sent, documented);
        assert_eq!(self.header("content-type"), Some("application/json"));
        assert!(self.header("x-sdk-date").is_some_and(|d| d.len() == 16 && d.ends_with('Z')));
        let auth = self.header("authorization").expect("signed");
        assert!(auth.starts_with("SDK-HMAC-SHA256 Access=TESTAK, SignedHeaders="), "{auth}");
        assert!(auth.contains("host") && auth.contains("x-sdk-date"), "{auth}");
    }
}

/// Serves one scripted answer to every request and records the requests.
pub async fn serve(status: u16, body: String) -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let log: Arc<Mutex<Vec<Received>>> = Arc::default();
    let l = log.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let l = l.clone();
            let body = body.clone();
            tokio::spawn(async move {
                if let Some(r) = read_request(&mut sock).await {
                    l.lock().expect("lock").push(r);
                }
                let head = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nX-Request-Id: test-request-id\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = sock.write_all(head.as_bytes()).await;
                let _ = sock.write_all(body.as_bytes()).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    (url, log)
}

pub async fn read_request(sock: &mut tokio::net::TcpStream) -> Option<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let end = loop {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
    };
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':').map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string())))
        .collect();
    let len: usize = headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    let mut body = buf[end + 4..].to_vec();
    while body.len() < len {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Received { method, target, headers, body })
}

/// Whether two JSON documents say the same thing: `null` members count as absent, numbers
/// compare by value, and a numeric or boolean string equals what it spells (the documented
/// examples quote numbers that the client decodes as numbers).
pub fn equivalent(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as V;
    match (a, b) {
        (V::Object(x), V::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> =
                x.iter().chain(y.iter()).filter(|(_, v)| !v.is_null()).map(|(k, _)| k).collect();
            keys.into_iter().all(|k| equivalent(x.get(k).unwrap_or(&V::Null), y.get(k).unwrap_or(&V::Null)))
        }
        (V::Array(x), V::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equivalent(p, q)),
        (V::Number(_) | V::String(_), V::Number(_) | V::String(_)) if a.is_number() || b.is_number() => {
            let num = |v: &V| match v {
                V::Number(n) => n.to_string().parse::<f64>().ok(),
                V::String(s) => s.trim().parse::<f64>().ok(),
                _ => None,
            };
            num(a).is_some() && num(a) == num(b)
        }
        (V::Bool(x), V::String(s)) | (V::String(s), V::Bool(x)) => s == if *x { "true" } else { "false" },
        _ => a == b,
    }
}

/// Decodes `json` into `T`, encodes it again, and checks the result is equivalent.
pub fn roundtrip<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str) -> T {
    let original: serde_json::Value = serde_json::from_str(json).expect("example is JSON");
    let typed: T = serde_json::from_str(json).expect("example decodes into the generated type");
    let back = serde_json::to_value(&typed).expect("re-encodes");
    assert!(equivalent(&original, &back), "round trip changed the example:\n{original:#}\n---\n{back:#}");
    typed
}

/// Decodes the answer `json` into `T`, and checks that `T` encodes to `expected`: the answer
/// without the members the client reads itself and the type does not keep (`error_code`).
pub fn decodes_as<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str, expected: &str) -> T {
    let expected: serde_json::Value = serde_json::from_str(expected).expect("expected value is JSON");
    let typed: T = serde_json::from_str(json).expect("example decodes into the generated type");
    let back = serde_json::to_value(&typed).expect("re-encodes");
    assert!(equivalent(&expected, &back), "decoding changed the example:\n{expected:#}\n---\n{back:#}");
    typed
}

/// Parses a query string into decoded pairs, in order.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// A `tar.gz` archive holding the given files, as BSS delivers bill files to OBS.
pub fn tar_gz(files: &[(&str, &str)]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut archive = tar::Builder::new(gz);
    for (name, text) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(text.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        archive.append_data(&mut header, name, text.as_bytes()).expect("tar entry");
    }
    archive.into_inner().expect("tar").finish().expect("gzip")
}
