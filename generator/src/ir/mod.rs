//! The resolved, language-neutral model the emitters work from.
//!
//! Built by [`crate::validate::build`] once every reference has been checked: common headers are
//! substituted into operations, type expressions are parsed, and each type knows whether it is
//! sent (request bodies), received (responses), or both. Types and code lists are referred to by
//! [`TypeId`] and [`CodeListId`], indexes into [`Model::types`] and [`Model::code_lists`], which
//! are sorted by name, so that every iteration, and so the generated output, is ordered the same
//! way on every run. Nothing downstream looks a type up by its name.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Index;

mod facts;
mod shape;

pub use facts::{
    AuthFailures, AuthKind, AuthScheme, Caller, CodeListDef, CodeListType, CodeValue, Deprecation,
    Document, ErrorCode, ExtraErrorCode, FileColumnDef, FileFormatDef, Fixup, FixupKind, GroupInfo,
    HttpStatus, Method, OffsetUnit, ParamLocation, Permission, Presence, PresenceRule,
    RateDimension, RateLimit, RetryAdvice, Service, ServiceInfo, Site, Source, Throttling, TypeDoc,
};
pub use shape::{Shape, TextFormat};

/// A type of the spec: an index into [`Model::types`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub u32);

/// A code list of the spec: an index into [`Model::code_lists`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CodeListId(pub u32);

/// Why a type expression does not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeExprError {
    /// Not a type expression at all.
    Syntax(String),
    /// A well-formed type name that the spec does not define.
    Unknown(String),
}

/// A parsed type expression whose named types are `N`: ids into the model ([`TypeExpr`]), or
/// names where two models are compared ([`NamedTypeExpr`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeExprOf<N> {
    /// UTF-8 text.
    String,
    /// 32-bit integer.
    Integer,
    /// 64-bit integer.
    Long,
    /// Exact decimal.
    Decimal,
    /// Binary float.
    Number,
    /// Boolean.
    Boolean,
    /// Date-time string.
    DateTime,
    /// Date string.
    Date,
    /// Month string.
    Month,
    /// Any JSON.
    Json,
    /// List.
    List(Box<TypeExprOf<N>>),
    /// Map with string keys.
    Map(Box<TypeExprOf<N>>),
    /// A named type.
    Named(N),
}

/// A type expression of the model: named types are [`TypeId`]s.
pub type TypeExpr = TypeExprOf<TypeId>;

/// A type expression with type names instead of ids: how two models are compared (`diff`,
/// `docs check`), since the same type may have different ids in each.
pub type NamedTypeExpr = TypeExprOf<String>;

impl<N> TypeExprOf<N> {
    /// The named type at the leaves of the expression, if any.
    pub fn leaf_name(&self) -> Option<&N> {
        match self {
            TypeExprOf::Named(n) => Some(n),
            TypeExprOf::List(i) | TypeExprOf::Map(i) => i.leaf_name(),
            _ => None,
        }
    }

    /// Whether values are integers.
    pub fn is_integral(&self) -> bool {
        matches!(self, TypeExprOf::Integer | TypeExprOf::Long)
    }

    /// The same expression with each named type replaced by `f` of it.
    pub fn map_names<M>(&self, f: &impl Fn(&N) -> M) -> TypeExprOf<M> {
        match self {
            TypeExprOf::String => TypeExprOf::String,
            TypeExprOf::Integer => TypeExprOf::Integer,
            TypeExprOf::Long => TypeExprOf::Long,
            TypeExprOf::Decimal => TypeExprOf::Decimal,
            TypeExprOf::Number => TypeExprOf::Number,
            TypeExprOf::Boolean => TypeExprOf::Boolean,
            TypeExprOf::DateTime => TypeExprOf::DateTime,
            TypeExprOf::Date => TypeExprOf::Date,
            TypeExprOf::Month => TypeExprOf::Month,
            TypeExprOf::Json => TypeExprOf::Json,
            TypeExprOf::List(i) => TypeExprOf::List(Box::new(i.map_names(f))),
            TypeExprOf::Map(i) => TypeExprOf::Map(Box::new(i.map_names(f))),
            TypeExprOf::Named(n) => TypeExprOf::Named(f(n)),
        }
    }
}

