//! What the generated operations hand to the client: static metadata, the wire encoding of a
//! request, and validation against the documented constraints.
//!
//! Every operation is a table row ([`OperationMeta`]) plus a small [`ApiRequest`] impl; one
//! generic function in the client does the HTTP work for all of them, which keeps the amount of
//! generated code, and so the build time, small.

use std::fmt::Display;

use crate::error::{Error, ValidationError};

/// A documented rate limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per window.
    pub requests: u32,
    /// Window length in seconds.
    pub per_seconds: u32,
}

/// How a list operation pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PaginationMeta {
    /// Offset parameter.
    pub offset: &'static str,
    /// Page-size parameter.
    pub limit: &'static str,
    /// Whether the offset counts pages rather than records.
    pub offset_counts_pages: bool,
    /// Response field holding the items.
    pub items: &'static str,
    /// Response field holding the total count.
    pub total: Option<&'static str>,
    /// Offset of the first page: `0` for record offsets, the documented first page number
    /// (usually `1`) for page numbers.
    pub first_offset: i64,
    /// Documented page size when the request does not set one.
    pub default_page_size: Option<i64>,
}

/// Static facts about one operation, from the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OperationMeta {
    /// Operation id, e.g. `ListServiceTypes`.
    pub id: &'static str,
    /// HTTP method.
    pub method: &'static str,
    /// Path template, e.g. `/v2/orders/customer-orders/details/{order_id}`.
    pub path: &'static str,
    /// Whether repeating the call is harmless.
    pub idempotent: bool,
    /// Documented rate limit.
    pub rate_limit: Option<RateLimit>,
    /// Documented error codes with the operation's HTTP statuses.
    pub errors: &'static [(u16, &'static str)],
    /// Documented success statuses.
    pub success_statuses: &'static [u16],
    /// Pagination, for list operations.
    pub pagination: Option<PaginationMeta>,
    /// For an operation that is not idempotent, the query operation that shows whether a call
    /// was processed (what to look up after an error that
    /// [may have been processed](crate::Delivery::MayHaveBeenProcessed)).
    pub outcome_lookup: Option<&'static str>,
    /// Path and query parameters whose values are kept out of errors and logs (marked
    /// `sensitive` in the spec: ids of customers, orders, resources, codes, personal data).
    pub sensitive_params: &'static [&'static str],
}

impl OperationMeta {
    /// The error codes the operation's documentation lists, typed, each with the HTTP status
    /// the operation gives it.
    pub fn documented_codes(&self) -> impl Iterator<Item = (u16, crate::error_codes::ErrorCode)> + '_ {
        self.errors.iter().map(|&(status, code)| (status, crate::error_codes::ErrorCode::from(code)))
    }
}

/// A request of one operation.
pub trait ApiRequest {
    /// The decoded success body.
    type Output: serde::de::DeserializeOwned;
    /// The operation's metadata.
    fn meta(&self) -> &'static OperationMeta;
    /// Writes path, query, headers and body.
    fn write(&self, w: &mut RequestWriter) -> Result<(), Error>;
    /// Checks the documented constraints.
    fn validate(&self, v: &mut Validator);
}

/// Checks a value sent in a request against its documented constraints.
pub trait Validate {
    /// Reports every broken constraint to `v`.
    fn validate(&self, v: &mut Validator);
}

/// The parts of an HTTP request, before the URL is assembled and the request signed.
///
/// `Debug` shows parameter names and the body length, never values: they may be sensitive.
#[derive(Default)]
pub struct RequestWriter {
    pub(crate) path_params: Vec<(&'static str, String)>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Option<Vec<u8>>,
}

impl std::fmt::Debug for RequestWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names = |v: &[(String, String)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        f.debug_struct("RequestWriter")
            .field("path_params", &self.path_params.iter().map(|(n, _)| *n).collect::<Vec<_>>())
            .field("query", &names(&self.query))
            .field("headers", &names(&self.headers))
            .field("body_len", &self.body.as_ref().map(Vec::len))
            .finish()
    }
}

impl RequestWriter {
    /// Sets a path parameter.
    pub fn path(&mut self, name: &'static str, value: &impl Display) {
        self.path_params.push((name, value.to_string()));
    }
    /// Adds a query parameter (repeat for list values).
    pub fn query(&mut self, name: &str, value: &impl Display) {
        self.query.push((name.to_string(), value.to_string()));
    }
    /// Sets a header.
    pub fn header(&mut self, name: &str, value: &impl Display) {
        self.headers.push((name.to_string(), value.to_string()));
    }
    /// Sets the JSON body.
    pub fn json(&mut self, body: &impl serde::Serialize) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|e| Error::Config(format!("the request body cannot be encoded: {e}")))?;
        self.body = Some(bytes);
        Ok(())
    }

    /// The path with its parameters substituted and escaped.
    pub(crate) fn render_path(&self, template: &str) -> Result<String, Error> {
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let close = after.find('}').ok_or_else(|| Error::Config(format!("bad path template `{template}`")))?;
            let name = &after[..close];
            let value = self
                .path_params
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v)
                .ok_or_else(|| Error::Config(format!("path parameter `{name}` is not set")))?;
            if value.is_empty() {
                return Err(Error::InvalidRequest(ValidationError { field: name.to_string(), rule: "must not be empty (it is part of the path)".into() }));
            }
            out.push_str(&crate::signer::encode_path_segment(value));
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// Collects broken constraints; the first one becomes the error.
#[derive(Debug, Default)]
pub struct Validator {
    prefix: Vec<String>,
    errors: Vec<ValidationError>,
    /// Id of the site the call goes to (`international`, `china`), when the client knows it.
    site: Option<&'static str>,
}

