//! The YAML spec format, as serde structs.
//!
//! Every struct denies unknown keys, so a typo in a spec file is an error with a location instead
//! of a silently ignored fact. The JSON Schema in `spec/spec.schema.json` is derived from these
//! types (`bss-codegen schema`), so editors and the loader can never disagree.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Where a fact comes from: a document of `service.yaml`, a section, and optionally a table.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Document id from `service.yaml` (`"004"` is the partner API reference).
    pub document: String,
    /// Numbered section (e.g. `4.1.1`) or section title.
    pub section: String,
    /// Caption of the table the fact comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
}

/// `service.yaml`.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceFile {
    /// Identity of the service and of the generated crate.
    pub service: ServiceInfo,
    /// The source documents facts are taken from.
    pub documents: Vec<Document>,
    /// Sites and their endpoints.
    pub sites: Vec<Site>,
    /// Authentication schemes.
    pub auth_schemes: Vec<AuthScheme>,
    /// Header parameters shared by operations (referenced with `common:`).
    #[serde(default)]
    pub common_headers: Vec<Parameter>,
    /// Code lists shared by several groups.
    #[serde(default)]
    pub code_lists: BTreeMap<String, CodeList>,
    /// The documented answer to a throttled call.
    #[serde(default)]
    pub throttling: Option<Throttling>,
    /// The documented answers of the API gateway when authentication fails.
    #[serde(default)]
    pub auth_failures: Option<AuthFailures>,
}

/// Identity of the service and of the generated crate.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceInfo {
    /// Short name.
    pub name: String,
    /// Chinese title of the API family.
    pub title_zh: String,
    /// One English line.
    pub summary: String,
    /// Package name of the generated crate.
    pub crate_name: String,
    /// Version of the generated crate.
    pub crate_version: String,
}

/// A source document.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Short id used in `source.document`.
    pub id: String,
    /// File name in `shared/seeds/`, for a seed document.
    #[serde(default)]
    pub file: Option<String>,
    /// Base URL, for a set of public web pages (`source.section` then names the page's topic id).
    #[serde(default)]
    pub url: Option<String>,
    /// What the document is.
    pub title: String,
}

/// A site (international or China) and its endpoint.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// `international` or `china`.
    pub id: String,
    /// One English line.
    pub summary: String,
    /// Base URL of the site.
    pub endpoint: String,
    /// Provenance.
    pub source: Source,
}

/// Kind of an authentication scheme.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    /// Access key / secret key request signing.
    Aksk,
    /// IAM token in a header.
    Token,
}

/// An authentication scheme.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthScheme {
    /// Id used in an operation's `auth`.
    pub id: String,
    /// Kind of scheme.
    pub kind: AuthKind,
    /// Signing algorithm name (aksk).
    #[serde(default)]
    pub algorithm: Option<String>,
    /// Header carrying the token (token).
    #[serde(default)]
    pub header: Option<String>,
    /// Largest body the scheme can sign.
    #[serde(default)]
    pub max_body_bytes: Option<u64>,
    /// English description.
    pub summary: String,
    /// Provenance.
    pub source: Source,
}

/// The documented throttling answer.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Throttling {
    /// HTTP status of a throttled call.
    pub http_status: u16,
    /// Error code in the body.
    pub error_code: String,
    /// Provenance.
    pub source: Source,
    /// The documented body.
    pub example: String,
}

/// The API gateway's documented answers when a request's credentials are refused.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthFailures {
    /// HTTP status of a refused call.
    pub http_status: u16,
    /// Error code in the body.
    pub error_code: String,
    /// How far `X-Sdk-Date` may be from the gateway's clock, in seconds.
    pub max_clock_skew_seconds: u64,
    /// `error_msg` when the AK/SK signature does not verify (also for a missing or malformed
    /// `Authorization` header, or an `X-Sdk-Date` outside the allowed skew).
    pub signature_mismatch: String,
    /// `error_msg` when the access key is unknown.
    pub unknown_access_key: String,
    /// `error_msg` when the IAM token cannot be used.
    pub invalid_token: String,
    /// Provenance.
    pub source: Source,
}