impl TypeExpr {
    /// Parses `string`, `list<T>`, `map<T>`, a type name, ..., resolving type names with
    /// `lookup`.
    pub fn parse(
        text: &str,
        lookup: &dyn Fn(&str) -> Option<TypeId>,
    ) -> Result<TypeExpr, TypeExprError> {
        let t = text.trim();
        let inner = |prefix: &str| -> Option<&str> {
            t.strip_prefix(prefix).and_then(|r| r.strip_suffix('>'))
        };
        if let Some(i) = inner("list<") {
            return Ok(TypeExpr::List(Box::new(TypeExpr::parse(i, lookup)?)));
        }
        if let Some(i) = inner("map<") {
            return Ok(TypeExpr::Map(Box::new(TypeExpr::parse(i, lookup)?)));
        }
        Ok(match t {
            "string" => TypeExpr::String,
            "integer" => TypeExpr::Integer,
            "long" => TypeExpr::Long,
            "decimal" => TypeExpr::Decimal,
            "number" => TypeExpr::Number,
            "boolean" => TypeExpr::Boolean,
            "date-time" => TypeExpr::DateTime,
            "date" => TypeExpr::Date,
            "month" => TypeExpr::Month,
            "json" => TypeExpr::Json,
            _ if !t.is_empty()
                && t.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && t.chars().all(|c| c.is_ascii_alphanumeric()) =>
            {
                TypeExpr::Named(lookup(t).ok_or_else(|| TypeExprError::Unknown(t.to_string()))?)
            }
            _ => {
                return Err(TypeExprError::Syntax(format!(
                    "`{t}` is not a type expression"
                )));
            }
        })
    }

    /// The named type at the leaves of the expression, if any.
    pub fn named(&self) -> Option<TypeId> {
        self.leaf_name().copied()
    }

    /// The expression with the names of its types, as `model` calls them.
    pub fn with_names(&self, model: &Model) -> NamedTypeExpr {
        self.map_names(&|id: &TypeId| model[*id].name.clone())
    }
}

/// Size and range constraints of a field or parameter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Constraints {
    /// Maximum length.
    pub max_length: Option<u64>,
    /// Minimum length.
    pub min_length: Option<u64>,
    /// Inclusive minimum.
    pub minimum: Option<i64>,
    /// Inclusive maximum.
    pub maximum: Option<i64>,
    /// Minimum list size.
    pub min_items: Option<u64>,
    /// Maximum list size.
    pub max_items: Option<u64>,
}

