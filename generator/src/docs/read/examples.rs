//! Request and response examples: a fenced block holds a request line or a status line, header
//! lines, then the body.

use super::lines;
use crate::docs::model::Example;

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "DELETE", "PATCH"];

/// `Name: value` when the line is a header line.
fn header(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.split_once(':')?;
    (lines::is_ident(name) && !name.contains('.')).then_some((name, value))
}

/// Reads one example from the text of its fenced block(s).
pub fn example(line: usize, raw: &str) -> Example {
    let all: Vec<&str> = raw.lines().collect();
    let mut i = 0;
    while i < all.len() && all[i].trim().is_empty() {
        i += 1;
    }
    let mut ex = Example {
        line,
        raw: raw.to_string(),
        ..Example::default()
    };
    if let Some(first) = all.get(i).map(|l| l.trim()) {
        let word = first.split(' ').next().unwrap_or("");
        if METHODS.contains(&word) {
            // A long request line wraps inside the URL; its parts are joined up to `HTTP/1.1`.
            let mut request = first.to_string();
            i += 1;
            while !request.contains(" HTTP/") && i < all.len() && i < 12 {
                let next = all[i].trim();
                if next.is_empty()
                    || next.starts_with('{')
                    || next.starts_with('[')
                    || header(next).is_some()
                {
                    break;
                }
                if next.starts_with("HTTP/") {
                    request.push(' ');
                }
                request.push_str(next);
                i += 1;
            }
            let url = request.split_whitespace().nth(1).unwrap_or("");
            ex.query = url
                .split_once('?')
                .map(|(_, q)| q.to_string())
                .filter(|q| !q.is_empty());
            ex.request_line = Some(request);
        } else if word.starts_with("HTTP/") {
            ex.status = first.split_whitespace().nth(1).and_then(|s| s.parse().ok());
            i += 1;
        }
    }
    while let Some((name, value)) = all.get(i).and_then(|l| header(l.trim())) {
        ex.headers
            .push((name.to_string(), value.trim().to_string()));
        i += 1;
    }
    let body = all.get(i..).unwrap_or(&[]).join("\n");
    let body = body.trim();
    if !body.is_empty() {
        match serde_json::from_str::<serde_json::Value>(body) {
            Ok(v) => ex.json = Some(v),
            Err(e) => ex.json_error = Some(e.to_string()),
        }
        ex.body = Some(body.to_string());
    }
    ex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_example_with_query_headers_and_body() {
        let e = example(
            7,
            "PUT https://h.example/v9/fruit?size=2&x=y HTTP/1.1\nContent-Type: application/json\n{\n  \"a\": 1\n}",
        );
        assert_eq!(e.query.as_deref(), Some("size=2&x=y"));
        assert_eq!(e.headers.len(), 1);
        assert_eq!(e.json, Some(serde_json::json!({"a": 1})));
        assert_eq!(e.line, 7);
    }

    #[test]
    fn a_response_example_with_a_broken_body() {
        let e = example(1, "\nHTTP/1.1 200 OK\nDate: now\n{\"a\": [1,],}");
        assert_eq!(e.status, Some(200));
        assert!(e.json.is_none());
        assert!(e.json_error.is_some());
        assert_eq!(e.body.as_deref(), Some("{\"a\": [1,],}"));
    }

    #[test]
    fn a_request_line_wrapped_inside_its_url_is_joined() {
        let e = example(
            1,
            "GET https://h.example/v9/fruit?\nsize=2&day=203\n0-01-01\nHTTP/1.1\nX-A: b\n",
        );
        assert_eq!(e.query.as_deref(), Some("size=2&day=2030-01-01"));
        assert_eq!(e.headers.len(), 1);
        assert_eq!(e.body, None);
    }

    #[test]
    fn an_example_without_a_body() {
        let e = example(1, "HTTP/1.1 204 No Content\nContent-Length: 0\n");
        assert_eq!(e.status, Some(204));
        assert_eq!(e.body, None);
    }
}
