//! The API as the spec describes it, read from `api.json` (written by `bss-codegen`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Value;

/// Everything the emulator knows about the API.
#[derive(Debug, Deserialize)]
pub(crate) struct Api {
    pub spec_sha256: String,
    pub throttling: Option<Throttling>,
    pub auth_failures: Option<AuthFailures>,
    pub error_codes: BTreeMap<String, ErrorCode>,
    pub code_lists: BTreeMap<String, Vec<Value>>,
    /// The documented sites; the first is the default.
    pub sites: Vec<String>,
    /// Per code list, the codes documented on some sites only, with those sites.
    #[serde(default)]
    pub site_codes: BTreeMap<String, Vec<(Value, Vec<String>)>>,
    /// Fields of the types that are sent in request bodies.
    pub types: BTreeMap<String, Vec<Field>>,
    pub operations: Vec<Operation>,
}

/// The gateway's documented answer to a throttled call.
#[derive(Debug, Deserialize)]
pub(crate) struct Throttling {
    pub http_status: u16,
    pub error_code: String,
    pub example: String,
}

/// The gateway's documented answers to refused credentials.
#[derive(Debug, Deserialize)]
pub(crate) struct AuthFailures {
    pub http_status: u16,
    pub error_code: String,
    pub max_clock_skew_seconds: u64,
    pub signature_mismatch: String,
    pub unknown_access_key: String,
    pub invalid_token: String,
}

/// A documented error code.
#[derive(Debug, Deserialize)]
pub(crate) struct ErrorCode {
    pub http_status: u16,
    pub message: String,
}

/// A member of a request type.
#[derive(Debug, Deserialize)]
pub(crate) struct Field {
    pub name: String,
    /// Required on every site.
    pub required: bool,
    /// Sites whose documents list the field; empty: every site.
    #[serde(default)]
    pub sites: Vec<String>,
    /// Required on the sites of `sites`.
    #[serde(default)]
    pub site_required: bool,
    pub schema: Schema,
}

/// What a value must look like.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum Schema {
    String {
        min_length: Option<u64>,
        max_length: Option<u64>,
        code_list: Option<String>,
    },
    Integer {
        minimum: Option<i64>,
        maximum: Option<i64>,
        max_digits: Option<u64>,
        code_list: Option<String>,
    },
    Decimal,
    Number,
    Boolean,
    Json,
    List {
        items: Box<Schema>,
        min_items: Option<u64>,
        max_items: Option<u64>,
    },
    Map {
        values: Box<Schema>,
    },
    Object {
        name: String,
    },
}

/// A path, query or header parameter.
#[derive(Debug, Deserialize)]
pub(crate) struct Param {
    pub name: String,
    pub location: Location,
    pub required: bool,
    pub schema: Schema,
}

/// Where a parameter travels.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Location {
    Path,
    Query,
    Header,
}

/// A documented rate limit.
#[derive(Clone, Copy, Debug, Deserialize)]
pub(crate) struct RateLimit {
    pub requests: u32,
    pub per_seconds: u32,
}

/// How a list operation pages, so that pages after the first come back empty.
#[derive(Debug, Deserialize)]
pub(crate) struct Pagination {
    pub offset: String,
    pub offset_in_body: bool,
    pub first_offset: i64,
    pub items: String,
}

/// One operation.
#[derive(Debug, Deserialize)]
pub(crate) struct Operation {
    pub id: String,
    pub group: String,
    pub title_zh: String,
    pub method: String,
    pub path: String,
    pub idempotent: bool,
    pub rate_limit: Option<RateLimit>,
    pub params: Vec<Param>,
    pub body: Option<String>,
    pub success_status: u16,
    pub success_body: Option<String>,
    pub success_body_built: bool,
    pub errors: Vec<(u16, String)>,
    /// `error_msg`, or the name the operation's error table uses instead.
    pub error_message_field: String,
    pub pagination: Option<Pagination>,
}

impl Operation {
    /// Status and message of an error code, as this operation documents it (the global table
    /// gives the message, and the status when the operation lists the code without one).
    pub fn error(&self, api: &Api, code: &str) -> Option<(u16, String)> {
        let listed = self.errors.iter().find(|(_, c)| c == code).map(|(s, _)| *s);
        let global = api.error_codes.get(code);
        let status = listed.or_else(|| global.map(|g| g.http_status))?;
        let message = global.map_or_else(|| code.to_string(), |g| g.message.clone());
        Some((status, message))
    }
}

/// The API table, parsed once.
pub(crate) fn api() -> &'static Api {
    static API: OnceLock<Api> = OnceLock::new();
    // The file is generated and parsed by the crate's own tests, so a failure here is a
    // generator bug, not bad input.
    API.get_or_init(|| serde_json::from_str(include_str!("api.json")).expect("api.json is valid"))
}

/// What an operation is, for listings and for tests that iterate over the API.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct OperationSummary {
    /// Operation id, e.g. `ListSubCustomers`.
    pub id: &'static str,
    /// API group (the client's cargo feature).
    pub group: &'static str,
    /// The documented Chinese title.
    pub title_zh: &'static str,
    /// HTTP method.
    pub method: &'static str,
    /// Path template.
    pub path: &'static str,
    /// Whether the documents let the call be repeated safely.
    pub idempotent: bool,
    /// Documented rate limit as (requests, seconds).
    pub rate_limit: Option<(u32, u32)>,
    /// Whether the success answer is the documented example (`false`: built from the types).
    pub documented_answer: bool,
}

/// Every operation the emulator answers, in spec order.
pub fn operations() -> Vec<OperationSummary> {
    api()
        .operations
        .iter()
        .map(|op| OperationSummary {
            id: &op.id,
            group: &op.group,
            title_zh: &op.title_zh,
            method: &op.method,
            path: &op.path,
            idempotent: op.idempotent,
            rate_limit: op.rate_limit.map(|r| (r.requests, r.per_seconds)),
            documented_answer: op.success_body.is_some() && !op.success_body_built,
        })
        .collect()
}
