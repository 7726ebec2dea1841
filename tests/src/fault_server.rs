//! A scripted HTTP/1.1 server on 127.0.0.1 that injects faults: each request it receives gets
//! the next [`Step`] of its script (a normal answer, a slow one, a truncated body, a closed or
//! reset connection), and every request is recorded so tests can count attempts.
//!
//! Connections are kept alive between answers, as a real server does, unless the step ends the
//! connection. Requests beyond the script get HTTP 599 with `{"error_code":"SCRIPT.END"}`, so a
//! client that sends more than expected fails its test visibly.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Step {
    /// Answers after `delay`.
    Reply {
        /// HTTP status.
        status: u16,
        /// Extra headers (`Content-Type: application/json`, `X-Request-Id` and
        /// `Content-Length` are always sent).
        headers: Vec<(String, String)>,
        /// Body bytes.
        body: Vec<u8>,
        /// Wait before answering.
        delay: Duration,
    },
    /// Answers with a chunked body (no `Content-Length`).
    Chunked {
        /// HTTP status.
        status: u16,
        /// Body bytes, sent in chunks of at most 1 KiB.
        body: Vec<u8>,
    },
    /// Announces `declared` body bytes, sends `body` (shorter), then closes the connection.
    Truncated {
        /// HTTP status.
        status: u16,
        /// The `Content-Length` sent.
        declared: usize,
        /// The bytes actually sent.
        body: Vec<u8>,
    },
    /// Closes the connection without answering.
    Close,
    /// Resets the connection (TCP RST) without answering.
    Reset,
}

impl Step {
    /// An immediate JSON answer.
    pub fn json(status: u16, body: &str) -> Step {
        Step::Reply {
            status,
            headers: Vec::new(),
            body: body.as_bytes().to_vec(),
            delay: Duration::ZERO,
        }
    }

    /// An immediate answer without a body.
    pub fn empty(status: u16) -> Step {
        Step::json(status, "")
    }

    /// Adds a header to a [`Step::Reply`].
    pub fn header(mut self, name: &str, value: &str) -> Step {
        if let Step::Reply { headers, .. } = &mut self {
            headers.push((name.to_string(), value.to_string()));
        }
        self
    }

    /// Delays a [`Step::Reply`].
    pub fn after(mut self, wait: Duration) -> Step {
        if let Step::Reply { delay, .. } = &mut self {
            *delay = wait;
        }
        self
    }
}

/// A request as the server received it.
#[derive(Clone, Debug)]
pub struct Received {
    /// When its head was complete.
    pub at: Instant,
    /// Method.
    pub method: String,
    /// Request target (path and query).
    pub target: String,
    /// Headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl Received {
    /// The first value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A running server; it stops when the test's runtime does.
#[derive(Clone, Debug)]
pub struct FaultServer {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    log: Arc<Mutex<Vec<Received>>>,
    connections: Arc<AtomicUsize>,
}

/// The `X-Request-Id` of answer `n` (0-based).
pub fn request_id(n: usize) -> String {
    format!("req-{n}")
}

impl FaultServer {
    /// Starts a server playing `script`.
    pub async fn start(script: Vec<Step>) -> FaultServer {
        Self::spawn(Script {
            steps: script,
            repeat_last: false,
            record: true,
        })
        .await
    }

    /// Starts a server that answers every request with `step` and records nothing (for
    /// benchmarks, which send millions of requests).
    pub async fn always(step: Step) -> FaultServer {
        Self::spawn(Script {
            steps: vec![step],
            repeat_last: true,
            record: false,
        })
        .await
    }

    async fn spawn(script: Script) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let log: Arc<Mutex<Vec<Received>>> = Arc::default();
        let connections = Arc::new(AtomicUsize::new(0));
        let script = Arc::new(script);
        let next = Arc::new(AtomicUsize::new(0));
        let (l, c) = (log.clone(), connections.clone());
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                c.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(connection(sock, script.clone(), next.clone(), l.clone()));
            }
        });
        FaultServer {
            url,
            log,
            connections,
        }
    }

    /// The requests received so far.
    pub fn received(&self) -> Vec<Received> {
        self.log.lock().expect("log lock").clone()
    }

    /// How many requests were received.
    pub fn count(&self) -> usize {
        self.log.lock().expect("log lock").len()
    }

    /// How many connections were accepted.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

struct Script {
    steps: Vec<Step>,
    /// Answers requests beyond the script with its last step.
    repeat_last: bool,
    record: bool,
}