impl Validator {
    /// A validator for a call to `site` (a site id; `None` when the endpoint is neither site's,
    /// and the per-site checks are skipped).
    pub fn for_site(site: Option<&'static str>) -> Self {
        Validator { site, ..Validator::default() }
    }

    /// Checks a field that only some sites' documents list: sent to another site it is
    /// refused, and on its own sites it is required when `required`.
    pub fn site_field(&mut self, field: &str, present: bool, sites: &[&str], required: bool) {
        let Some(site) = self.site else { return };
        let on_site = sites.contains(&site);
        if present && !on_site {
            self.fail(field, format!("is documented only for the {} site, not for the {site} site", sites.join(" and ")));
        } else if !present && on_site && required {
            self.fail(field, format!("is required on the {site} site"));
        }
    }

    /// Checks a code that only some sites' documents list (`codes`: wire text and sites).
    pub fn site_code(&mut self, field: &str, value: Option<&str>, codes: &[(&str, &[&str])]) {
        let (Some(site), Some(value)) = (self.site, value) else { return };
        if let Some((_, sites)) = codes.iter().find(|(c, sites)| *c == value && !sites.contains(&site)) {
            self.fail(field, format!("is `{value}`, a code documented only for the {} site, not for the {site} site", sites.join(" and ")));
        }
    }

    fn fail(&mut self, field: &str, rule: String) {
        let mut path = self.prefix.join(".");
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(field);
        self.errors.push(ValidationError { field: path, rule });
    }

    /// Checks the length of a string, in characters.
    pub fn length(&mut self, field: &str, value: Option<&str>, min: Option<u64>, max: Option<u64>) {
        let Some(v) = value else { return };
        let n = v.chars().count() as u64;
        if let Some(m) = max.filter(|m| n > *m) {
            self.fail(field, format!("is {n} characters long; the maximum is {m}"));
        }
        if let Some(m) = min.filter(|m| n < *m) {
            self.fail(field, format!("is {n} characters long; the minimum is {m}"));
        }
    }

    /// Checks an inclusive numeric range.
    pub fn range(&mut self, field: &str, value: Option<i64>, min: Option<i64>, max: Option<i64>) {
        let Some(v) = value else { return };
        if let Some(m) = min.filter(|m| v < *m) {
            self.fail(field, format!("is {v}; it must be at least {m}"));
        }
        if let Some(m) = max.filter(|m| v > *m) {
            self.fail(field, format!("is {v}; it must be at most {m}"));
        }
    }

    /// Checks the number of digits of an integer (the documents' "max length" of integers).
    pub fn digits(&mut self, field: &str, value: Option<i64>, max: u64) {
        let Some(v) = value else { return };
        let n = v.unsigned_abs().to_string().len() as u64;
        if n > max {
            self.fail(field, format!("is {v}; it may have at most {max} digits"));
        }
    }

    /// Checks the size of a list.
    pub fn items(&mut self, field: &str, len: Option<usize>, min: Option<u64>, max: Option<u64>) {
        let Some(n) = len.map(|n| n as u64) else { return };
        if let Some(m) = max.filter(|m| n > *m) {
            self.fail(field, format!("has {n} items; the maximum is {m}"));
        }
        if let Some(m) = min.filter(|m| n < *m) {
            self.fail(field, format!("has {n} items; the minimum is {m}"));
        }
    }

    /// Validates a nested value under `field`.
    pub fn nested(&mut self, field: &str, f: impl FnOnce(&mut Validator)) {
        self.prefix.push(field.to_string());
        f(self);
        self.prefix.pop();
    }

    /// Validates the item `index` of the list `field`.
    pub fn nested_index(&mut self, field: &str, index: usize, f: impl FnOnce(&mut Validator)) {
        self.prefix.push(format!("{field}[{index}]"));
        f(self);
        self.prefix.pop();
    }

    /// The first broken constraint, if any.
    pub fn finish(mut self) -> Result<(), ValidationError> {
        if self.errors.is_empty() { Ok(()) } else { Err(self.errors.swap_remove(0)) }
    }
}
