//! Export of the whole spec as one OpenAPI 3.0.3 document, for external validators, mock servers
//! and other generators.

use serde_json::{Map, Value, json};

use crate::ir::{CodeListType, ParamLocation};
use crate::ir::{Model, Shape, TextFormat, TypeExpr};

fn schema(model: &Model, shape: &Shape) -> Value {
    let reference = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    match shape {
        Shape::Text {
            format,
            min_length,
            max_length,
        } => {
            let mut s = match format {
                TextFormat::Plain => json!({ "type": "string" }),
                TextFormat::DateTime => json!({ "type": "string", "format": "date-time" }),
                TextFormat::Date => json!({ "type": "string", "format": "date" }),
                TextFormat::Month => json!({ "type": "string", "pattern": "^\\d{4}-\\d{2}$" }),
            };
            if let Some(m) = max_length {
                s["maxLength"] = json!(m);
            }
            if let Some(m) = min_length {
                s["minLength"] = json!(m);
            }
            s
        }
        Shape::Integer {
            long,
            minimum,
            maximum,
            ..
        } => {
            let format = if *long { "int64" } else { "int32" };
            let mut s = json!({ "type": "integer", "format": format });
            if let Some(m) = minimum {
                s["minimum"] = json!(m);
            }
            if let Some(m) = maximum {
                s["maximum"] = json!(m);
            }
            s
        }
        // Amounts travel as JSON numbers or numeric strings.
        Shape::Decimal => {
            json!({ "oneOf": [{ "type": "number" }, { "type": "string", "pattern": "^-?\\d+(\\.\\d+)?$" }] })
        }
        Shape::Number => json!({ "type": "number" }),
        Shape::Boolean => json!({ "type": "boolean" }),
        Shape::Json => json!({}),
        Shape::Code(cl) => reference(&model[*cl].name),
        Shape::Object(t) => reference(&model[*t].name),
        Shape::List {
            item,
            min_items,
            max_items,
        } => {
            let mut s = json!({ "type": "array", "items": schema(model, item) });
            if let Some(m) = max_items {
                s["maxItems"] = json!(m);
            }
            if let Some(m) = min_items {
                s["minItems"] = json!(m);
            }
            s
        }
        Shape::Map(inner) => {
            json!({ "type": "object", "additionalProperties": schema(model, inner) })
        }
    }
}

