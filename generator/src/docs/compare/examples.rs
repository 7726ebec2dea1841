//! Request and response examples.

use super::{At, Cx, DriftKind};
use crate::docs::model::{Example, Operation};
use crate::docs::spec_view::{SpecExample, SpecOperation};

fn same_body(doc: &Example, spec: Option<&str>) -> bool {
    match (&doc.body, spec) {
        (None, None) => true,
        (Some(_), None) | (None, Some(_)) => false,
        (Some(text), Some(s)) => match (&doc.json, serde_json::from_str::<serde_json::Value>(s)) {
            (Some(a), Ok(b)) => *a == b,
            _ => {
                text.split_whitespace().collect::<String>()
                    == s.split_whitespace().collect::<String>()
            }
        },
    }
}

pub(super) fn examples(cx: &mut Cx, d: &Operation, s: &SpecOperation, at: &At) {
    let spec: Vec<&SpecExample> = s.examples.iter().collect();
    for (i, e) in d.request_examples.iter().enumerate() {
        let se = spec.get(i);
        let item = format!("request_example[{i}]");
        let ok = se.is_some_and(|x| {
            same_body(e, x.request_body.as_deref()) && (e.query.is_none() || e.query == x.query)
        });
        cx.fact(
            "examples",
            ok,
            DriftKind::ExampleChanged,
            at,
            &item,
            Some(e.line),
            e.body.clone().or(e.query.clone()),
            se.and_then(|x| x.request_body.clone().or(x.query.clone())),
            "the documented request example differs",
        );
    }
    let with_response: Vec<&&SpecExample> = spec
        .iter()
        .filter(|x| x.response_body.is_some() || x.response_status.is_some())
        .collect();
    for (i, e) in d.response_examples.iter().enumerate() {
        let se = with_response.get(i);
        let item = format!("response_example[{i}]");
        let ok = se.is_some_and(|x| {
            same_body(e, x.response_body.as_deref())
                && (e.status.is_none() || e.status == x.response_status)
        });
        cx.fact(
            "examples",
            ok,
            DriftKind::ExampleChanged,
            at,
            &item,
            Some(e.line),
            e.body.clone(),
            se.and_then(|x| x.response_body.clone()),
            "the documented response example differs",
        );
    }
}