/// `errors.yaml`.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorsFile {
    /// Provenance of `http_statuses`.
    pub http_statuses_source: Source,
    /// Provenance of `error_codes`.
    pub error_codes_source: Source,
    /// HTTP status meanings.
    pub http_statuses: Vec<HttpStatus>,
    /// The global error-code table.
    pub error_codes: Vec<ErrorCode>,
}

/// Retry advice the documents give for an HTTP status.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RetryAdvice {
    /// Fix the request; do not retry it.
    DoNotRetry,
    /// The request may be resubmitted unchanged.
    MayRetry,
    /// Wait as long as the Retry-After header says.
    RetryAfter,
}

/// One HTTP status of 13.8.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HttpStatus {
    /// Status code.
    pub status: u16,
    /// Documented name, verbatim.
    pub name: String,
    /// English meaning.
    pub meaning: String,
    /// Documented retry advice.
    #[serde(default)]
    pub advice: Option<RetryAdvice>,
}

/// One row of the global error-code table.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorCode {
    /// The code, e.g. `CBC.0100`.
    pub code: String,
    /// HTTP status the code comes with.
    pub http_status: u16,
    /// Documented English message, verbatim.
    pub message: String,
    /// Documented Chinese meaning.
    pub meaning_zh: String,
}

/// An error code an operation documents that the global table lacks.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtraErrorCode {
    /// The code.
    pub code: String,
    /// HTTP status.
    pub http_status: u16,
    /// English message (documented, or ours when only a Chinese one exists).
    pub message: String,
    /// Documented Chinese meaning, if any.
    #[serde(default)]
    pub meaning_zh: Option<String>,
    /// Provenance.
    pub source: Source,
}

/// `groups/<group>.yaml`.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupFile {
    /// Identity of the group.
    pub group: GroupInfo,
    /// Code lists defined by the group.
    #[serde(default)]
    pub code_lists: BTreeMap<String, CodeList>,
    /// Types defined by the group.
    #[serde(default)]
    pub types: BTreeMap<String, TypeDef>,
    /// Error codes the group's operations use that table 13-3 lacks.
    #[serde(default)]
    pub extra_error_codes: Vec<ExtraErrorCode>,
    /// CSV file formats delivered to OBS.
    #[serde(default)]
    pub file_formats: BTreeMap<String, FileFormat>,
    /// Operations.
    #[serde(default)]
    pub operations: Vec<Operation>,
}

/// Identity of a group.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupInfo {
    /// snake_case id: module and cargo feature name.
    pub id: String,
    /// Chinese chapter title.
    pub title_zh: String,
    /// One English line.
    pub summary: String,
    /// Provenance.
    pub source: Source,
}

/// Value type of a code list.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CodeListType {
    /// Integer codes.
    Integer,
    /// String codes.
    String,
}

/// A list of documented codes with their meanings.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeList {
    /// Value type.
    #[serde(rename = "type")]
    pub ty: CodeListType,
    /// English description.
    pub description: String,
    /// Provenance.
    pub source: Source,
    /// The codes.
    pub values: Vec<CodeValue>,
}

/// One code of a code list.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeValue {
    /// The value on the wire.
    pub value: serde_json::Value,
    /// snake_case name; becomes the Rust variant.
    pub name: String,
    /// Documented Chinese label.
    #[serde(default)]
    pub zh: Option<String>,
    /// English description.
    #[serde(default)]
    pub description: Option<String>,
    /// Sites whose documents list the code; empty: every site the field is documented for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<String>,
}

/// A named object type.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TypeDef {
    /// English description.
    pub description: String,
    /// Provenance.
    pub source: Source,
    /// Documented name when it differs from the key.
    #[serde(default)]
    pub doc_name: Option<String>,
    /// Fixup explaining a deviation.
    #[serde(default)]
    pub fixup: Option<String>,
    /// Field listing per-item failures inside a successful body.
    #[serde(default)]
    pub partial_failures: Option<String>,
    /// Fields, in documented order.
    pub fields: Vec<Field>,
}

