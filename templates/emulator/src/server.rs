//! The HTTP server: the running [`Emulator`], its builder, and the answer to one request.

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use percent_encoding::percent_decode_str;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::answer::Answer;
use crate::api::{Api, Operation, api};
use crate::auth::{Accepted, Arrived, verify};
use crate::control::Controls;
use crate::record::RecordedRequest;
use crate::router::Router;
use crate::scenario::{Scenario, ScenarioError};
use crate::lock::lock;
use crate::state::{Call, State};
use crate::throttle::Throttle;
use crate::validate::{self, Parts};

/// Access key the emulator accepts unless told otherwise. Not a real credential.
pub const DEFAULT_ACCESS_KEY: &str = "EMULATORACCESSKEY000";
/// Secret key of [`DEFAULT_ACCESS_KEY`]. Not a real credential.
pub const DEFAULT_SECRET_KEY: &str = "emulator-secret-key-not-a-real-credential";

/// Largest request body read: the 12 MB the documents give as the most AK/SK signing covers.
const MAX_BODY_BYTES: usize = 12 * 1024 * 1024;
/// Requests kept for [`Emulator::requests`] unless told otherwise; older ones are dropped.
const DEFAULT_RECORD_LIMIT: usize = 10_000;

/// Configures an [`Emulator`] before it starts.
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    addr: SocketAddr,
    accepted: Accepted,
    throttling: bool,
    record_limit: usize,
    site: Option<String>,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            accepted: Accepted {
                keys: vec![(DEFAULT_ACCESS_KEY.into(), DEFAULT_SECRET_KEY.into())],
                tokens: None,
                check_clock: true,
            },
            throttling: true,
            record_limit: DEFAULT_RECORD_LIMIT,
            site: None,
        }
    }
}

impl EmulatorBuilder {
    /// Listens on `addr` (default `127.0.0.1` on a free port).
    #[must_use]
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Listens on `port` of the current address (`0` picks a free one).
    #[must_use]
    pub fn port(mut self, port: u16) -> Self {
        self.addr.set_port(port);
        self
    }

    /// Accepts this access key / secret key pair instead of the default one. Call again to
    /// accept several.
    #[must_use]
    pub fn credentials(mut self, access_key: impl Into<String>, secret_key: impl Into<String>) -> Self {
        if self.accepted.keys.len() == 1 && self.accepted.keys[0].0 == DEFAULT_ACCESS_KEY {
            self.accepted.keys.clear();
        }
        self.accepted.keys.push((access_key.into(), secret_key.into()));
        self
    }

    /// Accepts only these `X-Auth-Token` values (by default any non-empty token is accepted:
    /// the emulator cannot ask IAM whether a token is valid). Call again to accept several.
    #[must_use]
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.accepted.tokens.get_or_insert_with(Vec::new).push(token.into());
        self
    }

    /// Whether `X-Sdk-Date` must be within the documented 15 minutes of the clock (default
    /// yes; turn off to replay recorded requests).
    #[must_use]
    pub fn clock_check(mut self, on: bool) -> Self {
        self.accepted.check_clock = on;
        self
    }

    /// Whether the documented rate limits are enforced (default yes).
    #[must_use]
    pub fn throttling(mut self, on: bool) -> Self {
        self.throttling = on;
        self
    }

    /// The site whose documents requests are checked against (`international`, the default, or
    /// `china`): where the two sites document different fields or codes for the same call, the
    /// other site's are refused. An unknown site makes [`EmulatorBuilder::start`] fail.
    #[must_use]
    pub fn site(mut self, site: impl Into<String>) -> Self {
        self.site = Some(site.into());
        self
    }

    /// How many requests [`Emulator::requests`] keeps (default 10 000; the oldest go first).
    #[must_use]
    pub fn record_limit(mut self, n: usize) -> Self {
        self.record_limit = n;
        self
    }

    /// Binds and starts serving on the current Tokio runtime.
    pub async fn start(self) -> std::io::Result<Emulator> {
        let api = api();
        let site = match self.site {
            Some(s) => known_site(api, &s).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?,
            None => default_site(api),
        };
        let listener = TcpListener::bind(self.addr).await?;
        let addr = listener.local_addr()?;
        let seed = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
        let shared = Arc::new(Shared {
            api,
            router: Router::new(api),
            accepted: self.accepted,
            throttling: AtomicBool::new(self.throttling),
            site: Mutex::new(site),
            throttle: Throttle::default(),
            scenarios: Mutex::default(),
            requests: Mutex::default(),
            record_limit: self.record_limit,
            state: State::default(),
            counter: AtomicU64::new(0),
            seed,
        });
        let (stop, mut stopped) = watch::channel(false);
        let server = shared.clone();
        let task = tokio::spawn(async move {
            loop {
                let stream = tokio::select! {
                    accepted = listener.accept() => match accepted {
                        Ok((stream, _)) => stream,
                        // A connection that failed before it was accepted concerns only its client.
                        Err(_) => continue,
                    },
                    _ = stopped.changed() => break,
                };
                let shared = server.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req| {
                        let shared = shared.clone();
                        async move { Ok::<_, Infallible>(shared.handle(req).await) }
                    });
                    // A client that hangs up mid-request is not the emulator's error.
                    let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                });
            }
        });
        tracing::info!(%addr, "bss-emulator listening");
        Ok(Emulator { addr, shared, stop, task: Some(task) })
    }
}

