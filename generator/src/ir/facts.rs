//! Facts the IR carries unchanged from the spec (provenance, service identity, error tables,
//! code values, rate limits, ...), as the IR's own types: downstream stages never see
//! [`crate::spec::model`]. Each converts from its spec twin (the `From` impls below, used when
//! the model is built); `Serialize` keeps the field names templates and `api.json` read.

use serde::Serialize;

use crate::spec::model as spec;

/// Where a fact comes from: a document of `service.yaml`, a section, and optionally a table.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Source {
    /// Document id from `service.yaml` (`"004"` is the partner API reference).
    pub document: String,
    /// Numbered section (e.g. `4.1.1`) or section title.
    pub section: String,
    /// Caption of the table the fact comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
}

/// Identity of the service and of the generated crate.
#[derive(Clone, Debug, Serialize)]
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
#[derive(Clone, Debug, Serialize)]
pub struct Document {
    /// Short id used in `source.document`.
    pub id: String,
    /// File name in `shared/seeds/`, for a seed document.
    pub file: Option<String>,
    /// Base URL, for a set of public web pages (`source.section` then names the page's topic id).
    pub url: Option<String>,
    /// What the document is.
    pub title: String,
}

/// A site (international or China) and its endpoint.
#[derive(Clone, Debug, Serialize)]
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
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    /// Access key / secret key request signing.
    Aksk,
    /// IAM token in a header.
    Token,
}

/// An authentication scheme.
#[derive(Clone, Debug, Serialize)]
pub struct AuthScheme {
    /// Id used in an operation's `auth`.
    pub id: String,
    /// Kind of scheme.
    pub kind: AuthKind,
    /// Signing algorithm name (aksk).
    pub algorithm: Option<String>,
    /// Header carrying the token (token).
    pub header: Option<String>,
    /// Largest body the scheme can sign.
    pub max_body_bytes: Option<u64>,
    /// English description.
    pub summary: String,
    /// Provenance.
    pub source: Source,
}

/// The documented throttling answer.
#[derive(Clone, Debug, Serialize)]
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
#[derive(Clone, Debug, Serialize)]
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

/// Retry advice the documents give for an HTTP status.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
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
#[derive(Clone, Debug, Serialize)]
pub struct HttpStatus {
    /// Status code.
    pub status: u16,
    /// Documented name, verbatim.
    pub name: String,
    /// English meaning.
    pub meaning: String,
    /// Documented retry advice.
    pub advice: Option<RetryAdvice>,
}

/// One row of the global error-code table.
#[derive(Clone, Debug, Serialize)]
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
#[derive(Clone, Debug, Serialize)]
pub struct ExtraErrorCode {
    /// The code.
    pub code: String,
    /// HTTP status.
    pub http_status: u16,
    /// English message (documented, or ours when only a Chinese one exists).
    pub message: String,
    /// Documented Chinese meaning, if any.
    pub meaning_zh: Option<String>,
    /// Provenance.
    pub source: Source,
}

/// Identity of a group.
#[derive(Clone, Debug, Serialize)]
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
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CodeListType {
    /// Integer codes.
    Integer,
    /// String codes.
    String,
}

/// One code of a code list.
#[derive(Clone, Debug, Serialize)]
pub struct CodeValue {
    /// The value on the wire.
    pub value: serde_json::Value,
    /// snake_case name; becomes the Rust variant.
    pub name: String,
    /// Documented Chinese label.
    pub zh: Option<String>,
    /// English description.
    pub description: Option<String>,
    /// Sites whose documents list the code; empty: every site.
    pub sites: Vec<String>,
}

/// Location of a parameter.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
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
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
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
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Presence {
    /// Parameter not sent.
    pub absent: Option<PresenceRule>,
    /// Sent with an empty value.
    pub empty: Option<PresenceRule>,
    /// Sent as null.
    #[serde(rename = "null")]
    pub null: Option<PresenceRule>,
    /// Sent as an empty string.
    pub empty_string: Option<PresenceRule>,
}

