//! Rustdoc text for generated items, assembled from spec facts.

use crate::ir::{Caller, Source};
use crate::ir::{Constraints, FieldInfo, Model, OperationInfo, OutcomeLookup, ParamInfo, TypeInfo};

/// What a struct literal of a generated type runs into, said on every type.
const NON_EXHAUSTIVE: &str = "The type is `#[non_exhaustive]` (fields may be added in a minor \
     version), so a struct literal does not compile (E0639)";

/// How to build a value of a generated type: it is `#[non_exhaustive]`, so a struct literal is
/// refused (E0639) and the doc must say what to do instead.
pub fn how_to_build(t: &TypeInfo) -> Vec<String> {
    if t.input {
        let required: Vec<&str> = t
            .fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.rust.as_str())
            .collect();
        let setter = t.fields.iter().find_map(|f| f.setter.as_deref());
        vec![build_with(&t.rust, &required, setter, "field")]
    } else {
        vec![format!(
            "Received in answers. To build one (e.g. in a test), start from \
             `{}::default()` and assign its public fields. {NON_EXHAUSTIVE}.",
            t.rust
        )]
    }
}

/// How to build an operation's request, for the doc of its request struct.
pub fn how_to_build_request(op: &OperationInfo) -> String {
    let mut args: Vec<&str> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| p.rust.as_str())
        .collect();
    if let Some(b) = &op.names.body {
        args.push(b);
    }
    let setter = op
        .params
        .iter()
        .find(|p| !p.required)
        .map(|p| p.rust.as_str());
    build_with(&op.names.request, &args, setter, "parameter")
}

/// The sentence of both: `new` from the required `noun`s, then a setter per optional one, with
/// an example call.
fn build_with(rust: &str, required: &[&str], setter: Option<&str>, noun: &str) -> String {
    let call = format!("{rust}::new({})", required.join(", "));
    let example = match setter {
        Some(s) => format!("`{call}.{s}(…)`"),
        None => format!("`{call}`"),
    };
    let from = if required.is_empty() {
        "`new()` (or `Default::default()`)".to_string()
    } else {
        format!("`new` from its required {noun}s")
    };
    let setters = match setter {
        Some(_) => format!(", then a setter named like each optional {noun} you need"),
        None => String::new(),
    };
    format!("Build it with {from}{setters}: {example}. {NON_EXHAUSTIVE}.")
}

/// `004 §4.1.1, 表 4-3`.
pub fn source(s: &Source) -> String {
    match &s.table {
        Some(t) => format!("document {} §{}, {}", s.document, s.section, t),
        None => format!("document {} §{}", s.document, s.section),
    }
}

/// Constraint line for a field or parameter, e.g. "Max length: 64. Range: 1..=100."
pub fn constraints(c: &Constraints, integral: bool) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(m) = c.max_length {
        parts.push(if integral {
            format!("at most {m} digits")
        } else {
            format!("max length {m}")
        });
    }
    if let Some(m) = c.min_length {
        parts.push(format!("min length {m}"));
    }
    match (c.minimum, c.maximum) {
        (Some(a), Some(b)) => parts.push(format!("range {a}..={b}")),
        (Some(a), None) => parts.push(format!("minimum {a}")),
        (None, Some(b)) => parts.push(format!("maximum {b}")),
        _ => {}
    }
    match (c.min_items, c.max_items) {
        (Some(a), Some(b)) => parts.push(format!("{a} to {b} items")),
        (Some(a), None) => parts.push(format!("at least {a} items")),
        (None, Some(b)) => parts.push(format!("at most {b} items")),
        _ => {}
    }
    if parts.is_empty() {
        None
    } else {
        let mut s = parts.join(", ");
        s[..1].make_ascii_uppercase();
        Some(format!("{s}."))
    }
}

/// Doc lines of a type field.
pub fn field(f: &FieldInfo) -> Vec<String> {
    let mut lines = vec![sentence(&f.description)];
    let mut facts = Vec::new();
    if let Some(c) = constraints(&f.constraints, f.ty.is_integral()) {
        facts.push(c);
    }
    if let Some(d) = &f.default {
        facts.push(format!("Default: `{d}`."));
    }
    if let Some(t) = &f.doc_type {
        facts.push(format!("Documented type: `{t}`."));
    }
    if f.from_example {
        facts.push("Shown only by a documented example.".into());
    }
    if f.sensitive {
        facts.push("Sensitive: redacted in `Debug` output.".into());
    }
    if !facts.is_empty() {
        lines.push(String::new());
        lines.push(facts.join(" "));
    }
    lines
}

/// Doc lines of a request parameter.
pub fn param(p: &ParamInfo) -> Vec<String> {
    let mut lines = vec![sentence(&p.description)];
    let loc = match p.location {
        crate::ir::ParamLocation::Path => "Path parameter",
        crate::ir::ParamLocation::Query => "Query parameter",
        crate::ir::ParamLocation::Header => "Header",
    };
    let mut facts = vec![format!("{loc} `{}`.", p.name)];
    if let Some(c) = constraints(&p.constraints, p.ty.is_integral()) {
        facts.push(c);
    }
    if let Some(d) = &p.default {
        facts.push(format!("Server default: `{d}`."));
    }
    if let Some(pr) = &p.presence {
        let mut rules = Vec::new();
        for (k, v) in [
            ("absent", pr.absent),
            ("empty", pr.empty),
            ("null", pr.null),
            ("empty string", pr.empty_string),
        ] {
            if let Some(v) = v {
                rules.push(format!("{k}: {}", format!("{v:?}").to_lowercase()));
            }
        }
        if !rules.is_empty() {
            facts.push(format!(
                "Documented handling ({}); the client sends nothing when unset.",
                rules.join(", ")
            ));
        }
    }
    if p.sensitive {
        facts.push(match p.location {
            crate::ir::ParamLocation::Header => "Sensitive: redacted in `Debug` output.".into(),
            _ => "Sensitive: redacted in `Debug` output and in the URL errors show.".into(),
        });
    }
    lines.push(String::new());
    lines.push(facts.join(" "));
    lines
}