/// A running emulator. Dropping it stops accepting connections.
///
/// What it keeps between calls: a budget set with `UpdateSubCustomerBudget` is what
/// `ShowSubCustomerBudget` and `ListSubCustomerBudget` answer for that customer; an order paid
/// with `PayOrders` or cancelled with `CancelCustomerOrder` shows status 5 (已完成) or 4 (已取消)
/// in `ShowCustomerOrderDetails`, and cannot be paid or cancelled again (`CBC.0150`). Every
/// other operation answers its documented example, whatever came before.
#[derive(Debug)]
pub struct Emulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl Emulator {
    /// A builder, to change credentials, address, throttling or the clock check.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// Starts with the defaults: `127.0.0.1` on a free port, [`DEFAULT_ACCESS_KEY`], throttling on.
    pub async fn start() -> std::io::Result<Emulator> {
        Self::builder().start().await
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The endpoint to give the client, e.g. `http://127.0.0.1:8080`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The first access key it accepts.
    pub fn access_key(&self) -> &str {
        self.shared.accepted.keys.first().map_or("", |(ak, _)| ak.as_str())
    }

    /// The secret key of [`Emulator::access_key`].
    pub fn secret_key(&self) -> &str {
        self.shared.accepted.keys.first().map_or("", |(_, sk)| sk.as_str())
    }

    /// Every request received so far (up to the record limit), oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.requests()
    }

    /// The requests routed to one operation.
    pub fn requests_of(&self, operation: &str) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).iter().filter(|r| r.operation() == Some(operation)).cloned().collect()
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        self.shared.clear_requests();
    }

    /// Makes `operation` answer as `scenario` says, until cleared (or for `times` calls).
    pub fn set_scenario(&self, operation: &str, scenario: Scenario) -> Result<(), ScenarioError> {
        self.shared.set_scenario(operation, scenario)
    }

    /// Makes `operation` answer normally again.
    pub fn clear_scenario(&self, operation: &str) {
        self.shared.clear_scenario(Some(operation));
    }

    /// Makes every operation answer normally again.
    pub fn clear_scenarios(&self) {
        self.shared.clear_scenario(None);
    }

    /// Turns the documented rate limits on or off.
    pub fn set_throttling(&self, on: bool) {
        self.shared.set_throttling(on);
    }

    /// Whether the documented rate limits are enforced.
    pub fn throttling(&self) -> bool {
        self.shared.throttling.load(Ordering::Relaxed)
    }

    /// Forgets recorded requests, scenarios, state and rate-limit windows.
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// Checks requests against another site's documents from now on (see
    /// [`EmulatorBuilder::site`]). Fails, saying which sites there are, for an unknown one.
    pub fn set_site(&self, site: &str) -> Result<(), String> {
        self.shared.set_site(site)
    }

    /// The site whose documents requests are checked against.
    pub fn site(&self) -> String {
        lock(&self.shared.site).clone()
    }

    /// Stops accepting connections and waits for the accept loop to end. Connections already
    /// open finish their current request.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// The default site: the first of `service.yaml` (the international one, which the partner
