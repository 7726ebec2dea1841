//! One operation section: the `URI` line, then parameter, body, response and nested-type tables,
//! examples and the error table, each placed by its caption or, without one, by the heading it
//! follows (`URI`, `请求消息`, `响应参数`, `状态码：400`, `请求示例`, ...).

use super::tables::{Block, Table};
use super::{codes, errors, examples, lines, ranges};
use crate::docs::model::{Note, Operation, Response, Row, Section, Stated};

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "DELETE", "PATCH"];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Zone {
    Intro,
    Uri,
    Request,
    Response(Option<u16>),
    RequestExample,
    ResponseExample,
    Errors,
}

enum Kind {
    Header,
    Path,
    Query,
    Body,
    Response,
    Nested(String),
    Other,
}

/// `GET /v2/...` when the text is a method line.
pub fn method_line(text: &str) -> Option<(String, String)> {
    let (m, rest) = text.trim().split_once(' ')?;
    let path = rest.trim();
    (METHODS.contains(&m) && path.starts_with('/') && !path.contains(' '))
        .then(|| (m.to_string(), path.to_string()))
}

/// A heading without its list number (`1. URI`) and trailing colon (`响应示例:`).
fn heading_text(text: &str) -> &str {
    let t = text.trim();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    let t = match t[digits..].strip_prefix(". ") {
        Some(rest) if digits > 0 => rest.trim_start(),
        _ => t,
    };
    t.trim_end_matches(':').trim_end()
}

fn status_heading(text: &str) -> Option<u16> {
    let rest = text
        .strip_prefix("状态码")?
        .trim_start()
        .strip_prefix(':')?;
    rest.trim().parse().ok()
}

fn kind_of(caption: &str) -> Kind {
    let compact: String = caption.split_whitespace().collect();
    if compact.contains("Header") || compact.contains("消息头") {
        Kind::Header
    } else if compact.contains("路径参数") || compact.starts_with("URI") {
        Kind::Path
    } else if compact.contains("查询参数") {
        Kind::Query
    } else if compact.contains("请求参数") {
        Kind::Body
    } else if compact.contains("响应") {
        Kind::Response
    } else if lines::is_ident(&compact) && !compact.contains('.') {
        Kind::Nested(compact)
    } else {
        Kind::Other
    }
}

fn row(t: &Table, cells: &[String], line: usize) -> Option<Row> {
    let name = lines::name(cells.first()?);
    if name.is_empty() {
        return None;
    }
    let get = |names: &[&str]| {
        t.column(names)
            .and_then(|i| cells.get(i))
            .map(|c| c.trim().to_string())
    };
    let required = get(&["是否必选"]).and_then(|c| match lines::cell(&c).as_str() {
        "是" => Some(true),
        "否" => Some(false),
        _ => None,
    });
    let type_text = get(&["参数类型"]);
    let description = get(&["描述", "说明"]).unwrap_or_default();
    // Tables without a range column sometimes open the description with the length
    // (`最大长度: 512 ...`): that cell is the range the row states.
    let range_text = get(&["取值范围"]).or_else(|| ranges::leading_length(&description));
    let mut code_values = range_text
        .as_deref()
        .map(codes::code_values)
        .unwrap_or_default();
    let mut seen: std::collections::BTreeSet<String> =
        code_values.iter().map(|c| c.value.clone()).collect();
    for c in codes::code_values(&description) {
        if seen.insert(c.value.clone()) {
            code_values.push(c);
        }
    }
    for c in &mut code_values {
        c.line = line;
    }
    Some(Row {
        name,
        line,
        required,
        ty: type_text.as_deref().and_then(ranges::doc_type),
        constraints: range_text
            .as_deref()
            .map(ranges::constraints)
            .unwrap_or_default(),
        type_text,
        range_text,
        code_values,
        description: lines::cell(&description),
    })
}

fn rows(t: &Table) -> Vec<Row> {
    t.rows
        .iter()
        .filter_map(|r| row(t, &r.cells, r.line))
        .collect()
}

fn placeholders(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(n, _)| n))
        .collect()
}