/// A field of a type.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// JSON name.
    pub name: String,
    /// Rust name of the field, when the one derived from `name` collides (see the naming rules
    /// in `spec/README.md`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// Type expression.
    #[serde(rename = "type")]
    pub ty: String,
    /// Required in requests.
    #[serde(default)]
    pub required: bool,
    /// English description.
    pub description: String,
    /// Documented type when it differs.
    #[serde(default)]
    pub doc_type: Option<String>,
    /// Maximum length (characters; digits for integers).
    #[serde(default)]
    pub max_length: Option<u64>,
    /// Minimum length.
    #[serde(default)]
    pub min_length: Option<u64>,
    /// Inclusive minimum.
    #[serde(default)]
    pub minimum: Option<i64>,
    /// Inclusive maximum.
    #[serde(default)]
    pub maximum: Option<i64>,
    /// Minimum list size.
    #[serde(default)]
    pub min_items: Option<u64>,
    /// Maximum list size.
    #[serde(default)]
    pub max_items: Option<u64>,
    /// Documented default.
    #[serde(default)]
    pub default: Option<serde_json::Value>,
    /// Code list of the value.
    #[serde(default)]
    pub code_list: Option<String>,
    /// Secret or personal data: redacted in Debug output and logs.
    #[serde(default)]
    pub sensitive: bool,
    /// `example` when only an example shows the field.
    #[serde(default)]
    pub origin: Option<FieldOrigin>,
    /// Fixup explaining a deviation.
    #[serde(default)]
    pub fixup: Option<String>,
    /// Sites whose documents list the field (required there when `required`); empty: every site
    /// of the operations that use the type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<String>,
}

/// Where a field is documented.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FieldOrigin {
    /// Only a documented example shows the field.
    Example,
}

/// Location of a parameter.
#[derive(
    Clone, Copy, Debug, Deserialize, Serialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord,
)]
#[serde(rename_all = "snake_case")]
pub enum ParamLocation {
    /// Path template placeholder.
    Path,
    /// Query string.
    Query,
    /// Request header.
    Header,
}

/// What the server does with a query parameter in one presence state.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PresenceRule {
    /// The documented default applies.
    Default,
    /// Not used as a filter.
    Ignored,
    /// Used as a filter value.
    Filter,
    /// Not supported.
    Rejected,
}

/// The documented meaning of a query parameter's presence states.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Presence {
    /// Parameter not sent.
    #[serde(default)]
    pub absent: Option<PresenceRule>,
    /// Sent with an empty value.
    #[serde(default)]
    pub empty: Option<PresenceRule>,
    /// Sent as null.
    #[serde(default, rename = "null")]
    pub null: Option<PresenceRule>,
    /// Sent as an empty string.
    #[serde(default)]
    pub empty_string: Option<PresenceRule>,
}

/// A path, query or header parameter, or a reference to a common header.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// Name of a common header of `service.yaml` (then nothing else but `fixup`).
    #[serde(default)]
    pub common: Option<String>,
    /// Wire name.
    #[serde(default)]
    pub name: Option<String>,
    /// Rust name of the request field and setter, when the one derived from `name` collides
    /// (see the naming rules in `spec/README.md`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// Location.
    #[serde(default, rename = "in")]
    pub location: Option<ParamLocation>,
    /// Type expression.
    #[serde(default, rename = "type")]
    pub ty: Option<String>,
    /// Required.
    #[serde(default)]
    pub required: bool,
    /// English description.
    #[serde(default)]
    pub description: Option<String>,
    /// Maximum length.
    #[serde(default)]
    pub max_length: Option<u64>,
    /// Minimum length.
    #[serde(default)]
    pub min_length: Option<u64>,
    /// Inclusive minimum.
    #[serde(default)]
    pub minimum: Option<i64>,
    /// Inclusive maximum.
    #[serde(default)]
    pub maximum: Option<i64>,
    /// Maximum list size.
    #[serde(default)]
    pub max_items: Option<u64>,
    /// Documented default.
    #[serde(default)]
    pub default: Option<serde_json::Value>,
    /// Note on the default when it is not a value.
    #[serde(default)]
    pub default_note: Option<String>,
    /// Code list of the value.
    #[serde(default)]
    pub code_list: Option<String>,
    /// Secret or personal data.
    #[serde(default)]
    pub sensitive: bool,
    /// Meaning of absent / empty / null / empty-string values.
    #[serde(default)]
    pub presence: Option<Presence>,
    /// Provenance (common headers).
    #[serde(default)]
    pub source: Option<Source>,
    /// Fixup explaining a deviation.
    #[serde(default)]
    pub fixup: Option<String>,
}

