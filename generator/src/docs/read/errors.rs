//! Error-code tables: an operation's own (`HTTP状态码 错误码 错误描述`) and the global one
//! (`状态码 错误码 错误码信息 错误码描述`). Codes split by a line wrap (`CBC.990031 41`) are
//! joined.

use super::lines;
use super::tables::Table;
use crate::docs::model::{ErrorRow, GlobalError};

/// Whether the table is an error table.
pub fn is_error_table(t: &Table) -> bool {
    // The codes of per-item failures inside a body (`部分失败错误码`) are not the operation's
    // error rows.
    let partial = t
        .caption
        .as_ref()
        .is_some_and(|c| c.name.contains("部分失败"));
    !partial
        && t.column(&["错误码"]).is_some()
        && matches!(
            t.header.first().map(|h| h.replace(' ', "")).as_deref(),
            Some("HTTP状态码" | "状态码" | "错误码")
        )
}

/// Whether the table is the global error table (it has a message and a meaning column).
pub fn is_global_table(t: &Table) -> bool {
    is_error_table(t) && t.column(&["错误码信息"]).is_some() && t.column(&["错误码描述"]).is_some()
}

/// An error code with the spaces of a wrap removed, and whether there were any.
pub fn code(cell: &str) -> (String, bool) {
    let t = lines::half_width(cell).trim().to_string();
    let joined: String = t.split_whitespace().collect();
    let looks = joined.split_once('.').is_some_and(|(a, b)| {
        !a.is_empty()
            && a.chars().all(|c| c.is_ascii_uppercase())
            && !b.is_empty()
            && b.chars().all(|c| c.is_ascii_alphanumeric())
    });
    if looks && joined != t {
        (joined, true)
    } else {
        (t, false)
    }
}

fn cell(cells: &[String], i: Option<usize>) -> String {
    i.and_then(|i| cells.get(i))
        .map(|c| lines::cell(c))
        .unwrap_or_default()
}

/// The rows of an operation's error table.
pub fn rows(t: &Table) -> Vec<ErrorRow> {
    let status = t.column(&["HTTP状态码", "状态码"]);
    let code_col = t.column(&["错误码"]);
    let msg = t.column(&["错误描述", "描述", "错误码描述"]);
    t.rows
        .iter()
        .filter_map(|r| {
            let (code, joined) = code(r.cells.get(code_col?)?);
            if code.is_empty() {
                return None;
            }
            let status = status
                .and_then(|s| r.cells.get(s))
                .and_then(|s| s.trim().parse().ok());
            Some(ErrorRow {
                status,
                code,
                message: cell(&r.cells, msg),
                line: r.line,
                joined,
            })
        })
        .collect()
}

/// The rows of the global error table.
pub fn global_rows(t: &Table) -> Vec<GlobalError> {
    let status = t.column(&["状态码", "HTTP状态码"]);
    let code_col = t.column(&["错误码"]);
    let msg = t.column(&["错误码信息"]);
    let meaning = t.column(&["错误码描述"]);
    t.rows
        .iter()
        .filter_map(|r| {
            let (code, joined) = code(r.cells.get(code_col?)?);
            let status = r.cells.get(status?)?.trim().parse().ok()?;
            Some(GlobalError {
                status,
                code,
                message: cell(&r.cells, msg),
                meaning: cell(&r.cells, meaning),
                line: r.line,
                joined,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_codes_are_joined() {
        assert_eq!(code("XYZ.123 45"), ("XYZ.12345".to_string(), true));
        assert_eq!(code("XYZ.0 9"), ("XYZ.09".to_string(), true));
        assert_eq!(code("XYZ.12345"), ("XYZ.12345".to_string(), false));
        assert_eq!(code("一些 话"), ("一些 话".to_string(), false));
    }
}
