//! Values built from the types alone, for operations whose documents give no usable example:
//! every required member is present and every value meets its documented constraints, so the
//! client's own validation accepts the request.

use serde_json::{Map, Value, json};

use crate::ir::TypeId;
use crate::ir::{CodeListType, ExampleInfo, FieldInfo, Model, OperationInfo, Shape, TextFormat};
use crate::ir::{ParamLocation, QueryPair};

/// Nesting depth after which optional structure is no longer filled in.
const MAX_DEPTH: usize = 8;

/// A value of the shape that satisfies its constraints (a documented code, for a code).
pub fn value(model: &Model, shape: &Shape, depth: usize) -> Value {
    match shape {
        Shape::List {
            item, min_items, ..
        } => {
            let n = min_items.unwrap_or(1).max(1) as usize;
            Value::Array(vec![value(model, item, depth + 1); n])
        }
        Shape::Code(cl) => {
            let c = &model[*cl];
            match c.def.values.first() {
                Some(first) => first.value.clone(),
                None if c.def.ty == CodeListType::Integer => json!(1),
                None => json!("x"),
            }
        }
        Shape::Text {
            format,
            min_length,
            max_length,
        } => match format {
            TextFormat::Plain => {
                let min = min_length.unwrap_or(1).max(1);
                let len = max_length.map_or(min, |m| min.min(m.max(1)));
                Value::String("x".repeat(len as usize))
            }
            TextFormat::DateTime => json!("2024-01-01T00:00:00Z"),
            TextFormat::Date => json!("2024-01-01"),
            TextFormat::Month => json!("2024-01"),
        },
        Shape::Integer {
            minimum, maximum, ..
        } => {
            let v = minimum.unwrap_or(1);
            json!(maximum.map_or(v, |m| v.min(m)))
        }
        Shape::Decimal | Shape::Number => json!(1),
        Shape::Boolean => json!(true),
        Shape::Json | Shape::Map(_) => json!({}),
        Shape::Object(t) => object(model, *t, depth),
    }
}

/// An object of the type with its required fields: those of every site, and those of the
/// default site (the first of `service.yaml`, the one the emulator checks against by default).
pub fn object(model: &Model, id: TypeId, depth: usize) -> Value {
    let mut m = Map::new();
    let t = &model[id];
    let default_site = model.service.sites.first().map(|s| s.id.as_str());
    let required = |f: &&FieldInfo| {
        f.required
            || (f.site_required && default_site.is_some_and(|d| f.sites.iter().any(|s| s == d)))
    };
    {
        if depth < MAX_DEPTH {
            for f in t.fields.iter().filter(required) {
                m.insert(f.name.clone(), field_value(model, f, depth + 1));
            }
        }
    }
    Value::Object(m)
}

/// A value of the field: its shape's, on the wire the documents give it (a decimal documented
/// as `String` is a JSON string, as the service sends it).
fn field_value(model: &Model, f: &FieldInfo, depth: usize) -> Value {
    if f.decimal_as_text() {
        return json!("1");
    }
    value(model, &f.shape, depth)
}

/// Depth to which answers built from the types fill in optional members.
const FULL_DEPTH: usize = 4;

/// An object of the named type with every member filled in, for answers the documents give
/// no example of; from the fourth level down only required members, so recursive types end.
pub fn full_object(model: &Model, id: TypeId, depth: usize) -> Value {
    let t = &model[id];
    if depth >= FULL_DEPTH {
        return object(model, id, depth);
    }
    // Error members are documented as present only on failure; a success built with them
    // would read as an error.
    let m = t
        .fields
        .iter()
        .filter(|f| {
            !matches!(
                f.name.as_str(),
                "error_code" | "error_msg" | "error_message"
            )
        })
        .map(|f| {
            let v = if f.decimal_as_text() {
                field_value(model, f, depth + 1)
            } else {
                full_value(model, &f.shape, depth + 1)
            };
            (f.name.clone(), v)
        })
        .collect();
    Value::Object(m)
}

fn full_value(model: &Model, shape: &Shape, depth: usize) -> Value {
    match shape {
        Shape::List {
            item, min_items, ..
        } => {
            let n = min_items.unwrap_or(1).max(1) as usize;
            Value::Array(vec![full_value(model, item, depth); n])
        }
        Shape::Object(t) => full_object(model, *t, depth),
        _ => value(model, shape, depth),
    }
}

/// Text of a parameter value as it goes into a query string, header or path.
pub(crate) fn param_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.first().map(param_text).unwrap_or_default(),
        other => other.to_string(),
    }
}

/// An example exchange for an operation without a usable documented one: required parameters
/// and body members only, answered with the documented success status.
pub fn example(model: &Model, op: &OperationInfo) -> ExampleInfo {
    let mut query = Vec::new();
    let mut headers = std::collections::BTreeMap::new();
    let mut path_params = std::collections::BTreeMap::new();
    for p in op.params.iter().filter(|p| p.required) {
        let text = param_text(&value(model, &p.shape, 0));
        match p.location {
            ParamLocation::Query => query.push(QueryPair {
                key: p.name.clone(),
                value: Some(text),
            }),
            ParamLocation::Header => {
                headers.insert(p.name.clone(), text);
            }
            ParamLocation::Path => {
                path_params.insert(p.name.clone(), text);
            }
        }
    }
    let success = op
        .responses
        .iter()
        .find(|r| (200..300).contains(&r.status))
        .map(|r| r.status);
    ExampleInfo {
        name: "synthetic".into(),
        tests: op.names.tests.synthetic.clone(),
        query,
        headers,
        path_params,
        request_body: op
            .body
            .map(|b| serde_json::to_string_pretty(&object(model, b, 0)).unwrap_or_default()),
        breaks_constraint: false,
        response_status: success,
        response_body: None,
        unusable: Vec::new(),
    }
}