/// The OpenAPI document.
pub fn export(model: &Model) -> Value {
    let mut schemas = Map::new();
    for cl in &model.code_lists {
        let name = &cl.name;
        let values: Vec<Value> = cl.def.values.iter().map(|v| v.value.clone()).collect();
        let ty = if cl.def.ty == CodeListType::Integer {
            "integer"
        } else {
            "string"
        };
        // The service may add codes, so the enum documents the known ones without closing the set.
        let mut s = json!({ "type": ty, "description": format!("{} Known values: {}.", cl.def.description, values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(", ")), "x-known-values": values });
        // Codes only some sites document, with those sites.
        let site_values: Vec<Value> = cl
            .def
            .values
            .iter()
            .filter(|v| !v.sites.is_empty())
            .map(|v| json!({ "value": v.value, "sites": v.sites }))
            .collect();
        if !site_values.is_empty() {
            s["x-site-values"] = json!(site_values);
        }
        schemas.insert(name.clone(), s);
    }
    for t in &model.types {
        let name = &t.name;
        let mut props = Map::new();
        let mut required = Vec::new();
        for f in &t.fields {
            let mut s = schema(model, &f.shape);
            if s.get("$ref").is_none() {
                s["description"] = json!(f.description);
                s["nullable"] = json!(!f.required);
            }
            // Which of the two wire forms of an amount the documents give (the SDK contract
            // test, tests/sdk/, sends and expects that one).
            if f.decimal_as_text() {
                s["x-wire-type"] = json!("string");
            } else if matches!(f.shape, Shape::Decimal) {
                s["x-wire-type"] = json!("number");
            }
            // A field only some sites document: those sites, and whether they require it
            // (`required` lists only what every site requires).
            if !f.sites.is_empty() {
                if s.get("$ref").is_some() {
                    s = json!({ "allOf": [s] });
                }
                s["x-sites"] = json!(f.sites);
                if f.site_required {
                    s["x-required-on-sites"] = json!(true);
                }
            }
            // A successful answer carries the success code, if any: mock servers that build
            // answers from the schema then send what the service sends.
            if f.name == "error_code" && t.output && f.ty == TypeExpr::String {
                s["example"] = json!("CBC.0000");
            }
            props.insert(f.name.clone(), s);
            if f.required && t.input {
                required.push(json!(f.name));
            }
        }
        let mut s =
            json!({ "type": "object", "description": t.def.description, "properties": props });
        if !required.is_empty() {
            s["required"] = json!(required);
        }
        schemas.insert(name.clone(), s);
    }
    let mut paths: Map<String, Value> = Map::new();
    for op in model.operations() {
        let params: Vec<Value> = op
            .params
            .iter()
            .map(|p| {
                let loc = match p.location {
                    ParamLocation::Path => "path",
                    ParamLocation::Query => "query",
                    ParamLocation::Header => "header",
                };
                json!({ "name": p.name, "in": loc, "required": p.required, "description": p.description, "schema": schema(model, &p.shape) })
            })
            .collect();
        let mut responses = Map::new();
        for r in &op.responses {
            let mut resp = json!({ "description": format!("HTTP {}", r.status) });
            if let Some(t) = r.ty {
                let t = &model[t].name;
                let mut media =
                    json!({ "schema": { "$ref": format!("#/components/schemas/{t}") } });
                if let Some(ex) = op
                    .examples
                    .iter()
                    .find(|e| e.response_status == Some(r.status))
                    .and_then(|e| e.response_body.as_ref())
                {
                    if let Ok(v) = serde_json::from_str::<Value>(ex) {
                        media["example"] = v;
                    }
                }
                resp["content"] = json!({ "application/json": media });
            }
            responses.insert(r.status.to_string(), resp);
        }
        responses.insert("default".into(), json!({ "description": "Error", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ErrorBody" } } } }));
        let mut o = json!({
            "operationId": op.id,
            "summary": op.summary,
            "description": format!("{} ({})", op.description.clone().unwrap_or_else(|| op.summary.clone()), op.title_zh),
            "tags": [op.group],
            "parameters": params,
            "responses": responses,
            "x-idempotent": op.idempotent,
        });
        if let Some(d) = &op.deprecated {
            o["deprecated"] = json!(true);
            o["x-replacement"] = json!(d.replacement);
        }
        if let Some(r) = &op.rate_limit {
            o["x-rate-limit"] = json!({ "requests": r.requests, "per_seconds": r.per_seconds });
        }
        if let Some(b) = op.body {
            let b = &model[b].name;
            let mut media = json!({ "schema": { "$ref": format!("#/components/schemas/{b}") } });
            if let Some(ex) = op.examples.iter().find_map(|e| e.request_body.as_ref()) {
                if let Ok(v) = serde_json::from_str::<Value>(ex) {
                    media["example"] = v;
                }
            }
            o["requestBody"] =
                json!({ "required": true, "content": { "application/json": media } });
        }
        let entry = paths.entry(op.path.clone()).or_insert_with(|| json!({}));
        entry[op.method.as_str().to_lowercase()] = o;
    }
    schemas.insert("ErrorBody".into(), json!({ "type": "object", "properties": { "error_code": { "type": "string" }, "error_msg": { "type": "string" } } }));
    let servers: Vec<Value> = model
        .service
        .sites
        .iter()
        .map(|s| json!({ "url": s.endpoint, "description": s.summary }))
        .collect();
    json!({
        "openapi": "3.0.3",
        "info": { "title": "Huawei Cloud BSS APIs", "version": model.service.service.crate_version, "description": model.service.service.summary },
        "servers": servers,
        "tags": model.groups.iter().map(|g| json!({ "name": g.info.id, "description": format!("{} ({})", g.info.summary, g.info.title_zh) })).collect::<Vec<_>>(),
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "token": { "type": "apiKey", "in": "header", "name": "X-Auth-Token" },
                "aksk": { "type": "apiKey", "in": "header", "name": "Authorization", "description": "SDK-HMAC-SHA256 request signature" }
            }
        },
        "security": [{ "token": [] }, { "aksk": [] }],
    })
}
