//! What the generated command table says about each operation and flag.

/// An API group: one subcommand holding its operations.
pub struct Group {
    /// Subcommand name.
    pub name: &'static str,
    /// One line of help.
    pub about: &'static str,
    /// Its operations, in documented order.
    pub operations: &'static [Operation],
}

/// An operation: one subcommand of its group.
pub struct Operation {
    /// Operation id, e.g. `ShowSubCustomerBudget`.
    pub id: &'static str,
    /// Subcommand name, e.g. `show-sub-customer-budget`.
    pub name: &'static str,
    /// One line of help.
    pub about: &'static str,
    /// The rest of `--help`: title, HTTP line, callers, rate limit, permission, errors, source.
    pub details: &'static str,
    /// HTTP method.
    pub method: &'static str,
    /// Path template.
    pub path: &'static str,
    /// Subcommand to use instead, for a deprecated operation.
    pub replaced_by: Option<&'static str>,
    /// Query, path and header parameters, then body fields offered as flags.
    pub flags: &'static [Flag],
    /// The request body, when the operation takes one.
    pub body: Option<Body>,
    /// A list operation that `--all` walks page by page.
    pub paginated: bool,
    /// An invocation with the required flags, for `--help`.
    pub example: &'static str,
}

/// The request body of an operation.
pub struct Body {
    /// Name of the body type.
    pub type_name: &'static str,
    /// Prefix of the body's fields in validation errors.
    pub field: &'static str,
}

/// Where a flag's value goes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// Path template placeholder.
    Path,
    /// Query string.
    Query,
    /// Request header.
    Header,
    /// A top-level member of the JSON body.
    Body,
}

/// What a flag's value is.
// Which kinds occur depends on the spec: the BSS spec has no float or JSON parameters.
#[allow(dead_code)]
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text (dates and months included).
    Text,
    /// An integer.
    Integer,
    /// An exact decimal, kept as written.
    Decimal,
    /// A binary float.
    Number,
    /// `true` or `false`.
    Boolean,
    /// Any JSON.
    Json,
    /// A code of a code list with text codes.
    TextCode,
    /// A code of a code list with integer codes.
    IntegerCode,
}

/// A flag of an operation.
pub struct Flag {
    /// Long flag name, e.g. `customer-id`.
    pub name: &'static str,
    /// Wire name, e.g. `customer_id`.
    pub wire: &'static str,
    /// Where the value goes.
    pub location: Location,
    /// What the value is.
    pub kind: Kind,
    /// Repeatable: the value is a list.
    pub list: bool,
    /// Must be given.
    pub required: bool,
    /// Redacted in `--dry-run` output and `--debug` logs.
    pub sensitive: bool,
    /// Help text with the documented constraints and default.
    pub help: &'static str,
    /// Documented codes with their meaning, for a code list.
    pub choices: &'static [(&'static str, &'static str)],
}
