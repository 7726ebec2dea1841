//! The documented model: what a partner reference states, in the document's own terms.
//!
//! This is deliberately not the spec format. The spec is the reviewed source of truth; this model
//! only records what one revision of the document prints, each fact with the 1-based line it was
//! read from, so that a comparison can point a reviewer at the line and a fixup can name the fact
//! it overrides.

use std::fmt;

use serde::{Serialize, Serializer};

/// Everything the reader took from one document.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Document {
    /// The document version (`文档版本 66` gives `66`).
    pub version: Option<Stated<String>>,
    /// The publication date as printed (`发布日期 2024-01-29`).
    pub date: Option<Stated<String>>,
    /// Number of lines of the text.
    pub line_count: usize,
    /// The numbered body sections, in document order (the table of contents is not read).
    pub sections: Vec<Section>,
    /// Sections that document one HTTP operation (they carry a `URI` line).
    pub operations: Vec<Operation>,
    /// Rows of the API permission table (3.3 in document 004).
    pub permissions: Vec<PermissionRow>,
    /// Rows of the rate-limit table (3.4 in document 004).
    pub rate_limits: Vec<RateLimitRow>,
    /// Rows of the global error-code table (13.9 in document 004).
    pub global_errors: Vec<GlobalError>,
    /// Tables the reader found but did not classify, and readings it is unsure of.
    pub notes: Vec<Note>,
}

/// A value and the line that states it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Stated<T> {
    /// The value.
    pub value: T,
    /// 1-based line.
    pub line: usize,
}

/// A numbered body section.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Section {
    /// Section number (`8.1.2`).
    pub number: String,
    /// Title as printed, punctuation normalized to half-width.
    pub title: String,
    /// 1-based line of the heading.
    pub line: usize,
    /// The section belongs to the chapter of APIs to be retired, or is marked `(旧)`.
    pub deprecated: bool,
}

/// One documented HTTP operation.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Operation {
    /// Section number.
    pub section: String,
    /// Chinese title of the section.
    pub title: String,
    /// 1-based line of the section heading.
    pub line: usize,
    /// In the chapter of APIs to be retired, or marked `(旧)`.
    pub deprecated: bool,
    /// HTTP method of the `URI` line.
    pub method: String,
    /// Path of the `URI` line, exactly as printed.
    pub path: String,
    /// 1-based line of the method and path.
    pub uri_line: usize,
    /// Header parameters.
    pub header: Vec<Row>,
    /// Path parameters.
    pub path_params: Vec<Row>,
    /// Query parameters.
    pub query: Vec<Row>,
    /// Top-level fields of the request body.
    pub body: Vec<Row>,
    /// Response tables, one per documented status (status `None` when the section names none).
    pub responses: Vec<Response>,
    /// Tables of nested types, by caption.
    pub types: Vec<NestedType>,
    /// Request examples.
    pub request_examples: Vec<Example>,
    /// Response examples.
    pub response_examples: Vec<Example>,
    /// The operation's own error-code table.
    pub errors: Vec<ErrorRow>,
    /// Tables of the section the reader does not interpret (captions and their lines).
    pub other_tables: Vec<Stated<String>>,
}

impl Operation {
    /// All parameter rows with where they go (`header`, `path`, `query`).
    pub fn parameters(&self) -> impl Iterator<Item = (&'static str, &Row)> {
        let h = self.header.iter().map(|r| ("header", r));
        let p = self.path_params.iter().map(|r| ("path", r));
        let q = self.query.iter().map(|r| ("query", r));
        h.chain(p).chain(q)
    }

    /// The nested type of this section with the given caption name.
    pub fn nested(&self, name: &str) -> Option<&NestedType> {
        self.types.iter().find(|t| t.name == name)
    }
}

/// A response table.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Response {
    /// HTTP status the table belongs to (`状态码：400`), if the section says.
    pub status: Option<u16>,
    /// 1-based line of the table's first header row.
    pub line: usize,
    /// Fields.
    pub rows: Vec<Row>,
}