impl Constraints {
    /// Whether nothing is constrained.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// A field of a type, resolved.
#[derive(Clone, Debug)]
pub struct FieldInfo {
    /// JSON name.
    pub name: String,
    /// Rust field name (chosen by [`crate::naming`]).
    pub rust: String,
    /// The Rust name the spec asks for (`rust_name`), if any.
    pub rust_name: Option<String>,
    /// Setter of a type sent in requests, for an optional field: the field's Rust name, as on
    /// the request structs.
    pub setter: Option<String>,
    /// The `error_code` / `error_msg` of a success answer's top-level type: the decoder reads
    /// it (an answer carrying an error code is an error), so the Rust type does not keep it.
    pub answer_status: bool,
    /// Name of the redaction test of a sensitive field.
    pub redaction_test: Option<String>,
    /// Type.
    pub ty: TypeExpr,
    /// Code list of the leaf values.
    pub code_list: Option<CodeListId>,
    /// Required on every site (a field required only on some sites is optional here, and
    /// `sites` says where it is required).
    pub required: bool,
    /// Sites whose documents list the field; empty: every site. When non-empty, the field is
    /// sent only to those sites, and `site_required` says whether they require it.
    pub sites: Vec<String>,
    /// Required on the sites of `sites`.
    pub site_required: bool,
    /// English description.
    pub description: String,
    /// Documented type text.
    pub doc_type: Option<String>,
    /// Constraints.
    pub constraints: Constraints,
    /// What the value is, with the constraints that apply to it.
    pub shape: Shape,
    /// Documented default.
    pub default: Option<serde_json::Value>,
    /// Redacted.
    pub sensitive: bool,
    /// Only an example shows it.
    pub from_example: bool,
}

impl FieldInfo {
    /// Whether the value travels as a JSON string: a decimal whose documented type is `String`
    /// (spec/README.md, `doc_type`). Other decimals travel as JSON numbers.
    pub fn decimal_as_text(&self) -> bool {
        matches!(self.shape, Shape::Decimal)
            && self
                .doc_type
                .as_deref()
                .is_some_and(|t| t.eq_ignore_ascii_case("string"))
    }
}

/// A named type, resolved.
#[derive(Clone, Debug)]
pub struct TypeInfo {
    /// Name, as the spec (and the documents) call it.
    pub name: String,
    /// Rust type name (chosen by [`crate::naming`]): `name`, except that a request body named
    /// `…Req` by the documents is called `…Body`, beside the generated `…Request` wrappers.
    pub rust: String,
    /// Name of the test that numbers sent as strings decode.
    pub numbers_test: String,
    /// Group defining it.
    pub group: String,
    /// What the definition says besides the fields.
    pub def: TypeDoc,
    /// Fields.
    pub fields: Vec<FieldInfo>,
    /// Reachable from a request body.
    pub input: bool,
    /// Reachable from a response.
    pub output: bool,
}

/// A code list and the group defining it (`None`: service-wide).
#[derive(Clone, Debug)]
pub struct CodeListInfo {
    /// Name (the Rust enum name too).
    pub name: String,
    /// Rust variant of each value, in the order of `def.values`.
    pub variants: Vec<String>,
    /// The fallback variant holding undocumented values.
    pub unknown: String,
    /// Name of the test that an unknown code is kept.
    pub unknown_test: String,
    /// Group, or none for `service.yaml`.
    pub group: Option<String>,
    /// Definition.
    pub def: CodeListDef,
}

/// A parameter, resolved.
#[derive(Clone, Debug)]
pub struct ParamInfo {
    /// Wire name.
    pub name: String,
    /// Rust field name of the request struct; also the setter of an optional parameter.
    pub rust: String,
    /// The Rust name the spec asks for (`rust_name`), if any.
    pub rust_name: Option<String>,
    /// Name of the redaction test of a sensitive parameter.
    pub redaction_test: Option<String>,
    /// Location.
    pub location: ParamLocation,
    /// Type.
    pub ty: TypeExpr,
    /// Code list.
    pub code_list: Option<CodeListId>,
    /// Required.
    pub required: bool,
    /// English description.
    pub description: String,
    /// Constraints.
    pub constraints: Constraints,
    /// What the value is, with the constraints that apply to it.
    pub shape: Shape,
    /// Documented default.
    pub default: Option<serde_json::Value>,
    /// Redacted.
    pub sensitive: bool,
    /// Presence semantics.
    pub presence: Option<Presence>,
}

/// How to find out whether a call of an operation that is not idempotent was processed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutcomeLookup {
    /// The id of the query operation whose answer shows it.
    Operation(String),
    /// No operation shows it; why (English).
    None(String),
}

/// A documented response.
#[derive(Clone, Debug)]
pub struct ResponseInfo {
    /// Status.
    pub status: u16,
    /// Body type.
    pub ty: Option<TypeId>,
}

/// One `key=value` pair of an example's query string, split once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryPair {
    /// The parameter name.
    pub key: String,
    /// The value; `None` when the pair has no `=`.
    pub value: Option<String>,
}

impl QueryPair {
    /// Splits a query string (`offset=0&limit=10`) into its pairs, skipping empty ones.
    pub fn parse_all(query: &str) -> Vec<QueryPair> {
        query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => QueryPair {
                    key: k.to_string(),
                    value: Some(v.to_string()),
                },
                None => QueryPair {
                    key: p.to_string(),
                    value: None,
                },
            })
            .collect()
    }
}

/// An example exchange with the usable (documented or repaired) bodies.
#[derive(Clone, Debug)]
pub struct ExampleInfo {
    /// Name.
    pub name: String,
    /// Names of the tests generated from it.
    pub tests: ExampleTests,
    /// The pairs of the query string, in order.
    pub query: Vec<QueryPair>,
    /// Headers.
    pub headers: BTreeMap<String, String>,
    /// Path parameters.
    pub path_params: BTreeMap<String, String>,
    /// Usable request body.
    pub request_body: Option<String>,
    /// The documented request breaks a documented constraint.
    pub breaks_constraint: bool,
    /// Response status.
    pub response_status: Option<u16>,
    /// Usable response body.
    pub response_body: Option<String>,
    /// Why a documented body is not usable.
    pub unusable: Vec<String>,
}