/// reference documents).
fn default_site(api: &Api) -> String {
    api.sites.first().cloned().unwrap_or_default()
}

/// `site` if the spec documents it.
fn known_site(api: &Api, site: &str) -> Result<String, String> {
    if api.sites.iter().any(|s| s == site) {
        Ok(site.to_string())
    } else {
        Err(format!("unknown site `{site}`; the documented sites are {}", api.sites.join(", ")))
    }
}

/// State shared by the connections of one emulator.
pub(crate) struct Shared {
    api: &'static Api,
    router: Router,
    accepted: Accepted,
    throttling: AtomicBool,
    site: Mutex<String>,
    throttle: Throttle,
    scenarios: Mutex<HashMap<String, Scenario>>,
    requests: Mutex<VecDeque<RecordedRequest>>,
    record_limit: usize,
    state: State,
    counter: AtomicU64,
    seed: u64,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared").field("accepted", &self.accepted).field("throttling", &self.throttling).finish_non_exhaustive()
    }
}

impl Controls for Shared {
    fn set_scenario(&self, operation: &str, scenario: Scenario) -> Result<(), ScenarioError> {
        let op = self.operation(operation).ok_or_else(|| ScenarioError::UnknownOperation(operation.to_string()))?;
        if let Some(code) = &scenario.error_code {
            if op.error(self.api, code).is_none() {
                return Err(ScenarioError::UnknownErrorCode { operation: operation.to_string(), code: code.clone() });
            }
            if scenario.status.is_some() || scenario.body.is_some() {
                return Err(ScenarioError::Invalid("an error code brings its own status and body".into()));
            }
        }
        match (scenario.status, &scenario.body) {
            (Some(s), None) if !(500..=599).contains(&s) => {
                return Err(ScenarioError::Invalid(format!("status {s} without a body: give a body, or a 5xx status")));
            }
            (Some(s), Some(_)) if !(100..=999).contains(&s) => return Err(ScenarioError::Invalid(format!("{s} is not an HTTP status"))),
            (None, Some(_)) => return Err(ScenarioError::Invalid("a body needs a status".into())),
            _ => {}
        }
        if scenario.times == Some(0) {
            return Err(ScenarioError::Invalid("times must be at least 1".into()));
        }
        lock(&self.scenarios).insert(op.id.clone(), scenario);
        Ok(())
    }

    fn set_throttling(&self, on: bool) {
        self.throttling.store(on, Ordering::Relaxed);
        self.throttle.clear();
    }

    fn set_site(&self, site: &str) -> Result<(), String> {
        *lock(&self.site) = known_site(self.api, site)?;
        Ok(())
    }

    fn reset(&self) {
        lock(&self.requests).clear();
        lock(&self.scenarios).clear();
        self.state.clear();
        self.throttle.clear();
    }

    fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.requests).iter().cloned().collect()
    }

    fn clear_requests(&self) {
        lock(&self.requests).clear();
    }

    fn clear_scenario(&self, operation: Option<&str>) {
        let mut scenarios = lock(&self.scenarios);
        match operation {
            Some(op) => {
                scenarios.remove(op);
            }
            None => scenarios.clear(),
        }
    }

}

