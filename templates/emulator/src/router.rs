//! Finds the operation a request is for, from its method and path.

use percent_encoding::percent_decode_str;

use crate::api::Api;

/// One segment of a path template.
#[derive(Debug)]
enum Segment {
    Literal(String),
    Param(String),
}

/// A compiled path template.
#[derive(Debug)]
struct Route {
    operation: usize,
    method: String,
    segments: Vec<Segment>,
    literals: usize,
}

/// The routes of every operation.
#[derive(Debug)]
pub(crate) struct Router {
    routes: Vec<Route>,
}

/// A matched operation with its decoded path parameters.
#[derive(Debug)]
pub(crate) struct Matched {
    pub operation: usize,
    pub path_params: Vec<(String, String)>,
}

impl Router {
    /// Compiles the path templates of `api`.
    pub fn new(api: &Api) -> Self {
        let routes = api
            .operations
            .iter()
            .enumerate()
            .map(|(operation, op)| {
                let segments: Vec<Segment> = op
                    .path
                    .trim_matches('/')
                    .split('/')
                    .map(|s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                        Some(name) => Segment::Param(name.to_string()),
                        None => Segment::Literal(s.to_string()),
                    })
                    .collect();
                let literals = segments.iter().filter(|s| matches!(s, Segment::Literal(_))).count();
                Route { operation, method: op.method.clone(), segments, literals }
            })
            .collect();
        Self { routes }
    }

    /// The operation for `method` and the raw (percent-encoded) `path`. When two templates
    /// match, the one with more literal segments wins, as a literal is more specific than a
    /// placeholder. `Err(true)` means the path exists with another method.
    pub fn find(&self, method: &str, path: &str) -> Result<Matched, bool> {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        let mut best: Option<(&Route, Vec<(String, String)>)> = None;
        let mut other_method = false;
        for route in &self.routes {
            let Some(params) = matches(route, &parts) else { continue };
            if !route.method.eq_ignore_ascii_case(method) {
                other_method = true;
                continue;
            }
            if best.as_ref().is_none_or(|(b, _)| route.literals > b.literals) {
                best = Some((route, params));
            }
        }
        best.map(|(route, path_params)| Matched { operation: route.operation, path_params }).ok_or(other_method)
    }
}

fn matches(route: &Route, parts: &[&str]) -> Option<Vec<(String, String)>> {
    if route.segments.len() != parts.len() {
        return None;
    }
    let mut params = Vec::new();
    for (segment, part) in route.segments.iter().zip(parts) {
        match segment {
            Segment::Literal(l) if l == part => {}
            Segment::Literal(_) => return None,
            Segment::Param(name) => {
                let value = percent_decode_str(part).decode_utf8().ok()?.into_owned();
                params.push((name.clone(), value));
            }
        }
    }
    Some(params)
}
