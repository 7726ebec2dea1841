//! Checks a request against the documented parameters, types and constraints.
//!
//! The rules are those the client checks before sending (lengths in characters, inclusive
//! ranges, digit counts of integers, list sizes, required members), plus what only a server
//! sees: JSON types, and values outside the documented code lists.

use serde_json::Value;

use crate::api::{Api, Location, Operation, Schema};

/// Why a request is refused; becomes the detail of a `CBC.0100` answer.
pub(crate) type Invalid = String;

/// The request parts the checks look at.
pub(crate) struct Parts<'a> {
    pub path_params: &'a [(String, String)],
    pub query: &'a [(String, String)],
    pub header: &'a dyn Fn(&str) -> Option<String>,
    pub body: &'a [u8],
}

/// What the checks read besides the value: the API table and the site the emulator answers as.
struct Cx<'a> {
    api: &'a Api,
    site: &'a str,
}

/// Checks every parameter and the body of a request for `op`, as `site` documents them.
pub(crate) fn request(api: &Api, site: &str, op: &Operation, parts: &Parts<'_>) -> Result<Option<Value>, Invalid> {
    let cx = &Cx { api, site };
    for p in &op.params {
        let values: Vec<String> = match p.location {
            Location::Path => parts.path_params.iter().filter(|(n, _)| *n == p.name).map(|(_, v)| v.clone()).collect(),
            Location::Query => parts.query.iter().filter(|(n, _)| *n == p.name).map(|(_, v)| v.clone()).collect(),
            Location::Header => (parts.header)(&p.name).into_iter().collect(),
        };
        let at = format!("{} parameter `{}`", location_name(p.location), p.name);
        if values.is_empty() {
            if p.required {
                return Err(format!("{at} is required"));
            }
            continue;
        }
        match &p.schema {
            Schema::List { items, min_items, max_items } => {
                count(&at, values.len() as u64, *min_items, *max_items)?;
                for v in &values {
                    text(cx, items, v, &at)?;
                }
            }
            schema => {
                if values.len() > 1 {
                    return Err(format!("{at} is given {} times; it takes one value", values.len()));
                }
                text(cx, schema, &values[0], &at)?;
            }
        }
    }
    let Some(body_type) = &op.body else {
        return Ok(None);
    };
    if parts.body.iter().all(u8::is_ascii_whitespace) {
        return Err("the request body is required".into());
    }
    let body: Value = serde_json::from_slice(parts.body).map_err(|e| format!("the request body is not JSON: {e}"))?;
    object(cx, body_type, &body, "body")?;
    Ok(Some(body))
}

fn location_name(l: Location) -> &'static str {
    match l {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
    }
}

/// A parameter value, as text.
fn text(cx: &Cx<'_>, schema: &Schema, value: &str, at: &str) -> Result<(), Invalid> {
    let json = match schema {
        Schema::String { .. } | Schema::Json => Value::String(value.to_string()),
        Schema::Integer { .. } => match value.trim().parse::<i64>() {
            Ok(n) => Value::from(n),
            Err(_) => return Err(format!("{at} is `{value}`, not an integer")),
        },
        Schema::Decimal | Schema::Number => match value.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Value::String(value.trim().to_string()),
            _ => return Err(format!("{at} is `{value}`, not a number")),
        },
        Schema::Boolean => match value {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(format!("{at} is `{value}`, not true or false")),
        },
        Schema::List { .. } | Schema::Map { .. } | Schema::Object { .. } => {
            return Err(format!("{at} cannot be given as text"));
        }
    };
    check(cx, schema, &json, at)
}

fn object(cx: &Cx<'_>, name: &str, value: &Value, at: &str) -> Result<(), Invalid> {
    let Value::Object(map) = value else {
        return Err(format!("{at} is {}, not an object", kind(value)));
    };
    // Types only received have no checks; anything goes in them.
    let Some(fields) = cx.api.types.get(name) else {
        return Ok(());
    };
    for f in fields {
        let here = format!("{at}.{}", f.name);
        // A field another site's documents list is not this site's: sent here, it is refused
        // as the other site's shape.
        let on_site = f.sites.is_empty() || f.sites.iter().any(|s| s == cx.site);
        let required = f.required || (f.site_required && on_site);
        match map.get(&f.name) {
            None | Some(Value::Null) if required => return Err(format!("{here} is required{}", site_note(cx, f))),
            None | Some(Value::Null) => {}
            Some(_) if !on_site => {
                return Err(format!("{here} is documented only for the {} site, not for the {} site", f.sites.join(" and "), cx.site));
            }
            Some(v) => check(cx, &f.schema, v, &here)?,
        }
    }
    Ok(())
}

/// ` on the <site> site`, for a field required only on some sites.
fn site_note(cx: &Cx<'_>, f: &crate::api::Field) -> String {
    if f.sites.is_empty() { String::new() } else { format!(" on the {} site", cx.site) }
}