/// A table of a nested type (`表 8-3 BudgetInfo`).
#[derive(Clone, Debug, Default, Serialize)]
pub struct NestedType {
    /// Type name of the caption, spaces from line wraps removed.
    pub name: String,
    /// Table label as printed (`表 8-3`, `表2`).
    pub label: String,
    /// 1-based line of the caption.
    pub line: usize,
    /// Fields.
    pub rows: Vec<Row>,
}

/// One row of a parameter or field table.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Row {
    /// Parameter or field name, with the spaces of a wrapped name removed.
    pub name: String,
    /// 1-based line of the row.
    pub line: usize,
    /// `是` / `否` of the mandatory column, when the table has one.
    pub required: Option<bool>,
    /// The type cell as printed.
    pub type_text: Option<String>,
    /// The type cell, read.
    pub ty: Option<DocType>,
    /// The range cell as printed.
    pub range_text: Option<String>,
    /// The range cell, read.
    pub constraints: Vec<Constraint>,
    /// Code values written in the range and description cells.
    pub code_values: Vec<CodeValue>,
    /// The description cell, normalized (kept in memory for drafting; never written to the spec).
    pub description: String,
}

/// A documented type, normalized (`List<Custo merOrder V2>` reads as `List<CustomerOrderV2>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocType {
    /// `String`.
    String,
    /// `Integer`.
    Integer,
    /// `Long`.
    Long,
    /// `Double`.
    Double,
    /// `BigDecimal`.
    BigDecimal,
    /// `Number`.
    Number,
    /// `Boolean`.
    Boolean,
    /// `List<T>`.
    List(Box<DocType>),
    /// A named nested type (`BudgetInfo`, `BasicInfo Object`).
    Object(String),
    /// Anything else, as printed without spaces (`Intger`).
    Unknown(String),
}

impl DocType {
    /// The named type at the leaves, if any.
    pub fn named(&self) -> Option<&str> {
        match self {
            DocType::Object(n) => Some(n),
            DocType::List(i) => i.named(),
            _ => None,
        }
    }
}

impl fmt::Display for DocType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocType::String => f.write_str("String"),
            DocType::Integer => f.write_str("Integer"),
            DocType::Long => f.write_str("Long"),
            DocType::Double => f.write_str("Double"),
            DocType::BigDecimal => f.write_str("BigDecimal"),
            DocType::Number => f.write_str("Number"),
            DocType::Boolean => f.write_str("Boolean"),
            DocType::List(i) => write!(f, "List<{i}>"),
            DocType::Object(n) => f.write_str(n),
            DocType::Unknown(t) => write!(f, "?{t}"),
        }
    }
}

impl Serialize for DocType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One constraint read from a range cell.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Constraint {
    /// `最大长度：64`, or a bare number.
    MaxLength {
        /// Characters (digits, on numeric fields).
        value: u64,
    },
    /// The lower end of `长度：[1-64]`, or an exact `长度：N`.
    MinLength {
        /// Characters.
        value: u64,
    },
    /// `最大个数：N`, `列表最大长度：N`, `最多支持N个`.
    MaxItems {
        /// Elements.
        value: u64,
    },
    /// `[1-100]`, `(0-2147483647]`, `[0-最大整数]`: a numeric range (on lists, a size range).
    Range {
        /// Lower end, if any.
        min: Option<i64>,
        /// Upper end; `None` with `max_integer` for `最大整数`.
        max: Option<i64>,
        /// The lower end is excluded (`(`).
        min_exclusive: bool,
        /// The upper end is excluded (`)`).
        max_exclusive: bool,
        /// The upper end is written `最大整数` (the largest integer).
        max_integer: bool,
    },
    /// `大于等于N的整数`.
    Minimum {
        /// Inclusive minimum.
        value: i64,
    },
    /// `最大值：N`.
    Maximum {
        /// Inclusive maximum.
        value: i64,
    },
    /// A list of allowed values: `[email mobile name]`, `[0,2,3]`, `[YES] NO]`.
    Values {
        /// The values, as printed.
        values: Vec<String>,
    },
    /// A range cell the reader could not read.
    Unparsed {
        /// The cell, normalized.
        text: String,
    },
}