/// HTTP method.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// DELETE.
    Delete,
    /// PATCH.
    Patch,
}

impl Method {
    /// The method as written on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
        }
    }
}

/// Who may call an operation.
#[derive(
    Clone, Copy, Debug, Deserialize, Serialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord,
)]
#[serde(rename_all = "snake_case")]
pub enum Caller {
    /// A partner with its own credentials.
    Partner,
    /// A customer (or a partner holding a customer's credentials).
    Customer,
}

/// Rate-limit dimension of 3.4.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RateDimension {
    /// Source IP.
    SourceIp,
    /// The API.
    Api,
    /// The parent account.
    ParentUid,
}

/// A documented rate limit.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    /// Requests allowed per window.
    pub requests: u32,
    /// Window length in seconds.
    pub per_seconds: u32,
    /// Dimensions the quota is counted in.
    #[serde(default)]
    pub dimensions: Vec<RateDimension>,
    /// Provenance.
    pub source: Source,
    /// Fixup explaining a deviation.
    #[serde(default)]
    pub fixup: Option<String>,
}

/// A documented permission requirement.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Permission {
    /// Permission items; any one suffices.
    pub items: Vec<String>,
    /// Documented Chinese names of the items.
    #[serde(default)]
    pub names_zh: Vec<String>,
    /// Provenance.
    pub source: Source,
    /// Fixup explaining a deviation.
    #[serde(default)]
    pub fixup: Option<String>,
}

/// How a caller finds out whether a call of an operation that is not idempotent was processed,
/// after an error that leaves it open (a timeout, a broken connection, a 5xx answer).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeLookup {
    /// Id of the idempotent (query) operation whose answer shows the outcome.
    #[serde(default)]
    pub operation: Option<String>,
    /// One English line: why no operation shows it (instead of `operation`).
    #[serde(default)]
    pub none: Option<String>,
}

/// Deprecation of an operation.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deprecation {
    /// Id of the operation to use instead.
    pub replacement: String,
    /// One English line.
    pub note: String,
}

/// One documented response status.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseDef {
    /// HTTP status.
    pub status: u16,
    /// Body type; none means no body.
    #[serde(default, rename = "type")]
    pub ty: Option<String>,
    /// English description.
    #[serde(default)]
    pub description: Option<String>,
}

/// One row of an operation's error table.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OperationError {
    /// HTTP status the operation documents.
    pub status: u16,
    /// Error code.
    pub code: String,
    /// Fixup explaining a deviation from table 13-3.
    #[serde(default)]
    pub fixup: Option<String>,
}

/// Unit of the offset parameter of a paginated operation.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum OffsetUnit {
    /// Offset counts records.
    Record,
    /// Offset counts pages.
    Page,
}

/// How a list operation pages.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pagination {
    /// Offset parameter name.
    pub offset: String,
    /// Limit parameter name.
    pub limit: String,
    /// What the offset counts.
    pub offset_unit: OffsetUnit,
    /// Response field holding the items.
    pub items: String,
    /// Response field holding the total count.
    #[serde(default)]
    pub total: Option<String>,
}

/// A repaired example body.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Repair {
    /// The `example_repair` fixup.
    pub fixup: String,
    /// The repaired JSON.
    pub body: String,
}