fn check(cx: &Cx<'_>, schema: &Schema, value: &Value, at: &str) -> Result<(), Invalid> {
    match schema {
        Schema::String { min_length, max_length, code_list } => {
            let Value::String(s) = value else {
                return Err(format!("{at} is {}, not a string", kind(value)));
            };
            let n = s.chars().count() as u64;
            if let Some(m) = max_length.filter(|m| n > *m) {
                return Err(format!("{at} is {n} characters long; the maximum is {m}"));
            }
            if let Some(m) = min_length.filter(|m| n < *m) {
                return Err(format!("{at} is {n} characters long; the minimum is {m}"));
            }
            code(cx, code_list.as_deref(), value, at)
        }
        Schema::Integer { minimum, maximum, max_digits, code_list } => {
            let n = match value {
                Value::Number(n) if n.is_i64() || n.is_u64() => n.as_i64().unwrap_or(i64::MAX),
                // A code list of integers may be written as strings, as the client's
                // `Unknown` values and several documented examples do.
                Value::String(s) if code_list.is_some() && s.parse::<i64>().is_ok() => {
                    return code(cx, code_list.as_deref(), &Value::from(s.parse::<i64>().unwrap_or_default()), at);
                }
                _ => return Err(format!("{at} is {}, not an integer", kind(value))),
            };
            if let Some(m) = minimum.filter(|m| n < *m) {
                return Err(format!("{at} is {n}; it must be at least {m}"));
            }
            if let Some(m) = maximum.filter(|m| n > *m) {
                return Err(format!("{at} is {n}; it must be at most {m}"));
            }
            if let Some(m) = max_digits.filter(|m| n.unsigned_abs().to_string().len() as u64 > *m) {
                return Err(format!("{at} is {n}; it may have at most {m} digits"));
            }
            code(cx, code_list.as_deref(), value, at)
        }
        Schema::Decimal => match value {
            Value::Number(_) => Ok(()),
            Value::String(s) if s.trim().parse::<f64>().is_ok_and(f64::is_finite) => Ok(()),
            _ => Err(format!("{at} is {}, not a decimal number", kind(value))),
        },
        Schema::Number => match value {
            Value::Number(_) => Ok(()),
            _ => Err(format!("{at} is {}, not a number", kind(value))),
        },
        Schema::Boolean => match value {
            Value::Bool(_) => Ok(()),
            _ => Err(format!("{at} is {}, not a boolean", kind(value))),
        },
        Schema::Json => Ok(()),
        Schema::List { items, min_items, max_items } => {
            let Value::Array(list) = value else {
                return Err(format!("{at} is {}, not a list", kind(value)));
            };
            count(at, list.len() as u64, *min_items, *max_items)?;
            for (i, item) in list.iter().enumerate() {
                check(cx, items, item, &format!("{at}[{i}]"))?;
            }
            Ok(())
        }
        Schema::Map { values } => {
            let Value::Object(map) = value else {
                return Err(format!("{at} is {}, not an object", kind(value)));
            };
            for (k, v) in map {
                check(cx, values, v, &format!("{at}.{k}"))?;
            }
            Ok(())
        }
        Schema::Object { name } => object(cx, name, value, at),
    }
}

fn count(at: &str, n: u64, min: Option<u64>, max: Option<u64>) -> Result<(), Invalid> {
    if let Some(m) = max.filter(|m| n > *m) {
        return Err(format!("{at} has {n} items; the maximum is {m}"));
    }
    if let Some(m) = min.filter(|m| n < *m) {
        return Err(format!("{at} has {n} items; the minimum is {m}"));
    }
    Ok(())
}

/// Whether `value` is one of the documented codes. Codes are compared as JSON, with integer
/// codes also accepted as their decimal text and the other way round, since query parameters
/// carry every value as text.
fn code(cx: &Cx<'_>, code_list: Option<&str>, value: &Value, at: &str) -> Result<(), Invalid> {
    let Some(values) = code_list.and_then(|cl| cx.api.code_lists.get(cl)) else {
        return Ok(());
    };
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let same = |v: &Value| v == value || text(v) == text(value);
    // Codes another site's documents list are not this site's.
    let elsewhere = |v: &Value| {
        code_list
            .and_then(|cl| cx.api.site_codes.get(cl))
            .and_then(|codes| codes.iter().find(|(c, _)| c == v))
            .filter(|(_, sites)| !sites.iter().any(|s| s == cx.site))
            .map(|(_, sites)| sites.join(" and "))
    };
    if let Some(v) = values.iter().find(|v| same(v)) {
        return match elsewhere(v) {
            None => Ok(()),
            Some(sites) => Err(format!("{at} is `{}`, a code documented only for the {sites} site, not for the {} site", text(value), cx.site)),
        };
    }
    let known: Vec<String> = values.iter().filter(|v| elsewhere(v).is_none()).map(text).collect();
    Err(format!("{at} is `{}`, not one of the documented values {}", text(value), known.join(", ")))
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