/// An operation, resolved.
#[derive(Clone, Debug)]
pub struct OperationInfo {
    /// Id.
    pub id: String,
    /// Rust names of its items and tests.
    pub names: OperationNames,
    /// Group.
    pub group: String,
    /// Chinese title.
    pub title_zh: String,
    /// Summary.
    pub summary: String,
    /// Description.
    pub description: Option<String>,
    /// Provenance.
    pub source: Source,
    /// Method.
    pub method: Method,
    /// Path template.
    pub path: String,
    /// Callers.
    pub callers: Vec<Caller>,
    /// Sites documenting the operation (empty: every site).
    pub sites: Vec<String>,
    /// Audit event names.
    pub audit_events: Vec<String>,
    /// Auth scheme ids.
    pub auth: Vec<String>,
    /// Caller note.
    pub caller_note: Option<String>,
    /// Constraints note.
    pub constraints_note: Option<String>,
    /// Safe to repeat.
    pub idempotent: bool,
    /// How to find out whether a call was processed (operations that are not idempotent).
    pub outcome_lookup: Option<OutcomeLookup>,
    /// Rate limit.
    pub rate_limit: Option<RateLimit>,
    /// Permission.
    pub permission: Option<Permission>,
    /// Deprecation.
    pub deprecated: Option<Deprecation>,
    /// Parameters, in documented order.
    pub params: Vec<ParamInfo>,
    /// Body type.
    pub body: Option<TypeId>,
    /// Responses.
    pub responses: Vec<ResponseInfo>,
    /// Documented error codes with the operation's statuses.
    pub errors: Vec<(u16, String)>,
    /// Pagination, resolved to the request fields and answer fields it moves and reads.
    pub pagination: Option<PaginationInfo>,
    /// Examples.
    pub examples: Vec<ExampleInfo>,
    /// Fixups.
    pub fixups: Vec<Fixup>,
}

impl OperationInfo {
    /// The type of the success body, if any.
    pub fn success_type(&self) -> Option<TypeId> {
        self.responses
            .iter()
            .find(|r| (200..300).contains(&r.status))
            .and_then(|r| r.ty)
    }
}

/// A CSV file format, resolved.
#[derive(Clone, Debug)]
pub struct FileFormatInfo {
    /// Name (the record type).
    pub name: String,
    /// Names of the tests of its documented samples.
    pub tests: FileFormatTests,
    /// Group.
    pub group: String,
    /// Definition besides the columns.
    pub def: FileFormatDef,
    /// Columns with parsed types, in documented order.
    pub columns: Vec<FileColumnInfo>,
    /// Documented sample rows split into trimmed cells; the first is the header row.
    pub samples: Vec<Vec<String>>,
}

/// A column of a file format, resolved.
#[derive(Clone, Debug)]
pub struct FileColumnInfo {
    /// Definition.
    pub def: FileColumnDef,
    /// Rust field name of the record struct.
    pub rust: String,
    /// Code list of the values.
    pub code_list: Option<CodeListId>,
    /// Parsed type.
    pub ty: TypeExpr,
}

impl FileFormatInfo {
    /// For each documented column, the index of its cell in a row under `header`: by position
    /// when the counts agree, else by header text (documented or alias). `None` when the header
    /// cannot be mapped.
    pub fn column_map(&self, header: &[String]) -> Option<Vec<Option<usize>>> {
        if header.len() == self.columns.len() {
            return Some((0..header.len()).map(Some).collect());
        }
        let mut map = vec![None; self.columns.len()];
        for (i, text) in header.iter().enumerate() {
            let col = self
                .columns
                .iter()
                .position(|c| &c.def.header == text || c.def.aliases.contains(text))?;
            if map[col].replace(i).is_some() {
                return None;
            }
        }
        Some(map)
    }
}

/// Splits one CSV line into trimmed cells (RFC 4180 quoting).
pub fn split_csv_line(line: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' if quoted => quoted = false,
            '"' if cur.trim().is_empty() => {
                cur.clear();
                quoted = true;
            }
            ',' if !quoted => cells.push(std::mem::take(&mut cur).trim().to_string()),
            _ => cur.push(ch),
        }
    }
    cells.push(cur.trim().to_string());
    cells
}

/// A group, resolved.
#[derive(Clone, Debug)]
pub struct GroupModel {
    /// Identity.
    pub info: GroupInfo,
    /// Operations in documented order.
    pub operations: Vec<OperationInfo>,
    /// Names of the types it defines.
    pub types: Vec<TypeId>,
    /// Names of the code lists it defines.
    pub code_lists: Vec<CodeListId>,
    /// Extra error codes.
    pub extra_error_codes: Vec<ExtraErrorCode>,
    /// File formats, by name.
    pub file_formats: BTreeMap<String, FileFormatInfo>,
    /// Groups whose types this group uses.
    pub depends_on: BTreeSet<String>,
}