/// Reads the operation of a section whose blocks contain a method line; `None` otherwise.
pub fn operation(section: &Section, blocks: &[Block], notes: &mut Vec<Note>) -> Option<Operation> {
    let (uri_line, (method, path)) = blocks.iter().find_map(|b| match b {
        Block::Text { line, text } => method_line(text).map(|m| (*line, m)),
        _ => None,
    })?;
    let mut op = Operation {
        section: section.number.clone(),
        title: section.title.clone(),
        line: section.line,
        deprecated: section.deprecated,
        method,
        path,
        uri_line,
        ..Operation::default()
    };
    let mut zone = Zone::Intro;
    let mut last_fence = false;
    for b in blocks {
        match b {
            Block::Text { text, line } => {
                last_fence = false;
                let t = heading_text(text);
                zone = match t {
                    "URI" => Zone::Uri,
                    "请求消息" | "请求参数" => Zone::Request,
                    "响应消息" | "响应参数" => Zone::Response(None),
                    "请求示例" => Zone::RequestExample,
                    "响应示例" => Zone::ResponseExample,
                    "状态码" | "错误码" => Zone::Errors,
                    "功能介绍" | "接口约束" | "调试" => Zone::Intro,
                    _ => match status_heading(t) {
                        Some(s) => {
                            // A status may be documented without a table (`状态码: 204`).
                            if !op.responses.iter().any(|r| r.status == Some(s)) {
                                op.responses.push(Response {
                                    status: Some(s),
                                    line: *line,
                                    rows: Vec::new(),
                                });
                            }
                            Zone::Response(Some(s))
                        }
                        None => zone,
                    },
                };
            }
            Block::Fence { line, body } => {
                let list = match zone {
                    Zone::RequestExample => &mut op.request_examples,
                    Zone::ResponseExample => &mut op.response_examples,
                    _ => continue,
                };
                // Fragments of one example printed as several fences are joined.
                match list.last_mut() {
                    Some(prev) if last_fence => {
                        let raw = format!("{}\n{}", prev.raw, body);
                        *prev = examples::example(prev.line, &raw);
                    }
                    _ => list.push(examples::example(*line, body)),
                }
                last_fence = true;
            }
            Block::Table(t) => {
                last_fence = false;
                table(&mut op, t, zone, notes);
            }
        }
    }
    Some(op)
}

fn table(op: &mut Operation, t: &Table, zone: Zone, notes: &mut Vec<Note>) {
    if errors::is_error_table(t) {
        op.errors.extend(errors::rows(t));
        return;
    }
    let label = t.caption.as_ref().map(|c| c.label.clone());
    let is_params = t.header.first().is_some_and(|h| h == "参数");
    let kind = match (&t.caption, is_params) {
        (_, false) => Kind::Other,
        (Some(c), true) if !c.name.is_empty() => kind_of(&c.name),
        _ => match zone {
            Zone::Uri => {
                let names = placeholders(&op.path);
                let all_path = !t.rows.is_empty()
                    && t.rows.iter().all(|r| {
                        r.cells
                            .first()
                            .is_some_and(|c| names.contains(&lines::name(c).as_str()))
                    });
                if all_path { Kind::Path } else { Kind::Query }
            }
            Zone::Request if op.body.is_empty() => Kind::Body,
            Zone::Response(_) => Kind::Response,
            _ => Kind::Other,
        },
    };
    let rows = || rows(t);
    match kind {
        Kind::Header => op.header.extend(rows()),
        Kind::Path => op.path_params.extend(rows()),
        Kind::Query => op.query.extend(rows()),
        Kind::Body => op.body.extend(rows()),
        Kind::Response => {
            let status = match zone {
                Zone::Response(s) => s,
                _ => None,
            };
            match op.responses.iter_mut().find(|r| r.status == status) {
                Some(r) if r.rows.is_empty() => {
                    r.line = t.line;
                    r.rows = rows();
                }
                Some(r) => {
                    notes.push(Note {
                        line: t.line,
                        message: format!("§{}: a second response table for status {status:?}; read as more rows of the first", op.section),
                    });
                    r.rows.extend(rows());
                }
                None => op.responses.push(Response {
                    status,
                    line: t.line,
                    rows: rows(),
                }),
            }
        }
        Kind::Nested(name) => op.types.push(crate::docs::model::NestedType {
            name,
            label: label.unwrap_or_default(),
            line: t.caption.as_ref().map_or(t.line, |c| c.line),
            rows: rows(),
        }),
        Kind::Other => {
            let what = t
                .caption
                .as_ref()
                .map(|c| format!("{} {}", c.label, c.name))
                .unwrap_or_else(|| t.header.join(" | "));
            if is_params {
                notes.push(Note {
                    line: t.line,
                    message: format!(
                        "§{}: parameter table not placed: {}",
                        op.section,
                        what.trim()
                    ),
                });
            }
            op.other_tables.push(Stated {
                value: what.trim().to_string(),
                line: t.line,
            });
        }
    }
}