async fn connection(
    mut sock: TcpStream,
    script: Arc<Script>,
    next: Arc<AtomicUsize>,
    log: Arc<Mutex<Vec<Received>>>,
) {
    let _ = sock.set_nodelay(true);
    let mut buffered = Vec::new();
    while let Some(request) = read_request(&mut sock, &mut buffered).await {
        if script.record {
            log.lock().expect("log lock").push(request);
        }
        let n = next.fetch_add(1, Ordering::SeqCst);
        let step = match script
            .steps
            .get(n)
            .or(script.steps.last().filter(|_| script.repeat_last))
        {
            Some(step) => step.clone(),
            None => Step::json(
                599,
                r#"{"error_code":"SCRIPT.END","error_msg":"more requests than scripted"}"#,
            ),
        };
        let keep_open = match step {
            Step::Reply {
                status,
                headers,
                body,
                delay,
            } => {
                // Even a zero sleep waits for the timer's next millisecond tick.
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                let mut head = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nX-Request-Id: {}\r\nContent-Length: {}\r\n",
                    request_id(n),
                    body.len()
                );
                for (name, value) in headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str("\r\n");
                write(&mut sock, head.as_bytes(), &body).await
            }
            Step::Chunked { status, body } => {
                let mut out = format!("HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nX-Request-Id: {}\r\nTransfer-Encoding: chunked\r\n\r\n", request_id(n)).into_bytes();
                for chunk in body.chunks(1024) {
                    out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                    out.extend_from_slice(chunk);
                    out.extend_from_slice(b"\r\n");
                }
                out.extend_from_slice(b"0\r\n\r\n");
                write(&mut sock, &out, &[]).await
            }
            Step::Truncated {
                status,
                declared,
                body,
            } => {
                let head = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nX-Request-Id: {}\r\nContent-Length: {declared}\r\n\r\n",
                    request_id(n)
                );
                let _ = write(&mut sock, head.as_bytes(), &body).await;
                let _ = sock.shutdown().await;
                false
            }
            Step::Close => {
                let _ = sock.shutdown().await;
                false
            }
            Step::Reset => {
                let _ = sock.set_zero_linger();
                false
            }
        };
        if !keep_open {
            return;
        }
    }
}

/// Writes head and body in one piece, so that Nagle's algorithm never holds the body back
/// waiting for the client's delayed acknowledgement of the head.
async fn write(sock: &mut TcpStream, head: &[u8], body: &[u8]) -> bool {
    let mut out = Vec::with_capacity(head.len() + body.len());
    out.extend_from_slice(head);
    out.extend_from_slice(body);
    sock.write_all(&out).await.is_ok() && sock.flush().await.is_ok()
}

/// Reads one request; `buffered` carries bytes read past its end.
async fn read_request(sock: &mut TcpStream, buffered: &mut Vec<u8>) -> Option<Received> {
    let mut chunk = [0u8; 8192];
    let end = loop {
        if let Some(i) = buffered.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffered.extend_from_slice(&chunk[..n]);
    };
    let at = Instant::now();
    let head = String::from_utf8_lossy(&buffered[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| {
            l.split_once(':')
                .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        })
        .collect();
    let len: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    buffered.drain(..end + 4);
    while buffered.len() < len {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffered.extend_from_slice(&chunk[..n]);
    }
    let body: Vec<u8> = buffered.drain(..len).collect();
    Some(Received {
        at,
        method,
        target,
        headers,
        body,
    })
}

/// Access key of the fault tests' clients (the server does not check signatures; the signing
/// test recomputes them with [`SK`]).
pub const AK: &str = "FAULTTESTACCESSKEY01";
/// Secret key of the fault tests' clients.
pub const SK: &str = "fault-test-secret-key-0123456789";
/// A one-item answer of `ListServiceTypes`.
pub const SERVICE_TYPES: &str = r#"{"total_count":1,"service_types":[{"service_type_name":"Elastic Cloud Server","service_type_code":"hws.service.type.ec2","abbreviation":"ECS"}]}"#;

/// A client of `server` with the test credentials and client-side rate limiting off, since the
/// tests count every request the server sees; each test file adds its retry policy.
pub fn client_builder(server: &FaultServer) -> huaweicloud_bss::ClientBuilder {
    huaweicloud_bss::Client::builder()
        .endpoint(&server.url)
        .credentials(huaweicloud_bss::Credentials::aksk(AK, SK))
        .rate_limiting(false)
}

/// A query: idempotent, so the client retries it.
pub fn list_service_types() -> huaweicloud_bss::products::ListServiceTypesRequest {
    huaweicloud_bss::products::ListServiceTypesRequest::new()
        .offset(0)
        .limit(10)
}

/// A payment of `order_id`: not idempotent, so the client never repeats it once it may have
/// been processed.
pub fn pay_order(order_id: &str) -> huaweicloud_bss::orders::PayOrdersRequest {
    use huaweicloud_bss::orders::{
        PayCustomerOrderV3Body, PayOrdersRequest, PayUseCoupon, PayUseDiscount,
    };
    PayOrdersRequest::new(PayCustomerOrderV3Body::new(
        order_id,
        PayUseCoupon::DoNotUse,
        PayUseDiscount::DoNotUse,
    ))
}