/// A documented request example.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestExample {
    /// Query string of the documented request line.
    #[serde(default)]
    pub query: Option<String>,
    /// Documented headers.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Path parameter values.
    #[serde(default)]
    pub path_params: BTreeMap<String, String>,
    /// Body exactly as documented.
    #[serde(default)]
    pub body: Option<String>,
    /// Repaired body.
    #[serde(default)]
    pub repair: Option<Repair>,
    /// Why the body cannot be repaired.
    #[serde(default)]
    pub unrepairable: Option<String>,
    /// Fixup (kind `example_constraint`) recording that the documented request breaks one of the
    /// operation's documented constraints, so client-side validation rejects it.
    #[serde(default)]
    pub breaks_constraint: Option<String>,
}

/// A documented response example.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseExample {
    /// HTTP status.
    pub status: u16,
    /// Body exactly as documented.
    #[serde(default)]
    pub body: Option<String>,
    /// Repaired body.
    #[serde(default)]
    pub repair: Option<Repair>,
    /// Why the body cannot be repaired.
    #[serde(default)]
    pub unrepairable: Option<String>,
}

/// A documented example exchange.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// Name, unique within the operation.
    pub name: String,
    /// The request.
    #[serde(default)]
    pub request: Option<RequestExample>,
    /// The response.
    #[serde(default)]
    pub response: Option<ResponseExample>,
}

/// Kind of a fixup.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FixupKind {
    /// A broken example repaired.
    ExampleRepair,
    /// A documented type corrected.
    TypeCorrection,
    /// A type name reused for another shape, renamed.
    TypeRename,
    /// A field name broken or misspelt.
    FieldName,
    /// An error status that differs from 13.9.
    ErrorStatus,
    /// An error code broken by the PDF extraction (wrapped over two lines), read as the code of
    /// table 13-3 with the same meaning.
    ErrorCode,
    /// A rate-limit row with another API's URL.
    RateLimitUrl,
    /// A permission row naming the API differently.
    PermissionName,
    /// A path typo the server needs.
    PathTypo,
    /// A parameter the section does not document.
    UndocumentedParameter,
    /// A documented example that breaks a documented constraint (a placeholder value shorter
    /// than the minimum length, say).
    ExampleConstraint,
    /// Anything else.
    Other,
}

/// A recorded decision about a documentation defect.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fixup {
    /// kebab-case id, unique in the spec.
    pub id: String,
    /// Kind.
    pub kind: FixupKind,
    /// What the documents say and what was encoded.
    pub reason: String,
    /// The documented facts the fixup overrides, in the form `bss-codegen docs check` reads:
    /// each claim explains exactly one difference between the document and the spec.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<Claim>,
}

/// One documented fact a fixup overrides: "section S states D for item I; the spec deliberately
/// differs". It explains exactly the `docs check` difference with the same kind, section and
/// item (and documented or spec value, when given). No wildcards: one fact per claim.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// Section of the partner reference stating the fact (`3.4`, `12.3.2.1`).
    #[serde(default)]
    pub section: Option<String>,
    /// The kind of difference, as `docs check` reports it.
    pub kind: ClaimKind,
    /// The parameter or field path (`query.limit`, `response.data[].beld`), error code,
    /// `rate_limit[<title>]`, `permission[<title>]` or `request_example[0]`, as reported.
    pub item: String,
    /// What the document states, as reported (`USD`, `CBC.000`); absent: any documented value.
    #[serde(default)]
    pub document: Option<String>,
    /// What the spec states, as reported (`OnDemandResourceStatus: 6`); absent: any spec value.
    #[serde(default)]
    pub spec: Option<String>,
    /// For a misprinted name (a `*_added` claim): the spec's item, whose `*_removed` difference
    /// the claim explains too (a body field the spec sends as a query parameter names
    /// `query.<name>`).
    #[serde(default)]
    pub replaces: Option<String>,
}