impl Constraint {
    /// For a [`Constraint::Range`], its inclusive ends as the spec states them: an excluded end
    /// is one step inside on integers, and left out on decimals (the spec cannot say it);
    /// `最大整数` is `i64::MAX` on a `long`, `i32::MAX` otherwise. `None` for other constraints.
    pub fn inclusive_range(
        &self,
        integral: bool,
        long: bool,
    ) -> Option<(Option<i64>, Option<i64>)> {
        let Constraint::Range {
            min,
            max,
            min_exclusive,
            max_exclusive,
            max_integer,
        } = self
        else {
            return None;
        };
        let step_in = |end: Option<i64>, excluded: bool, step: i64| {
            if excluded {
                end.map(|e| e + step).filter(|_| integral)
            } else {
                end
            }
        };
        let min = step_in(*min, *min_exclusive, 1);
        let max = match (step_in(*max, *max_exclusive, -1), max_integer, long) {
            (None, true, true) => Some(i64::MAX),
            (None, true, false) => Some(i64::from(i32::MAX)),
            (m, _, _) => m,
        };
        Some((min, max))
    }
}

/// A code value written in a cell (`MONTHLY：月度预算`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CodeValue {
    /// The value (`MONTHLY`, `1`, `-1`).
    pub value: String,
    /// The label after the colon.
    pub label: String,
    /// 1-based line of the row whose cell states it.
    pub line: usize,
}

/// A request or response example (one fenced block, or fragments of one joined).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Example {
    /// 1-based line of the opening fence.
    pub line: usize,
    /// The text between the fences (fragments joined by a newline).
    pub raw: String,
    /// Request line (`POST https://...`) of a request example.
    pub request_line: Option<String>,
    /// Query string of the request line.
    pub query: Option<String>,
    /// Status of the `HTTP/1.1 200 OK` line of a response example.
    pub status: Option<u16>,
    /// Header lines.
    pub headers: Vec<(String, String)>,
    /// The body text, as printed.
    pub body: Option<String>,
    /// The body, when it is valid JSON.
    pub json: Option<serde_json::Value>,
    /// Why the body is not valid JSON.
    pub json_error: Option<String>,
}

/// A row of an operation's error table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErrorRow {
    /// HTTP status (absent in some tables of the retired chapter).
    pub status: Option<u16>,
    /// Error code, with a wrap inside the code joined (`CBC.0 101` reads `CBC.0101`).
    pub code: String,
    /// The description cell.
    pub message: String,
    /// 1-based line.
    pub line: usize,
    /// The code was printed split by a line wrap.
    pub joined: bool,
}

/// A row of the global error-code table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GlobalError {
    /// HTTP status.
    pub status: u16,
    /// Error code, wraps joined.
    pub code: String,
    /// English message.
    pub message: String,
    /// Chinese meaning.
    pub meaning: String,
    /// 1-based line.
    pub line: usize,
    /// The code was printed split by a line wrap (`CBC.990031 41`).
    pub joined: bool,
}

/// A row of the permission table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PermissionRow {
    /// API title (Chinese).
    pub title: String,
    /// Method of the URL column.
    pub method: String,
    /// Path of the URL column.
    pub path: String,
    /// Permission items (`BPC_ITEM_...`).
    pub items: Vec<String>,
    /// Names of the permission items, in the same order.
    pub names: Vec<String>,
    /// 1-based line.
    pub line: usize,
}

/// A row of the rate-limit table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RateLimitRow {
    /// API title (Chinese).
    pub title: String,
    /// Method of the URL column.
    pub method: String,
    /// Path of the URL column (it may belong to another API: the reader keeps what is printed).
    pub path: String,
    /// Requests allowed per window.
    pub requests: u32,
    /// Window in seconds.
    pub per_seconds: u32,
    /// Dimensions, canonical (`source_ip`, `api`, `parent_uid`); unknown ones as printed.
    pub dimensions: Vec<String>,
    /// 1-based line.
    pub line: usize,
}

/// Something the reader wants a person to look at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Note {
    /// 1-based line.
    pub line: usize,
    /// What it is.
    pub message: String,
}