/// Doc lines of an operation's client method.
pub fn operation(op: &OperationInfo, model: &Model) -> Vec<String> {
    let mut l = vec![sentence(&op.summary), String::new()];
    if let Some(d) = &op.description {
        l.push(sentence(d));
        l.push(String::new());
    }
    l.push(format!(
        "`{} {}` — {} (`{}`).",
        op.method.as_str(),
        op.path,
        op.title_zh,
        op.id
    ));
    l.push(String::new());
    let callers: Vec<&str> = op
        .callers
        .iter()
        .map(|c| match c {
            Caller::Partner => "partners",
            Caller::Customer => "customers",
        })
        .collect();
    let auth: Vec<String> = op
        .auth
        .iter()
        .map(|a| match a.as_str() {
            "aksk" => "AK/SK".to_string(),
            "token" => "token".to_string(),
            o => o.to_string(),
        })
        .collect();
    l.push(format!(
        "- **Callers:** {} ({}).{}",
        callers.join(" and "),
        auth.join(" or "),
        op.caller_note
            .as_ref()
            .map(|n| format!(" {}", sentence(n)))
            .unwrap_or_default()
    ));
    if !op.sites.is_empty() {
        l.push(format!(
            "- **Documented for:** the {} site.",
            op.sites.join(" and ")
        ));
    }
    if !op.audit_events.is_empty() {
        l.push(format!(
            "- **Audit events (CTS):** {}.",
            op.audit_events
                .iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    match &op.rate_limit {
        Some(r) => l.push(format!(
            "- **Rate limit:** {} requests per {} s.",
            r.requests, r.per_seconds
        )),
        None => l.push("- **Rate limit:** not documented.".into()),
    }
    match &op.permission {
        Some(p) => l.push(format!(
            "- **Permission:** any of {}.",
            p.items
                .iter()
                .map(|i| format!("`{i}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        None => l.push("- **Permission:** no fine-grained permission documented.".into()),
    }
    l.push(format!(
        "- **Retries:** {}",
        if op.idempotent {
            "safe to repeat; transient failures may be retried."
        } else {
            "not idempotent; never repeated once it may have reached the server."
        }
    ));
    match &op.outcome_lookup {
        Some(OutcomeLookup::Operation(id)) => {
            let method = model
                .operations()
                .find(|o| &o.id == id)
                .map_or(id.as_str(), |o| o.names.method.as_str());
            l.push(format!(
                "- **Outcome unknown?** After an error that \
                 [may have been processed](crate::Delivery::MayHaveBeenProcessed) (a timeout, a \
                 broken connection, a 5xx answer), look the outcome up with \
                 [`{method}`](Self::{method}) (`{id}`) before sending the call again."
            ));
        }
        Some(OutcomeLookup::None(why)) => l.push(format!(
            "- **Outcome unknown?** No operation shows whether a call was processed: {}",
            sentence(why)
        )),
        None => {}
    }
    if let (Some(p), Some(pages), Some(items)) = (&op.pagination, &op.names.pages, &op.names.items)
    {
        l.push(format!(
            "- **Pagination:** `{}` / `{}` ({} offset), items in `{}`; \
             [`{pages}`](Self::{pages}) streams every page and \
             [`{items}`](Self::{items}) every item.",
            p.offset.wire,
            p.limit.wire,
            format!("{:?}", p.offset_unit).to_lowercase(),
            p.items.text
        ));
    }
    l.push(format!("- **Source:** {}.", source(&op.source)));
    if !op.errors.is_empty() {
        l.push(String::new());
        l.push("# Documented errors".into());
        l.push(String::new());
        l.push("| HTTP | code | message |".into());
        l.push("|---|---|---|".into());
        for (status, code) in &op.errors {
            let msg = model.error_message(code).unwrap_or_default();
            let code = match model.error_code_variants.get(code) {
                Some(v) => format!("[`{code}`](crate::ErrorCode::{v})"),
                None => format!("`{code}`"),
            };
            l.push(format!(
                "| {status} | {code} | {} |",
                msg.replace('|', "\\|")
            ));
        }
    }
    l
}

/// Ends a text with a full stop.
pub fn sentence(s: &str) -> String {
    let t = escape_markdown(s.trim());
    if t.ends_with(['.', '!', '?', ':', ')']) || t.ends_with('`') {
        t
    } else {
        format!("{t}.")
    }
}

/// Escapes the characters of spec prose that rustdoc would read as markup: brackets (intra-doc
/// links, as in "range [0,2,3]") and angle brackets (HTML, as in "List<String>"). Code spans are
/// left alone.
pub fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_code = false;
    let mut rest = s;
    while let Some(ch) = rest.chars().next() {
        // A bare URL becomes a code span: rustdoc warns about bare URLs, and documented URLs
        // are templates (`bucketname.obs.Endpoint...`) rather than links to follow.
        if !in_code && ch == 'h' && (rest.starts_with("https://") || rest.starts_with("http://")) {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':', ')']);
            out.push('`');
            out.push_str(url);
            out.push('`');
            rest = &rest[url.len()..];
            continue;
        }
        match ch {
            '`' => in_code = !in_code,
            '[' | ']' | '<' | '>' if !in_code => out.push('\\'),
            _ => {}
        }
        out.push(ch);
        rest = &rest[ch.len_utf8()..];
    }
    out
}