/// The whole resolved spec.
#[derive(Clone, Debug)]
pub struct Model {
    /// `service.yaml`.
    pub service: Service,
    /// The generated crate as a Rust path segment (`crate_name` with `_` for `-`).
    pub crate_ident: String,
    /// HTTP statuses.
    pub http_statuses: Vec<HttpStatus>,
    /// Global error codes, sorted by code.
    pub error_codes: Vec<ErrorCode>,
    /// The `ErrorCode` variant of every documented code (global and extra), by code.
    pub error_code_variants: BTreeMap<String, String>,
    /// Groups sorted by id.
    pub groups: Vec<GroupModel>,
    /// All types, sorted by name; a [`TypeId`] indexes it.
    pub types: Vec<TypeInfo>,
    /// All code lists, sorted by name; a [`CodeListId`] indexes it.
    pub code_lists: Vec<CodeListInfo>,
    /// SHA-256 of the spec files (names and bytes, in path order).
    pub spec_hash: String,
}

impl NamedTypeExpr {
    /// The type name at the leaves of the expression, if any.
    pub fn named(&self) -> Option<&str> {
        self.leaf_name().map(String::as_str)
    }
}

impl Index<TypeId> for Model {
    type Output = TypeInfo;
    fn index(&self, id: TypeId) -> &TypeInfo {
        &self.types[id.0 as usize]
    }
}

impl Index<CodeListId> for Model {
    type Output = CodeListInfo;
    fn index(&self, id: CodeListId) -> &CodeListInfo {
        &self.code_lists[id.0 as usize]
    }
}

impl Model {
    /// The documented message of an error code: the global table's, else the first operation
    /// table's that lists it.
    pub fn error_message(&self, code: &str) -> Option<&str> {
        self.error_codes
            .iter()
            .find(|e| e.code == code)
            .map(|e| e.message.as_str())
            .or_else(|| {
                self.groups
                    .iter()
                    .flat_map(|g| &g.extra_error_codes)
                    .find(|e| e.code == code)
                    .map(|e| e.message.as_str())
            })
    }

    /// How many error codes the crate documents: those of the global table, and those only an
    /// operation's own table lists (each code counted once).
    pub fn error_code_counts(&self) -> (usize, usize) {
        let global: std::collections::BTreeSet<&str> =
            self.error_codes.iter().map(|e| e.code.as_str()).collect();
        let operation_only: std::collections::BTreeSet<&str> = self
            .groups
            .iter()
            .flat_map(|g| &g.extra_error_codes)
            .map(|e| e.code.as_str())
            .filter(|c| !global.contains(c))
            .collect();
        (global.len(), operation_only.len())
    }

    /// The type called `name`; for comparing two models (`diff`) and for tests, never for
    /// emitting.
    pub fn type_named(&self, name: &str) -> Option<TypeId> {
        let i = self
            .types
            .binary_search_by(|t| t.name.as_str().cmp(name))
            .ok()?;
        Some(TypeId(i as u32))
    }

    /// The code list called `name`; for comparing two models (`diff`) and for tests.
    pub fn code_list_named(&self, name: &str) -> Option<CodeListId> {
        let i = self
            .code_lists
            .binary_search_by(|c| c.name.as_str().cmp(name))
            .ok()?;
        Some(CodeListId(i as u32))
    }

    /// Every type with its id, sorted by name.
    pub fn types_with_ids(&self) -> impl Iterator<Item = (TypeId, &TypeInfo)> {
        self.types
            .iter()
            .enumerate()
            .map(|(i, t)| (TypeId(i as u32), t))
    }

    /// Every code list with its id, sorted by name.
    pub fn code_lists_with_ids(&self) -> impl Iterator<Item = (CodeListId, &CodeListInfo)> {
        self.code_lists
            .iter()
            .enumerate()
            .map(|(i, c)| (CodeListId(i as u32), c))
    }

    /// Every operation, in group order then documented order.
    pub fn operations(&self) -> impl Iterator<Item = &OperationInfo> {
        self.groups.iter().flat_map(|g| g.operations.iter())
    }
}

/// The pagination scenarios the runtime tests run per list operation, in the order they are
/// emitted; [`OperationTests::paging`] names one test per scenario.
pub const PAGING_SCENARIOS: &[&str] = &[
    "capped_page_size",
    "documented_page_size",
    "empty",
    "error_mid_walk",
    "exactly_a_page",
    "exactly_a_page_without_total",
    "many_pages",
    "many_pages_without_total",
    "never_advances",
    "offset_out_of_range",
    "one_short_page",
    "page_bound",
    "starts_at_request_offset",
    "total_count_stop",
];