/// Kinds of difference a claim explains (the `kind` of `docs check`).
#[derive(Clone, Copy, Debug, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum ClaimKind {
    OperationAdded,
    OperationRemoved,
    PathChanged,
    MethodChanged,
    ParameterAdded,
    ParameterRemoved,
    FieldAdded,
    FieldRemoved,
    TypeChanged,
    RequiredChanged,
    ConstraintChanged,
    CodeValueAdded,
    CodeValueRemoved,
    ErrorCodeAdded,
    ErrorCodeRemoved,
    ErrorCodeChanged,
    RateLimitChanged,
    PermissionChanged,
    ExampleChanged,
    DeprecationChanged,
}

/// An operation.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// PascalCase operation name.
    pub id: String,
    /// Chinese title.
    pub title_zh: String,
    /// One English line.
    pub summary: String,
    /// More English.
    #[serde(default)]
    pub description: Option<String>,
    /// Provenance.
    pub source: Source,
    /// HTTP method.
    pub method: Method,
    /// Path template.
    pub path: String,
    /// Who may call.
    pub callers: Vec<Caller>,
    /// Sites (ids of `service.yaml`) whose reference documents the operation; empty means every
    /// site of the operation's source document.
    #[serde(default)]
    pub sites: Vec<String>,
    /// Cloud Trace Service audit event names recorded for the operation (000 §11.1).
    #[serde(default)]
    pub audit_events: Vec<String>,
    /// Accepted auth scheme ids.
    pub auth: Vec<String>,
    /// How the credentials must be obtained.
    #[serde(default)]
    pub caller_note: Option<String>,
    /// Further documented constraints.
    #[serde(default)]
    pub constraints_note: Option<String>,
    /// Safe to repeat.
    pub idempotent: bool,
    /// For an operation that is not idempotent: the query that shows whether a call was
    /// processed.
    #[serde(default)]
    pub outcome_lookup: Option<OutcomeLookup>,
    /// Documented rate limit.
    #[serde(default)]
    pub rate_limit: Option<RateLimit>,
    /// Documented permission.
    #[serde(default)]
    pub permission: Option<Permission>,
    /// Deprecation.
    #[serde(default)]
    pub deprecated: Option<Deprecation>,
    /// Parameters.
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// Body type.
    #[serde(default)]
    pub request_body: Option<String>,
    /// Documented responses.
    pub responses: Vec<ResponseDef>,
    /// Documented error codes.
    #[serde(default)]
    pub errors: Vec<OperationError>,
    /// Pagination.
    #[serde(default)]
    pub pagination: Option<Pagination>,
    /// Documented examples.
    #[serde(default)]
    pub examples: Vec<Example>,
    /// Fixups of this section.
    #[serde(default)]
    pub fixups: Vec<Fixup>,
}

/// A CSV file format delivered to OBS.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FileFormat {
    /// English description.
    pub description: String,
    /// Provenance.
    pub source: Source,
    /// How the file is delivered.
    pub delivery: String,
    /// Documented file name pattern.
    #[serde(default)]
    pub file_name_pattern: Option<String>,
    /// Columns in order.
    pub columns: Vec<FileColumn>,
    /// Documented sample rows.
    #[serde(default)]
    pub samples: Vec<String>,
    /// Fixups of this format.
    #[serde(default)]
    pub fixups: Vec<Fixup>,
}

/// A column of a file format.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FileColumn {
    /// snake_case identifier.
    pub name: String,
    /// Header text, exactly as documented.
    pub header: String,
    /// Other header texts the documented samples use for this column.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Type expression.
    #[serde(rename = "type")]
    pub ty: String,
    /// English description.
    pub description: String,
    /// The documented type text, when it differs from `type`.
    #[serde(default)]
    pub doc_type: Option<String>,
    /// Documented maximum length in characters.
    #[serde(default)]
    pub max_length: Option<u32>,
    /// Code list of the value.
    #[serde(default)]
    pub code_list: Option<String>,
    /// Fixup explaining a deviation.
    #[serde(default)]
    pub fixup: Option<String>,
}