impl Shared {
    fn operation(&self, id: &str) -> Option<&'static Operation> {
        self.api.operations.iter().find(|op| op.id == id)
    }

    /// The scenario for the next call of `op`, counting it against `times`.
    fn take_scenario(&self, op: &str) -> Option<Scenario> {
        let mut scenarios = lock(&self.scenarios);
        let scenario = scenarios.get_mut(op)?;
        let current = scenario.clone();
        match &mut scenario.times {
            Some(1) => {
                scenarios.remove(op);
            }
            Some(n) => *n -= 1,
            None => {}
        }
        Some(current)
    }

    fn next_request_id(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        format!("{:016x}{:016x}", self.seed, n)
    }

    async fn handle(self: Arc<Self>, req: Request<Incoming>) -> Response<Full<Bytes>> {
        let (parts, body) = req.into_parts();
        let request_id = self.next_request_id();
        let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
            Ok(b) => b.to_bytes(),
            Err(_) => {
                let answer = Answer::json(413, &json!({"error_msg": format!("bss-emulator: the request body is larger than {MAX_BODY_BYTES} bytes, the most AK/SK signing covers")}));
                return respond(&answer, &request_id);
            }
        };
        let path = parts.uri.path().to_string();
        let raw_query = parts.uri.query().unwrap_or_default();
        if let Some(rest) = path.strip_prefix("/_emulator/") {
            let answer = crate::control::handle(self.as_ref(), parts.method.as_str(), rest, &body);
            return respond(&answer, &request_id);
        }
        let query = decode_query(raw_query);
        let headers: Vec<(String, String)> = parts
            .headers
            .iter()
            .map(|(n, v)| (n.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        let method = parts.method.as_str();
        let answer = self.answer(method, &path, &query, &headers, &body, &request_id).await;
        tracing::info!(
            operation = answer.operation.as_deref().unwrap_or("-"),
            method,
            path,
            status = answer.status,
            error_code = answer.error_code.as_deref().unwrap_or("-"),
            detail = answer.detail.as_deref().unwrap_or("-"),
            "answered"
        );
        let response = respond(&answer, &request_id);
        let record = RecordedRequest {
            operation: answer.operation,
            method: method.to_string(),
            path,
            query,
            headers,
            body: body.to_vec(),
            status: answer.status,
            error_code: answer.error_code,
            detail: answer.detail,
        };
        let mut requests = lock(&self.requests);
        if self.record_limit > 0 {
            if requests.len() >= self.record_limit {
                requests.pop_front();
            }
            requests.push_back(record);
        }
        response
    }

    async fn answer(&self, method: &str, path: &str, query: &[(String, String)], headers: &[(String, String)], body: &[u8], request_id: &str) -> Answer {
        let matched = match self.router.find(method, path) {
            Ok(m) => m,
            Err(other_method) => {
                let what = if other_method { "the path exists, but not with this method" } else { "no documented operation has this path" };
                let mut a = Answer::json(404, &json!({"error_msg": format!("bss-emulator: {method} {path}: {what}")}));
                a.detail = Some(what.into());
                return a;
            }
        };
        let op = &self.api.operations[matched.operation];
        let mut answer = self.answer_operation(matched.operation, &matched.path_params, method, path, query, headers, body, request_id).await;
        answer.operation = Some(op.id.clone());
        answer
    }

    #[allow(clippy::too_many_arguments)] // the parts of one request, passed along unchanged
    async fn answer_operation(
        &self,
        index: usize,
        path_params: &[(String, String)],
        method: &str,
        path: &str,
        query: &[(String, String)],
        headers: &[(String, String)],
        body: &[u8],
        request_id: &str,
    ) -> Answer {
        let op = &self.api.operations[index];
        if let Some(docs) = &self.api.auth_failures {
            let arrived = Arrived { method, path, query, headers, body };
            if let Err(refused) = verify(&self.accepted, docs, &arrived) {
                let body = json!({"error_msg": refused.message, "error_code": docs.error_code, "request_id": request_id});
                let mut a = Answer::json(docs.http_status, &body);
                a.error_code = Some(docs.error_code.clone());
                a.detail = Some(refused.reason);
                return a;
            }
        }
        if let (Some(limit), Some(docs)) = (op.rate_limit, &self.api.throttling) {
            if self.throttling.load(Ordering::Relaxed) && !self.throttle.admit(index, limit) {
                let mut body: Value = serde_json::from_str(&docs.example).unwrap_or_else(|_| json!({"error_code": docs.error_code}));
                if let Some(obj) = body.as_object_mut() {
                    obj.insert("request_id".into(), Value::from(request_id));
                    obj.insert(
                        "error_message".into(),
                        Value::from(format!("The throttling threshold has been reached: policy user over ratelimit,limit:{},time:{} second", limit.requests, limit.per_seconds)),
                    );
                }
                let mut a = Answer::json(docs.http_status, &body);
                a.error_code = Some(docs.error_code.clone());
                a.detail = Some(format!("more than {} calls in {} s", limit.requests, limit.per_seconds));
                return a;
            }
        }
        let scenario = self.take_scenario(&op.id);
        if let Some(delay) = scenario.as_ref().and_then(Scenario::delay_duration) {
            tokio::time::sleep(delay).await;
        }
        if let Some(s) = &scenario {
            if let Some(code) = &s.error_code {
                return self.error(op, code, Some("forced by a scenario".into()));
            }
            match (s.status, &s.body) {
                (Some(status), Some(body)) => {
                    return Answer { status, body: Some(body.clone()), operation: None, error_code: None, detail: Some("forced by a scenario".into()) };
                }
                (Some(status), None) => {
                    let mut a = self.error(op, "CBC.0999", Some("forced by a scenario".into()));
                    a.status = status;
                    return a;
                }
                _ => {}
            }
        }
        let header = |name: &str| headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
        let parts = Parts { path_params, query, header: &header, body };
        let site = lock(&self.site).clone();
        let request_body = match validate::request(self.api, &site, op, &parts) {
            Ok(b) => b,
            Err(detail) => return self.error(op, "CBC.0100", Some(detail)),
        };
        let call = Call { operation: &op.id, path_params, query, body: request_body.as_ref() };
        if let Some(code) = self.state.conflict(&call) {
            return self.error(op, code, Some("the order was already paid or cancelled".into()));
        }
        self.success(op, &call)
    }

    /// The documented error answer of `code` for `op`.
    fn error(&self, op: &Operation, code: &str, detail: Option<String>) -> Answer {
        let (status, message) = op.error(self.api, code).unwrap_or((500, code.to_string()));
        let mut body = serde_json::Map::new();
        body.insert("error_code".into(), Value::from(code));
        body.insert(op.error_message_field.clone(), Value::from(message));
        Answer { status, body: Some(Value::Object(body).to_string()), operation: None, error_code: Some(code.to_string()), detail }
    }

    /// The success answer: the documented example, adjusted by state and paging.
    fn success(&self, op: &Operation, call: &Call<'_>) -> Answer {
        let Some(text) = &op.success_body else {
            self.state.apply(call, None);
            return Answer { status: op.success_status, body: None, operation: None, error_code: None, detail: None };
        };
        let later_page = op.pagination.as_ref().is_some_and(|p| {
            let offset = if p.offset_in_body {
                call.body.and_then(|b| b.get(&p.offset)).and_then(Value::as_i64)
            } else {
                call.query.iter().find(|(n, _)| *n == p.offset).and_then(|(_, v)| v.parse().ok())
            };
            offset.is_some_and(|o| o > p.first_offset)
        });
        // Only answers a flow or a later page may change are parsed; the rest go out as text.
        let adjustable = later_page || State::adjusts(call.operation);
        let mut value: Option<Value> = adjustable.then(|| serde_json::from_str(text).ok()).flatten();
        let mut changed = self.state.apply(call, value.as_mut());
        if later_page {
            if let (Some(p), Some(v)) = (&op.pagination, value.as_mut()) {
                let items = p.items.split('.').try_fold(v, |v, key| v.get_mut(key));
                if let Some(items @ Value::Array(_)) = items {
                    *items = Value::Array(Vec::new());
                    changed = true;
                }
            }
        }
        // Unchanged answers go out byte for byte as documented.
        let body = match value.filter(|_| changed) {
            Some(v) => v.to_string(),
            None => text.clone(),
        };
        Answer { status: op.success_status, body: Some(body), operation: None, error_code: None, detail: None }
    }
}

fn respond(answer: &Answer, request_id: &str) -> Response<Full<Bytes>> {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut builder = Response::builder().status(status).header("X-Request-Id", request_id);
    if answer.body.is_some() {
        builder = builder.header("Content-Type", "application/json;charset=UTF-8");
    }
    if let Some(detail) = &answer.detail {
        // Header values cannot carry control characters or non-ASCII text.
        let clean: String = detail.chars().map(|c| if c.is_ascii() && !c.is_ascii_control() { c } else { '?' }).collect();
        builder = builder.header("X-Emulator-Detail", clean);
    }
    let body = answer.body.clone().map(Bytes::from).unwrap_or_default();
    builder.body(Full::new(body)).unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

/// Decoded query pairs. `+` stays a plus sign: the SDKs encode spaces as `%20`.
pub(crate) fn decode_query(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let d = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
            (d(k), d(v))
        })
        .collect()
}