/// Rust names of the items generated for an operation, chosen by [`crate::naming`].
#[derive(Clone, Debug, Default)]
pub struct OperationNames {
    /// `Client` method.
    pub method: String,
    /// Request struct.
    pub request: String,
    /// Metadata static.
    pub meta: String,
    /// Field of the request struct holding the body, when there is one.
    pub body: Option<String>,
    /// Page stream method of a paginated operation.
    pub pages: Option<String>,
    /// Item stream method of a paginated operation.
    pub items: Option<String>,
    /// `Client` method of the replacement of a deprecated operation.
    pub replacement_method: Option<String>,
    /// Names of the tests generated for it.
    pub tests: OperationTests,
}

/// Names of the tests generated for an operation.
#[derive(Clone, Debug, Default)]
pub struct OperationTests {
    /// The emulator round trip.
    pub emulator: String,
    /// The contract test against the OpenAPI export.
    pub contract: String,
    /// The decoder fuzz test of its answers.
    pub decoder: String,
    /// The unknown-members test of its success type.
    pub unknown_fields: String,
    /// The function building the pagination case.
    pub paging_case: String,
    /// One pagination test per entry of [`PAGING_SCENARIOS`] (empty when not paginated).
    pub paging: Vec<String>,
    /// Redaction test of each field of the body type (`None` for fields that are not
    /// sensitive), in the order of the body type's fields.
    pub body_redaction: Vec<Option<String>>,
    /// The tests of the example synthesised when no documented one can be sent.
    pub synthetic: ExampleTests,
}

/// Names of the tests generated from one example.
#[derive(Clone, Debug, Default)]
pub struct ExampleTests {
    /// Round trip of the request body.
    pub request_body: String,
    /// Round trip of the response body.
    pub response_body: String,
    /// The call against a local server.
    pub call: String,
    /// The emulator's refusal of an example that breaks a constraint.
    pub refused: String,
}

/// Names of the tests of a file format's documented samples.
#[derive(Clone, Debug, Default)]
pub struct FileFormatTests {
    /// The sample reads as CSV.
    pub sample: String,
    /// The sample reads from a tar.gz archive.
    pub sample_tar_gz: String,
    /// A bad cell is reported with its line and column.
    pub bad_cell: String,
    /// A bad cell in an archive names the file.
    pub bad_cell_in_archive: String,
}

/// How a list operation pages, resolved once: where the request keeps its offset and page size,
/// and where the answer keeps its items and total.
#[derive(Clone, Debug)]
pub struct PaginationInfo {
    /// The offset (a record offset or a page number, see `offset_unit`).
    pub offset: PageParam,
    /// The page size.
    pub limit: PageParam,
    /// What the offset counts.
    pub offset_unit: OffsetUnit,
    /// The first offset of a walk: `0` for record offsets; for page numbers the documented
    /// default page, else the documented minimum, else `1`.
    pub first_offset: i64,
    /// The list field of the answer holding the items.
    pub items: AnswerPath,
    /// The integer field of the answer holding the total count.
    pub total: Option<AnswerPath>,
}

/// Where a paginated request keeps its offset or its page size.
#[derive(Clone, Debug)]
pub struct PageParam {
    /// Wire name, as the spec's `pagination` names it.
    pub wire: String,
    /// Rust name of the request field, or of the body type's field when `in_body`.
    pub rust: String,
    /// A top-level field of the JSON body rather than a query parameter.
    pub in_body: bool,
    /// The value is an `Option`.
    pub optional: bool,
    /// 64-bit (`long`) rather than 32-bit.
    pub long: bool,
    /// Documented default.
    pub default: Option<i64>,
    /// Constraints.
    pub constraints: Constraints,
}

/// A (dotted) path into an answer, e.g. `data.orderInfos`.
#[derive(Clone, Debug)]
pub struct AnswerPath {
    /// The path as the spec writes it.
    pub text: String,
    /// The fields along it, from the answer type down.
    pub steps: Vec<PathStep>,
}

/// One field along an [`AnswerPath`].
#[derive(Clone, Debug)]
pub struct PathStep {
    /// Rust field name.
    pub rust: String,
    /// The field is an `Option` (every field of a type that is only received is).
    pub optional: bool,
    /// Its type.
    pub ty: TypeExpr,
    /// Its code list.
    pub code_list: Option<CodeListId>,
    /// What its value is.
    pub shape: Shape,
}

impl AnswerPath {
    /// The last field of the path.
    pub fn last(&self) -> Option<&PathStep> {
        self.steps.last()
    }
}