/// HTTP method.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
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

/// Who may call an operation.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Caller {
    /// A partner with its own credentials.
    Partner,
    /// A customer (or a partner holding a customer's credentials).
    Customer,
}

/// Rate-limit dimension of 3.4.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
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
#[derive(Clone, Debug, Serialize)]
pub struct RateLimit {
    /// Requests allowed per window.
    pub requests: u32,
    /// Window length in seconds.
    pub per_seconds: u32,
    /// Dimensions the quota is counted in.
    pub dimensions: Vec<RateDimension>,
    /// Provenance.
    pub source: Source,
    /// Fixup explaining a deviation.
    pub fixup: Option<String>,
}

/// A documented permission requirement.
#[derive(Clone, Debug, Serialize)]
pub struct Permission {
    /// Permission items; any one suffices.
    pub items: Vec<String>,
    /// Documented Chinese names of the items.
    pub names_zh: Vec<String>,
    /// Provenance.
    pub source: Source,
    /// Fixup explaining a deviation.
    pub fixup: Option<String>,
}

/// Deprecation of an operation.
#[derive(Clone, Debug, Serialize)]
pub struct Deprecation {
    /// Id of the operation to use instead.
    pub replacement: String,
    /// One English line.
    pub note: String,
}

/// Unit of the offset parameter of a paginated operation.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum OffsetUnit {
    /// Offset counts records.
    Record,
    /// Offset counts pages.
    Page,
}

/// Kind of a fixup.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
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
#[derive(Clone, Debug, Serialize)]
pub struct Fixup {
    /// kebab-case id, unique in the spec.
    pub id: String,
    /// Kind.
    pub kind: FixupKind,
    /// What the documents say and what was encoded.
    pub reason: String,
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

impl From<&spec::Source> for Source {
    fn from(v: &spec::Source) -> Self {
        Source {
            document: v.document.clone(),
            section: v.section.clone(),
            table: v.table.clone(),
        }
    }
}

impl From<&spec::ServiceInfo> for ServiceInfo {
    fn from(v: &spec::ServiceInfo) -> Self {
        ServiceInfo {
            name: v.name.clone(),
            title_zh: v.title_zh.clone(),
            summary: v.summary.clone(),
            crate_name: v.crate_name.clone(),
            crate_version: v.crate_version.clone(),
        }
    }
}

impl From<&spec::Document> for Document {
    fn from(v: &spec::Document) -> Self {
        Document {
            id: v.id.clone(),
            file: v.file.clone(),
            url: v.url.clone(),
            title: v.title.clone(),
        }
    }
}

impl From<&spec::Site> for Site {
    fn from(v: &spec::Site) -> Self {
        Site {
            id: v.id.clone(),
            summary: v.summary.clone(),
            endpoint: v.endpoint.clone(),
            source: (&v.source).into(),
        }
    }
}

impl From<spec::AuthKind> for AuthKind {
    fn from(v: spec::AuthKind) -> Self {
        match v {
            spec::AuthKind::Aksk => AuthKind::Aksk,
            spec::AuthKind::Token => AuthKind::Token,
        }
    }
}

impl From<&spec::AuthScheme> for AuthScheme {
    fn from(v: &spec::AuthScheme) -> Self {
        AuthScheme {
            id: v.id.clone(),
            kind: v.kind.into(),
            algorithm: v.algorithm.clone(),
            header: v.header.clone(),
            max_body_bytes: v.max_body_bytes,
            summary: v.summary.clone(),
            source: (&v.source).into(),
        }
    }
}

impl From<&spec::Throttling> for Throttling {
    fn from(v: &spec::Throttling) -> Self {
        Throttling {
            http_status: v.http_status,
            error_code: v.error_code.clone(),
            source: (&v.source).into(),
            example: v.example.clone(),
        }
    }
}

impl From<&spec::AuthFailures> for AuthFailures {
    fn from(v: &spec::AuthFailures) -> Self {
        AuthFailures {
            http_status: v.http_status,
            error_code: v.error_code.clone(),
            max_clock_skew_seconds: v.max_clock_skew_seconds,
            signature_mismatch: v.signature_mismatch.clone(),
            unknown_access_key: v.unknown_access_key.clone(),
            invalid_token: v.invalid_token.clone(),
            source: (&v.source).into(),
        }
    }
}

impl From<spec::RetryAdvice> for RetryAdvice {
    fn from(v: spec::RetryAdvice) -> Self {
        match v {
            spec::RetryAdvice::DoNotRetry => RetryAdvice::DoNotRetry,
            spec::RetryAdvice::MayRetry => RetryAdvice::MayRetry,
            spec::RetryAdvice::RetryAfter => RetryAdvice::RetryAfter,
        }
    }
}

impl From<&spec::HttpStatus> for HttpStatus {
    fn from(v: &spec::HttpStatus) -> Self {
        HttpStatus {
            status: v.status,
            name: v.name.clone(),
            meaning: v.meaning.clone(),
            advice: v.advice.map(Into::into),
        }
    }
}

impl From<&spec::ErrorCode> for ErrorCode {
    fn from(v: &spec::ErrorCode) -> Self {
        ErrorCode {
            code: v.code.clone(),
            http_status: v.http_status,
            message: v.message.clone(),
            meaning_zh: v.meaning_zh.clone(),
        }
    }
}

impl From<&spec::ExtraErrorCode> for ExtraErrorCode {
    fn from(v: &spec::ExtraErrorCode) -> Self {
        ExtraErrorCode {
            code: v.code.clone(),
            http_status: v.http_status,
            message: v.message.clone(),
            meaning_zh: v.meaning_zh.clone(),
            source: (&v.source).into(),
        }
    }
}

impl From<&spec::GroupInfo> for GroupInfo {
    fn from(v: &spec::GroupInfo) -> Self {
        GroupInfo {
            id: v.id.clone(),
            title_zh: v.title_zh.clone(),
            summary: v.summary.clone(),
            source: (&v.source).into(),
        }
    }
}

impl From<spec::CodeListType> for CodeListType {
    fn from(v: spec::CodeListType) -> Self {
        match v {
            spec::CodeListType::Integer => CodeListType::Integer,
            spec::CodeListType::String => CodeListType::String,
        }
    }
}

impl From<&spec::CodeValue> for CodeValue {
    fn from(v: &spec::CodeValue) -> Self {
        CodeValue {
            value: v.value.clone(),
            name: v.name.clone(),
            zh: v.zh.clone(),
            description: v.description.clone(),
            sites: v.sites.clone(),
        }
    }
}

impl From<spec::ParamLocation> for ParamLocation {
    fn from(v: spec::ParamLocation) -> Self {
        match v {
            spec::ParamLocation::Path => ParamLocation::Path,
            spec::ParamLocation::Query => ParamLocation::Query,
            spec::ParamLocation::Header => ParamLocation::Header,
        }
    }
}

impl From<spec::PresenceRule> for PresenceRule {
    fn from(v: spec::PresenceRule) -> Self {
        match v {
            spec::PresenceRule::Default => PresenceRule::Default,
            spec::PresenceRule::Ignored => PresenceRule::Ignored,
            spec::PresenceRule::Filter => PresenceRule::Filter,
            spec::PresenceRule::Rejected => PresenceRule::Rejected,
        }
    }
}

impl From<&spec::Presence> for Presence {
    fn from(v: &spec::Presence) -> Self {
        Presence {
            absent: v.absent.map(Into::into),
            empty: v.empty.map(Into::into),
            null: v.null.map(Into::into),
            empty_string: v.empty_string.map(Into::into),
        }
    }
}

impl From<spec::Method> for Method {
    fn from(v: spec::Method) -> Self {
        match v {
            spec::Method::Get => Method::Get,
            spec::Method::Post => Method::Post,
            spec::Method::Put => Method::Put,
            spec::Method::Delete => Method::Delete,
            spec::Method::Patch => Method::Patch,
        }
    }
}

impl From<spec::Caller> for Caller {
    fn from(v: spec::Caller) -> Self {
        match v {
            spec::Caller::Partner => Caller::Partner,
            spec::Caller::Customer => Caller::Customer,
        }
    }
}

impl From<spec::RateDimension> for RateDimension {
    fn from(v: spec::RateDimension) -> Self {
        match v {
            spec::RateDimension::SourceIp => RateDimension::SourceIp,
            spec::RateDimension::Api => RateDimension::Api,
            spec::RateDimension::ParentUid => RateDimension::ParentUid,
        }
    }
}

impl From<&spec::RateLimit> for RateLimit {
    fn from(v: &spec::RateLimit) -> Self {
        RateLimit {
            requests: v.requests,
            per_seconds: v.per_seconds,
            dimensions: v.dimensions.iter().map(|x| (*x).into()).collect(),
            source: (&v.source).into(),
            fixup: v.fixup.clone(),
        }
    }
}

impl From<&spec::Permission> for Permission {
    fn from(v: &spec::Permission) -> Self {
        Permission {
            items: v.items.clone(),
            names_zh: v.names_zh.clone(),
            source: (&v.source).into(),
            fixup: v.fixup.clone(),
        }
    }
}

impl From<&spec::Deprecation> for Deprecation {
    fn from(v: &spec::Deprecation) -> Self {
        Deprecation {
            replacement: v.replacement.clone(),
            note: v.note.clone(),
        }
    }
}

impl From<spec::OffsetUnit> for OffsetUnit {
    fn from(v: spec::OffsetUnit) -> Self {
        match v {
            spec::OffsetUnit::Record => OffsetUnit::Record,
            spec::OffsetUnit::Page => OffsetUnit::Page,
        }
    }
}

impl From<spec::FixupKind> for FixupKind {
    fn from(v: spec::FixupKind) -> Self {
        match v {
            spec::FixupKind::ExampleRepair => FixupKind::ExampleRepair,
            spec::FixupKind::TypeCorrection => FixupKind::TypeCorrection,
            spec::FixupKind::TypeRename => FixupKind::TypeRename,
            spec::FixupKind::FieldName => FixupKind::FieldName,
            spec::FixupKind::ErrorStatus => FixupKind::ErrorStatus,
            spec::FixupKind::ErrorCode => FixupKind::ErrorCode,
            spec::FixupKind::RateLimitUrl => FixupKind::RateLimitUrl,
            spec::FixupKind::PermissionName => FixupKind::PermissionName,
            spec::FixupKind::PathTypo => FixupKind::PathTypo,
            spec::FixupKind::UndocumentedParameter => FixupKind::UndocumentedParameter,
            spec::FixupKind::ExampleConstraint => FixupKind::ExampleConstraint,
            spec::FixupKind::Other => FixupKind::Other,
        }
    }
}

impl From<&spec::Fixup> for Fixup {
    fn from(v: &spec::Fixup) -> Self {
        Fixup {
            id: v.id.clone(),
            kind: v.kind.into(),
            reason: v.reason.clone(),
        }
    }
}

/// `service.yaml`, as downstream stages see it: the spec-only parts (common headers and shared
/// code lists) are resolved into operations and [`super::CodeListInfo`]s.
#[derive(Clone, Debug, Serialize)]
pub struct Service {
    /// Identity of the service and of the generated crate.
    pub service: ServiceInfo,
    /// The source documents facts are taken from.
    pub documents: Vec<Document>,
    /// Sites and their endpoints.
    pub sites: Vec<Site>,
    /// Authentication schemes.
    pub auth_schemes: Vec<AuthScheme>,
    /// The documented answer to a throttled call.
    pub throttling: Option<Throttling>,
    /// The documented answers of the API gateway when authentication fails.
    pub auth_failures: Option<AuthFailures>,
}

impl From<&spec::ServiceFile> for Service {
    fn from(v: &spec::ServiceFile) -> Self {
        Service {
            service: (&v.service).into(),
            documents: v.documents.iter().map(Into::into).collect(),
            sites: v.sites.iter().map(Into::into).collect(),
            auth_schemes: v.auth_schemes.iter().map(Into::into).collect(),
            throttling: v.throttling.as_ref().map(Into::into),
            auth_failures: v.auth_failures.as_ref().map(Into::into),
        }
    }
}

/// What a type's definition says besides its fields.
#[derive(Clone, Debug)]
pub struct TypeDoc {
    /// English description.
    pub description: String,
    /// Provenance.
    pub source: Source,
    /// Documented name when it differs from the key.
    pub doc_name: Option<String>,
    /// Fixup explaining a deviation.
    pub fixup: Option<String>,
    /// Field listing per-item failures inside a successful body.
    pub partial_failures: Option<String>,
}

impl From<&spec::TypeDef> for TypeDoc {
    fn from(v: &spec::TypeDef) -> Self {
        TypeDoc {
            description: v.description.clone(),
            source: (&v.source).into(),
            doc_name: v.doc_name.clone(),
            fixup: v.fixup.clone(),
            partial_failures: v.partial_failures.clone(),
        }
    }
}

/// A code list's definition.
#[derive(Clone, Debug)]
pub struct CodeListDef {
    /// Value type.
    pub ty: CodeListType,
    /// English description.
    pub description: String,
    /// Provenance.
    pub source: Source,
    /// The codes.
    pub values: Vec<CodeValue>,
}

impl From<&spec::CodeList> for CodeListDef {
    fn from(v: &spec::CodeList) -> Self {
        CodeListDef {
            ty: v.ty.into(),
            description: v.description.clone(),
            source: (&v.source).into(),
            values: v.values.iter().map(Into::into).collect(),
        }
    }
}

/// A file format's definition besides its columns.
#[derive(Clone, Debug)]
pub struct FileFormatDef {
    /// English description.
    pub description: String,
    /// Provenance.
    pub source: Source,
    /// How the file is delivered.
    pub delivery: String,
    /// Documented file name pattern.
    pub file_name_pattern: Option<String>,
    /// Documented sample rows, as documented.
    pub samples: Vec<String>,
    /// Fixups of this format.
    pub fixups: Vec<Fixup>,
}

impl From<&spec::FileFormat> for FileFormatDef {
    fn from(v: &spec::FileFormat) -> Self {
        FileFormatDef {
            description: v.description.clone(),
            source: (&v.source).into(),
            delivery: v.delivery.clone(),
            file_name_pattern: v.file_name_pattern.clone(),
            samples: v.samples.clone(),
            fixups: v.fixups.iter().map(Into::into).collect(),
        }
    }
}

/// A column of a file format.
#[derive(Clone, Debug)]
pub struct FileColumnDef {
    /// snake_case identifier.
    pub name: String,
    /// Header text, exactly as documented.
    pub header: String,
    /// Other header texts the documented samples use for this column.
    pub aliases: Vec<String>,
    /// English description.
    pub description: String,
    /// The documented type text, when it differs from `type`.
    pub doc_type: Option<String>,
    /// Documented maximum length in characters.
    pub max_length: Option<u32>,
    /// Fixup explaining a deviation.
    pub fixup: Option<String>,
}

impl From<&spec::FileColumn> for FileColumnDef {
    fn from(v: &spec::FileColumn) -> Self {
        FileColumnDef {
            name: v.name.clone(),
            header: v.header.clone(),
            aliases: v.aliases.clone(),
            description: v.description.clone(),
            doc_type: v.doc_type.clone(),
            max_length: v.max_length,
            fixup: v.fixup.clone(),
        }
    }
}
